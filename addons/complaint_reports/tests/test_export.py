import io
import zipfile
from datetime import date, datetime, timedelta
from urllib.parse import parse_qsl, urlparse

import openpyxl
from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.complaint_service.tests.common import ComplaintCase

from ..controllers.main import ComplaintExportController


@tagged("post_install", "-at_install")
class TestRegisterExport(ComplaintCase):
    def wizard(self, **vals):
        values = {"date_from": date(2031, 5, 1), "date_to": date(2031, 5, 31)}
        values.update(vals)
        return self.env["complaint.export.wizard"].with_user(self.manager).create(values)

    def workbook(self, wizard):
        """The register as the browser gets it: from the parameters of the
        action's URL, as the controller reads them (no saved wizard)."""
        action = wizard.action_export_register()
        url = urlparse(action["url"])
        self.assertEqual(url.path, "/complaint_reports/export/register")
        params = dict(parse_qsl(url.query))
        self.assertEqual(params["date_from"], str(wizard.date_from))
        self.assertEqual(params["company_id"], str(wizard.company_id.id))
        download = wizard.env["complaint.export.wizard"]._from_params(**params)
        handle, filename = download._export_file("register")
        with handle:
            self.assertTrue(filename.endswith(".xlsx"))
            return openpyxl.load_workbook(io.BytesIO(handle.read()))

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

    def test_register_cells_of_every_kind(self):
        """Names of linked records, amounts, checkboxes, texts that XML must
        escape, and the sheet's declared size, as Excel reads them."""
        self.policy.manager_approval_limit = 5000
        repairs = self.env["repair.order"].create(
            [{"partner_id": self.customer.id}, {"partner_id": self.customer.id}]
        )
        received = datetime(2031, 5, 9, 2)
        with freeze_time(received):
            complaint = self.new_complaint(
                repair_ids=[(6, 0, repairs.ids)],
                description="  Noise <rear axle> & vibration\nsince the repair\x07 ",
                customer_request="Keep _x0041_ as typed",
            )
            complaint.with_user(self.manager).write(
                {
                    "compensation_type": "goodwill",
                    "compensation_amount": 1234.5,
                    "solution": "Replace the bearing.",
                }
            )
            self.new_complaint()
        wizard = self.wizard()
        sheet = self.workbook(wizard).active
        header = [cell.value for cell in sheet[1]]
        self.assertEqual(sheet.max_row, 3)
        self.assertEqual(sheet.auto_filter.ref, f"A1:{sheet.cell(1, len(header)).column_letter}3")
        row = {header[i]: cell for i, cell in enumerate(sheet[2])}
        self.assertEqual(row["Number"].value, complaint.name)
        self.assertEqual(
            row["Repair Orders"].value, ", ".join(sorted(repairs.mapped("display_name")))
        )
        self.assertEqual(row["Customer"].value, "Customer Wu")
        self.assertEqual(row["Phone"].value, "+86 10 5555 0101")
        self.assertEqual(row["Department"].value, "After-sales service")
        self.assertEqual(row["Department Manager"].value, "Manager Chen")
        # A control character XML cannot hold is written as Excel writes it
        # (_xHHHH_), and text that looks like that escape is itself escaped:
        # Excel shows both as typed; openpyxl shows the escapes.
        self.assertEqual(
            row["Customer's Words"].value,
            "  Noise <rear axle> & vibration\nsince the repair_x0007_ ",
        )
        self.assertEqual(row["Customer Asks For"].value, "Keep _x005F_x0041_ as typed")
        self.assertEqual(row["Compensation Amount"].value, 1234.5)
        self.assertEqual(row["Compensation Amount"].number_format, "#,##0.00")
        self.assertEqual(row["Round"].value, 1)
        self.assertEqual(row["Breaches"].value, 0)
        self.assertIsNone(row["Repeat Complaint"].value, "an unticked box is an empty cell")
        self.assertIsNone(row["Closed"].value)
        self.assertEqual(row["Received"].value, received)  # the manager's time zone is UTC
        self.assertEqual(sheet.cell(3, 1).value, complaint.search([], limit=1).name)

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


