"""Fill the clock's KPI facts of the complaints that existed before 18.0.1.3.0."""

from odoo.addons.complaint_service.models.complaint_complaint import KPI_SQL, KPI_SQL_END


def migrate(cr, version):
    cr.execute(KPI_SQL + " GROUP BY s.complaint_id" + KPI_SQL_END)
    cr.execute(
        """
        UPDATE complaint_complaint c
           SET kpi_satisfaction = a.satisfaction
          FROM (SELECT complaint_id, avg(score::int) AS satisfaction
                  FROM complaint_callback
                 WHERE state = 'done' AND score IS NOT NULL AND complaint_id IS NOT NULL
              GROUP BY complaint_id) a
         WHERE c.id = a.complaint_id
        """
    )
