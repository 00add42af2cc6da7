from dateutil.relativedelta import relativedelta

from odoo import api, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from odoo.addons.base.models.ir_sequence import _update_nogap


class IrSequence(models.Model):
    _inherit = "ir.sequence"

    def write(self, vals):
        """Switching a sequence from standard to no gap goes on from where the
        numbering is: Odoo drops the PostgreSQL sequences and would restart
        each month's range from its stored counter (1), giving numbers that
        are already taken.  The ranges' counters are carried over first."""
        if vals.get("implementation") == "no_gap":
            for sequence in self.filtered(lambda s: s.implementation == "standard"):
                for date_range in sequence.date_range_ids:
                    self.env.execute_query(
                        SQL(
                            "UPDATE ir_sequence_date_range SET number_next = %s WHERE id = %s",
                            date_range.number_next_actual or 1,
                            date_range.id,
                        )
                    )
                if "number_next" not in vals:
                    self.env.execute_query(
                        SQL(
                            "UPDATE ir_sequence SET number_next = %s WHERE id = %s",
                            sequence.number_next_actual or 1,
                            sequence.id,
                        )
                    )
            self.date_range_ids.invalidate_recordset(["number_next"])
            self.invalidate_recordset(["number_next"])
        return super().write(vals)

    @api.model
    def _next_monthly(self, code, day, count=1):
        """The next ``count`` numbers of a date-range sequence whose serial
        restarts each month (year + month + serial, e.g. 2611-0007), drawn at
        once: one statement for a whole intake batch, in ascending order."""
        company = self.env.company
        sequence = self.sudo().search(
            [("code", "=", code), ("company_id", "in", [company.id, False])],
            order="company_id",
            limit=1,
        )
        if not sequence:
            raise UserError(self.env._("No sequence is defined for %(code)s.", code=code))
        date_range = sequence._monthly_range(day)
        if sequence.implementation == "standard":
            rows = self.env.execute_query(
                SQL(
                    "SELECT nextval(%s) FROM generate_series(1, %s) ORDER BY 1",
                    f"ir_sequence_{sequence.id:03d}_{date_range.id:03d}",
                    count,
                )
            )
            numbers = [row[0] for row in rows]
        else:
            # No gaps: Odoo's own locked increment, by the whole batch at once.
            step = sequence.number_increment
            first = _update_nogap(date_range, step * count)
            numbers = [first + step * index for index in range(count)]
        sequence = sequence.with_context(ir_sequence_date_range=date_range.date_from)
        return [sequence.get_next_char(number) for number in numbers]

    def _monthly_range(self, day):
        """The sequence's date range of ``day``'s month, created once."""
        self.ensure_one()
        first = day.replace(day=1)
        ranges = self.env["ir.sequence.date_range"].sudo()
        domain = [
            ("sequence_id", "=", self.id),
            ("date_from", "<=", day),
            ("date_to", ">=", day),
        ]
        date_range = ranges.search(domain, limit=1)
        if date_range:
            return date_range
        # Writing the sequence's row serialises the range's creation: a
        # concurrent transaction that would create it too fails to serialise
        # and is retried by the server (then finds the range) instead of
        # numbering from 1 again.
        self.env.execute_query(
            SQL("UPDATE ir_sequence SET write_date = write_date WHERE id = %s", self.id)
        )
        return ranges.search(domain, limit=1) or ranges.create(
            {
                "sequence_id": self.id,
                "date_from": first,
                "date_to": first + relativedelta(months=1, days=-1),
                "number_next": 1,
            }
        )
