"""18.0.1.7.0: the callbacks' record rules also read the complaint's people
(first responder, responsible person, callback agent, registering user)
stored on the callback (the ORM fills the new columns)."""

from odoo.addons.complaint_service.migrations.rule_domains import (
    CALLBACK_RULES,
    reload_rule_domains,
)


def migrate(cr, version):
    reload_rule_domains(cr, CALLBACK_RULES)
