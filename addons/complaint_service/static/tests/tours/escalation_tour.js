import { registry } from "@web/core/registry";

/**
 * The general manager's day: the escalations are in the activity menu, late,
 * and each says which step is late, by how much and why.  The same walk in
 * English and in Chinese; only the words the addon writes are asserted.
 */
function escalationSteps(texts) {
    return () => [
        {
            content: "Open the activity menu",
            trigger: ".o_menu_systray button:has(i[aria-label='Activities'])",
            run: "click",
        },
        {
            content: "The complaints' escalations are late: open the late ones",
            trigger:
                ".o-mail-ActivityGroup[data-model_name='complaint.complaint'] span.btn-link:first",
            run: "click",
        },
        {
            content: "Open the escalated complaint",
            trigger:
                ".o_kanban_record:contains(Tour Escalated Customer), .o_data_row:contains(Tour Escalated Customer) td[name='name']",
            run: "click",
        },
        {
            content: "The escalation names the late step",
            trigger: `.o-mail-Activity:contains(${texts.summary})`,
        },
        {
            content: "It says why it reached the general manager, and it is late",
            trigger: `.o-mail-Activity:has(.text-bg-danger):contains(${texts.summary}) .o-mail-Activity-note:contains(${texts.why})`,
        },
        {
            content: "Which step and how late read whole, on a phone too",
            trigger: `.o-mail-Activity:contains(${texts.summary})`,
            run() {
                const lines = [...this.anchor.querySelectorAll("*")].filter(
                    (node) => node.textContent.includes(texts.summary) && !node.children.length
                );
                if (!lines.length) {
                    throw new Error("The escalation's summary is not one line of text");
                }
                for (const node of lines) {
                    const box = node.getBoundingClientRect();
                    if (box.right > window.innerWidth || node.scrollWidth > node.clientWidth + 1) {
                        throw new Error(`The escalation is cut: "${node.textContent}"`);
                    }
                }
            },
        },
    ];
}

registry.category("web_tour.tours").add("complaint_service_gm_escalation", {
    steps: escalationSteps({
        summary: "Escalation: Dispatch",
        why: "Why: breach no. 2 of the handling clock",
    }),
});

registry.category("web_tour.tours").add("complaint_service_gm_escalation_zh", {
    steps: escalationSteps({
        summary: "升级：分派 超时",
        why: "原因：本投诉第 2 次超时",
    }),
});
