"""Strict loader for the dated parameter data in `data/<insurer>/<topic>.yaml`, and the user's overlay.

As in OpenFisca, every value is dated (here: by policy year) and carries its source: the policy by its
title and section ("CZ groep, Zorginkoopbeleid wijkverpleging 2027", "§ 2.3.2 …"), with the seed file
as a second reference. The loader refuses a file it does not understand, so a typo in the data fails
loudly at load time instead of silently changing a result. A year that the data does not list raises
`PolicyYearError` naming the years that are covered: the last known value is never reused.

The policy year that applies when none is given is one field of the data (`data/policy.yaml`), not a
constant in code.

Overlay: `ZORGINKOOP_PARAMETERS=DIR` (the CLI's `--parameters DIR` sets it) adds or overrides policy
years from YAML files laid out like `data/` (`DIR/cz/staffel.yaml`, `DIR/policy.yaml`, …), so a finance
team can add 2028 the day the policy appears. An overlay file is validated as strictly as the bundled
data; it may leave out what it does not change (a parameter's label, type and unit, whole parameters),
and every error names the overlay file and key. The environment variable is read on every use, so
worker processes and a test that sets it follow it.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

from ..errors import InputError, ParameterDataError, PolicyYearError
from .files import read_bundled_yaml, topic_files, yaml_errors, yaml_load
from .plausible import is_year, quantity

ParameterScalar = Decimal | int | dt.date | str | None
ParameterValue = ParameterScalar | tuple[Mapping[str, ParameterScalar], ...]

OVERLAY_VARIABLE = "ZORGINKOOP_PARAMETERS"
_TYPES = ("decimal", "integer", "date", "text", "table")
_TOPIC_KEYS = {"topic", "insurer", "description", "parameters"}
_PARAMETER_KEYS = {"label", "type", "unit", "values", "columns"}
_VALUE_KEYS = {"value", "source", "note"}
_SOURCE_KEYS = {"document", "section", "file"}
_COLUMN_KEYS = {"type", "choices"}
_POLICY_KEYS = {"current_year", "source"}
MAX_OVERLAY_BYTES = 1 << 20  # an overlay file is a few kilobytes; a larger one is not a parameter file


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

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(sorted(self.values))

    def at(self, year: int) -> DatedValue:
        """The dated value for a policy year, or PolicyYearError naming the covered years."""
        if isinstance(year, bool) or not isinstance(year, int) or year not in self.values:
            raise PolicyYearError(f"{self.topic}.{self.name}", year, self.values)
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
    def years(self) -> tuple[int, ...]:
        """Policy years every parameter of the topic covers."""
        sets = [set(p.values) for p in self.parameters.values()]
        return tuple(sorted(set.intersection(*sets))) if sets else ()

    def check_year(self, year: int) -> int:
        """`year` when every parameter of the topic covers it, else PolicyYearError naming the covered years."""
        if isinstance(year, bool) or not isinstance(year, int) or year not in self.years:
            raise PolicyYearError(self.topic, year, self.years)
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


# --- validation ---------------------------------------------------------------------------------------

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
        if not value.is_finite() or (value and not -20 <= value.adjusted() <= 15):
            raise _fail(where, f"{raw!r} is geen eindig getal van redelijke grootte")
        return value
    if kind == "integer":
        if isinstance(raw, bool) or not isinstance(raw, int) or abs(raw) > 10**15:
            raise _fail(where, f"{raw!r} is geen geheel getal")
        return raw
    if kind == "date":
        if not isinstance(raw, dt.date) or isinstance(raw, dt.datetime):
            raise _fail(where, f"{raw!r} is geen datum (JJJJ-MM-DD)")
        return raw
    if not isinstance(raw, str):
        raise _fail(where, f"{raw!r} is geen tekst")
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
        cwhere = f"{where}: columns: {name}"
        _check_keys(cwhere, spec, _COLUMN_KEYS, {"type"})
        if spec["type"] not in ("decimal", "integer", "date", "text"):
            raise _fail(cwhere, f"type {spec['type']!r} onbekend")
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
                raise _fail(f"{rwhere}: {column.name}", f"{value!r} is onbekend (verwacht {', '.join(column.choices)})")
            converted[column.name] = value
        rows.append(converted)
    return tuple(rows)


def _values(pwhere: str, kind: str, columns: tuple[Column, ...], raw: Any) -> dict[int, DatedValue]:
    if not isinstance(raw, dict) or not raw:
        raise _fail(pwhere, "'values' moet een niet-lege mapping van jaar naar waarde zijn")
    values: dict[int, DatedValue] = {}
    for year, entry in raw.items():
        vwhere = f"{pwhere}, {year}"
        if not is_year(year):
            raise _fail(vwhere, "het jaar moet een beleidsjaar zijn (bijv. 2027)")
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


def parse_topic(where: str, data: Any) -> Topic:
    """Validate one topic file's content and turn it into a `Topic`."""
    _check_keys(where, data, _TOPIC_KEYS, _TOPIC_KEYS)
    parameters: dict[str, Parameter] = {}
    if not isinstance(data["parameters"], dict) or not data["parameters"]:
        raise _fail(where, "'parameters' moet een niet-lege mapping zijn")
    for name, spec in data["parameters"].items():
        pwhere = f"{where}: {name}"
        _check_keys(pwhere, spec, _PARAMETER_KEYS, _PARAMETER_KEYS - {"columns"})
        kind = spec["type"]
        if kind not in _TYPES:
            raise _fail(pwhere, f"type {kind!r} onbekend (verwacht {', '.join(_TYPES)})")
        if (kind == "table") != ("columns" in spec):
            raise _fail(pwhere, "'columns' hoort bij type 'table', en alleen daarbij")
        columns = _columns(pwhere, spec["columns"]) if kind == "table" else ()
        parameters[str(name)] = Parameter(
            topic=str(data["topic"]), name=str(name), label=str(spec["label"]), type=kind, unit=str(spec["unit"]),
            values=_values(pwhere, kind, columns, spec["values"]), columns=columns,
        )
    return Topic(topic=str(data["topic"]), insurer=str(data["insurer"]), description=str(data["description"]),
                 parameters=parameters)


def _overlay_topic(where: str, data: Any, base: Topic) -> Topic:
    """`base` with the years of an overlay file added or replaced; the overlay may leave out what it keeps."""
    _check_keys(where, data, _TOPIC_KEYS, {"topic", "parameters"})
    if data["topic"] != base.topic:
        raise _fail(f"{where}: topic", f"{data['topic']!r}, verwacht {base.topic!r}")
    if not isinstance(data["parameters"], dict) or not data["parameters"]:
        raise _fail(where, "'parameters' moet een niet-lege mapping zijn")
    parameters = dict(base.parameters)
    for name, spec in data["parameters"].items():
        pwhere = f"{where}: {name}"
        if name not in base.parameters:
            raise _fail(pwhere, f"onbekende parameter (bekend: {', '.join(base.parameters)})")
        known = base.parameters[name]
        _check_keys(pwhere, spec, _PARAMETER_KEYS, {"values"})
        if spec.get("type", known.type) != known.type:
            raise _fail(f"{pwhere}: type", f"{spec['type']!r}, verwacht {known.type!r}")
        if "columns" in spec and _columns(pwhere, spec["columns"]) != known.columns:
            raise _fail(f"{pwhere}: columns", "de kolommen wijken af van de meegeleverde gegevens")
        for key in ("label", "unit"):
            if key in spec and (not isinstance(spec[key], str) or not spec[key].strip()):
                raise _fail(f"{pwhere}: {key}", "verwacht een niet-lege tekst")
        added = _values(pwhere, known.type, known.columns, spec["values"])
        parameters[name] = replace(known, label=spec.get("label", known.label), unit=spec.get("unit", known.unit),
                                   values={**known.values, **added})
    return replace(base, parameters=parameters)


def _read_overlay_yaml(path: Path) -> Any:
    try:
        if path.stat().st_size > MAX_OVERLAY_BYTES:
            raise InputError(f"{path}: te groot voor een parameterbestand (meer dan {MAX_OVERLAY_BYTES} bytes)",
                             field="parameters", value=str(path), file=str(path))
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: geen UTF-8 (byte {exc.start})", field="parameters", value=str(path),
                         file=str(path)) from None
    except OSError as exc:
        raise InputError(f"{path}: niet te lezen ({exc.strerror})", field="parameters", value=str(path),
                         file=str(path)) from None
    try:
        # The safe loader builds no objects, and YAML aliases cannot expand beyond the 1 MB read above
        # by much: PyYAML resolves an alias to the same object rather than copying it.
        return yaml_load(text)
    except yaml_errors() as exc:
        raise InputError(f"{path}: geen geldige YAML ({exc})".replace("\n", " "), field="parameters",
                         value=str(path), file=str(path)) from None


@dataclass(frozen=True)
class InsurerGroup:
    key: str
    name: str
    labels: tuple[str, ...]
    uzovi: tuple[str, ...]
    source: Source | None = None  # where the group's labels are named, when not the list's own source


@dataclass(frozen=True)
class InsurerList:
    groups: Mapping[str, InsurerGroup]
    source: Source


def _insurers(relative: str, data: Any, base: Mapping[str, InsurerGroup] | None = None) -> InsurerList:
    _check_keys(relative, data, {"groups", "source"}, {"groups", "source"})
    source = _source(f"{relative}: source", data["source"])
    if not isinstance(data["groups"], dict):
        raise _fail(relative, "'groups' moet een mapping zijn")
    groups: dict[str, InsurerGroup] = dict(base or {})
    for key, spec in data["groups"].items():
        where = f"{relative}: {key}"
        _check_keys(where, spec, {"name", "labels", "uzovi", "source"}, {"name", "labels", "uzovi"})
        if not isinstance(spec["labels"], list) or not isinstance(spec["uzovi"], list):
            raise _fail(where, "'labels' en 'uzovi' moeten lijsten zijn")
        for label in spec["labels"]:
            if not isinstance(label, str) or not label.strip():
                raise _fail(where, f"label {label!r} moet een niet-lege tekst zijn")
        for code in spec["uzovi"]:
            if not (isinstance(code, str) and code.isdigit() and len(code) == 4):
                raise _fail(where, f"UZOVI-code {code!r} moet 4 cijfers zijn, als tekst")
        groups[str(key)] = InsurerGroup(key=str(key), name=str(spec["name"]), labels=tuple(spec["labels"]),
                                        uzovi=tuple(spec["uzovi"]),
                                        source=_source(f"{where}: source", spec["source"]) if "source" in spec
                                        else None)
    seen: dict[str, str] = {}
    for group in groups.values():
        for label in (*group.labels, *group.uzovi):
            norm = " ".join(label.split()).casefold()
            if norm in seen:
                raise _fail(relative, f"'{label}' staat bij zowel '{seen[norm]}' als '{group.key}'")
            seen[norm] = group.key
    if "cz" not in groups:
        raise _fail(relative, "de groep 'cz' ontbreekt")
    return InsurerList(groups, source)


def _policy(where: str, data: Any) -> int:
    _check_keys(where, data, _POLICY_KEYS, _POLICY_KEYS)
    year = data["current_year"]
    if not is_year(year):
        raise _fail(f"{where}: current_year", f"{year!r} is geen beleidsjaar")
    _source(f"{where}: source", data["source"])
    return year


# --- the parameter set in force -----------------------------------------------------------------------

class ParameterSet:
    """The bundled data, with an overlay directory's years added when one is given."""

    def __init__(self, overlay: Path | None = None) -> None:
        self.overlay = overlay
        self._topics: dict[tuple[str, str], Topic] = {}
        for insurer, name in topic_files():
            relative = f"{insurer}/{name}.yaml"
            topic = parse_topic(relative, read_bundled_yaml(relative))
            if topic.topic != name:
                raise ParameterDataError(f"{relative}: 'topic' is {topic.topic!r}, verwacht {name!r}")
            self._topics[insurer, name] = topic
        self._insurers = _insurers("market/insurers.yaml", read_bundled_yaml("market/insurers.yaml"))
        self.current_year = _policy("policy.yaml", read_bundled_yaml("policy.yaml"))
        if overlay is not None:
            self._apply(overlay)
        for topic in self._topics.values():
            if self.current_year not in topic.years:
                where = overlay or "de meegeleverde gegevens"
                raise self._error(overlay, f"{where}: het huidige beleidsjaar {self.current_year} ontbreekt "
                                           f"in onderwerp '{topic.topic}' (gedekt: "
                                           f"{', '.join(map(str, topic.years)) or 'geen'})")

    @staticmethod
    def _error(overlay: Path | None, message: str) -> ToolkitErrorType:
        if overlay is None:
            return ParameterDataError(message)
        return InputError(message, field="parameters", value=str(overlay), file=str(overlay))

    def _apply(self, overlay: Path) -> None:
        if not overlay.is_dir():
            raise InputError(f"parametermap {overlay} bestaat niet of is geen map", field="parameters",
                             value=str(overlay), file=str(overlay))
        known = {f"{insurer}/{name}.yaml" for insurer, name in topic_files()} | {"market/insurers.yaml",
                                                                                  "policy.yaml"}
        files = sorted(p for p in overlay.rglob("*") if p.suffix.lower() in {".yaml", ".yml"} and p.is_file())
        for path in files:
            relative = path.relative_to(overlay).as_posix()
            relative_yaml = relative.removesuffix(".yml") + ".yaml" if relative.endswith(".yml") else relative
            if relative_yaml not in known:
                raise InputError(f"{path}: onbekend parameterbestand (bekend: {', '.join(sorted(known))})",
                                 field="parameters", value=str(path), file=str(path))
            data = _read_overlay_yaml(path)
            try:
                if relative_yaml == "policy.yaml":
                    self.current_year = _policy(str(path), data)
                elif relative_yaml == "market/insurers.yaml":
                    self._insurers = _insurers(str(path), data, self._insurers.groups)
                else:
                    insurer, name = relative_yaml.removesuffix(".yaml").split("/")
                    self._topics[insurer, name] = _overlay_topic(str(path), data, self._topics[insurer, name])
            except ParameterDataError as err:
                raise InputError(str(err), field="parameters", value=str(path), file=str(path)) from None

    def topic(self, insurer: str, name: str) -> Topic:
        try:
            return self._topics[insurer, name]
        except KeyError:
            raise ParameterDataError(f"onderwerp {insurer}/{name} bestaat niet") from None

    def topics(self) -> Iterator[Topic]:
        yield from self._topics.values()

    def insurers(self) -> InsurerList:
        return self._insurers


ToolkitErrorType = ParameterDataError | InputError


@cache
def _parameter_set(overlay: str) -> ParameterSet:
    return ParameterSet(Path(overlay) if overlay else None)


def active() -> ParameterSet:
    """The parameter data in force: bundled, plus the overlay named by ZORGINKOOP_PARAMETERS."""
    return _parameter_set(os.environ.get(OVERLAY_VARIABLE, "").strip())


def load_topic(insurer: str, topic: str) -> Topic:
    """`data/<insurer>/<topic>.yaml` as in force (the overlay's years included)."""
    return active().topic(insurer, topic)


def current_year() -> int:
    """The policy year that applies when none is given (`data/policy.yaml`, or the overlay's)."""
    return active().current_year


def policy_year(year: object = None, field: str = "year") -> int:
    """The policy year asked for: None is the current one from the data; text such as '2027' is read like
    any typed number. Whether the data covers it is for the topic to say (PolicyYearError)."""
    if year is None:
        return current_year()
    result: int = quantity("year").read(year, field)
    return result


def all_parameters() -> Iterator[Parameter]:
    """Every parameter of every topic, for the templates' `Bronnen` sheet and `zorginkoop parameters`."""
    for topic in active().topics():
        yield from topic.parameters.values()


def load_insurers() -> InsurerList:
    return active().insurers()
