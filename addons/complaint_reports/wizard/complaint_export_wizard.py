import base64
import os
import tempfile
from datetime import date, datetime, time

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
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "register.xlsx")
            # constant_memory: rows are streamed to disk, memory stays flat.
            workbook = xlsxwriter.Workbook(path, {"constant_memory": True})
            self._write_register(workbook, Complaint, ids)
            workbook.close()
            with open(path, "rb") as handle:
                data = handle.read()
        filename = self.env._(
            "Complaint register %(start)s - %(end)s.xlsx",
            start=self.date_from,
            end=self.date_to,
        )
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
                    if field.type == "datetime":
                        if value:
                            sheet.write_datetime(
                                row,
                                col,
                                fields.Datetime.context_timestamp(complaint, value).replace(
                                    tzinfo=None
                                ),
                                date_format,
                            )
                    elif field.type == "selection":
                        sheet.write(row, col, selections[field.name].get(value, ""))
                    elif field.type == "many2one":
                        sheet.write(row, col, value.display_name or "")
                    elif field.type == "many2many":
                        sheet.write(row, col, ", ".join(value.mapped("display_name")))
                    elif field.type == "boolean":
                        sheet.write(row, col, self.env._("Yes") if value else "")
                    elif field.type == "monetary":
                        sheet.write_number(row, col, value or 0.0, money)
                    elif field.type in ("integer", "float"):
                        sheet.write_number(row, col, value or 0)
                    else:
                        sheet.write(row, col, value or "")
                row += 1
            self.env.invalidate_all()
        sheet.autofilter(0, 0, max(row - 1, 1), len(fields_) - 1)
