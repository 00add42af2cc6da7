"""The handling clock's arithmetic, without Odoo."""

from datetime import datetime, timedelta

import pytest
from conftest import load_pure
from hypothesis import given
from hypothesis import strategies as st

rules = load_pure("complaint_service", "clock_rules")

T0 = datetime(2026, 11, 2, 9, 0)
starts = st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2035, 1, 1))
durations = st.integers(min_value=1, max_value=60 * 24 * 30)
pauses = st.floats(min_value=0, max_value=60 * 24 * 30, allow_nan=False)


def test_rule_book_durations():
    assert rules.DEFAULT_MINUTES == {
        "register": 10,
        "escalate": 30,
        "dispatch": 120,
        "solve": 1440,
        "confirm": 240,
    }
    assert rules.DEFAULT_MAJOR_MINUTES["solve"] == 48 * 60


def test_steps_in_order():
    assert rules.STEP_CODES == ("register", "escalate", "dispatch", "solve", "confirm")
    assert rules.next_step("register") == "escalate"
    assert rules.next_step("confirm") is None
    assert rules.previous_step("register") is None
    assert rules.previous_step("solve") == "dispatch"
    assert [rules.step_sequence(c) for c in rules.STEP_CODES] == [1, 2, 3, 4, 5]


def test_rounds():
    assert rules.round_steps(1) == rules.STEP_CODES
    assert rules.round_steps(2) == ("dispatch", "solve", "confirm")
    assert rules.round_steps(7) == rules.round_steps(2)
    with pytest.raises(ValueError):
        rules.round_steps(0)


@pytest.mark.parametrize(
    ("start", "minutes", "paused", "expected"),
    [
        (T0, 10, 0, T0 + timedelta(minutes=10)),
        (T0, 30, 0, T0 + timedelta(minutes=30)),
        (T0, 120, 45, T0 + timedelta(minutes=165)),
        (datetime(2026, 12, 31, 23, 0), 120, 0, datetime(2027, 1, 1, 1, 0)),
        (T0, 1440, 0.5, T0 + timedelta(hours=24, seconds=30)),
    ],
)
def test_wall_clock_deadline(start, minutes, paused, expected):
    assert rules.deadline(start, minutes, paused) == expected


@pytest.mark.parametrize("minutes", [0, -1, None])
def test_duration_must_be_positive(minutes):
    with pytest.raises(ValueError):
        rules.deadline(T0, minutes)


def test_negative_pause_refused():
    with pytest.raises(ValueError):
        rules.deadline(T0, 10, -1)


def test_planner_receives_duration_plus_pause():
    seen = []

    def plan(start, minutes):
        seen.append((start, minutes))
        return start + timedelta(days=1)

    assert rules.deadline(T0, 120, 30, plan=plan) == T0 + timedelta(days=1)
    assert seen == [(T0, 150)]


@pytest.mark.parametrize(
    ("done_after", "late"), [(-1, False), (0, False), (1, True), (60 * 24, True)]
)
def test_is_late_boundary(done_after, late):
    deadline = T0 + timedelta(minutes=10)
    assert rules.is_late(deadline, deadline + timedelta(seconds=done_after)) is late


def test_is_late_without_dates():
    assert rules.is_late(None, T0) is False
    assert rules.is_late(T0, None) is False


@pytest.mark.parametrize(
    ("minutes_to_deadline", "soon"), [(-1, False), (0, True), (59, True), (60, True), (61, False)]
)
def test_due_soon_window(minutes_to_deadline, soon):
    assert rules.is_due_soon(T0 + timedelta(minutes=minutes_to_deadline), T0) is soon


@pytest.mark.parametrize(
    ("minutes", "text"),
    [
        (0, "0 min"),
        (7, "7 min"),
        (60, "1 h"),
        (80, "1 h 20 min"),
        (-80, "1 h 20 min"),
        (1440, "1 d"),
        (1440 + 180, "1 d 3 h"),
    ],
)
def test_format_minutes(minutes, text):
    assert rules.format_minutes(minutes) == text


@given(starts, durations, pauses)
def test_deadline_is_start_plus_duration_plus_pause(start, minutes, paused):
    result = rules.deadline(start, minutes, paused)
    assert abs(rules.minutes_between(start, result) - (minutes + paused)) < 1e-6


@given(starts, durations, pauses, pauses)
def test_more_pause_never_brings_the_deadline_closer(start, minutes, pause_a, pause_b):
    low, high = sorted((pause_a, pause_b))
    assert rules.deadline(start, minutes, low) <= rules.deadline(start, minutes, high)


@given(starts, durations, durations)
def test_longer_duration_later_deadline(start, a, b):
    low, high = sorted((a, b))
    assert rules.deadline(start, low) <= rules.deadline(start, high)


@given(starts, durations, st.integers(min_value=-10_000, max_value=10_000))
def test_done_at_deadline_is_on_time_and_after_is_late(start, minutes, offset_seconds):
    deadline = rules.deadline(start, minutes)
    done = deadline + timedelta(seconds=offset_seconds)
    assert rules.is_late(deadline, done) is (offset_seconds > 0)
    assert (rules.minutes_left(deadline, done) < 0) is (offset_seconds > 0)


@given(st.integers(min_value=1, max_value=10))
def test_chain_of_steps_adds_up(rounds):
    """Steps completed exactly at their deadlines: the last deadline is the sum."""
    start = T0
    for code in rules.round_steps(rounds):
        start = rules.deadline(start, rules.DEFAULT_MINUTES[code])
    expected = sum(rules.DEFAULT_MINUTES[c] for c in rules.round_steps(rounds))
    assert rules.minutes_between(T0, start) == expected


def test_format_minutes_with_translated_units():
    texts = {
        "days_hours": "%(days)s 天 %(hours)s 小时",
        "days": "%(days)s 天",
        "hours_mins": "%(hours)s 小时 %(mins)s 分钟",
        "hours": "%(hours)s 小时",
        "mins": "%(mins)s 分钟",
    }
    assert rules.format_minutes(80, texts) == "1 小时 20 分钟"
    assert rules.format_minutes(1440 * 2, texts) == "2 天"


@given(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False))
def test_split_minutes_adds_back_up(minutes):
    days, hours, mins = rules.split_minutes(minutes)
    assert 0 <= hours < 24 and 0 <= mins < 60
    assert days * 1440 + hours * 60 + mins == int(round(abs(minutes)))


@pytest.mark.parametrize(
    ("late", "done_at", "expected"),
    [
        (True, None, "late"),
        (True, datetime(2026, 11, 2, 9, 0), "late"),
        (False, datetime(2026, 11, 2, 9, 0), "on_time"),
        (False, None, "pending"),
    ],
)
def test_step_timing(late, done_at, expected):
    """A step found overdue counts late even before it is done."""
    assert rules.step_timing(late, done_at) == expected
