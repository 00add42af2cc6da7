from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .complaint_team import company_users
from .const import GROUP_GENERAL_MANAGER, GROUP_MANAGER


class ComplaintComplaint(models.Model):
    """First-responder accountability (首问负责制): who heard the complaint
    first stays accountable; a breach makes them jointly liable unless a
    manager accepts their justification; responsibility records."""

    _inherit = "complaint.complaint"

    first_responder_id = fields.Many2one(
        "res.users",
        required=True,
        index=True,
        tracking=True,
        default=lambda self: self.env.user,
        check_company=True,
        help="Who heard the complaint first: stays accountable until it is closed.",
    )
    joint_liability = fields.Boolean(
        readonly=True,
        copy=False,
        tracking=True,
        help="A step was breached: the first responder shares the responsibility unless "
        "a justification is accepted by a manager.",
    )
    liability_justification = fields.Text(
        "Justification",
        tracking=True,
        copy=False,
        help="Why the delay was reasonable (first responder's explanation).",
    )
    liability_state = fields.Selection(
        [
            ("none", "None"),
            ("submitted", "Submitted"),
            ("accepted", "Accepted"),
            ("rejected", "Rejected"),
        ],
        string="Justification Status",
        default="none",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
    )
    responsibility_ids = fields.One2many(
        "complaint.responsibility",
        "complaint_id",
        string="Responsibility Records",
        groups="complaint_service.group_complaint_manager",
    )
    can_review_justification = fields.Boolean(compute="_compute_can_review_justification")

    @api.depends("liability_state")
    @api.depends_context("uid")
    def _compute_can_review_justification(self):
        for complaint in self:
            complaint.can_review_justification = complaint._can("_check_justification_reviewer")

    @api.model
    def _check_first_responder_at_creation(self, vals_list):
        """Whoever registers a complaint heard it first, unless a complaint
        manager says otherwise: accountability is not shifted at birth."""
        if self.env.su or self.env.user.has_group(GROUP_MANAGER):
            return
        if any(vals.get("first_responder_id", self.env.uid) != self.env.uid for vals in vals_list):
            raise AccessError(
                self.env._(
                    "First Responder: you register this complaint, so you are its first "
                    "responder; only a complaint manager names someone else."
                )
            )

    def _check_first_responder_change(self, vals):
        """Only a complaint manager moves the accountability to someone else."""
        if "first_responder_id" not in vals or self.env.su:
            return
        changed = self.filtered(lambda c: c.first_responder_id.id != vals["first_responder_id"])
        if changed and not self.env.user.has_group(GROUP_MANAGER):
            raise AccessError(
                self.env._("Only a complaint manager can change the first responder.")
            )

    def action_submit_justification(self):
        for complaint in self:
            if not complaint.joint_liability:
                raise UserError(
                    self.env._(
                        "%(name)s was handled on time: there is nothing to justify.",
                        name=complaint.name,
                    )
                )
            if not (complaint.liability_justification or "").strip():
                raise UserError(
                    self.env._(
                        "Justification: explain why the delay on %(name)s was reasonable.",
                        name=complaint.name,
                    )
                )
        self._write_facts({"liability_state": "submitted"})
        return True

    def action_accept_justification(self):
        self._check_justification_reviewer()
        self._write_facts({"liability_state": "accepted", "joint_liability": False})
        return True

    def action_reject_justification(self):
        self._check_justification_reviewer()
        self._write_facts({"liability_state": "rejected"})
        return True

    def _check_justification_reviewer(self):
        if not (self.env.su or self.env.user.has_group(GROUP_MANAGER)):
            raise AccessError(
                self.env._("Only a complaint manager can accept or reject a justification.")
            )
        for complaint in self:
            if complaint.liability_state != "submitted":
                raise UserError(
                    self.env._(
                        "%(name)s has no justification waiting for review.", name=complaint.name
                    )
                )

    def _general_managers(self):
        """The general managers of the complaint's company, who receive its
        escalations and approvals.  The administrators are in the group to
        configure the app; they receive them only where the company has no
        other general manager."""
        self.ensure_one()
        users = company_users(self.env, GROUP_GENERAL_MANAGER, self.company_id)
        return users.filtered(lambda user: not user._is_system()) or users
