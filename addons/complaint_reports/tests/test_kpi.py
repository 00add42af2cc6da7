from datetime import date, datetime, timedelta

from freezegun import freeze_time
from lxml import html as lxml_html

from odoo import Command
from odoo.tests import tagged

from odoo.addons.complaint_service.tests.common import ComplaintCase

# A month no demo complaint uses.
MARCH = datetime(2031, 3, 3, 9, 0)


def read_kpi_table(markup):
    """The KPI table as its header, its rows (label, value shown, badge,
    target) and the line under it."""
    tree = lxml_html.fromstring(f"<div>{markup}</div>")
    (table,) = tree.xpath("//table")
    header = [th.text_content().strip() for th in table.xpath("./thead/tr/th")]
    rows = []
    for tr in table.xpath("./tbody/tr"):
        label, value, target = tr.xpath("./td")
        (badge,) = value.xpath("./span")
        kinds = [c for c in badge.get("class").split() if c.startswith("text-bg-")]
        rows.append(
            (
                label.text_content().strip(),
                badge.text_content().strip(),
                " ".join(kinds),
                target.text_content().strip(),
            )
        )
    note = " ".join(p.text_content().strip() for p in tree.xpath("//p"))
    return header, rows, note


@tagged("post_install", "-at_install")
class TestKpis(ComplaintCase):
    """Every KPI on a small known data set, compared with values computed by hand."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.policy.write({"manager_approval_limit": 1000})

    def log_callback(self, callback, outcome, score, notes=False):
        """The callback agent logs a reached customer through the callback wizard."""
        self.env["complaint.callback.log.wizard"].with_user(self.agent).create(
            {
                "callback_id": callback.id,
                "reached": "yes",
                "outcome": outcome,
                "score": score,
                "notes": notes,
            }
        ).action_log()

    def handle(
        self, complaint, start, late_register=False, close_after=None, score=None, compensation=0.0
    ):
        """Drive a complaint received at ``start`` through the clock."""
        with freeze_time(start + timedelta(minutes=5)):
            complaint.action_send_to_manager()
            complaint.with_user(self.manager).write({"user_id": self.advisor2.id})
            complaint.with_user(self.manager).action_dispatch()
            vals = {
                "cause": "other",
                "cause_analysis": "Found.",
                "solution": "Fixed.",
                "date_customer_contacted": start + timedelta(minutes=5),
            }
            if compensation:
                vals.update(compensation_type="goodwill", compensation_amount=compensation)
            complaint.write(vals)
            if compensation:
                complaint.action_request_approval()
                complaint.with_user(self.manager).action_approve_solution()
        with freeze_time(start + timedelta(hours=2)):
            complaint.with_user(self.advisor2).action_propose_solution()
        callback = complaint.callback_ids.filtered(lambda c: c.state == "to_call")
        if close_after is not None:
            with freeze_time(start + close_after):
                self.log_callback(callback, "satisfied", score)
        return complaint

    def known_month(self):
        """March 2031: four complaints A, B, C, D and five workshop visits."""
        # A: on time, closed after 2 days, satisfaction 5.
        with freeze_time(MARCH):
            a = self.new_complaint(date_received=MARCH)
        self.handle(a, MARCH, close_after=timedelta(days=2), score="5")
        # B: registered 11 minutes after reception (late), still open.
        with freeze_time(MARCH + timedelta(days=1, minutes=11)):
            b = self.new_complaint(date_received=MARCH + timedelta(days=1))
        # C: on time, first solution rejected (score 2), closed after 8 days (score 4).
        start_c = MARCH + timedelta(days=2)
        with freeze_time(start_c):
            c = self.new_complaint(date_received=start_c)
        self.handle(c, start_c)
        with freeze_time(start_c + timedelta(hours=3)):
            self.log_callback(c.callback_ids, "dissatisfied", "2", "Still noisy")
        with freeze_time(start_c + timedelta(hours=4)):
            c.with_user(self.manager).action_dispatch()
            c.with_user(self.advisor2).write({"date_customer_contacted": start_c})
            c.with_user(self.advisor2).action_propose_solution()
        with freeze_time(start_c + timedelta(days=8)):
            self.log_callback(
                c.callback_ids.filtered(lambda x: x.state == "to_call"), "satisfied", "4"
            )
        # D: on time, 300 of approved goodwill, closed after 5 days, satisfaction 4.
        start_d = MARCH + timedelta(days=3)
        with freeze_time(start_d):
            d = self.new_complaint(date_received=start_d)
        self.handle(d, start_d, close_after=timedelta(days=5), score="4", compensation=300)
        self.assertEqual((a | c | d).mapped("state"), ["closed"] * 3)
        self.assertEqual(b.state, "new")
        # Workshop visits in March: 5 repair orders.
        self.env["repair.order"].create(
            [
                {"partner_id": self.customer.id, "schedule_date": MARCH + timedelta(days=i)}
                for i in range(5)
            ]
        )
        self.env.flush_all()
        return a, b, c, d

    def test_kpis_of_a_known_month(self):
        a, b, c, d = self.known_month()
        summary = self.env["complaint.report"]._kpi_summary(
            date(2031, 3, 1), date(2031, 3, 31), self.env.company
        )
        kpis = summary["kpis"]
        self.assertEqual(kpis["complaints"], 4)
        self.assertEqual(kpis["visits"], 5)
        self.assertAlmostEqual(kpis["response_on_time"], 75.0)  # B registered late
        self.assertAlmostEqual(kpis["closure"], 75.0)  # A, C, D of 4
        self.assertAlmostEqual(kpis["one_week_closure"], 50.0)  # A, D (C took 8 days)
        self.assertAlmostEqual(kpis["repeat"], 25.0)  # C
        self.assertAlmostEqual(kpis["satisfaction"], 4.0)  # A 5, C (2+4)/2, D 4
        self.assertAlmostEqual(kpis["hours_to_solution"], 2.0)  # first solutions after 2 h
        self.assertAlmostEqual(kpis["compensation"], 300.0)
        self.assertAlmostEqual(kpis["complaint_rate"], 80.0)  # 4 / 5
        self.assertEqual(summary["targets"]["one_week_closure"], 80.0)
        self.assertEqual(
            summary["meets"],
            {
                "response_on_time": False,
                "closure": False,
                "one_week_closure": False,
                "complaint_rate": False,
            },
        )
        # The pivot's grouping gives the same rates per group.
        rows = dict(
            self.env["complaint.report"]._read_group(
                [("complaint_id", "in", (a | b | c | d).ids)],
                ["team_id"],
                ["response_on_time:avg"],
            )
        )
        self.assertAlmostEqual(rows[self.service], 75.0)

    def test_kpi_table_of_a_known_month(self):
        """The table that the dashboard and the reviews show: the template's
        rows, values as the summary gives them, badges against the targets."""
        self.known_month()
        self.policy.write({"target_response_on_time": 70.0, "target_closure": 92.5})
        markup = (
            self.env["complaint.report"]
            .with_user(self.manager)
            .kpi_table_html(date(2031, 3, 1), date(2031, 3, 31), self.company)
        )
        header, rows, note = read_kpi_table(markup)
        self.assertEqual(header, ["KPI", "This month", "Target"])
        self.assertEqual(
            rows,
            [
                ("Response on time", "75.0 %", "text-bg-success", "70 %"),
                ("Closure rate", "75.0 %", "text-bg-danger", "92.5 %"),
                ("Closed within a week", "50.0 %", "text-bg-danger", "80 %"),
                ("Complaint rate", "80.00 %", "text-bg-danger", "0.15 %"),
            ],
        )
        self.assertEqual(note, "4 complaints for 5 workshop visits.")

    def test_kpi_table_formats(self):
        """Rates with one decimal, the complaint rate with two, targets as
        typed; no data: a dash in a grey badge."""
        Report = self.env["complaint.report"]
        summary = {
            "kpis": {
                "complaints": 3,
                "visits": 2431,
                "response_on_time": 92.46,
                "closure": 100.0,
                "one_week_closure": 200 / 3,
                "complaint_rate": 0.1234,
            },
            "targets": {
                "response_on_time": 100.0,
                "closure": 92.5,
                "one_week_closure": 80.0,
                "complaint_rate": 0.125,
            },
            "meets": {
                "response_on_time": False,
                "closure": True,
                "one_week_closure": False,
                "complaint_rate": True,
            },
        }
        _header, rows, note = read_kpi_table(Report.render_kpi_table(summary))
        self.assertEqual(
            rows,
            [
                ("Response on time", "92.5 %", "text-bg-danger", "100 %"),
                ("Closure rate", "100.0 %", "text-bg-success", "92.5 %"),
                ("Closed within a week", "66.7 %", "text-bg-danger", "80 %"),
                ("Complaint rate", "0.12 %", "text-bg-success", "0.125 %"),
            ],
        )
        self.assertEqual(note, "3 complaints for 2431 workshop visits.")
        _header, rows, note = read_kpi_table(
            Report.kpi_table_html(date(2032, 1, 1), date(2032, 1, 31), self.company)
        )
        self.assertEqual(
            rows,
            [
                ("Response on time", "-", "text-bg-light", "100 %"),
                ("Closure rate", "-", "text-bg-light", "100 %"),
                ("Closed within a week", "-", "text-bg-light", "80 %"),
                ("Complaint rate", "-", "text-bg-light", "0.15 %"),
            ],
        )
        self.assertEqual(note, "0 complaints for 0 workshop visits.")

    def test_kpi_table_is_translated(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["complaint_reports"], ["zh_CN"])
        self.known_month()
        markup = (
            self.env["complaint.report"]
            .with_context(lang="zh_CN")
            .kpi_table_html(date(2031, 3, 1), date(2031, 3, 31), self.company)
        )
        header, rows, note = read_kpi_table(markup)
        self.assertEqual(header, ["指标", "本月", "目标"])
        self.assertEqual(
            [row[0] for row in rows], ["按时响应率", "结案率", "一周内结案率", "投诉率"]
        )
        self.assertEqual(note, "共 4 件投诉，进厂台次 5。")

    def test_empty_period_has_no_rates(self):
        summary = self.env["complaint.report"]._kpi_summary(
            date(2032, 1, 1), date(2032, 1, 31), self.env.company
        )
        self.assertEqual(summary["kpis"]["complaints"], 0)
        self.assertIsNone(summary["kpis"]["response_on_time"])
        self.assertIsNone(summary["meets"]["response_on_time"])
        self.assertIsNone(summary["kpis"]["satisfaction"])
        self.assertIsNone(summary["kpis"]["closure"])
        self.assertIsNone(summary["kpis"]["complaint_rate"])
        self.assertIsNone(summary["meets"]["closure"])

    def test_report_is_for_managers(self):
        from odoo.exceptions import AccessError

        with self.assertRaises(AccessError):
            self.env["complaint.report"].with_user(self.advisor).search([])
        self.env["complaint.report"].with_user(self.manager).search([])

    def test_months_are_the_dealership_months(self):
        """A complaint heard at 01:30 on 1 April in Shanghai (17:30 UTC on
        31 March) is April's, in the summary and in the pivot's months."""
        self.company.resource_calendar_id.tz = "Asia/Shanghai"
        night = datetime(2031, 3, 31, 17, 30)
        with freeze_time(night):
            april = self.new_complaint(date_received=night)
            march = self.new_complaint(date_received=night - timedelta(hours=2))
            self.env["repair.order"].create(
                {"partner_id": self.customer.id, "schedule_date": night}
            )
        self.env.flush_all()
        Report = self.env["complaint.report"].with_user(self.manager)
        kpis = Report._kpi_summary(date(2031, 3, 1), date(2031, 3, 31), self.company)["kpis"]
        self.assertEqual((kpis["complaints"], kpis["visits"]), (1, 0))
        kpis = Report._kpi_summary(date(2031, 4, 1), date(2031, 4, 30), self.company)["kpis"]
        self.assertEqual((kpis["complaints"], kpis["visits"]), (1, 1))
        months = Report.read_group(
            [("complaint_id", "in", (april | march).ids)],
            ["nbr:sum"],
            ["date_received_day:month"],
            lazy=False,
        )
        self.assertEqual(
            [(group["date_received_day:month"], group["nbr"]) for group in months],
            [("March 2031", 1), ("April 2031", 1)],
        )


@tagged("post_install", "-at_install")
class TestMisuseStatistics(ComplaintCase):
    def test_misuse_counts_in_the_statistics_once_confirmed(self):
        photo = self.env["ir.attachment"].create({"name": "clutch.jpg", "raw": b"jpg"})
        complaint = self.new_complaint(
            cause="misuse", evidence_attachment_ids=[Command.set(photo.ids)]
        )
        Report = self.env["complaint.report"]
        self.env.flush_all()
        self.assertFalse(Report.search([("complaint_id", "=", complaint.id)]).cause)
        complaint.with_user(self.manager).action_confirm_misuse()
        self.env.flush_all()
        Report.invalidate_model()
        self.assertEqual(Report.search([("complaint_id", "=", complaint.id)]).cause, "misuse")
