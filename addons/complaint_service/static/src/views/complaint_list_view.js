import { browser } from "@web/core/browser/browser";
import { registry } from "@web/core/registry";
import { SIZES, utils as uiUtils } from "@web/core/ui/ui_service";
import { ListRenderer } from "@web/views/list/list_renderer";
import { listView } from "@web/views/list/list_view";

/**
 * The desk's lists on a tablet (narrower than 992 px): until the user picks
 * columns, only the essentials are shown, so that what each role needs first
 * (number, customer, step and time left; customer, phone and Log Call) fits
 * without scrolling sideways.  Optional columns stay in the column picker.
 */
export class ComplaintListRenderer extends ListRenderer {
    computeOptionalActiveFields() {
        const active = super.computeOptionalActiveFields();
        const chosen = browser.localStorage.getItem(this.keyOptionalFields) !== null;
        if (!chosen && uiUtils.getSize() < SIZES.LG) {
            for (const name in active) {
                active[name] = false;
            }
        }
        return active;
    }
}

export const complaintListView = {
    ...listView,
    Renderer: ComplaintListRenderer,
};

registry.category("views").add("complaint_list", complaintListView);
