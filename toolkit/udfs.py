"""The rules as Excel functions, for classic xlwings (Windows) and xlwings Lite (Excel on the web, Mac).

Classic: `UDF Modules = toolkit.udfs` in the workbook's xlwings.conf sheet, then "Import Functions".
Lite: `workbooks/lite/main.py` carries this module and the rules in one generated file.

Every function is made here from a rule's declaration (`ExcelFunction` in `toolkit/rules/<rule>/excel.py`):
its name, its Dutch arguments and help, and what it computes. A function only converts what Excel sends
(ranges as lists, empty cells as None, every number as a float, error cells as text) by the reading each
argument declares, and calls the rule; text numbers ('450.000', '12,5', '85%') are read by the rules
themselves through `toolkit.numbers`, so a cell gives the same value as the Python API.

Why the shape is unusual:
- No type annotations on the functions themselves: xlwings reads them as converters.
- Positional arguments with Python defaults, which both runtimes turn into optional Excel arguments.
- Every function whose answer depends on the policy year takes an optional last argument `jaar`
  (empty: the current policy year of the parameter data); a year the data does not cover gives the
  Dutch year error in the cell, never another year's answer.
- Help texts name policy numbers through placeholders filled from the parameter data when the module
  is imported (`toolkit.rules.phrases`), never as typed literals.
- Errors never escape as a traceback: a `ToolkitError` becomes a short Dutch text in the cell that
  starts with the Dutch Excel error name (`#WAARDE! …`), the same on both runtimes (classic xlwings
  turns a returned NaN into an empty cell, so a real error value cannot be relied on there).
- `err_to_str=True` on every argument (`excel_function`): otherwise classic xlwings hands an error cell (#N/B) over as
  None, and it would be skipped like an empty cell instead of being reported.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from xlwings import arg, func

from .choices import yes_no
from .errors import DUTCH_EXCEL_ERRORS, InputError, ToolkitError, relabel, show_value
from .rules import RULES
from .rules.declaration import REQUIRED, Argument, ExcelError, ExcelFunction
from .rules.phrases import render

VALUE_ERROR = "#WAARDE!"
NUMBER_ERROR = "#GETAL!"
DIV0_ERROR = "#DEEL/0!"

# Excel error values as xlwings hands them over with err_to_str (English) or as typed by a Dutch user.
_EXCEL_ERRORS = frozenset({*DUTCH_EXCEL_ERRORS, *DUTCH_EXCEL_ERRORS.values(), "#GETTING_DATA", "#SPILL!", "#CALC!"})

# The rules name their fields in English; a cell's message uses the name of the Excel argument that fed the
# field (each argument declares its `field`). A postcode in a row's message reads better singular.
_COMMON_FIELDS = {"postcodes": "postcode", "areas": "postcodes", "year": "jaar"}
_ERROR_CODES = {"div0": DIV0_ERROR, "number": NUMBER_ERROR, "value": VALUE_ERROR}


# --- conversion helpers (typed; the public functions below stay unannotated for xlwings) -------------

def _cell_message(err: ToolkitError, fields: Mapping[str, str]) -> str:
    field = getattr(err, "field", None)
    message = str(err)
    if isinstance(field, str):
        base, _, place = field.partition(" ")  # a field with its place in a range: 'monthly_production maand 1'
        if field in fields:
            message = relabel(err, fields[field])
        elif base in fields:
            message = relabel(err, f"{fields[base]} {place}")
    return f"{VALUE_ERROR} {message}"


def _in_cell(compute: Callable[[], Any], fields: Mapping[str, str]) -> Any:
    """Run one Excel function: a ToolkitError becomes its Dutch message, never a traceback."""
    try:
        return compute()
    except ToolkitError as err:
        return _cell_message(err, fields)
    except Exception as err:  # a bug in the toolkit: still no traceback in the spreadsheet
        return f"{VALUE_ERROR} interne fout in de toolkit ({type(err).__name__}: {str(err)[:120]})"


def _is_empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def _check_not_error(value: object, name: str, row: int | None = None) -> None:
    if isinstance(value, str) and value.strip().upper() in _EXCEL_ERRORS:
        where = f" in rij {row}" if row is not None else ""
        raise InputError(f"{name}{where} bevat de Excel-fout {value.strip()}", field=name, value=value, row=row)


def _cells(value: object, name: str) -> list[Any]:
    """A range as one flat list, row by row: a cell, a row, a column or a 2-D block all work. Error
    cells are reported with their position; the rules see the rest, empty cells as None."""
    if isinstance(value, list | tuple):
        cells = [cell for line in value for cell in line] if value and isinstance(value[0], list | tuple) \
            else list(value)
    elif type(value).__module__ == "numpy" and hasattr(value, "ravel"):  # a NumPy array (xlwings' converter)
        cells = list(value.ravel())
    else:
        cells = [value]
    if str in set(map(type, cells)):
        for row, cell in enumerate(cells, start=1):
            _check_not_error(cell, name, row)
    return [None if _is_empty(cell) else cell for cell in cells]


def _value(value: object, name: str) -> Any:
    """One cell as the rule takes it: None when empty, an error cell reported, a range where one cell belongs
    refused in words (not as Python's list), anything else as it is."""
    if isinstance(value, list | tuple):
        cells = _cells(value, name)
        if len(cells) == 1:  # a range of one cell is that cell
            return _value(cells[0], name)
        raise InputError(f"{name}: een bereik van {len(cells)} cellen waar één cel hoort", field=name,
                         value=f"{len(cells)} cellen")
    if _is_empty(value):
        return None
    _check_not_error(value, name)
    return value


def _required(value: object, name: str) -> Any:
    result = _value(value, name)
    if result is None:
        raise InputError(f"{name}: waarde ontbreekt", field=name, value=value)
    return result


def _flag(value: object, name: str) -> bool:
    """ja/nee, WAAR/ONWAAR, TRUE/FALSE, 1/0; an empty cell is nee."""
    if isinstance(value, list | tuple):  # a range of one cell is that cell; of more, refused in words
        value = _value(value, name)
    if _is_empty(value):
        return False
    _check_not_error(value, name)
    flag = yes_no(value)
    if flag is None:
        raise InputError(f"{name}: {show_value(value)} is geen ja/nee", field=name, value=value)
    return flag


def _text(value: object, name: str, default: str) -> str:
    result = _value(value, name)
    if result is None:
        return default
    if not isinstance(result, str):
        raise InputError(f"{name}: {show_value(value)} is geen tekst", field=name, value=value)
    return result


def _score(value: object, name: str) -> Any:
    result = _value(value, name)
    if result is None or isinstance(result, str):
        return result
    raise InputError(f"{name}: score {show_value(value)} is onbekend (verwacht A, B, C of leeg)",
                     field=name, value=value)


def _months(value: object, name: str) -> list[Any] | None:
    """A range of monthly amounts; None when every cell is empty (an optional range left out)."""
    cells = _cells(value, name)
    return None if all(cell is None for cell in cells) else cells


def _period(value: object, name: str) -> Any:
    """One cell (the year) or a range of up to four quarters."""
    cells = _cells(value, name)
    return cells[0] if len(cells) == 1 else cells


def _excel_number(value: Decimal | float | int) -> float | str:
    """A result as an Excel number; a non-finite one (an overflowing amount) as #GETAL!."""
    number = float(value)
    if not math.isfinite(number):
        return f"{NUMBER_ERROR} uitkomst is geen eindig getal"
    return number


# How each declared reading takes a cell (`Argument.reading`).
_READINGS: dict[str, Callable[[object, Argument], Any]] = {
    "value": lambda value, a: _value(value, a.name),
    "required": lambda value, a: _required(value, a.name),
    "cells": lambda value, a: _cells(value, a.name),
    "months": lambda value, a: _months(value, a.name),
    "period": lambda value, a: _period(value, a.name),
    "flag": lambda value, a: _flag(value, a.name),
    "score": lambda value, a: _score(value, a.name),
    "text": lambda value, a: _text(value, a.name, a.default),
}


def _cell_result(result: Any) -> Any:
    """What a rule gives, as the cell shows it: numbers as Excel numbers, an ExcelError as its Dutch code, a date
    as a `datetime.date`: classic xlwings passes that to Excel as a date value, xlwings Lite as the date's serial
    number with the workbook's date format (a "FormattedNumber"), so both show a date, not a bare number."""
    if isinstance(result, ExcelError):
        return f"{_ERROR_CODES[result.kind]} {result.reason}"
    if isinstance(result, dt.date):
        return result.date() if isinstance(result, dt.datetime) else result
    if isinstance(result, bool | str) or (isinstance(result, int) and abs(result) < 2**53):
        return result
    return _excel_number(result)


def _defined(name: str, arguments: tuple[Argument, ...], call: Callable[[tuple[Any, ...]], Any]) -> Any:
    """A plain function `name(arg, …, optional=default)` that hands its arguments to `call`: both xlwings
    runtimes read a function's own parameters (its code object, not `__signature__`), to name the Excel
    arguments and to know which are optional. The names are the declarations' (identifiers, checked)."""
    for argument in arguments:
        assert argument.name.isidentifier() and not argument.name.startswith("_"), argument.name
    assert name.isidentifier(), name
    parameters = ", ".join(a.name if a.default is REQUIRED else f"{a.name}=_defaults[{i}]"
                           for i, a in enumerate(arguments))
    source = f"def {name}({parameters}):\n    return _call(({''.join(a.name + ', ' for a in arguments)}))\n"
    namespace: dict[str, Any] = {"_call": call, "_defaults": [a.default for a in arguments]}
    exec(compile(source, f"<zorginkoop {name}>", "exec"), namespace)
    return namespace[name]


def excel_function(declared: ExcelFunction) -> Callable[..., Any]:
    """The Excel function of a declaration: the signature xlwings reads (Dutch argument names, Python defaults
    for optional arguments), the Dutch help rendered with the parameter data in force, each argument read as
    declared, and every error a Dutch message in the cell.

    The help texts are also kept on the function (`__arg_docs__`) for docs/functies.md, because on Linux
    xlwings' decorators are no-ops and keep nothing."""
    arguments = declared.arguments
    fields = {**_COMMON_FIELDS, **{a.field: a.name for a in arguments if a.field}}

    def call(values: tuple[Any, ...]) -> Any:
        def compute() -> Any:
            read = {a.name: _READINGS[a.reading](value, a) for a, value in zip(arguments, values, strict=True)}
            return _cell_result(declared.compute(**read))
        return _in_cell(compute, fields)

    function = _defined(declared.name, arguments, call)
    function.__module__ = __name__
    function.__doc__ = _help(declared.description)
    rendered = {a.name: _help(a.help) for a in arguments}
    decorated: Any = function
    for name, doc in rendered.items():
        decorated = arg(name, doc=doc, err_to_str=True)(decorated)
    decorated = func(decorated)
    decorated.__arg_docs__ = rendered
    return decorated  # type: ignore[no-any-return]


def _help(text: str) -> str:
    """A help text with the numbers of the parameter data in force. Parameter data that cannot be read (a
    broken overlay) must not keep the functions from loading: each one then says why in its cell, and
    the help shows "…" where a number would be."""
    try:
        return render(text)
    except ToolkitError:
        return text.format_map(_Unknown())


class _Unknown(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "…"


# The functions of every rule, in the rules' order; module attributes, so that xlwings finds them by name.
FUNCTIONS = tuple(excel_function(declared) for rule in RULES.values() for declared in rule.functions)
globals().update({function.__name__: function for function in FUNCTIONS})

__all__ = [f.__name__ for f in FUNCTIONS]
