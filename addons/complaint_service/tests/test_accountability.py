from datetime import date, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import T0, ComplaintCase


@tagged("post_install", "-at_install")
class TestAccountability(ComplaintCase):
    def breached(self):
        with freeze_time(T0):
            complaint = self.new_complaint()
        with freeze_time(T0 + timedelta(minutes=45)):
            self.sweep_overdue()
        return complaint

    def test_breach_makes_the_first_responder_jointly_liable(self):
        with freeze_time(T0):
            on_time = self.new_complaint()
        with freeze_time(T0 + timedelta(minutes=10)):
            on_time.action_send_to_manager()
        complaint = self.breached()
        self.assertTrue(complaint.joint_liability)
        self.assertFalse(on_time.joint_liability)
        # It counts in the person's statistics.
        counts = dict(
            self.env["complaint.complaint"]._read_group(
                [("joint_liability", "=", True), ("id", "in", (complaint | on_time).ids)],
                ["first_responder_id"],
                ["__count"],
            )
        )
        self.assertEqual(counts, {self.advisor: 1})

    def test_accepted_justification_lifts_joint_liability(self):
        complaint = self.breached()
        with self.assertRefused(UserError, "Justification"):
            complaint.with_user(self.advisor).action_submit_justification()
        complaint.with_user(
            self.advisor
        ).liability_justification = (
            "The customer left before the form could be sent; the manager was told by phone."
        )
        complaint.with_user(self.advisor).action_submit_justification()
        with self.assertRefused(AccessError, "Only a complaint manager"):
            complaint.with_user(self.advisor).action_accept_justification()
        complaint.with_user(self.manager).action_accept_justification()
        self.assertRecordValues(
            complaint, [{"joint_liability": False, "liability_state": "accepted"}]
        )
        # A later breach makes the first responder liable again.
        with freeze_time(T0 + timedelta(minutes=50)):
            complaint.action_send_to_manager()
        with freeze_time(T0 + timedelta(hours=4)):
            self.sweep_overdue()
        self.assertRecordValues(complaint, [{"joint_liability": True, "liability_state": "none"}])

    def test_rejected_justification_keeps_liability(self):
        complaint = self.breached()
        complaint.liability_justification = "Busy."
        complaint.action_submit_justification()
        complaint.with_user(self.manager).action_reject_justification()
        self.assertRecordValues(
            complaint, [{"joint_liability": True, "liability_state": "rejected"}]
        )

    def test_nothing_to_justify_when_on_time(self):
        with freeze_time(T0):
            complaint = self.new_complaint(liability_justification="x")
        with self.assertRefused(UserError, "nothing to justify"):
            complaint.action_submit_justification()

    def test_responsibility_records_are_for_managers_only(self):
        complaint = self.breached()
        Responsibility = self.env["complaint.responsibility"]
        with self.assertRaises(AccessError):
            Responsibility.with_user(self.advisor).create(
                {
                    "complaint_id": complaint.id,
                    "user_id": self.advisor2.id,
                    "kind": "attitude",
                    "penalty_type": "fine",
                    "penalty_amount": 200,
                }
            )
        record = Responsibility.with_user(self.manager).create(
            {
                "complaint_id": complaint.id,
                "user_id": self.advisor2.id,
                "kind": "attitude",
                "penalty_type": "fine",
                "penalty_amount": 200,
                "note": "Second time this month",
            }
        )
        with self.assertRaises(AccessError):
            record.with_user(self.advisor).read(["penalty_amount"])
        with self.assertRaises(AccessError):
            complaint.with_user(self.advisor).read(["responsibility_ids"])
        with self.assertRaises(AccessError):
            Responsibility.with_user(self.agent).search([])
        self.assertEqual(complaint.with_user(self.manager).responsibility_ids, record)

    def test_responsibility_bad_input(self):
        complaint = self.breached()
        Responsibility = self.env["complaint.responsibility"].with_user(self.manager)
        with self.assertRefused(ValidationError, "staff member or the department"):
            Responsibility.create({"complaint_id": complaint.id, "kind": "process"})
        with self.assertRefused(ValidationError, "a fine needs an amount"):
            Responsibility.create(
                {
                    "complaint_id": complaint.id,
                    "team_id": self.service.id,
                    "kind": "process",
                    "penalty_type": "fine",
                }
            )


@tagged("post_install", "-at_install")
class TestWarrantyCheck(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sedan = cls.env["product.product"].create(
            {"name": "Sedan L 2.0T", "is_storable": True, "tracking": "serial"}
        )
        cls.vehicle = cls.env["stock.lot"].create(
            {
                "name": "LSVAM4187C2189999",
                "product_id": cls.sedan.id,
                "vehicle_invoice_date": date(2026, 9, 10),
            }
        )

    def done_repair(self, fault, start, days, major_part=False):
        repair = self.env["repair.order"].create(
            {
                "partner_id": self.customer.id,
                "product_id": self.sedan.id,
                "lot_id": self.vehicle.id,
                "fault_type": fault,
                "schedule_date": start,
                "major_part_replaced": major_part,
            }
        )
        repair.write({"state": "done", "date_done": start + timedelta(days=days)})
        return repair

    def test_brake_failure_within_60_days_gives_replacement_or_refund(self):
        with freeze_time(T0):  # 2026-11-02: day 53 since the invoice
            complaint = self.new_complaint(
                lot_id=self.vehicle.id, odometer=2999, fault_type="brakes"
            )
        self.assertIn("Replacement or refund is due", complaint.warranty_check)
        self.assertIn("53 days since the invoice", complaint.warranty_check)
        complaint.odometer = 3000
        self.assertNotIn("Replacement or refund is due", complaint.warranty_check)
        self.assertIn("Within warranty", complaint.warranty_check)

    def test_repair_history_counts(self):
        for month in (9, 10):
            self.done_repair("gearbox", T0.replace(month=month, day=20), 20, major_part="gearbox")
        with freeze_time(T0):
            complaint = self.new_complaint(
                lot_id=self.vehicle.id, odometer=9000, fault_type="gearbox"
            )
        history = complaint._warranty_histories()[complaint.id]
        self.assertEqual(
            history,
            {
                "same_fault_repairs": 2,
                "repair_days": 40,
                "major_part_replacements": 2,
            },
        )
        self.assertIn("Replacement or refund is due", complaint.warranty_check)

    def test_missing_data_is_explained(self):
        with freeze_time(T0):
            complaint = self.new_complaint(lot_id=self.vehicle.id)
        self.assertIn("fault type", complaint.warranty_check)

    def test_limits_come_from_the_policy(self):
        self.policy.warranty_early_km = 2000
        with freeze_time(T0):
            complaint = self.new_complaint(
                lot_id=self.vehicle.id, odometer=2500, fault_type="steering"
            )
        self.assertNotIn("Replacement or refund is due", complaint.warranty_check)
        with self.assertRefused(ValidationError, "Early Failure Period"):
            self.policy.warranty_early_km = 0
