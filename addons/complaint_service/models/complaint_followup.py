from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from .const import GROUP_CALLBACK


class ComplaintComplaint(models.Model):
    """After the solution: the confirmation callbacks, a follow-up repair when
    the vehicle must come back, and the customer's satisfaction."""

    _inherit = "complaint.complaint"

    followup_repair_id = fields.Many2one(
        "repair.order",
        string="Follow-up Repair",
        copy=False,
        tracking=True,
        check_company=True,
        help="Satisfied with the solution, but the vehicle must come back: the complaint "
        "closes when this repair is done and a follow-up callback confirms.",
    )
    callback_ids = fields.One2many("complaint.callback", "complaint_id", string="Callbacks")
    callback_count = fields.Integer(compute="_compute_callback_count")
    kpi_satisfaction = fields.Float(
        "Satisfaction (1-5)",
        compute="_compute_kpi_satisfaction",
        store=True,
        aggregator="avg",
        help="Average score of the callbacks done; 0 when no score was given.",
    )

    def _compute_callback_count(self):
        counts = dict(
            self.env["complaint.callback"]._read_group(
                [("complaint_id", "in", self.ids)], ["complaint_id"], ["__count"]
            )
        )
        for complaint in self:
            complaint.callback_count = counts.get(complaint, 0)

    @api.depends("callback_ids.state", "callback_ids.score")
    def _compute_kpi_satisfaction(self):
        for complaint in self:
            scores = [
                int(callback.score)
                for callback in complaint.callback_ids
                if callback.state == "done" and callback.score
            ]
            complaint.kpi_satisfaction = sum(scores) / len(scores) if scores else 0.0

    def action_follow_up(self):
        """Step 5: satisfied with the solution, but the vehicle must come back:
        the complaint stays open, linked to a new repair order."""
        self._check_state("solved", self.env._("follow up"))
        for complaint in self:
            complaint._check_misuse_confirmed()
        self._set_callback_agent()
        self._advance("confirm", "follow_up", result="accepted")
        self._cancel_pending_callbacks("confirmation")
        for complaint in self:
            repair = complaint.followup_repair_id or self.env["repair.order"].create(
                complaint._prepare_repair_order_values(
                    is_rework=bool(complaint.repair_ids),
                    rework_of_id=complaint.repair_ids[-1:].id,
                    internal_notes=self.env._(
                        "Follow-up of complaint %(name)s: %(solution)s",
                        name=complaint.name,
                        solution=complaint.solution or "",
                    ),
                )
            )
            complaint.write(
                {
                    "followup_repair_id": repair.id,
                    "repair_ids": [Command.link(repair.id)],
                }
            )
        return True

    def action_close_follow_up(self):
        """The follow-up repair is done and the customer confirmed: closed."""
        for complaint in self:
            if complaint.state != "follow_up":
                raise UserError(self.env._("%(name)s is not in follow-up.", name=complaint.name))
            if complaint.followup_repair_id.state != "done":
                raise UserError(
                    self.env._(
                        "Follow-up Repair: %(name)s closes once its follow-up repair is done.",
                        name=complaint.name,
                    )
                )
            complaint._check_misuse_confirmed()
        self._write_facts({"state": "closed", "date_closed": self._clock_now()})
        return True

    def action_reopen_follow_up(self):
        """Dissatisfied after the follow-up: back into the clock, as a repeat."""
        for complaint in self:
            if complaint.state != "follow_up":
                raise UserError(self.env._("%(name)s is not in follow-up.", name=complaint.name))
        self._write_facts({"state": "submitted"})
        self._start_round()
        return True

    def action_view_callbacks(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "complaint_service.complaint_callback_action"
        )
        action["domain"] = [("complaint_id", "=", self.id)]
        action["context"] = {
            "default_complaint_id": self.id,
            "default_partner_id": self.partner_id.id,
        }
        return action

    def _create_confirmation_callbacks(self):
        """Customer care confirms every solution, by the step 5 deadline."""
        self.env["complaint.callback"]._system_create().create(
            [
                {
                    "kind": "confirmation",
                    "company_id": complaint.company_id.id,
                    "partner_id": complaint.partner_id.id,
                    "complaint_id": complaint.id,
                    "date_due": complaint.current_deadline or self._clock_now(),
                    "user_id": complaint.callback_user_id.id,
                }
                for complaint in self
            ]
        )

    def _cancel_pending_callbacks(self, kind):
        self.callback_ids.filtered(
            lambda c: c.kind == kind and c.state == "to_call"
        ).action_cancel()

    def _set_callback_agent(self):
        """The callback agent who confirms with the customer is recorded on the
        complaint (and keeps seeing it if it goes back into the clock)."""
        if self.env.user.has_group(GROUP_CALLBACK):
            self.filtered(lambda c: c.callback_user_id != self.env.user).write(
                {"callback_user_id": self.env.user.id}
            )
