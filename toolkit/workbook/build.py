"""Build the template workbooks in `templates/` from the specs: the rules a second time, in Excel.

    python3 -m toolkit.workbook.build [--out templates]

Each template has the sheets Invoer (the `in_*` cells, unlocked and yellow, with dropdowns and range
checks), Uitkomst (the `out_*` cells, with conditional formatting), Berekening (intermediate steps)
and Bronnen (every parameter with its years and source, and the versions). The formulas use only the
Excel 2010 function set that LibreOffice 7.4 also has; no macros. Parameters are cells on Bronnen
with `par_*` names, filled from the parameter data, so a formula reads like the rule it implements.
The recalculation tests (tests/test_templates_libreoffice.py) keep formulas and rules equal.

Float care: a cent amount is ROUND(ROUND(x, 9), 2), so a product that the decimals make exactly
half a cent (0.1 × 0.85 = 0.085) is not lost to its binary representation (0.08499999…); integer
tests on products (fte × 55) are rounded to 9 decimals first for the same reason.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterable
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.formatting.rule import CellIsRule, FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

import toolkit

from ..parameters import load_topic
from ..parameters.loader import Parameter
from . import templates_dir
from .files import write_atomically
from .specs import COVERED_RATIO_YEARS, NOT_APPLICABLE, SPECS, Input, Output, TemplateSpec

INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
GOOD_FILL = PatternFill("solid", fgColor="C6EFCE")
BAD_FILL = PatternFill("solid", fgColor="FFC7CE")
UNLOCKED = Protection(locked=False)
FIRST_INPUT_ROW = 4
RANGE_HEADER_ROW = 14
RANGE_TOP = RANGE_HEADER_ROW + 1
FIRST_OUTPUT_ROW = 4
INPUT_ERROR = "fout in de invoer: zie de rode cellen op Invoer"

FORMATS = {
    "count": "0", "number": "0.0000", "ratio": "0.00", "fraction": "0.00%", "money": '"€" #,##0.00',
    "bool": "General", "text": "General",
}
TOPICS = {"cz_ratio": ("cz", "client_area_ratio"), "staffel": ("cz", "staffel"),
          "cooperatie": ("cz", "cooperative"), "nachtzorg": ("nza", "nachtzorg")}
# par_* names for parameters the formulas use: parameter name in the data -> defined name.
PARAMETER_NAMES = {
    "staffel": {"pct_ceiling_free": "par_pct_plafondvrij", "pct_a_both_years": "par_pct_a_beide",
                "pct_a_2026": "par_pct_a", "pct_b_cost_points": "par_pct_b", "pct_no_score": "par_pct_geen_score",
                "min_cost_points_b": "par_min_punten", "waardemodel_min_production": "par_min_productie"},
    "cooperatie": {"clients_per_level6_fte": "par_clienten_per_fte", "atw_avg_week_hours": "par_atw_week",
                   "atw_avg_week_hours_night": "par_atw_week_nacht", "weeks_per_year": "par_weken"},
    "nachtzorg": {"weight_personnel": "par_gewicht_pers", "weight_material": "par_gewicht_mat"},
    "cz_ratio": {},
}


def _name(wb: Workbook, name: str, sheet: str, ref: str) -> None:
    wb.defined_names[name] = DefinedName(name, attr_text=f"'{sheet}'!{_absolute(ref)}")


def _absolute(ref: str) -> str:
    def one(cell: str) -> str:
        letters = "".join(c for c in cell if c.isalpha())
        return f"${letters}${cell[len(letters):]}"
    return ":".join(one(part) for part in ref.split(":"))


def _excel_value(value: object) -> object:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


# --- Invoer -------------------------------------------------------------------------------------------

def _validation(spec: Input) -> DataValidation:
    if spec.choices:
        dv = DataValidation(type="list", formula1='"' + ",".join(spec.choices) + '"', allow_blank=not spec.required)
        dv.error = f"Kies uit: {', '.join(spec.choices)}."
    elif spec.kind in {"count", "year"}:
        dv = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
        dv.error = "Vul een geheel getal van 0 of meer in."
    elif spec.kind == "fraction":
        dv = DataValidation(type="decimal", operator="between", formula1="0", formula2="1", allow_blank=True)
        dv.error = "Vul een fractie tussen 0 en 1 in (85% = 0,85)."
    elif spec.kind == "index":
        dv = DataValidation(type="decimal", operator="greaterThan", formula1="-1", allow_blank=True)
        dv.error = "Vul de index als fractie in (3,1% = 0,031); minimaal -100%."
    elif spec.kind == "postcode":
        dv = DataValidation(type="textLength", operator="between", formula1="4", formula2="7", allow_blank=True)
        dv.error = "Een postcode is 4 cijfers (niet beginnend met 0), eventueel met 2 letters: 5611 of 5611 AB."
    else:
        dv = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
        dv.error = "Vul een getal van 0 of meer in."
    dv.errorTitle = "Ongeldige invoer"
    dv.promptTitle = spec.label[:32]
    dv.prompt = spec.help[:255]
    dv.showErrorMessage = True
    dv.showInputMessage = True
    return dv


def _input_cell(ws: Worksheet, ref: str) -> None:
    cell = ws[ref]
    cell.fill = INPUT_FILL
    cell.protection = UNLOCKED


def _invoer(wb: Workbook, spec: TemplateSpec) -> Worksheet:
    ws = wb.active
    assert ws is not None
    ws.title = "Invoer"
    ws["A1"] = spec.title
    ws["A1"].font = Font(bold=True, size=14)
    year = f" (beleidsjaar {spec.policy_year})" if spec.policy_year else ""
    ws["A2"] = f"Vul de gele cellen in{year}. De uitkomst staat op het tabblad Uitkomst."
    # Filled by `zorginkoop fill` with the row key (which provider or scenario this copy is for).
    ws["A3"] = "Sleutel (zorgaanbieder of scenario)"
    _input_cell(ws, "B3")
    ws["B3"].number_format = "@"
    _name(wb, "zk_sleutel", "Invoer", "B3")
    row = FIRST_INPUT_ROW
    ranges = [i for i in spec.inputs if i.rows]
    for spec_input in (i for i in spec.inputs if not i.rows):
        ws.cell(row=row, column=1, value=spec_input.label)
        ref = f"B{row}"
        _input_cell(ws, ref)
        if spec_input.kind in {"postcode", "score", "choice", "flag"}:
            ws[ref].number_format = "@"
        dv = _validation(spec_input)
        ws.add_data_validation(dv)
        dv.add(ref)
        _name(wb, spec_input.name, "Invoer", ref)
        ws.cell(row=row, column=3, value=spec_input.help).alignment = Alignment(wrap_text=False)
        row += 1
    assert row < RANGE_HEADER_ROW, "te veel enkelvoudige invoer voor de indeling"
    for column, spec_input in enumerate(ranges, start=2):
        letter = chr(ord("A") + column - 1)
        header = ws.cell(row=RANGE_HEADER_ROW, column=column, value=spec_input.label)
        header.font, header.fill = Font(bold=True), HEADER_FILL
        ref = f"{letter}{RANGE_TOP}:{letter}{RANGE_TOP + spec_input.rows - 1}"
        for r in range(RANGE_TOP, RANGE_TOP + spec_input.rows):
            _input_cell(ws, f"{letter}{r}")
            if spec_input.kind == "postcode":
                ws[f"{letter}{r}"].number_format = "@"  # 0123 must stay visible as typed, to be rejected
        dv = _validation(spec_input)
        ws.add_data_validation(dv)
        dv.add(ref)
        _name(wb, spec_input.name, "Invoer", ref)
    if ranges:
        ws.cell(row=RANGE_HEADER_ROW, column=1, value="Rij").font = Font(bold=True)
        for r in range(RANGE_TOP, RANGE_TOP + max(i.rows for i in ranges)):
            ws.cell(row=r, column=1, value=r - RANGE_TOP + 1)
    ws.column_dimensions["A"].width = 44
    ws.column_dimensions["B"].width = 26
    ws.column_dimensions["C"].width = 22
    return ws


# --- Bronnen -------------------------------------------------------------------------------------------

def _bronnen(wb: Workbook, spec: TemplateSpec) -> None:
    """The parameter listing; the `par_*` names point at the values for the template's year."""
    ws = wb.create_sheet("Bronnen")
    ws["A1"] = "Bronnen en parameters"
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"], ws["B2"] = "Sjabloon", spec.name
    ws["A3"], ws["B3"] = "Versie sjabloon", spec.version
    ws["A4"], ws["B4"] = "Gemaakt met zorginkoop-toolkit", toolkit.__version__
    _name(wb, "zk_sjabloon", "Bronnen", "B2")
    _name(wb, "zk_versie", "Bronnen", "B3")
    headers = ["Parameter", "Omschrijving", "Beleidsjaar", "Waarde", "Eenheid", "Document", "Sectie", "Opmerking"]
    top = 6
    for column, title in enumerate(headers, start=1):
        cell = ws.cell(row=top, column=column, value=title)
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
    insurer, topic_name = TOPICS[spec.name]
    topic = load_topic(insurer, topic_name)
    cells: dict[str, str] = {}
    row = top + 1
    parameters: Iterable[Parameter] = topic.parameters.values()
    for parameter in parameters:
        for year in parameter.years:
            dated = parameter.values[year]
            value = dated.value
            shown = NOT_APPLICABLE if value is None else _excel_value(value)
            for column, content in enumerate(
                    [parameter.name, parameter.label, year, shown, parameter.unit, dated.source.document,
                     dated.source.section, dated.note], start=1):
                cell = ws.cell(row=row, column=column, value=content)
                if column in {2, 7, 8} and isinstance(content, str):
                    cell.data_type = "s"
            if year == (spec.policy_year or year):
                cells[parameter.name] = f"D{row}"
            row += 1
    for name, defined in PARAMETER_NAMES[spec.name].items():
        _name(wb, defined, "Bronnen", cells[name])
    if spec.name == "cz_ratio":
        _threshold_table(wb, ws, topic_name, row + 2)
    for letter, width in zip("ABCDEFGH", (28, 60, 12, 12, 16, 28, 80, 50), strict=True):
        ws.column_dimensions[letter].width = width


