from datetime import datetime, timedelta

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time
from odoo.addons.complaint_service.tests.common import T0, ComplaintCase
from odoo.tests import tagged

from ..models.complaint_complaint import HISTORY, LATE_SOLVE, ON_TIME


@tagged("post_install", "-at_install")
class TestDemoHistory(ComplaintCase):
    def closed_now(self):
        with freeze_time(T0):
            complaint = self.new_complaint(cause="other")
        self.run_to_solution(complaint)
        with freeze_time(T0 + timedelta(hours=4)):
            complaint.callback_ids._log_attempt(True, "satisfied", "4")
        self.assertEqual(complaint.state, "closed")
        return complaint

    def test_retime_moves_the_whole_timeline_and_keeps_the_clock_rules(self):
        received = datetime(2026, 7, 14, 9, 30)
        complaint = self.closed_now()
        complaint._demo_retime(received, LATE_SOLVE)
        steps = complaint.step_ids.sorted("sequence")
        self.assertEqual(steps[0].date_start, received)
        self.assertEqual(complaint.date_received, received)
        self.assertEqual(str(complaint.date_received_day), "2026-07-14")
        self.assertEqual(steps.mapped("is_late"), [False, False, False, True, False])
        self.assertEqual(complaint.breach_count, 1)
        self.assertEqual(complaint.date_closed, steps[4].date_done)
        self.assertEqual(complaint.timing_solve, "late")
        self.assertEqual(complaint.timing_register, "on_time")
        self.assertEqual(
            (complaint.date_solved - complaint.date_received).total_seconds() / 3600,
            sum(LATE_SOLVE[:4]) / 60,
        )
        self.assertEqual(complaint.callback_ids.date_done, complaint.date_closed)
        self.assertTrue(
            all(received <= m.date <= complaint.date_closed for m in complaint.message_ids)
        )

    def test_on_time_history_is_on_time(self):
        complaint = self.closed_now()
        complaint._demo_retime(T0 - relativedelta(months=2), ON_TIME)
        self.assertFalse(any(complaint.step_ids.mapped("is_late")))
        self.assertEqual(complaint.timing_response, "on_time")

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
