import inspect
import re
from datetime import datetime, timedelta

from dateutil.relativedelta import relativedelta

from odoo.tests import tagged

from odoo.addons.complaint_service.tests.common import ComplaintCase

from ..models import complaint_complaint as demo
from ..models.complaint_complaint import (
    HISTORY,
    LATE_DISPATCH,
    LATE_REGISTER,
    LATE_SOLVE,
    ON_TIME,
    SLOW_CLOSURE,
)

# The steps each timing pattern makes late, as the demo's history had them
# (a step is late when it took longer than the policy allows: 10, 30, 120,
# 1,440 and 240 minutes).
LATE_STEPS = {
    ON_TIME: [False, False, False, False, False],
    LATE_REGISTER: [True, False, False, False, False],
    LATE_DISPATCH: [False, False, True, False, False],
    LATE_SOLVE: [False, False, False, True, False],
    SLOW_CLOSURE: [False, False, False, False, True],
}


@tagged("post_install", "-at_install")
class TestDemoHistory(ComplaintCase):
    def closed(self, received, minutes, score="4"):
        """A demo complaint of the history, as _demo_load_history makes them
        (the test's environment is the superuser's, as when demo data loads)."""
        return self.env["complaint.complaint"]._demo_closed_complaint(
            received,
            minutes,
            {
                "partner_id": self.customer.id,
                "team_id": self.service.id,
                "first_responder_id": self.advisor.id,
                "callback_user_id": self.agent.id,
                "description": "The brakes squeal.",
                "cause": "other",
                "verdict": "dissatisfaction",
            },
            self.advisor2,
            score,
        )

    def test_history_runs_through_the_clock_at_its_times(self):
        received = datetime(2026, 7, 14, 9, 30)
        complaint = self.closed(received, LATE_SOLVE, score="3")
        self.assertEqual(complaint.state, "closed")
        self.assertEqual(complaint.date_received, received)
        self.assertEqual(str(complaint.date_received_day), "2026-07-14")
        self.assertEqual(complaint.name[:4], "2607", "numbered in the month received")
        steps = complaint.step_ids.sorted("sequence")
        self.assertEqual(steps.mapped("round"), [1] * 5)
        when = received
        for step, minutes in zip(steps, LATE_SOLVE, strict=True):
            self.assertEqual(step.date_start, when, step.code)
            when += timedelta(minutes=minutes)
            self.assertEqual(step.date_done, when, step.code)
        self.assertEqual(complaint.date_registered, steps[0].date_done)
        self.assertEqual(complaint.date_customer_contacted, steps[3].date_done)
        self.assertEqual(complaint.date_closed, steps[4].date_done)
        # The solve step took 120 hours of the 24 allowed: the clock saw it late
        # when it was completed.
        self.assertEqual(steps.mapped("is_late"), LATE_STEPS[LATE_SOLVE])
        self.assertEqual(steps[3].breach_date, steps[3].date_done)
        self.assertEqual(complaint.breach_count, 1)
        # The clock's facts follow by themselves.
        self.assertEqual(complaint.timing_solve, "late")
        self.assertEqual(complaint.timing_register, "on_time")
        self.assertEqual(complaint.timing_response, "on_time")
        self.assertEqual(complaint.date_solved, steps[3].date_done)
        callback = complaint.callback_ids
        self.assertEqual(callback.state, "done")
        self.assertEqual(callback.date_done, complaint.date_closed)
        self.assertEqual(callback.attempt_ids.date, complaint.date_closed)
        self.assertEqual(callback.score, "3")
        self.assertTrue(
            all(received <= m.date <= complaint.date_closed for m in complaint.message_ids)
        )
        # The analysis reads the clock's facts.
        self.env.flush_all()
        row = self.env["complaint.report"].search([("complaint_id", "=", complaint.id)])
        self.assertEqual(row.solve_on_time, 0.0)
        self.assertEqual(row.register_on_time, 100.0)
        self.assertEqual(row.response_on_time, 100.0)
        self.assertEqual(row.breach_count, 1)
        self.assertAlmostEqual(row.hours_to_solution, sum(LATE_SOLVE[:4]) / 60)
        self.assertAlmostEqual(row.satisfaction, 3.0)
        self.assertEqual(row.one_week_closure_rate, 100.0)

    def test_every_timing_makes_the_same_late_steps_as_before(self):
        allowed = [
            self.policy[f"{code}_minutes"]
            for code in ("register", "escalate", "dispatch", "solve", "confirm")
        ]
        received = datetime(2026, 6, 1, 9)
        complaints = self.env["complaint.complaint"]
        for minutes, late in LATE_STEPS.items():
            with self.subTest(minutes=minutes):
                self.assertEqual(
                    late, [took > limit for took, limit in zip(minutes, allowed, strict=True)]
                )
                complaint = self.closed(received, minutes)
                complaints |= complaint
                self.assertEqual(complaint.step_ids.sorted("sequence").mapped("is_late"), late)
                self.assertEqual(complaint.breach_count, sum(late))
                self.assertEqual(complaint.state, "closed")
            received += timedelta(days=1)
        # The slow closure took more than a week.
        self.env.flush_all()
        rows = self.env["complaint.report"].search([("complaint_id", "in", complaints.ids)])
        self.assertEqual(sorted(rows.mapped("one_week_closure_rate")), [0.0] + [100.0] * 4)

    def test_demo_calls_only_public_methods_of_complaint_service(self):
        """No private method, no write of the clock's facts: the demo uses what
        a user of the desk would."""
        source = inspect.getsource(demo)
        private = set(re.findall(r"\.(_[a-z]\w*)\(", source))
        self.assertEqual(private, {"_demo_closed_complaint"})
        self.assertNotIn("sudo(", source)
        written = set(re.findall(r'"(\w+)":', source))
        facts = {"name", "is_late", "breach_date", "breach_count", "date_start", "date_done"}
        facts |= {"date_registered", "date_closed", "state"}
        self.assertFalse(written & facts)
        self.assertFalse([key for key in written if key.startswith("kpi_")])

    def test_demo_database_has_months_of_history(self):
        """With demo data, each of the five previous months has its complaints."""
        if not self.env.ref("complaint_service.complaint_01", raise_if_not_found=False):
            self.skipTest("installed without demo data")
        first = datetime.now().date().replace(day=1)
        counts = dict(
            self.env["complaint.report"]._read_group(
                [("date_received_day", ">=", first - relativedelta(months=5))],
                ["date_received_day:month"],
                ["__count"],
            )
        )
        for back in range(1, 6):
            month = first - relativedelta(months=back)
            self.assertEqual(counts.get(month), len(HISTORY), month)
            complaints = self.env["complaint.complaint"].search(
                [
                    ("date_received_day", ">=", month),
                    ("date_received_day", "<", month + relativedelta(months=1)),
                ],
                order="date_received",
            )
            # Late where the history's timing says so (one pattern a month on time).
            for index, complaint in enumerate(complaints):
                timing = ON_TIME if (index + back) % 5 == 0 else HISTORY[index][7]
                self.assertEqual(
                    complaint.step_ids.sorted("sequence").mapped("is_late"),
                    LATE_STEPS[timing],
                    complaint.name,
                )
        last_month = self.env["complaint.complaint"].search(
            [
                ("date_received_day", ">=", first - relativedelta(months=1)),
                ("date_received_day", "<", first),
            ]
        )
        self.assertEqual(len(last_month), len(HISTORY))
        for complaint in last_month:
            self.assertEqual(complaint.state, "closed")
            self.assertEqual(complaint.name[:4], f"{complaint.date_received_day:%y%m}")
        review = self.env.ref("complaint_reports.complaint_monthly_review_last_month")
        self.assertEqual(len(review.complaint_ids), 3, "last month's three late complaints")
