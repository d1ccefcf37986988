"""The bundled parameter data as files: which there are (`topic_files`: every `data/<insurer>/<topic>.yaml`,
found rather than listed) and reading one (`read_bundled_yaml`), or the copy that the xlwings Lite file
carries already parsed (`EMBEDDED`)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import InputError, ParameterDataError, line_of, not_utf8, system_reason

MAX_OVERLAY_BYTES = 1 << 20  # an overlay file is a few kilobytes; a larger one is not a parameter file

# The xlwings Lite file (workbooks/lite/main.py) carries the bundled data already parsed, so the browser
# needs neither the data files nor PyYAML: relative path -> what yaml.safe_load gives.
EMBEDDED: dict[str, Any] | None = None


def yaml_load(text: str) -> Any:
    import yaml

    # libyaml's safe loader when PyYAML was built with it: the same documents, read about 8x faster
    # (every command reads a few parameter files at start-up).
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def yaml_errors() -> type[Exception]:
    import yaml

    return yaml.YAMLError


def _data_root() -> Any:
    return resources.files("toolkit.parameters").joinpath("data")


def bundled_files() -> list[str]:
    """The relative paths of the bundled data files."""
    return _bundled_yaml()


def read_bundled_yaml(relative: str) -> Any:
    """A YAML file of the bundled data (`data/<relative>`); ParameterDataError when missing or broken."""
    if EMBEDDED is not None:
        import copy

        if relative not in EMBEDDED:
            raise ParameterDataError(f"parameterbestand {relative} ontbreekt")
        return copy.deepcopy(EMBEDDED[relative])
    path = _data_root().joinpath(relative)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ParameterDataError(f"parameterbestand {relative} ontbreekt") from None
    try:
        return yaml_load(text)
    except yaml_errors() as exc:
        raise ParameterDataError(f"{relative}: geen geldige YAML ({exc})") from None


def read_overlay_yaml(path: Path) -> Any:
    """A file of a parameter overlay (`--parameters DIR`), as YAML: InputError naming the file when it is
    too large, not UTF-8, unreadable, not YAML, or uses anchors and aliases."""
    try:
        if path.stat().st_size > MAX_OVERLAY_BYTES:
            raise InputError(f"{path}: te groot voor een parameterbestand (meer dan {MAX_OVERLAY_BYTES} bytes)",
                             field="parameters", value=str(path), file=str(path))
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: regel {line_of(exc.object, exc.start)} is geen UTF-8 "
                         f"({not_utf8(exc.object, exc.start)})", field="parameters", value=str(path),
                         file=str(path)) from None
    except OSError as exc:
        raise InputError(f"{path}: niet te lezen ({system_reason(exc)})", field="parameters", value=str(path),
                         file=str(path)) from None
    try:
        _refuse_references(path, text)
        return yaml_load(text)
    except yaml_errors() as exc:
        raise InputError(f"{path}: {_yaml_problem(exc)}", field="parameters", value=str(path),
                         file=str(path)) from None


def _yaml_problem(exc: Exception) -> str:
    """Where a YAML file stops being YAML, in Dutch: the line and column the parser names (its own English
    words say nothing to a controller), with the usual causes."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    # (Where the parser noticed it: the mistake is there or just before, such as a bracket left open.)
    where = f", gemerkt op regel {mark.line + 1}, kolom {mark.column + 1}" if mark is not None else ""
    tab = " (een tab: spring in met spaties)" if "\t" in str(exc) or "tab" in str(exc).lower() else ""
    return (f"geen geldige YAML{where}{tab}; controleer daar en kort ervoor de inspringing (spaties, geen "
            "tabs), de dubbele punt na elke sleutel en dat elk haakje [ of { en elk aanhalingsteken sluit")


def _refuse_references(path: Path, text: str) -> None:
    """Refuse YAML anchors and aliases (`&a`, `*a`) in an overlay, from the parser's events, before any
    value is built. The bundled data needs none, and nine nested aliases of ten items make a value of a
    billion items: PyYAML builds it as shared objects, but any message, comparison or copy that walks
    it would not end."""
    import yaml

    for event in yaml.parse(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            line = event.start_mark.line + 1 if event.start_mark is not None else "?"
            raise InputError(f"{path}, regel {line}: een YAML-verwijzing (&anker of *alias) "
                             "is in een parameterbestand niet toegestaan; schrijf de waarde zelf uit",
                             field="parameters", value=str(path), file=str(path))


# Files of data/ that are not a policy topic: the default year, the plausible ranges of typed inputs and of
# policy values, the insurers.
NOT_TOPICS = frozenset({"policy.yaml", "plausible.yaml", "ranges.yaml", "market/insurers.yaml"})


def _bundled_yaml() -> list[str]:
    """Every YAML file of the bundled data, as `insurer/topic.yaml` relative paths (found, not listed: a
    new rule's topic file is read without a change here)."""
    if EMBEDDED is not None:
        return sorted(EMBEDDED)
    root = _data_root()
    found = [entry.name for entry in root.iterdir() if entry.name.endswith(".yaml")]
    for folder in (entry for entry in root.iterdir() if entry.is_dir()):
        found += [f"{folder.name}/{entry.name}" for entry in folder.iterdir() if entry.name.endswith(".yaml")]
    return sorted(found)


def topic_files() -> tuple[tuple[str, str], ...]:
    """(insurer, topic) of every policy topic in the bundled data: `data/<insurer>/<topic>.yaml`."""
    return tuple(tuple(relative.removesuffix(".yaml").split("/")) for relative in _bundled_yaml()  # type: ignore[misc]
                 if relative.count("/") == 1 and relative not in NOT_TOPICS)


__all__ = ["EMBEDDED", "MAX_OVERLAY_BYTES", "NOT_TOPICS", "bundled_files", "read_bundled_yaml", "read_overlay_yaml",
           "topic_files", "yaml_errors", "yaml_load"]
