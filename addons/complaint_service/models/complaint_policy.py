from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

from ..rules import clock_rules, warranty_rules

WARRANTY_FIELDS = {
    "repair_years": "warranty_repair_years",
    "repair_km": "warranty_repair_km",
    "guarantee_years": "warranty_guarantee_years",
    "guarantee_km": "warranty_guarantee_km",
    "early_days": "warranty_early_days",
    "early_km": "warranty_early_km",
    "safety_repairs": "warranty_safety_repairs",
    "major_part_replacements": "warranty_major_part_replacements",
    "cumulative_repair_days": "warranty_cumulative_repair_days",
    "same_problem_repairs": "warranty_same_problem_repairs",
}


class ComplaintPolicy(models.Model):
    """Durations of the handling clock for one company."""

    _name = "complaint.policy"
    _description = "Complaint Handling Policy"
    _order = "company_id, id"
    _check_company_auto = True

    name = fields.Char(
        required=True, translate=True, default=lambda self: self.env._("Standard handling")
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working Hours",
        check_company=True,
        help="Count the clock in this calendar's working time (nights, weekends and "
        "public holidays do not count). Leave empty to count wall-clock time.",
    )
    register_minutes = fields.Integer(
        "Register (min)",
        default=clock_rules.DEFAULT_MINUTES["register"],
        required=True,
        help="Time from hearing the complaint to registering it.",
    )
    escalate_minutes = fields.Integer(
        "Reach manager (min)",
        default=clock_rules.DEFAULT_MINUTES["escalate"],
        required=True,
        help="Time from registration until the form reaches the department manager.",
    )
    dispatch_minutes = fields.Integer(
        "Dispatch (min)",
        default=clock_rules.DEFAULT_MINUTES["dispatch"],
        required=True,
        help="Time for the manager to hand the complaint to a responsible person.",
    )
    solve_minutes = fields.Integer(
        "Solve (min)",
        default=clock_rules.DEFAULT_MINUTES["solve"],
        required=True,
        help="Time to find the cause, propose a solution and contact the customer.",
    )
    confirm_minutes = fields.Integer(
        "Confirm (min)",
        default=clock_rules.DEFAULT_MINUTES["confirm"],
        required=True,
        help="Time for customer care to confirm the result with the customer.",
    )
    major_register_minutes = fields.Integer(
        "Major: register (min)",
        default=clock_rules.DEFAULT_MAJOR_MINUTES["register"],
        required=True,
    )
    major_escalate_minutes = fields.Integer(
        "Major: reach manager (min)",
        default=clock_rules.DEFAULT_MAJOR_MINUTES["escalate"],
        required=True,
    )
    major_dispatch_minutes = fields.Integer(
        "Major: dispatch (min)",
        default=clock_rules.DEFAULT_MAJOR_MINUTES["dispatch"],
        required=True,
    )
    major_solve_minutes = fields.Integer(
        "Major: solve (min)", default=clock_rules.DEFAULT_MAJOR_MINUTES["solve"], required=True
    )
    major_confirm_minutes = fields.Integer(
        "Major: confirm (min)", default=clock_rules.DEFAULT_MAJOR_MINUTES["confirm"], required=True
    )

    currency_id = fields.Many2one(related="company_id.currency_id")
    # Callbacks (回访)
    callback_retry_minutes = fields.Integer(
        "Retry After (min)",
        default=60,
        required=True,
        help="When the customer is not reached, call again after this delay.",
    )
    callback_max_attempts = fields.Integer(
        "Attempts Before Escalation",
        default=3,
        required=True,
        help="After this many unanswered calls the team manager gets an activity.",
    )
    routine_callback_days = fields.Integer(
        "Routine Callback After (days)",
        default=3,
        required=True,
        help="Days after a repair order is done before the routine callback.",
    )
    self_service_days = fields.Integer(
        "Confirmation Link Valid (days)",
        default=7,
        required=True,
        help="The link the customer receives to confirm a solution answers for this many "
        "days; the confirmation callback stays in the queue meanwhile.",
    )
    routine_callback_user_id = fields.Many2one(
        "res.users",
        string="Routine Callbacks Assigned To",
        check_company=True,
    )
    manager_approval_limit = fields.Monetary(
        default=5000,
        currency_field="currency_id",
        help="Compensation up to this amount is approved by the responsible person's "
        "department manager; above it, by the general manager.",
    )
    # Warranty (三包) periods and limits: the regulation's minimums by default.
    warranty_repair_years = fields.Integer(
        "Repair Warranty (years)", default=warranty_rules.DEFAULT_LIMITS["repair_years"]
    )
    warranty_repair_km = fields.Integer(
        "Repair Warranty (km)", default=warranty_rules.DEFAULT_LIMITS["repair_km"]
    )
    warranty_guarantee_years = fields.Integer(
        "Three-Guarantee Period (years)",
        default=warranty_rules.DEFAULT_LIMITS["guarantee_years"],
    )
    warranty_guarantee_km = fields.Integer(
        "Three-Guarantee Period (km)", default=warranty_rules.DEFAULT_LIMITS["guarantee_km"]
    )
    warranty_early_days = fields.Integer(
        "Early Failure Period (days)", default=warranty_rules.DEFAULT_LIMITS["early_days"]
    )
    warranty_early_km = fields.Integer(
        "Early Failure Period (km)", default=warranty_rules.DEFAULT_LIMITS["early_km"]
    )
    warranty_safety_repairs = fields.Integer(
        "Safety Fault Repairs", default=warranty_rules.DEFAULT_LIMITS["safety_repairs"]
    )
    warranty_major_part_replacements = fields.Integer(
        "Main Part Replacements",
        default=warranty_rules.DEFAULT_LIMITS["major_part_replacements"],
    )
    warranty_cumulative_repair_days = fields.Integer(
        "Cumulative Repair Days",
        default=warranty_rules.DEFAULT_LIMITS["cumulative_repair_days"],
    )
    warranty_same_problem_repairs = fields.Integer(
        "Same Problem Repairs", default=warranty_rules.DEFAULT_LIMITS["same_problem_repairs"]
    )

    @api.constrains(
        "callback_retry_minutes",
        "callback_max_attempts",
        "routine_callback_days",
        "self_service_days",
        "manager_approval_limit",
        "warranty_repair_years",
        "warranty_repair_km",
        "warranty_guarantee_years",
        "warranty_guarantee_km",
        "warranty_early_days",
        "warranty_early_km",
        "warranty_safety_repairs",
        "warranty_major_part_replacements",
        "warranty_cumulative_repair_days",
        "warranty_same_problem_repairs",
    )
    def _check_limits(self):
        for policy in self:
            policy._check_positive(
                (
                    "callback_retry_minutes",
                    "callback_max_attempts",
                    "routine_callback_days",
                    "self_service_days",
                    *WARRANTY_FIELDS.values(),
                ),
                self.env._("%(field)s must be positive (policy %(policy)s)."),
            )
            if policy.manager_approval_limit < 0:
                raise ValidationError(self.env._("Manager Approval Limit cannot be negative."))

    def _check_positive(self, fnames, message):
        """Refuse a zero or negative value, naming the field."""
        self.ensure_one()
        for fname in fnames:
            if self[fname] <= 0:
                raise ValidationError(
                    message
                    % {
                        "field": self._fields[fname].get_description(self.env)["string"],
                        "policy": self.name,
                    }
                )

    def _warranty_limits(self):
        self.ensure_one()
        return {key: self[fname] for key, fname in WARRANTY_FIELDS.items()}

    @api.constrains(
        "register_minutes",
        "escalate_minutes",
        "dispatch_minutes",
        "solve_minutes",
        "confirm_minutes",
        "major_register_minutes",
        "major_escalate_minutes",
        "major_dispatch_minutes",
        "major_solve_minutes",
        "major_confirm_minutes",
    )
    def _check_durations(self):
        for policy in self:
            policy._check_positive(
                [
                    f"{prefix}{code}_minutes"
                    for prefix in ("", "major_")
                    for code in clock_rules.STEP_CODES
                ],
                self.env._("%(field)s must be a positive number of minutes (policy %(policy)s)."),
            )

    @api.model
    @api.model
    def get_company_policy(self, company=None):
        """The handling policy of ``company`` (default: the current one), to
        read: a company without a policy of its own gets the default values,
        not stored, so that opening a screen never creates configuration.
        Only the user's own companies."""
        company = company or self.env.company
        if not self.env.su and company not in self.env.user.company_ids:
            raise AccessError(
                self.env._(
                    "Company: %(company)s is not one of your companies.", company=company.name
                )
            )
        policy = self.sudo().search([("company_id", "=", company.id)], limit=1).sudo(False)
        return policy or self.new({"company_id": company.id})

    @api.model
    def _get_for_company(self, company):
        """The company's policy when a complaint is registered (a write): one
        with the default values is made for a company that has none."""
        policy = self.get_company_policy(company)
        return policy._origin or self.sudo().create({"company_id": company.id}).sudo(False)

    def _tz(self):
        """The dealership's time zone: the clock calendar's, else the one of the
        company's working hours; UTC when neither is set.
        (RECEIVED_DAY_SQL in complaint_complaint.py says the same in SQL.)"""
        self.ensure_one()
        return (self.calendar_id or self.company_id.resource_calendar_id).tz or "UTC"

    def utc_bounds(self, date_from, date_to):
        """The days date_from to date_to (inclusive) in the dealership's time
        zone, as the UTC datetimes (naive, as stored) of their first instant and
        of the first instant of the day after: the complaints received in those
        days are those with start <= date_received < end, i.e. whose
        date_received_day lies in the range."""
        self.ensure_one()
        tz = pytz.timezone(self._tz())

        def start_of(day):
            local = tz.localize(datetime.combine(day, time.min))
            return local.astimezone(pytz.utc).replace(tzinfo=None)

        return start_of(date_from), start_of(date_to + timedelta(days=1))

    def _step_minutes(self, code, major=False):
        self.ensure_one()
        return self[f"{'major_' if major else ''}{code}_minutes"]
