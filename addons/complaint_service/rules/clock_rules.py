"""Pure rules of the complaint handling clock (no Odoo import).

The rule book's clock: 10 min to register, 30 min to reach the department
manager, 2 h to dispatch, 24 h to find the cause and propose a solution, 4 h to
confirm by callback.  Each step's deadline counts from the completion of the
step before it; paused time does not count.  Kept free of Odoo so that plain
pytest (and property tests) can exercise it; the models call it.
"""

from datetime import timedelta

# Steps in order: (code, label).  The labels are translated by the models.
STEPS = (
    ("register", "Register"),
    ("escalate", "Reach manager"),
    ("dispatch", "Dispatch"),
    ("solve", "Solve"),
    ("confirm", "Confirm"),
)
STEP_CODES = tuple(code for code, _label in STEPS)

# Default durations in minutes, for ordinary and for major complaints.
DEFAULT_MINUTES = {
    "register": 10,
    "escalate": 30,
    "dispatch": 120,
    "solve": 24 * 60,
    "confirm": 4 * 60,
}
DEFAULT_MAJOR_MINUTES = dict(DEFAULT_MINUTES, solve=48 * 60)

# A rejected solution sends the complaint back to this step (a new round).
REOPEN_STEP = "dispatch"

# A running step is "due soon" within this many minutes of its deadline (the
# search filter, the dashboard and the clock badge all read it from here).
DUE_SOON_MINUTES = 60


def step_sequence(code):
    """1-based position of a step."""
    return STEP_CODES.index(code) + 1


def previous_step(code):
    index = STEP_CODES.index(code)
    return STEP_CODES[index - 1] if index else None


def next_step(code):
    index = STEP_CODES.index(code)
    return STEP_CODES[index + 1] if index + 1 < len(STEP_CODES) else None


def round_steps(round_number):
    """Codes of the steps a round runs through: all five for the first
    round, from the reopen step for later rounds."""
    if round_number < 1:
        raise ValueError("rounds are counted from 1")
    if round_number == 1:
        return STEP_CODES
    return STEP_CODES[STEP_CODES.index(REOPEN_STEP) :]


def check_duration(minutes):
    """A policy duration must be a positive number of minutes."""
    if minutes is None or minutes <= 0:
        raise ValueError("duration must be positive")
    return minutes


def deadline(start, minutes, paused_minutes=0.0, plan=None):
    """Deadline of a step that started at ``start`` and may last ``minutes``.

    ``paused_minutes`` is the time the step spent paused, measured in the same
    clock as the duration (wall-clock minutes, or working minutes for a
    calendar).  ``plan(start, minutes)`` plans working time on a calendar; without
    it the clock is wall-clock time.
    """
    check_duration(minutes)
    if paused_minutes < 0:
        raise ValueError("paused time cannot be negative")
    total = minutes + paused_minutes
    if plan is not None:
        return plan(start, total)
    return start + timedelta(minutes=total)


def is_late(deadline_at, done_at):
    """A step done strictly after its deadline is late."""
    return bool(deadline_at and done_at and done_at > deadline_at)


def step_timing(late, done_at):
    """How a step stands for the statistics: late, done on time, or pending."""
    if late:
        return "late"
    return "on_time" if done_at else "pending"


def minutes_between(start, end):
    return (end - start).total_seconds() / 60.0


def minutes_left(deadline_at, now):
    """Minutes before the deadline (negative once overdue)."""
    return minutes_between(now, deadline_at)


def is_due_soon(deadline_at, now, window_minutes=DUE_SOON_MINUTES):
    """Not yet overdue, and due within the window."""
    return now <= deadline_at <= now + timedelta(minutes=window_minutes)


def split_minutes(minutes):
    """(days, hours, minutes) of an absolute number of minutes, rounded."""
    minutes = int(round(abs(minutes)))
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    return days, hours, mins


def format_minutes(minutes, texts=None):
    """'2 d 3 h', '1 h 20 min', '7 min' for an absolute number of minutes.

    ``texts`` maps the keys of ``FORMATS`` to translated patterns."""
    texts = texts or FORMATS
    days, hours, mins = split_minutes(minutes)
    if days:
        key = "days_hours" if hours else "days"
    elif hours:
        key = "hours_mins" if mins else "hours"
    else:
        key = "mins"
    return texts[key] % {"days": days, "hours": hours, "mins": mins}


FORMATS = {
    "days_hours": "%(days)s d %(hours)s h",
    "days": "%(days)s d",
    "hours_mins": "%(hours)s h %(mins)s min",
    "hours": "%(hours)s h",
    "mins": "%(mins)s min",
}
