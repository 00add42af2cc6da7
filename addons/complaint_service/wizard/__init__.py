from . import (
    complaint_callback_log_wizard,
    complaint_pause_wizard,
    complaint_phone_reply_wizard,
    complaint_severity_wizard,
)
