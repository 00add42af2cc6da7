from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import T0, ComplaintCase


@tagged("post_install", "-at_install")
class TestAccess(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time(T0):
            cls.mine = (
                cls.env["complaint.complaint"]
                .with_user(cls.advisor)
                .create(
                    {
                        "partner_id": cls.customer.id,
                        "description": "Scratch on the door after the car wash.",
                        "team_id": cls.service.id,
                    }
                )
            )
            cls.colleague = (
                cls.env["complaint.complaint"]
                .with_user(cls.advisor2)
                .create(
                    {
                        "partner_id": cls.customer.id,
                        "description": "Waited two hours for an oil change.",
                        "team_id": cls.service.id,
                    }
                )
            )
            cls.sales_case = (
                cls.env["complaint.complaint"]
                .with_user(cls.outsider)
                .create(
                    {
                        "partner_id": cls.customer.id,
                        "description": "The promised floor mats were never delivered.",
                        "team_id": cls.sales.id,
                    }
                )
            )

    def visible(self, user):
        Complaint = self.env["complaint.complaint"].with_user(user)
        return Complaint.search([("id", "in", (self.mine | self.colleague | self.sales_case).ids)])

    def test_advisor_sees_own_and_team_complaints(self):
        self.assertEqual(self.visible(self.advisor), self.mine | self.colleague)
        self.assertEqual(self.visible(self.outsider), self.sales_case)
        with self.assertRaises(AccessError):
            self.sales_case.with_user(self.advisor).read(["description"])

    def test_joining_or_leaving_a_department_changes_what_is_seen_at_once(self):
        self.assertEqual(self.visible(self.outsider), self.sales_case)
        self.service.member_ids |= self.outsider
        self.assertEqual(self.visible(self.outsider), self.mine | self.colleague | self.sales_case)
        self.colleague.with_user(self.outsider).read(["description"])
        self.service.member_ids -= self.outsider
        self.assertEqual(self.visible(self.outsider), self.sales_case)
        with self.assertRaises(AccessError):
            self.colleague.with_user(self.outsider).read(["description"])
        # A department's manager sees its complaints; a new manager at once.
        self.sales.manager_id = self.advisor2
        self.assertIn(self.sales_case, self.visible(self.advisor2))

    def test_first_responder_sees_a_complaint_moved_to_another_team(self):
        self.mine.with_user(self.manager).team_id = self.sales
        self.assertIn(self.mine, self.visible(self.advisor), "the first responder stays on it")
        self.assertIn(self.mine, self.visible(self.outsider))

    def test_manager_sees_all_of_the_company(self):
        self.assertEqual(self.visible(self.manager), self.mine | self.colleague | self.sales_case)
        self.assertEqual(self.visible(self.gm), self.mine | self.colleague | self.sales_case)

    def test_other_company_is_invisible(self):
        other = self.env["res.company"].create({"name": "Other Dealer"})
        other_manager = new_test_user(
            self.env,
            "cs_other_manager",
            groups="complaint_service.group_complaint_manager",
            company_id=other.id,
            company_ids=[(6, 0, [other.id])],
        )
        self.assertFalse(self.visible(other_manager))
        self.env["complaint.team"].create(
            {"name": "Their service", "company_id": other.id, "manager_id": other_manager.id}
        )
        with freeze_time(T0):
            theirs = (
                self.env["complaint.complaint"]
                .with_user(other_manager)
                .create(
                    {
                        "partner_id": self.customer.id,
                        "description": "Wrong invoice.",
                    }
                )
            )
        self.assertEqual(theirs.company_id, other)
        self.assertEqual(theirs.policy_id.company_id, other, "the company got its own policy")
        self.assertNotIn(theirs, self.env["complaint.complaint"].with_user(self.manager).search([]))

    def test_only_administrator_deletes(self):
        for user in (self.advisor, self.manager, self.gm):
            with self.assertRaises(AccessError):
                self.mine.with_user(user).unlink()
        self.mine.with_user(self.advisor).action_archive()
        self.assertFalse(self.mine.active)
        self.colleague.with_user(self.env.ref("base.user_admin")).unlink()
        self.assertFalse(self.colleague.exists())

    def test_only_manager_changes_first_responder(self):
        self.assertEqual(self.mine.first_responder_id, self.advisor)
        with self.assertRaises(AccessError):
            self.mine.with_user(self.advisor).first_responder_id = self.advisor2
        self.mine.with_user(self.manager).first_responder_id = self.advisor2
        self.assertEqual(self.mine.first_responder_id, self.advisor2)
        # Writing the same value is not a change.
        self.colleague.with_user(self.advisor2).write({"first_responder_id": self.advisor2.id})

    def test_only_team_manager_or_complaint_manager_dispatches(self):
        with freeze_time(T0):
            self.mine.with_user(self.advisor).action_send_to_manager()
            self.mine.with_user(self.advisor).user_id = self.advisor
            with self.assertRaises(AccessError):
                self.mine.with_user(self.advisor).action_dispatch()
            self.assertEqual(self.mine.state, "submitted")
            self.mine.with_user(self.manager).action_dispatch()
        self.assertEqual(self.mine.state, "in_progress")

    def test_team_manager_without_manager_group_dispatches_own_team(self):
        with freeze_time(T0):
            self.sales_case.with_user(self.outsider).action_send_to_manager()
            self.sales_case.with_user(self.sales_manager).action_take()
        self.assertRecordValues(
            self.sales_case,
            [
                {
                    "state": "in_progress",
                    "user_id": self.sales_manager.id,
                }
            ],
        )

    def test_callback_agent_sees_complaints_awaiting_confirmation(self):
        self.assertFalse(self.visible(self.agent))
        with freeze_time(T0):
            self.run_to_solution(self.mine)
        self.assertEqual(self.visible(self.agent), self.mine)
        # A problem found at a callback is registered by the agent, who answers for it.
        heard = (
            self.env["complaint.complaint"]
            .with_user(self.agent)
            .create(
                {
                    "partner_id": self.customer.id,
                    "channel": "callback",
                    "description": "The customer is unhappy with the wait.",
                }
            )
        )
        self.assertEqual(heard.first_responder_id, self.agent)
        self.assertNotIn(self.colleague, self.visible(self.agent))

    def test_advisor_cannot_configure_the_clock(self):
        with self.assertRaises(AccessError):
            self.policy.with_user(self.advisor).dispatch_minutes = 600
        with self.assertRaises(AccessError):
            self.service.with_user(self.advisor).manager_id = self.advisor
        self.policy.with_user(self.manager).dispatch_minutes = 90

    def test_user_without_complaint_group_sees_nothing(self):
        clerk = new_test_user(self.env, "cs_clerk", groups="base.group_user")
        with self.assertRaises(AccessError):
            self.env["complaint.complaint"].with_user(clerk).search([])
        with self.assertRaises(UserError):
            # Not an AccessError on purpose: the state guard speaks first.
            self.mine.action_confirm_solution()

    def test_counts_are_zero_for_users_without_complaint_access(self):
        clerk = new_test_user(
            self.env, "cs_stock_clerk", groups="base.group_user,stock.group_stock_user"
        )
        repair = self.env["repair.order"].create({"partner_id": self.customer.id})
        self.mine.repair_ids = repair
        self.assertEqual(repair.with_user(clerk).complaint_count, 0)
        self.assertEqual(self.customer.with_user(clerk).complaint_count, 0)
        self.assertEqual(repair.with_user(self.manager).complaint_count, 1)
        self.assertEqual(self.customer.with_user(self.manager).complaint_count, 3)
