#!/usr/bin/env python3
"""Benchmark of the screens as the web client asks for them (not a test).

On the database of bench_overdue.py (1,000,000 complaints, 100,000 open, 5,000
overdue), as the department manager and as an advisor, each screen is replayed
as the web client builds its requests: the fields of the real view
(``get_views``) and those their widgets depend on, the action's default
filter, the view's order and limit, the kanban's groups with one page of each
column (one request, complaint_kanban_model.js), the list's capped count.  For each
screen: the server time (median of the runs after a first, warming one), the
slowest request, the statements and their plans (EXPLAIN), flagging any
sequential scan of complaint_complaint or complaint_step.

Targets (issue #17): <= 300 ms per screen, <= 150 ms per request; the analysis
over all data <= 1 s.

Usage: tools/bench.sh screens      (run tools/bench.sh overdue first)
"""

import os
import statistics
import time

from bench_actions import StatementLog, explain, open_registry
from lxml import etree

from odoo import SUPERUSER_ID, api, fields
from odoo.tools import date_utils

RUNS = 4
OPEN = [("state", "in", ["new", "submitted", "in_progress", "solved", "follow_up"])]


# The fields a widget asks for besides its own (its ``fieldDependencies``):
# mail/static/src/views/web/fields/{kanban,list}_activity/*.js and
# complaint_service/static/src/components/clock_badge/clock_badge.js.
ACTIVITY_FIELDS = {
    "activity_exception_decoration": {},
    "activity_exception_icon": {},
    "activity_state": {},
    "activity_summary": {},
    "activity_type_icon": {},
    "activity_type_id": {"fields": {"display_name": {}}},
}
WIDGET_DEPENDENCIES = {
    "kanban_activity": ACTIVITY_FIELDS,
    "list_activity": ACTIVITY_FIELDS,
    "complaint_clock": {"is_paused": {}, "is_due_soon": {}},
    "complaint_due": {"is_due_soon": {}},
}


def spec_of(env, model, view_type):
    """The web client's field specification for a view: its fields, many2one
    and many2many as display names, x2many as their ids or, with a list of
    their own in the view, as that list's fields (a page of 40), and the
    fields its widgets depend on."""
    views = env[model].get_views([(False, view_type)])
    arch = etree.fromstring(views["views"][view_type]["arch"])
    return _spec(views["models"], model, arch)


def _own_fields(arch):
    """The field nodes of ``arch``, not those of an x2many's own list."""
    for node in arch.iter("field"):
        parent = node.getparent()
        while parent is not arch and parent.tag != "field":
            parent = parent.getparent()
        if parent is arch:
            yield node


def _spec(models, model, arch):
    described = models[model]["fields"]
    spec = {}
    for node in _own_fields(arch):
        fname = node.get("name")
        info = described.get(fname, {})
        sublist = next(iter(node.iterchildren("list", "kanban")), None)
        if info.get("type") in ("one2many", "many2many") and sublist is not None:
            spec[fname] = {
                "fields": _spec(models, info["relation"], sublist),
                "limit": 40,
                "order": "",
            }
        elif info.get("type") in ("many2one", "many2many"):
            spec[fname] = {"fields": {"display_name": {}}}
        elif info.get("type") == "one2many":
            spec[fname] = {"fields": {}}
        else:
            spec[fname] = {}
        for dependency, value in WIDGET_DEPENDENCIES.get(node.get("widget"), {}).items():
            spec.setdefault(dependency, value)
    return spec


def aggregates_of(env, model, spec):
    """What the web client sums up in groups: the view's fields that have an
    aggregator (relational_model.js, _webReadGroup)."""
    described = env[model].fields_get(list(spec), ["aggregator"])
    return [
        f"{fname}:{info['aggregator']}"
        for fname, info in described.items()
        if info.get("aggregator")
    ]


def view_attribute(env, model, view_type, name):
    arch = env[model].get_views([(False, view_type)])["views"][view_type]["arch"]
    return etree.fromstring(arch).get(name)


