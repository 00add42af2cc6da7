from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ComplaintPause(models.Model):
    """A period during which a complaint's clock stood still."""

    _name = "complaint.pause"
    _description = "Complaint Clock Pause"
    _order = "date_start desc, id desc"

    complaint_id = fields.Many2one(
        "complaint.complaint", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="complaint_id.company_id", store=True)
    reason_type = fields.Selection(
        [
            ("customer", "Waiting for the customer"),
            ("parts", "Waiting for parts"),
            ("third_party", "Waiting for the manufacturer / a third party"),
            ("other", "Other"),
        ],
        string="Waiting for",
        required=True,
        default="customer",
    )
    reason = fields.Char(required=True, help="Why the clock is paused.")
    date_start = fields.Datetime("Paused at", required=True, default=fields.Datetime.now)
    date_end = fields.Datetime("Resumed at")
    user_id = fields.Many2one("res.users", "Paused by", default=lambda self: self.env.user)
    step_id = fields.Many2one("complaint.step", "Step paused", readonly=True)

    @api.constrains("reason")
    def _check_reason(self):
        for pause in self:
            if not (pause.reason or "").strip():
                raise ValidationError(self.env._("A pause needs a reason."))

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for pause in self:
            if pause.date_end and pause.date_end < pause.date_start:
                raise ValidationError(self.env._("A pause cannot end before it starts."))
