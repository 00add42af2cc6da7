from odoo import fields, models


class StockLot(models.Model):
    _inherit = "stock.lot"

    vehicle_invoice_date = fields.Date(
        help="Purchase invoice date of the vehicle: the warranty periods count from it.",
    )
