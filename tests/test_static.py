"""Static checks of the addons that no linter makes: data file order, 18.0
view syntax, ACLs, translations.

The pre-commit hooks (.pre-commit-config.yaml) check the rest: manifests
(required keys, version format, license, data and demo files present,
README.rst) with pylint-odoo, XML syntax and duplicate xmlids with
oca-checks-odoo-module, .po syntax and duplicates with oca-checks-po, the
readme/ fragments with tools/gen_addon_readme.py.
"""

import ast
import csv
import re

import pytest
from conftest import ADDONS
from lxml import etree

ADDON_DIRS = sorted(p.parent for p in ADDONS.glob("*/__manifest__.py"))


def manifest(addon):
    return ast.literal_eval((addon / "__manifest__.py").read_text())


@pytest.mark.parametrize("addon", ADDON_DIRS, ids=lambda p: p.name)
def test_data_files_order(addon):
    """Groups, then ACL, then rules, before data and views."""
    data = manifest(addon)["data"]
    kinds = []
    for rel in data:
        if rel.endswith("_groups.xml"):
            kinds.append(0)
        elif rel.endswith("ir.model.access.csv"):
            kinds.append(1)
        elif rel.endswith("_security.xml"):
            kinds.append(2)
        else:
            kinds.append(3)
    assert kinds == sorted(kinds), f"{addon.name}: security files must load first"


def xml_files():
    return sorted(p for p in ADDONS.glob("*/**/*.xml") if "/static/" not in str(p))


@pytest.mark.parametrize("path", xml_files(), ids=lambda p: str(p.relative_to(ADDONS)))
def test_xml_is_18_syntax(path):
    tree = etree.parse(str(path))
    text = path.read_text()
    assert tree.getroot().tag == "odoo"
    assert "<tree" not in text, "use <list> in 18.0"
    assert " attrs=" not in text and " states=" not in text, "attrs/states fail in 18.0"
    assert "kanban-box" not in text, "use t-name='card'"
    assert "numbercall" not in text and "doall" not in text


def test_template_ids_are_not_record_ids():
    """oca-checks-odoo-module finds two records (or menus) with one xmlid, and
    two templates with one xmlid, but not a template and a record sharing one."""
    records, templates = {}, {}
    for path in xml_files():
        addon = path.relative_to(ADDONS).parts[0]
        for node in etree.parse(str(path)).iter("record", "menuitem", "template"):
            if node.get("id"):
                kind = templates if node.tag == "template" else records
                kind.setdefault((addon, node.get("id")), path)
    for key, path in templates.items():
        assert key not in records, f"{key[1]} defined in {records.get(key)} and {path}"


@pytest.mark.parametrize("addon", ADDON_DIRS, ids=lambda p: p.name)
def test_every_model_has_access_rules(addon):
    acl = addon / "security" / "ir.model.access.csv"
    with acl.open() as handle:
        rows = list(csv.DictReader(handle))
    assert rows and set(rows[0]) == {
        "id",
        "name",
        "model_id:id",
        "group_id:id",
        "perm_read",
        "perm_write",
        "perm_create",
        "perm_unlink",
    }
    covered = {row["model_id:id"] for row in rows}
    for row in rows:
        assert row["group_id:id"], f"{row['id']}: an ACL without group opens the model to all"
    for py in (addon / "models").glob("*.py"), (addon / "wizard").glob("*.py"):
        for path in py:
            for name in stored_model_names(path):
                assert f"model_{name.replace('.', '_')}" in covered, f"{name} has no ACL"


def stored_model_names(path):
    """The _name of each class of a file that makes a table (abstract models,
    which hold no records, need no ACL)."""
    for node in ast.walk(ast.parse(path.read_text())):
        if not isinstance(node, ast.ClassDef):
            continue
        if any(getattr(base, "attr", None) == "AbstractModel" for base in node.bases):
            continue
        for stmt in node.body:
            if (
                isinstance(stmt, ast.Assign)
                and [getattr(t, "id", None) for t in stmt.targets] == ["_name"]
                and isinstance(stmt.value, ast.Constant)
            ):
                yield stmt.value.value


def po_entries(path):
    """{msgid: msgstr} of a .po/.pot file, multi-line strings joined (the
    wrapping of gettext tools and of Odoo's exporter differ)."""
    entries = {}
    text = path.read_text()
    for block in re.split(r"\n\s*\n", text):
        lines = [line for line in block.splitlines() if not line.startswith("#")]
        current, parts = None, {"msgid": [], "msgstr": []}
        for line in lines:
            key = line.split(" ", 1)[0]
            value = line
            if key in parts:
                current = key
                value = line[len(key) + 1 :]
            if current and value.startswith('"'):
                parts[current].append(value[1:-1])
        msgid = "".join(parts["msgid"])
        if msgid:
            entries[msgid] = "".join(parts["msgstr"])
    return entries


@pytest.mark.parametrize("addon", ADDON_DIRS, ids=lambda p: p.name)
def test_zh_cn_translation_is_complete(addon):
    po = addon / "i18n" / "zh_CN.po"
    assert po.is_file(), f"{addon.name} has no i18n/zh_CN.po"
    entries = po_entries(po)
    assert entries
    untranslated = [msgid for msgid, msgstr in entries.items() if not msgstr]
    assert not untranslated, f"{len(untranslated)} untranslated, e.g. {untranslated[:3]}"
    pot = addon / "i18n" / f"{addon.name}.pot"
    if pot.is_file():
        missing = set(po_entries(pot)) - set(entries)
        assert not missing, f"{len(missing)} strings of the .pot missing, e.g. {list(missing)[:3]}"
    for msgid, msgstr in entries.items():
        placeholders = sorted(re.findall(r"%\(\w+\)s", msgid))
        assert sorted(re.findall(r"%\(\w+\)s", msgstr)) == placeholders, (
            f"placeholders differ in the translation of {msgid!r}"
        )
