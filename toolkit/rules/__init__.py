"""The purchasing rules, pure: no I/O, parameters from `toolkit.parameters`.

Each package here is one rule and declares itself once (`RULE`, see `declaration.py`): its functions, its
parameter topics, its Excel functions and its template. This module finds them (a new rule is a new package,
nothing else to register), in the order of their numbers, and exports what each declares.

They are found when first asked for (`RULES`, `EXPORTED` or an exported name), not when this package is
imported: a command that uses one rule imports that one only, and `zorginkoop -h` none
(benchmarks/bench_startup.py).
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache
from typing import TYPE_CHECKING, Any

from .declaration import Rule

if TYPE_CHECKING:
    RULES: dict[str, Rule]
    EXPORTED: dict[str, Any]

# Modules of this package that are not rules.
_NOT_RULES = frozenset({"declaration", "phrases"})


def _module_names() -> list[str]:
    names = [module.name for module in pkgutil.iter_modules(__path__)]
    if not names:  # the xlwings Lite file embeds the modules without files; its loader lists them
        submodules = getattr(__spec__.loader, "submodules", None) if __spec__ else None
        names = list(submodules(__name__)) if submodules else []
    return sorted(n for n in names if not n.startswith("_") and n not in _NOT_RULES)


@cache
def _discover() -> tuple[dict[str, Rule], dict[str, Any]]:
    rules: dict[str, Rule] = {}
    exported: dict[str, Any] = {}
    for name in _module_names():
        module = importlib.import_module(f"{__name__}.{name}")
        rule: Rule = module.RULE
        rules[rule.name] = rule
        exported.update({export: getattr(module, export) for export in rule.exports})
    return dict(sorted(rules.items(), key=lambda item: item[1].number)), exported


def __getattr__(name: str) -> Any:
    if name.startswith("__") and name != "__all__":
        raise AttributeError(name)  # a probe for a dunder (inspect, pickle) finds no rules
    rules, exported = _discover()
    if name == "RULES":
        return rules
    if name == "EXPORTED":
        return exported
    if name == "__all__":
        return ["EXPORTED", "RULES", "Rule", *sorted(exported)]
    if name in exported:
        return exported[name]
    if name in globals():  # a rule package, imported by the discovery
        return globals()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__getattr__("__all__")})
