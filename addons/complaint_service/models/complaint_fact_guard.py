from odoo import api, models
from odoo.exceptions import AccessError
from odoo.tools import SQL


class ComplaintFactGuard(models.AbstractModel):
    """Facts that hold a person accountable (state, clock, approval, severity,
    liability, numbers, callback outcomes) change only through the code that
    owns them.  A model lists them in ``_protected_fields`` and calls
    ``_check_protected_fields`` first in its create() and write(): any other
    create/write of them by a non-superuser, whatever the channel (form,
    JSON-RPC, import), is refused before anything is written.  The owning
    code checks the acting user's rights, then writes through
    ``_write_facts`` (as the system; the chatter still names the user)."""

    _name = "complaint.fact.guard"
    _description = "Facts Written Only by Their Owning Code"
    _protected_fields = frozenset()

    @api.model
    def _check_protected_fields(self, fnames):
        if self.env.su:
            return
        touched = [
            fname for fname in self._fields if fname in fnames and fname in self._protected_fields
        ]
        if touched:
            raise AccessError(
                self.env._(
                    "%(fields)s: set by the handling of the complaint (its actions and checks), "
                    "never written directly.",
                    fields=", ".join(
                        self._fields[fname]._description_string(self.env) for fname in touched
                    ),
                )
            )

    @api.model
    def _without_protected_defaults(self):
        """This model in a context whose defaults (``default_<field>``, which a
        caller chooses) set no protected fact."""
        if self.env.su:
            return self
        context = {
            key: value
            for key, value in self.env.context.items()
            if not (key.startswith("default_") and key[8:] in self._protected_fields)
        }
        return self.with_env(self.env(context=context))

    def _write_facts(self, vals):
        """Write protected facts: the acting user must be allowed to write these
        records; the facts themselves are written by the system."""
        self.check_access("write")
        return self.sudo().write(vals)

    def _lock_for_assignment(self, vals, fnames):
        """Assigning a person (``fnames`` in ``vals``) subscribes them as a
        follower.  Two requests assigning the same person at once would both
        insert the follower, and the second would fail on its unique index;
        locking the records first makes the second wait, then fail to
        serialise, which the server retries: it then finds the follower and
        the assignment goes through."""
        ids = [id_ for id_ in self._ids if isinstance(id_, int)]
        if ids and not fnames.isdisjoint(vals):
            self.env.execute_query(
                SQL(
                    "SELECT id FROM %s WHERE id = ANY(%s) ORDER BY id FOR NO KEY UPDATE",
                    SQL.identifier(self._table),
                    ids,
                )
            )
