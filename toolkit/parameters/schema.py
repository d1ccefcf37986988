"""The parameter data's shapes and their strict validation: a topic file (`data/<insurer>/<topic>.yaml`) is
parameters, each a list of values dated by policy year, each with its source. As in OpenFisca, every value is
dated and carries its source: the policy by its title and section ("CZ groep, Zorginkoopbeleid wijkverpleging
2027", "§ 2.3.2 …"), with the seed file as a second reference. A file that is not understood is refused, so a
typo in the data fails loudly at load time instead of silently changing a result. A year that the data does
not list raises `PolicyYearError` naming the years that are covered: the last known value is never reused.

Every message names the file and the key; a value or key from the file is quoted as a bounded excerpt, never
written out whole.
"""

from __future__ import annotations

import datetime as dt
import reprlib
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from ..errors import ParameterDataError, PolicyYearError
from .plausible import is_year

ParameterScalar = Decimal | int | dt.date | str | None
ParameterValue = ParameterScalar | tuple[Mapping[str, ParameterScalar], ...]

_TYPES = ("decimal", "integer", "date", "text", "table")
_TOPIC_KEYS = {"topic", "insurer", "description", "parameters"}
_PARAMETER_KEYS = {"label", "type", "unit", "values", "columns"}
_VALUE_KEYS = {"value", "source", "note"}
_SOURCE_KEYS = {"document", "section", "file"}
_COLUMN_KEYS = {"type", "choices"}


@dataclass(frozen=True)
class Source:
    document: str  # the policy by its title: "CZ groep, Zorginkoopbeleid wijkverpleging 2027"
    section: str  # "§ 2.3.2 Toegankelijkheid van zorg, 'Versnippering'"
    file: str | None = None  # the seed file beside SPEC.md, a second reference

    def __str__(self) -> str:
        return f"{self.document}, {self.section}"


@dataclass(frozen=True)
class DatedValue:
    year: int
    value: ParameterValue
    source: Source
    note: str | None = None


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Parameter:
    topic: str
    name: str
    label: str
    type: str
    unit: str
    values: Mapping[int, DatedValue]
    columns: tuple[Column, ...] = ()  # for type "table": the columns of each row
    topic_title: str = ""  # the topic's Dutch name, for messages (`Topic.title`)

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(sorted(self.values))

    def at(self, year: int) -> DatedValue:
        """The dated value for a policy year, or PolicyYearError naming the covered years."""
        if isinstance(year, bool) or not isinstance(year, int) or year not in self.values:
            raise PolicyYearError(f"{self.topic}.{self.name}", year, self.values,
                                  shown=f"{self.topic_title}: {self.label}" if self.topic_title else None)
        return self.values[year]

    def value(self, year: int) -> ParameterValue:
        return self.at(year).value


@dataclass(frozen=True)
class Topic:
    topic: str
    insurer: str
    description: str
    parameters: Mapping[str, Parameter]

    def __getitem__(self, name: str) -> Parameter:
        try:
            return self.parameters[name]
        except KeyError:
            raise ParameterDataError(f"parameter '{name}' ontbreekt in onderwerp '{self.topic}'") from None

    @property
    def title(self) -> str:
        """The topic's Dutch name: its description up to the dash ('Staffel aanvullende zorginkoop')."""
        return topic_title(self.description)

    @property
    def years(self) -> tuple[int, ...]:
        """Policy years every parameter of the topic covers."""
        sets = [set(p.values) for p in self.parameters.values()]
        return tuple(sorted(set.intersection(*sets))) if sets else ()

    def check_year(self, year: int) -> int:
        """`year` when every parameter of the topic covers it, else PolicyYearError naming the covered years."""
        if isinstance(year, bool) or not isinstance(year, int) or year not in self.years:
            raise PolicyYearError(self.topic, year, self.years, shown=self.title)
        return year

    def decimal(self, name: str, year: int) -> Decimal | None:
        value = self[name].value(year)
        if value is not None and not isinstance(value, Decimal):
            raise ParameterDataError(f"{self.topic}.{name} is geen decimaal getal")
        return value

    def require_decimal(self, name: str, year: int) -> Decimal:
        value = self.decimal(name, year)
        if value is None:
            raise ParameterDataError(f"{self.topic}.{name} heeft geen waarde voor {year}")
        return value

    def integer(self, name: str, year: int) -> int:
        value = self[name].value(year)
        if isinstance(value, bool) or not isinstance(value, int):
            raise ParameterDataError(f"{self.topic}.{name} heeft geen gehele waarde voor {year}")
        return value

    def date(self, name: str, year: int) -> dt.date:
        value = self[name].value(year)
        if not isinstance(value, dt.date):
            raise ParameterDataError(f"{self.topic}.{name} heeft geen datum voor {year}")
        return value

    def table(self, name: str, year: int) -> tuple[Mapping[str, ParameterScalar], ...]:
        value = self[name].value(year)
        if not isinstance(value, tuple):
            raise ParameterDataError(f"{self.topic}.{name} is geen tabel")
        return value


