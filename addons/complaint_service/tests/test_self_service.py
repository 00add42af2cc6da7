"""The customer confirms the solution from a link (issue 12, part 2): the
public page, without a session, as the customer opens it."""

import re
from datetime import timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged

from .common import load_language


@tagged("post_install", "-at_install")
class TestSelfServiceConfirmation(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=False))
        cls.agent = new_test_user(
            cls.env, "ss_agent", groups="complaint_service.group_complaint_callback"
        )
        cls.manager = new_test_user(
            cls.env, "ss_manager", groups="complaint_service.group_complaint_manager"
        )
        cls.team = cls.env["complaint.team"].create(
            {"name": "Self-service Desk", "manager_id": cls.manager.id}
        )

    def solved(self, name="Customer Self", email="self@example.com", lang=False, hours_ago=1):
        """A complaint whose solution was communicated ``hours_ago``; it awaits
        the customer's confirmation."""
        customer = self.env["res.partner"].create(
            {"name": name, "email": email, "mobile": "+86 139 0000 4321", "lang": lang}
        )
        with freeze_time(fields.Datetime.now() - timedelta(hours=hours_ago)):
            complaint = self.env["complaint.complaint"].create(
                {
                    "partner_id": customer.id,
                    "description": "The window rattles.",
                    "team_id": self.team.id,
                    "callback_user_id": self.agent.id,
                    "cause": "other",
                }
            )
            complaint.action_send_to_manager()
            complaint.write({"user_id": self.manager.id})
            complaint.action_dispatch()
            complaint.write(
                {
                    "cause_analysis": "INTERNAL: the fitter forgot a clip.",
                    "solution": "We replace the window clip free of charge.",
                    "date_customer_contacted": fields.Datetime.now(),
                }
            )
            complaint.action_propose_solution()
        return complaint

    def link(self, complaint):
        return complaint._get_share_url(redirect=False)

    def answer(self, complaint, url=None, **data):
        """Open the page (no session), then send the form as the browser does."""
        page = self.url_open(url or self.link(complaint))
        self.assertEqual(page.status_code, 200)
        csrf = re.search(r'csrf_token: "([^"]+)"', page.text).group(1)
        token = complaint.access_token
        return self.url_open(
            f"/complaint/confirm/{complaint.id}/answer",
            data={"csrf_token": csrf, "access_token": token, **data},
        )

    def pending(self, complaint):
        return complaint.callback_ids.filtered(
            lambda c: c.kind == "confirmation" and c.state == "to_call"
        )

    def test_the_link_is_sent_by_email_and_sms(self):
        complaint = self.solved()
        mail = (
            self.env["mail.mail"]
            .search([("model", "=", "complaint.complaint"), ("res_id", "=", complaint.id)])
            .filtered(lambda m: complaint.partner_id in m.recipient_ids)
        )
        self.assertTrue(mail, "an e-mail to the customer")
        self.assertIn(f"/complaint/confirm/{complaint.id}?access_token=", mail[-1].body_html)
        sms = self.env["sms.sms"].search([("partner_id", "=", complaint.partner_id.id)])
        self.assertTrue(sms, "an SMS to the customer")
        self.assertIn(complaint.access_token, sms[-1].body)
        # Without an e-mail address: the SMS only, and the step is done.
        quiet = self.solved(name="No Mail", email=False)
        self.assertEqual(quiet.state, "solved")
        self.assertTrue(self.env["sms.sms"].search([("partner_id", "=", quiet.partner_id.id)]))

    def test_the_page_shows_the_solution_and_nothing_internal(self):
        complaint = self.solved()
        page = self.url_open(self.link(complaint))
        self.assertEqual(page.status_code, 200)
        self.assertIn(complaint.name, page.text)
        self.assertIn("We replace the window clip free of charge.", page.text)
        self.assertNotIn("INTERNAL", page.text)
        self.assertNotIn("/odoo/", page.text, "no link into the back office")

    def test_satisfied_closes_the_complaint_and_takes_the_call_off_the_queue(self):
        complaint = self.solved()
        callback = self.pending(complaint)
        response = self.answer(complaint, outcome="satisfied", score="5", comment="Thanks!")
        self.assertIn("your answer is recorded", response.text)
        self.assertRecordValues(
            complaint, [{"state": "closed", "confirmation_channel": "self_service"}]
        )
        self.assertRecordValues(
            callback,
            [
                {
                    "state": "done",
                    "outcome": "satisfied",
                    "score": "5",
                    "answer_channel": "self_service",
                    "is_open": False,
                    "user_id": self.agent.id,
                }
            ],
        )
        confirm = complaint.step_ids.filtered(lambda s: s.code == "confirm")
        self.assertTrue(confirm.date_done)
        self.assertFalse(confirm.is_late, "answered within the 4 hours")
        self.assertTrue(
            complaint.message_ids.filtered(
                lambda m: (
                    "answered from the confirmation link" in (m.body or "") and "Thanks!" in m.body
                )
            )
        )
        # A second answer changes nothing and says so politely.
        again = self.answer(complaint, outcome="dissatisfied", score="1")
        self.assertIn("we already have your answer", again.text)
        self.assertEqual(complaint.state, "closed")
        self.assertEqual(callback.outcome, "satisfied")

    def test_visit_needed_opens_the_follow_up_with_a_rework_order(self):
        complaint = self.solved()
        self.answer(complaint, outcome="visit_needed", score="4")
        self.assertEqual(complaint.state, "follow_up")
        self.assertTrue(complaint.followup_repair_id)
        self.assertFalse(self.pending(complaint))

    def test_dissatisfied_starts_a_new_round_from_dispatch(self):
        complaint = self.solved()
        self.answer(complaint, outcome="dissatisfied", score="1", comment="Still rattles.")
        self.assertRecordValues(complaint, [{"state": "submitted", "round": 2}])
        self.assertIn("Still rattles.", complaint.customer_opinion)

    def test_a_late_answer_completes_step_5_late(self):
        complaint = self.solved(hours_ago=6)
        self.answer(complaint, outcome="satisfied", score="4")
        confirm = complaint.step_ids.filtered(lambda s: s.code == "confirm")
        self.assertEqual(complaint.state, "closed")
        self.assertTrue(confirm.is_late)

    def test_an_answer_that_contradicts_itself_is_asked_again(self):
        complaint = self.solved()
        response = self.answer(complaint, outcome="satisfied", score="1")
        self.assertIn("say different things", response.text)
        self.assertEqual(complaint.state, "solved")
        self.assertTrue(self.pending(complaint))

    def test_after_a_phone_confirmation_the_link_is_answered_politely(self):
        complaint = self.solved()
        self.env["complaint.callback.log.wizard"].with_user(self.agent).create(
            {
                "callback_id": self.pending(complaint).id,
                "reached": "yes",
                "outcome": "satisfied",
                "score": "5",
            }
        ).action_log()
        self.assertEqual(complaint.confirmation_channel, "phone")
        page = self.url_open(self.link(complaint))
        self.assertIn("we already have your answer", page.text)
        self.assertNotIn("<form", page.text.split("o_complaint_confirmation")[-1])

    def test_forged_foreign_and_expired_tokens_get_a_404_that_tells_nothing(self):
        complaint = self.solved()
        other = self.solved(name="Other Customer")
        for url in (
            f"/complaint/confirm/{complaint.id}?access_token=forged",
            f"/complaint/confirm/{complaint.id}",
            f"/complaint/confirm/{complaint.id}?access_token={other.access_token}",
            f"/complaint/confirm/999999999?access_token={complaint.access_token}",
        ):
            response = self.url_open(url)
            self.assertEqual(response.status_code, 404, url)
            self.assertNotIn(complaint.name, response.text)
            self.assertNotIn("window clip", response.text)
        answer = self.url_open(
            f"/complaint/confirm/{complaint.id}/answer",
            data={"access_token": other.access_token, "outcome": "satisfied", "score": "5"},
        )
        self.assertIn(answer.status_code, (400, 404))
        self.assertEqual(complaint.state, "solved")
        with freeze_time(complaint.confirm_link_expiry + timedelta(minutes=1)):
            response = self.url_open(self.link(complaint))
        self.assertEqual(response.status_code, 404)
        self.assertNotIn(complaint.name, response.text)
        # The callback is still the agents' to make.
        self.assertTrue(self.pending(complaint).is_open)

    def test_the_page_speaks_the_customers_language_chinese_first(self):
        load_language(self.env, "zh_CN")
        complaint = self.solved(lang=False)
        page = self.url_open(self.link(complaint))
        self.assertIn("您对解决方案满意吗", page.text)
        english = self.solved(name="English Customer", lang="en_US")
        page = self.url_open(self.link(english))
        self.assertIn("Are you satisfied with the solution?", page.text)

    def test_messages_to_the_customer_write_nothing_on_their_contact(self):
        """Odoo's portal prepares a signup token on the customer's contact for
        every message (a write on their row, contended when one customer has
        many complaints): only while the link is open, for its button."""
        self.env["ir.config_parameter"].sudo().set_param("auth_signup.invitation_scope", "b2c")
        complaint = self.solved()
        customer = complaint.partner_id
        self.answer(complaint, outcome="satisfied", score="5")
        Partner = type(self.env["res.partner"])
        with patch.object(
            Partner, "signup_prepare", autospec=True, side_effect=Partner.signup_prepare
        ) as prepare:
            complaint.message_post(
                body="Thank you for your visit.",
                partner_ids=customer.ids,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        self.assertEqual(prepare.call_count, 0, "the customer's contact is not written")
        mail = self.env["mail.mail"].search(
            [
                ("model", "=", "complaint.complaint"),
                ("res_id", "=", complaint.id),
                ("recipient_ids", "in", customer.ids),
            ],
            limit=1,
        )
        self.assertIn("Thank you for your visit.", mail.body_html)
        self.assertNotIn("access_token", mail.body_html, "no button to a page that is closed")
        # While the link answers, the customer's button leads to the page.
        awaiting = self.solved(name="Awaiting Customer")
        awaiting.message_post(
            body="A question about your car.",
            partner_ids=awaiting.partner_id.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        mail = self.env["mail.mail"].search(
            [
                ("model", "=", "complaint.complaint"),
                ("res_id", "=", awaiting.id),
                ("recipient_ids", "in", awaiting.partner_id.ids),
            ],
            limit=1,
        )
        self.assertIn("A question about your car.", mail.body_html)
        self.assertIn(awaiting.access_token, mail.body_html)

    def test_the_customer_answers_in_a_browser(self):
        complaint = self.solved(name="Tour Self Customer", lang="en_US")
        self.start_tour(self.link(complaint), "complaint_service_self_service_confirmation")
        self.assertRecordValues(
            complaint, [{"state": "closed", "confirmation_channel": "self_service"}]
        )
