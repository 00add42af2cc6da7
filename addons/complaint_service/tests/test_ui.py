import functools
from datetime import timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command, fields
from odoo.tests import HttpCase, new_test_user, tagged

from .common import load_language

LANGUAGES = ("en_US", "zh_CN")


def awaiting_confirmation(env, suffix, customer_name, mobile):
    """A complaint whose solution was communicated five hours ago, so that its
    4-hour confirmation call is overdue; returns (agent, complaint)."""
    agent = new_test_user(
        env,
        f"tour_agent_{suffix}",
        groups="complaint_service.group_complaint_callback",
        name="Tour Agent",
        lang=suffix if suffix in ("en_US", "zh_CN") else "en_US",
    )
    manager = new_test_user(
        env, f"tour_manager2_{suffix}", groups="complaint_service.group_complaint_manager"
    )
    team = env["complaint.team"].create({"name": "Tour Service", "manager_id": manager.id})
    customer = env["res.partner"].create({"name": customer_name, "mobile": mobile})
    with freeze_time(fields.Datetime.now() - timedelta(hours=5)):
        complaint = env["complaint.complaint"].create(
            {
                "partner_id": customer.id,
                "description": "Noise from the front axle.",
                "team_id": team.id,
                "callback_user_id": agent.id,
                "cause": "other",
            }
        )
        complaint.action_send_to_manager()
        complaint.write({"user_id": manager.id})
        complaint.action_dispatch()
        complaint.write(
            {
                "cause_analysis": "Loose heat shield.",
                "solution": "Tighten the heat shield.",
                "date_customer_contacted": fields.Datetime.now(),
            }
        )
        complaint.action_propose_solution()
    return agent, complaint


class LanguageTours(HttpCase):
    """Tours that also run with the user in Chinese, where they check text."""

    def in_languages(self, run):
        """``run(lang, suffix)`` with the user in English, then in Chinese
        (the Chinese tours are named with the ``_zh`` suffix)."""
        for lang in LANGUAGES:
            with self.subTest(lang=lang):
                if lang != "en_US":
                    load_language(self.env, lang)
                run(lang, "" if lang == "en_US" else "_zh")


@tagged("post_install", "-at_install")
class TestComplaintTours(LanguageTours):
    def test_advisor_registers_complaint_from_repair_order(self):
        self.in_languages(self._register_from_repair)

    def _register_from_repair(self, lang, suffix):
        advisor = new_test_user(
            self.env,
            f"tour_advisor_{lang}",
            groups="complaint_service.group_complaint_user",
            name="Tour Advisor",
            lang=lang,
        )
        team = self.env["complaint.team"].create(
            {"name": "Tour Service Desk", "member_ids": [(6, 0, advisor.ids)]}
        )
        customer = self.env["res.partner"].create({"name": "Tour Customer Ma"})
        repair = self.env["repair.order"].create({"partner_id": customer.id})
        self.start_tour(
            f"/odoo/action-repair.action_repair_order_tree/{repair.id}",
            f"complaint_service_register_from_repair{suffix}",
            login=advisor.login,
        )
        complaint = self.env["complaint.complaint"].search([("repair_ids", "in", repair.ids)])
        self.assertEqual(len(complaint), 1)
        self.assertRecordValues(
            complaint,
            [
                {
                    "partner_id": customer.id,
                    "first_responder_id": advisor.id,
                    "current_step": "escalate",
                    "team_id": team.id,
                }
            ],
        )

    def test_advisor_registers_complaint_from_the_customers_form(self):
        advisor = new_test_user(
            self.env,
            "tour_advisor_customer",
            groups="complaint_service.group_complaint_user",
            name="Tour Advisor Lu",
        )
        team = self.env["complaint.team"].create(
            {"name": "Tour Service Desk", "member_ids": [(6, 0, advisor.ids)]}
        )
        customer = self.env["res.partner"].create({"name": "Tour Customer Lu"})
        product = self.env["product.product"].create({"name": "Tour Sedan", "tracking": "serial"})
        lot = self.env["stock.lot"].create({"name": "LTOUR000000000042", "product_id": product.id})
        self.env["repair.order"].create(
            {"partner_id": customer.id, "product_id": product.id, "lot_id": lot.id}
        )
        self.start_tour(
            f"/odoo/action-base.action_partner_form/{customer.id}",
            "complaint_service_register_from_customer",
            login=advisor.login,
        )
        complaint = self.env["complaint.complaint"].search([("partner_id", "=", customer.id)])
        self.assertRecordValues(
            complaint,
            [{"lot_id": lot.id, "team_id": team.id, "first_responder_id": advisor.id}],
        )

    def test_manager_sees_overdue_in_kanban_list_and_overview(self):
        self.in_languages(self._manager_overdue)

    def _manager_overdue(self, lang, suffix):
        manager = new_test_user(
            self.env,
            f"tour_manager_{lang}",
            groups="complaint_service.group_complaint_manager",
            name="Tour Manager",
            lang=lang,
        )
        team = self.env["complaint.team"].create(
            {
                "name": "Tour Department",
                "manager_id": manager.id,
                "sequence": 0,
            }
        )
        now = fields.Datetime.now()
        Complaint = self.env["complaint.complaint"]
        # Registered 40 minutes ago and not sent to the manager: overdue by 10 min.
        with freeze_time(now - timedelta(minutes=40)):
            Complaint.create(
                {
                    "partner_id": self.env["res.partner"]
                    .create({"name": "Tour Overdue Customer"})
                    .id,
                    "description": "Nobody called back.",
                    "team_id": team.id,
                }
            )
        # Registered 10 minutes ago: 20 minutes left.
        with freeze_time(now - timedelta(minutes=10)):
            Complaint.create(
                {
                    "partner_id": self.env["res.partner"]
                    .create({"name": "Tour Due Soon Customer"})
                    .id,
                    "description": "Dirty seats.",
                    "team_id": team.id,
                }
            )
        self.start_tour(
            "/odoo/action-complaint_service.complaint_complaint_action",
            f"complaint_service_manager_overdue{suffix}",
            login=manager.login,
        )

    def test_the_kanban_asks_its_columns_and_their_cards_at_once(self):
        """The columns come with their first 40 cards in one request; only
        "Load more" asks for cards again."""
        advisor = new_test_user(
            self.env, "tour_kanban_advisor", groups="complaint_service.group_complaint_user"
        )
        manager = new_test_user(
            self.env, "tour_kanban_manager", groups="complaint_service.group_complaint_manager"
        )
        team = self.env["complaint.team"].create(
            {
                "name": "Kanban Department",
                "manager_id": manager.id,
                "member_ids": [Command.link(advisor.id)],
            }
        )
        Complaint = self.env["complaint.complaint"].with_user(advisor)
        now = fields.Datetime.now()
        for index in range(1, 46):
            customer = self.env["res.partner"].create({"name": f"Kanban Customer {index:02d}"})
            Complaint.create(
                {
                    "partner_id": customer.id,
                    "description": "Rattle in the dashboard.",
                    "team_id": team.id,
                    "date_received": now - timedelta(minutes=46 - index),
                }
            )
        for index in (1, 2):
            customer = self.env["res.partner"].create({"name": f"Kanban Sent {index}"})
            Complaint.create(
                {"partner_id": customer.id, "description": "Wet carpet.", "team_id": team.id}
            ).action_send_to_manager()
        model = type(self.env["complaint.complaint"])
        asked = []

        def record(method, limit):
            def wrapper(self, *args, **kwargs):
                asked.append((method.__name__, kwargs.get(limit)))
                return method(self, *args, **kwargs)

            return functools.wraps(method)(wrapper)

        with (
            patch.object(model, "web_search_read", record(model.web_search_read, "limit")),
            patch.object(
                model,
                "web_read_group",
                record(model.web_read_group, "unfold_read_default_limit"),
            ),
        ):
            self.start_tour(
                "/odoo/action-complaint_service.complaint_complaint_action",
                "complaint_service_kanban_columns",
                login=advisor.login,
            )
        self.assertEqual(
            asked,
            [("web_read_group", 40), ("web_search_read", 80)],
            "the columns with their cards, then the next page of one column",
        )

    def test_callback_agent_logs_dissatisfied_and_complaint_reenters_the_clock(self):
        self.in_languages(
            lambda lang, suffix: self._callback_tour(
                lang, f"complaint_service_callback_dissatisfied{suffix}"
            )
        )

    def _callback_tour(self, lang, tour):
        agent, complaint = awaiting_confirmation(
            self.env, lang, "Tour Callback Customer", "+86 138 0000 9999"
        )
        self.start_tour(
            "/odoo",
            tour,
            login=agent.login,
        )
        self.assertRecordValues(
            complaint,
            [
                {
                    "state": "submitted",
                    "round": 2,
                    "current_step": "dispatch",
                    "is_repeat": True,
                }
            ],
        )
        callback = complaint.callback_ids.filtered(lambda c: c.kind == "confirmation")
        self.assertRecordValues(
            callback, [{"state": "done", "outcome": "dissatisfied", "score": "1"}]
        )

    def _escalated_complaint(self, gm, lang):
        """A complaint whose second breach (dispatch, two days ago) reached
        the general managers."""
        manager = new_test_user(
            self.env, f"tour_gm_manager_{lang}", groups="complaint_service.group_complaint_manager"
        )
        team = self.env["complaint.team"].create(
            {
                "name": f"Tour GM Department {lang}",
                "manager_id": manager.id,
                "company_id": gm.company_id.id,
            }
        )
        start = fields.Datetime.now() - timedelta(days=2)
        Complaint = self.env["complaint.complaint"]
        with freeze_time(start):
            complaint = Complaint.create(
                {
                    "partner_id": self.env["res.partner"]
                    .create({"name": "Tour Escalated Customer"})
                    .id,
                    "description": "The car was returned dirty.",
                    "team_id": team.id,
                }
            )
        with freeze_time(start + timedelta(minutes=31)):
            Complaint._cron_check_overdue()
            self.env["complaint.breach.notice"]._cron_send()
        with freeze_time(start + timedelta(minutes=40)):
            complaint.action_send_to_manager()
        with freeze_time(start + timedelta(hours=3)):
            Complaint._cron_check_overdue()
            self.env["complaint.breach.notice"]._cron_send()
        return complaint

    def test_general_manager_finds_late_escalations_with_their_reason(self):
        self.in_languages(self._gm_escalation)

    def _gm_escalation(self, lang, suffix):
        gm = new_test_user(
            self.env,
            f"tour_gm_{lang}",
            groups="complaint_service.group_complaint_general_manager",
            name=f"Tour General Manager {lang}",
            lang=lang,
        )
        self._escalated_complaint(gm, lang)
        self.start_tour("/odoo", f"complaint_service_gm_escalation{suffix}", login=gm.login)


