#!/usr/bin/env python3
"""Benchmark of the screens in a real browser (not a test).

Issue #17 timed the screens in Chromium, as the server log shows each request.
This script does the same on the database of bench_overdue.py (1,000,000
complaints, 100,000 open): it starts Odoo on free ports with the werkzeug
request log (each line ends with the request's query count, SQL time and
other server time), drives headless Chromium through its DevTools protocol,
logs in as the department manager and as an advisor, and opens each screen
5 times after a warming opening:

  * "in the app": the screen's action run by the web client already loaded,
    as a click in the menu does (only the screen's own requests);
  * "page load": the screen's URL loaded afresh, as a reload does (the web
    client itself, its menus, translations, session, images and the screen).

Each opening waits until the network has been quiet for a second.  Reported
per screen: the median of the server time summed over its requests, the
slowest request, and for a page load the part of Odoo's own requests (every
request that is not a call to a complaint desk model).  Targets (issue #17):
<= 300 ms of server time per screen, <= 150 ms per request.

Usage: tools/bench.sh browser      (run tools/bench.sh overdue first)
"""

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

import websocket  # websocket-client, as Odoo's own browser tests use

import odoo
from odoo import SUPERUSER_ID, api

RUNS = 5
PASSWORD = "bench-browser"
QUIET = 1.0  # seconds without network activity that end an opening
# 127.0.0.1 - - [date] "POST /web/dataset/call_kw/x/y HTTP/1.1" 200 - 12 0.010 0.034
REQUEST_LINE = re.compile(
    r'"(?P<verb>[A-Z]+) (?P<path>\S+) HTTP/[\d.]+" (?P<status>\d+) \S+ '
    r"(?P<queries>\d+) (?P<sql>[\d.]+) (?P<other>[\d.]+)"
)
OWN_MODELS = re.compile(r"/web/dataset/call_kw/complaint\.")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_http(url, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return json.loads(response.read()) if "json" in url else response.status
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(f"{url} did not answer within {timeout} s")


class Tab:
    """One Chromium tab over the DevTools protocol, following its requests."""

    def __init__(self, ws_url):
        self.ws = websocket.create_connection(ws_url, timeout=60, suppress_origin=True)
        self.ids = 0
        self.inflight = {}
        self.last = time.monotonic()
        self.call("Network.enable")
        self.call("Page.enable")
        self.call("Network.setCacheDisabled", cacheDisabled=False)

    def _event(self, message):
        method = message.get("method")
        if method == "Network.requestWillBeSent":
            params = message["params"]
            if "/bus/websocket_worker_bundle" in params["request"]["url"]:
                return  # the bus's shared worker: its end is reported to the worker only
            self.inflight[params["requestId"]] = params["request"]["url"]
            self.last = time.monotonic()
        elif method in ("Network.loadingFinished", "Network.loadingFailed"):
            self.inflight.pop(message["params"]["requestId"], None)
            self.last = time.monotonic()

    def call(self, method, **params):
        self.ids += 1
        self.ws.settimeout(60)
        self.ws.send(json.dumps({"id": self.ids, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.ids:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self._event(message)

    def evaluate(self, expression):
        result = self.call(
            "Runtime.evaluate", expression=expression, awaitPromise=True, returnByValue=True
        )
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result.get("result", {}).get("value")

    def wait_quiet(self, timeout=60):
        """Until no request has been in flight for QUIET seconds."""
        self.ws.settimeout(0.1)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                self._event(json.loads(self.ws.recv()))
            except websocket.WebSocketTimeoutException:
                pass
            if not self.inflight and time.monotonic() - self.last >= QUIET:
                return
        raise TimeoutError(f"the page kept loading: {list(self.inflight.values())[:5]}")

    def navigate(self, url):
        self.last = time.monotonic()
        self.call("Page.navigate", url=url)
        self.wait_quiet()


class ServerLog:
    """The requests the server logged since the last mark."""

    def __init__(self, path):
        self.path = path
        self.offset = 0

    def mark(self):
        self.offset = os.path.getsize(self.path)

    def requests(self):
        with open(self.path, encoding="utf-8", errors="replace") as log:
            log.seek(self.offset)
            lines = log.read()
        found = []
        for match in REQUEST_LINE.finditer(lines):
            if match["path"].startswith("/websocket"):
                continue
            seconds = float(match["sql"]) + float(match["other"])
            found.append((match["path"], seconds))
        return found


def prepare_users(registry, logins):
    """The benchmark's users get a password to log in with."""
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        users = env["res.users"].search([("login", "in", logins)])
        users.write({"password": PASSWORD})
        partner = env["res.partner"].search([("name", "=", "Benchmark customer")], limit=1)
        complaint = env["complaint.complaint"].search(
            [("state", "=", "in_progress"), ("partner_id", "=", partner.id)], limit=1
        )
        return partner.id, complaint.id


def start_server(args, port, log_path):
    env = dict(os.environ, PGOPTIONS="-c jit=off")
    return subprocess.Popen(
        [
            sys.executable,
            args.odoo_bin,
            "-c",
            args.config,
            "-d",
            args.database,
            f"--db-filter=^{args.database}$",
            f"--workers={args.workers}",
            "--max-cron-threads=0",
            "--http-interface=127.0.0.1",
            f"--http-port={port}",
            f"--logfile={log_path}",
            "--log-level=info",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def start_browser(port, profile):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    browser = subprocess.Popen(
        [
            chromium,
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--window-size=1366,768",
            f"--remote-debugging-port={port}",
            f"--user-data-dir={profile}",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    pages = wait_http(f"http://127.0.0.1:{port}/json/list")
    page = next(p for p in pages if p["type"] == "page")
    return browser, Tab(page["webSocketDebuggerUrl"])


def log_in(tab, base, database, login):
    tab.navigate(f"{base}/web/session/logout?redirect=/web/login")
    tab.navigate(f"{base}/web/login?db={database}")
    tab.evaluate(
        f"""(() => {{
            document.querySelector("input[name=login]").value = {json.dumps(login)};
            document.querySelector("input[name=password]").value = {json.dumps(PASSWORD)};
            document.querySelector("form.oe_login_form").submit();
        }})()"""
    )
    tab.last = time.monotonic()
    tab.wait_quiet()
    if not tab.evaluate("!!(window.odoo && odoo.__WOWL_DEBUG__)"):
        raise RuntimeError(f"{login} could not log in")


def measure(tab, log, open_screen):
    samples = []
    for run in range(RUNS + 1):
        log.mark()
        open_screen()
        requests = log.requests()
        if run:
            samples.append(requests)
    total = statistics.median(sum(s for _p, s in requests) for requests in samples)
    odoo_own = statistics.median(
        sum(s for p, s in requests if not OWN_MODELS.search(p)) for requests in samples
    )
    slowest = max((r for requests in samples for r in requests), key=lambda r: r[1])
    count = statistics.median(len(requests) for requests in samples)
    return total, odoo_own, slowest, count


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", required=True)
    parser.add_argument("--database", default="complaint_bench")
    parser.add_argument(
        "--workers",
        type=int,
        default=4,
        help="prefork workers, as in production (0: the threaded server, where the "
        "browser's parallel requests share one interpreter lock)",
    )
    args = parser.parse_args()
    odoo.tools.config.parse_config(["-c", args.config, "-d", args.database])
    args.odoo_bin = os.path.join(os.path.dirname(os.path.dirname(odoo.__file__)), "odoo-bin")
    logins = ("bench_manager", "bench_advisor_0")
    registry = odoo.modules.registry.Registry(args.database)
    partner_id, complaint_id = prepare_users(registry, logins)

    http_port, debug_port = free_port(), free_port()
    workdir = tempfile.mkdtemp(prefix="bench_browser_")
    log_path = os.path.join(workdir, "server.log")
    server = start_server(args, http_port, log_path)
    browser = None
    base = f"http://127.0.0.1:{http_port}"
    try:
        wait_http(f"{base}/web/login")
        browser, tab = start_browser(debug_port, os.path.join(workdir, "profile"))
        log = ServerLog(log_path)
        screens = [
            ("Complaints (kanban)", "complaint_service.complaint_complaint_action", None),
            ("Overdue", "complaint_service.complaint_complaint_action_overdue", None),
            ("Callbacks", "complaint_service.complaint_callback_action", None),
            ("Overview (departments)", "complaint_service.complaint_team_action_dashboard", None),
            ("complaint form", "complaint_service.complaint_complaint_action", complaint_id),
            ("customer form", "base.action_partner_form", partner_id),
            ("Manager Dashboard", "complaint_reports.complaint_dashboard_action", None),
            ("Analysis", "complaint_reports.complaint_report_action", None),
        ]
        only = os.environ.get("SCREENS")  # e.g. SCREENS="kanban" to open some screens only
        if only:
            screens = [entry for entry in screens if only.lower() in entry[0].lower()]
        print(
            f"server http://127.0.0.1:{http_port} ({args.workers} workers), "
            f"Chromium headless, {RUNS} openings each"
        )
        for login in logins:
            log_in(tab, base, args.database, login)
            for label, action, res_id in screens:
                if label in ("Manager Dashboard", "Analysis") and login != "bench_manager":
                    continue  # the managers' menu
                path = f"{base}/odoo/action-{action}" + (f"/{res_id}" if res_id else "")
                if res_id:
                    in_app = (
                        "odoo.__WOWL_DEBUG__.root.env.services.action.doAction("
                        f"{json.dumps(action)}, {{clearBreadcrumbs: true, "
                        f"props: {{resId: {res_id}}}, viewType: 'form'}})"
                        ".then(() => true)"
                    )
                else:
                    in_app = (
                        "odoo.__WOWL_DEBUG__.root.env.services.action.doAction("
                        f"{json.dumps(action)}, {{clearBreadcrumbs: true}}).then(() => true)"
                    )

                def open_in_app(in_app=in_app):
                    tab.last = time.monotonic()
                    tab.evaluate(in_app)
                    tab.wait_quiet()

                def load_page(path=path):
                    tab.navigate(path)

                tab.navigate(path)  # the web client is loaded on this screen
                app = measure(tab, log, open_in_app)
                page = measure(tab, log, load_page)
                print(
                    f"{login:<16} {label:<24} in the app {app[0] * 1000:6.0f} ms "
                    f"({app[3]:.0f} requests, slowest {app[2][0][:60]} {app[2][1] * 1000:.0f} ms)"
                    f" | page load {page[0] * 1000:6.0f} ms, of which Odoo's own "
                    f"{page[1] * 1000:.0f} ms ({page[3]:.0f} requests, slowest "
                    f"{page[2][0][:60]} {page[2][1] * 1000:.0f} ms)",
                    flush=True,
                )
    finally:
        if browser:
            os.killpg(browser.pid, signal.SIGTERM)
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        if os.environ.get("BENCH_LOG"):  # keep the server's request log for a closer look
            shutil.copy(log_path, os.environ["BENCH_LOG"])
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
