import { Component } from "@odoo/owl";
import { formatDateTime } from "@web/core/l10n/dates";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { standardFieldProps } from "@web/views/fields/standard_field_props";

const { DateTime } = luxon;

/** "1 h 20 min" for a number of minutes (same rule as clock_rules.format_minutes). */
export function formatMinutes(minutes) {
    const total = Math.round(Math.abs(minutes));
    const days = Math.floor(total / 1440);
    const hours = Math.floor((total % 1440) / 60);
    const mins = total % 60;
    if (days) {
        return hours ? _t("%(days)s d %(hours)s h", { days, hours }) : _t("%(days)s d", { days });
    }
    if (hours) {
        return mins ? _t("%(hours)s h %(mins)s min", { hours, mins }) : _t("%(hours)s h", { hours });
    }
    return _t("%(mins)s min", { mins });
}

/**
 * Badge for the deadline of a complaint's running step: time left, or time
 * overdue; "Paused" while the clock stands still.
 */
export class ComplaintClockField extends Component {
    static template = "complaint_service.ComplaintClockField";
    static props = { ...standardFieldProps };

    get deadline() {
        return this.props.record.data[this.props.name];
    }

    get paused() {
        return Boolean(this.props.record.data.is_paused);
    }

    get minutesLeft() {
        return this.deadline ? this.deadline.diff(DateTime.now(), "minutes").minutes : null;
    }

    get label() {
        if (this.paused) {
            return _t("Paused");
        }
        const left = this.minutesLeft;
        if (left === null) {
            return "";
        }
        return left < 0
            ? _t("%(time)s overdue", { time: formatMinutes(left) })
            : _t("%(time)s left", { time: formatMinutes(left) });
    }

    get badgeClass() {
        if (this.paused) {
            return "text-bg-secondary";
        }
        const left = this.minutesLeft;
        if (left < 0) {
            return "text-bg-danger";
        }
        // "Due soon" is the server's rule (clock_rules.DUE_SOON_MINUTES).
        return this.props.record.data.is_due_soon ? "text-bg-warning" : "text-bg-success";
    }

    get title() {
        return this.deadline ? formatDateTime(this.deadline) : "";
    }
}

export const complaintClockField = {
    component: ComplaintClockField,
    displayName: _t("Complaint clock"),
    supportedTypes: ["datetime"],
    // "1 h 36 min overdue" and "已超时 1 小时 36 分钟" in full.
    listViewWidth: [170, 220],
    fieldDependencies: [
        { name: "is_paused", type: "boolean" },
        { name: "is_due_soon", type: "boolean" },
    ],
};

registry.category("fields").add("complaint_clock", complaintClockField);

/** The same badge for a call's due time (a call has no pause). */
export const complaintDueField = {
    ...complaintClockField,
    displayName: _t("Call due"),
    fieldDependencies: [{ name: "is_due_soon", type: "boolean" }],
};

registry.category("fields").add("complaint_due", complaintDueField);
