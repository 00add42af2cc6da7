"""The overdue sweep makes progress while people edit the late complaints:
rows someone holds are skipped, never roll the batch back, and are marked by
the next run (real transactions on their own connections)."""

from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import SUPERUSER_ID, api
from odoo.tests import tagged

from .common import RealTransactionsCase

OVERDUE = 5
HELD = 2
# Long past, so that the sweep run "then" sees only these complaints overdue (the
# runs commit: the database's other complaints must stay as they are).
RECEIVED = datetime(2001, 3, 5, 9, 0)
SWEEP_AT = RECEIVED + timedelta(hours=2)


@tagged("post_install", "-at_install")
class TestSweepSkipsLockedRows(RealTransactionsCase):
    def setUp(self):
        super().setUp()
        with self.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            self.partner_id = env["res.partner"].create({"name": "Sweep lock customer"}).id
            # Registered 5 minutes after reception; 30 minutes to reach the manager.
            self.ids = (
                env["complaint.complaint"]
                .create(
                    [
                        {
                            "partner_id": self.partner_id,
                            "description": f"Late complaint {index}",
                            "date_received": RECEIVED,
                            "date_registered": RECEIVED + timedelta(minutes=5),
                        }
                        for index in range(OVERDUE)
                    ]
                )
                .ids
            )
        self.addCleanup(self.cleanup)

    def cleanup(self):
        with self.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["complaint.complaint"].browse(self.ids).unlink()
            env["res.partner"].browse(self.partner_id).unlink()

    def sweep(self):
        with self.cursor() as cr, freeze_time(SWEEP_AT):
            # A sweep that waited for a held row would fail here instead of hanging.
            cr.execute("SET LOCAL lock_timeout = '3s'")
            env = api.Environment(cr, SUPERUSER_ID, {})
            return env["complaint.complaint"]._cron_check_overdue()

    def marked(self):
        with self.cursor() as cr:
            cr.execute(
                "SELECT id FROM complaint_complaint WHERE id = ANY(%s) AND breach_count > 0",
                [self.ids],
            )
            return {row[0] for row in cr.fetchall()}

    def test_held_complaints_are_skipped_then_marked(self):
        held, free = self.ids[:HELD], self.ids[HELD:]
        editor = self.cursor()
        try:
            # Someone is editing two of the late complaints (an open transaction).
            editor.execute(
                "UPDATE complaint_complaint SET customer_request = 'Call me back' "
                "WHERE id = ANY(%s)",
                [held],
            )
            self.assertEqual(self.sweep(), len(free))
            self.assertEqual(self.marked(), set(free), "all the others, in that run")
        finally:
            editor.commit()
            editor.close()
        # The edit is over: the next run marks the rest, once.
        self.assertEqual(self.sweep(), HELD)
        self.assertEqual(self.marked(), set(self.ids))
        self.assertEqual(self.sweep(), 0, "each breach is marked once")
