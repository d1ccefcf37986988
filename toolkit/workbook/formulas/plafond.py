"""Rule 5, the ceiling forecast and the extra-budget request, in formulas (`templates/plafond.xlsx`; the
Python engine: `toolkit/rules/ceiling/template.py`): the months in rows 15-26 of Berekening, the staffel
below them (`formulas/staffel.py`)."""

from __future__ import annotations

from openpyxl.chart import Reference
from openpyxl.worksheet.worksheet import Worksheet

from ...dates import MONTHS
from ...parameters import load_topic
from ...rules.ceiling.template import ALL_CONDITIONS_MET, NOT_REACHED
from ...rules.declaration import NOT_APPLICABLE, Template
from ..formats import font
from ..formula import (
    Formulas,
    Steps,
    checks,
    is_choice,
    mark_wrong_rows,
    number_text,
    status_steps,
    string,
    typed_text,
    year_steps,
    yes_no_result,
)
from ..layout import OUTPUT_RANGE_ROW, RANGE_HEADER_ROW, RANGE_TOP
from ..report_sheets import production_chart
from ..styles import text_cell
from . import Sheets
from .staffel import staffel_steps


def calculate(steps: Steps, spec: Template) -> Formulas:
    """Rule 5 (rules/ceiling.py) in formulas: months in rows 15-26 of Berekening, the staffel below them."""
    ws = steps.ws
    top, last = RANGE_TOP, RANGE_TOP + 11
    headers = ["Maand", "Bekend", "Fout in rij", "Vorig jaar", "Waarde", "Cumulatief", "Bereikt", "Vorig jaar bekend"]
    for column, title in enumerate(headers, start=4):
        ws.cell(row=RANGE_HEADER_ROW, column=column, value=title).font = font(bold=True)
    for column, title in {16: "Geen bedrag", 17: "Leeg vóór een ingevulde", 18: "Vorig jaar geen bedrag",
                          19: "Vorig jaar leeg vóór een ingevulde", 20: "Ingevuld (maand)",
                          21: "Vorig jaar ingevuld (maand)", 22: "Rood", 23: "Vorig jaar rood"}.items():
        ws.cell(row=RANGE_HEADER_ROW, column=column, value=title).font = font(bold=True)
    for r in range(top, last + 1):
        m = r - top + 1
        production, previous = f"Invoer!B{r}", f"Invoer!C{r}"
        ws[f"D{r}"] = m
        ws[f"E{r}"] = f'=NOT(TRIM({production}&"")="")'
        ws[f"K{r}"] = f'=NOT(TRIM({previous}&"")="")'
        # Wrong, as rules/ceiling.py reads both lists: a month that is no amount of 0 or more (P, R), or an
        # empty month before a filled one (Q, S: the empty one is named and turns red, as check says it).
        ws[f"P{r}"] = f"=AND(E{r},IF(ISNUMBER({production}),{production}<0,TRUE))"
        ws[f"Q{r}"] = f"=AND(NOT(E{r}),D{r}<MAX(T{top}:T{last}))"
        ws[f"R{r}"] = f"=AND(K{r},IF(ISNUMBER({previous}),{previous}<0,TRUE))"
        ws[f"S{r}"] = f"=AND(NOT(K{r}),D{r}<MAX(U{top}:U{last}))"
        ws[f"T{r}"] = f"=IF(E{r},D{r},0)"
        ws[f"U{r}"] = f"=IF(K{r},D{r},0)"
        ws[f"V{r}"] = f"=OR(P{r},Q{r})"  # this year's month wrong: turns red on Invoer
        ws[f"W{r}"] = f"=OR(R{r},S{r})"  # last year's
        ws[f"F{r}"] = f"=IF(OR(V{r},W{r}),1,0)"  # either: the row at a glance
        ws[f"G{r}"] = f"=IF(ISNUMBER({previous}),{previous},0)"
        # 0 while nothing is known (no division by 0 on an empty sheet); the outputs then show the status.
        ws[f"H{r}"] = (f"=IF(D{r}<=calc_n,{production},IF(calc_n=0,0,IF(calc_seizoen,IF(calc_basis=0,0,"
                       f"calc_gerealiseerd*G{r}/calc_basis),calc_gerealiseerd/calc_n)))")
        ws[f"I{r}"] = f"=H{r}" if m == 1 else f"=I{r - 1}+H{r}"
        ws[f"J{r}"] = f"=ROUND(I{r}-in_plafond,9)>=0"
    months, values, cumulative = f"D{top}:D{last}", f"H{top}:H{last}", f"I{top}:I{last}"
    year_steps(steps, spec)
    steps.add("calc_n", "Maanden bekend", f"=COUNT(Invoer!B{top}:B{last})", kind="count")
    steps.add("calc_seizoen", "Seizoensmethode", f'={is_choice(spec.input("in_methode"), "seasonal")}', flag=True)
    steps.add("calc_basis", "Vorig jaar, de bekende maanden samen", f'=SUMIF({months},"<="&calc_n,G{top}:G{last})',
              kind="money")
    status_steps(steps, spec, checks(spec, [
        *_month_checks(spec.input("in_productie").label, "P", "Q", "T", "B", top, last),
        *_month_checks(spec.input("in_vorig_jaar").label, "R", "S", "U", "C", top, last),
        (f"AND(calc_seizoen,COUNT(Invoer!C{top}:C{last})<12)",
         string("de seizoensmethode heeft de productie van alle twaalf maanden van vorig jaar nodig")),
        ("AND(calc_seizoen,calc_n<12,calc_basis=0)",
         string("vorig jaar is de productie van de bekende maanden samen 0; gebruik de lineaire methode")),
    ]))
    steps.add("calc_gerealiseerd", "Gerealiseerde productie", f"=SUM(Invoer!B{top}:B{last})", kind="money")
    steps.add("calc_prognose", "Verwachte productie over het jaar", f"=SUM({values})", kind="money")
    steps.add("calc_voor_peildatum", "Maanden vóór de peildatum", "=IF(DAY(par_request_reference_date)=1,"
              "MONTH(par_request_reference_date)-1,MONTH(par_request_reference_date))")
    steps.add("calc_k_peildatum", "Cumulatief vóór de peildatum",
              f"=IF(calc_voor_peildatum=0,0,INDEX({cumulative},calc_voor_peildatum))", kind="money")
    steps.add("calc_80pct", "Aandeel vóór de peildatum gehaald",
              "=ROUND(calc_k_peildatum-par_request_min_ceiling_share*in_plafond,9)>=0", flag=True)
    steps.add("calc_ontoereikend", "Plafond ontoereikend", "=ROUND(calc_prognose-in_plafond,9)>0", flag=True)
    steps.add("calc_tekort", "Tekort", "=IF(calc_ontoereikend,ROUND(ROUND(calc_prognose-in_plafond,9),2),0)",
              kind="money")
    steps.add("calc_grafiek_80pct", "Lijn in de grafiek: minimaal deel van het plafond",
              "=par_request_min_ceiling_share*in_plafond", kind="money")
    staffel_steps(steps, spec, top=last + 4)
    reference = ("DAY(par_request_reference_date)&\" \"&CHOOSE(MONTH(par_request_reference_date),"
                 + ",".join(string(month) for month in MONTHS) + ")")
    share = number_text("par_request_min_ceiling_share*100") + '&" %"'
    reasons = (f'IF(calc_80pct,"","; vóór "&{reference}&" is minder dan "&{share}&" van het omzetplafond bereikt")'
               '&IF(calc_ontoereikend,"","; het omzetplafond is naar verwachting toereikend")'
               '&IF(ISNUMBER(calc_pct),"","; "&calc_reden)')
    steps.add("calc_redenen", "Redenen (met een scheidingsteken vooraan)", f"={reasons}")
    steps.add("calc_mag", "Verzoek mogelijk", "=AND(calc_80pct,calc_ontoereikend,ISNUMBER(calc_pct))", flag=True)
    cumulative_out = [(f"ROUND(ROUND(Berekening!I{r},9),2)") for r in range(top, last + 1)]
    return {
        "out_gerealiseerd": ("ROUND(ROUND(calc_gerealiseerd,9),2)"),
        "out_prognose": ("ROUND(ROUND(calc_prognose,9),2)"),
        "out_aandeel_voor_peildatum": ("calc_k_peildatum/in_plafond"),
        "out_voldoet_minimum": yes_no_result("calc_80pct"),
        "out_maand_bereikt": (f'IF(ISNA(MATCH(TRUE,Berekening!J{top}:J{last},0)),"{NOT_REACHED}",'
                                    f"MATCH(TRUE,Berekening!J{top}:J{last},0))"),
        "out_tekort": ("calc_tekort"),
        # The staffel's input error (score B without cost points) is said, not answered with "nee".
        "out_mag_aanvragen": f'IF(LEFT(calc_pct,4)="fout",calc_pct,{yes_no_result("calc_mag")})',
        "out_vergoeding_verwacht": (f'IF(calc_mag,ROUND(ROUND(calc_tekort*calc_pct,9),2),"{NOT_APPLICABLE}")'),
        "out_redenen": (f'IF(calc_mag,{string(ALL_CONDITIONS_MET)},MID(calc_redenen,3,1000))'),
        "out_cumulatief": cumulative_out,
    }


