from odoo import api, fields, models, tools

from ..rules import clock_rules


class ComplaintStep(models.Model):
    """One step of the handling clock, in one round of a complaint."""

    _name = "complaint.step"
    _description = "Complaint Clock Step"
    # By the complaint's id, not its order: reading the steps of many complaints
    # (the sweep, the KPI computes) then needs no join on the complaints.
    _order = "complaint_id.id, round, sequence"
    _check_company_auto = True

    complaint_id = fields.Many2one(
        "complaint.complaint", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="complaint_id.company_id", store=True, index=True)
    round = fields.Integer(required=True, default=1, readonly=True)
    code = fields.Selection(
        [(code, label) for code, label in clock_rules.STEPS],
        string="Step",
        required=True,
        readonly=True,
    )
    sequence = fields.Integer(compute="_compute_sequence", store=True)
    state = fields.Selection(
        [
            ("waiting", "Waiting"),
            ("running", "Running"),
            ("paused", "Paused"),
            ("done", "Done"),
            ("cancelled", "Cancelled"),
        ],
        default="waiting",
        required=True,
        readonly=True,
        index=True,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        readonly=True,
        help="The user who has to complete this step.",
    )
    duration_minutes = fields.Integer(
        "Allowed (min)",
        readonly=True,
        help="Duration the policy allowed for this step when it started.",
    )
    calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working Hours",
        readonly=True,
        help="Calendar the policy counted this step in when it started; empty for wall-clock time.",
    )
    date_start = fields.Datetime("Started", readonly=True)
    pause_minutes = fields.Float(
        "Paused (min)",
        readonly=True,
        digits=(16, 1),
        help="Clock time the step spent paused; it extends the deadline.",
    )
    date_deadline = fields.Datetime(
        "Deadline", compute="_compute_date_deadline", store=True, index=True
    )
    date_done = fields.Datetime("Completed", readonly=True)
    done_user_id = fields.Many2one("res.users", string="Completed by", readonly=True)
    result = fields.Selection(
        [("done", "Done"), ("accepted", "Solution accepted"), ("rejected", "Solution rejected")],
        readonly=True,
    )
    is_late = fields.Boolean(
        "Late",
        readonly=True,
        index=True,
        help="The step passed its deadline: completed late, or found overdue by the sweep.",
    )
    breach_date = fields.Datetime("Breach recorded", readonly=True)
    timing = fields.Selection(
        [("on_time", "On time"), ("late", "Late"), ("pending", "Pending")],
        compute="_compute_timing",
        store=True,
    )
    is_overdue = fields.Boolean(
        "Overdue", compute="_compute_is_overdue", search="_search_is_overdue"
    )

    def _auto_init(self):
        res = super()._auto_init()
        # The overdue sweep reads only running steps not yet marked late.
        tools.create_index(
            self._cr,
            "complaint_step_sweep_idx",
            self._table,
            ["date_deadline"],
            where="state = 'running' AND is_late IS NOT TRUE",
        )
        return res

    @api.depends("code")
    def _compute_sequence(self):
        for step in self:
            step.sequence = clock_rules.step_sequence(step.code) if step.code else 0

    @api.depends(
        "date_start",
        "duration_minutes",
        "pause_minutes",
        "calendar_id",
    )
    def _compute_date_deadline(self):
        for step in self:
            step.date_deadline = self._deadline_at(
                step.date_start, step.duration_minutes, step.pause_minutes, step.calendar_id
            )

    @api.model
    def _deadline_at(self, start, minutes, pause_minutes, calendar):
        """A step's deadline from its start, allowed and paused minutes, in
        working time on ``calendar`` or wall-clock time without one."""
        if not start or minutes <= 0:
            return False
        plan = None
        if calendar:

            def plan(start, minutes):
                return calendar.plan_hours(minutes / 60.0, start, compute_leaves=True)

        return clock_rules.deadline(start, minutes, pause_minutes or 0.0, plan=plan)

    @api.depends("is_late", "date_done")
    def _compute_timing(self):
        for step in self:
            step.timing = clock_rules.step_timing(step.is_late, step.date_done)

    @api.model
    def _new_values(self, complaint, round_number, code, started=None):
        """Values to create a step of ``complaint`` with, ``started`` (see
        ``_step_start_values``) or waiting; its stored computes are given by
        the same rules as their computes, so that the step is inserted
        complete, with no update after it (an intake batch creates five steps
        per complaint)."""
        vals = {
            "complaint_id": complaint.id,
            "company_id": complaint.company_id.id,
            "round": round_number,
            "code": code,
            "sequence": clock_rules.step_sequence(code),
            "state": "waiting",
            **(started or {}),
        }
        vals["date_deadline"] = self._deadline_at(
            vals.get("date_start"),
            vals.get("duration_minutes", 0),
            0.0,
            self.env["resource.calendar"].browse(vals.get("calendar_id")),
        )
        vals["timing"] = clock_rules.step_timing(vals.get("is_late"), vals.get("date_done"))
        return vals

    def _compute_is_overdue(self):
        now = fields.Datetime.now()
        for step in self:
            step.is_overdue = bool(
                step.state == "running" and step.date_deadline and step.date_deadline < now
            )

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise NotImplementedError(self.env._("Unsupported search on Overdue."))
        domain = [("state", "=", "running"), ("date_deadline", "<", fields.Datetime.now())]
        if (operator == "=") == value:
            return domain
        return ["!", "&", *domain]

    @api.depends("code", "round")
    def _compute_display_name(self):
        labels = dict(self._fields["code"]._description_selection(self.env))
        for step in self:
            name = labels.get(step.code, "")
            step.display_name = (
                self.env._("%(step)s (round %(round)s)", step=name, round=step.round)
                if step.round > 1
                else name
            )

    # ------------------------------------------------------------------
    # Clock mechanics (called by complaint.complaint)
    # ------------------------------------------------------------------

    def _start(self, when, user):
        """Start waiting steps at ``when`` with the policy's duration."""
        for step in self.sudo():
            step.write(step.complaint_id._step_start_values(step.code, when, user))

    def _apply_policy_duration(self):
        """The complaint became major or ordinary: take the other duration."""
        for step in self.sudo():
            step.duration_minutes = step.complaint_id._step_minutes(step.code)

    @api.model
    def _completion_values(self, when, result="done"):
        """What a step holds once completed at ``when`` by the current user."""
        return {
            "state": "done",
            "date_done": when,
            "done_user_id": self.env.user.id,
            "result": result,
        }

    def _complete(self, when, result="done"):
        """Complete running steps; returns those completed late."""
        steps = self.sudo()
        late = steps.filtered(
            lambda step: not step.is_late and clock_rules.is_late(step.date_deadline, when)
        )
        values = self._completion_values(when, result)
        if late:
            late.write({**values, "is_late": True, "breach_date": when})
        if steps - late:
            (steps - late).write(values)
        return late

    def _pause(self):
        self.sudo().filtered(lambda s: s.state == "running").write({"state": "paused"})

    def _resume(self, paused_from, when):
        for step in self.sudo().filtered(lambda s: s.state == "paused"):
            # Only the part of the pause after the step started counts.
            since = max(paused_from, step.date_start)
            step.write(
                {
                    "state": "running",
                    "pause_minutes": step.pause_minutes + step._elapsed_minutes(since, when),
                }
            )

    def _elapsed_minutes(self, start, end):
        """Clock minutes between two datetimes: working minutes with a calendar."""
        self.ensure_one()
        if end <= start:
            return 0.0
        if not self.calendar_id:
            return clock_rules.minutes_between(start, end)
        hours = self.calendar_id.get_work_duration_data(start, end, compute_leaves=True)["hours"]
        return hours * 60.0
