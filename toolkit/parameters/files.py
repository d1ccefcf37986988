"""The bundled parameter data as files: which there are (`topic_files`: every `data/<insurer>/<topic>.yaml`,
found rather than listed) and reading one (`read_bundled_yaml`), or the copy that the xlwings Lite file
carries already parsed (`EMBEDDED`)."""

from __future__ import annotations

from importlib import resources
from typing import Any

from ..errors import ParameterDataError

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


# Files of data/ that are not a policy topic: the default year, the plausible ranges, the insurers.
NOT_TOPICS = frozenset({"policy.yaml", "plausible.yaml", "market/insurers.yaml"})


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


__all__ = ["EMBEDDED", "NOT_TOPICS", "bundled_files", "read_bundled_yaml", "topic_files", "yaml_errors", "yaml_load"]
