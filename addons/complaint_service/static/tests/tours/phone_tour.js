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

/** The manager's Overdue on a phone: one column of cards, most overdue first. */
function phoneOverdueSteps(texts) {
    return () => [
        {
            content: "Overdue opens as cards, not stage columns",
            trigger:
                ".o_kanban_renderer.o_kanban_ungrouped .o_kanban_record:contains(Phone Overdue Long)",
        },
        {
            content: "Most overdue first; each card's badge whole and clear of the ⋮ menu",
            trigger: `.o_kanban_record:contains(Phone Overdue Short) .o_complaint_clock:contains(${texts.overdue})`,
            run() {
                const cards = [...document.querySelectorAll(".o_kanban_record")];
                const long = cards.findIndex((c) => c.innerText.includes("Phone Overdue Long"));
                const short = cards.findIndex((c) => c.innerText.includes("Phone Overdue Short"));
                if (long > short) {
                    throw new Error("The complaint overdue longest is not shown first");
                }
                for (const card of cards) {
                    const badge = card.querySelector(".o_complaint_clock");
                    const menu = card.querySelector(".o_dropdown_kanban");
                    if (!badge) {
                        continue;
                    }
                    const b = badge.getBoundingClientRect();
                    const c = card.getBoundingClientRect();
                    if (b.left < c.left || b.right > c.right) {
                        throw new Error(`The badge "${badge.innerText}" is cut off`);
                    }
                    if (menu) {
                        const m = menu.getBoundingClientRect();
                        const overlap =
                            b.left < m.right && m.left < b.right && b.top < m.bottom && m.top < b.bottom;
                        if (overlap) {
                            throw new Error(`The ⋮ menu covers the badge "${badge.innerText}"`);
                        }
                    }
                }
            },
        },
        {
            content: "Open the most overdue complaint",
            trigger: ".o_kanban_record:contains(Phone Overdue Long)",
            run: "click",
        },
        {
            content: "Name the responsible person",
            trigger: ".o_field_widget[name='user_id'] input",
            run: `edit ${texts.responsible}`,
        },
        {
            content: "Choose them (from the suggestions, or the search dialog a phone opens)",
            trigger:
                `.o-autocomplete--dropdown-item:contains(${texts.responsible}), .modal .o_kanban_record:contains(${texts.responsible})`,
            run: "click",
        },
        {
            content: "The next step is a full-width button at the top of the sheet",
            trigger: ".o_form_sheet .o_complaint_next_action button[name='action_dispatch'].w-100",
            run: "click",
        },
        {
            content: "Dispatched: the next step is the responsible person's",
            trigger:
                ".o_form_saved:not(:has(.o_complaint_next_action button[name='action_dispatch']))",
        },
        {
            content: "Open the Clock tab",
            trigger: ".o_notebook_headers a[name='clock_steps']",
            run: "click",
        },
        {
            content: "The clock reads as a short list, without scrolling sideways",
            trigger: ".o_complaint_step_cards .o_kanban_record:contains(Phone Responsible)",
            run() {
                const cards = document.querySelector(".o_complaint_step_cards");
                if (cards.scrollWidth > cards.clientWidth + 1) {
                    throw new Error("The clock's steps scroll sideways");
                }
                for (const card of cards.querySelectorAll(".o_kanban_record")) {
                    if (card.getBoundingClientRect().right > window.innerWidth) {
                        throw new Error(`A step is off-screen: ${card.innerText}`);
                    }
                }
            },
        },
    ];
}

registry.category("web_tour.tours").add("complaint_service_phone_overdue", {
    steps: phoneOverdueSteps({ overdue: "overdue", responsible: "Phone Responsible en_US" }),
});

registry.category("web_tour.tours").add("complaint_service_phone_overdue_zh", {
    steps: phoneOverdueSteps({ overdue: "超时", responsible: "Phone Responsible zh_CN" }),
});

/**
 * The advisor in the service lane registers a complaint on a phone: the
 * customer, the vehicle found by its plate (shown with VIN, model and owner),
 * the customer's words; then sends it on with the button at the top.
 */
function phoneRegisterSteps(texts) {
    return () => [
        {
            content: "A new complaint",
            trigger: ".o_form_view .o_field_widget[name='partner_id'] input",
            run: "edit Phone Owner",
        },
        {
            content: "Choose the customer",
            trigger:
                ".o-autocomplete--dropdown-item:contains(Phone Owner Gao), .modal .o_kanban_record:contains(Phone Owner Gao)",
            run: "click",
        },
        {
            content: "Open the vehicle picker",
            trigger: ".o_field_widget[name='lot_id'] input",
            run: "click",
        },
        {
            content: "It opens on the customer's vehicles, as cards",
            trigger: ".modal .o_kanban_record:contains(LPHON000000088001)",
        },
        {
            content: "Search",
            trigger: ".modal .o_control_panel button:has(.fa-search)",
            run: "click",
        },
        {
            content: "Type the plate's digits",
            trigger: ".modal .o_searchview_input",
            run: "edit 88001",
        },
        {
            content: "Search by plate or VIN",
            trigger: ".modal .o_searchview_autocomplete .o_menu_item:first",
            run: "click",
        },
        {
            content: "The vehicle is found, with plate, VIN, model and owner",
            trigger:
                ".modal .o_kanban_record:contains(88001):contains(LPHON000000088001):contains(Phone Sedan):contains(Phone Owner Gao)",
            run: "click",
        },
        {
            content: "The plate comes from the vehicle register",
            trigger: ".o_field_widget[name='license_plate'] input:value(88001)",
        },
        {
            content: "Write down the customer's words",
            trigger: ".o_field_widget[name='description'] textarea",
            run: "edit The brakes squeal since the service.",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved: the step and the time left are at the top of the sheet",
            trigger: `.o_form_saved .o_form_sheet .o_complaint_clock:contains(${texts.left})`,
        },
        {
            content: "The next step is a full-width button in view, not in the ⚙ menu",
            trigger: ".o_form_sheet .o_complaint_next_action button[name='action_send_to_manager'].w-100",
            run() {
                const box = this.anchor.getBoundingClientRect();
                if (box.width < window.innerWidth * 0.8) {
                    throw new Error(`The button is ${box.width} px wide on a ${window.innerWidth} px screen`);
                }
                this.anchor.click();
            },
        },
        {
            content: "Sent on: the manager's step is next",
            trigger: `.o_form_saved:not(:has(.o_complaint_next_action button[name='action_send_to_manager'])) .o_field_widget[name='current_step']:contains(${texts.dispatch})`,
        },
        {
            content: "Nothing on the sheet scrolls sideways",
            trigger: ".o_form_sheet",
            run() {
                if (document.documentElement.scrollWidth > window.innerWidth + 1) {
                    throw new Error("The form scrolls sideways");
                }
            },
        },
    ];
}

registry.category("web_tour.tours").add("complaint_service_phone_register", {
    steps: phoneRegisterSteps({ left: "left", dispatch: "Dispatch" }),
});

registry.category("web_tour.tours").add("complaint_service_phone_register_zh", {
    steps: phoneRegisterSteps({ left: "剩余", dispatch: "分派" }),
});
