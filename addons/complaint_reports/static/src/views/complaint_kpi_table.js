import { Component, markup, onWillUpdateProps, status, useState } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { standardWidgetProps } from "@web/views/widgets/standard_widget_props";

function companyOf(record) {
    const company = record.data.company_id;
    return (Array.isArray(company) ? company[0] : company && company.id) || false;
}

/**
 * The Manager Dashboard's KPI table of the month against the targets. It reads
 * the month's complaints, so it is asked for in a request of its own once the
 * form has its figures (complaint.dashboard's kpi_table), and again when the
 * company changes.
 */
export class ComplaintKpiTable extends Component {
    static template = "complaint_reports.ComplaintKpiTable";
    static props = { ...standardWidgetProps };

    setup() {
        this.orm = useService("orm");
        this.state = useState({ html: null });
        this.load(companyOf(this.props.record));
        onWillUpdateProps((next) => {
            const company = companyOf(next.record);
            if (company !== companyOf(this.props.record)) {
                this.load(company);
            }
        });
    }

    async load(company) {
        const html = await this.orm.call("complaint.dashboard", "kpi_table", [], {
            company_id: company,
        });
        if (status(this) !== "destroyed") {
            this.state.html = markup(html);
        }
    }
}

registry.category("view_widgets").add("complaint_kpi_table", { component: ComplaintKpiTable });
