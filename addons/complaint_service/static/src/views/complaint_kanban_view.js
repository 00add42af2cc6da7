import { registry } from "@web/core/registry";
import { utils as uiUtils } from "@web/core/ui/ui_service";
import { kanbanView } from "@web/views/kanban/kanban_view";
import { ComplaintKanbanModel } from "./complaint_kanban_model";

/**
 * The complaints' kanban: by stage on a wide screen; on a phone, one column of
 * cards, most urgent first (the running step's deadline), so that nobody
 * swipes past empty stage columns to find the most overdue complaint.
 * The columns come with their first cards in one request (ComplaintKanbanModel).
 */
export const complaintKanbanView = {
    ...kanbanView,
    Model: ComplaintKanbanModel,
    props(genericProps, view) {
        const props = kanbanView.props(genericProps, view);
        if (uiUtils.isSmall()) {
            props.defaultGroupBy = false;
            props.archInfo = {
                ...props.archInfo,
                defaultOrder: [
                    { name: "current_deadline", asc: true },
                    { name: "date_received", asc: false },
                ],
            };
        }
        return props;
    },
};

registry.category("views").add("complaint_kanban", complaintKanbanView);
