#!/usr/bin/env python3
"""Benchmark of what people do all day at a dealer group's volume (not a test).

On the database of bench_overdue.py (1,000,000 complaints, 100,000 open), as the
complaint manager, each measurement in a transaction that is rolled back:

  * intake: 2,000 complaints in one create() and 200 one by one, beside a bare
    res.partner create of the same size;
  * each action of the clock, classification, approval, reply, pause/resume and
    the callback log, median server time over fresh complaints;
  * for each action, the SELECT statements it issued with the plan's estimated
    rows (EXPLAIN), flagging a sequential scan of complaint_complaint or
    complaint_step: the next unindexed lookup shows up here.

Usage: tools/bench.sh actions      (run tools/bench.sh overdue first)
"""

import argparse
import platform
import statistics
import time

import odoo
from odoo import SUPERUSER_ID, api, fields
from odoo.sql_db import Cursor

BIG_TABLES = ("complaint_complaint", "complaint_step")
RUNS = 15


class StatementLog:
    """The SQL statements run through Odoo's cursors while active."""

    def __init__(self):
        self.statements = []
        self._execute = None

    def __enter__(self):
        self._execute = Cursor.execute
        log = self.statements

        def execute(cr, query, params=None, log_exceptions=True):
            log.append((query, params))
            return self._execute(cr, query, params, log_exceptions)

        Cursor.execute = execute
        return self

    def __exit__(self, *exc):
        Cursor.execute = self._execute


def seq_scans(plan, found=None):
    """(relation, estimated rows) of the sequential scans of big tables in a plan."""
    found = [] if found is None else found
    if plan.get("Node Type") == "Seq Scan" and plan.get("Relation Name") in BIG_TABLES:
        found.append((plan["Relation Name"], plan.get("Plan Rows")))
    for child in plan.get("Plans", []):
        seq_scans(child, found)
    return found


def explain(cr, statements):
    """Rows estimated for each distinct SELECT, and the flagged scans."""
    seen, report = set(), []
    for query, raw_params in statements:
        text = query.code if hasattr(query, "code") else str(query)
        params = query.params if hasattr(query, "params") else raw_params
        if not text.lstrip().upper().startswith("SELECT") or " FOR " in text.upper():
            continue
        key = " ".join(text.split())[:160]
        if key in seen:
            continue
        seen.add(key)
        cr.execute("SAVEPOINT bench_explain")
        try:
            cr.execute("EXPLAIN (FORMAT JSON) " + text, params)
            plan = cr.fetchone()[0][0]["Plan"]
        except Exception:  # noqa: BLE001 - a statement that cannot be explained alone
            cr.execute("ROLLBACK TO SAVEPOINT bench_explain")
            continue
        cr.execute("RELEASE SAVEPOINT bench_explain")
        report.append((plan.get("Plan Rows"), seq_scans(plan), key))
    return report


def new_complaints(env, count, partner, team):
    Complaint = env["complaint.complaint"]
    return Complaint.create(
        [
            {
                "partner_id": partner.id,
                "description": f"Benchmark action complaint {i}",
                "team_id": team.id,
            }
            for i in range(count)
        ]
    )


def finish(env):
    """What the server does after the method, before its commit: the flush,
    then the pre-commit work (the tracking messages are created there).
    Returns the seconds of the pre-commit part."""
    env.flush_all()
    t0 = time.perf_counter()
    env.cr.precommit.run()
    env.flush_all()
    return time.perf_counter() - t0


def as_manager(env):
    """The bench manager's environment (a user without an e-mail address, as
    many at a dealership: since issue #17 that blocks no action)."""
    manager = env["res.users"].search([("login", "=", "bench_manager")], limit=1)
    return env(user=manager.id)