def _threshold_table(wb: Workbook, ws: Worksheet, topic_name: str, row: int) -> None:
    """Thresholds per policy year, as the ratio formulas look them up (INDEX/MATCH on the year)."""
    topic = load_topic("cz", topic_name)
    ws.cell(row=row, column=1, value="Drempels per beleidsjaar (uit de parameters hierboven)").font = Font(bold=True)
    for column, title in enumerate(["Beleidsjaar", "Bestaand", "Nieuw"], start=1):
        ws.cell(row=row + 1, column=column, value=title).fill = HEADER_FILL
    first = row + 2
    for i, year in enumerate(COVERED_RATIO_YEARS):
        ws.cell(row=first + i, column=1, value=year)
        for column, name in ((2, "threshold_existing"), (3, "threshold_new")):
            value = topic.decimal(name, year)
            ws.cell(row=first + i, column=column, value=NOT_APPLICABLE if value is None else _excel_value(value))
    last = first + len(COVERED_RATIO_YEARS) - 1
    _name(wb, "par_jaren", "Bronnen", f"A{first}:A{last}")
    _name(wb, "par_drempel_bestaand", "Bronnen", f"B{first}:B{last}")
    _name(wb, "par_drempel_nieuw", "Bronnen", f"C{first}:C{last}")


