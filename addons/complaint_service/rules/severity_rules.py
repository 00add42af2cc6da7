"""Pure rules of complaint severity (投诉等级) — no Odoo import.

Level 1 is the most severe.  The triggers are the rule book's ("Severity");
the model gathers the facts of a complaint and calls ``evaluate``.
"""

LEVELS = (1, 2, 3, 4)
MAJOR_LEVELS = frozenset({1, 2})
CLUSTER_CUSTOMERS = 3  # same fault from this many different customers ...
CLUSTER_DAYS = 30  # ... within this many days
AGED_DAYS = 15  # unresolved for longer than this: one level up

# Triggers, in the order they are reported: (key, level).  Their labels are
# translated by the model.
TRIGGERS = (
    ("injury", 1),
    ("media", 1),
    ("legal", 1),
    ("financial_loss", 1),
    ("escalated_after_mishandling", 1),
    ("departments_3", 1),
    ("departments_2", 2),
    ("unauthorized_promise", 2),
    ("promise_not_kept", 2),
    ("cluster", 2),
    ("repeat", 3),
    ("may_spread", 3),
)
TRIGGER_LEVEL = dict(TRIGGERS)
# Causes that are not the company's: level 4 unless a trigger says otherwise.
NON_COMPANY_CAUSES = frozenset({"attitude", "misuse"})
# ... misuse only as a verdict: once a manager confirmed it on firm evidence
# (the ``misuse_confirmed`` fact); until then it is a suspicion, level 3.
CONFIRMED_CAUSES = frozenset({"misuse"})

FLAG_TRIGGERS = (
    "injury",
    "media",
    "legal",
    "financial_loss",
    "escalated_after_mishandling",
    "unauthorized_promise",
    "promise_not_kept",
    "may_spread",
)


def is_non_company_cause(cause, misuse_confirmed=False):
    """Whether ``cause`` puts the complaint outside the company: misuse only
    once confirmed."""
    if cause in CONFIRMED_CAUSES and not misuse_confirmed:
        return False
    return cause in NON_COMPANY_CAUSES


def base_level(cause=None, invalid=False, misuse_confirmed=False):
    """Level 4 for service attitude and non-company causes (misuse once
    confirmed), else 3."""
    return 4 if invalid or is_non_company_cause(cause, misuse_confirmed) else 3


def active_triggers(facts):
    """Keys of the triggers the facts set off.

    ``facts``: mapping with the boolean flags of FLAG_TRIGGERS, ``departments``
    (number of departments involved), ``cluster_customers`` (different customers
    with the same fault within CLUSTER_DAYS, this one included), ``repeat``."""
    keys = [key for key in FLAG_TRIGGERS if facts.get(key)]
    departments = facts.get("departments", 0) or 0
    if departments >= 3:
        keys.append("departments_3")
    elif departments == 2:
        keys.append("departments_2")
    if (facts.get("cluster_customers", 0) or 0) >= CLUSTER_CUSTOMERS:
        keys.append("cluster")
    if facts.get("repeat"):
        keys.append("repeat")
    order = [key for key, _level in TRIGGERS]
    return sorted(keys, key=order.index)


def evaluate(facts):
    """(level, trigger keys) of a complaint.

    The level is the most severe of the base level (``cause``, ``invalid``,
    ``misuse_confirmed`` facts) and the triggers; an ``aged`` complaint
    (unresolved after AGED_DAYS) goes one level up, and ``aged`` is then
    reported among the triggers."""
    keys = active_triggers(facts)
    level = min(
        [base_level(facts.get("cause"), facts.get("invalid"), facts.get("misuse_confirmed"))]
        + [TRIGGER_LEVEL[key] for key in keys]
    )
    if facts.get("aged") and level > 1:
        level -= 1
        keys = [*keys, "aged"]
    return level, keys


def is_major(level):
    return level in MAJOR_LEVELS


def is_aged(received, now, days=AGED_DAYS):
    """Unresolved for more than ``days`` days since it was received."""
    return (now - received).total_seconds() > days * 86400


def effective_level(auto, manual=None, auto_at_manual=None):
    """The level in force.

    A person's decision (``manual``) holds while the facts do not get worse
    than when it was taken (``auto_at_manual``); once they do, the more severe
    of the two applies."""
    if manual is None:
        return auto
    if auto_at_manual is not None and auto < auto_at_manual:
        return min(auto, manual)
    return manual


def check_change(current, new, is_manager, reason):
    """Whether a person may set the level from ``current`` to ``new``.

    Returns None when allowed, else the key of the refusal: raising (a smaller
    number) is open to anyone handling the case; lowering needs a manager and a
    reason."""
    if new not in LEVELS:
        return "invalid_level"
    if new > current:
        if not is_manager:
            return "lower_needs_manager"
        if not (reason or "").strip():
            return "lower_needs_reason"
    return None
