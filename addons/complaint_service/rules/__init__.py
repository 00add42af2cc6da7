"""Pure business rules: plain Python, no ``odoo`` import (tests/test_static.py
checks it), so that plain pytest and property tests exercise them without a
database. The models gather the facts and call these functions."""
