from odoo import api, fields, models
from odoo.osv import expression

from .pickers import name_search_first

# The context key under which a lot reads and is found as a vehicle: the
# complaint's and the callback's vehicle pickers set it.
VEHICLE_CONTEXT = "complaint_vehicle"


class StockLot(models.Model):
    _inherit = "stock.lot"

    is_vehicle = fields.Boolean(related="product_id.product_tmpl_id.is_vehicle")
    license_plate = fields.Char(
        "Plate", index="trigram", copy=False, help="The vehicle's registration plate."
    )
    vehicle_owner_id = fields.Many2one(
        "res.partner",
        "Owner",
        index="btree_not_null",
        copy=False,
        help="The customer the vehicle belongs to: its complaints and repairs are theirs.",
    )
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

    @api.depends("license_plate", "vehicle_owner_id")
    @api.depends_context(VEHICLE_CONTEXT)
    def _compute_display_name(self):
        """In a vehicle picker a lot reads as the desk knows the vehicle:
        plate · VIN · model · owner, on one line (the line a picker shows)."""
        super()._compute_display_name()
        if not self.env.context.get(VEHICLE_CONTEXT):
            return
        for lot in self:
            parts = (
                lot.license_plate,
                lot.name,
                lot.product_id.name,
                lot.vehicle_owner_id.name,
            )
            lot.display_name = " · ".join(part for part in parts if part)

    @api.model
    def _search_display_name(self, operator, value):
        """In a vehicle picker a vehicle is found by its plate as well as by
        its VIN (or internal reference)."""
        domain = super()._search_display_name(operator, value)
        if (
            self.env.context.get(VEHICLE_CONTEXT)
            and isinstance(value, str)
            and value
            and operator not in expression.NEGATIVE_TERM_OPERATORS
        ):
            domain = expression.OR([domain, [("license_plate", operator, value)]])
        return domain

    @api.model
    def name_search(self, name="", args=None, operator="ilike", limit=100):
        """The customer's own vehicles first (context ``complaint_vehicle_owner_id``),
        then the others that match."""
        owner_id = self.env.context.get("complaint_vehicle_owner_id")
        if not (self.env.context.get(VEHICLE_CONTEXT) and owner_id):
            return super().name_search(name, args, operator, limit)
        return name_search_first(
            super().name_search,
            [("vehicle_owner_id", "=", owner_id)],
            name,
            args,
            operator,
            limit,
        )
