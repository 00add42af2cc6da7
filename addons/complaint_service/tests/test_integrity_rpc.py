"""Accountability cannot be rewritten through the API: each role, logged in
over JSON-RPC as the web client is, tries to write the facts the rules own;
every attempt is refused and nothing changes in the database."""

from datetime import timedelta

from freezegun import freeze_time

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException

from .common import T0

# Every protected fact of a complaint, with a value someone might want it to have.
COMPLAINT_FORGERIES = {
    "name": "2611-9999",
    "state": "closed",
    "date_registered": "2026-11-02 08:00:00",
    "round": 1,
    "is_paused": False,
    "date_closed": "2026-11-02 10:00:00",
    "breach_count": 0,
    "last_breach_date": False,
    "timing_escalate": "on_time",
    "timing_response": "on_time",
    "misuse_confirmed_by_id": "manager",
    "misuse_confirmed_date": "2026-11-02 10:00:00",
    "severity": "4",
    "severity_reason": "Nothing serious",
    "severity_manual": "4",
    "is_major": False,
    "cluster_customers": 0,
    "is_aged": False,
    "joint_liability": False,
    "liability_state": "accepted",
    "approval_state": "approved",
    "approved_by_id": "gm",
    "approved_date": "2026-11-02 10:00:00",
    "kpi_satisfaction": 5.0,
    # The customer's confirmation link: who holds the token answers for them.
    "access_token": "forged-token",
    "confirm_link_expiry": "2099-01-01 00:00:00",
    "confirmation_channel": "self_service",
}
CALLBACK_FORGERIES = {
    "state": "done",
    "outcome": "satisfied",
    "score": "5",
    "date_done": "2026-11-02 10:00:00",
    "answer_channel": "self_service",
    # Whether the call is still to make: the queue lists those first.
    "is_open": False,
    # The complaint's department and stage decide who sees the callback.
    "complaint_state": "closed",
    "team_id": False,
    "complaint_first_responder_id": "advisor",
    "complaint_user_id": "advisor",
    "complaint_callback_user_id": "agent",
    "complaint_create_uid": "advisor",
}
ROLES = ("advisor", "manager", "gm", "agent")

# Who may do what on each model (ir.model.access), as the groups' users see it:
# read, write, create, unlink.
ACCESS_MATRIX = {
    "advisor": {
        "complaint.complaint": "rwc-",
        "complaint.step": "r---",
        "complaint.pause": "r---",
        "complaint.callback": "rwc-",
        "complaint.callback.attempt": "r---",
        "complaint.team": "r---",
        "complaint.policy": "r---",
        "complaint.responsibility": "----",
        "complaint.early.warning": "r---",
        # the sweep's queue of breach notes: the clock's own, nobody's to touch
        "complaint.breach.notice": "----",
    },
    "manager": {
        "complaint.complaint": "rwc-",
        "complaint.step": "r---",
        "complaint.pause": "r---",
        "complaint.callback": "rwc-",
        "complaint.callback.attempt": "r---",
        "complaint.team": "rwcu",
        "complaint.policy": "rwc-",
        "complaint.responsibility": "rwc-",
        "complaint.early.warning": "rwc-",
        "complaint.breach.notice": "----",
    },
    "agent": {
        "complaint.complaint": "rwc-",
        "complaint.step": "r---",
        "complaint.pause": "r---",
        "complaint.callback": "rwc-",
        "complaint.callback.attempt": "r---",
        "complaint.team": "r---",
        "complaint.policy": "r---",
        "complaint.responsibility": "----",
        "complaint.early.warning": "----",
        "complaint.breach.notice": "----",
    },
}


