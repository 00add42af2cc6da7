from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..rules import severity_rules
from .const import AGED_AFTER, CLUSTER_WINDOW, GROUP_MANAGER, OPEN_STATES, SEVERITY_LEVELS


class ComplaintComplaint(models.Model):
    """Severity (投诉等级): levels 1-4 from the rule book's triggers, a
    person's raise or lowering, same-fault clusters with quality early
    warnings, and the daily ageing check."""

    _inherit = "complaint.complaint"

    is_major = fields.Boolean(
        "Major Complaint",
        readonly=True,
        copy=False,
        tracking=True,
        help="Severity level 1 or 2: the major durations of the policy apply and the "
        "general manager is told at once.",
    )
    severity = fields.Selection(
        SEVERITY_LEVELS,
        readonly=True,
        default="3",
        required=True,
        index=True,
        tracking=True,
        copy=False,
    )
    severity_reason = fields.Char(
        "Severity Trigger",
        readonly=True,
        # Written in every installed language (_severity_reason_vals): each
        # reader sees the rule book's words in their own.
        translate=True,
        tracking=True,
        copy=False,
        help="What set the current level: the rule book's trigger, or who changed it and why.",
    )
    severity_auto = fields.Selection(SEVERITY_LEVELS, readonly=True, copy=False)
    severity_manual = fields.Selection(SEVERITY_LEVELS, readonly=True, copy=False)
    severity_auto_at_manual = fields.Selection(SEVERITY_LEVELS, readonly=True, copy=False)
    injury = fields.Boolean("Injury Caused", tracking=True)
    media_exposure = fields.Boolean(tracking=True)
    legal_action = fields.Boolean("Lawsuit / Legal Action", tracking=True)
    financial_loss = fields.Boolean("Major Financial Loss", tracking=True)
    escalated_after_mishandling = fields.Boolean(
        tracking=True,
        help="Escalated by the customer a month after a mishandled first response.",
    )
    unauthorized_promise = fields.Boolean("Unauthorised Promise", tracking=True)
    promise_not_kept = fields.Boolean(
        tracking=True,
        help="A promised service not delivered after repeated requests.",
    )
    may_spread = fields.Boolean("Could Spread", tracking=True)
    department_ids = fields.Many2many(
        "complaint.team",
        "complaint_complaint_department_rel",
        "complaint_id",
        "team_id",
        string="Other Departments Involved",
        check_company=True,
        tracking=True,
    )
    cluster_customers = fields.Integer(
        "Same-Fault Customers",
        readonly=True,
        copy=False,
        help="Different customers with the same cause on the same vehicle model within "
        "30 days (this one included).",
    )
    is_aged = fields.Boolean(
        "Unresolved After 15 Days", readonly=True, copy=False, help="Set by a daily check."
    )
    early_warning_ids = fields.Many2many(
        "complaint.early.warning",
        "complaint_early_warning_complaint_rel",
        "complaint_id",
        "warning_id",
        string="Quality Early Warnings",
        readonly=True,
        copy=False,
    )

    def action_change_severity(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Change Severity"),
            "res_model": "complaint.severity.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_complaint_id": self.id, "default_severity": self.severity},
        }

    def _severity_facts(self):
        self.ensure_one()
        return {
            "cause": self.cause,
            "misuse_confirmed": bool(self.misuse_confirmed_by_id),
            "invalid": self.validity == "invalid",
            "injury": self.injury,
            "media": self.media_exposure,
            "legal": self.legal_action,
            "financial_loss": self.financial_loss,
            "escalated_after_mishandling": self.escalated_after_mishandling,
            "unauthorized_promise": self.unauthorized_promise,
            "promise_not_kept": self.promise_not_kept,
            "may_spread": self.may_spread,
            "departments": len(self.department_ids | self.team_id),
            "cluster_customers": self.cluster_customers,
            "repeat": self.is_repeat,
            "aged": self.is_aged,
        }

    def _severity_trigger_text(self, keys):
        labels = {
            "injury": self.env._("injury caused by the company"),
            "media": self.env._("media exposure"),
            "legal": self.env._("lawsuit or legal action"),
            "financial_loss": self.env._("major financial loss to the customer"),
            "escalated_after_mishandling": self.env._(
                "escalated a month after a mishandled first response"
            ),
            "departments_3": self.env._("3 or more departments involved"),
            "departments_2": self.env._("2 departments involved"),
            "unauthorized_promise": self.env._("unauthorised promise by staff"),
            "promise_not_kept": self.env._(
                "promised service not delivered after repeated requests"
            ),
            "cluster": self.env._("same fault from 3 or more customers within 30 days"),
            "repeat": self.env._("repeat complaint"),
            "may_spread": self.env._("difficult case that could spread"),
            "aged": self.env._("unresolved after 15 days (one level up)"),
        }
        if not keys:
            if (
                severity_rules.is_non_company_cause(self.cause, bool(self.misuse_confirmed_by_id))
                or self.validity == "invalid"
            ):
                return self.env._("Base level: service attitude or a cause outside the company")
            return self.env._("Base level: no aggravating trigger")
        text = ", ".join(labels[key] for key in keys)
        return text[:1].upper() + text[1:]

    def _update_severity(self):
        """Apply the rule book's triggers; a person's decision holds until the
        facts get worse.  Becoming major switches the clock to the major
        durations and tells the general manager at once."""
        became_major = changed_major = self.browse()
        writes = defaultdict(list)
        for complaint in self:
            auto, keys = severity_rules.evaluate(complaint._severity_facts())
            manual = int(complaint.severity_manual) if complaint.severity_manual else None
            at_manual = (
                int(complaint.severity_auto_at_manual)
                if complaint.severity_auto_at_manual
                else None
            )
            level = severity_rules.effective_level(auto, manual, at_manual)
            vals = {"severity_auto": str(auto)}
            if manual is not None and level != manual:
                vals.update(severity_manual=False, severity_auto_at_manual=False)
                manual = None
            if manual is None:
                vals["severity_reason"] = complaint._severity_reason_texts(
                    lambda c, keys=keys: c._severity_trigger_text(keys)
                )
            vals["severity"] = str(level)
            vals["is_major"] = severity_rules.is_major(level)
            vals = {k: v for k, v in vals.items() if complaint[k] != complaint._as_read(k, v)}
            if vals:
                # One write per set of values: a whole intake batch at once.
                writes[tuple(sorted(vals.items()))].append(complaint.id)
            if "is_major" in vals:
                changed_major |= complaint
                if vals["is_major"]:
                    became_major |= complaint
        for vals, ids in writes.items():
            self.browse(ids)._write_severity(dict(vals))
        for complaint in changed_major:
            complaint._apply_policy_to_running_steps()
        became_major._notify_major()

    def _set_severity(self, level, reason):
        """A person changes the level: anyone handling may raise it; lowering it
        takes a complaint manager and a reason."""
        self.ensure_one()
        is_manager = self.env.su or self.env.user.has_group(GROUP_MANAGER)
        refusal = severity_rules.check_change(int(self.severity), int(level), is_manager, reason)
        if refusal == "lower_needs_manager":
            raise AccessError(
                self.env._(
                    "Severity: only a complaint manager can lower the level of %(name)s.",
                    name=self.name,
                )
            )
        if refusal == "lower_needs_reason":
            raise UserError(
                self.env._(
                    "Severity: give the reason for lowering the level of %(name)s.", name=self.name
                )
            )
        if refusal:
            raise UserError(self.env._("Severity: choose a level from 1 to 4."))
        if level == self.severity:
            return
        raised = int(level) < int(self.severity)
        was_major = self.is_major
        major = severity_rules.is_major(int(level))
        self.check_access("write")
        self._write_severity(
            {
                "severity_manual": level,
                "severity_auto_at_manual": self.severity_auto or self.severity,
                "severity": level,
                "severity_reason": self._severity_reason_texts(
                    lambda c: (
                        c.env._(
                            "Raised by %(user)s: %(reason)s",
                            user=c.env.user.name,
                            reason=reason or "-",
                        )
                        if raised
                        else c.env._(
                            "Lowered by %(user)s: %(reason)s",
                            user=c.env.user.name,
                            reason=reason or "-",
                        )
                    )
                ),
                "is_major": major,
            }
        )
        if major != was_major:
            self._apply_policy_to_running_steps()
            if major:
                self._notify_major()

    def _severity_reason_texts(self, render):
        """The severity reason in every installed language, as a hashable
        value that _write_severity writes: ``render(complaint)`` gives it in
        the language of the complaint's env."""
        self.ensure_one()
        return tuple(
            (lang, render(self.with_context(lang=lang)))
            for lang, _name in self.env["res.lang"].get_installed()
        )

    def _as_read(self, fname, value):
        """``value`` of a severity fact as this env reads it (the reason in the
        env's language)."""
        if fname == "severity_reason":
            texts = dict(value)
            return texts.get(self.env.lang or "en_US", texts.get("en_US"))
        return value

    def _write_severity(self, vals):
        """Write severity facts, the reason (see _severity_reason_texts) in
        each language, English first as Odoo's fallback."""
        texts = dict(vals.pop("severity_reason", ()))
        records = self.sudo()
        if texts:
            vals["severity_reason"] = texts.pop("en_US", next(iter(texts.values())))
        records.with_context(lang="en_US").write(vals)
        for lang, text in texts.items():
            records.with_context(lang=lang).write({"severity_reason": text})

    def _notify_major(self):
        if not self:
            return
        for complaint in self:
            complaint._message_log(
                body=self.env._(
                    "Major complaint (level %(level)s: %(reason)s): the general manager "
                    "is notified.",
                    level=complaint.severity,
                    reason=complaint.severity_reason or "-",
                )
            )
        self._escalate_to_general_managers("major")

    def _update_clusters(self):
        """Count, for each complaint, the different customers with the same cause on
        the same vehicle model within 30 days; from 3 on, a quality early warning
        goes to the managers.  Reads across departments, hence sudo (the counts
        are the only thing written)."""
        window = CLUSTER_WINDOW
        Complaint = self.sudo().with_context(active_test=False)
        keys = defaultdict(list)
        for complaint in self:
            if complaint.cause and complaint.vehicle_model_id:
                key = (complaint.company_id.id, complaint.cause, complaint.vehicle_model_id.id)
                keys[key].append(complaint.date_received)
        for (company_id, cause, model_id), dates in keys.items():
            members = Complaint.search(
                [
                    ("company_id", "=", company_id),
                    ("cause", "=", cause),
                    ("vehicle_model_id", "=", model_id),
                    ("date_received", ">=", min(dates) - window),
                    ("date_received", "<=", max(dates) + window),
                ],
                order="date_received, id",
            )
            best = dict.fromkeys(members.ids, 0)
            clustered = Complaint.browse()
            for index, first in enumerate(members):
                group = members[index:].filtered(
                    lambda c, f=first: c.date_received <= f.date_received + window
                )
                customers = len(group.partner_id.commercial_partner_id)
                for member in group:
                    best[member.id] = max(best[member.id], customers)
                if customers >= severity_rules.CLUSTER_CUSTOMERS:
                    clustered |= group
            for member in members:
                if member.cluster_customers != best[member.id]:
                    member.cluster_customers = best[member.id]
            if clustered:
                self.env["complaint.early.warning"].sudo()._raise_for(clustered)
        # Complaints that left a cluster (cause or model changed) count alone again.
        for complaint in self.sudo():
            if not (complaint.cause and complaint.vehicle_model_id) and complaint.cluster_customers:
                complaint.cluster_customers = 0

    @api.model
    def _cron_check_aged(self, batch_size=1000):
        """Daily: complaints unresolved after 15 days go one level up, once."""
        limit = fields.Datetime.now() - AGED_AFTER
        domain = [
            ("state", "in", OPEN_STATES),
            ("is_aged", "=", False),
            ("date_received", "<", limit),
        ]
        complaints = self.search(domain, limit=batch_size, order="date_received")
        complaints.sudo().write({"is_aged": True})
        remaining = self.search_count(domain) if len(complaints) == batch_size else 0
        self.env["ir.cron"]._notify_progress(done=len(complaints), remaining=remaining)
        return len(complaints)
