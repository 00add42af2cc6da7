from datetime import timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import T0, ComplaintCase, load_language


@tagged("post_install", "-at_install")
class TestCallbacks(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.policy.write(
            {
                "callback_retry_minutes": 90,
                "callback_max_attempts": 3,
                "routine_callback_days": 3,
                "routine_callback_user_id": False,
            }
        )
        cls.care = cls.env["complaint.team"].create(
            {
                "name": "Customer care",
                "kind": "customer_care",
                "manager_id": cls.gm.id,
            }
        )

    def solved(self):
        with freeze_time(T0):
            complaint = self.new_complaint(callback_user_id=self.agent.id)
        self.run_to_solution(complaint)
        return complaint

    def confirmation(self, complaint):
        return complaint.callback_ids.filtered(lambda c: c.kind == "confirmation")

    def log(self, callback, reached=True, outcome=False, score=False, notes=False, when=None):
        with freeze_time(when or T0 + timedelta(hours=4)):
            wizard = (
                self.env["complaint.callback.log.wizard"]
                .with_user(self.agent)
                .with_context(lang=self.agent.lang)  # as the web client sends it
                .create(
                    {
                        "callback_id": callback.id,
                        "reached": "yes" if reached else "no",
                        "outcome": outcome,
                        "score": score,
                        "notes": notes,
                    }
                )
            )
            return wizard.action_log()

    def said(self, action):
        """What the call log told the agent, then closed itself."""
        self.assertEqual(action["tag"], "display_notification")
        self.assertEqual(action["params"]["next"], {"type": "ir.actions.act_window_close"})
        return action["params"]["message"]

    def test_confirmation_callback_due_by_step_five(self):
        complaint = self.solved()
        callback = self.confirmation(complaint)
        self.assertEqual(len(callback), 1)
        self.assertRecordValues(
            callback,
            [
                {
                    "state": "to_call",
                    "partner_id": self.customer.id,
                    "user_id": self.agent.id,
                    "date_due": complaint.current_deadline,
                    "phone": "+86 10 5555 0101",
                }
            ],
        )
        self.assertEqual(callback.with_user(self.agent).solution, complaint.solution)

    def test_satisfied_closes_the_complaint(self):
        complaint = self.solved()
        callback = self.confirmation(complaint)
        said = self.said(self.log(callback, outcome="satisfied", score="5"))
        self.assertEqual(said, f"{complaint.name} closed: the customer is satisfied.")
        self.assertRecordValues(callback, [{"state": "done", "outcome": "satisfied", "score": "5"}])
        self.assertRecordValues(complaint, [{"state": "closed"}])
        self.assertEqual(self.step(complaint, "confirm").state, "done")
        self.assertEqual(callback.attempt_ids.user_id, self.agent)

    def test_visit_needed_keeps_it_open_until_repair_and_follow_up(self):
        complaint = self.solved()
        self.log(self.confirmation(complaint), outcome="visit_needed", score="4")
        repair = complaint.followup_repair_id
        self.assertRecordValues(complaint, [{"state": "follow_up"}])
        self.assertTrue(repair)
        self.assertIn(repair, complaint.repair_ids)
        self.assertEqual(repair.priority, "1")
        with self.assertRefused(UserError, "Follow-up Repair"):
            complaint.action_close_follow_up()
        self.assertFalse(complaint.callback_ids.filtered(lambda c: c.kind == "follow_up"))
        repair.write({"state": "done"})
        follow_up = complaint.callback_ids.filtered(lambda c: c.kind == "follow_up")
        self.assertEqual(len(follow_up), 1)
        self.assertEqual(complaint.state, "follow_up")
        self.log(follow_up, outcome="satisfied", score="5", when=T0 + timedelta(days=2))
        self.assertEqual(complaint.state, "closed")

    def test_follow_up_closes_a_misuse_only_once_confirmed(self):
        complaint = self.solved()
        self.log(self.confirmation(complaint), outcome="visit_needed", score="4")
        self.assertEqual(complaint.state, "follow_up")
        # Reclassified as misuse during the follow-up, on evidence, not confirmed yet.
        photo = self.env["ir.attachment"].create({"name": "clutch.jpg", "raw": b"jpg"})
        complaint.with_user(self.advisor2).write(
            {"cause": "misuse", "evidence_attachment_ids": [Command.set(photo.ids)]}
        )
        complaint.followup_repair_id.write({"state": "done"})
        follow_up = complaint.callback_ids.filtered(lambda c: c.kind == "follow_up")
        with self.assertRefused(UserError, "cannot be closed as customer misuse"):
            self.log(follow_up, outcome="satisfied", score="5", when=T0 + timedelta(days=2))
        with self.assertRefused(UserError, "cannot be closed as customer misuse"):
            complaint.with_user(self.manager).action_close_follow_up()
        self.assertRecordValues(complaint, [{"state": "follow_up", "date_closed": False}])
        self.assertRecordValues(follow_up, [{"state": "to_call", "attempt_count": 0}])
        complaint.with_user(self.manager).action_confirm_misuse()
        self.log(follow_up, outcome="satisfied", score="5", when=T0 + timedelta(days=2))
        self.assertEqual(complaint.state, "closed")

    def test_dissatisfied_sends_it_back_into_the_clock(self):
        complaint = self.solved()
        self.assertEqual(complaint.severity, "3")
        said = self.said(
            self.log(
                self.confirmation(complaint),
                outcome="dissatisfied",
                score="1",
                notes="The air conditioning is still warm.",
            )
        )
        self.assertEqual(said, f"{complaint.name} reopened: round 2 starts from dispatch.")
        self.assertRecordValues(
            complaint,
            [
                {
                    "state": "submitted",
                    "round": 2,
                    "is_repeat": True,
                    "current_step": "dispatch",
                    "customer_opinion": "The air conditioning is still warm.",
                }
            ],
        )
        self.assertIn("repeat", complaint.severity_reason.lower())

    def test_not_reached_retries_then_tells_the_manager(self):
        complaint = self.solved()
        callback = self.confirmation(complaint)
        first = T0 + timedelta(hours=4)
        said = self.said(self.log(callback, reached=False, when=first))
        self.assertIn(f"{callback.name}: not reached; next attempt at ", said)
        self.assertRecordValues(
            callback,
            [
                {
                    "state": "to_call",
                    "attempt_count": 1,
                    "date_due": first + timedelta(minutes=90),
                }
            ],
        )
        self.log(callback, reached=False, when=first + timedelta(hours=2))
        self.assertFalse(callback.activity_ids)
        said = self.said(self.log(callback, reached=False, when=first + timedelta(hours=4)))
        self.assertIn("not reached after 3 attempts; marked unreachable", said)
        self.assertRecordValues(callback, [{"state": "unreachable", "attempt_count": 3}])
        self.assertEqual(callback.activity_ids.user_id, self.manager)
        self.assertEqual(complaint.state, "solved", "the complaint waits for the customer")
        with self.assertRefused(UserError, "already handled"):
            self.log(callback, outcome="satisfied")

    def test_score_contradicting_the_outcome_is_refused(self):
        """ "Dissatisfied" with "5 - Very satisfied" would reopen the complaint
        on a slip of the mouse: the agent corrects one of them first."""
        complaint = self.solved()
        callback = self.confirmation(complaint)
        with self.assertRefused(UserError, "Satisfaction: “5 - Very satisfied” says the opposite"):
            self.log(callback, outcome="dissatisfied", score="5")
        with self.assertRefused(UserError, "Satisfaction: “1 - Very dissatisfied”"):
            self.log(callback, outcome="satisfied", score="1")
        self.assertRecordValues(callback, [{"state": "to_call", "attempt_count": 0}])
        self.assertEqual(complaint.state, "solved")
        # A neutral score goes with either answer.
        self.log(callback, outcome="dissatisfied", score="3")
        self.assertEqual(complaint.round, 2)

    def test_the_call_log_speaks_the_agents_language(self):
        load_language(self.env, "zh_CN")
        self.agent.lang = "zh_CN"
        complaint = self.solved()
        callback = self.confirmation(complaint)
        with self.assertRefused(UserError, "满意度：“5 - 非常满意”与回访结果“不满意”相矛盾"):
            self.log(callback, outcome="dissatisfied", score="5")
        said = self.said(self.log(callback, outcome="satisfied", score="5"))
        self.assertEqual(said, f"{complaint.name} 已结案：客户满意。")

    def test_the_app_opens_on_each_roles_work(self):
        """The Complaints app opens a callback agent's queue of calls, and the
        departments' overview for the service desk."""
        menu = self.env.ref("complaint_service.complaint_menu_root")
        for user, xmlid in (
            (self.agent, "complaint_service.complaint_callback_action"),
            (self.advisor, "complaint_service.complaint_team_action_dashboard"),
            (self.manager, "complaint_service.complaint_team_action_dashboard"),
        ):
            with self.subTest(user=user.login):
                action = menu.action.with_user(user).run()
                self.assertEqual(action["id"], self.env.ref(xmlid).id)

    def test_outcome_required_when_reached(self):
        callback = self.confirmation(self.solved())
        with self.assertRefused(UserError, "Outcome"):
            self.log(callback, reached=True)
        self.assertEqual(callback.attempt_count, 0)

    def test_routine_callbacks_one_per_done_repair_not_for_opted_out(self):
        quiet = self.env["res.partner"].create({"name": "Do not call", "no_callback": True})
        repairs = self.env["repair.order"].create(
            [
                {"partner_id": self.customer.id},
                {"partner_id": quiet.id},
                {"partner_id": self.customer.id},
            ]
        )
        repairs[:2].write({"state": "done", "date_done": T0})
        repairs[2].write({"state": "done", "date_done": T0 + timedelta(days=2)})
        Callback = self.env["complaint.callback"]
        with freeze_time(T0 + timedelta(days=2, hours=23)):
            self.assertEqual(Callback._cron_create_routine_callbacks(), 0, "not 3 days yet")
        with freeze_time(T0 + timedelta(days=3)):
            Callback._cron_create_routine_callbacks()
            Callback._cron_create_routine_callbacks()
        routine = Callback.search([("repair_id", "in", repairs.ids)])
        self.assertEqual(routine.repair_id, repairs[0], "exactly one, none for the opted-out")
        self.assertEqual(routine.kind, "routine")
        with freeze_time(T0 + timedelta(days=6)):
            Callback._cron_create_routine_callbacks()
        routine = Callback.search([("repair_id", "in", repairs.ids)])
        self.assertEqual(routine.repair_id, repairs[0] | repairs[2])

    def test_routine_dissatisfied_opens_a_complaint(self):
        repair = self.env["repair.order"].create({"partner_id": self.customer.id})
        repair.write({"state": "done", "date_done": T0 - timedelta(days=4)})
        with freeze_time(T0):
            self.env["complaint.callback"]._cron_create_routine_callbacks()
        callback = self.env["complaint.callback"].search([("repair_id", "=", repair.id)])
        said = self.said(
            self.log(callback, outcome="dissatisfied", score="2", when=T0 + timedelta(hours=1))
        )
        complaint = callback.complaint_id
        self.assertEqual(said, f"Complaint {complaint.name} registered from this call.")
        self.assertRecordValues(
            complaint,
            [
                {
                    "channel": "callback",
                    "first_responder_id": self.agent.id,
                    "partner_id": self.customer.id,
                    "state": "new",
                }
            ],
        )
        self.assertEqual(complaint.repair_ids, repair)
        self.assertTrue(complaint.description)

    def test_routine_dissatisfied_without_words_opens_a_complaint(self):
        repair = self.env["repair.order"].create({"partner_id": self.customer.id})
        repair.write({"state": "done", "date_done": T0 - timedelta(days=4)})
        with freeze_time(T0):
            self.env["complaint.callback"]._cron_create_routine_callbacks()
        callback = self.env["complaint.callback"].search([("repair_id", "=", repair.id)])
        self.log(callback, outcome="dissatisfied", notes="   ", when=T0 + timedelta(hours=1))
        self.assertEqual(
            callback.complaint_id.description,
            "The customer said they were dissatisfied at the routine callback.",
        )

    def test_routine_satisfied_opens_nothing(self):
        repair = self.env["repair.order"].create({"partner_id": self.customer.id})
        repair.write({"state": "done", "date_done": T0 - timedelta(days=4)})
        with freeze_time(T0):
            self.env["complaint.callback"]._cron_create_routine_callbacks()
        callback = self.env["complaint.callback"].search([("repair_id", "=", repair.id)])
        self.log(callback, outcome="satisfied", score="4", when=T0 + timedelta(hours=1))
        self.assertFalse(callback.complaint_id)

    def test_agent_does_not_see_accountability_or_penalties(self):
        complaint = self.solved()
        self.env["complaint.responsibility"].with_user(self.manager).create(
            {
                "complaint_id": complaint.id,
                "user_id": self.advisor2.id,
                "kind": "attitude",
                "penalty_type": "warning",
            }
        )
        as_agent = complaint.with_user(self.agent)
        self.assertTrue(as_agent.solution)
        with self.assertRaises(AccessError):
            as_agent.read(["responsibility_ids"])
        with self.assertRaises(AccessError):
            self.env["complaint.responsibility"].with_user(self.agent).search([])
        view = (
            self.env["complaint.complaint"]
            .with_user(self.agent)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        self.assertNotIn('name="accountability"', view)
        self.assertNotIn("responsibility_ids", view)

    def test_customer_and_vehicle_history(self):
        complaint = self.solved()
        self.log(self.confirmation(complaint), outcome="dissatisfied", score="2")
        with freeze_time(T0 + timedelta(hours=5)):
            complaint.with_user(self.manager).action_dispatch()
            complaint.with_user(self.advisor2).write(
                {
                    "solution": "Replace the compressor.",
                    "date_customer_contacted": T0 + timedelta(hours=5),
                }
            )
            complaint.with_user(self.advisor2).action_propose_solution()
        self.log(
            self.confirmation(complaint).filtered(lambda c: c.state == "to_call"),
            outcome="satisfied",
            score="4",
            when=T0 + timedelta(hours=9),
        )
        partner = self.customer.with_user(self.manager)
        self.assertRecordValues(
            partner,
            [
                {
                    "complaint_count": 1,
                    "complaint_repeat_count": 1,
                    "callback_last_score": 4,
                    "callback_avg_score": 3.0,
                }
            ],
        )
        self.assertEqual(len(partner.callback_ids), 2)

    def test_vehicle_history(self):
        sedan = self.env["product.product"].create(
            {"name": "Sedan", "is_storable": True, "tracking": "serial"}
        )
        lot = self.env["stock.lot"].create({"name": "LSVHST00000000001", "product_id": sedan.id})
        repairs = self.env["repair.order"].create(
            [
                {"partner_id": self.customer.id, "product_id": sedan.id, "lot_id": lot.id}
                for _i in range(2)
            ]
        )
        repairs.write({"state": "done", "date_done": T0 - timedelta(days=5)})
        with freeze_time(T0):
            self.env["complaint.callback"]._cron_create_routine_callbacks()
        first, second = self.env["complaint.callback"].search(
            [("repair_id", "in", repairs.ids)], order="id"
        )
        self.log(first, outcome="satisfied", score="5", when=T0 + timedelta(hours=1))
        self.log(second, outcome="dissatisfied", score="2", when=T0 + timedelta(hours=2))
        lot = lot.with_user(self.manager)
        self.assertRecordValues(
            lot,
            [
                {
                    "complaint_count": 1,
                    "callback_last_score": 2,
                    "callback_avg_score": 3.5,
                }
            ],
        )
        self.assertEqual(lot.callback_ids, first | second)