@tagged("post_install", "-at_install")
class TestRpcIntegrity(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        g = "complaint_service.group_complaint_"
        cls.users = {
            "advisor": new_test_user(cls.env, "rpc_advisor", groups=g + "user"),
            "colleague": new_test_user(cls.env, "rpc_colleague", groups=g + "user"),
            "manager": new_test_user(cls.env, "rpc_manager", groups=g + "manager"),
            "gm": new_test_user(cls.env, "rpc_gm", groups=g + "general_manager"),
            "agent": new_test_user(cls.env, "rpc_agent", groups=g + "callback"),
        }
        cls.team = cls.env["complaint.team"].create(
            {
                "name": "RPC service",
                "manager_id": cls.users["manager"].id,
                "member_ids": [(6, 0, [cls.users["advisor"].id, cls.users["colleague"].id])],
            }
        )
        cls.customer = cls.env["res.partner"].create({"name": "RPC customer"})
        with freeze_time(T0):
            cls.complaint = (
                cls.env["complaint.complaint"]
                .with_user(cls.users["advisor"])
                .create(
                    {
                        "partner_id": cls.customer.id,
                        "description": "The engine light is on again.",
                        "team_id": cls.team.id,
                        "callback_user_id": cls.users["agent"].id,
                        "cause": "other",
                        "compensation_type": "discount",
                        "compensation_amount": 300.0,
                        "solution": "A discount on the next service.",
                    }
                )
            )
        # Late at the manager: a breach, joint liability, level 3.
        with freeze_time(T0 + timedelta(hours=1)):
            cls.complaint.with_user(cls.users["advisor"]).action_send_to_manager()
        cls.callback = cls.env["complaint.callback"].create(
            {
                "kind": "routine",
                "partner_id": cls.customer.id,
                "date_due": T0,
                "user_id": cls.users["agent"].id,
            }
        )

    def call(self, role, model, method, *args, **kwargs):
        login = self.users[role].login
        self.authenticate(login, login)
        return self.make_jsonrpc_request(
            "/web/dataset/call_kw",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    def value(self, raw):
        return self.users[raw].id if raw in self.users else raw

    def row(self, record):
        """The record as stored, read by the system."""
        self.env.invalidate_all()
        return record.sudo().read(list(record._fields))[0] if record.exists() else None

    def assertRefusedOverRpc(self, role, model, method, *args, **kwargs):
        with self.assertRaises(JsonRpcException, msg=f"{role}: {model}.{method} {args}"):
            self.call(role, model, method, *args, **kwargs)

    def test_protected_complaint_facts_refused_for_every_role(self):
        complaint = self.complaint
        self.assertTrue(complaint.joint_liability)
        before = self.row(complaint)
        for role in ROLES:
            for fname, raw in COMPLAINT_FORGERIES.items():
                with self.subTest(role=role, field=fname):
                    self.assertRefusedOverRpc(
                        role,
                        "complaint.complaint",
                        "write",
                        [complaint.id],
                        {fname: self.value(raw)},
                    )
        self.assertEqual(self.row(complaint), before)

    def test_the_error_names_the_field(self):
        with self.assertRaisesRegex(JsonRpcException, "AccessError"):
            self.call(
                "advisor",
                "complaint.complaint",
                "write",
                [self.complaint.id],
                {"approval_state": "approved", "description": "Edited"},
            )
        self.assertNotEqual(self.complaint.description, "Edited")
        self.authenticate("rpc_advisor", "rpc_advisor")
        with self.assertRaises(Exception) as caught:
            self.env["complaint.complaint"].with_user(self.users["advisor"]).browse(
                self.complaint.id
            ).write({"approval_state": "approved"})
        self.assertIn("Approval State", str(caught.exception))

    def test_create_cannot_set_facts_or_shift_accountability(self):
        Complaint = self.env["complaint.complaint"].sudo()
        count = Complaint.search_count([])
        base = {"partner_id": self.customer.id, "description": "Forged", "team_id": self.team.id}
        for vals in (
            {"state": "closed"},
            {"name": "2611-0001"},
            {"severity": "4"},
            {"approval_state": "approved"},
            {"first_responder_id": self.users["colleague"].id},
        ):
            with self.subTest(vals=vals):
                self.assertRefusedOverRpc(
                    "advisor", "complaint.complaint", "create", dict(base, **vals)
                )
        # A default from the context sets no fact either.
        new_id = self.call(
            "advisor",
            "complaint.complaint",
            "create",
            base,
            context={"default_state": "closed", "default_severity": "4"},
        )
        self.assertEqual(Complaint.search_count([]), count + 1)
        created = Complaint.browse(new_id)
        self.assertEqual((created.state, created.severity), ("new", "3"))
        self.assertEqual(created.first_responder_id, self.users["advisor"])
        # A manager names the first responder (the write side already required it).
        manager_id = self.call(
            "manager",
            "complaint.complaint",
            "create",
            dict(base, first_responder_id=self.users["colleague"].id),
        )
        self.assertEqual(Complaint.browse(manager_id).first_responder_id, self.users["colleague"])

    def test_clock_steps_pauses_and_attempts_are_read_only(self):
        step = self.complaint.current_step_id
        before = self.row(step)
        for role in ROLES:
            with self.subTest(role=role):
                self.assertRefusedOverRpc(
                    role,
                    "complaint.step",
                    "write",
                    [step.id],
                    {"date_start": "2027-11-02 09:00:00", "state": "done", "is_late": False},
                )
                self.assertRefusedOverRpc(
                    role,
                    "complaint.step",
                    "create",
                    {"complaint_id": self.complaint.id, "code": "solve", "round": 9},
                )
                self.assertRefusedOverRpc(role, "complaint.step", "unlink", [step.id])
                self.assertRefusedOverRpc(
                    role,
                    "complaint.pause",
                    "create",
                    {"complaint_id": self.complaint.id, "reason": "Forged", "reason_type": "other"},
                )
                self.assertRefusedOverRpc(
                    role,
                    "complaint.callback.attempt",
                    "create",
                    {"callback_id": self.callback.id, "reached": True},
                )
        self.assertEqual(self.row(step), before)
        self.assertFalse(self.callback.attempt_ids)

    def test_callback_outcomes_only_through_the_call_log(self):
        before = self.row(self.callback)
        for role in ROLES:
            for fname, raw in CALLBACK_FORGERIES.items():
                with self.subTest(role=role, field=fname):
                    self.assertRefusedOverRpc(
                        role, "complaint.callback", "write", [self.callback.id], {fname: raw}
                    )
        self.assertEqual(self.row(self.callback), before)
        # The call log writes them, as the agent.
        wizard_id = self.call(
            "agent",
            "complaint.callback.log.wizard",
            "create",
            {
                "callback_id": self.callback.id,
                "reached": "yes",
                "outcome": "satisfied",
                "score": "4",
            },
        )
        self.call("agent", "complaint.callback.log.wizard", "action_log", [wizard_id])
        self.callback.invalidate_recordset()
        self.assertEqual((self.callback.state, self.callback.score), ("done", "4"))
        self.assertEqual(len(self.callback.attempt_ids), 1)

    def test_the_owning_actions_still_work_over_rpc(self):
        complaint = self.complaint
        self.call(
            "manager",
            "complaint.complaint",
            "write",
            [complaint.id],
            {"user_id": self.users["colleague"].id},
        )
        self.call("manager", "complaint.complaint", "action_dispatch", [complaint.id])
        self.call("colleague", "complaint.complaint", "action_request_approval", [complaint.id])
        self.assertRefusedOverRpc(
            "colleague", "complaint.complaint", "action_approve_solution", [complaint.id]
        )
        self.call("manager", "complaint.complaint", "action_approve_solution", [complaint.id])
        complaint.invalidate_recordset()
        self.assertEqual(complaint.state, "in_progress")
        self.assertEqual(complaint.approval_state, "approved")
        self.assertEqual(complaint.approved_by_id, self.users["manager"])

    def test_duplicating_copies_no_protected_fact(self):
        for model in ("complaint.complaint", "complaint.callback"):
            Model = self.env[model]
            copied = [f for f in Model._protected_fields if Model._fields[f].copy]
            with self.subTest(model=model):
                self.assertEqual(copied, [], "a copy would be refused by the guard")
        copy_id = self.call("advisor", "complaint.complaint", "copy", [self.complaint.id])
        duplicate = self.env["complaint.complaint"].browse(copy_id)
        self.assertEqual(duplicate.state, "new")
        self.assertNotEqual(duplicate.name, self.complaint.name)
        self.assertFalse(duplicate.joint_liability)
        self.assertEqual(duplicate.first_responder_id, self.users["advisor"])

    def test_access_matrix(self):
        ops = ("read", "write", "create", "unlink")
        for role, models_ in ACCESS_MATRIX.items():
            user = self.users[role]
            for model, expected in models_.items():
                got = "".join(
                    letter if self.env[model].with_user(user).has_access(op) else "-"
                    for letter, op in zip("rwcu", ops, strict=True)
                )
                with self.subTest(role=role, model=model):
                    self.assertEqual(got, expected)
