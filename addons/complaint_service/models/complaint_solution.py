from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from .const import ACTIVITY_APPROVAL, GROUP_GENERAL_MANAGER, SOLUTION_FIELDS


class ComplaintComplaint(models.Model):
    """The solution and the authority to approve it (核决权限): compensation,
    approval by the department manager up to the policy's limit and by the
    general manager above it, and the replies to the customer."""

    _inherit = "complaint.complaint"

    # Solution and authority (核决权限)
    compensation_type = fields.Selection(
        [
            ("none", "None"),
            ("free_repair", "Free repair"),
            ("discount", "Discount"),
            ("refund", "Refund"),
            ("goodwill", "Goodwill gift"),
        ],
        default="none",
        required=True,
        tracking=True,
    )
    compensation_amount = fields.Monetary(tracking=True, currency_field="currency_id")
    currency_id = fields.Many2one(related="company_id.currency_id")
    approval_required = fields.Boolean(compute="_compute_approval", store=True)
    approval_level = fields.Selection(
        [("manager", "Department manager"), ("general_manager", "General manager")],
        compute="_compute_approval",
        store=True,
    )
    approval_state = fields.Selection(
        [
            ("draft", "Not requested"),
            ("to_approve", "To approve"),
            ("approved", "Approved"),
            ("rejected", "Rejected"),
        ],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
    )
    approved_by_id = fields.Many2one("res.users", readonly=True, copy=False, tracking=True)
    approved_date = fields.Datetime("Approved On", readonly=True, copy=False, tracking=True)
    solution = fields.Text(tracking=True)
    date_customer_contacted = fields.Datetime("Customer Contacted", tracking=True, copy=False)
    customer_opinion = fields.Text("Customer's Opinion", tracking=True, copy=False)
    can_approve = fields.Boolean(compute="_compute_can_approve")
    can_reply = fields.Boolean(compute="_compute_can_reply")

    @api.depends("compensation_type", "compensation_amount", "policy_id.manager_approval_limit")
    def _compute_approval(self):
        for complaint in self:
            complaint.approval_required = complaint.compensation_type != "none"
            limit = complaint.policy_id.manager_approval_limit
            complaint.approval_level = (
                "general_manager" if complaint.compensation_amount > limit else "manager"
            )

    @api.depends("approval_state", "approval_level", "team_id.manager_id")
    @api.depends_context("uid")
    def _compute_can_approve(self):
        for complaint in self:
            complaint.can_approve = complaint._can("_check_approval_pending")

    @api.depends("solution", "approval_required", "approval_state")
    def _compute_can_reply(self):
        for complaint in self:
            complaint.can_reply = bool(complaint.id) and complaint._can("_check_reply_allowed")

    @api.constrains("compensation_type", "compensation_amount")
    def _check_compensation(self):
        for complaint in self:
            if complaint.compensation_amount < 0:
                raise ValidationError(self.env._("Compensation amount cannot be negative."))
            if complaint.compensation_type == "none" and complaint.compensation_amount:
                raise ValidationError(
                    self.env._("Compensation amount: choose the kind of compensation first.")
                )

    def _needing_new_approval(self, vals):
        """The complaints whose submitted or approved solution ``vals`` changes."""
        return self._filter_changed(SOLUTION_FIELDS, vals).filtered(
            lambda c: c.approval_state in ("to_approve", "approved")
        )

    def action_request_approval(self):
        for complaint in self:
            if complaint.approval_state not in ("draft", "rejected"):
                raise UserError(
                    self.env._(
                        "The solution of %(name)s is already submitted or approved.",
                        name=complaint.name,
                    )
                )
            if not (complaint.solution or "").strip():
                raise UserError(
                    self.env._(
                        "Solution: describe what the dealership will do for %(name)s.",
                        name=complaint.name,
                    )
                )
            if not complaint.approval_required:
                raise UserError(
                    self.env._(
                        "Compensation: %(name)s offers no compensation, so it needs no approval.",
                        name=complaint.name,
                    )
                )
            if complaint.compensation_type != "free_repair" and not complaint.compensation_amount:
                raise UserError(
                    self.env._(
                        "Compensation amount: give the amount of the compensation of %(name)s.",
                        name=complaint.name,
                    )
                )
        self._write_facts({"approval_state": "to_approve"})
        for complaint in self:
            for user in complaint._approvers():
                complaint.activity_schedule(
                    ACTIVITY_APPROVAL,
                    user_id=user.id,
                    summary=self.env._("Approve the compensation"),
                )
        return True

    def _check_approval_pending(self):
        """The solutions wait for approval, and the current user may decide."""
        for complaint in self:
            if complaint.approval_state != "to_approve":
                raise UserError(
                    self.env._(
                        "The solution of %(name)s is not waiting for approval.", name=complaint.name
                    )
                )
            complaint._check_approver()

    def action_approve_solution(self):
        self._check_approval_pending()
        self._write_facts(
            {
                "approval_state": "approved",
                "approved_by_id": self.env.user.id,
                "approved_date": self._clock_now(),
            }
        )
        # The approval is tracked (state, approver, date): the to-dos go.
        self.activity_unlink([ACTIVITY_APPROVAL])
        return True

    def action_refuse_approval(self):
        self._check_approval_pending()
        self._write_facts({"approval_state": "rejected"})
        self.activity_unlink([ACTIVITY_APPROVAL])
        return True

    def action_send_reply(self):
        """The reply to the customer, from the approved solution (mail template)."""
        self.ensure_one()
        self._check_reply_allowed()
        template = self.env.ref("complaint_service.mail_template_complaint_reply")
        return {
            "type": "ir.actions.act_window",
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_model": self._name,
                "default_res_ids": self.ids,
                "default_template_id": template.id,
                "default_composition_mode": "comment",
                "default_attachment_ids": [],
                "complaint_reply": True,
            },
        }

    def action_log_phone_reply(self):
        self.ensure_one()
        self._check_reply_allowed()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Phone Reply"),
            "res_model": "complaint.phone.reply.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_complaint_id": self.id},
        }

    def _check_solution_approved(self):
        self.ensure_one()
        if self.approval_required and self.approval_state != "approved":
            raise UserError(
                self.env._(
                    "The compensation of %(name)s must be approved before the solution is "
                    "communicated.",
                    name=self.name,
                )
            )

    def _check_reply_allowed(self):
        for complaint in self:
            if not (complaint.solution or "").strip():
                raise UserError(
                    self.env._(
                        "Solution: there is no solution to communicate for %(name)s.",
                        name=complaint.name,
                    )
                )
            complaint._check_solution_approved()

    def _reset_approval(self):
        self.sudo().write(
            {"approval_state": "draft", "approved_by_id": False, "approved_date": False}
        )
        self.activity_unlink([ACTIVITY_APPROVAL])
        for complaint in self:
            complaint._message_log(
                body=self.env._("The solution changed: it needs to be approved again.")
            )

    def _approvers(self):
        """Who may approve this complaint's compensation."""
        self.ensure_one()
        general_managers = self._general_managers()
        if self.approval_level == "manager" and self.team_id.manager_id:
            return self.team_id.manager_id
        return general_managers

    def _check_approver(self):
        self.ensure_one()
        if self.env.su:
            return
        user = self.env.user
        if user.has_group(GROUP_GENERAL_MANAGER):
            return
        # Not f-strings inside _(): the translation extractor evaluates them.
        amount = "{:,.2f}".format(self.compensation_amount)  # noqa: UP032
        limit = "{:,.2f}".format(self.policy_id.manager_approval_limit)  # noqa: UP032
        if self.approval_level == "general_manager":
            raise AccessError(
                self.env._(
                    "Approval: the compensation of %(name)s (%(amount)s) is above the department "
                    "manager's limit of %(limit)s; only the general manager approves it.",
                    name=self.name,
                    amount=amount,
                    limit=limit,
                )
            )
        if self.team_id.manager_id != user:
            raise AccessError(
                self.env._(
                    "Approval: only the manager of %(team)s or the general manager approves the "
                    "compensation of %(name)s.",
                    team=self.team_id.display_name or "-",
                    name=self.name,
                )
            )

    def message_post(self, **kwargs):
        """Replies to the customer (mail template or phone) mark the customer as
        contacted; they never carry the internal form or the evidence."""
        if self.env.context.get("complaint_reply"):
            self._check_reply_allowed()
            Attachment = self.env["ir.attachment"].sudo()
            attachments = Attachment.browse(kwargs.get("attachment_ids") or []).exists()
            # Files given as (name, content[, info]) are checked the same way.
            for name, content, *_info in kwargs.get("attachments") or []:
                raw = content.encode() if isinstance(content, str) else content
                attachments |= Attachment.new(
                    {"name": name, "checksum": Attachment._compute_checksum(raw or b"")}
                )
            internal = self._internal_attachments(attachments)
            if internal:
                raise UserError(
                    self.env._(
                        "The reply to the customer cannot carry internal documents: %(names)s.",
                        names=", ".join(internal.mapped("name")),
                    )
                )
            self.filtered(lambda c: not c.date_customer_contacted).write(
                {"date_customer_contacted": self._clock_now()}
            )
        return super().message_post(**kwargs)

    def _internal_attachments(self, attachments):
        """The ``attachments`` that are internal documents, which never reach
        the customer: the evidence of a complaint (this one or another), the
        same file uploaded again too.  complaint_reports adds the internal
        complaint form."""
        ids = [attachment.id for attachment in attachments if isinstance(attachment.id, int)]
        checksums = [checksum for checksum in attachments.mapped("checksum") if checksum]
        evidence = (
            self.sudo()
            .with_context(active_test=False)
            .search(
                [
                    "|",
                    ("evidence_attachment_ids", "in", ids),
                    ("evidence_attachment_ids.checksum", "in", checksums),
                ]
            )
            .evidence_attachment_ids
        )
        known = set(evidence.mapped("checksum")) - {False}
        return attachments.filtered(lambda a: a in evidence or a.checksum in known)
