"""KPI formulas of the monthly review, without Odoo."""

import pytest
from conftest import load_pure

rules = load_pure("complaint_reports", "kpi_rules")


@pytest.mark.parametrize(
    ("part", "whole", "expected"), [(3, 4, 75.0), (0, 4, 0.0), (4, 4, 100.0), (1, 0, None)]
)
def test_rate(part, whole, expected):
    assert rules.rate(part, whole) == expected


def test_complaint_rate_against_the_brand_target():
    # 3 complaints for 2,000 workshop visits: 0.15 %, exactly the target.
    value = rules.complaint_rate(3, 2000)
    assert value == pytest.approx(0.15)
    assert rules.meets_target("complaint_rate", value, 0.15)
    assert not rules.meets_target("complaint_rate", rules.complaint_rate(4, 2000), 0.15)


@pytest.mark.parametrize(
    ("key", "value", "target", "meets"),
    [
        ("closure", 100.0, 100.0, True),
        ("closure", 99.9, 100.0, False),
        ("one_week_closure", 80.0, 80.0, True),
        ("one_week_closure", 79.0, 80.0, False),
        ("complaint_rate", 0.1, 0.15, True),
        ("closure", None, 100.0, None),
    ],
)
def test_meets_target(key, value, target, meets):
    assert rules.meets_target(key, value, target) is meets


def test_default_targets_are_the_rule_book():
    assert rules.DEFAULT_TARGETS == {
        "response_on_time": 100.0,
        "closure": 100.0,
        "one_week_closure": 80.0,
        "complaint_rate": 0.15,
    }
