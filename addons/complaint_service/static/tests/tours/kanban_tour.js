import { registry } from "@web/core/registry";

/** The number of cards in the column that shows ``customer``'s complaint. */
function cardsBeside(customer) {
    const card = [...document.querySelectorAll(".o_kanban_record")].find((el) =>
        el.textContent.includes(customer)
    );
    return card ? card.closest(".o_kanban_group").querySelectorAll(".o_kanban_record").length : 0;
}

function expectCards(customer, expected) {
    return () => {
        const found = cardsBeside(customer);
        if (found !== expected) {
            throw new Error(`${expected} cards expected beside ${customer}, ${found} shown`);
        }
    };
}

registry.category("web_tour.tours").add("complaint_service_kanban_columns", {
    steps: () => [
        {
            content: "The newest complaint's card is in its column",
            trigger: ".o_kanban_group .o_kanban_record:contains(Kanban Customer 45)",
            run: expectCards("Kanban Customer 45", 40),
        },
        {
            content: "The sent-on complaints are in their own column",
            trigger: ".o_kanban_group .o_kanban_record:contains(Kanban Sent 2)",
            run: expectCards("Kanban Sent 2", 2),
        },
        {
            content: "Load the rest of the first column",
            trigger:
                ".o_kanban_group:has(.o_kanban_record:contains(Kanban Customer 45)) .o_kanban_load_more button",
            run: "click",
        },
        {
            content: "The oldest complaint's card is loaded too",
            trigger: ".o_kanban_group .o_kanban_record:contains(Kanban Customer 01)",
            run: expectCards("Kanban Customer 01", 45),
        },
    ],
});
