"""Severity triggers (DOMAIN.md "Severity"), table-driven, without Odoo."""

from datetime import datetime, timedelta

import pytest
from conftest import load_pure
from hypothesis import given
from hypothesis import strategies as st

rules = load_pure("complaint_service", "severity_rules")

# (facts, expected level, expected triggers)
CASES = [
    ({}, 3, []),
    ({"cause": "warranty"}, 3, []),
    ({"cause": "attitude"}, 4, []),
    # Misuse is a verdict: outside the company only once a manager confirmed it.
    ({"cause": "misuse"}, 3, []),
    ({"cause": "misuse", "misuse_confirmed": False}, 3, []),
    ({"cause": "misuse", "misuse_confirmed": True}, 4, []),
    ({"cause": "attitude", "misuse_confirmed": False}, 4, []),
    ({"cause": "warranty", "misuse_confirmed": True}, 3, []),
    ({"cause": "misuse", "invalid": True}, 4, []),
    ({"cause": "misuse", "repeat": True}, 3, ["repeat"]),
    ({"cause": "misuse", "misuse_confirmed": True, "may_spread": True}, 3, ["may_spread"]),
    ({"cause": "misuse", "aged": True}, 2, ["aged"]),
    ({"cause": "misuse", "misuse_confirmed": True, "aged": True}, 3, ["aged"]),
    ({"cause": "warranty", "invalid": True}, 4, []),
    ({"injury": True}, 1, ["injury"]),
    ({"media": True, "cause": "attitude"}, 1, ["media"]),
    ({"legal": True}, 1, ["legal"]),
    ({"financial_loss": True}, 1, ["financial_loss"]),
    ({"escalated_after_mishandling": True}, 1, ["escalated_after_mishandling"]),
    ({"departments": 1}, 3, []),
    ({"departments": 2}, 2, ["departments_2"]),
    ({"departments": 3}, 1, ["departments_3"]),
    ({"departments": 5}, 1, ["departments_3"]),
    ({"unauthorized_promise": True}, 2, ["unauthorized_promise"]),
    ({"promise_not_kept": True}, 2, ["promise_not_kept"]),
    ({"cluster_customers": 2}, 3, []),
    ({"cluster_customers": 3}, 2, ["cluster"]),
    ({"repeat": True, "cause": "attitude"}, 3, ["repeat"]),
    ({"repeat": True}, 3, ["repeat"]),
    ({"may_spread": True, "cause": "attitude"}, 3, ["may_spread"]),
    ({"aged": True}, 2, ["aged"]),
    ({"aged": True, "cause": "attitude"}, 3, ["aged"]),
    ({"aged": True, "departments": 2}, 1, ["departments_2", "aged"]),
    ({"aged": True, "injury": True}, 1, ["injury"]),
    ({"injury": True, "departments": 2, "repeat": True}, 1, ["injury", "departments_2", "repeat"]),
]


@pytest.mark.parametrize(("facts", "level", "triggers"), CASES)
def test_triggers(facts, level, triggers):
    assert rules.evaluate(facts) == (level, triggers)


@pytest.mark.parametrize(("level", "major"), [(1, True), (2, True), (3, False), (4, False)])
def test_major_levels(level, major):
    assert rules.is_major(level) is major


@pytest.mark.parametrize(
    ("elapsed", "aged"),
    [
        (timedelta(days=15), False),
        (timedelta(days=15, seconds=1), True),
        (timedelta(days=3), False),
        (timedelta(days=40), True),
    ],
)
def test_aged_after_fifteen_days(elapsed, aged):
    received = datetime(2026, 11, 1, 9)
    assert rules.is_aged(received, received + elapsed) is aged


@pytest.mark.parametrize(
    ("current", "new", "manager", "reason", "refusal"),
    [
        (3, 2, False, "", None),  # anyone may raise
        (3, 1, False, None, None),
        (3, 3, False, "", None),
        (2, 3, False, "false alarm", "lower_needs_manager"),
        (2, 3, True, "", "lower_needs_reason"),
        (2, 3, True, "   ", "lower_needs_reason"),
        (2, 4, True, "Customer withdrew the media threat", None),
        (2, 5, True, "x", "invalid_level"),
        (2, 0, True, "x", "invalid_level"),
    ],
)
def test_who_may_change_the_level(current, new, manager, reason, refusal):
    assert rules.check_change(current, new, manager, reason) == refusal


@pytest.mark.parametrize(
    ("auto", "manual", "auto_at_manual", "level"),
    [
        (3, None, None, 3),
        (3, 1, 3, 1),  # raised by hand: holds
        (2, 3, 2, 3),  # lowered by a manager: holds while facts are the same
        (1, 3, 2, 1),  # facts got worse: the more severe applies
        (1, 2, 3, 1),
        (3, 4, 2, 4),  # facts got better: the decision holds
    ],
)
def test_effective_level(auto, manual, auto_at_manual, level):
    assert rules.effective_level(auto, manual, auto_at_manual) == level


flags = st.fixed_dictionaries({key: st.booleans() for key in rules.FLAG_TRIGGERS})


@given(
    flags,
    st.integers(0, 6),
    st.integers(0, 6),
    st.booleans(),
    st.booleans(),
    st.sampled_from([None, "warranty", "attitude", "misuse", "other"]),
    st.booleans(),
)
def test_level_is_the_most_severe_trigger(
    facts, departments, cluster, repeat, aged, cause, misuse_confirmed
):
    facts = dict(
        facts,
        departments=departments,
        cluster_customers=cluster,
        repeat=repeat,
        aged=aged,
        cause=cause,
        misuse_confirmed=misuse_confirmed,
    )
    level, keys = rules.evaluate(facts)
    assert level in rules.LEVELS
    without_age = min(
        [rules.base_level(cause, misuse_confirmed=misuse_confirmed)]
        + [rules.TRIGGER_LEVEL[k] for k in keys if k != "aged"]
    )
    assert level == (max(1, without_age - 1) if aged else without_age)
    # More facts never make a complaint less severe.
    worse = dict(facts, injury=True)
    assert rules.evaluate(worse)[0] <= level
    # An unconfirmed misuse is never less severe than a confirmed one.
    assert (
        rules.evaluate(dict(facts, misuse_confirmed=False))[0]
        <= rules.evaluate(dict(facts, misuse_confirmed=True))[0]
    )
