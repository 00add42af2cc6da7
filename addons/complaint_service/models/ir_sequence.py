from dateutil.relativedelta import relativedelta

from odoo import api, models
from odoo.exceptions import UserError
from odoo.tools import SQL


class IrSequence(models.Model):
    _inherit = "ir.sequence"

    @api.model
    def _next_monthly(self, code, day):
        """Next number of a date-range sequence whose serial restarts each month
        (year + month + serial, e.g. 2611-0007)."""
        company = self.env.company
        sequence = self.sudo().search(
            [("code", "=", code), ("company_id", "in", [company.id, False])],
            order="company_id",
            limit=1,
        )
        if not sequence:
            raise UserError(self.env._("No sequence is defined for %(code)s.", code=code))
        first = day.replace(day=1)
        ranges = self.env["ir.sequence.date_range"].sudo()
        domain = [
            ("sequence_id", "=", sequence.id),
            ("date_from", "<=", day),
            ("date_to", ">=", day),
        ]
        if not ranges.search_count(domain):
            # The month's range is created once.  Writing the sequence's row
            # serialises its creation: a concurrent transaction that would
            # create it too fails to serialise and is retried by the server
            # (then finds the range) instead of numbering from 1 again.
            self.env.execute_query(
                SQL("UPDATE ir_sequence SET write_date = write_date WHERE id = %s", sequence.id)
            )
        if not ranges.search_count(domain):
            ranges.create(
                {
                    "sequence_id": sequence.id,
                    "date_from": first,
                    "date_to": first + relativedelta(months=1, days=-1),
                    "number_next": 1,
                }
            )
        return sequence._next(sequence_date=day)
