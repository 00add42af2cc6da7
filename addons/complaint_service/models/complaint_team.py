from odoo import SUPERUSER_ID, api, fields, models
from odoo.tools import email_normalize

from odoo.addons.mail.tools.alias_error import AliasError

from .const import OPEN_STATES

# A department's figures: its open complaints, and those among them of a flag.
TEAM_COUNTS = (
    ("open_count", []),
    ("overdue_count", [("is_overdue", "=", True)]),
    ("due_soon_count", [("is_due_soon", "=", True)]),
    ("paused_count", [("is_paused", "=", True)]),
)


def company_users(env, group_xmlid, company):
    """The active internal users of a group who work in ``company`` (OdooBot excluded)."""
    return (
        env.ref(group_xmlid)
        .sudo()
        .users.filtered(
            lambda u: u.active and not u.share and company in u.company_ids and u.id != SUPERUSER_ID
        )
    )


class ComplaintTeam(models.Model):
    """A department that handles complaints (service, sales, parts...)."""

    _name = "complaint.team"
    _description = "Complaint Department"
    _inherit = ["mail.thread", "mail.alias.mixin"]
    _order = "sequence, name"
    _check_company_auto = True

    name = fields.Char("Department", required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    color = fields.Integer()
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    kind = fields.Selection(
        [
            ("service", "After-sales service"),
            ("sales", "Sales"),
            ("parts", "Parts"),
            ("finance", "Finance / insurance"),
            ("customer_care", "Customer care"),
            ("other", "Other"),
        ],
        default="service",
        required=True,
    )
    manager_id = fields.Many2one(
        "res.users",
        tracking=True,
        check_company=True,
        help="Department manager: receives the registered complaints and dispatches them.",
    )
    member_ids = fields.Many2many(
        "res.users",
        "complaint_team_member_rel",
        "team_id",
        "user_id",
        string="Members",
        check_company=True,
    )
    complaint_ids = fields.One2many("complaint.complaint", "team_id")
    oem_sender_domains = fields.Char(
        "OEM Sender Domains",
        help="The e-mail domains of the OEM hotline, separated by commas (e.g. "
        "hotline.oem.com.cn): work orders sent to the department's alias from any other "
        "domain are refused. Empty: the alias's Accept Emails From setting decides alone.",
    )
    open_count = fields.Integer("Open", compute="_compute_counts")
    overdue_count = fields.Integer("Overdue", compute="_compute_counts")
    due_soon_count = fields.Integer("Due within 1 hour", compute="_compute_counts")
    paused_count = fields.Integer("Paused", compute="_compute_counts")

    def _alias_get_creation_values(self):
        """The department's alias makes OEM hotline complaints of the department."""
        values = super()._alias_get_creation_values()
        values["alias_model_id"] = self.env["ir.model"]._get_id("complaint.complaint")
        if self.id:
            values["alias_defaults"] = repr(
                {"team_id": self.id, "channel": "oem", "company_id": self.company_id.id}
            )
        return values

    def _alias_get_error(self, message, message_dict, alias):
        """Beyond the alias's own setting: only the OEM hotline's domains."""
        error = super()._alias_get_error(message, message_dict, alias)
        if error or not self:
            return error
        domains = self._oem_domains()
        if not domains:
            return False
        email = email_normalize(message_dict.get("email_from") or "") or ""
        domain = email.rpartition("@")[2]
        if not any(domain == d or domain.endswith(f".{d}") for d in domains):
            return AliasError(
                "error_oem_domain",
                self.env._(
                    "%(sender)s is not an address of the OEM hotline (%(domains)s)",
                    sender=email or self.env._("unknown sender"),
                    domains=", ".join(domains),
                ),
            )
        return False

    def _oem_domains(self):
        self.ensure_one()
        return [
            d.strip().lower().lstrip("@")
            for d in (self.oem_sender_domains or "").split(",")
            if d.strip()
        ]

    # Who belongs to a department decides what the record rules show
    # (res.users.complaint_team_ids): their cached domains are cleared when it
    # changes.
    _RULE_FIELDS = frozenset({"member_ids", "manager_id", "active", "company_id"})

    @api.model_create_multi
    def create(self, vals_list):
        teams = super().create(vals_list)
        self._membership_changed()
        return teams

    def write(self, vals):
        res = super().write(vals)
        if self._RULE_FIELDS & set(vals):
            self._membership_changed()
        return res

    def unlink(self):
        res = super().unlink()
        self._membership_changed()
        return res

    def _membership_changed(self):
        self.env["res.users"].invalidate_model(["complaint_team_ids"])
        self.env.registry.clear_cache()

    @api.depends_context("uid")
    def _compute_counts(self):
        if not all(self._ids):
            # A form's lines (the Manager Dashboard's departments) are new
            # records: the figures of the saved departments, counted once for
            # the form's values and its answer.
            for team in self:
                origin = team._origin
                team.update({key: origin[key] if origin else 0 for key, _extra in TEAM_COUNTS})
            return
        Complaint = self.env["complaint.complaint"]
        base = [("team_id", "in", self.ids), ("state", "in", OPEN_STATES)]
        counts = {}
        for key, extra in TEAM_COUNTS:
            counts[key] = dict(Complaint._read_group(base + extra, ["team_id"], ["__count"]))
        for team in self:
            for key, by_team in counts.items():
                team[key] = by_team.get(team, 0)

    def _action_complaints(self, extra_domain=None, name=None):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "complaint_service.complaint_complaint_action"
        )
        action["domain"] = [("team_id", "=", self.id), ("state", "in", OPEN_STATES)] + (
            extra_domain or []
        )
        action["context"] = {"default_team_id": self.id}
        # The dashboard's figures open as lists.
        action["views"] = sorted(action["views"], key=lambda view: view[1] != "list")
        if name:
            action["name"] = name
        return action

    def action_view_open(self):
        return self._action_complaints()

    def action_view_overdue(self):
        return self._action_complaints([("is_overdue", "=", True)])

    def action_view_due_soon(self):
        return self._action_complaints([("is_due_soon", "=", True)])

    def action_view_paused(self):
        return self._action_complaints([("is_paused", "=", True)])
