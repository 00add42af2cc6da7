from odoo import api, fields, models
from odoo.tools import SQL


class ComplaintBreachNotice(models.Model):
    """A breach the overdue sweep recorded and whose notes and notices are
    still to send.

    The sweep records the facts of a breach (the late step, the counters, the
    shared liability) in the batch that finds it; the chatter note with its
    tracked liability, the department manager's activity and the escalation
    to the general managers follow in a second job, which the sweep triggers.
    A burst of breaches after downtime is thus marked quickly while people
    keep working on those complaints, and the notes never hold row locks on
    the complaints they concern."""

    _name = "complaint.breach.notice"
    _description = "Breach Notice to Send"
    _log_access = False
    _order = "id"

    step_id = fields.Many2one("complaint.step", required=True, ondelete="cascade")
    complaint_id = fields.Many2one("complaint.complaint", required=True, ondelete="cascade")
    liability_released = fields.Boolean(
        help="The breach made the first responder share the responsibility again."
    )
    acceptance_reset = fields.Boolean(
        help="The breach withdrew an accepted justification of the first responder."
    )

    @api.model
    def _queue(self, steps, changes):
        """Queue the notices of breached steps; ``changes`` is what
        ``complaint.complaint._record_breaches`` returned for them."""
        # One statement: this runs in the sweep's batch, for up to 1,000 steps.
        released, reset = zip(*(changes[step.complaint_id.id] for step in steps), strict=True)
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO complaint_breach_notice
                       (step_id, complaint_id, liability_released, acceptance_reset)
                SELECT * FROM unnest(%s::int[], %s::int[], %s::bool[], %s::bool[])
                """,
                steps.ids,
                [step.complaint_id.id for step in steps],
                list(released),
                list(reset),
            )
        )
        self.env.ref("complaint_service.ir_cron_complaint_breach_notices")._trigger()

    @api.model
    def _cron_send(self, batch_size=1000):
        """Send the queued notices, batch by batch: the oldest first, each
        batch committed by the cron's progress protocol; rows another run is
        sending are skipped (SKIP LOCKED)."""
        rows = self.env.execute_query(
            SQL(
                "SELECT id FROM complaint_breach_notice ORDER BY id LIMIT %s"
                " FOR UPDATE SKIP LOCKED",
                batch_size,
            )
        )
        notices = self.sudo().browse([row[0] for row in rows])
        if notices:
            changes = {
                notice.complaint_id.id: (notice.liability_released, notice.acceptance_reset)
                for notice in notices
            }
            self.env["complaint.complaint"]._notify_breaches(
                notices.step_id, changes, deferred=True
            )
            notices.unlink()
        [(remaining,)] = self.env.execute_query(SQL("SELECT count(*) FROM complaint_breach_notice"))
        self.env["ir.cron"]._notify_progress(done=len(notices), remaining=remaining)
        return len(notices)
