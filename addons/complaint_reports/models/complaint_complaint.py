from datetime import datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from odoo import Command, api, fields, models

# Demo history: for each of the previous months, six complaints handled through
# the clock. Minutes each step took: register, reach manager, dispatch, solve,
# confirm (the policy allows 10, 30, 120, 1,440 and 240).
ON_TIME = (6, 18, 75, 900, 150)
LATE_REGISTER = (25, 12, 60, 1200, 180)
LATE_DISPATCH = (7, 26, 420, 800, 120)
LATE_SOLVE = (5, 20, 100, 7200, 200)
SLOW_CLOSURE = (8, 20, 90, 1000, 60 * 24 * 9)
# (cause, verdict, fault type, department, channel, customer's words, score, timing)
HISTORY = (
    (
        "warranty",
        "defect",
        "brakes",
        "team_parts",
        "walk_in",
        "The brakes squeal again two weeks after the pads were replaced.",
        "4",
        ON_TIME,
    ),
    (
        "attitude",
        "dissatisfaction",
        False,
        "team_sales",
        "phone",
        "The salesman promised free floor mats and now denies it.",
        "3",
        LATE_REGISTER,
    ),
    (
        "pricing",
        "dissatisfaction",
        False,
        "team_service",
        "on_site",
        "The invoice is higher than the estimate I was given.",
        "5",
        ON_TIME,
    ),
    (
        "parts",
        "defect",
        "other",
        "team_parts",
        "walk_in",
        "I waited three weeks for a mirror that was promised in five days.",
        "2",
        LATE_SOLVE,
    ),
    (
        "other",
        "dissatisfaction",
        False,
        "team_customer_care",
        "web",
        "Nobody called me back after my last service as announced.",
        "4",
        LATE_DISPATCH,
    ),
    (
        "attitude",
        "dissatisfaction",
        False,
        "team_service",
        "callback",
        "The advisor was rude when I asked about the delay.",
        "5",
        SLOW_CLOSURE,
    ),
)


class ComplaintComplaint(models.Model):
    _inherit = "complaint.complaint"

    @api.model
    def _demo_load_history(self, months=5):
        """Demo data only: closed complaints of the previous months, so that the
        analysis, the statistics workbook and the monthly reviews have months
        to compare. Each one goes through the clock and its callback now, then
        its timeline is moved to its month (_demo_retime)."""
        ref = self.env.ref
        advisors = ref("complaint_service.user_advisor") | ref("complaint_service.user_advisor2")
        today = fields.Date.context_today(self)
        serial = 0
        for back in range(months, 0, -1):
            first = today.replace(day=1) - relativedelta(months=back)
            for index, (cause, verdict, fault, team, channel, words, base_score, pattern) in (
                enumerate(HISTORY)
            ):
                serial += 1
                # Demo lots alternate sedan / SUV: the two attitude complaints of a
                # month are on different models.
                vehicle = (serial + back + (index == 5)) % 8 + 1
                day = first + timedelta(days=2 + 4 * index)
                while day.weekday() > 4:  # the showroom's complaints of a weekday
                    day += timedelta(days=1)
                received = datetime.combine(day, time(9 + index, 10 * (serial % 5)))
                # Months differ: one late pattern a month is handled on time, and
                # the scores move.
                timing = ON_TIME if (index + back) % 5 == 0 else pattern
                score = str(2 + (int(base_score) - 2 + back) % 4)
                complaint = self.create(
                    {
                        # Numbered in its month (the clock runs now, the number
                        # of this month must not be used up).
                        "name": self.env["ir.sequence"]._next_monthly(
                            "complaint.complaint", received.date()
                        ),
                        "partner_id": ref(f"complaint_service.partner_customer_{vehicle}").id,
                        "channel": channel,
                        "description": words,
                        "customer_request": "A proper fix and an explanation.",
                        "team_id": ref(f"complaint_service.{team}").id,
                        "first_responder_id": advisors[serial % 2].id,
                        "callback_user_id": ref("complaint_service.user_callback").id,
                        "cause": cause,
                        "verdict": verdict,
                        "fault_type": fault,
                        "oem_claim_ref": f"OEM-{day:%Y%m}-{serial:04d}"
                        if cause == "warranty"
                        else False,
                        "license_plate": f"京A·2{serial:04d}",
                        "odometer": 3000 + 1700 * serial,
                    }
                )
                complaint.action_send_to_manager()
                complaint.write({"user_id": advisors[(serial + 1) % 2].id})
                complaint.action_dispatch()
                complaint.write(
                    {
                        "cause_analysis": "Checked with the customer; cause confirmed by the "
                        "workshop foreman.",
                        "solution": "Repair free of charge and explain the repair on delivery.",
                        "date_customer_contacted": fields.Datetime.now(),
                    }
                )
                complaint.action_propose_solution()
                complaint.callback_ids.filtered(lambda c: c.state == "to_call")._log_attempt(
                    True, "satisfied", score, "Customer confirmed the result."
                )
                complaint._demo_retime(received, timing)
                # The vehicle comes last, once the complaint is in its month: a cause
                # on a model counts towards quality clusters of 30 days. Last
                # month's stay without one, so that they never join a cluster of
                # this month's demo complaints.
                if back > 1:
                    complaint.write(
                        {
                            "lot_id": ref(f"complaint_service.lot_vehicle_{vehicle}").id,
                            "repair_ids": [
                                Command.set(
                                    [ref(f"complaint_service.repair_vehicle_{vehicle}").id]
                                )
                            ],
                        }
                    )

    def _demo_retime(self, received, minutes):
        """Demo data only: move a complaint closed just now to ``received``, each
        clock step taking the given minutes; a step that took longer than its
        deadline is late, as the clock would have marked it."""
        self.ensure_one()
        self = self.sudo()  # noqa: PLW0642 - demo data: read-only records are moved
        when = received
        for step, duration in zip(
            self.step_ids.filtered(lambda s: s.round == 1).sorted("sequence"),
            minutes,
            strict=True,
        ):
            done = when + timedelta(minutes=duration)
            step.write({"date_start": when, "date_done": done})
            late = done > step.date_deadline
            step.write({"is_late": late, "breach_date": step.date_deadline if late else False})
            when = done
        steps = self.step_ids.sorted("sequence")
        solved, closed = steps[3].date_done, steps[4].date_done
        self.write(
            {
                "date_received": received,
                "date_registered": steps[0].date_done,
                "date_customer_contacted": solved,
                "date_closed": closed,
            }
        )
        self.callback_ids.write({"date_due": steps[4].date_deadline, "date_done": closed})
        self.callback_ids.attempt_ids.write({"date": closed})
        # The chatter tells the story between reception and closure.
        messages = self.message_ids.sorted("id")
        for position, message in enumerate(messages):
            message.date = received + (closed - received) * position / max(len(messages) - 1, 1)
