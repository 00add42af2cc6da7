"""Add date_received_day (the day of reception in the dealership's time zone)
and fill it in one SQL statement, before the ORM would compute it complaint by
complaint."""

from odoo.addons.complaint_service.models.complaint_complaint import RECEIVED_DAY_SQL


def migrate(cr, version):
    cr.execute("ALTER TABLE complaint_complaint ADD COLUMN IF NOT EXISTS date_received_day date")
    cr.execute(RECEIVED_DAY_SQL)
    cr.execute(
        "CREATE INDEX IF NOT EXISTS complaint_complaint__date_received_day_index"
        " ON complaint_complaint (date_received_day)"
    )
