from collections import defaultdict
from datetime import datetime, timedelta

from markupsafe import Markup

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL
from odoo.tools.mail import generate_tracking_message_id
from odoo.tools.misc import format_datetime

from ..rules import clock_rules
from .const import (
    ACTIVITY_APPROVAL,
    ACTIVITY_ESCALATION,
    ACTIVITY_OVERDUE,
    ACTIVITY_STEP,
    DUE_SOON,
    GROUP_MANAGER,
    RESPONSE_STEPS,
    STEP_TIMINGS,
    STEP_USER_FIELD,
)


class ComplaintComplaint(models.Model):
    """The handling clock: steps and rounds, pause and resume, the overdue
    sweep, the to-dos and escalations it leaves, and the KPI facts it yields."""

    _inherit = "complaint.complaint"

    # The clock
    round = fields.Integer(
        default=1,
        readonly=True,
        copy=False,
        tracking=True,
        aggregator=None,  # a round number, not a quantity: no sum in groups
        help="Handling round: a rejected solution starts a new round from the dispatch step.",
    )
    is_repeat = fields.Boolean(
        "Repeat Complaint",
        compute="_compute_is_repeat",
        store=True,
        help="Back in the clock after a rejected solution (round 2 or later).",
    )
    step_ids = fields.One2many("complaint.step", "complaint_id", string="Clock", readonly=True)
    current_step_id = fields.Many2one(
        "complaint.step",
        string="Running Step",
        compute="_compute_current_step",
        store=True,
        copy=False,
        index="btree_not_null",
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
    breach_count = fields.Integer(
        "Breaches",
        compute="_compute_breaches",
        store=True,
        help="Steps that passed their deadline.",
    )
    last_breach_date = fields.Datetime(
        "Last Breach", compute="_compute_breaches", store=True, index=True
    )
    date_closed = fields.Datetime("Closed", readonly=True, copy=False, tracking=True)
    # The clock's KPI facts, stored so that the monthly statistics read them
    # without scanning the steps: a step reached in time or late, empty while
    # it is not reached (done, or found overdue) yet.
    timing_register = fields.Selection(
        STEP_TIMINGS, "Register", compute="_compute_kpi_facts", store=True
    )
    timing_escalate = fields.Selection(
        STEP_TIMINGS, "Reach Manager", compute="_compute_kpi_facts", store=True
    )
    timing_dispatch = fields.Selection(
        STEP_TIMINGS, "Dispatch", compute="_compute_kpi_facts", store=True
    )
    timing_solve = fields.Selection(STEP_TIMINGS, "Solve", compute="_compute_kpi_facts", store=True)
    timing_confirm = fields.Selection(
        STEP_TIMINGS, "Confirm", compute="_compute_kpi_facts", store=True
    )
    timing_response = fields.Selection(
        STEP_TIMINGS,
        "Response",
        compute="_compute_kpi_facts",
        store=True,
        help="Registered, sent to the manager and dispatched within their deadlines.",
    )
    date_solved = fields.Datetime(
        "Solution Communicated",
        compute="_compute_kpi_facts",
        store=True,
        help="When the first solution was communicated to the customer.",
    )
    # Which buttons the current user may press (the actions' own checks).
    can_send = fields.Boolean(compute="_compute_can_clock")
    can_dispatch = fields.Boolean(compute="_compute_can_clock")
    can_propose = fields.Boolean(compute="_compute_can_clock")
    can_confirm = fields.Boolean(compute="_compute_can_clock")
    can_pause = fields.Boolean(compute="_compute_can_clock")

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends("round")
    def _compute_is_repeat(self):
        for complaint in self:
            complaint.is_repeat = complaint.round > 1

    @api.depends("step_ids.state")
    def _compute_current_step(self):
        """The step the clock is on: the running or paused one, none once closed
        (derived from the steps, so that a whole batch is set in one update)."""
        for complaint in self:
            complaint.current_step_id = complaint.step_ids.filtered(
                lambda step: step.state in ("running", "paused")
            )[:1]

    # Through step_ids, not current_step_id.*: a step's change then finds its
    # complaint by complaint_id, never by a lookup of current_step_id.
    @api.depends("current_step_id", "step_ids.date_deadline", "step_ids.state")
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
            ("current_deadline", "<=", now + DUE_SOON),
        ]
        return domain if (operator == "=") == value else ["!", *domain]

    @api.depends("step_ids.is_late", "step_ids.breach_date")
    def _compute_breaches(self):
        for complaint in self:
            dates = [step.breach_date for step in complaint.step_ids if step.is_late]
            complaint.breach_count = len(dates)
            complaint.last_breach_date = max(filter(None, dates), default=False)

    @api.depends("step_ids.state", "step_ids.is_late", "step_ids.date_done")
    def _compute_kpi_facts(self):
        """One pass over the steps: a step counts once reached (done, or found
        overdue); a code or the response is late if any of its steps was."""
        for complaint in self:
            timings = dict.fromkeys((*clock_rules.STEP_CODES, "response"), False)
            solved = []
            for step in complaint.step_ids:
                if not (step.is_late or step.state == "done"):
                    continue
                keys = (step.code, "response") if step.code in RESPONSE_STEPS else (step.code,)
                for key in keys:
                    if step.is_late:
                        timings[key] = "late"
                    elif not timings[key]:
                        timings[key] = "on_time"
                if step.code == "solve" and step.date_done:
                    solved.append(step.date_done)
            for key, timing in timings.items():
                complaint[f"timing_{key}"] = timing
            complaint.date_solved = min(solved, default=False)

    @api.depends("state", "is_paused", "team_id.manager_id")
    @api.depends_context("uid")
    def _compute_can_clock(self):
        for complaint in self:
            complaint.can_send = complaint._can("_check_state", "new")
            complaint.can_dispatch = complaint._can("_check_state", "submitted") and complaint._can(
                "_check_dispatcher"
            )
            complaint.can_propose = complaint._can("_check_state", "in_progress")
            complaint.can_confirm = complaint._can("_check_state", "solved")
            complaint.can_pause = bool(complaint.id) and complaint._can("_check_pausable")

    @api.onchange("date_received")
    def _onchange_date_received_late(self):
        """A complaint heard earlier than the registration step allows is
        saved with that step late (a breach, and the first responder shares
        the responsibility): say so before it is saved."""
        if self._origin.id or not self.date_received or not self.policy_id:
            return None
        deadline = self.env["complaint.step"]._deadline_at(
            self.date_received, self._step_minutes("register"), 0.0, self.policy_id.calendar_id
        )
        now = fields.Datetime.now()
        if not clock_rules.is_late(deadline, now):
            return None
        return {
            "warning": {
                "title": self.env._("Registered late"),
                "message": self.env._(
                    "Received: registering it now is %(late)s past the registration "
                    "deadline. Saving records a breach of the registration step, and the "
                    "first responder shares the responsibility for it.",
                    late=self._format_minutes(clock_rules.minutes_between(deadline, now)),
                ),
            }
        }

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
                for fname in ("cause", "cause_analysis", "solution", "date_customer_contacted")
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
            complaint._check_cause_requirements()
            complaint._check_solution_approved()
        self._advance("solve", "solved")
        self._create_confirmation_callbacks()
        return True

    def action_confirm_solution(self):
        """Step 5: the customer confirmed they are satisfied."""
        self._check_state("solved", self.env._("confirm"))
        for complaint in self:
            complaint._check_misuse_confirmed()
        self._set_callback_agent()
        self._advance(
            "confirm", "closed", result="accepted", facts={"date_closed": self._clock_now()}
        )
        self._cancel_pending_callbacks("confirmation")
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
        self._cancel_pending_callbacks("confirmation")
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
        now = self._clock_now()
        not_paused = self.filtered(lambda c: not c.is_paused)
        if not_paused:
            raise UserError(
                self.env._("%(names)s is not paused.", names=", ".join(not_paused.mapped("name")))
            )
        for complaint in self:
            pause = complaint.pause_ids.filtered(lambda p: not p.date_end)[:1]
            pause.sudo().date_end = now
            complaint.current_step_id._resume(pause.date_start, now)
            complaint._message_log(
                body=self.env._(
                    "Clock resumed after %(duration)s.",
                    duration=self._format_minutes(
                        clock_rules.minutes_between(pause.date_start, now)
                    ),
                )
            )
        self._write_facts({"is_paused": False})
        return True

    # ------------------------------------------------------------------
    # Clock mechanics
    # ------------------------------------------------------------------

    @api.model
    def _clock_now(self):
        """The time every clock event is recorded at: now; or, for data loaded
        by the system (demo history, an import of past complaints), the time
        given in the context as ``complaint_clock_now``.  Only the superuser
        (uid, not sudo) may set it, so a user can never move the clock."""
        when = self.env.context.get("complaint_clock_now")
        if when and self.env.uid == SUPERUSER_ID and isinstance(when, datetime):
            return when
        return fields.Datetime.now()

    def _pause(self, reason_type, reason):
        """Stop the clock; called by the pause wizard."""
        self.check_access("write")
        self._check_pausable()
        now = self._clock_now()
        for complaint in self:
            self.env["complaint.pause"].sudo().create(
                {
                    "complaint_id": complaint.id,
                    "reason_type": reason_type,
                    "reason": reason,
                    "date_start": now,
                    "step_id": complaint.current_step_id.id,
                }
            )
            complaint.current_step_id._pause()
            complaint._message_log(body=self.env._("Clock paused: %(reason)s", reason=reason))
        self._write_facts({"is_paused": True})

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

    def _step_minutes(self, code):
        """The minutes the policy allows step ``code`` of this complaint as it
        is now, ordinary or major: the one place a step's allowed time is read."""
        self.ensure_one()
        return self.policy_id._step_minutes(code, major=self.is_major)

    def _step_start_values(self, code, when, user):
        """What a step of this complaint holds once started at ``when``."""
        self.ensure_one()
        return {
            "state": "running",
            "date_start": when,
            "user_id": user.id,
            "duration_minutes": self._step_minutes(code),
            "calendar_id": self.policy_id.calendar_id.id,
        }

    def _start_clock(self):
        """First round: step 1 ran from reception to registration and is
        created complete (late if registration came after its deadline); step 2
        runs from registration.  One insert for a whole intake batch."""
        Step = self.env["complaint.step"].sudo()
        values = []
        for complaint in self:
            user, registered = complaint.first_responder_id, complaint.date_registered
            register = complaint._step_start_values("register", complaint.date_received, user)
            deadline = Step._deadline_at(
                register["date_start"],
                register["duration_minutes"],
                0.0,
                complaint.policy_id.calendar_id,
            )
            register.update(Step._completion_values(registered))
            if clock_rules.is_late(deadline, registered):
                register.update(is_late=True, breach_date=registered)
            started = {
                "register": register,
                "escalate": complaint._step_start_values("escalate", registered, user),
            }
            values += [
                Step._new_values(complaint, 1, code, started.get(code))
                for code in clock_rules.round_steps(1)
            ]
        steps = Step.create(values)
        self._handle_breaches(steps.filtered("is_late"))

    def _start_round(self):
        """A new round from the reopen step, after a rejected solution."""
        now = self._clock_now()
        Step = self.env["complaint.step"].sudo()
        reopen = clock_rules.REOPEN_STEP
        for complaint in self:
            complaint._write_facts({"round": complaint.round + 1})
            started = complaint._step_start_values(reopen, now, complaint._step_user(reopen))
            Step.create(
                [
                    Step._new_values(
                        complaint, complaint.round, code, started if code == reopen else None
                    )
                    for code in clock_rules.round_steps(complaint.round)
                ]
            )
            complaint._write_facts({"date_customer_contacted": False})
            complaint._message_log(
                body=self.env._(
                    "The customer rejected the solution: round %(round)s starts.",
                    round=complaint.round,
                )
            )
        self._activity_update()

    def _advance(self, code, new_state, result="done", facts=None):
        """Complete step ``code`` of the current round and start the next one;
        ``facts``: other facts the new stage brings, written with it."""
        now = self._clock_now()
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
                step._start(now, complaint._step_user(following))
            complaint._write_facts({"state": new_state, **(facts or {})})
        self._handle_breaches(late)
        self._activity_update()

    def _apply_policy_to_running_steps(self):
        """The complaint became major or ordinary: its running steps take the
        policy's other durations."""
        self.step_ids.filtered(lambda s: s.state in ("running", "paused"))._apply_policy_duration()

    def _sync_step_users(self):
        """Follow reassignments on the steps not done yet; the running step's
        to-do moves to the new user."""
        reassigned = self.browse()
        for complaint in self:
            for step in complaint.step_ids.filtered(lambda s: s.state in ("running", "paused")):
                user = complaint._step_user(step.code)
                if step.user_id != user:
                    step.sudo().user_id = user
                    reassigned |= complaint
        reassigned._activity_update(step_done=False)

    # ------------------------------------------------------------------
    # Activities, breaches and the overdue sweep
    # ------------------------------------------------------------------

    def _activity_update(self, step_done=True):
        """The activities follow the complaint's state, from here alone.

        - One to-do per complaint for whoever must complete the running step.
          It moves on with the clock (the next step's summary, assignee and
          deadline are written on it) instead of being marked done and created
          again, and is removed once no step runs.  Its summary is in the
          assignee's language.
        - A completed step's overdue notices are removed (``step_done``).
        - A closed complaint keeps no overdue notice, escalation or approval.

        No chatter message: the steps record who completed what and when, the
        stage's tracking and the breach notes tell the story."""
        type_id = self.env["ir.model.data"]._xmlid_to_res_id  # cached: no query
        step_type_id = type_id(ACTIVITY_STEP)
        overdue_type_id = type_id(ACTIVITY_OVERDUE)
        activities = (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", self.ids),
                    (
                        "activity_type_id",
                        "in",
                        [
                            step_type_id,
                            overdue_type_id,
                            type_id(ACTIVITY_ESCALATION),
                            type_id(ACTIVITY_APPROVAL),
                        ],
                    ),
                ]
            )
        )
        closed = set(self.filtered(lambda c: c.state == "closed").ids)
        todos = {}
        gone = activities.browse()
        for activity in activities:
            kind = activity.activity_type_id.id
            if kind == step_type_id:
                if activity.res_id in todos:
                    gone |= activity  # a duplicate left by an older version
                else:
                    todos[activity.res_id] = activity
            elif activity.res_id in closed or (kind == overdue_type_id and step_done):
                gone |= activity
        for complaint in self:
            step = complaint.current_step_id
            todo = todos.get(complaint.id)
            if complaint.state in ("new", "closed") or not step or not step.user_id:
                if todo:
                    gone |= todo
                continue
            values = {
                "date_deadline": fields.Date.context_today(complaint, step.date_deadline),
                "summary": self._step_label(step.code, step.user_id.lang),
                "user_id": step.user_id.id,
            }
            if todo:
                todo.write(
                    {
                        fname: value
                        for fname, value in values.items()
                        if todo._fields[fname].convert_to_write(todo[fname], todo) != value
                    }
                )
            else:
                complaint.activity_schedule(ACTIVITY_STEP, **values)
        gone.unlink()

    @api.model
    def _step_label(self, code, lang=None):
        """The name of a handling step in ``lang`` (the env's by default;
        the labels are cached per language)."""
        lang = lang or self.env.lang
        field = self.env["complaint.step"]._fields["code"]
        return dict(field._description_selection(self.with_context(lang=lang).env))[code]

    def _open_activities(self, xmlid):
        """{(complaint id, user id)} of the open activities of a type: a notice
        still waiting in someone's activities is not sent twice."""
        activity_type = self.env.ref(xmlid)
        groups = (
            self.env["mail.activity"]
            .sudo()
            ._read_group(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", self.ids),
                    ("activity_type_id", "=", activity_type.id),
                ],
                ["res_id", "user_id"],
            )
        )
        return {(res_id, user.id) for res_id, user in groups}

    def _breach_user(self):
        self.ensure_one()
        return self.team_id.manager_id or self.first_responder_id

    @api.model
    def _handle_breaches(self, steps):
        """Record breached steps once and notify them at once: a step that a
        user's action completes late."""
        if steps:
            self._notify_breaches(steps, self._record_breaches(steps))

    @api.model
    def _record_breaches(self, steps):
        """The facts of breached steps: marked late (the breach counters and
        KPI facts follow), and the first responder shares the responsibility
        again (首问负责制).  Returns, for each complaint, whether the breach
        made the first responder liable again and whether it withdrew an
        accepted justification: the breach note tracks those changes."""
        now = self._clock_now()
        steps.sudo().filtered(lambda s: not s.is_late).write({"is_late": True, "breach_date": now})
        complaints = steps.complaint_id
        changes = {
            complaint.id: (not complaint.joint_liability, complaint.liability_state == "accepted")
            for complaint in complaints
        }
        untracked = complaints.sudo().with_context(mail_notrack=True)
        untracked.filtered(lambda c: not c.joint_liability).write({"joint_liability": True})
        untracked.filtered(lambda c: c.liability_state == "accepted").write(
            {"liability_state": "none"}
        )
        return changes

    @api.model
    def _notify_breaches(self, steps, changes, deferred=False):
        """Log recorded breaches on their complaints (with the liability
        changes ``changes`` gives), give the department manager an activity,
        and escalate a second breach or a breach of a major complaint to the
        general managers.  ``deferred``: the notices of breaches the sweep
        recorded earlier, whose steps may have been completed since."""
        by_complaint = defaultdict(lambda: self.env["complaint.step"])
        for step in steps:
            by_complaint[step.complaint_id.id] |= step
        complaints = self.browse(list(by_complaint))
        trackings = complaints._liability_trackings(changes)
        labels = dict(self.env["complaint.step"]._fields["code"]._description_selection(self.env))
        escalate = complaints.filtered(lambda c: c.is_major or c.breach_count >= 2)
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
        complaints._log_notes(bodies, trackings)
        # A notice sent after its step was completed would never be removed.
        running = complaints.filtered(
            lambda c: not deferred or any(step.state != "done" for step in by_complaint[c.id])
        )
        pending = running._open_activities(ACTIVITY_OVERDUE)
        values = []
        for complaint in running:
            user = complaint._breach_user()
            if (complaint.id, user.id) not in pending:
                values.append(
                    complaint._activity_values(
                        ACTIVITY_OVERDUE,
                        user,
                        min(by_complaint[complaint.id].mapped("date_deadline")),
                        complaint.with_context(lang=user.lang)._overdue_summary(
                            by_complaint[complaint.id], user
                        ),
                    )
                )
        self._create_activities(values)
        if escalate:
            escalate._escalate_to_general_managers("breach", steps)

    def _overdue_summary(self, steps, user):
        """The overdue notice's summary, in the language of this env."""
        return self.env._(
            "Overdue: %(steps)s",
            steps=", ".join(self._step_label(step.code, user.lang) for step in steps),
        )

    def _activity_values(self, xmlid, user, due, summary, note=""):
        """The values of an automated activity on this complaint for ``user``,
        due on the day (in the user's time zone) of ``due``, a datetime."""
        self.ensure_one()
        return {
            "activity_type_id": self.env["ir.model.data"]._xmlid_to_res_id(xmlid),
            "res_model_id": self.env["ir.model"]._get_id(self._name),
            "res_id": self.id,
            "user_id": user.id,
            "date_deadline": fields.Date.context_today(self.with_context(tz=user.tz), due),
            "summary": summary,
            "note": note,
            "automated": True,
        }

    @api.model
    def _create_activities(self, values):
        """Create activities in one go, without a notification e-mail each:
        the activity menu shows them, and a missing address blocks nothing."""
        if values:
            self.env["mail.activity"].with_context(mail_activity_quick_update=True).create(values)

    def _liability_trackings(self, changes):
        """{complaint id: [tracking values]} of the liability changes a breach
        made: ``changes`` gives, for each complaint, whether it made the first
        responder liable again and whether it withdrew an accepted
        justification."""
        Tracking = self.env["mail.tracking.value"]
        moves = (("joint_liability", False, True), ("liability_state", "accepted", "none"))
        infos = self.fields_get(
            [fname for fname, _old, _new in moves], ["string", "type", "selection"]
        )
        trackings = {}
        for complaint in self:
            for (fname, old, new), changed in zip(
                moves, changes.get(complaint.id, ()), strict=False
            ):
                if changed:
                    trackings.setdefault(complaint.id, []).append(
                        Tracking._create_tracking_values(old, new, fname, infos[fname], complaint)
                    )
        return trackings

    def _log_notes(self, bodies, trackings):
        """Internal notes on many complaints at once, each with its own tracked
        changes (what _message_log_batch does, which takes tracking values for
        one record only)."""
        author_id, email_from = self._message_compute_author(raise_on_email=False)
        note = self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_note")
        reply_to = self.env["mail.thread"]._notify_get_reply_to(default=email_from)[False]
        messages = self.sudo()._message_create(
            [
                {
                    "author_id": author_id,
                    "email_from": email_from,
                    "model": self._name,
                    "res_id": complaint.id,
                    "record_alias_domain_id": False,
                    "record_company_id": False,
                    "record_name": False,
                    "body": bodies.get(complaint.id, ""),
                    "message_type": "notification",
                    "is_internal": True,
                    "subtype_id": note,
                    "email_add_signature": False,
                    "message_id": generate_tracking_message_id("message-notify"),
                    "reply_to": reply_to,
                }
                for complaint in self
            ]
        )
        # The tracked changes in one create (as commands, one create a message).
        self.env["mail.tracking.value"].sudo().create(
            [
                dict(values, mail_message_id=message.id)
                for message in messages
                for values in trackings.get(message.res_id, [])
            ]
        )

    def _escalate_to_general_managers(self, trigger, steps=None):
        """An escalation to-do for each general manager of each complaint's
        company, written in the manager's language, that says why: the
        ``trigger`` ("breach": a second breach, or a breach of a major
        complaint; "major": the complaint became major) and, for a breach,
        the breached ``steps`` (which step, due when, how late).  It is due on
        the day of the breach, so that it turns late as the complaint does,
        and it is closed with the complaint (_activity_update).  One open
        escalation per complaint and manager."""
        now = self._clock_now()
        pending = self._open_activities(ACTIVITY_ESCALATION)
        breached = defaultdict(lambda: self.env["complaint.step"])
        for step in steps or ():
            breached[step.complaint_id.id] |= step
        values = []
        for complaint in self:
            late = breached[complaint.id]
            due = min(late.mapped("date_deadline")) if late else now
            for user in complaint._general_managers():
                if (complaint.id, user.id) in pending:
                    continue
                summary, note = complaint.with_context(
                    lang=user.lang, tz=user.tz
                )._escalation_texts(trigger, late, now)
                values.append(
                    complaint._activity_values(ACTIVITY_ESCALATION, user, due, summary, note)
                )
        self._create_activities(values)

    def _escalation_texts(self, trigger, steps, now):
        """(summary, note) of an escalation, in the language of this env."""
        self.ensure_one()
        reason = self.severity_reason or "-"
        if trigger == "major" or not steps:
            summary = self.env._("Escalation: major complaint")
            why = self.env._(
                "Why: the complaint is major (level %(level)s: %(reason)s).",
                level=self.severity,
                reason=reason,
            )
            return summary, Markup("<p>%s</p>") % why
        lines = [
            self.env._(
                "%(step)s (responsible: %(user)s) was due at %(deadline)s and was "
                "%(late)s late when escalated.",
                step=self._step_label(step.code),
                user=step.user_id.name or "-",
                deadline=format_datetime(self.env, step.date_deadline, dt_format="short"),
                late=self._format_minutes(
                    max(int((now - step.date_deadline).total_seconds() // 60), 1)
                ),
            )
            for step in steps
        ]
        if self.breach_count >= 2:
            why = self.env._(
                "Why: breach no. %(count)s of the handling clock on this complaint.",
                count=self.breach_count,
            )
        else:
            why = self.env._(
                "Why: a breach of a major complaint (level %(level)s: %(reason)s).",
                level=self.severity,
                reason=reason,
            )
        # Read in the activity list on a phone: which step and how late.
        summary = self.env._(
            "Escalation: %(steps)s %(late)s late",
            steps=", ".join(self._step_label(step.code) for step in steps),
            late=self._format_minutes(
                max(int((now - min(steps.mapped("date_deadline"))).total_seconds() // 60), 1)
            ),
        )
        body = Markup("").join(Markup("<p>%s</p>") % line for line in [*lines, why])
        return summary, body

    @api.model
    def _cron_check_overdue(self, batch_size=1000):
        """Mark running steps that passed their deadline, once each.

        The selection reads a partial index of running, unmarked steps, so a
        run costs in proportion to the new breaches, not to the open
        complaints.  It locks the steps and their complaints and skips those
        someone is editing (FOR NO KEY UPDATE ... SKIP LOCKED): a user's edit
        never rolls the batch back, and the skipped breaches are marked by the
        next batch or run.  Each batch is committed by the cron's progress
        protocol, which calls again while breaches remain (SQL: the ORM's
        search cannot lock rows or skip locked ones)."""
        Step = self.env["complaint.step"]
        Step.flush_model(["state", "is_late", "date_deadline"])
        now = fields.Datetime.now()
        overdue = SQL("s.state = 'running' AND s.is_late IS NOT TRUE AND s.date_deadline < %s", now)
        rows = self.env.execute_query(
            SQL(
                """
                SELECT s.id FROM complaint_step s
                  JOIN complaint_complaint c ON c.id = s.complaint_id
                 WHERE %s
              ORDER BY s.date_deadline
                 LIMIT %s
                   FOR NO KEY UPDATE OF s, c SKIP LOCKED
                """,
                overdue,
                batch_size,
            )
        )
        steps = Step.browse([row[0] for row in rows])
        if steps:
            # The notes and notices follow in a second job (complaint.breach.notice).
            self.env["complaint.breach.notice"]._queue(steps, self._record_breaches(steps))
            # Every fact recomputed before anything is written: one UPDATE per
            # set of values, not one for the marks and another for their facts.
            self.env.flush_all()
        [(remaining,)] = self.env.execute_query(
            SQL("SELECT count(*) FROM complaint_step s WHERE %s", overdue)
        )
        self.env["ir.cron"]._notify_progress(done=len(steps), remaining=remaining)
        return len(steps)

    def _demo_age_running_step(self, hours):
        """Demo data only: pretend the running step started ``hours`` earlier,
        so that the demo shows overdue complaints at every stage."""
        for complaint in self:
            step = complaint.current_step_id
            step.date_start -= timedelta(hours=hours)
