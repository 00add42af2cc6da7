from . import test_export, test_kpi
