import json
from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import HttpCase, tagged

from .common import T0, ComplaintCase

# 100 KB: more than a btree index row holds (about 2.7 KB).
HUGE = "A" * 100_000


@tagged("post_install", "-at_install")
class TestBadInput(ComplaintCase):
    def setUp(self):
        super().setUp()
        self.count = self.env["complaint.complaint"].search_count([])

    def assertNothingWritten(self, complaint=None, **values):
        """No complaint was added, and ``complaint`` kept ``values``."""
        self.assertEqual(self.env["complaint.complaint"].search_count([]), self.count)
        if complaint:
            complaint.invalidate_recordset()
            self.assertRecordValues(complaint, [values])

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
            nobody = self.env["complaint.team"].create({"name": "Department without a manager"})
            complaint = self.new_complaint(team_id=nobody.id)
            with self.assertRefused(UserError, "Department: choose a department with a manager"):
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

    def test_customer_words_cannot_be_empty(self):
        for words in ("", "   ", " \n\t ", False):
            with self.assertRefused(ValidationError, "^Customer's Words: .*cannot be empty"):
                self.new_complaint(description=words)
        values = {"partner_id": self.customer.id, "channel": "walk_in"}
        with self.assertRefused(ValidationError, "^Customer's Words"):
            self.env["complaint.complaint"].with_user(self.advisor).create(values)
        self.assertNothingWritten()
        complaint = self.new_complaint(description="  The horn is too quiet.\n")
        self.assertEqual(complaint.description, "  The horn is too quiet.\n", "verbatim")
        self.count += 1
        for words in ("  ", False):
            with self.assertRefused(ValidationError, "^Customer's Words"):
                complaint.with_user(self.advisor).write({"description": words})
        self.assertNothingWritten(complaint, description="  The horn is too quiet.\n")

    def test_vin_is_seventeen_letters_and_digits_without_i_o_q(self):
        complaint = self.new_complaint(vin=" lsvam4187c2 180001 ")
        self.assertEqual(complaint.vin, "LSVAM4187C2180001", "capitals, no spaces")
        self.count += 1
        for vin, message in (
            ("LSVAM4187C218000", "has 17 characters; “LSVAM4187C218000” has 16"),
            ("LSVAM4187C21800011", "has 18"),
            ("LSVAM4187I2180001", "never I, O or Q"),
            ("LSVAM4187O2180001", "never I, O or Q"),
            ("LSVAQ4187C2180001", "never I, O or Q"),
            ("LSVAM4187C-218000", "only letters and digits"),
            ("LSVAM4187C2180ä01", "only letters and digits"),
            (HUGE, "“A{17}…” has 100000"),
        ):
            with self.assertRefused(ValidationError, "^VIN: .*" + message):
                self.new_complaint(vin=vin)
            with self.assertRefused(ValidationError, "^VIN: "):
                complaint.with_user(self.advisor).write({"vin": vin})
        self.assertNothingWritten(complaint, vin="LSVAM4187C2180001")
        complaint.with_user(self.advisor).vin = False
        self.assertFalse(complaint.vin, "the VIN stays optional")

    def test_vin_from_the_vehicle(self):
        sedan = self.env["product.product"].create(
            {"name": "Sedan", "is_storable": True, "tracking": "serial"}
        )
        lots = self.env["stock.lot"].create(
            [
                {"name": "LSVAM4187C2180002", "product_id": sedan.id},
                {"name": "BATTERY-2026-0001", "product_id": sedan.id},
            ]
        )
        self.assertEqual(self.new_complaint(lot_id=lots[0].id).vin, "LSVAM4187C2180002")
        # A serial number that is no VIN (a part's) does not block the complaint.
        complaint = self.new_complaint(lot_id=lots[1].id)
        self.assertRecordValues(complaint, [{"lot_id": lots[1].id, "vin": False}])

    def test_plate_has_at_most_twenty_characters(self):
        complaint = self.new_complaint(license_plate=" 京A·12345 ")
        self.assertEqual(complaint.license_plate, "京A·12345", "stripped")
        self.count += 1
        self.new_complaint(license_plate="X" * 20)
        self.count += 1
        for plate, count in (("X" * 21, 21), (HUGE, 100000)):
            message = f"^Plate: a plate has at most 20 characters, not {count}"
            with self.assertRefused(ValidationError, message):
                self.new_complaint(license_plate=plate)
            with self.assertRefused(ValidationError, message):
                complaint.with_user(self.advisor).write({"license_plate": plate})
        self.assertNothingWritten(complaint, license_plate="京A·12345")

    def test_odometer_within_what_a_vehicle_shows(self):
        complaint = self.new_complaint(odometer=2_000_000)
        self.count += 1
        for km, message in (
            (2_000_001, "2,000,001 km is more than a vehicle can show \\(2,000,000 km\\)"),
            (10**12, "1,000,000,000,000 km"),
            (2**31, "2,147,483,648 km"),
            (-1, "cannot be negative"),
            ("12 km", "whole number"),
        ):
            with self.assertRefused(ValidationError, "^Odometer \\(km\\)[: ].*" + message):
                self.new_complaint(odometer=km)
            with self.assertRefused(ValidationError, "^Odometer \\(km\\)"):
                complaint.with_user(self.advisor).write({"odometer": km})
        self.assertNothingWritten(complaint, odometer=2_000_000)

    def test_customer_must_exist(self):
        gone = self.env["res.partner"].create({"name": "Customer Gone"})
        gone_id = gone.id
        gone.unlink()
        complaint = self.new_complaint()
        self.count += 1
        for partner_id in (gone_id, 2**31 - 1):
            with self.assertRefused(UserError, "^Customer: the customer does not exist"):
                self.new_complaint(partner_id=partner_id)
            with self.assertRefused(UserError, "^Customer: the customer does not exist"):
                complaint.with_user(self.advisor).write({"partner_id": partner_id})
        self.assertNothingWritten(complaint, partner_id=self.customer.id)


