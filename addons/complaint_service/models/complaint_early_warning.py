from markupsafe import Markup

from odoo import api, fields, models

from .complaint_team import company_users
from .const import CLUSTER_WINDOW, GROUP_MANAGER


class ComplaintEarlyWarning(models.Model):
    """Quality early warning: the same fault (cause + vehicle model) from several
    customers within 30 days."""

    _name = "complaint.early.warning"
    _description = "Quality Early Warning"
    _inherit = ["complaint.notification.mixin"]
    _order = "date desc, id desc"
    _rec_names_search = ["vehicle_model_id"]
    _check_company_auto = True

    # Rendered in the reader's language (the cause's label), hence not stored.
    name = fields.Char(compute="_compute_name")
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, index=True)
    cause = fields.Selection(
        # The labels in the reader's language (a borrowed selection's
        # translations are otherwise skipped).
        selection=lambda self: (
            self.env["complaint.complaint"]._fields["cause"]._description_selection(self.env)
        ),
        required=True,
    )
    vehicle_model_id = fields.Many2one("product.product", required=True, check_company=True)
    date = fields.Datetime(required=True, default=fields.Datetime.now, index=True)
    complaint_ids = fields.Many2many(
        "complaint.complaint",
        "complaint_early_warning_complaint_rel",
        "warning_id",
        "complaint_id",
        string="Complaints",
    )
    customer_count = fields.Integer("Customers", compute="_compute_customer_count", store=True)

    @api.depends("cause", "vehicle_model_id")
    @api.depends_context("lang")
    def _compute_name(self):
        causes = dict(self._fields["cause"]._description_selection(self.env))
        for warning in self:
            warning.name = (
                f"{causes.get(warning.cause, '')} · {warning.vehicle_model_id.display_name}"
            )

    @api.depends("cause", "vehicle_model_id")
    @api.depends_context("lang")
    def _compute_display_name(self):
        for warning in self:
            warning.display_name = warning.name

    @api.depends("complaint_ids.partner_id")
    def _compute_customer_count(self):
        for warning in self:
            warning.customer_count = len(warning.complaint_ids.partner_id.commercial_partner_id)

    @api.model
    def _raise_for(self, complaints):
        """Open (or extend) the warning of the complaints' cluster and tell the
        managers which complaints it lists."""
        first = complaints[0]
        since = fields.Datetime.now() - CLUSTER_WINDOW
        warning = self.search(
            [
                ("company_id", "=", first.company_id.id),
                ("cause", "=", first.cause),
                ("vehicle_model_id", "=", first.vehicle_model_id.id),
                ("date", ">=", since),
            ],
            limit=1,
        )
        new = complaints - warning.complaint_ids
        if not new:
            return warning
        if warning:
            warning.complaint_ids = [fields.Command.link(c.id) for c in new]
        else:
            warning = self.create(
                {
                    "company_id": first.company_id.id,
                    "cause": first.cause,
                    "vehicle_model_id": first.vehicle_model_id.id,
                    "complaint_ids": [fields.Command.set(complaints.ids)],
                }
            )
        managers = company_users(self.env, GROUP_MANAGER, warning.company_id)
        items = Markup("").join(
            Markup("<li>%s — %s</li>") % (c.name, c.partner_id.display_name)
            for c in warning.complaint_ids
        )
        warning.message_post(
            body=Markup("<p>%s</p><ul>%s</ul>")
            % (
                self.env._(
                    "Quality early warning: %(fault)s from %(count)s different customers "
                    "within 30 days.",
                    fault=warning.name,
                    count=warning.customer_count,
                ),
                items,
            ),
            partner_ids=managers.partner_id.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        return warning
