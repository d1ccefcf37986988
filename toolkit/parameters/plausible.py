"""The plausible ranges of typed inputs, as data (`data/plausible.yaml`): what anyone can mean by an index, a
share, hours per member per year (SPEC "Numbers as typed", plausible ranges). Not policy numbers: the bounds
of what a typed value can sensibly be, with the hint "bedoelt u 3 % (0,03)?" where a percentage typed as a
whole number is the likely slip. Every surface (the Python API, the Excel functions, fill, the templates'
data validation) reads them here, as `Quantity` objects (`toolkit.numbers`).
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from typing import TypeGuard

from ..errors import ParameterDataError
from ..numbers import KINDS, Quantity
from .files import read_bundled_yaml

_QUANTITY_KEYS = {"reading", "label", "minimum", "maximum", "above_minimum", "percent_hint", "grouped"}


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
        bounds = {key: None if spec.get(key) is None else Decimal(str(spec[key])) for key in ("minimum", "maximum")}
        result[str(name)] = Quantity(str(name), spec["reading"], str(spec["label"]), bounds["minimum"],
                                     bounds["maximum"], bool(spec.get("above_minimum", False)),
                                     bool(spec.get("percent_hint", False)), bool(spec.get("grouped", True)))
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


__all__ = ["is_year", "quantities", "quantity", "year_bounds"]
