from . import complaint_pause_wizard
