"""Rows streamed into an xlsxwriter workbook (complaint_reports/tools/xlsx_stream.py),
read back with openpyxl, without Odoo."""

import zipfile
from datetime import datetime

import pytest
from conftest import load_pure
from hypothesis import given, settings
from hypothesis import strategies as st

xlsxwriter = pytest.importorskip("xlsxwriter")
openpyxl = pytest.importorskip("openpyxl")
stream = load_pure("complaint_reports", "xlsx_stream", package="tools")

SHEET = "xl/worksheets/sheet1.xml"


def make_workbook(path, count, ncols=4):
    """Header, a date column (B) and an amount column (C), as the register."""
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = workbook.add_worksheet("Complaints")
    bold = workbook.add_format({"bold": True})
    sheet.write_row(0, 0, [f"H{col}" for col in range(ncols)], bold)
    sheet.set_column(1, 1, 20, workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"}))
    sheet.set_column(2, 2, 12, workbook.add_format({"num_format": "#,##0.00"}))
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(count, 1), ncols - 1)
    workbook.close()


def fill(tmp_path, batches, count, ncols=4):
    source, target = tmp_path / "source.xlsx", tmp_path / "target.xlsx"
    make_workbook(source, count, ncols)
    written = stream.fill_sheet(source, target, SHEET, batches, 2, count + 1)
    return written, target


@pytest.mark.parametrize(
    ("index", "letters"), [(0, "A"), (25, "Z"), (26, "AA"), (41, "AP"), (701, "ZZ"), (702, "AAA")]
)
def test_column_letters(index, letters):
    assert stream.column_letter(index) == letters


@given(st.integers(min_value=0, max_value=16383))
def test_column_letters_match_openpyxl(index):
    assert stream.column_letter(index) == openpyxl.utils.get_column_letter(index + 1)


def test_escaping():
    assert stream.escape_text("plain 文字") == "plain 文字"
    assert stream.escape_text("a < b & c > d") == "a &lt; b &amp; c &gt; d"
    assert stream.escape_text("bell\x07") == "bell_x0007_"
    assert stream.escape_text("_x0041_") == "_x005F_x0041_"
    assert len(stream.escape_text("x" * 40000)) == stream.MAX_CHARS


def test_rows_read_back_with_their_types_and_formats(tmp_path):
    when = 46000.5  # 2025-12-09 12:00 in Excel's 1900 date system
    batches = [
        [["A-1", when, 1234.5, 3], ["A-2", None, 0, ""]],
        [["  spaced  ", when + 1, float("nan"), -7], ["x & <y>", None, None, None]],
    ]
    written, target = fill(tmp_path, iter(batches), 4)
    assert written == 4
    sheet = openpyxl.load_workbook(target).active
    assert sheet.max_row == 5
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:D5"
    assert [c.value for c in sheet[1]] == ["H0", "H1", "H2", "H3"]
    assert sheet[1][0].font.b, "the header keeps xlsxwriter's format"
    assert sheet["A2"].value == "A-1"
    assert sheet["B2"].value == datetime(2025, 12, 9, 12, 0)
    assert sheet["B2"].number_format == "yyyy-mm-dd hh:mm"
    assert sheet["C2"].value == 1234.5
    assert sheet["C2"].number_format == "#,##0.00"
    assert sheet["D2"].value == 3
    assert sheet["B3"].value is None and sheet["D3"].value is None
    assert sheet["C3"].value == 0
    assert sheet["A4"].value == "  spaced  ", "leading and trailing spaces are kept"
    assert sheet["C4"].value is None, "NaN has no cell"
    assert sheet["A5"].value == "x & <y>"
    with zipfile.ZipFile(target) as archive:
        assert archive.testzip() is None
        xml = archive.read(SHEET).decode()
    assert '<dimension ref="A1:D5"/>' in xml


def test_no_rows(tmp_path):
    written, target = fill(tmp_path, iter([]), 0)
    assert written == 0
    assert openpyxl.load_workbook(target).active.max_row == 1


def test_a_different_count_than_announced_is_refused(tmp_path):
    with pytest.raises(ValueError, match="2 rows written"):
        fill(tmp_path, iter([[["a", None, 1, 1], ["b", None, 1, 1]]]), 3)


def test_unknown_values_are_refused(tmp_path):
    with pytest.raises(TypeError, match="column A"):
        fill(tmp_path, iter([[[True, None, 1, 1]]]), 1)


# Any text XML can hold as it is (no control characters, no carriage return,
# which XML turns into a line feed) and that does not look like Excel's escape.
text = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs", "Cc"), whitelist_characters="\t\n&<>\"'"
    ).filter(lambda char: char not in "\ufffe\uffff"),
    max_size=40,
).filter(lambda value: "_x" not in value)
cell = st.one_of(
    st.none(),
    text,
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False, allow_infinity=False),
)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(cell, cell, cell), max_size=8))
def test_any_rows_round_trip(tmp_path_factory, rows):
    """Whatever the texts and numbers, openpyxl reads back what was written
    (column B, a date column, stays empty here)."""
    tmp_path = tmp_path_factory.mktemp("rows")
    rows = [[a, None, b, c] for a, b, c in rows]
    _written, target = fill(tmp_path, iter([rows]), len(rows))
    sheet = openpyxl.load_workbook(target).active
    for number, row in enumerate(rows, start=2):
        for col, value in enumerate(row, start=1):
            got = sheet.cell(number, col).value
            if value is None or value == "":
                assert got is None
            else:
                assert got == value
