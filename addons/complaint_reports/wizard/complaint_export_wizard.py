import base64
import os
import tempfile
from datetime import date, datetime, time

import pytz
from dateutil.relativedelta import relativedelta
from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import xlsxwriter

# Complaint register columns: every field of the record that a reader needs.
REGISTER_FIELDS = [
    "name",
    "date_received",
    "date_registered",
    "channel",
    "partner_id",
    "partner_phone",
    "vin",
    "license_plate",
    "vehicle_model_id",
    "odometer",
    "repair_ids",
    "team_id",
    "manager_id",
    "user_id",
    "first_responder_id",
    "callback_user_id",
    "description",
    "customer_request",
    "cause",
    "verdict",
    "validity",
    "fault_type",
    "severity",
    "severity_reason",
    "is_major",
    "state",
    "current_step",
    "current_deadline",
    "round",
    "is_repeat",
    "breach_count",
    "joint_liability",
    "cause_analysis",
    "solution",
    "compensation_type",
    "compensation_amount",
    "approval_state",
    "approved_by_id",
    "date_customer_contacted",
    "customer_opinion",
    "date_closed",
    "company_id",
]
BATCH = 2000


class ComplaintExportWizard(models.TransientModel):
    _name = "complaint.export.wizard"
    _description = "Export Complaints to Excel"

    date_from = fields.Date("From", required=True, default=lambda self: date.today().replace(day=1))
    date_to = fields.Date(
        "To",
        required=True,
        default=lambda self: date.today().replace(day=1) + relativedelta(months=1, days=-1),
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    team_ids = fields.Many2many(
        "complaint.team", string="Departments", help="Leave empty for every department."
    )
    file = fields.Binary(readonly=True, attachment=False)
    filename = fields.Char(readonly=True)

    def _domain(self):
        self.ensure_one()
        if self.date_to < self.date_from:
            raise UserError(self.env._("To: the period ends before it starts."))
        domain = [
            ("company_id", "=", self.company_id.id),
            ("date_received", ">=", datetime.combine(self.date_from, time.min)),
            (
                "date_received",
                "<",
                datetime.combine(self.date_to + relativedelta(days=1), time.min),
            ),
        ]
        if self.team_ids:
            domain.append(("team_id", "in", self.team_ids.ids))
        return domain

    def action_export_register(self):
        """The complaint register: one row per complaint with every field."""
        self.ensure_one()
        Complaint = self.env["complaint.complaint"]
        ids = Complaint.search(self._domain(), order="date_received, id").ids
        return self._export(
            self.env._(
                "Complaint register %(start)s - %(end)s.xlsx",
                start=self.date_from,
                end=self.date_to,
            ),
            lambda workbook: self._write_register(workbook, Complaint, ids),
        )

    def action_export_statistics(self):
        """The monthly statistics workbook: KPIs against targets, tables by
        channel, department, cause and verdict, and a chart."""
        self.ensure_one()
        self._domain()
        return self._export(
            self.env._(
                "Complaint statistics %(start)s - %(end)s.xlsx",
                start=self.date_from,
                end=self.date_to,
            ),
            self._write_statistics,
        )

    def action_export_breaches(self):
        """Every breached clock step of the period, with who was responsible."""
        self.ensure_one()
        complaints = self.env["complaint.complaint"].search(self._domain())
        steps = self.env["complaint.step"].search(
            [("complaint_id", "in", complaints.ids), ("is_late", "=", True)],
            order="breach_date, id",
        )
        return self._export(
            self.env._(
                "Breached steps %(start)s - %(end)s.xlsx",
                start=self.date_from,
                end=self.date_to,
            ),
            lambda workbook: self._write_breaches(workbook, steps),
        )

    def _export(self, filename, write):
        """Write the workbook to a temporary file (constant_memory: rows are
        streamed to disk, memory stays flat) and offer it for download."""
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "export.xlsx")
            workbook = xlsxwriter.Workbook(path, {"constant_memory": True})
            write(workbook)
            workbook.close()
            with open(path, "rb") as handle:
                data = handle.read()
        self.write({"file": base64.b64encode(data), "filename": filename})
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/?model={self._name}&id={self.id}&field=file"
            f"&filename_field=filename&download=true",
            "target": "self",
        }

    def _write_register(self, workbook, Complaint, ids):
        sheet = workbook.add_worksheet(self.env._("Complaints"))
        header = workbook.add_format(
            {"bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True, "valign": "top"}
        )
        date_format = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"})
        money = workbook.add_format({"num_format": "#,##0.00"})
        fields_ = [Complaint._fields[name] for name in REGISTER_FIELDS]
        tz = pytz.timezone(self.env.context.get("tz") or self.env.user.tz or "UTC")
        yes = self.env._("Yes")
        labels = [f.get_description(self.env)["string"] for f in fields_]
        selections = {
            f.name: dict(f._description_selection(self.env))
            for f in fields_
            if f.type == "selection"
        }
        for col, (field, label) in enumerate(zip(fields_, labels, strict=True)):
            sheet.write(0, col, label, header)
            width = 20 if field.type in ("datetime", "many2one", "many2many") else 14
            if field.type == "text":
                width = 40
            sheet.set_column(col, col, width)
        sheet.freeze_panes(1, 0)
        row = 1
        # Batches keep the ORM cache small however many complaints there are.
        for start in range(0, len(ids), BATCH):
            batch = Complaint.browse(ids[start : start + BATCH])
            batch.fetch([f for f in REGISTER_FIELDS if Complaint._fields[f].store])
            for complaint in batch:
                for col, field in enumerate(fields_):
                    value = complaint[field.name]
                    kind = field.type
                    # Typed writes, and nothing for empty cells: xlsxwriter's generic
                    # write() parses every string, which dominates a large export.
                    if kind in ("integer", "float"):
                        sheet.write_number(row, col, value or 0)
                        continue
                    if kind == "monetary":
                        sheet.write_number(row, col, value or 0.0, money)
                        continue
                    if not value:
                        continue
                    if kind == "datetime":
                        local = pytz.utc.localize(value).astimezone(tz).replace(tzinfo=None)
                        sheet.write_datetime(row, col, local, date_format)
                    elif kind == "selection":
                        sheet.write_string(row, col, selections[field.name].get(value, value))
                    elif kind == "many2one":
                        sheet.write_string(row, col, value.display_name or "")
                    elif kind == "many2many":
                        sheet.write_string(row, col, ", ".join(value.mapped("display_name")))
                    elif kind == "boolean":
                        sheet.write_string(row, col, yes)
                    else:
                        sheet.write_string(row, col, value)
                row += 1
            self.env.invalidate_all()
        sheet.autofilter(0, 0, max(row - 1, 1), len(fields_) - 1)

    def _formats(self, workbook):
        return {
            "header": workbook.add_format(
                {
                    "bold": True,
                    "bg_color": "#D9E1F2",
                    "border": 1,
                    "text_wrap": True,
                    "valign": "top",
                }
            ),
            "date": workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"}),
            "pct": workbook.add_format({"num_format": "0.0"}),
            "title": workbook.add_format({"bold": True, "font_size": 14}),
        }

    def _write_table(self, sheet, formats, headers, rows, widths=None):
        for col, label in enumerate(headers):
            sheet.write(0, col, label, formats["header"])
            sheet.set_column(col, col, (widths or {}).get(col, 16))
        sheet.freeze_panes(1, 0)
        for row_index, row in enumerate(rows, start=1):
            for col, value in enumerate(row):
                if isinstance(value, datetime):
                    sheet.write_datetime(row_index, col, value, formats["date"])
                elif isinstance(value, float):
                    sheet.write_number(row_index, col, value, formats["pct"])
                elif value is None or value is False:
                    sheet.write_blank(row_index, col, None)
                else:
                    sheet.write(row_index, col, value)
        sheet.autofilter(0, 0, max(len(rows), 1), len(headers) - 1)
        return len(rows)

    def _write_statistics(self, workbook):
        formats = self._formats(workbook)
        Report = self.env["complaint.report"]
        start = datetime.combine(self.date_from, time.min)
        end = datetime.combine(self.date_to + relativedelta(days=1), time.min)
        summary = Report._kpi_summary(start, end, self.company_id)
        labels = {
            "response_on_time": self.env._("Response on time (%)"),
            "closure": self.env._("Closure rate (%)"),
            "one_week_closure": self.env._("Closed within a week (%)"),
            "complaint_rate": self.env._("Complaint rate (% of workshop visits)"),
        }
        sheet = workbook.add_worksheet(self.env._("KPIs"))
        rows = [
            (
                label,
                summary["kpis"][key],
                summary["targets"][key],
                {True: self.env._("Met"), False: self.env._("Missed"), None: ""}[
                    summary["meets"][key]
                ],
            )
            for key, label in labels.items()
        ]
        rows += [
            (self.env._("Complaints"), summary["kpis"]["complaints"], None, ""),
            (self.env._("Workshop visits"), summary["kpis"]["visits"], None, ""),
            (self.env._("Repeat complaints (%)"), summary["kpis"]["repeat"], None, ""),
            (self.env._("Average satisfaction (1-5)"), summary["kpis"]["satisfaction"], None, ""),
            (
                self.env._("Average hours to solution"),
                summary["kpis"]["hours_to_solution"],
                None,
                "",
            ),
            (self.env._("Compensation"), summary["kpis"]["compensation"], None, ""),
            (self.env._("Breaches"), summary["kpis"]["breaches"], None, ""),
        ]
        rows = [
            tuple(
                float(v)
                if isinstance(v, int | float) and not isinstance(v, bool) and i in (1, 2)
                else v
                for i, v in enumerate(row)
            )
            for row in rows
        ]
        self._write_table(
            sheet,
            formats,
            [self.env._("KPI"), self.env._("Value"), self.env._("Target"), self.env._("Status")],
            rows,
            widths={0: 36},
        )
        domain = self._report_domain()
        measures = [
            "__count",
            "closure_rate:avg",
            "one_week_closure_rate:avg",
            "response_on_time:avg",
            "satisfaction:avg",
        ]
        headers = [
            self.env._("Complaints"),
            self.env._("Closure rate (%)"),
            self.env._("Closed within a week (%)"),
            self.env._("Response on time (%)"),
            self.env._("Average satisfaction (1-5)"),
        ]
        first_table = None
        for fname, title in (
            ("channel", self.env._("By channel")),
            ("team_id", self.env._("By department")),
            ("cause", self.env._("By cause")),
            ("verdict", self.env._("By verdict")),
        ):
            field = Report._fields[fname]
            groups = Report._read_group(domain, [fname], measures)
            names = (
                dict(field._description_selection(self.env)) if field.type == "selection" else {}
            )
            rows = []
            for key, *values in groups:
                label = names.get(key, "") if names else (key.display_name if key else "")
                rows.append(
                    (
                        label or self.env._("Not set"),
                        *[float(v) if isinstance(v, float) else v for v in values],
                    )
                )
            table = workbook.add_worksheet(title)
            self._write_table(
                table,
                formats,
                [field.get_description(self.env)["string"], *headers],
                rows,
                widths={0: 28},
            )
            if fname == "cause":
                first_table = (table, len(rows))
        if first_table and first_table[1]:
            table, count = first_table
            chart = workbook.add_chart({"type": "column"})
            chart.add_series(
                {
                    "name": self.env._("Complaints by cause"),
                    "categories": [table.name, 1, 0, count, 0],
                    "values": [table.name, 1, 1, count, 1],
                }
            )
            chart.set_title({"name": self.env._("Complaints by cause")})
            chart.set_legend({"none": True})
            sheet.insert_chart("F2", chart)

    def _report_domain(self):
        start = datetime.combine(self.date_from, time.min)
        end = datetime.combine(self.date_to + relativedelta(days=1), time.min)
        domain = [
            ("company_id", "=", self.company_id.id),
            ("date_received", ">=", start),
            ("date_received", "<", end),
        ]
        if self.team_ids:
            domain.append(("team_id", "in", self.team_ids.ids))
        return domain

    def _write_breaches(self, workbook, steps):
        formats = self._formats(workbook)
        codes = dict(steps._fields["code"]._description_selection(self.env))
        states = dict(
            self.env["complaint.complaint"]
            ._fields["liability_state"]
            ._description_selection(self.env)
        )

        def local(dt):
            return fields.Datetime.context_timestamp(self, dt).replace(tzinfo=None) if dt else None

        rows = []
        for step in steps:
            complaint = step.complaint_id
            late_by = None
            if step.date_deadline:
                end = step.date_done or step.breach_date
                late_by = round((end - step.date_deadline).total_seconds() / 3600.0, 2)
            rows.append(
                (
                    complaint.name,
                    complaint.partner_id.display_name,
                    complaint.team_id.display_name,
                    codes.get(step.code, ""),
                    step.round,
                    step.user_id.display_name or "",
                    complaint.first_responder_id.display_name or "",
                    local(step.date_deadline),
                    local(step.date_done),
                    local(step.breach_date),
                    float(late_by) if late_by is not None else None,
                    states.get(complaint.liability_state, ""),
                )
            )
        sheet = workbook.add_worksheet(self.env._("Breached steps"))
        self._write_table(
            sheet,
            formats,
            [
                self.env._("Complaint"),
                self.env._("Customer"),
                self.env._("Department"),
                self.env._("Step"),
                self.env._("Round"),
                self.env._("Responsible"),
                self.env._("First Responder"),
                self.env._("Deadline"),
                self.env._("Completed"),
                self.env._("Breach recorded"),
                self.env._("Late by (hours)"),
                self.env._("Justification"),
            ],
            rows,
            widths={1: 22, 2: 20, 5: 22, 6: 22, 7: 18, 8: 18, 9: 18},
        )
