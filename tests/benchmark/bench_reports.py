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
import os
import platform
import resource
import statistics
import sys
import time
from datetime import timedelta

import odoo
from odoo import SUPERUSER_ID, api


def rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", required=True)
    parser.add_argument("--database", default="complaint_bench")
    args = parser.parse_args()
    odoo.tools.config.parse_config(["-c", args.config, "-d", args.database])
    registry = odoo.modules.registry.Registry(args.database)
    results = {}
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        manager = env["res.users"].search([("login", "=", "bench_manager")])
        cr.execute("SELECT count(*), max(date_received) FROM complaint_complaint")
        total, last = cr.fetchone()
        print(f"data: {total:,} complaints, last received {last}")
        report = env["complaint.report"].with_user(manager)
        year_start = last - timedelta(days=365)
        measures = [
            "nbr:sum", "response_on_time:avg", "register_on_time:avg", "escalate_on_time:avg",
            "dispatch_on_time:avg", "solve_on_time:avg", "confirm_on_time:avg",
            "closure_rate:avg", "one_week_closure_rate:avg", "repeat_rate:avg",
            "hours_to_solution:avg", "satisfaction:avg", "compensation_amount:sum",
        ]
        times = []
        for _i in range(4):
            env.invalidate_all()
            t0 = time.perf_counter()
            groups = report.read_group(
                [("date_received", ">=", year_start)], measures, ["date_received:month"],
                lazy=False,
            )
            times.append(time.perf_counter() - t0)
        print(f"pivot: {len(groups)} months, {sum(g['nbr'] for g in groups):,} complaints")
        results["KPI pivot for a year, by month (13 measures)"] = times[1:]

        # Register exports: ~20,000 then ~100,000 rows, peak memory compared.
        exports = {}
        for days in (7, 35):
            wizard = env["complaint.export.wizard"].with_user(manager).create({
                "date_from": (last - timedelta(days=days - 1)).date(),
                "date_to": last.date(),
            })
            rows = env["complaint.complaint"].search_count(wizard._domain())
            before = rss_mb()
            t0 = time.perf_counter()
            wizard.action_export_register()
            elapsed = time.perf_counter() - t0
            size = len(wizard.file or b"") * 3 / 4 / 1e6
            exports[days] = (rows, elapsed, before, rss_mb(), size)
            wizard.file = False
            env.invalidate_all()
        cr.rollback()
    print()
    print(f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} CPU, "
          f"Python {platform.python_version()}")
    for label, values in results.items():
        print(f"{label:48s} median {statistics.median(values) * 1000:8.1f} ms  "
              f"max {max(values) * 1000:8.1f} ms  (n={len(values)})")
    for rows, elapsed, before, after, size in exports.values():
        print(f"register export, {rows:7,} rows: {elapsed:6.1f} s, file {size:5.1f} MB, "
              f"peak RSS {before:7.0f} -> {after:7.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