def default_order_of(env, model, view_type):
    """The order the web client sends: the view's ``default_order``, if any."""
    return view_attribute(env, model, view_type, "default_order") or None


def kanban(model, domain, group_by, limit=40):
    """The groups with the first cards of each open column, in one request
    (complaint_kanban_model.js): ``web_read_group`` with the cards'
    specification."""

    def screen(env):
        Model = env[model]
        spec = spec_of(env, model, "kanban")
        # Each column counts as far as the web client asks (relational_model.js:
        # the view's count_limit, else DEFAULT_COUNT_LIMIT 10,000, at least one
        # page, plus one).
        count_limit = max(int(view_attribute(env, model, "kanban", "count_limit") or 10000), limit)
        t0 = time.perf_counter()
        Model.web_read_group(
            domain,
            aggregates_of(env, model, spec),
            [group_by],
            lazy=True,
            unfold_read_specification=spec,
            unfold_read_default_limit=limit,
            unfold_count_limit=count_limit + 1,
            unfold_order="",
        )
        return [("web_read_group", time.perf_counter() - t0)]

    return screen


def listing(model, domain, order=None, limit=80):
    def screen(env):
        spec = spec_of(env, model, "list")
        sort = order or default_order_of(env, model, "list")
        t0 = time.perf_counter()
        env[model].web_search_read(domain, spec, limit=limit, order=sort, count_limit=10001)
        return [("web_search_read", time.perf_counter() - t0)]

    return screen


def form(model, record, only=None):
    """The form's fields; ``only``: the fields an addon adds to a form of Odoo's
    (the rest of Odoo's own form is not this benchmark's)."""

    def screen(env):
        spec = spec_of(env, model, "form")
        if only:
            spec = {fname: value for fname, value in spec.items() if only(env[model], fname)}
        t0 = time.perf_counter()
        env[model].browse(record(env)).web_read(spec)
        return [("web_read", time.perf_counter() - t0)]

    return screen


def dashboard(env):
    """The Manager Dashboard opens as a new record: one onchange, then its
    KPI table (the complaint_kpi_table widget) in a request of its own."""
    spec = spec_of(env, "complaint.dashboard", "form")
    t0 = time.perf_counter()
    env["complaint.dashboard"].onchange({}, [], spec)
    t1 = time.perf_counter()
    env["complaint.dashboard"].kpi_table(env.company.id)
    return [("onchange", t1 - t0), ("kpi_table", time.perf_counter() - t1)]


def with_callbacks_to_call(env):
    """The data set has no callback to call: 2,000 confirmation callbacks of
    solved complaints, inside the run's transaction (rolled back)."""
    env.cr.execute(
        """
        INSERT INTO complaint_callback (kind, company_id, partner_id, complaint_id, team_id,
                                        complaint_state, date_due, state, is_open,
                                        attempt_count, name,
                                        create_uid, write_uid, create_date, write_date)
        SELECT 'confirmation', c.company_id, c.partner_id, c.id, c.team_id, c.state,
               now() at time zone 'utc', 'to_call', true, 0, 'Bench ' || c.id, 1, 1, now(), now()
          FROM complaint_complaint c WHERE c.state = 'solved' LIMIT 2000
        """
    )
    env.cr.execute("ANALYZE complaint_callback")


def analysis_month(env):
    today = fields.Date.today()
    start = date_utils.start_of(today, "month")
    t0 = time.perf_counter()
    env["complaint.report"].read_group(
        [("date_received_day", ">=", start)],
        ["__count", "breach_count:sum"],
        ["team_id"],
        lazy=False,
    )
    return [("read_group", time.perf_counter() - t0)]


def analysis_all(env):
    t0 = time.perf_counter()
    env["complaint.report"].read_group([], ["__count"], ["date_received_day:month"], lazy=False)
    return [("read_group", time.perf_counter() - t0)]


