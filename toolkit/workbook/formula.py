"""Writing a rule a second time, in Excel: the Berekening sheet's steps and the pieces every template's
formulas share (the policy year and its parameters, the checks of the inputs, what an output shows while
the inputs are incomplete, yes/no as ja/nee, numbers, amounts and dates as Dutch text, and rule 1's rows of
postcodes and clients, which the ratio and the entry test of a new provider both read).

Each template's own formulas are in `formulas/<template>.py`; `build.py` lays out the sheets around them.
The formulas use only the Excel 2010 function set that LibreOffice 7.4 also has.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.worksheet import Worksheet

from ..dates import MONTHS
from ..parameters import date_bounds, load_topic
from ..parameters.schema import Parameter
from ..postcode import WHITESPACE
from ..rules.declaration import NOT_APPLICABLE, NOTHING_TYPED, Input, Template
from .formats import NO, OUTPUT_FORMATS, YES, font
from .layout import RANGE_HEADER_ROW, RANGE_TOP
from .styles import BAD_FILL, text_cell

INPUT_ERROR = "fout in de invoer"
MISSING_INPUT = "vul nog in"
YES_NO_FORMAT = f'"{YES}";"{YES}";"{NO}"'  # 1 reads ja, 0 reads nee
UNIT_KINDS = {"fractie": "fraction", "euro": "money", "datum": "date"}  # how a parameter shows, by its unit
# An output's formulas by `out_*` name: one formula, or one per row of a range output.
Formulas = dict[str, str | list[str]]


def define_name(wb: Workbook, name: str, sheet: str, ref: str) -> None:
    wb.defined_names[name] = DefinedName(name, attr_text=f"'{sheet}'!{absolute(ref)}")


def absolute(ref: str) -> str:
    def one(cell: str) -> str:
        letters = "".join(c for c in cell if c.isalpha())
        return f"${letters}${cell[len(letters):]}"
    return ":".join(one(part) for part in ref.split(":"))


def excel_value(value: object) -> object:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def string(text: str) -> str:
    """A text as an Excel string literal."""
    return '"' + text.replace('"', '""') + '"'


def number_text(expression: str) -> str:
    """A number as Dutch text in a formula: 5 -> "5", 4.5 -> "4,5" (whatever the spreadsheet's locale)."""
    return f'SUBSTITUTE(ROUND({expression},9)&"",".",",")'


TYPED_CHARS = 40  # of a typed text shown in a message: a cell's message stays one line


def typed_text(name: str, *, date: bool = False) -> str:
    """What an input cell holds, as text in a formula for a message: a number in Dutch (`number_text`), a
    date cell as 14-3-2025 (`date`), an empty one as "leeg", anything else quoted as typed and cut at
    TYPED_CHARS characters; an error value (#N/B) as such, not spreading into the message."""
    shown = (f'DAY({name})&"-"&MONTH({name})&"-"&YEAR({name})' if date else number_text(name))
    text = f'"\'"&LEFT({name}&"",{TYPED_CHARS})&IF(LEN({name}&"")>{TYPED_CHARS},"…","")&"\'"'
    return f'IFERROR(IF(ISNUMBER({name}),{shown},IF(TRIM({name}&"")="","leeg",{text})),"een foutwaarde")'


def whole_euros_text(amount: str) -> str:
    """A whole amount of euros as Dutch text in a formula, its thousands grouped by dots (50.000), built from
    INT and MOD: FIXED and TEXT with separators would follow the locale. As `numbers.format_money(cents=False)`
    writes it, after the "€ "."""
    return (f'IF({amount}>=1000000,INT({amount}/1000000)&"."&TEXT(MOD(INT({amount}/1000),1000),"000")&"."'
            f'&TEXT(MOD({amount},1000),"000"),IF({amount}>=1000,INT({amount}/1000)&"."&TEXT(MOD({amount},1000),'
            f'"000"),{amount}&""))')


def date_text(expression: str) -> str:
    """A date as Dutch text in a formula, as `dates.dutch_date` writes it (15 januari 2027), whatever the locale."""
    months = ",".join(string(month) for month in MONTHS)
    return f'DAY({expression})&" "&CHOOSE(MONTH({expression}),{months})&" "&YEAR({expression})'


def compact(reference: str) -> str:
    """A cell's text with every kind of white space removed (postcode.WHITESPACE, as Python does)."""
    formula = f'TRIM({reference}&"")'
    for char in WHITESPACE:
        formula = f"SUBSTITUTE({formula},{_char(char)},\"\")"
    return formula


def _char(char: str) -> str:
    # Tab, CR and LF as CHAR(); the rest as the character itself (CHAR(160) is not a no-break space on a Mac).
    return f"CHAR({ord(char)})" if ord(char) < 32 else string(char)


class Steps:
    """Named intermediate steps on Berekening, one per row in columns A (label) and B (formula)."""

    def __init__(self, wb: Workbook, ws: Worksheet, first_row: int = 4) -> None:
        self.wb, self.ws, self.row = wb, ws, first_row

    def add(self, name: str, label: str, formula: str, *, flag: bool = False, kind: str = "number") -> str:
        """A step; a `flag` (a yes/no step) is kept as 1 or 0 and shown as ja/nee, so that no reader of the
        sheet meets WAAR/ONWAAR (a number format cannot show a logical value otherwise). Excel and
        LibreOffice read 1 and 0 as TRUE and FALSE wherever the step is used as a condition."""
        text_cell(self.ws, self.row, 1, label)
        number_format = OUTPUT_FORMATS[kind]
        if flag:
            formula, number_format = f"=IF({formula.removeprefix('=')},1,0)", YES_NO_FORMAT
        cell = self.ws.cell(row=self.row, column=2, value=formula)
        cell.number_format = number_format
        cell.alignment = Alignment(horizontal="right")
        define_name(self.wb, name, self.ws.title, f"B{self.row}")
        self.row += 1
        return name


def year_steps(steps: Steps, spec: Template) -> None:
    """calc_jaar (empty input: the current year), its row in the year table, and par_* for that year."""
    steps.add("calc_jaar", "Beleidsjaar", '=IF(TRIM(in_jaar&"")="",par_huidig_jaar,in_jaar)')
    steps.add("calc_jaarrij", "Rij van het beleidsjaar in de parametertabel", "=MATCH(calc_jaar,par_jaren,0)")
    for parameter in template_parameters(spec):
        if parameter.type in {"decimal", "integer", "date"}:
            steps.add(f"par_{parameter.name}", parameter.label, f"=INDEX(tab_{parameter.name},calc_jaarrij)",
                      kind=UNIT_KINDS.get(parameter.unit, "number"))


def checks(spec: Template, extra: Sequence[tuple[str, str]] = ()) -> list[tuple[str, str]]:
    """(condition that is TRUE when an input is wrong, the message as an Excel expression), in order:
    every scalar input as the Python side reads it, then the template's own (`extra`)."""
    checks: list[tuple[str, str]] = []
    years = ", ".join(map(str, spec.years))
    for spec_input in (i for i in spec.inputs if not i.rows):
        name = spec_input.name
        # The label and the value as typed, as the Python side names them ("…: 'veel'"; a number in Dutch,
        # a date as day-month-year: a serial number would say nothing).
        message = f'{string(spec_input.label + ": ")}&{typed_text(name, date=spec_input.kind == "date")}'
        blank = f'TRIM({name}&"")=""'
        if spec_input.kind == "year":
            checks.append((f"AND(NOT({blank}),OR(NOT(ISNUMBER({name})),ISNA(MATCH({name},par_jaren,0))))",
                           f'{message}&{string(f" valt buiten dit sjabloon (gedekt: {years})")}'))
        elif spec_input.kind == "number":
            measure = spec_input.measure
            assert measure is not None
            bounds = []
            if measure.minimum is not None:
                bounds.append(f"{name}{'<=' if measure.above_minimum else '<'}{excel_value(measure.minimum)}")
            if measure.maximum is not None:
                bounds.append(f"{name}>{excel_value(measure.maximum)}")
            if measure.reading == "count":
                bounds.append(f"{name}<>INT({name})")
            # IF, not OR: a text would make the comparisons an error value instead of FALSE.
            wrong = f"IF(NOT(ISNUMBER({name})),TRUE,OR({','.join(bounds) or 'FALSE'}))"
            if measure.percent_hint and measure.maximum is not None:
                # 4,72 typed where 4,72% was meant, as the Python side asks too ("bedoelt u 4,72 %?").
                top = excel_value(measure.maximum)
                message = (f'IF(AND(ISNUMBER({name}),{name}>{top},{name}/100<={top}),{message}&" (bedoelt u "&'
                           f'{number_text(name)}&"%?)",{message})')
            checks.append((f"IF({blank},FALSE,{wrong})", message))
        elif spec_input.kind == "date":
            # A date cell holds a serial number (a time of day as its fraction, which the rule drops too).
            first, last = date_bounds()
            wrong = (f"IF(NOT(ISNUMBER({name})),TRUE,OR(INT({name})<{date_formula(first)},"
                     f"INT({name})>{date_formula(last)}))")
            checks.append((f"IF({blank},FALSE,{wrong})", message))
        elif spec_input.kind == "choice":
            allowed = ",".join(f'LOWER(TRIM({name}&""))={string(word)}' for word in _choice_words(spec_input))
            ok = f"OR({blank},{allowed})"
            checks.append((f"NOT({ok})", message))
        elif spec_input.kind == "score":
            checks.append((f'NOT(OR({blank},UPPER(TRIM({name}&""))="A",UPPER(TRIM({name}&""))="B",'
                           f'UPPER(TRIM({name}&""))="C"))', message))
        elif spec_input.kind == "flag":
            checks.append((f"NOT(OR({blank},{is_yes(name)},{is_no(name)}))", message))
    return [*checks, *extra]


def date_formula(day: dt.date) -> str:
    """A date in a formula: DATE(y,m,d), the same day whatever the spreadsheet's date system."""
    return f"DATE({day.year},{day.month},{day.day})"


def _choice_words(spec_input: Input) -> list[str]:
    """Every spelling the Python side accepts for a choice: the rule's vocabulary."""
    return sorted(spec_input.vocabulary)


def is_choice(spec_input: Input, canonical: str) -> str:
    """TRUE when the choice input holds a word the rule reads as `canonical` (any case, spaces around)."""
    words = sorted(word for word, meaning in spec_input.vocabulary.items() if meaning == canonical)
    assert words, (spec_input.name, canonical)  # a formula mistake, not user input
    return "OR(" + ",".join(f'LOWER(TRIM({spec_input.name}&""))={string(word)}' for word in words) + ")"


def status_steps(steps: Steps, spec: Template, checks: list[tuple[str, str]],
                  missing: Sequence[tuple[str, str]] = ()) -> None:
    """What the outputs show instead of a result, in this order:

    calc_niets: nothing typed yet: every output reads NOTHING_TYPED (neutral, never "fout" or an error value);
    calc_fout: "" or "fout in de invoer: …" for the first check that fails (something typed is wrong);
    calc_ontbreekt: "" or "vul nog in: …" for the first required input still empty (`missing` adds the
    template's own, such as "no month of production yet");
    calc_status: the first of these that applies, "" when the outputs can be computed.
    """
    inputs = [i for i in spec.inputs]
    blank = [blank_test(i) for i in inputs]
    steps.add("calc_niets", "Nog niets ingevuld", f"=AND({','.join(blank)})", flag=True)
    formula = '""'
    for condition, message in reversed(checks):
        formula = f'IF({condition},"{INPUT_ERROR}: "&{message},{formula})'
    steps.add("calc_fout", "Fout in de invoer (leeg: geen)", f"={formula}")
    needed = [(blank_test(i), string(i.label)) for i in inputs if i.required and i.kind != "flag"]
    formula = '""'
    for condition, message in reversed([*needed, *missing]):
        formula = f'IF({condition},"{MISSING_INPUT}: "&{message},{formula})'
    steps.add("calc_ontbreekt", "Nog in te vullen (leeg: niets)", f"={formula}")
    steps.add("calc_status", "Stand van de invoer (leeg: uitkomst berekend)",
              f'=IF(calc_niets,{string(NOTHING_TYPED)},IF(calc_fout<>"",calc_fout,calc_ontbreekt))')


def blank_test(spec_input: Input) -> str:
    """TRUE when nothing is typed in the input (every row of a range)."""
    if spec_input.rows:
        return f'SUMPRODUCT(--(TRIM({spec_input.name}&"")<>""))=0'
    return f'TRIM({spec_input.name}&"")=""'


def guard(expression: str, *, first: bool = True) -> str:
    """An output formula: the status while the inputs are not complete and right, else the result. A range
    output shows the status in its first row only (the rows below stay empty)."""
    return f'=IF(calc_status<>"",{"calc_status" if first else chr(34) * 2},{expression.removeprefix("=")})'


def yes_no_result(condition: str, *, not_applicable: str | None = None) -> str:
    """A yes/no result as the text ja/nee (never WAAR/ONWAAR); "n.v.t." where `not_applicable` holds."""
    answer = f'IF({condition},"{YES}","{NO}")'
    return answer if not_applicable is None else f'IF({not_applicable},"{NOT_APPLICABLE}",{answer})'


def is_yes(name: str) -> str:
    """A ja/nee input as a condition. The dropdown gives ja/nee; TRUE or 1 typed or pasted count as ja
    too (and in LibreOffice TRUE is 1), as the Python side reads them (choices.yes_no)."""
    words = ",".join(f'LOWER(TRIM({name}&""))="{w}"' for w in ("ja", "j", "waar", "true", "1", "yes"))
    return f"OR({name}=TRUE,AND(ISNUMBER({name}),{name}=1),{words})"


def is_no(name: str) -> str:
    words = ",".join(f'LOWER(TRIM({name}&""))="{w}"' for w in ("nee", "n", "onwaar", "false", "0", "no"))
    return f"OR({name}=FALSE,AND(ISNUMBER({name}),{name}=0),{words})"




@dataclass(frozen=True)
class PostcodeRows:
    """The rows of a postcodes-and-clients range on Berekening (`postcode_rows`): the check of the rows for
    `checks`, and the total clients and the areas with clients as formulas."""

    last: int  # the last row (the first is RANGE_TOP)
    check: tuple[str, str]  # (a row is wrong, the message naming the first wrong row, its postcode and count)
    clients: str
    areas: str


def postcode_rows(ws: Worksheet, rows: int) -> PostcodeRows:
    """Postcodes and their clients paired row by row (rule 1, `rules.ratio.clients_by_area`) in formulas:
    one row of Berekening per row of the postcodes and clients on Invoer (columns B and C: a template's first
    two range inputs), from RANGE_TOP, in columns D-I (compact postcode, PC4, valid, count, wrong row, an
    area's first row with clients). The ratio and the entry test of a new provider read their areas so."""
    last = RANGE_TOP + rows - 1
    postcodes, clients = "B", "C"
    headers = ["Postcode (compact)", "PC4", "Postcode geldig", "Cliënten", "Fout in rij", "Nieuw gebied"]
    for column, title in enumerate(headers, start=4):
        ws.cell(row=RANGE_HEADER_ROW, column=column, value=title).font = font(bold=True)
    for r in range(RANGE_TOP, last + 1):
        count = f"Invoer!{clients}{r}"
        ws[f"D{r}"] = f"={compact(f'Invoer!{postcodes}{r}')}"
        ws[f"E{r}"] = f'=IF(D{r}="","",LEFT(D{r},4))'
        # A PC4 is four digits not starting with 0, then optionally two letters A-Z or a-z (codes 65-90,
        # 97-122; UPPER is not used: LibreOffice turns ß into SS, which Python does not accept).
        digits = f'SUMPRODUCT(--(ABS(CODE(MID(D{r}&"xxxxxx",{{1,2,3,4}},1))-52.5)<5))=4'
        letters = (f'SUMPRODUCT(--(((ABS(CODE(MID(D{r}&"xxxxxx",{{5,6}},1))-77.5)<13)'
                   f'+(ABS(CODE(MID(D{r}&"xxxxxx",{{5,6}},1))-109.5)<13))>0))=2')
        valid = f'AND(OR(LEN(D{r})=4,LEN(D{r})=6),LEFT(D{r},1)<>"0",{digits},OR(LEN(D{r})=4,{letters}))'
        ws[f"F{r}"] = f'=IF(D{r}="",TRUE,IF(ISERROR({valid}),FALSE,{valid}))'
        ws[f"G{r}"] = f'=IF(TRIM({count}&"")="",0,IF(ISNUMBER({count}),{count},-1))'
        # A count without a postcode is wrong unless it is 0; a postcode needs a whole count of 0 or more.
        ws[f"H{r}"] = (
            f'=IF(AND(D{r}="",OR(TRIM({count}&"")="",G{r}=0)),0,'
            f'IF(OR(D{r}="",TRIM({count}&"")="",NOT(F{r}),G{r}<0,G{r}<>INT(G{r})),1,0))'
        )
        # An area counts once, at its first row, and only when its clients add up to more than 0.
        ws[f"I{r}"] = (
            f'=IF(OR(E{r}="",H{r}=1),0,IF(MATCH(E{r},E${RANGE_TOP}:E${last},0)=ROW()-{RANGE_TOP - 1},'
            f'IF(SUMIF(E${RANGE_TOP}:E${last},E{r},G${RANGE_TOP}:G${last})>0,1,0),0))'
        )
    bad_rows = f"SUM(H{RANGE_TOP}:H{last})"
    first_bad = f"MATCH(1,H{RANGE_TOP}:H{last},0)"
    # The error message's row number is a formula piece: the message is a string literal around it.
    message = (f'"rij "&{first_bad}&" van de postcodes en cliënten (postcode \'"'
               f'&INDEX(Invoer!{postcodes}{RANGE_TOP}:{postcodes}{last},{first_bad})&"\', cliënten \'"'
               f'&INDEX(Invoer!{clients}{RANGE_TOP}:{clients}{last},{first_bad})&"\')"')
    return PostcodeRows(last=last, check=(f"{bad_rows}>0", message), clients=f"=SUM(G{RANGE_TOP}:G{last})",
                        areas=f"=SUM(I{RANGE_TOP}:I{last})")


def mark_wrong_postcode_rows(invoer: Worksheet, rows: int) -> None:
    """A wrong row of postcodes and clients (`postcode_rows`: column H) turns red on Invoer."""
    last = RANGE_TOP + rows - 1
    mark_wrong_rows(invoer, f"B{RANGE_TOP}:C{last}", "calc_rij_fout", f"H{RANGE_TOP}:H{last}")


def mark_wrong_rows(invoer: Worksheet, cells: str, name: str, flags: str) -> None:
    """The rows of a range input on Invoer (`cells`) turn red where Berekening's `flags` (a column beside the
    range's rows, 1 or TRUE for a wrong row) say so. Through a defined name: a conditional format of Excel 2007
    may not point at another sheet, and Excel 2010 keeps such a rule apart; a name works everywhere."""
    define_name(invoer.parent, name, "Berekening", flags)
    invoer.conditional_formatting.add(cells, FormulaRule(formula=[f"INDEX({name},ROW()-{RANGE_TOP - 1})"],
                                                         fill=BAD_FILL))


def template_parameters(spec: Template) -> list[Parameter]:
    """Every parameter of the template's topics, in the order of the data."""
    return [p for insurer, topic in spec.topics for p in load_topic(insurer, topic).parameters.values()]
