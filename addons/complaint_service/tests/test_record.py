from datetime import datetime

from freezegun import freeze_time
from odoo.tests import Form, tagged

from .common import T0, ComplaintCase


@tagged("post_install", "-at_install")
class TestComplaintRecord(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sedan = cls.env["product.product"].create(
            {
                "name": "Sedan L 2.0T",
                "is_storable": True,
                "tracking": "serial",
            }
        )
        cls.vehicle = cls.env["stock.lot"].create(
            {
                "name": "LSVAM4187C2184751",
                "product_id": cls.sedan.id,
            }
        )
        cls.repair = cls.env["repair.order"].create(
            {
                "partner_id": cls.customer.id,
                "product_id": cls.sedan.id,
                "lot_id": cls.vehicle.id,
            }
        )

    def test_number_is_year_month_serial_restarting_each_month(self):
        # A month no demo complaint uses.
        with freeze_time(datetime(2031, 3, 5, 9)):
            first = self.new_complaint()
            second = self.new_complaint()
        with freeze_time(datetime(2031, 4, 1, 9)):
            april = self.new_complaint()
        self.assertEqual(first.name, "3103-0001")
        self.assertEqual(second.name, "3103-0002")
        self.assertEqual(april.name, "3104-0001")

    def test_register_from_repair_order_prefills(self):
        action = self.repair.with_user(self.advisor).action_register_complaint()
        self.assertEqual(action["res_model"], "complaint.complaint")
        with freeze_time(T0):
            form = Form(
                self.env["complaint.complaint"]
                .with_user(self.advisor)
                .with_context(**action["context"])
            )
            self.assertEqual(form.partner_id, self.customer)
            self.assertEqual(form.lot_id, self.vehicle)
            form.description = "Engine light came back on the day after the repair."
            form.license_plate = "京A·12345"
            form.odometer = 42000
            complaint = form.save()
        self.assertRecordValues(
            complaint,
            [
                {
                    "partner_id": self.customer.id,
                    "vin": "LSVAM4187C2184751",
                    "vehicle_model_id": self.sedan.id,
                    "channel": "walk_in",
                    "first_responder_id": self.advisor.id,
                    "date_received": T0,
                    "state": "new",
                    "current_step": "escalate",
                }
            ],
        )
        self.assertEqual(complaint.repair_ids, self.repair)
        self.assertEqual(self.repair.complaint_count, 1)
        self.assertEqual(self.customer.complaint_count, 1)
        action = self.repair.action_view_complaints()
        self.assertEqual(self.env["complaint.complaint"].search(action["domain"]), complaint)

    def test_customer_count_includes_contacts(self):
        driver = self.env["res.partner"].create(
            {
                "name": "Driver of Customer Wu",
                "parent_id": self.customer.id,
            }
        )
        with freeze_time(T0):
            self.new_complaint()
            self.new_complaint(partner_id=driver.id)
        self.assertEqual(self.customer.complaint_count, 2)
        self.assertEqual(driver.complaint_count, 1)

    def test_tracking_of_what_matters(self):
        with freeze_time(T0):
            complaint = self.new_complaint()
        self.commit_tracking()
        with freeze_time(T0):
            complaint.action_send_to_manager()
            complaint.with_user(self.manager).write({"user_id": self.advisor2.id, "injury": True})
        self.commit_tracking()
        tracked = complaint.sudo().message_ids.tracking_value_ids.field_id.mapped("name")
        for field in (
            "state",
            "user_id",
            "is_major",
            "severity",
            "severity_reason",
            "current_deadline",
        ):
            self.assertIn(field, tracked)

    def test_team_dashboard_actions_filter_the_team(self):
        with freeze_time(T0):
            complaint = self.new_complaint()
        action = self.service.action_view_overdue()
        with freeze_time(T0.replace(hour=12)):
            found = self.env["complaint.complaint"].search(action["domain"])
        self.assertEqual(found, complaint)