@tagged("post_install", "-at_install")
class TestPhoneTours(LanguageTours):
    """Each role's work on a phone (375×667, touch), as Odoo's mobile tests run."""

    browser_size = "375x667"
    touch_enabled = True

    def test_callback_agent_logs_a_call_from_a_card(self):
        self.in_languages(self._log_from_a_card)

    def _log_from_a_card(self, lang, suffix):
        agent, complaint = awaiting_confirmation(
            self.env, lang, "Tour Phone Customer", "+86 139 0000 7777"
        )
        self.start_tour(
            "/odoo/action-complaint_service.complaint_callback_action",
            f"complaint_service_phone_callback{suffix}",
            login=agent.login,
        )
        self.assertEqual(complaint.state, "closed")

    def test_advisor_registers_a_complaint_and_sends_it_on(self):
        self.in_languages(self._phone_register)

    def _phone_register(self, lang, suffix):
        advisor = new_test_user(
            self.env,
            f"phone_advisor_{lang}",
            groups="complaint_service.group_complaint_user",
            lang=lang,
        )
        manager = new_test_user(
            self.env,
            f"phone_lane_manager_{lang}",
            groups="complaint_service.group_complaint_manager",
        )
        self.env["complaint.team"].create(
            {"name": "Phone Lane", "manager_id": manager.id, "member_ids": advisor.ids}
        )
        # The same customer and vehicle in both languages' runs.
        lot = self.env["stock.lot"].search([("name", "=", "LPHON000000088001")])
        if not lot:
            sedan = self.env["product.product"].create(
                {"name": "Phone Sedan", "tracking": "serial", "is_vehicle": True}
            )
            lot = self.env["stock.lot"].create(
                {
                    "name": "LPHON000000088001",
                    "product_id": sedan.id,
                    "license_plate": "苏E·88001",
                    "vehicle_owner_id": self.env["res.partner"]
                    .create({"name": "Phone Owner Gao"})
                    .id,
                }
            )
        owner = lot.vehicle_owner_id
        self.start_tour(
            "/odoo/action-complaint_service.complaint_complaint_action/new",
            f"complaint_service_phone_register{suffix}",
            login=advisor.login,
        )
        complaint = self.env["complaint.complaint"].search(
            [("first_responder_id", "=", advisor.id)]
        )
        self.assertRecordValues(
            complaint,
            [
                {
                    "partner_id": owner.id,
                    "lot_id": lot.id,
                    "license_plate": lot.license_plate,
                    "current_step": "dispatch",
                }
            ],
        )

    def test_manager_finds_the_most_overdue_first_on_a_phone(self):
        self.in_languages(self._phone_overdue)

    def _phone_overdue(self, lang, suffix):
        manager = new_test_user(
            self.env,
            f"phone_manager_{lang}",
            groups="complaint_service.group_complaint_manager",
            lang=lang,
        )
        responsible = new_test_user(
            self.env,
            f"phone_responsible_{lang}",
            groups="complaint_service.group_complaint_user",
            name=f"Phone Responsible {lang}",
        )
        team = self.env["complaint.team"].create(
            {"name": "Phone Desk", "manager_id": manager.id, "member_ids": responsible.ids}
        )
        now = fields.Datetime.now()
        Complaint = self.env["complaint.complaint"]
        # Registered 40 minutes ago and not sent on: 10 minutes overdue.
        with freeze_time(now - timedelta(minutes=40)):
            Complaint.create(
                {
                    "partner_id": self.env["res.partner"]
                    .create({"name": "Phone Overdue Short"})
                    .id,
                    "description": "Waited too long.",
                    "team_id": team.id,
                    "license_plate": "沪A·12345",
                }
            )
        # Sent to the manager 4 h 50 ago: its dispatch is 2 h 50 overdue.
        with freeze_time(now - timedelta(hours=5)):
            long = Complaint.create(
                {
                    "partner_id": self.env["res.partner"].create({"name": "Phone Overdue Long"}).id,
                    "description": "Nobody called back.",
                    "team_id": team.id,
                    "license_plate": "沪A·54321",
                }
            )
        with freeze_time(now - timedelta(hours=4, minutes=50)):
            long.action_send_to_manager()
        self.start_tour(
            "/odoo/action-complaint_service.complaint_complaint_action_overdue",
            f"complaint_service_phone_overdue{suffix}",
            login=manager.login,
        )
        self.assertRecordValues(long, [{"state": "in_progress", "user_id": responsible.id}])

    def test_general_manager_reads_escalations_on_a_phone(self):
        self.in_languages(self._gm_escalation)

    _gm_escalation = TestComplaintTours._gm_escalation
    _escalated_complaint = TestComplaintTours._escalated_complaint


