"""`zorginkoop ratio … --rapport FILE.xlsx`: the ratio per provider as a workbook a purchasing team mails on.

An overview sheet (one row per provider: clients, areas, ratio, threshold, voldoet, extra clients, max
areas, lines read, used and invalid) and one sheet per provider: its key figures, a native chart of clients
per area against the threshold, and its clients per PC4 in the order the areas would be dropped (fewest
clients first, ties lowest PC4; SPEC 1), the areas to drop marked. Values only, no formulas; text from the
claims (provider names) is always written as text. Every sheet prints A4 landscape, one page wide, its
header row repeated. Written atomically; nothing overwritten without `force`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..rules.core_area import shown_share
from ..rules.ratio import MOVERS_NOTE
from .files import write_atomically
from .formats import OUTPUT_FORMATS, print_setup
from .report_sheets import (
    claim_notes,
    key_figures,
    place_chart,
    sheet_title,
    style_chart,
    table_cell,
    table_header,
    text,
    title,
    wrapped,
)

DROP_FILL = PatternFill("solid", fgColor="FFC7CE")
OVERVIEW = "Overzicht"
ONE_PAGE_AREAS = 60


def _verdict(assessment: Any) -> str:
    return "n.v.t." if not assessment.applies else ("ja" if assessment.meets else "nee")


def _overview(ws: Worksheet, reports: Sequence[Any]) -> int:
    first = reports[0]
    core = any(getattr(r, "core_area", None) is not None for r in reports)  # rule 11: a kernwerkgebied given
    scope = " De ratio telt alleen de gebieden van het kernwerkgebied." if getattr(first, "only_core_areas", False) \
        else ""
    title(ws, f"Klant-werkgebiedratio CZ groep, beleidsjaar {first.year}",
          f"Declaraties van {first.claims_year}; één rij per zorgaanbieder, de details op het eigen tabblad.{scope}")
    headers = ["Zorgaanbieder", "Cliënten", "Gebieden", "Ratio", "Drempel", "Voldoet", "Extra cliënten nodig",
               "Max. gebieden", "Te schrappen gebieden", "Verhuisde cliënten", "Regels gelezen", "Regels gebruikt",
               "Regels ongeldig", *(["Zorg binnen kernwerkgebied"] if core else []), "Toelichting"]
    kinds = ["text", "count", "count", "ratio", "number", "bool", "count", "count", "count", "count", "count",
             "count", "count", *(["fraction"] if core else []), "text"]
    table_header(ws, 4, headers, [24, 10, 11, 8, 9, 9, 12, 11, 12, 11, 11, 11, 11, *([15] if core else []), 60])
    for row, r in enumerate(reports, start=5):
        a = r.assessment
        values = [r.provider or "(alle regels)", a.clients, a.areas, a.ratio, _number(a.threshold), _verdict(a),
                  a.clients_needed if a.applies and a.areas else None, a.max_areas, len(a.areas_to_drop), r.movers,
                  r.lines_read, r.lines_used, getattr(r, "invalid_lines", 0), *([_share(r)] if core else []),
                  _reason(r)]
        for column, (value, kind) in enumerate(zip(values, kinds, strict=True), start=1):
            cell = table_cell(ws, row, column, value, wrap=kind == "text" and column > 1)
            if isinstance(value, int | float) and not isinstance(value, bool):
                cell.number_format = OUTPUT_FORMATS[kind]
    last = 4 + len(reports)
    ws.freeze_panes = "B5"
    ws.auto_filter.ref = f"A4:{get_column_letter(len(headers))}{last}"
    if first.method == "distinct" and any(r.movers for r in reports):
        last += 2
        text(ws, last, 1, f"Verhuisde cliënten: {MOVERS_NOTE}.")  # one line under the table, across its columns
    return last


def _reason(report: Any) -> str:
    """The assessment's reason, and with a kernwerkgebied (rule 11) the share of care inside it."""
    share = getattr(report, "core_area", None)
    return report.assessment.reason if share is None else f"{report.assessment.reason}; {share.reason}"


def _share(report: Any) -> float | None:
    """Rule 11's share inside as the tables show it (rounded down: 49,996 % is not 50 %)."""
    share = getattr(report, "core_area", None)
    return None if share is None or share.share_inside is None else float(shown_share(share.share_inside))


