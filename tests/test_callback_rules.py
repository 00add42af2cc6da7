"""The callback answers' consistency rule, without Odoo."""

import pytest
from conftest import load_pure

callback_rules = load_pure("complaint_service", "callback_rules")


@pytest.mark.parametrize(
    ("outcome", "score", "expected"),
    [
        ("dissatisfied", "5", True),
        ("dissatisfied", "4", True),
        ("dissatisfied", "3", False),
        ("dissatisfied", "1", False),
        ("satisfied", "1", True),
        ("satisfied", "2", True),
        ("satisfied", "3", False),
        ("satisfied", "5", False),
        ("visit_needed", "2", True),
        ("visit_needed", "4", False),
        ("dissatisfied", False, False),
        (False, "5", False),
    ],
)
def test_score_contradicting_the_outcome(outcome, score, expected):
    assert callback_rules.contradicts(outcome, score) is expected
