"""A difference `zorginkoop check` finds, and how it writes values for a Dutch reader."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..numbers import format_money, format_number, format_percent
from .formats import yes_no_text


@dataclass(frozen=True)
class Finding:
    kind: str  # onderdeel, werkmap, naam, formule, cel, instelling, invoer, uitkomst, versie
    where: str
    expected: Any
    found: Any
    message: str

    @property
    def cell(self) -> str:
        return self.where

    def line(self) -> str:
        """The finding as one Dutch line."""
        values = ""
        if self.expected is not None or self.found is not None:
            expected, found = shown(self.expected), shown(self.found)
            if _texts(self.expected, self.found):
                expected, found = shown_texts_apart(self.expected, self.found)
            values = f" (verwacht {expected}, gevonden {found})"
        return f"{self.kind}: {self.where}: {self.message}{values}"


def _texts(*values: Any) -> bool:
    """Plain texts (a formula, a label), not numbers or values already written for the reader."""
    return all(isinstance(v, str) and not isinstance(v, Display) and v != "" for v in values)


class Display(str):
    """A value already written for a Dutch reader (Finding.line shows it as it is)."""


def shown(value: Any, kind: str = "") -> str:
    """A value as a Dutch reader writes it: € 1.234,56, 3,37 %, ja, (leeg)."""
    if isinstance(value, Display):
        return str(value)
    if value is None or value == "":
        return "(leeg)"
    if isinstance(value, bool):
        return yes_no_text(value)
    if isinstance(value, dt.date):  # as the cell shows it (d-m-yyyy)
        return f"{value.day}-{value.month}-{value.year}"
    if isinstance(value, int | float | Decimal):
        if isinstance(value, float) and not math.isfinite(value):
            return str(value)
        if kind == "money":
            return format_money(value)
        if kind in ("fraction", "index"):
            return format_percent(value)
        return format_number(value)
    if isinstance(value, list):
        items = [shown(v, kind) for v in value if v not in ("", None)]
        return ", ".join(items) or "(leeg)"
    text = _printable(str(value))
    return f"'{text[:SHOWN_CHARS]}…'" if len(text) > SHOWN_CHARS else f"'{text}'"


SHOWN_CHARS = 60  # of a text in a finding's line


def _printable(text: str) -> str:
    """A line break in a hostile value must not break the finding's line."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)


def shown_texts_apart(expected: str, found: str) -> tuple[Display, Display]:
    """Two differing texts (formulas) as a reader can tell them apart: where one is too long to show whole,
    both are shown from a little before the first character in which they differ. Their first 60 characters
    alike would say "verwacht '=IF(NOT(OR(…', gevonden '=IF(NOT(OR(…'" and hide what changed."""
    expected, found = _printable(expected), _printable(found)
    if max(len(expected), len(found)) <= SHOWN_CHARS:
        return Display(f"'{expected}'"), Display(f"'{found}'")
    same = 0
    while same < min(len(expected), len(found)) and expected[same] == found[same]:
        same += 1
    start = max(0, same - SHOWN_CHARS // 3)

    def part(text: str) -> Display:
        before = "…" if start else ""
        after = "…" if len(text) > start + SHOWN_CHARS else ""
        return Display(f"'{before}{text[start:start + SHOWN_CHARS]}{after}'")
    return part(expected), part(found)


def shown_apart(expected: Any, found: Any, kind: str) -> tuple[str, str]:
    """Two differing values as a Dutch reader writes them, a fraction of a number (a ratio, fte, a
    percentage) with as few decimals as show the difference, at least two: `2,33` against `3,50`, not the
    15 digits a spreadsheet keeps. The last decimal shown is one the values really differ by (2,3450000
    against 2,3449999, not 2,35 against 2,34)."""
    numbers = all(isinstance(v, int | float | Decimal) and not isinstance(v, bool) and math.isfinite(v)
                  for v in (expected, found))
    if numbers and kind != "money":
        first, second = Decimal(str(expected)), Decimal(str(found))
        percent = kind in ("fraction", "index")
        if percent or not (first == first.to_integral_value() and second == second.to_integral_value()):
            gap = abs(first - second) * (100 if percent else 1)
            for places in range(2, 16):
                if gap >= Decimal(1).scaleb(-places):
                    if percent:
                        return format_percent(first, places), format_percent(second, places)
                    return format_number(first, places), format_number(second, places)
    if isinstance(found, bool):
        # A logical cell where the template writes the text ja/nee: shown as a Dutch Excel shows it (WAAR),
        # not as "ja" beside an expected "ja" (found by a helper: a cell of type b holding 2).
        return shown(expected, kind), "WAAR" if found else "ONWAAR"
    return shown(expected, kind), shown(found, kind)
