from . import complaint_dashboard, complaint_export_wizard
