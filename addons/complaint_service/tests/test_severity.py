from datetime import timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import T0, ComplaintCase, load_language


@tagged("post_install", "-at_install")
class TestSeverity(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sedan = cls.env["product.product"].create({"name": "Sedan L 2.0T"})
        cls.parts = cls.env["complaint.team"].create(
            {"name": "Parts", "kind": "parts", "manager_id": cls.manager.id}
        )

    def escalations(self, complaint):
        kind = self.env.ref("complaint_service.mail_activity_type_complaint_escalation")
        return complaint.activity_ids.filtered(lambda a: a.activity_type_id == kind)

    def test_base_levels(self):
        with freeze_time(T0):
            self.assertEqual(self.new_complaint(cause="warranty").severity, "3")
            self.assertEqual(self.new_complaint(cause="attitude").severity, "4")
            photo = self.env["ir.attachment"].create({"name": "clutch.jpg", "raw": b"jpg"})
            misuse = self.new_complaint(
                cause="misuse", evidence_attachment_ids=[Command.set(photo.ids)]
            )
            self.assertEqual(misuse.severity, "3", "misuse is a verdict: once confirmed")
            misuse.with_user(self.manager).action_confirm_misuse()
            self.assertEqual(misuse.severity, "4")

    def test_injury_or_media_is_level_one_and_major(self):
        with freeze_time(T0):
            complaint = self.new_complaint(cause="attitude")
            self.assertRecordValues(complaint, [{"severity": "4", "is_major": False}])
            complaint.media_exposure = True
        self.assertRecordValues(complaint, [{"severity": "1", "is_major": True}])
        self.assertIn("media exposure", complaint.severity_reason.lower())
        # The general manager is told at once, and the clock runs on major durations.
        self.assertIn(self.gm, self.escalations(complaint).user_id)
        self.assertEqual(complaint.current_step_id.duration_minutes, 30)

    def test_departments_involved(self):
        with freeze_time(T0):
            complaint = self.new_complaint()
            complaint.department_ids = self.sales
            self.assertEqual(complaint.severity, "2")
            self.assertIn("2 departments", complaint.severity_reason.lower())
            complaint.department_ids |= self.parts
        self.assertEqual(complaint.severity, "1")

    def test_repeat_complaint_at_least_level_three(self):
        with freeze_time(T0):
            complaint = self.new_complaint(cause="attitude")
        self.assertEqual(complaint.severity, "4")
        self.run_to_solution(complaint)
        with freeze_time(T0 + timedelta(hours=4)):
            complaint.with_user(self.agent).write({"customer_opinion": "Still rude."})
            complaint.with_user(self.agent).action_reject_solution()
        self.assertEqual(complaint.severity, "3")
        self.assertIn("repeat", complaint.severity_reason.lower())

    def test_unresolved_after_fifteen_days_goes_one_level_up_once(self):
        with freeze_time(T0):
            complaint = self.new_complaint(cause="warranty")
        Complaint = self.env["complaint.complaint"]
        with freeze_time(T0 + timedelta(days=15)):
            Complaint._cron_check_aged()
        self.assertEqual(complaint.severity, "3")
        with freeze_time(T0 + timedelta(days=15, hours=1)):
            self.assertGreaterEqual(Complaint._cron_check_aged(), 1)
            self.assertEqual(Complaint._cron_check_aged(), 0, "once")
        self.assertRecordValues(complaint, [{"severity": "2", "is_aged": True, "is_major": True}])

    def test_same_fault_from_three_customers_within_thirty_days(self):
        customers = self.env["res.partner"].create([{"name": f"Owner {i}"} for i in range(3)])
        complaints = self.env["complaint.complaint"]
        for day, customer in zip((0, 12, 29), customers, strict=True):
            with freeze_time(T0 + timedelta(days=day)):
                complaints |= self.new_complaint(
                    partner_id=customer.id, cause="warranty", vehicle_model_id=self.sedan.id
                )
        self.assertEqual(complaints.mapped("severity"), ["2", "2", "2"])
        self.assertEqual(complaints.mapped("cluster_customers"), [3, 3, 3])
        warning = self.env["complaint.early.warning"].search(
            [("vehicle_model_id", "=", self.sedan.id)]
        )
        self.assertEqual(len(warning), 1)
        self.assertEqual(warning.complaint_ids, complaints)
        notice = warning.message_ids.filtered(lambda m: m.message_type == "comment")
        self.assertIn(self.manager.partner_id, notice.partner_ids)
        for complaint in complaints:
            self.assertIn(complaint.name, notice.body)

    def test_no_cluster_beyond_thirty_days_or_same_customer(self):
        other = self.env["res.partner"].create({"name": "Owner far away"})
        with freeze_time(T0):
            first = self.new_complaint(cause="warranty", vehicle_model_id=self.sedan.id)
            self.new_complaint(cause="warranty", vehicle_model_id=self.sedan.id)  # same customer
        with freeze_time(T0 + timedelta(days=31)):
            late = self.new_complaint(
                partner_id=other.id, cause="warranty", vehicle_model_id=self.sedan.id
            )
        self.assertEqual(first.cluster_customers, 1)
        self.assertEqual(late.severity, "3")
        self.assertFalse(
            self.env["complaint.early.warning"].search([("vehicle_model_id", "=", self.sedan.id)])
        )

    def test_anyone_handling_raises_and_the_change_is_tracked(self):
        with freeze_time(T0):
            complaint = self.new_complaint()
        self.commit_tracking()
        wizard = (
            self.env["complaint.severity.wizard"]
            .with_user(self.advisor)
            .create(
                {
                    "complaint_id": complaint.id,
                    "severity": "2",
                    "reason": "The customer posted online",
                }
            )
        )
        wizard.action_apply()
        self.commit_tracking()
        self.assertRecordValues(complaint, [{"severity": "2", "is_major": True}])
        self.assertIn("Raised by Advisor Li", complaint.severity_reason)
        values = complaint.sudo().message_ids.tracking_value_ids
        self.assertIn("severity", values.field_id.mapped("name"))
        self.assertIn("severity_reason", values.field_id.mapped("name"))

    def test_lowering_needs_a_manager_and_a_reason(self):
        with freeze_time(T0):
            complaint = self.new_complaint(unauthorized_promise=True)
        self.assertEqual(complaint.severity, "2")
        with self.assertRefused(AccessError, "only a complaint manager can lower"):
            complaint.with_user(self.advisor)._set_severity("3", "Not that bad")
        with self.assertRefused(UserError, "give the reason"):
            complaint.with_user(self.manager)._set_severity("3", " ")
        self.assertEqual(complaint.severity, "2")
        complaint.with_user(self.manager)._set_severity("3", "The promise was authorised")
        self.assertRecordValues(complaint, [{"severity": "3", "is_major": False}])
        # The decision holds while the facts stay the same ...
        complaint.customer_request = "A written apology"
        complaint.promise_not_kept = True
        self.assertEqual(complaint.severity, "3")
        # ... and gives way when they get worse.
        complaint.injury = True
        self.assertEqual(complaint.severity, "1")


@tagged("post_install", "-at_install")
class TestSeverityLanguages(ComplaintCase):
    def test_the_severity_reason_reads_in_the_readers_language(self):
        load_language(self.env, "zh_CN")
        # Registered by an advisor who works in English.
        complaint = self.new_complaint(media_exposure=True)
        english = complaint.with_context(lang="en_US").severity_reason
        chinese = complaint.with_context(lang="zh_CN").severity_reason
        self.assertIn("media exposure", english.lower())
        self.assertIn("媒体曝光", chinese)
        # A person's decision: the words are the reader's, the reason the person's.
        complaint = self.new_complaint()
        complaint.with_user(self.manager).with_context(lang="zh_CN")._set_severity(
            "2", "客户要起诉"
        )
        self.assertEqual(
            complaint.with_context(lang="en_US").severity_reason,
            "Raised by Manager Chen: 客户要起诉",
        )
        self.assertTrue(complaint.with_context(lang="zh_CN").severity_reason.endswith("客户要起诉"))
        self.assertNotIn("Raised", complaint.with_context(lang="zh_CN").severity_reason)
