"""Notifications never block work: staff without an e-mail address register,
dispatch, reassign, approve and log calls (issue 17 §4)."""

from datetime import timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from .common import T0, ComplaintCase


@tagged("post_install", "-at_install")
class TestNotificationsNeverBlock(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.policy.manager_approval_limit = 2000
        staff = cls.advisor | cls.advisor2 | cls.manager | cls.gm | cls.agent
        staff.partner_id.email = False
        # The worst case: the company has no address to send from either.
        cls.company.email = False

    def test_the_whole_clock_without_any_email_address(self):
        with freeze_time(T0):
            complaint = self.new_complaint(cause="pricing")
            complaint.action_send_to_manager()
        with freeze_time(T0 + timedelta(minutes=20)):
            complaint.with_user(self.manager).write({"user_id": self.advisor2.id})
            complaint.with_user(self.manager).action_dispatch()
            # Reassigning moves the to-do to another person: a notification too.
            complaint.with_user(self.manager).write({"user_id": self.advisor.id})
        todo = complaint.activity_ids.filtered(
            lambda a: (
                a.activity_type_id
                == self.env.ref("complaint_service.mail_activity_type_complaint_step")
            )
        )
        self.assertEqual(todo.user_id, self.advisor)
        # The assignment notices were created (in Odoo; there is no address to mail).
        notices = self.env["mail.message"].search(
            [
                ("model", "=", complaint._name),
                ("res_id", "=", complaint.id),
                ("message_type", "=", "user_notification"),
            ]
        )
        self.assertTrue(notices, "the assignees were notified")
        self.assertFalse(notices.mapped("email_from")[0], "from no address, without failing")
        with freeze_time(T0 + timedelta(hours=2)):
            complaint.with_user(self.advisor).write(
                {
                    "cause_analysis": "Labour billed that was not agreed.",
                    "solution": "Refund the labour.",
                    "compensation_type": "refund",
                    "compensation_amount": 300,
                    "date_customer_contacted": T0 + timedelta(hours=2),
                }
            )
            complaint.with_user(self.advisor).action_request_approval()
            complaint.with_user(self.manager).action_approve_solution()
            complaint.with_user(self.advisor).action_propose_solution()
        callback = complaint.callback_ids.filtered(lambda c: c.kind == "confirmation")
        callback.with_user(self.manager).user_id = self.agent
        with freeze_time(T0 + timedelta(hours=3)):
            self.env["complaint.callback.log.wizard"].with_user(self.agent).create(
                {
                    "callback_id": callback.id,
                    "reached": "yes",
                    "outcome": "satisfied",
                    "score": "5",
                }
            ).action_log()
        self.assertEqual(complaint.state, "closed")
        self.assertEqual(complaint.approved_by_id, self.manager)

    def test_notifications_sent_from_the_company_address_when_it_has_one(self):
        self.company.email = "service@dealer.example.com"
        with freeze_time(T0):
            complaint = self.new_complaint()
            complaint.action_send_to_manager()
        with freeze_time(T0 + timedelta(minutes=20)):
            complaint.with_user(self.manager).write({"user_id": self.advisor2.id})
            complaint.with_user(self.manager).action_dispatch()
        notice = self.env["mail.message"].search(
            [
                ("model", "=", complaint._name),
                ("res_id", "=", complaint.id),
                ("message_type", "=", "user_notification"),
                ("partner_ids", "in", self.advisor2.partner_id.ids),
            ]
        )
        self.assertTrue(notice)
        self.assertIn("service@dealer.example.com", notice[0].email_from)
        self.assertEqual(notice[0].author_id, self.manager.partner_id, "still the manager's")
