from datetime import timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from .common import T0, ComplaintCase, load_language


@tagged("post_install", "-at_install")
class TestOverdueSweep(ComplaintCase):
    def activities(self, complaint, kind):
        kind = self.env.ref(f"complaint_service.mail_activity_type_complaint_{kind}")
        return complaint.activity_ids.filtered(lambda a: a.activity_type_id == kind)

    def sweep(self, when):
        with freeze_time(when):
            return self.sweep_overdue()

    def test_sweep_marks_a_breach_once(self):
        with freeze_time(T0):
            complaint = self.new_complaint()
        self.assertEqual(self.sweep(T0 + timedelta(minutes=29)), 0)
        with freeze_time(T0 + timedelta(minutes=29)):
            self.assertFalse(complaint.is_overdue)
        messages_before = len(complaint.message_ids)
        self.assertEqual(self.sweep(T0 + timedelta(minutes=31)), 1)
        self.assertEqual(self.sweep(T0 + timedelta(minutes=36)), 0, "second run finds nothing")
        escalate = self.step(complaint, "escalate")
        self.assertRecordValues(
            escalate,
            [
                {
                    "is_late": True,
                    "state": "running",
                    "breach_date": T0 + timedelta(minutes=31),
                }
            ],
        )
        self.assertRecordValues(
            complaint,
            [
                {
                    "breach_count": 1,
                    "last_breach_date": T0 + timedelta(minutes=31),
                }
            ],
        )
        overdue = self.activities(complaint, "overdue")
        self.assertEqual(len(overdue), 1, "running the sweep twice never doubles the activity")
        self.assertEqual(overdue.user_id, self.manager)
        self.assertEqual(len(complaint.message_ids), messages_before + 1)
        self.assertIn("Reach manager", complaint.message_ids[0].body)
        self.assertFalse(self.activities(complaint, "escalation"), "a first breach stays local")

    def test_sweep_records_the_facts_and_leaves_the_notices_to_a_second_job(self):
        """A burst of breaches is marked by the sweep alone; the notes, the
        manager's activity and the tracked liability follow in the job it
        triggers."""
        with freeze_time(T0):
            complaint = self.new_complaint(injury=True)
        self.commit_tracking()
        messages_before = complaint.message_ids
        notices = self.env["complaint.breach.notice"]
        cron = self.env.ref("complaint_service.ir_cron_complaint_breach_notices")
        triggers = self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)])
        with freeze_time(T0 + timedelta(minutes=31)):
            self.assertEqual(self.env["complaint.complaint"]._cron_check_overdue(), 1)
        self.assertRecordValues(complaint, [{"breach_count": 1, "joint_liability": True}])
        self.assertEqual(complaint.message_ids, messages_before, "no note yet")
        self.assertFalse(self.activities(complaint, "overdue"))
        self.assertEqual(notices.search_count([("complaint_id", "=", complaint.id)]), 1)
        self.assertEqual(
            self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)]),
            triggers + 1,
            "the sweep asks for the notices to be sent now",
        )
        with freeze_time(T0 + timedelta(minutes=32)):
            self.assertEqual(notices._cron_send(), 1)
            self.assertEqual(notices._cron_send(), 0, "each notice is sent once")
        self.assertFalse(notices.search_count([("complaint_id", "=", complaint.id)]))
        note = complaint.message_ids - messages_before
        self.assertEqual(len(note), 1)
        self.assertIn("Reach manager", note.body)
        self.assertIn("Escalated to the general manager", note.body)
        self.assertEqual(
            note.sudo().tracking_value_ids.field_id.mapped("name"),
            ["joint_liability"],
            "the liability the sweep changed is tracked on the note",
        )
        self.assertEqual(self.activities(complaint, "overdue").user_id, self.manager)
        self.assertIn(self.gm, self.activities(complaint, "escalation").user_id)

    def test_notice_of_a_step_completed_meanwhile_leaves_no_overdue_activity(self):
        with freeze_time(T0):
            complaint = self.new_complaint()
        with freeze_time(T0 + timedelta(minutes=31)):
            self.env["complaint.complaint"]._cron_check_overdue()
            complaint.action_send_to_manager()
            self.env["complaint.breach.notice"]._cron_send()
        self.assertIn("Reach manager", complaint.message_ids[0].body)
        self.assertFalse(
            self.activities(complaint, "overdue"), "the late step was done before the notice"
        )

    def test_overdue_and_due_soon_search(self):
        with freeze_time(T0):
            late = self.new_complaint()
        with freeze_time(T0 + timedelta(minutes=20)):
            soon = self.new_complaint()
            Complaint = self.env["complaint.complaint"]
            domain = [("id", "in", (late | soon).ids)]
            # 20 minutes in: both are due within the hour, none overdue.
            self.assertEqual(Complaint.search(domain + [("is_due_soon", "=", True)]), late | soon)
            self.assertFalse(Complaint.search(domain + [("is_overdue", "=", True)]))
        with freeze_time(T0 + timedelta(minutes=40)):
            Complaint.invalidate_model(["is_overdue", "is_due_soon"])
            self.assertEqual(Complaint.search(domain + [("is_overdue", "=", True)]), late)
            self.assertEqual(Complaint.search(domain + [("is_due_soon", "=", True)]), soon)
            self.assertEqual(Complaint.search(domain + [("is_overdue", "=", False)]), soon)
            self.assertTrue(late.is_overdue)
            self.assertEqual(self.service.overdue_count, 1)
            self.assertEqual(self.service.due_soon_count, 1)

    def test_second_breach_escalates_to_general_manager(self):
        with freeze_time(T0):
            complaint = self.new_complaint()
        self.sweep(T0 + timedelta(minutes=31))
        with freeze_time(T0 + timedelta(minutes=40)):
            complaint.action_send_to_manager()
        self.assertFalse(self.activities(complaint, "escalation"))
        # The manager does not dispatch within 2 hours.
        self.sweep(T0 + timedelta(minutes=40, hours=2, seconds=1))
        self.assertEqual(complaint.breach_count, 2)
        escalation = self.activities(complaint, "escalation")
        self.assertIn(self.gm, escalation.user_id)
        self.assertIn("Escalated to the general manager", complaint.message_ids[0].body)

    def test_an_escalation_says_why_and_turns_late_with_the_complaint(self):
        """The general manager's to-do names the late step, its deadline and
        lateness and the trigger; it is due on the day of the breach (a
        deadline missed at night is late the next morning), goes to the
        company's general managers and not to the administrator, and is
        written in the manager's language."""
        self.env.ref("base.user_admin").company_ids |= self.company
        with freeze_time(T0):
            complaint = self.new_complaint()
        self.sweep(T0 + timedelta(minutes=31))
        with freeze_time(T0 + timedelta(minutes=40)):
            complaint.action_send_to_manager()
        # Dispatch was due at 11:40; the sweep runs only the next morning.
        self.sweep(T0 + timedelta(days=1))
        escalation = self.activities(complaint, "escalation")
        self.assertTrue(escalation)
        self.assertNotIn(self.env.ref("base.user_admin"), escalation.user_id)
        self.assertFalse(any(user._is_system() for user in escalation.user_id))
        mine = escalation.filtered(lambda a: a.user_id == self.gm)
        self.assertEqual(mine.summary, "Escalation: Dispatch 21 h 20 min late")
        self.assertIn("Dispatch (responsible: Manager Chen) was due at", mine.note)
        self.assertIn("21 h 20 min late when escalated", mine.note)
        self.assertIn("breach no. 2 of the handling clock", mine.note)
        self.assertEqual(mine.date_deadline, T0.date())
        with freeze_time(T0 + timedelta(days=1)):
            self.assertEqual(mine.with_user(self.gm).state, "overdue")

    def test_major_complaint_escalation_gives_its_reason(self):
        with freeze_time(T0):
            complaint = self.new_complaint(injury=True)
        self.sweep(T0 + timedelta(minutes=31))
        mine = self.activities(complaint, "escalation").filtered(lambda a: a.user_id == self.gm)
        self.assertEqual(len(mine), 1, "the breach does not add a second escalation")
        self.assertEqual(mine.summary, "Escalation: major complaint")
        self.assertIn(complaint.severity_reason, mine.note)

    def test_the_general_managers_escalation_is_in_their_language(self):
        load_language(self.env, "zh_CN")
        self.gm.lang = "zh_CN"
        with freeze_time(T0):
            complaint = self.new_complaint()
        self.sweep(T0 + timedelta(minutes=31))
        with freeze_time(T0 + timedelta(minutes=40)):
            complaint.action_send_to_manager()
        self.sweep(T0 + timedelta(hours=3))
        mine = self.activities(complaint, "escalation").filtered(lambda a: a.user_id == self.gm)
        self.assertEqual(mine.summary, "升级：分派 超时 20 分钟")
        manager_notice = self.activities(complaint, "overdue")
        self.assertEqual(manager_notice.summary, "Overdue: Dispatch", "the manager reads English")

    def test_escalations_and_notices_close_with_the_complaint(self):
        with freeze_time(T0):
            complaint = self.new_complaint(injury=True, callback_user_id=self.agent.id)
        self.sweep(T0 + timedelta(minutes=31))
        self.assertTrue(self.activities(complaint, "escalation"))
        self.run_to_solution(complaint, start=T0 + timedelta(minutes=32))
        confirmation = complaint.callback_ids.filtered(lambda c: c.kind == "confirmation")
        with freeze_time(T0 + timedelta(hours=4)):
            self.env["complaint.callback.log.wizard"].with_user(self.agent).create(
                {
                    "callback_id": confirmation.id,
                    "reached": "yes",
                    "outcome": "satisfied",
                    "score": "5",
                }
            ).action_log()
        self.assertEqual(complaint.state, "closed")
        self.assertFalse(complaint.activity_ids, "a closed complaint leaves no to-do")

    def test_major_complaint_escalates_at_first_breach(self):
        with freeze_time(T0):
            complaint = self.new_complaint(injury=True)
        self.sweep(T0 + timedelta(minutes=31))
        self.assertEqual(complaint.breach_count, 1)
        self.assertIn(self.gm, self.activities(complaint, "escalation").user_id)

    def test_completing_a_late_step_closes_its_overdue_notice(self):
        with freeze_time(T0):
            complaint = self.new_complaint()
        self.sweep(T0 + timedelta(minutes=31))
        with freeze_time(T0 + timedelta(minutes=35)):
            complaint.action_send_to_manager()
        self.assertFalse(self.activities(complaint, "overdue"))
        self.assertEqual(
            complaint.breach_count, 1, "completion of a marked step is not a new breach"
        )

    def test_sweep_works_in_batches_and_reports_progress(self):
        with freeze_time(T0):
            complaints = self.env["complaint.complaint"]
            for _i in range(3):
                complaints |= self.new_complaint()
        with freeze_time(T0 + timedelta(hours=1)):
            Complaint = self.env["complaint.complaint"]
            self.assertEqual(Complaint._cron_check_overdue(batch_size=2), 2)
            self.assertEqual(Complaint._cron_check_overdue(batch_size=2), 1)
            self.assertEqual(Complaint._cron_check_overdue(batch_size=2), 0)
        self.assertEqual(complaints.mapped("breach_count"), [1, 1, 1])

    def test_sweep_with_nothing_new_costs_two_queries(self):
        """The selection and the remaining count, both on the partial index of
        running, unmarked steps: nothing is read for the complaints already marked."""
        with freeze_time(T0):
            self.new_complaint()
        self.sweep(T0 + timedelta(hours=1))
        self.env.flush_all()
        with freeze_time(T0 + timedelta(hours=1, minutes=5)), self.assertQueryCount(2):
            self.env["complaint.complaint"]._cron_check_overdue()

    def test_one_open_notice_per_person_even_after_two_breaches(self):
        with freeze_time(T0):
            complaint = self.new_complaint(injury=True)
        self.sweep(T0 + timedelta(minutes=31))
        with freeze_time(T0 + timedelta(minutes=40)):
            complaint.action_send_to_manager()
        # The first notice was closed with its step; the second breach opens one.
        self.sweep(T0 + timedelta(minutes=40, hours=2, seconds=1))
        self.assertEqual(len(self.activities(complaint, "overdue")), 1)
        escalations = self.activities(complaint, "escalation")
        self.assertEqual(
            len(escalations.filtered(lambda a: a.user_id == self.gm)),
            1,
            "the general manager's escalation is not repeated while it is open",
        )
