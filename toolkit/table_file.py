"""A small table file read whole: the INPUTS file of `fill`, the list of a kernwerkgebied. CSV (`,` `;` or tab,
UTF-8 with or without BOM) or the first sheet of an xlsx, read with the same sniffer and xlsx bounds as claim
files (`toolkit.tabular`), so a file is split the same way and refused for the same reasons everywhere.
"""

from __future__ import annotations

import contextlib
import csv
import io
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from .errors import (
    InputError,
    dutch_list,
    error_value_in_cell,
    line_of,
    not_a_file,
    not_utf8,
    show_value,
    system_reason,
)

if TYPE_CHECKING:
    from collections.abc import Collection


def table_error(path: Path, message: str, **details: Any) -> InputError:
    """The one shape of a message about such a file: the file, then what is wrong."""
    return InputError(f"{path}: {message}", field=details.pop("field", "inputs"), value=details.pop("value", str(path)),
                      file=str(path), **details)


# Cells of a small table's first sheet: a formula whose workbook was saved without its result (by a script,
# not by Excel or LibreOffice) reads as empty, and an empty cell would silently drop a row.
_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_REF = re.compile(rb'\br="([A-Z]+[0-9]+)"')
_FORMULA = re.compile(rb"<(?:\w+:)?f\b")
_VALUE = re.compile(rb"<(?:\w+:)?v\b[^>]*>[^<]")  # a cached result: a <v> with text in it
_TEXT_RESULT = re.compile(rb'\bt="str"')  # a text formula's result may be the empty text


def _small_table_limits(max_bytes: int, rows: int | None) -> Any:
    from .xlsx import XLSX_LIMITS  # start-up: only when such a file is read

    # A table of at most `max_bytes` inflates to at most 16 times that (64 MiB for a 4 MB kernwerkgebied):
    # a 700 kB zip of ten million empty rows is refused before anything is parsed.
    inflated = 16 * max_bytes
    return replace(XLSX_LIMITS, part_bytes=min(XLSX_LIMITS.part_bytes, inflated),
                   total_bytes=min(XLSX_LIMITS.total_bytes, 2 * inflated),
                   memory_bytes=min(XLSX_LIMITS.memory_bytes, inflated), rows=rows)


def _read_sheet_xml(path: Path, part: str) -> tuple[list[int], set[int], list[tuple[int, int, str]]]:
    """What calamine does not say of the first sheet: a formula without a saved result is refused; the
    hidden rows (an AutoFilter's or a collapsed group's) and columns are returned, so that reading them is
    said, and the cells holding an error value (#N/A), which calamine reads as empty."""
    import zipfile  # start-up: only when such a file is read

    with zipfile.ZipFile(path) as archive:
        xml = archive.read(part)  # inflated size checked by check_xlsx
    refuse_formulas_without_value(path, xml)
    refuse_merged_cells(path, xml)
    errors = error_cells(io.BytesIO(xml)) if any(kind in xml for kind in _ERROR_TYPES) else []
    return hidden_rows(io.BytesIO(xml)), hidden_columns(xml), errors


def hidden_rows(stream: IO[bytes]) -> list[int]:
    """The numbers of the rows a sheet hides that hold a value, read as a spreadsheet reads the XML (an XML
    parser: either quote, spaces, character references, comments; a row without `r` is the one after the
    last). expat streams from `stream`: no tree of the sheet is built, and a large sheet is not held whole."""
    from xml.parsers import expat  # start-up: only when such a file is read

    hidden: list[int] = []
    row, row_hidden = 0, False  # the current row's number, and whether it is hidden

    def start(name: str, attributes: dict[str, str]) -> None:
        nonlocal row, row_hidden
        local = name.rsplit("}", 1)[-1]
        if local == "row":
            reference = attributes.get("r", "").strip()
            row = int(reference) if reference.isdigit() else row + 1
            row_hidden = attributes.get("hidden", "").strip().lower() in {"1", "true"}
            # A height of 0 hides a row as surely as `hidden` does.
            row_hidden = row_hidden or (attributes.get("customHeight", "").strip().lower() in {"1", "true"}
                                        and _zero(attributes.get("ht", "")))
        elif local in {"v", "is"} and row_hidden and (not hidden or hidden[-1] != row):
            hidden.append(row)  # a value, or an inline text, in a hidden row

    parser = expat.ParserCreate(namespace_separator="}")
    parser.StartElementHandler = start
    with contextlib.suppress(expat.ExpatError):  # calamine reads the sheet, and says what is wrong with it
        parser.ParseFile(stream)
    return hidden


def _zero(text: str) -> bool:
    try:
        return float(text) == 0
    except ValueError:
        return False


