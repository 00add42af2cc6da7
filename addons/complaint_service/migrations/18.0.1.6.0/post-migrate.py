"""18.0.1.6.0: the callbacks' record rules read the complaint's department and
stage stored on the callback (the ORM fills the new columns)."""

from odoo.addons.complaint_service.migrations.rule_domains import reload_rule_domains

RULES = (
    "complaint_callback_rule_user",
    "complaint_callback_rule_callback",
    "complaint_callback_attempt_rule_user",
    "complaint_callback_attempt_rule_callback",
)


def migrate(cr, version):
    reload_rule_domains(cr, RULES)
