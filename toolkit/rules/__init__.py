"""The purchasing rules, pure: no I/O, parameters from `toolkit.parameters`.

Each package here is one rule and declares itself once (`RULE`, see `declaration.py`): its functions, its
parameter topics, its Excel functions and its template. This module finds them (a new rule is a new package,
nothing else to register), in the order of their numbers, and exports what each declares.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

from .declaration import Rule

# Modules of this package that are not rules.
_NOT_RULES = frozenset({"declaration", "phrases"})


def _module_names() -> list[str]:
    names = [module.name for module in pkgutil.iter_modules(__path__)]
    if not names:  # the xlwings Lite file embeds the modules without files; its loader lists them
        submodules = getattr(__spec__.loader, "submodules", None) if __spec__ else None
        names = list(submodules(__name__)) if submodules else []
    return sorted(n for n in names if not n.startswith("_") and n not in _NOT_RULES)


def _discover() -> tuple[dict[str, Rule], dict[str, Any]]:
    rules: dict[str, Rule] = {}
    exported: dict[str, Any] = {}
    for name in _module_names():
        module = importlib.import_module(f"{__name__}.{name}")
        rule: Rule = module.RULE
        rules[rule.name] = rule
        exported.update({export: getattr(module, export) for export in rule.exports})
    return dict(sorted(rules.items(), key=lambda item: item[1].number)), exported


RULES, EXPORTED = _discover()
globals().update(EXPORTED)

__all__ = ["EXPORTED", "RULES", "Rule", *sorted(EXPORTED)]
