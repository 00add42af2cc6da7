"""18.0.1.9.0: the rules read "own department" from the user's departments
(user.complaint_team_ids, a list of ids) instead of following
team_id.member_ids record by record."""

from odoo.addons.complaint_service.migrations.rule_domains import (
    DEPARTMENT_RULES,
    reload_rule_domains,
)


def migrate(cr, version):
    reload_rule_domains(cr, DEPARTMENT_RULES)
