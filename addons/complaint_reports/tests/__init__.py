from . import test_export, test_form_report, test_kpi
