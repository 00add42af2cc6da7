"""Monthly reviews keep their KPIs as figures (kpi_snapshot), shown by the KPI
table template, instead of unsanitized HTML: take the snapshot of each review
that had KPIs loaded, then drop the old HTML column."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    cr.execute(
        """
        SELECT column_name FROM information_schema.columns
         WHERE table_name = 'complaint_monthly_review' AND column_name = 'kpi_summary'
        """
    )
    if not cr.fetchone():
        return
    cr.execute("SELECT id FROM complaint_monthly_review WHERE kpi_summary IS NOT NULL")
    ids = [row[0] for row in cr.fetchall()]
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["complaint.monthly.review"].browse(ids)._take_kpi_snapshot()
    env.flush_all()
    cr.execute("ALTER TABLE complaint_monthly_review DROP COLUMN kpi_summary")
