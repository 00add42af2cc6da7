"""Pure KPI formulas of the monthly review (统计分析) — no Odoo import."""

ONE_WEEK_HOURS = 7 * 24

DEFAULT_TARGETS = {
    "response_on_time": 100.0,  # % of clock steps done on time
    "closure": 100.0,  # % of complaints closed
    "one_week_closure": 80.0,  # % closed within one week of reception
    "complaint_rate": 0.15,  # % complaints / workshop visits (lower is better)
}
LOWER_IS_BETTER = frozenset({"complaint_rate"})


def rate(part, whole):
    """Percentage, or None when there is nothing to measure."""
    if not whole:
        return None
    return 100.0 * part / whole


def complaint_rate(complaints, visits):
    """Complaints per 100 workshop visits (进厂台次), as a percentage."""
    return rate(complaints, visits)


def meets_target(key, value, target):
    """Whether a KPI value meets its target (None: no data, no verdict)."""
    if value is None or target is None:
        return None
    if key in LOWER_IS_BETTER:
        return value <= target
    return value >= target
