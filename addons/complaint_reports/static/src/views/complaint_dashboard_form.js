import { registry } from "@web/core/registry";
import { formView } from "@web/views/form/form_view";
import { FormController } from "@web/views/form/form_controller";

/**
 * The Manager Dashboard opens as a new record whose figures the form computes
 * when it loads: it is read, never edited.  A form saves its new record when
 * the page is left (reloaded, closed) or hidden (another tab, the phone
 * locked); the dashboard's is not stored.
 */
export class ComplaintDashboardFormController extends FormController {
    beforeVisibilityChange() {}

    async beforeUnload() {}
}

registry.category("views").add("complaint_dashboard_form", {
    ...formView,
    Controller: ComplaintDashboardFormController,
});
