from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import T0, ComplaintCase


@tagged("post_install", "-at_install")
class TestBadInput(ComplaintCase):
    def test_received_in_the_future_is_refused(self):
        Complaint = self.env["complaint.complaint"]
        count = Complaint.search_count([])
        with freeze_time(T0), self.assertRefused(ValidationError, "Received"):
            self.new_complaint(date_received=T0 + timedelta(hours=1))
        self.assertEqual(Complaint.search_count([]), count, "nothing half-written")
        self.assertFalse(self.env["complaint.step"].search([("complaint_id", "=", False)]))

    def test_step_four_needs_cause_solution_and_contact(self):
        with freeze_time(T0):
            complaint = self.new_complaint()
            complaint.action_send_to_manager()
            complaint.with_user(self.manager).write({"user_id": self.advisor2.id})
            complaint.with_user(self.manager).action_dispatch()
            complaint.solution = "Replace the condenser."
            with self.assertRefused(UserError, "Cause.*Customer Contacted"):
                complaint.with_user(self.advisor2).action_propose_solution()
        self.assertRecordValues(complaint, [{"state": "in_progress", "current_step": "solve"}])
        self.assertEqual(self.step(complaint, "solve").state, "running")

    def test_step_cannot_be_completed_before_the_previous_one(self):
        with freeze_time(T0):
            complaint = self.new_complaint()
            with self.assertRefused(UserError, "Dispatch.*before.*Reach manager"):
                complaint._advance("dispatch", "in_progress")
            with self.assertRefused(UserError, "it is Registered"):
                complaint.with_user(self.manager).action_dispatch()
        self.assertEqual(self.step(complaint, "dispatch").state, "waiting")
        self.assertEqual(complaint.state, "new")

    def test_dispatch_needs_a_responsible_person(self):
        with freeze_time(T0):
            complaint = self.new_complaint()
            complaint.action_send_to_manager()
            with self.assertRefused(UserError, "Responsible Person"):
                complaint.with_user(self.manager).action_dispatch()

    def test_send_to_manager_needs_a_department(self):
        with freeze_time(T0):
            complaint = self.new_complaint(team_id=False)
            with self.assertRefused(UserError, "Department"):
                complaint.action_send_to_manager()
        self.assertEqual(complaint.state, "new")

    def test_policy_durations_must_be_positive(self):
        for value in (0, -5):
            with self.assertRefused(ValidationError, "Dispatch \\(min\\)"):
                self.policy.dispatch_minutes = value
        with self.assertRefused(ValidationError, "Major: solve"):
            self.env["complaint.policy"].create({"name": "Bad", "major_solve_minutes": 0})
        self.assertEqual(self.policy.dispatch_minutes, 120)

    def test_pause_needs_a_reason(self):
        with freeze_time(T0):
            complaint = self.new_complaint()
            wizard = self.env["complaint.pause.wizard"].create(
                {
                    "complaint_id": complaint.id,
                    "reason_type": "customer",
                    "reason": "   ",
                }
            )
            with self.assertRefused(ValidationError, "reason"):
                wizard.action_pause()
        self.env.invalidate_all()
        self.assertFalse(complaint.is_paused)
        self.assertFalse(complaint.pause_ids)
        self.assertEqual(self.step(complaint, "escalate").state, "running")

    def test_paused_complaint_cannot_advance(self):
        with freeze_time(T0):
            complaint = self.new_complaint()
            complaint._pause("customer", "Customer abroad until Friday")
            with self.assertRefused(UserError, "paused"):
                complaint.action_send_to_manager()
            with self.assertRefused(UserError, "already paused"):
                complaint._pause("customer", "again")

    def test_rejecting_needs_the_customer_opinion(self):
        with freeze_time(T0):
            complaint = self.new_complaint()
        self.run_to_solution(complaint)
        with self.assertRefused(UserError, "Customer's Opinion"):
            complaint.with_user(self.agent).action_reject_solution()
        self.assertEqual(complaint.round, 1)

    def test_negative_odometer(self):
        with self.assertRefused(ValidationError, "Odometer"):
            self.new_complaint(odometer=-1)
