"""OEM hotline work orders by e-mail (issue 12, part 1): real RFC 822
messages through the mail gateway (message_process), as fetchmail feeds it."""

from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

import pytz
from freezegun import freeze_time

from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ComplaintCase

NOW = datetime(2026, 11, 29, 12, 0, 0)  # UTC

WORK_ORDER = """OEM reference: {ref}
Received: {received}
Customer: Wang Wei
Phone: +86 137 1111 2233
VIN: LSVTT4101C2184701
Plate: 京A·10137

The air conditioning blows warm air again, a week after the repair.
"""

WORK_ORDER_ZH = """工单号：{ref}
受理时间：{received}
客户：李娜
电话：139 0000 2002
车架号：LSVZZ4199C2184799
投诉内容：车辆异响，维修后没有改善。
"""


@tagged("post_install", "-at_install")
class TestOemMail(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.alias_domain = cls.env["mail.alias.domain"].create(
            {"name": "dealer.example.com", "company_ids": [(4, cls.company.id)]}
        )
        cls.service.write(
            {
                "alias_name": "oem-hotline-test",
                "alias_domain_id": cls.alias_domain.id,
                "oem_sender_domains": "hotline.oem.example.cn",
            }
        )
        sedan = cls.env["product.product"].create(
            {"name": "Sedan L", "tracking": "serial", "is_vehicle": True}
        )
        cls.lot = cls.env["stock.lot"].create({"name": "LSVTT4101C2184701", "product_id": sedan.id})
        cls.known = cls.env["res.partner"].create(
            {"name": "Wang Wei (known)", "mobile": "13711112233"}
        )
        cls.tz = pytz.timezone(cls.policy._tz())

    def local(self, utc):
        """``utc`` as the OEM writes it: the dealership's local time."""
        return pytz.utc.localize(utc).astimezone(self.tz).strftime("%Y-%m-%d %H:%M")

    def message(
        self,
        body,
        subject="Work order",
        sender="hotline@hotline.oem.example.cn",
        html=False,
        attachments=(),
        headers=None,
    ):
        msg = EmailMessage()
        msg["From"] = f"OEM Hotline <{sender}>"
        msg["To"] = "oem-hotline-test@dealer.example.com"
        msg["Subject"] = subject
        msg["Date"] = format_datetime(pytz.utc.localize(NOW))
        msg["Message-Id"] = make_msgid(domain="hotline.oem.example.cn")
        for key, value in (headers or {}).items():
            msg[key] = value
        if html:
            msg.set_content("This work order is in HTML.")
            msg.add_alternative(html, subtype="html")
        else:
            msg.set_content(body)
        for name, data in attachments:
            msg.add_attachment(data, maintype="image", subtype="jpeg", filename=name)
        return msg

    def process(self, msg):
        with freeze_time(NOW):
            thread_id = (
                self.env["mail.thread"]
                .sudo()
                .message_process("complaint.complaint", msg.as_bytes())
            )
        return self.env["complaint.complaint"].browse(thread_id)

    def test_a_work_order_becomes_a_complaint_started_at_the_oems_receipt(self):
        received = NOW - timedelta(hours=2)
        complaint = self.process(
            self.message(WORK_ORDER.format(ref="HL-2026-118842", received=self.local(received)))
        )
        self.assertRecordValues(
            complaint,
            [
                {
                    "channel": "oem",
                    "oem_ref": "HL-2026-118842",
                    "team_id": self.service.id,
                    "partner_id": self.known.id,  # found by phone, written differently
                    "lot_id": self.lot.id,
                    "vin": "LSVTT4101C2184701",
                    "license_plate": "京A·10137",
                    "date_received": received,
                    "first_responder_id": self.manager.id,
                    "to_complete": False,
                }
            ],
        )
        self.assertIn("blows warm air again", complaint.description)
        self.assertNotEqual(complaint.name, "Work order", "numbered, not named after the subject")
        # Two hours late on registration: step 1 is late, and it shows.
        register = self.step(complaint, "register")
        self.assertTrue(register.is_late)
        self.assertEqual(complaint.breach_count, 1)
        # Searchable by the OEM's number.
        found = (
            self.env["complaint.complaint"]
            .with_user(self.manager)
            .search([("oem_ref", "ilike", "118842")])
        )
        self.assertEqual(found, complaint)
        # The work order is on the chatter.
        self.assertTrue(
            complaint.message_ids.filtered(lambda m: "blows warm air" in (m.body or ""))
        )

    def test_chinese_html_work_order_with_attachments(self):
        received = NOW - timedelta(minutes=5)
        body = WORK_ORDER_ZH.format(ref="HL-2026-200001", received=self.local(received))
        html = (
            "<html><body>"
            + "".join(f"<p>{line}</p>" for line in body.splitlines())
            + "</body></html>"
        )
        complaint = self.process(
            self.message(
                None, subject="主机厂工单", html=html, attachments=[("dash.jpg", b"\xff\xd8jpeg")]
            )
        )
        self.assertRecordValues(
            complaint,
            [{"oem_ref": "HL-2026-200001", "date_received": received, "to_complete": False}],
        )
        self.assertEqual(complaint.partner_id.name, "李娜", "a new customer, with the phone")
        self.assertEqual(complaint.partner_id.phone, "139 0000 2002")
        self.assertEqual(complaint.vin, "LSVZZ4199C2184799", "unknown vehicle: the VIN is kept")
        self.assertFalse(complaint.lot_id)
        self.assertIn("车辆异响", complaint.description)
        attachments = self.env["ir.attachment"].search(
            [("res_model", "=", "complaint.complaint"), ("res_id", "=", complaint.id)]
        )
        self.assertIn("dash.jpg", attachments.mapped("name"))
        self.assertFalse(self.step(complaint, "register").is_late)

    def test_a_reminder_and_a_reply_go_to_the_same_complaint(self):
        first = self.message(WORK_ORDER.format(ref="HL-9", received=self.local(NOW)))
        complaint = self.process(first)
        count = self.env["complaint.complaint"].search_count([])
        reminder = self.process(
            self.message(
                WORK_ORDER.format(ref="HL-9", received=self.local(NOW))
                + "\nREMINDER: no answer yet",
                subject="Reminder: work order HL-9",
            )
        )
        self.assertEqual(reminder, complaint)
        reply = self.process(
            self.message(
                "The customer called again.",
                subject="Re: Work order",
                headers={"In-Reply-To": first["Message-Id"], "References": first["Message-Id"]},
            )
        )
        self.assertEqual(reply, complaint)
        self.assertEqual(self.env["complaint.complaint"].search_count([]), count, "no duplicate")
        bodies = " ".join(complaint.message_ids.mapped("body"))
        self.assertIn("REMINDER: no answer yet", bodies)
        self.assertIn("The customer called again.", bodies)

    def test_an_unreadable_work_order_is_kept_and_flagged_to_complete(self):
        complaint = self.process(
            self.message(
                "Please call the customer about his car, he is very angry.",
                subject="Urgent",
                attachments=[("scan.jpg", b"\xff\xd8scan")],
            )
        )
        self.assertTrue(complaint)
        self.assertRecordValues(
            complaint, [{"channel": "oem", "to_complete": True, "team_id": self.service.id}]
        )
        self.assertEqual(complaint.current_step, "escalate", "registered; its clock runs")
        self.assertIn("very angry", complaint.description)
        notes = complaint.message_ids.mapped("body")
        self.assertTrue(any("could not be read in full" in (b or "") for b in notes))
        self.assertTrue(any("very angry" in (b or "") for b in notes), "the original message")
        attachments = self.env["ir.attachment"].search(
            [("res_model", "=", "complaint.complaint"), ("res_id", "=", complaint.id)]
        )
        self.assertIn("scan.jpg", attachments.mapped("name"))
        # A VIN that is not one: kept in the words, flagged.
        bad = self.process(
            self.message("VIN: 12345\nPhone: 137 1111 2233\nThe engine stalls.", subject="x")
        )
        self.assertRecordValues(
            bad, [{"to_complete": True, "vin": False, "partner_id": self.known.id}]
        )

    @mute_logger("odoo.addons.mail.models.mail_thread")
    def test_a_sender_outside_the_oem_domains_is_refused(self):
        before = self.env["complaint.complaint"].search_count([])
        self.process(
            self.message(
                WORK_ORDER.format(ref="HL-X", received=self.local(NOW)),
                sender="someone@spam.example.com",
            )
        )
        self.assertEqual(self.env["complaint.complaint"].search_count([]), before)
        # A subdomain of the OEM's is the OEM.
        complaint = self.process(
            self.message(
                WORK_ORDER.format(ref="HL-Y", received=self.local(NOW)),
                sender="hotline@north.hotline.oem.example.cn",
            )
        )
        self.assertEqual(complaint.oem_ref, "HL-Y")

    def test_each_department_has_its_alias(self):
        self.assertEqual(self.service.alias_email, "oem-hotline-test@dealer.example.com")
        self.assertEqual(self.service.alias_id.alias_model_id.model, "complaint.complaint")
        self.assertIn("'channel': 'oem'", self.service.alias_defaults)
        self.assertIn(f"'team_id': {self.service.id}", self.service.alias_defaults)
