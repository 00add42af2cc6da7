"""pytest plugin for the Odoo suites: a skipped test is a failure.

Odoo skips browser tours silently when Chromium or websocket-client is
missing, and pytest-odoo skips every HttpCase without --odoo-http; in this
project's Odoo suites nothing may be skipped, so a skip fails the run.
"""

import pytest

_skipped = []


def pytest_runtest_logreport(report):
    if report.skipped:
        _skipped.append(f"{report.nodeid}: {report.longrepr[-1] if report.longrepr else ''}")


def pytest_terminal_summary(terminalreporter):
    if _skipped:
        terminalreporter.section("skipped tests are failures in the Odoo suites", red=True)
        for line in _skipped:
            terminalreporter.write_line(line)


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session, exitstatus):
    if _skipped and session.exitstatus == 0:
        session.exitstatus = 1
