from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import format_datetime

from . import clock_rules

ACTIVITY_STEP = "complaint_service.mail_activity_type_complaint_step"
ACTIVITY_OVERDUE = "complaint_service.mail_activity_type_complaint_overdue"
ACTIVITY_ESCALATION = "complaint_service.mail_activity_type_complaint_escalation"
GROUP_MANAGER = "complaint_service.group_complaint_manager"
GROUP_GENERAL_MANAGER = "complaint_service.group_complaint_general_manager"
# Tolerance for the clock of the browser that sends "time received".
FUTURE_TOLERANCE = timedelta(minutes=1)
# Who completes each step, read from the complaint.
STEP_USER_FIELD = {
    "register": "first_responder_id",
    "escalate": "first_responder_id",
    "dispatch": "manager_id",
    "solve": "user_id",
    "confirm": "callback_user_id",
}


class ComplaintComplaint(models.Model):
    """A customer complaint registered at the service desk (投诉受理单)."""

    _name = "complaint.complaint"
    _description = "Customer Complaint"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_received desc, id desc"
    _check_company_auto = True
    _rec_names_search = ["name", "partner_id", "vin", "license_plate"]

    name = fields.Char(
        "Number",
        required=True,
        readonly=True,
        copy=False,
        index="trigram",
        default=lambda self: self.env._("New"),
    )
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    policy_id = fields.Many2one(
        "complaint.policy",
        string="Handling Policy",
        required=True,
        check_company=True,
        default=lambda self: self.env["complaint.policy"]._get_for_company(self.env.company),
    )
    state = fields.Selection(
        [
            ("new", "Registered"),
            ("submitted", "With Manager"),
            ("in_progress", "In Progress"),
            ("solved", "Awaiting Confirmation"),
            ("closed", "Closed"),
        ],
        string="Stage",
        default="new",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
        group_expand="_group_expand_state",
    )
    # Customer and vehicle
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
    )
    partner_phone = fields.Char(related="partner_id.phone", string="Phone")
    partner_mobile = fields.Char(related="partner_id.mobile", string="Mobile")
    repair_ids = fields.Many2many(
        "repair.order",
        "complaint_complaint_repair_order_rel",
        "complaint_id",
        "repair_id",
        string="Repair Orders",
        check_company=True,
        tracking=True,
        help="The repair orders the complaint is about.",
    )
    repair_count = fields.Integer(compute="_compute_repair_count")
    lot_id = fields.Many2one(
        "stock.lot",
        string="Vehicle",
        tracking=True,
        check_company=True,
        help="The vehicle, as the serial number (VIN) of the repaired product.",
    )
    vin = fields.Char(
        "VIN",
        compute="_compute_vin",
        store=True,
        readonly=False,
        index=True,
        tracking=True,
    )
    vehicle_model_id = fields.Many2one(
        "product.product",
        compute="_compute_vehicle_model_id",
        store=True,
        readonly=False,
        check_company=True,
    )
    license_plate = fields.Char("Plate", index=True, tracking=True)
    odometer = fields.Integer("Odometer (km)", tracking=True, help="At the time of the complaint.")
    # What was heard
    channel = fields.Selection(
        [
            ("oem", "OEM hotline work order"),
            ("walk_in", "Walk-in return"),
            ("on_site", "On-site"),
            ("phone", "Phone"),
            ("callback", "Callback"),
            ("web", "Web / forum / media"),
            ("other", "Other"),
        ],
        required=True,
        default="on_site",
        tracking=True,
    )
    date_received = fields.Datetime(
        "Received",
        required=True,
        index=True,
        default=fields.Datetime.now,
        tracking=True,
        help="When the complaint was first heard: the clock starts here.",
    )
    date_registered = fields.Datetime(
        "Registered", required=True, readonly=True, copy=False, default=fields.Datetime.now
    )
    description = fields.Text("Customer's Words", required=True, tracking=True)
    customer_request = fields.Text("Customer Asks For", tracking=True)
    # Who
    first_responder_id = fields.Many2one(
        "res.users",
        required=True,
        index=True,
        tracking=True,
        default=lambda self: self.env.user,
        check_company=True,
        help="Who heard the complaint first: stays accountable until it is closed.",
    )
    team_id = fields.Many2one(
        "complaint.team", string="Department", index=True, tracking=True, check_company=True
    )
    manager_id = fields.Many2one(
        related="team_id.manager_id", string="Department Manager", store=True, index=True
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible Person",
        index=True,
        tracking=True,
        check_company=True,
    )
    callback_user_id = fields.Many2one(
        "res.users",
        string="Callback Agent",
        tracking=True,
        check_company=True,
        help="Customer-care staff who confirms the result with the customer.",
    )
    is_major = fields.Boolean(
        "Major Complaint",
        tracking=True,
        help="Major complaints run on the major durations of the policy and escalate "
        "to the general manager at the first breach.",
    )
    # Handling
    cause_analysis = fields.Text("Cause", tracking=True)
    solution = fields.Text(tracking=True)
    date_customer_contacted = fields.Datetime("Customer Contacted", tracking=True, copy=False)
    customer_opinion = fields.Text("Customer's Opinion", tracking=True, copy=False)
    date_closed = fields.Datetime("Closed", readonly=True, copy=False, tracking=True)
    # The clock
    round = fields.Integer(
        default=1,
        readonly=True,
        copy=False,
        tracking=True,
        help="Handling round: a rejected solution starts a new round from the dispatch step.",
    )
    is_repeat = fields.Boolean("Repeat Complaint", compute="_compute_is_repeat", store=True)
    step_ids = fields.One2many("complaint.step", "complaint_id", string="Clock", readonly=True)
    current_step_id = fields.Many2one(
        "complaint.step", string="Running Step", readonly=True, copy=False
    )
    current_step = fields.Selection(
        related="current_step_id.code", string="Current Step", store=True
    )
    current_user_id = fields.Many2one(related="current_step_id.user_id", string="Step Responsible")
    current_deadline = fields.Datetime(
        "Step Deadline",
        compute="_compute_current_deadline",
        store=True,
        index=True,
        tracking=True,
        help="Deadline of the running step; empty while paused or closed.",
    )
    is_overdue = fields.Boolean(
        "Overdue", compute="_compute_is_overdue", search="_search_is_overdue"
    )
    is_due_soon = fields.Boolean(
        "Due Within 1 Hour", compute="_compute_is_overdue", search="_search_is_due_soon"
    )
    is_paused = fields.Boolean("Paused", readonly=True, copy=False, tracking=True)
    pause_ids = fields.One2many("complaint.pause", "complaint_id", string="Pauses", readonly=True)
    breach_count = fields.Integer("Breaches", readonly=True, copy=False)
    last_breach_date = fields.Datetime("Last Breach", readonly=True, copy=False, index=True)
    color = fields.Integer()

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    def _group_expand_state(self, states, domain):
        return [key for key, _label in self._fields["state"].selection]

    @api.depends("repair_ids")
    def _compute_repair_count(self):
        for complaint in self:
            complaint.repair_count = len(complaint.repair_ids)

    @api.depends("lot_id", "repair_ids.lot_id")
    def _compute_vin(self):
        for complaint in self:
            lot = complaint.lot_id or complaint.repair_ids.lot_id[:1]
            if lot:
                complaint.vin = lot.name

    @api.depends("lot_id", "repair_ids.product_id")
    def _compute_vehicle_model_id(self):
        for complaint in self:
            product = complaint.lot_id.product_id or complaint.repair_ids.product_id[:1]
            if product:
                complaint.vehicle_model_id = product

    @api.depends("round")
    def _compute_is_repeat(self):
        for complaint in self:
            complaint.is_repeat = complaint.round > 1

    @api.depends("current_step_id.date_deadline", "current_step_id.state")
    def _compute_current_deadline(self):
        for complaint in self:
            step = complaint.current_step_id
            complaint.current_deadline = step.date_deadline if step.state == "running" else False

    def _compute_is_overdue(self):
        now = fields.Datetime.now()
        for complaint in self:
            deadline = complaint.current_deadline
            complaint.is_overdue = bool(deadline and deadline < now)
            complaint.is_due_soon = bool(deadline and clock_rules.is_due_soon(deadline, now))

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on Overdue."))
        domain = [("current_deadline", "<", fields.Datetime.now())]
        return domain if (operator == "=") == value else ["!", *domain]

    def _search_is_due_soon(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on Due Within 1 Hour."))
        now = fields.Datetime.now()
        domain = [
            "&",
            ("current_deadline", ">=", now),
            ("current_deadline", "<=", now + timedelta(hours=1)),
        ]
        return domain if (operator == "=") == value else ["!", *domain]

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------

    @api.constrains("date_received", "date_registered")
    def _check_date_received(self):
        limit = fields.Datetime.now() + FUTURE_TOLERANCE
        for complaint in self:
            if complaint.date_received > limit:
                raise ValidationError(
                    self.env._(
                        "Received: %(date)s is in the future. Enter when the customer "
                        "actually made the complaint.",
                        date=format_datetime(self.env, complaint.date_received),
                    )
                )
            if complaint.date_received > complaint.date_registered + FUTURE_TOLERANCE:
                raise ValidationError(
                    self.env._("Received: a complaint cannot be received after it was registered.")
                )

    @api.constrains("odometer")
    def _check_odometer(self):
        if any(complaint.odometer < 0 for complaint in self):
            raise ValidationError(self.env._("Odometer (km) cannot be negative."))

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        sequence = self.env["ir.sequence"]
        for vals in vals_list:
            company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
            if not vals.get("policy_id"):
                vals["policy_id"] = self.env["complaint.policy"]._get_for_company(company).id
            if vals.get("name", self.env._("New")) == self.env._("New"):
                received = (
                    fields.Datetime.to_datetime(vals.get("date_received")) or fields.Datetime.now()
                )
                day = fields.Date.context_today(self, received)
                vals["name"] = sequence.with_company(company)._next_monthly(
                    "complaint.complaint", day
                )
        complaints = super().create(vals_list)
        complaints._start_clock()
        return complaints

    def write(self, vals):
        if "first_responder_id" in vals and not self.env.su:
            changed = self.filtered(lambda c: c.first_responder_id.id != vals["first_responder_id"])
            if changed and not self.env.user.has_group(GROUP_MANAGER):
                raise AccessError(
                    self.env._("Only a complaint manager can change the first responder.")
                )
        res = super().write(vals)
        if "is_major" in vals:
            self._apply_policy_to_running_steps()
        if {"team_id", "user_id", "callback_user_id", "first_responder_id"} & set(vals):
            self._sync_step_users()
        return res

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_send_to_manager(self):
        """Step 2: the form reaches the department manager."""
        self._check_state("new", self.env._("send to the manager"))
        missing = self.filtered(lambda c: not c.team_id.manager_id)
        if missing:
            raise UserError(
                self.env._(
                    "Department: choose a department with a manager before sending %(names)s.",
                    names=", ".join(missing.mapped("name")),
                )
            )
        self._advance("escalate", "submitted")
        return True

    def action_take(self):
        """The department manager handles the complaint personally."""
        self._check_state("submitted", self.env._("take over"))
        self._check_dispatcher()
        self.write({"user_id": self.env.user.id})
        return self.action_dispatch()

    def action_dispatch(self):
        """Step 3: the manager hands the complaint to a responsible person."""
        self._check_state("submitted", self.env._("dispatch"))
        self._check_dispatcher()
        missing = self.filtered(lambda c: not c.user_id)
        if missing:
            raise UserError(
                self.env._(
                    "Responsible Person: choose who handles %(names)s before dispatching.",
                    names=", ".join(missing.mapped("name")),
                )
            )
        self._advance("dispatch", "in_progress")
        return True

    def action_propose_solution(self):
        """Step 4: cause found, solution proposed, customer contacted."""
        self._check_state("in_progress", self.env._("record the solution of"))
        for complaint in self:
            missing = [
                complaint._fields[fname].get_description(self.env)["string"]
                for fname in ("cause_analysis", "solution", "date_customer_contacted")
                if not complaint[fname]
                or (isinstance(complaint[fname], str) and not complaint[fname].strip())
            ]
            if missing:
                raise UserError(
                    self.env._(
                        "Complaint %(name)s cannot go to confirmation without: %(fields)s.",
                        name=complaint.name,
                        fields=", ".join(missing),
                    )
                )
        self._advance("solve", "solved")
        return True

    def action_confirm_solution(self):
        """Step 5: the customer confirmed they are satisfied."""
        self._check_state("solved", self.env._("confirm"))
        self._set_callback_agent()
        self._advance("confirm", "closed", result="accepted")
        self.write({"date_closed": fields.Datetime.now()})
        return True

    def action_reject_solution(self):
        """Step 5: the customer rejected the solution: a new round from dispatch."""
        self._check_state("solved", self.env._("reject the solution of"))
        missing = self.filtered(lambda c: not (c.customer_opinion or "").strip())
        if missing:
            raise UserError(
                self.env._(
                    "Customer's Opinion: record why the customer rejects the solution "
                    "of %(names)s.",
                    names=", ".join(missing.mapped("name")),
                )
            )
        self._set_callback_agent()
        self._advance("confirm", "submitted", result="rejected")
        self._start_round()
        return True

    def action_pause(self):
        self.ensure_one()
        self._check_pausable()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Pause the Clock"),
            "res_model": "complaint.pause.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_complaint_id": self.id},
        }

    def action_resume(self):
        now = fields.Datetime.now()
        not_paused = self.filtered(lambda c: not c.is_paused)
        if not_paused:
            raise UserError(
                self.env._("%(names)s is not paused.", names=", ".join(not_paused.mapped("name")))
            )
        for complaint in self:
            pause = complaint.pause_ids.filtered(lambda p: not p.date_end)[:1]
            pause.date_end = now
            complaint.current_step_id._resume(pause.date_start, now)
            complaint.message_post(
                body=self.env._(
                    "Clock resumed after %(duration)s.",
                    duration=self._format_minutes(
                        clock_rules.minutes_between(pause.date_start, now)
                    ),
                )
            )
        self.write({"is_paused": False})
        return True

    def action_view_repairs(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("repair.action_repair_order_tree")
        action["domain"] = [("id", "in", self.repair_ids.ids)]
        action["context"] = {"default_partner_id": self.partner_id.id}
        return action

    # ------------------------------------------------------------------
    # Clock
    # ------------------------------------------------------------------

    def _pause(self, reason_type, reason):
        """Stop the clock; called by the pause wizard."""
        self._check_pausable()
        now = fields.Datetime.now()
        for complaint in self:
            self.env["complaint.pause"].create(
                {
                    "complaint_id": complaint.id,
                    "reason_type": reason_type,
                    "reason": reason,
                    "date_start": now,
                    "step_id": complaint.current_step_id.id,
                }
            )
            complaint.current_step_id._pause()
            complaint.message_post(body=self.env._("Clock paused: %(reason)s", reason=reason))
        self.write({"is_paused": True})

    def _format_minutes(self, minutes):
        """A duration in the user's language ('1 h 20 min')."""
        texts = {
            "days_hours": self.env._("%(days)s d %(hours)s h"),
            "days": self.env._("%(days)s d"),
            "hours_mins": self.env._("%(hours)s h %(mins)s min"),
            "hours": self.env._("%(hours)s h"),
            "mins": self.env._("%(mins)s min"),
        }
        return clock_rules.format_minutes(minutes, texts)

    def _check_pausable(self):
        for complaint in self:
            if complaint.is_paused:
                raise UserError(self.env._("%(name)s is already paused.", name=complaint.name))
            if complaint.state == "closed" or not complaint.current_step_id:
                raise UserError(
                    self.env._(
                        "%(name)s is closed: its clock cannot be paused.", name=complaint.name
                    )
                )

    def _check_state(self, state, verb):
        labels = dict(self._fields["state"]._description_selection(self.env))
        for complaint in self:
            if complaint.state != state:
                raise UserError(
                    self.env._(
                        "Cannot %(verb)s %(name)s: it is %(state)s, and this needs %(needed)s.",
                        verb=verb,
                        name=complaint.name,
                        state=labels[complaint.state],
                        needed=labels[state],
                    )
                )
            if complaint.is_paused:
                raise UserError(
                    self.env._("%(name)s is paused: resume the clock first.", name=complaint.name)
                )

    def _set_callback_agent(self):
        """The callback agent who confirms with the customer is recorded on the
        complaint (and keeps seeing it if it goes back into the clock)."""
        if self.env.user.has_group("complaint_service.group_complaint_callback"):
            self.filtered(lambda c: c.callback_user_id != self.env.user).write(
                {"callback_user_id": self.env.user.id}
            )

    def _check_dispatcher(self):
        if self.env.su or self.env.user.has_group(GROUP_MANAGER):
            return
        for complaint in self:
            if complaint.team_id.manager_id != self.env.user:
                raise AccessError(
                    self.env._(
                        "Only the manager of %(team)s or a complaint manager can "
                        "dispatch %(name)s.",
                        team=complaint.team_id.display_name,
                        name=complaint.name,
                    )
                )

    def _round_step(self, code):
        self.ensure_one()
        return self.step_ids.filtered(lambda s: s.round == self.round and s.code == code)[:1]

    def _step_user(self, code):
        self.ensure_one()
        user = self[STEP_USER_FIELD[code]]
        return user or self.first_responder_id

    def _start_clock(self):
        """First round: step 1 ran from reception to registration."""
        self.env["complaint.step"].create(
            [
                {"complaint_id": complaint.id, "round": 1, "code": code}
                for complaint in self
                for code in clock_rules.round_steps(1)
            ]
        )
        late = self.env["complaint.step"]
        for complaint in self:
            register = complaint._round_step("register")
            register._start(
                complaint.date_received, complaint.first_responder_id, complaint.is_major
            )
            late |= register._complete(complaint.date_registered)
            escalate = complaint._round_step("escalate")
            escalate._start(
                complaint.date_registered, complaint.first_responder_id, complaint.is_major
            )
            complaint.current_step_id = escalate
        self._handle_breaches(late)

    def _start_round(self):
        """A new round from the reopen step, after a rejected solution."""
        now = fields.Datetime.now()
        for complaint in self:
            complaint.round += 1
            self.env["complaint.step"].create(
                [
                    {"complaint_id": complaint.id, "round": complaint.round, "code": code}
                    for code in clock_rules.round_steps(complaint.round)
                ]
            )
            first = complaint._round_step(clock_rules.REOPEN_STEP)
            first._start(now, complaint._step_user(first.code), complaint.is_major)
            complaint.write(
                {
                    "current_step_id": first.id,
                    "date_customer_contacted": False,
                }
            )
            complaint.message_post(
                body=self.env._(
                    "The customer rejected the solution: round %(round)s starts.",
                    round=complaint.round,
                )
            )
        self._activity_update()

    def _advance(self, code, new_state, result="done"):
        """Complete step ``code`` of the current round and start the next one."""
        now = fields.Datetime.now()
        labels = dict(self.env["complaint.step"]._fields["code"]._description_selection(self.env))
        for complaint in self:
            step = complaint._round_step(code)
            if not step or step.state == "waiting":
                previous = clock_rules.previous_step(code)
                raise UserError(
                    self.env._(
                        "%(name)s: step “%(step)s” cannot be completed before “%(previous)s”.",
                        name=complaint.name,
                        step=labels[code],
                        previous=labels.get(previous, ""),
                    )
                )
            if step.state == "done":
                raise UserError(
                    self.env._(
                        "%(name)s: step “%(step)s” is already done.",
                        name=complaint.name,
                        step=labels[code],
                    )
                )
        late = self.env["complaint.step"]
        for complaint in self:
            late |= complaint._round_step(code)._complete(now, result)
            following = clock_rules.next_step(code)
            if following and new_state != "closed":
                step = complaint._round_step(following)
                step._start(now, complaint._step_user(following), complaint.is_major)
                complaint.write({"state": new_state, "current_step_id": step.id})
            else:
                complaint.write({"state": new_state, "current_step_id": False})
        self._handle_breaches(late)
        self._activity_update()

    def _apply_policy_to_running_steps(self):
        for complaint in self:
            for step in complaint.step_ids.filtered(lambda s: s.state in ("running", "paused")):
                step.duration_minutes = complaint.policy_id._step_minutes(
                    step.code, major=complaint.is_major
                )

    def _sync_step_users(self):
        """Follow reassignments on the steps not done yet; the running step's
        to-do moves to the new user."""
        reassigned = self.browse()
        for complaint in self:
            for step in complaint.step_ids.filtered(lambda s: s.state in ("running", "paused")):
                user = complaint._step_user(step.code)
                if step.user_id != user:
                    step.user_id = user
                    reassigned |= complaint
        reassigned._activity_update(step_done=False)

    def _demo_age_running_step(self, hours):
        """Demo data only: pretend the running step started ``hours`` earlier,
        so that the demo shows overdue complaints at every stage."""
        for complaint in self:
            step = complaint.current_step_id
            step.date_start -= timedelta(hours=hours)

    # ------------------------------------------------------------------
    # Activities, breaches and the overdue sweep
    # ------------------------------------------------------------------

    def _activity_update(self, step_done=True):
        """One to-do for whoever must complete the running step.  When a step is
        done, its to-do and overdue notices are marked done; on a reassignment
        the to-do is replaced."""
        if step_done:
            self.activity_feedback([ACTIVITY_STEP, ACTIVITY_OVERDUE])
        else:
            self.activity_unlink([ACTIVITY_STEP])
        labels = dict(self.env["complaint.step"]._fields["code"]._description_selection(self.env))
        for complaint in self:
            step = complaint.current_step_id
            if complaint.state == "new" or not step or not step.user_id:
                continue
            complaint.activity_schedule(
                ACTIVITY_STEP,
                date_deadline=fields.Date.context_today(complaint, step.date_deadline),
                summary=labels[step.code],
                user_id=step.user_id.id,
            )

    def _breach_user(self):
        self.ensure_one()
        return self.team_id.manager_id or self.first_responder_id

    @api.model
    def _handle_breaches(self, steps):
        """Record breached steps once: count them, log them on the complaint, give
        the department manager an activity, and escalate a second breach or a
        breach of a major complaint to the general managers."""
        if not steps:
            return
        now = fields.Datetime.now()
        steps.filtered(lambda s: not s.is_late).write({"is_late": True, "breach_date": now})
        by_complaint = defaultdict(lambda: self.env["complaint.step"])
        for step in steps:
            by_complaint[step.complaint_id.id] |= step
        self.flush_model(["breach_count", "last_breach_date"])
        self.env.cr.execute(
            """
            UPDATE complaint_complaint c
               SET breach_count = COALESCE(c.breach_count, 0) + d.n, last_breach_date = %s
              FROM unnest(%s::int[], %s::int[]) AS d(id, n)
             WHERE c.id = d.id
         RETURNING c.id, c.breach_count
            """,
            [now, list(by_complaint), [len(s) for s in by_complaint.values()]],
        )
        counts = dict(self.env.cr.fetchall())
        complaints = self.browse(list(by_complaint))
        complaints.invalidate_recordset(["breach_count", "last_breach_date"])
        labels = dict(self.env["complaint.step"]._fields["code"]._description_selection(self.env))
        escalate = complaints.filtered(lambda c: c.is_major or counts[c.id] >= 2)
        # Patterns translated once: this runs for every breach of a sweep.
        step_text = self.env._("%(step)s (responsible: %(user)s)")
        breached = self.env._("Handling clock breached: %(steps)s.")
        escalated = self.env._(
            "Handling clock breached: %(steps)s. Escalated to the general manager."
        )
        bodies = {}
        for complaint in complaints:
            steps_text = "; ".join(
                step_text % {"step": labels[step.code], "user": step.user_id.name or "-"}
                for step in by_complaint[complaint.id]
            )
            pattern = escalated if complaint in escalate else breached
            bodies[complaint.id] = Markup("<p>%s</p>") % (pattern % {"steps": steps_text})
        complaints._message_log_batch(bodies)
        quick = self.with_context(mail_activity_quick_update=True)
        by_user = defaultdict(list)
        for complaint in complaints:
            by_user[complaint._breach_user()].append(complaint.id)
        today = fields.Date.context_today(self)
        for user, ids in by_user.items():
            quick.browse(ids).activity_schedule(
                ACTIVITY_OVERDUE,
                date_deadline=today,
                user_id=user.id,
                summary=self.env._("Complaint overdue"),
            )
        if escalate:
            general_managers = self.env.ref(GROUP_GENERAL_MANAGER).sudo().users.filtered("active")
            for user in general_managers:
                mine = escalate.filtered(lambda c, u=user: c.company_id in u.company_ids)
                if mine:
                    quick.browse(mine.ids).activity_schedule(
                        ACTIVITY_ESCALATION,
                        date_deadline=today,
                        user_id=user.id,
                        summary=self.env._("Escalated complaint"),
                    )

    @api.model
    def _cron_check_overdue(self, batch_size=1000):
        """Mark running steps that passed their deadline, once each.

        The selection reads a partial index of running, unmarked steps, so a
        run costs in proportion to the new breaches, not to the open complaints."""
        Step = self.env["complaint.step"]
        Step.flush_model(["state", "is_late", "date_deadline"])
        query = """
            SELECT id FROM complaint_step
             WHERE state = 'running' AND is_late IS NOT TRUE AND date_deadline < %s
          ORDER BY date_deadline
             LIMIT %s
        """
        now = fields.Datetime.now()
        self.env.cr.execute(query, [now, batch_size + 1])
        ids = [row[0] for row in self.env.cr.fetchall()]
        steps = Step.browse(ids[:batch_size])
        self._handle_breaches(steps)
        remaining = len(ids) - len(steps)
        self.env["ir.cron"]._notify_progress(done=len(steps), remaining=remaining)
        return len(steps)
