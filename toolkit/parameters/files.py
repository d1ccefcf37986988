"""The bundled parameter data as files: which there are (`topic_files`: every `data/<insurer>/<topic>.yaml`,
found rather than listed) and reading one (`read_bundled_yaml`), or the copy that the xlwings Lite file
carries already parsed (`EMBEDDED`)."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import InputError, ParameterDataError, line_of, not_utf8, show_value, system_reason

MAX_OVERLAY_BYTES = 1 << 20  # an overlay file is a few kilobytes; a larger one is not a parameter file

# The xlwings Lite file (workbooks/lite/main.py) carries the bundled data already parsed, so the browser
# needs neither the data files nor PyYAML: relative path -> what yaml.safe_load gives.
EMBEDDED: dict[str, Any] | None = None


class DuplicateKeyError(Exception):
    """A key written twice in one mapping of a YAML file, said in the words of the parameter files' other
    messages (to follow the file's name): the line of the second time, the key as written, the first line."""

    def __init__(self, key: str, line: int, first_line: int) -> None:
        super().__init__(f"regel {line}: sleutel {show_value(key)} staat twee keer (ook op regel {first_line}); "
                         "laat er één staan")


@cache
def _loader() -> Any:
    """The safe loader that refuses a key written twice in one mapping.

    PyYAML keeps the last of two equal keys without a word, so a value typed below an old one (`value: 5`,
    then `value: 3`) changed a policy number silently. Built on libyaml's safe loader when PyYAML has it
    (the same documents, read about 8x faster; every command reads a few parameter files at start-up): the
    parsing stays in C, the check only adds a look at each mapping's keys to the construction. A
    SafeConstructor still, so no tag can make an object of a Python class. Made on first use: the xlwings
    Lite file has no PyYAML.
    """
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class UniqueKeyLoader(base):  # type: ignore[valid-type,misc]
        def construct_mapping(self, node: Any, deep: bool = False) -> Any:
            if isinstance(node, yaml.MappingNode):
                seen: dict[Any, int] = {}
                for key_node, _ in node.value:
                    if key_node.tag == "tag:yaml.org,2002:merge":  # `<<:` merges on purpose
                        continue
                    key = self.construct_object(key_node, deep=deep)
                    try:
                        first = seen.get(key)
                    except TypeError:  # a key that cannot be a key: the constructor's own error says so
                        continue
                    line = key_node.start_mark.line + 1
                    if first is not None:
                        written = key_node.value if isinstance(key_node.value, str) else repr(key)
                        raise DuplicateKeyError(written, line, first)
                    seen[key] = line
            return super().construct_mapping(node, deep=deep)

    return UniqueKeyLoader


def yaml_load(text: str) -> Any:
    """A YAML document read safely; DuplicateKeyError when a mapping has a key twice."""
    import yaml

    return yaml.load(text, Loader=_loader())


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
    except DuplicateKeyError as exc:
        raise ParameterDataError(f"{relative}, {exc}") from None
    except yaml_errors() as exc:
        raise ParameterDataError(f"{relative}: geen geldige YAML ({exc})") from None


def read_overlay_yaml(path: Path) -> Any:
    """A file of a parameter overlay (`--parameters DIR`), as YAML: InputError naming the file when it is
    too large, not UTF-8, unreadable, not YAML, uses anchors and aliases, or has a key twice in a mapping."""
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
    except DuplicateKeyError as exc:
        raise InputError(f"{path}, {exc}", field="parameters", value=str(path), file=str(path)) from None
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


__all__ = ["EMBEDDED", "MAX_OVERLAY_BYTES", "NOT_TOPICS", "DuplicateKeyError", "bundled_files", "read_bundled_yaml",
           "read_overlay_yaml", "topic_files", "yaml_errors", "yaml_load"]
