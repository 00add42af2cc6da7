"""The business rules under each addon's rules/ folder stay plain Python."""

import ast

import pytest
from conftest import ADDONS

RULE_FILES = sorted(ADDONS.glob("*/rules/*.py"))


def imported_roots(path):
    tree = ast.parse(path.read_text())
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            roots.add((node.module or "").split(".")[0] if not node.level else ".")
    return roots


def test_rule_modules_exist():
    names = {path.stem for path in RULE_FILES}
    assert {"clock_rules", "severity_rules", "warranty_rules", "kpi_rules"} <= names


@pytest.mark.parametrize("path", RULE_FILES, ids=lambda p: str(p.relative_to(ADDONS)))
def test_rule_module_imports_no_odoo(path):
    roots = imported_roots(path)
    assert "odoo" not in roots, f"{path.name} imports odoo"
    assert "." not in roots, f"{path.name} imports from the addon (models would follow)"
