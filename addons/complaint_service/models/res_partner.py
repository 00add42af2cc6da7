from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    complaint_ids = fields.One2many("complaint.complaint", "partner_id", string="Complaints")
    complaint_count = fields.Integer(compute="_compute_complaint_count")
    no_callback = fields.Boolean(
        "Do Not Call Back", help="The customer asked not to receive routine callbacks."
    )
    callback_ids = fields.One2many("complaint.callback", "partner_id", string="Callbacks")
    complaint_repeat_count = fields.Integer("Repeat Complaints", compute="_compute_history")
    callback_last_score = fields.Integer("Last Satisfaction", compute="_compute_history")
    callback_avg_score = fields.Float(
        "Average Satisfaction", compute="_compute_history", digits=(3, 1)
    )

    @api.depends_context("uid")
    def _compute_complaint_count(self):
        if not self.env["complaint.complaint"].has_access("read"):
            self.complaint_count = 0
            return
        # Count the complaints of the whole commercial entity, as sale does.
        all_partners = self.with_context(active_test=False).search_fetch(
            [("id", "child_of", self.ids)],
            ["parent_id"],
        )
        counts = self.env["complaint.complaint"]._read_group(
            [("partner_id", "in", all_partners.ids)], ["partner_id"], ["__count"]
        )
        self_ids = set(self._ids)
        self.complaint_count = 0
        for partner, count in counts:
            current = partner
            while current:
                if current.id in self_ids:
                    current.complaint_count += count
                current = current.parent_id

    @api.depends_context("uid")
    def _compute_history(self):
        history = self.env["complaint.callback"]._history(
            "partner_id", [("partner_id", "in", self.ids)], "partner_id", self
        )
        for partner in self:
            partner.update(history[partner.id])

    def action_view_complaints(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "complaint_service.complaint_complaint_action"
        )
        action["domain"] = [("partner_id", "child_of", self.ids)]
        action["context"] = {"default_partner_id": self.id}
        return action

    def action_register_complaint(self):
        """A new complaint of this customer, about their vehicle when they
        have only one (the vehicles they own and the ones repaired for them)."""
        self.ensure_one()
        context = {
            "default_partner_id": self.id,
            "default_channel": "walk_in",
        }
        customer = self.commercial_partner_id
        vehicles = self.env["stock.lot"].search(
            [("vehicle_owner_id", "child_of", customer.id)], limit=2
        )
        if len(vehicles) < 2:
            repaired = self.env["repair.order"]._read_group(
                [("partner_id", "child_of", customer.id), ("lot_id", "!=", False)],
                ["lot_id"],
                limit=2,
            )
            vehicles = vehicles.union(*(lot for (lot,) in repaired))
        if len(vehicles) == 1:
            context["default_lot_id"] = vehicles.id
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Register Complaint"),
            "res_model": "complaint.complaint",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
            "context": context,
        }
