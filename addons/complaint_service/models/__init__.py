# complaint.complaint: the intake first, then each concern in the order the
# data flows (see complaint_complaint.py); the order of loading matters.
# isort: off
from . import complaint_fact_guard
from . import complaint_notification
from . import complaint_complaint
from . import complaint_clock
from . import complaint_classification
from . import complaint_severity
from . import complaint_accountability
from . import complaint_solution
from . import complaint_followup
from . import complaint_oem
from . import complaint_self_service

# isort: on
from . import (
    complaint_breach_notice,
    complaint_callback,
    complaint_early_warning,
    complaint_pause,
    complaint_policy,
    complaint_responsibility,
    complaint_step,
    complaint_team,
    ir_sequence,
    product_template,
    repair_order,
    res_partner,
    res_users,
    stock_lot,
)
