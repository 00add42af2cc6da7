from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestManagerReviewTour(HttpCase):
    def test_manager_dashboard_analysis_and_exports(self):
        manager = new_test_user(
            self.env,
            "tour_review_manager",
            groups="complaint_service.group_complaint_manager",
            name="Tour Review Manager",
        )
        team = self.env["complaint.team"].create(
            {"name": "Tour Review Department", "manager_id": manager.id}
        )
        # Registered 40 minutes ago, not sent to the manager: overdue.
        with freeze_time(fields.Datetime.now() - timedelta(minutes=40)):
            self.env["complaint.complaint"].create(
                {
                    "partner_id": self.env["res.partner"]
                    .create({"name": "Tour Review Customer"})
                    .id,
                    "description": "The car was returned dirty.",
                    "team_id": team.id,
                }
            )
        # Only this complaint is overdue for the tour's count.
        self.env["complaint.complaint"].search(
            [("is_overdue", "=", True), ("team_id", "!=", team.id)]
        ).write({"active": False})
        self.start_tour(
            "/odoo/action-complaint_service.complaint_complaint_action",
            "complaint_reports_manager_review",
            login=manager.login,
        )

    def test_leaving_the_dashboard_stores_nothing(self):
        """A form saves a new record when the page is left (reloaded, closed)
        or hidden (another tab); the dashboard is a new record that is only read."""
        manager = new_test_user(
            self.env,
            "leave_dashboard_manager",
            groups="complaint_service.group_complaint_manager",
        )
        Dashboard = self.env["complaint.dashboard"]
        before = Dashboard.search_count([])
        self.browser_js(
            "/odoo/action-complaint_reports.complaint_dashboard_action",
            """
            window.dispatchEvent(new Event("beforeunload"));
            Object.defineProperty(document, "visibilityState", { value: "hidden" });
            document.dispatchEvent(new Event("visibilitychange"));
            setTimeout(() => console.log("test successful"), 2000);
            """,
            ready="!!document.querySelector('.o_complaint_kpi_table td')",
            login=manager.login,
        )
        self.assertEqual(Dashboard.search_count([]), before)
