"""18.0.1.8.0: every complaint has a department.  Those saved without one
(registered before it was required, or born at a routine callback) take the
department of their repair order's advisor or of their first responder, else
the company's customer care department or its first one, as new complaints
do."""

from collections import defaultdict

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
    Complaint = env["complaint.complaint"].with_context(active_test=False)
    orphans = Complaint.search([("team_id", "=", False)])
    by_team = defaultdict(list)
    for complaint in orphans:
        vals = Complaint._department_vals(
            [
                {
                    "company_id": complaint.company_id.id,
                    "repair_ids": complaint.repair_ids.ids,
                    "first_responder_id": complaint.first_responder_id.id,
                }
            ]
        )[0]
        if vals.get("team_id"):
            by_team[vals["team_id"]].append(complaint.id)
    for team_id, ids in by_team.items():
        Complaint.browse(ids).write({"team_id": team_id})
