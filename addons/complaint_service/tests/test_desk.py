"""The service desk's day (issue 14): a department on every complaint, the
people of the department first in the pickers, a complaint registered from
the customer's form, a queue of calls that shows what is late."""

from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common import T0, ComplaintCase, load_language


@tagged("post_install", "-at_install")
class TestDesk(ComplaintCase):
    def test_a_complaint_takes_the_department_of_its_repair_order_or_its_advisor(self):
        repair = self.env["repair.order"].create(
            {"partner_id": self.customer.id, "user_id": self.advisor2.id}
        )
        from_repair = self.new_complaint(
            user=self.outsider, team_id=False, repair_ids=[(6, 0, repair.ids)]
        )
        self.assertEqual(from_repair.team_id, self.service, "the repair's advisor's department")
        own = self.new_complaint(user=self.outsider, team_id=False)
        self.assertEqual(own.team_id, self.sales, "the department of who heard it")
        # The form shows it before saving, so that nobody learns it at sending.
        form = Form(self.env["complaint.complaint"].with_user(self.outsider))
        self.assertEqual(form.team_id, self.sales)
        form = Form(
            self.env["complaint.complaint"]
            .with_user(self.outsider)
            .with_context(default_repair_ids=[repair.id])
        )
        self.assertEqual(form.team_id, self.service)

    def test_no_complaint_without_a_department(self):
        loner = new_test_user(self.env, "cs_loner", groups="complaint_service.group_complaint_user")
        Complaint = self.env["complaint.complaint"]
        with self.assertRefused(ValidationError, "Department: choose the department"):
            self.new_complaint(user=loner, team_id=False)
        self.assertFalse(Complaint.search([("first_responder_id", "=", loner.id)]))
        complaint = self.new_complaint()
        with self.assertRefused(ValidationError, "Department: a complaint cannot be left"):
            complaint.with_user(self.manager).write({"team_id": False})
        self.assertEqual(complaint.team_id, self.service)

    def test_a_complaint_born_at_a_callback_has_a_department(self):
        # The agent belongs to no department.
        repair = self.env["repair.order"].create(
            {"partner_id": self.customer.id, "user_id": self.advisor.id}
        )
        repair.write({"state": "done", "date_done": T0 - timedelta(days=4)})
        orphan = self.env["repair.order"].create({"partner_id": self.customer.id})
        orphan.write({"state": "done", "date_done": T0 - timedelta(days=4)})
        Team = self.env["complaint.team"]
        care = Team.search(
            [("kind", "=", "customer_care"), ("company_id", "=", self.company.id)], limit=1
        ) or Team.create({"name": "Customer care", "kind": "customer_care", "sequence": 99})
        Callback = self.env["complaint.callback"]
        with freeze_time(T0):
            Callback._cron_create_routine_callbacks()
        for repair_order, team in ((repair, self.service), (orphan, care)):
            callback = Callback.search([("repair_id", "=", repair_order.id)])
            with freeze_time(T0 + timedelta(hours=1)):
                callback.write({"user_id": self.agent.id})
                self.env["complaint.callback.log.wizard"].with_user(self.agent).create(
                    {
                        "callback_id": callback.id,
                        "reached": "yes",
                        "outcome": "dissatisfied",
                        "score": "2",
                    }
                ).action_log()
            self.assertEqual(callback.complaint_id.team_id, team)

    def test_the_people_pickers_offer_the_department_first(self):
        # Alphabetically, someone of another department would come first.
        aaron = new_test_user(
            self.env, "cs_aaron", groups="complaint_service.group_complaint_user", name="Aaron Ma"
        )
        members = {self.manager.id, self.advisor.id, self.advisor2.id}
        offered = (
            self.env["res.users"]
            .with_user(self.manager)
            .with_context(complaint_team_id=self.service.id)
            .name_search("", [("share", "=", False)], limit=1000)
        )
        ids = [user_id for user_id, _name in offered]
        self.assertEqual(set(ids[:3]), members, "the department's manager and members first")
        self.assertIn(self.outsider.id, ids[3:], "then everyone else")
        self.assertIn(aaron.id, ids[3:])
        self.assertEqual(len(ids), len(set(ids)))
        # A search by name still finds only who matches.
        offered = (
            self.env["res.users"]
            .with_context(complaint_team_id=self.service.id)
            .name_search("Zhao")
        )
        self.assertEqual([user_id for user_id, _name in offered], [self.outsider.id])

    def test_the_phone_pickers_dialog_lists_the_department_first_page_by_page(self):
        # On a phone the picker is a search dialog: web_search_read, by pages.
        for index in range(3):
            new_test_user(
                self.env,
                f"cs_aa{index}",
                groups="complaint_service.group_complaint_user",
                name=f"Aa Early {index}",
            )
        Users = (
            self.env["res.users"]
            .with_user(self.manager)
            .with_context(complaint_team_id=self.service.id)
        )
        domain = [("share", "=", False)]
        spec = {"display_name": {}}
        members = {self.manager.id, self.advisor.id, self.advisor2.id}
        page1 = Users.web_search_read(domain, spec, offset=0, limit=2)
        page2 = Users.web_search_read(domain, spec, offset=2, limit=2)
        ids = [r["id"] for r in page1["records"] + page2["records"]]
        self.assertEqual(set(ids[:3]), members, "the department's manager and members first")
        self.assertNotIn(ids[3], members)
        total = Users.search_count(domain)
        self.assertEqual(page1["length"], total)
        everyone = Users.web_search_read(domain, spec, offset=0, limit=None)["records"]
        self.assertEqual(len(everyone), total)
        self.assertEqual(len({r["id"] for r in everyone}), total, "nobody twice")
        # Sorted by the user: their order.
        by_name = Users.web_search_read(domain, spec, limit=3, order="name")["records"]
        self.assertEqual(
            [r["id"] for r in by_name], Users.search(domain, limit=3, order="name").ids
        )

    def test_the_people_pickers_offer_no_portal_user(self):
        portal = new_test_user(self.env, "cs_portal", groups="base.group_portal")
        domain = self.env["complaint.complaint"]._fields["user_id"]._description_domain(self.env)
        self.assertIn("('share', '=', False)", str(domain))
        self.assertNotIn(portal, self.env["res.users"].search([("share", "=", False)]))

    def test_the_customer_form_registers_a_complaint_about_their_vehicle(self):
        product = self.env["product.product"].create({"name": "Sedan", "tracking": "serial"})
        lots = self.env["stock.lot"].create(
            [{"name": vin, "product_id": product.id} for vin in ("LSVAA000000000001", "LSVAA2")]
        )
        self.env["repair.order"].create(
            {"partner_id": self.customer.id, "product_id": product.id, "lot_id": lots[0].id}
        )
        action = self.customer.with_user(self.advisor).action_register_complaint()
        self.assertEqual(action["res_model"], "complaint.complaint")
        self.assertEqual(action["context"]["default_partner_id"], self.customer.id)
        self.assertEqual(action["context"]["default_lot_id"], lots[0].id)
        form = Form(
            self.env["complaint.complaint"]
            .with_user(self.advisor)
            .with_context(**action["context"])
        )
        form.description = "The engine light is on again."
        complaint = form.save()
        self.assertRecordValues(
            complaint,
            [{"partner_id": self.customer.id, "lot_id": lots[0].id, "team_id": self.service.id}],
        )
        # Two vehicles: the advisor chooses.
        self.env["repair.order"].create(
            {"partner_id": self.customer.id, "product_id": product.id, "lot_id": lots[1].id}
        )
        action = self.customer.with_user(self.advisor).action_register_complaint()
        self.assertNotIn("default_lot_id", action["context"])

    def _vehicle_picker(self, user, customer=None):
        """stock.lot as the complaint form's Vehicle field asks it: the field's
        domain and context."""
        field = self.env["complaint.complaint"]._fields["lot_id"]
        context = {"complaint_vehicle": True}
        if customer:
            context["complaint_vehicle_owner_id"] = customer.id
        Lot = self.env["stock.lot"].with_user(user).with_context(**context)
        return Lot, field.domain

    def test_the_vehicle_picker_offers_vehicles_by_plate_vin_model_and_owner(self):
        Product = self.env["product.product"]
        sedan = Product.create({"name": "Sedan L", "tracking": "serial", "is_vehicle": True})
        sofa = Product.create({"name": "Waiting-room sofa", "tracking": "serial"})
        other = self.env["res.partner"].create({"name": "Another Owner"})
        Lot = self.env["stock.lot"]
        mine = Lot.create(
            {
                "name": "LSVCC000000000001",
                "product_id": sedan.id,
                "license_plate": "沪A·77001",
                "vehicle_owner_id": self.customer.id,
            }
        )
        theirs = Lot.create(
            {
                "name": "LSVCC000000000002",
                "product_id": sedan.id,
                "license_plate": "沪A·77002",
                "vehicle_owner_id": other.id,
            }
        )
        sofa_lot = Lot.create({"name": "SOFA-77001", "product_id": sofa.id})
        Picker, domain = self._vehicle_picker(self.advisor)
        # Found by plate and by VIN; furniture is not a vehicle.
        found = dict(Picker.name_search("77001", domain))
        self.assertEqual(list(found), [mine.id])
        self.assertEqual(
            found[mine.id], "沪A·77001 · LSVCC000000000001 · Sedan L · " + self.customer.name
        )
        self.assertEqual(
            [i for i, _n in Picker.name_search("LSVCC000000000002", domain)], theirs.ids
        )
        self.assertNotIn(sofa_lot.id, dict(Picker.name_search("", domain, limit=1000)))
        self.assertIn(sofa_lot.id, dict(Picker.name_search("SOFA", [])), "without the domain")
        # Elsewhere a lot reads as stock knows it.
        self.assertEqual(mine.with_user(self.advisor).display_name, "LSVCC000000000001")
        # The customer's own vehicles come first.
        Picker, domain = self._vehicle_picker(self.advisor, customer=other)
        ids = [i for i, _n in Picker.name_search("LSVCC", domain)]
        self.assertEqual(ids, [theirs.id, mine.id])
        # The picker's own views show the four.
        views = Picker.with_context(
            list_view_ref="complaint_service.stock_lot_view_list_vehicle",
            kanban_view_ref="complaint_service.stock_lot_view_kanban_vehicle",
        ).get_views([(False, "list"), (False, "kanban")])
        for view_type in ("list", "kanban"):
            arch = views["views"][view_type]["arch"]
            for fname in ("license_plate", "name", "product_id", "vehicle_owner_id"):
                self.assertIn(f'name="{fname}"', arch, f"{view_type}: {fname}")

    def test_a_complaint_fills_in_the_vehicle_register(self):
        sedan = self.env["product.product"].create(
            {"name": "Sedan L", "tracking": "serial", "is_vehicle": True}
        )
        Lot = self.env["stock.lot"]
        lot = Lot.create({"name": "LSVDD000000000001", "product_id": sedan.id})
        complaint = self.new_complaint(lot_id=lot.id, license_plate="粤B·30001")
        self.assertRecordValues(
            lot, [{"license_plate": "粤B·30001", "vehicle_owner_id": self.customer.id}]
        )
        # Next time the plate comes from the register.
        again = self.new_complaint(lot_id=lot.id)
        self.assertEqual(again.license_plate, "粤B·30001")
        # What the register knows is never overwritten by a complaint.
        other = self.env["res.partner"].create({"name": "Borrower"})
        complaint.with_user(self.manager).write(
            {"partner_id": other.id, "license_plate": "粤B·39999"}
        )
        self.assertRecordValues(
            lot, [{"license_plate": "粤B·30001", "vehicle_owner_id": self.customer.id}]
        )
        # The customer's form proposes the vehicle they own.
        action = self.customer.with_user(self.advisor).action_register_complaint()
        self.assertEqual(action["context"].get("default_lot_id"), lot.id)

    def test_a_confirmation_call_is_due_when_the_confirmation_is(self):
        with freeze_time(T0):
            complaint = self.new_complaint(callback_user_id=self.agent.id)
        self.run_to_solution(complaint)
        callback = complaint.callback_ids.filtered(lambda c: c.kind == "confirmation")
        confirm = self.step(complaint, "confirm")
        self.assertEqual(callback.date_due, confirm.date_deadline)
        # The customer is abroad for a day: the clock pauses, and the call waits.
        with freeze_time(T0 + timedelta(hours=4)):
            complaint.with_user(self.advisor2)._pause("customer", "Abroad until tomorrow")
        with freeze_time(T0 + timedelta(hours=28)):
            complaint.with_user(self.advisor2).action_resume()
        self.assertEqual(confirm.date_deadline, T0 + timedelta(hours=31))
        self.assertEqual(callback.date_due, confirm.date_deadline, "the call follows")
        with freeze_time(T0 + timedelta(hours=32)):
            self.assertTrue(callback.is_overdue)
            self.assertFalse(callback.is_due_soon)

    def test_the_queue_lists_the_calls_to_make_first(self):
        with freeze_time(T0):
            complaints = self.new_complaint(callback_user_id=self.agent.id)
            complaints |= self.new_complaint(callback_user_id=self.agent.id)
        for complaint in complaints:
            self.run_to_solution(complaint)
        first, second = complaints.callback_ids
        with freeze_time(T0 + timedelta(hours=4)):
            self.env["complaint.callback.log.wizard"].with_user(self.agent).create(
                {"callback_id": first.id, "reached": "yes", "outcome": "satisfied", "score": "5"}
            ).action_log()
        self.assertFalse(first.is_open)
        self.assertTrue(second.is_open)
        arch = self.env["complaint.callback"].get_view(view_type="list")["arch"]
        self.assertIn('default_order="is_open desc, date_due"', arch)
        queue = self.env["complaint.callback"].search(
            [("id", "in", (first | second).ids)], order="is_open desc, date_due"
        )
        self.assertEqual(queue.ids, [second.id, first.id])

    def test_borrowed_lists_and_warning_names_read_in_the_readers_language(self):
        load_language(self.env, "zh_CN")

        def labels(model, fname, lang):
            env = self.env(context=dict(self.env.context, lang=lang))
            return dict(env[model].fields_get([fname])[fname]["selection"])

        pauses = labels("complaint.pause.wizard", "reason_type", "zh_CN")
        self.assertEqual(pauses, labels("complaint.pause", "reason_type", "zh_CN"))
        self.assertNotEqual(pauses, labels("complaint.pause", "reason_type", "en_US"))
        causes = labels("complaint.early.warning", "cause", "zh_CN")
        self.assertEqual(causes, labels("complaint.complaint", "cause", "zh_CN"))
        product = self.env["product.product"].create({"name": "Sedan X"})
        warning = self.env["complaint.early.warning"].create(
            {"company_id": self.company.id, "cause": "other", "vehicle_model_id": product.id}
        )
        for lang in ("en_US", "zh_CN"):
            name = warning.with_context(lang=lang).display_name
            self.assertEqual(
                name, f"{labels('complaint.complaint', 'cause', lang)['other']} · Sedan X"
            )
