#!/usr/bin/env python3
"""Benchmark of the handling clock at a dealer group's volume (not a test).

Fills a database with 1,000,000 complaints, 100,000 of them open, through
set-based SQL, then measures on real Odoo:

  * the overdue sweep (`_cron_check_overdue`) with 1,000 new breaches, and
    with none;
  * the manager's overdue list: the first 80 rows + the count, as the web
    client asks for them (`web_search_read`), as a complaint manager.

Targets (issue #2): sweep <= 2 s, overdue list <= 50 ms server time.

Usage (from the project root, after `make setup`):
    tools/bench.sh overdue            # creates/fills complaint_bench once
    tools/bench.sh overdue --refill   # rebuild the data set

Each measurement runs in a transaction that is rolled back, so runs repeat.
"""

import argparse
import os
import platform
import statistics
import sys
import time

import odoo
from odoo import SUPERUSER_ID, api

TOTAL = 1_000_000
OPEN = 100_000
ALREADY_LATE = 5_000  # open complaints whose running step was marked late earlier
NEW_BREACHES = 1_000
STEP_CODES = ("register", "escalate", "dispatch", "solve", "confirm")


def populate(env, total, open_count):
    from odoo.addons.complaint_service.models.complaint_complaint import RECEIVED_DAY_SQL

    cr = env.cr
    company = env.company.id
    policy = env["complaint.policy"]._get_for_company(env.company).id
    partner = env["res.partner"].create({"name": "Benchmark customer"}).id
    Users = env["res.users"].with_context(no_reset_password=True)
    advisor_group = env.ref("complaint_service.group_complaint_user")
    users = [
        Users.create(
            {
                "name": f"Bench advisor {i}",
                "login": f"bench_advisor_{i}",
                "groups_id": [(6, 0, advisor_group.ids)],
            }
        ).id
        for i in range(20)
    ]
    manager = Users.create(
        {
            "name": "Bench manager",
            "login": "bench_manager",
            "groups_id": [(6, 0, env.ref("complaint_service.group_complaint_manager").ids)],
        }
    ).id
    teams = [
        env["complaint.team"]
        .create({"name": f"Bench team {i}", "manager_id": manager, "member_ids": [(6, 0, users)]})
        .id
        for i in range(10)
    ]
    env.flush_all()
    print(f"inserting {total:,} complaints ...", flush=True)
    t0 = time.time()
    # Closed complaints are the oldest; open ones were received in the last days.
    cr.execute(
        """
        INSERT INTO complaint_complaint (
            name, active, company_id, policy_id, state, partner_id, channel,
            date_received, date_registered, description, first_responder_id,
            team_id, manager_id, user_id, is_major, round, is_repeat, is_paused,
            breach_count, severity, compensation_type, approval_state, liability_state,
            create_uid, create_date, write_uid, write_date)
        SELECT 'B' || lpad(g::text, 7, '0'), true, %(company)s, %(policy)s,
               CASE WHEN g > %(closed)s
                    THEN (ARRAY['new','submitted','in_progress','solved'])[1 + g %% 4]
                    ELSE 'closed' END,
               %(partner)s, 'walk_in',
               now() at time zone 'utc' - (%(total)s - g) * interval '30 seconds'
                   - interval '1 hour',
               now() at time zone 'utc' - (%(total)s - g) * interval '30 seconds'
                   - interval '55 minutes',
               'Benchmark complaint',
               (%(users)s::int[])[1 + g %% 20], (%(teams)s::int[])[1 + g %% 10], %(manager)s,
               (%(users)s::int[])[1 + (g + 7) %% 20], false, 1, false, false, 0,
               '3', 'none', 'draft', 'none',
               1, now() at time zone 'utc', 1, now() at time zone 'utc'
          FROM generate_series(1, %(total)s) g
        """,
        {
            "company": company,
            "policy": policy,
            "partner": partner,
            "users": users,
            "teams": teams,
            "manager": manager,
            "total": total,
            "closed": total - open_count,
        },
    )
    cr.execute(RECEIVED_DAY_SQL + " AND c.name LIKE 'B%%'")
    print(f"  {time.time() - t0:.0f} s; inserting steps ...", flush=True)
    t0 = time.time()
    # Closed: five done steps.  Open: steps done up to the running one.
    cr.execute(
        """
        INSERT INTO complaint_step (
            complaint_id, company_id, round, code, sequence, state, user_id,
            duration_minutes, date_start, date_deadline, date_done, is_late, timing,
            create_uid, create_date, write_uid, write_date)
        SELECT c.id, c.company_id, 1, s.code, s.seq,
               CASE WHEN c.state = 'closed' OR s.seq < r.running THEN 'done'
                    WHEN s.seq = r.running THEN 'running' ELSE 'waiting' END,
               c.first_responder_id, s.minutes,
               CASE WHEN s.seq <= r.running OR c.state = 'closed'
                    THEN c.date_received + (s.seq - 1) * interval '10 minutes' END,
               CASE WHEN s.seq <= r.running OR c.state = 'closed'
                    THEN c.date_received + (s.seq - 1) * interval '10 minutes'
                         + s.minutes * interval '1 minute' END,
               CASE WHEN c.state = 'closed' OR s.seq < r.running
                    THEN c.date_received + s.seq * interval '10 minutes' END,
               false,
               CASE WHEN c.state = 'closed' OR s.seq < r.running THEN 'on_time' ELSE 'pending' END,
               1, now() at time zone 'utc', 1, now() at time zone 'utc'
          FROM complaint_complaint c
          CROSS JOIN LATERAL (SELECT CASE c.state WHEN 'new' THEN 2 WHEN 'submitted' THEN 3
                                  WHEN 'in_progress' THEN 4 WHEN 'solved' THEN 5 ELSE 6 END
                             AS running) r
          CROSS JOIN (VALUES ('register', 1, 10), ('escalate', 2, 30), ('dispatch', 3, 120),
                             ('solve', 4, 1440), ('confirm', 5, 240)) AS s(code, seq, minutes)
         WHERE c.name LIKE 'B%%'
        """
    )
    print(f"  {time.time() - t0:.0f} s; linking running steps ...", flush=True)
    t0 = time.time()
    cr.execute(
        """
        UPDATE complaint_complaint c
           SET current_step_id = s.id, current_step = s.code,
               current_deadline = s.date_deadline
          FROM complaint_step s
         WHERE s.complaint_id = c.id AND s.state = 'running'
        """
    )
    # Open complaints: deadlines in the future, except ALREADY_LATE of them that
    # the sweep handled before (overdue and marked).
    cr.execute(
        """
        WITH open_steps AS (
            SELECT id, row_number() OVER (ORDER BY id) AS n FROM complaint_step
             WHERE state = 'running')
        UPDATE complaint_step s
           SET date_deadline = CASE WHEN o.n <= %(late)s
                                    THEN now() at time zone 'utc' - o.n * interval '1 second'
                                    ELSE now() at time zone 'utc' + interval '3 days'
                                         + o.n * interval '1 second' END,
               is_late = o.n <= %(late)s,
               breach_date = CASE WHEN o.n <= %(late)s THEN now() at time zone 'utc' END
          FROM open_steps o WHERE o.id = s.id
        """,
        {"late": ALREADY_LATE},
    )
    cr.execute(
        """
        UPDATE complaint_complaint c
           SET current_deadline = s.date_deadline,
               breach_count = CASE WHEN s.is_late THEN 1 ELSE 0 END
          FROM complaint_step s WHERE s.id = c.current_step_id
        """
    )
    print(f"  {time.time() - t0:.0f} s; ANALYZE", flush=True)
    cr.execute("ANALYZE complaint_complaint")
    cr.execute("ANALYZE complaint_step")
    cr.commit()


