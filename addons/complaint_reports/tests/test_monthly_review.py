from datetime import date, datetime
from unittest.mock import patch

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.complaint_service.tests.common import ComplaintCase

from .test_kpi import read_kpi_table

XSS = '<script>alert(1)</script><img src=x onerror=alert(1)><a href="javascript:alert(1)">x</a>'


@tagged("post_install", "-at_install")
class TestMonthlyReview(ComplaintCase):
    def test_plan_do_check(self):
        Review = self.env["complaint.monthly.review"].with_user(self.manager)
        october = Review.create({"month": date(2031, 10, 1), "hot_spots": "<p>Brakes</p>"})
        self.assertEqual(october.name, "Complaint review 2031-10")
        self.assertIn("Closure rate", october.kpi_summary, "taken when the review is created")
        october.action_load_kpis()
        self.assertIn("Closure rate", october.kpi_summary)
        action = (
            self.env["complaint.review.action"]
            .with_user(self.manager)
            .create(
                {
                    "review_id": october.id,
                    "name": "Train the front desk on brake checks",
                    "user_id": self.advisor.id,
                    "date_due": date(2031, 11, 15),
                }
            )
        )
        self.assertEqual(october.activity_ids.user_id, self.advisor)
        self.assertEqual(october.activity_ids.date_deadline, date(2031, 11, 15))
        october.action_done()
        self.assertEqual(october.state, "done")
        november = Review.create({"month": date(2031, 11, 1)})
        self.assertEqual(november.previous_review_id, october)
        self.assertEqual(november.previous_action_ids, action)
        november.previous_action_ids.write({"effect": "effective", "effect_note": "No repeat."})
        self.assertEqual(action.effect, "effective")

    def test_bad_input(self):
        Review = self.env["complaint.monthly.review"].with_user(self.manager)
        with self.assertRefused(ValidationError, "first day"):
            Review.create({"month": date(2031, 10, 5)})
        review = Review.create({"month": date(2031, 9, 1)})
        with self.assertRefused(UserError, "hot spots"):
            review.action_done()
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            Review.create({"month": date(2031, 9, 1)})
            self.env.flush_all()

    def test_kpis_are_a_snapshot_of_figures_shown_by_the_kpi_table(self):
        """The review stores the month's figures when it is created or its KPIs
        are loaded, and shows them with the dashboard's template; no transient
        dashboard is involved."""
        Review = self.env["complaint.monthly.review"].with_user(self.manager)
        received = datetime(2031, 6, 10, 9)
        with freeze_time(received):
            self.new_complaint(date_received=received)
        Dashboard = type(self.env["complaint.dashboard"])
        refuse = AssertionError("the review's KPI table does not come from a dashboard")
        with (
            patch.object(Dashboard, "new", side_effect=refuse),
            patch.object(Dashboard, "create", side_effect=refuse),
        ):
            june = Review.create({"month": date(2031, 6, 1)})
            self.assertFalse(type(june)._fields["kpi_summary"].store, "no stored HTML")
            snapshot = june.sudo().kpi_snapshot
            self.assertEqual(snapshot["kpis"]["complaints"], 1)
            self.assertEqual(snapshot["kpis"]["closure"], 0.0)
            self.assertIs(snapshot["meets"]["closure"], False)
            _header, rows, note = read_kpi_table(june.kpi_summary)
            self.assertEqual(rows[1], ("Closure rate", "0.0 %", "text-bg-danger", "100 %"))
            self.assertEqual(note, "1 complaints for 0 workshop visits.")
            self.assertEqual(
                read_kpi_table(june.kpi_summary),
                read_kpi_table(
                    self.env["complaint.report"].kpi_table_html(
                        date(2031, 6, 1), date(2031, 6, 30), self.company
                    )
                ),
            )
            # A snapshot: a complaint received later in the month shows when the
            # KPIs are loaded again.
            with freeze_time(received):
                self.new_complaint(date_received=received)
            june.invalidate_recordset()
            self.assertIn("1 complaints", june.kpi_summary)
            june.action_load_kpis()
            self.assertIn("2 complaints", june.kpi_summary)
            # Another month: its own figures.
            june.month = date(2031, 7, 1)
            self.assertIn("0 complaints", june.kpi_summary)

    def test_html_of_a_review_is_sanitized(self):
        """A manager writing script, event handlers or javascript: links into
        any HTML field of a review stores and shows none of them."""
        Review = self.env["complaint.monthly.review"].with_user(self.manager)
        review = Review.create({"month": date(2031, 5, 1)})
        html_fields = [name for name, field in review._fields.items() if field.type == "html"]
        self.assertEqual(sorted(html_fields), ["hot_spots", "kpi_summary"])
        for name in html_fields:
            self.assertTrue(review._fields[name].sanitize, name)
        self.assertTrue(self.env["complaint.dashboard"]._fields["kpi_html"].sanitize)
        review.write(dict.fromkeys(html_fields, f"<p>Brakes</p>{XSS}"))
        self.env.flush_all()
        self.env.invalidate_all()
        self.env.cr.execute(
            "SELECT hot_spots FROM complaint_monthly_review WHERE id = %s", [review.id]
        )
        (stored,) = self.env.cr.fetchone()
        for value in (stored, *(review[name] for name in html_fields)):
            for bad in ("<script", "alert(1)</script>", "onerror", "javascript:"):
                self.assertNotIn(bad, str(value))
        self.assertIn("Brakes", review.hot_spots)
        self.assertIn("Closure rate", review.kpi_summary, "the KPI table, not what was written")

    def test_the_snapshot_is_written_by_the_code_only(self):
        """Managers cannot write the stored figures; figures that are not
        numbers (a snapshot written by hand) are left out and what is shown is
        escaped."""
        review = (
            self.env["complaint.monthly.review"]
            .with_user(self.manager)
            .create({"month": date(2031, 4, 1)})
        )
        with self.assertRaises(AccessError):
            review.write({"kpi_snapshot": {"kpis": {"complaints": 99}}})
        review.sudo().kpi_snapshot = {
            "kpis": {"complaints": XSS, "closure": XSS, "visits": 7},
            "targets": {"closure": XSS, "complaint_rate": 0.2},
            "meets": {"closure": XSS},
        }
        shown = review.kpi_summary
        for bad in ("<script", "onerror", "javascript:"):
            self.assertNotIn(bad, shown)
        _header, rows, note = read_kpi_table(shown)
        self.assertEqual(rows[1], ("Closure rate", "-", "text-bg-light", "-"))
        self.assertEqual(rows[3], ("Complaint rate", "-", "text-bg-light", "0.2 %"))
        self.assertEqual(note, "0 complaints for 7 workshop visits.")

    def test_reviews_are_for_managers(self):
        with self.assertRaises(AccessError):
            self.env["complaint.monthly.review"].with_user(self.advisor).create(
                {"month": date(2031, 8, 1)}
            )
