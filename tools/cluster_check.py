#!/usr/bin/env python3
"""Scale-out check of the local cluster (tools/cluster.sh up): client threads
over both Odoo nodes, then the invariants and where the statements ran.

Run by hand with the cluster up (not part of make test):

    /opt/complaint-desk-venv/bin/python tools/cluster_check.py [--threads 20] [--duration 60]

Each client thread logs in on one node (both roles on both nodes) through
JSON-RPC as the web client does, as a service advisor or a department manager
(both created on the first run, with their department "Cluster check"), and
loops, one request at a time: advisors register complaints (a quarter of them
heard 30 minutes earlier: a breach of the registration step), send every
other one to the manager and read their open complaints; managers register
complaints too, open the Manager Dashboard (its onchange), the Analysis pivot
(read_group on complaint.report) and, every third round, download the
complaint register (the export wizard, then its XLSX controller).  A backlog
of complaints (--backlog) is registered before the load, and advisors send one
of them every other round.  During the run the handling policy gives the
"reach the manager" step 1 minute (--escalate-minutes; put back afterwards),
so that the complaints not sent in time fall overdue while the run goes on
(the backlog's during it, the others' at its end), and the overdue sweep runs on both
nodes at once: as admin through the ir.cron records (method_direct_trigger,
which the cron's row lock serialises) and, unless --sweepers rpc, in an
``odoo-bin shell`` per node calling _cron_check_overdue / _cron_send directly
in a loop (no cron lock: only the sweep's own row locks keep them apart).

Then, on the primary: no complaint lost (every id returned exists, and as many
carry the run's tag), no duplicate number, each breach marked once (one late
flag and one breach note per late step, breach counters equal to the late
steps, no notice queued twice, at most one open overdue activity per
complaint and person).  Where the statements ran: the replica's
pg_stat_statements over the run (the primary cannot load it without a
restart), pg_stat_activity sampled on both servers during the run, and
probes: the dashboard, the pivot and the export alone, each 3 times, with the
statements the replica's pg_stat_statements saw and the scans of the
complaint tables counted by each server (pg_stat_user_tables).

Exit status 1 when an invariant fails or a request failed.
"""

import argparse
import http.cookiejar
import json
import os
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter, defaultdict
from datetime import datetime, timedelta, timezone
from pathlib import Path

import psycopg2

PROJECT_DIR = Path(__file__).resolve().parent.parent
ADVISOR, MANAGER = "cluster_advisor", "cluster_manager"
TEAM = "Cluster check"
CUSTOMER = "Cluster check customer"
SCANNED_TABLES = (
    "complaint_complaint",
    "complaint_step",
    "complaint_early_warning",
    "repair_order",
)
PGSTAT_FLUSH = 11  # s: a backend flushes its table counters within 10 s when idle
PIVOT_MEASURES = [
    "nbr:sum",
    "response_on_time:avg",
    "closure_rate:avg",
    "one_week_closure_rate:avg",
    "repeat_rate:avg",
    "satisfaction:avg",
]

SHELL_SWEEPER = """
import json, os, time
import psycopg2
deadline = time.time() + {duration}
stats = dict(runs=0, marked=0, sent=0, conflicts=0, errors=[])
print("READY", flush=True)
while time.time() < deadline and not os.path.exists({stop!r}):
    try:
        stats["marked"] += env["complaint.complaint"]._cron_check_overdue()
        env.cr.commit()
        stats["sent"] += env["complaint.breach.notice"]._cron_send()
        env.cr.commit()
        stats["runs"] += 1
    except psycopg2.errors.SerializationFailure:
        env.cr.rollback()
        env.invalidate_all()
        stats["conflicts"] += 1
    except Exception as exc:
        env.cr.rollback()
        env.invalidate_all()
        stats["errors"].append(repr(exc)[:200])
    time.sleep(0.3)
print("SWEEP " + json.dumps(stats), flush=True)
"""


class RpcError(Exception):
    pass


class Client:
    """One web session on one node: JSON-RPC as the web client sends it."""

    def __init__(self, url, timeout=300):
        self.url = url.rstrip("/")
        self.timeout = timeout
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        self.uid = None

    def _post(self, path, params):
        body = json.dumps({"jsonrpc": "2.0", "method": "call", "id": 1, "params": params})
        request = urllib.request.Request(
            self.url + path, data=body.encode(), headers={"Content-Type": "application/json"}
        )
        with self.opener.open(request, timeout=self.timeout) as response:
            answer = json.loads(response.read())
        if answer.get("error"):
            data = answer["error"].get("data") or {}
            raise RpcError(f"{data.get('name', 'error')}: {data.get('message', answer['error'])}")
        return answer.get("result")

    def login(self, db, login, password):
        result = self._post(
            "/web/session/authenticate", {"db": db, "login": login, "password": password}
        )
        self.uid = result and result.get("uid")
        if not self.uid:
            raise RpcError(f"cannot log in as {login}")
        return result

    def call(self, model, method, *args, button=False, **kwargs):
        kind = "call_button" if button else "call_kw"
        return self._post(
            f"/web/dataset/{kind}/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    def get(self, path):
        with self.opener.open(self.url + path, timeout=self.timeout) as response:
            return response.status, response.read()


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.count = Counter()
        self.errors = Counter()
        self.error_samples = defaultdict(list)
        self.times = defaultdict(list)

    def timed(self, op, func, *args, **kwargs):
        t0 = time.perf_counter()
        try:
            result = func(*args, **kwargs)
        except (RpcError, OSError, urllib.error.URLError, ValueError) as exc:
            with self.lock:
                self.errors[op] += 1
                if len(self.error_samples[op]) < 3:
                    self.error_samples[op].append(str(exc)[:300])
            return None
        elapsed = time.perf_counter() - t0
        with self.lock:
            self.count[op] += 1
            self.times[op].append(elapsed)
        return result


def percentile(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))] if values else 0.0


