import logging

import pytz

from odoo import api, fields, models
from odoo.tools import html2plaintext

from ..rules import oem_workorder
from .complaint_complaint import normalize_vin
from .const import FUTURE_TOLERANCE

_logger = logging.getLogger(__name__)


class ComplaintComplaint(models.Model):
    """The OEM hotline's work orders by e-mail (channel OEM): a department's
    mail alias (complaint.team) creates the complaint from the message
    (rules/oem_workorder.py reads it); the same OEM reference again is posted
    on the complaint it already made."""

    _inherit = "complaint.complaint"

    oem_ref = fields.Char(
        "OEM Reference",
        copy=False,
        index="btree_not_null",
        tracking=True,
        help="The OEM hotline's work order number: a reminder or a reply with the same "
        "number is posted on this complaint.",
    )
    to_complete = fields.Boolean(
        copy=False,
        tracking=True,
        help="Registered from a work order the desk could not read in full (no VIN and no "
        "phone, or an unknown format): complete the customer and the vehicle from the "
        "original message in the chatter.",
    )

    _sql_constraints = [
        (
            "oem_ref_company_uniq",
            "unique(company_id, oem_ref)",
            "OEM Reference: another complaint of this company already has this work order number.",
        ),
    ]

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """A work order from the OEM hotline (a department's alias sets the
        channel): the complaint it describes, or the one it already made."""
        values = dict(custom_values or {})
        if values.get("channel") != "oem":
            return super().message_new(msg_dict, custom_values)
        team = self.env["complaint.team"].browse(values.get("team_id")).exists()
        company = team.company_id or self.env.company
        order = oem_workorder.parse(html2plaintext(msg_dict.get("body") or ""))
        if order.get("oem_ref"):
            existing = self.with_context(active_test=False).search(
                [("company_id", "=", company.id), ("oem_ref", "=", order["oem_ref"])], limit=1
            )
            if existing:
                # A reminder or a resend: the gateway posts it on the complaint.
                return existing
        values.update(self._oem_intake_values(order, msg_dict, team, company))
        values["name"] = self.env._("New")
        complaint = super().message_new(msg_dict, values)
        if complaint.to_complete:
            complaint._oem_note_missing(order)
        return complaint

    @api.model
    def _oem_intake_values(self, order, msg_dict, team, company):
        """The complaint's fields from a parsed work order. Whatever cannot
        be used is left out and the complaint flagged to complete: a work
        order is never refused for its content."""
        vals = {
            "company_id": company.id,
            "channel": "oem",
            "oem_ref": order.get("oem_ref") or False,
            "description": order.get("description")
            or msg_dict.get("subject")
            or self.env._("(The work order has no text: see the original message.)"),
        }
        if team.manager_id:
            vals["first_responder_id"] = team.manager_id.id
        to_complete = bool(order["missing"]) and len(order["missing"]) == len(
            oem_workorder.IDENTIFYING
        )
        # Vehicle: by VIN.
        lot = self.env["stock.lot"]
        vin = normalize_vin(order.get("vin"))
        if vin:
            if self._intake_error("vin", vin):
                to_complete = True
            else:
                vals["vin"] = vin
                lot = lot.search(
                    [("name", "=", vin), ("company_id", "in", (company.id, False))], limit=1
                )
                if lot:
                    vals["lot_id"] = lot.id
        plate = (order.get("plate") or "").strip()
        if plate and not self._intake_error("license_plate", plate):
            vals["license_plate"] = plate
        # Customer: by phone, else the vehicle's owner, else a new contact.
        partner = self._oem_find_customer(order.get("phone"), company)
        if not partner and lot.vehicle_owner_id:
            partner = lot.vehicle_owner_id
        if not partner:
            partner = self.env["res.partner"].create(
                {
                    "name": order.get("customer")
                    or order.get("phone")
                    or self.env._("OEM hotline customer %(ref)s", ref=order.get("oem_ref") or ""),
                    "phone": order.get("phone") or False,
                    "company_id": False,
                }
            )
            if not (order.get("customer") or order.get("phone")):
                to_complete = True
        vals["partner_id"] = partner.id
        # The clock starts when the OEM received the complaint.
        received = self._oem_received_utc(order.get("received_at"), company)
        if received:
            vals["date_received"] = received
        elif msg_dict.get("date"):
            vals["date_received"] = min(
                fields.Datetime.to_datetime(msg_dict["date"]), fields.Datetime.now()
            )
        vals["to_complete"] = to_complete
        return vals

    @api.model
    def _oem_find_customer(self, phone, company):
        """The customer with this phone number (any spelling of it)."""
        digits = oem_workorder.phone_digits(phone)
        if len(digits) < 7:
            return self.env["res.partner"]
        # The last four digits are written together in every spelling.
        tail = digits[-4:]
        candidates = self.env["res.partner"].search(
            [
                "|",
                ("phone", "ilike", tail),
                ("mobile", "ilike", tail),
                ("company_id", "in", (company.id, False)),
            ]
        )
        return candidates.filtered(
            lambda p: (
                digits
                in (oem_workorder.phone_digits(p.phone), oem_workorder.phone_digits(p.mobile))
            )
        )[:1]

    @api.model
    def _oem_received_utc(self, received_at, company):
        """The OEM's receipt time (the dealership's local time) in UTC, or
        None when the work order gives none or one in the future."""
        if not received_at:
            return None
        policy = self.env["complaint.policy"].get_company_policy(company)
        tz = pytz.timezone(policy._tz() if policy else "UTC")
        utc = tz.localize(received_at).astimezone(pytz.utc).replace(tzinfo=None)
        if utc > fields.Datetime.now() + FUTURE_TOLERANCE:
            return None
        return utc

    def _oem_note_missing(self, order):
        labels = {
            "vin": self.env._("VIN"),
            "phone": self.env._("phone"),
        }
        self.message_post(
            body=self.env._(
                "This work order could not be read in full (missing: %(missing)s). Complete "
                "the customer and the vehicle from the original message below.",
                missing=", ".join(labels[f] for f in order["missing"]) or self.env._("format"),
            ),
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
