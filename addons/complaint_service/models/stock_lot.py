from odoo import api, fields, models


class StockLot(models.Model):
    _inherit = "stock.lot"

    vehicle_invoice_date = fields.Date(
        help="Purchase invoice date of the vehicle: the warranty periods count from it.",
    )
    complaint_ids = fields.One2many("complaint.complaint", "lot_id", string="Complaints")
    complaint_count = fields.Integer(compute="_compute_history")
    callback_ids = fields.One2many("complaint.callback", "lot_id", string="Callbacks")
    complaint_repeat_count = fields.Integer("Repeat Complaints", compute="_compute_history")
    callback_last_score = fields.Integer("Last Satisfaction", compute="_compute_history")
    callback_avg_score = fields.Float(
        "Average Satisfaction", compute="_compute_history", digits=(3, 1)
    )

    @api.depends_context("uid")
    def _compute_history(self):
        history = self.env["complaint.callback"]._history(
            "lot_id", [("lot_id", "in", self.ids)], "lot_id", self
        )
        counts = {}
        if self.env["complaint.complaint"].has_access("read"):
            counts = dict(
                self.env["complaint.complaint"]._read_group(
                    [("lot_id", "in", self.ids)], ["lot_id"], ["__count"]
                )
            )
        for lot in self:
            lot.update(history[lot.id])
            lot.complaint_count = counts.get(lot, 0)
