from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common import T0, ComplaintCase


@tagged("post_install", "-at_install")
class TestSolutionAuthority(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.policy.manager_approval_limit = 2000
        cls.other_manager = new_test_user(
            cls.env,
            "cs_other_dept_manager",
            groups="complaint_service.group_complaint_manager",
            name="Manager of Sales",
        )
        cls.customer.email = "wu@example.com"

    def solution(self, kind="discount", amount=500.0):
        with freeze_time(T0):
            complaint = self.new_complaint(cause="pricing")
        complaint.write(
            {
                "solution": "Refund the labour that was not agreed.",
                "compensation_type": kind,
                "compensation_amount": amount,
            }
        )
        return complaint

    def test_manager_approves_up_to_the_limit(self):
        complaint = self.solution(amount=2000)
        self.assertEqual(complaint.approval_level, "manager")
        complaint.with_user(self.advisor).action_request_approval()
        approval = self.env.ref("complaint_service.mail_activity_type_complaint_approval")
        self.assertEqual(
            complaint.activity_ids.filtered(lambda a: a.activity_type_id == approval).user_id,
            self.manager,
        )
        with self.assertRefused(AccessError, "only the manager of After-sales service"):
            complaint.with_user(self.other_manager).action_approve_solution()
        with self.assertRefused(AccessError, "Approval"):
            complaint.with_user(self.advisor).action_approve_solution()
        self.assertEqual(complaint.approval_state, "to_approve")
        with freeze_time(T0):
            complaint.with_user(self.manager).action_approve_solution()
        self.assertRecordValues(
            complaint,
            [
                {
                    "approval_state": "approved",
                    "approved_by_id": self.manager.id,
                    "approved_date": T0,
                }
            ],
        )
        self.assertFalse(complaint.activity_ids.filtered(lambda a: a.activity_type_id == approval))

    def test_above_the_limit_only_the_general_manager(self):
        complaint = self.solution(kind="refund", amount=2000.01)
        self.assertEqual(complaint.approval_level, "general_manager")
        complaint.action_request_approval()
        with self.assertRefused(AccessError, "only the general manager approves"):
            complaint.with_user(self.manager).action_approve_solution()
        complaint.with_user(self.gm).action_approve_solution()
        self.assertEqual(complaint.approved_by_id, self.gm)

    def test_changing_an_approved_solution_needs_a_new_approval(self):
        complaint = self.solution()
        complaint.action_request_approval()
        complaint.with_user(self.manager).action_approve_solution()
        complaint.write({"solution": complaint.solution})  # unchanged
        self.assertEqual(complaint.approval_state, "approved")
        complaint.compensation_amount = 800
        self.assertRecordValues(complaint, [{"approval_state": "draft", "approved_by_id": False}])

    def test_reply_only_from_an_approved_solution_without_internal_form(self):
        complaint = self.solution()
        with self.assertRefused(UserError, "must be approved"):
            complaint.with_user(self.advisor).action_send_reply()
        with self.assertRefused(UserError, "must be approved"):
            complaint.with_user(self.advisor).action_log_phone_reply()
        complaint.action_request_approval()
        complaint.with_user(self.manager).action_approve_solution()
        action = complaint.with_user(self.advisor).action_send_reply()
        composer = Form(
            self.env["mail.compose.message"]
            .with_user(self.advisor)
            .with_context(**action["context"])
        )
        self.assertFalse(composer.attachment_ids, "the internal form is never attached")
        self.assertIn("Refund the labour", composer.body)
        self.assertNotIn("cause_analysis", composer.body)
        with freeze_time(T0):
            composer.save().action_send_mail()
        message = complaint.message_ids[0]
        self.assertIn(self.customer, message.partner_ids)
        self.assertFalse(message.attachment_ids)
        self.assertEqual(complaint.date_customer_contacted, T0)

    def test_reply_never_carries_the_evidence(self):
        complaint = self.solution(kind="none", amount=0)
        photo = self.env["ir.attachment"].create({"name": "clutch.jpg", "raw": b"evidence"})
        complaint.write({"cause": "misuse", "evidence_attachment_ids": [Command.set(photo.ids)]})
        Attachment = self.env["ir.attachment"].with_user(self.advisor)
        upload = {"res_model": "mail.compose.message", "res_id": 0}
        again = Attachment.create({"name": "IMG_0412.jpg", "raw": b"evidence", **upload})
        directions = Attachment.create({"name": "directions.txt", "raw": b"Gate 3", **upload})
        messages = complaint.message_ids
        reply = complaint.with_user(self.advisor).with_context(complaint_reply=True)
        other = self.solution(kind="none", amount=0)
        other_photo = self.env["ir.attachment"].create({"name": "dent.jpg", "raw": b"dent"})
        other.write({"cause": "misuse", "evidence_attachment_ids": [Command.set(other_photo.ids)]})
        for files, name in (
            ({"attachment_ids": photo.ids}, "clutch.jpg"),
            ({"attachment_ids": other_photo.ids}, "dent.jpg"),  # another complaint's
            ({"attachment_ids": (directions | again).ids}, "IMG_0412.jpg"),  # the same file
            ({"attachments": [("copy.jpg", b"evidence")]}, "copy.jpg"),
        ):
            with self.assertRefused(UserError, f"cannot carry internal documents: {name}"):
                reply.message_post(body="Our answer.", message_type="comment", **files)
        self.assertEqual(complaint.message_ids, messages, "nothing posted")
        self.assertFalse(complaint.date_customer_contacted)
        with freeze_time(T0):
            message = reply.message_post(
                body="Our answer.", message_type="comment", attachment_ids=directions.ids
            )
        self.assertEqual(message.attachment_ids, directions)
        self.assertEqual(complaint.date_customer_contacted, T0)

    def test_phone_reply_is_logged_and_marks_contact(self):
        complaint = self.solution(kind="none", amount=0)
        self.assertFalse(complaint.approval_required)
        action = complaint.with_user(self.advisor).action_log_phone_reply()
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.advisor)
            .create(
                {
                    "complaint_id": complaint.id,
                    "note": "Explained the refund; customer agreed.",
                }
            )
        )
        with freeze_time(T0):
            wizard.action_log()
        self.assertIn("Phone call", complaint.message_ids[0].body)
        self.assertEqual(complaint.date_customer_contacted, T0)

    def test_solution_must_be_approved_before_it_is_communicated(self):
        complaint = self.solution()
        with freeze_time(T0):
            complaint.action_send_to_manager()
            complaint.with_user(self.manager).write({"user_id": self.advisor2.id})
            complaint.with_user(self.manager).action_dispatch()
        complaint.write(
            {"cause_analysis": "Labour added by mistake.", "date_customer_contacted": T0}
        )
        with self.assertRefused(UserError, "must be approved"):
            complaint.with_user(self.advisor2).action_propose_solution()
        complaint.action_request_approval()
        complaint.with_user(self.manager).action_approve_solution()
        with freeze_time(T0):
            complaint.with_user(self.advisor2).action_propose_solution()
        self.assertEqual(complaint.state, "solved")

    def test_bad_compensation(self):
        complaint = self.solution(kind="discount", amount=0)
        with self.assertRefused(UserError, "Compensation amount"):
            complaint.action_request_approval()
        with self.assertRefused(ValidationError, "negative"):
            complaint.compensation_amount = -5
        with self.assertRefused(UserError, "no compensation"):
            self.solution(kind="none", amount=0).action_request_approval()
