#!/usr/bin/env python3
"""Smoke test of production mode: start Odoo in prefork mode (workers > 0) on
free ports, check /web/login, a websocket handshake on the gevent port and one
JSON-RPC call, then stop it.  Exit 0 when all three answer.

Usage: smoke_prefork.py --python PY --odoo-bin ODOO_BIN --config CONF --database DB
(tools/test.sh runs it on the test database after the Odoo suites).
"""

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

import websocket  # websocket-client, as Odoo's own tests use

TIMEOUT = 90  # seconds for the server to answer at all


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_http(url):
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.status, response.read().decode(errors="replace")
        except OSError:
            time.sleep(1)
    raise TimeoutError(f"{url} did not answer within {TIMEOUT} s")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", required=True)
    parser.add_argument("--odoo-bin", required=True)
    parser.add_argument("--config", required=True)
    parser.add_argument("--database", required=True)
    args = parser.parse_args()

    http_port, gevent_port = free_port(), free_port()
    log = tempfile.NamedTemporaryFile("w+", suffix=".log", delete=False)
    server = subprocess.Popen(
        [
            args.python,
            args.odoo_bin,
            "-c",
            args.config,
            "-d",
            args.database,
            f"--db-filter=^{args.database}$",
            "--workers=2",
            "--max-cron-threads=0",
            "--http-interface=127.0.0.1",
            f"--http-port={http_port}",
            f"--gevent-port={gevent_port}",
            "--limit-time-real=120",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    failures = []
    try:
        status, body = wait_http(f"http://127.0.0.1:{http_port}/web/login")
        print(f"/web/login: HTTP {status}")
        if status != 200 or "login" not in body:
            failures.append("/web/login did not show the login form")

        request = urllib.request.Request(
            f"http://127.0.0.1:{http_port}/web/webclient/version_info",
            data=json.dumps({"jsonrpc": "2.0", "method": "call", "params": {}}).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            result = json.loads(response.read()).get("result", {})
        print(f"JSON-RPC version_info: {result.get('server_serie')}")
        if result.get("server_serie") != "18.0":
            failures.append("the JSON-RPC call did not answer Odoo 18.0")

        # The gevent worker serves the websockets (the bus) in prefork mode.
        deadline = time.monotonic() + TIMEOUT
        while True:
            try:
                ws = websocket.create_connection(
                    f"ws://127.0.0.1:{gevent_port}/websocket?version=18.0-1",
                    origin=f"http://127.0.0.1:{http_port}",
                    timeout=10,
                )
                break
            except (OSError, websocket.WebSocketException) as exc:
                if time.monotonic() > deadline:
                    failures.append(f"no websocket handshake on the gevent port: {exc}")
                    ws = None
                    break
                time.sleep(1)
        if ws:
            print(f"websocket handshake on the gevent port: HTTP {ws.getstatus()}")
            ws.close()
    except Exception as exc:  # noqa: BLE001 - reported as a failure
        failures.append(repr(exc))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
    log.seek(0)
    text = log.read()
    crashes = [line for line in text.splitlines() if "Traceback" in line or "CRITICAL" in line]
    if crashes:
        failures.append(f"{len(crashes)} tracebacks in the server log")
    if failures:
        print(text[-6000:])
        for failure in failures:
            print(f"FAILED: {failure}")
        return 1
    print("prefork smoke test: login page, JSON-RPC and websocket answered; no traceback")
    return 0


if __name__ == "__main__":
    sys.exit(main())
