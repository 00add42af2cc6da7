from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ComplaintResponsibility(models.Model):
    """Who was at fault, and the penalty decided by management (managers only)."""

    _name = "complaint.responsibility"
    _description = "Complaint Responsibility Record"
    _inherit = ["complaint.notification.mixin"]
    _order = "id desc"
    _check_company_auto = True

    complaint_id = fields.Many2one(
        "complaint.complaint", required=True, ondelete="cascade", index=True, check_company=True
    )
    company_id = fields.Many2one(related="complaint_id.company_id", store=True, index=True)
    user_id = fields.Many2one(
        "res.users", string="Staff Member", index=True, tracking=True, check_company=True
    )
    team_id = fields.Many2one(
        "complaint.team", string="Department", tracking=True, check_company=True
    )
    kind = fields.Selection(
        [
            ("attitude", "Attitude"),
            ("workmanship", "Workmanship"),
            ("inspection_miss", "Inspection miss"),
            ("process", "Process"),
            ("supplier", "Supplier / OEM"),
        ],
        required=True,
        tracking=True,
    )
    penalty_type = fields.Selection(
        [
            ("none", "None"),
            ("warning", "Warning"),
            ("fine", "Fine"),
            ("training", "Training"),
            ("other", "Other"),
        ],
        string="Penalty",
        default="none",
        required=True,
        tracking=True,
    )
    penalty_amount = fields.Monetary(tracking=True, currency_field="currency_id")
    currency_id = fields.Many2one(related="company_id.currency_id")
    note = fields.Text()

    @api.constrains("complaint_id", "user_id", "team_id")
    def _check_at_fault(self):
        for record in self:
            if not (record.user_id or record.team_id):
                raise ValidationError(
                    self.env._("Responsibility: name the staff member or the department at fault.")
                )

    @api.constrains("complaint_id", "penalty_type", "penalty_amount")
    def _check_penalty(self):
        for record in self:
            if record.penalty_amount < 0:
                raise ValidationError(self.env._("Penalty amount cannot be negative."))
            if record.penalty_type == "fine" and not record.penalty_amount:
                raise ValidationError(self.env._("Penalty amount: a fine needs an amount."))

    @api.depends("complaint_id", "user_id", "team_id", "kind")
    def _compute_display_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for record in self:
            who = record.user_id.name or record.team_id.name or ""
            record.display_name = (
                f"{record.complaint_id.name} · {who} · {kinds.get(record.kind, '')}"
            )
