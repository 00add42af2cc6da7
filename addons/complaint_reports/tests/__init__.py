from . import (
    test_dashboard,
    test_demo,
    test_export,
    test_form_report,
    test_internal_form,
    test_kpi,
    test_monthly_review,
    test_ui,
)
