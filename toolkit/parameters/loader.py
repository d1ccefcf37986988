"""The parameter data in force: the bundled data (`data/`), and the user's overlay.

The policy year that applies when none is given is one field of the data (`data/policy.yaml`), not a
constant in code. The shapes of a topic file and their validation are `schema`; the plausible range of each
policy value is `ranges`.

Overlay: `ZORGINKOOP_PARAMETERS=DIR` (the CLI's `--parameters DIR` sets it) adds or overrides policy
years from YAML files laid out like `data/` (`DIR/cz/staffel.yaml`, `DIR/policy.yaml`, …), so a finance
team can add 2028 the day the policy appears. An overlay file is validated as strictly as the bundled
data, and each of its values must lie in the value's plausible range (`data/ranges.yaml`); it may leave out
what it does not change (a parameter's label, type and unit, whole parameters), and every error names the
overlay file and key. The environment variable is read on every use, so worker processes and a test that
sets it follow it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

from ..errors import InputError, ParameterDataError, system_reason
from .files import read_bundled_yaml, read_overlay_yaml, topic_files
from .plausible import is_year, quantity
from .ranges import check_range
from .schema import (
    _PARAMETER_KEYS,
    _TOPIC_KEYS,
    Parameter,
    Source,
    Topic,
    _check_keys,
    _columns,
    _fail,
    _key,
    _shown,
    _source,
    _values,
    parse_topic,
)

OVERLAY_VARIABLE = "ZORGINKOOP_PARAMETERS"
_POLICY_KEYS = {"current_year", "source"}


def _overlay_topic(where: str, data: Any, base: Topic) -> Topic:
    """`base` with the years of an overlay file added or replaced; the overlay may leave out what it keeps."""
    _check_keys(where, data, _TOPIC_KEYS, {"topic", "parameters"})
    if data["topic"] != base.topic:
        raise _fail(f"{where}: topic", f"{_shown(data['topic'])}, verwacht {base.topic!r}")
    if not isinstance(data["parameters"], dict) or not data["parameters"]:
        raise _fail(where, "'parameters' moet een niet-lege mapping zijn")
    parameters = dict(base.parameters)
    for name, spec in data["parameters"].items():
        pwhere = f"{where}: {_key(name)}"
        if name not in base.parameters:
            raise _fail(pwhere, f"onbekende parameter (bekend: {', '.join(base.parameters)})")
        known = base.parameters[name]
        _check_keys(pwhere, spec, _PARAMETER_KEYS, {"values"})
        if spec.get("type", known.type) != known.type:
            raise _fail(f"{pwhere}: type", f"{_shown(spec['type'])}, verwacht {known.type!r}")
        if "columns" in spec and _columns(pwhere, spec["columns"]) != known.columns:
            raise _fail(f"{pwhere}: columns", "de kolommen wijken af van de meegeleverde gegevens")
        for key in ("label", "unit"):
            if key in spec and (not isinstance(spec[key], str) or not spec[key].strip()):
                raise _fail(f"{pwhere}: {key}", "verwacht een niet-lege tekst")
        added = _values(pwhere, known.type, known.columns, spec["values"])
        for year, dated in added.items():
            check_range(f"{pwhere}, {year}", base.topic, known, year, dated.value)
        parameters[name] = replace(known, label=spec.get("label", known.label), unit=spec.get("unit", known.unit),
                                   values={**known.values, **added})
    return replace(base, parameters=parameters)


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
        where = f"{relative}: {_key(key)}"
        _check_keys(where, spec, {"name", "labels", "uzovi", "source"}, {"name", "labels", "uzovi"})
        if not isinstance(spec["labels"], list) or not isinstance(spec["uzovi"], list):
            raise _fail(where, "'labels' en 'uzovi' moeten lijsten zijn")
        for label in spec["labels"]:
            if not isinstance(label, str) or not label.strip():
                raise _fail(where, f"label {_shown(label)} moet een niet-lege tekst zijn")
        for code in spec["uzovi"]:
            if not (isinstance(code, str) and code.isdigit() and len(code) == 4):
                raise _fail(where, f"UZOVI-code {_shown(code)} moet 4 cijfers zijn, als tekst")
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
        raise _fail(f"{where}: current_year", f"{_shown(year)} is geen beleidsjaar")
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
            # Named with both ways it is given: one set in the environment long ago is easily forgotten.
            raise InputError(f"parametermap {overlay} bestaat niet of is geen map (gegeven met --parameters of met "
                             f"{OVERLAY_VARIABLE})", field="parameters", value=str(overlay), file=str(overlay))
        known = {f"{insurer}/{name}.yaml" for insurer, name in topic_files()} | {"market/insurers.yaml",
                                                                                  "policy.yaml"}
        # The files of an overlay lie in the folder itself or one folder down (cz/ratio.yaml); one level more is
        # looked at too, so that a file put a folder too deep (2027/cz/ratio.yaml) is refused, not passed over
        # while the bundled numbers apply. No deeper: a large folder given by mistake (/, a home folder) is not
        # walked whole, and an entry that vanishes or will not open while it is listed is said, not a crash.
        try:
            files = sorted({p for depth in ("", "*/", "*/*/") for suffix in ("yaml", "yml", "YAML", "YML")
                            for p in overlay.glob(f"{depth}*.{suffix}") if p.is_file()})
        except OSError as err:
            raise InputError(f"parametermap {overlay} kan niet worden gelezen ({system_reason(err)})",
                             field="parameters", value=str(overlay), file=str(overlay)) from None
        if not files:  # a folder of exports given by mistake: without a word the bundled data would apply
            raise InputError(f"parametermap {overlay} bevat geen parameterbestanden (.yaml), zoals cz/ratio.yaml of "
                             "policy.yaml (docs/handleiding.md, 'Een nieuw beleidsjaar')", field="parameters",
                             value=str(overlay), file=str(overlay))
        for path in files:
            relative = path.relative_to(overlay).as_posix()
            relative_yaml = relative.removesuffix(".yml") + ".yaml" if relative.endswith(".yml") else relative
            if relative_yaml not in known:
                raise InputError(f"{path}: onbekend parameterbestand (bekend: {', '.join(sorted(known))})",
                                 field="parameters", value=str(path), file=str(path))
            data = read_overlay_yaml(path)
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


def overlay_in_force() -> str:
    """The overlay directory named by ZORGINKOOP_PARAMETERS, or "" for the bundled data alone."""
    return os.environ.get(OVERLAY_VARIABLE, "").strip()


def active() -> ParameterSet:
    """The parameter data in force: bundled, plus the overlay named by ZORGINKOOP_PARAMETERS."""
    return _parameter_set(overlay_in_force())


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