def make_new_breaches(cr, count):
    """Move `count` open, unmarked running steps just past their deadline;
    returns their complaints' ids."""
    cr.execute(
        """
        WITH pick AS (
            SELECT id FROM complaint_step
             WHERE state = 'running' AND is_late IS NOT TRUE
          ORDER BY date_deadline LIMIT %s)
        UPDATE complaint_step s
           SET date_deadline = now() at time zone 'utc' - interval '1 minute'
          FROM pick WHERE pick.id = s.id
        RETURNING s.complaint_id
        """,
        [count],
    )
    ids = [row[0] for row in cr.fetchall()]
    cr.execute(
        """UPDATE complaint_complaint c SET current_deadline = s.date_deadline
             FROM complaint_step s WHERE s.id = c.current_step_id AND c.id = ANY(%s)""",
        [ids],
    )
    return ids


def timed(func, repeat=1):
    times = []
    result = None
    for _i in range(repeat):
        t0 = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - t0)
    return result, times


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", required=True)
    parser.add_argument("--database", default="complaint_bench")
    parser.add_argument("--refill", action="store_true")
    args = parser.parse_args()

    odoo.tools.config.parse_config(["-c", args.config, "-d", args.database])
    registry = odoo.modules.registry.Registry(args.database)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        cr.execute("SELECT count(*) FROM complaint_complaint WHERE name LIKE 'B%%'")
        have = cr.fetchone()[0]
        if args.refill or have != TOTAL:
            cr.execute("DELETE FROM complaint_complaint WHERE name LIKE 'B%%'")
            cr.execute("DELETE FROM res_users WHERE login LIKE 'bench_%%'")
            cr.commit()
            populate(env, TOTAL, OPEN)
        cr.execute(
            "SELECT count(*) FILTER (WHERE state != 'closed'), count(*) FROM complaint_complaint"
        )
        open_count, total = cr.fetchone()
    print(f"data: {total:,} complaints, {open_count:,} open")

    results = {}
    Complaint = "complaint.complaint"
    # Sweep with 1,000 new breaches (rolled back after each run).
    runs = []
    for _i in range(3):
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            make_new_breaches(cr, NEW_BREACHES)
            env.invalidate_all()

            def sweep(env=env):
                handled = env[Complaint]._cron_check_overdue()
                # The writes and the pre-commit work (tracking), as the cron's commit does.
                env.flush_all()
                env.cr.precommit.run()
                return handled

            handled, times = timed(sweep)
            assert handled == NEW_BREACHES, handled
            runs.append(times[0])
            cr.rollback()
    results["sweep, 1,000 new breaches"] = runs
    # Sweep with nothing new.
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        handled, times = timed(env[Complaint]._cron_check_overdue, repeat=5)
        assert handled == 0, handled
        results["sweep, no new breach"] = times
        cr.rollback()
    # The manager's overdue list: first 80 rows + count.
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        manager = env["res.users"].search([("login", "=", "bench_manager")])
        spec = {
            name: {}
            for name in (
                "name",
                "date_received",
                "partner_id",
                "license_plate",
                "team_id",
                "first_responder_id",
                "user_id",
                "current_step",
                "current_deadline",
                "breach_count",
                "state",
                "is_overdue",
                "is_due_soon",
                "is_paused",
            )
        }
        model = env[Complaint].with_user(manager).with_context(active_test=True)

        def overdue_list(order):
            model.env.invalidate_all()
            return model.web_search_read([("is_overdue", "=", True)], spec, limit=80, order=order)

        for order, label in (
            (None, "default order (received desc)"),
            ("current_deadline", "by deadline"),
        ):
            page, times = timed(lambda order=order: overdue_list(order), repeat=10)
            assert len(page["records"]) == 80 and page["length"] >= ALREADY_LATE, page["length"]
            # The first run warms the caches.
            results[f"overdue list, 80 rows + count, {label}"] = times[1:]
        print(f"overdue list: {page['length']:,} overdue complaints")
        cr.rollback()

    print()
    print(
        f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} CPU, "
        f"Python {platform.python_version()}, PostgreSQL via {args.config}"
    )
    for label, times in results.items():
        print(
            f"{label:34s} median {statistics.median(times) * 1000:8.1f} ms  "
            f"max {max(times) * 1000:8.1f} ms  (n={len(times)})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
