"""Record rules are data of a noupdate file: an upgrade that changes their
domains takes the new ones from that file."""

from lxml import etree

from odoo import SUPERUSER_ID, api
from odoo.tools.misc import file_path

SECURITY_FILE = "complaint_service/security/complaint_service_security.xml"
# The rules of callbacks and call attempts, which read facts kept on the callback.
CALLBACK_RULES = (
    "complaint_callback_rule_user",
    "complaint_callback_rule_callback",
    "complaint_callback_attempt_rule_user",
    "complaint_callback_attempt_rule_callback",
)


# The rules that read "own department" (18.0.1.8.0: from user.complaint_team_ids).
DEPARTMENT_RULES = (
    "complaint_complaint_rule_user",
    "complaint_step_rule_user",
    "complaint_pause_rule_user",
    "complaint_callback_rule_user",
    "complaint_callback_attempt_rule_user",
)


def reload_rule_domains(cr, xmlids):
    env = api.Environment(cr, SUPERUSER_ID, {})
    tree = etree.parse(file_path(SECURITY_FILE))
    for xmlid in xmlids:
        [domain] = tree.xpath(f"//record[@id='{xmlid}']/field[@name='domain_force']")
        env.ref(f"complaint_service.{xmlid}").domain_force = domain.text