def _number(value: Any) -> Any:
    return None if value is None else float(value)


def _provider_sheet(ws: Worksheet, report: Any) -> None:
    a = report.assessment
    kind = "bestaande" if a.provider == "existing" else "nieuwe"
    title(ws, f"{report.provider or 'Alle regels'}: klant-werkgebiedratio",
          f"{a.reason} (beleidsjaar {report.year}, declaraties {report.claims_year}, {kind} zorgaanbieder)")
    figures = [("CZ-cliënten", a.clients, "count"), ("Postcodegebieden (PC4)", a.areas, "count"),
               ("Cliënten per postcodegebied", a.ratio, "ratio"), ("Drempel", _number(a.threshold), "number"),
               ("Voldoet", _verdict(a), "bool"),
               ("Extra cliënten nodig", a.clients_needed if a.applies and a.areas else None, "count"),
               ("Te schrappen gebieden", len(a.areas_to_drop), "count"),
               ("Cliënten in meer dan één gebied", report.movers, "count")]
    bottom = key_figures(ws, 4, figures)
    if report.movers and report.method == "distinct":
        wrapped(ws, bottom + 1, 1, f"Verhuisde cliënten: {MOVERS_NOTE}.")
    top = 21  # the table of areas, below the figures and the chart
    table_header(ws, top, ["PC4", "Cliënten", "Schrappen (volgorde)", "Drempel"], [32, 14, 20, 12])
    for letter in "EFGHIJ":  # the chart beside the figures is wider than the table below it
        ws.column_dimensions[letter].width = 12
    drop = {area: i for i, area in enumerate(a.areas_to_drop, start=1)}
    counts = report.clients_by_area_dict()  # one plain dict per sheet: looked up twice per area, then gone
    order = sorted(counts, key=lambda area: (counts[area], area))  # the order in which areas would be dropped
    for row, area in enumerate(order, start=top + 1):
        text(ws, row, 1, area)
        ws.cell(row=row, column=2, value=counts[area])
        if area in drop:
            ws.cell(row=row, column=3, value=drop[area])
            for column in (1, 2, 3):
                ws.cell(row=row, column=column).fill = DROP_FILL
        ws.cell(row=row, column=4, value=_number(a.threshold))
    last = top + max(len(order), 1)
    # One page while the table of areas stays readable at that size; a long list prints on as many as it needs.
    print_setup(ws, f"A1:J{last}", one_page=len(order) <= ONE_PAGE_AREAS, title="Klant-werkgebiedratio CZ groep",
                titles_rows=f"{top}:{top}",
                footer=report.provider or "")
    if not order:
        return
    bars = BarChart()
    bars.y_axis.title = "cliënten"
    bars.add_data(Reference(ws, min_col=2, min_row=top, max_row=top + len(order)), titles_from_data=True)
    bars.set_categories(Reference(ws, min_col=1, min_row=top + 1, max_row=top + len(order)))
    if a.threshold is not None:
        line = LineChart()
        line.add_data(Reference(ws, min_col=4, min_row=top, max_row=top + len(order)), titles_from_data=True)
        line.set_categories(Reference(ws, min_col=1, min_row=top + 1, max_row=top + len(order)))
        style_chart(line, "C00000")
        bars += line
    bars.x_axis.delete = bars.y_axis.delete = False
    bars.legend.position = "b"
    place_chart(ws, bars, f"C4:J{top - 2}")  # J: the print area's last column


def write_ratio_report(overall: Any, reports: Sequence[Any], path: Path, *, force: bool) -> Path:
    """The report workbook for `reports` (one per provider, or the whole file) at `path`."""
    wb = Workbook()
    overview = wb.active
    assert overview is not None
    overview.title = OVERVIEW
    last = _overview(overview, reports)
    taken: set[str] = {OVERVIEW.casefold()}
    for report in reports:
        _provider_sheet(wb.create_sheet(sheet_title(report.provider or "Alle regels", taken)), report)
    last = claim_notes(overview, last, overall)
    print_setup(overview, f"A1:{get_column_letter(overview.max_column)}{last}", title="Klant-werkgebiedratio CZ groep",
                titles_rows="4:4")  # Toelichting is the last column, after the share of rule 11 when given
    write_atomically(path, lambda tmp: wb.save(tmp), overwrite=force, new_folder=False)
    return path
