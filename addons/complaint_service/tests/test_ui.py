from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestComplaintTour(HttpCase):
    def test_advisor_registers_complaint_from_repair_order(self):
        advisor = new_test_user(
            self.env,
            "tour_advisor",
            groups="complaint_service.group_complaint_user",
            name="Tour Advisor",
        )
        customer = self.env["res.partner"].create({"name": "Tour Customer Ma"})
        repair = self.env["repair.order"].create({"partner_id": customer.id})
        self.start_tour(
            f"/odoo/action-repair.action_repair_order_tree/{repair.id}",
            "complaint_service_register_from_repair",
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
                }
            ],
        )
