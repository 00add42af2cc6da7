from . import (
    test_access,
    test_accountability,
    test_bad_input,
    test_callback,
    test_classification,
    test_clock,
    test_overdue,
    test_record,
    test_severity,
    test_solution,
    test_structure,
    test_ui,
)
