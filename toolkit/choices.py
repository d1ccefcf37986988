"""Enumerated inputs (provider kind, exemption, method, yes/no) matched on their English or Dutch names.

A vocabulary maps every word a user may type to the canonical (English) name of the Python API; the
first word of each canonical name is its Dutch word, the one users are shown (`dutch_words`).
"""

from __future__ import annotations

from collections.abc import Mapping

from .errors import InputError, show_value

# What to do with claim lines that a later file of a claim set repeats (toolkit.claims.claimset, --dubbel).
REPEATED_LINES = {"negeren": "ignore", "ignore": "ignore", "weigeren": "refuse", "refuse": "refuse"}


def choose(value: object, aliases: Mapping[str, str], *, field: str, label: str, expected: str) -> str:
    """The canonical name for `value` (case and surrounding spaces ignored), or InputError."""
    key = value.strip().lower() if isinstance(value, str) else None
    if key is None or key not in aliases:
        raise InputError(f"{label} {show_value(value)} is onbekend (verwacht {expected})", field=field, value=value)
    return aliases[key]


def dutch_words(aliases: Mapping[str, str]) -> dict[str, str]:
    """canonical name -> the Dutch word users are shown: the first word of the vocabulary for it."""
    shown: dict[str, str] = {}
    for word, canonical in aliases.items():
        shown.setdefault(canonical, word)
    return shown


_YES = frozenset({"ja", "j", "waar", "true", "1", "yes"})
_NO = frozenset({"nee", "n", "onwaar", "false", "0", "no"})


def yes_no(value: object) -> bool | None:
    """ja/nee as a spreadsheet holds it: the words in Dutch or English, TRUE/FALSE, 1/0.

    None when `value` is none of these, so the caller can name its own field in the error. Empty
    cells are the caller's to decide (a template input and an Excel argument both read them as nee).
    """
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return bool(value) if value in (0, 1) else None
    if isinstance(value, str):
        word = value.strip().lower()
        return True if word in _YES else False if word in _NO else None
    return None

def flag(value: object, field: str) -> bool:
    """A ja/nee argument: True/False, or the spellings of `choices.yes_no`."""
    answer = yes_no(value)
    if answer is None:
        raise InputError(f"{field}: {show_value(value)} is geen ja/nee", field=field, value=value)
    return answer
