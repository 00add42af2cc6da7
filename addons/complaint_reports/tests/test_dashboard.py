from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import date_utils

from odoo.addons.complaint_service.tests.common import T0, ComplaintCase

from .test_kpi import read_kpi_table


@tagged("post_install", "-at_install")
class TestDashboard(ComplaintCase):
    def test_the_departments_add_up_to_the_overdue_total(self):
        """Data saved without a department before it was required has a row
        of its own: no overdue complaint is missing from the departments."""
        with freeze_time(T0):
            orphan = self.new_complaint()
            self.new_complaint()
        self.env.cr.execute(
            "UPDATE complaint_complaint SET team_id = NULL WHERE id = %s", [orphan.id]
        )
        self.env.invalidate_all()
        with freeze_time(T0 + timedelta(minutes=45)):
            dashboard = self.env["complaint.dashboard"].with_user(self.manager).create({})
            self.assertGreaterEqual(dashboard.overdue_no_team, 1)
            self.assertEqual(
                sum(dashboard.team_ids.mapped("overdue_count")) + dashboard.overdue_no_team,
                dashboard.overdue_count,
            )
            action = dashboard.action_view_overdue_no_team()
            self.assertIn(orphan, self.env["complaint.complaint"].search(action["domain"]))

    def test_figures_open_the_matching_lists(self):
        with freeze_time(T0):
            late = self.new_complaint()
            major = self.new_complaint(injury=True)
        with freeze_time(T0 + timedelta(minutes=20)):
            soon = self.new_complaint()
        with freeze_time(T0 + timedelta(minutes=45)):
            self.env.ref("complaint_service.ir_cron_complaint_overdue").method_direct_trigger()
            dashboard = self.env["complaint.dashboard"].with_user(self.manager).create({})
            mine = self.env["complaint.complaint"].search
            ids = (late | major | soon).ids
            self.assertGreaterEqual(dashboard.overdue_count, 2)
            self.assertGreaterEqual(dashboard.overdue_escalate, 2)
            self.assertIn(self.service, dashboard.team_ids)
            self.assertGreaterEqual(dashboard.major_count, 1)
            # The same figures in the form's onchange of a new dashboard (how it opens).
            opened = (
                self.env["complaint.dashboard"]
                .with_user(self.manager)
                .onchange({}, [], {"company_id": {}, "overdue_count": {}, "major_count": {}})[
                    "value"
                ]
            )
            self.assertEqual(opened["overdue_count"], dashboard.overdue_count)
            self.assertEqual(opened["major_count"], dashboard.major_count)
            action = dashboard.action_view_overdue()
            self.assertEqual(mine(action["domain"] + [("id", "in", ids)]), late | major)
            action = dashboard.with_context(step="escalate").action_view_overdue()
            self.assertEqual(mine(action["domain"] + [("id", "in", ids)]), late | major)
            action = dashboard.action_view_due_soon()
            self.assertEqual(mine(action["domain"] + [("id", "in", ids)]), soon)
            action = dashboard.action_view_major()
            self.assertEqual(mine(action["domain"] + [("id", "in", ids)]), major)
            action = dashboard.action_view_breaches()
            breached = self.env["complaint.step"].search(action["domain"])
            self.assertIn(late, breached.complaint_id)
            self.assertIn("Closure rate", dashboard.kpi_html)
            self.assertIn("0.15 %", dashboard.kpi_html)

    def test_kpis_are_the_analysis_table_of_the_month(self):
        """The dashboard shows complaint.report's KPI table of this month."""
        dashboard = self.env["complaint.dashboard"].with_user(self.manager).create({})
        first, last = date_utils.get_month(fields.Date.context_today(dashboard))
        table = self.env["complaint.report"].kpi_table_html(first, last, self.company)
        self.assertEqual(read_kpi_table(dashboard.kpi_html), read_kpi_table(table))
        self.assertEqual(len(read_kpi_table(table)[1]), 4)

    def test_dashboard_is_for_managers(self):
        with self.assertRaises(AccessError):
            self.env["complaint.dashboard"].with_user(self.advisor).create({})
        with self.assertRaises(AccessError):
            self.env["complaint.dashboard"].with_user(self.advisor).action_open()
        before = self.env["complaint.dashboard"].search_count([])
        action = self.env["complaint.dashboard"].with_user(self.manager).action_open()
        self.assertEqual(action["res_model"], "complaint.dashboard")
        self.assertNotIn("res_id", action)
        # What the form asks when it opens: the figures of a new record.
        values = (
            self.env["complaint.dashboard"]
            .with_user(self.manager)
            .onchange({}, [], {"company_id": {}, "major_count": {}, "kpi_html": {}})["value"]
        )
        self.assertIn("Closure rate", values["kpi_html"])
        self.assertEqual(
            self.env["complaint.dashboard"].search_count([]), before, "opening stores nothing"
        )

    def test_the_form_asks_for_the_kpi_table_apart_from_its_figures(self):
        """The figures in the form's onchange; the month's KPI table, which
        reads the month's complaints, in a request of its own."""
        self.new_complaint()
        Dashboard = self.env["complaint.dashboard"].with_user(self.manager)
        first, last = date_utils.get_month(fields.Date.context_today(Dashboard))
        table = Dashboard.kpi_table(self.company.id)
        self.assertIn("Closure rate", table)
        self.assertEqual(
            read_kpi_table(table),
            read_kpi_table(self.env["complaint.report"].kpi_table_html(first, last, self.company)),
        )
        self.assertEqual(read_kpi_table(Dashboard.kpi_table()), read_kpi_table(table))
        with self.assertRaises(AccessError):
            self.env["complaint.dashboard"].with_user(self.advisor).kpi_table(self.company.id)
        company_b = self.env["res.company"].create({"name": "Dealer C"})
        with self.assertRaises(AccessError):
            Dashboard.kpi_table(company_b.id)

    def test_the_departments_in_the_form_show_their_own_figures(self):
        with freeze_time(T0):
            self.new_complaint()
            self.new_complaint()
        with freeze_time(T0 + timedelta(minutes=45)):
            lines = {"open_count": {}, "overdue_count": {}, "due_soon_count": {}}
            value = (
                self.env["complaint.dashboard"]
                .with_user(self.manager)
                .onchange({}, [], {"team_ids": {"fields": lines}, "company_id": {}})["value"]
            )
            # Command.LINK with the line's values, as the form receives them.
            shown = {command[1]: command[2] for command in value["team_ids"]}
            service = self.service.with_user(self.manager)
            self.assertIn(service.id, shown)
            self.assertEqual(shown[service.id]["open_count"], service.open_count)
            self.assertEqual(shown[service.id]["overdue_count"], 2)


