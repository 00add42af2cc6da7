import { registry } from "@web/core/registry";

/**
 * The callback agent's queue on a phone: cards, the number to tap, why the
 * call is due, Log Call on the card.  ``texts``: the addon's words it checks.
 */
function phoneCallbackSteps(texts) {
    return () => [
        {
            content: "On a phone the queue opens as cards",
            trigger: ".o_kanban_view .o_kanban_record:contains(Tour Phone Customer)",
        },
        {
            content: "The phone number is a tap-to-call link, in full",
            trigger:
                ".o_kanban_record:contains(Tour Phone Customer) a[href^='tel:']:contains(+86 139 0000 7777)",
        },
        {
            content: "Why the call is due, and how late",
            trigger:
                `.o_kanban_record:contains(Tour Phone Customer):contains(${texts.kind}) .o_complaint_clock.text-bg-danger:contains(${texts.overdue})`,
        },
        {
            content: "Log the call from the card",
            trigger: ".o_kanban_record:contains(Tour Phone Customer) button[name='action_open_log']",
            run: "click",
        },
        {
            content: "The customer is satisfied",
            trigger: ".modal .o_field_widget[name='outcome'] input[data-value='satisfied']",
            run: "click",
        },
        {
            content: "Score 5",
            trigger: ".modal .o_field_widget[name='score'] input[data-value='5']",
            run: "click",
        },
        {
            content: "Log",
            trigger: ".modal button[name='action_log']",
            run: "click",
        },
        {
            content: "The call is off the queue",
            trigger:
                "body:not(:has(.modal)) .o_kanban_view:not(:has(.o_kanban_record:contains(Tour Phone Customer)))",
        },
    ];
}

registry.category("web_tour.tours").add("complaint_service_phone_callback", {
    steps: phoneCallbackSteps({ kind: "Confirmation of a solution", overdue: "overdue" }),
});

registry.category("web_tour.tours").add("complaint_service_phone_callback_zh", {
    steps: phoneCallbackSteps({ kind: "解决方案回访确认", overdue: "超时" }),
});
