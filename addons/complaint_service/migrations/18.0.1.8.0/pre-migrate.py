"""18.0.1.8.0: the callbacks' queue lists the calls to make first, on a new
stored flag: filled here in one statement, so that the ORM does not compute
it callback by callback."""


def migrate(cr, version):
    cr.execute(
        """
        ALTER TABLE complaint_callback ADD COLUMN IF NOT EXISTS is_open boolean;
        UPDATE complaint_callback SET is_open = (state = 'to_call');
        """
    )