@tagged("post_install", "-at_install")
class TestTabletTours(HttpCase):
    """The lists in the service lane's tablet (820×1180, touch)."""

    browser_size = "820x1180"
    touch_enabled = True

    def test_advisor_list_fits_a_tablet(self):
        advisor = new_test_user(
            self.env, "tablet_advisor", groups="complaint_service.group_complaint_user"
        )
        team = self.env["complaint.team"].create({"name": "Tablet Desk", "member_ids": advisor.ids})
        with freeze_time(fields.Datetime.now() - timedelta(minutes=96)):
            self.env["complaint.complaint"].with_user(advisor).create(
                {
                    "partner_id": self.env["res.partner"].create({"name": "Tablet Customer"}).id,
                    "description": "The seat heating does not work.",
                    "team_id": team.id,
                    "license_plate": "沪A·66666",
                }
            )
        self.start_tour(
            "/odoo/action-complaint_service.complaint_complaint_action?view_type=list",
            "complaint_service_tablet_list",
            login=advisor.login,
        )

    def test_callback_queue_fits_a_tablet(self):
        agent, _complaint = awaiting_confirmation(
            self.env, "tablet", "Tablet Callback Customer", "+86 134 0000 1006"
        )
        self.start_tour(
            "/odoo/action-complaint_service.complaint_callback_action",
            "complaint_service_tablet_callbacks",
            login=agent.login,
        )
