import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("complaint_reports_manager_review", {
    steps: () => [
        {
            content: "Open the Reporting menu",
            trigger: ".o_main_navbar button:contains(Reporting)",
            run: "click",
        },
        {
            content: "Open the manager dashboard",
            trigger: ".dropdown-item:contains(Manager Dashboard)",
            run: "click",
        },
        {
            content: "This month's KPIs are shown against their targets",
            trigger: ".o_complaint_kpi_table td:contains(Complaint rate)",
        },
        {
            content: "The overdue figure counts the overdue complaint; open it",
            trigger: "button[name='action_view_overdue'] .o_stat_value:contains(1)",
            run: "click",
        },
        {
            content: "The overdue list shows the complaint",
            trigger: ".o_data_row:contains(Tour Review Customer)",
        },
        {
            content: "Open the Reporting menu again",
            trigger: ".o_main_navbar button:contains(Reporting)",
            run: "click",
        },
        {
            content: "Open the complaint analysis",
            trigger: ".dropdown-item:contains(Complaint Analysis)",
            run: "click",
        },
        {
            content: "The pivot has the months as rows and the rates as measures",
            trigger: ".o_pivot th:contains(Closed Within a Week (%))",
        },
        {
            content: "Switch to the graph",
            trigger: "button.o_switch_view.o_graph",
            run: "click",
        },
        {
            content: "The graph is drawn",
            trigger: ".o_graph_renderer canvas",
        },
        {
            content: "Open the Reporting menu for the exports",
            trigger: ".o_main_navbar button:contains(Reporting)",
            run: "click",
        },
        {
            content: "Open the Excel exports",
            trigger: ".dropdown-item:contains(Excel Exports)",
            run: "click",
        },
        {
            content: "The three exports are offered for the period",
            trigger: ".modal button[name='action_export_breaches'], .o_form_view button[name='action_export_breaches']",
        },
    ],
});
