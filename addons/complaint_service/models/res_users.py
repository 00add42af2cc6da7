from odoo import api, fields, models
from odoo.osv import expression


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
    def name_search(self, name="", args=None, operator="ilike", limit=100):
        """With ``complaint_team_id`` in the context (the complaint form's
        people pickers), the department's manager and members come first,
        then everyone else the domain allows."""
        team = self.env["complaint.team"].browse(self.env.context.get("complaint_team_id"))
        if not team.exists():
            return super().name_search(name, args, operator, limit)
        team = team.sudo()
        members = (team.manager_id | team.member_ids).ids
        first = super().name_search(
            name, expression.AND([args or [], [("id", "in", members)]]), operator, limit
        )
        if limit and len(first) >= limit:
            return first
        rest = super().name_search(
            name,
            expression.AND([args or [], [("id", "not in", [user_id for user_id, _ in first])]]),
            operator,
            limit and limit - len(first),
        )
        return first + rest
