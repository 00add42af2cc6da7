"""Helpers for the tests that run without Odoo."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ADDONS = ROOT / "addons"


def load_pure(addon, module, package="rules"):
    """Import a pure-Python module of an addon (rules in rules/, helpers in
    tools/) by path, without Odoo (importing the addon package would import
    odoo)."""
    path = ADDONS / addon / package / f"{module}.py"
    spec = importlib.util.spec_from_file_location(f"pure_{addon}_{module}", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod
