from odoo import fields, models

from ..models.const import SEVERITY_LEVELS


class ComplaintSeverityWizard(models.TransientModel):
    _name = "complaint.severity.wizard"
    _description = "Change a Complaint's Severity"

    complaint_id = fields.Many2one("complaint.complaint", required=True)
    current_severity = fields.Selection(
        related="complaint_id.severity", string="Current Level", compute_sudo=False
    )
    severity = fields.Selection(SEVERITY_LEVELS, string="New Level", required=True)
    reason = fields.Char(help="Required to lower the level.")

    def action_apply(self):
        self.ensure_one()
        self.complaint_id._set_severity(self.severity, self.reason)
        return {"type": "ir.actions.act_window_close"}