# --- validation of a topic file ---------------------------------------------------------------------------------------

def _fail(where: str, message: str) -> ParameterDataError:
    return ParameterDataError(f"{where}: {message}")


_EXCERPT = reprlib.Repr()
_EXCERPT.maxlevel, _EXCERPT.maxdict, _EXCERPT.maxlist, _EXCERPT.maxtuple, _EXCERPT.maxset = 2, 4, 4, 4, 4
_EXCERPT.maxstring = _EXCERPT.maxother = _EXCERPT.maxlong = 60


def _shown(value: Any) -> str:
    """A value or key from a parameter file inside a message: bounded (a nested list or a long text is cut
    short, never written out whole), as Python writes it (`'5'` is text, `5` a number)."""
    return _EXCERPT.repr(value)


def _key(key: Any) -> str:
    """A mapping key as a place in a message: a plain name as it is, anything else bounded."""
    return key if isinstance(key, str) and len(key) <= 60 and key.isprintable() else _shown(key)


def _check_keys(where: str, data: Any, allowed: set[str], required: set[str]) -> None:
    if not isinstance(data, dict):
        raise _fail(where, "verwacht een mapping")
    unknown = set(data) - allowed
    if unknown:
        raise _fail(where, f"onbekende sleutel(s) {', '.join(sorted(_shown(k) for k in unknown)[:10])}")
    missing = required - set(data)
    if missing:
        raise _fail(where, f"ontbrekende sleutel(s) {sorted(missing)}")


def _convert(where: str, kind: str, raw: Any) -> ParameterScalar:
    if raw is None:
        return None
    if kind == "decimal":
        if isinstance(raw, bool) or not isinstance(raw, int | float | str):
            raise _fail(where, f"{_shown(raw)} is geen getal")
        try:
            # str() of a YAML float gives its shortest repr ("0.9"), which is the decimal written.
            value = Decimal(str(raw))
        except InvalidOperation:
            # A Dutch spelling (3,5 or 75%): YAML is no spreadsheet, its numbers have a point and no unit.
            hint = (" (schrijf een getal in YAML met een punt en zonder %: 3.5 of 0.75)"
                    if isinstance(raw, str) and any(c in raw for c in ",%") else "")
            raise _fail(where, f"{_shown(raw)} is geen getal{hint}") from None
        if not value.is_finite() or (value and not -20 <= value.adjusted() <= 15):
            raise _fail(where, f"{_shown(raw)} is geen eindig getal van redelijke grootte")
        return value
    if kind == "integer":
        if isinstance(raw, bool) or not isinstance(raw, int) or abs(raw) > 10**15:
            raise _fail(where, f"{_shown(raw)} is geen geheel getal")
        return raw
    if kind == "date":
        if not isinstance(raw, dt.date) or isinstance(raw, dt.datetime):
            raise _fail(where, f"{_shown(raw)} is geen datum (JJJJ-MM-DD)")
        return raw
    if not isinstance(raw, str):
        raise _fail(where, f"{_shown(raw)} is geen tekst")
    return raw


def _source(where: str, raw: Any) -> Source:
    _check_keys(where, raw, _SOURCE_KEYS, {"document", "section"})
    for key, text in raw.items():
        if not isinstance(text, str) or not text.strip():
            raise _fail(f"{where}: {key}", "verwacht een niet-lege tekst")
    return Source(raw["document"], raw["section"], raw.get("file"))


