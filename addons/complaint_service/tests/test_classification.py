from datetime import timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import T0, ComplaintCase


@tagged("post_install", "-at_install")
class TestClassification(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sedan = cls.env["product.product"].create(
            {"name": "Sedan L 2.0T", "is_storable": True, "tracking": "serial"}
        )
        cls.vehicle = cls.env["stock.lot"].create(
            {"name": "LSVAM4187C2180001", "product_id": cls.sedan.id}
        )

    def in_progress(self, **vals):
        with freeze_time(T0):
            complaint = self.new_complaint(lot_id=self.vehicle.id, **vals)
            complaint.action_send_to_manager()
            complaint.with_user(self.manager).write({"user_id": self.advisor2.id})
            complaint.with_user(self.manager).action_dispatch()
        complaint.with_user(self.advisor2).write(
            {
                "cause_analysis": "Checked on the lift.",
                "solution": "Explained and fixed.",
                "date_customer_contacted": T0 + timedelta(hours=2),
            }
        )
        return complaint

    def evidence(self, name="burnt_clutch.jpg", raw=b"jpg"):
        return self.env["ir.attachment"].create({"name": name, "raw": raw})

    def misuse(self, evidence=None):
        """Values classifying a complaint as misuse, on evidence."""
        evidence = evidence or self.evidence()
        return {"cause": "misuse", "evidence_attachment_ids": [Command.set(evidence.ids)]}

    def propose(self, complaint, user=None):
        with freeze_time(T0 + timedelta(hours=3)):
            complaint.with_user(user or self.advisor2).action_propose_solution()

    def test_cause_is_needed_before_the_solution(self):
        complaint = self.in_progress()
        with self.assertRefused(UserError, "Cause"):
            self.propose(complaint)

    def test_misuse_needs_evidence_and_manager_confirmation(self):
        complaint = self.in_progress(cause="other", verdict="customer_fault")
        complaint.customer_explanation = "Showed how to engage the parking brake."
        with self.assertRefused(ValidationError, "^Cause: attach the evidence"):
            complaint.with_user(self.advisor2).cause = "misuse"
        self.assertEqual(complaint.cause, "other")
        photo = self.evidence()
        complaint.with_user(self.advisor2).write(self.misuse(photo))
        with self.assertRefused(UserError, "before a complaint manager confirms"):
            self.propose(complaint)
        with self.assertRefused(AccessError, "Only a complaint manager"):
            complaint.with_user(self.advisor2).action_confirm_misuse()
        # Evidence deleted since: nothing to confirm on.
        lost = self.evidence("lost.jpg")
        complaint.evidence_attachment_ids = lost
        lost.unlink()
        with self.assertRefused(UserError, "Evidence"):
            complaint.with_user(self.manager).action_confirm_misuse()
        self.assertFalse(complaint.misuse_confirmed_by_id)
        complaint.with_user(self.advisor2).evidence_attachment_ids = photo
        complaint.with_user(self.manager).action_confirm_misuse()
        self.assertEqual(complaint.misuse_confirmed_by_id, self.manager)
        self.propose(complaint)
        self.assertEqual(complaint.state, "solved")

    def test_misuse_insured_needs_insurer_guidance(self):
        complaint = self.in_progress(**self.misuse(self.evidence("flood.jpg")))
        complaint.with_user(self.manager).action_confirm_misuse()
        complaint.write({"is_insured_loss": True, "customer_explanation": "Flooded engine."})
        with self.assertRefused(UserError, "Insurer Guidance"):
            self.propose(complaint)
        complaint.insurer_guidance = "Gave the insurer's claim line and the report number."
        self.propose(complaint)

    def test_changing_cause_away_from_misuse_drops_the_confirmation(self):
        complaint = self.in_progress(**self.misuse(self.evidence("log.txt", b"x")))
        complaint.with_user(self.manager).action_confirm_misuse()
        complaint.cause = "warranty"
        complaint.cause = "misuse"
        self.assertFalse(complaint.misuse_confirmed_by_id)

    def test_closing_as_misuse_needs_confirmation(self):
        complaint = self.in_progress(cause="other")
        self.propose(complaint)
        complaint.write(self.misuse())
        with self.assertRefused(UserError, "closed as customer misuse"):
            complaint.with_user(self.agent).action_confirm_solution()
        self.assertEqual(complaint.state, "solved")
        with self.assertRefused(UserError, "closed as customer misuse"):
            complaint.with_user(self.agent).action_follow_up()
        self.assertEqual(complaint.state, "solved")
        # Nothing else closes it either.
        with self.assertRefused(UserError, "closed as customer misuse"):
            complaint.sudo().write({"state": "closed"})
        self.assertEqual(complaint.state, "solved")
        complaint.with_user(self.manager).action_confirm_misuse()
        complaint.with_user(self.agent).action_confirm_solution()
        self.assertEqual(complaint.state, "closed")

    def test_misuse_cannot_be_chosen_without_evidence(self):
        Complaint = self.env["complaint.complaint"]
        count = Complaint.search_count([])
        with self.assertRefused(ValidationError, "^Cause: attach the evidence of the customer's"):
            self.new_complaint(cause="misuse")
        self.assertEqual(Complaint.search_count([]), count)
        complaint = self.new_complaint(**self.misuse())
        self.assertEqual(complaint.cause, "misuse")
        # The evidence stays while the cause is misuse.
        with self.assertRefused(ValidationError, "^Cause: attach the evidence"):
            complaint.with_user(self.advisor).evidence_attachment_ids = False
        self.assertTrue(complaint.evidence_attachment_ids)
        complaint.with_user(self.advisor).write(
            {"cause": "attitude", "evidence_attachment_ids": [Command.clear()]}
        )
        self.assertRecordValues(complaint, [{"cause": "attitude", "evidence_attachment_ids": []}])

    def test_misuse_lowers_the_level_only_once_confirmed(self):
        complaint = self.in_progress(**self.misuse())
        self.assertRecordValues(
            complaint,
            [{"severity": "3", "severity_reason": "Base level: no aggravating trigger"}],
        )
        complaint.with_user(self.manager).action_confirm_misuse()
        self.assertRecordValues(
            complaint,
            [
                {
                    "severity": "4",
                    "severity_reason": "Base level: service attitude or a cause outside the "
                    "company",
                }
            ],
        )
        # Reclassified: the confirmation goes, and with it the lower level.
        complaint.cause = "other"
        complaint.cause = "misuse"
        self.assertRecordValues(complaint, [{"misuse_confirmed_by_id": False, "severity": "3"}])

    def test_warranty_defect_needs_warranty_repair_or_oem_claim(self):
        complaint = self.in_progress(cause="warranty", verdict="defect")
        with self.assertRefused(UserError, "Warranty Repair"):
            self.propose(complaint)
        action = complaint.with_user(self.advisor2).action_create_warranty_repair()
        repair = complaint.warranty_repair_id
        self.assertEqual(action["res_id"], repair.id)
        self.assertRecordValues(
            repair,
            [
                {
                    "under_warranty": True,
                    "priority": "1",
                    "partner_id": self.customer.id,
                    "lot_id": self.vehicle.id,
                    "product_id": self.sedan.id,
                }
            ],
        )
        self.assertIn(repair, complaint.repair_ids)
        self.assertIn(complaint, repair.complaint_ids)
        self.propose(complaint)

    def test_oem_claim_reference_is_enough(self):
        complaint = self.in_progress(cause="warranty", verdict="defect")
        complaint.oem_claim_ref = "OEM-2026-118842"
        self.propose(complaint)
        self.assertEqual(complaint.state, "solved")

    def test_handover_miss_compensation_first_and_responsibility(self):
        complaint = self.in_progress(cause="handover")
        with self.assertRefused(UserError, "Compensation"):
            self.propose(complaint)
        complaint.write({"compensation_type": "free_repair"})
        complaint.with_user(self.advisor2).action_request_approval()
        complaint.with_user(self.manager).action_approve_solution()
        with self.assertRefused(UserError, "Responsibility Records"):
            self.propose(complaint)
        self.env["complaint.responsibility"].with_user(self.manager).create(
            {
                "complaint_id": complaint.id,
                "user_id": self.advisor.id,
                "kind": "inspection_miss",
            }
        )
        self.propose(complaint)

    def test_invalid_complaint_still_needs_an_answer(self):
        complaint = self.in_progress(cause="other", validity="invalid")
        self.assertEqual(complaint.severity, "4")
        complaint.solution = False
        with self.assertRefused(UserError, "Solution"):
            self.propose(complaint)

    def test_returned_vehicle_is_flagged_and_urgent(self):
        first = self.env["repair.order"].create({"partner_id": self.customer.id})
        rework = self.env["repair.order"].create(
            {
                "partner_id": self.customer.id,
                "is_rework": True,
                "rework_of_id": first.id,
            }
        )
        self.assertEqual(rework.priority, "1")
        other = self.env["repair.order"].create({"partner_id": self.customer.id})
        self.assertEqual(other.priority, "0")
        other.is_rework = True
        self.assertEqual(other.priority, "1")