class _SheetData(Exception):
    """Stops the XML parser where the cells begin: the columns are declared before them."""


def hidden_columns(xml: bytes) -> set[int]:
    """The indexes (0 for A) of the columns a sheet hides (`hidden`, or a width of 0), from its `<cols>`,
    which stand before the cells: the parser stops there."""
    from xml.parsers import expat  # start-up: only when such a file is read

    hidden: set[int] = set()

    def start(name: str, attributes: dict[str, str]) -> None:
        local = name.rsplit("}", 1)[-1]
        if local == "sheetData":
            raise _SheetData
        if local == "col" and (attributes.get("hidden", "").strip().lower() in {"1", "true"}
                               or _zero(attributes.get("width", "1"))):
            low, high = attributes.get("min", "").strip(), attributes.get("max", "").strip()
            if low.isdigit() and high.isdigit() and int(low) >= 1:  # (the last 16,384 at most: a sheet's width)
                hidden.update(range(int(low) - 1, min(int(high), int(low) + 16_384)))

    parser = expat.ParserCreate(namespace_separator="}")
    parser.StartElementHandler = start
    with contextlib.suppress(expat.ExpatError, _SheetData):
        parser.Parse(xml, True)
    return hidden


# A `hidden` attribute that hides nothing, as LibreOffice writes on every row: hidden="false" (or "0").
_SHOWN = re.compile(rb"hidden\s*=\s*([\"'])\s*(?i:false|0)\s*\1")


# A formula's tag, with or without a namespace prefix: <f>, <f t="shared" …/>, <x:f>.
_FORMULA_TAGS = (b"<f>", b"<f ", b"<f/", b":f>", b":f ", b":f/")


# An error value's cell type (t="e"), in either quote: what the byte search looks for, a superset (any
# attribute of the value e).
_ERROR_TYPES = (b'"e"', b"'e'")


@dataclass(frozen=True)
class SheetMarks:
    """What one byte search over a sheet's XML found: whether it may hide a row, may hold a formula, and may
    hold an error value (#N/A)."""

    may_hide_rows: bool
    may_hold_formulas: bool
    may_hold_errors: bool


def sheet_marks(stream: IO[bytes]) -> SheetMarks:
    """One pass over a sheet's XML, in pieces cut before a `<` (so that no tag is ever split):
    - whether it may hide a row: it holds the word `hidden` other than in hidden="false". An attribute's name
      is never a character reference, and a tag never holds a `<`. Any other use of the word (a character
      reference as the value, a cell that says "hidden") answers yes, and the exact pass (`hidden_rows`, an
      expat callback per element, ten times slower) decides;
    - whether it may hold a formula (a tag `f`), which a claims export saved by its system holds none of;
    - whether it may hold an error value (a cell of type `e`: #N/A, #DIV/0!), which calamine reads as empty.
    A claims export without any is spared the slower passes."""
    hides = formulas = errors = False
    carry = b""
    while not (hides and formulas and errors) and (chunk := stream.read(1 << 20)):
        buffer = carry + chunk
        cut = buffer.rfind(b"<")
        if cut <= 0:  # no tag boundary to cut at: the exact passes read it
            return SheetMarks(True, True, True)
        piece, carry = buffer[:cut], buffer[cut:]
        hides = hides or _hides(piece)
        formulas = formulas or any(tag in piece for tag in _FORMULA_TAGS)
        errors = errors or any(kind in piece for kind in _ERROR_TYPES)
    return SheetMarks(hides or _hides(carry), formulas or any(tag in carry for tag in _FORMULA_TAGS),
                      errors or any(kind in carry for kind in _ERROR_TYPES))


class _Found(Exception):
    """Stops the XML parser at the cell searched for."""


def first_error_cell(stream: IO[bytes], columns: Collection[int] | None = None,
                     first_row: int = 1) -> tuple[int, int, str] | None:
    """The first cell of a sheet holding an error value (type `e`: #N/A, #DIV/0!), at or below row `first_row`
    and in one of `columns` (0 for column A; None: any), as (row, column, the value as the file stores it);
    None when there is none. Calamine reads such a cell as empty, and an empty cell would be a missing value
    where the sheet shows an error."""
    found = error_cells(stream, columns, first_row, limit=1)
    return found[0] if found else None


def error_cells(stream: IO[bytes], columns: Collection[int] | None = None, first_row: int = 1,
                limit: int | None = None) -> list[tuple[int, int, str]]:
    """The cells of a sheet holding an error value, as `first_error_cell` finds the first (at most `limit`).
    Read as `hidden_rows` reads the XML (a row or cell without `r` is the one after the last)."""
    from xml.parsers import expat  # start-up: only when such a file is read

    row, column = 0, -1
    in_error, in_value = False, False
    value: list[str] = []
    found: list[tuple[int, int, str]] = []

    def start(name: str, attributes: dict[str, str]) -> None:
        nonlocal row, column, in_error, in_value
        local = name.rsplit("}", 1)[-1]
        if local == "row":
            reference = attributes.get("r", "").strip()
            row = int(reference) if reference.isdigit() else row + 1
            column = -1
        elif local == "c":
            letters = re.match(r"\s*([A-Za-z]+)", attributes.get("r", ""))
            column = _column_index(letters.group(1)) if letters else column + 1
            in_error = attributes.get("t", "").strip() == "e" and row >= first_row and (
                columns is None or column in columns)
            value.clear()
        elif local == "v":
            in_value = in_error

    def text(data: str) -> None:
        if in_value:
            value.append(data)

    def end(name: str) -> None:
        nonlocal in_error, in_value
        local = name.rsplit("}", 1)[-1]
        if local == "v":
            in_value = False
        elif local == "c" and in_error:
            found.append((row, column, "".join(value).strip()))
            in_error = False
            if limit is not None and len(found) >= limit:
                raise _Found

    parser = expat.ParserCreate(namespace_separator="}")
    parser.StartElementHandler = start
    parser.CharacterDataHandler = text
    parser.EndElementHandler = end
    # (An unreadable sheet: calamine reads it, and says what is wrong with it.)
    with contextlib.suppress(expat.ExpatError, _Found):
        parser.ParseFile(stream)
    return found


@dataclass(frozen=True)
class ErrorCell:
    """A cell of a table that shows an error value (#N/A), as the file stores it: calamine reads it as an
    empty cell, which would be a value left out or a wrong one. `refuse_error_cells` says so for the cells a
    reader reads; a column it does not read may hold them (a lookup that found nothing beside the list)."""

    value: str

    def __str__(self) -> str:
        return self.value


def refuse_error_cells(path: Path, table: list[list[Any]], columns: Collection[int] | None = None,
                       first_row: int = 1, *, header: bool = True) -> None:
    """InputError naming the first `ErrorCell` of `table` at or below row `first_row` in `columns` (None: any):
    by its row and column name when row 1 is a `header` of texts, else by its cell (A3)."""
    for number, row in enumerate(table[first_row - 1:], start=first_row):
        for column, cell in enumerate(row):
            if isinstance(cell, ErrorCell) and (columns is None or column in columns):
                name = table[0][column] if header and number > 1 and column < len(table[0]) else None
                where = f"rij {number}, kolom {show_value(name)}" if isinstance(name, str) and name.strip() else \
                    f"cel {_column_letters(column)}{number}"
                raise table_error(path, f"{where}: {error_value_in_cell(cell.value)}", row=number, value=cell.value)


def _column_letters(index: int) -> str:
    """A column's index (0 for A) as its letters: 27 -> 'AB'."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _column_index(letters: str) -> int:
    """A column's letters as its index, 0 for A: 'AB' -> 27."""
    index = 0
    for letter in letters.upper():
        index = index * 26 + ord(letter) - ord("A") + 1
    return index - 1


def _hides(xml: bytes) -> bool:
    # The word `hidden` other than as hidden="false", or a row height of 0 (`hidden_rows` reads both).
    return xml.count(b"hidden") != sum(1 for _ in _SHOWN.finditer(xml)) or _NO_HEIGHT.search(xml) is not None


_NO_HEIGHT = re.compile(rb"""\bht\s*=\s*["']\s*0*(?:\.0*)?\s*["']""")


def _hidden(rows: list[int]) -> str:
    """"rij 7 is verborgen", "rijen 4, 7 en 9 zijn verborgen" (the first five, then how many more)."""
    numbers = [str(n) for n in rows]
    shown = ", ".join(numbers[:5]) + f" en nog {len(numbers) - 5}" if len(numbers) > 5 else dutch_list(numbers)
    return f"rij {shown} is verborgen" if len(rows) == 1 else f"rijen {shown} zijn verborgen"


_HOW_HIDDEN = "door een filter, een groepering of een hoogte van 0"


def hidden_rows_note(rows: list[int]) -> str:
    """The note that hidden rows are read: a filter shows a choice, the file holds them all."""
    return (f"{_hidden(rows)} ({_HOW_HIDDEN}) en {'wordt' if len(rows) == 1 else 'worden'} "
            "toch gelezen")


