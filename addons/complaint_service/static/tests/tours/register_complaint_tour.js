import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("complaint_service_register_from_repair", {
    steps: () => [
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
            trigger: ".o_form_saved .oe_title h1 .o_field_widget[name='name']:not(:contains(New))",
        },
        {
            content: "The clock runs on the complaint",
            trigger: ".o_form_saved .o_complaint_clock:contains(left)",
        },
        {
            content: "The first step waits for the advisor: send to the manager is offered",
            trigger: "button[name='action_send_to_manager']",
        },
    ],
});
