"""What the restructured model guarantees: buttons from the actions' own checks,
facts derived by the ORM from the steps and callbacks (and tracked on the
chatter), and one source of the clock's time."""

from datetime import timedelta

from freezegun import freeze_time
from lxml import etree

from odoo import SUPERUSER_ID, Command
from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from ..models.const import OPEN_STATES, STATES
from .common import T0, ComplaintCase


@tagged("post_install", "-at_install")
class TestButtonsFollowChecks(ComplaintCase):
    def read_can(self, complaint, user, fnames):
        return complaint.with_user(user).read(fnames)[0]

    def test_dispatch_only_for_the_department_manager(self):
        with freeze_time(T0):
            complaint = self.new_complaint()
        fnames = ["can_send", "can_dispatch", "can_propose", "can_confirm", "can_pause"]
        self.assertEqual(
            {k: v for k, v in self.read_can(complaint, self.advisor, fnames).items() if k != "id"},
            {
                "can_send": True,
                "can_dispatch": False,
                "can_propose": False,
                "can_confirm": False,
                "can_pause": True,
            },
        )
        with freeze_time(T0 + timedelta(minutes=5)):
            complaint.with_user(self.advisor).action_send_to_manager()
        self.assertFalse(self.read_can(complaint, self.advisor, ["can_dispatch"])["can_dispatch"])
        self.assertTrue(self.read_can(complaint, self.manager, ["can_dispatch"])["can_dispatch"])
        # Paused: no clock action at all, and the pause button turns into resume.
        complaint.with_user(self.manager)._pause("customer", "Customer abroad")
        values = self.read_can(complaint, self.manager, ["can_dispatch", "can_pause"])
        self.assertFalse(values["can_dispatch"])
        self.assertFalse(values["can_pause"])

    def test_approve_button_follows_the_authority(self):
        self.policy.manager_approval_limit = 1000
        with freeze_time(T0):
            complaint = self.new_complaint(cause="pricing")
        complaint.write(
            {
                "solution": "Refund the labour that was not agreed.",
                "compensation_type": "refund",
                "compensation_amount": 5000,
            }
        )
        self.assertFalse(self.read_can(complaint, self.manager, ["can_reply"])["can_reply"])
        complaint.with_user(self.advisor).action_request_approval()
        self.assertFalse(self.read_can(complaint, self.advisor, ["can_approve"])["can_approve"])
        # Above the department manager's limit: only the general manager.
        self.assertFalse(self.read_can(complaint, self.manager, ["can_approve"])["can_approve"])
        self.assertTrue(self.read_can(complaint, self.gm, ["can_approve"])["can_approve"])
        complaint.with_user(self.gm).action_approve_solution()
        self.assertTrue(self.read_can(complaint, self.advisor, ["can_reply"])["can_reply"])

    def test_misuse_and_justification_buttons_for_managers_only(self):
        with freeze_time(T0):
            photo = self.env["ir.attachment"].create({"name": "clutch.jpg", "raw": b"jpg"})
            complaint = self.new_complaint(
                cause="misuse", evidence_attachment_ids=[Command.set(photo.ids)]
            )
        self.assertFalse(
            self.read_can(complaint, self.advisor, ["can_confirm_misuse"])["can_confirm_misuse"]
        )
        self.assertTrue(
            self.read_can(complaint, self.manager, ["can_confirm_misuse"])["can_confirm_misuse"]
        )
        complaint.sudo().write({"joint_liability": True, "liability_justification": "Busy."})
        complaint.with_user(self.advisor).action_submit_justification()
        fname = "can_review_justification"
        self.assertFalse(self.read_can(complaint, self.advisor, [fname])[fname])
        self.assertTrue(self.read_can(complaint, self.manager, [fname])[fname])


