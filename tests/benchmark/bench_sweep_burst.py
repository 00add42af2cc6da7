#!/usr/bin/env python3
"""Benchmark of the overdue sweep after downtime, while people work (not a test).

On a copy of the database of bench_overdue.py (1,000,000 complaints, 100,000
open; the copy is made from it as a template and dropped at the end, because
the sweep commits):

  * 10,000 running steps are moved just past their deadline at once (a burst
    of breaches, as after a server downtime);
  * 10 editors write on those late complaints, each in its own process (as
    the prefork server's workers; threads would share the sweep's
    interpreter lock) and transaction that holds the row for 50 ms, about
    30 writes/s in all (the issue saw 19/s), retried on serialisation
    failure as the server does;
  * the sweep runs as the cron runs it: batch after batch, each committed,
    called again at once while breaches remain (ir.cron's progress protocol),
    until every breach is marked.

The sweep records the facts of each breach (late step, counters, KPI facts,
shared liability); the notes, activities and escalations follow in the job it
triggers (complaint.breach.notice), run next as its cron runs it, with the
editors still at work.

Reported: the time to clear the burst (every breach marked), the batches and
what each took, then the time the notices took, the editors' writes and
errors.  Target (issue #11): the burst cleared in <= 10 s.

Usage: tools/bench.sh sweep_burst       (run tools/bench.sh overdue first)
"""

import argparse
import multiprocessing
import platform
import random
import statistics
import time

import psycopg2
from bench_overdue import make_new_breaches

import odoo
from odoo import SUPERUSER_ID, api
from odoo.service.model import retrying

BURST = 10_000
EDITORS = 10
HOLD = 0.05  # seconds an editor's transaction holds its row
PAUSE = 0.2  # between an editor's writes: about 30 writes/s for 10 editors here


def connect_admin(config):
    return psycopg2.connect(
        dbname="postgres",
        host=config["db_host"] or None,
        port=config["db_port"] or None,
        user=config["db_user"] or None,
        password=config["db_password"] or None,
    )


def copy_database(config, source, target):
    conn = connect_admin(config)
    conn.autocommit = True
    with conn.cursor() as cr:
        cr.execute(f'DROP DATABASE IF EXISTS "{target}"')
        cr.execute(f'CREATE DATABASE "{target}" TEMPLATE "{source}"')
    conn.close()


def drop_database(config, name):
    odoo.sql_db.close_db(name)
    conn = connect_admin(config)
    conn.autocommit = True
    with conn.cursor() as cr:
        cr.execute(f'DROP DATABASE IF EXISTS "{name}"')
    conn.close()


def make_burst(registry, count):
    """Move ``count`` open, unmarked running steps just past their deadline;
    returns their complaints."""
    with registry.cursor() as cr:
        ids = make_new_breaches(cr, count)
        cr.execute("ANALYZE complaint_step")
    return ids


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", required=True)
    parser.add_argument("--database", default="complaint_bench")
    args = parser.parse_args()
    odoo.tools.config.parse_config(["-c", args.config])
    config = odoo.tools.config
    copy = f"{args.database}_burst"
    print(f"copying {args.database} to {copy}", flush=True)
    copy_database(config, args.database, copy)
    try:
        registry = odoo.modules.registry.Registry(copy)
        run(registry)
    finally:
        drop_database(config, copy)


def editor(config_file, dbname, uid, late_ids, seed, stop, ready, results):
    """One user editing late complaints until told to stop (its own process)."""
    odoo.tools.config.parse_config(["-c", config_file])
    registry = odoo.modules.registry.Registry(dbname)
    rnd = random.Random(seed)
    writes, errors = [], []
    ready.release()
    while not stop.is_set():
        complaint_id = rnd.choice(late_ids)

        def edit(env, complaint_id=complaint_id):
            complaint = env["complaint.complaint"].browse(complaint_id)
            complaint.write({"customer_request": f"Call me back ({rnd.random():.4f})"})
            env.flush_all()
            time.sleep(HOLD)

        try:
            with registry.cursor() as cr:
                env = api.Environment(cr, uid, {})
                retrying(lambda env=env, edit=edit: edit(env), env)
            writes.append(time.time())
        except Exception as exc:  # noqa: BLE001 - counted and reported
            errors.append(repr(exc)[:200])
        stop.wait(PAUSE)
    results.put((writes, errors))


