"""Pure rules of the warranty entitlement check (三包) — no Odoo import.

China's 家用汽车产品修理更换退货责任规定 (in force since 2022), minimum figures; the
periods and limits are configuration (``DEFAULT_LIMITS`` are the regulation's).
All periods count from the invoice date, and end at the first of their two
limits (time or distance) reached.

Boundaries, as the rule book states them: "within 60 days" includes day 60
(day 61 is outside); "within 3,000 km" means fewer than 3,000 km (2,999 is
inside, 3,000 outside); a period of N years ends the day before the N-th
anniversary of the invoice date.
"""

from dataclasses import dataclass, field
from datetime import date

DEFAULT_LIMITS = {
    "repair_years": 3,
    "repair_km": 60_000,
    "guarantee_years": 2,
    "guarantee_km": 50_000,
    "early_days": 60,
    "early_km": 3_000,
    "safety_repairs": 2,
    "major_part_replacements": 2,
    "cumulative_repair_days": 35,
    "same_problem_repairs": 5,
}

# Fault types (the complaint's and the repair orders' fault classification).
EARLY_FAULTS = frozenset({"steering", "brakes", "body_crack", "fuel_leak"})
SERIOUS_SAFETY_FAULTS = frozenset({"steering", "brakes", "fuel_leak", "safety"})
MAJOR_PART_FAULTS = frozenset({"engine", "gearbox", "main_part"})

REPLACE_OR_REFUND = "replacement_or_refund"
FREE_REPAIR = "free_repair"


@dataclass
class Clause:
    key: str
    applies: bool
    remedy: str
    facts: dict = field(default_factory=dict)


@dataclass
class Entitlement:
    within_repair_warranty: bool
    within_three_guarantee: bool
    days_since_invoice: int
    clauses: list

    @property
    def replacement_or_refund_due(self):
        return any(c.applies and c.remedy == REPLACE_OR_REFUND for c in self.clauses)

    def clause(self, key):
        return next(c for c in self.clauses if c.key == key)


def add_years(day, years):
    """The same day ``years`` later (28 February for 29 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def within_period(invoice_date, on_date, odometer_km, years, km):
    """Inside a period of ``years`` or ``km``, whichever comes first."""
    return on_date < add_years(invoice_date, years) and odometer_km < km


def check(invoice_date, on_date, odometer_km, fault, history=None, limits=None):
    """The entitlement of a vehicle for a fault.

    ``history``: ``same_fault_repairs`` (earlier repairs of this fault),
    ``repair_days`` (cumulative days in the workshop for quality repairs within
    the three-guarantee period), ``major_part_replacements`` (times the engine,
    the gearbox or the same main part was replaced)."""
    if not isinstance(invoice_date, date) or not isinstance(on_date, date):
        raise ValueError("invoice and complaint dates are required")
    if on_date < invoice_date:
        raise ValueError("the complaint cannot precede the invoice")
    if odometer_km is None or odometer_km < 0:
        raise ValueError("the odometer reading must be zero or more")
    limits = dict(DEFAULT_LIMITS, **(limits or {}))
    history = history or {}
    same = history.get("same_fault_repairs", 0)
    days_in_workshop = history.get("repair_days", 0)
    replacements = history.get("major_part_replacements", 0)
    days = (on_date - invoice_date).days

    repair = within_period(
        invoice_date, on_date, odometer_km, limits["repair_years"], limits["repair_km"]
    )
    guarantee = within_period(
        invoice_date, on_date, odometer_km, limits["guarantee_years"], limits["guarantee_km"]
    )
    early = days <= limits["early_days"] and odometer_km < limits["early_km"]
    clauses = [
        Clause(
            "repair_warranty",
            repair,
            FREE_REPAIR,
            {"years": limits["repair_years"], "km": limits["repair_km"]},
        ),
        Clause(
            "three_guarantee",
            guarantee,
            FREE_REPAIR,
            {"years": limits["guarantee_years"], "km": limits["guarantee_km"]},
        ),
        Clause(
            "early_failure",
            early and fault in EARLY_FAULTS,
            REPLACE_OR_REFUND,
            {"days": limits["early_days"], "km": limits["early_km"]},
        ),
        Clause(
            "safety_after_repairs",
            guarantee and fault in SERIOUS_SAFETY_FAULTS and same >= limits["safety_repairs"],
            REPLACE_OR_REFUND,
            {"repairs": limits["safety_repairs"]},
        ),
        Clause(
            "major_part_replaced",
            guarantee
            and fault in MAJOR_PART_FAULTS
            and replacements >= limits["major_part_replacements"],
            REPLACE_OR_REFUND,
            {"replacements": limits["major_part_replacements"]},
        ),
        Clause(
            "cumulative_repair_days",
            guarantee and days_in_workshop > limits["cumulative_repair_days"],
            REPLACE_OR_REFUND,
            {"days": limits["cumulative_repair_days"]},
        ),
        Clause(
            "same_problem_repairs",
            guarantee and same > limits["same_problem_repairs"],
            REPLACE_OR_REFUND,
            {"repairs": limits["same_problem_repairs"]},
        ),
    ]
    return Entitlement(repair, guarantee, days, clauses)
