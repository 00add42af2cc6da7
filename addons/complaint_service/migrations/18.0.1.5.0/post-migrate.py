"""18.0.1.5.0: the clock's KPI facts are stored computes of the steps
(timing_* and date_solved, computed by the ORM when their columns are added):
the float columns they replace go."""


def migrate(cr, version):
    # complaint_reports' analysis view reads those columns; it is created
    # again from the new facts when complaint_reports is updated.
    cr.execute("DROP VIEW IF EXISTS complaint_report")
    cr.execute(
        """
        ALTER TABLE complaint_complaint
         DROP COLUMN IF EXISTS kpi_register_on_time,
         DROP COLUMN IF EXISTS kpi_escalate_on_time,
         DROP COLUMN IF EXISTS kpi_dispatch_on_time,
         DROP COLUMN IF EXISTS kpi_solve_on_time,
         DROP COLUMN IF EXISTS kpi_confirm_on_time,
         DROP COLUMN IF EXISTS kpi_response_on_time,
         DROP COLUMN IF EXISTS kpi_hours_to_solution
        """
    )
