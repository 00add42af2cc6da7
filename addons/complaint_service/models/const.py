"""Constants of complaint_service shared by its models, wizards and by
complaint_reports: external ids, selections, the fields each concern watches,
time windows.  The windows themselves are rules: they come from ``rules/``."""

import re
from datetime import timedelta

from ..rules import clock_rules, severity_rules

# External ids
ACTIVITY_STEP = "complaint_service.mail_activity_type_complaint_step"
ACTIVITY_OVERDUE = "complaint_service.mail_activity_type_complaint_overdue"
ACTIVITY_ESCALATION = "complaint_service.mail_activity_type_complaint_escalation"
ACTIVITY_APPROVAL = "complaint_service.mail_activity_type_complaint_approval"
GROUP_USER = "complaint_service.group_complaint_user"
GROUP_MANAGER = "complaint_service.group_complaint_manager"
GROUP_GENERAL_MANAGER = "complaint_service.group_complaint_general_manager"
GROUP_CALLBACK = "complaint_service.group_complaint_callback"

# Selections
STATES = [
    ("new", "Registered"),
    ("submitted", "With Manager"),
    ("in_progress", "In Progress"),
    ("solved", "Awaiting Confirmation"),
    ("follow_up", "Follow-up"),
    ("closed", "Closed"),
]
# Every state but closed.  Domains say ("state", "in", OPEN_STATES): unlike
# ("state", "!=", "closed"), which Odoo writes "state != 'closed' OR state IS
# NULL", it reads the state indexes instead of the whole table.
OPEN_STATES = tuple(code for code, _label in STATES if code != "closed")
CHANNELS = [
    ("oem", "OEM hotline work order"),
    ("walk_in", "Walk-in return"),
    ("on_site", "On-site"),
    ("phone", "Phone"),
    ("callback", "Callback"),
    ("web", "Web / forum / media"),
    ("other", "Other"),
]
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
STEP_TIMINGS = [("on_time", "On time"), ("late", "Late")]
SCORES = [
    ("1", "1 - Very dissatisfied"),
    ("2", "2 - Dissatisfied"),
    ("3", "3 - Neutral"),
    ("4", "4 - Satisfied"),
    ("5", "5 - Very satisfied"),
]
OUTCOMES = [
    ("satisfied", "Satisfied"),
    ("visit_needed", "Satisfied, workshop visit still needed"),
    ("dissatisfied", "Dissatisfied"),
]

# Steps of the clock and who completes each, read from the complaint.
STEP_CODES = clock_rules.STEP_CODES
STEP_USER_FIELD = {
    "register": "first_responder_id",
    "escalate": "first_responder_id",
    "dispatch": "manager_id",
    "solve": "user_id",
    "confirm": "callback_user_id",
}
# Steps whose on-time rate is the "response on time" KPI.
RESPONSE_STEPS = ("register", "escalate", "dispatch")
# The clock's stored KPI facts: each step's timing, and the response's.
TIMING_FIELDS = tuple(f"timing_{code}" for code in (*STEP_CODES, "response"))

# Fields each concern watches in write().
# People: the steps not done yet follow a reassignment.
PEOPLE_FIELDS = {"team_id", "user_id", "callback_user_id", "first_responder_id"}
# A change of the solution calls for a new approval.
SOLUTION_FIELDS = {"solution", "compensation_type", "compensation_amount"}
# Facts the severity depends on.
SEVERITY_FIELDS = {
    "cause",
    "misuse_confirmed_by_id",
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
# Fields the vehicle register learns from (the lot's plate and owner).
VEHICLE_FIELDS = {"lot_id", "license_plate", "partner_id"}

# Input limits, checked before the database sees the values.
# VIN (ISO 3779): 17 letters and digits; I, O and Q are never used.
VIN_LENGTH = 17
VIN_PATTERN = re.compile(r"[A-HJ-NPR-Z0-9]{17}")
PLATE_MAX_LENGTH = 20
ODOMETER_MAX = 2_000_000  # km: no car's odometer reads more

# Time windows
# Tolerance for the clock of the browser that sends "time received".
FUTURE_TOLERANCE = timedelta(minutes=1)
DUE_SOON = timedelta(minutes=clock_rules.DUE_SOON_MINUTES)
CLUSTER_WINDOW = timedelta(days=severity_rules.CLUSTER_DAYS)
AGED_AFTER = timedelta(days=severity_rules.AGED_DAYS)

# Facts that hold a person accountable: they change only through the code that
# owns them (the clock's actions and sweep, the approval actions, the severity
# rules and the lowering wizard, the justification actions, the call log, the
# sequence), which writes them with sudo() after checking the acting user's
# rights.  Any other create/write by a non-superuser is refused.
COMPLAINT_PROTECTED_FIELDS = frozenset(
    {
        # intake and clock
        "name",
        "state",
        "date_registered",
        "date_received_day",
        "round",
        "is_repeat",
        "current_step_id",
        "current_step",
        "current_deadline",
        "is_paused",
        "date_closed",
        "breach_count",
        "last_breach_date",
        *TIMING_FIELDS,
        "date_solved",
        "step_ids",
        # the customer's confirmation link
        "access_token",
        "confirm_link_expiry",
        "confirmation_channel",
        "pause_ids",
        # classification
        "misuse_confirmed_by_id",
        "misuse_confirmed_date",
        # severity
        "severity",
        "severity_reason",
        "severity_auto",
        "severity_manual",
        "severity_auto_at_manual",
        "is_major",
        "cluster_customers",
        "is_aged",
        "early_warning_ids",
        # accountability
        "joint_liability",
        "liability_state",
        # solution and authority
        "approval_required",
        "approval_level",
        "approval_state",
        "approved_by_id",
        "approved_date",
        # follow-up
        "kpi_satisfaction",
        "callback_ids",
    }
)
CALLBACK_PROTECTED_FIELDS = frozenset(
    {
        "state",
        "outcome",
        "score",
        "score_value",
        "date_done",
        "attempt_ids",
        "attempt_count",
        "is_open",
        "answer_channel",
        # the complaint's, kept on the callback for its record rules
        "team_id",
        "complaint_state",
        "complaint_first_responder_id",
        "complaint_user_id",
        "complaint_callback_user_id",
        "complaint_create_uid",
    }
)
