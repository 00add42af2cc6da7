import { registry } from "@web/core/registry";

/** Whether ``el`` is whole: inside the window and not cut by its own box. */
function assertWhole(el, what) {
    const box = el.getBoundingClientRect();
    if (box.left < 0 || box.right > window.innerWidth) {
        throw new Error(`${what} "${el.innerText}" is off-screen (${box.left}–${box.right})`);
    }
    if (el.scrollWidth > el.clientWidth + 1) {
        throw new Error(`${what} "${el.innerText}" is cut off`);
    }
}

function assertNoSidewaysScroll() {
    const table = document.querySelector(".o_list_renderer");
    if (table.scrollWidth > table.clientWidth + 1) {
        throw new Error(`The list scrolls sideways (${table.scrollWidth} > ${table.clientWidth})`);
    }
}

registry.category("web_tour.tours").add("complaint_service_tablet_list", {
    steps: () => [
        {
            content: "The advisor's list on a tablet: number, customer, step, time left",
            trigger: ".o_data_row:contains(Tablet Customer) .o_complaint_clock",
            run() {
                assertNoSidewaysScroll();
                for (const row of document.querySelectorAll(".o_data_row")) {
                    for (const name of ["name", "partner_id", "current_step", "current_deadline"]) {
                        const cell = row.querySelector(`td[name='${name}']`);
                        if (!cell) {
                            throw new Error(`No ${name} column`);
                        }
                        assertWhole(cell, name);
                    }
                    const badge = row.querySelector(".o_complaint_clock");
                    if (badge) {
                        const b = badge.getBoundingClientRect();
                        const c = badge.closest("td").getBoundingClientRect();
                        if (b.right > c.right) {
                            throw new Error(`The badge "${badge.innerText}" is cut off`);
                        }
                    }
                }
            },
        },
    ],
});

registry.category("web_tour.tours").add("complaint_service_tablet_callbacks", {
    steps: () => [
        {
            content: "The callbacks queue on a tablet: customer, phone in full, Log Call",
            trigger: ".o_data_row:contains(Tablet Callback Customer) a[href^='tel:']",
            run() {
                assertNoSidewaysScroll();
                const row = [...document.querySelectorAll(".o_data_row")].find((r) =>
                    r.innerText.includes("Tablet Callback Customer")
                );
                assertWhole(row.querySelector("td[name='phone']"), "phone");
                // A long name may end in an ellipsis; it stays on screen.
                const customer = row.querySelector("td[name='partner_id']").getBoundingClientRect();
                if (customer.right > window.innerWidth) {
                    throw new Error("The customer is off-screen");
                }
                const button = row.querySelector("button[name='action_open_log']");
                if (button.getBoundingClientRect().right > window.innerWidth) {
                    throw new Error("Log Call is off-screen");
                }
            },
        },
    ],
});
