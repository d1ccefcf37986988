"""`zorginkoop plafond … --rapport FILE.xlsx`: the omzetplafond forecast per provider as a workbook.

An overview sheet (one row per provider: ceiling, months known, realised, forecast, the share before the
reference date, the month the ceiling is reached, the shortfall and whether an extra budget may be asked)
and one sheet per provider: its key figures, a chart of the production up to each month (realised and
forecast months in two colours) against the ceiling with the minimum share before the reference date,
and the months themselves. Values only, no formulas; names from the claims stay text. Print-ready like
the templates; written atomically, nothing overwritten without `force`.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Protocol

from openpyxl import Workbook
from openpyxl.chart import Reference
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..dates import day_month, dutch_date, month_name
from ..numbers import percent_text
from ..rules.ceiling import AdditionalPurchase, CeilingForecast
from .files import write_atomically
from .formats import OUTPUT_FORMATS, font, print_setup, yes_no_text
from .report_sheets import (
    GOOD_FILL,
    ClaimsRead,
    claim_notes,
    key_figures,
    place_chart,
    production_chart,
    sheet_title,
    table_cell,
    table_header,
    text,
    title,
    wrapped,
)

OVERVIEW = "Overzicht"
_PRINTED_TO = "H"  # the last printed column: the table ends at E, the chart beside the key figures at H
REALISED, FORECAST = "gerealiseerd", "prognose"


class CeilingEntry(Protocol):
    """One provider's forecast, and its request assessment when scores were given
    (`toolkit.claims.ceiling.CeilingReport`)."""

    @property
    def provider(self) -> str | None: ...
    @property
    def forecast(self) -> CeilingForecast: ...
    @property
    def purchase(self) -> AdditionalPurchase | None: ...


def _money(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _reached(forecast: CeilingForecast) -> str:
    return month_name(forecast.month_reached) if forecast.month_reached else "niet bereikt"


def _request(entry: CeilingEntry) -> tuple[str | None, float | None, str]:
    """(verzoek mogelijk, expected reimbursement, explanation) — empty where no assessment was asked."""
    purchase = entry.purchase
    if purchase is None:
        return None, None, "geen waardemodelscore opgegeven: het verzoek is niet beoordeeld"
    if purchase.may_request:
        return yes_no_text(True), _money(purchase.expected_reimbursement), (
            f"verzoek in {month_name(purchase.request_month)}, verzonden vóór {dutch_date(purchase.last_send_date)}")
    return yes_no_text(False), None, "; ".join(purchase.reasons)


def _overview(ws: Worksheet, entries: Sequence[CeilingEntry]) -> int:
    first = entries[0].forecast
    day, minimum = day_month(first.reference_date), percent_text(first.required_share)
    title(ws, f"Omzetplafond CZ groep {first.year}: prognose per zorgaanbieder",
          "Bedragen uit de CZ-declaraties per maand; de maanden na de laatst bekende zijn doorgetrokken.")
    headers = ["Zorgaanbieder", "Omzetplafond (€)", "Maanden bekend", "Gerealiseerd (€)", "Prognose jaar (€)",
               f"Deel bereikt vóór {day}", f"Ten minste {minimum} vóór {day}", "Plafond bereikt in",
               "Verwacht tekort (€)", "Verzoek aanvullend budget mogelijk", "Verwachte vergoeding (€)", "Toelichting"]
    table_header(ws, 4, headers, [24, 15, 9, 15, 15, 11, 11, 12, 15, 11, 15, 55])
    for row, entry in enumerate(entries, start=5):
        f = entry.forecast
        may, reimbursed, why = _request(entry)
        values = [(entry.provider or "(alle regels)", "text"), (_money(f.ceiling), "money"), (f.months_known, "count"),
                  (_money(f.realised), "money"), (_money(f.projected_year), "money"),
                  (float(f.share_before_reference_date), "fraction"), (yes_no_text(f.meets_min_share), "bool"),
                  (_reached(f), "text"), (_money(f.shortfall), "money"), (may, "bool"), (reimbursed, "money"),
                  (why, "text")]
        for column, (value, kind) in enumerate(values, start=1):
            cell = table_cell(ws, row, column, value, wrap=column == len(values))
            if isinstance(value, int | float):
                cell.number_format = OUTPUT_FORMATS[kind]
    last = 4 + len(entries)
    ws.freeze_panes = "B5"
    ws.auto_filter.ref = f"A4:{get_column_letter(len(headers))}{last}"
    return last


def _provider_sheet(ws: Worksheet, entry: CeilingEntry) -> None:
    f = entry.forecast
    way = "volgens het seizoen van vorig jaar" if f.method == "seasonal" else "lineair"
    title(ws, f"{entry.provider or 'Alle regels'}: omzetplafond {f.year}",
          f"{f.months_known} maand(en) bekend, daarna {way} doorgetrokken")
    may, reimbursed, why = _request(entry)
    day = day_month(f.reference_date)
    bottom = key_figures(ws, 4, [
        ("Omzetplafond", _money(f.ceiling), "money"), ("Gerealiseerd", _money(f.realised), "money"),
        ("Prognose over het jaar", _money(f.projected_year), "money"),
        # Fewer months known than lie before the reference date: the share is partly forecast, and says so.
        (f"Deel van het plafond bereikt vóór {day}" + (" (prognose)" if f.months_known < f.months_before_reference
                                                        else ""), float(f.share_before_reference_date), "fraction"),
        (f"Ten minste {percent_text(f.required_share)} vóór {day}", yes_no_text(f.meets_min_share), "bool"),
        ("Plafond bereikt in", _reached(f), "text"), ("Verwacht tekort", _money(f.shortfall), "money"),
        ("Verzoek om aanvullend budget mogelijk", may, "bool"), ("Verwachte vergoeding", reimbursed, "money")])
    wrapped(ws, bottom + 1, 1, why)
    top = 22
    headers = ["Maand", "Productie (€)", "T/m de maand (€)", "Soort", "Omzetplafond (€)"]
    table_header(ws, top, headers, [40, 18, 18, 14, 18])
    for i, (value, running) in enumerate(zip(f.monthly, f.cumulative, strict=True), start=1):
        row = top + i
        cells = [month_name(i), _money(value), _money(running), REALISED if i <= f.months_known else FORECAST,
                 _money(f.ceiling)]
        for column, item in enumerate(cells, start=1):
            cell = table_cell(ws, row, column, item)
            if isinstance(item, float | int):
                cell.number_format = OUTPUT_FORMATS["money"]
        if f.month_reached == i:
            for column in range(1, 4):
                ws.cell(row=row, column=column).fill = GOOD_FILL
            text(ws, row, 1, f"{month_name(i)} (plafond bereikt)").font = font(bold=True)
    _chart(ws, top, f)
    print_setup(ws, f"A1:{_PRINTED_TO}{top + 12}", one_page=True, title=f"Omzetplafond CZ groep {f.year}",
                footer=entry.provider or "")


# The chart reads columns beyond the printed table: realised and forecast apart, and the minimum share.
_CHART_COLUMNS = {"Gerealiseerd": 11, "Prognose": 12, "Omzetplafond": 13}


def _chart(ws: Worksheet, top: int, forecast: CeilingForecast) -> None:
    realised, projected, ceiling = _CHART_COLUMNS.values()
    minimum = ceiling + 1
    for title_, column in (*_CHART_COLUMNS.items(), (f"Minimaal vóór {day_month(forecast.reference_date)}", minimum)):
        text(ws, top, column, title_)
    for i, running in enumerate(forecast.cumulative, start=1):
        known = i <= forecast.months_known
        ws.cell(row=top + i, column=realised, value=_money(running) if known else 0)
        ws.cell(row=top + i, column=projected, value=0 if known else _money(running))
        ws.cell(row=top + i, column=ceiling, value=_money(forecast.ceiling))
        if i <= forecast.months_before_reference:
            ws.cell(row=top + i, column=minimum, value=float(forecast.required_share * forecast.ceiling))
    before = max(forecast.months_before_reference, 1)
    chart = production_chart(
        Reference(ws, min_col=realised, max_col=projected, min_row=top, max_row=top + 12),
        Reference(ws, min_col=ceiling, min_row=top, max_row=top + 12),
        Reference(ws, min_col=minimum, min_row=top, max_row=top + before),
        Reference(ws, min_col=1, min_row=top + 1, max_row=top + 12),
        Reference(ws, min_col=1, min_row=top + 1, max_row=top + before))
    place_chart(ws, chart, f"C4:{_PRINTED_TO}{top - 2}")


def write_ceiling_report(entries: Sequence[CeilingEntry], path: Path, *, force: bool,
                         claims: ClaimsRead | None = None, notes: Sequence[str] = ()) -> Path:
    """The report workbook for `entries` (one per provider, or the whole claim set) at `path`; `claims`, the
    claim set as read (`CeilingClaims.production`), adds what was not counted under the overview, and `notes`
    (`CeilingClaims.notes`) what the forecasts rest on."""
    wb = Workbook()
    overview = wb.active
    assert overview is not None
    overview.title = OVERVIEW
    last = _overview(overview, entries)
    if notes:
        last += 1
    for note in notes:  # known months without claims, providers without a forecast
        last += 1
        text(overview, last, 1, f"Let op: {note}")
    if claims is not None:
        last = claim_notes(overview, last, claims)
    print_setup(overview, f"A1:L{last}", title="Omzetplafond CZ groep", titles_rows="4:4")
    taken = {OVERVIEW.casefold()}
    for entry in entries:
        _provider_sheet(wb.create_sheet(sheet_title(entry.provider or "Alle regels", taken)), entry)
    write_atomically(path, lambda tmp: wb.save(tmp), overwrite=force, new_folder=False)
    return path


__all__ = ["CeilingEntry", "write_ceiling_report"]
