from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..rules.kpi_rules import DEFAULT_TARGETS


class ComplaintPolicy(models.Model):
    _inherit = "complaint.policy"

    target_response_on_time = fields.Float(
        "Target: Response On Time (%)", default=DEFAULT_TARGETS["response_on_time"]
    )
    target_closure = fields.Float("Target: Closure (%)", default=DEFAULT_TARGETS["closure"])
    target_one_week_closure = fields.Float(
        "Target: Closed Within a Week (%)", default=DEFAULT_TARGETS["one_week_closure"]
    )
    target_complaint_rate = fields.Float(
        "Target: Complaint Rate (%)",
        default=DEFAULT_TARGETS["complaint_rate"],
        digits=(5, 3),
        help="Complaints per workshop visit, as a percentage; lower is better.",
    )

    @api.constrains(
        "target_response_on_time",
        "target_closure",
        "target_one_week_closure",
        "target_complaint_rate",
    )
    def _check_targets(self):
        for policy in self:
            for fname in (
                "target_response_on_time",
                "target_closure",
                "target_one_week_closure",
                "target_complaint_rate",
            ):
                if not 0 <= policy[fname] <= 100:
                    raise ValidationError(
                        self.env._(
                            "%(field)s must be a percentage between 0 and 100.",
                            field=self._fields[fname].get_description(self.env)["string"],
                        )
                    )

    def _targets(self):
        self.ensure_one()
        return {
            "response_on_time": self.target_response_on_time,
            "closure": self.target_closure,
            "one_week_closure": self.target_one_week_closure,
            "complaint_rate": self.target_complaint_rate,
        }
