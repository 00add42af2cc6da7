import base64
import io
from datetime import date, datetime, timedelta

import openpyxl
from freezegun import freeze_time
from odoo.addons.complaint_service.tests.common import ComplaintCase
from odoo.exceptions import UserError
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestRegisterExport(ComplaintCase):
    def wizard(self, **vals):
        values = {"date_from": date(2031, 5, 1), "date_to": date(2031, 5, 31)}
        values.update(vals)
        return self.env["complaint.export.wizard"].with_user(self.manager).create(values)

    def workbook(self, wizard):
        action = wizard.action_export_register()
        self.assertIn("download=true", action["url"])
        return openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.file)))

    def test_register_has_one_row_per_complaint_with_every_field(self):
        received = datetime(2031, 5, 6, 1, 30)  # UTC
        with freeze_time(received + timedelta(minutes=5)):
            first = self.new_complaint(date_received=received, license_plate="京A·88888")
            self.new_complaint(team_id=self.sales.id, date_received=received)
        with freeze_time(datetime(2031, 6, 1, 9)):
            self.new_complaint()  # outside the period
        self.manager.tz = "Asia/Shanghai"
        sheet = self.workbook(self.wizard()).active
        header = [cell.value for cell in sheet[1]]
        self.assertEqual(header[:3], ["Number", "Received", "Registered"])
        self.assertIn("First Responder", header)
        self.assertIn("Severity", header)
        self.assertEqual(sheet.max_row, 3, "header + the two complaints of May")
        self.assertEqual(sheet.freeze_panes, "A2")
        self.assertTrue(sheet.auto_filter.ref.startswith("A1:"))
        row = {header[i]: cell.value for i, cell in enumerate(sheet[2])}
        self.assertEqual(row["Number"], first.name)
        self.assertEqual(row["Received"], datetime(2031, 5, 6, 9, 30), "in the user's timezone")
        self.assertEqual(sheet.cell(2, 2).number_format, "yyyy-mm-dd hh:mm")
        self.assertEqual(row["Plate"], "京A·88888")
        self.assertEqual(row["Channel"], "Walk-in return")
        self.assertEqual(row["First Responder"], self.advisor.name)
        self.assertGreaterEqual(sheet.column_dimensions["B"].width, 20)

    def test_register_filters_departments_and_translates_headers(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["complaint_service"], ["zh_CN"])
        with freeze_time(datetime(2031, 5, 7, 9)):
            self.new_complaint(team_id=self.sales.id)
            self.new_complaint()
        wizard = self.wizard(team_ids=[(6, 0, self.sales.ids)]).with_context(lang="zh_CN")
        sheet = self.workbook(wizard).active
        self.assertEqual(sheet.max_row, 2)
        self.assertEqual(sheet.cell(1, 1).value, "编号")

    def test_period_must_be_valid(self):
        with self.assertRefused(UserError, "To"):
            self.wizard(
                date_from=date(2031, 5, 31), date_to=date(2031, 5, 1)
            ).action_export_register()