def _month_checks(label: str, wrong: str, gap: str, filled: str, column: str, top: int,
                  last: int) -> list[tuple[str, str]]:
    """The checks of one list of months on Berekening (a month that is no amount, then an empty month before a
    filled one), worded as rules/ceiling.py words them: "Productie (€): maand 2 (februari) is leeg terwijl
    maand 4 (april) is ingevuld"."""
    def month(number: str) -> str:
        return f'{number}&" ("&CHOOSE({number},{",".join(string(m) for m in MONTHS)})&")"'

    bad, empty = f"MATCH(TRUE,{wrong}{top}:{wrong}{last},0)", f"MATCH(TRUE,{gap}{top}:{gap}{last},0)"
    latest = f"MAX({filled}{top}:{filled}{last})"
    return [
        (f"NOT(ISNA({bad}))", f'{string(label + ", maand ")}&{month(bad)}&": "&'
                              f'{typed_text(f"INDEX(Invoer!{column}{top}:{column}{last},{bad})")}&" is geen bedrag '
                              f'van 0 of meer"'),
        (f"NOT(ISNA({empty}))", f'{string(label + ": maand ")}&{month(empty)}&" is leeg terwijl maand "&'
                                f'{month(latest)}&" is ingevuld"'),
    ]


def decorate(sheets: Sheets, spec: Template) -> None:
    # A wrong month turns red, as a wrong scalar input does (build.py): this year's in B, last year's in C.
    top, last = RANGE_TOP, RANGE_TOP + 11
    for column, flags, name in (("B", "V", "calc_maand_fout"), ("C", "W", "calc_maand_vorig_jaar_fout")):
        mark_wrong_rows(sheets.invoer, f"{column}{top}:{column}{last}", name, f"{flags}{top}:{flags}{last}")
    _chart(sheets.uitkomst, sheets.berekening, spec)


