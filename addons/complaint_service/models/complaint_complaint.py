from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup
from odoo import SUPERUSER_ID, Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import format_datetime

from . import clock_rules, severity_rules, warranty_rules

ACTIVITY_STEP = "complaint_service.mail_activity_type_complaint_step"
ACTIVITY_OVERDUE = "complaint_service.mail_activity_type_complaint_overdue"
ACTIVITY_ESCALATION = "complaint_service.mail_activity_type_complaint_escalation"
GROUP_MANAGER = "complaint_service.group_complaint_manager"
GROUP_GENERAL_MANAGER = "complaint_service.group_complaint_general_manager"
ACTIVITY_APPROVAL = "complaint_service.mail_activity_type_complaint_approval"
SEVERITY_LEVELS = [
    ("1", "Level 1"),
    ("2", "Level 2"),
    ("3", "Level 3"),
    ("4", "Level 4"),
]
FAULT_TYPES = [
    ("steering", "Steering"),
    ("brakes", "Brakes"),
    ("body_crack", "Body cracking"),
    ("fuel_leak", "Fuel leakage"),
    ("safety", "Other serious safety fault"),
    ("engine", "Engine"),
    ("gearbox", "Gearbox"),
    ("main_part", "Other main part"),
    ("other", "Other"),
]
# Fields whose change calls for a new approval of the solution.
SOLUTION_FIELDS = {"solution", "compensation_type", "compensation_amount"}
# Facts the severity depends on.
SEVERITY_FIELDS = {
    "cause",
    "validity",
    "injury",
    "media_exposure",
    "legal_action",
    "financial_loss",
    "escalated_after_mishandling",
    "unauthorized_promise",
    "promise_not_kept",
    "may_spread",
    "department_ids",
    "team_id",
    "round",
    "is_aged",
    "cluster_customers",
}
# Fields that place a complaint in a same-fault cluster.
CLUSTER_FIELDS = {
    "cause",
    "vehicle_model_id",
    "partner_id",
    "date_received",
    "lot_id",
    "repair_ids",
}


def _step_rate(code):
    return f"""CASE WHEN count(*) FILTER (WHERE s.code = '{code}'
                               AND (s.state = 'done' OR s.is_late)) = 0 THEN NULL
                    WHEN bool_or(s.is_late) FILTER (WHERE s.code = '{code}') THEN 0.0
                    ELSE 100.0 END"""


# One statement computes every KPI fact of a set of complaints from their steps
# (also used by the migration that fills them for existing complaints).
KPI_SQL = f"""
    UPDATE complaint_complaint c
       SET kpi_register_on_time = a.register_on_time,
           kpi_escalate_on_time = a.escalate_on_time,
           kpi_dispatch_on_time = a.dispatch_on_time,
           kpi_solve_on_time = a.solve_on_time,
           kpi_confirm_on_time = a.confirm_on_time,
           kpi_response_on_time = a.response_on_time,
           kpi_hours_to_solution = a.hours_to_solution
      FROM (
        SELECT s.complaint_id,
               {_step_rate("register")} AS register_on_time,
               {_step_rate("escalate")} AS escalate_on_time,
               {_step_rate("dispatch")} AS dispatch_on_time,
               {_step_rate("solve")} AS solve_on_time,
               {_step_rate("confirm")} AS confirm_on_time,
               CASE WHEN count(*) FILTER (WHERE s.code IN ('register', 'escalate', 'dispatch')
                                          AND (s.state = 'done' OR s.is_late)) = 0 THEN NULL
                    WHEN bool_or(s.is_late) FILTER (WHERE s.code IN ('register', 'escalate',
                                                                      'dispatch')) THEN 0.0
                    ELSE 100.0 END AS response_on_time,
               EXTRACT(EPOCH FROM min(s.date_done) FILTER (WHERE s.code = 'solve')
                       - min(cc.date_received)) / 3600.0 AS hours_to_solution
          FROM complaint_step s
          JOIN complaint_complaint cc ON cc.id = s.complaint_id"""
