"""The toolkit's exceptions.

A small tree, as in python-stdnum: everything the toolkit raises on purpose derives from
`ToolkitError`, so the edges (CLI, Excel functions, workbook filling) can turn it into a readable
Dutch message instead of a traceback. Messages are in Dutch because spreadsheet users see them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal


class ToolkitError(Exception):
    """Base of every error the toolkit raises deliberately."""


class InputError(ToolkitError, ValueError):
    """Bad input: names the field, the row or cell (when there is one), and the offending value."""

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        value: object = None,
        row: int | None = None,
        file: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.value = value
        self.row = row
        self.file = file


class PolicyYearError(InputError):
    """A policy year the parameter data does not cover. Never silently reuse the last known value."""

    def __init__(self, parameter: str, year: object, covered: Iterable[int]) -> None:
        self.covered = tuple(sorted(covered))
        years = ", ".join(str(y) for y in self.covered) or "geen"
        super().__init__(
            f"beleidsjaar {year!r} valt buiten de parametergegevens voor '{parameter}' "
            f"(beschikbare jaren: {years})",
            field="jaar",
            value=year,
        )
        self.parameter = parameter
        self.year = year


class ParameterDataError(ToolkitError):
    """The bundled parameter data is malformed: a packaging or editing mistake, not user input."""


def relabel(err: ToolkitError, label: str) -> str:
    """The message of `err` with its leading `field:` replaced by `label`.

    The rules name fields in English (`cost_points: …`); an edge that knows the name its user typed
    (an Excel argument, a column of an INPUTS file) says that instead. Other messages stay as they are.
    """
    message = str(err)
    field = getattr(err, "field", None)
    if isinstance(field, str) and message.startswith(f"{field}:"):
        return f"{label}:{message[len(field) + 1:]}"
    return message


def show_value(value: object, limit: int = 40) -> str:
    """A value as it may appear inside an error message: quoted, and cut short when long.

    Error messages end up in spreadsheet cells and terminals; a 1 MB value must not.
    """
    # Decimals and dates as themselves ('-1.5', '2025-03-14', not "Decimal('-1.5')"): messages are read by
    # spreadsheet users.
    text = value if isinstance(value, str) else str(value) if isinstance(value, Decimal | date) else repr(value)
    if not text.isprintable():  # a CR or tab from a broken file must not break the message's line
        text = "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)
    if len(text) > limit:
        text = f"{text[:limit]}… ({len(text)} tekens)"
    return f"'{text}'"
