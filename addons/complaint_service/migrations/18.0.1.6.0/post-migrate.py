"""18.0.1.6.0: the callbacks' record rules read the complaint's department and
stage stored on the callback (the ORM fills the new columns).  The rules are
data of a noupdate file: their new domains are taken from that file."""

from lxml import etree

from odoo import SUPERUSER_ID, api
from odoo.tools.misc import file_path

RULES = (
    "complaint_callback_rule_user",
    "complaint_callback_rule_callback",
    "complaint_callback_attempt_rule_user",
    "complaint_callback_attempt_rule_callback",
)


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    tree = etree.parse(file_path("complaint_service/security/complaint_service_security.xml"))
    for xmlid in RULES:
        [domain] = tree.xpath(f"//record[@id='{xmlid}']/field[@name='domain_force']")
        env.ref(f"complaint_service.{xmlid}").domain_force = domain.text
