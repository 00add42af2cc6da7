from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..rules import warranty_rules
from .const import FAULT_TYPES, GROUP_MANAGER


class ComplaintComplaint(models.Model):
    """Classification (原因识别与责任判定): cause, technical verdict, validity,
    fault type; misuse judged on evidence and confirmed by a manager; a
    warranty defect leads to a warranty repair order or an OEM claim; the
    warranty (三包) entitlement check."""

    _inherit = "complaint.complaint"

    cause = fields.Selection(
        [
            ("warranty", "Product quality / warranty"),
            ("attitude", "Staff attitude"),
            ("misuse", "Customer misuse or wrong operation"),
            ("handover", "Missed at the handover inspection"),
            ("pricing", "Pricing / billing"),
            ("parts", "Parts availability"),
            ("other", "Other"),
        ],
        tracking=True,
        index=True,
    )
    verdict = fields.Selection(
        [
            ("defect", "Defect"),
            ("dissatisfaction", "Dissatisfaction"),
            ("customer_fault", "Customer fault"),
        ],
        string="Technical Verdict",
        tracking=True,
    )
    validity = fields.Selection(
        [("valid", "Valid complaint"), ("invalid", "Invalid complaint")],
        tracking=True,
        help="Invalid: a misunderstanding or a cause outside the company. An invalid "
        "complaint still gets an answer.",
    )
    fault_type = fields.Selection(
        FAULT_TYPES,
        tracking=True,
        help="Which part of the vehicle failed: decides the warranty clauses that apply.",
    )
    cause_analysis = fields.Text(tracking=True)
    # Misuse: evidence first, then a manager's confirmation.
    evidence_attachment_ids = fields.Many2many(
        "ir.attachment",
        "complaint_complaint_evidence_rel",
        "complaint_id",
        "attachment_id",
        string="Evidence",
        help="Photos, diagnostic reports... that establish the customer's misuse.",
    )
    misuse_confirmed_by_id = fields.Many2one("res.users", readonly=True, copy=False, tracking=True)
    misuse_confirmed_date = fields.Datetime("Misuse Confirmed On", readonly=True, copy=False)
    customer_explanation = fields.Text(
        "Explanation to the Customer",
        tracking=True,
        help="How the right operation was explained to the customer.",
    )
    is_insured_loss = fields.Boolean("Insured Loss", tracking=True)
    insurer_guidance = fields.Text(
        tracking=True, help="How the customer was guided to the insurer."
    )
    # Warranty defect: a warranty repair order or the OEM claim.
    warranty_repair_id = fields.Many2one(
        "repair.order", copy=False, tracking=True, check_company=True
    )
    oem_claim_ref = fields.Char("OEM Claim Reference", copy=False, tracking=True)
    warranty_check = fields.Html(
        "Warranty Entitlement", compute="_compute_warranty_check", sanitize=False
    )
    can_confirm_misuse = fields.Boolean(compute="_compute_can_confirm_misuse")

    @api.depends(
        "lot_id.vehicle_invoice_date", "odometer", "fault_type", "date_received", "policy_id"
    )
    def _compute_warranty_check(self):
        histories = self._warranty_histories()
        for complaint in self:
            invoice = complaint.lot_id.vehicle_invoice_date
            result = message = False
            message_class = "text-muted"
            if not (invoice and complaint.fault_type and complaint.date_received):
                message = self.env._(
                    "Set the vehicle (with its invoice date), the odometer and the fault "
                    "type to check the warranty entitlement."
                )
            elif complaint.date_received.date() < invoice:
                message = self.env._("The vehicle's invoice date is after the complaint.")
                message_class = "text-danger"
            else:
                result = warranty_rules.check(
                    invoice,
                    complaint.date_received.date(),
                    complaint.odometer,
                    complaint.fault_type,
                    histories.get(complaint.id, {}),
                    complaint.policy_id._warranty_limits(),
                )
            complaint.warranty_check = complaint._render_warranty_check(
                result, message, message_class
            )

    @api.depends("cause", "misuse_confirmed_by_id")
    @api.depends_context("uid")
    def _compute_can_confirm_misuse(self):
        for complaint in self:
            complaint.can_confirm_misuse = (
                complaint.cause == "misuse"
                and not complaint.misuse_confirmed_by_id
                and complaint._can("_check_misuse_confirmer")
            )

    @api.constrains("cause", "evidence_attachment_ids")
    def _check_misuse_evidence(self):
        """Misuse is judged only on firm evidence (确凿证据): no misuse without it.
        (sudo: the evidence counts even when the user cannot open it.)"""
        for complaint in self.sudo():
            if complaint.cause == "misuse" and not complaint.evidence_attachment_ids:
                raise ValidationError(
                    self.env._(
                        "Cause: attach the evidence of the customer's misuse before classifying "
                        "the complaint as customer misuse; it stays attached while the cause is "
                        "misuse."
                    )
                )

    @api.constrains("state")
    def _check_closed_misuse(self):
        """Whatever closes a complaint: as customer misuse only once confirmed."""
        for complaint in self.filtered(lambda c: c.state == "closed"):
            complaint._check_misuse_confirmed()

    def _classification_write_vals(self, vals):
        """A confirmation of misuse holds only while the cause stays misuse."""
        if vals.get("cause", "misuse") != "misuse":
            vals = dict(vals, misuse_confirmed_by_id=False, misuse_confirmed_date=False)
        return vals

    def action_confirm_misuse(self):
        """A complaint manager confirms the customer's misuse, on evidence."""
        self._check_misuse_confirmer()
        for complaint in self:
            if complaint.cause != "misuse":
                raise UserError(
                    self.env._(
                        "Cause: %(name)s is not classified as customer misuse.", name=complaint.name
                    )
                )
            if not complaint.evidence_attachment_ids:
                raise UserError(
                    self.env._(
                        "Evidence: attach the evidence of the misuse to %(name)s before "
                        "confirming it.",
                        name=complaint.name,
                    )
                )
        self._write_facts(
            {
                "misuse_confirmed_by_id": self.env.user.id,
                "misuse_confirmed_date": self._clock_now(),
            }
        )
        return True

    def action_create_warranty_repair(self):
        """Warranty defect: a warranty repair order, urgent, linked to the complaint."""
        self.ensure_one()
        if self.warranty_repair_id:
            raise UserError(
                self.env._(
                    "%(name)s already has the warranty repair %(repair)s.",
                    name=self.name,
                    repair=self.warranty_repair_id.name,
                )
            )
        repair = self.env["repair.order"].create(
            self._prepare_repair_order_values(
                under_warranty=True,
                fault_type=self.fault_type,
                internal_notes=self.env._("Warranty repair for complaint %(name)s", name=self.name),
            )
        )
        self.write({"warranty_repair_id": repair.id, "repair_ids": [Command.link(repair.id)]})
        return {
            "type": "ir.actions.act_window",
            "res_model": "repair.order",
            "res_id": repair.id,
            "view_mode": "form",
            "target": "current",
        }

    def _check_misuse_confirmer(self):
        if not (self.env.su or self.env.user.has_group(GROUP_MANAGER)):
            raise AccessError(self.env._("Only a complaint manager can confirm customer misuse."))

    def _check_cause_requirements(self):
        """Each cause leads where the rule book says, before the customer is told."""
        self.ensure_one()
        name = self.name
        if self.cause == "misuse":
            self._check_misuse_confirmed()
            if not (self.customer_explanation or "").strip():
                raise UserError(
                    self.env._(
                        "Explanation to the Customer: explain the right operation to the customer "
                        "of %(name)s first.",
                        name=name,
                    )
                )
            if self.is_insured_loss and not (self.insurer_guidance or "").strip():
                raise UserError(
                    self.env._(
                        "Insurer Guidance: %(name)s is an insured loss: record how the customer "
                        "was guided to the insurer.",
                        name=name,
                    )
                )
        elif self.cause == "warranty" and self.verdict == "defect":
            if not (self.warranty_repair_id or self.oem_claim_ref):
                raise UserError(
                    self.env._(
                        "Warranty Repair: a warranty defect needs a warranty repair order or the "
                        "OEM claim reference (%(name)s).",
                        name=name,
                    )
                )
        elif self.cause == "handover":
            if self.compensation_type == "none":
                raise UserError(
                    self.env._(
                        "Compensation: a problem missed at the handover inspection is compensated "
                        "first (%(name)s).",
                        name=name,
                    )
                )
            if not self.sudo().responsibility_ids.filtered("user_id"):
                raise UserError(
                    self.env._(
                        "Responsibility Records: a manager records the staff member responsible "
                        "for the missed inspection of %(name)s.",
                        name=name,
                    )
                )

    def _check_misuse_confirmed(self):
        self.ensure_one()
        if self.cause == "misuse" and not self.misuse_confirmed_by_id:
            raise UserError(
                self.env._(
                    "%(name)s cannot be closed as customer misuse before a complaint manager "
                    "confirms it on evidence.",
                    name=self.name,
                )
            )

    def _warranty_histories(self):
        """Per complaint: earlier repairs of the same fault on the vehicle,
        cumulative workshop days and main-part replacements (done repairs)."""
        lots = self.lot_id
        if not lots:
            return {}
        repairs = (
            self.env["repair.order"]
            .sudo()
            .search([("lot_id", "in", lots.ids), ("state", "=", "done")])
        )
        histories = {}
        for complaint in self:
            if not complaint.lot_id:
                continue
            invoice = complaint.lot_id.vehicle_invoice_date
            mine = repairs.filtered(
                lambda r, c=complaint: (
                    r.lot_id == c.lot_id and r not in c.repair_ids and r != c.warranty_repair_id
                )
            )
            quality = mine.filtered("fault_type")
            if invoice:
                end = warranty_rules.add_years(
                    invoice, complaint.policy_id.warranty_guarantee_years
                )
                quality = quality.filtered(
                    lambda r, e=end: r.schedule_date and r.schedule_date.date() < e
                )
            histories[complaint.id] = {
                "same_fault_repairs": len(
                    mine.filtered(lambda r, c=complaint: r.fault_type == c.fault_type)
                ),
                "repair_days": sum(quality.mapped("repair_days")),
                "major_part_replacements": len(
                    mine.filtered(
                        lambda r, c=complaint: (
                            r.major_part_replaced and r.major_part_replaced == c.fault_type
                        )
                    )
                ),
            }
        return histories

    def _render_warranty_check(self, result, message=False, message_class="text-muted"):
        """The warranty clause table (QWeb), or the message saying why there is none."""
        self.ensure_one()
        clauses = []
        if result:
            titles = {
                "repair_warranty": self.env._("Repair warranty: %(years)s years or %(km)s km"),
                "three_guarantee": self.env._(
                    "Three-guarantee period: %(years)s years or %(km)s km"
                ),
                "early_failure": self.env._(
                    "Steering or brake failure, body cracking or fuel leakage within %(days)s "
                    "days or %(km)s km"
                ),
                "safety_after_repairs": self.env._(
                    "Serious safety fault persisting after %(repairs)s repairs"
                ),
                "major_part_replaced": self.env._(
                    "Engine, gearbox or the same main part replaced %(replacements)s times and "
                    "still failing"
                ),
                "cumulative_repair_days": self.env._("Cumulative repair time over %(days)s days"),
                "same_problem_repairs": self.env._(
                    "Same quality problem repaired more than %(repairs)s times"
                ),
            }
            remedies = {
                warranty_rules.FREE_REPAIR: self.env._("Free repair"),
                warranty_rules.REPLACE_OR_REFUND: self.env._(
                    "Replacement or refund, at the customer's choice"
                ),
            }
            clauses = [
                {
                    "title": titles[clause.key]
                    % {
                        key: (f"{value:,}" if key == "km" else value)
                        for key, value in clause.facts.items()
                    },
                    "applies": clause.applies,
                    "remedy": remedies[clause.remedy] if clause.applies else "",
                }
                for clause in result.clauses
            ]
        return self.env["ir.qweb"]._render(
            "complaint_service.warranty_check",
            {
                "message": message,
                "message_class": message_class,
                "result": result,
                "clauses": clauses,
                "facts": result
                and self.env._(
                    "%(days)s days since the invoice, %(km)s km.",
                    days=result.days_since_invoice,
                    km="{:,}".format(self.odometer),  # noqa: UP032
                ),
            },
        )
