import re
import uuid
from collections import defaultdict

from odoo import api, fields, models, tools
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import format_datetime

from .const import (
    CHANNELS,
    CLUSTER_FIELDS,
    COMPLAINT_PROTECTED_FIELDS,
    FUTURE_TOLERANCE,
    GROUP_CALLBACK,
    GROUP_USER,
    ODOMETER_MAX,
    OPEN_STATES,
    PEOPLE_FIELDS,
    PLATE_MAX_LENGTH,
    SEVERITY_FIELDS,
    STATES,
    VEHICLE_FIELDS,
    VIN_LENGTH,
    VIN_PATTERN,
)

# A search by customer matching more customers than this compares with a
# sub-select of them instead of their identifiers.
PARTNER_SEARCH_LIMIT = 1000
# The customers a search found, kept in the transaction's cache while one
# request reads a kanban's columns and cards (web_read_group).
PARTNER_SEARCH_MEMO = "complaint.complaint.partner_search"

# The people the record rules let see a complaint (security/*.xml).
RULE_PEOPLE_FIELDS = ["first_responder_id", "user_id", "callback_user_id", "create_uid"]

# From this many records on, reading them checks the record rules in SQL.
ACCESS_CHECK_SQL_MIN = 20

# A kanban opens at most this many columns with their cards (the web client's
# MAX_NUMBER_OPENED_GROUPS).
MAX_UNFOLDED_GROUPS = 10

# date_received_day in SQL, for data written without the ORM (migration, bulk
# loads): the same time zone as complaint.policy._tz().
RECEIVED_DAY_SQL = """
    UPDATE complaint_complaint c
       SET date_received_day = (c.date_received AT TIME ZONE 'UTC' AT TIME ZONE
               COALESCE(NULLIF(cal.tz, ''), NULLIF(company_cal.tz, ''), 'UTC'))::date
      FROM complaint_policy p
      JOIN res_company company ON company.id = p.company_id
      LEFT JOIN resource_calendar cal ON cal.id = p.calendar_id
      LEFT JOIN resource_calendar company_cal ON company_cal.id = company.resource_calendar_id
     WHERE p.id = c.policy_id"""


def normalize_vin(value):
    """A VIN as stamped on the vehicle: capitals, no spaces."""
    return re.sub(r"\s", "", str(value)).upper() if value else value


