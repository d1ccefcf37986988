"""Build the template workbooks from the rules' templates and the parameter data: the rules a second time,
in Excel.

    python3 -m toolkit.workbook.build [--out templates]        (or: zorginkoop sjablonen --out DIR)

Each template has the sheets Invoer (the `in_*` cells, unlocked and yellow, with dropdowns, range checks
and input messages), Uitkomst (the `out_*` cells, with conditional formatting and charts), Berekening
(intermediate steps: `formula.py` and each template's `formulas/<template>.py`) and Bronnen (`sources.py`:
every parameter with its years and source, and a table of the parameters per policy year that the
formulas read). This module lays out Instructie, Invoer and Uitkomst. The formulas use only the Excel 2010 function set
that LibreOffice 7.4 also has; no macros. The recalculation tests (tests/test_templates_libreoffice.py)
keep formulas and rules equal.

Years: the template covers every policy year its parameter topics cover in the data in force (an
overlay included). `in_jaar` (empty: the current year of the data) picks the row of the per-year
table; each `par_*` name on Berekening is that year's value of one parameter, so a formula reads like
the rule it implements. A year the table lacks makes every output "fout: …", never another year's answer.

Input checks: every input is checked as the Python side reads it (number, plausible range, choice);
the first failing one turns every output into "fout in de invoer: …" and the input cell red.

Float care: a cent amount is ROUND(ROUND(x, 9), 2), so a product that the decimals make exactly
half a cent (0.1 × 0.85 = 0.085) is not lost to its binary representation (0.08499999…); comparisons
of products (fte × clients per FTE, production against the ceiling) are made on the difference
rounded to 9 decimals, as the rules do.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from openpyxl import Workbook
from openpyxl.formatting.rule import CellIsRule, FormulaRule
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ..dates import MONTHS, dutch_date, excel_serial
from ..errors import InputError
from ..parameters import current_year, date_bounds
from ..rules.declaration import NOTHING_TYPED, Input, Template
from . import templates_dir
from .files import write_atomically
from .formats import NO, OUTPUT_FORMATS, YES, fit_row, font, input_format, print_setup, years_text
from .formula import INPUT_ERROR, MISSING_INPUT, Formulas, Steps, define_name, excel_value, guard, string
from .formulas import Sheets, formulas_of
from .layout import (
    CHART_BOTTOM_ROW,
    FIRST_INPUT_ROW,
    FIRST_OUTPUT_ROW,
    LONG_RANGE,
    OUTPUT_RANGE_ROW,
    RANGE_HEADER_ROW,
    RANGE_TOP,
    SHOWN_ROWS,
)
from .sources import TOOLKIT, footer, policy_sources, sources_sheet
from .specs import SPECS
from .styles import BAD_FILL, BESIDE_A_VALUE, GOOD_FILL, INPUT_FILL, UNLOCKED, WAITING_FILL, WRAP, heading, text_cell

# --- Invoer -------------------------------------------------------------------------------------------

def _validation(spec: Input, years: tuple[int, ...]) -> DataValidation:
    measure = spec.measure
    if spec.choices:
        dv = DataValidation(type="list", formula1='"' + ",".join(spec.choices) + '"', allow_blank=not spec.required)
        dv.error = f"Kies uit: {', '.join(spec.choices)}."
    elif spec.kind == "postcode":
        dv = DataValidation(type="textLength", operator="between", formula1="4", formula2="7", allow_blank=True)
        dv.error = "Een postcode is 4 cijfers (niet beginnend met 0), eventueel met 2 letters: 5611 of 5611 AB."
    elif spec.kind == "year":
        dv = DataValidation(type="whole", operator="between", formula1=str(min(years)), formula2=str(max(years)),
                            allow_blank=True)
        dv.error = f"Vul een beleidsjaar in dat dit sjabloon kent: {', '.join(map(str, years))}."
    elif spec.kind == "date":
        first, last = date_bounds()
        dv = DataValidation(type="date", operator="between", formula1=str(excel_serial(first)),
                            formula2=str(excel_serial(last)), allow_blank=True)
        dv.error = (f"Vul een datum in als dag-maand-jaar (15-1-{current_year()}), van {dutch_date(first)} t/m "
                    f"{dutch_date(last)}.")
    else:
        assert measure is not None, spec.name
        whole = measure.reading == "count"
        kind = "whole" if whole else "decimal"
        low = None if measure.minimum is None else excel_value(measure.minimum)
        high = None if measure.maximum is None else excel_value(measure.maximum)
        if low is not None and high is not None:
            dv = DataValidation(type=kind, operator="between", formula1=str(low), formula2=str(high), allow_blank=True)
        elif low is not None:
            dv = DataValidation(type=kind, operator="greaterThan" if measure.above_minimum else "greaterThanOrEqual",
                                formula1=str(low), allow_blank=True)
        else:
            dv = DataValidation(type=kind, allow_blank=True)
        dv.error = f"Vul {measure.label} in: {measure.range_text(percent=spec.as_percent)}" + (
            ", een geheel getal." if whole else ".")
    dv.errorTitle = "Ongeldige invoer"
    dv.promptTitle = _cut(spec.label, 32)
    dv.prompt = spec.prompt
    dv.showErrorMessage = True
    dv.showInputMessage = True
    return dv


def _cut(text: str, limit: int) -> str:
    """At most `limit` characters (Excel's limit for a prompt title), cut between words."""
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(" ,(")


def _input_cell(ws: Worksheet, ref: str, number_format: str) -> None:
    cell = ws[ref]
    cell.fill = INPUT_FILL
    cell.protection = UNLOCKED
    cell.number_format = number_format
    cell.alignment = Alignment(vertical="top")


def _invoer(wb: Workbook, spec: Template) -> tuple[dict[str, str], int]:
    """The Invoer sheet; returns input name -> its first cell (for ranges, the top cell), and the last
    column used."""
    ws = wb.create_sheet("Invoer")
    text_cell(ws, 1, 1, spec.title)
    ws["A1"].font = font(bold=True, size=14)
    years = ", ".join(map(str, spec.years))
    text_cell(ws, 2, 1, f"Vul de gele cellen in (beleidsjaren in dit sjabloon: {years}); rechts staat wat erin hoort. "
                    "De uitkomst staat op het tabblad Uitkomst.")
    # Filled by `zorginkoop fill` with the row key (which provider or scenario this copy is for).
    text_cell(ws, 3, 1, "Sleutel (zorgaanbieder of scenario)")
    _input_cell(ws, "B3", "@")
    define_name(wb, "zk_sleutel", "Invoer", "B3")
    row = FIRST_INPUT_ROW
    cells: dict[str, str] = {}
    ranges = [i for i in spec.inputs if i.rows]
    # The help texts go right of the range columns (column C when there are none or one).
    help_column = max(3, 2 + len(ranges))
    for spec_input in (i for i in spec.inputs if not i.rows):
        text_cell(ws, row, 1, spec_input.label).alignment = WRAP
        ref = f"B{row}"
        _input_cell(ws, ref, input_format(spec_input.kind, spec_input.quantity))
        dv = _validation(spec_input, spec.years)
        ws.add_data_validation(dv)
        dv.add(ref)
        define_name(wb, spec_input.name, "Invoer", ref)
        text_cell(ws, row, help_column, spec_input.prompt).alignment = WRAP
        cells[spec_input.name] = ref
        row += 1
    assert row < RANGE_HEADER_ROW or not ranges, "te veel enkelvoudige invoer voor de indeling"
    for column, spec_input in enumerate(ranges, start=2):
        letter = get_column_letter(column)
        heading(ws, RANGE_HEADER_ROW, column, spec_input.label)
        ref = f"{letter}{RANGE_TOP}:{letter}{RANGE_TOP + spec_input.rows - 1}"
        for r in range(RANGE_TOP, RANGE_TOP + spec_input.rows):
            _input_cell(ws, f"{letter}{r}", input_format(spec_input.kind, spec_input.quantity))
        dv = _validation(spec_input, spec.years)
        ws.add_data_validation(dv)
        dv.add(ref)
        define_name(wb, spec_input.name, "Invoer", ref)
        cells[spec_input.name] = f"{letter}{RANGE_TOP}"
        ws.column_dimensions[letter].width = 18
    if ranges:
        labels = ranges[0].row_labels
        heading(ws, RANGE_HEADER_ROW, 1, "Maand" if labels == MONTHS else "Kwartaal" if labels else "Rij")
        for r in range(RANGE_TOP, RANGE_TOP + max(i.rows for i in ranges)):
            k = r - RANGE_TOP
            ws.cell(row=r, column=1, value=labels[k] if k < len(labels) else k + 1).alignment = Alignment(
                horizontal="left")
    ws.column_dimensions["A"].width = 40
    ws.column_dimensions["B"].width = 18
    ws.column_dimensions[get_column_letter(help_column)].width = 60
    for r in [*range(FIRST_INPUT_ROW, row), RANGE_HEADER_ROW]:
        fit_row(ws, r)
    return cells, help_column


def _printed_rows(spec_input: Input) -> int:
    """Rows of a range input that an empty template prints (fill prints the rows it wrote)."""
    return spec_input.rows if spec_input.rows <= LONG_RANGE else SHOWN_ROWS


# --- Instructie ---------------------------------------------------------------------------------------

def _instructie(wb: Workbook, spec: Template) -> Worksheet:
    """The first sheet: what the workbook computes, for which years, what to type where, what the result
    means, the sources and the version, written for the person who receives it."""
    ws = wb.active
    assert ws is not None
    ws.title = "Instructie"
    text_cell(ws, 1, 1, spec.title).font = font(bold=True, size=16)
    text_cell(ws, 2, 1, f"Rekentool bij het inkoopbeleid wijkverpleging — sjabloon {spec.name}, versie {spec.version}")
    has_year = any(i.kind == "year" for i in spec.inputs)
    covered = years_text(spec.years)
    year_text = (f"Dit sjabloon kent {covered}. Laat u het beleidsjaar op Invoer leeg, dan rekent het met "
                 f"{current_year()}." if has_year else
                 f"Dit sjabloon rekent met de parameters van {covered} (tabblad Bronnen).")
    has_date = any(i.kind == "date" for i in spec.inputs)
    dates = f"een datum met de dag eerst (15-1-{current_year()}), " if has_date else ""
    sections = [
        ("Wat berekent deze werkmap?", spec.purpose),
        ("Beleidsjaar", year_text),
        ("Invullen", "Typ alleen in de gele cellen van het tabblad Invoer; rechts van elke cel staat wat erin hoort, "
                     "en dezelfde uitleg verschijnt als u de cel kiest. Bedragen in euro (1.234,56), percentages als "
                     f"4,72% of 0,0472, {dates}ja/nee en andere keuzes uit de lijst. De formules zijn beveiligd "
                     "(zonder wachtwoord), zodat ze niet per ongeluk veranderen."),
        ("De uitkomst", f"{spec.reading} Zolang er niets is ingevuld staat er '{NOTHING_TYPED}'; ontbreekt er nog "
                        f"iets, dan '{MISSING_INPUT}: …'; is iets fout ingevuld, dan '{INPUT_ERROR}: …' en kleurt die "
                        "invoercel rood."),
        ("Kleuren", "Geel: invoer. Groen: voldoet (ja). Rood: voldoet niet (nee), of een fout in de invoer. Grijs: "
                    "nog niet berekend."),
        ("Bronnen", "\n".join(policy_sources(spec)) + "\nElke parameter met zijn waarde, beleidsjaar en bron staat "
                                                        "op het tabblad Bronnen."),
        ("Afdrukken", "Elk tabblad past op A4 liggend, de uitkomst op één pagina."),
        ("Controleren", "Krijgt u deze werkmap van een ander, controleer hem dan met de opdracht 'zorginkoop check "
                        "BESTAND.xlsx': die vergelijkt hem met dit sjabloon (formules, opmaak, namen) en rekent de "
                        "uitkomst na."),
        ("Gemaakt met", f"{TOOLKIT}; sjabloon {spec.name}, versie {spec.version}."),
    ]
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 110
    for row, (section, text) in enumerate(sections, start=4):
        text_cell(ws, row, 1, section).font = font(bold=True)
        ws.cell(row=row, column=1).alignment = WRAP
        text_cell(ws, row, 2, text).alignment = WRAP
        fit_row(ws, row)
    last = 3 + len(sections)
    print_setup(ws, f"A1:B{last}", one_page=True, title=spec.title, footer=footer(spec))
    return ws


def _uitkomst(wb: Workbook, spec: Template, formulas: Formulas) -> tuple[Worksheet, int]:
    """The results block (label, result, what it means), the status of the input above it, range outputs
    below it; returns the sheet and the last row that prints."""
    ws = wb.create_sheet("Uitkomst", 2)
    text_cell(ws, 1, 1, f"Uitkomst: {spec.title}").font = font(bold=True, size=14)
    ws["A2"] = '="Beleidsjaar "&calc_jaar&IF(TRIM(zk_sleutel&"")="",""," · "&zk_sleutel)'
    ws["A3"] = '=IF(calc_status="","Berekend met de invoer op het tabblad Invoer; bronnen op het tabblad Bronnen.",' \
               'calc_status)'
    ws.conditional_formatting.add("A3", FormulaRule(formula=['calc_fout<>""'], fill=BAD_FILL))
    ws.conditional_formatting.add("A3", FormulaRule(formula=['calc_status<>""'], fill=WAITING_FILL))
    for column, title in enumerate(("Uitkomst", "Waarde", "Toelichting"), start=1):
        heading(ws, FIRST_OUTPUT_ROW - 1, column, title)
    ws.cell(row=FIRST_OUTPUT_ROW - 1, column=3).alignment = BESIDE_A_VALUE  # over the explanations it heads
    row = FIRST_OUTPUT_ROW
    for output in (o for o in spec.outputs if not o.rows):
        text_cell(ws, row, 1, output.label).alignment = WRAP
        formula = formulas[output.name]
        assert isinstance(formula, str)
        cell = ws.cell(row=row, column=2, value=guard(formula))
        cell.number_format = OUTPUT_FORMATS[output.kind]
        cell.font = font(bold=True)
        cell.alignment = Alignment(horizontal="right", vertical="top", wrap_text=output.kind == "text")
        ref = f"B{row}"
        define_name(wb, output.name, "Uitkomst", ref)
        if output.verdict:
            ws.conditional_formatting.add(ref, CellIsRule(operator="equal", formula=[f'"{YES}"'], fill=GOOD_FILL))
            ws.conditional_formatting.add(ref, CellIsRule(operator="equal", formula=[f'"{NO}"'], fill=BAD_FILL))
        if output.kind == "month":
            months = ",".join(string(m) for m in MONTHS)
            ws.cell(row=row, column=3, value=f'=IF(ISNUMBER({ref}),CHOOSE({ref},{months}),"")').alignment = \
                BESIDE_A_VALUE
        elif output.help and output.kind != "text":
            text_cell(ws, row, 3, output.help).alignment = BESIDE_A_VALUE
        if output.kind == "text":
            # A reason reads across the value and explanation columns, left-aligned, three lines high.
            cell.alignment = Alignment(horizontal="left", vertical="top", wrap_text=True)
            ws.merge_cells(f"B{row}:C{row}")
            ws.row_dimensions[row].height = 45
        row += 1
    ws.conditional_formatting.add(f"B{FIRST_OUTPUT_ROW}:B{row - 1}", FormulaRule(
        formula=['calc_status<>""'], font=font(color="808080")))
    assert row < OUTPUT_RANGE_ROW, "te veel enkelvoudige uitkomsten voor de indeling"
    ranges = [o for o in spec.outputs if o.rows]
    last = row - 1
    for column, output in enumerate(ranges, start=2):
        letter = get_column_letter(column)
        heading(ws, OUTPUT_RANGE_ROW, column, output.label)
        cells = formulas[output.name]
        assert isinstance(cells, list) and len(cells) == output.rows
        for r, formula in enumerate(cells, start=OUTPUT_RANGE_ROW + 1):
            cell = ws.cell(row=r, column=column, value=guard(formula, first=r == OUTPUT_RANGE_ROW + 1))
            cell.number_format = OUTPUT_FORMATS[output.kind]
        define_name(wb, output.name, "Uitkomst",
                    f"{letter}{OUTPUT_RANGE_ROW + 1}:{letter}{OUTPUT_RANGE_ROW + output.rows}")
        last = max(last, OUTPUT_RANGE_ROW + min(output.rows, SHOWN_ROWS))
    labels = next((i.row_labels for i in spec.inputs if i.rows), ())
    if ranges and labels:  # months or quarters beside their values (a list of areas needs no numbers)
        heading(ws, OUTPUT_RANGE_ROW, 1, "Maand" if labels == MONTHS else "Kwartaal")
        for r in range(OUTPUT_RANGE_ROW + 1, OUTPUT_RANGE_ROW + 1 + max(o.rows for o in ranges)):
            k = r - OUTPUT_RANGE_ROW - 1
            ws.cell(row=r, column=1, value=labels[k] if k < len(labels) else k + 1).alignment = Alignment(
                horizontal="left")
    ws.column_dimensions["A"].width = 40
    ws.column_dimensions["B"].width = 24  # "vul eerst de invoer in" fits
    ws.column_dimensions["C"].width = 56
    ws.column_dimensions["D"].width = 30  # with C, the width of a chart
    for r in [*range(FIRST_OUTPUT_ROW, row), OUTPUT_RANGE_ROW]:
        fit_row(ws, r)
    return ws, last


def build_template(spec: Template, out: Path, *, overwrite: bool = True) -> Path:
    if not spec.years:
        raise InputError(f"sjabloon {spec.name}: de parametergegevens hebben geen beleidsjaar dat alle onderwerpen "
                         "dekken", field="template", value=spec.name)
    wb = Workbook()
    _instructie(wb, spec)
    invoer_cells, help_column = _invoer(wb, spec)
    invoer = wb["Invoer"]
    berekening = wb.create_sheet("Berekening")
    text_cell(berekening, 1, 1, "Tussenstappen (niet wijzigen)")
    berekening["A1"].font = font(bold=True)
    berekening.column_dimensions["A"].width = 62
    berekening.column_dimensions["B"].width = 40
    steps = Steps(wb, berekening)
    formulas = formulas_of(spec.name)
    outputs = formulas.calculate(steps, spec)
    uitkomst, printed = _uitkomst(wb, spec, outputs)
    sources_sheet(wb, spec)
    if hasattr(formulas, "decorate"):
        formulas.decorate(Sheets(invoer=invoer, berekening=berekening, uitkomst=uitkomst), spec)
    if uitkomst._charts:
        printed = max(printed, CHART_BOTTOM_ROW)
    # A wrong scalar input turns red, as the first one named in calc_fout.
    for spec_input in (i for i in spec.inputs if not i.rows):
        ref = invoer_cells[spec_input.name]
        invoer.conditional_formatting.add(ref, FormulaRule(
            formula=[f"ISNUMBER(SEARCH({string(spec_input.label)},calc_fout))"], fill=BAD_FILL))
    ranges = [i for i in spec.inputs if i.rows]
    invoer_last = RANGE_TOP - 1 + max(_printed_rows(i) for i in ranges) if ranges else FIRST_INPUT_ROW + len(
        spec.inputs) - 1
    page_footer = footer(spec)
    long_input = any(i.rows > LONG_RANGE for i in ranges)  # a long list of postcodes prints on the pages it needs
    print_setup(invoer, f"A1:{get_column_letter(help_column)}{invoer_last}", one_page=not long_input,
                title=spec.title, footer=page_footer, center=years_text(spec.years),
                titles_rows=f"{RANGE_HEADER_ROW}:{RANGE_HEADER_ROW}" if ranges else None)
    print_setup(uitkomst, f"A1:{'D' if uitkomst._charts else 'C'}{printed}", one_page=True, title=spec.title,
                footer=page_footer, center=years_text(spec.years))
    print_setup(berekening, f"A1:B{steps.row - 1}", title=spec.title, footer=page_footer)
    for ws in wb.worksheets:
        ws.protection.sheet = True  # no password: protection against slips, not against people
    wb.calculation.fullCalcOnLoad = True
    wb.active = 0
    write_atomically(out, lambda tmp: wb.save(tmp), overwrite=overwrite)
    return out


def build_all(out_dir: Path | None = None, *, overwrite: bool = True) -> list[Path]:
    target = out_dir or templates_dir()
    return [build_template(spec, target / f"{spec.name}.xlsx", overwrite=overwrite) for spec in SPECS.values()]


def main() -> None:
    parser = argparse.ArgumentParser(description="Bouw de sjablonen in templates/")
    parser.add_argument("--out", type=Path, default=None)
    for path in build_all(parser.parse_args().out):
        print(path)


if __name__ == "__main__":
    main()