# --- Berekening and Uitkomst per template ----------------------------------------------------------------

def _yes(name: str) -> str:
    """A ja/nee input as a condition. The dropdown gives ja/nee; TRUE or 1 typed or pasted count as ja
    too (and in LibreOffice TRUE is 1), as the Python side reads them."""
    return f'OR({name}="ja",{name}=TRUE,{name}=1)'


def _steps(wb: Workbook, ws: Worksheet, steps: list[tuple[str, str, str]], first_row: int) -> None:
    """Named intermediate steps: (name, label, formula), one per row."""
    for row, (name, label, formula) in enumerate(steps, start=first_row):
        ws.cell(row=row, column=1, value=label)
        ws.cell(row=row, column=2, value=formula)
        _name(wb, name, ws.title, f"B{row}")


def _cz_ratio_calc(wb: Workbook, ws: Worksheet) -> dict[str, str]:
    last = RANGE_TOP + SPECS["cz_ratio"].input("in_postcodes").rows - 1
    headers = ["Postcode (compact)", "PC4", "Postcode geldig", "Cliënten", "Fout in rij", "Nieuw gebied",
               "Drempel (grafiek)"]  # columns D..J, row for row beside Invoer's range
    for column, title in enumerate(headers, start=4):
        ws.cell(row=RANGE_HEADER_ROW, column=column, value=title).font = Font(bold=True)
    for r in range(RANGE_TOP, last + 1):
        ws[f"D{r}"] = f'=SUBSTITUTE(UPPER(TRIM(Invoer!B{r}&""))," ","")'
        ws[f"E{r}"] = f'=IF(D{r}="","",LEFT(D{r},4))'
        ws[f"F{r}"] = (
            f'=IF(D{r}="",TRUE,AND(OR(LEN(D{r})=4,LEN(D{r})=6),LEFT(D{r},1)<>"0",'
            f'SUMPRODUCT(--(ABS(CODE(MID(D{r}&"xxxx",{{1,2,3,4}},1))-52.5)<5))=4,'
            f'OR(LEN(D{r})=4,SUMPRODUCT(--(ABS(CODE(MID(D{r}&"xx",{{5,6}},1))-77.5)<13))=2)))'
        )
        ws[f"G{r}"] = f'=IF(TRIM(Invoer!C{r}&"")="",0,IF(ISNUMBER(Invoer!C{r}),Invoer!C{r},-1))'
        ws[f"H{r}"] = (
            f'=IF(AND(D{r}="",TRIM(Invoer!C{r}&"")=""),0,'
            f'IF(OR(D{r}="",TRIM(Invoer!C{r}&"")="",NOT(F{r}),G{r}<0,G{r}<>INT(G{r})),1,0))'
        )
        # An area counts once, at its first row, and only when its clients add up to more than 0.
        ws[f"I{r}"] = (
            f'=IF(OR(E{r}="",H{r}=1),0,IF(MATCH(E{r},E${RANGE_TOP}:E${last},0)=ROW()-{RANGE_TOP - 1},'
            f'IF(SUMIF(E${RANGE_TOP}:E${last},E{r},G${RANGE_TOP}:G${last})>0,1,0),0))'
        )
        ws[f"J{r}"] = f'=IF(E{r}="",NA(),IF(ISNUMBER(calc_drempel),calc_drempel,NA()))'
    _steps(wb, ws, [
        ("calc_fouten", "Rijen met een fout", f"=SUM(H{RANGE_TOP}:H{last})"),
        ("calc_clienten", "Cliënten", f"=SUM(G{RANGE_TOP}:G{last})"),
        ("calc_gebieden", "Postcodegebieden met cliënten", f"=SUM(I{RANGE_TOP}:I{last})"),
        ("calc_jaar", "Rij van het beleidsjaar in de drempeltabel", "=MATCH(in_jaar,par_jaren,0)"),
        ("calc_drempel", "Drempel", '=IF(ISNA(calc_jaar),"beleidsjaar niet gedekt",'
                                    'IF(OR(in_soort="nieuw",in_soort="new"),INDEX(par_drempel_nieuw,calc_jaar),'
                                    'INDEX(par_drempel_bestaand,calc_jaar)))'),
    ], first_row=4)
    error = f'IF(calc_fouten>0,"{INPUT_ERROR}",'
    return {
        "out_clienten": f"={error}calc_clienten)",
        "out_gebieden": f"={error}calc_gebieden)",
        "out_ratio": f'={error}IF(calc_gebieden=0,"-",calc_clienten/calc_gebieden))',
        "out_drempel": "=calc_drempel",
        "out_voldoet": (f"={error}IF(ISNUMBER(calc_drempel),AND(calc_gebieden>0,"
                        f'calc_clienten>=calc_drempel*calc_gebieden),IF(calc_drempel="{NOT_APPLICABLE}",TRUE,'
                        "calc_drempel)))"),
        "out_extra_clienten": (f"={error}IF(ISNUMBER(calc_drempel),"
                               "MAX(0,ROUNDUP(ROUND(calc_drempel*calc_gebieden,9),0)-calc_clienten),0))"),
        "out_max_gebieden": (f"={error}IF(ISNUMBER(calc_drempel),INT(ROUND(calc_clienten/calc_drempel,9)),"
                             f'"{NOT_APPLICABLE}"))'),
    }