@tagged("post_install", "-at_install")
class TestWizardCompanies(ComplaintCase):
    def test_dashboard_and_exports_only_for_the_users_companies(self):
        company_b = self.env["res.company"].create({"name": "Dealer B"})
        Policy = self.env["complaint.policy"].sudo()
        policies = Policy.search_count([])
        for model in ("complaint.dashboard", "complaint.export.wizard"):
            with self.subTest(model=model), self.assertRaises(AccessError):
                self.env[model].with_user(self.manager).create({"company_id": company_b.id})
        self.assertEqual(Policy.search_count([]), policies, "no policy made for Dealer B")
        # The user's own company is fine.
        dashboard = self.env["complaint.dashboard"].with_user(self.manager).create({})
        self.assertEqual(dashboard.company_id, self.company)


@tagged("post_install", "-at_install")
class TestReadReplicaPaths(ComplaintCase):
    """The read paths of the reports are read-only requests: with a read
    replica configured (db_replica_host) Odoo runs them there."""

    def test_the_reports_read_paths_are_read_only_requests(self):
        def readonly(model, method):
            # As the web client's /web/dataset/call_kw decides it
            # (DataSet._call_kw_readonly): the first definition that says.
            for cls in type(self.env[model]).mro():
                function = getattr(cls, method, None)
                if function is not None and hasattr(function, "_readonly"):
                    return function._readonly
            return False

        for model, method in (
            ("complaint.dashboard", "onchange"),  # the manager's dashboard opening
            ("complaint.dashboard", "kpi_table"),  # and its KPI table
            ("complaint.complaint", "web_search_read"),  # overdue lists
            ("complaint.complaint", "web_read_group"),  # kanban columns, counts
            ("complaint.complaint", "search_count"),
            ("complaint.report", "web_read_group"),  # analysis pivot / graph
            ("complaint.report", "read_group"),
            ("complaint.monthly.review", "web_read"),  # the monthly statistics
        ):
            with self.subTest(model=model, method=method):
                self.assertTrue(readonly(model, method))
        # The actions that write stay on the primary.
        self.assertFalse(readonly("complaint.complaint", "action_dispatch"))
        self.assertFalse(readonly("complaint.export.wizard", "action_export_register"))

    def test_the_dashboard_opens_without_writing(self):
        dashboards = self.env["complaint.dashboard"].search_count([])
        Dashboard = self.env["complaint.dashboard"].with_user(self.manager)
        spec = {"overdue_count": {}, "kpi_html": {}, "company_id": {}}
        result = Dashboard.onchange({}, [], spec)
        self.assertIn("overdue_count", result["value"])
        self.assertEqual(self.env["complaint.dashboard"].search_count([]), dashboards)
