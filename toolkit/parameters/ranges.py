"""The plausible ranges of the policy values themselves (`data/ranges.yaml`): what a parameter overlay
(`--parameters DIR`) may set for a policy year. A threshold is a positive number of clients, a share a
fraction from 0 to 1, the claims year a few years before the policy year, a deadline within a few years of
it. A value outside is refused naming the file, parameter, year and range, before any rule divides by it
or compares with it. Every parameter of the bundled data has a range, and the bundled values lie inside
(a test checks both), so a new rule's topic needs its entry here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from ..numbers import Quantity, format_number
from .files import read_bundled_yaml, topic_files
from .plausible import quantities
from .schema import (
    Parameter,
    ParameterScalar,
    ParameterValue,
    _check_keys,
    _convert,
    _fail,
    _shown,
    _source,
    parse_topic,
)


@dataclass(frozen=True)
class DateWindow:
    """A date within `before` years before to `after` years after its policy year."""

    before: int
    after: int

    def fits(self, value: dt.date, year: int) -> bool:
        return year - self.before <= value.year <= year + self.after

    def range_text(self, year: int) -> str:
        return f"1-1-{year - self.before} t/m 31-12-{year + self.after}"


ValueRange = Any  # Quantity, DateWindow, or a dict of column name -> Quantity (a table)
_RANGE_KEYS = {"minimum", "maximum", "above_minimum"}


def _value_range(where: str, raw: Any, kind: str) -> ValueRange:
    if kind == "date":
        if not isinstance(raw, dict) or set(raw) != {"years_before", "years_after"} or not all(
                isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 10 for v in raw.values()):
            raise _fail(where, "een datum heeft years_before en years_after (0 t/m 10)")
        return DateWindow(raw["years_before"], raw["years_after"])
    if isinstance(raw, str):
        if raw not in quantities():
            raise _fail(where, f"bereik {_shown(raw)} staat niet in plausible.yaml")
        return quantities()[raw]
    if not isinstance(raw, dict) or not raw or not set(raw) <= _RANGE_KEYS:
        raise _fail(where, f"verwacht een bereik uit plausible.yaml of {', '.join(sorted(_RANGE_KEYS))}")
    bounds = [_convert(f"{where}: {key}", "decimal", raw.get(key)) for key in ("minimum", "maximum")]
    return Quantity(where, "number", where, bounds[0] if isinstance(bounds[0], Decimal) else None,
                    bounds[1] if isinstance(bounds[1], Decimal) else None, raw.get("above_minimum") is True)


@cache
def value_ranges() -> dict[tuple[str, str], ValueRange]:
    """(topic, parameter) -> the plausible range of its values, from `data/ranges.yaml`, checked against
    the bundled parameters (every parameter has one; a table's number columns each have one)."""
    relative = "ranges.yaml"
    data = read_bundled_yaml(relative)
    _check_keys(relative, data, {"source", "ranges"}, {"source", "ranges"})
    _source(f"{relative}: source", data["source"])
    topics = {name: parse_topic(f"{insurer}/{name}.yaml", read_bundled_yaml(f"{insurer}/{name}.yaml"))
              for insurer, name in topic_files()}
    _check_keys(f"{relative}: ranges", data["ranges"], set(topics), set(topics))
    result: dict[tuple[str, str], ValueRange] = {}
    for topic_name, entries in data["ranges"].items():
        topic = topics[topic_name]
        where = f"{relative}: {topic_name}"
        ranged = {name for name, parameter in topic.parameters.items() if parameter.type != "text"}  # no range: a text
        _check_keys(where, entries, ranged, ranged)
        for name, raw in entries.items():
            parameter = topic.parameters[name]
            pwhere = f"{where}: {name}"
            if parameter.type == "table":
                numeric = {c.name for c in parameter.columns if c.type in ("decimal", "integer")}
                _check_keys(pwhere, raw, numeric, numeric)
                result[topic_name, name] = {c: _value_range(f"{pwhere}: {c}", r, "decimal") for c, r in raw.items()}
            else:
                result[topic_name, name] = _value_range(pwhere, raw, parameter.type)
    return result


def check_range(where: str, topic: str, parameter: Parameter, year: int, value: ParameterValue) -> None:
    """ParameterDataError when `value` (of `parameter` for policy `year`) lies outside its plausible range;
    an empty value (no requirement that year) has none."""
    if parameter.type == "text":  # wording as the policy writes it: nothing to bound
        return
    allowed = value_ranges()[topic, parameter.name]
    if value is None:
        return
    if isinstance(value, tuple):
        for number, row in enumerate(value, start=1):
            for column, quantity in allowed.items():
                _check_value(f"{where}, rij {number}: {column}", quantity, year, row.get(column))
        return
    _check_value(where, allowed, year, value)


def _check_value(where: str, allowed: ValueRange, year: int, value: ParameterScalar) -> None:
    if value is None:
        return
    if isinstance(allowed, DateWindow):
        if isinstance(value, dt.date) and not allowed.fits(value, year):
            raise _fail(where, f"{value.isoformat()} ligt niet rond het beleidsjaar {year} (bereik "
                               f"{allowed.range_text(year)})")
        return
    if isinstance(value, Decimal | int) and not allowed.fits(value):
        low = None if allowed.minimum is None else format_number(allowed.minimum)
        high = None if allowed.maximum is None else format_number(allowed.maximum)
        bounds = [f"{'groter dan' if allowed.above_minimum else 'minstens'} {low}" if low is not None else "",
                  f"hoogstens {high}" if high is not None else ""]
        wanted = " en ".join(b for b in bounds if b)
        raise _fail(where, f"{format_number(value)} kan hier niet: de waarde moet {wanted} zijn")


__all__ = ["DateWindow", "check_range", "value_ranges"]
