"""How a rule declares itself: once, in its own module, and every surface is made from that.

A rule module (`toolkit/rules/<name>.py`) holds the pure rule functions and one `RULE = Rule(...)`: its
number and Dutch title, the parameter topics it reads, the names it exports from `toolkit`, its Excel
functions (`ExcelFunction`, with Dutch arguments and help), its template (`Template`: the `in_*` inputs and
`out_*` outputs with Dutch labels and kinds, and the Python engine that fills the outputs) and the
placeholders its help texts use. From these:

- `toolkit` exports the functions (`toolkit/__init__.py`, `toolkit.rules.RULES`);
- `toolkit.udfs` makes the Excel functions for classic xlwings and xlwings Lite (`workbooks/lite/main.py`
  embeds the rule modules found);
- `toolkit.workbook.specs` makes the template specs; the template's Excel formulas, the second and
  independent implementation of the rule, live beside the rule in `toolkit/workbook/formulas/<template>.py`;
- `zorginkoop` takes its choice words from the rules' vocabularies, and `parameters` and `sjablonen` list
  what the rules declare;
- the parameter loader finds every topic file in `parameters/data/`.

`tests/test_rule_units.py` fails when a declared rule lacks one of its surfaces.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..errors import InputError
from ..parameters import Quantity, current_year, load_topic, quantity

REQUIRED = object()  # an Excel argument without a default: Excel asks for it

# Words a template shows in both engines (Python and the formulas), whatever the rule.
NOT_APPLICABLE = "n.v.t."  # a result that does not apply (no threshold that year, not eligible)
NOTHING_TYPED = "vul eerst de invoer in"  # every output before anything is typed: neutral, never "fout"


# --- Excel functions -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Argument:
    """One argument of an Excel function, named and explained in Dutch.

    `reading` says how the cell arrives at the rule (toolkit.udfs does the reading):
    `value` one cell, None when empty; `required` one cell that may not be empty; `cells` a range as one
    flat list, empty cells None; `months` such a list, None when every cell is empty; `period` one cell or
    a range of quarters; `flag` ja/nee (empty: nee); `score` A/B/C or None; `text` a word, `default` when
    empty. `field` is the rule's own (English) name for what the argument feeds, so that its messages
    name the argument instead."""

    name: str
    help: str
    reading: str = "value"
    default: Any = REQUIRED
    field: str | None = None


@dataclass(frozen=True)
class ExcelError:
    """A result that Excel shows as an error value with a Dutch reason (#DEEL/0! and the like)."""

    kind: str  # "div0", "number", "value"
    reason: str


@dataclass(frozen=True)
class ExcelFunction:
    """An Excel function: its name, its Dutch description (with {placeholders} from the parameter data),
    its arguments, and `compute`, which takes the read arguments by name and gives the cell's value (a
    number, a text, a yes/no or an `ExcelError`)."""

    name: str
    description: str
    arguments: tuple[Argument, ...]
    compute: Callable[..., Any]


# --- the template ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Input:
    """An `in_*` input of a template, as its Invoer sheet and an INPUTS file column present it."""

    name: str  # the defined name, in_*
    label: str  # Dutch, on the Invoer sheet
    kind: str  # number, year, date, choice, flag, score, postcode
    help: str  # Dutch input message (data validation prompt), at most 255 characters with the range
    quantity: str | None = None  # for numbers: the plausible range (parameters/data/plausible.yaml)
    choices: tuple[str, ...] = ()
    required: bool = True
    rows: int = 0  # > 0: a range input of that many rows
    row_labels: tuple[str, ...] = ()  # shown beside a range's rows (months, quarters); default 1, 2, …
    vocabulary: Mapping[str, str] = field(default_factory=dict)  # a choice: every word read -> the rule's name

    @property
    def column(self) -> str:
        """The column name in an INPUTS file: the input name without `in_`."""
        return self.name.removeprefix("in_")

    @property
    def measure(self) -> Quantity | None:
        return quantity(self.quantity) if self.quantity else None

    @property
    def as_percent(self) -> bool:
        """A share or an index: typed and shown as a percentage (4,72% or 0,0472 both read)."""
        measure = self.measure
        return measure is not None and measure.reading == "fraction"

    @property
    def prompt(self) -> str:
        """The input message: the help text and, for numbers, the plausible range."""
        measure = self.measure
        if measure is None or self.kind == "year":
            return self.help[:255]
        return f"{self.help} Bereik: {measure.range_text(percent=self.as_percent)}."[:255]


@dataclass(frozen=True)
class Output:
    """An `out_*` output of a template, as its Uitkomst sheet and the summaries present it."""

    name: str  # out_*
    label: str
    kind: str  # count, number, ratio, fraction, money, bool (ja/nee), text, month, date, fte, hours, factor
    rows: int = 0  # > 0: a range output of that many rows
    help: str = ""  # Dutch, beside the result on Uitkomst: how it is computed or what it means
    verdict: bool = False  # a yes/no result that is good when "ja" (coloured green/red)


@dataclass(frozen=True)
class Template:
    """A template workbook of a rule: its inputs and outputs and the Python engine for them.

    `engine` takes the converted inputs (by `in_*` name, every input present, None when empty) and gives
    every output (by `out_*` name); the template's formulas must give the same (the recalculation proof).
    """

    name: str  # file stem in templates/
    title: str
    version: str
    inputs: tuple[Input, ...]
    outputs: tuple[Output, ...]
    engine: Callable[[Mapping[str, Any]], dict[str, Any]] = field(repr=False)
    topics: tuple[tuple[str, str], ...] = ()  # the parameter topics the formulas read
    # The rules name their fields in English; messages for spreadsheet users use the input's column.
    rule_fields: Mapping[str, str] = field(default_factory=dict)
    purpose: str = ""  # Dutch, for the Instructie sheet: what the workbook computes
    reading: str = ""  # Dutch, for the Instructie sheet: what the results mean
    # A parameter table (the staffel) as the Bronnen sheet lists it for a policy year, in Dutch.
    table_text: Callable[[int], str] | None = field(default=None, repr=False)

    def compute(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """The outputs the Python rules give for converted inputs; before anything is typed, every output
        is NOTHING_TYPED, as in the template."""
        if all(_blank(values.get(i.name)) for i in self.inputs):
            return {o.name: [NOTHING_TYPED] + [""] * (o.rows - 1) if o.rows else NOTHING_TYPED for o in self.outputs}
        for spec_input in self.inputs:  # a required range with no row typed (the template: "vul nog in: …")
            if spec_input.rows and spec_input.required and _blank(values.get(spec_input.name)):
                raise InputError(f"{spec_input.column}: geen enkele waarde; vul ten minste één rij in",
                                 field=spec_input.column, value=None)
        return self.engine(values)

    def input(self, name: str) -> Input:
        return next(i for i in self.inputs if i.name == name)

    @property
    def years(self) -> tuple[int, ...]:
        """The policy years every topic of the template covers (the template's year table)."""
        sets = [set(load_topic(insurer, topic).years) for insurer, topic in self.topics]
        return tuple(sorted(set.intersection(*sets))) if sets else ()


def empty(value: object) -> bool:
    """A cell with nothing typed: None or only spaces."""
    return value is None or (isinstance(value, str) and value.strip() == "")


def _blank(value: object) -> bool:
    """An input with nothing typed: empty, or a range of empty cells."""
    return all(empty(v) for v in value) if isinstance(value, list) else empty(value)


# --- what several rules declare alike ----------------------------------------------------------------------

# An Excel function's policy year: optional, the last argument (INTERFACES "Excel functions").
YEAR = Argument("jaar", "Beleidsjaar; leeg = {jaar} (gedekt: {jaren_gedekt}).", default=None, field="year")
QUARTERS = ("kwartaal 1", "kwartaal 2", "kwartaal 3", "kwartaal 4")
PERCENT_HELP = "Typ als percentage (3,1%) of als fractie (0,031)."


YEAR_HELP = "Beleidsjaar; leeg = {jaar}. Dit sjabloon rekent met de jaren op het tabblad Bronnen."


def year_input(label: str = "Beleidsjaar (leeg = {jaar})", help: str = YEAR_HELP) -> Input:
    """A template's policy year: optional (empty: the current policy year of the data)."""
    return Input("in_jaar", label, "year", help, quantity="year", required=False)


def template_year(values: Mapping[str, Any]) -> int:
    """The policy year a template's inputs ask for: `in_jaar`, or the current one."""
    year: int | None = values.get("in_jaar")
    return current_year() if year is None else year


# --- the rule ----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Rule:
    """A purchasing rule: what every surface of the toolkit is made from (see the module docstring)."""

    number: int  # as SPEC and the handleiding number the rules
    name: str  # the module's name in toolkit/rules
    title: str  # Dutch
    topics: tuple[tuple[str, str], ...]  # (insurer, topic) of the parameter data it reads
    exports: tuple[str, ...]  # names `toolkit` exports from the rule's module
    functions: tuple[ExcelFunction, ...] = ()
    template: Template | None = None
    # Placeholders its texts use ({clienten_per_fte}), for a policy year: name -> Dutch text.
    phrases: Callable[[int], Mapping[str, str]] | None = None


__all__ = ["NOTHING_TYPED", "NOT_APPLICABLE", "PERCENT_HELP", "QUARTERS", "REQUIRED", "YEAR", "Argument", "ExcelError",
           "ExcelFunction", "Input", "Output", "Rule", "Template", "empty", "template_year", "year_input"]
