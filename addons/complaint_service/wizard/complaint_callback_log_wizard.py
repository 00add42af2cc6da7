from odoo import api, fields, models

from ..models.const import OUTCOMES, SCORES


class ComplaintCallbackLogWizard(models.TransientModel):
    _name = "complaint.callback.log.wizard"
    _description = "Log a Callback"

    callback_id = fields.Many2one("complaint.callback", required=True)
    # Read as the user: opened on a callback they may not read, it fails.
    kind = fields.Selection(related="callback_id.kind", compute_sudo=False)
    partner_id = fields.Many2one(related="callback_id.partner_id", compute_sudo=False)
    phone = fields.Char(related="callback_id.phone", compute_sudo=False)
    solution = fields.Text(related="callback_id.solution", compute_sudo=False)
    reached = fields.Selection(
        [("yes", "Reached"), ("no", "Not reached")], required=True, default="yes"
    )
    outcome = fields.Selection(OUTCOMES)
    score = fields.Selection(SCORES, string="Satisfaction")
    notes = fields.Text(help="What the customer said.")

    @api.model_create_multi
    def create(self, vals_list):
        wizards = super().create(vals_list)
        wizards.callback_id.check_access("write")
        return wizards

    def action_log(self):
        self.ensure_one()
        self.callback_id._log_attempt(
            self.reached == "yes",
            outcome=self.outcome if self.reached == "yes" else False,
            score=self.score if self.reached == "yes" else False,
            notes=self.notes,
        )
        return {"type": "ir.actions.act_window_close"}