def remaining(cr):
    """Breaches not marked yet."""
    cr.execute(
        "SELECT count(*) FROM complaint_step WHERE state = 'running' "
        "AND is_late IS NOT TRUE AND date_deadline < now() at time zone 'utc'"
    )
    return cr.fetchone()[0]


def run_batches(registry, model, method, left=None):
    """Call a cron job batch after batch, each batch committed with its
    pre-commit work (tracking) as the cron commits it, until ``left(cr)`` says
    nothing is left (without ``left``: until a batch handles nothing).
    Returns [(handled, seconds)] of the batches and the total seconds."""
    batches = []
    t0 = time.perf_counter()
    while True:
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            b0 = time.perf_counter()
            done = getattr(env[model], method)()
            env.flush_all()
            cr.precommit.run()
            cr.commit()
            if done:
                batches.append((done, time.perf_counter() - b0))
            if (left(cr) if left else done) == 0:
                return batches, time.perf_counter() - t0


def run(registry):
    late_ids = make_burst(registry, BURST)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        manager = env["res.users"].search([("login", "=", "bench_manager")], limit=1)
    ctx = multiprocessing.get_context("spawn")
    stop, ready = ctx.Event(), ctx.Semaphore(0)
    results = ctx.Queue()
    editors = [
        ctx.Process(
            target=editor,
            args=(odoo.tools.config.rcfile, registry.db_name, manager.id, late_ids, seed),
            kwargs={"stop": stop, "ready": ready, "results": results},
            daemon=True,  # never outlives the benchmark, even when it fails
        )
        for seed in range(EDITORS)
    ]
    for process in editors:
        process.start()
    for _process in editors:
        ready.acquire()
    time.sleep(2)  # the editors are at work before the sweep starts

    batches, cleared = run_batches(
        registry, "complaint.complaint", "_cron_check_overdue", remaining
    )
    # The notes, activities and escalations: the second job the sweep
    # triggered, run as the cron runs it while the editors go on.
    notice_batches, noticed = run_batches(registry, "complaint.breach.notice", "_cron_send")
    stop.set()
    writes, errors = [], []
    for _process in editors:
        done_writes, done_errors = results.get()
        writes += done_writes
        errors += done_errors
    for process in editors:
        process.join()
    span = max(writes) - min(writes) if len(writes) > 1 else 0
    with registry.cursor() as cr:
        cr.execute(
            "SELECT count(*) FROM complaint_complaint WHERE id = ANY(%s) AND breach_count > 0",
            [late_ids],
        )
        marked = cr.fetchone()[0]
        cr.execute(
            "SELECT count(*) FROM mail_message WHERE model = 'complaint.complaint' "
            "AND res_id = ANY(%s) AND body LIKE '%%Handling clock breached%%'",
            [late_ids],
        )
        notes = cr.fetchone()[0]

    print(f"machine: {platform.machine()}, Python {platform.python_version()}")
    print(
        f"burst of {BURST:,} breaches cleared in {cleared:.1f} s "
        f"({len(batches)} batches; complaints marked: {marked:,})"
    )
    print(
        "batches: "
        + ", ".join(f"{done} in {seconds:.2f} s" for done, seconds in batches)
        + f"; median {statistics.median(s for _d, s in batches):.2f} s per batch"
    )
    print(
        f"their notices sent in {noticed:.1f} s after that ({len(notice_batches)} batches"
        + (
            f", median {statistics.median(s for _d, s in notice_batches):.2f} s"
            if notice_batches
            else ""
        )
        + f"; breach notes on those complaints: {notes:,})"
    )
    print(
        f"editors: {len(writes)} writes in {span:.0f} s "
        f"({len(writes) / span if span else 0:.1f}/s), {len(errors)} errors"
        + (f": {errors[:3]}" if errors else "")
    )


if __name__ == "__main__":
    main()