def _staffel_calc(wb: Workbook, ws: Worksheet) -> dict[str, str]:
    _steps(wb, ws, [
        ("calc_s26", "Score 2026", '=UPPER(TRIM(in_score_2026&""))'),
        ("calc_s27", "Score 2027", '=UPPER(TRIM(in_score_2027&""))'),
        ("calc_plafondvrij", "Plafondvrije afspraak", f"={_yes('in_plafondvrij')}"),
        ("calc_palliatief", "Palliatieve terminale zorg", f"={_yes('in_palliatief_terminaal')}"),
        ("calc_fusie", "Fusie, overname of faillissement", f"={_yes('in_fusie_faillissement')}"),
        ("calc_afwijkend", "Afwijkende afspraak", "=OR(calc_fusie,calc_palliatief)"),
        ("calc_geen_waardemodel", "Productieafspraak tot en met de grens",
         "=AND(ISNUMBER(in_productieafspraak),in_productieafspraak<=par_min_productie)"),
        ("calc_pct", "Percentage (of reden)",
         f'=IF(calc_afwijkend,"{NOT_APPLICABLE}",IF(calc_plafondvrij,par_pct_plafondvrij,'
         "IF(calc_geen_waardemodel,par_pct_geen_score,"
         'IF(calc_s26="A",IF(calc_s27="A",par_pct_a_beide,par_pct_a),'
         'IF(calc_s26="B",IF(ISNUMBER(in_kostenpunten),IF(in_kostenpunten>=par_min_punten,par_pct_b,'
         f'"{NOT_APPLICABLE}"),"fout: bij score B zijn de kostenpunten nodig"),'
         f'IF(calc_s26="C","{NOT_APPLICABLE}",IF(calc_s26="",par_pct_geen_score,"fout: onbekende score")))))))'),
    ], first_row=4)
    # The texts are the rule's own (toolkit/rules/staffel.py); the recalculation tests compare them.
    reason = (
        '=IF(calc_fusie,"afwijkende afspraak: plafondaanpassing door fusie, overname of '
        'faillissement wordt afzonderlijk met CZ groep besproken",'
        'IF(calc_palliatief,"afwijkende afspraak: bij palliatieve zorg aan terminale verzekerden '
        'past CZ groep waar mogelijk coulance toe",'
        'IF(calc_plafondvrij,"plafondvrije afspraak",'
        'IF(calc_geen_waardemodel,"geen score: waardemodel niet toegepast bij productieafspraak tot en met € "'
        '&SUBSTITUTE(FIXED(par_min_productie,0,FALSE),",","."),'
        'IF(calc_s26="A",IF(calc_s27="A","score A in 2026 én 2027","score A in 2026"),'
        'IF(calc_s26="B",IF(ISNUMBER(in_kostenpunten),IF(in_kostenpunten>=par_min_punten,'
        '"score B in 2026 en ten minste "&par_min_punten&" punten op het kostenonderdeel",'
        '"komt niet in aanmerking: score B in 2026 met minder dan "&par_min_punten&" punten op het '
        'kostenonderdeel"),"fout: bij score B zijn de kostenpunten nodig"),'
        'IF(calc_s26="C","komt niet in aanmerking: score C in 2026",'
        'IF(calc_s26="","geen score op het waardemodel in 2026","fout: onbekende score"))))))))'
    )
    return {
        "out_percentage": "=calc_pct",
        "out_vergoeding": (f'=IF(ISNUMBER(calc_pct),ROUND(ROUND(in_aanvullend_budget*calc_pct,9),2),'
                           f'IF(LEFT(calc_pct,4)="fout",calc_pct,"{NOT_APPLICABLE}"))'),
        "out_in_aanmerking": "=ISNUMBER(calc_pct)",
        "out_reden": reason,
    }