def _columns(where: str, raw: Any) -> tuple[Column, ...]:
    if not isinstance(raw, dict) or not raw:
        raise _fail(where, "'columns' moet een niet-lege mapping van kolomnaam naar type zijn")
    columns = []
    for name, spec in raw.items():
        cwhere = f"{where}: columns: {_key(name)}"
        _check_keys(cwhere, spec, _COLUMN_KEYS, {"type"})
        if spec["type"] not in ("decimal", "integer", "date", "text"):
            raise _fail(cwhere, f"type {_shown(spec['type'])} onbekend")
        choices = spec.get("choices", [])
        if not isinstance(choices, list) or not all(isinstance(c, str) for c in choices):
            raise _fail(cwhere, "'choices' moet een lijst met teksten zijn")
        columns.append(Column(str(name), spec["type"], tuple(choices)))
    return tuple(columns)


def _table(where: str, columns: tuple[Column, ...], raw: Any) -> tuple[Mapping[str, ParameterScalar], ...]:
    if not isinstance(raw, list) or not raw:
        raise _fail(where, "een tabel is een niet-lege lijst met rijen")
    names = {c.name for c in columns}
    rows = []
    for i, row in enumerate(raw, start=1):
        rwhere = f"{where}, rij {i}"
        _check_keys(rwhere, row, names, names)
        converted: dict[str, ParameterScalar] = {}
        for column in columns:
            value = _convert(f"{rwhere}: {column.name}", column.type, row[column.name])
            if column.choices and value not in column.choices:
                raise _fail(f"{rwhere}: {column.name}",
                            f"{_shown(value)} is onbekend (verwacht {', '.join(column.choices)})")
            converted[column.name] = value
        rows.append(converted)
    return tuple(rows)


def _values(pwhere: str, kind: str, columns: tuple[Column, ...], raw: Any) -> dict[int, DatedValue]:
    if not isinstance(raw, dict) or not raw:
        raise _fail(pwhere, "'values' moet een niet-lege mapping van jaar naar waarde zijn")
    values: dict[int, DatedValue] = {}
    for year, entry in raw.items():
        vwhere = f"{pwhere}, {_key(year)}"
        if not is_year(year):
            typed = year.strip() if isinstance(year, str) else ""
            quoted = " zonder aanhalingstekens" if typed.isascii() and typed.isdigit() and is_year(int(typed)) else ""
            raise _fail(vwhere, f"het jaar moet een beleidsjaar zijn{quoted} (bijv. 2027)")
        _check_keys(vwhere, entry, _VALUE_KEYS, {"value", "source"})
        value: ParameterValue = (_table(vwhere, columns, entry["value"]) if kind == "table"
                                 else _convert(vwhere, kind, entry["value"]))
        note = entry.get("note")
        if note is not None and not isinstance(note, str):
            raise _fail(f"{vwhere}: note", "verwacht een tekst")
        if value is None and not note:
            raise _fail(vwhere, "een lege waarde (geen eis) moet een 'note' met de uitleg hebben")
        values[year] = DatedValue(year=year, value=value, source=_source(f"{vwhere}, source", entry["source"]),
                                  note=note)
    return values


def topic_title(description: str) -> str:
    """A topic's Dutch name: its description up to the dash."""
    return description.split(" — ")[0].strip()


def parse_topic(where: str, data: Any) -> Topic:
    """Validate one topic file's content and turn it into a `Topic`."""
    _check_keys(where, data, _TOPIC_KEYS, _TOPIC_KEYS)
    parameters: dict[str, Parameter] = {}
    if not isinstance(data["parameters"], dict) or not data["parameters"]:
        raise _fail(where, "'parameters' moet een niet-lege mapping zijn")
    for name, spec in data["parameters"].items():
        pwhere = f"{where}: {_key(name)}"
        _check_keys(pwhere, spec, _PARAMETER_KEYS, _PARAMETER_KEYS - {"columns"})
        kind = spec["type"]
        if kind not in _TYPES:
            raise _fail(pwhere, f"type {_shown(kind)} onbekend (verwacht {', '.join(_TYPES)})")
        if (kind == "table") != ("columns" in spec):
            raise _fail(pwhere, "'columns' hoort bij type 'table', en alleen daarbij")
        columns = _columns(pwhere, spec["columns"]) if kind == "table" else ()
        parameters[str(name)] = Parameter(
            topic=str(data["topic"]), name=str(name), label=str(spec["label"]), type=kind, unit=str(spec["unit"]),
            values=_values(pwhere, kind, columns, spec["values"]), columns=columns,
            topic_title=topic_title(str(data["description"])),
        )
    return Topic(topic=str(data["topic"]), insurer=str(data["insurer"]), description=str(data["description"]),
                 parameters=parameters)
