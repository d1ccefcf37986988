"""The pieces the report workbooks share (`ratio --rapport`, `plafond --rapport`, summary.xlsx): a title,
a header row that wraps, a block of key figures, sheet names from provider names, chart lines.

Text from claim files and INPUTS (a provider's name) is always written as text, whatever it starts with.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from openpyxl.cell.cell import Cell
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.chart.data_source import AxDataSource, StrRef
from openpyxl.chart.series import Series
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.drawing.line import LineProperties
from openpyxl.drawing.spreadsheet_drawing import AnchorMarker, TwoCellAnchor
from openpyxl.styles import Alignment, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import range_boundaries
from openpyxl.worksheet.worksheet import Worksheet

from .formats import NO, OUTPUT_FORMATS, YES, fit_row, font

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


def table_cell(ws: Worksheet, row: int, column: int, value: Any, *, wrap: bool = False) -> Cell:
    """A cell of a table row, at the top of a row that a wrapped text makes higher. A text after the first
    column keeps a space from the right-aligned number before it ("3 nee", not "3nee")."""
    cell = wrapped(ws, row, column, value) if wrap else text(ws, row, column, value)
    apart = isinstance(value, str) and column > 1
    cell.alignment = Alignment(wrap_text=wrap, vertical="top", horizontal="left" if apart else None,
                               indent=1 if apart else 0)
    return cell


def title(ws: Worksheet, heading: str, subtitle: str = "") -> None:
    text(ws, 1, 1, heading).font = font(bold=True, size=14)
    if subtitle:
        text(ws, 2, 1, subtitle)


def table_header(ws: Worksheet, row: int, headers: Sequence[str], widths: Sequence[int]) -> None:
    """A header row that wraps (with the height it needs) over columns of the given widths."""
    for column, (heading, width) in enumerate(zip(headers, widths, strict=True), start=1):
        cell = text(ws, row, column, heading)
        cell.font, cell.fill = font(bold=True), HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[get_column_letter(column)].width = width
    fit_row(ws, row)


def wrapped(ws: Worksheet, row: int, column: int, value: str) -> Cell:
    """A text that wraps within its column (set its width first), the row made high enough for it."""
    cell = text(ws, row, column, value)
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    fit_row(ws, row)
    return cell


class ClaimsRead(Protocol):
    """What a claim set's reading left uncounted (`ClaimsRatioReport`, `ProductionReport`)."""

    @property
    def unknown_insurers(self) -> Mapping[str, int]: ...
    @property
    def invalid_lines(self) -> int: ...
    @property
    def file_notes(self) -> tuple[tuple[str, str], ...]: ...


def claim_notes(ws: Worksheet, last: int, claims: ClaimsRead) -> int:
    """Under an overview: what a reader of the claims should know (hidden rows that were read), the insurer
    labels on no list and the invalid lines skipped, so that what was not counted travels with the report.
    Returns the new last row."""
    from ..claims.claimset import lines_text  # start-up: the claims package only when a report is written

    if not (claims.unknown_insurers or claims.invalid_lines or claims.file_notes):
        return last
    last += 1
    for file, note in claims.file_notes:  # a workbook's hidden rows: read, and said
        last += 1
        text(ws, last, 1, f"Let op: {file}: {note}")
    if claims.unknown_insurers:
        last += 1
        listed = ", ".join(f"'{v}' ({lines_text(n)})" for v, n in list(claims.unknown_insurers.items())[:20])
        text(ws, last, 1, f"Onbekende verzekeraars, niet meegeteld: {listed}")
    if claims.invalid_lines:
        last += 1
        text(ws, last, 1, f"Ongeldige regels overgeslagen: {claims.invalid_lines}")
    return last


def key_figures(ws: Worksheet, top: int, figures: Sequence[tuple[str, Any, str]]) -> int:
    """Label and value pairs in columns A and B, each value formatted by its kind, ja green and nee red;
    returns the last row."""
    for row, (label, value, kind) in enumerate(figures, start=top):
        text(ws, row, 1, label)
        cell = text(ws, row, 2, value)
        cell.font = font(bold=True)
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
        style_line(series, colour, dashed=dashed)


def style_line(series: Series, colour: str, *, dashed: bool = False) -> None:
    series.smooth = False
    series.graphicalProperties = GraphicalProperties(ln=LineProperties(solidFill=colour, w=28575,
                                                                        prstDash="dash" if dashed else "solid"))
    series.marker.symbol = "none"


def place_chart(ws: Worksheet, chart: BarChart, cells: str) -> None:
    """`chart` over exactly the cells `cells` ("C4:H19"), its corners on theirs: a chart given in centimetres
    ends where the reader's column widths put it, and ran past the print area in LibreOffice (the last
    month cut off on paper)."""
    first_column, first_row, last_column, last_row = range_boundaries(cells)
    # Markers count from 0, and `to` is the cell the chart stops at the top-left corner of: one past `cells`.
    chart.anchor = TwoCellAnchor(_from=AnchorMarker(col=first_column - 1, row=first_row - 1),
                                 to=AnchorMarker(col=last_column, row=last_row))
    ws.add_chart(chart)


def categories(chart: BarChart | LineChart, labels: Reference) -> None:
    """Text categories (postcodes, months) on every series of `chart`, as text: a category read as a number
    would show 1, 2, 3 in Excel instead of 4807 BX. A series without its own categories (a line of 9 months
    in a chart of 12) would be stretched over the whole width."""
    for series in chart.series:
        series.cat = AxDataSource(strRef=StrRef(f=str(labels)))


def production_chart(realised_and_forecast: Reference, ceiling: Reference, minimum: Reference, months: Reference,
                     months_before: Reference) -> BarChart:
    """Production up to each month against the ceiling: a column per month, dark for a realised month and
    light for a forecast one (two series, one of them 0 in each month, overlapping: clustered, not stacked,
    so that LibreOffice does not stack the lines too when it saves), the ceiling as a line, and the minimum
    share as a dashed line over the months before the reference date only (it stops there, no drop to 0).
    The template (`plafond.xlsx`) and `plafond --rapport` draw it alike."""
    chart = BarChart()
    chart.grouping, chart.overlap = "clustered", 100
    chart.add_data(realised_and_forecast, titles_from_data=True)
    chart.series[0].graphicalProperties = GraphicalProperties(solidFill="1F4E79")
    chart.series[1].graphicalProperties = GraphicalProperties(solidFill="9DC3E6")
    categories(chart, months)
    lines = LineChart()
    lines.add_data(ceiling, titles_from_data=True)
    lines.add_data(minimum, titles_from_data=True)
    style_line(lines.series[0], "C00000")
    style_line(lines.series[1], "ED7D31", dashed=True)
    lines.series[0].cat = AxDataSource(strRef=StrRef(f=str(months)))
    lines.series[1].cat = AxDataSource(strRef=StrRef(f=str(months_before)))
    chart += lines
    chart.y_axis.number_format = '"€" #,##0'
    chart.y_axis.majorGridlines = None
    chart.x_axis.delete = chart.y_axis.delete = False
    chart.legend.position = "b"
    return chart


__all__ = [
    "BAD_FILL",
    "GOOD_FILL",
    "HEADER_FILL",
    "ClaimsRead",
    "categories",
    "claim_notes",
    "key_figures",
    "place_chart",
    "production_chart",
    "sheet_title",
    "style_chart",
    "style_line",
    "table_header",
    "text",
    "title",
    "wrapped",
]