def _cooperatie_calc(wb: Workbook, ws: Worksheet) -> dict[str, str]:
    _steps(wb, ws, [
        ("calc_max_uren", "Maximaal uren per lid per jaar",
         f"=IF({_yes('in_nachtdienst')},par_atw_week_nacht,par_atw_week)*par_weken"),
        ("calc_fte55", "FTE × cliënten per FTE", "=ROUND(in_fte_niveau6*par_clienten_per_fte,9)"),
        ("calc_uren", "Uren, per lid afgetopt",
         '=COUNTIF(in_uren_leden,">"&calc_max_uren)*calc_max_uren+SUMIF(in_uren_leden,"<="&calc_max_uren)'),
    ], first_row=4)
    return {
        "out_fte_nodig": "=in_clienten/par_clienten_per_fte",
        "out_fte_tekort": "=IF(calc_fte55>=in_clienten,0,in_clienten/par_clienten_per_fte-in_fte_niveau6)",
        "out_max_clienten": "=INT(calc_fte55)",
        "out_voldoet": "=calc_fte55>=in_clienten",
        "out_max_uren_per_lid": "=calc_max_uren",
        "out_max_omzet": "=ROUND(ROUND(calc_uren*in_uurtarief,9),2)",
    }


def _nachtzorg_calc(wb: Workbook, ws: Worksheet) -> dict[str, str]:
    _steps(wb, ws, [
        ("calc_zvw", "Zvw-aandeel (leeg = 100%)", "=IF(ISNUMBER(in_zvw_aandeel),in_zvw_aandeel,1)"),
    ], first_row=4)
    return {
        "out_index_t": "=par_gewicht_pers*in_pers_voorlopig_t+par_gewicht_mat*in_mat_voorlopig_t",
        "out_index_t1_voorlopig": "=par_gewicht_pers*in_pers_voorlopig_t1+par_gewicht_mat*in_mat_voorlopig_t1",
        "out_index_t1_definitief": "=par_gewicht_pers*in_pers_definitief_t1+par_gewicht_mat*in_mat_definitief_t1",
        "out_correctie": "=out_index_t1_definitief-out_index_t1_voorlopig",
        "out_factor": ('=IF(OR(in_methode="additief",in_methode="additive"),1+out_index_t+out_correctie,'
                       "(1+out_index_t)*(1+out_index_t1_definitief)/(1+out_index_t1_voorlopig))"),
        "out_begroting_geindexeerd": "=ROUND(ROUND(in_begroting*out_factor,9),2)",
        "out_vergoeding_zvw": "=ROUND(ROUND(in_begroting*out_factor*calc_zvw,9),2)",
    }


