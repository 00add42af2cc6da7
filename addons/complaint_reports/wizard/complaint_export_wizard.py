import os
import tempfile
from datetime import datetime

import pytz
from dateutil.relativedelta import relativedelta
from werkzeug.urls import url_encode

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, date_utils
from odoo.tools.misc import xlsxwriter

from ..tools import xlsx_stream

# Complaint register columns: every field of the record that a reader needs.
REGISTER_FIELDS = [
    "name",
    "date_received",
    "date_registered",
    "channel",
    "partner_id",
    "partner_phone",
    "vin",
    "license_plate",
    "vehicle_model_id",
    "odometer",
    "repair_ids",
    "team_id",
    "manager_id",
    "user_id",
    "first_responder_id",
    "callback_user_id",
    "description",
    "customer_request",
    "cause",
    "verdict",
    "validity",
    "fault_type",
    "severity",
    "severity_reason",
    "is_major",
    "state",
    "current_step",
    "current_deadline",
    "round",
    "is_repeat",
    "breach_count",
    "joint_liability",
    "cause_analysis",
    "solution",
    "compensation_type",
    "compensation_amount",
    "approval_state",
    "approved_by_id",
    "date_customer_contacted",
    "customer_opinion",
    "date_closed",
    "company_id",
]
EXPORTS = ("register", "statistics", "breaches")
BATCH = 5000
# Display names of these comodels are read from one stored column (what their
# display name shows when no display option is given in the context).
SQL_DISPLAY_NAMES = {"res.partner": "complete_name"}
# At most this many display names per comodel are kept during an export.
NAME_CACHE = 50000


