"""The templates as the workbook code uses them: every rule's `Template` (its `in_*` and `out_*` names and
Python engine, declared in `toolkit/rules/<rule>/template.py`) with its texts rendered for the parameter
data in force, and the one reading of a typed input cell (`convert`).

`build.py` lays the names out and writes the template's Excel formulas (`formulas/<template>.py`, the
second, independent implementation); `fill.py` converts rows of an INPUTS file with `convert()` and writes
them into the input cells; `Template.compute()` gives the outputs the Python rules compute, for `summary`,
for the cached values of a filled workbook, for `zorginkoop check` and the recalculation tests.

Labels and help texts name policy numbers through `{placeholders}` (`toolkit.rules.phrases`), and number
inputs carry the plausible range of their quantity: every text follows the parameter data in force,
overlay included. `SPECS` is built for the data in force when it is read.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import replace
from functools import cache
from typing import Any

from ..choices import dutch_words, yes_no
from ..errors import InputError, relabel, show_value
from ..parameters import ParameterSet, active, plausible_date
from ..rules import RULES
from ..rules.declaration import NOT_APPLICABLE, NOTHING_TYPED, Input, Output, Template, empty
from ..rules.phrases import render

# Characters XML 1.0 cannot hold: text with them cannot be written into a workbook at all.
XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Dutch names of the kinds of input, as `describe` shows them.
KIND_NAMES = {"money": "bedrag", "count": "aantal", "fraction": "fractie", "number": "getal", "flag": "ja/nee",
              "choice": "keuze", "score": "keuze", "postcode": "tekst", "year": "jaar", "date": "datum"}


def kind_name(spec: Input) -> str:
    """bedrag, aantal, fractie, ja/nee, keuze, tekst: for `describe`."""
    measure = spec.measure
    return KIND_NAMES[measure.reading if measure and spec.kind == "number" else spec.kind]


def convert(spec: Input, value: object, *, where: str = "", label: str | None = None) -> Any:
    """One cell of input as the template and the rules take it; InputError names `where` and the value
    (or `label`, for the cell as its user named it: a column header as written in an INPUTS file).

    Numbers are read by `toolkit.numbers` (the one reading of typed numbers) and checked against the
    plausible range of their quantity; choices become the Dutch word of the template's dropdown; flags
    'ja'/'nee' (an empty flag stays None: nee, and nothing typed); scores A/B/C or None; postcodes stay
    text (the ratio rule reads them); dates become a `datetime.date` by `toolkit.dates.read_date` (15-01-2027,
    2027-01-15, a date cell, an Excel serial), inside the plausible years.
    """
    label = label or f"{where}{spec.column}"
    if isinstance(value, str) and XML_INVALID.search(value):
        raise InputError(f"{label}: {show_value(value)} bevat een teken dat niet in een werkmap kan",
                         field=spec.column, value=value)
    if empty(value):
        if spec.required and not spec.rows and spec.kind != "flag":
            raise InputError(f"{label}: waarde ontbreekt", field=spec.column, value=value)
        return None
    kind = spec.kind
    if kind in {"number", "year"}:
        if isinstance(value, bool):
            raise InputError(f"{label}: {show_value(value)} is geen getal", field=spec.column, value=value)
        measure = spec.measure
        assert measure is not None, spec.name  # a spec mistake, not user input
        try:
            return measure.read(value, label)
        except InputError as err:
            raise InputError(str(err), field=spec.column, value=value) from None
    if kind == "date":
        try:
            return plausible_date(value, label)
        except InputError as err:
            raise InputError(str(err), field=spec.column, value=value) from None
    text = value.strip() if isinstance(value, str) else None
    if kind == "choice":
        canonical = dutch_words(spec.vocabulary).get(spec.vocabulary.get((text or "").lower(), ""))
        if canonical is None:
            raise InputError(f"{label}: {show_value(value)} is onbekend (verwacht {' of '.join(spec.choices)})",
                             field=spec.column, value=value)
        return canonical
    if kind == "flag":
        flag = yes_no(value)
        if flag is None:
            raise InputError(f"{label}: {show_value(value)} is geen ja/nee", field=spec.column, value=value)
        return "ja" if flag else "nee"
    if kind == "score":
        if text is None or text.upper() not in {"A", "B", "C"}:
            raise InputError(f"{label}: score {show_value(value)} is onbekend (verwacht A, B, C of leeg)",
                             field=spec.column, value=value)
        return text.upper()
    if kind == "postcode":
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        if text is None:
            raise InputError(f"{label}: {show_value(value)} is geen postcode", field=spec.column, value=value)
        return text
    raise ValueError(f"onbekende soort invoer {kind!r}")  # a spec mistake, not user input


def _rendered(template: Template) -> Template:
    return replace(
        template, title=render(template.title), purpose=render(template.purpose), reading=render(template.reading),
        inputs=tuple(replace(i, label=render(i.label), help=render(i.help)) for i in template.inputs),
        outputs=tuple(replace(o, label=render(o.label), help=render(o.help)) for o in template.outputs),
    )


@cache  # by the parameter set itself (as `phrases`): one loaded anew is never taken for the old one
def _specs_for(_data: ParameterSet) -> dict[str, Template]:
    return {rule.template.name: _rendered(rule.template) for rule in RULES.values() if rule.template}


class _Specs(Mapping[str, Template]):
    """The templates for the parameter data in force (rebuilt when the overlay changes)."""

    def _current(self) -> dict[str, Template]:
        return _specs_for(active())

    def __getitem__(self, name: str) -> Template:
        return self._current()[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._current())

    def __len__(self) -> int:
        return len(self._current())


SPECS: Mapping[str, Template] = _Specs()


def located(err: InputError, spec: Template) -> str:
    """A rule's message with the input's column name instead of the rule's English field."""
    field_name = getattr(err, "field", None)
    if isinstance(field_name, str) and field_name in spec.rule_fields:
        return relabel(err, f"kolom '{spec.rule_fields[field_name]}'")
    return str(err)


__all__ = ["KIND_NAMES", "NOTHING_TYPED", "NOT_APPLICABLE", "SPECS", "XML_INVALID", "Input", "Output", "Template",
           "convert", "kind_name", "located"]
