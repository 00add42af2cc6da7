from datetime import datetime
from unittest.mock import patch

from freezegun import freeze_time

from odoo.tests import Form, tagged

from ..models import complaint_complaint
from ..models.complaint_complaint import RECEIVED_DAY_SQL
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


@tagged("post_install", "-at_install")
class TestDayReceived(ComplaintCase):
    """The day a complaint counts in for the statistics is the dealership's."""

    def test_day_in_the_dealership_time_zone(self):
        self.company.resource_calendar_id.tz = "Asia/Shanghai"
        # 17:30 UTC on 31 March is 01:30 on 1 April in Shanghai.
        late = self.new_complaint(date_received=datetime(2025, 3, 31, 17, 30))
        early = self.new_complaint(date_received=datetime(2025, 3, 31, 15, 30))
        self.assertEqual(str(late.date_received_day), "2025-04-01")
        self.assertEqual(str(early.date_received_day), "2025-03-31")
        start, end = self.policy.utc_bounds(late.date_received_day, late.date_received_day)
        self.assertEqual((start, end), (datetime(2025, 3, 31, 16), datetime(2025, 4, 1, 16)))

    def test_clock_calendar_time_zone_comes_first(self):
        self.company.resource_calendar_id.tz = "Asia/Shanghai"
        self.policy.calendar_id = self.env["resource.calendar"].create(
            {"name": "Service desk (Kathmandu)", "tz": "Asia/Kathmandu"}
        )
        self.assertEqual(self.policy._tz(), "Asia/Kathmandu")
        complaint = self.new_complaint(date_received=datetime(2025, 3, 31, 18, 14))
        self.assertEqual(str(complaint.date_received_day), "2025-03-31")  # 23:59 there
        complaint.date_received = datetime(2025, 3, 31, 18, 16)
        self.assertEqual(str(complaint.date_received_day), "2025-04-01")  # 00:01

    def test_sql_fill_matches_the_orm(self):
        """The SQL used by the migration and bulk loads gives the same days."""
        self.company.resource_calendar_id.tz = "America/New_York"
        complaints = self.new_complaint(date_received=datetime(2025, 1, 1, 3)) | (
            self.new_complaint(date_received=datetime(2025, 1, 1, 6))
        )
        self.env.flush_all()
        days = complaints.mapped("date_received_day")
        self.assertEqual([str(day) for day in days], ["2024-12-31", "2025-01-01"])
        self.env.cr.execute(
            "UPDATE complaint_complaint SET date_received_day = NULL WHERE id = ANY(%s)",
            [complaints.ids],
        )
        self.env.cr.execute(RECEIVED_DAY_SQL + " AND c.id = ANY(%s)", [complaints.ids])
        complaints.invalidate_recordset()
        self.assertEqual(complaints.mapped("date_received_day"), days)

    def test_search_by_customer_as_the_search_view_asks(self):
        """The Customer field of the search view: a typed text finds the
        complaints of every customer it matches (name, e-mail, reference), a
        customer picked from the suggestions finds exactly theirs."""
        Partner = self.env["res.partner"]
        fleet = Partner.create({"name": "Jinling Taxi Fleet", "email": "dispatch@jltaxi.cn"})
        namesake = Partner.create({"name": "Jinling Hotel"})
        other = Partner.create({"name": "Wang Wei"})
        with freeze_time(T0):
            fleet_complaint = self.new_complaint(partner_id=fleet.id)
            namesake_complaint = self.new_complaint(partner_id=namesake.id)
            self.new_complaint(partner_id=other.id)
        view = self.env.ref("complaint_service.complaint_complaint_view_search")
        self.assertIn("('partner_search', 'ilike', raw_value)", view.arch)
        Complaint = self.env["complaint.complaint"].with_user(self.manager)
        self.assertEqual(
            Complaint.search([("partner_search", "ilike", "jinling")]),
            fleet_complaint | namesake_complaint,
        )
        self.assertEqual(Complaint.search([("partner_search", "ilike", "jltaxi")]), fleet_complaint)
        self.assertEqual(Complaint.search([("partner_search", "=", fleet.id)]), fleet_complaint)
        self.assertFalse(Complaint.search([("partner_search", "ilike", "nobody of that name")]))
        # Matching more customers than the limit: the same complaints, through a sub-select.
        with patch.object(complaint_complaint, "PARTNER_SEARCH_LIMIT", 1):
            self.assertEqual(
                Complaint.search([("partner_search", "ilike", "jinling")]),
                fleet_complaint | namesake_complaint,
            )
