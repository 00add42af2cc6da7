from odoo import models
from odoo.tools.safe_eval import safe_eval, time

FORM_REPORT = "complaint_reports.complaint_form_report_action"


class ComplaintComplaint(models.Model):
    """The printed complaint form is internal (never handed to the customer):
    a reply to the customer refuses a copy of it."""

    _inherit = "complaint.complaint"

    def _internal_attachments(self, attachments):
        internal = super()._internal_attachments(attachments)
        prefixes = self._internal_form_names()
        if not prefixes:
            return internal
        return internal | attachments.filtered(
            lambda a: (a.name or "").strip().casefold().startswith(prefixes)
        )

    def _internal_form_names(self):
        """The names a copy of the internal form goes by, in lower case: the
        report's name in each language (the file name when several complaints
        are printed at once), and the file name it prints under for one
        complaint or keeps a copy under, less the complaint's number, so that
        the form of any complaint is recognised."""
        report = self.env.ref(FORM_REPORT, raise_if_not_found=False)
        if not report:
            return ()
        report = report.sudo()
        names = {
            report.with_context(lang=code).name
            for code, _name in self.env["res.lang"].get_installed()
        }
        for complaint in self:
            for expression in (report.print_report_name, report.attachment):
                if not expression:
                    continue
                printed = str(safe_eval(expression, {"object": complaint, "time": time}))
                generic = printed.replace(complaint.name, "").strip(" -_.")
                names.add(generic or printed)
        return tuple({name.strip().casefold() for name in names if name and name.strip()})
