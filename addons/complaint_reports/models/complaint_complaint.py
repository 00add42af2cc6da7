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
        to compare. Each one is handled through the clock at the times of its
        month (_demo_closed_complaint)."""
        ref = self.env.ref
        advisors = ref("complaint_service.user_advisor") | ref("complaint_service.user_advisor2")
        today = fields.Date.context_today(self)
        serial = 0
        for back in range(months, 0, -1):
            first = today.replace(day=1) - relativedelta(months=back)
            for index, (
                cause,
                verdict,
                fault,
                team,
                channel,
                words,
                base_score,
                pattern,
            ) in enumerate(HISTORY):
                serial += 1
                # Demo lots alternate sedan / SUV: the two attitude complaints of a
                # month are on different models.
                vehicle = (serial + back + (index == 5)) % 8 + 1
                day = first + timedelta(days=2 + 4 * index)
                while day.weekday() > 4:  # the showroom's complaints of a weekday
                    day += timedelta(days=1)
                received = datetime.combine(day, time(9 + index, 10 * (serial % 5)))
                # Months differ: one late pattern a month is handled on time, and
                # the scores move (3 to 5: these customers are satisfied).
                timing = ON_TIME if (index + back) % 5 == 0 else pattern
                score = str(3 + (int(base_score) - 3 + back) % 3)
                complaint = self._demo_closed_complaint(
                    received,
                    timing,
                    {
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
                    },
                    advisors[(serial + 1) % 2],
                    score,
                )
                # The vehicle comes last, once the complaint is in its month: a cause
                # on a model counts towards quality clusters of 30 days. Last
                # month's stay without one, so that they never join a cluster of
                # this month's demo complaints.
                if back > 1:
                    complaint.write(
                        {
                            "lot_id": ref(f"complaint_service.lot_vehicle_{vehicle}").id,
                            "repair_ids": [
                                Command.set([ref(f"complaint_service.repair_vehicle_{vehicle}").id])
                            ],
                        }
                    )

    @api.model
    def _demo_closed_complaint(self, received, minutes, vals, responsible, score):
        """Demo data only: a complaint received at ``received`` and handled to
        its closure through the public actions of the clock and the callback
        wizard, each step completed the given minutes after the previous one
        (register, reach manager, dispatch, solve, confirm).

        Every action runs at the time its step is completed: complaint.complaint
        reads the time from the context key ``complaint_clock_now`` when the
        superuser (who loads demo data) gives it. A step that took longer than
        its deadline is late because the clock saw it late; the number is of
        the month received. Chatter messages are dated when they were posted."""
        times, when = [], received
        for duration in minutes:
            when += timedelta(minutes=duration)
            times.append(when)
        registered, escalated, dispatched, solved, confirmed = times
        Message = self.env["mail.message"]
        last_message = Message.search([], order="id desc", limit=1).id

        def date_messages(when):
            """The messages posted by the action run at ``when`` are of that time."""
            nonlocal last_message
            messages = Message.search([("id", ">", last_message)])
            if messages:
                messages.write({"date": when})
                last_message = max(messages.ids)

        complaint = self.with_context(complaint_clock_now=registered).create(
            dict(vals, date_received=received)
        )
        date_messages(registered)
        complaint.with_context(complaint_clock_now=escalated).action_send_to_manager()
        date_messages(escalated)
        dispatch = complaint.with_context(complaint_clock_now=dispatched)
        dispatch.write({"user_id": responsible.id})
        dispatch.action_dispatch()
        date_messages(dispatched)
        solve = complaint.with_context(complaint_clock_now=solved)
        solve.write(
            {
                "cause_analysis": "Checked with the customer; cause confirmed by the "
                "workshop foreman.",
                "solution": "Repair free of charge and explain the repair on delivery.",
                "date_customer_contacted": solved,
            }
        )
        solve.action_propose_solution()
        date_messages(solved)
        callback = complaint.callback_ids.filtered(lambda c: c.state == "to_call")
        self.env["complaint.callback.log.wizard"].with_context(
            complaint_clock_now=confirmed
        ).create(
            {
                "callback_id": callback.id,
                "reached": "yes",
                "outcome": "satisfied",
                "score": score,
                "notes": "Customer confirmed the result.",
            }
        ).action_log()
        date_messages(confirmed)
        return complaint