# ---------------------------------------------------------------------------
# Set-up as admin
# ---------------------------------------------------------------------------


def xmlid(admin, module, name):
    rows = admin.call(
        "ir.model.data",
        "search_read",
        [("module", "=", module), ("name", "=", name)],
        fields=["res_id"],
        limit=1,
    )
    if not rows:
        raise RpcError(f"no record {module}.{name}")
    return rows[0]["res_id"]


def ensure_user(admin, login, group):
    found = admin.call("res.users", "search", [("login", "=", login)])
    if found:
        return found[0]
    return admin.call(
        "res.users",
        "create",
        {
            "name": f"{login} (cluster check)",
            "login": login,
            "password": login,
            "groups_id": [(4, group)],
        },
        context={"no_reset_password": True},
    )


def set_up(args, admin):
    """Users, department, customer; the policy's escalate step shortened.
    Returns what the threads need and what to put back."""
    group_user = xmlid(admin, "complaint_service", "group_complaint_user")
    group_manager = xmlid(admin, "complaint_service", "group_complaint_manager")
    advisor = ensure_user(admin, ADVISOR, group_user)
    manager = ensure_user(admin, MANAGER, group_manager)
    admin.call("res.users", "write", [advisor], {"groups_id": [(4, group_user)]})
    admin.call("res.users", "write", [manager], {"groups_id": [(4, group_manager)]})
    teams = admin.call("complaint.team", "search", [("name", "=", TEAM)])
    values = {"manager_id": manager, "member_ids": [(6, 0, [advisor])]}
    if teams:
        admin.call("complaint.team", "write", teams, values)
        team = teams[0]
    else:
        team = admin.call("complaint.team", "create", {"name": TEAM, **values})
    partners = admin.call("res.partner", "search", [("name", "=", CUSTOMER)])
    partner = partners[0] if partners else admin.call("res.partner", "create", {"name": CUSTOMER})
    policy = admin.call(
        "complaint.policy",
        "search_read",
        [],
        fields=["escalate_minutes", "company_id"],
        limit=1,
    )[0]
    crons = {
        name: xmlid(admin, "complaint_service", name)
        for name in ("ir_cron_complaint_overdue", "ir_cron_complaint_breach_notices")
    }
    if args.escalate_minutes:
        admin.call(
            "complaint.policy", "write", [policy["id"]], {"escalate_minutes": args.escalate_minutes}
        )
    return {"team": team, "partner": partner, "policy": policy, "crons": crons}


# ---------------------------------------------------------------------------
# The load
# ---------------------------------------------------------------------------


