import { registry } from "@web/core/registry";

/** The advisor's walk from a repair order; ``texts``: the words of the UI it checks. */
function registerFromRepairSteps(texts) {
    return () => [
        {
            content: "Register a complaint from the repair order",
            trigger: "button[name='action_register_complaint']",
            run: "click",
        },
        {
            content: "The customer is prefilled",
            trigger: ".o_field_widget[name='partner_id'] input:value(Tour Customer Ma)",
        },
        {
            content: "The cursor starts in the customer's words, not in the prefilled customer",
            trigger: ".o_field_widget[name='description'] textarea",
            run() {
                const active = document.activeElement;
                if (active !== this.anchor) {
                    throw new Error(`The cursor is in ${active && active.outerHTML.slice(0, 120)}`);
                }
            },
        },
        {
            content: "The department is the advisor's, filled in before saving",
            trigger: ".o_field_widget[name='team_id'].o_required_modifier input:value(Tour Service Desk)",
        },
        {
            content: "Write down the customer's words",
            trigger: ".o_field_widget[name='description'] textarea",
            run: "edit The noise in the front axle is back two days after the repair.",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "The complaint got its number",
            trigger: `.o_form_saved .oe_title h1 .o_field_widget[name='name']:not(:contains(${texts.new}))`,
        },
        {
            content: "The clock runs on the complaint",
            trigger: `.o_form_saved .o_complaint_clock:contains(${texts.left})`,
        },
        {
            content: "The first step waits for the advisor: send to the manager is offered",
            trigger: "button[name='action_send_to_manager']",
        },
    ];
}

registry.category("web_tour.tours").add("complaint_service_register_from_repair", {
    steps: registerFromRepairSteps({ new: "New", left: "left" }),
});

registry.category("web_tour.tours").add("complaint_service_register_from_repair_zh", {
    steps: registerFromRepairSteps({ new: "新建", left: "剩余" }),
});

/** The manager's walk: overdue in the kanban, the list and the Overview. */
function managerOverdueSteps(texts) {
    return () => [
        {
            content: "The kanban shows the overdue badge on the complaint's card",
            trigger: `.o_kanban_record:contains(Tour Overdue Customer) .o_complaint_clock.text-bg-danger:contains(${texts.overdue})`,
        },
        {
            content: "Switch to the list",
            trigger: "button.o_switch_view.o_list",
            run: "click",
        },
        {
            content: "The overdue complaint's row is red",
            trigger: ".o_data_row.text-danger:contains(Tour Overdue Customer)",
        },
        {
            content: "The complaint due within the hour is orange",
            trigger: ".o_data_row.text-warning:contains(Tour Due Soon Customer)",
        },
        {
            content: "Most urgent first; the time badges and times received are not cut off",
            trigger: ".o_data_row:contains(Tour Due Soon Customer) .o_complaint_clock",
            run() {
                const rows = [...document.querySelectorAll(".o_data_row")].map((row) =>
                    row.innerText.includes("Tour Overdue Customer")
                        ? "overdue"
                        : row.innerText.includes("Tour Due Soon Customer")
                          ? "soon"
                          : "other"
                );
                if (rows.indexOf("overdue") > rows.indexOf("soon")) {
                    throw new Error(`The overdue complaint comes after one due later: ${rows}`);
                }
                for (const cell of document.querySelectorAll(".o_data_row td[name='date_received']")) {
                    if (cell.scrollWidth > cell.clientWidth) {
                        throw new Error(`The time received "${cell.innerText}" is cut off`);
                    }
                }
                for (const badge of document.querySelectorAll(".o_data_row .o_complaint_clock")) {
                    const cell = badge.closest("td");
                    if (badge.getBoundingClientRect().right > cell.getBoundingClientRect().right) {
                        throw new Error(`The badge "${badge.innerText}" is cut off`);
                    }
                }
            },
        },
        {
            content: "Open the Overview",
            trigger: `.o_main_navbar a:contains(${texts.overview})`,
            run: "click",
        },
        {
            content: "The department shows its overdue count",
            trigger: ".o_kanban_record:contains(Tour Department) a[name='action_view_overdue']:contains(1)",
            run: "click",
        },
        {
            content: "The overdue list of the department opens",
            trigger: ".o_data_row:contains(Tour Overdue Customer)",
        },
    ];
}

registry.category("web_tour.tours").add("complaint_service_manager_overdue", {
    steps: managerOverdueSteps({ overdue: "overdue", overview: "Overview" }),
});

registry.category("web_tour.tours").add("complaint_service_manager_overdue_zh", {
    steps: managerOverdueSteps({ overdue: "超时", overview: "概览" }),
});

registry.category("web_tour.tours").add("complaint_service_register_from_customer", {
    steps: () => [
        {
            content: "Register a complaint from the customer's form",
            trigger: ".o-form-buttonbox button[name='action_register_complaint']",
            run: "click",
        },
        {
            content: "The customer is filled in",
            trigger: ".o_field_widget[name='partner_id'] input:value(Tour Customer Lu)",
        },
        {
            content: "Their only vehicle is filled in",
            trigger: ".o_field_widget[name='lot_id'] input:value(LTOUR000000000042)",
        },
        {
            content: "And the advisor's department",
            trigger: ".o_field_widget[name='team_id'] input:value(Tour Service Desk)",
        },
        {
            content: "Write down the customer's words",
            trigger: ".o_field_widget[name='description'] textarea",
            run: "edit The wipers squeak.",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "The complaint got its number",
            trigger: ".o_form_saved .oe_title h1 .o_field_widget[name='name']:not(:contains(New))",
        },
    ],
});
