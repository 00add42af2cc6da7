from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.tests import Form, tagged

from .common import T0, ComplaintCase


@tagged("post_install", "-at_install")
class TestClock(ComplaintCase):
    def test_register_within_ten_minutes_is_on_time(self):
        with freeze_time(T0 + timedelta(minutes=10)):
            complaint = self.new_complaint(date_received=T0)
        register = self.step(complaint, "register")
        self.assertRecordValues(
            register,
            [
                {
                    "state": "done",
                    "date_start": T0,
                    "date_deadline": T0 + timedelta(minutes=10),
                    "date_done": T0 + timedelta(minutes=10),
                    "is_late": False,
                    "timing": "on_time",
                    "user_id": self.advisor.id,
                }
            ],
        )
        self.assertEqual(complaint.breach_count, 0)

    def test_the_form_warns_before_saving_a_late_registration(self):
        Complaint = self.env["complaint.complaint"].with_user(self.advisor)
        with freeze_time(T0 + timedelta(minutes=30)):
            with self.assertNoLogs("odoo.tests.form.onchange", "WARNING"):
                form = Form(Complaint)
                form.date_received = T0 + timedelta(minutes=25)
            with self.assertLogs("odoo.tests.form.onchange", "WARNING") as warned:
                form.date_received = T0
        self.assertIn("Registered late", warned.output[0])
        self.assertIn("20 min past the registration deadline", warned.output[0])

    def test_registered_eleven_minutes_after_receipt_is_late(self):
        with freeze_time(T0 + timedelta(minutes=11)):
            complaint = self.new_complaint(date_received=T0)
        register = self.step(complaint, "register")
        self.assertRecordValues(register, [{"is_late": True, "timing": "late"}])
        self.assertEqual(complaint.breach_count, 1)
        # The department manager is told at once.
        overdue = complaint.activity_ids.filtered(
            lambda a: (
                a.activity_type_id
                == self.env.ref("complaint_service.mail_activity_type_complaint_overdue")
            )
        )
        self.assertEqual(overdue.user_id, self.manager)

    def test_batch_intake_starts_each_clock_on_its_own(self):
        """Complaints registered together in one create (an import, the API)
        each get their five steps, their own register verdict and a running
        second step: the batch shares statements, not facts."""
        with freeze_time(T0):
            on_time, late = (
                self.env["complaint.complaint"]
                .with_user(self.advisor)
                .create(
                    [
                        {
                            "partner_id": self.customer.id,
                            "description": "Heard four minutes ago.",
                            "team_id": self.service.id,
                            "date_received": T0 - timedelta(minutes=4),
                        },
                        {
                            "partner_id": self.customer.id,
                            "description": "Heard eleven minutes ago.",
                            "team_id": self.service.id,
                            "date_received": T0 - timedelta(minutes=11),
                        },
                    ]
                )
            )
        for complaint in (on_time, late):
            self.assertEqual(
                complaint.step_ids.sorted("sequence").mapped("state"),
                ["done", "running", "waiting", "waiting", "waiting"],
            )
            escalate = self.step(complaint, "escalate")
            self.assertEqual(complaint.current_step_id, escalate)
            self.assertEqual(complaint.current_step, "escalate")
            self.assertEqual(complaint.current_deadline, T0 + timedelta(minutes=30))
        self.assertRecordValues(
            self.step(on_time, "register") | self.step(late, "register"),
            [
                {"is_late": False, "timing": "on_time", "breach_date": False},
                {"is_late": True, "timing": "late", "breach_date": T0},
            ],
        )
        self.assertEqual((on_time.breach_count, late.breach_count), (0, 1))
        self.assertEqual((on_time.timing_register, late.timing_register), ("on_time", "late"))

    def test_each_deadline_counts_from_the_previous_completion(self):
        with freeze_time(T0):
            complaint = self.new_complaint(date_received=T0 - timedelta(minutes=4))
        escalate = self.step(complaint, "escalate")
        self.assertRecordValues(
            escalate,
            [
                {
                    "state": "running",
                    "date_start": T0,
                    "date_deadline": T0 + timedelta(minutes=30),
                }
            ],
        )
        self.assertEqual(complaint.current_deadline, T0 + timedelta(minutes=30))
        self.assertEqual(complaint.current_step, "escalate")
        sent = T0 + timedelta(minutes=25)
        with freeze_time(sent):
            complaint.action_send_to_manager()
        self.assertEqual(complaint.state, "submitted")
        self.assertRecordValues(
            self.step(complaint, "dispatch"),
            [
                {
                    "state": "running",
                    "date_start": sent,
                    "date_deadline": sent + timedelta(hours=2),
                    "user_id": self.manager.id,
                }
            ],
        )
        dispatched = sent + timedelta(hours=1)
        with freeze_time(dispatched):
            complaint.with_user(self.manager).write({"user_id": self.advisor2.id})
            complaint.with_user(self.manager).action_dispatch()
        self.assertRecordValues(
            self.step(complaint, "solve"),
            [
                {
                    "date_start": dispatched,
                    "date_deadline": dispatched + timedelta(hours=24),
                    "user_id": self.advisor2.id,
                }
            ],
        )
        solved = dispatched + timedelta(hours=5)
        with freeze_time(solved):
            complaint.with_user(self.advisor2).write(
                {
                    "cause": "other",
                    "cause_analysis": "Condenser leak.",
                    "solution": "Replace the condenser.",
                    "date_customer_contacted": solved,
                }
            )
            complaint.with_user(self.advisor2).action_propose_solution()
        self.assertEqual(complaint.state, "solved")
        self.assertRecordValues(
            self.step(complaint, "confirm"),
            [
                {
                    "date_start": solved,
                    "date_deadline": solved + timedelta(hours=4),
                }
            ],
        )
        with freeze_time(solved + timedelta(hours=1)):
            complaint.with_user(self.agent).action_confirm_solution()
        self.assertRecordValues(
            complaint,
            [
                {
                    "state": "closed",
                    "current_deadline": False,
                    "date_closed": solved + timedelta(hours=1),
                    "breach_count": 0,
                }
            ],
        )
        self.assertEqual(
            complaint.step_ids.mapped("timing"),
            ["on_time"] * 5,
            "every step was completed within its deadline",
        )

    def test_step_completed_after_deadline_is_late(self):
        with freeze_time(T0):
            complaint = self.new_complaint()
        with freeze_time(T0 + timedelta(minutes=31)):
            complaint.action_send_to_manager()
        self.assertRecordValues(self.step(complaint, "escalate"), [{"is_late": True}])
        self.assertEqual(complaint.breach_count, 1)

    def test_paused_time_does_not_count(self):
        with freeze_time(T0):
            complaint = self.new_complaint()
        self.commit_tracking()
        with freeze_time(T0 + timedelta(minutes=10)):
            complaint.action_send_to_manager()
        with freeze_time(T0 + timedelta(minutes=20)):
            complaint.with_user(self.manager).write({"user_id": self.advisor2.id})
            complaint.with_user(self.manager).action_dispatch()
        solve = self.step(complaint, "solve")
        self.assertEqual(solve.date_deadline, T0 + timedelta(minutes=20, hours=24))
        with freeze_time(T0 + timedelta(hours=2)):
            wizard = (
                self.env["complaint.pause.wizard"]
                .with_user(self.advisor2)
                .create(
                    {
                        "complaint_id": complaint.id,
                        "reason_type": "parts",
                        "reason": "Condenser ordered from the manufacturer",
                    }
                )
            )
            wizard.action_pause()
        self.commit_tracking()
        self.assertTrue(complaint.is_paused)
        self.assertEqual(solve.state, "paused")
        self.assertFalse(complaint.current_deadline, "a paused clock has no running deadline")
        # Paused for 30 hours: without the pause the step would be overdue.
        with freeze_time(T0 + timedelta(hours=32)):
            self.sweep_overdue()
            self.assertFalse(solve.is_late)
            complaint.with_user(self.advisor2).action_resume()
        self.commit_tracking()
        self.assertRecordValues(
            solve,
            [
                {
                    "state": "running",
                    "pause_minutes": 30 * 60,
                    "date_deadline": T0 + timedelta(minutes=20, hours=24 + 30),
                }
            ],
        )
        self.assertEqual(complaint.current_deadline, solve.date_deadline)
        pause = complaint.pause_ids
        self.assertRecordValues(
            pause,
            [
                {
                    "reason_type": "parts",
                    "date_start": T0 + timedelta(hours=2),
                    "date_end": T0 + timedelta(hours=32),
                    "user_id": self.advisor2.id,
                    "step_id": solve.id,
                }
            ],
        )
        tracked = complaint.sudo().message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == "is_paused"
        )
        self.assertEqual(len(tracked), 2, "pausing and resuming are both tracked")

    def test_calendar_deadline_skips_the_night(self):
        calendar = self.env["resource.calendar"].create(
            {
                "name": "Workshop 08-18",
                "tz": "UTC",
                "attendance_ids": [
                    (
                        0,
                        0,
                        {
                            "name": f"Day {day}",
                            "dayofweek": str(day),
                            "hour_from": 8,
                            "hour_to": 18,
                            "day_period": "morning",
                        },
                    )
                    for day in range(5)
                ],
            }
        )
        self.policy.calendar_id = calendar
        evening = datetime(2026, 11, 2, 17, 30)  # Monday 17:30
        with freeze_time(evening):
            complaint = self.new_complaint()
        with freeze_time(evening + timedelta(minutes=20)):
            complaint.action_send_to_manager()
        # 2 working hours from 17:50: 10 min on Monday, 110 min on Tuesday.
        self.assertEqual(
            self.step(complaint, "dispatch").date_deadline, datetime(2026, 11, 3, 9, 50)
        )
        # The night does not count as overdue.
        with freeze_time(datetime(2026, 11, 3, 7, 0)):
            self.sweep_overdue()
            self.assertFalse(complaint.is_overdue)
        self.assertFalse(self.step(complaint, "dispatch").is_late)

    def test_rejected_solution_starts_a_new_round_from_dispatch(self):
        with freeze_time(T0):
            complaint = self.new_complaint()
        self.run_to_solution(complaint)
        rejected = T0 + timedelta(hours=4)
        with freeze_time(rejected):
            complaint.with_user(self.agent).write({"customer_opinion": "Still warm air."})
            complaint.with_user(self.agent).action_reject_solution()
        self.assertRecordValues(
            complaint,
            [
                {
                    "state": "submitted",
                    "round": 2,
                    "is_repeat": True,
                    "current_step": "dispatch",
                    "current_deadline": rejected + timedelta(hours=2),
                    "date_customer_contacted": False,
                }
            ],
        )
        self.assertRecordValues(
            self.step(complaint, "confirm", 1),
            [
                {
                    "state": "done",
                    "result": "rejected",
                }
            ],
        )
        round2 = complaint.step_ids.filtered(lambda s: s.round == 2)
        self.assertEqual(round2.mapped("code"), ["dispatch", "solve", "confirm"])
        # Round 1 stays as history.
        self.assertEqual(len(complaint.step_ids.filtered(lambda s: s.round == 1)), 5)
        self.assertEqual(round2.mapped("display_name")[0], "Dispatch (round 2)")

    def test_major_complaint_uses_major_durations(self):
        with freeze_time(T0):
            complaint = self.new_complaint(injury=True)
        with freeze_time(T0 + timedelta(minutes=5)):
            complaint.action_send_to_manager()
            complaint.with_user(self.manager).write({"user_id": self.advisor2.id})
            complaint.with_user(self.manager).action_dispatch()
        self.assertEqual(
            self.step(complaint, "solve").date_deadline, T0 + timedelta(minutes=5, hours=48)
        )

    def test_becoming_major_moves_the_running_deadline(self):
        with freeze_time(T0):
            complaint = self.new_complaint()
            complaint.action_send_to_manager()
            complaint.with_user(self.manager).write({"user_id": self.advisor2.id})
            complaint.with_user(self.manager).action_dispatch()
        self.assertEqual(complaint.current_deadline, T0 + timedelta(hours=24))
        complaint.with_user(self.manager).media_exposure = True
        self.assertTrue(complaint.is_major)
        self.assertEqual(complaint.current_deadline, T0 + timedelta(hours=48))

    def test_policy_durations_are_minutes(self):
        self.policy.escalate_minutes = 45
        with freeze_time(T0):
            complaint = self.new_complaint()
        self.assertEqual(complaint.current_deadline, T0 + timedelta(minutes=45))

    def test_responsible_person_gets_the_step_activity(self):
        with freeze_time(T0):
            complaint = self.new_complaint()
            complaint.action_send_to_manager()
        step_type = self.env.ref("complaint_service.mail_activity_type_complaint_step")
        self.assertEqual(
            complaint.activity_ids.filtered(lambda a: a.activity_type_id == step_type).user_id,
            self.manager,
        )
        with freeze_time(T0 + timedelta(minutes=10)):
            complaint.with_user(self.manager).write({"user_id": self.advisor2.id})
            complaint.with_user(self.manager).action_dispatch()
        activities = complaint.activity_ids.filtered(lambda a: a.activity_type_id == step_type)
        self.assertEqual(activities.user_id, self.advisor2, "the manager's to-do was closed")

    def test_one_todo_moves_with_the_clock_and_ends_with_it(self):
        """The step to-do is one activity that follows the running step (its
        assignee, deadline and summary), not a new one per step; once the
        complaint is closed no step to-do is left."""
        step_type = self.env.ref("complaint_service.mail_activity_type_complaint_step")

        def todo():
            return complaint.activity_ids.filtered(lambda a: a.activity_type_id == step_type)

        with freeze_time(T0):
            complaint = self.new_complaint()
            complaint.action_send_to_manager()
        first = todo()
        self.assertRecordValues(
            first, [{"user_id": self.manager.id, "summary": "Dispatch", "date_deadline": T0.date()}]
        )
        with freeze_time(T0 + timedelta(minutes=20)):
            complaint.with_user(self.manager).write({"user_id": self.advisor2.id})
            complaint.with_user(self.manager).action_dispatch()
        self.assertEqual(todo(), first, "the same to-do moved on")
        self.assertRecordValues(
            first,
            [
                {
                    "user_id": self.advisor2.id,
                    "summary": "Solve",
                    "date_deadline": T0.date() + timedelta(days=1),
                }
            ],
        )
        with freeze_time(T0 + timedelta(hours=3)):
            complaint.with_user(self.advisor2).write(
                {
                    "cause": "other",
                    "cause_analysis": "Refrigerant leak at the condenser.",
                    "solution": "Replace the condenser under warranty.",
                    "date_customer_contacted": T0 + timedelta(hours=3),
                }
            )
            complaint.with_user(self.advisor2).action_propose_solution()
        self.assertEqual(todo(), first)
        self.assertEqual(first.summary, "Confirm")
        with freeze_time(T0 + timedelta(hours=4)):
            complaint.with_user(self.agent).action_confirm_solution()
        self.assertEqual(complaint.state, "closed")
        self.assertFalse(todo(), "no step to-do once closed")
        self.assertEqual(len(complaint.activity_ids), 0)

    def test_reassigning_moves_the_running_step_and_its_todo(self):
        with freeze_time(T0):
            complaint = self.new_complaint()
            complaint.action_send_to_manager()
            complaint.with_user(self.manager).write({"user_id": self.advisor2.id})
            complaint.with_user(self.manager).action_dispatch()
            complaint.with_user(self.manager).user_id = self.advisor
        self.assertEqual(self.step(complaint, "solve").user_id, self.advisor)
        self.assertEqual(
            self.step(complaint, "dispatch").user_id, self.manager, "done steps keep their user"
        )
        step_type = self.env.ref("complaint_service.mail_activity_type_complaint_step")
        todo = complaint.activity_ids.filtered(lambda a: a.activity_type_id == step_type)
        self.assertEqual(todo.user_id, self.advisor)
        self.assertEqual(len(todo), 1)
