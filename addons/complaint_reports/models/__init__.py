from . import (
    complaint_complaint,
    complaint_internal_form,
    complaint_monthly_review,
    complaint_policy,
    complaint_report,
)
