from odoo import api, fields, models, tools
from odoo.tools import SQL

from odoo.addons.complaint_service.models.const import (
    FAULT_TYPES,
    SEVERITY_LEVELS,
    TIMING_FIELDS,
)

from ..rules import kpi_rules


def _rate(column):
    """A step's timing as a rate: 100 on time, 0 late, empty when not reached."""
    return SQL(
        "CASE %s WHEN 'on_time' THEN 100.0 WHEN 'late' THEN 0.0 END",
        SQL.identifier("c", column),
    )


# The KPIs of the KPI table, in its order (their labels are in the template).
KPI_TABLE_KEYS = ("response_on_time", "closure", "one_week_closure", "complaint_rate")


class ComplaintReport(models.Model):
    """Complaint analysis: one row per complaint with its KPI contributions.

    Rates are stored per complaint as 100 / 0 (or empty when they do not
    apply), so that the pivot's average of a group is the group's rate."""

    _name = "complaint.report"
    _description = "Complaint Analysis"
    _auto = False
    _order = "date_received desc"
    _rec_name = "name"

    name = fields.Char("Number", readonly=True)
    complaint_id = fields.Many2one("complaint.complaint", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    date_received = fields.Datetime("Received", readonly=True)
    date_received_day = fields.Date(
        "Day Received",
        readonly=True,
        help="The day of reception in the dealership's time zone; months and quarters "
        "of the analysis are made of these days.",
    )
    team_id = fields.Many2one("complaint.team", string="Department", readonly=True)
    first_responder_id = fields.Many2one("res.users", readonly=True)
    user_id = fields.Many2one("res.users", string="Advisor / Responsible", readonly=True)
    vehicle_model_id = fields.Many2one("product.product", readonly=True)
    channel = fields.Selection(
        lambda self: self.env["complaint.complaint"]._fields["channel"].selection, readonly=True
    )
    confirmation_channel = fields.Selection(
        lambda self: self.env["complaint.complaint"]._fields["confirmation_channel"].selection,
        readonly=True,
    )
    cause = fields.Selection(
        lambda self: self.env["complaint.complaint"]._fields["cause"].selection, readonly=True
    )
    verdict = fields.Selection(
        lambda self: self.env["complaint.complaint"]._fields["verdict"].selection, readonly=True
    )
    fault_type = fields.Selection(FAULT_TYPES, readonly=True)
    severity = fields.Selection(SEVERITY_LEVELS, readonly=True)
    is_major = fields.Boolean("Major Complaint", readonly=True)
    is_repeat = fields.Boolean("Repeat Complaint", readonly=True)
    state = fields.Selection(
        lambda self: self.env["complaint.complaint"]._fields["state"].selection,
        string="Stage",
        readonly=True,
    )
    response_on_time = fields.Float(
        "Response On Time (%)",
        readonly=True,
        aggregator="avg",
        help="Registered, sent to the manager and dispatched within their deadlines.",
    )
    register_on_time = fields.Float("Register On Time (%)", readonly=True, aggregator="avg")
    escalate_on_time = fields.Float("Reach Manager On Time (%)", readonly=True, aggregator="avg")
    dispatch_on_time = fields.Float("Dispatch On Time (%)", readonly=True, aggregator="avg")
    solve_on_time = fields.Float("Solve On Time (%)", readonly=True, aggregator="avg")
    confirm_on_time = fields.Float("Confirm On Time (%)", readonly=True, aggregator="avg")
    closure_rate = fields.Float("Closed (%)", readonly=True, aggregator="avg")
    one_week_closure_rate = fields.Float(
        "Closed Within a Week (%)", readonly=True, aggregator="avg"
    )
    repeat_rate = fields.Float("Repeat (%)", readonly=True, aggregator="avg")
    hours_to_solution = fields.Float(
        "Hours to Solution",
        readonly=True,
        aggregator="avg",
        help="From reception to the first solution communicated.",
    )
    satisfaction = fields.Float("Satisfaction (1-5)", readonly=True, aggregator="avg")
    self_service_rate = fields.Float(
        "Self-service Confirmations (%)",
        readonly=True,
        aggregator="avg",
        help="Of the solutions the customer confirmed, the share confirmed from the link "
        "they received rather than to a callback agent.",
    )
    compensation_amount = fields.Float("Compensation", readonly=True, aggregator="sum")
    breach_count = fields.Integer("Breaches", readonly=True, aggregator="sum")
    nbr = fields.Integer("Complaints", readonly=True, aggregator="sum")

    _depends = {
        "complaint.complaint": [
            "name",
            "company_id",
            "date_received",
            "date_received_day",
            "team_id",
            "first_responder_id",
            "user_id",
            "vehicle_model_id",
            "channel",
            "confirmation_channel",
            "cause",
            "misuse_confirmed_by_id",
            "verdict",
            "fault_type",
            "severity",
            "is_major",
            "is_repeat",
            "state",
            "date_closed",
            "compensation_amount",
            "approval_state",
            "breach_count",
            *TIMING_FIELDS,
            "date_solved",
            "kpi_satisfaction",
            "active",
        ],
    }

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        # The per-step facts are kept on the complaint by the clock: the view
        # reads one table.
        self.env.cr.execute(
            SQL(
                """
            CREATE OR REPLACE VIEW %s AS (
            SELECT c.id AS id,
                   c.id AS complaint_id,
                   c.name, c.company_id, c.date_received, c.date_received_day,
                   c.team_id, c.first_responder_id,
                   c.user_id, c.vehicle_model_id, c.channel, c.confirmation_channel,
                   CASE c.confirmation_channel WHEN 'self_service' THEN 100.0
                        WHEN 'phone' THEN 0.0 END AS self_service_rate,
                   -- Misuse is a verdict: it counts as misuse once a manager confirmed it.
                   CASE WHEN c.cause = 'misuse' AND c.misuse_confirmed_by_id IS NULL
                        THEN NULL ELSE c.cause END AS cause,
                   c.verdict, c.fault_type,
                   c.severity, c.is_major, c.is_repeat, c.state,
                   1 AS nbr,
                   c.breach_count,
                   CASE WHEN c.approval_state = 'approved' THEN c.compensation_amount
                        ELSE 0 END AS compensation_amount,
                   CASE WHEN c.state = 'closed' THEN 100.0 ELSE 0.0 END AS closure_rate,
                   CASE WHEN c.state = 'closed'
                         AND c.date_closed <= c.date_received + %s * interval '1 hour'
                        THEN 100.0 ELSE 0.0 END AS one_week_closure_rate,
                   CASE WHEN c.is_repeat THEN 100.0 ELSE 0.0 END AS repeat_rate,
                   %s AS register_on_time,
                   %s AS escalate_on_time,
                   %s AS dispatch_on_time,
                   %s AS solve_on_time,
                   %s AS confirm_on_time,
                   %s AS response_on_time,
                   EXTRACT(EPOCH FROM c.date_solved - c.date_received) / 3600.0
                       AS hours_to_solution,
                   NULLIF(c.kpi_satisfaction, 0) AS satisfaction
              FROM complaint_complaint c
             WHERE c.active
            )
            """,
                SQL.identifier(self._table),
                kpi_rules.ONE_WEEK_HOURS,
                *(_rate(fname) for fname in TIMING_FIELDS),
            )
        )

    @api.model
    def _policy(self, company):
        """The company's handling policy (with its targets): one of the user's
        companies; a company without a policy reads the default values."""
        return self.env["complaint.policy"].get_company_policy(company)

    @api.model
    def _period_bounds(self, date_from, date_to, company):
        """The days date_from to date_to (inclusive) in the dealership's time
        zone, as UTC datetimes: start <= received < end."""
        return self._policy(company).utc_bounds(date_from, date_to)

    @api.model
    def _kpi_summary(self, date_from, date_to, company):
        """The KPIs of the days date_from to date_to (inclusive, in the
        dealership's time zone) against the company's targets.

        Complaint rate = complaints / workshop visits (repair orders received,
        i.e. scheduled, in the period)."""
        start, end = self._period_bounds(date_from, date_to, company)
        domain = [
            ("company_id", "=", company.id),
            ("date_received", ">=", start),
            ("date_received", "<", end),
        ]
        aggregates = [
            "nbr:sum",
            "response_on_time:avg",
            "closure_rate:avg",
            "one_week_closure_rate:avg",
            "repeat_rate:avg",
            "hours_to_solution:avg",
            "satisfaction:avg",
            "self_service_rate:avg",
            "compensation_amount:sum",
            "breach_count:sum",
        ]
        row = self._read_group(domain, [], aggregates)[0]
        # An average over no value is read as False: nothing to measure (None).
        values = {
            aggregate.split(":")[0]: None if value is False else value
            for aggregate, value in zip(aggregates, row, strict=True)
        }
        visits = self.env["repair.order"].search_count(
            [
                ("company_id", "=", company.id),
                ("schedule_date", ">=", start),
                ("schedule_date", "<", end),
            ]
        )
        complaints = values["nbr"] or 0
        kpis = {
            "complaints": complaints,
            "visits": visits,
            "response_on_time": values["response_on_time"],
            "closure": values["closure_rate"] if complaints else None,
            "one_week_closure": values["one_week_closure_rate"] if complaints else None,
            "repeat": values["repeat_rate"] if complaints else None,
            "hours_to_solution": values["hours_to_solution"],
            "satisfaction": values["satisfaction"],
            "self_service": values["self_service_rate"],
            "compensation": values["compensation_amount"] or 0.0,
            "breaches": values["breach_count"] or 0,
            "complaint_rate": kpi_rules.complaint_rate(complaints, visits),
        }
        targets = self._policy(company)._targets()
        verdicts = {
            key: kpi_rules.meets_target(key, kpis[key], target) for key, target in targets.items()
        }
        return {"kpis": kpis, "targets": targets, "meets": verdicts}

    @api.model
    def kpi_table_html(self, date_from, date_to, company):
        """The KPI table of the days date_from to date_to (inclusive, in the
        dealership's time zone) of ``company`` against its targets: HTML
        rendered by the QWeb template complaint_reports.kpi_table."""
        return self.render_kpi_table(self._kpi_summary(date_from, date_to, company))

    @api.model
    def render_kpi_table(self, summary):
        """The KPI table of ``summary``: a result of _kpi_summary, or a stored
        snapshot of one (JSON), of which only the figures are read — anything
        else is left out, and the template escapes what it shows."""
        summary = self._kpi_table_figures(summary)
        return self.env["ir.qweb"]._render(
            "complaint_reports.kpi_table",
            {
                "summary": summary,
                "visits_line": self.env._(
                    "%(complaints)s complaints for %(visits)s workshop visits.",
                    complaints=summary["kpis"]["complaints"],
                    visits=summary["kpis"]["visits"],
                ),
            },
        )

    @api.model
    def _kpi_table_figures(self, summary):
        """The figures of the KPI table in ``summary``, typed: numbers (None
        when absent), counts, verdicts True / False / None."""

        def number(value):
            if isinstance(value, bool) or not isinstance(value, int | float):
                return None
            return float(value)

        def count(value):
            return value if isinstance(value, int) and not isinstance(value, bool) else 0

        summary = summary if isinstance(summary, dict) else {}
        kpis, targets, meets = (
            part if isinstance(part, dict) else {}
            for part in (summary.get(key) for key in ("kpis", "targets", "meets"))
        )
        return {
            "kpis": {
                **{key: number(kpis.get(key)) for key in KPI_TABLE_KEYS},
                "complaints": count(kpis.get("complaints")),
                "visits": count(kpis.get("visits")),
            },
            "targets": {key: number(targets.get(key)) for key in KPI_TABLE_KEYS},
            "meets": {
                key: meets.get(key) if isinstance(meets.get(key), bool) else None
                for key in KPI_TABLE_KEYS
            },
        }
