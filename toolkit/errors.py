"""The toolkit's exceptions.

A small tree, as in python-stdnum: everything the toolkit raises on purpose derives from
`ToolkitError`, so the edges (CLI, Excel functions, workbook filling) can turn it into a readable
Dutch message instead of a traceback. Messages are in Dutch because spreadsheet users see them.
"""

from __future__ import annotations

import errno
from collections.abc import Iterable, Sequence
from datetime import date, time, timedelta
from decimal import Decimal
from pathlib import Path


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


class InputErrors(InputError):
    """Several bad rows at once: `fill` reports every bad row of a run, not only the first.

    `lines` holds one message per error, the first `shown` of them and then "en nog N"; `str()` joins
    them with line breaks. `errors` keeps them all.
    """

    def __init__(self, errors: Iterable[InputError], *, shown: int = 20) -> None:
        self.errors = tuple(errors)
        lines = [str(e) for e in self.errors[:shown]]
        if len(self.errors) > shown:
            more = len(self.errors) - shown
            lines.append(f"en nog {more} {'fout' if more == 1 else 'fouten'}")
        self.lines = tuple(lines)
        first = self.errors[0] if self.errors else None
        super().__init__("\n".join(lines), field=getattr(first, "field", None), value=getattr(first, "value", None),
                         row=getattr(first, "row", None), file=getattr(first, "file", None))


class PolicyYearError(InputError):
    """A policy year the parameter data does not cover. Never silently reuse the last known value."""

    def __init__(self, parameter: str, year: object, covered: Iterable[int], *, shown: str | None = None) -> None:
        """`parameter`: the topic (or topic.parameter) as the data names it, kept for programs; `shown`: its
        Dutch name in the message (a cell or a controller reads 'Staffel aanvullende zorginkoop', not 'staffel')."""
        self.covered = tuple(sorted(covered))
        years = ", ".join(str(y) for y in self.covered) or "geen"
        super().__init__(
            f"beleidsjaar {year!r} valt buiten de parametergegevens voor '{shown or parameter}' "
            f"(beschikbare jaren: {years})",
            field="jaar",
            value=year,
        )
        self.parameter = parameter
        self.shown = shown or parameter
        self.year = year


class ParameterDataError(ToolkitError):
    """The bundled parameter data is malformed: a packaging or editing mistake, not user input."""


# Excel's error values by the English names a file stores (and xlwings hands over), to the names a Dutch
# Excel shows: one list for the Excel functions (`toolkit.udfs`) and for `check`'s messages.
DUTCH_EXCEL_ERRORS = {"#NULL!": "#LEEG!", "#DIV/0!": "#DEEL/0!", "#VALUE!": "#WAARDE!", "#REF!": "#VERW!",
                      "#NAME?": "#NAAM?", "#NUM!": "#GETAL!", "#N/A": "#N/B"}


def error_value_in_cell(value: object) -> str:
    """What a cell holding an error value (#N/A) is told, the value as a Dutch Excel shows it (a file stores
    the English name): the cell of a template, a claims workbook or an INPUTS file alike."""
    shown = DUTCH_EXCEL_ERRORS.get(str(value)) or show_value(value)
    return f"de cel geeft de foutwaarde {shown}; typ een waarde of maak de cel leeg"


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


TITLE_FIELDS = 2  # filled fields of a title line at most ("Declaraties januari 2025", "Export van: 3-2-2025")


def header_below_title(line: int, header_line: int = 1, rows: tuple[str, str] = ("regel", "regels")) -> str:
    """What to do when the column names stand on `line`, under an export's title on `header_line` and after
    (`rows`: what a line is called, singular and plural: a workbook has rows)."""
    one, many = rows
    above = f"{one} {header_line}" if header_line == line - 1 else f"{many} {header_line} t/m {line - 1}"
    return (f"de kolomnamen staan op {one} {line}, niet op {one} {header_line}: verwijder {above} (een titel?), "
            "zodat de kolomnamen bovenaan staan")


def not_utf8(data: bytes, start: int) -> str:
    """The byte where `data` stops being UTF-8, for a reader: in hex, with the character it is in
    Windows-1252 ('ANSI', what Excel's plain "CSV" and older systems write), the usual cause (a character
    cut short is the other): "byte 0xEB (in Windows-1252: 'ë')". Not `b'\\xeb'`, which only a programmer
    reads."""
    byte = data[start:start + 1]
    try:
        char = byte.decode("cp1252")
    except UnicodeDecodeError:  # (five bytes are not in Windows-1252)
        char = ""
    named = f" (in Windows-1252: '{char}')" if char.isprintable() and char else ""
    return f"byte 0x{byte.hex().upper()}{named}"


def line_of(data: bytes, start: int) -> int:
    """The line number (from 1) of byte `start` of `data`, lines ended by LF, CR LF or a lone CR, as Excel,
    pyarrow, YAML and a text editor end them."""
    return data.count(b"\n", 0, start) + data.count(b"\r", 0, start) - data.count(b"\r\n", 0, start) + 1


# A no-break space looks like a space and is not one: a reader is told what it is, in words, not `\xa0`.
_HARD_SPACES = frozenset("\u00a0\u2007\u202f")
_HARD_SPACE = "[harde spatie]"


