"""`zorginkoop ratio … --rapport FILE.xlsx`: the ratio per provider as a workbook a purchasing team mails on.

An overview sheet (one row per provider: clients, areas, ratio, threshold, voldoet, extra clients, max
areas, lines read, used and invalid) and one sheet per provider with its clients per PC4 in the order
the areas would be dropped (fewest clients first, ties lowest PC4; SPEC 1), the areas to drop marked,
and a native chart of clients per area against the threshold. Values only, no formulas; text from the
claims (provider names) is always written as text. Written atomically; nothing overwritten without
`force`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..claims.report import MOVERS_NOTE
from .files import write_atomically

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
DROP_FILL = PatternFill("solid", fgColor="FFC7CE")
_SHEET_UNSAFE = re.compile(r"[\[\]:*?/\\']")
OVERVIEW = "Overzicht"


def _text(ws: Worksheet, row: int, column: int, value: object) -> None:
    cell = ws.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # a provider name from the claims stays text, whatever it starts with


def _sheet_title(name: str, taken: set[str]) -> str:
    """A provider's sheet name: Excel allows 31 characters and none of []:*?/\\; unique, case-insensitive."""
    base = _SHEET_UNSAFE.sub("_", name).strip() or "zorgaanbieder"
    base = base[:31]
    title, n = base, 2
    while title.casefold() in taken or title.casefold() == OVERVIEW.casefold():
        suffix = f" ({n})"
        title, n = base[:31 - len(suffix)] + suffix, n + 1
    taken.add(title.casefold())
    return title


def _overview(ws: Worksheet, reports: Sequence[Any]) -> None:
    first = reports[0]
    _text(ws, 1, 1, f"Klant-werkgebiedratio CZ groep, beleidsjaar {first.year} (declaraties {first.claims_year})")
    ws["A1"].font = Font(bold=True, size=14)
    headers = ["Zorgaanbieder", "Cliënten", "Gebieden", "Ratio", "Drempel", "Voldoet", "Extra cliënten nodig",
               "Max. gebieden", "Te schrappen gebieden", "Verhuisde cliënten", "Regels gelezen", "Regels gebruikt",
               "Regels ongeldig", "Toelichting"]
    for column, title in enumerate(headers, start=1):
        cell = ws.cell(row=3, column=column, value=title)
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
    for row, r in enumerate(reports, start=4):
        a = r.assessment
        values = [r.provider or "(alle regels)", a.clients, a.areas, a.ratio, _number(a.threshold),
                  "n.v.t." if not a.applies else ("ja" if a.meets else "nee"), a.clients_needed if a.applies else None,
                  a.max_areas, len(a.areas_to_drop), r.movers, r.lines_read, r.lines_used,
                  getattr(r, "invalid_lines", 0), a.reason]
        for column, value in enumerate(values, start=1):
            _text(ws, row, column, value)
        ws.cell(row=row, column=4).number_format = "0.00"
    for column, width in enumerate([22, 10, 10, 8, 9, 9, 12, 11, 12, 11, 12, 12, 12, 70], start=1):
        ws.column_dimensions[get_column_letter(column)].width = width
    ws.freeze_panes = "B4"
    ws.auto_filter.ref = f"A3:{get_column_letter(len(headers))}{3 + len(reports)}"
    if first.method == "distinct" and any(r.movers for r in reports):
        _text(ws, 4 + len(reports), 1, f"Verhuisde cliënten: {MOVERS_NOTE}.")


def _number(value: Any) -> Any:
    return None if value is None else float(value)


def _provider_sheet(ws: Worksheet, report: Any) -> None:
    a = report.assessment
    _text(ws, 1, 1, f"{report.provider or 'Alle regels'}: {a.reason}")
    ws["A1"].font = Font(bold=True, size=12)
    for column, title in enumerate(["PC4", "Cliënten", "Schrappen (volgorde)", "Drempel"], start=1):
        cell = ws.cell(row=3, column=column, value=title)
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
    drop = {area: i for i, area in enumerate(a.areas_to_drop, start=1)}
    counts = report.clients_by_area_dict()  # one plain dict per sheet: looked up twice per area, then gone
    order = sorted(counts, key=lambda area: (counts[area], area))  # the order in which areas would be dropped
    for row, area in enumerate(order, start=4):
        _text(ws, row, 1, area)
        ws.cell(row=row, column=2, value=counts[area])
        if area in drop:
            ws.cell(row=row, column=3, value=drop[area])
            for column in (1, 2, 3):
                ws.cell(row=row, column=column).fill = DROP_FILL
        ws.cell(row=row, column=4, value=_number(a.threshold))
    for column, width in enumerate([10, 10, 20, 10], start=1):
        ws.column_dimensions[get_column_letter(column)].width = width
    ws.freeze_panes = "A4"
    if not order:
        return
    last = 3 + len(order)
    bars = BarChart()
    bars.title = "Cliënten per postcodegebied en de drempel"
    bars.y_axis.title = "cliënten"
    bars.add_data(Reference(ws, min_col=2, min_row=3, max_row=last), titles_from_data=True)
    bars.set_categories(Reference(ws, min_col=1, min_row=4, max_row=last))
    if a.threshold is not None:
        line = LineChart()
        line.add_data(Reference(ws, min_col=4, min_row=3, max_row=last), titles_from_data=True)
        bars += line
    bars.width, bars.height = 24, 10
    ws.add_chart(bars, "F3")


def write_ratio_report(overall: Any, reports: Sequence[Any], path: Path, *, force: bool) -> Path:
    """The report workbook for `reports` (one per provider, or the whole file) at `path`."""
    wb = Workbook()
    overview = wb.active
    assert overview is not None
    overview.title = OVERVIEW
    _overview(overview, reports)
    taken: set[str] = set()
    for report in reports:
        _provider_sheet(wb.create_sheet(_sheet_title(report.provider or "Alle regels", taken)), report)
    if overall.unknown_insurers or overall.invalid_lines:
        row = overview.max_row + 2
        if overall.unknown_insurers:
            listed = ", ".join(f"'{v}' ({n} regels)" for v, n in list(overall.unknown_insurers.items())[:20])
            _text(overview, row, 1, f"Onbekende verzekeraars, niet meegeteld: {listed}")
            row += 1
        if overall.invalid_lines:
            _text(overview, row, 1, f"Ongeldige regels overgeslagen: {overall.invalid_lines}")
    write_atomically(path, lambda tmp: wb.save(tmp), overwrite=force)
    return path
