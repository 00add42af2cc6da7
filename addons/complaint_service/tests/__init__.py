from . import test_access, test_bad_input, test_clock, test_overdue, test_record, test_ui
