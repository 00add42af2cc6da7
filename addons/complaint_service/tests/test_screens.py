"""The screens as the web client asks for them (issue 17): the complaints'
kanban gets its columns and the first cards of each in one request."""

import re

from odoo.exceptions import AccessError, MissingError
from odoo.tests import tagged

from odoo.addons.complaint_service.models.complaint_complaint import RULE_PEOPLE_FIELDS

from .common import ComplaintCase

OPEN = [("state", "in", ["new", "submitted", "in_progress", "solved", "follow_up"])]
CARD = {
    "name": {},
    "partner_id": {"fields": {"display_name": {}}},
    "current_deadline": {},
    "is_overdue": {},
    "activity_ids": {"fields": {}},
    "activity_state": {},
}


@tagged("post_install", "-at_install")
class TestKanbanColumns(ComplaintCase):
    def setUp(self):
        super().setUp()
        self.new = self.env["complaint.complaint"]
        for index in range(5):
            self.new |= self.new_complaint(description=f"Noise {index}.")
        self.submitted = self.new[:2]
        self.submitted.with_user(self.advisor).action_send_to_manager()
        self.new -= self.submitted
        # Another department's complaint: not the advisor's to see.
        self.foreign = self.new_complaint(user=self.outsider, team_id=self.sales.id)

    def read_columns(self, user, **unfold):
        return (
            self.env["complaint.complaint"]
            .with_user(user)
            .web_read_group(
                OPEN + [("partner_id", "=", self.customer.id)], [], ["state"], lazy=True, **unfold
            )["groups"]
        )

    def test_the_columns_come_with_the_cards_each_would_ask_for(self):
        Complaint = self.env["complaint.complaint"].with_user(self.advisor)
        groups = self.read_columns(
            self.advisor,
            unfold_read_specification=CARD,
            unfold_read_default_limit=2,
            unfold_count_limit=101,
            unfold_order="",
        )
        by_state = {group["state"]: group for group in groups}
        self.assertEqual(by_state["new"]["state_count"], 3)
        self.assertEqual(by_state["submitted"]["state_count"], 2)
        for group in groups:
            with self.subTest(state=group["state"]):
                if not group["state_count"]:
                    self.assertNotIn("__records", group, "an empty column asks for nothing")
                    continue
                # The same page and count as the column's own request.
                expected = Complaint.web_search_read(
                    group["__domain"], CARD, limit=2, count_limit=101
                )
                self.assertEqual(group["__records"], expected)
        self.assertEqual(by_state["new"]["__records"]["length"], 3, "one more card to load")
        # Counted as far as asked, as the column's own request counts.
        capped = self.read_columns(
            self.advisor,
            unfold_read_specification=CARD,
            unfold_read_default_limit=2,
            unfold_count_limit=2,
        )
        new = next(group for group in capped if group["state"] == "new")
        self.assertEqual(
            new["__records"],
            Complaint.web_search_read(new["__domain"], CARD, limit=2, count_limit=2),
        )
        self.assertEqual(len(by_state["new"]["__records"]["records"]), 2)
        shown = {
            card["id"] for group in groups for card in group.get("__records", {}).get("records", [])
        }
        self.assertNotIn(self.foreign.id, shown, "the record rules apply to the cards")
        self.assertEqual(
            by_state["submitted"]["__records"]["records"][0]["partner_id"]["display_name"],
            "Customer Wu",
        )

    def test_the_manager_sees_every_department_in_the_columns(self):
        groups = self.read_columns(
            self.manager, unfold_read_specification={"name": {}}, unfold_read_default_limit=40
        )
        shown = {
            card["id"] for group in groups for card in group.get("__records", {}).get("records", [])
        }
        self.assertEqual(shown, set((self.new | self.submitted | self.foreign).ids))

    def test_the_counting_indexes_hold_every_field_the_record_rules_name(self):
        """The columns' and a customer's counts read an index only while it
        holds every field a complaint rule names (complaint_complaint's
        open_state and partner_received indexes)."""
        indexed = {"state", "company_id", "team_id", *RULE_PEOPLE_FIELDS}
        rules = self.env["ir.rule"].search([("model_id.model", "=", "complaint.complaint")])
        self.assertTrue(rules)
        seen = set()
        for rule in rules:
            named = set(re.findall(r"\(\s*'(\w+)'", rule.domain_force or ""))
            seen |= named
            with self.subTest(rule=rule.name):
                self.assertLessEqual(named, indexed)
        self.assertLessEqual({"company_id", "team_id", *RULE_PEOPLE_FIELDS}, seen)

    def test_without_a_specification_only_the_columns(self):
        groups = self.read_columns(self.advisor)
        self.assertTrue(groups)
        self.assertFalse([group for group in groups if "__records" in group])


@tagged("post_install", "-at_install")
class TestReadingManyComplaints(ComplaintCase):
    """Reading many complaints at once checks the record rules in SQL; what
    the user may read does not change."""

    def setUp(self):
        super().setUp()
        Complaint = self.env["complaint.complaint"]
        self.own = Complaint.browse(
            [self.new_complaint(description=f"Squeak {index}.").id for index in range(25)]
        )
        self.foreign = self.new_complaint(user=self.outsider, team_id=self.sales.id)

    def test_one_complaint_of_another_department_refuses_the_whole_read(self):
        mixed = (self.own | self.foreign).with_user(self.advisor)
        self.env.invalidate_all()
        with self.assertRaisesRegex(AccessError, "Customer Complaint"):
            mixed.read(["name", "is_overdue", "activity_state"])
        self.assertFalse(mixed.has_access("read"))
        self.assertEqual(mixed._filtered_access("read"), self.own)
        self.assertEqual(
            [row["name"] for row in self.own.with_user(self.advisor).read(["name", "is_overdue"])],
            self.own.mapped("name"),
        )

    def test_a_deleted_complaint_among_many_is_missing(self):
        gone = self.own[-1]
        gone.sudo().unlink()
        with self.assertRaises(MissingError):
            self.own.with_user(self.advisor).check_access("read")

    def test_no_access_right_is_refused_without_a_query_error(self):
        portal = self.env["res.users"].create(
            {
                "name": "Portal Customer",
                "login": "cs_portal_reader",
                "groups_id": [(6, 0, [self.env.ref("base.group_portal").id])],
            }
        )
        complaints = self.own.with_user(portal)
        self.assertFalse(complaints.has_access("read"))
        with self.assertRaises(AccessError):
            complaints.check_access("read")
