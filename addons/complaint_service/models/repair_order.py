from odoo import api, fields, models


class RepairOrder(models.Model):
    _inherit = "repair.order"

    complaint_ids = fields.Many2many(
        "complaint.complaint",
        "complaint_complaint_repair_order_rel",
        "repair_id",
        "complaint_id",
        string="Complaints",
        copy=False,
    )
    complaint_count = fields.Integer(compute="_compute_complaint_count")

    @api.depends("complaint_ids")
    @api.depends_context("uid")
    def _compute_complaint_count(self):
        if not self.env["complaint.complaint"].has_access("read"):
            self.complaint_count = 0
            return
        counts = dict(
            self.env["complaint.complaint"]._read_group(
                [("repair_ids", "in", self.ids)], ["repair_ids"], ["__count"]
            )
        )
        for repair in self:
            repair.complaint_count = counts.get(repair, 0)

    def action_register_complaint(self):
        """Open a new complaint prefilled from this repair order."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Register Complaint"),
            "res_model": "complaint.complaint",
            "view_mode": "form",
            "target": "current",
            "context": {
                "default_partner_id": self.partner_id.id,
                "default_repair_ids": [self.id],
                "default_lot_id": self.lot_id.id,
                "default_company_id": self.company_id.id,
                "default_channel": "walk_in",
            },
        }

    def action_view_complaints(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "complaint_service.complaint_complaint_action"
        )
        action["domain"] = [("repair_ids", "in", self.ids)]
        action["context"] = {
            "default_partner_id": self.partner_id.id,
            "default_repair_ids": [self.id],
            "default_lot_id": self.lot_id.id,
        }
        return action
