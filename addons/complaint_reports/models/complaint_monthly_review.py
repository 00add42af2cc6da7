from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import date_utils


class ComplaintMonthlyReview(models.Model):
    """The month's review (PDCA): hot spots, corrective actions with owner and
    due date, and next month's check of their effect."""

    _name = "complaint.monthly.review"
    _description = "Monthly Complaint Review"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "month desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    month = fields.Date(
        required=True,
        default=lambda self: (
            fields.Date.context_today(self).replace(day=1) - relativedelta(months=1)
        ),
        tracking=True,
        help="First day of the month reviewed.",
    )
    state = fields.Selection(
        [("draft", "In preparation"), ("done", "Reviewed")],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
    )
    kpi_snapshot = fields.Json(
        "KPI Snapshot",
        readonly=True,
        copy=False,
        groups="base.group_system",
        help="The month's KPI figures against the targets, as they were when the review "
        "was created or its KPIs last loaded.",
    )
    kpi_summary = fields.Html("KPIs", compute="_compute_kpi_summary")
    hot_spots = fields.Html(help="What went wrong most this month, and why.")
    complaint_ids = fields.Many2many(
        "complaint.complaint", string="Complaints Concerned", check_company=True
    )
    action_ids = fields.One2many(
        "complaint.review.action", "review_id", string="Corrective Actions"
    )
    previous_review_id = fields.Many2one(
        "complaint.monthly.review",
        compute="_compute_previous_review",
        search="_search_previous_review",
    )
    previous_action_ids = fields.One2many(
        related="previous_review_id.action_ids",
        string="Effect of Last Month's Actions",
        readonly=False,
    )

    _sql_constraints = [
        (
            "month_company_uniq",
            "unique(company_id, month)",
            "There is already a review of this month.",
        ),
    ]

    @api.depends("month")
    def _compute_name(self):
        for review in self:
            review.name = self.env._(
                "Complaint review %(month)s",
                month=review.month.strftime("%Y-%m") if review.month else "",
            )

    @api.depends("kpi_snapshot")
    def _compute_kpi_summary(self):
        """The KPI table of the snapshot, rendered by the same template as the
        dashboard's: the review stores figures, never HTML."""
        Report = self.env["complaint.report"]
        for review in self:
            snapshot = review.sudo().kpi_snapshot
            review.kpi_summary = Report.render_kpi_table(snapshot) if snapshot else False

    @api.depends("month", "company_id")
    def _compute_previous_review(self):
        for review in self:
            review.previous_review_id = (
                self.search(
                    [
                        ("company_id", "=", review.company_id.id),
                        ("month", "=", review.month - relativedelta(months=1)),
                    ],
                    limit=1,
                )
                if review.month
                else False
            )

    def _search_previous_review(self, operator, value):
        """Reviews whose previous review is among ``value`` (the month after it)."""
        if operator not in ("=", "in"):
            raise UserError(self.env._("Unsupported search on Previous Review."))
        ids = [value] if isinstance(value, int) else list(value or [])
        previous = self.browse(ids).exists()
        next_ids = [
            review.id
            for prev in previous
            for review in self.search(
                [
                    ("company_id", "=", prev.company_id.id),
                    ("month", "=", prev.month + relativedelta(months=1)),
                ]
            )
        ]
        return [("id", "in", next_ids)]

    @api.constrains("month")
    def _check_month(self):
        for review in self:
            if review.month.day != 1:
                raise ValidationError(self.env._("Month: give the first day of the month."))

    @api.model_create_multi
    def create(self, vals_list):
        reviews = super().create(vals_list)
        reviews._take_kpi_snapshot()
        return reviews

    def write(self, vals):
        res = super().write(vals)
        if {"month", "company_id"} & set(vals):
            self._take_kpi_snapshot()
        return res

    def action_load_kpis(self):
        """Snapshot of the month's KPIs against the targets, taken again now."""
        self._take_kpi_snapshot()
        return True

    def _take_kpi_snapshot(self):
        """Store the figures of the month's KPIs. Only this method writes the
        snapshot (users cannot: the field is for administrators), after
        checking that the user may write the review."""
        self.check_access("write")
        Report = self.env["complaint.report"]
        for review in self:
            summary = Report.with_company(review.company_id)._kpi_summary(
                *date_utils.get_month(review.month), review.company_id
            )
            review.sudo().kpi_snapshot = summary

    def action_done(self):
        for review in self:
            if not review.action_ids and not review.hot_spots:
                raise UserError(
                    self.env._(
                        "%(name)s: record the hot spots or the corrective actions first.",
                        name=review.name,
                    )
                )
        self.write({"state": "done"})
        return True


class ComplaintReviewAction(models.Model):
    _name = "complaint.review.action"
    _description = "Corrective Action"
    _order = "date_due, id"

    review_id = fields.Many2one(
        "complaint.monthly.review", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="review_id.company_id", store=True)
    name = fields.Char("Action", required=True)
    user_id = fields.Many2one("res.users", string="Owner", required=True)
    date_due = fields.Date("Due", required=True)
    done = fields.Boolean()
    effect = fields.Selection(
        [
            ("effective", "Effective"),
            ("partial", "Partly effective"),
            ("not_effective", "Not effective"),
        ],
        help="Checked at next month's review.",
    )
    effect_note = fields.Text("Effect Check")

    @api.model_create_multi
    def create(self, vals_list):
        actions = super().create(vals_list)
        for action in actions:
            action.review_id.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=action.date_due,
                summary=action.name,
                user_id=action.user_id.id,
            )
        return actions