class Run:
    def __init__(self, args, setup):
        self.args = args
        self.setup = setup
        self.tag = f"cluster-check {uuid.uuid4().hex[:10]}"
        self.stats = Stats()
        self.created = {}  # id -> (name, thread)
        self.created_lock = threading.Lock()
        self.stop = threading.Event()
        self.backlog = []  # complaints registered before the load, to send during it
        self.backlog_sent = []
        self.backlog_unread = 0
        self.backlog_visible = 0.0

    def create_backlog(self, client, count, replica):
        """Complaints registered before the load, not yet sent: their "reach
        the manager" step falls overdue during the load (the policy gives it
        --escalate-minutes), while the advisors send some of them."""
        vals = [
            {
                "partner_id": self.setup["partner"],
                "team_id": self.setup["team"],
                "description": f"{self.tag} backlog-{n}",
            }
            for n in range(count)
        ]
        for start in range(0, count, 100):
            ids = client.call("complaint.complaint", "create", vals[start : start + 100])
            self.backlog += ids
        self.created.update(dict.fromkeys(self.backlog, (None, "backlog")))
        # read is @api.readonly: it runs on the replica, which may not have
        # replayed the creation yet (Odoo's read skips missing rows silently).
        names = client.call("complaint.complaint", "read", self.backlog, ["name"])
        self.backlog_unread = len(self.backlog) - len(names)
        t0 = time.monotonic()
        with replica.cursor() as cr:
            for _ in range(600):
                cr.execute(
                    "SELECT count(*) FROM complaint_complaint WHERE id = ANY(%s)", [self.backlog]
                )
                if cr.fetchone()[0] == len(self.backlog):
                    break
                time.sleep(0.01)
        self.backlog_visible = time.monotonic() - t0

    def create(self, client, thread, n):
        vals = {
            "partner_id": self.setup["partner"],
            "team_id": self.setup["team"],
            "description": f"{self.tag} t{thread}-{n}",
        }
        if n % 4 == 3:  # heard 30 minutes ago: the registration step is late
            received = datetime.now(timezone.utc) - timedelta(minutes=30)
            vals["date_received"] = received.strftime("%Y-%m-%d %H:%M:%S")
        records = self.stats.timed(
            "create (web_save)",
            client.call,
            "complaint.complaint",
            "web_save",
            [],
            vals,
            specification={"name": {}, "state": {}},
        )
        if records:
            with self.created_lock:
                self.created[records[0]["id"]] = (records[0]["name"], thread)
            return records[0]["id"]
        return None

    def advisor(self, client, thread):
        n = 0
        while not self.stop.is_set():
            complaint = self.create(client, thread, n)
            if complaint and n % 2 == 0:
                self.stats.timed(
                    "send to manager (call_button)",
                    client.call,
                    "complaint.complaint",
                    "action_send_to_manager",
                    [complaint],
                    button=True,
                )
            with self.created_lock:
                backlog = self.backlog.pop(0) if self.backlog and n % 2 else None
            if backlog:
                # Around its deadline: the sweep may mark it at the same time.
                answer = self.stats.timed(
                    "send a backlog complaint to manager (call_button)",
                    client.call,
                    "complaint.complaint",
                    "action_send_to_manager",
                    [backlog],
                    button=True,
                )
                if answer is not None:
                    self.backlog_sent.append(backlog)
            self.stats.timed(
                "open complaints list (web_search_read)",
                client.call,
                "complaint.complaint",
                "web_search_read",
                [("team_id", "=", self.setup["team"]), ("state", "in", ["new", "submitted"])],
                {"name": {}, "state": {}, "partner_id": {"fields": {"display_name": {}}}},
                limit=40,
                order="id desc",
                count_limit=10001,
            )
            n += 1

    def manager(self, client, thread, spec):
        first = datetime.now(timezone.utc).date().replace(day=1)
        n = 0
        while not self.stop.is_set():
            self.create(client, thread, n)
            dashboard(self.stats, client, spec)
            pivot(self.stats, client, first)
            if n % 3 == 0:
                export(self.stats, client)
            n += 1

    def sweeper(self, client):
        """The overdue sweep and the notices job through their cron records."""
        while not self.stop.is_set():
            for name, cron in self.setup["crons"].items():
                t0 = time.perf_counter()
                try:
                    client.call("ir.cron", "method_direct_trigger", [cron])
                    op = f"cron {name} (method_direct_trigger)"
                except RpcError as exc:
                    if "currently being executed" not in str(exc):
                        self.stats.timed(f"cron {name}", _raise, exc)
                        continue
                    op = f"cron {name}: busy, run elsewhere (row lock)"
                except OSError as exc:
                    self.stats.timed(f"cron {name}", _raise, RpcError(str(exc)))
                    continue
                with self.stats.lock:
                    self.stats.count[op] += 1
                    self.stats.times[op].append(time.perf_counter() - t0)
            self.stop.wait(2)


def drain(admin, conn, setup):
    """The overdue sweep and the notices job run until no notice is queued."""
    for _ in range(10):
        for cron in setup["crons"].values():
            try:
                admin.call("ir.cron", "method_direct_trigger", [cron])
            except RpcError:
                time.sleep(2)
        with conn.cursor() as cr:
            cr.execute("SELECT count(*) FROM complaint_breach_notice")
            if not cr.fetchone()[0]:
                return


def _raise(exc):
    raise exc


def dashboard(stats, client, spec):
    """The Manager Dashboard as the web client opens it: a new record, one onchange."""
    return stats.timed(
        "dashboard (onchange)", client.call, "complaint.dashboard", "onchange", [], {}, [], spec
    )


def pivot(stats, client, first):
    """The Analysis pivot with its default filter (this month), by month."""
    return stats.timed(
        "pivot (read_group)",
        client.call,
        "complaint.report",
        "read_group",
        [("date_received_day", ">=", first.isoformat())],
        PIVOT_MEASURES,
        ["date_received_day:month"],
        lazy=False,
    )


def export(stats, client):
    """The export wizard's register button, then the download it points to."""
    records = stats.timed(
        "export wizard (web_save)",
        client.call,
        "complaint.export.wizard",
        "web_save",
        [],
        {},
        specification={"date_from": {}},
    )
    if not records:
        return None
    action = stats.timed(
        "export button (call_button)",
        client.call,
        "complaint.export.wizard",
        "action_export_register",
        [records[0]["id"]],
        button=True,
    )
    if not action:
        return None
    answer = stats.timed("export download (GET)", client.get, action["url"])
    if answer and (answer[0] != 200 or not answer[1].startswith(b"PK")):
        with stats.lock:
            stats.errors["export download (GET)"] += 1
            stats.error_samples["export download (GET)"].append(f"HTTP {answer[0]}, not XLSX")
    return answer


