from odoo import api, models
from odoo.osv import expression


class ResUsers(models.Model):
    _inherit = "res.users"

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
