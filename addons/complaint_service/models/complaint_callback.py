from datetime import timedelta

from odoo import api, fields, models, tools
from odoo.exceptions import UserError

from ..rules import callback_rules, clock_rules
from .const import CALLBACK_PROTECTED_FIELDS, OUTCOMES, SCORES


class ComplaintCallback(models.Model):
    """A call to a customer (回访): confirmation of a complaint's solution,
    routine call after a repair, or follow-up until a problem is fixed."""

    _name = "complaint.callback"
    _description = "Customer Callback"
    _inherit = ["complaint.notification.mixin", "mail.activity.mixin", "complaint.fact.guard"]
    _order = "date_due, id"
    _check_company_auto = True
    _protected_fields = CALLBACK_PROTECTED_FIELDS

    name = fields.Char(compute="_compute_name", store=True)
    kind = fields.Selection(
        [
            ("confirmation", "Confirmation of a solution"),
            ("routine", "Routine after a repair"),
            ("follow_up", "Follow-up"),
        ],
        required=True,
        default="routine",
        tracking=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, check_company=True
    )
    phone = fields.Char(compute="_compute_phone", help="The number to call.")
    complaint_id = fields.Many2one(
        "complaint.complaint", index=True, check_company=True, ondelete="cascade"
    )
    repair_id = fields.Many2one(
        "repair.order", string="Repair Order", index=True, check_company=True
    )
    # The complaint's department, stage and people, stored on the callback: the
    # record rules read them here, so that a list of callbacks never looks
    # through every complaint a department or a person can see (a sub-plan
    # over the whole table).
    team_id = fields.Many2one(
        related="complaint_id.team_id", store=True, index="btree_not_null", string="Department"
    )
    complaint_state = fields.Selection(
        related="complaint_id.state", store=True, index="btree_not_null", string="Complaint Stage"
    )
    # The people of the complaint, for the same reason: who may see its calls.
    complaint_first_responder_id = fields.Many2one(
        related="complaint_id.first_responder_id",
        store=True,
        index="btree_not_null",
        string="Complaint's First Responder",
    )
    complaint_user_id = fields.Many2one(
        related="complaint_id.user_id",
        store=True,
        index="btree_not_null",
        string="Complaint's Responsible Person",
    )
    complaint_callback_user_id = fields.Many2one(
        related="complaint_id.callback_user_id",
        store=True,
        index="btree_not_null",
        string="Complaint's Callback Agent",
    )
    complaint_create_uid = fields.Many2one(
        related="complaint_id.create_uid",
        store=True,
        index="btree_not_null",
        string="Complaint Registered By",
    )
    lot_id = fields.Many2one(
        "stock.lot", string="Vehicle", compute="_compute_lot_id", store=True, index=True
    )
    # Read as the user: a callback shows only what its reader may see of the complaint.
    license_plate = fields.Char(
        related="complaint_id.license_plate", string="Plate", compute_sudo=False
    )
    solution = fields.Text(
        related="complaint_id.solution",
        compute_sudo=False,
        string="Approved Solution",
        help="What was promised to the customer: relay only this.",
    )
    compensation_type = fields.Selection(
        related="complaint_id.compensation_type", compute_sudo=False
    )
    date_due = fields.Datetime(
        "Due",
        compute="_compute_date_due",
        store=True,
        readonly=False,
        required=True,
        index=True,
        tracking=True,
        help="A confirmation is due by its complaint's confirmation deadline, and follows "
        "it when it moves, until a first attempt sets the time of the next one.",
    )
    user_id = fields.Many2one(
        "res.users", string="Callback Agent", index=True, tracking=True, check_company=True
    )
    state = fields.Selection(
        [
            ("to_call", "To call"),
            ("done", "Done"),
            ("unreachable", "Unreachable"),
            ("cancelled", "Cancelled"),
        ],
        default="to_call",
        required=True,
        readonly=True,
        index=True,
        tracking=True,
    )
    attempt_ids = fields.One2many("complaint.callback.attempt", "callback_id", readonly=True)
    attempt_count = fields.Integer("Attempts", compute="_compute_attempt_count", store=True)
    outcome = fields.Selection(OUTCOMES, readonly=True, copy=False, tracking=True, index=True)
    score = fields.Selection(
        SCORES, string="Satisfaction", readonly=True, copy=False, tracking=True
    )
    score_value = fields.Integer(
        "Satisfaction Score", compute="_compute_score_value", store=True, aggregator="avg"
    )
    notes = fields.Text()
    answer_channel = fields.Selection(
        [("phone", "Phone call"), ("self_service", "Self-service link")],
        "Answered By",
        readonly=True,
        copy=False,
        tracking=True,
        help="How the customer's answer came: to an agent on the phone, or from the "
        "confirmation link they received.",
    )
    date_done = fields.Datetime("Called On", readonly=True, copy=False)
    is_overdue = fields.Boolean(compute="_compute_is_overdue", search="_search_is_overdue")
    is_due_soon = fields.Boolean("Due Soon", compute="_compute_is_overdue")
    is_open = fields.Boolean(
        "Open",
        compute="_compute_is_open",
        store=True,
        help="Still to call: the queue lists these first.",
    )

    @api.depends("kind", "partner_id")
    def _compute_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for callback in self:
            callback.name = f"{kinds.get(callback.kind, '')}: {callback.partner_id.name or ''}"

    @api.depends("partner_id.mobile", "partner_id.phone")
    def _compute_phone(self):
        for callback in self:
            callback.phone = callback.partner_id.mobile or callback.partner_id.phone

    @api.depends("complaint_id.lot_id", "repair_id.lot_id")
    def _compute_lot_id(self):
        for callback in self:
            callback.lot_id = callback.complaint_id.lot_id or callback.repair_id.lot_id

    @api.depends("attempt_ids")
    def _compute_attempt_count(self):
        for callback in self:
            callback.attempt_count = len(callback.attempt_ids)

    @api.depends("score")
    def _compute_score_value(self):
        for callback in self:
            callback.score_value = int(callback.score) if callback.score else 0

    def _auto_init(self):
        res = super()._auto_init()
        # The queue: calls to make first, by due time, without sorting the table.
        tools.create_index(
            self._cr,
            "complaint_callback_queue_idx",
            self._table,
            ["is_open DESC", "date_due", "id"],
        )
        return res

    @api.depends("complaint_id.current_deadline")
    def _compute_date_due(self):
        for callback in self:
            complaint = callback.complaint_id
            if (
                callback.kind == "confirmation"
                and callback.state == "to_call"
                and not callback.attempt_count
                and complaint.current_step == "confirm"
                and complaint.current_deadline
            ):
                callback.date_due = complaint.current_deadline

    @api.depends("state")
    def _compute_is_open(self):
        for callback in self:
            callback.is_open = callback.state == "to_call"

    def _compute_is_overdue(self):
        now = fields.Datetime.now()
        for callback in self:
            to_call = callback.state == "to_call" and bool(callback.date_due)
            callback.is_overdue = to_call and callback.date_due < now
            callback.is_due_soon = to_call and clock_rules.is_due_soon(callback.date_due, now)

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on Overdue."))
        domain = [("state", "=", "to_call"), ("date_due", "<", fields.Datetime.now())]
        return domain if (operator == "=") == value else ["!", "&", *domain]

    @api.model
    def _history(self, fname, domain, group_field, records):
        """Complaint and satisfaction history of customers or vehicles: repeat
        complaints, last and average satisfaction score, in three grouped reads."""
        result = {
            record.id: {
                "complaint_repeat_count": 0,
                "callback_last_score": 0,
                "callback_avg_score": 0.0,
            }
            for record in records
        }
        Complaint = self.env["complaint.complaint"]
        if not (Complaint.has_access("read") and self.has_access("read")):
            return result
        complaint_field = "partner_id" if fname == "partner_id" else "lot_id"
        for record, count in Complaint._read_group(
            [(complaint_field, "in", records.ids), ("is_repeat", "=", True)],
            [complaint_field],
            ["__count"],
        ):
            result[record.id]["complaint_repeat_count"] = count
        scored = domain + [("score", "!=", False)]
        for record, average in self._read_group(scored, [group_field], ["score_value:avg"]):
            result[record.id]["callback_avg_score"] = average
        last = self.search_fetch(scored, [group_field, "score_value"], order="date_done desc")
        for callback in last:
            entry = result[callback[group_field].id]
            if not entry["callback_last_score"]:
                entry["callback_last_score"] = callback.score_value
        return result

    @api.model_create_multi
    def create(self, vals_list):
        self._check_protected_fields(set().union(*vals_list))
        return super(ComplaintCallback, self._without_protected_defaults()).create(vals_list)

    @api.model
    def _system_create(self):
        """For callbacks the clock schedules itself: no 'created' note and the
        user whose action triggered it does not follow it (the agent does)."""
        return self.with_context(mail_create_nolog=True, mail_create_nosubscribe=True)

    def write(self, vals):
        self._check_protected_fields(vals)
        self._lock_for_assignment(vals, {"user_id"})
        return super().write(vals)

    def action_open_log(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Log Call"),
            "res_model": "complaint.callback.log.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_callback_id": self.id},
        }

    def action_cancel(self):
        self.filtered(lambda c: c.state == "to_call")._write_facts({"state": "cancelled"})
        return True

    # ------------------------------------------------------------------
    # Calls
    # ------------------------------------------------------------------

    def _log_attempt(self, reached, outcome=False, score=False, notes=False, channel="phone"):
        """Record one call.  Not reached: retry later, and after the last
        allowed attempt the team manager is told.  Reached: the outcome acts on
        the complaint.  ``channel`` "self_service": the customer's own answer
        from the confirmation link (no agent called)."""
        self.ensure_one()
        if self.state != "to_call":
            raise UserError(self.env._("%(name)s was already handled.", name=self.name))
        if reached and not outcome:
            raise UserError(self.env._("Outcome: say how the customer answered."))
        if reached and callback_rules.contradicts(outcome, score):
            raise UserError(
                self.env._(
                    "Satisfaction: “%(score)s” says the opposite of the outcome “%(outcome)s”; "
                    "correct the one the customer did not say.",
                    score=dict(self._fields["score"]._description_selection(self.env))[score],
                    outcome=dict(self._fields["outcome"]._description_selection(self.env))[outcome],
                )
            )
        if outcome == "visit_needed" and self.kind == "routine":
            raise UserError(
                self.env._(
                    "Outcome: a routine callback is satisfied or dissatisfied; register a "
                    "complaint for a problem that needs a visit."
                )
            )
        now = self.env["complaint.complaint"]._clock_now()
        self_service = channel == "self_service"
        caller = self.user_id if self_service else self._caller()
        self.env["complaint.callback.attempt"].sudo().create(
            {
                "callback_id": self.id,
                "date": now,
                "user_id": False if self_service else caller.id,
                "reached": reached,
                "note": notes,
            }
        )
        if not reached:
            policy = self.env["complaint.policy"].get_company_policy(self.company_id)
            if self.attempt_count >= policy.callback_max_attempts:
                self._write_facts({"state": "unreachable", "date_done": now})
                self._notify_unreachable()
            else:
                self.date_due = now + timedelta(minutes=policy.callback_retry_minutes)
            return
        self._write_facts(
            {
                "state": "done",
                "date_done": now,
                "outcome": outcome,
                "score": score,
                "notes": notes or self.notes,
                "user_id": caller.id,
                "answer_channel": channel,
            }
        )
        if self.kind == "confirmation" and self.complaint_id.state == "solved":
            self.complaint_id.sudo().write({"confirmation_channel": channel})
        self._apply_outcome()

    def _caller(self):
        """Who made the call: the user logging it; in a system context (cron,
        data import) the agent it was assigned to."""
        self.ensure_one()
        if self.env.su and self.user_id:
            return self.user_id
        return self.env.user

    def _apply_outcome(self):
        self.ensure_one()
        complaint = self.complaint_id
        if self.kind == "routine":
            if self.outcome == "dissatisfied":
                self._open_complaint()
            return
        if not complaint:
            return
        if self.kind == "confirmation":
            if complaint.state != "solved":
                return
            if self.outcome == "satisfied":
                complaint.action_confirm_solution()
            elif self.outcome == "visit_needed":
                complaint.action_follow_up()
            else:
                complaint.customer_opinion = self.notes or self.env._(
                    "Dissatisfied at the confirmation callback."
                )
                complaint.action_reject_solution()
        elif self.kind == "follow_up" and complaint.state == "follow_up":
            if self.outcome == "dissatisfied":
                complaint.customer_opinion = self.notes or self.env._(
                    "Dissatisfied at the follow-up callback."
                )
                complaint.action_reopen_follow_up()
            elif complaint.followup_repair_id.state == "done":
                complaint.action_close_follow_up()

    def _open_complaint(self):
        """A customer dissatisfied at a routine callback is a complaint, even
        with no specific grievance (manufacturer rule)."""
        self.ensure_one()
        repair = self.repair_id
        # The call log owns this: the agent who heard it is the first responder,
        # whoever logs the call.
        complaint = (
            self.env["complaint.complaint"]
            .sudo()
            .create(
                {
                    "partner_id": self.partner_id.id,
                    "company_id": self.company_id.id,
                    "channel": "callback",
                    # The agent who heard it is its first responder.
                    "first_responder_id": self.user_id.id,
                    "callback_user_id": self.user_id.id,
                    "repair_ids": [fields.Command.set(repair.ids)],
                    "lot_id": self.lot_id.id,
                    "description": self.notes
                    if (self.notes or "").strip()
                    else self.env._(
                        "The customer said they were dissatisfied at the routine callback."
                    ),
                }
            )
        )
        self.complaint_id = complaint
        return complaint

    def _notify_unreachable(self):
        self.ensure_one()
        complaint = self.complaint_id
        team = complaint.team_id or self.env["complaint.team"].search(
            [("kind", "=", "customer_care"), ("company_id", "=", self.company_id.id)], limit=1
        )
        manager = team.manager_id
        if not manager:
            return
        self.activity_schedule(
            "complaint_service.mail_activity_type_callback_unreachable",
            user_id=manager.id,
            summary=self.env._("Customer unreachable"),
        )

    @api.model
    def _cron_create_routine_callbacks(self, batch_size=1000):
        """One routine callback per repair order, some days after it was done;
        none for customers who asked not to be called."""
        Repair = self.env["repair.order"]
        policies = self.env["complaint.policy"].search([("company_id", "!=", False)])
        created = 0
        for policy in policies:
            cutoff = fields.Datetime.now() - timedelta(days=policy.routine_callback_days)
            repairs = Repair.search(
                [
                    ("company_id", "=", policy.company_id.id),
                    ("state", "=", "done"),
                    ("date_done", "<=", cutoff),
                    ("routine_callback_id", "=", False),
                    ("partner_id", "!=", False),
                    ("partner_id.no_callback", "=", False),
                ],
                limit=batch_size,
                order="date_done",
            )
            agent = policy.routine_callback_user_id
            callbacks = self.create(
                [
                    {
                        "kind": "routine",
                        "company_id": repair.company_id.id,
                        "partner_id": repair.partner_id.id,
                        "repair_id": repair.id,
                        "date_due": fields.Datetime.now(),
                        "user_id": agent.id,
                    }
                    for repair in repairs
                ]
            )
            for repair, callback in zip(repairs, callbacks, strict=True):
                repair.routine_callback_id = callback
            created += len(callbacks)
        self.env["ir.cron"]._notify_progress(done=created, remaining=0)
        return created


class ComplaintCallbackAttempt(models.Model):
    _name = "complaint.callback.attempt"
    _description = "Callback Attempt"
    _order = "date desc, id desc"

    callback_id = fields.Many2one(
        "complaint.callback", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="callback_id.company_id", store=True)
    date = fields.Datetime(required=True, default=fields.Datetime.now)
    user_id = fields.Many2one("res.users", string="Agent", default=lambda self: self.env.user)
    reached = fields.Boolean()
    note = fields.Text()
