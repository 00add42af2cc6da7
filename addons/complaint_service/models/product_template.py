from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    is_vehicle = fields.Boolean(
        "Vehicle",
        help="A vehicle model: its serial numbers are vehicles (VINs), the ones the complaint "
        "desk offers when a complaint names the customer's vehicle.",
    )
