import shutil
import unittest

from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.complaint_service.tests.common import T0, ComplaintCase


@tagged("post_install", "-at_install")
class TestComplaintForm(ComplaintCase):
    def complaint(self):
        with freeze_time(T0):
            complaint = self.new_complaint(license_plate="京A·12345")
        self.run_to_solution(complaint)
        return complaint

    def test_form_html_holds_the_whole_record(self):
        complaint = self.complaint()
        html, _kind = (
            self.env["ir.actions.report"]
            .with_user(self.advisor)
            ._render_qweb_html("complaint_reports.complaint_form_report", complaint.ids)
        )
        html = html.decode()
        for expected in (
            complaint.name,
            "Customer Wu",
            "The air conditioning still blows warm air",
            "Refrigerant leak",
            "Replace the condenser",
            "Dispatch",
            "On time",
            "First responder:",
            "General manager:",
            "Internal document",
        ):
            self.assertIn(expected, html)

    def test_form_renders_as_pdf(self):
        if not shutil.which("wkhtmltopdf"):
            raise unittest.SkipTest("wkhtmltopdf is not installed: the PDF cannot be rendered")
        complaint = self.complaint()
        report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        pdf, kind = report._render_qweb_pdf(
            "complaint_reports.complaint_form_report", complaint.ids
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
