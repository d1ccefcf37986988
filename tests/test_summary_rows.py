"""summary.xlsx's data rows are written as XML by `summary._Rows`, not by openpyxl (a cell object per value
took a fifth of a `fill` of a thousand small workbooks). These tests hold that XML to what openpyxl itself
writes for the same cells: the same text, numbers, dates, empty cells, escaping and row heights, and the
same styles (number format, wrapping, alignment) once read back."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment

from toolkit.workbook.formats import OUTPUT_FORMATS, set_row_lines
from toolkit.workbook.specs import XML_INVALID
from toolkit.workbook.summary import _Rows, _shown, _with_rows

KINDS = ["text", "money", "fraction", "count", "month", "date", "bool", "number"]

# Text as a key, a reason or a file name can hold it: any character an XML file can (the others are refused
# before a key reaches the summary), spaces around it, markup characters, formula starts.
texts = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=40).filter(lambda t: not XML_INVALID.search(t)),
    st.sampled_from(["=SUM(A1)", "+31", "-5", "@x", " spaties ", "A&B <c> \"d\" 'e'", "regel\nregel", "\t", "",
                     "a\r\nb", "€ 1.234,56", "]]>", "&amp;"]),
)
values = st.one_of(
    texts.map(lambda t: (t, "text")),
    st.decimals(min_value=-10**12, max_value=10**12, places=2).map(lambda d: (d, "money")),
    st.decimals(min_value=-2, max_value=2, places=6).map(lambda d: (d, "fraction")),
    st.integers(min_value=-10**17, max_value=10**17).map(lambda i: (i, "count")),
    st.floats(allow_nan=False, allow_infinity=False).map(lambda f: (f, "number")),
    st.integers(min_value=1, max_value=12).map(lambda m: (m, "month")),
    st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2100, 12, 31)).map(lambda d: (d, "date")),
    st.booleans().map(lambda b: (b, "bool")),
    st.sampled_from(KINDS).map(lambda k: (None, k)),
)
rows = st.lists(st.tuples(st.lists(values, min_size=1, max_size=6), st.integers(min_value=1, max_value=5)),
                min_size=1, max_size=8)


def _header(wb: Workbook, columns: int) -> Any:
    ws = wb.active
    for column in range(1, columns + 1):
        ws.cell(row=1, column=column, value=f"kop {column}").alignment = Alignment(wrap_text=True, vertical="top")
    return ws


def _ours(table: list[tuple[list[tuple[Any, str]], int]], columns: int) -> bytes:
    wb = Workbook()
    written = _Rows(_header(wb, columns), columns)
    for cells, lines in table:
        written.add(cells, lines)
    skeleton, target = io.BytesIO(), io.BytesIO()
    wb.save(skeleton)
    _with_rows(skeleton, [written], target)
    return target.getvalue()


def _openpyxl(table: list[tuple[list[tuple[Any, str]], int]], columns: int) -> bytes:
    """The same rows as openpyxl cells, styled as `_Rows` says it styles them."""
    wb = Workbook()
    ws = _header(wb, columns)
    for row, (cells, lines) in enumerate(table, start=2):
        for column, (value, kind) in enumerate(cells, start=1):
            shown = _shown(value, kind)
            cell = ws.cell(row=row, column=column, value=shown)
            if isinstance(shown, str):
                cell.data_type = "s"
            cell.alignment = Alignment(wrap_text=kind == "text", vertical="top",
                                       horizontal="center" if kind == "bool" else None)
            cell.number_format = (OUTPUT_FORMATS.get(kind, "General") if isinstance(shown, int | float | dt.date)
                                  else "General")
        set_row_lines(ws, row, lines)
    target = io.BytesIO()
    wb.save(target)
    return target.getvalue()


def _sheet(content: bytes) -> str:
    """The sheet's XML without style numbers (each file numbers its styles in the order it met them)."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return re.sub(r' s="\d+"', "", archive.read("xl/worksheets/sheet1.xml").decode("utf-8"))


def _styles(content: bytes) -> list[tuple[Any, ...]]:
    ws = load_workbook(io.BytesIO(content)).active
    return [(c.coordinate, c.value, c.data_type, c.number_format, c.alignment.wrap_text, c.alignment.vertical,
             c.alignment.horizontal) for row in ws.iter_rows() for c in row]


# Each example saves and reads back two workbooks (40 ms); its rows hold up to 48 values of every kind.
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows)
def test_rows_are_written_as_openpyxl_writes_them(table: list[tuple[list[tuple[Any, str]], int]]) -> None:
    columns = max(len(cells) for cells, _ in table)
    ours, theirs = _ours(table, columns), _openpyxl(table, columns)
    assert _sheet(ours) == _sheet(theirs)
    assert _styles(ours) == _styles(theirs)


def test_a_text_that_looks_like_a_formula_stays_text() -> None:
    table = [([("=HYPERLINK(\"http://x\")", "text"), ("+1", "text"), ("@A1", "text")], 1)]
    ws = load_workbook(io.BytesIO(_ours(table, 3))).active
    assert [(c.value, c.data_type) for c in ws[2]] == [("=HYPERLINK(\"http://x\")", "s"), ("+1", "s"), ("@A1", "s")]


def test_every_value_a_summary_shows_reads_back_as_written() -> None:
    table = [([("sleutel", "text"), (Decimal("1234.565"), "money"), (Decimal("0.9"), "fraction"), (3, "month"),
               (dt.date(2027, 3, 15), "date"), (None, "money"), ("", "text")], 3)]
    ws = load_workbook(io.BytesIO(_ours(table, 7))).active
    assert [c.value for c in ws[2]] == ["sleutel", 1234.57, 0.9, "maart", dt.datetime(2027, 3, 15), None, None]
    assert ws.row_dimensions[2].height == 48 and ws.dimensions == "A1:G2"
