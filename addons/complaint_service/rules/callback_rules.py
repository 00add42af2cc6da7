"""What a customer answers at a callback (pure Python: no ``odoo`` import)."""

POSITIVE_OUTCOMES = ("satisfied", "visit_needed")
NEGATIVE_OUTCOMES = ("dissatisfied",)


def contradicts(outcome, score):
    """Whether a satisfaction score says the opposite of the call's outcome: a
    dissatisfied customer scoring 4 or 5, or a satisfied one scoring 1 or 2.
    A neutral 3, or no score, goes with any outcome."""
    if not outcome or not score:
        return False
    level = int(score)
    if outcome in NEGATIVE_OUTCOMES:
        return level >= 4
    return level <= 2
