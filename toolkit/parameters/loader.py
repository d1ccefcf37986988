"""Strict loader for the dated parameter data in `data/<insurer>/<topic>.yaml`.

As in OpenFisca, every value is dated (here: by policy year) and carries its source (document and
section). The loader refuses a file it does not understand, so a typo in the data fails loudly at
load time instead of silently changing a result. A year that the data does not list raises
`PolicyYearError` naming the years that are covered: the last known value is never reused.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib import resources
from typing import Any

import yaml

from ..errors import ParameterDataError, PolicyYearError

ParameterScalar = Decimal | int | dt.date | str | None

_TYPES = ("decimal", "integer", "date", "text")
_TOPIC_KEYS = {"topic", "insurer", "description", "parameters"}
_PARAMETER_KEYS = {"label", "type", "unit", "values"}
_VALUE_KEYS = {"value", "source", "note"}
_SOURCE_KEYS = {"document", "section"}


@dataclass(frozen=True)
class Source:
    document: str
    section: str

    def __str__(self) -> str:
        return f"{self.document}, {self.section}"


@dataclass(frozen=True)
class DatedValue:
    year: int
    value: ParameterScalar
    source: Source
    note: str | None = None


@dataclass(frozen=True)
class Parameter:
    topic: str
    name: str
    label: str
    type: str
    unit: str
    values: Mapping[int, DatedValue]

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(sorted(self.values))

    def at(self, year: int) -> DatedValue:
        """The dated value for a policy year, or PolicyYearError naming the covered years."""
        if isinstance(year, bool) or not isinstance(year, int) or year not in self.values:
            raise PolicyYearError(f"{self.topic}.{self.name}", year, self.values)
        return self.values[year]

    def value(self, year: int) -> ParameterScalar:
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
    def years(self) -> tuple[int, ...]:
        """Policy years every parameter of the topic covers."""
        sets = [set(p.values) for p in self.parameters.values()]
        return tuple(sorted(set.intersection(*sets))) if sets else ()

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
        if not isinstance(value, int):
            raise ParameterDataError(f"{self.topic}.{name} heeft geen gehele waarde voor {year}")
        return value

    def date(self, name: str, year: int) -> dt.date:
        value = self[name].value(year)
        if not isinstance(value, dt.date):
            raise ParameterDataError(f"{self.topic}.{name} heeft geen datum voor {year}")
        return value


def _fail(where: str, message: str) -> ParameterDataError:
    return ParameterDataError(f"{where}: {message}")


def _check_keys(where: str, data: Any, allowed: set[str], required: set[str]) -> None:
    if not isinstance(data, dict):
        raise _fail(where, "verwacht een mapping")
    unknown = set(data) - allowed
    if unknown:
        raise _fail(where, f"onbekende sleutel(s) {sorted(map(str, unknown))}")
    missing = required - set(data)
    if missing:
        raise _fail(where, f"ontbrekende sleutel(s) {sorted(missing)}")


def _convert(where: str, kind: str, raw: Any) -> ParameterScalar:
    if raw is None:
        return None
    if kind == "decimal":
        if isinstance(raw, bool) or not isinstance(raw, int | float | str):
            raise _fail(where, f"{raw!r} is geen getal")
        try:
            # str() of a YAML float gives its shortest repr ("0.9"), which is the decimal written.
            value = Decimal(str(raw))
        except InvalidOperation:
            raise _fail(where, f"{raw!r} is geen getal") from None
        if not value.is_finite():
            raise _fail(where, f"{raw!r} is geen eindig getal")
        return value
    if kind == "integer":
        if isinstance(raw, bool) or not isinstance(raw, int):
            raise _fail(where, f"{raw!r} is geen geheel getal")
        return raw
    if kind == "date":
        if not isinstance(raw, dt.date):
            raise _fail(where, f"{raw!r} is geen datum (JJJJ-MM-DD)")
        return raw
    if not isinstance(raw, str):
        raise _fail(where, f"{raw!r} is geen tekst")
    return raw


def parse_topic(where: str, data: Any) -> Topic:
    """Validate one topic file's content and turn it into a `Topic`."""
    _check_keys(where, data, _TOPIC_KEYS, _TOPIC_KEYS)
    parameters: dict[str, Parameter] = {}
    if not isinstance(data["parameters"], dict) or not data["parameters"]:
        raise _fail(where, "'parameters' moet een niet-lege mapping zijn")
    for name, spec in data["parameters"].items():
        pwhere = f"{where}: {name}"
        _check_keys(pwhere, spec, _PARAMETER_KEYS, _PARAMETER_KEYS)
        kind = spec["type"]
        if kind not in _TYPES:
            raise _fail(pwhere, f"type {kind!r} onbekend (verwacht {', '.join(_TYPES)})")
        if not isinstance(spec["values"], dict) or not spec["values"]:
            raise _fail(pwhere, "'values' moet een niet-lege mapping van jaar naar waarde zijn")
        values: dict[int, DatedValue] = {}
        for year, entry in spec["values"].items():
            vwhere = f"{pwhere}, {year}"
            if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100:
                raise _fail(vwhere, "het jaar moet een beleidsjaar zijn (bijv. 2027)")
            _check_keys(vwhere, entry, _VALUE_KEYS, {"value", "source"})
            _check_keys(f"{vwhere}, source", entry["source"], _SOURCE_KEYS, _SOURCE_KEYS)
            value = _convert(vwhere, kind, entry["value"])
            note = entry.get("note")
            if value is None and not note:
                raise _fail(vwhere, "een lege waarde (geen eis) moet een 'note' met de uitleg hebben")
            values[year] = DatedValue(
                year=year,
                value=value,
                source=Source(str(entry["source"]["document"]), str(entry["source"]["section"])),
                note=note,
            )
        parameters[name] = Parameter(
            topic=str(data["topic"]),
            name=name,
            label=str(spec["label"]),
            type=kind,
            unit=str(spec["unit"]),
            values=values,
        )
    return Topic(
        topic=str(data["topic"]),
        insurer=str(data["insurer"]),
        description=str(data["description"]),
        parameters=parameters,
    )


# libyaml's safe loader when PyYAML was built with it: the same documents, read about 8x faster
# (every command reads a few parameter files at start-up).
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _data_root() -> Any:
    return resources.files("toolkit.parameters").joinpath("data")


def _read_yaml(relative: str) -> Any:
    path = _data_root().joinpath(relative)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ParameterDataError(f"parameterbestand {relative} ontbreekt") from None
    try:
        return yaml.load(text, Loader=_SAFE_LOADER)
    except yaml.YAMLError as exc:
        raise ParameterDataError(f"{relative}: geen geldige YAML ({exc})") from None


@cache
def load_topic(insurer: str, topic: str) -> Topic:
    """Load `data/<insurer>/<topic>.yaml` (cached: the data ships with the package)."""
    relative = f"{insurer}/{topic}.yaml"
    parsed = parse_topic(relative, _read_yaml(relative))
    if parsed.topic != topic:
        raise ParameterDataError(f"{relative}: 'topic' is {parsed.topic!r}, verwacht {topic!r}")
    return parsed


TOPIC_FILES: tuple[tuple[str, str], ...] = (
    ("cz", "client_area_ratio"),
    ("cz", "staffel"),
    ("cz", "cooperative"),
    ("nza", "nachtzorg"),
)


def all_parameters() -> Iterator[Parameter]:
    """Every parameter of every topic, for the templates' `Bronnen` sheet."""
    for insurer, topic in TOPIC_FILES:
        yield from load_topic(insurer, topic).parameters.values()


@dataclass(frozen=True)
class InsurerGroup:
    key: str
    name: str
    labels: tuple[str, ...]
    uzovi: tuple[str, ...]


@dataclass(frozen=True)
class InsurerList:
    groups: Mapping[str, InsurerGroup]
    source: Source


@cache
def load_insurers() -> InsurerList:
    relative = "market/insurers.yaml"
    data = _read_yaml(relative)
    _check_keys(relative, data, {"groups", "source"}, {"groups", "source"})
    _check_keys(f"{relative}: source", data["source"], _SOURCE_KEYS, _SOURCE_KEYS)
    groups: dict[str, InsurerGroup] = {}
    for key, spec in data["groups"].items():
        where = f"{relative}: {key}"
        _check_keys(where, spec, {"name", "labels", "uzovi"}, {"name", "labels", "uzovi"})
        if not isinstance(spec["labels"], list) or not isinstance(spec["uzovi"], list):
            raise _fail(where, "'labels' en 'uzovi' moeten lijsten zijn")
        for code in spec["uzovi"]:
            if not (isinstance(code, str) and code.isdigit() and len(code) == 4):
                raise _fail(where, f"UZOVI-code {code!r} moet 4 cijfers zijn, als tekst")
        groups[str(key)] = InsurerGroup(
            key=str(key),
            name=str(spec["name"]),
            labels=tuple(str(label) for label in spec["labels"]),
            uzovi=tuple(spec["uzovi"]),
        )
    seen: dict[str, str] = {}
    for group in groups.values():
        for label in (*group.labels, *group.uzovi):
            key = " ".join(label.split()).casefold()
            if key in seen:
                raise _fail(relative, f"'{label}' staat bij zowel '{seen[key]}' als '{group.key}'")
            seen[key] = group.key
    if "cz" not in groups:
        raise _fail(relative, "de groep 'cz' ontbreekt")
    return InsurerList(groups, Source(str(data["source"]["document"]), str(data["source"]["section"])))
