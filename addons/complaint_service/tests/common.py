from contextlib import contextmanager
from datetime import datetime

from freezegun import freeze_time

from odoo.sql_db import db_connect
from odoo.tests import TransactionCase, new_test_user


def load_language(env, lang):
    """Activate ``lang`` with the addon's translations, as installing it does."""
    env["res.lang"]._activate_lang(lang)
    env["ir.module.module"].search([("name", "=", "complaint_service")])._update_translations(
        [lang]
    )


# A Monday, 09:00 UTC: every test moves time explicitly from here.
T0 = datetime(2026, 11, 2, 9, 0, 0)


class ComplaintCase(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=False))
        cls.company = cls.env.company
        g = "complaint_service.group_complaint_"
        cls.advisor = new_test_user(cls.env, "cs_advisor", groups=g + "user", name="Advisor Li")
        cls.advisor2 = new_test_user(cls.env, "cs_advisor2", groups=g + "user", name="Advisor Wang")
        cls.outsider = new_test_user(
            cls.env, "cs_outsider", groups=g + "user", name="Advisor Zhao (sales)"
        )
        cls.manager = new_test_user(
            cls.env, "cs_manager", groups=g + "manager", name="Manager Chen"
        )
        cls.sales_manager = new_test_user(
            cls.env, "cs_sales_manager", groups=g + "user", name="Sales Manager Sun"
        )
        cls.gm = new_test_user(
            cls.env, "cs_gm", groups=g + "general_manager", name="General Manager Zhou"
        )
        cls.agent = new_test_user(cls.env, "cs_agent", groups=g + "callback", name="Agent Xu")
        cls.service = cls.env["complaint.team"].create(
            {
                "name": "After-sales service",
                "manager_id": cls.manager.id,
                "member_ids": [(6, 0, [cls.advisor.id, cls.advisor2.id])],
            }
        )
        cls.sales = cls.env["complaint.team"].create(
            {
                "name": "Sales",
                "kind": "sales",
                "manager_id": cls.sales_manager.id,
                "member_ids": [(6, 0, [cls.outsider.id])],
            }
        )
        cls.policy = cls.env["complaint.policy"]._get_for_company(cls.company)
        cls.policy.write(
            {
                "calendar_id": False,
                "register_minutes": 10,
                "escalate_minutes": 30,
                "dispatch_minutes": 120,
                "solve_minutes": 1440,
                "confirm_minutes": 240,
                "major_solve_minutes": 2880,
            }
        )
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Customer Wu",
                "phone": "+86 10 5555 0101",
            }
        )

    def sweep_overdue(self, **kwargs):
        """The overdue sweep, then the notices of the breaches it recorded, as
        the two crons run (the sweep triggers the second)."""
        done = self.env["complaint.complaint"]._cron_check_overdue(**kwargs)
        self.env["complaint.breach.notice"]._cron_send()
        return done

    def commit_tracking(self):
        """Write the tracking messages as a commit would (Odoo tracks changes
        against the values of the previous transaction)."""
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.env.invalidate_all()

    @contextmanager
    def assertRefused(self, exception, pattern):
        """assertRaises (which rolls back to a savepoint, unlike unittest's
        assertRaisesRegex) plus a check of the message the user reads."""
        with self.assertRaises(exception) as caught:
            yield caught
        self.assertRegex(str(caught.exception), pattern)

    def new_complaint(self, user=None, **vals):
        """Register a complaint as ``user`` (the advisor by default), now."""
        values = {
            "partner_id": self.customer.id,
            "channel": "walk_in",
            "description": "The air conditioning still blows warm air.",
            "team_id": self.service.id,
        }
        values.update(vals)
        return self.env["complaint.complaint"].with_user(user or self.advisor).create(values)

    def step(self, complaint, code, round_number=None):
        complaint.invalidate_recordset()
        return complaint.step_ids.filtered(
            lambda s: s.code == code and s.round == (round_number or complaint.round)
        )

    def run_to_solution(self, complaint, start=T0):
        """Drive a complaint on time from registration to 'awaiting confirmation'."""
        with freeze_time(start):
            complaint.with_user(self.advisor).action_send_to_manager()
        with freeze_time(start.replace(minute=start.minute + 20)):
            complaint.with_user(self.manager).write({"user_id": self.advisor2.id})
            complaint.with_user(self.manager).action_dispatch()
        with freeze_time(start.replace(hour=start.hour + 3)):
            complaint.with_user(self.advisor2).write(
                {
                    "cause": "other",
                    "cause_analysis": "Refrigerant leak at the condenser.",
                    "solution": "Replace the condenser under warranty.",
                    "date_customer_contacted": start.replace(hour=start.hour + 3),
                }
            )
            complaint.with_user(self.advisor2).action_propose_solution()


class RealTransactionsCase(TransactionCase):
    """Tests of concurrency: each cursor() is a real transaction on a
    connection of its own (not the test's cursor, which the registry hands
    out while the HTTP test server runs); what they commit, the test's
    cleanups remove."""

    def setUp(self):
        super().setUp()
        self.dbname = self.env.cr.dbname

    def cursor(self):
        return db_connect(self.dbname).cursor()
