from odoo import api, fields, models
from odoo.osv import expression

from .pickers import name_search_first


class ResUsers(models.Model):
    _inherit = "res.users"

    complaint_team_ids = fields.Many2many(
        "complaint.team",
        string="Complaint Departments",
        compute="_compute_complaint_team_ids",
        compute_sudo=True,
        help="The departments this user is a member or the manager of: the record "
        "rules show their complaints (complaint.team clears the rules' cache when "
        "they change).",
    )

    def _compute_complaint_team_ids(self):
        Team = self.env["complaint.team"].with_context(active_test=False)
        for user in self:
            user.complaint_team_ids = Team.search(
                ["|", ("member_ids", "in", user.ids), ("manager_id", "=", user.id)]
            )

    @api.model
    def _complaint_picker_first(self):
        """The users a complaint form's people picker offers first: with
        ``complaint_team_id`` in the context, the department's manager and
        members; None elsewhere."""
        team = self.env["complaint.team"].browse(self.env.context.get("complaint_team_id"))
        if not team.exists():
            return None
        team = team.sudo()
        return (team.manager_id | team.member_ids).ids

    @api.model
    def name_search(self, name="", args=None, operator="ilike", limit=100):
        """In the people pickers, the department's manager and members come
        first, then everyone else the domain allows."""
        members = self._complaint_picker_first()
        if members is None:
            return super().name_search(name, args, operator, limit)
        return name_search_first(
            super().name_search, [("id", "in", members)], name, args, operator, limit
        )

    @api.model
    def web_search_read(
        self, domain, specification, offset=0, limit=None, order=None, count_limit=None
    ):
        """The same order in the pickers' search dialog (the one a phone
        opens), page by page, unless the user sorts the list."""
        members = self._complaint_picker_first()
        if members is None or order:
            return super().web_search_read(domain, specification, offset, limit, order, count_limit)
        first = self.search(expression.AND([domain, [("id", "in", members)]]))
        page = first[offset : offset + limit if limit else None]
        if not limit or len(page) < limit:
            page += self.search(
                expression.AND([domain, [("id", "not in", first.ids)]]),
                offset=max(0, offset - len(first)),
                limit=limit and limit - len(page),
            )
        return self._format_web_search_read_results(
            domain, page.web_read(specification), offset, limit, count_limit
        )
