"""The plausible ranges of typed inputs, as data (`data/plausible.yaml`): what anyone can mean by an index, a
share, hours per member per year (SPEC "Numbers as typed", plausible ranges). Not policy numbers: the bounds
of what a typed value can sensibly be, with the hint "bedoelt u 3 % (0,03)?" where a percentage typed as a
whole number is the likely slip. Every surface (the Python API, the Excel functions, fill, the templates'
data validation) reads them here, as `Quantity` objects (`toolkit.numbers`).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import cache
from typing import TypeGuard

from ..dates import dutch_date, read_date
from ..errors import InputError, ParameterDataError, show_value
from ..numbers import KINDS, Quantity
from .files import read_bundled_yaml

_QUANTITY_KEYS = {"reading", "label", "minimum", "maximum", "above_minimum", "percent_hint", "grouped",
                  "usual_minimum"}


@cache
def quantities() -> dict[str, Quantity]:
    """The plausible ranges of `parameters/data/plausible.yaml` (checked strictly: a typo fails loudly)."""
    relative = "plausible.yaml"
    data = read_bundled_yaml(relative)
    if not isinstance(data, dict) or set(data) != {"source", "quantities"} or not isinstance(data["quantities"], dict):
        raise ParameterDataError(f"{relative}: verwacht de sleutels 'source' en 'quantities'")
    result: dict[str, Quantity] = {}
    for name, spec in data["quantities"].items():
        if not isinstance(spec, dict) or not {"reading", "label"} <= set(spec) <= _QUANTITY_KEYS:
            raise ParameterDataError(f"{relative}: {name}: verwacht {sorted(_QUANTITY_KEYS)}")
        if spec["reading"] not in KINDS:
            raise ParameterDataError(f"{relative}: {name}: reading {spec['reading']!r} onbekend")
        bounds = {key: None if spec.get(key) is None else Decimal(str(spec[key]))
                  for key in ("minimum", "maximum", "usual_minimum")}
        result[str(name)] = Quantity(str(name), spec["reading"], str(spec["label"]), bounds["minimum"],
                                     bounds["maximum"], bool(spec.get("above_minimum", False)),
                                     bool(spec.get("percent_hint", False)), bool(spec.get("grouped", True)),
                                     bounds["usual_minimum"])
    return result


def quantity(name: str) -> Quantity:
    try:
        return quantities()[name]
    except KeyError:
        raise ParameterDataError(f"plausible.yaml: bereik '{name}' ontbreekt") from None


def is_year(value: object) -> TypeGuard[int]:
    """A whole number in the plausible range of years (`year` in plausible.yaml): the one bound of a year,
    in the parameter data, in a typed input and on a claim line."""
    year = quantity("year")
    return (isinstance(value, int) and not isinstance(value, bool) and year.minimum is not None
            and year.maximum is not None and year.minimum <= value <= year.maximum)


def year_bounds() -> tuple[int, int]:
    """(first, last) plausible year."""
    year = quantity("year")
    assert year.minimum is not None and year.maximum is not None  # plausible.yaml gives both
    return int(year.minimum), int(year.maximum)


def date_bounds() -> tuple[dt.date, dt.date]:
    """(1 January of the first plausible year, 31 December of the last): the plausible range of a typed date."""
    first, last = year_bounds()
    return dt.date(first, 1, 1), dt.date(last, 12, 31)


def plausible_date(value: object, field: str) -> dt.date:
    """A typed date, read by `toolkit.dates.read_date` (the one reading of a date), inside the plausible years;
    InputError naming `field` and the value otherwise."""
    day = read_date(value, field)
    first, last = date_bounds()
    if not first <= day <= last:
        raise InputError(f"{field}: {show_value(value)} valt buiten {dutch_date(first)} t/m {dutch_date(last)}",
                         field=field, value=value)
    return day


__all__ = ["date_bounds", "is_year", "plausible_date", "quantities", "quantity", "year_bounds"]