def dashboard_spec(client):
    fields = client.call("complaint.dashboard", "fields_get", attributes=["type"])
    spec = {}
    for name, info in fields.items():
        if name in ("id", "create_uid", "write_uid", "create_date", "write_date"):
            continue
        relational = info["type"] in ("many2one", "many2many", "one2many")
        spec[name] = {"fields": {"display_name": {}}} if relational else {}
    return spec


# ---------------------------------------------------------------------------
# Where the statements ran
# ---------------------------------------------------------------------------


# What a statement is for, from its text: the first rule that matches.
FAMILIES = [
    (
        "export: register rows",  # 25569 is a $n in pg_stat_statements
        lambda q: "25569" in q or ("at time zone" in q and ")::float8" in q),
    ),
    ("pivot (complaint_report, grouped)", lambda q: '"complaint_report"' in q and "group by" in q),
    ("dashboard: KPI table", lambda q: '"complaint_report"' in q),
    ("dashboard: KPI table", lambda q: '"repair_order"' in q and "schedule_date" in q),
    (
        "dashboard: counts",
        lambda q: "complaint_early_warning" in q or ("count(" in q and '"breach_date"' in q),
    ),
    (
        "dashboard: counts",
        lambda q: (
            '"complaint_complaint"' in q
            and ("current_deadline" in q or '"is_major"' in q)
            and ("count(" in q or "group by" in q)
        ),
    ),
    (
        "writes and locks",
        lambda q: (
            q.startswith(("insert", "update", "delete"))
            or " for update" in q
            or "for no key update" in q
        ),
    ),
    ("other reads", lambda q: q.startswith(("select", "with"))),
    (
        "session control (BEGIN, SET, DISCARD...)",
        lambda q: q.startswith(
            ("begin", "commit", "rollback", "set ", "show ", "savepoint", "release", "discard")
        ),
    ),
]


def family(query):
    """What a statement is for (heuristic, for the samples and the replica's statements)."""
    q = " ".join(query.lower().split())
    return next((label for label, test in FAMILIES if test(q)), "other")


# The check's own statements on the replica (samples, snapshots), left out.
OWN_QUERIES = re.compile(
    r"pg_stat_activity|pg_stat_statements|pg_last_wal_replay_lsn|pg_stat_user_tables"
    r"|pg_is_in_recovery"
)


class Sampler(threading.Thread):
    """pg_stat_activity of the database on both servers, every 50 ms, and how
    far the replica's replay is behind the primary's WAL (bytes; and, when
    behind, the age of the last transaction it replayed)."""

    def __init__(self, dsns, database):
        super().__init__(daemon=True)
        self.dsns = dsns
        self.database = database
        self.samples = Counter()
        self.rounds = 0
        self.behind_bytes = []
        self.behind_age = []
        self.stop = threading.Event()

    def lag(self, conns):
        with conns["primary"].cursor() as cr:
            cr.execute("SELECT pg_current_wal_lsn(), now()")
            lsn, now = cr.fetchone()
        with conns["replica"].cursor() as cr:
            cr.execute(
                "SELECT pg_wal_lsn_diff(%s, pg_last_wal_replay_lsn()),"
                " %s - pg_last_xact_replay_timestamp()",
                [lsn, now],
            )
            behind, age = cr.fetchone()
        self.behind_bytes.append(max(0, int(behind)))
        if behind > 0 and age is not None:
            self.behind_age.append(age.total_seconds())

    def run(self):
        conns = {}
        for server, dsn in self.dsns.items():
            conns[server] = psycopg2.connect(dsn, dbname=self.database)
            conns[server].autocommit = True
        while not self.stop.is_set():
            for server, conn in conns.items():
                with conn.cursor() as cr:
                    cr.execute(
                        """SELECT query FROM pg_stat_activity
                            WHERE datname = %s AND state = 'active' AND pid <> pg_backend_pid()
                              AND backend_type = 'client backend'""",
                        [self.database],
                    )
                    for (query,) in cr.fetchall():
                        self.samples[server, family(query or "")] += 1
            self.lag(conns)
            self.rounds += 1
            self.stop.wait(0.05)
        for conn in conns.values():
            conn.close()


def statements(conn, database):
    """The replica's pg_stat_statements of the database: {key: (calls, ms, query)}."""
    with conn.cursor() as cr:
        cr.execute(
            """SELECT userid, queryid, toplevel, calls, total_exec_time, query
                 FROM pg_stat_statements
                WHERE dbid = (SELECT oid FROM pg_database WHERE datname = %s)""",
            [database],
        )
        return {
            row[:3]: (row[3], row[4], row[5])
            for row in cr.fetchall()
            if not OWN_QUERIES.search(row[5] or "")
        }


def statements_delta(before, after):
    delta = []
    for key, (calls, ms, query) in after.items():
        calls0, ms0, _query = before.get(key, (0, 0.0, ""))
        if calls > calls0:
            delta.append((calls - calls0, ms - ms0, query))
    return sorted(delta, reverse=True)


def scans(conn):
    """seq_scan + idx_scan of the complaint tables on one server."""
    with conn.cursor() as cr:
        cr.execute(
            """SELECT relname, coalesce(seq_scan, 0) + coalesce(idx_scan, 0)
                 FROM pg_stat_user_tables WHERE relname = ANY(%s)""",
            [list(SCANNED_TABLES)],
        )
        return dict(cr.fetchall())


