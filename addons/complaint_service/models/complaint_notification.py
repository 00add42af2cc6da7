from psycopg2 import errors

from odoo import models


class ComplaintNotificationMixin(models.AbstractModel):
    """The complaint desk's mail thread, used instead of ``mail.thread`` (as
    ``mail.thread.blacklist`` is).  A notification is a side effect: it never
    blocks the action that sends it.  Staff without an e-mail address are
    common at a dealership; the to-do assigned on a dispatch, an early warning
    or a reply they cause is sent from the company's address instead of
    failing the action with "Unable to send message, please configure the
    sender's email address".  A recipient without an address gets the
    notification in Odoo only (the e-mail is marked failed on the chatter),
    and a mail server that is down leaves the e-mail in Odoo's mail queue,
    sent after the commit."""

    _name = "complaint.notification.mixin"
    _inherit = ["mail.thread"]
    _description = "Complaint Desk Notifications Never Block"

    def message_subscribe(self, partner_ids=None, subtype_ids=None):
        """Two transactions subscribing the same person at once (an advisor
        sending a complaint to its manager while the notices job gives the
        manager a breach to-do) would both insert the follower, and the second
        would fail on the followers' unique index, an error Odoo does not
        retry.  It is turned into the serialisation failure it is: the server
        (or the next cron run) replays the request on a fresh snapshot, which
        sees the follower."""
        try:
            with self.env.cr.savepoint():
                return super().message_subscribe(partner_ids, subtype_ids)
        except errors.UniqueViolation as error:
            if "mail_followers" not in str(error):
                raise
            # A real one, with its SQLSTATE, as the retry loop reads it.
            self.env.cr.execute(
                "DO $$ BEGIN RAISE EXCEPTION USING ERRCODE = 'serialization_failure', "
                "MESSAGE = 'a follower was added by a concurrent transaction'; END $$",
                log_exceptions=False,
            )
            raise  # not reached: the statement above raises

    def _message_compute_author(self, author_id=None, email_from=None, raise_on_email=True):
        author_id, email_from = super()._message_compute_author(
            author_id, email_from, raise_on_email=False
        )
        return author_id, email_from or self.env.company.email_formatted or False
