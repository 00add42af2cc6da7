import { registry } from "@web/core/registry";

/** The customer answers from the link, in a browser, without a session. */
registry.category("web_tour.tours").add("complaint_service_self_service_confirmation", {
    steps: () => [
        {
            content: "The page shows the solution as agreed",
            trigger: ".o_complaint_confirmation_solution:contains(window clip)",
        },
        {
            content: "Satisfied",
            trigger: "label[for='outcome_satisfied']",
            run: "click",
        },
        {
            content: "Score 5",
            trigger: "label[for='score_5']",
            run: "click",
        },
        {
            content: "A word of thanks",
            trigger: "textarea[name='comment']",
            run: "edit Quick and friendly.",
        },
        {
            content: "Send",
            trigger: ".o_complaint_confirmation_form button[type='submit']",
            run: "click",
        },
        {
            content: "Thanked",
            trigger: ".o_complaint_confirmation_thanks",
        },
    ],
});
