"""Side models and wizards show no more than their complaint: other departments'
and other companies' complaints stay out of reach through steps, pauses,
callbacks, call attempts and the wizards that display a solution."""

from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import T0, ComplaintCase


@tagged("post_install", "-at_install")
class TestSideModelVisibility(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time(T0):
            cls.service_case = cls.new_complaint_as(cls.advisor, cls.service, "Rattle in the door.")
            cls.sales_case = cls.new_complaint_as(cls.outsider, cls.sales, "Floor mats missing.")
            for complaint in cls.service_case | cls.sales_case:
                complaint.with_user(cls.manager)._pause("customer", "Customer travelling")
                complaint.with_user(cls.manager).action_resume()
        cls.sales_case.write({"solution": "Deliver the mats with an apology."})
        cls.callbacks = cls.env["complaint.callback"].create(
            [
                {
                    "kind": "follow_up",
                    "partner_id": cls.customer.id,
                    "complaint_id": complaint.id,
                    "date_due": T0,
                    "user_id": cls.agent.id,
                }
                for complaint in cls.service_case | cls.sales_case
            ]
            + [
                {
                    "kind": "routine",
                    "partner_id": cls.customer.id,
                    "date_due": T0,
                    "user_id": cls.agent.id,
                }
            ]
        )
        for callback in cls.callbacks:
            callback.with_user(cls.manager)._log_attempt(False)

    @classmethod
    def new_complaint_as(cls, user, team, words):
        return (
            cls.env["complaint.complaint"]
            .with_user(user)
            .create({"partner_id": cls.customer.id, "description": words, "team_id": team.id})
        )

    def side_records(self):
        complaints = (self.service_case | self.sales_case).sudo()
        return {
            "complaint.step": complaints.step_ids,
            "complaint.pause": complaints.pause_ids,
            "complaint.callback": self.callbacks.sudo(),
            "complaint.callback.attempt": self.callbacks.sudo().attempt_ids,
        }

    def test_each_role_sees_the_side_records_of_the_complaints_it_sees(self):
        for user in (self.advisor, self.outsider, self.agent, self.manager):
            visible = (
                self.env["complaint.complaint"]
                .with_user(user)
                .search([("id", "in", (self.service_case | self.sales_case).ids)])
            )
            for model, records in self.side_records().items():
                with self.subTest(user=user.login, model=model):
                    seen = self.env[model].with_user(user).search([("id", "in", records.ids)])
                    complaint_of = (
                        (lambda r: r.callback_id.complaint_id)
                        if model == "complaint.callback.attempt"
                        else (lambda r: r.complaint_id)
                    )
                    expected = records.filtered(
                        lambda r, f=complaint_of, v=visible: not f(r) or f(r) in v
                    )
                    self.assertEqual(seen, expected)

    def test_callback_visibility_follows_the_complaint(self):
        """The callbacks' rules read the complaint's department and stage kept on
        the callback: moving the complaint to another department or stage moves
        who sees its callbacks and their attempts at once."""
        callback = self.callbacks.filtered(lambda c: c.complaint_id == self.sales_case)
        Callback = self.env["complaint.callback"]
        self.assertNotIn(callback, Callback.with_user(self.advisor).search([]))
        self.sales_case.with_user(self.manager).write({"team_id": self.service.id})
        self.assertEqual(callback.team_id, self.service)
        self.assertIn(callback, Callback.with_user(self.advisor).search([]))
        self.assertTrue(
            self.env["complaint.callback.attempt"]
            .with_user(self.advisor)
            .search([("callback_id", "=", callback.id)])
        )
        # A callback agent sees it once the complaint awaits confirmation.
        self.assertNotIn(callback, Callback.with_user(self.agent).search([]))
        self.sales_case.sudo().state = "solved"
        self.assertEqual(callback.complaint_state, "solved")
        self.assertIn(callback, Callback.with_user(self.agent).search([]))

    def test_advisor_cannot_read_another_department_through_side_models(self):
        step = self.sales_case.step_ids[:1]
        callback = self.callbacks.filtered(lambda c: c.complaint_id == self.sales_case)
        with self.assertRaises(AccessError):
            step.with_user(self.advisor).read(["date_deadline", "user_id"])
        with self.assertRaises(AccessError):
            callback.with_user(self.advisor).read(["solution", "license_plate", "phone"])

    def test_agent_cannot_read_an_in_progress_solution_through_a_callback(self):
        # The follow-up callback exists, but the complaint is not at confirmation.
        callback = self.callbacks.filtered(lambda c: c.complaint_id == self.sales_case)
        self.assertEqual(self.sales_case.state, "new")
        with self.assertRaises(AccessError):
            callback.with_user(self.agent).read(["solution"])
        with self.assertRaises(AccessError):
            self.env["complaint.callback.log.wizard"].with_user(self.agent).create(
                {"callback_id": callback.id, "reached": "no"}
            )


@tagged("post_install", "-at_install")
class TestWizardsAcrossCompanies(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "Dealer B"})
        cls.user_b = new_test_user(
            cls.env,
            "cs_company_b_manager",
            groups="complaint_service.group_complaint_manager",
            company_id=cls.company_b.id,
            company_ids=[(6, 0, cls.company_b.ids)],
        )
        with freeze_time(T0):
            cls.complaint = cls.new_complaint_a()
        cls.complaint.write({"solution": "Refund the diagnosis fee."})

    @classmethod
    def new_complaint_a(cls):
        return (
            cls.env["complaint.complaint"]
            .with_user(cls.advisor)
            .create(
                {
                    "partner_id": cls.customer.id,
                    "description": "Charged for a diagnosis under warranty.",
                    "team_id": cls.service.id,
                }
            )
        )

    def test_phone_reply_wizard_on_another_company(self):
        Wizard = self.env["complaint.phone.reply.wizard"].with_user(self.user_b)
        with self.assertRaises(AccessError):
            Wizard.create({"complaint_id": self.complaint.id, "note": "Told them."})
        wizard = self.env["complaint.phone.reply.wizard"].create(
            {"complaint_id": self.complaint.id, "note": "Told them."}
        )
        with self.assertRaises(AccessError):
            wizard.with_user(self.user_b).read(["solution"])

    def test_callback_log_wizard_on_another_company(self):
        with freeze_time(T0 + timedelta(minutes=5)):
            callback = self.env["complaint.callback"].create(
                {
                    "kind": "follow_up",
                    "partner_id": self.customer.id,
                    "complaint_id": self.complaint.id,
                    "date_due": T0,
                }
            )
        with self.assertRaises(AccessError):
            self.env["complaint.callback.log.wizard"].with_user(self.user_b).create(
                {"callback_id": callback.id, "reached": "yes", "outcome": "satisfied"}
            )
        self.assertFalse(callback.attempt_ids)

    def test_pause_and_severity_wizards_on_another_company(self):
        with self.assertRaises(AccessError):
            self.env["complaint.pause.wizard"].with_user(self.user_b).create(
                {"complaint_id": self.complaint.id, "reason": "Waiting"}
            ).action_pause()
        with self.assertRaises(AccessError):
            self.env["complaint.severity.wizard"].with_user(self.user_b).create(
                {"complaint_id": self.complaint.id, "severity": "1", "reason": "x"}
            ).action_apply()
        self.assertFalse(self.complaint.is_paused)
        self.assertEqual(self.complaint.severity, "3")


