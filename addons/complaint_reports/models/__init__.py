from . import complaint_policy, complaint_report
