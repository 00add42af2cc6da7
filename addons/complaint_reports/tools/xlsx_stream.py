"""Stream rows into a worksheet of a workbook made by xlsxwriter.

xlsxwriter builds the workbook: styles, the header row, column widths and
formats, frozen panes, the autofilter. Writing every cell through its API costs
about 5 microseconds a cell in pure Python, too slow for a register of hundreds
of thousands of complaints. This module copies that workbook and appends the
data rows to one of its worksheets as SpreadsheetML (ECMA-376 part 1, 18.3.1:
``<row>`` and ``<c>`` elements with inline strings), written straight into the
compressed archive: memory stays flat whatever the number of rows.

A cell takes the style of its column (the ``style`` of the ``<col>`` element
that xlsxwriter wrote for ``set_column(..., cell_format)``), so dates and
amounts look as the column says.

No Odoo import (xlsxwriter's cell-name helpers only): exercised by plain pytest.
"""

import math
import re
import shutil
import zipfile

from xlsxwriter.utility import xl_cell_to_rowcol
from xlsxwriter.utility import xl_col_to_name as column_letter  # 0 -> A, 26 -> AA

# Excel keeps at most this many characters in a cell.
MAX_CHARS = 32767
# Rows turned into XML and compressed at a time.
CHUNK = 500

_COLS_RE = re.compile(r"<col\b[^>]*>")
_ATTR_RE = re.compile(r'(\w+)="([^"]*)"')
_DIMENSION_RE = re.compile(r'<dimension ref="[^"]*"/>')
# Characters XML 1.0 does not allow, and text that looks like Excel's own
# escape of them (_xHHHH_), which must itself be escaped.
_SPECIAL_RE = re.compile(r"[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|_x[0-9A-Fa-f]{4}_")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_EXCEL_ESCAPE_RE = re.compile(r"(_x[0-9A-Fa-f]{4}_)")
# Whitespace that XML would not keep at the ends of a text without xml:space.
_XML_SPACE = " \t\r\n"


def column_styles(sheet_xml):
    """The style index of each column, from the sheet's <col> elements:
    {column index (0-based): style index}."""
    styles = {}
    for element in _COLS_RE.findall(sheet_xml):
        attrs = dict(_ATTR_RE.findall(element))
        if "style" not in attrs:
            continue
        for col in range(int(attrs["min"]) - 1, int(attrs["max"])):
            styles[col] = attrs["style"]
    return styles


def escape_text(text):
    """XML text of a cell: entities, control characters as Excel writes them."""
    if len(text) > MAX_CHARS:
        text = text[:MAX_CHARS]
    if not _SPECIAL_RE.search(text):
        return text
    text = _EXCEL_ESCAPE_RE.sub(r"_x005F\1", text)
    text = _CONTROL_RE.sub(lambda match: f"_x{ord(match.group()):04X}_", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class RowWriter:
    """Turns rows of Python values into SpreadsheetML.

    A value is None or "" (no cell), a str (inline string), an int or a float
    (number; NaN and infinities have no cell). bool is refused: say what it
    means in words.
    """

    def __init__(self, ncols, styles=None):
        styles = styles or {}
        self.letters = [column_letter(col) for col in range(ncols)]
        self.styles = [f' s="{styles[col]}"' if col in styles else "" for col in range(ncols)]

    def row(self, number, values):
        """One <row> element; `number` is 1-based as in Excel."""
        r = str(number)
        parts = [f'<row r="{r}">']
        append = parts.append
        # One search for the whole row: most rows need no escaping at all.
        texts = [value for value in values if value.__class__ is str]
        escape = texts and _SPECIAL_RE.search("\n".join(texts)) is not None
        for letter, style, value in zip(self.letters, self.styles, values, strict=True):
            if value is None:
                continue
            kind = value.__class__
            if kind is str:
                if not value:
                    continue
                text = value if len(value) <= MAX_CHARS else value[:MAX_CHARS]
                space = (
                    ' xml:space="preserve"'
                    if text[0] in _XML_SPACE or text[-1] in _XML_SPACE
                    else ""
                )
                append(
                    f'<c r="{letter}{r}"{style} t="inlineStr"><is><t{space}>'
                    f"{escape_text(text) if escape else text}</t></is></c>"
                )
            elif kind is int:
                append(f'<c r="{letter}{r}"{style}><v>{value}</v></c>')
            elif kind is float:
                if math.isfinite(value):
                    append(f'<c r="{letter}{r}"{style}><v>{value!r}</v></c>')
            else:
                raise TypeError(f"Cannot write {value!r} to column {letter}.")
        append("</row>")
        return "".join(parts)


def fill_sheet(source, target, sheet_path, batches, first_row, last_row, compresslevel=1):
    """Copy the workbook `source` to `target`, adding rows to the worksheet
    stored at `sheet_path` inside the archive (e.g. "xl/worksheets/sheet1.xml").

    `batches` yields lists of rows (each a list of values, one per column of
    the sheet's dimension); they become rows first_row, first_row + 1, ...
    `last_row` is the number of the last one, announced in the sheet's
    dimension before the rows are written: a different count raises
    ValueError. Returns the number of rows written.
    """
    with (
        zipfile.ZipFile(source) as src,
        zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=compresslevel) as dst,
    ):
        written = 0
        for info in src.infolist():
            if info.filename != sheet_path:
                with src.open(info) as data, dst.open(info.filename, "w") as out:
                    shutil.copyfileobj(data, out)
                continue
            sheet = src.read(info).decode("utf-8")
            head, end_tag, tail = sheet.rpartition("</sheetData>")
            if not end_tag:
                # An empty sheet is written as <sheetData/>.
                head, end_tag, tail = sheet.rpartition("<sheetData/>")
                if not end_tag:
                    raise ValueError(f"{sheet_path} has no sheet data.")
                head += "<sheetData>"
            match = _DIMENSION_RE.search(head)
            ncols = _dimension_columns(match.group() if match else "")
            last = max(last_row, first_row - 1)
            head = _DIMENSION_RE.sub(
                f'<dimension ref="A1:{column_letter(ncols - 1)}{last}"/>', head, count=1
            )
            writer = RowWriter(ncols, column_styles(head))
            with dst.open(info.filename, "w", force_zip64=True) as out:
                out.write(head.encode("utf-8"))
                number = first_row
                for batch in batches:
                    for start in range(0, len(batch), CHUNK):
                        rows = batch[start : start + CHUNK]
                        chunk = "".join(writer.row(number + i, row) for i, row in enumerate(rows))
                        number += len(rows)
                        out.write(chunk.encode("utf-8"))
                out.write(b"</sheetData>" + tail.encode("utf-8"))
            written = number - first_row
            if number - 1 != last:
                raise ValueError(
                    f"{written} rows written to {sheet_path}, {last - first_row + 1} announced."
                )
    return written


def _dimension_columns(element):
    """Number of columns of a <dimension ref="A1:AP1"/> element."""
    match = re.search(r'ref="(?:[A-Z]+\d+:)?([A-Z]+\d+)"', element)
    if not match:
        raise ValueError("The sheet has no dimension: write its header row first.")
    return xl_cell_to_rowcol(match.group(1))[1] + 1