def main():
    registry = open_registry(__doc__)

    def a_complaint(env):
        return env["complaint.complaint"].search(OPEN, limit=1).id

    def the_customer(env):
        return env["res.partner"].search([("name", "=", "Benchmark customer")], limit=1).id

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        sample = env["complaint.complaint"].search(
            [("license_plate", "!=", False), ("vin", "!=", False)], limit=1
        )
        plate, vin, number = sample.license_plate, sample.vin, sample.name

    Complaint = "complaint.complaint"
    overdue = [("is_overdue", "=", True)]
    screens = [
        ("Complaints (kanban, Open)", kanban(Complaint, OPEN, "state")),
        ("Complaints (list, Open)", listing(Complaint, OPEN)),
        ("Overdue, by deadline", listing(Complaint, overdue, order="current_deadline")),
        ("Overdue, by received", listing(Complaint, overdue, order="date_received desc")),
        (
            "search customer 'Benchmark', Open",
            # The search view's Customer field (its filter_domain).
            kanban(Complaint, OPEN + [("partner_search", "ilike", "Benchmark")], "state"),
        ),
        ("search plate", listing(Complaint, [("license_plate", "ilike", plate)])),
        ("search VIN", listing(Complaint, [("vin", "ilike", vin)])),
        ("search number", listing(Complaint, [("name", "ilike", number)])),
        ("filter Overdue (kanban)", kanban(Complaint, overdue, "state")),
        ("Overview (departments)", listing("complaint.team", [], limit=40)),
        (
            "Callbacks (list, 2,000 to call)",
            listing("complaint.callback", [("state", "=", "to_call")]),
            with_callbacks_to_call,
        ),
        ("complaint form", form(Complaint, a_complaint)),
        (
            "customer form (the desk's fields)",
            form(
                "res.partner",
                the_customer,
                only=lambda model, fname: (
                    fname in ("name", "phone", "email", "display_name")
                    or "complaint_service" in model._fields[fname]._modules
                ),
            ),
        ),
        (
            "customer's Complaints (smart button)",
            lambda env: kanban(Complaint, [("partner_id", "=", the_customer(env))], "state")(env),
        ),
        ("Manager Dashboard", dashboard),
        ("Analysis, current month", analysis_month),
        ("Analysis, all data by month", analysis_all),
    ]

    only = os.environ.get("SCREENS")  # e.g. SCREENS="kanban" to replay some screens only
    if only:
        screens = [entry for entry in screens if only.lower() in entry[0].lower()]
    rows = []
    for login in ("bench_manager", "bench_advisor_0"):
        for label, screen, *prepare in screens:
            if label.startswith(("Analysis", "Manager")) and login != "bench_manager":
                continue  # the managers' menu
            times, slowest, statements = [], [], []
            with registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                for step in prepare:
                    step(env)
                user = env["res.users"].search([("login", "=", login)], limit=1)
                uenv = env(user=user.id, context={"lang": "en_US", "tz": "Asia/Shanghai"})
                for run in range(RUNS + 1):
                    uenv.invalidate_all()
                    with StatementLog() as log:
                        requests = screen(uenv)
                    if run == 0:
                        statements = log.statements
                        continue
                    times.append(sum(seconds for _name, seconds in requests))
                    slowest.append(max(requests, key=lambda r: r[1]))
                report = explain(cr, statements)
                cr.rollback()
            flagged = sorted({scan for _rows, scans, _key in report for scan in scans})
            worst = max(slowest, key=lambda r: r[1])
            rows.append((login, label, statistics.median(times), worst, flagged))
            print(
                f"{login:<16} {label:<40} {statistics.median(times) * 1000:8.1f} ms  "
                f"slowest {worst[0]} {worst[1] * 1000:.1f} ms  {len(statements)} statements"
                + (f"  SEQ SCAN {flagged}" if flagged else ""),
                flush=True,
            )


if __name__ == "__main__":
    main()
