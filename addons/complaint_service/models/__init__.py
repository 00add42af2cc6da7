from . import (
    complaint_complaint,
    complaint_pause,
    complaint_policy,
    complaint_step,
    complaint_team,
    ir_sequence,
    repair_order,
    res_partner,
)
