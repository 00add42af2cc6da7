"""Complaint numbers at the start of a month, under concurrency (real
transactions in threads, retried on serialisation failure as the server does)."""

import threading
from datetime import datetime
from functools import partial

from psycopg2 import IntegrityError

from odoo import SUPERUSER_ID, api
from odoo.exceptions import ValidationError
from odoo.service.model import retrying
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import T0, ComplaintCase, RealTransactionsCase

# A month long past, with no number range yet: its range is created by the
# first complaint received in it.
MONTH = datetime(1991, 3, 4, 10, 0)
CONCURRENT = 20


@tagged("post_install", "-at_install")
class TestConcurrentNumbers(RealTransactionsCase):
    def setUp(self):
        super().setUp()
        with self.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            self.partner_id = env["res.partner"].create({"name": "Concurrent customer"}).id
        self.addCleanup(self.cleanup)

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

    def _batch(self, count, **vals):
        values = {
            "partner_id": self.customer.id,
            "channel": "walk_in",
            "description": "Registered with others in one batch.",
            "team_id": self.service.id,
            "date_received": T0,
            **vals,
        }
        return self.env["complaint.complaint"].with_user(self.advisor).create([values] * count)

    def _serials(self, complaints):
        return [int(name.split("-")[1]) for name in complaints.mapped("name")]

    def test_batch_numbers_follow_each_other(self):
        """A batch draws its numbers at once, in the order of the batch, and
        the next complaint goes on from there."""
        batch = self._batch(5)
        serials = self._serials(batch)
        self.assertEqual(serials, list(range(serials[0], serials[0] + 5)))
        after = self.new_complaint(date_received=T0)
        self.assertEqual(self._serials(after), [serials[-1] + 1])

    def test_batch_numbers_without_gaps(self):
        """A sequence switched to 'no gap' by the dealership moves its month's
        range on by the whole batch, in one step."""
        sequence = self.env.ref("complaint_service.seq_complaint_complaint")
        sequence.implementation = "no_gap"
        first = self.new_complaint(date_received=T0)
        batch = self._batch(4)
        start = self._serials(first)[0]
        self.assertEqual(self._serials(batch), [start + 1, start + 2, start + 3, start + 4])
        date_range = sequence.date_range_ids.filtered(
            lambda r: r.date_from <= T0.date() <= r.date_to
        )
        self.assertEqual(date_range.number_next, start + 5)

    def test_switching_to_no_gap_goes_on_from_the_numbers_taken(self):
        """Odoo restarts a range from its stored counter when a sequence
        leaves PostgreSQL's sequences: the numbers already given would be
        given again (and refused by the unique number)."""
        sequence = self.env.ref("complaint_service.seq_complaint_complaint")
        before = self.new_complaint(date_received=T0)
        sequence.implementation = "no_gap"
        after = self.new_complaint(date_received=T0)
        self.assertEqual(self._serials(after), [self._serials(before)[0] + 1])

    def test_refused_batch_takes_no_number(self):
        """One bad complaint refuses the whole batch before any number is drawn."""
        before = self.new_complaint(date_received=T0)
        values = {
            "partner_id": self.customer.id,
            "description": "Fine.",
            "team_id": self.service.id,
            "date_received": T0,
        }
        with self.assertRaises(ValidationError):
            self.env["complaint.complaint"].with_user(self.advisor).create(
                [values, {**values, "odometer": -5}]
            )
        after = self.new_complaint(date_received=T0)
        self.assertEqual(self._serials(after), [self._serials(before)[0] + 1])
