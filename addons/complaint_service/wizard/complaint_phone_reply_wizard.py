from markupsafe import Markup

from odoo import api, fields, models


class ComplaintPhoneReplyWizard(models.TransientModel):
    _name = "complaint.phone.reply.wizard"
    _description = "Log a Phone Reply to the Customer"

    complaint_id = fields.Many2one("complaint.complaint", required=True)
    # Read as the user: opened on a complaint they may not read, it fails.
    solution = fields.Text(
        related="complaint_id.solution", string="Approved Solution", compute_sudo=False
    )
    note = fields.Text(
        "What Was Said",
        required=True,
        help="Only what the approved solution says: no promise beyond it.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        wizards = super().create(vals_list)
        wizards.complaint_id.check_access("write")
        return wizards

    def action_log(self):
        self.ensure_one()
        complaint = self.complaint_id.with_context(complaint_reply=True)
        complaint.message_post(
            body=Markup("<p><b>%s</b></p><p>%s</p>")
            % (self.env._("Phone call: solution communicated to the customer."), self.note),
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        return {"type": "ir.actions.act_window_close"}
