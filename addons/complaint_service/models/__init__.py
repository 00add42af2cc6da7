from . import (
    complaint_callback,
    complaint_complaint,
    complaint_early_warning,
    complaint_pause,
    complaint_policy,
    complaint_responsibility,
    complaint_step,
    complaint_team,
    ir_sequence,
    repair_order,
    res_partner,
    stock_lot,
)