def refuse_formulas_without_value(path: Path, xml: bytes) -> None:
    """InputError naming the first cell of `xml` (a sheet) whose formula has no saved result."""
    for cell in _CELL.finditer(xml):
        body = cell.group(2) or b""
        if _FORMULA.search(body) and not _VALUE.search(body) and not (_TEXT_RESULT.search(cell.group(1))
                                                                        and b"<v" in body):
            ref = _REF.search(cell.group(1))
            where = f"cel {ref.group(1).decode()}" if ref else "een cel"
            raise table_error(path, f"{where} heeft een formule zonder opgeslagen uitkomst; open het bestand in Excel "
                                    "of LibreOffice en sla het opnieuw op, of typ de waarde zelf",
                              value=ref.group(1).decode() if ref else None)


_MERGED = re.compile(rb"""<(?:[\w.-]+:)?mergeCell\b[^>]*?\bref\s*=\s*["']([^"']*)["']""")


def refuse_merged_cells(path: Path, xml: bytes) -> None:
    """InputError naming the first merged range of `xml` (a sheet): it shows one value over every row and
    column it spans, and the file holds that value only in its first cell; the others read as empty, so a
    key on a later row would silently miss what the reader sees beside it."""
    merged = _MERGED.search(xml)
    if merged is not None:
        ref = merged.group(1).decode("ascii", "replace")
        first = ref.split(":")[0]
        raise table_error(path, f"de cellen {ref} zijn samengevoegd: het bestand heeft alleen in {first} een "
                                "waarde, de andere cellen zijn leeg; maak de cellen los en vul elke cel",
                          value=ref)