@tagged("post_install", "-at_install")
class TestPolicyAccess(ComplaintCase):
    def test_reading_never_creates_a_policy(self):
        company = self.env["res.company"].create({"name": "Dealer without policy"})
        user = new_test_user(
            self.env,
            "cs_new_company_advisor",
            groups="complaint_service.group_complaint_user",
            company_id=company.id,
            company_ids=[(6, 0, company.ids)],
        )
        Policy = self.env["complaint.policy"].sudo()
        defaults = self.env["complaint.complaint"].with_user(user).default_get(["policy_id"])
        self.assertFalse(defaults.get("policy_id"))
        policy = self.env["complaint.policy"].with_user(user).get_company_policy()
        self.assertEqual(policy.register_minutes, 10)
        self.assertFalse(Policy.search([("company_id", "=", company.id)]))
        # Registering the first complaint makes it.
        self.env["complaint.team"].create(
            {"name": "Service", "company_id": company.id, "member_ids": [(6, 0, user.ids)]}
        )
        self.env["complaint.complaint"].with_user(user).create(
            {"partner_id": self.customer.id, "description": "First complaint of the site."}
        )
        self.assertEqual(Policy.search_count([("company_id", "=", company.id)]), 1)

    def test_another_companys_policy_is_refused(self):
        company = self.env["res.company"].create({"name": "Dealer C"})
        with self.assertRaises(AccessError):
            self.env["complaint.policy"].with_user(self.advisor).get_company_policy(company)
        self.assertFalse(
            self.env["complaint.policy"].sudo().search([("company_id", "=", company.id)])
        )
