from odoo import api, fields, models
from odoo.tools import date_utils

from odoo.addons.complaint_service.models.const import CLUSTER_WINDOW, OPEN_STATES, STEP_CODES


class ComplaintDashboard(models.TransientModel):
    """The manager's one-screen view: what is overdue now, what is due, what is
    major, this month's breaches and KPIs against targets, early warnings.
    Every figure opens the matching list."""

    _name = "complaint.dashboard"
    _description = "Complaint Manager Dashboard"

    company_id = fields.Many2one(
        "res.company",
        default=lambda self: self.env.company,
        domain=lambda self: [("id", "in", self.env.user.company_ids.ids)],
    )
    overdue_count = fields.Integer("Overdue Now", compute="_compute_figures")
    overdue_register = fields.Integer("Register", compute="_compute_figures")
    overdue_escalate = fields.Integer("Reach Manager", compute="_compute_figures")
    overdue_dispatch = fields.Integer("Dispatch", compute="_compute_figures")
    overdue_solve = fields.Integer("Solve", compute="_compute_figures")
    overdue_confirm = fields.Integer("Confirm", compute="_compute_figures")
    due_soon_count = fields.Integer("Due Within the Hour", compute="_compute_figures")
    major_count = fields.Integer("Major Complaints Open", compute="_compute_figures")
    breach_month_count = fields.Integer("Breaches This Month", compute="_compute_figures")
    warning_count = fields.Integer("Early Warnings (30 days)", compute="_compute_figures")
    team_ids = fields.Many2many(
        "complaint.team", compute="_compute_figures", string="Overdue by Department"
    )
    overdue_no_team = fields.Integer("Overdue Without a Department", compute="_compute_figures")
    kpi_html = fields.Html("This Month's KPIs", compute="_compute_kpi_html")

    @api.constrains("company_id")
    def _check_company_id(self):
        """Only the user's own companies (the policy's accessor refuses the others)."""
        for wizard in self.filtered("company_id"):
            self.env["complaint.policy"].get_company_policy(wizard.company_id)

    def _compute_display_name(self):
        for dashboard in self:
            dashboard.display_name = self.env._("Manager Dashboard")

    def _month(self):
        """This month's first and last day."""
        return date_utils.get_month(fields.Date.context_today(self))

    def _month_bounds(self):
        """This month in the dealership's time zone, as UTC datetimes."""
        return self.env["complaint.report"]._period_bounds(
            *self._month(), self.company_id or self.env.company
        )

    # The company's figures: depending on it, they are computed in the form's
    # onchange of a new dashboard too.
    @api.depends("company_id")
    @api.depends_context("uid", "allowed_company_ids")
    def _compute_figures(self):
        Complaint = self.env["complaint.complaint"]
        Step = self.env["complaint.step"]
        overdue_by_step = dict(
            Complaint._read_group([("is_overdue", "=", True)], ["current_step"], ["__count"])
        )
        # Every overdue complaint in a row: the departments' figures add up
        # to the total, with a "No department" row for any saved without one.
        overdue_teams = Complaint._read_group([("is_overdue", "=", True)], ["team_id"], ["__count"])
        for dashboard in self:
            dashboard.overdue_count = sum(overdue_by_step.values())
            for code in STEP_CODES:
                dashboard[f"overdue_{code}"] = overdue_by_step.get(code, 0)
            dashboard.due_soon_count = Complaint.search_count([("is_due_soon", "=", True)])
            dashboard.major_count = Complaint.search_count(
                [("is_major", "=", True), ("state", "in", OPEN_STATES)]
            )
            start, end = dashboard._month_bounds()
            dashboard.breach_month_count = Step.search_count(
                [("is_late", "=", True), ("breach_date", ">=", start), ("breach_date", "<", end)]
            )
            dashboard.warning_count = self.env["complaint.early.warning"].search_count(
                [("date", ">=", fields.Datetime.now() - CLUSTER_WINDOW)]
            )
            dashboard.team_ids = [team.id for team, _count in overdue_teams if team]
            dashboard.overdue_no_team = sum(count for team, count in overdue_teams if not team)

    @api.depends("company_id")
    @api.depends_context("uid", "allowed_company_ids")
    def _compute_kpi_html(self):
        Report = self.env["complaint.report"]
        first, last = self._month()
        for dashboard in self:
            dashboard.kpi_html = Report.kpi_table_html(
                first, last, dashboard.company_id or self.env.company
            )

    @api.readonly
    def onchange(self, values, field_names, fields_spec):
        """Opening the dashboard computes its figures in the form's onchange
        of a new record, which writes nothing: read-only, so that with a read
        replica configured (README, "Scaling out") it runs there."""
        return super().onchange(values, field_names, fields_spec)

    @api.model
    @api.readonly
    def kpi_table(self, company_id=False):
        """This month's KPI table against targets (``kpi_html``) of one of the
        user's companies. It reads the month's complaints: the form asks for
        it in a request of its own (the ``complaint_kpi_table`` widget), so
        that its figures do not wait for it."""
        self.check_access("create")
        return self.new({"company_id": company_id or self.env.company.id}).kpi_html

    @api.model
    def action_open(self):
        """The dashboard as a new record: its figures are computed when the
        form loads it (onchange), and opening, leaving or hiding the screen
        stores nothing (its form view, ``complaint_dashboard_form``, does not
        save on leaving as forms do); a record is saved only when a figure is
        opened."""
        self.check_access("create")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Manager Dashboard"),
            "res_model": self._name,
            "view_mode": "form",
            "target": "current",
        }

    def _open_complaints(self, domain, name):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "complaint_service.complaint_complaint_action_overdue"
        )
        action.update(name=name, domain=domain, context={})
        return action

    def action_view_overdue(self):
        step = self.env.context.get("step")
        domain = [("is_overdue", "=", True)] + ([("current_step", "=", step)] if step else [])
        return self._open_complaints(domain, self.env._("Overdue Complaints"))

    def action_view_overdue_no_team(self):
        return self._open_complaints(
            [("is_overdue", "=", True), ("team_id", "=", False)],
            self.env._("Overdue Complaints Without a Department"),
        )

    def action_view_due_soon(self):
        return self._open_complaints(
            [("is_due_soon", "=", True)], self.env._("Due Within the Hour")
        )

    def action_view_major(self):
        return self._open_complaints(
            [("is_major", "=", True), ("state", "in", OPEN_STATES)], self.env._("Major Complaints")
        )

    def action_view_breaches(self):
        start, end = self._month_bounds()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "complaint_service.complaint_step_action_breaches"
        )
        action.update(
            domain=[
                ("is_late", "=", True),
                ("breach_date", ">=", start),
                ("breach_date", "<", end),
            ],
            context={},
        )
        return action

    def action_view_warnings(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "complaint_service.complaint_early_warning_action"
        )
        action["domain"] = [("date", ">=", fields.Datetime.now() - CLUSTER_WINDOW)]
        return action