def probe(args, conns, client, name, func):
    """Run one screen alone, 3 times; what each server saw of it."""
    before_scans = {server: scans(conn) for server, conn in conns.items()}
    before = statements(conns["replica"], args.database)
    stats = Stats()
    for _ in range(args.probes):
        func(stats)
    time.sleep(PGSTAT_FLUSH)
    after = statements(conns["replica"], args.database)
    result = {"errors": sum(stats.errors.values()), "samples": dict(stats.error_samples)}
    for server, conn in conns.items():
        now = scans(conn)
        per_table = {
            table: now.get(table, 0) - before_scans[server].get(table, 0)
            for table in SCANNED_TABLES
        }
        result[f"{server}_scans"] = sum(per_table.values())
        result[f"{server}_tables"] = {table: n for table, n in per_table.items() if n}
    delta = statements_delta(before, after)
    result["replica_statements"] = sum(calls for calls, _ms, _q in delta)
    result["replica_top"] = [
        (calls, ms, " ".join(query.split())[:110])
        for calls, ms, query in delta
        if re.search(r"complaint|repair_order", query)
    ][:6]
    print(
        f"  probe {name}: replica {result['replica_statements']} statements,"
        f" complaint-table scans replica {result['replica_scans']} / primary"
        f" {result['primary_scans']}",
        flush=True,
    )
    return result


# ---------------------------------------------------------------------------
# Invariants, on the primary
# ---------------------------------------------------------------------------


def invariants(conn, run):
    ids = sorted(run.created)
    out = {}
    with conn.cursor() as cr:
        cr.execute("SELECT id FROM complaint_complaint WHERE id = ANY(%s)", [ids])
        found = {row[0] for row in cr.fetchall()}
        out["lost"] = sorted(set(ids) - found)
        cr.execute("SELECT id FROM complaint_complaint WHERE description LIKE %s", [run.tag + " %"])
        tagged = {row[0] for row in cr.fetchall()}
        out["tagged"] = len(tagged)
        out["unacknowledged"] = sorted(tagged - set(ids))
        cr.execute(
            """SELECT company_id, name, count(*) FROM complaint_complaint
                GROUP BY company_id, name HAVING count(*) > 1"""
        )
        out["duplicate_numbers"] = cr.fetchall()
        cr.execute(
            "SELECT count(*) FROM complaint_complaint WHERE id = ANY(%s) AND name !~ '^[0-9]'",
            [ids],
        )
        out["unnumbered"] = cr.fetchone()[0]
        # Breaches of the run's complaints.
        cr.execute(
            """SELECT s.code,
                      CASE WHEN s.date_done IS NOT NULL AND s.breach_date = s.date_done
                           THEN 'on completion' ELSE 'by the sweep' END,
                      count(*)
                 FROM complaint_step s
                WHERE s.complaint_id = ANY(%s) AND s.is_late
                GROUP BY 1, 2 ORDER BY 1, 2""",
            [ids],
        )
        out["breaches"] = cr.fetchall()
        cr.execute(
            "SELECT count(*) FROM complaint_step WHERE is_late AND breach_date IS NULL"
            " AND complaint_id = ANY(%s)",
            [ids],
        )
        out["late_without_date"] = cr.fetchone()[0]
        cr.execute(
            """SELECT c.id FROM complaint_complaint c
                WHERE c.breach_count <> (SELECT count(*) FROM complaint_step s
                                          WHERE s.complaint_id = c.id AND s.is_late)"""
        )
        out["counter_mismatch"] = [row[0] for row in cr.fetchall()]
        cr.execute(
            "SELECT step_id, count(*) FROM complaint_breach_notice GROUP BY 1 HAVING count(*) > 1"
        )
        out["notice_twice"] = cr.fetchall()
        cr.execute("SELECT count(*) FROM complaint_breach_notice")
        out["notices_pending"] = cr.fetchone()[0]
        # One breach note per late step (the notes are written in English
        # by the run's users and the cron).
        cr.execute(
            """WITH late AS (
                   SELECT complaint_id, count(*) AS steps FROM complaint_step
                    WHERE complaint_id = ANY(%s) AND is_late GROUP BY 1),
               notes AS (
                   SELECT res_id AS complaint_id, count(*) AS notes FROM mail_message
                    WHERE model = 'complaint.complaint' AND res_id = ANY(%s)
                      AND body::text LIKE '%%Handling clock breached%%' GROUP BY 1)
               SELECT coalesce(late.complaint_id, notes.complaint_id),
                      coalesce(steps, 0), coalesce(notes, 0)
                 FROM late FULL JOIN notes ON notes.complaint_id = late.complaint_id
                WHERE coalesce(steps, 0) <> coalesce(notes, 0)""",
            [ids, ids],
        )
        rows = cr.fetchall()
        out["notes_twice"] = [row for row in rows if row[2] > row[1]]
        out["notes_missing"] = [row for row in rows if row[2] < row[1]]
        cr.execute(
            """SELECT res_id, user_id, count(*) FROM mail_activity
                WHERE res_model = 'complaint.complaint'
                  AND activity_type_id = (SELECT res_id FROM ir_model_data
                       WHERE module = 'complaint_service'
                         AND name = 'mail_activity_type_complaint_overdue')
                GROUP BY 1, 2 HAVING count(*) > 1"""
        )
        out["activity_twice"] = cr.fetchall()
    return out