class ComplaintComplaint(models.Model):
    """A customer complaint registered at the service desk (投诉受理单).

    This file holds the intake (who complained, about which vehicle and repair
    orders, what was heard and when, who handles it), the stage, and the one
    create()/write() that calls each concern's hooks in the order the data
    flows.  Each concern extends the model in a file of its own, with its
    fields next to its logic: complaint_clock, complaint_classification,
    complaint_severity, complaint_accountability, complaint_solution,
    complaint_followup."""

    _name = "complaint.complaint"
    _description = "Customer Complaint"
    _inherit = ["complaint.notification.mixin", "mail.activity.mixin", "complaint.fact.guard"]
    _order = "date_received desc, id desc"
    _check_company_auto = True
    _rec_names_search = ["name", "partner_id", "vin", "license_plate"]
    _protected_fields = COMPLAINT_PROTECTED_FIELDS
    _sql_constraints = [
        (
            "name_company_uniq",
            "unique(company_id, name)",
            "Number: another complaint of this company already has this number.",
        ),
    ]

    name = fields.Char(
        "Number",
        required=True,
        readonly=True,
        copy=False,
        index="trigram",
        default=lambda self: self.env._("New"),
    )
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    policy_id = fields.Many2one(
        "complaint.policy",
        string="Handling Policy",
        required=True,
        check_company=True,
        default=lambda self: self.env["complaint.policy"].get_company_policy()._origin,
    )
    state = fields.Selection(
        STATES,
        string="Stage",
        default="new",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
        group_expand="_group_expand_state",
    )
    # Customer and vehicle
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
    )
    partner_search = fields.Char(
        "Customer Search",
        compute="_compute_partner_search",
        search="_search_partner_search",
        help="The search by customer: the matching customers are found first, and their "
        "complaints are then read by the customers' own identifiers.",
    )
    partner_phone = fields.Char(related="partner_id.phone", string="Phone")
    partner_mobile = fields.Char(related="partner_id.mobile", string="Mobile")
    repair_ids = fields.Many2many(
        "repair.order",
        "complaint_complaint_repair_order_rel",
        "complaint_id",
        "repair_id",
        string="Repair Orders",
        check_company=True,
        tracking=True,
        help="The repair orders the complaint is about.",
    )
    repair_count = fields.Integer(compute="_compute_repair_count")
    lot_id = fields.Many2one(
        "stock.lot",
        string="Vehicle",
        index="btree_not_null",
        tracking=True,
        check_company=True,
        domain=[("product_id.is_vehicle", "=", True)],
        help="The vehicle, as the serial number (VIN) of a vehicle model.",
    )
    vin = fields.Char(
        "VIN",
        compute="_compute_vin",
        store=True,
        readonly=False,
        index=True,
        tracking=True,
    )
    vehicle_model_id = fields.Many2one(
        "product.product",
        compute="_compute_vehicle_model_id",
        store=True,
        readonly=False,
        check_company=True,
    )
    license_plate = fields.Char(
        "Plate",
        compute="_compute_license_plate",
        store=True,
        readonly=False,
        index=True,
        tracking=True,
    )
    odometer = fields.Integer("Odometer (km)", tracking=True, help="At the time of the complaint.")
    # What was heard
    channel = fields.Selection(CHANNELS, required=True, default="on_site", tracking=True)
    date_received = fields.Datetime(
        "Received",
        required=True,
        index=True,
        default=fields.Datetime.now,
        copy=False,
        tracking=True,
        help="When the complaint was first heard: the clock starts here.",
    )
    date_received_day = fields.Date(
        "Day Received",
        compute="_compute_date_received_day",
        store=True,
        index=True,
        help="The day of reception in the dealership's time zone: the day, month and "
        "quarter the complaint counts in for the statistics.",
    )
    date_registered = fields.Datetime(
        "Registered",
        required=True,
        readonly=True,
        copy=False,
        default=lambda self: self._clock_now(),
    )
    description = fields.Text("Customer's Words", required=True, tracking=True)
    customer_request = fields.Text("Customer Asks For", tracking=True)
    # Who handles it (the first responder: complaint_accountability)
    team_id = fields.Many2one(
        "complaint.team", string="Department", index=True, tracking=True, check_company=True
    )
    manager_id = fields.Many2one(
        related="team_id.manager_id", string="Department Manager", store=True, index=True
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible Person",
        index=True,
        tracking=True,
        check_company=True,
        domain=[("share", "=", False)],
    )
    callback_user_id = fields.Many2one(
        "res.users",
        string="Callback Agent",
        index="btree_not_null",
        tracking=True,
        check_company=True,
        domain=[("share", "=", False)],
        help="Customer-care staff who confirms the result with the customer.",
    )
    # A colour index is not a quantity: no sum in groups (the kanban's columns
    # would ask for it).
    color = fields.Integer(aggregator=None)

    def _auto_init(self):
        res = super()._auto_init()
        # The screens at a dealer group's volume, most complaints closed: the
        # kanban columns (one state each) and the lists of open complaints are
        # read in the default order from these without sorting; the badges and
        # counts of the rare flags read partial indexes.
        open_states = ", ".join(f"'{state}'" for state in OPEN_STATES)
        for name, columns, where in (
            ("state_received", ["state", "date_received DESC", "id DESC"], ""),
            ("open_received", ["date_received DESC", "id DESC"], f"state IN ({open_states})"),
            ("open_team", ["team_id"], f"state IN ({open_states})"),
            # The kanban's columns count the open complaints by state, within
            # the record rules: every field the rules name is in the index, so
            # the counts read the index only, not the table.
            (
                "open_state",
                ["state", "company_id", "team_id", *RULE_PEOPLE_FIELDS],
                f"active AND state IN ({open_states})",
            ),
            # A customer's complaints (their form's count, its smart button's
            # kanban and list, the search by customer): each page read in
            # order, counted from the index within the record rules. A fleet
            # customer with a tenth of all complaints tipped PostgreSQL into
            # reading the table (its complaints are estimated from the
            # average customer's).
            (
                "partner_received",
                [
                    "partner_id",
                    "date_received DESC",
                    "id DESC",
                    "state",
                    "company_id",
                    "team_id",
                    *RULE_PEOPLE_FIELDS,
                ],
                "active",
            ),
            ("major", ["team_id", "date_received"], "is_major"),
            ("paused", ["team_id"], "is_paused"),
            ("repeat", ["partner_id"], "is_repeat"),
            # The record rules name the person who registered the complaint.
            ("create_uid", ["create_uid"], ""),
        ):
            tools.create_index(
                self._cr, f"complaint_complaint_{name}_idx", self._table, columns, where=where
            )
        # The search by plate or VIN matches a part of it (ilike): trigram
        # indexes, beside the btree ones of exact matches, where PostgreSQL
        # has pg_trgm (as Odoo's own index="trigram" fields).
        if self.env.registry.has_trigram:
            for fname in ("license_plate", "vin"):
                tools.create_index(
                    self._cr,
                    f"complaint_complaint_{fname}_trgm_idx",
                    self._table,
                    [f"{fname} gin_trgm_ops"],
                    method="gin",
                )
        return res

    # ------------------------------------------------------------------
    # Computes and constraints
    # ------------------------------------------------------------------

    def _group_expand_state(self, states, domain):
        return [key for key, _label in self._fields["state"].selection]

    @api.depends("date_received", "policy_id")
    def _compute_date_received_day(self):
        for complaint in self:
            tz = complaint.policy_id._tz() if complaint.policy_id else "UTC"
            complaint.date_received_day = complaint.date_received and fields.Date.context_today(
                complaint.with_context(tz=tz), complaint.date_received
            )

    @api.depends("repair_ids")
    def _compute_partner_search(self):
        self.partner_search = False

    def _search_partner_search(self, operator, value):
        """Complaints of the customers whose name (or e-mail, reference, VAT)
        matches.  The ORM would compare ``partner_id`` with a sub-select of
        the customers, for which PostgreSQL assumes an average customer: the
        complaints of a fleet customer with thousands of them were all read
        and sorted for one page.  With the customers' identifiers given, it
        knows how many complaints each has and reads a page in order.  A
        search matching very many customers keeps the sub-select."""
        if operator not in ("ilike", "like", "=", "=ilike", "=like"):
            raise UserError(self.env._("Unsupported search on Customer: %s.", operator))
        if isinstance(value, int) and not isinstance(value, bool):
            return [("partner_id", "=", value)]  # a customer picked in the search
        # A kanban's columns and their cards are searched in one request
        # (web_read_group): the customers are found once for all of them.
        memo = self.env.cr.cache.get(PARTNER_SEARCH_MEMO) if isinstance(value, str) else None
        if memo is not None and (operator, value) in memo:
            return memo[operator, value]
        partners = self.env["res.partner"]._search(
            [("display_name", operator, value)], limit=PARTNER_SEARCH_LIMIT + 1
        )
        ids = list(partners)
        if len(ids) > PARTNER_SEARCH_LIMIT:
            domain = [("partner_id", operator, value)]
        else:
            domain = [("partner_id", "in", ids)]
        if memo is not None:
            memo[operator, value] = domain
        return domain

    def _compute_repair_count(self):
        for complaint in self:
            complaint.repair_count = len(complaint.repair_ids)

    @api.depends("lot_id", "repair_ids.lot_id")
    def _compute_vin(self):
        for complaint in self:
            lot = complaint.lot_id or complaint.repair_ids.lot_id[:1]
            vin = normalize_vin(lot.name)
            # A lot whose serial number is not a VIN (a part's) leaves the VIN as it is.
            if lot and not complaint._intake_error("vin", vin):
                complaint.vin = vin

    @api.depends("lot_id", "repair_ids.lot_id")
    def _compute_license_plate(self):
        """The vehicle's plate, as the vehicle register knows it; the plate
        the complaint was registered with stays when the plate changes later."""
        for complaint in self:
            lot = complaint.lot_id or complaint.repair_ids.lot_id[:1]
            if lot.license_plate:
                complaint.license_plate = lot.license_plate

    def _remember_vehicle(self):
        """A vehicle the register knows without its plate or owner learns
        them from its complaint, so that the next picker finds it by plate and
        lists it among the customer's vehicles. Never overwrites either."""
        for lot, complaints in self.filtered("lot_id").grouped("lot_id").items():
            complaint = complaints[-1]
            vals = {}
            if not lot.license_plate and complaint.license_plate:
                vals["license_plate"] = complaint.license_plate
            if not lot.vehicle_owner_id and complaint.partner_id:
                vals["vehicle_owner_id"] = complaint.partner_id.id
            if vals and lot.is_vehicle:
                # The desk writes what it heard, not the stock of the lot.
                lot.sudo().write(vals)

    @api.depends("lot_id", "repair_ids.product_id")
    def _compute_vehicle_model_id(self):
        for complaint in self:
            product = complaint.lot_id.product_id or complaint.repair_ids.product_id[:1]
            if product:
                complaint.vehicle_model_id = product

    @api.constrains("date_received", "date_registered")
    def _check_date_received(self):
        limit = fields.Datetime.now() + FUTURE_TOLERANCE
        for complaint in self:
            if complaint.date_received > limit:
                raise ValidationError(
                    self.env._(
                        "Received: %(date)s is in the future. Enter when the customer "
                        "actually made the complaint.",
                        date=format_datetime(self.env, complaint.date_received),
                    )
                )
            if complaint.date_received > complaint.date_registered + FUTURE_TOLERANCE:
                raise ValidationError(
                    self.env._("Received: a complaint cannot be received after it was registered.")
                )

    @api.constrains("description")
    def _check_description(self):
        self._check_intake_fields("description")

    @api.constrains("vin")
    def _check_vin(self):
        self._check_intake_fields("vin")

    @api.constrains("license_plate")
    def _check_license_plate(self):
        self._check_intake_fields("license_plate")

    @api.constrains("odometer")
    def _check_odometer(self):
        self._check_intake_fields("odometer")

    def _check_intake_fields(self, fname):
        for complaint in self:
            error = complaint._intake_error(fname, complaint[fname])
            if error:
                raise ValidationError(error)

    def _intake_error(self, fname, value):
        """Why ``value`` cannot be the complaint's ``fname`` (customer's words,
        VIN, plate, odometer), or None: the one check of the constraints and of
        _intake_vals()."""
        error = None
        if fname == "description":
            if not str(value or "").strip():
                error = self.env._(
                    "Customer's Words: write down what the customer said; it cannot be empty."
                )
        elif fname == "vin" and value:
            shown = value if len(value) <= VIN_LENGTH + 3 else value[:VIN_LENGTH] + "…"
            if len(value) != VIN_LENGTH:
                error = self.env._(
                    "VIN: a vehicle identification number has %(length)s characters; "
                    "“%(vin)s” has %(count)s.",
                    length=VIN_LENGTH,
                    vin=shown,
                    count=len(value),
                )
            elif not VIN_PATTERN.fullmatch(value):
                error = self.env._(
                    "VIN: “%(vin)s” may hold only letters and digits, and never I, O or Q "
                    "(ISO 3779).",
                    vin=shown,
                )
        elif fname == "license_plate" and value:
            if len(value) > PLATE_MAX_LENGTH:
                error = self.env._(
                    "Plate: a plate has at most %(max)s characters, not %(count)s.",
                    max=PLATE_MAX_LENGTH,
                    count=len(value),
                )
        elif fname == "odometer" and value:
            if value < 0:
                error = self.env._("Odometer (km) cannot be negative.")
            elif value > ODOMETER_MAX:
                # Not f-strings inside _(): the translation extractor evaluates them.
                error = self.env._(
                    "Odometer (km): %(km)s km is more than a vehicle can show (%(max)s km); "
                    "check the reading.",
                    km="{:,}".format(value),  # noqa: UP032
                    max="{:,}".format(ODOMETER_MAX),  # noqa: UP032
                )
        return error

    def _intake_vals(self, vals, create=False):
        """``vals`` with the intake normalised (the plate stripped, the VIN in
        capitals without spaces; the customer's words stay verbatim) and
        checked before the database sees it: an unknown customer, an odometer
        beyond an integer column or a plate too long for its index would
        otherwise fail with a raw database error, and the constraints run only
        after the write."""
        vals = dict(vals)
        if create and "description" not in vals:
            vals["description"] = self.default_get(["description"]).get("description", False)
        if vals.get("license_plate"):
            vals["license_plate"] = str(vals["license_plate"]).strip()
        if "vin" in vals:
            vals["vin"] = normalize_vin(vals["vin"]) or False
        if vals.get("odometer"):
            try:
                vals["odometer"] = int(vals["odometer"])
            except (TypeError, ValueError):
                raise ValidationError(
                    self.env._("Odometer (km): enter the reading as a whole number of km.")
                ) from None
        for fname in ("description", "vin", "license_plate", "odometer"):
            if fname in vals:
                error = self._intake_error(fname, vals[fname])
                if error:
                    raise ValidationError(error)
        return vals

    @api.model
    def default_get(self, fields_list):
        defaults = super().default_get(fields_list)
        if "team_id" in fields_list and not defaults.get("team_id"):
            company = self.env["res.company"].browse(defaults.get("company_id")) or self.env.company
            repairs = self.env["repair.order"].browse(
                self._command_ids(self.env.context.get("default_repair_ids"))
            )
            team = self._default_department(company, repairs, self.env.user)
            if team:
                defaults["team_id"] = team.id
        return defaults

    @api.model
    def _command_ids(self, commands):
        """The ids that x2many ``commands`` (ids, SET or LINK) name."""
        ids = []
        for command in commands or ():
            if isinstance(command, int):
                ids.append(command)
            elif command[0] == fields.Command.SET:
                ids.extend(command[2])
            elif command[0] == fields.Command.LINK:
                ids.append(command[1])
        return ids

    @api.model
    def _default_department(self, company, repairs, user):
        """The department a complaint belongs to when nobody chose one: that
        of the repair order's service advisor, else that of whoever heard it."""
        Team = self.env["complaint.team"].sudo()
        for person in (*repairs.sudo().user_id, user):
            team = Team.search(
                [
                    ("company_id", "=", company.id),
                    "|",
                    ("member_ids", "in", person.id),
                    ("manager_id", "=", person.id),
                ],
                limit=1,
            )
            if team:
                return team
        return Team

    def _department_vals(self, vals_list):
        """Every complaint has a department, so that nothing overdue is missing
        from the departments' figures: the default one (_default_department);
        for a complaint heard at a callback or created by the system (a mail
        gateway, an import), when neither the repair order nor its first
        responder has one, the company's customer care department or its
        first: its customer's words are never refused.  A complaint that a
        member of staff registers without a department is refused."""
        system = self.env.su
        Team = self.env["complaint.team"].sudo()
        cache = {}
        for vals in vals_list:
            if vals.get("team_id"):
                continue
            fallback = system or vals.get("channel") == "callback"
            company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
            repair_ids = tuple(self._command_ids(vals.get("repair_ids")))
            user = self.env["res.users"].browse(vals.get("first_responder_id") or self.env.uid)
            key = (company, repair_ids, user, bool(fallback))
            if key not in cache:
                team = self._default_department(
                    company, self.env["repair.order"].browse(repair_ids), user
                )
                if not team and fallback:
                    team = Team.search(
                        [("company_id", "=", company.id), ("kind", "=", "customer_care")], limit=1
                    ) or Team.search([("company_id", "=", company.id)], limit=1)
                cache[key] = team
            if not cache[key] and not fallback:
                raise ValidationError(
                    self.env._("Department: choose the department that handles the complaint.")
                )
            vals["team_id"] = cache[key].id
        return vals_list

    def _check_partners_exist(self, vals_list):
        """An unknown customer is refused with a message, not a foreign-key
        error: one query for a whole intake batch."""
        try:
            ids = {int(vals["partner_id"]) for vals in vals_list if vals.get("partner_id")}
        except (TypeError, ValueError):
            ids = None
        partners = self.env["res.partner"].sudo().browse(ids or ())
        if ids is None or len(partners.exists()) != len(ids):
            raise UserError(self.env._("Customer: the customer does not exist (any more)."))

    # ------------------------------------------------------------------
    # CRUD: each concern's hooks, in the order the data flows
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        self._check_protected_fields(set().union(*vals_list))
        self._check_first_responder_at_creation(vals_list)
        self = self._without_protected_defaults()  # noqa: PLW0642
        to_number = []
        vals_list = [self._intake_vals(vals, create=True) for vals in vals_list]  # intake
        vals_list = self._department_vals(vals_list)  # intake: every complaint has one
        self._check_partners_exist(vals_list)
        policies = {}
        for index, vals in enumerate(vals_list):
            company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
            if not vals.get("policy_id"):
                if company not in policies:
                    policies[company] = self.env["complaint.policy"]._get_for_company(company).id
                vals["policy_id"] = policies[company]
            if vals.get("name", self.env._("New")) == self.env._("New"):
                # Numbered last; until then a placeholder unique like the numbers.
                vals["name"] = f"{self.env._('New')} {uuid.uuid4().hex}"
                to_number.append(index)
        complaints = super().create(vals_list)
        # Once the complaint is validated and written: a refused one takes no number.
        ids = complaints.ids
        complaints.browse([ids[index] for index in to_number])._assign_numbers()
        complaints._start_clock()  # clock: steps 1 and 2
        complaints._update_clusters()  # severity: same-fault clusters
        complaints._update_severity()  # severity: level from the facts
        complaints._remember_vehicle()  # intake: the vehicle register
        return complaints

    def write(self, vals):
        self._check_protected_fields(vals)
        vals = self._intake_vals(vals)  # intake: limits
        if "team_id" in vals and not vals["team_id"]:
            raise ValidationError(
                self.env._("Department: a complaint cannot be left without a department.")
            )
        self._check_partners_exist([vals])
        self._check_first_responder_change(vals)  # accountability
        self._lock_for_assignment(vals, PEOPLE_FIELDS)  # accountability: followers
        vals = self._classification_write_vals(vals)  # classification
        reapprove = self._needing_new_approval(vals)  # solution
        res = super().write(vals)
        if reapprove:
            reapprove._reset_approval()  # solution
        if PEOPLE_FIELDS & set(vals):
            self._sync_step_users()  # clock
        if CLUSTER_FIELDS & set(vals):
            self._update_clusters()  # severity
        if SEVERITY_FIELDS & set(vals):
            self._update_severity()  # severity
        if VEHICLE_FIELDS & set(vals):
            self._remember_vehicle()  # intake: the vehicle register
        return res

    # ------------------------------------------------------------------
    # The screens
    # ------------------------------------------------------------------

    @api.model
    @api.readonly
    def web_read_group(
        self,
        domain,
        fields,
        groupby,
        limit=None,
        offset=0,
        orderby=False,
        lazy=True,
        unfold_read_specification=None,
        unfold_read_default_limit=80,
        unfold_count_limit=None,
        unfold_order=None,
    ):
        """The groups, and with ``unfold_read_specification`` the first page of
        each open group's records under ``__records``, as ``web_search_read``
        returns it (``unfold_read_default_limit``, ``unfold_count_limit``,
        ``unfold_order`` are its ``limit``, ``count_limit`` and ``order``).

        The web client of 18.0 asks a kanban's columns, then the cards of each
        open column in a request of its own, all at once: each request reads
        the same customers, people and departments again and checks the record
        rules again. The complaints' kanban sends the specification (see
        ``complaint_kanban_model.js``) and gets its columns and cards in one
        request, the cards of all columns read together, as ``web_read_group``
        unfolds groups in later versions of Odoo (``auto_unfold``).
        """
        if unfold_read_specification is None or len(groupby) != 1 or not lazy:
            return super().web_read_group(
                domain, fields, groupby, limit=limit, offset=offset, orderby=orderby, lazy=lazy
            )
        self.env.cr.cache[PARTNER_SEARCH_MEMO] = {}
        try:
            result = super().web_read_group(
                domain, fields, groupby, limit=limit, offset=offset, orderby=orderby, lazy=lazy
            )
            self._unfold_groups(
                result["groups"],
                f"{groupby[0].split(':')[0]}_count",
                unfold_read_specification,
                limit=unfold_read_default_limit,
                count_limit=unfold_count_limit,
                order=unfold_order,
            )
        finally:
            self.env.cr.cache.pop(PARTNER_SEARCH_MEMO, None)
        return result

    def _check_access(self, operation):
        """Reading many complaints checks the record rules with one indexed
        query, as ``fetch()`` does for their stored fields. Odoo checks them in
        Python, record by record, for the fields it computes (the cards'
        activities, the clock's flags): an advisor's kanban spent a sixth of
        its time there. Any record the query does not return gets Odoo's own
        check and error."""
        if (
            operation != "read"
            or self.env.su
            or len(self._ids) < ACCESS_CHECK_SQL_MIN
            or not all(self._ids)  # new records
            or not self.env["ir.model.access"].check(self._name, operation, raise_exception=False)
        ):
            return super()._check_access(operation)
        allowed = self.with_context(active_test=False)._search([("id", "in", self._ids)])
        refused = self - self.browse(allowed)
        return super(ComplaintComplaint, refused)._check_access(operation) if refused else None

    def _unfold_groups(self, groups, count_key, specification, limit, count_limit, order):
        """Add to each open group (at most MAX_UNFOLDED_GROUPS) its first page
        of records, as ``web_search_read`` returns it; the records of all
        groups are read together."""
        pages = []
        for group in groups:
            count = group.get(count_key, group.get("__count"))
            if group.get("__fold") or not count:
                continue
            if len(pages) == MAX_UNFOLDED_GROUPS:
                break
            records = self.search_fetch(
                group["__domain"], specification.keys(), limit=limit, order=order
            )
            pages.append((group, records, count))
        read = self.browse(
            dict.fromkeys(id_ for _group, records, _count in pages for id_ in records._ids)
        )
        values = {
            vals["id"]: vals for vals in read.with_context(bin_size=True).web_read(specification)
        }
        for group, records, count in pages:
            group["__records"] = {
                # What web_search_read counts, known from the group's count.
                "length": min(count, count_limit) if count_limit else count,
                "records": [values[id_] for id_ in records._ids],
            }

    # ------------------------------------------------------------------
    # Actions and helpers shared by the concerns
    # ------------------------------------------------------------------

    @api.model
    def _action_open_desk(self):
        """Where the app opens for each role: a callback agent's queue of
        calls to make; for the service desk, the departments' overview."""
        user = self.env.user
        agent_only = user.has_group(GROUP_CALLBACK) and not user.has_group(GROUP_USER)
        xmlid = (
            "complaint_service.complaint_callback_action"
            if agent_only
            else "complaint_service.complaint_team_action_dashboard"
        )
        return self.env["ir.actions.act_window"]._for_xml_id(xmlid)

    def action_view_repairs(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("repair.action_repair_order_tree")
        action["domain"] = [("id", "in", self.repair_ids.ids)]
        action["context"] = {"default_partner_id": self.partner_id.id}
        return action

    def _check_state(self, state, verb=None):
        """The complaints are at ``state`` and their clock runs."""
        verb = verb or self.env._("handle")
        labels = dict(self._fields["state"]._description_selection(self.env))
        for complaint in self:
            if complaint.state != state:
                raise UserError(
                    self.env._(
                        "Cannot %(verb)s %(name)s: it is %(state)s, and this needs %(needed)s.",
                        verb=verb,
                        name=complaint.name,
                        state=labels[complaint.state],
                        needed=labels[state],
                    )
                )
            if complaint.is_paused:
                raise UserError(
                    self.env._("%(name)s is paused: resume the clock first.", name=complaint.name)
                )

    def _filter_changed(self, fnames, vals):
        """The complaints on which ``vals`` changes one of ``fnames``."""
        fnames = [fname for fname in fnames if fname in vals]
        if not fnames:
            return self.browse()
        new = self.new({fname: vals[fname] for fname in fnames})
        return self.filtered(
            lambda c: any(
                self._fields[fname].convert_to_write(c[fname], c)
                != self._fields[fname].convert_to_write(new[fname], new)
                for fname in fnames
            )
        )

    def _can(self, check, *args):
        """Whether ``check`` (a ``_check_*`` method) lets the current user act
        on this complaint: the ``can_*`` fields that show or hide the buttons
        run the same checks as the actions (hr_holidays' ``can_approve``)."""
        self.ensure_one()
        try:
            getattr(self, check)(*args)
        except (AccessError, UserError):
            return False
        return True

    def _assign_numbers(self):
        """The month's next number (YYMM-NNNN, the month of reception), given
        once everything else about the complaint was accepted and written, so
        that a refused complaint uses up no number."""
        batches = defaultdict(list)
        for complaint in self.sudo():
            day = fields.Date.context_today(complaint, complaint.date_received)
            batches[complaint.company_id, day.replace(day=1)].append(complaint)
        sequence = self.env["ir.sequence"]
        for (company, month), complaints in batches.items():
            names = sequence.with_company(company)._next_monthly(
                "complaint.complaint", month, count=len(complaints)
            )
            for complaint, name in zip(complaints, names, strict=True):
                complaint.name = name

    def _prepare_repair_order_values(self, **values):
        """A repair order for the complaint's customer and vehicle."""
        self.ensure_one()
        return {
            "partner_id": self.partner_id.id,
            "product_id": self.vehicle_model_id.id,
            "lot_id": self.lot_id.id,
            "company_id": self.company_id.id,
            "priority": "1",
            **values,
        }
