from odoo import fields, models


class ComplaintPauseWizard(models.TransientModel):
    _name = "complaint.pause.wizard"
    _description = "Pause a Complaint's Clock"

    complaint_id = fields.Many2one("complaint.complaint", required=True)
    reason_type = fields.Selection(
        related=False,
        # The labels in the reader's language (a borrowed selection's
        # translations are otherwise skipped).
        selection=lambda self: (
            self.env["complaint.pause"]._fields["reason_type"]._description_selection(self.env)
        ),
        string="Waiting for",
        required=True,
        default="customer",
    )
    reason = fields.Char(required=True)

    def action_pause(self):
        self.ensure_one()
        self.complaint_id._pause(self.reason_type, self.reason)
        return {"type": "ir.actions.act_window_close"}