KPI_SQL_END = ") a WHERE c.id = a.complaint_id"
# date_received_day in SQL, for data written without the ORM (migration, bulk
# loads): the same time zone as complaint.policy._tz().
RECEIVED_DAY_SQL = """
    UPDATE complaint_complaint c
       SET date_received_day = (c.date_received AT TIME ZONE 'UTC' AT TIME ZONE
               COALESCE(NULLIF(cal.tz, ''), NULLIF(company_cal.tz, ''), 'UTC'))::date
      FROM complaint_policy p
      JOIN res_company company ON company.id = p.company_id
      LEFT JOIN resource_calendar cal ON cal.id = p.calendar_id
      LEFT JOIN resource_calendar company_cal ON company_cal.id = company.resource_calendar_id
     WHERE p.id = c.policy_id"""


def company_users(env, group_xmlid, company):
    """The active internal users of a group who work in ``company`` (OdooBot excluded)."""
    return (
        env.ref(group_xmlid)
        .sudo()
        .users.filtered(
            lambda u: u.active and not u.share and company in u.company_ids and u.id != SUPERUSER_ID
        )
    )


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
            ("follow_up", "Follow-up"),
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
    date_received_day = fields.Date(
        "Day Received",
        compute="_compute_date_received_day",
        store=True,
        index=True,
        help="The day of reception in the dealership's time zone: the day, month and "
        "quarter the complaint counts in for the statistics.",
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
        readonly=True,
        tracking=True,
        help="Severity level 1 or 2: the major durations of the policy apply and the "
        "general manager is told at once.",
    )
    # Classification (原因识别与责任判定)
    cause = fields.Selection(
        [
            ("warranty", "Product quality / warranty"),
            ("attitude", "Staff attitude"),
            ("misuse", "Customer misuse or wrong operation"),
            ("handover", "Missed at the handover inspection"),
            ("pricing", "Pricing / billing"),
            ("parts", "Parts availability"),
            ("other", "Other"),
        ],
        tracking=True,
        index=True,
    )
    verdict = fields.Selection(
        [
            ("defect", "Defect"),
            ("dissatisfaction", "Dissatisfaction"),
            ("customer_fault", "Customer fault"),
        ],
        string="Technical Verdict",
        tracking=True,
    )
    validity = fields.Selection(
        [("valid", "Valid complaint"), ("invalid", "Invalid complaint")],
        tracking=True,
        help="Invalid: a misunderstanding or a cause outside the company. An invalid "
        "complaint still gets an answer.",
    )
    fault_type = fields.Selection(
        FAULT_TYPES,
        tracking=True,
        help="Which part of the vehicle failed: decides the warranty clauses that apply.",
    )
    # Misuse: evidence first, then a manager's confirmation.
    evidence_attachment_ids = fields.Many2many(
        "ir.attachment",
        "complaint_complaint_evidence_rel",
        "complaint_id",
        "attachment_id",
        string="Evidence",
        help="Photos, diagnostic reports... that establish the customer's misuse.",
    )
    misuse_confirmed_by_id = fields.Many2one("res.users", readonly=True, copy=False, tracking=True)
    misuse_confirmed_date = fields.Datetime("Misuse Confirmed On", readonly=True, copy=False)
    customer_explanation = fields.Text(
        "Explanation to the Customer",
        tracking=True,
        help="How the right operation was explained to the customer.",
    )
    is_insured_loss = fields.Boolean("Insured Loss", tracking=True)
    insurer_guidance = fields.Text(
        tracking=True, help="How the customer was guided to the insurer."
    )
    # Warranty defect: a warranty repair order or the OEM claim.
    warranty_repair_id = fields.Many2one(
        "repair.order", copy=False, tracking=True, check_company=True
    )
    oem_claim_ref = fields.Char("OEM Claim Reference", copy=False, tracking=True)
    warranty_check = fields.Html(
        "Warranty Entitlement", compute="_compute_warranty_check", sanitize=False
    )
    # Severity (投诉等级)
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
    # First-responder accountability (首问负责制)
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
    # Handling
    cause_analysis = fields.Text(tracking=True)
    solution = fields.Text(tracking=True)
    date_customer_contacted = fields.Datetime("Customer Contacted", tracking=True, copy=False)
    customer_opinion = fields.Text("Customer's Opinion", tracking=True, copy=False)
    date_closed = fields.Datetime("Closed", readonly=True, copy=False, tracking=True)
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
    # The clock's KPI facts of the complaint, kept up to date where the clock
    # writes (100 = on time, 0 = late, empty = not reached yet), so that the
    # monthly statistics read them without scanning the steps.
    kpi_register_on_time = fields.Float("Register On Time (%)", readonly=True, copy=False)
    kpi_escalate_on_time = fields.Float("Reach Manager On Time (%)", readonly=True, copy=False)
    kpi_dispatch_on_time = fields.Float("Dispatch On Time (%)", readonly=True, copy=False)
    kpi_solve_on_time = fields.Float("Solve On Time (%)", readonly=True, copy=False)
    kpi_confirm_on_time = fields.Float("Confirm On Time (%)", readonly=True, copy=False)
    kpi_response_on_time = fields.Float(
        "Response On Time (%)",
        readonly=True,
        copy=False,
        help="Registered, sent to the manager and dispatched within their deadlines.",
    )
    kpi_hours_to_solution = fields.Float("Hours to Solution", readonly=True, copy=False)
    kpi_satisfaction = fields.Float("Satisfaction (1-5)", readonly=True, copy=False)
    last_breach_date = fields.Datetime("Last Breach", readonly=True, copy=False, index=True)
    color = fields.Integer()

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    def _group_expand_state(self, states, domain):
        return [key for key, _label in self._fields["state"].selection]

    def _compute_callback_count(self):
        counts = dict(
            self.env["complaint.callback"]._read_group(
                [("complaint_id", "in", self.ids)], ["complaint_id"], ["__count"]
            )
        )
        for complaint in self:
            complaint.callback_count = counts.get(complaint, 0)

    @api.depends("date_received", "policy_id")
    def _compute_date_received_day(self):
        for complaint in self:
            tz = complaint.policy_id._tz() if complaint.policy_id else "UTC"
            complaint.date_received_day = complaint.date_received and fields.Date.context_today(
                complaint.with_context(tz=tz), complaint.date_received
            )

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

    @api.depends("compensation_type", "compensation_amount", "policy_id.manager_approval_limit")
    def _compute_approval(self):
        for complaint in self:
            complaint.approval_required = complaint.compensation_type != "none"
            limit = complaint.policy_id.manager_approval_limit
            complaint.approval_level = (
                "general_manager" if complaint.compensation_amount > limit else "manager"
            )

    @api.depends(
        "lot_id.vehicle_invoice_date", "odometer", "fault_type", "date_received", "policy_id"
    )
    def _compute_warranty_check(self):
        histories = self._warranty_histories()
        for complaint in self:
            invoice = complaint.lot_id.vehicle_invoice_date
            if not (invoice and complaint.fault_type and complaint.date_received):
                complaint.warranty_check = Markup("<p class='text-muted'>%s</p>") % self.env._(
                    "Set the vehicle (with its invoice date), the odometer and the fault "
                    "type to check the warranty entitlement."
                )
                continue
            on_date = complaint.date_received.date()
            if on_date < invoice:
                complaint.warranty_check = Markup("<p class='text-danger'>%s</p>") % self.env._(
                    "The vehicle's invoice date is after the complaint."
                )
                continue
            result = warranty_rules.check(
                invoice,
                on_date,
                complaint.odometer,
                complaint.fault_type,
                histories.get(complaint.id, {}),
                complaint.policy_id._warranty_limits(),
            )
            complaint.warranty_check = complaint._render_warranty_check(result)

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

    @api.constrains("compensation_type", "compensation_amount")
    def _check_compensation(self):
        for complaint in self:
            if complaint.compensation_amount < 0:
                raise ValidationError(self.env._("Compensation amount cannot be negative."))
            if complaint.compensation_type == "none" and complaint.compensation_amount:
                raise ValidationError(
                    self.env._("Compensation amount: choose the kind of compensation first.")
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
        complaints._update_clusters()
        complaints._update_severity()
        return complaints

    def write(self, vals):
        if "first_responder_id" in vals and not self.env.su:
            changed = self.filtered(lambda c: c.first_responder_id.id != vals["first_responder_id"])
            if changed and not self.env.user.has_group(GROUP_MANAGER):
                raise AccessError(
                    self.env._("Only a complaint manager can change the first responder.")
                )
        if vals.get("cause", "misuse") != "misuse":
            vals = dict(vals, misuse_confirmed_by_id=False, misuse_confirmed_date=False)
        changed_solution = self._filter_changed(SOLUTION_FIELDS, vals).filtered(
            lambda c: c.approval_state in ("to_approve", "approved")
        )
        res = super().write(vals)
        if changed_solution:
            changed_solution._reset_approval()
        if {"team_id", "user_id", "callback_user_id", "first_responder_id"} & set(vals):
            self._sync_step_users()
        if CLUSTER_FIELDS & set(vals):
            self._update_clusters()
        if SEVERITY_FIELDS & set(vals):
            self._update_severity()
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
        self._advance("confirm", "closed", result="accepted")
        self.write({"date_closed": fields.Datetime.now()})
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

    def action_confirm_misuse(self):
        """A complaint manager confirms the customer's misuse, on evidence."""
        if not (self.env.su or self.env.user.has_group(GROUP_MANAGER)):
            raise AccessError(self.env._("Only a complaint manager can confirm customer misuse."))
        for complaint in self:
            if complaint.cause != "misuse":
                raise UserError(
                    self.env._(
                        "Cause: %(name)s is not classified as customer misuse.", name=complaint.name
                    )
                )
            if not complaint.evidence_attachment_ids:
                raise UserError(
                    self.env._(
                        "Evidence: attach the evidence of the misuse to %(name)s before "
                        "confirming it.",
                        name=complaint.name,
                    )
                )
        self.write(
            {
                "misuse_confirmed_by_id": self.env.user.id,
                "misuse_confirmed_date": fields.Datetime.now(),
            }
        )
        return True

    def action_create_warranty_repair(self):
        """Warranty defect: a warranty repair order, urgent, linked to the complaint."""
        self.ensure_one()
        if self.warranty_repair_id:
            raise UserError(
                self.env._(
                    "%(name)s already has the warranty repair %(repair)s.",
                    name=self.name,
                    repair=self.warranty_repair_id.name,
                )
            )
        repair = self.env["repair.order"].create(
            {
                "partner_id": self.partner_id.id,
                "product_id": self.vehicle_model_id.id,
                "lot_id": self.lot_id.id,
                "company_id": self.company_id.id,
                "under_warranty": True,
                "priority": "1",
                "fault_type": self.fault_type,
                "internal_notes": self.env._(
                    "Warranty repair for complaint %(name)s", name=self.name
                ),
            }
        )
        self.write({"warranty_repair_id": repair.id, "repair_ids": [Command.link(repair.id)]})
        return {
            "type": "ir.actions.act_window",
            "res_model": "repair.order",
            "res_id": repair.id,
            "view_mode": "form",
            "target": "current",
        }

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
        self.write({"approval_state": "to_approve"})
        for complaint in self:
            for user in complaint._approvers():
                complaint.activity_schedule(
                    ACTIVITY_APPROVAL,
                    user_id=user.id,
                    summary=self.env._("Approve the compensation"),
                )
        return True

    def action_approve_solution(self):
        for complaint in self:
            if complaint.approval_state != "to_approve":
                raise UserError(
                    self.env._(
                        "The solution of %(name)s is not waiting for approval.", name=complaint.name
                    )
                )
            complaint._check_approver()
        self.write(
            {
                "approval_state": "approved",
                "approved_by_id": self.env.user.id,
                "approved_date": fields.Datetime.now(),
            }
        )
        self.activity_feedback([ACTIVITY_APPROVAL])
        return True

    def action_refuse_approval(self):
        for complaint in self:
            if complaint.approval_state != "to_approve":
                raise UserError(
                    self.env._(
                        "The solution of %(name)s is not waiting for approval.", name=complaint.name
                    )
                )
            complaint._check_approver()
        self.write({"approval_state": "rejected"})
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
        self.write({"liability_state": "submitted"})
        return True

    def action_accept_justification(self):
        self._check_justification_reviewer()
        self.write({"liability_state": "accepted", "joint_liability": False})
        return True

    def action_reject_justification(self):
        self._check_justification_reviewer()
        self.write({"liability_state": "rejected"})
        return True

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
                {
                    "partner_id": complaint.partner_id.id,
                    "product_id": complaint.vehicle_model_id.id,
                    "lot_id": complaint.lot_id.id,
                    "company_id": complaint.company_id.id,
                    "priority": "1",
                    "is_rework": bool(complaint.repair_ids),
                    "rework_of_id": complaint.repair_ids[-1:].id,
                    "internal_notes": self.env._(
                        "Follow-up of complaint %(name)s: %(solution)s",
                        name=complaint.name,
                        solution=complaint.solution or "",
                    ),
                }
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
        self.write({"state": "closed", "date_closed": fields.Datetime.now()})
        return True

    def action_reopen_follow_up(self):
        """Dissatisfied after the follow-up: back into the clock, as a repeat."""
        for complaint in self:
            if complaint.state != "follow_up":
                raise UserError(self.env._("%(name)s is not in follow-up.", name=complaint.name))
        self.write({"state": "submitted"})
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
        self.env["complaint.callback"].create(
            [
                {
                    "kind": "confirmation",
                    "company_id": complaint.company_id.id,
                    "partner_id": complaint.partner_id.id,
                    "complaint_id": complaint.id,
                    "date_due": complaint.current_deadline or fields.Datetime.now(),
                    "user_id": complaint.callback_user_id.id,
                }
                for complaint in self
            ]
        )

    def _cancel_pending_callbacks(self, kind):
        self.callback_ids.filtered(
            lambda c: c.kind == kind and c.state == "to_call"
        ).action_cancel()

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
        self._refresh_kpis()

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
        self._refresh_kpis()
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

    def _filter_changed(self, fnames, vals):
        """The complaints on which ``vals`` changes one of ``fnames``."""
        fnames = [fname for fname in fnames if fname in vals]
        if not fnames:
            return self.browse()
        new = self.new({fname: vals[fname] for fname in fnames})
        return self.filtered(
            lambda c: any(
                self._fields[fname].convert_to_write(c[fname], c)
                != self._fields[fname].convert_to_write(new[fname], new)
                for fname in fnames
            )
        )

    # ------------------------------------------------------------------
    # Classification, authority, accountability
    # ------------------------------------------------------------------

    def _check_cause_requirements(self):
        """Each cause leads where the rule book says, before the customer is told."""
        self.ensure_one()
        name = self.name
        if self.cause == "misuse":
            self._check_misuse_confirmed()
            if not (self.customer_explanation or "").strip():
                raise UserError(
                    self.env._(
                        "Explanation to the Customer: explain the right operation to the customer "
                        "of %(name)s first.",
                        name=name,
                    )
                )
            if self.is_insured_loss and not (self.insurer_guidance or "").strip():
                raise UserError(
                    self.env._(
                        "Insurer Guidance: %(name)s is an insured loss: record how the customer "
                        "was guided to the insurer.",
                        name=name,
                    )
                )
        elif self.cause == "warranty" and self.verdict == "defect":
            if not (self.warranty_repair_id or self.oem_claim_ref):
                raise UserError(
                    self.env._(
                        "Warranty Repair: a warranty defect needs a warranty repair order or the "
                        "OEM claim reference (%(name)s).",
                        name=name,
                    )
                )
        elif self.cause == "handover":
            if self.compensation_type == "none":
                raise UserError(
                    self.env._(
                        "Compensation: a problem missed at the handover inspection is compensated "
                        "first (%(name)s).",
                        name=name,
                    )
                )
            if not self.sudo().responsibility_ids.filtered("user_id"):
                raise UserError(
                    self.env._(
                        "Responsibility Records: a manager records the staff member responsible "
                        "for the missed inspection of %(name)s.",
                        name=name,
                    )
                )

    def _check_misuse_confirmed(self):
        self.ensure_one()
        if self.cause == "misuse" and not self.misuse_confirmed_by_id:
            raise UserError(
                self.env._(
                    "%(name)s cannot be closed as customer misuse before a complaint manager "
                    "confirms it on evidence.",
                    name=self.name,
                )
            )

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
        self.write({"approval_state": "draft", "approved_by_id": False, "approved_date": False})
        self.activity_unlink([ACTIVITY_APPROVAL])
        for complaint in self:
            complaint.message_post(
                body=self.env._("The solution changed: it needs to be approved again.")
            )

    def _approvers(self):
        """Who may approve this complaint's compensation."""
        self.ensure_one()
        general_managers = self._general_managers()
        if self.approval_level == "manager" and self.team_id.manager_id:
            return self.team_id.manager_id
        return general_managers

    def _general_managers(self):
        self.ensure_one()
        return company_users(self.env, GROUP_GENERAL_MANAGER, self.company_id)

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

    # ------------------------------------------------------------------
    # Severity and same-fault clusters
    # ------------------------------------------------------------------

    def _severity_facts(self):
        self.ensure_one()
        return {
            "cause": self.cause,
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
            "repeat": self.round > 1,
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
            if self.cause in severity_rules.NON_COMPANY_CAUSES or self.validity == "invalid":
                return self.env._("Base level: service attitude or a cause outside the company")
            return self.env._("Base level: no aggravating trigger")
        text = ", ".join(labels[key] for key in keys)
        return text[:1].upper() + text[1:]

    def _update_severity(self):
        """Apply the rule book's triggers; a person's decision holds until the
        facts get worse.  Becoming major switches the clock to the major
        durations and tells the general manager at once."""
        became_major = self.browse()
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
                vals["severity_reason"] = complaint._severity_trigger_text(keys)
            vals["severity"] = str(level)
            vals["is_major"] = severity_rules.is_major(level)
            vals = {k: v for k, v in vals.items() if complaint[k] != v}
            if vals:
                complaint.write(vals)
            if "is_major" in vals:
                complaint._apply_policy_to_running_steps()
                if vals["is_major"]:
                    became_major |= complaint
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
        if int(level) < int(self.severity):
            text = self.env._("Raised by %(user)s: %(reason)s")
        else:
            text = self.env._("Lowered by %(user)s: %(reason)s")
        was_major = self.is_major
        major = severity_rules.is_major(int(level))
        self.write(
            {
                "severity_manual": level,
                "severity_auto_at_manual": self.severity_auto or self.severity,
                "severity": level,
                "severity_reason": text % {"user": self.env.user.name, "reason": reason or "-"},
                "is_major": major,
            }
        )
        if major != was_major:
            self._apply_policy_to_running_steps()
            if major:
                self._notify_major()

    def _notify_major(self):
        if not self:
            return
        for complaint in self:
            complaint.message_post(
                body=self.env._(
                    "Major complaint (level %(level)s: %(reason)s): the general manager "
                    "is notified.",
                    level=complaint.severity,
                    reason=complaint.severity_reason or "-",
                )
            )
        self._escalate_to_general_managers(self.env._("Major complaint"))

    def _escalate_to_general_managers(self, summary):
        """An escalation activity for each general manager of the complaints' company."""
        quick = self.with_context(mail_activity_quick_update=True)
        today = fields.Date.context_today(self)
        pending = self._open_activities(ACTIVITY_ESCALATION)
        by_user = defaultdict(list)
        for complaint in self:
            for user in complaint._general_managers():
                if (complaint.id, user.id) not in pending:
                    by_user[user].append(complaint.id)
        for user, ids in by_user.items():
            quick.browse(ids).activity_schedule(
                ACTIVITY_ESCALATION, date_deadline=today, user_id=user.id, summary=summary
            )

    def _update_clusters(self):
        """Count, for each complaint, the different customers with the same cause on
        the same vehicle model within 30 days; from 3 on, a quality early warning
        goes to the managers.  Reads across departments, hence sudo (the counts
        are the only thing written)."""
        window = timedelta(days=severity_rules.CLUSTER_DAYS)
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
        limit = fields.Datetime.now() - timedelta(days=severity_rules.AGED_DAYS)
        domain = [("state", "!=", "closed"), ("is_aged", "=", False), ("date_received", "<", limit)]
        complaints = self.search(domain, limit=batch_size, order="date_received")
        complaints.write({"is_aged": True})
        remaining = self.search_count(domain) if len(complaints) == batch_size else 0
        self.env["ir.cron"]._notify_progress(done=len(complaints), remaining=remaining)
        return len(complaints)

    # ------------------------------------------------------------------
    # Warranty entitlement
    # ------------------------------------------------------------------

    def _warranty_histories(self):
        """Per complaint: earlier repairs of the same fault on the vehicle,
        cumulative workshop days and main-part replacements (done repairs)."""
        lots = self.lot_id
        if not lots:
            return {}
        repairs = (
            self.env["repair.order"]
            .sudo()
            .search([("lot_id", "in", lots.ids), ("state", "=", "done")])
        )
        histories = {}
        for complaint in self:
            if not complaint.lot_id:
                continue
            invoice = complaint.lot_id.vehicle_invoice_date
            mine = repairs.filtered(
                lambda r, c=complaint: (
                    r.lot_id == c.lot_id and r not in c.repair_ids and r != c.warranty_repair_id
                )
            )
            quality = mine.filtered("fault_type")
            if invoice:
                end = warranty_rules.add_years(
                    invoice, complaint.policy_id.warranty_guarantee_years
                )
                quality = quality.filtered(
                    lambda r, e=end: r.schedule_date and r.schedule_date.date() < e
                )
            histories[complaint.id] = {
                "same_fault_repairs": len(
                    mine.filtered(lambda r, c=complaint: r.fault_type == c.fault_type)
                ),
                "repair_days": sum(quality.mapped("repair_days")),
                "major_part_replacements": len(
                    mine.filtered(
                        lambda r, c=complaint: (
                            r.major_part_replaced and r.major_part_replaced == c.fault_type
                        )
                    )
                ),
            }
        return histories

    def _render_warranty_check(self, result):
        self.ensure_one()
        titles = {
            "repair_warranty": self.env._("Repair warranty: %(years)s years or %(km)s km"),
            "three_guarantee": self.env._("Three-guarantee period: %(years)s years or %(km)s km"),
            "early_failure": self.env._(
                "Steering or brake failure, body cracking or fuel leakage within %(days)s "
                "days or %(km)s km"
            ),
            "safety_after_repairs": self.env._(
                "Serious safety fault persisting after %(repairs)s repairs"
            ),
            "major_part_replaced": self.env._(
                "Engine, gearbox or the same main part replaced %(replacements)s times and "
                "still failing"
            ),
            "cumulative_repair_days": self.env._("Cumulative repair time over %(days)s days"),
            "same_problem_repairs": self.env._(
                "Same quality problem repaired more than %(repairs)s times"
            ),
        }
        remedies = {
            warranty_rules.FREE_REPAIR: self.env._("Free repair"),
            warranty_rules.REPLACE_OR_REFUND: self.env._(
                "Replacement or refund, at the customer's choice"
            ),
        }
        rows = Markup("").join(
            Markup("<tr><td>%s</td><td>%s</td><td>%s</td></tr>")
            % (
                titles[clause.key]
                % {
                    key: (f"{value:,}" if key == "km" else value)
                    for key, value in clause.facts.items()
                },
                Markup('<span class="badge text-bg-success">%s</span>') % self.env._("Applies")
                if clause.applies
                else Markup('<span class="text-muted">%s</span>') % self.env._("No"),
                remedies[clause.remedy] if clause.applies else "",
            )
            for clause in result.clauses
        )
        if result.replacement_or_refund_due:
            verdict = Markup('<p class="alert alert-danger">%s</p>') % self.env._(
                "Replacement or refund is due under the clauses marked below."
            )
        elif result.within_three_guarantee or result.within_repair_warranty:
            verdict = Markup('<p class="alert alert-info">%s</p>') % self.env._(
                "Within warranty: free repair of quality faults."
            )
        else:
            verdict = Markup('<p class="alert alert-warning">%s</p>') % self.env._(
                "Outside the warranty periods."
            )
        km = "{:,}".format(self.odometer)  # noqa: UP032
        header = Markup("<p>%s</p>") % self.env._(
            "%(days)s days since the invoice, %(km)s km.",
            days=result.days_since_invoice,
            km=km,
        )
        return (
            verdict
            + header
            + Markup(
                '<table class="table table-sm"><thead><tr><th>%s</th><th>%s</th><th>%s</th></tr>'
                "</thead><tbody>%s</tbody></table>"
            )
            % (self.env._("Clause"), self.env._("Status"), self.env._("Remedy"), rows)
        )

    # ------------------------------------------------------------------
    # Mail
    # ------------------------------------------------------------------

    def message_post(self, **kwargs):
        """Replies to the customer (mail template or phone) mark the customer as
        contacted; they never carry the internal form or the evidence."""
        if self.env.context.get("complaint_reply"):
            self._check_reply_allowed()
            internal = self.evidence_attachment_ids.ids
            if set(kwargs.get("attachment_ids") or []) & set(internal):
                raise UserError(
                    self.env._("The reply to the customer cannot carry internal documents.")
                )
            self.filtered(lambda c: not c.date_customer_contacted).write(
                {"date_customer_contacted": fields.Datetime.now()}
            )
        return super().message_post(**kwargs)

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

    def _refresh_kpis(self):
        """Recompute the clock's KPI facts of these complaints in one statement."""
        if not self:
            return
        self.env["complaint.step"].flush_model(
            ["complaint_id", "code", "state", "is_late", "date_done"]
        )
        self.flush_model(["date_received"])
        self.env.cr.execute(
            KPI_SQL + " WHERE s.complaint_id = ANY(%s) GROUP BY s.complaint_id" + KPI_SQL_END,
            [self.ids],
        )
        self.invalidate_recordset(
            [f"kpi_{code}_on_time" for code in clock_rules.STEP_CODES]
            + ["kpi_response_on_time", "kpi_hours_to_solution"]
        )

    def _refresh_satisfaction(self):
        if not self:
            return
        self.env["complaint.callback"].flush_model(["complaint_id", "state", "score"])
        self.env.cr.execute(
            """
            UPDATE complaint_complaint c
               SET kpi_satisfaction = (
                   SELECT avg(cb.score::int) FROM complaint_callback cb
                    WHERE cb.complaint_id = c.id AND cb.state = 'done' AND cb.score IS NOT NULL)
             WHERE c.id = ANY(%s)
            """,
            [self.ids],
        )
        self.invalidate_recordset(["kpi_satisfaction"])

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
        self.flush_model(["breach_count", "last_breach_date", "joint_liability", "liability_state"])
        # One statement for every breached complaint: count the breach; the
        # first responder shares the responsibility again (首问负责制).
        self.env.cr.execute(
            """
            UPDATE complaint_complaint c
               SET breach_count = COALESCE(c.breach_count, 0) + d.n,
                   last_breach_date = %s,
                   joint_liability = true,
                   liability_state = CASE WHEN c.liability_state = 'accepted'
                                          THEN 'none' ELSE c.liability_state END
              FROM unnest(%s::int[], %s::int[]) AS d(id, n)
             WHERE c.id = d.id
         RETURNING c.id, c.breach_count
            """,
            [now, list(by_complaint), [len(s) for s in by_complaint.values()]],
        )
        counts = dict(self.env.cr.fetchall())
        complaints = self.browse(list(by_complaint))
        complaints.invalidate_recordset(
            ["breach_count", "last_breach_date", "joint_liability", "liability_state"]
        )
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
        complaints._refresh_kpis()
        complaints._message_log_batch(bodies)
        quick = self.with_context(mail_activity_quick_update=True)
        pending = complaints._open_activities(ACTIVITY_OVERDUE)
        by_user = defaultdict(list)
        for complaint in complaints:
            user = complaint._breach_user()
            if (complaint.id, user.id) not in pending:
                by_user[user].append(complaint.id)
        today = fields.Date.context_today(self)
        for user, ids in by_user.items():
            quick.browse(ids).activity_schedule(
                ACTIVITY_OVERDUE,
                date_deadline=today,
                user_id=user.id,
                summary=self.env._("Complaint overdue"),
            )
        if escalate:
            escalate._escalate_to_general_managers(self.env._("Escalated complaint"))

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