@tagged("post_install", "-at_install")
class TestStatisticsAndBreaches(ComplaintCase):
    def export(self, action, **vals):
        values = {"date_from": date(2031, 7, 1), "date_to": date(2031, 7, 31)}
        values.update(vals)
        wizard = self.env["complaint.export.wizard"].with_user(self.manager).create(values)
        kind = urlparse(getattr(wizard, action)()["url"]).path.rsplit("/", 1)[1]
        handle, _filename = wizard._export_file(kind)
        with handle:
            return handle.read()

    def test_statistics_workbook(self):
        start = datetime(2031, 7, 7, 9)
        for cause in ("warranty", "warranty", "attitude"):
            with freeze_time(start):
                self.new_complaint(cause=cause)
        self.env["repair.order"].create(
            [{"partner_id": self.customer.id, "schedule_date": start} for _i in range(4)]
        )
        data = self.export("action_export_statistics")
        workbook = openpyxl.load_workbook(io.BytesIO(data))
        self.assertEqual(
            workbook.sheetnames,
            [
                "KPIs",
                "By month",
                "By channel",
                "By confirmation",
                "By department",
                "By cause",
                "By verdict",
            ],
        )
        # Month by month and quarter by quarter, against the targets.
        periods = {row[0].value: row for row in workbook["By month"].iter_rows(min_row=2)}
        self.assertEqual(list(periods), ["2031-07", "2031 Q3"])
        for label in ("2031-07", "2031 Q3"):
            row = periods[label]
            self.assertEqual((row[1].value, row[2].value), (3, 4))
            self.assertAlmostEqual(row[3].value, 75.0)  # 3 complaints / 4 visits
            self.assertAlmostEqual(row[4].value, 0.15)
            self.assertEqual(row[5].value, "Missed")
        kpis = {row[0].value: row for row in workbook["KPIs"].iter_rows(min_row=2)}
        self.assertEqual(kpis["Complaints"][1].value, 3)
        self.assertEqual(kpis["Workshop visits"][1].value, 4)
        rate = kpis["Complaint rate (% of workshop visits)"]
        self.assertAlmostEqual(rate[1].value, 75.0)
        self.assertAlmostEqual(rate[2].value, 0.15)
        self.assertEqual(rate[3].value, "Missed")
        self.assertEqual(kpis["Closed within a week (%)"][2].value, 80.0)
        causes = {row[0].value: row[1].value for row in workbook["By cause"].iter_rows(min_row=2)}
        self.assertEqual(causes, {"Product quality / warranty": 2, "Staff attitude": 1})
        self.assertEqual(workbook["By cause"].freeze_panes, "A2")
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            self.assertIn("xl/charts/chart1.xml", archive.namelist(), "the chart is there")

    def test_the_new_channels_in_the_statistics(self):
        """OEM hotline work orders by channel, and the share of solutions the
        customers confirmed themselves from the link."""
        start = datetime(2031, 7, 8, 9)
        with freeze_time(start):
            oem = self.new_complaint(channel="oem", oem_ref="HL-31-1")
            phone = self.new_complaint()
        for complaint in (oem, phone):
            self.run_to_solution(complaint, start=start)
        with freeze_time(start.replace(hour=13)):
            self.assertTrue(oem.sudo()._self_service_answer("satisfied", "5", ""))
            callback = phone.callback_ids.filtered(lambda c: c.state == "to_call")
            self.env["complaint.callback.log.wizard"].with_user(self.agent).create(
                {"callback_id": callback.id, "reached": "yes", "outcome": "satisfied", "score": "4"}
            ).action_log()
        self.assertEqual(
            (oem.confirmation_channel, phone.confirmation_channel), ("self_service", "phone")
        )
        workbook = openpyxl.load_workbook(io.BytesIO(self.export("action_export_statistics")))
        kpis = {row[0].value: row for row in workbook["KPIs"].iter_rows(min_row=2)}
        self.assertAlmostEqual(kpis["Self-service confirmations (%)"][1].value, 50.0)
        channels = {
            row[0].value: row[1].value for row in workbook["By channel"].iter_rows(min_row=2)
        }
        self.assertEqual(channels["OEM hotline work order"], 1)
        confirmations = {
            row[0].value: (row[1].value, row[6].value)
            for row in workbook["By confirmation"].iter_rows(min_row=2)
        }
        self.assertEqual(confirmations["Self-service link"], (1, 100.0))
        self.assertEqual(confirmations["Callback"], (1, 0.0))
        # The analysis reads the same: by channel, with the self-service share.
        self.env.flush_all()
        groups = (
            self.env["complaint.report"]
            .with_user(self.manager)
            ._read_group(
                [("complaint_id", "in", (oem | phone).ids)],
                ["channel"],
                ["__count", "self_service_rate:avg"],
            )
        )
        self.assertEqual({c: (n, r) for c, n, r in groups}["oem"], (1, 100.0))

    def test_periods_of_the_statistics_are_clipped_months_and_quarters(self):
        wizard = self.env["complaint.export.wizard"].create(
            {"date_from": date(2031, 2, 15), "date_to": date(2031, 4, 10)}
        )
        self.assertEqual(
            wizard._periods(),
            [
                ("2031-02", date(2031, 2, 15), date(2031, 2, 28)),
                ("2031-03", date(2031, 3, 1), date(2031, 3, 31)),
                ("2031-04", date(2031, 4, 1), date(2031, 4, 10)),
                ("2031 Q1", date(2031, 2, 15), date(2031, 3, 31)),
                ("2031 Q2", date(2031, 4, 1), date(2031, 4, 10)),
            ],
        )

    def test_breached_steps_with_who_was_responsible(self):
        start = datetime(2031, 7, 8, 9)
        with freeze_time(start):
            complaint = self.new_complaint()
        with freeze_time(start + timedelta(minutes=45)):
            self.env.ref("complaint_service.ir_cron_complaint_overdue").method_direct_trigger()
        with freeze_time(start + timedelta(hours=1)):
            complaint.action_send_to_manager()
        sheet = openpyxl.load_workbook(io.BytesIO(self.export("action_export_breaches"))).active
        self.assertEqual(sheet.max_row, 2)
        row = {
            sheet.cell(1, col).value: sheet.cell(2, col).value
            for col in range(1, sheet.max_column + 1)
        }
        self.assertEqual(row["Complaint"], complaint.name)
        self.assertEqual(row["Step"], "Reach manager")
        self.assertEqual(row["Responsible"], self.advisor.name)
        self.assertEqual(row["First Responder"], self.advisor.name)
        self.assertAlmostEqual(row["Late by (hours)"], 0.5)


