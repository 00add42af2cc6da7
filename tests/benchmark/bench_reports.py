#!/usr/bin/env python3
"""Benchmark of complaint_reports at a dealer group's volume (not a test).

Uses the database filled by bench_overdue.py (1,000,000 complaints, one every
30 s over about a year) and measures on real Odoo:

  * the KPI pivot for a year: complaint.report grouped by month with every
    rate measure, as the pivot view asks for it (target <= 1 s);
  * the complaint register export of ~100,000 rows (target <= 10 s), and its
    peak memory against a 20,000-row export (flat memory: constant_memory
    workbook, ORM read in batches).

Usage: tools/bench.sh reports      (run tools/bench.sh overdue first)
"""

import argparse
import cProfile
import os
import platform
import pstats
import resource
import statistics
import sys
import time
import tracemalloc
from datetime import timedelta

import odoo
from odoo import SUPERUSER_ID, api


def rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


ENRICH_PARTNERS = 5_000
ENRICH_MODELS = 25
ENRICH_REPAIRS = 1_000


def enrich(env):
    """Give the closed complaints of bench_overdue.py what a real register has:
    several thousand customers, vehicles, repair orders, a classification, texts
    of a realistic length, a solution with its approval, a closure date. Done once
    (committed): the register export is measured on fully filled rows."""
    cr = env.cr
    cr.execute(
        "SELECT count(*) FROM complaint_complaint WHERE name LIKE 'B%%' AND state = 'closed'"
        " AND solution IS NULL"
    )
    if not cr.fetchone()[0]:
        return
    print("filling the closed complaints' register fields (once) ...", flush=True)
    t0 = time.time()
    partners = (
        env["res.partner"]
        .create(
            [
                {"name": f"Customer {i:05d}", "phone": f"+86 138 {i:04d} {i % 9973:04d}"}
                for i in range(ENRICH_PARTNERS)
            ]
        )
        .ids
    )
    models = (
        env["product.product"]
        .create([{"name": f"Vehicle model {i:02d}", "type": "consu"} for i in range(ENRICH_MODELS)])
        .ids
    )
    repairs = (
        env["repair.order"]
        .create([{"partner_id": partners[i % len(partners)]} for i in range(ENRICH_REPAIRS)])
        .ids
    )
    manager = env["res.users"].search([("login", "=", "bench_manager")]).id
    env.flush_all()
    text = "The customer reports that the noise came back two days after the repair; " * 2
    cr.execute(
        """
        UPDATE complaint_complaint c
           SET partner_id = (%(partners)s::int[])[1 + n %% %(np)s],
               vin = 'LSV' || lpad(n::text, 14, '0'),
               license_plate = '沪A' || lpad((n %% 99999)::text, 5, '0'),
               vehicle_model_id = (%(models)s::int[])[1 + n %% %(nm)s],
               odometer = 5000 + n %% 120000,
               callback_user_id = c.user_id,
               description = %(text)s,
               customer_request = 'Repair it again free of charge and lend a car meanwhile.',
               cause = (ARRAY['warranty','attitude','misuse','handover','pricing','parts',
                              'other'])[1 + n %% 7],
               verdict = (ARRAY['defect','dissatisfaction','customer_fault'])[1 + n %% 3],
               validity = CASE WHEN n %% 5 = 0 THEN 'invalid' ELSE 'valid' END,
               fault_type = (ARRAY['steering','brakes','engine','gearbox','other'])[1 + n %% 5],
               severity_reason = CASE WHEN n %% 10 = 0 THEN 'Repeat complaint' END,
               cause_analysis = 'Worn bearing on the front left wheel hub, missed at the '
                                'previous inspection; technician and inspector notified.',
               solution = 'Replace the bearing under warranty, wash the car, offer a '
                          'courtesy car for the day and a voucher for the next service.',
               compensation_type = CASE WHEN n %% 4 = 0 THEN 'discount' ELSE 'free_repair' END,
               compensation_amount = (n %% 50) * 20,
               approval_state = 'approved',
               approved_by_id = %(manager)s,
               date_customer_contacted = c.date_received + interval '3 hours',
               customer_opinion = 'Satisfied with the solution.',
               date_closed = c.date_received + interval '1 hour'
          FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM complaint_complaint
                 WHERE name LIKE 'B%%' AND state = 'closed') o
         WHERE o.id = c.id
        """,
        {
            "partners": partners,
            "np": len(partners),
            "models": models,
            "nm": len(models),
            "manager": manager,
            "text": text,
        },
    )
    cr.execute(
        """
        INSERT INTO complaint_complaint_repair_order_rel (complaint_id, repair_id)
        SELECT c.id, (%(repairs)s::int[])[1 + c.id %% %(nr)s]
          FROM complaint_complaint c
         WHERE c.name LIKE 'B%%' AND c.state = 'closed'
        ON CONFLICT DO NOTHING
        """,
        {"repairs": repairs, "nr": len(repairs)},
    )
    cr.execute("ANALYZE complaint_complaint")
    cr.commit()
    print(f"  {time.time() - t0:.0f} s", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", required=True)
    parser.add_argument("--database", default="complaint_bench")
    parser.add_argument(
        "--profile", action="store_true", help="print a cProfile of the 100,000-row export"
    )
    args = parser.parse_args()
    odoo.tools.config.parse_config(["-c", args.config, "-d", args.database])
    registry = odoo.modules.registry.Registry(args.database)
    results = {}
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        enrich(env)
        manager = env["res.users"].search([("login", "=", "bench_manager")])
        manager.tz = "Asia/Shanghai"  # as the dealership's staff: exports convert times
        cr.execute("SELECT count(*), max(date_received) FROM complaint_complaint")
        total, last = cr.fetchone()
        print(f"data: {total:,} complaints, last received {last}")
        report = env["complaint.report"].with_user(manager)
        year_start = last - timedelta(days=365)
        measures = [
            "nbr:sum",
            "response_on_time:avg",
            "register_on_time:avg",
            "escalate_on_time:avg",
            "dispatch_on_time:avg",
            "solve_on_time:avg",
            "confirm_on_time:avg",
            "closure_rate:avg",
            "one_week_closure_rate:avg",
            "repeat_rate:avg",
            "hours_to_solution:avg",
            "satisfaction:avg",
            "compensation_amount:sum",
        ]
        times = []
        for _i in range(4):
            env.invalidate_all()
            t0 = time.perf_counter()
            # As the Complaint Analysis pivot asks for it: months of the days
            # received in the dealership's time zone.
            groups = report.read_group(
                [("date_received_day", ">=", year_start.date())],
                measures,
                ["date_received_day:month"],
                lazy=False,
            )
            times.append(time.perf_counter() - t0)
        print(f"pivot: {len(groups)} months, {sum(g['nbr'] for g in groups):,} complaints")
        results["KPI pivot for a year, by month (13 measures)"] = times[1:]

        # Register exports: ~20,000 then ~100,000 rows of closed complaints (every
        # column filled; the open ones are the last 35 days). Timed as the
        # download controller runs it, then run again under tracemalloc for the
        # peak of Python memory (flat: it must not grow with the rows).
        exports = {}
        end = (last - timedelta(days=36)).date()
        for days in (7, 35):
            wizard = (
                env["complaint.export.wizard"]
                .with_user(manager)
                .create(
                    {
                        "date_from": end - timedelta(days=days - 1),
                        "date_to": end,
                    }
                )
            )
            rows = env["complaint.complaint"].search_count(wizard._domain())
            t0 = time.perf_counter()
            if args.profile and days == 35:
                profiler = cProfile.Profile()
                handle, _name = profiler.runcall(wizard._export_file, "register")
                pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
                pstats.Stats(profiler).sort_stats("tottime").print_stats(20)
            else:
                handle, _name = wizard._export_file("register")
            elapsed = time.perf_counter() - t0
            size = os.fstat(handle.fileno()).st_size / 1e6
            handle.close()
            env.invalidate_all()
            tracemalloc.start()
            wizard._export_file("register")[0].close()
            peak = tracemalloc.get_traced_memory()[1] / 1e6
            tracemalloc.stop()
            exports[days] = (rows, elapsed, size, peak, rss_mb())
            env.invalidate_all()
        cr.rollback()
    print()
    print(
        f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} CPU, "
        f"Python {platform.python_version()}"
    )
    for label, values in results.items():
        print(
            f"{label:48s} median {statistics.median(values) * 1000:8.1f} ms  "
            f"max {max(values) * 1000:8.1f} ms  (n={len(values)})"
        )
    for rows, elapsed, size, peak, rss in exports.values():
        print(
            f"register export, {rows:7,} rows: {elapsed:6.1f} s, file {size:5.1f} MB, "
            f"Python memory peak {peak:5.1f} MB, process peak RSS so far {rss:5.0f} MB"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
