"""Build the template workbooks from the specs and the parameter data: the rules a second time, in Excel.

    python3 -m toolkit.workbook.build [--out templates]        (or: zorginkoop sjablonen --out DIR)

Each template has the sheets Invoer (the `in_*` cells, unlocked and yellow, with dropdowns, range checks
and input messages), Uitkomst (the `out_*` cells, with conditional formatting and charts), Berekening
(intermediate steps) and Bronnen (every parameter with its years and source, and a table of the
parameters per policy year that the formulas read). The formulas use only the Excel 2010 function set
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
import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.formatting.rule import CellIsRule, FormulaRule
from openpyxl.styles import Alignment, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

import toolkit

from ..errors import InputError
from ..parameters import current_year, load_topic
from ..parameters.loader import Parameter, Source
from ..postcode import WHITESPACE
from ..rules.own_delivery import EXEMPT_REASON
from ..rules.staffel import DEVIATING_MERGER, DEVIATING_PALLIATIVE, NOT_ELIGIBLE, month_name, table_text
from . import templates_dir
from .files import write_atomically
from .formats import DATE_FORMAT, NO, OUTPUT_FORMATS, YES, fit_row, font, print_setup, years_text
from .layout import (
    CHART_BOTTOM_ROW,
    CHART_ROWS,
    FIRST_INPUT_ROW,
    FIRST_OUTPUT_ROW,
    LONG_RANGE,
    OUTPUT_RANGE_ROW,
    RANGE_HEADER_ROW,
    RANGE_TOP,
    SHOWN_ROWS,
)
from .report_sheets import categories, production_chart, style_chart
from .specs import (
    ALL_CONDITIONS_MET,
    MONTHS,
    NOT_APPLICABLE,
    NOT_REACHED,
    NOTHING_TYPED,
    SPECS,
    Input,
    TemplateSpec,
)

INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
GOOD_FILL = PatternFill("solid", fgColor="C6EFCE")
BAD_FILL = PatternFill("solid", fgColor="FFC7CE")
WAITING_FILL = PatternFill("solid", fgColor="EDEDED")
UNLOCKED = Protection(locked=False)
WRAP = Alignment(wrap_text=True, vertical="top")
INPUT_ERROR = "fout in de invoer"
MISSING_INPUT = "vul nog in"
TOOLKIT = f"zorginkoop-toolkit {toolkit.__version__}"
YES_NO_FORMAT = f'"{YES}";"{YES}";"{NO}"'  # 1 reads ja, 0 reads nee
UNIT_KINDS = {"fractie": "fraction", "euro": "money", "datum": "date"}  # how a parameter shows, by its unit


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


def _text(ws: Worksheet, row: int, column: int, value: str) -> Cell:
    """Text that must stay text, whatever it starts with (labels come from data)."""
    cell = ws.cell(row=row, column=column, value=value)
    cell.data_type = "s"
    return cell


def _dutch_date(day: dt.date) -> str:
    return f"{day.day} {month_name(day.month)} {day.year}"


def _string(text: str) -> str:
    """A text as an Excel string literal."""
    return '"' + text.replace('"', '""') + '"'


def _number_text(expression: str) -> str:
    """A number as Dutch text in a formula: 5 -> "5", 4.5 -> "4,5" (whatever the spreadsheet's locale)."""
    return f'SUBSTITUTE(ROUND({expression},9)&"",".",",")'


def _compact(reference: str) -> str:
    """A cell's text with every kind of white space removed (postcode.WHITESPACE, as Python does)."""
    formula = f'TRIM({reference}&"")'
    for char in WHITESPACE:
        formula = f"SUBSTITUTE({formula},{_char(char)},\"\")"
    return formula


def _char(char: str) -> str:
    # Tab, CR and LF as CHAR(); the rest as the character itself (CHAR(160) is not a no-break space on a Mac).
    return f"CHAR({ord(char)})" if ord(char) < 32 else _string(char)


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
    else:
        assert measure is not None, spec.name
        whole = measure.reading == "count"
        kind = "whole" if whole else "decimal"
        low = None if measure.minimum is None else _excel_value(measure.minimum)
        high = None if measure.maximum is None else _excel_value(measure.maximum)
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


def _heading(ws: Worksheet, row: int, column: int, text: str) -> None:
    header = _text(ws, row, column, text)
    header.font, header.fill, header.alignment = font(bold=True), HEADER_FILL, WRAP


def _invoer(wb: Workbook, spec: TemplateSpec) -> tuple[dict[str, str], int]:
    """The Invoer sheet; returns input name -> its first cell (for ranges, the top cell), and the last
    column used."""
    ws = wb.create_sheet("Invoer")
    _text(ws, 1, 1, spec.title)
    ws["A1"].font = font(bold=True, size=14)
    years = ", ".join(map(str, spec.years))
    _text(ws, 2, 1, f"Vul de gele cellen in (beleidsjaren in dit sjabloon: {years}); rechts staat wat erin hoort. "
                    "De uitkomst staat op het tabblad Uitkomst.")
    # Filled by `zorginkoop fill` with the row key (which provider or scenario this copy is for).
    _text(ws, 3, 1, "Sleutel (zorgaanbieder of scenario)")
    _input_cell(ws, "B3", "@")
    _name(wb, "zk_sleutel", "Invoer", "B3")
    row = FIRST_INPUT_ROW
    cells: dict[str, str] = {}
    ranges = [i for i in spec.inputs if i.rows]
    # The help texts go right of the range columns (column C when there are none or one).
    help_column = max(3, 2 + len(ranges))
    for spec_input in (i for i in spec.inputs if not i.rows):
        _text(ws, row, 1, spec_input.label).alignment = WRAP
        ref = f"B{row}"
        _input_cell(ws, ref, spec_input.number_format)
        dv = _validation(spec_input, spec.years)
        ws.add_data_validation(dv)
        dv.add(ref)
        _name(wb, spec_input.name, "Invoer", ref)
        _text(ws, row, help_column, spec_input.prompt).alignment = WRAP
        cells[spec_input.name] = ref
        row += 1
    assert row < RANGE_HEADER_ROW or not ranges, "te veel enkelvoudige invoer voor de indeling"
    for column, spec_input in enumerate(ranges, start=2):
        letter = get_column_letter(column)
        _heading(ws, RANGE_HEADER_ROW, column, spec_input.label)
        ref = f"{letter}{RANGE_TOP}:{letter}{RANGE_TOP + spec_input.rows - 1}"
        for r in range(RANGE_TOP, RANGE_TOP + spec_input.rows):
            _input_cell(ws, f"{letter}{r}", spec_input.number_format)
        dv = _validation(spec_input, spec.years)
        ws.add_data_validation(dv)
        dv.add(ref)
        _name(wb, spec_input.name, "Invoer", ref)
        cells[spec_input.name] = f"{letter}{RANGE_TOP}"
        ws.column_dimensions[letter].width = 18
    if ranges:
        labels = ranges[0].row_labels
        _heading(ws, RANGE_HEADER_ROW, 1, "Maand" if labels == MONTHS else "Kwartaal" if labels else "Rij")
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

def _instructie(wb: Workbook, spec: TemplateSpec) -> Worksheet:
    """The first sheet: what the workbook computes, for which years, what to type where, what the result
    means, the sources and the version, written for the person who receives it."""
    ws = wb.active
    assert ws is not None
    ws.title = "Instructie"
    _text(ws, 1, 1, spec.title).font = font(bold=True, size=16)
    _text(ws, 2, 1, f"Rekentool bij het inkoopbeleid wijkverpleging — sjabloon {spec.name}, versie {spec.version}")
    has_year = any(i.kind == "year" for i in spec.inputs)
    covered = years_text(spec.years)
    year_text = (f"Dit sjabloon kent {covered}. Laat u het beleidsjaar op Invoer leeg, dan rekent het met "
                 f"{current_year()}." if has_year else
                 f"Dit sjabloon rekent met de parameters van {covered} (tabblad Bronnen).")
    sections = [
        ("Wat berekent deze werkmap?", spec.purpose),
        ("Beleidsjaar", year_text),
        ("Invullen", "Typ alleen in de gele cellen van het tabblad Invoer; rechts van elke cel staat wat erin hoort, "
                     "en dezelfde uitleg verschijnt als u de cel kiest. Bedragen in euro (1.234,56), percentages als "
                     "4,72% of 0,0472, ja/nee en andere keuzes uit de lijst. De formules zijn beveiligd (zonder "
                     "wachtwoord), zodat ze niet per ongeluk veranderen."),
        ("De uitkomst", f"{spec.reading} Zolang er niets is ingevuld staat er '{NOTHING_TYPED}'; ontbreekt er nog "
                        f"iets, dan '{MISSING_INPUT}: …'; is iets fout ingevuld, dan '{INPUT_ERROR}: …' en kleurt die "
                        "invoercel rood."),
        ("Kleuren", "Geel: invoer. Groen: voldoet (ja). Rood: voldoet niet (nee), of een fout in de invoer. Grijs: "
                    "nog niet berekend."),
        ("Bronnen", "\n".join(_policy_sources(spec)) + "\nElke parameter met zijn waarde, beleidsjaar en bron staat "
                                                        "op het tabblad Bronnen."),
        ("Afdrukken", "Elk tabblad past op A4 liggend, de uitkomst op één pagina."),
        ("Controleren", "Krijgt u deze werkmap van een ander, controleer hem dan met de opdracht 'zorginkoop check "
                        "BESTAND.xlsx': die vergelijkt hem met dit sjabloon (formules, opmaak, namen) en rekent de "
                        "uitkomst na."),
        ("Gemaakt met", f"{TOOLKIT}; sjabloon {spec.name}, versie {spec.version}."),
    ]
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 110
    for row, (heading, text) in enumerate(sections, start=4):
        _text(ws, row, 1, heading).font = font(bold=True)
        ws.cell(row=row, column=1).alignment = WRAP
        _text(ws, row, 2, text).alignment = WRAP
        fit_row(ws, row)
    last = 3 + len(sections)
    print_setup(ws, f"A1:B{last}", one_page=True, title=spec.title, footer=_footer(spec))
    return ws


def _policy_sources(spec: TemplateSpec) -> list[str]:
    """The policy texts the template's parameters come from, by title and section, each once."""
    seen: list[str] = []
    for parameter in _parameters(spec):
        for dated in parameter.values.values():
            entry = _source_heading(dated.source)
            if entry not in seen:
                seen.append(entry)
    return seen


def _source_heading(source: Source) -> str:
    """"CZ groep, Zorginkoopbeleid wijkverpleging 2027, § 3.2.4 Aanvullende zorginkoop": the section up to
    its quotation."""
    section = source.section.split(":")[0].split(" (")[0].strip()
    return f"{source.document}, {section}"


def _footer(spec: TemplateSpec) -> str:
    return f"{TOOLKIT} · sjabloon {spec.name} {spec.version}"


# --- Bronnen -------------------------------------------------------------------------------------------

def _parameters(spec: TemplateSpec) -> list[Parameter]:
    return [p for insurer, topic in spec.topics for p in load_topic(insurer, topic).parameters.values()]


def _bronnen(wb: Workbook, spec: TemplateSpec) -> None:
    """The parameter listing (every value, year and source) and the per-year table the formulas read."""
    ws = wb.create_sheet("Bronnen")
    _text(ws, 1, 1, "Bronnen en parameters")
    ws["A1"].font = font(bold=True, size=14)
    ws["A2"], ws["B2"] = "Sjabloon", spec.name
    ws["A3"], ws["B3"] = "Versie sjabloon", spec.version
    ws["A4"], ws["B4"] = "Gemaakt met zorginkoop-toolkit", toolkit.__version__
    ws["A5"], ws["B5"] = "Beleidsjaar bij lege invoer", current_year()
    _name(wb, "zk_sjabloon", "Bronnen", "B2")
    _name(wb, "zk_versie", "Bronnen", "B3")
    _name(wb, "par_huidig_jaar", "Bronnen", "B5")
    # For readers: what, when, how much and where the policy says so. The name the formulas use comes last,
    # not printed; the seed file is not listed (a reader has the policy, not the toolkit's copy of it).
    headers = ["Omschrijving", "Beleidsjaar", "Waarde", "Eenheid", "Bron (beleidstekst)", "Sectie", "Opmerking",
               "Naam in de formules"]
    top = 7
    for column, heading in enumerate(headers, start=1):
        _heading(ws, top, column, heading)
    row = top + 1
    parameters = _parameters(spec)
    for parameter in parameters:
        for year in parameter.years:
            dated = parameter.values[year]
            for column, content in enumerate([parameter.label, year, _listed(parameter, year), parameter.unit,
                                              dated.source.document, dated.source.section, dated.note,
                                              f"par_{parameter.name}"], start=1):
                cell = _text(ws, row, column, content) if isinstance(content, str) else ws.cell(row, column, content)
                cell.alignment = WRAP
                if column == 3 and isinstance(content, int | float):
                    cell.number_format = OUTPUT_FORMATS[UNIT_KINDS.get(parameter.unit, "number")]
            row += 1
    _year_table(wb, ws, spec, parameters, row + 2)
    for letter, width in zip("ABCDEFGH", (40, 12, 24, 10, 30, 60, 30, 30), strict=True):
        ws.column_dimensions[letter].width = width
    for r in range(top, row):
        fit_row(ws, r)
    # The listing is for people; the year table below it is what the formulas read, not printed.
    print_setup(ws, f"A1:G{row - 1}", title=spec.title, footer=_footer(spec), titles_rows=f"{top}:{top}")


def _listed(parameter: Parameter, year: int) -> object:
    """A parameter value as the listing shows it: a date as 1 januari 2027, the staffel as its rows."""
    value = parameter.values[year].value
    if value is None:
        return NOT_APPLICABLE
    if isinstance(value, dt.date):
        return _dutch_date(value)
    if isinstance(value, tuple):
        return table_text(year)
    return _excel_value(value)


def _year_table(wb: Workbook, ws: Worksheet, spec: TemplateSpec, parameters: list[Parameter], top: int) -> None:
    """Parameters per policy year: one row per covered year, one column per value (a staffel table's rows
    as pairs of columns). `par_jaren` names the years; `tab_<parameter>` each column."""
    _text(ws, top, 1, "Parameters per beleidsjaar (de formules lezen deze tabel)").font = font(bold=True)
    years = spec.years
    first, last = top + 2, top + 1 + len(years)
    columns: list[tuple[str, Callable[[int], object]]] = [("jaren", lambda y: y)]
    for parameter in parameters:
        if parameter.type == "table":
            width = max(len(parameter.values[y].value) for y in years)  # type: ignore[arg-type]
            for k in range(width):
                columns.append((f"{parameter.name}_{parameter.columns[0].name}_{k + 1}",
                                _table_cell(parameter, k, 0)))
                columns.append((f"{parameter.name}_{parameter.columns[1].name}_{k + 1}",
                                _table_cell(parameter, k, 1)))
        elif parameter.type in {"decimal", "integer", "date"}:
            columns.append((parameter.name, _scalar_cell(parameter)))
    for column, (name, value_of) in enumerate(columns, start=1):
        header = ws.cell(row=top + 1, column=column, value="Beleidsjaar" if name == "jaren" else name)
        header.fill = HEADER_FILL
        for i, year in enumerate(years):
            cell = ws.cell(row=first + i, column=column, value=value_of(year))
            if isinstance(cell.value, str):
                cell.data_type = "s"
            if isinstance(cell.value, dt.date):
                cell.number_format = DATE_FORMAT
        letter = get_column_letter(column)
        _name(wb, "par_jaren" if name == "jaren" else f"tab_{name}", "Bronnen", f"{letter}{first}:{letter}{last}")


def _cell_value(value: object) -> object:
    return NOT_APPLICABLE if value is None else _excel_value(value)


def _scalar_cell(parameter: Parameter) -> Callable[[int], object]:
    return lambda year: _cell_value(parameter.values[year].value)


def _table_cell(parameter: Parameter, k: int, column: int) -> Callable[[int], object]:
    name = parameter.columns[column].name

    def value(year: int) -> object:
        rows = parameter.values[year].value
        assert isinstance(rows, tuple)
        return _cell_value(rows[k][name]) if k < len(rows) else ""
    return value


# --- Berekening: year, parameters, input checks ---------------------------------------------------------

class Steps:
    """Named intermediate steps on Berekening, one per row in columns A (label) and B (formula)."""

    def __init__(self, wb: Workbook, ws: Worksheet, first_row: int = 4) -> None:
        self.wb, self.ws, self.row = wb, ws, first_row

    def add(self, name: str, label: str, formula: str, *, flag: bool = False, kind: str = "number") -> str:
        """A step; a `flag` (a yes/no step) is kept as 1 or 0 and shown as ja/nee, so that no reader of the
        sheet meets WAAR/ONWAAR (a number format cannot show a logical value otherwise). Excel and
        LibreOffice read 1 and 0 as TRUE and FALSE wherever the step is used as a condition."""
        _text(self.ws, self.row, 1, label)
        number_format = OUTPUT_FORMATS[kind]
        if flag:
            formula, number_format = f"=IF({formula.removeprefix('=')},1,0)", YES_NO_FORMAT
        cell = self.ws.cell(row=self.row, column=2, value=formula)
        cell.number_format = number_format
        cell.alignment = Alignment(horizontal="right")
        _name(self.wb, name, self.ws.title, f"B{self.row}")
        self.row += 1
        return name


def _year_steps(steps: Steps, spec: TemplateSpec) -> None:
    """calc_jaar (empty input: the current year), its row in the year table, and par_* for that year."""
    steps.add("calc_jaar", "Beleidsjaar", '=IF(TRIM(in_jaar&"")="",par_huidig_jaar,in_jaar)')
    steps.add("calc_jaarrij", "Rij van het beleidsjaar in de parametertabel", "=MATCH(calc_jaar,par_jaren,0)")
    for parameter in _parameters(spec):
        if parameter.type in {"decimal", "integer", "date"}:
            steps.add(f"par_{parameter.name}", parameter.label, f"=INDEX(tab_{parameter.name},calc_jaarrij)",
                      kind=UNIT_KINDS.get(parameter.unit, "number"))


def _checks(spec: TemplateSpec, extra: Sequence[tuple[str, str]] = ()) -> list[tuple[str, str]]:
    """(condition that is TRUE when an input is wrong, the message as an Excel expression), in order:
    every scalar input as the Python side reads it, then the template's own (`extra`)."""
    checks: list[tuple[str, str]] = []
    years = ", ".join(map(str, spec.years))
    for spec_input in (i for i in spec.inputs if not i.rows):
        name, message = spec_input.name, _string(spec_input.label)
        blank = f'TRIM({name}&"")=""'
        if spec_input.kind == "year":
            checks.append((f"AND(NOT({blank}),OR(NOT(ISNUMBER({name})),ISNA(MATCH({name},par_jaren,0))))",
                           _string(f"{spec_input.label} valt buiten dit sjabloon (gedekt: {years})")))
        elif spec_input.kind == "number":
            measure = spec_input.measure
            assert measure is not None
            bounds = []
            if measure.minimum is not None:
                bounds.append(f"{name}{'<=' if measure.above_minimum else '<'}{_excel_value(measure.minimum)}")
            if measure.maximum is not None:
                bounds.append(f"{name}>{_excel_value(measure.maximum)}")
            if measure.reading == "count":
                bounds.append(f"{name}<>INT({name})")
            # IF, not OR: a text would make the comparisons an error value instead of FALSE.
            wrong = f"IF(NOT(ISNUMBER({name})),TRUE,OR({','.join(bounds) or 'FALSE'}))"
            if measure.percent_hint and measure.maximum is not None:
                # 4,72 typed where 4,72% was meant, as the Python side asks too ("bedoelt u 4,72 %?").
                top = _excel_value(measure.maximum)
                message = (f'IF(AND(ISNUMBER({name}),{name}>{top},{name}/100<={top}),{message}&" (bedoelt u "&'
                           f'{_number_text(name)}&"%?)",{message})')
            checks.append((f"IF({blank},FALSE,{wrong})", message))
        elif spec_input.kind == "choice":
            allowed = ",".join(f'LOWER(TRIM({name}&""))={_string(word)}' for word in _choice_words(spec_input))
            ok = f"OR({blank},{allowed})"
            checks.append((f"NOT({ok})", message))
        elif spec_input.kind == "score":
            checks.append((f'NOT(OR({blank},UPPER(TRIM({name}&""))="A",UPPER(TRIM({name}&""))="B",'
                           f'UPPER(TRIM({name}&""))="C"))', message))
        elif spec_input.kind == "flag":
            checks.append((f"NOT(OR({blank},{_yes(name)},{_no(name)}))", message))
    return [*checks, *extra]


def _choice_words(spec_input: Input) -> list[str]:
    """Every spelling the Python side accepts for a choice: the rules' alias tables."""
    from .specs import _CHOICES, _choice_table

    aliases, dutch = _CHOICES[_choice_table(spec_input)]
    return sorted(word for word, canonical in aliases.items() if canonical in dutch)


def _status_steps(steps: Steps, spec: TemplateSpec, checks: list[tuple[str, str]],
                  missing: Sequence[tuple[str, str]] = ()) -> None:
    """What the outputs show instead of a result, in this order:

    calc_niets: nothing typed yet: every output reads NOTHING_TYPED (neutral, never "fout" or an error value);
    calc_fout: "" or "fout in de invoer: …" for the first check that fails (something typed is wrong);
    calc_ontbreekt: "" or "vul nog in: …" for the first required input still empty (`missing` adds the
    template's own, such as "no month of production yet");
    calc_status: the first of these that applies, "" when the outputs can be computed.
    """
    inputs = [i for i in spec.inputs]
    blank = [_blank_test(i) for i in inputs]
    steps.add("calc_niets", "Nog niets ingevuld", f"=AND({','.join(blank)})", flag=True)
    formula = '""'
    for condition, message in reversed(checks):
        formula = f'IF({condition},"{INPUT_ERROR}: "&{message},{formula})'
    steps.add("calc_fout", "Fout in de invoer (leeg: geen)", f"={formula}")
    needed = [(_blank_test(i), _string(i.label)) for i in inputs if i.required and i.kind != "flag"]
    formula = '""'
    for condition, message in reversed([*needed, *missing]):
        formula = f'IF({condition},"{MISSING_INPUT}: "&{message},{formula})'
    steps.add("calc_ontbreekt", "Nog in te vullen (leeg: niets)", f"={formula}")
    steps.add("calc_status", "Stand van de invoer (leeg: uitkomst berekend)",
              f'=IF(calc_niets,{_string(NOTHING_TYPED)},IF(calc_fout<>"",calc_fout,calc_ontbreekt))')


def _blank_test(spec_input: Input) -> str:
    """TRUE when nothing is typed in the input (every row of a range)."""
    if spec_input.rows:
        return f'SUMPRODUCT(--(TRIM({spec_input.name}&"")<>""))=0'
    return f'TRIM({spec_input.name}&"")=""'


def _guard(expression: str, *, first: bool = True) -> str:
    """An output formula: the status while the inputs are not complete and right, else the result. A range
    output shows the status in its first row only (the rows below stay empty)."""
    return f'=IF(calc_status<>"",{"calc_status" if first else chr(34) * 2},{expression.removeprefix("=")})'


def _yes_no(condition: str, *, not_applicable: str | None = None) -> str:
    """A yes/no result as the text ja/nee (never WAAR/ONWAAR); "n.v.t." where `not_applicable` holds."""
    answer = f'IF({condition},"{YES}","{NO}")'
    return answer if not_applicable is None else f'IF({not_applicable},"{NOT_APPLICABLE}",{answer})'


def _yes(name: str) -> str:
    """A ja/nee input as a condition. The dropdown gives ja/nee; TRUE or 1 typed or pasted count as ja
    too (and in LibreOffice TRUE is 1), as the Python side reads them (choices.yes_no)."""
    words = ",".join(f'LOWER(TRIM({name}&""))="{w}"' for w in ("ja", "j", "waar", "true", "1", "yes"))
    return f"OR({name}=TRUE,AND(ISNUMBER({name}),{name}=1),{words})"


def _no(name: str) -> str:
    words = ",".join(f'LOWER(TRIM({name}&""))="{w}"' for w in ("nee", "n", "onwaar", "false", "0", "no"))
    return f"OR({name}=FALSE,AND(ISNUMBER({name}),{name}=0),{words})"


# --- the staffel as formulas (staffel and plafond templates) --------------------------------------------

# What each condition of the staffel table means, written a second time in Excel (rules/staffel.py).
CONDITION_FORMULAS = {
    "ceiling_free": "calc_plafondvrij",
    "a_both_years": 'AND(calc_s26="A",calc_s27="A")',
    "a_previous_year": 'calc_s26="A"',
    "b_enough_cost_points": 'AND(calc_s26="B",ISNUMBER(in_kostenpunten),in_kostenpunten>=par_min_cost_points_b)',
    "b_too_few_cost_points": 'AND(calc_s26="B",ISNUMBER(in_kostenpunten),in_kostenpunten<par_min_cost_points_b)',
    "c_previous_year": 'calc_s26="C"',
    "no_score": 'calc_s26=""',
}
_POINTS = _number_text("par_min_cost_points_b")
REASON_FORMULAS = {
    "ceiling_free": '"plafondvrije afspraak"',
    "a_both_years": '"score A in "&(calc_jaar-1)&" én "&calc_jaar',
    "a_previous_year": '"score A in "&(calc_jaar-1)',
    "b_enough_cost_points": f'"score B in "&(calc_jaar-1)&" en ten minste "&{_POINTS}&" punten op het kostenonderdeel"',
    "b_too_few_cost_points": f'"score B in "&(calc_jaar-1)&" met minder dan "&{_POINTS}&" punten op het '
                             'kostenonderdeel"',
    "c_previous_year": '"score C in "&(calc_jaar-1)',
    "no_score": '"geen score op het waardemodel in "&(calc_jaar-1)',
}
_B_CONDITIONS = ("b_enough_cost_points", "b_too_few_cost_points")


def _by_code(code: str, formulas: dict[str, str], otherwise: str) -> str:
    formula = otherwise
    for condition, expression in reversed(formulas.items()):
        formula = f'IF({code}="{condition}",{expression},{formula})'
    return formula


def _staffel_steps(steps: Steps, spec: TemplateSpec, top: int) -> None:
    """calc_pct (the percentage, "n.v.t." or "fout: …") and calc_reden for the staffel table of the year.

    Rows k of the table sit in columns D-J of Berekening from row `top`: the condition and percentage of
    the year, whether it holds, whether it is blocked (score B without cost points), which row decides.
    """
    ws = steps.ws
    parameter = load_topic("cz", "staffel")["table"]
    size = max(len(parameter.values[y].value) for y in spec.years)  # type: ignore[arg-type]
    last = top + size - 1
    for column, title in enumerate(["Voorwaarde", "Percentage", "Geldt", "Geblokkeerd", "Stopt hier", "Beslist",
                                    "Reden"], start=4):
        ws.cell(row=top - 1, column=column, value=title).font = font(bold=True)
    for k in range(size):
        r = top + k
        ws[f"D{r}"] = f'=INDEX(tab_table_condition_{k + 1},calc_jaarrij)&""'
        ws[f"E{r}"] = f"=INDEX(tab_table_percentage_{k + 1},calc_jaarrij)"
        ws[f"F{r}"] = f"={_by_code(f'D{r}', CONDITION_FORMULAS, 'FALSE')}"
        ws[f"G{r}"] = (f'=AND(OR(D{r}="{_B_CONDITIONS[0]}",D{r}="{_B_CONDITIONS[1]}"),calc_s26="B",'
                       "NOT(ISNUMBER(in_kostenpunten)))")
        ws[f"H{r}"] = f"=OR(F{r},G{r})"
        ws[f"I{r}"] = f"=H{r}" if k == 0 else f"=AND(H{r},COUNTIF(H${top}:H{r - 1},TRUE)=0)"
        ws[f"J{r}"] = f'={_by_code(f"D{r}", REASON_FORMULAS, chr(34) * 2)}'
    codes, pcts, deciding = f"D{top}:D{last}", f"E{top}:E{last}", f"I{top}:I{last}"
    steps.add("calc_s26", "Score jaar vóór het beleidsjaar", '=UPPER(TRIM(in_score_2026&""))')
    steps.add("calc_s27", "Score beleidsjaar", '=UPPER(TRIM(in_score_2027&""))')
    steps.add("calc_plafondvrij", "Plafondvrije afspraak", f"={_yes('in_plafondvrij')}", flag=True)
    palliative = "in_palliatief_terminaal" in {i.name for i in spec.inputs}
    steps.add("calc_palliatief", "Palliatieve terminale zorg", f"={_yes('in_palliatief_terminaal')}" if palliative
              else "=FALSE", flag=True)
    steps.add("calc_fusie", "Fusie, overname of faillissement", f"={_yes('in_fusie_faillissement')}" if palliative
              else "=FALSE", flag=True)
    steps.add("calc_geen_waardemodel", "Productieafspraak tot en met de grens (geen score)",
              "=AND(NOT(calc_plafondvrij),ISNUMBER(in_productieafspraak),"
              f'in_productieafspraak<=par_waardemodel_min_production,ISNUMBER(MATCH("no_score",{codes},0)))', flag=True)
    steps.add("calc_beslist", "Rij van de staffel die beslist (0: geen)", f"=IF(ISNA(MATCH(TRUE,{deciding},0)),0,"
              f"MATCH(TRUE,{deciding},0))")
    not_eligible = _string(NOT_APPLICABLE)
    missing_points = _string("fout: bij score B zijn de kostenpunten nodig")
    steps.add("calc_pct", "Percentage (of reden)", (
        f"=IF(OR(calc_fusie,calc_palliatief),{not_eligible},"
        f'IF(calc_geen_waardemodel,IF(ISNUMBER(INDEX({pcts},MATCH("no_score",{codes},0))),'
        f'INDEX({pcts},MATCH("no_score",{codes},0)),{not_eligible}),'
        f"IF(calc_beslist=0,{not_eligible},IF(INDEX(G{top}:G{last},calc_beslist),{missing_points},"
        f"IF(ISNUMBER(INDEX({pcts},calc_beslist)),INDEX({pcts},calc_beslist),{not_eligible})))))"), kind="fraction")
    steps.add("calc_reden", "Toelichting", (
        f"=IF(calc_fusie,{_string(DEVIATING_MERGER)},IF(calc_palliatief,{_string(DEVIATING_PALLIATIVE)},"
        f"IF(calc_geen_waardemodel,{_production_reason()},"
        f'IF(calc_beslist=0,"{NOT_ELIGIBLE}: geen regel van de staffel "&calc_jaar&" is van toepassing",'
        f"IF(INDEX(G{top}:G{last},calc_beslist),{missing_points},"
        f'IF(ISNUMBER(INDEX({pcts},calc_beslist)),INDEX(J{top}:J{last},calc_beslist),'
        f'"{NOT_ELIGIBLE}: "&INDEX(J{top}:J{last},calc_beslist)))))))'))


def _production_reason() -> str:
    """The reason when the production agreement is at or below the waardemodel's amount: the amount with
    its thousands grouped by dots, built from INT and MOD (FIXED and TEXT would follow the locale)."""
    amount = "par_waardemodel_min_production"
    grouped = (f'IF({amount}>=1000000,INT({amount}/1000000)&"."&TEXT(MOD(INT({amount}/1000),1000),"000")&"."'
               f'&TEXT(MOD({amount},1000),"000"),IF({amount}>=1000,INT({amount}/1000)&"."&TEXT(MOD({amount},1000),'
               f'"000"),{amount}&""))')
    return f'"geen score: waardemodel niet toegepast bij productieafspraak tot en met € "&{grouped}'


# --- Berekening and Uitkomst per template ----------------------------------------------------------------

Formulas = dict[str, str | list[str]]


def _cz_ratio_calc(steps: Steps, spec: TemplateSpec) -> Formulas:
    ws = steps.ws
    rows = spec.input("in_postcodes").rows
    last = RANGE_TOP + rows - 1
    headers = ["Postcode (compact)", "PC4", "Postcode geldig", "Cliënten", "Fout in rij", "Nieuw gebied",
               "Drempel", "Sleutel gebied", "Te schrappen", "Cliënten geschrapt", "Voldoet daarna"]
    # K-N: the areas to drop (SPEC 1), fewest clients first, ties lowest PC4: K is clients × 10,000 + PC4 at
    # an area's first row; L the k-th smallest key while the areas dropped so far do not yet meet the
    # threshold; M the clients dropped so far; N whether the rest meets it.
    for column, title in enumerate(headers, start=4):
        ws.cell(row=RANGE_HEADER_ROW, column=column, value=title).font = font(bold=True)
    for r in range(RANGE_TOP, last + 1):
        k = r - RANGE_TOP + 1
        ws[f"D{r}"] = f"={_compact(f'Invoer!B{r}')}"
        ws[f"E{r}"] = f'=IF(D{r}="","",LEFT(D{r},4))'
        # A PC4 is four digits not starting with 0, then optionally two letters A-Z or a-z (codes 65-90,
        # 97-122; UPPER is not used: LibreOffice turns ß into SS, which Python does not accept).
        digits = f'SUMPRODUCT(--(ABS(CODE(MID(D{r}&"xxxxxx",{{1,2,3,4}},1))-52.5)<5))=4'
        letters = (f'SUMPRODUCT(--(((ABS(CODE(MID(D{r}&"xxxxxx",{{5,6}},1))-77.5)<13)'
                   f'+(ABS(CODE(MID(D{r}&"xxxxxx",{{5,6}},1))-109.5)<13))>0))=2')
        valid = f'AND(OR(LEN(D{r})=4,LEN(D{r})=6),LEFT(D{r},1)<>"0",{digits},OR(LEN(D{r})=4,{letters}))'
        ws[f"F{r}"] = f'=IF(D{r}="",TRUE,IF(ISERROR({valid}),FALSE,{valid}))'
        ws[f"G{r}"] = f'=IF(TRIM(Invoer!C{r}&"")="",0,IF(ISNUMBER(Invoer!C{r}),Invoer!C{r},-1))'
        # A count without a postcode is wrong unless it is 0; a postcode needs a whole count of 0 or more.
        ws[f"H{r}"] = (
            f'=IF(AND(D{r}="",OR(TRIM(Invoer!C{r}&"")="",G{r}=0)),0,'
            f'IF(OR(D{r}="",TRIM(Invoer!C{r}&"")="",NOT(F{r}),G{r}<0,G{r}<>INT(G{r})),1,0))'
        )
        # An area counts once, at its first row, and only when its clients add up to more than 0.
        ws[f"I{r}"] = (
            f'=IF(OR(E{r}="",H{r}=1),0,IF(MATCH(E{r},E${RANGE_TOP}:E${last},0)=ROW()-{RANGE_TOP - 1},'
            f'IF(SUMIF(E${RANGE_TOP}:E${last},E{r},G${RANGE_TOP}:G${last})>0,1,0),0))'
        )
        ws[f"J{r}"] = "=IF(ISNUMBER(calc_drempel),calc_drempel,0)"  # the chart's line: flat, no error values
        ws[f"K{r}"] = f'=IF(I{r}=1,SUMIF(E${RANGE_TOP}:E${last},E{r},G${RANGE_TOP}:G${last})*10000+VALUE(E{r}),"")'
        met_before = "calc_voldoet_nu" if k == 1 else f"N{r - 1}"
        dropped_before = "0" if k == 1 else f"M{r - 1}"
        ws[f"L{r}"] = (f'=IF(OR(calc_status<>"",NOT(ISNUMBER(calc_drempel)),{k}>calc_gebieden,{met_before}),"",'
                       f"SMALL(K${RANGE_TOP}:K${last},{k}))")
        ws[f"M{r}"] = f'=IF(L{r}="",{dropped_before},{dropped_before}+INT(L{r}/10000))'
        ws[f"N{r}"] = (f'=IF(L{r}="",{met_before},AND(calc_gebieden-{k}>0,'
                       f"calc_clienten-M{r}>=calc_drempel*(calc_gebieden-{k})))")
    bad_rows = f"SUM(H{RANGE_TOP}:H{last})"
    first_bad = f"MATCH(1,H{RANGE_TOP}:H{last},0)"
    _year_steps(steps, spec)
    _status_steps(steps, spec,
                  _checks(spec, [(f"{bad_rows}>0", f'"rij "&{first_bad}&" van de postcodes en cliënten (postcode \'"'
                                  f'&INDEX(Invoer!B{RANGE_TOP}:B{last},{first_bad})&"\', cliënten \'"'
                                  f'&INDEX(Invoer!C{RANGE_TOP}:C{last},{first_bad})&"\')"')]))
    steps.add("calc_clienten", "Cliënten", f"=SUM(G{RANGE_TOP}:G{last})", kind="count")
    steps.add("calc_gebieden", "Postcodegebieden met cliënten", f"=SUM(I{RANGE_TOP}:I{last})", kind="count")
    steps.add("calc_drempel", "Drempel", '=IF(ISNA(calc_jaarrij),"beleidsjaar niet gedekt",'
              'IF(OR(LOWER(TRIM(in_soort&""))="nieuw",LOWER(TRIM(in_soort&""))="new"),'
              'INDEX(tab_threshold_new,calc_jaarrij),INDEX(tab_threshold_existing,calc_jaarrij)))')
    steps.add("calc_voldoet_nu", "Voldoet zonder te schrappen", "=IF(ISNUMBER(calc_drempel),AND(calc_gebieden>0,"
              "calc_clienten>=calc_drempel*calc_gebieden),TRUE)", flag=True)
    # The error message's row number is a formula piece: the message is a string literal around it.
    drop = [f'=IF(ISNUMBER(Berekening!L{r}),TEXT(MOD(Berekening!L{r},10000),"0000"),"")'
            for r in range(RANGE_TOP, last + 1)]
    return {
        "out_clienten": ("calc_clienten"),
        "out_gebieden": ("calc_gebieden"),
        "out_ratio": ('IF(calc_gebieden=0,"-",calc_clienten/calc_gebieden)'),
        "out_drempel": (f'IF(ISNUMBER(calc_drempel),calc_drempel,"{NOT_APPLICABLE}")'),
        "out_voldoet": _yes_no("calc_voldoet_nu", not_applicable="NOT(ISNUMBER(calc_drempel))"),
        "out_extra_clienten": ("IF(ISNUMBER(calc_drempel),"
                                     "MAX(0,ROUNDUP(ROUND(calc_drempel*calc_gebieden,9),0)-calc_clienten),0)"),
        "out_max_gebieden": (f'IF(ISNUMBER(calc_drempel),INT(ROUND(calc_clienten/calc_drempel,9)),'
                                   f'"{NOT_APPLICABLE}")'),
        "out_te_schrappen": drop,
    }


def _staffel_calc(steps: Steps, spec: TemplateSpec) -> Formulas:
    _year_steps(steps, spec)
    _status_steps(steps, spec, _checks(spec))
    _staffel_steps(steps, spec, top=RANGE_TOP)
    return {
        "out_percentage": ("calc_pct"),
        "out_vergoeding": (f'IF(ISNUMBER(calc_pct),ROUND(ROUND(in_aanvullend_budget*calc_pct,9),2),'
                                 f'IF(LEFT(calc_pct,4)="fout",calc_pct,"{NOT_APPLICABLE}"))'),
        "out_in_aanmerking": _yes_no("ISNUMBER(calc_pct)"),
        "out_reden": ("calc_reden"),
    }


def _cooperatie_calc(steps: Steps, spec: TemplateSpec) -> Formulas:
    ws = steps.ws
    rows = spec.input("in_uren_leden").rows
    last = RANGE_TOP + rows - 1
    ws.cell(row=RANGE_HEADER_ROW, column=4, value="Fout in rij").font = font(bold=True)
    measure = spec.input("in_uren_leden").measure
    assert measure is not None and measure.maximum is not None
    for r in range(RANGE_TOP, last + 1):
        cell = f"Invoer!B{r}"
        ws[f"D{r}"] = (f'=IF(TRIM({cell}&"")="",0,IF(OR(NOT(ISNUMBER({cell})),{cell}<0,'
                       f"{cell}>{_excel_value(measure.maximum)}),1,0))")
    _year_steps(steps, spec)
    _status_steps(steps, spec, _checks(spec, [(f"SUM(D{RANGE_TOP}:D{last})>0",
                                       f'"uren per lid, rij "&MATCH(1,D{RANGE_TOP}:D{last},0)')]))
    steps.add("calc_max_uren", "Maximaal uren per lid per jaar",
              f"=IF({_yes('in_nachtdienst')},par_atw_avg_week_hours_night,par_atw_avg_week_hours)*par_weeks_per_year",
              kind="hours")
    steps.add("calc_fte55", "FTE × cliënten per FTE", "=ROUND(in_fte_niveau6*par_clients_per_level6_fte,9)", kind="fte")
    steps.add("calc_uren", "Uren, per lid afgetopt",
              '=COUNTIF(in_uren_leden,">"&calc_max_uren)*calc_max_uren+SUMIF(in_uren_leden,"<="&calc_max_uren)',
              kind="hours")
    return {
        "out_fte_nodig": ("in_clienten/par_clients_per_level6_fte"),
        "out_fte_tekort": ("IF(calc_fte55>=in_clienten,0,in_clienten/par_clients_per_level6_fte-in_fte_niveau6)"),
        "out_max_clienten": ("INT(calc_fte55)"),
        "out_voldoet": _yes_no("calc_fte55>=in_clienten"),
        "out_max_uren_per_lid": ("calc_max_uren"),
        "out_max_omzet": ("ROUND(ROUND(calc_uren*in_uurtarief,9),2)"),
    }


def _nachtzorg_calc(steps: Steps, spec: TemplateSpec) -> Formulas:
    _year_steps(steps, spec)
    _status_steps(steps, spec, _checks(spec))
    steps.add("calc_zvw", "Zvw-aandeel (leeg = 100%)", "=IF(ISNUMBER(in_zvw_aandeel),in_zvw_aandeel,1)",
              kind="fraction")
    steps.add("calc_index_t", "Gewogen index voorlopig T",
              "=par_weight_personnel*in_pers_voorlopig_t+par_weight_material*in_mat_voorlopig_t", kind="index")
    steps.add("calc_index_t1", "Gewogen index voorlopig T-1",
              "=par_weight_personnel*in_pers_voorlopig_t1+par_weight_material*in_mat_voorlopig_t1", kind="index")
    steps.add("calc_index_def", "Gewogen index definitief T-1",
              "=par_weight_personnel*in_pers_definitief_t1+par_weight_material*in_mat_definitief_t1", kind="index")
    steps.add("calc_factor", "Indexfactor", '=IF(OR(LOWER(TRIM(in_methode&""))="additief",'
              'LOWER(TRIM(in_methode&""))="additive"),1+calc_index_t+calc_index_def-calc_index_t1,'
              "(1+calc_index_t)*(1+calc_index_def)/(1+calc_index_t1))", kind="factor")
    return {
        "out_index_t": ("calc_index_t"),
        "out_index_t1_voorlopig": ("calc_index_t1"),
        "out_index_t1_definitief": ("calc_index_def"),
        "out_correctie": ("calc_index_def-calc_index_t1"),
        "out_factor": ("calc_factor"),
        "out_begroting_geindexeerd": ("ROUND(ROUND(in_begroting*calc_factor,9),2)"),
        "out_vergoeding_zvw": ("ROUND(ROUND(in_begroting*calc_factor*calc_zvw,9),2)"),
    }


def _plafond_calc(steps: Steps, spec: TemplateSpec) -> Formulas:
    """Rule 5 (rules/ceiling.py) in formulas: months in rows 15-26 of Berekening, the staffel below them."""
    ws = steps.ws
    top, last = RANGE_TOP, RANGE_TOP + 11
    headers = ["Maand", "Bekend", "Fout in rij", "Vorig jaar", "Waarde", "Cumulatief", "Bereikt", "Vorig jaar bekend"]
    for column, title in enumerate(headers, start=4):
        ws.cell(row=RANGE_HEADER_ROW, column=column, value=title).font = font(bold=True)
    for r in range(top, last + 1):
        m = r - top + 1
        production, previous = f"Invoer!B{r}", f"Invoer!C{r}"
        ws[f"D{r}"] = m
        ws[f"E{r}"] = f'=NOT(TRIM({production}&"")="")'
        ws[f"K{r}"] = f'=NOT(TRIM({previous}&"")="")'
        # Wrong: a month that is no amount of 0 or more, or an empty month before a filled one; the same
        # for last year's months (rules/ceiling.py checks both lists alike).
        gaps = f",AND(E{r},NOT(E{r - 1})),AND(K{r},NOT(K{r - 1}))" if m > 1 else ""
        ws[f"F{r}"] = (f"=IF(OR(AND(E{r},IF(ISNUMBER({production}),{production}<0,TRUE)),"
                       f"AND(K{r},IF(ISNUMBER({previous}),{previous}<0,TRUE)){gaps}),1,0)")
        ws[f"G{r}"] = f"=IF(ISNUMBER({previous}),{previous},0)"
        # 0 while nothing is known (no division by 0 on an empty sheet); the outputs then show the status.
        ws[f"H{r}"] = (f"=IF(D{r}<=calc_n,{production},IF(calc_n=0,0,IF(calc_seizoen,IF(calc_basis=0,0,"
                       f"calc_gerealiseerd*G{r}/calc_basis),calc_gerealiseerd/calc_n)))")
        ws[f"I{r}"] = f"=H{r}" if m == 1 else f"=I{r - 1}+H{r}"
        ws[f"J{r}"] = f"=ROUND(I{r}-in_plafond,9)>=0"
    months, values, cumulative = f"D{top}:D{last}", f"H{top}:H{last}", f"I{top}:I{last}"
    _year_steps(steps, spec)
    steps.add("calc_n", "Maanden bekend", f"=COUNT(Invoer!B{top}:B{last})", kind="count")
    steps.add("calc_seizoen", "Seizoensmethode", '=OR(LOWER(TRIM(in_methode&""))="seizoen",'
              'LOWER(TRIM(in_methode&""))="seasonal",LOWER(TRIM(in_methode&""))="seizoensprofiel")', flag=True)
    steps.add("calc_basis", "Vorig jaar, de bekende maanden samen", f'=SUMIF({months},"<="&calc_n,G{top}:G{last})',
              kind="money")
    _status_steps(steps, spec, _checks(spec, [
        (f"SUM(F{top}:F{last})>0", f'"productie, maand "&MATCH(1,F{top}:F{last},0)'),
        (f"AND(calc_seizoen,COUNT(Invoer!C{top}:C{last})<12)",
         _string("de seizoensmethode heeft de productie van alle twaalf maanden van vorig jaar nodig")),
        ("AND(calc_seizoen,calc_n<12,calc_basis=0)",
         _string("vorig jaar is de productie van de bekende maanden samen 0; gebruik de lineaire methode")),
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
    _staffel_steps(steps, spec, top=last + 4)
    reference = ("DAY(par_request_reference_date)&\" \"&CHOOSE(MONTH(par_request_reference_date),"
                 + ",".join(_string(month) for month in MONTHS) + ")")
    share = _number_text("par_request_min_ceiling_share*100") + '&" %"'
    reasons = (f'IF(calc_80pct,"","; vóór "&{reference}&" is minder dan "&{share}&" van het omzetplafond bereikt")'
               '&IF(calc_ontoereikend,"","; het omzetplafond is naar verwachting toereikend")'
               '&IF(ISNUMBER(calc_pct),"","; "&calc_reden)')
    steps.add("calc_redenen", "Redenen (met een scheidingsteken vooraan)", f"={reasons}")
    steps.add("calc_mag", "Verzoek mogelijk", "=AND(calc_80pct,calc_ontoereikend,ISNUMBER(calc_pct))", flag=True)
    cumulative_out = [(f"ROUND(ROUND(Berekening!I{r},9),2)") for r in range(top, last + 1)]
    return {
        "out_gerealiseerd": ("ROUND(ROUND(calc_gerealiseerd,9),2)"),
        "out_prognose": ("ROUND(ROUND(calc_prognose,9),2)"),
        "out_aandeel_voor_oktober": ("calc_k_peildatum/in_plafond"),
        "out_voldoet_80pct": _yes_no("calc_80pct"),
        "out_maand_bereikt": (f'IF(ISNA(MATCH(TRUE,Berekening!J{top}:J{last},0)),"{NOT_REACHED}",'
                                    f"MATCH(TRUE,Berekening!J{top}:J{last},0))"),
        "out_tekort": ("calc_tekort"),
        "out_mag_aanvragen": _yes_no("calc_mag"),
        "out_vergoeding_verwacht": (f'IF(calc_mag,ROUND(ROUND(calc_tekort*calc_pct,9),2),"{NOT_APPLICABLE}")'),
        "out_redenen": (f'IF(calc_mag,{_string(ALL_CONDITIONS_MET)},MID(calc_redenen,3,1000))'),
        "out_cumulatief": cumulative_out,
    }


def _eigen_levering_calc(steps: Steps, spec: TemplateSpec) -> Formulas:
    """Rule 6 (rules/own_delivery.py) in formulas: quarters in rows 15-18 of Berekening."""
    ws = steps.ws
    top, last = RANGE_TOP, RANGE_TOP + 3
    for column, title in enumerate(["Ingevuld", "Fout in rij", "Eigen", "Totaal", "Aandeel"], start=4):
        ws.cell(row=RANGE_HEADER_ROW, column=column, value=title).font = font(bold=True)
    for r in range(top, last + 1):
        cells = f"Invoer!B{r}:E{r}"
        ws[f"D{r}"] = f'=SUMPRODUCT(--(TRIM({cells}&"")<>""))'
        ws[f"E{r}"] = (f"=IF(D{r}=0,0,IF(OR(D{r}<4,COUNT({cells})<4,COUNTIF({cells},\"<0\")>0,"
                       f"AND(SUM({cells})=0,NOT(calc_cooperatie))),1,0))")
        ws[f"F{r}"] = f"=IF(E{r}=0,IF(D{r}=4,Invoer!B{r}+Invoer!C{r},0),0)"
        ws[f"G{r}"] = f"=IF(E{r}=0,IF(D{r}=4,SUM({cells}),0),0)"
        ws[f"H{r}"] = f'=IF(G{r}>0,F{r}/G{r},"{NOT_APPLICABLE}")'
    _year_steps(steps, spec)
    steps.add("calc_cooperatie", "Zorgcoöperatie (uitgezonderd)", f"={_yes('in_cooperatie')}", flag=True)
    _status_steps(steps, spec, _checks(spec, [
        (f"SUM(E{top}:E{last})>0", f'"kwartaal "&MATCH(1,E{top}:E{last},0)&" (vul alle vier de soorten zorg in, '
                                   'getallen van 0 of meer, samen meer dan 0)"'),
    ]), missing=[(f"AND(SUM(G{top}:G{last})=0,NOT(calc_cooperatie))", _string("de zorg van ten minste één kwartaal"))])
    steps.add("calc_eigen", "Eigen levering (met volle dochters)", f"=SUM(F{top}:F{last})", kind="care")
    steps.add("calc_totaal", "Alle zorg", f"=SUM(G{top}:G{last})", kind="care")
    steps.add("calc_voldoet", "Voldoet", "=ROUND(calc_eigen-par_min_own_share*calc_totaal,9)>=0", flag=True)
    share = _number_text("par_min_own_share*100") + '&" %"'
    reason = (f"=IF(calc_cooperatie,{_string(EXEMPT_REASON)},"
              f'IF(calc_voldoet,"voldoet: ten minste "&{share}&" van de zorg door de zorgaanbieder zelf (met volle '
              f'dochters)","voldoet niet: minder dan "&{share}&" van de zorg door de zorgaanbieder zelf (met volle '
              'dochters)"))')
    return {
        "out_aandeel_eigen": (f'IF(calc_totaal>0,calc_eigen/calc_totaal,"{NOT_APPLICABLE}")'),
        "out_voldoet": _yes_no("calc_voldoet", not_applicable="calc_cooperatie"),
        "out_van_toepassing": _yes_no("NOT(calc_cooperatie)"),
        "out_reden": (reason),
        "out_aandeel_kwartaal": [(f"Berekening!H{r}") for r in range(top, last + 1)],
    }


CALCULATIONS: dict[str, Callable[[Steps, TemplateSpec], Formulas]] = {
    "cz_ratio": _cz_ratio_calc, "staffel": _staffel_calc, "cooperatie": _cooperatie_calc,
    "nachtzorg": _nachtzorg_calc, "plafond": _plafond_calc, "eigen_levering": _eigen_levering_calc,
}


def _uitkomst(wb: Workbook, spec: TemplateSpec, formulas: Formulas) -> tuple[Worksheet, int]:
    """The results block (label, result, what it means), the status of the input above it, range outputs
    below it; returns the sheet and the last row that prints."""
    ws = wb.create_sheet("Uitkomst", 2)
    _text(ws, 1, 1, f"Uitkomst: {spec.title}").font = font(bold=True, size=14)
    ws["A2"] = '="Beleidsjaar "&calc_jaar&IF(TRIM(zk_sleutel&"")="",""," · "&zk_sleutel)'
    ws["A3"] = '=IF(calc_status="","Berekend met de invoer op het tabblad Invoer; bronnen op het tabblad Bronnen.",' \
               'calc_status)'
    ws.conditional_formatting.add("A3", FormulaRule(formula=['calc_fout<>""'], fill=BAD_FILL))
    ws.conditional_formatting.add("A3", FormulaRule(formula=['calc_status<>""'], fill=WAITING_FILL))
    for column, title in enumerate(("Uitkomst", "Waarde", "Toelichting"), start=1):
        _heading(ws, FIRST_OUTPUT_ROW - 1, column, title)
    row = FIRST_OUTPUT_ROW
    for output in (o for o in spec.outputs if not o.rows):
        _text(ws, row, 1, output.label).alignment = WRAP
        formula = formulas[output.name]
        assert isinstance(formula, str)
        cell = ws.cell(row=row, column=2, value=_guard(formula))
        cell.number_format = output.number_format
        cell.font = font(bold=True)
        cell.alignment = Alignment(horizontal="right", vertical="top", wrap_text=output.kind == "text")
        ref = f"B{row}"
        _name(wb, output.name, "Uitkomst", ref)
        if output.verdict:
            ws.conditional_formatting.add(ref, CellIsRule(operator="equal", formula=[f'"{YES}"'], fill=GOOD_FILL))
            ws.conditional_formatting.add(ref, CellIsRule(operator="equal", formula=[f'"{NO}"'], fill=BAD_FILL))
        if output.kind == "month":
            months = ",".join(_string(m) for m in MONTHS)
            ws.cell(row=row, column=3, value=f'=IF(ISNUMBER({ref}),CHOOSE({ref},{months}),"")')
        elif output.help and output.kind != "text":
            _text(ws, row, 3, output.help).alignment = WRAP
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
        _heading(ws, OUTPUT_RANGE_ROW, column, output.label)
        cells = formulas[output.name]
        assert isinstance(cells, list) and len(cells) == output.rows
        for r, formula in enumerate(cells, start=OUTPUT_RANGE_ROW + 1):
            cell = ws.cell(row=r, column=column, value=_guard(formula, first=r == OUTPUT_RANGE_ROW + 1))
            cell.number_format = output.number_format
        _name(wb, output.name, "Uitkomst", f"{letter}{OUTPUT_RANGE_ROW + 1}:{letter}{OUTPUT_RANGE_ROW + output.rows}")
        last = max(last, OUTPUT_RANGE_ROW + min(output.rows, SHOWN_ROWS))
    labels = next((i.row_labels for i in spec.inputs if i.rows), ())
    if ranges and labels:  # months or quarters beside their values (a list of areas needs no numbers)
        _heading(ws, OUTPUT_RANGE_ROW, 1, "Maand" if labels == MONTHS else "Kwartaal")
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


def _ratio_chart(ws: Worksheet, invoer: Worksheet, berekening: Worksheet) -> None:
    """Clients per postcode against the threshold, over the first CHART_ROWS rows (fill: the rows it wrote)."""
    last = RANGE_TOP + CHART_ROWS - 1
    _text(ws, OUTPUT_RANGE_ROW, 3, "Cliënten per postcode en de drempel").font = font(bold=True)
    bars = BarChart()
    bars.y_axis.title = "cliënten"
    postcodes = Reference(invoer, min_col=2, min_row=RANGE_TOP, max_row=last)
    bars.add_data(Reference(invoer, min_col=3, min_row=RANGE_HEADER_ROW, max_row=last), titles_from_data=True)
    line = LineChart()
    line.add_data(Reference(berekening, min_col=10, min_row=RANGE_HEADER_ROW, max_row=last), titles_from_data=True)
    categories(bars, postcodes)
    categories(line, postcodes)
    style_chart(line, "C00000")
    bars += line
    bars.x_axis.delete = bars.y_axis.delete = False
    bars.legend.position = "b"
    bars.width, bars.height = 16, 8.5
    ws.add_chart(bars, f"C{OUTPUT_RANGE_ROW + 1}")


def _plafond_chart(ws: Worksheet, berekening: Worksheet, spec: TemplateSpec) -> None:
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
    _text(ws, OUTPUT_RANGE_ROW, 3, "Productie tot en met de maand, tegen het omzetplafond").font = font(bold=True)
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


def build_template(spec: TemplateSpec, out: Path, *, overwrite: bool = True) -> Path:
    if not spec.years:
        raise InputError(f"sjabloon {spec.name}: de parametergegevens hebben geen beleidsjaar dat alle onderwerpen "
                         "dekken", field="template", value=spec.name)
    wb = Workbook()
    _instructie(wb, spec)
    invoer_cells, help_column = _invoer(wb, spec)
    invoer = wb["Invoer"]
    berekening = wb.create_sheet("Berekening")
    _text(berekening, 1, 1, "Tussenstappen (niet wijzigen)")
    berekening["A1"].font = font(bold=True)
    berekening.column_dimensions["A"].width = 62
    berekening.column_dimensions["B"].width = 40
    steps = Steps(wb, berekening)
    formulas = CALCULATIONS[spec.name](steps, spec)
    uitkomst, printed = _uitkomst(wb, spec, formulas)
    _bronnen(wb, spec)
    if spec.name == "cz_ratio":
        _ratio_chart(uitkomst, invoer, berekening)
        rows = spec.input("in_postcodes").rows
        invoer.conditional_formatting.add(f"B{RANGE_TOP}:C{RANGE_TOP + rows - 1}",
                                          FormulaRule(formula=[f"Berekening!$H{RANGE_TOP}=1"], fill=BAD_FILL))
    if spec.name == "plafond":
        _plafond_chart(uitkomst, berekening, spec)
    if uitkomst._charts:
        printed = max(printed, CHART_BOTTOM_ROW)
    # A wrong scalar input turns red, as the first one named in calc_fout.
    for spec_input in (i for i in spec.inputs if not i.rows):
        ref = invoer_cells[spec_input.name]
        invoer.conditional_formatting.add(ref, FormulaRule(
            formula=[f"ISNUMBER(SEARCH({_string(spec_input.label)},calc_fout))"], fill=BAD_FILL))
    ranges = [i for i in spec.inputs if i.rows]
    invoer_last = RANGE_TOP - 1 + max(_printed_rows(i) for i in ranges) if ranges else FIRST_INPUT_ROW + len(
        spec.inputs) - 1
    footer = _footer(spec)
    long_input = any(i.rows > LONG_RANGE for i in ranges)  # a long list of postcodes prints on the pages it needs
    print_setup(invoer, f"A1:{get_column_letter(help_column)}{invoer_last}", one_page=not long_input,
                title=spec.title, footer=footer, center=years_text(spec.years),
                titles_rows=f"{RANGE_HEADER_ROW}:{RANGE_HEADER_ROW}" if ranges else None)
    print_setup(uitkomst, f"A1:{'D' if uitkomst._charts else 'C'}{printed}", one_page=True, title=spec.title,
                footer=footer, center=years_text(spec.years))
    print_setup(berekening, f"A1:B{steps.row - 1}", title=spec.title, footer=footer)
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
