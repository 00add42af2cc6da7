"""Complaint numbers at the start of a month, under concurrency (real
transactions in threads, retried on serialisation failure as the server does)."""

import threading
from datetime import datetime
from functools import partial

from psycopg2 import IntegrityError

from odoo import SUPERUSER_ID, api
from odoo.exceptions import ValidationError
from odoo.service.model import retrying
from odoo.sql_db import db_connect
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from .common import T0, ComplaintCase

# A month long past, with no number range yet: its range is created by the
# first complaint received in it.
MONTH = datetime(1991, 3, 4, 10, 0)
CONCURRENT = 20


@tagged("post_install", "-at_install")
class TestConcurrentNumbers(TransactionCase):
    def setUp(self):
        super().setUp()
        self.dbname = self.env.cr.dbname
        with self.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            self.partner_id = env["res.partner"].create({"name": "Concurrent customer"}).id
        self.addCleanup(self.cleanup)

    def cursor(self):
        """A real transaction of its own (not the test's cursor, which the
        registry hands out while the HTTP test server runs)."""
        return db_connect(self.dbname).cursor()

    def cleanup(self):
        with self.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["complaint.complaint"].with_context(active_test=False).search(
                [("partner_id", "=", self.partner_id)]
            ).unlink()
            sequence = env.ref("complaint_service.seq_complaint_complaint")
            env["ir.sequence.date_range"].search(
                [("sequence_id", "=", sequence.id), ("date_from", "=", MONTH.date().replace(day=1))]
            ).unlink()
            env["res.partner"].browse(self.partner_id).unlink()

    def test_month_start_numbers_are_unique(self):
        barrier = threading.Barrier(CONCURRENT)
        names, errors = [], []

        def register(env, index):
            return (
                env["complaint.complaint"]
                .create(
                    {
                        "partner_id": self.partner_id,
                        "description": f"Concurrent complaint {index}",
                        "date_received": MONTH,
                    }
                )
                .name
            )

        def worker(index):
            try:
                barrier.wait(timeout=30)
                with self.cursor() as cr:
                    env = api.Environment(cr, SUPERUSER_ID, {})
                    names.append(retrying(partial(register, env, index), env))
            except Exception as exc:  # noqa: BLE001 - reported by the assertion below
                errors.append(repr(exc))

        threads = [threading.Thread(target=worker, args=(i,)) for i in range(CONCURRENT)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        self.assertEqual(errors, [])
        self.assertEqual(len(names), CONCURRENT)
        self.assertEqual(len(set(names)), CONCURRENT, f"duplicate numbers: {sorted(names)}")
        self.assertEqual(
            sorted(names), [f"9103-{n:04d}" for n in range(1, CONCURRENT + 1)], "no gap either"
        )


@tagged("post_install", "-at_install")
class TestNumbers(ComplaintCase):
    def test_refused_complaint_takes_no_number(self):
        first = self.new_complaint(date_received=T0)
        with self.assertRaises(ValidationError):
            self.new_complaint(date_received=T0, odometer=-5)
        second = self.new_complaint(date_received=T0)
        serial = int(first.name.split("-")[1])
        self.assertEqual(second.name, f"{first.name.split('-')[0]}-{serial + 1:04d}")

    def test_number_is_unique_per_company(self):
        complaint = self.new_complaint(date_received=T0)
        other = self.new_complaint(date_received=T0)
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(IntegrityError),
            self.cr.savepoint(),
        ):
            other.sudo().write({"name": complaint.name})
            other.flush_recordset()
