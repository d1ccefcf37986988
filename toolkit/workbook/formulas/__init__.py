"""Each template's Excel formulas, the rule written a second time: `formulas/<template>.py` beside the
rule's declaration (`toolkit/rules/<rule>/template.py`).

A module here has `calculate(steps, spec)`, which writes the template's steps on Berekening and gives the
formula of every `out_*` output, and may have `decorate(sheets, spec)` for what the rule adds to the sheets
(a chart, a colour on a wrong row). `build.py` finds the module by the template's name; the recalculation
proofs (tests/test_templates_libreoffice.py) keep these formulas equal to the rule's Python engine.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from types import ModuleType

from openpyxl.worksheet.worksheet import Worksheet


@dataclass(frozen=True)
class Sheets:
    """The sheets of a template under construction, for `decorate`."""

    invoer: Worksheet
    berekening: Worksheet
    uitkomst: Worksheet


def formulas_of(template: str) -> ModuleType:
    """The formulas module of a template (a template without one is a mistake of the toolkit)."""
    return importlib.import_module(f"{__name__}.{template}")


__all__ = ["Sheets", "formulas_of"]
