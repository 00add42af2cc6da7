"""The complaint desk's pickers offer some records first (the department's
people, the customer's vehicles): one way of doing it for every picker."""

from odoo.osv import expression


def name_search_first(name_search, first_domain, name, args, operator, limit):
    """``name_search`` (a model's super().name_search) with the records of
    ``first_domain`` first, then the others that match, within ``limit``."""
    args = list(args or [])
    first = name_search(name, expression.AND([args, first_domain]), operator, limit)
    if limit and len(first) >= limit:
        return first
    rest = name_search(
        name,
        expression.AND([args, [("id", "not in", [id_ for id_, _name in first])]]),
        operator,
        limit and limit - len(first),
    )
    return first + rest