def read_table(path: Path, *, max_bytes: int, what: str, max_rows: int | None = None,
               notes: list[str] | None = None) -> list[list[Any]]:
    """Every row of the file as a list of cells (text for CSV, typed values for xlsx; a cell showing an error
    value as an `ErrorCell`, for the reader to refuse with `refuse_error_cells` where it reads). `what` names
    the kind of file in messages ("invoerbestand"); a file larger than `max_bytes` is refused before it is read, one
    of more than `max_rows` rows (every row is kept) as soon as that shows: from the sheet's extent before
    calamine reads an xlsx, while reading a CSV. Of a workbook the first sheet is read; other sheets that
    hold data are said in `notes` (without a list to say it in, the file is refused: never left out in
    silence)."""
    # Start-up: the readers only when such a file is read.
    from .tabular import MAX_FIELD_CHARS, quoting, sniff_csv
    from .xlsx import check_xlsx, open_xlsx_sheet

    if not path.is_file():
        raise table_error(path, not_a_file(path, what))
    try:
        size = path.stat().st_size
    except OSError as err:
        raise table_error(path, f"niet te lezen ({system_reason(err)})") from None
    if size > max_bytes:
        raise table_error(path, f"te groot voor een {what} ({size // (1 << 20)} MB; hoogstens {max_bytes >> 20} MB)")
    suffix = path.suffix.lower()
    if suffix in {".xlsx", ".xlsm"}:
        limits = _small_table_limits(max_bytes, max_rows)
        check = check_xlsx(path, limits)
        hidden, hidden_in_columns, errors = _read_sheet_xml(path, check.sheet)
        left_out = check.not_read()
        if left_out is not None and notes is None:
            raise table_error(path, f"{left_out}; zet die in een eigen bestand of haal ze weg")
        if left_out is not None and notes is not None:
            notes.append(f"{path}: {left_out}")
        sheet = open_xlsx_sheet(path, limits, check)
        table = [list(r) for r in sheet.to_python(skip_empty_area=False)]
        for row, column, value in errors:  # (calamine's table starts at A1: skip_empty_area=False)
            if row <= len(table) and column < len(table[row - 1]):
                table[row - 1][column] = ErrorCell(value)
        _say_hidden_rows(path, table, hidden, notes)
        _say_hidden_columns(path, table, hidden_in_columns, notes)
        return table
    if suffix not in {".csv", ".txt"}:
        raise table_error(path, f"onbekend soort {what} (verwacht .csv, .txt of .xlsx)")
    dialect = sniff_csv(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as err:
        at = line_of(err.object, err.start)
        raise table_error(path, f"regel {at} is geen UTF-8 ({not_utf8(err.object, err.start)}); sla het bestand "
                                "op als 'CSV UTF-8'", row=at) from None
    if dialect.header_line == 2:  # below a `sep=` line, which Excel hides: the header is row 1, as there
        text = text[text.index("\n") + 1:]
    delimiter = dialect.delimiter
    opened = quoting(text, delimiter)[1]
    if opened is not None:  # the csv module would read the rest of the file into that field
        at = text.count("\n", 0, opened) + dialect.header_line
        raise table_error(path, f"regel {at}: een veld dat met een aanhalingsteken (\") begint, wordt tot het einde "
                                "van het bestand niet gesloten; controleer de aanhalingstekens op die regel",
                          row=at, value='"')
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    table = []
    limit = csv.field_size_limit()
    try:
        csv.field_size_limit(MAX_FIELD_CHARS)
        for line in reader:
            table.append(line)
            if max_rows is not None and len(table) > max_rows:
                raise table_error(path, f"meer dan {max_rows:,} rijen; hoogstens {max_rows:,} rijen worden "
                                        "gelezen. Splits het bestand".replace(",", "."), row=len(table))
    except csv.Error as err:
        longest = f"{MAX_FIELD_CHARS:,}".replace(",", ".")
        why = f"heeft een veld langer dan {longest} tekens" if "field larger" in str(err) else \
            f"is geen leesbare CSV-regel ({err})"
        row = len(table) + 1  # as Excel numbers rows: a field over lines is one row (not reader.line_num)
        raise table_error(path, f"rij {row} {why}", row=row, value=str(err)) from None
    finally:
        csv.field_size_limit(limit)
    if reader.line_num > len(table):  # a field over lines (every other line is a row of its own)
        _refuse_rows_taken_in(path, table, delimiter)
    return table


def _refuse_rows_taken_in(path: Path, table: list[list[str]], delimiter: str) -> None:
    """A field over lines that took rows in (`tabular.takes_rows_in`): keys and their values would be gone
    without a word."""
    from .tabular import takes_rows_in  # start-up: only when such a file is read

    columns = max((len(row) for row in table[:1]), default=0)
    for number, row in enumerate(table, start=1):
        for column, cell in enumerate(row):
            if ("\n" in cell or "\r" in cell) and takes_rows_in(cell, delimiter, columns, column):
                raise table_error(path, f"rij {number}: een veld tussen aanhalingstekens loopt over meer regels en "
                                        "bevat regels die op hele rijen lijken; controleer de aanhalingstekens",
                                  row=number, value=cell[:60])


def _say_hidden_rows(path: Path, table: list[list[Any]], hidden: list[int], notes: list[str] | None) -> None:
    """Hidden rows that hold data are read as every other row (a filter shows a choice, the file holds
    them all), but never in silence: said in `notes`, or refused without a list to say it in."""
    filled = [r for r in hidden if r <= len(table) and any(c not in (None, "") for c in table[r - 1])]
    if not filled:
        return
    if notes is None:
        raise table_error(path, f"{_hidden(filled)} ({_HOW_HIDDEN}); maak die zichtbaar of "
                                "haal die weg", row=filled[0])
    notes.append(f"{path}: {hidden_rows_note(filled)}")


def _say_hidden_columns(path: Path, table: list[list[Any]], hidden: set[int], notes: list[str] | None) -> None:
    """Hidden columns that hold data are read as every other column, but never in silence (as hidden rows)."""
    # Only the columns the table has: Excel users hide every unused column up to XFD (16,000 of them).
    width = max((len(row) for row in table), default=0)
    filled = sorted(c for c in hidden if c < width and any(c < len(row) and row[c] not in (None, "") for row in table))
    if not filled:
        return
    named = [f"{show_value(table[0][c])} ({_column_letters(c)})" if c < len(table[0]) and table[0][c] not in
             (None, "") else _column_letters(c) for c in filled[:5]]
    one = len(filled) == 1
    more = f" en nog {len(filled) - 5}" if len(filled) > 5 else ""
    subject = f"kolom {named[0]} is" if one else f"kolommen {dutch_list(named)}{more} zijn"
    if notes is None:
        raise table_error(path, f"{subject} verborgen; maak die zichtbaar of haal die weg")
    notes.append(f"{path}: {subject} verborgen en {'wordt' if one else 'worden'} toch gelezen")


def first_line(path: Path) -> int:
    """The line of the file that `read_table`'s first row is (a text editor's numbering): 2 in a CSV file
    below a `sep=` line, 1 otherwise. Only for messages that number lines, not rows as Excel shows them."""
    # Start-up: the sniffer only when a file is read.
    from .tabular import sniff_csv

    return sniff_csv(path).header_line if path.suffix.lower() in {".csv", ".txt"} else 1


__all__ = ["ErrorCell", "SheetMarks", "error_cells", "first_error_cell", "first_line", "hidden_columns", "hidden_rows",
           "hidden_rows_note", "read_table", "refuse_error_cells", "refuse_formulas_without_value",
           "refuse_merged_cells", "sheet_marks", "table_error"]