def open_registry(doc):
    """The registry of the benchmark's database (--config, --database), the
    machine printed first."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--config", required=True)
    parser.add_argument("--database", default="complaint_bench")
    args = parser.parse_args()
    odoo.tools.config.parse_config(["-c", args.config, "-d", args.database])
    print(f"machine: {platform.machine()}, Python {platform.python_version()}")
    return odoo.modules.registry.Registry(args.database)


def main():
    registry = open_registry(__doc__)

    results = []

    def measure(label, action, setup, runs=RUNS):
        """Median seconds of ``action(record)`` over fresh records from ``setup``:
        flushed (the issue's measure), and with the pre-commit work."""
        times, committed, statements = [], [], []
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            menv = as_manager(env)
            records = setup(menv, runs)
            finish(menv)
            for index, record in enumerate(records):
                menv.invalidate_all()
                with StatementLog() as log:
                    t0 = time.perf_counter()
                    action(record)
                    menv.flush_all()
                    times.append(time.perf_counter() - t0)
                    committed.append(times[-1] + finish(menv))
                if index == 0:
                    statements = log.statements
            report = explain(cr, statements)
            cr.rollback()
        median = statistics.median(times)
        flagged = [scan for _rows, scans, _key in report for scan in scans]
        worst = max((rows or 0 for rows, _s, _k in report), default=0)
        results.append((label, median, max(times), len(statements), worst, flagged))
        print(
            f"{label:<34} median {median * 1000:8.1f} ms  max {max(times) * 1000:8.1f} ms  "
            f"with pre-commit {statistics.median(committed) * 1000:8.1f} ms  "
            f"{len(statements):3d} statements, largest SELECT estimate {worst:,} rows"
            + (f"  SEQ SCAN {flagged}" if flagged else ""),
            flush=True,
        )

    def context(menv):
        team = menv["complaint.team"].search([("name", "like", "Bench team")], limit=1)
        partner = menv["res.partner"].search([("name", "=", "Benchmark customer")], limit=1)
        return team, partner

    # Intake, beside a bare partner create.
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        menv = as_manager(env)
        team, partner = context(menv)
        for label, model, make in (
            ("res.partner", "res.partner", lambda i: {"name": f"Bench partner {i}"}),
            (
                "complaint.complaint",
                "complaint.complaint",
                lambda i: {
                    "partner_id": partner.id,
                    "description": f"Bench intake {i}",
                    "team_id": team.id,
                },
            ),
        ):
            # The partner baseline as the system (a complaint manager may not create
            # contacts); the complaints as the manager.
            Model = env[model] if model == "res.partner" else menv[model]
            t0 = time.perf_counter()
            Model.create([make(i) for i in range(2000)])
            menv.flush_all()  # the measure: flushed
            batch = 2000 / (time.perf_counter() - t0)
            t0 = time.perf_counter()
            for i in range(200):
                Model.create(make(i))
                menv.flush_all()
            single = 200 / (time.perf_counter() - t0)
            print(
                f"intake {label:<20} one create of 2,000: {batch:6.1f}/s, singly: {single:6.1f}/s"
            )
            cr.rollback()
            menv.invalidate_all()

    def fresh(state):
        def setup(menv, runs):
            team, partner = context(menv)
            complaints = new_complaints(menv, runs, partner, team)
            if state in ("submitted", "in_progress", "approved", "solved"):
                complaints.action_send_to_manager()
            if state in ("in_progress", "approved", "solved"):
                complaints.write({"user_id": team.manager_id.id})
                complaints.action_dispatch()
                complaints.write(
                    {
                        "cause": "other",
                        "cause_analysis": "Found.",
                        "solution": "Fixed for free.",
                        "date_customer_contacted": fields.Datetime.now(),
                        "compensation_type": "discount",
                        "compensation_amount": 100,
                    }
                )
                complaints.action_request_approval()
            if state in ("approved", "solved"):
                complaints.action_approve_solution()
            if state == "solved":
                complaints.action_propose_solution()
            return complaints

        return setup

    def callbacks(menv, runs):
        return fresh("solved")(menv, runs).callback_ids

    def call_logs(menv, runs):
        """The call log's wizard as its form saves it (the first request)."""
        return menv["complaint.callback.log.wizard"].create(
            [
                {"callback_id": callback.id, "reached": "yes", "outcome": "satisfied", "score": "5"}
                for callback in callbacks(menv, runs)
            ]
        )

    def assigned(menv, runs):
        """Submitted complaints whose responsible person the form saved."""
        complaints = fresh("submitted")(menv, runs)
        for complaint in complaints:
            complaint.write({"user_id": complaint.manager_id.id})
        return complaints

    def paused(menv, runs):
        complaints = fresh("new")(menv, runs)
        for complaint in complaints:
            complaint.env["complaint.pause.wizard"].create(
                {"complaint_id": complaint.id, "reason_type": "customer", "reason": "Away"}
            ).action_pause()
        return complaints

    def pause_wizards(menv, runs):
        return menv["complaint.pause.wizard"].create(
            [
                {"complaint_id": complaint.id, "reason_type": "customer", "reason": "Away"}
                for complaint in fresh("new")(menv, runs)
            ]
        )

    # One line per request the web client sends: a button on a form that has
    # changes saves them first (web_save), then calls the method; a wizard's
    # button saves the wizard, then calls its method.
    measure("action_send_to_manager", lambda c: c.action_send_to_manager(), fresh("new"))
    measure(
        "save the responsible person",
        lambda c: c.write({"user_id": c.manager_id.id}),
        fresh("submitted"),
    )
    measure("action_dispatch", lambda c: c.action_dispatch(), assigned)
    measure("action_approve_solution", lambda c: c.action_approve_solution(), fresh("in_progress"))
    measure("action_propose_solution", lambda c: c.action_propose_solution(), fresh("approved"))
    measure("classification write (cause)", lambda c: c.write({"cause": "pricing"}), fresh("new"))
    measure("pause: its Pause button", lambda w: w.action_pause(), pause_wizards)
    measure("action_resume", lambda c: c.action_resume(), paused)
    measure(
        "callback log: the wizard saved",
        lambda c: c.env["complaint.callback.log.wizard"].create(
            {"callback_id": c.id, "reached": "yes", "outcome": "satisfied", "score": "5"}
        ),
        callbacks,
    )
    measure("callback log: its Log button", lambda w: w.action_log(), call_logs)


if __name__ == "__main__":
    main()
