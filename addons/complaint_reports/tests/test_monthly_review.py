from datetime import date

from odoo.addons.complaint_service.tests.common import ComplaintCase
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger
from psycopg2 import IntegrityError


@tagged("post_install", "-at_install")
class TestMonthlyReview(ComplaintCase):
    def test_plan_do_check(self):
        Review = self.env["complaint.monthly.review"].with_user(self.manager)
        october = Review.create({"month": date(2031, 10, 1), "hot_spots": "<p>Brakes</p>"})
        self.assertEqual(october.name, "Complaint review 2031-10")
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

    def test_reviews_are_for_managers(self):
        from odoo.exceptions import AccessError

        with self.assertRaises(AccessError):
            self.env["complaint.monthly.review"].with_user(self.advisor).create(
                {"month": date(2031, 8, 1)}
            )
