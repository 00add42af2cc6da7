from odoo import fields, models

from ..models.const import OUTCOMES, SCORES


class ComplaintCallbackLogWizard(models.TransientModel):
    _name = "complaint.callback.log.wizard"
    _description = "Log a Callback"

    callback_id = fields.Many2one("complaint.callback", required=True)
    kind = fields.Selection(related="callback_id.kind")
    partner_id = fields.Many2one(related="callback_id.partner_id")
    phone = fields.Char(related="callback_id.phone")
    solution = fields.Text(related="callback_id.solution")
    reached = fields.Selection(
        [("yes", "Reached"), ("no", "Not reached")], required=True, default="yes"
    )
    outcome = fields.Selection(OUTCOMES)
    score = fields.Selection(SCORES, string="Satisfaction")
    notes = fields.Text(help="What the customer said.")

    def action_log(self):
        self.ensure_one()
        self.callback_id._log_attempt(
            self.reached == "yes",
            outcome=self.outcome if self.reached == "yes" else False,
            score=self.score if self.reached == "yes" else False,
            notes=self.notes,
        )
        return {"type": "ir.actions.act_window_close"}