def _chart(ws: Worksheet, berekening: Worksheet, spec: Template) -> None:
    """Production up to each month, realised and forecast months in two colours, against the ceiling; the
    minimum share as a line over the months before the reference date only."""
    top, last = RANGE_TOP, RANGE_TOP + 11
    headers = {14: "Gerealiseerd", 15: "Prognose", 12: "Omzetplafond", 13: "Minimaal deel vóór de peildatum"}
    for column, title in headers.items():
        berekening.cell(row=RANGE_HEADER_ROW, column=column, value=title).font = font(bold=True)
    for r in range(top, last + 1):
        # 0 instead of an error value or "": a chart reads both as 0 anyway, and Berekening stays clean.
        known = f'AND(calc_status="",D{r}<=calc_n)'
        berekening[f"N{r}"] = f'=IF({known},I{r},0)'
        berekening[f"O{r}"] = f'=IF(AND(calc_status="",D{r}>calc_n),I{r},0)'
        berekening[f"L{r}"] = '=IF(ISNUMBER(in_plafond),in_plafond,0)'
        berekening[f"M{r}"] = '=IF(ISNUMBER(in_plafond),calc_grafiek_80pct,0)'
    text_cell(ws, OUTPUT_RANGE_ROW, 3, "Productie tot en met de maand, tegen het omzetplafond").font = font(bold=True)
    # The months wholly before the reference date: the line stops there instead of dropping to 0.
    months = max(_months_before_reference(year) for year in spec.years)
    chart = production_chart(
        Reference(berekening, min_col=14, max_col=15, min_row=RANGE_HEADER_ROW, max_row=last),
        Reference(berekening, min_col=12, min_row=RANGE_HEADER_ROW, max_row=last),
        Reference(berekening, min_col=13, min_row=RANGE_HEADER_ROW, max_row=RANGE_HEADER_ROW + months),
        Reference(ws, min_col=1, min_row=OUTPUT_RANGE_ROW + 1, max_row=OUTPUT_RANGE_ROW + 12),
        Reference(ws, min_col=1, min_row=OUTPUT_RANGE_ROW + 1, max_row=OUTPUT_RANGE_ROW + months))
    chart.width, chart.height = 16, 8.5
    ws.add_chart(chart, f"C{OUTPUT_RANGE_ROW + 1}")


def _months_before_reference(year: int) -> int:
    reference = load_topic("cz", "ceiling").date("request_reference_date", year)
    return reference.month - 1 if reference.day == 1 else reference.month
