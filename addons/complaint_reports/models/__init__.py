from . import complaint_monthly_review, complaint_policy, complaint_report
