import math

from odoo import api, fields, models

from .const import FAULT_TYPES


class RepairOrder(models.Model):
    _inherit = "repair.order"

    complaint_ids = fields.Many2many(
        "complaint.complaint",
        "complaint_complaint_repair_order_rel",
        "repair_id",
        "complaint_id",
        string="Complaints",
        copy=False,
    )
    complaint_count = fields.Integer(compute="_compute_complaint_count")
    is_rework = fields.Boolean(
        "Returned Vehicle (Rework)",
        tracking=True,
        help="The vehicle came back because of an earlier repair: rework gets priority "
        "in the workshop.",
    )
    rework_of_id = fields.Many2one(
        "repair.order",
        check_company=True,
        domain="[('lot_id', '=', lot_id), ('id', '!=', id)]",
    )
    fault_type = fields.Selection(FAULT_TYPES, tracking=True)
    major_part_replaced = fields.Selection(
        [("engine", "Engine"), ("gearbox", "Gearbox"), ("main_part", "Other main part")],
        string="Main Part Replaced",
        help="Counts towards the three-guarantee replacement clause.",
    )
    date_done = fields.Datetime("Repaired On", readonly=True, copy=False)
    routine_callback_id = fields.Many2one(
        "complaint.callback", readonly=True, copy=False, index=True
    )
    repair_days = fields.Integer(
        "Days in Workshop",
        compute="_compute_repair_days",
        store=True,
        help="Calendar days from the scheduled date to the end of the repair.",
    )

    @api.depends("schedule_date", "date_done")
    def _compute_repair_days(self):
        for repair in self:
            if repair.schedule_date and repair.date_done:
                seconds = (repair.date_done - repair.schedule_date).total_seconds()
                repair.repair_days = max(1, math.ceil(seconds / 86400))
            else:
                repair.repair_days = 0

    @api.depends("complaint_ids")
    @api.depends_context("uid")
    def _compute_complaint_count(self):
        if not self.env["complaint.complaint"].has_access("read"):
            self.complaint_count = 0
            return
        counts = dict(
            self.env["complaint.complaint"]._read_group(
                [("repair_ids", "in", self.ids)], ["repair_ids"], ["__count"]
            )
        )
        for repair in self:
            repair.complaint_count = counts.get(repair, 0)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("is_rework"):
                vals["priority"] = "1"
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("is_rework"):
            vals = dict(vals, priority="1")
        if vals.get("state") == "done" and "date_done" not in vals:
            vals = dict(vals, date_done=fields.Datetime.now())
        res = super().write(vals)
        if vals.get("state") == "done":
            self._schedule_follow_up_callbacks()
        return res

    def _schedule_follow_up_callbacks(self):
        """A follow-up repair is done: customer care calls to confirm the fix."""
        complaints = (
            self.env["complaint.complaint"]
            .sudo()
            .search([("followup_repair_id", "in", self.ids), ("state", "=", "follow_up")])
        )
        self.env["complaint.callback"].sudo()._system_create().create(
            [
                {
                    "kind": "follow_up",
                    "company_id": complaint.company_id.id,
                    "partner_id": complaint.partner_id.id,
                    "complaint_id": complaint.id,
                    "repair_id": complaint.followup_repair_id.id,
                    "date_due": fields.Datetime.now(),
                    "user_id": complaint.callback_user_id.id,
                }
                for complaint in complaints
            ]
        )

    def action_register_complaint(self):
        """Open a new complaint prefilled from this repair order."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Register Complaint"),
            "res_model": "complaint.complaint",
            "view_mode": "form",
            "target": "current",
            "context": {
                "default_partner_id": self.partner_id.id,
                "default_repair_ids": [self.id],
                "default_lot_id": self.lot_id.id,
                "default_company_id": self.company_id.id,
                "default_channel": "walk_in",
            },
        }

    def action_view_complaints(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "complaint_service.complaint_complaint_action"
        )
        action["domain"] = [("repair_ids", "in", self.ids)]
        action["context"] = {
            "default_partner_id": self.partner_id.id,
            "default_repair_ids": [self.id],
            "default_lot_id": self.lot_id.id,
        }
        return action