class ComplaintExportWizard(models.TransientModel):
    _name = "complaint.export.wizard"
    _description = "Export Complaints to Excel"

    date_from = fields.Date(
        "From",
        required=True,
        default=lambda self: date_utils.get_month(fields.Date.context_today(self))[0],
    )
    date_to = fields.Date(
        "To",
        required=True,
        default=lambda self: date_utils.get_month(fields.Date.context_today(self))[1],
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        domain=lambda self: [("id", "in", self.env.user.company_ids.ids)],
    )
    team_ids = fields.Many2many(
        "complaint.team", string="Departments", help="Leave empty for every department."
    )

    @api.constrains("company_id")
    def _check_company_id(self):
        """Only the user's own companies (the policy's accessor refuses the others)."""
        for wizard in self.filtered("company_id"):
            self.env["complaint.policy"].get_company_policy(wizard.company_id)

    def _domain(self):
        self.ensure_one()
        if self.date_to < self.date_from:
            raise UserError(self.env._("To: the period ends before it starts."))
        # The days of the dealership's time zone, as the analysis counts them.
        start, end = self.env["complaint.report"]._period_bounds(
            self.date_from, self.date_to, self.company_id
        )
        domain = [
            ("company_id", "=", self.company_id.id),
            ("date_received", ">=", start),
            ("date_received", "<", end),
        ]
        if self.team_ids:
            domain.append(("team_id", "in", self.team_ids._origin.ids))
        return domain

    def action_export_register(self):
        """The complaint register: one row per complaint with every field."""
        return self._download("register")

    def action_export_statistics(self):
        """The monthly statistics workbook: KPIs against targets, tables by
        channel, department, cause and verdict, and a chart."""
        return self._download("statistics")

    def action_export_breaches(self):
        """Every breached clock step of the period, with who was responsible."""
        return self._download("breaches")

    def _download(self, kind):
        """Check the input here, where the user can correct it, then let the
        browser fetch the file: the controller writes it to disk and streams it,
        so that no workbook, however large, is held in memory or in the
        database.  The URL carries the export's parameters, not this record:
        the download reads complaints only, and so runs on a read replica
        where one is configured (README, "Scaling out")."""
        self.ensure_one()
        self._domain()
        params = {
            "date_from": fields.Date.to_string(self.date_from),
            "date_to": fields.Date.to_string(self.date_to),
            "company_id": self.company_id.id,
        }
        if self.team_ids:
            params["team_ids"] = ",".join(str(team_id) for team_id in self.team_ids.ids)
        return {
            "type": "ir.actions.act_url",
            "url": f"/complaint_reports/export/{kind}?{url_encode(params)}",
            "target": "self",
        }

    @api.model
    def _from_params(self, date_from, date_to, company_id, team_ids=None):
        """The export a download URL describes, as a record that is never
        saved (nothing is written on the download's path).  Raises
        ValueError for parameters that are not an export's, AccessError for a
        company that is not the user's."""
        company = self.env["res.company"].browse(int(company_id))
        if company not in self.env.user.company_ids:
            raise AccessError(self.env._("Company: you do not work for this company."))
        teams = self.env["complaint.team"].browse(
            [int(team_id) for team_id in (team_ids or "").split(",") if team_id]
        )
        return self.new(
            {
                "date_from": fields.Date.to_date(date_from),
                "date_to": fields.Date.to_date(date_to),
                "company_id": company.id,
                "team_ids": [Command.set(teams.exists().ids)],
            }
        )

    def _export_file(self, kind):
        """The workbook `kind` (one of EXPORTS) written to a temporary file:
        returns the file opened for reading, already unlinked (it disappears
        when the handle is closed), and its name for the user.

        xlsxwriter writes in constant_memory mode (rows go to disk as they are
        written); the register's rows are streamed into its workbook by
        xlsx_stream (a hundred thousand complaints in a few seconds: see
        tests/benchmark/README.md)."""
        self.ensure_one()
        if kind not in EXPORTS:
            raise UserError(self.env._("Unknown export: %(kind)s", kind=kind))
        domain = self._domain()
        fill = None
        if kind == "register":
            count = self.env["complaint.complaint"].search_count(domain)
            columns = self._register_columns()

            def write(workbook):
                self._write_register_header(workbook, columns, count)

            def fill(source, target):
                xlsx_stream.fill_sheet(
                    source,
                    target,
                    "xl/worksheets/sheet1.xml",
                    self._register_batches(columns, domain),
                    first_row=2,
                    last_row=count + 1,
                )

            name = self.env._("Complaint register")
        elif kind == "statistics":
            write = self._write_statistics
            name = self.env._("Complaint statistics")
        else:
            steps = self.env["complaint.step"].search(
                [("complaint_id", "any", domain), ("is_late", "=", True)],
                order="breach_date, id",
            )

            def write(workbook):
                self._write_breaches(workbook, steps)

            name = self.env._("Breached steps")
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "export.xlsx")
            workbook = xlsxwriter.Workbook(path, {"constant_memory": True, "tmpdir": tmp})
            write(workbook)
            workbook.close()
            if fill:
                filled = os.path.join(tmp, "filled.xlsx")
                fill(path, filled)
                path = filled
            handle = open(path, "rb")  # noqa: SIM115 - the response closes it
        return handle, f"{name} {self.date_from} - {self.date_to}.xlsx"

    def _register_columns(self):
        """The register's fields the user may read."""
        Complaint = self.env["complaint.complaint"]
        return [
            Complaint._fields[name]
            for name in REGISTER_FIELDS
            if Complaint._fields[name].is_accessible(self.env)
        ]

    def _write_register_header(self, workbook, columns, count):
        """Header, column widths and formats, frozen header, autofilter over the
        `count` rows that xlsx_stream adds."""
        sheet = workbook.add_worksheet(self.env._("Complaints"))
        formats = self._formats(workbook)
        # Column formats: the streamed cells take the style of their column.
        column_formats = {"datetime": formats["date"], "monetary": formats["money"]}
        for col, field in enumerate(columns):
            sheet.write_string(0, col, field.get_description(self.env)["string"], formats["header"])
            width = 20 if field.type in ("datetime", "many2one", "many2many") else 14
            if field.type == "text":
                width = 40
            sheet.set_column(col, col, width, column_formats.get(field.type))
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, max(count, 1), len(columns) - 1)

    def _register_sql(self, query, field, tz):
        """SQL of one register column. Datetimes become Excel serial numbers in
        the user's time zone; many2many fields the array of their ids."""
        Complaint = self.env["complaint.complaint"]
        alias = query.table
        if field.type == "many2many":
            return SQL(
                "ARRAY(SELECT %s FROM %s WHERE %s = %s ORDER BY 1)",
                SQL.identifier(field.relation, field.column2),
                SQL.identifier(field.relation),
                SQL.identifier(field.relation, field.column1),
                SQL.identifier(alias, "id"),
            )
        value = Complaint._field_to_sql(alias, field.name, query)
        if field.type == "datetime":
            # 25569 is 1970-01-01 in Excel's 1900 date system.
            return SQL(
                "(EXTRACT(EPOCH FROM (%s AT TIME ZONE 'UTC' AT TIME ZONE %s)) / 86400 + 25569)"
                "::float8",
                value,
                tz,
            )
        return value

    def _register_batches(self, columns, domain):
        """The register's rows, a batch at a time, in order of reception.

        One SQL query per batch with keyset pagination on (received, id): each
        batch is an index range scan, whatever its position, and memory holds
        one batch. Record rules apply (the query comes from _search)."""
        Complaint = self.env["complaint.complaint"]
        tz = self.env.context.get("tz") or self.env.user.tz or "UTC"
        if tz not in pytz.all_timezones_set:
            tz = "UTC"
        names = {}
        convert = self._register_converter(columns, names)
        after = None
        while True:
            query = Complaint._search(domain)
            received = SQL.identifier(query.table, "date_received")
            record_id = SQL.identifier(query.table, "id")
            if after:
                query.add_where(SQL("(%s, %s) > (%s, %s)", received, record_id, *after))
            query.order = SQL("%s, %s", received, record_id)
            query.limit = BATCH
            values = [self._register_sql(query, field, tz) for field in columns]
            rows = self.env.execute_query(query.select(received, record_id, *values))
            if not rows:
                return
            after = rows[-1][:2]
            wanted = {}
            for col, field in enumerate(columns, start=2):
                if field.type == "many2one":
                    wanted.setdefault(field.comodel_name, set()).update(row[col] for row in rows)
                elif field.type == "many2many":
                    ids = wanted.setdefault(field.comodel_name, set())
                    for row in rows:
                        ids.update(row[col])
            for comodel, ids in wanted.items():
                self._display_names(comodel, ids, names)
            yield [convert(row[2:]) for row in rows]
            if len(rows) < BATCH:
                return

    def _register_converter(self, columns, names):
        """A function turning a row read by _register_batches into cells:
        labels of selections, display names, "Yes" for a set checkbox, 0 for
        an empty number. Built once per export, column by column, so that a
        row costs no per-cell dispatch."""
        yes = self.env._("Yes")
        numbers, labels, single, many, checks = [], [], [], [], []
        for col, field in enumerate(columns):
            if field.type in ("integer", "float", "monetary"):
                numbers.append(col)
            elif field.type == "selection":
                labels.append((col, dict(field._description_selection(self.env))))
            elif field.type == "many2one":
                single.append((col, names.setdefault(field.comodel_name, {})))
            elif field.type == "many2many":
                many.append((col, names.setdefault(field.comodel_name, {})))
            elif field.type == "boolean":
                checks.append(col)

        def convert(row):
            cells = list(row)
            for col in numbers:
                cells[col] = cells[col] or 0
            for col, shown in labels:
                value = cells[col]
                if value:
                    cells[col] = shown.get(value, value)
            for col, known in single:
                value = cells[col]
                if value:
                    cells[col] = known.get(value)
            for col, known in many:
                value = cells[col]
                cells[col] = ", ".join(known.get(id_) or "" for id_ in value) if value else None
            for col in checks:
                cells[col] = yes if cells[col] else None
            return cells

        return convert

    def _display_names(self, comodel, ids, names):
        """Add the display names of `ids` (all the ids of `comodel` in a batch)
        to names[comodel], reading only those not known yet; as in a form view,
        as superuser (seeing a complaint is enough to see the name of its
        customer). Bounded: the memory of a long export stays flat."""
        known = names.setdefault(comodel, {})
        missing = [id_ for id_ in ids if id_ and id_ not in known]
        if not missing:
            return
        if len(known) + len(missing) > NAME_CACHE:
            known.clear()  # the same dict: the converter keeps reading it
            missing = [id_ for id_ in ids if id_]
        Model = self.env[comodel].sudo().with_context(active_test=False)
        column = SQL_DISPLAY_NAMES.get(comodel)
        if column is None and (
            type(Model)._compute_display_name is models.BaseModel._compute_display_name
            and Model._rec_name in Model._fields
            and (Model._fields[Model._rec_name].store or Model._fields[Model._rec_name].related)
        ):
            column = Model._rec_name
        if column:
            query = Model._search([("id", "in", missing)])
            known.update(
                self.env.execute_query(
                    query.select(
                        SQL.identifier(query.table, "id"),
                        Model._field_to_sql(query.table, column, query),
                    )
                )
            )
        else:
            known.update((record.id, record.display_name) for record in Model.browse(missing))

    def _formats(self, workbook):
        return {
            "header": workbook.add_format(
                {
                    "bold": True,
                    "bg_color": "#D9E1F2",
                    "border": 1,
                    "text_wrap": True,
                    "valign": "top",
                }
            ),
            "date": workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"}),
            "money": workbook.add_format({"num_format": "#,##0.00"}),
            "pct": workbook.add_format({"num_format": "0.0"}),
            "title": workbook.add_format({"bold": True, "font_size": 14}),
        }

    def _write_table(self, sheet, formats, headers, rows, widths=None):
        for col, label in enumerate(headers):
            sheet.write(0, col, label, formats["header"])
            sheet.set_column(col, col, (widths or {}).get(col, 16))
        sheet.freeze_panes(1, 0)
        for row_index, row in enumerate(rows, start=1):
            for col, value in enumerate(row):
                if isinstance(value, datetime):
                    sheet.write_datetime(row_index, col, value, formats["date"])
                elif isinstance(value, float):
                    sheet.write_number(row_index, col, value, formats["pct"])
                elif value is None or value is False:
                    sheet.write_blank(row_index, col, None)
                else:
                    sheet.write(row_index, col, value)
        sheet.autofilter(0, 0, max(len(rows), 1), len(headers) - 1)
        return len(rows)

    def _write_statistics(self, workbook):
        formats = self._formats(workbook)
        Report = self.env["complaint.report"]
        summary = Report._kpi_summary(self.date_from, self.date_to, self.company_id)
        labels = {
            "response_on_time": self.env._("Response on time (%)"),
            "closure": self.env._("Closure rate (%)"),
            "one_week_closure": self.env._("Closed within a week (%)"),
            "complaint_rate": self.env._("Complaint rate (% of workshop visits)"),
        }
        sheet = workbook.add_worksheet(self.env._("KPIs"))
        rows = [
            (
                label,
                summary["kpis"][key],
                summary["targets"][key],
                {True: self.env._("Met"), False: self.env._("Missed"), None: ""}[
                    summary["meets"][key]
                ],
            )
            for key, label in labels.items()
        ]
        rows += [
            (self.env._("Complaints"), summary["kpis"]["complaints"], None, ""),
            (self.env._("Workshop visits"), summary["kpis"]["visits"], None, ""),
            (self.env._("Repeat complaints (%)"), summary["kpis"]["repeat"], None, ""),
            (self.env._("Average satisfaction (1-5)"), summary["kpis"]["satisfaction"], None, ""),
            (
                self.env._("Self-service confirmations (%)"),
                summary["kpis"]["self_service"],
                None,
                "",
            ),
            (
                self.env._("Average hours to solution"),
                summary["kpis"]["hours_to_solution"],
                None,
                "",
            ),
            (self.env._("Compensation"), summary["kpis"]["compensation"], None, ""),
            (self.env._("Breaches"), summary["kpis"]["breaches"], None, ""),
        ]
        rows = [
            tuple(
                float(v)
                if isinstance(v, int | float) and not isinstance(v, bool) and i in (1, 2)
                else v
                for i, v in enumerate(row)
            )
            for row in rows
        ]
        self._write_table(
            sheet,
            formats,
            [self.env._("KPI"), self.env._("Value"), self.env._("Target"), self.env._("Status")],
            rows,
            widths={0: 36},
        )
        self._write_periods(workbook, formats)
        domain = self._domain()
        measures = [
            "__count",
            "closure_rate:avg",
            "one_week_closure_rate:avg",
            "response_on_time:avg",
            "satisfaction:avg",
            "self_service_rate:avg",
        ]
        headers = [
            self.env._("Complaints"),
            self.env._("Closure rate (%)"),
            self.env._("Closed within a week (%)"),
            self.env._("Response on time (%)"),
            self.env._("Average satisfaction (1-5)"),
            self.env._("Self-service confirmations (%)"),
        ]
        first_table = None
        for fname, title in (
            ("channel", self.env._("By channel")),
            ("confirmation_channel", self.env._("By confirmation")),
            ("team_id", self.env._("By department")),
            ("cause", self.env._("By cause")),
            ("verdict", self.env._("By verdict")),
        ):
            field = Report._fields[fname]
            groups = Report._read_group(domain, [fname], measures)
            names = (
                dict(field._description_selection(self.env)) if field.type == "selection" else {}
            )
            rows = []
            for key, *values in groups:
                label = names.get(key, "") if names else (key.display_name if key else "")
                rows.append(
                    (
                        label or self.env._("Not set"),
                        *[float(v) if isinstance(v, float) else v for v in values],
                    )
                )
            table = workbook.add_worksheet(title)
            self._write_table(
                table,
                formats,
                [field.get_description(self.env)["string"], *headers],
                rows,
                widths={0: 28},
            )
            if fname == "cause":
                first_table = (table, len(rows))
        if first_table and first_table[1]:
            table, count = first_table
            chart = workbook.add_chart({"type": "column"})
            chart.add_series(
                {
                    "name": self.env._("Complaints by cause"),
                    "categories": [table.name, 1, 0, count, 0],
                    "values": [table.name, 1, 1, count, 1],
                }
            )
            chart.set_title({"name": self.env._("Complaints by cause")})
            chart.set_legend({"none": True})
            sheet.insert_chart("F2", chart)

    def _periods(self):
        """The months, then the quarters, of the export's period (clipped to
        it): [(label, first day, last day)]."""
        months, quarters = {}, {}
        day = self.date_from
        while day <= self.date_to:
            months[f"{day:%Y-%m}"] = date_utils.get_month(day)
            quarters[f"{day.year} Q{date_utils.get_quarter_number(day)}"] = date_utils.get_quarter(
                day
            )
            day = date_utils.get_month(day)[1] + relativedelta(days=1)
        return [
            (label, max(start, self.date_from), min(end, self.date_to))
            for label, (start, end) in (months | quarters).items()
        ]

    def _write_periods(self, workbook, formats):
        """Month by month, then quarter by quarter: the complaint rate and the
        rates with a target, each against its target."""
        Report = self.env["complaint.report"]
        status = {True: self.env._("Met"), False: self.env._("Missed"), None: ""}
        rows = []
        for label, start, end in self._periods():
            summary = Report._kpi_summary(start, end, self.company_id)
            kpis, targets = summary["kpis"], summary["targets"]
            row = [label, kpis["complaints"], kpis["visits"]]
            for key in ("complaint_rate", "response_on_time", "closure", "one_week_closure"):
                value = kpis[key]
                row += [
                    float(value) if value is not None else None,
                    float(targets[key]),
                    status[summary["meets"][key]],
                ]
            rows.append(tuple(row))
        target, met = self.env._("Target"), self.env._("Status")
        self._write_table(
            workbook.add_worksheet(self.env._("By month")),
            formats,
            [
                self.env._("Period"),
                self.env._("Complaints"),
                self.env._("Workshop visits"),
                self.env._("Complaint rate (% of workshop visits)"),
                target,
                met,
                self.env._("Response on time (%)"),
                target,
                met,
                self.env._("Closure rate (%)"),
                target,
                met,
                self.env._("Closed within a week (%)"),
                target,
                met,
            ],
            rows,
            widths={0: 12},
        )

    def _write_breaches(self, workbook, steps):
        formats = self._formats(workbook)
        codes = dict(steps._fields["code"]._description_selection(self.env))
        states = dict(
            self.env["complaint.complaint"]
            ._fields["liability_state"]
            ._description_selection(self.env)
        )

        def local(dt):
            return fields.Datetime.context_timestamp(self, dt).replace(tzinfo=None) if dt else None

        rows = []
        for step in steps:
            complaint = step.complaint_id
            late_by = None
            if step.date_deadline:
                end = step.date_done or step.breach_date
                late_by = round((end - step.date_deadline).total_seconds() / 3600.0, 2)
            rows.append(
                (
                    complaint.name,
                    complaint.partner_id.display_name,
                    complaint.team_id.display_name,
                    codes.get(step.code, ""),
                    step.round,
                    step.user_id.display_name or "",
                    complaint.first_responder_id.display_name or "",
                    local(step.date_deadline),
                    local(step.date_done),
                    local(step.breach_date),
                    float(late_by) if late_by is not None else None,
                    states.get(complaint.liability_state, ""),
                )
            )
        sheet = workbook.add_worksheet(self.env._("Breached steps"))
        self._write_table(
            sheet,
            formats,
            [
                self.env._("Complaint"),
                self.env._("Customer"),
                self.env._("Department"),
                self.env._("Step"),
                self.env._("Round"),
                self.env._("Responsible"),
                self.env._("First Responder"),
                self.env._("Deadline"),
                self.env._("Completed"),
                self.env._("Breach recorded"),
                self.env._("Late by (hours)"),
                self.env._("Justification"),
            ],
            rows,
            widths={1: 22, 2: 20, 5: 22, 6: 22, 7: 18, 8: 18, 9: 18},
        )
