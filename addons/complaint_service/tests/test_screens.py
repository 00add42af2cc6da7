"""The screens as the web client asks for them (issue 17): the complaints'
kanban gets its columns and the first cards of each in one request."""

from odoo.tests import tagged

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

    def test_without_a_specification_only_the_columns(self):
        groups = self.read_columns(self.advisor)
        self.assertTrue(groups)
        self.assertFalse([group for group in groups if "__records" in group])