# ---------------------------------------------------------------------------


def log_offsets(paths):
    return {path: (path.stat().st_size if path.exists() else 0) for path in paths}


def log_lines(offsets):
    """Lines the node logs gained since ``offsets``."""
    lines = []
    for path, offset in offsets.items():
        if path.exists():
            with open(path, errors="replace") as handle:
                handle.seek(offset)
                lines += handle.read().splitlines()
    return lines


REQUEST_LINE = re.compile(
    r'"(GET|POST) (\S+) HTTP/[\d.]+" (\d{3}) - (\d+) ([\d.]+) ([\d.]+) (ro->rw|ro|rw|-)'
)


def cursor_modes(lines):
    """Odoo's request log with a replica configured ends each request's line
    with the cursor it ran on: ro (the replica), rw (the primary), ro->rw (tried
    on the replica, retried on the primary).  {path: Counter(mode)}."""
    modes = defaultdict(Counter)
    for line in lines:
        found = REQUEST_LINE.search(line)
        if found:
            path = re.sub(r"/\d+(?=/|$)", "/<id>", found.group(2).split("?")[0])
            modes[f"{found.group(1)} {path}"][found.group(7)] += 1
    return modes


def start_shell_sweepers(args, duration, stop):
    """An ``odoo-bin shell`` per node configuration, sweeping until ``stop``
    exists (at most ``duration`` seconds)."""
    procs = []
    script = SHELL_SWEEPER.format(duration=duration, stop=str(stop))
    for conf in args.configs:
        proc = subprocess.Popen(
            [
                args.python,
                str(Path(args.odoo_src) / "odoo-bin"),
                "shell",
                "-c",
                conf,
                "-d",
                args.database,
                "--no-http",
                "--log-level=warn",
                "--logfile=",
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        proc.stdin.write(script)
        proc.stdin.close()
        proc.stdin = None
        procs.append(proc)
    return procs


def wait_ready(procs, timeout=180):
    deadline = time.monotonic() + timeout
    for proc in procs:
        proc.output = []
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                raise RuntimeError("a shell sweeper exited: " + "".join(proc.output[-20:]))
            proc.output.append(line)
            if line.startswith("READY"):
                break


def finish_shell_sweepers(procs):
    results = []
    for proc in procs:
        proc.output.append(proc.stdout.read())
        proc.wait(timeout=600)
        found = re.search(r"^SWEEP (.*)$", "".join(proc.output), re.M)
        results.append(json.loads(found.group(1)) if found else {"failed": "".join(proc.output)})
    return results


def parse_args():
    env = os.environ
    dsn = (
        f"host={env.get('PGHOST', 'localhost')} user={env.get('PGUSER', 'odoo')}"
        f" password={env.get('PGPASSWORD', 'odoo')}"
    )
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=20)
    parser.add_argument("--duration", type=float, default=60, help="seconds of load")
    parser.add_argument("--database", default=env.get("CLUSTER_DB", "cluster_db"))
    parser.add_argument(
        "--nodes", default="http://127.0.0.1:8271,http://127.0.0.1:8272", help="comma-separated"
    )
    parser.add_argument("--primary", default=f"{dsn} port={env.get('PGPORT', '5432')}")
    parser.add_argument("--replica", default=f"{dsn} port={env.get('REPLICA_PORT', '5433')}")
    parser.add_argument("--admin-password", default="admin")
    parser.add_argument("--escalate-minutes", type=int, default=1, help="0: policy unchanged")
    parser.add_argument(
        "--backlog", type=int, default=400, help="complaints registered before the load"
    )
    parser.add_argument("--sweepers", choices=("both", "rpc", "shell"), default="both")
    parser.add_argument(
        "--configs",
        default=f"{PROJECT_DIR}/.run/cluster-node1.conf,{PROJECT_DIR}/.run/cluster-node2.conf",
        help="node configurations, for the shell sweepers",
    )
    parser.add_argument(
        "--python", default=f"{env.get('VENV', '/opt/complaint-desk-venv')}/bin/python"
    )
    parser.add_argument("--odoo-src", default=env.get("ODOO_SRC", "/opt/odoo-18.0"))
    parser.add_argument("--probes", type=int, default=3, help="runs per probe; 0: no probe")
    args = parser.parse_args()
    args.nodes = args.nodes.split(",")
    args.configs = args.configs.split(",")
    return args


def main():
    args = parse_args()
    conns = {
        "primary": psycopg2.connect(args.primary, dbname=args.database),
        "replica": psycopg2.connect(args.replica, dbname=args.database),
    }
    for conn in conns.values():
        conn.autocommit = True
    with conns["replica"].cursor() as cr:
        cr.execute("SELECT pg_is_in_recovery(), version()")
        recovery, version = cr.fetchone()
    if not recovery:
        print(f"{args.replica} is not a replica in recovery: tools/cluster.sh up first")
        return 2
    print(f"PostgreSQL: {version.split(',')[0]}; {os.cpu_count()} CPUs; nodes {args.nodes}")

    admin = Client(args.nodes[0])
    admin.login(args.database, "admin", args.admin_password)
    setup = set_up(args, admin)
    failures = []
    try:
        run = Run(args, setup)
        drain(admin, conns["primary"], setup)
        if args.backlog:
            advisor = Client(args.nodes[0])
            advisor.login(args.database, ADVISOR, ADVISOR)
            t0 = time.monotonic()
            run.create_backlog(advisor, args.backlog, conns["replica"])
            print(
                f"backlog: {args.backlog} complaints registered in {time.monotonic() - t0:.1f} s,"
                f" their step 2 due in {args.escalate_minutes} min; read back at once (on the"
                f" replica): {run.backlog_unread} not there yet, all there"
                f" {run.backlog_visible * 1000:.0f} ms after the read",
                flush=True,
            )
        offsets = log_offsets([PROJECT_DIR / ".run" / f"cluster-node{n}.log" for n in (1, 2)])
        shells = []
        stop_file = PROJECT_DIR / ".run" / f"cluster-check-{os.getpid()}.stop"
        if args.sweepers in ("both", "shell"):
            print("starting an odoo-bin shell sweeper per node ...", flush=True)
            shells = start_shell_sweepers(args, args.duration + 600, stop_file)
            wait_ready(shells)
        clients, workers = [], []
        for index in range(args.threads):
            role = MANAGER if index % 2 else ADVISOR
            # advisor, manager, advisor, manager... on node 1, 1, 2, 2, 1, 1...
            client = Client(args.nodes[index // 2 % len(args.nodes)])
            client.login(args.database, role, role)
            clients.append((index, role, client))
        spec = dashboard_spec(next(c for _i, role, c in clients if role == MANAGER))
        for index, role, client in clients:
            target = run.manager if role == MANAGER else run.advisor
            extra = (spec,) if role == MANAGER else ()
            workers.append(threading.Thread(target=target, args=(client, index, *extra)))
        if args.sweepers in ("both", "rpc"):
            for url in args.nodes:
                sweeper = Client(url)
                sweeper.login(args.database, "admin", args.admin_password)
                workers.append(threading.Thread(target=run.sweeper, args=(sweeper,)))
        before = statements(conns["replica"], args.database)
        sampler = Sampler({"primary": args.primary, "replica": args.replica}, args.database)
        sampler.start()
        print(
            f"load: {args.threads} threads for {args.duration:.0f} s over {len(args.nodes)} nodes",
            flush=True,
        )
        started = time.monotonic()
        for worker in workers:
            worker.start()
        time.sleep(args.duration)
        run.stop.set()
        for worker in workers:
            worker.join()
        elapsed = time.monotonic() - started
        sampler.stop.set()
        sampler.join()
        after = statements(conns["replica"], args.database)
        stop_file.touch()
        shell_results = finish_shell_sweepers(shells) if shells else []
        stop_file.unlink()
        # Whatever fell overdue at the end, marked and notified before counting.
        drain(admin, conns["primary"], setup)
        checks = invariants(conns["primary"], run)
    finally:
        if args.escalate_minutes:
            admin.call(
                "complaint.policy",
                "write",
                [setup["policy"]["id"]],
                {"escalate_minutes": setup["policy"]["escalate_minutes"]},
            )
    probes = {}
    if args.probes:
        print("probes: each screen alone, as the manager on node 1", flush=True)
        time.sleep(PGSTAT_FLUSH)  # the load's counters flushed first
        manager = Client(args.nodes[0])
        manager.login(args.database, MANAGER, MANAGER)
        first = datetime.now(timezone.utc).date().replace(day=1)
        probes["dashboard"] = probe(
            args, conns, manager, "dashboard", lambda s: dashboard(s, manager, spec)
        )
        probes["pivot"] = probe(args, conns, manager, "pivot", lambda s: pivot(s, manager, first))
        probes["export"] = probe(args, conns, manager, "export", lambda s: export(s, manager))

    lines = log_lines(offsets)
    # -- report ------------------------------------------------------------
    stats = run.stats
    total = sum(stats.count.values())
    errors = sum(stats.errors.values())
    print(f"\n== load: {args.threads} threads, {elapsed:.1f} s, nodes {', '.join(args.nodes)}")
    print(f"requests: {total} answered ({total / elapsed:.1f}/s), {errors} failed")
    print(f"{'operation':66} {'n':>6} {'median':>8} {'p95':>8} {'failed':>6}")
    for op in sorted(set(stats.count) | set(stats.errors)):
        times = stats.times[op]
        print(
            f"{op:66} {stats.count[op]:6d} {percentile(times, 0.5) * 1000:6.0f}ms"
            f" {percentile(times, 0.95) * 1000:6.0f}ms {stats.errors[op]:6d}"
        )
        for sample in stats.error_samples[op]:
            print(f"    ! {sample}")
    for n, result in enumerate(shell_results, start=1):
        print(f"shell sweeper on node {n}: {result}")
    print(f"\n== invariants (primary), {len(run.created)} complaints created ({run.tag})")
    verdicts = [
        ("complaints lost (id returned, row missing)", len(checks["lost"])),
        ("duplicate numbers (company, name)", len(checks["duplicate_numbers"])),
        ("created complaints without a number", checks["unnumbered"]),
        ("late steps without a breach date", checks["late_without_date"]),
        ("breach counters not equal to the late steps (database)", len(checks["counter_mismatch"])),
        ("steps with a breach notice queued twice (database)", len(checks["notice_twice"])),
        ("complaints with more breach notes than late steps", len(checks["notes_twice"])),
        ("complaints with fewer breach notes than late steps", len(checks["notes_missing"])),
        ("open overdue activities twice for one person (database)", len(checks["activity_twice"])),
    ]
    for label, value in verdicts:
        print(f"  {'OK  ' if value == 0 else 'FAIL'} {label}: {value}")
        if value:
            failures.append(label)
    print(
        f"  rows with the run's tag: {checks['tagged']}"
        f" (created without an answer to the client: {len(checks['unacknowledged'])});"
        f" notices still queued: {checks['notices_pending']}"
    )
    marked = sum(row[2] for row in checks["breaches"])
    print(f"  breaches of the run's complaints: {marked}, each marked once:")
    for code, how, count in checks["breaches"]:
        print(f"    step {code}, {how}: {count}")
    print(
        f"  backlog: {args.backlog} complaints, {len(run.backlog_sent)} sent to the manager"
        f" during the load; read right after their creation, {run.backlog_unread} were not"
        " on the replica yet"
    )
    for key in ("lost", "duplicate_numbers", "counter_mismatch", "notes_twice", "notes_missing"):
        if checks[key]:
            print(f"    {key}: {checks[key][:10]}")
    if errors:
        failures.append(f"{errors} failed requests")

    print("\n== where the statements ran")
    delta = statements_delta(before, after)
    by_family = Counter()
    for calls, _ms, query in delta:
        by_family[family(query)] += calls
    print(f"replica pg_stat_statements during the load: {sum(by_family.values())} statements")
    for name, calls in by_family.most_common():
        print(f"  {name:40} {calls:8d}")
    print(f"pg_stat_activity samples during the load ({sampler.rounds} rounds of 50 ms):")
    names = sorted({name for _server, name in sampler.samples})
    print(f"  {'statement':40} {'primary':>8} {'replica':>8}")
    for name in names:
        print(
            f"  {name:40} {sampler.samples['primary', name]:8d}"
            f" {sampler.samples['replica', name]:8d}"
        )
    behind = sampler.behind_bytes
    print(
        f"replica replay behind the primary ({len(behind)} samples): median"
        f" {percentile(behind, 0.5)} bytes, p95 {percentile(behind, 0.95)}, max"
        f" {max(behind, default=0)}; behind in {len(sampler.behind_age)} samples, the last"
        f" replayed transaction then {percentile(sampler.behind_age, 0.5) * 1000:.0f} ms old"
        f" (median), {max(sampler.behind_age, default=0) * 1000:.0f} ms (max)"
    )
    for name, result in probes.items():
        where = []
        if result["replica_scans"]:
            where.append("replica")
        if result["primary_scans"]:
            where.append("PRIMARY")
        print(
            f"probe {name} x{args.probes}: complaint-table scans on the replica"
            f" {result['replica_scans']}, on the primary {result['primary_scans']}"
            f" -> ran on {' and '.join(where) or 'neither?'};"
            f" replica statements {result['replica_statements']}, failed {result['errors']}"
        )
        print(
            f"    scans by table: replica {result['replica_tables']},"
            f" primary {result['primary_tables']} (the nodes' cron threads count too)"
        )
        for calls, ms, query in result["replica_top"]:
            print(f"    replica {calls:4d}x {ms:8.1f} ms  {query}")
        for sample in result["samples"].values():
            print(f"    ! {sample}")
    print("requests by the cursor they ran on (node request logs, the load and the probes):")
    print(f"  {'request':70} {'ro':>6} {'rw':>6} {'ro->rw':>6}")
    for path, modes in sorted(cursor_modes(lines).items()):
        if "/web/dataset/" in path or "/complaint_reports/" in path:
            print(f"  {path:70} {modes['ro']:6d} {modes['rw']:6d} {modes['ro->rw']:6d}")
    retried = [line for line in lines if "retrying with a read/write cursor" in line]
    tracebacks = [line for line in lines if "Traceback" in line]
    print(
        f"node logs during the check: {len(retried)} read-only requests retried on the"
        f" primary (a write in a read-only transaction), {len(tracebacks)} tracebacks"
    )
    for line in retried[:5]:
        print(f"    {line[:200]}")
    errors_logged = Counter(
        re.sub(r"^\S+ \S+ \d+ ERROR \S+ ", "", line)[:150] for line in lines if " ERROR " in line
    )
    for message, count in errors_logged.most_common(8):
        print(f"    ERROR x{count}: {message}")

    if failures:
        print("\nFAILED: " + "; ".join(failures))
        return 1
    print("\nOK: no complaint lost, no duplicate number, each breach marked once")
    return 0


if __name__ == "__main__":
    sys.exit(main())
