import re

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import Form, tagged
from odoo.tools.safe_eval import safe_eval, time

from odoo.addons.complaint_service.tests.common import T0, ComplaintCase


@tagged("post_install", "-at_install")
class TestInternalFormStaysInternal(ComplaintCase):
    """The printed complaint form is internal: a reply to the customer refuses
    a copy of it, whichever complaint it was printed for."""

    def setUp(self):
        super().setUp()
        with freeze_time(T0):
            self.complaint, self.other = self.new_complaint(), self.new_complaint()
        (self.complaint | self.other).write({"solution": "Replace the condenser free of charge."})
        self.report = self.env.ref("complaint_reports.complaint_form_report_action")

    def printed(self, complaints, name=None):
        """The form as the advisor downloads it (under the file name the
        browser gets) and uploads it into the reply."""
        content, _kind = (
            self.env["ir.actions.report"]
            .with_user(self.advisor)
            ._render_qweb_pdf(self.report.report_name, complaints.ids)
        )
        if not name:
            printed = safe_eval(self.report.print_report_name, {"object": complaints, "time": time})
            name = f"{printed}.pdf"
        return (
            self.env["ir.attachment"]
            .with_user(self.advisor)
            .create(
                {"name": name, "raw": content, "res_model": "mail.compose.message", "res_id": 0}
            )
        )

    def test_reply_refuses_the_internal_form(self):
        complaint = self.complaint
        forms = [
            self.printed(complaint),
            self.printed(complaint, name=f"Complaint form - {complaint.name} (1).pdf"),
            self.printed(self.other),
            self.printed(complaint | self.other, name=f"{self.report.name}.pdf"),
        ]
        self.assertEqual(forms[0].name, f"Complaint form - {complaint.name}.pdf")
        messages = complaint.message_ids
        reply = complaint.with_user(self.advisor).with_context(complaint_reply=True)
        for form in forms:
            pattern = "cannot carry internal documents: " + re.escape(form.name)
            with self.assertRefused(UserError, pattern):
                reply.message_post(
                    body="Our answer.", message_type="comment", attachment_ids=form.ids
                )
        self.assertEqual(complaint.message_ids, messages, "nothing posted")
        self.assertFalse(complaint.date_customer_contacted)

    def test_reply_composer_refuses_the_internal_form(self):
        complaint = self.complaint
        form = self.printed(complaint)
        action = complaint.with_user(self.advisor).action_send_reply()
        composer = Form(
            self.env["mail.compose.message"]
            .with_user(self.advisor)
            .with_context(**action["context"])
        )
        composer.attachment_ids.add(form)
        composer = composer.save()
        messages = complaint.message_ids
        with self.assertRefused(UserError, "cannot carry internal documents: Complaint form - "):
            composer.action_send_mail()
        self.assertEqual(complaint.message_ids, messages, "nothing posted")
        self.assertFalse(complaint.date_customer_contacted)
        # Without the form, the reply goes.
        composer.attachment_ids = False
        with freeze_time(T0):
            composer.action_send_mail()
        self.assertEqual(complaint.date_customer_contacted, T0)
        self.assertFalse(complaint.message_ids[0].attachment_ids)
