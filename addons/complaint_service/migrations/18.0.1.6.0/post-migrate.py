"""18.0.1.6.0: the callbacks' record rules read the complaint's department and
stage stored on the callback (the ORM fills the new columns)."""

from odoo.addons.complaint_service.migrations.rule_domains import (
    CALLBACK_RULES,
    reload_rule_domains,
)


def migrate(cr, version):
    reload_rule_domains(cr, CALLBACK_RULES)
