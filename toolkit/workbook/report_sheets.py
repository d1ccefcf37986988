"""The pieces the report workbooks share (`ratio --rapport`, `plafond --rapport`, summary.xlsx): a title,
a header row that wraps, a block of key figures, sheet names from provider names, chart lines.

Text from claim files and INPUTS (a provider's name) is always written as text, whatever it starts with.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from openpyxl.cell.cell import Cell
from openpyxl.chart import LineChart
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.drawing.line import LineProperties
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .formats import NO, OUTPUT_FORMATS, YES, fit_row

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
GOOD_FILL = PatternFill("solid", fgColor="C6EFCE")
BAD_FILL = PatternFill("solid", fgColor="FFC7CE")
_SHEET_UNSAFE = re.compile(r"[\[\]:*?/\\']")


def text(ws: Worksheet, row: int, column: int, value: Any) -> Cell:
    """A cell whose text stays text (a provider named "=HYPERLINK(…)" is a name, not a formula)."""
    cell = ws.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def title(ws: Worksheet, heading: str, subtitle: str = "") -> None:
    text(ws, 1, 1, heading).font = Font(bold=True, size=14)
    if subtitle:
        text(ws, 2, 1, subtitle)


def table_header(ws: Worksheet, row: int, headers: Sequence[str], widths: Sequence[int]) -> None:
    """A header row that wraps (with the height it needs) over columns of the given widths."""
    for column, (heading, width) in enumerate(zip(headers, widths, strict=True), start=1):
        cell = text(ws, row, column, heading)
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[get_column_letter(column)].width = width
    fit_row(ws, row)


def wrapped(ws: Worksheet, row: int, column: int, value: str) -> Cell:
    """A text that wraps within its column (set its width first), the row made high enough for it."""
    cell = text(ws, row, column, value)
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    fit_row(ws, row)
    return cell


def key_figures(ws: Worksheet, top: int, figures: Sequence[tuple[str, Any, str]]) -> int:
    """Label and value pairs in columns A and B, each value formatted by its kind, ja green and nee red;
    returns the last row."""
    for row, (label, value, kind) in enumerate(figures, start=top):
        text(ws, row, 1, label)
        cell = text(ws, row, 2, value)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="right")
        if isinstance(value, int | float) and not isinstance(value, bool):
            cell.number_format = OUTPUT_FORMATS[kind]
        if kind == "bool" and value in (YES, NO):
            cell.fill = GOOD_FILL if value == YES else BAD_FILL
    return top + len(figures) - 1


def sheet_title(name: str, taken: set[str]) -> str:
    """A provider's sheet name: Excel allows 31 characters and none of []:*?/\\; unique, case-insensitive."""
    base = (_SHEET_UNSAFE.sub("_", name).strip() or "zorgaanbieder")[:31]
    candidate, n = base, 2
    while candidate.casefold() in taken:
        suffix = f" ({n})"
        candidate, n = base[:31 - len(suffix)] + suffix, n + 1
    taken.add(candidate.casefold())
    return candidate


def style_chart(chart: LineChart, colour: str, *, dashed: bool = False) -> None:
    """Straight lines (openpyxl smooths them by default) in one colour, without markers."""
    for series in chart.series:
        series.smooth = False
        series.graphicalProperties = GraphicalProperties(ln=LineProperties(solidFill=colour, w=28575,
                                                                            prstDash="dash" if dashed else "solid"))
        series.marker.symbol = "none"


__all__ = ["BAD_FILL", "GOOD_FILL", "HEADER_FILL", "key_figures", "sheet_title", "style_chart", "table_header", "text",
           "title", "wrapped"]