@tagged("post_install", "-at_install")
class TestBadInputOverRpc(ComplaintCase, HttpCase):
    """The web client's save (JSON-RPC) meets the same checks: a clear error
    naming the field, nothing written."""

    def call(self, method, args, kwargs=None):
        response = self.url_open(
            f"/web/dataset/call_kw/complaint.complaint/{method}",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "id": 1,
                    "params": {
                        "model": "complaint.complaint",
                        "method": method,
                        "args": args,
                        "kwargs": kwargs or {},
                    },
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        response.raise_for_status()
        return response.json()

    def assertRpcRefused(self, reply, exception, pattern):
        self.assertIn("error", reply, reply.get("result"))
        self.assertEqual(reply["error"]["data"]["name"], f"odoo.exceptions.{exception}")
        self.assertRegex(reply["error"]["data"]["message"], pattern)

    def test_web_save_refuses_out_of_limit_values(self):
        complaint = self.new_complaint(license_plate="京A·12345", odometer=42000)
        Complaint = self.env["complaint.complaint"]
        count = Complaint.search_count([])
        self.authenticate(self.advisor.login, self.advisor.login)
        spec = {"specification": {"license_plate": {}}}
        gone = self.env["res.partner"].create({"name": "Customer Gone"})
        gone_id = gone.id
        gone.unlink()
        for vals, exception, pattern in (
            ({"license_plate": HUGE}, "ValidationError", "^Plate: "),
            ({"vin": HUGE}, "ValidationError", "^VIN: "),
            ({"odometer": 10**12}, "ValidationError", "^Odometer \\(km\\): "),
            ({"description": "   "}, "ValidationError", "^Customer's Words: "),
            ({"partner_id": gone_id}, "UserError", "^Customer: the customer does not exist"),
        ):
            with self.subTest(vals=str(vals)[:40]):
                reply = self.call("web_save", [[complaint.id], vals], spec)
                self.assertRpcRefused(reply, exception, pattern)
                new = {
                    "partner_id": self.customer.id,
                    "description": "Heard at the desk.",
                    "team_id": self.service.id,
                    **vals,
                }
                reply = self.call("web_save", [[], new], spec)
                self.assertRpcRefused(reply, exception, pattern)
        self.assertEqual(Complaint.search_count([]), count)
        complaint.invalidate_recordset()
        self.assertRecordValues(
            complaint,
            [
                {
                    "license_plate": "京A·12345",
                    "vin": False,
                    "odometer": 42000,
                    "partner_id": self.customer.id,
                    "description": "The air conditioning still blows warm air.",
                }
            ],
        )
