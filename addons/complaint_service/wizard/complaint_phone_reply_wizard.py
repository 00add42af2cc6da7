from markupsafe import Markup

from odoo import fields, models


class ComplaintPhoneReplyWizard(models.TransientModel):
    _name = "complaint.phone.reply.wizard"
    _description = "Log a Phone Reply to the Customer"

    complaint_id = fields.Many2one("complaint.complaint", required=True)
    solution = fields.Text(related="complaint_id.solution", string="Approved Solution")
    note = fields.Text(
        "What Was Said",
        required=True,
        help="Only what the approved solution says: no promise beyond it.",
    )

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
