from odoo import api, fields, models
from odoo.tools import format_datetime

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
        """Log the call, then say what it did: the complaint closed, reopened
        for a new round, followed up, registered; or when the next attempt
        is due."""
        self.ensure_one()
        callback = self.callback_id
        complaint = callback.complaint_id
        before = (complaint.state, complaint.round)
        callback._log_attempt(
            self.reached == "yes",
            outcome=self.outcome if self.reached == "yes" else False,
            score=self.score if self.reached == "yes" else False,
            notes=self.notes,
        )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "message": self._outcome_message(callback, complaint, before),
                "type": "success" if callback.state == "done" else "warning",
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def _outcome_message(self, callback, complaint, before):
        if callback.state in ("to_call", "unreachable"):
            return self._not_reached_message(callback)
        if not complaint and callback.complaint_id:
            return self.env._(
                "Complaint %(complaint)s registered from this call.",
                complaint=callback.complaint_id.name,
            )
        if complaint and (complaint.state, complaint.round) != before:
            return self._complaint_moved_message(complaint, before)
        return self.env._("%(name)s logged.", name=callback.name)

    def _not_reached_message(self, callback):
        if callback.state == "to_call":
            return self.env._(
                "%(name)s: not reached; next attempt at %(time)s.",
                name=callback.name,
                time=format_datetime(self.env, callback.date_due, dt_format="short"),
            )
        return self.env._(
            "%(name)s: not reached after %(count)s attempts; marked unreachable and "
            "the department manager is told.",
            name=callback.name,
            count=callback.attempt_count,
        )

    def _complaint_moved_message(self, complaint, before):
        if complaint.state == "closed":
            return self.env._(
                "%(complaint)s closed: the customer is satisfied.", complaint=complaint.name
            )
        if complaint.state == "follow_up":
            return self.env._(
                "%(complaint)s: followed up until the workshop visit is done.",
                complaint=complaint.name,
            )
        if complaint.round != before[1]:
            return self.env._(
                "%(complaint)s reopened: round %(round)s starts from dispatch.",
                complaint=complaint.name,
                round=complaint.round,
            )
        states = dict(complaint._fields["state"]._description_selection(self.env))
        return self.env._(
            "%(complaint)s is now “%(state)s”.",
            complaint=complaint.name,
            state=states[complaint.state],
        )
