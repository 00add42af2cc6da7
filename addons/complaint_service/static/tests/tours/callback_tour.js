import { registry } from "@web/core/registry";

/** The agent's walk, in English or Chinese: only the addon's words differ. */
function callbackSteps(texts) {
    return () => [
        {
            content: "Open the apps menu",
            trigger: ".o_navbar_apps_menu button",
            run: "click",
        },
        {
            content: "Open the Complaints app",
            trigger: ".o_app[data-menu-xmlid='complaint_service.complaint_menu_root']",
            run: "click",
        },
        {
            content: "A callback agent lands on the queue of calls to make",
            trigger: `.o_breadcrumb:contains(${texts.queue})`,
        },
        {
            content: "The overdue callback is highlighted in the queue",
            trigger: ".o_data_row.text-danger:contains(Tour Callback Customer)",
        },
        {
            content: "The phone number can be clicked",
            trigger: ".o_data_row:contains(Tour Callback Customer) .o_field_phone a[href^='tel:']",
        },
        {
            content: "Log the call from the queue",
            trigger: ".o_data_row:contains(Tour Callback Customer) button[name='action_open_log']",
            run: "click",
        },
        {
            content: "The customer is dissatisfied",
            trigger: ".modal .o_field_widget[name='outcome'] input[data-value='dissatisfied']",
            run: "click",
        },
        {
            content: "Score 1",
            trigger: ".modal .o_field_widget[name='score'] input[data-value='1']",
            run: "click",
        },
        {
            content: "What the customer said",
            trigger: ".modal .o_field_widget[name='notes'] textarea",
            run: "edit The noise is still there.",
        },
        {
            content: "Log",
            trigger: ".modal button[name='action_log']",
            run: "click",
        },
        {
            content: "The call log says what the call did",
            trigger: `.o_notification:contains(${texts.reopened})`,
        },
        {
            content: "The callback left the queue of calls to make",
            trigger: "body:not(:has(.modal)) .o_list_view:not(:has(.o_data_row:contains(Tour Callback Customer)))",
        },
    ];
}

registry.category("web_tour.tours").add("complaint_service_callback_dissatisfied", {
    steps: callbackSteps({
        queue: "Callbacks",
        reopened: "reopened: round 2 starts from dispatch",
    }),
});

registry.category("web_tour.tours").add("complaint_service_callback_dissatisfied_zh", {
    steps: callbackSteps({ queue: "回访", reopened: "已重新开启：第 2 轮从派工开始" }),
});