CALCULATIONS: dict[str, Callable[[Workbook, Worksheet], dict[str, str]]] = {
    "cz_ratio": _cz_ratio_calc, "staffel": _staffel_calc, "cooperatie": _cooperatie_calc,
    "nachtzorg": _nachtzorg_calc,
}


def _uitkomst(wb: Workbook, spec: TemplateSpec, formulas: dict[str, str]) -> Worksheet:
    ws = wb.create_sheet("Uitkomst", 1)
    ws["A1"] = f"Uitkomst: {spec.title}"
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = "Berekend met formules; de bronnen staan op het tabblad Bronnen."
    outputs: tuple[Output, ...] = spec.outputs
    for row, output in enumerate(outputs, start=FIRST_OUTPUT_ROW):
        ws.cell(row=row, column=1, value=output.label)
        cell = ws.cell(row=row, column=2, value=formulas[output.name])
        cell.number_format = FORMATS[output.kind]
        cell.font = Font(bold=True)
        _name(wb, output.name, "Uitkomst", f"B{row}")
        if output.kind == "bool":
            ref = f"B{row}"
            ws.conditional_formatting.add(ref, CellIsRule(operator="equal", formula=["TRUE"], fill=GOOD_FILL))
            ws.conditional_formatting.add(ref, CellIsRule(operator="equal", formula=["FALSE"], fill=BAD_FILL))
            ws.cell(row=row, column=3, value=f'=IF(B{row}=TRUE,"voldoet",IF(B{row}=FALSE,"voldoet niet",""))')
    ws.column_dimensions["A"].width = 46
    ws.column_dimensions["B"].width = 22
    ws.column_dimensions["C"].width = 16
    return ws


