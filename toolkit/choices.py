"""Enumerated inputs (provider kind, exemption, method) matched on their English or Dutch names."""

from __future__ import annotations

from collections.abc import Mapping

from .errors import InputError, show_value


def choose(value: object, aliases: Mapping[str, str], *, field: str, label: str, expected: str) -> str:
    """The canonical name for `value` (case and surrounding spaces ignored), or InputError."""
    key = value.strip().lower() if isinstance(value, str) else None
    if key is None or key not in aliases:
        raise InputError(f"{label} {show_value(value)} is onbekend (verwacht {expected})", field=field, value=value)
    return aliases[key]