@tagged("post_install", "-at_install")
class TestExportDownload(HttpCase):
    """The browser downloads the file the controller streams from disk. The
    URL carries the export's parameters: the download writes nothing (it is a
    read-only route, run on a read replica where one is configured) and reads
    as the user, within their companies and record rules."""

    def test_the_download_is_a_read_only_route(self):
        self.assertIs(ComplaintExportController.export.original_routing["readonly"], True)

    def test_download_streams_the_workbook_as_the_user(self):
        group = "complaint_service.group_complaint_manager"
        owner = new_test_user(self.env, "cr_export_owner", groups=group)
        other_company = self.env["res.company"].create({"name": "Another Dealership"})
        wizard = (
            self.env["complaint.export.wizard"]
            .with_user(owner)
            .create({"date_from": date(2031, 5, 1), "date_to": date(2031, 5, 31)})
        )
        url = wizard.action_export_statistics()["url"]
        self.assertNotIn(str(wizard.id), url.split("?")[0], "no wizard on the download's path")
        # Without a session: the login page, not the file.
        anonymous = self.url_open(url)
        self.assertNotIn("spreadsheetml", anonymous.headers.get("Content-Type", ""))
        self.authenticate("cr_export_owner", "cr_export_owner")
        wizards = self.env["complaint.export.wizard"].search_count([])
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        self.assertIn("spreadsheetml", response.headers["Content-Type"])
        self.assertIn("attachment", response.headers["Content-Disposition"])
        self.assertIn("2031-05-01", response.headers["Content-Disposition"])
        workbook = openpyxl.load_workbook(io.BytesIO(response.content))
        self.assertEqual(workbook.sheetnames[0], "KPIs")
        self.assertEqual(self.env["complaint.export.wizard"].search_count([]), wizards)
        self.assertEqual(self.url_open(url.replace("statistics", "nothing")).status_code, 404)
        foreign = url.replace(
            f"company_id={wizard.company_id.id}", f"company_id={other_company.id}"
        )
        self.assertEqual(self.url_open(foreign).status_code, 404, "not the user's company")
        self.assertEqual(
            self.url_open(url.replace("date_from=2031-05-01", "date_from=May")).status_code, 400
        )