@tagged("post_install", "-at_install")
class TestDerivedFacts(ComplaintCase):
    def test_kpi_facts_and_breaches_follow_the_steps(self):
        with freeze_time(T0):
            complaint = self.new_complaint()
        self.assertRecordValues(
            complaint,
            [
                {
                    "timing_register": "on_time",
                    "timing_escalate": False,
                    "timing_response": "on_time",
                    "breach_count": 0,
                    "last_breach_date": False,
                    "date_solved": False,
                }
            ],
        )
        # Sent to the manager 45 minutes after registration: 15 minutes late.
        late = T0 + timedelta(minutes=45)
        with freeze_time(late):
            complaint.with_user(self.advisor).action_send_to_manager()
        self.assertRecordValues(
            complaint,
            [
                {
                    "timing_escalate": "late",
                    "timing_response": "late",
                    "breach_count": 1,
                    "last_breach_date": late,
                    "joint_liability": True,
                }
            ],
        )

    def test_joint_liability_is_tracked_on_the_chatter(self):
        with freeze_time(T0):
            complaint = self.new_complaint()
        self.commit_tracking()
        with freeze_time(T0 + timedelta(hours=1)):
            self.sweep_overdue()
        self.commit_tracking()
        tracked = complaint.sudo().message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == "joint_liability"
        )
        self.assertEqual(len(tracked), 1)
        self.assertTrue(tracked.new_value_integer)
        # On the breach note itself: one chatter entry for the breach.
        self.assertIn("Handling clock breached", tracked.mail_message_id.body)

    def test_satisfaction_follows_the_callbacks(self):
        with freeze_time(T0):
            complaint = self.new_complaint(callback_user_id=self.agent.id)
        self.run_to_solution(complaint)
        self.assertEqual(complaint.kpi_satisfaction, 0.0)
        self.assertTrue(complaint.date_solved)
        callback = complaint.callback_ids
        with freeze_time(T0 + timedelta(hours=4)):
            self.env["complaint.callback.log.wizard"].with_user(self.agent).create(
                {"callback_id": callback.id, "reached": "yes", "outcome": "satisfied", "score": "4"}
            ).action_log()
        self.assertEqual(complaint.kpi_satisfaction, 4.0)
        self.assertEqual(complaint.state, "closed")
        self.assertEqual(complaint.timing_confirm, "on_time")


@tagged("post_install", "-at_install")
class TestClockTime(ComplaintCase):
    def test_system_loads_past_complaints_through_the_clock(self):
        """Past complaints (demo history, an import) go through the public
        actions at the times given by the system."""
        received = T0 - timedelta(days=40)
        Complaint = self.env["complaint.complaint"].with_user(SUPERUSER_ID)
        with freeze_time(T0):
            complaint = Complaint.with_context(
                complaint_clock_now=received + timedelta(minutes=25)
            ).create(
                {
                    "partner_id": self.customer.id,
                    "description": "Registered late, a month ago.",
                    "team_id": self.service.id,
                    "date_received": received,
                }
            )
            complaint.with_context(
                complaint_clock_now=received + timedelta(minutes=40)
            ).action_send_to_manager()
        register = self.step(complaint, "register")
        self.assertRecordValues(
            register, [{"date_done": received + timedelta(minutes=25), "is_late": True}]
        )
        self.assertEqual(
            self.step(complaint, "escalate").date_done, received + timedelta(minutes=40)
        )
        self.assertEqual(complaint.timing_register, "late")
        self.assertEqual(complaint.timing_escalate, "on_time")

    def test_a_user_cannot_move_the_clock(self):
        with freeze_time(T0):
            complaint = self.new_complaint()
            complaint.with_user(self.advisor).with_context(
                complaint_clock_now=T0 - timedelta(days=3)
            ).action_send_to_manager()
            # Not even in sudo: only the superuser's own environment.
            complaint.with_user(self.manager).sudo().write({"user_id": self.advisor2.id})
            complaint.with_user(self.manager).sudo().with_context(
                complaint_clock_now=T0 - timedelta(days=3)
            ).action_dispatch()
        self.assertEqual(self.step(complaint, "escalate").date_done, T0)
        self.assertEqual(self.step(complaint, "dispatch").date_done, T0)


@tagged("post_install", "-at_install")
class TestOpenComplaintsDomain(ComplaintCase):
    def test_open_filter_lists_the_open_states(self):
        """The Open filter names the open states (the state indexes serve it):
        the same states as the code's OPEN_STATES, so a new state cannot drift
        out of one of them."""
        arch = self.env.ref("complaint_service.complaint_complaint_view_search").arch
        node = etree.fromstring(arch).xpath("//filter[@name='filter_open']")[0]
        self.assertEqual(safe_eval(node.get("domain")), [("state", "in", list(OPEN_STATES))])
        self.assertEqual(set(OPEN_STATES), {code for code, _label in STATES} - {"closed"})
        with freeze_time(T0):
            complaint = self.new_complaint()
        domain = safe_eval(node.get("domain"))
        self.assertIn(complaint, self.env["complaint.complaint"].search(domain))
