"""Assigning the same person from several requests at once: every request
goes through and the person follows the complaint once (real transactions in
threads, retried on serialisation failure as the server does)."""

import threading
from functools import partial

from odoo import SUPERUSER_ID, api
from odoo.service.model import retrying
from odoo.tests import new_test_user, tagged

from .common import RealTransactionsCase

CONCURRENT = 4


@tagged("post_install", "-at_install")
class TestConcurrentAssignment(RealTransactionsCase):
    def setUp(self):
        super().setUp()
        with self.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            partner = env["res.partner"].create({"name": "Concurrent assignment customer"})
            self.user_id = new_test_user(
                env,
                login="concurrent.assignee",
                groups="complaint_service.group_complaint_user",
            ).id
            complaint = env["complaint.complaint"].create(
                {"partner_id": partner.id, "description": "Assigned twice at once."}
            )
            callback = env["complaint.callback"].create(
                {
                    "complaint_id": complaint.id,
                    "partner_id": partner.id,
                    "date_due": complaint.date_received,
                }
            )
            self.partner_id, self.complaint_id = partner.id, complaint.id
            self.callback_id = callback.id
            self.assignee_partner_id = env["res.users"].browse(self.user_id).partner_id.id
        self.addCleanup(self.cleanup)

    def cleanup(self):
        with self.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["complaint.complaint"].browse(self.complaint_id).unlink()
            env["res.partner"].browse(self.partner_id).unlink()
            user = env["res.users"].browse(self.user_id)
            partner = user.partner_id
            user.unlink()
            partner.unlink()

    def assign_at_once(self, model, record_id, fname):
        def assign(env):
            env[model].browse(record_id).write({fname: self.user_id})

        self.at_once(assign, model, record_id)

    def at_once(self, assign, model, record_id):
        barrier = threading.Barrier(CONCURRENT)
        errors = []

        def worker():
            try:
                barrier.wait(timeout=30)
                with self.cursor() as cr:
                    env = api.Environment(cr, SUPERUSER_ID, {})
                    retrying(partial(assign, env), env)
            except Exception as exc:  # noqa: BLE001 - reported by the assertion below
                errors.append(repr(exc))

        threads = [threading.Thread(target=worker) for _ in range(CONCURRENT)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        self.assertEqual(errors, [], "every assignment goes through")
        with self.cursor() as cr:
            cr.execute(
                "SELECT count(*) FROM mail_followers "
                "WHERE res_model = %s AND res_id = %s AND partner_id = %s",
                [model, record_id, self.assignee_partner_id],
            )
            self.assertEqual(cr.fetchone()[0], 1, "the person follows once")

    def test_same_person_assigned_at_once_to_a_complaint(self):
        self.assign_at_once("complaint.complaint", self.complaint_id, "user_id")

    def test_same_agent_assigned_at_once_to_a_callback(self):
        self.assign_at_once("complaint.callback", self.callback_id, "user_id")

    def test_same_person_subscribed_at_once(self):
        """The notices job subscribes a department manager to the complaint
        of the breach it reports while an advisor's Send to Manager subscribes
        the same manager: both go through (the second is replayed)."""

        def subscribe(env):
            env["complaint.complaint"].browse(self.complaint_id).message_subscribe(
                partner_ids=[self.assignee_partner_id]
            )

        self.at_once(subscribe, "complaint.complaint", self.complaint_id)