def dutch_list(parts: Sequence[str]) -> str:
    """'a', 'a en b', 'a, b en c': a list as a Dutch sentence names it (no comma before the last)."""
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " en " + parts[-1]


def show_value(value: object, limit: int = 40) -> str:
    """A value as it may appear inside an error message: quoted, and cut short when long.

    Error messages end up in spreadsheet cells and terminals; a 1 MB value must not.
    """
    # Numbers as a Dutch reader writes them ('-1,5', not "Decimal('-1.5')" or '-1.5'), dates as 2025-03-14:
    # messages are read by spreadsheet users. Text is quoted exactly as it was typed.
    if isinstance(value, str):
        text = value
    elif isinstance(value, bool):  # a cell's TRUE, as Dutch Excel shows it
        text = "WAAR" if value else "ONWAAR"
    elif isinstance(value, float):
        text = f"{value:.15g}".replace(".", ",")
    elif isinstance(value, Decimal):
        text = str(value).replace(".", ",")
    elif isinstance(value, date):
        text = str(value)
    elif isinstance(value, time):  # a cell in a time format, as Excel shows it: 12:00
        text = f"{value.hour}:{value.minute:02}" + (f":{value.second:02}" if value.second else "")
    elif isinstance(value, timedelta):  # a duration ([h]:mm), as Excel shows it: 30:00
        minutes = round(value.total_seconds()) // 60
        text = f"{'-' if minutes < 0 else ''}{abs(minutes) // 60}:{abs(minutes) % 60:02}"
    else:
        text = repr(value)
    length = len(text)
    if length > limit:
        text = text[:limit]
    if not text.isprintable():  # a CR or tab from a broken file must not break the message's line
        text = "".join(ch if ch.isprintable() else _HARD_SPACE if ch in _HARD_SPACES else repr(ch)[1:-1]
                       for ch in text)
    return f"'{text}… ({length} tekens)'" if length > limit else f"'{text}'"


# What the operating system says, in the words a Dutch user reads: the one table for every message
# that ends in a system error (reading, writing, locking). An errno not listed here is named by its
# code, never by the English text of the C library ("File exists", "No such file or directory").
_REASON_BY_NAME = {
    "ENOENT": "bestand of map bestaat niet",
    "EEXIST": "er staat al een bestand of map met die naam",
    "ENOTDIR": "een deel van het pad is een bestand, geen map",
    "EISDIR": "het pad is een map, geen bestand",
    "EACCES": "geen toegang (rechten)",
    "EPERM": "niet toegestaan (rechten)",
    "EROFS": "de schijf is alleen-lezen",
    "ENOSPC": "de schijf is vol",
    "EDQUOT": "het schijfquotum is op",
    "EFBIG": "het bestand wordt groter dan toegestaan",
    "ENAMETOOLONG": "de bestandsnaam is te lang",
    "ELOOP": "het pad is een snelkoppeling (symlink) of een kringloop van snelkoppelingen",
    "EBUSY": "het bestand is in gebruik",
    "ETXTBSY": "het bestand is in gebruik",
    "EMFILE": "te veel open bestanden",
    "ENFILE": "te veel open bestanden",
    "ENOTEMPTY": "de map is niet leeg",
    "EXDEV": "de bestanden staan op verschillende schijven",
    "EINVAL": "ongeldige naam of bewerking voor dit bestandssysteem",
    "EIO": "lees- of schrijffout van de schijf",
    "ENOMEM": "onvoldoende geheugen",
    "ESTALE": "de netwerkschijf is niet meer bereikbaar",
    "ETIMEDOUT": "de netwerkschijf reageert niet",
}
SYSTEM_REASONS = {getattr(errno, name): text for name, text in _REASON_BY_NAME.items() if hasattr(errno, name)}
_WINDOWS_REASONS = {32: "het bestand is geopend in een ander programma (bijvoorbeeld Excel)",
                    33: "het bestand is geopend in een ander programma (bijvoorbeeld Excel)"}


def not_a_file(path: Path, what: str = "bestand") -> str:
    """Why a path given as a file (`what`: "invoerbestand") is none, in Dutch: it does not exist, it is a
    folder, or it is a pipe or a device (a FIFO or /dev/null was said not to exist)."""
    if not path.exists():
        return f"{what} bestaat niet"
    if path.is_dir():
        return "is een map, geen bestand"
    return "is geen gewoon bestand (maar een pipe of apparaat)"


def cannot_read(path: Path, err: OSError) -> InputError:
    """A file or folder that the system will not open (no rights, a drive gone), in the words every reader
    says it in: a claim file, a folder of them, a CSV (`toolkit.tabular`)."""
    return InputError(f"{path}: kan niet worden gelezen ({system_reason(err)})", file=str(path), value=str(path))


def system_reason(err: OSError) -> str:
    """Why the operating system refused, in Dutch: "de schijf is vol", "bestand of map bestaat niet"."""
    windows = _WINDOWS_REASONS.get(getattr(err, "winerror", None) or 0)
    if windows:
        return windows
    code = err.errno or 0
    if code in SYSTEM_REASONS:
        return SYSTEM_REASONS[code]
    return f"systeemfout {errno.errorcode.get(code, code)}" if code else f"systeemfout ({type(err).__name__})"

