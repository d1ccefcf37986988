"""The command line's frame in Dutch: click's and typer's own words ("Usage", "Options", "Missing
argument", "Invalid value", …) for finance staff who read Dutch.

click and typer look their texts up through `gettext` (`_()` and `ngettext()` in each module) and
ship no Dutch catalogue. Installing a catalogue for gettext's global domain would change every
program in the process; instead the lookup functions of the click and typer modules are replaced by
one that knows the Dutch of the texts below, and typer's panel titles (set when it is imported) are
set again. A text not listed stays English: a newer click with a new message still shows it.

`Words` is a choice list in Dutch: help and usage errors list the Dutch word of each value, every word
of the vocabulary (English included) is accepted, and the command receives the canonical name.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

import click

from .choices import dutch_words

DUTCH: dict[str, str] = {
    "Usage:": "Gebruik:",
    "Options": "Opties",
    "Arguments": "Argumenten",
    "Commands": "Opdrachten",
    "Show this message and exit.": "Toon deze hulp en stop.",
    "Show the version and exit.": "Toon de versie en stop.",
    "%(prog)s, version %(version)s": "%(prog)s, versie %(version)s",
    "Try '{command} {option}' for help.": "Probeer '{command} {option}' voor hulp.",
    "Error: {message}": "Fout: {message}",
    "Missing argument": "Argument ontbreekt",
    "Missing option": "Optie ontbreekt",
    "Missing parameter": "Parameter ontbreekt",
    "Missing parameter: {param_name}": "Parameter ontbreekt: {param_name}",
    "Missing {param_type}": "{param_type} ontbreekt",
    "Missing command.": "Opdracht ontbreekt.",
    "No such command {name!r}.": "Onbekende opdracht {name!r}.",
    "No such option {name!r}.": "Onbekende optie {name!r}.",
    "Invalid value for {param_hint}: {message}": "Ongeldige waarde voor {param_hint}: {message}",
    "Invalid value: {message}": "Ongeldige waarde: {message}",
    "Option {name!r} does not take a value.": "Optie {name!r} neemt geen waarde.",
    "Option {name!r} requires an argument.": "Optie {name!r} heeft een waarde nodig.",
    "Option {name!r} requires {nargs} arguments.": "Optie {name!r} heeft {nargs} waarden nodig.",
    "Got unexpected extra argument ({args})": "Onverwacht extra argument ({args})",
    "Got unexpected extra arguments ({args})": "Onverwachte extra argumenten ({args})",
    "Did you mean {possibility}?": "Bedoelt u {possibility}?",
    "(Did you mean one of: {possibilities}?)": "(Bedoelt u een van: {possibilities}?)",
    "{value!r} is not {choice}.": "{value!r} is geen geldige keuze; de enige keuze is {choice}.",
    "{value!r} is not one of {choices}.": "{value!r} is geen geldige keuze; kies uit {choices}.",
    "{value!r} is not a valid {number_type}.": "{value!r} is geen geldig {number_type}.",
    "{value} is not in the range {range}.": "{value} valt buiten het toegestane bereik ({range}).",
    "{value!r} is not a valid boolean. Recognized values: {states}":
        "{value!r} is geen ja/nee. Bekende waarden: {states}",
    "{name} {filename!r} does not exist.": "{name} {filename!r} bestaat niet.",
    "{name} {filename!r} is a file.": "{name} {filename!r} is een bestand.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} is een map.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} is niet leesbaar.",
    "{name} {filename!r} is not writable.": "{name} {filename!r} is niet schrijfbaar.",
    "file": "bestand",
    "directory": "map",
    "path": "pad",
    "default: {default}": "standaard: {default}",
    "required": "verplicht",
    "env var: {var}": "omgevingsvariabele: {var}",
    "(dynamic)": "(wisselend)",
    "deprecated": "verouderd",
    "Aborted!": "Afgebroken.",
    "Aborted.": "Afgebroken.",
    "Error": "Fout",
    "[default: {}]": "[standaard: {}]",
    "[required]": "[verplicht]",
    "[env var: {}]": "[omgevingsvariabele: {}]",
    "(deprecated) ": "(verouderd) ",
    "Try [blue]'{command_path} {help_option}'[/] for help.":
        "Probeer [blue]'{command_path} {help_option}'[/] voor hulp.",
}
_TYPE_NAMES = {"integer": "geheel getal", "float": "getal", "text": "tekst", "integer range": "geheel getal",
               "float range": "getal", "path": "pad", "file": "bestand", "directory": "map"}


class Words(click.Choice):  # type: ignore[type-arg]
    """A choice among the words of a vocabulary (`toolkit.choices`: word -> canonical name): shown as its
    Dutch words (`[uniek|per_gebied]`), accepting any word of it in any case (`distinct`, `UNIEK`), and
    converted to the canonical name the library takes (`distinct`)."""

    def __init__(self, vocabulary: Mapping[str, str]) -> None:
        self.vocabulary = {word.lower(): canonical for word, canonical in vocabulary.items()}
        super().__init__(list(dutch_words(vocabulary).values()), case_sensitive=False)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, str) and value.strip().lower() in self.vocabulary:
            return self.vocabulary[value.strip().lower()]
        return super().convert(value, param, ctx)  # refused, listing the Dutch words


class Folder(click.Path):
    """A folder to write into, as a Path; an empty name is refused (it would quietly mean the current folder)."""

    name = "map"

    def __init__(self) -> None:
        super().__init__(path_type=Path)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, str) and not value.strip():
            self.fail("een lege naam; geef de naam van een map", param, ctx)
        return super().convert(value, param, ctx)


class Range(click.IntRange):
    """A whole number within bounds, described in Dutch in the help and in the refusal: `1 t/m 12`,
    `1 of meer` (click writes `1<=x<=12`)."""

    def __init__(self, low: int, high: int | None = None) -> None:
        super().__init__(low, high)

    def _describe_range(self) -> str:
        return f"{self.min} t/m {self.max}" if self.max is not None else f"{self.min} of meer"


def gettext(message: str) -> str:
    return DUTCH.get(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return gettext(singular if n == 1 else plural)


_CLICK = ("core", "decorators", "exceptions", "formatting", "parser", "types", "termui", "utils")
_TYPER = ("core", "main")
_PANEL_CONSTANTS = ("DEPRECATED_STRING", "DEFAULT_STRING", "ENVVAR_STRING", "REQUIRED_LONG_STRING",
                    "ARGUMENTS_PANEL_TITLE", "OPTIONS_PANEL_TITLE", "COMMANDS_PANEL_TITLE", "ERRORS_PANEL_TITLE",
                    "ABORTED_TEXT", "RICH_HELP")


def install() -> None:
    """Make click and typer speak Dutch in this process (idempotent)."""
    import click.types

    modules: list[Any] = [importlib.import_module(f"click.{name}") for name in _CLICK]
    modules += [importlib.import_module(f"typer.{name}") for name in _TYPER]
    for module in modules:
        _translate(module)
    # typer's help and error panels (typer.rich_utils) import rich's markdown, syntax and traceback
    # modules: a fifth of a second that a command which prints no help or error does not need.
    # Translated when first imported instead.
    if "typer.rich_utils" in sys.modules:
        _translate_rich_utils(sys.modules["typer.rich_utils"])
    elif not any(isinstance(finder, _TranslateOnImport) for finder in sys.meta_path):
        sys.meta_path.insert(0, _TranslateOnImport())
    for kind in (click.types.IntParamType, click.types.FloatParamType, click.types.StringParamType,
                 click.types.IntRange, click.types.FloatRange):
        kind.name = _TYPE_NAMES.get(kind.name, kind.name)
    click.Option.get_error_hint = _option_as_typed  # type: ignore[method-assign]


def _option_as_typed(self: click.Option, ctx: click.Context | None) -> str:
    """An option in an error message as the user typed it ('--jaar'), not every name it has ('--year' /
    '--jaar'): a Dutch user who typed --jaar need not wonder what --year is. Every name where none of them
    was typed on the command line (a default, or a call from Python)."""
    typed = [name for name in self.opts if any(arg == name or arg.startswith(f"{name}=") for arg in sys.argv[1:])]
    return " / ".join(f"'{name}'" for name in (typed[:1] or self.opts))


def _translate(module: Any) -> None:
    if hasattr(module, "_"):
        module._ = gettext
    if hasattr(module, "ngettext"):
        module.ngettext = ngettext


def _translate_rich_utils(rich_utils: ModuleType) -> None:
    _translate(rich_utils)
    for constant in _PANEL_CONSTANTS:
        english = getattr(rich_utils, constant, None)
        if isinstance(english, str):
            # The constants were translated (by the no-op gettext) at import: look up their English text.
            original = next((k for k, v in DUTCH.items() if v == english), english)
            setattr(rich_utils, constant, gettext(original))


class _TranslateOnImport(importlib.abc.MetaPathFinder):
    """Translates typer.rich_utils right after it is first imported, whoever imports it."""

    def find_spec(self, fullname: str, path: Sequence[str] | None,
                  target: ModuleType | None = None) -> importlib.machinery.ModuleSpec | None:
        if fullname != "typer.rich_utils":
            return None
        sys.meta_path.remove(self)  # once; and find_spec below must not come back here
        spec = importlib.util.find_spec(fullname)
        if spec is not None and spec.loader is not None:
            spec.loader = _TranslatingLoader(spec.loader)
        return spec


class _TranslatingLoader(importlib.abc.Loader):
    """typer.rich_utils' own loader, translating the module once it has run. A wrapper, not a patch: a
    loader can be shared by other modules (a zip import)."""

    def __init__(self, inner: importlib.abc.Loader) -> None:
        self._inner = inner

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        return self._inner.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        self._inner.exec_module(module)
        _translate_rich_utils(module)

    def __getattr__(self, name: str) -> Any:  # get_source, get_resource_reader, …: the inner loader's
        return getattr(self._inner, name)
