import logging
from datetime import timedelta

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import consteq

from ..rules import callback_rules

_logger = logging.getLogger(__name__)


class ComplaintComplaint(models.Model):
    """The customer confirms the solution from a link (step 5 without a
    call): when the solution is communicated the customer receives, by e-mail
    and SMS, a link to a public page of the complaint protected by an access
    token (portal.mixin).  Their answer is the confirmation callback's,
    recorded as a self-service answer; without one, the callback stays in
    the agents' queue."""

    _name = "complaint.complaint"
    _inherit = ["complaint.complaint", "portal.mixin"]

    confirm_link_expiry = fields.Datetime(
        "Confirmation Link Valid Until",
        readonly=True,
        copy=False,
        help="The customer's confirmation link answers until then; after it, it leads nowhere.",
    )
    confirmation_channel = fields.Selection(
        [("phone", "Callback"), ("self_service", "Self-service link")],
        readonly=True,
        copy=False,
        tracking=True,
        help="How the customer confirmed the solution: to a callback agent, or from the "
        "link they received.",
    )

    def _compute_access_url(self):
        for complaint in self:
            complaint.access_url = f"/complaint/confirm/{complaint.id}"

    def action_propose_solution(self):
        res = super().action_propose_solution()
        self._send_confirmation_link()
        return res

    def _notify_get_recipients_groups(self, message, model_description, msg_vals=None):
        """The customer's "View" button leads to the confirmation page: only
        while it answers (a valid link, a confirmation awaited).  Otherwise
        portal is not asked for it at all: it would prepare a signup token on
        the customer's contact (a write on their row) with every message."""
        link_open = bool(self and self._self_service_valid() and self._self_service_pending())
        records = self if link_open else self.with_context(complaint_no_portal_customer=True)
        groups = super(ComplaintComplaint, records)._notify_get_recipients_groups(
            message, model_description, msg_vals=msg_vals
        )
        if not link_open:
            for name, _match, data in groups:
                if name == "portal":
                    data["has_button_access"] = False
        return groups

    def _mail_get_partners(self, introspect_fields=False):
        if self.env.context.get("complaint_no_portal_customer"):
            return {record.id: self.env["res.partner"] for record in self}
        return super()._mail_get_partners(introspect_fields=introspect_fields)

    # ------------------------------------------------------------------
    # The link
    # ------------------------------------------------------------------

    def _send_confirmation_link(self):
        """E-mail and SMS the customer the link to confirm the solution.  A
        notification: a customer without an address or a number gets what can
        be sent, and a failure never undoes the step."""
        now = self._clock_now()
        for complaint in self:
            policy = complaint.policy_id
            complaint.sudo()._write_facts(
                {"confirm_link_expiry": now + timedelta(days=policy.self_service_days)}
            )
            complaint._portal_ensure_token()
            partner = complaint.partner_id
            try:
                with self.env.cr.savepoint():
                    if partner.email:
                        complaint.with_context(mail_post_autofollow=False).message_post_with_source(
                            "complaint_service.mail_template_confirmation_link",
                            subtype_xmlid="mail.mt_note",
                            partner_ids=partner.ids,
                        )
                    if partner.mobile or partner.phone:
                        complaint._message_sms_with_template(
                            template_xmlid="complaint_service.sms_template_confirmation_link",
                            partner_ids=partner.ids,
                        )
            except Exception:  # noqa: BLE001 - a notification never blocks the clock
                _logger.exception("Confirmation link of %s not sent", complaint.name)
                complaint.message_post(
                    body=self.env._(
                        "The confirmation link could not be sent to the customer; the "
                        "confirmation callback remains in the queue."
                    ),
                    subtype_xmlid="mail.mt_note",
                )

    def _confirmation_url(self):
        """The link the customer receives (the templates use it)."""
        self.ensure_one()
        return self.get_base_url() + self._get_share_url(redirect=False)

    # ------------------------------------------------------------------
    # The page (controllers/confirmation.py): always as sudo, after the token
    # ------------------------------------------------------------------

    def _self_service_valid(self):
        """Whether the complaint's link is valid: sent, not expired."""
        self.ensure_one()
        return bool(
            self.access_token
            and self.confirm_link_expiry
            and fields.Datetime.now() <= self.confirm_link_expiry
        )

    def _self_service_check(self, token):
        """Whether ``token`` opens this complaint's page: the complaint's own
        token, within its validity.  Anything else opens nothing."""
        return bool(token and self._self_service_valid() and consteq(str(token), self.access_token))

    def _self_service_pending(self):
        """The confirmation callback the customer's answer stands for, while
        the complaint awaits it."""
        self.ensure_one()
        if self.state != "solved":
            return self.env["complaint.callback"]
        return self.callback_ids.filtered(
            lambda c: c.kind == "confirmation" and c.state == "to_call"
        )[:1]

    def _self_service_answer(self, outcome, score, comment):
        """The customer's answer from the page, with the callback's effect.
        Returns True when recorded, False when the complaint no longer awaits
        it (already answered, or confirmed by phone).  Raises UserError for an
        answer that cannot be (the page shows its message)."""
        self.ensure_one()
        callback = self._self_service_pending()
        if not callback:
            return False
        if outcome not in ("satisfied", "visit_needed", "dissatisfied"):
            raise UserError(self.env._("Please choose one of the three answers."))
        if score not in ("1", "2", "3", "4", "5"):
            raise UserError(self.env._("Please give a score from 1 to 5."))
        if callback_rules.contradicts(outcome, score):
            raise UserError(
                self.env._("Your score and your answer say different things: please check them.")
            )
        comment = (comment or "").strip()[:2000]
        try:
            with self.env.cr.savepoint():
                callback._log_attempt(
                    True, outcome, score, comment or False, channel="self_service"
                )
        except UserError:
            _logger.info("Self-service answer to %s not applied", self.name, exc_info=True)
            raise UserError(
                self.env._(
                    "We could not record your answer here; our customer care will call you "
                    "about it. Thank you."
                )
            ) from None
        self.message_post(
            body=self.env._(
                "The customer answered from the confirmation link: %(outcome)s, "
                "satisfaction %(score)s/5. %(comment)s",
                outcome=dict(callback._fields["outcome"]._description_selection(self.env))[outcome],
                score=score,
                comment=comment,
            ),
            author_id=self.partner_id.id,
            subtype_xmlid="mail.mt_note",
        )
        return True