def _ratio_chart(ws: Worksheet, invoer: Worksheet, berekening: Worksheet) -> None:
    last = RANGE_TOP + SPECS["cz_ratio"].input("in_postcodes").rows - 1
    bars = BarChart()
    bars.title = "Cliënten per postcodegebied en de drempel"
    bars.y_axis.title = "cliënten"
    bars.add_data(Reference(invoer, min_col=3, min_row=RANGE_HEADER_ROW, max_row=last), titles_from_data=True)
    bars.set_categories(Reference(invoer, min_col=2, min_row=RANGE_TOP, max_row=last))
    line = LineChart()
    line.add_data(Reference(berekening, min_col=10, min_row=RANGE_HEADER_ROW, max_row=last), titles_from_data=True)
    bars += line
    bars.width, bars.height = 22, 10
    ws.add_chart(bars, "E3")


def build_template(spec: TemplateSpec, out: Path) -> Path:
    wb = Workbook()
    invoer = _invoer(wb, spec)
    berekening = wb.create_sheet("Berekening")
    berekening["A1"] = "Tussenstappen (niet wijzigen)"
    berekening["A1"].font = Font(bold=True)
    berekening.column_dimensions["A"].width = 44
    formulas = CALCULATIONS[spec.name](wb, berekening)
    uitkomst = _uitkomst(wb, spec, formulas)
    _bronnen(wb, spec)
    if spec.name == "cz_ratio":
        _ratio_chart(uitkomst, invoer, berekening)
        last = RANGE_TOP + spec.input("in_postcodes").rows - 1
        invoer.conditional_formatting.add(
            f"B{RANGE_TOP}:C{last}", FormulaRule(formula=[f"Berekening!$H{RANGE_TOP}=1"], fill=BAD_FILL))
    for ws in wb.worksheets:
        ws.protection.sheet = True  # no password: protection against slips, not against people
    wb.calculation.fullCalcOnLoad = True
    wb.active = 0
    write_atomically(out, lambda tmp: wb.save(tmp))
    return out


def build_all(out_dir: Path | None = None) -> list[Path]:
    target = out_dir or templates_dir()
    return [build_template(spec, target / f"{spec.name}.xlsx") for spec in SPECS.values()]


def main() -> None:
    parser = argparse.ArgumentParser(description="Bouw de sjablonen in templates/")
    parser.add_argument("--out", type=Path, default=None)
    for path in build_all(parser.parse_args().out):
        print(path)


if __name__ == "__main__":
    main()
