"""The one CSV dialect sniffer: `sniff_csv(path)` gives the delimiter (`;`, `,` or tab), the header fields
and where the data starts. A first line `sep=;` (Excel's way of naming the delimiter, which some systems
write above their export and Excel then hides) names the delimiter; the header is the line after it.

Claims reading (`toolkit.claims`) and the small table files (`toolkit.table_file`: fill's INPUTS, a list of
a kernwerkgebied) both read CSV files that users bring; this is what they share, so that a file is split the
same way and refused for the same reasons everywhere. xlsx files are read with bounds by `toolkit.xlsx`.
It imports only the standard library: `fill` uses it without loading pyarrow.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, AnyStr

from .errors import InputError, cannot_read, not_utf8, show_value

if TYPE_CHECKING:
    from collections.abc import Callable

DELIMITERS = (";", ",", "\t")  # in order of preference when several split the header equally well
MAX_FIELD_CHARS = 131_072  # longest CSV field read (Python's csv default): a longer one is a broken file
MAX_HEADER_BYTES = 1 << 20  # the header line must end within this many bytes


@dataclass(frozen=True)
class CsvDialect:
    """How a CSV file is laid out: its delimiter, its header fields, where its first data line starts
    (in bytes from the start of the file, after a UTF-8 BOM, a `sep=` line and the header line) and the
    line number of the header (2 below a `sep=` line). `open_name`: the start of a column name whose quote
    the header line does not close (a name typed over lines), for a reader that takes the header as one
    line to refuse (`header_over_lines`); None when every name is closed."""

    delimiter: str
    header: tuple[str, ...]
    header_bytes: int
    header_line: int = 1
    open_name: str | None = None


def csv_fields(line: str, delimiter: str) -> list[str] | None:
    """The fields of one CSV line, or None when Python's csv module cannot read it (a stray quote or
    CR, or a field longer than `MAX_FIELD_CHARS`)."""
    try:
        return next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:
        return None


def longest_field(line: str, delimiter: str, *, over_lines: bool = True) -> tuple[int, int] | None:
    """(position, length) of the first field longer than `MAX_FIELD_CHARS` in one CSV line (or record), or
    None. Without `over_lines`, a quoted field over lines is not counted (the claims reader bounds a line,
    not such a remark).

    Counted without the csv module, whose own limit is what is being checked: quoted fields are
    followed to their closing quote, a doubled quote inside them is one character."""
    position, i, n = 0, 0, len(line)
    while i <= n:
        if i < n and line[i] == '"':
            j, length = i + 1, 0
            while j < n:
                if line[j] == '"':
                    if j + 1 < n and line[j + 1] == '"':
                        j, length = j + 2, length + 1
                        continue
                    break
                j, length = j + 1, length + 1
            end = line.find(delimiter, j)
            end = n if end < 0 else end
            length += max(0, end - j - 1)  # anything after the closing quote belongs to the field too
            if not over_lines and ("\n" in line[i:j] or "\r" in line[i:j]):
                length = 0
        else:
            end = line.find(delimiter, i)
            end = n if end < 0 else end
            length = end - i
        if length > MAX_FIELD_CHARS:
            return position, length
        position, i = position + 1, end + len(delimiter)
    return None


def quoted_fields(text: AnyStr, delimiter: str) -> list[tuple[int, int]]:
    """The quoted fields of `text` (which starts at a record's start) as Python's csv module and pyarrow
    read them: (opening quote, closing quote) each, the closing one at `len(text)` for a field still open
    at the end. A quote opens a field only at the field's start, a doubled quote inside it is one quote,
    and the first single quote closes it; elsewhere a quote is a character (`5"`). Quote by quote: for
    text whose quotes NumPy cannot pair."""
    quote, ends = ('"', (delimiter, "\n", "\r")) if isinstance(text, str) else \
        (b'"', (delimiter.encode(), b"\n", b"\r"))
    fields: list[tuple[int, int]] = []
    opened: int | None = None
    i = text.find(quote)
    while i >= 0:
        if opened is not None:
            if text[i + 1:i + 2] == quote:  # a doubled quote: a quote in the field
                i = text.find(quote, i + 2)
                continue
            fields.append((opened, i))
            opened = None
        elif i == 0 or text[i - 1:i] in ends:
            opened = i
        i = text.find(quote, i + 1)
    if opened is not None:
        fields.append((opened, len(text)))
    return fields


def takes_rows_in(field: AnyStr, delimiter: str, columns: int, column: int | Callable[[], int]) -> bool:
    """Whether a quoted field over lines, the `column`-th (from 0) of its row, took rows in. A quote that
    opens a field and is closed only lines later by another field's quote reads as one field with the rows
    between in it, and its row still has the right number of fields (`columns`), so those rows would vanish
    without a word. Such a field holds a line with a whole row's delimiters; or it closed on the next line
    in its own column, and then its first line holds the delimiters of the fields after its column (the
    rest of the line it opened on) and its last line those of the fields before (the start of the line it
    closed on). A remark typed over lines has neither. A line ends at LF, CR LF or a lone CR, as Excel and
    pyarrow read them. The one test for claims and small tables. `column` may be a function that finds it,
    called only where the delimiters could be such a merge."""
    newline, mark, cr = ("\n", delimiter, "\r") if isinstance(field, str) else (b"\n", delimiter.encode(), b"\r")
    lines = field.replace(cr, newline).split(newline)  # (CR LF: an empty line more, without delimiters)
    if len(lines) < 2:
        return False
    first, last = lines[0].count(mark), lines[-1].count(mark)
    if any(line.count(mark) >= max(1, columns - 1) for line in lines[1:-1]):
        return True
    if first + last < max(1, columns - 1):
        return False
    at = column() if callable(column) else column
    return first >= columns - 1 - at and last >= at


def quoting(text: AnyStr, delimiter: str) -> tuple[int, int | None]:
    """Where the last record of `text` (which starts at a record's start) ends (after the last line end
    outside quoted fields; 0 if none), and the quote that opens a field still open at the end (None if
    none): at the end of a file, Python's csv module and pyarrow would take the rest of the file into
    that field, its lines lost. See `quoted_fields`."""
    fields = quoted_fields(text, delimiter)
    opened = fields[-1][0] if fields and fields[-1][1] == len(text) else None
    end = line_end_before(text, len(text))
    for start, close in reversed(fields):  # a line end inside a field ends no record: look before it
        if start < end < close:
            end = line_end_before(text, start)
    return end + 1, opened


def line_end_before(text: AnyStr | bytearray, stop: int, known: int | None = None) -> int:
    """The last line end in `text` before `stop` (-1: none): a LF, or a CR without a LF after it (old Mac lines,
    as pyarrow and Excel end them), though not a CR at the end of what is known of the text (`known`, default
    its length), whose LF may not have been read yet."""
    newline, cr = ("\n", "\r") if isinstance(text, str) else (b"\n", b"\r")
    end = text.rfind(newline, 0, stop)  # type: ignore[arg-type]
    lone = text.rfind(cr, end + 1, min(stop, (len(text) if known is None else known) - 1))  # type: ignore[arg-type]
    if lone >= 0 and text[lone + 1:lone + 2] != newline:
        return lone
    return end


# The first bytes of files that are no text, and what they are to a reader.
_NOT_TEXT = (
    (b"PK\x03\x04", "het is een zip-bestand, waarschijnlijk een Excel-werkmap; geef het de naam .xlsx"),
    (bytes.fromhex("D0CF11E0A1B11AE1"), "het is een oud Excel-bestand (.xls) of een werkmap met een wachtwoord; "
                                        "sla het in Excel op als 'CSV UTF-8' of als Excel-werkmap (.xlsx)"),
    (b"\x1f\x8b", "het is ingepakt (gzip); pak het eerst uit"),
    (b"PAR1", "het is een Parquet-bestand; geef het de naam .parquet"),
    (b"%PDF", "het is een PDF-bestand; lever de declaraties als csv, xlsx of Parquet"),
)


def sniff_csv(path: Path) -> CsvDialect:
    """The dialect of a CSV file from its header line: UTF-8 (with or without BOM), a header line ended by
    LF or CR LF, the delimiter that splits the header into the most fields (`;` first on a tie).

    Refused with an `InputError` naming the file: an empty file, a header that is not UTF-8, a header line
    ended by a lone CR (an old Mac export, every line so), a header line longer than `MAX_HEADER_BYTES` or
    with a field longer than `MAX_FIELD_CHARS`, or one the csv module cannot read with any delimiter."""
    try:
        with path.open("rb") as handle:
            head = handle.read(MAX_HEADER_BYTES + 4)
    except OSError as err:  # (no rights, a drive gone)
        raise cannot_read(path, err) from None
    if not head.removeprefix(b"\xef\xbb\xbf").strip():  # (a BOM alone, as Excel saves an empty sheet, is empty too)
        raise InputError(f"{path}: het bestand is leeg", file=str(path))
    packed = next((what for magic, what in _NOT_TEXT if head.startswith(magic)), None)
    if packed is not None:  # a workbook or a packed file given the name .csv: its bytes say what it is
        raise InputError(f"{path}: geen tekstbestand (csv): {packed}", file=str(path), value=path.suffix)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's and Notepad's "Unicode" text
        raise InputError(f"{path}: het bestand is opgeslagen als UTF-16 ('Unicode-tekst'); sla het op als "
                         "'CSV UTF-8'", file=str(path), value="UTF-16")
    start = 3 if head.startswith(b"\xef\xbb\xbf") else 0
    raw_header, end = _line(path, head, start, 1)
    _header_text(path, raw_header, 1)  # UTF-8, and not ended by a lone CR, before it is read as `sep=`
    declared, header_line = _declared_delimiter(path, raw_header), 1
    if declared is not None:
        raw_header, end = _line(path, head, end + 1, 2)
        header_line = 2
    header_text = _header_text(path, raw_header, header_line)
    if declared is not None:
        after = f"na 'sep={_shown_delimiter(declared)}'"
        if not header_text.strip():
            raise InputError(f"{path}: regel 2: geen kopregel {after}", row=2, file=str(path), value=header_text)
        fields = csv_fields(header_text, declared)
        if fields is None:
            raise InputError(f"{path}: regel 2 (kopregel, {after}) is geen leesbare CSV-regel: "
                             f"{show_value(header_text)}", row=2, file=str(path), value=header_text)
        return CsvDialect(declared, tuple(fields), end + 1, 2, _open_name(header_text, declared))
    if not header_text.strip():  # an empty line, or a title and a blank line, above the header
        raise InputError(f"{path}: regel 1 is leeg; de kopregel (de namen van de kolommen) moet op regel 1 staan",
                         row=1, file=str(path), value=header_text)
    best: tuple[int, str] = (0, DELIMITERS[0])
    for delimiter in DELIMITERS:
        fields = csv_fields(header_text, delimiter)
        if fields is not None and len(fields) > best[0]:
            best = (len(fields), delimiter)
    if best[0] == 0:
        long = longest_field(header_text, DELIMITERS[0])
        if long is not None:
            raise InputError(f"{path}: regel 1 (kopregel), veld {long[0] + 1} is langer dan {_chars(MAX_FIELD_CHARS)}",
                             row=1, file=str(path), value=f"{long[1]} tekens")
        raise InputError(f"{path}: regel 1 (kopregel) is geen leesbare CSV-regel: {show_value(header_text)}",
                         row=1, file=str(path), value=header_text)
    delimiter = best[1]
    header = tuple(csv_fields(header_text, delimiter) or ())
    return CsvDialect(delimiter, header, end + 1, 1, _open_name(header_text, delimiter))


def _line(path: Path, head: bytes, start: int, number: int) -> tuple[bytes, int]:
    """Line `number` of the file from byte `start` of its first bytes, without its line end, and the
    position of its LF (or the end of what was read)."""
    end = head.find(b"\n", start)
    if end < 0:
        if len(head) > MAX_HEADER_BYTES and b"\r" in head[start:]:  # lines ended by CR alone: see _header_text
            raise InputError(f"{path}: regel {number}: {_OLD_MAC}", row=number, file=str(path), value="CR")
        if len(head) > MAX_HEADER_BYTES:  # the file goes on past what was read: the line is too long
            raise InputError(f"{path}: regel {number} (kopregel) is langer dan {MAX_HEADER_BYTES:,} bytes"
                             .replace(",", "."),
                             row=number, file=str(path), value=f"{len(head) - start} bytes")
        end = len(head)
    return head[start:end].rstrip(b"\r"), end


def _declared_delimiter(path: Path, line: bytes) -> str | None:
    """The delimiter a first line `sep=;` names (also quoted, `"sep=;"`, and followed by empty fields, as a
    spreadsheet saves it), or None when the first line is no such line. A delimiter this reader does not
    split on is refused: the file says it is laid out otherwise."""
    text = line.strip(b" ")
    if text[:1] == b'"':  # "sep=;" as a spreadsheet quotes a field with the delimiter in it
        text = text[1:].replace(b'"', b"", 1)
    if not text.lower().startswith(b"sep="):
        return None
    named, rest = text[4:5].decode("latin-1"), text[5:].decode("latin-1")
    if named in DELIMITERS and rest.strip(named) == "":
        return named
    shown = line.decode("utf-8", "replace")
    raise InputError(f"{path}: regel 1 {show_value(shown)}: een regel 'sep=' moet ';', ',' of een tab als "
                     "scheidingsteken noemen", row=1, file=str(path), value=shown)


def _open_name(header_text: str, delimiter: str) -> str | None:
    opened = quoting(header_text, delimiter)[1]
    return None if opened is None else header_text[opened:]


def header_over_lines(path: Path, dialect: CsvDialect) -> InputError | None:
    """The refusal of a header with a column name typed over lines, for a reader that takes the header as its
    first line (claims: read as one line, the names on the next lines would be lost and the message would be
    about missing columns). The small tables read the header with the csv module and take such a name."""
    if dialect.open_name is None:
        return None
    return InputError(f"{path}: regel {dialect.header_line} (kopregel): de kolomnaam die begint met "
                      f"{show_value(dialect.open_name)} wordt op die regel niet gesloten; een kolomnaam over meer "
                      "regels kan niet worden gelezen: zet de kopregel op één regel",
                      row=dialect.header_line, file=str(path), value=dialect.open_name)


def _shown_delimiter(delimiter: str) -> str:
    return "tab" if delimiter == "\t" else delimiter


def _header_text(path: Path, raw_header: bytes, number: int) -> str:
    """The header line as text: UTF-8, not ended by a lone CR."""
    try:
        header_text = raw_header.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{path}: regel {number} (kopregel) is geen UTF-8 ({not_utf8(raw_header, exc.start)} op "
            f"positie {exc.start + 1}); sla het bestand op als 'CSV UTF-8'",
            row=number, file=str(path), value=raw_header[exc.start:exc.start + 1],
        ) from None
    # A CR left in the header line (read up to the first LF): lines ended by CR alone, an old Mac export.
    # The header is found up to a LF, so such a file would be one long header line: refused.
    if "\r" in header_text:
        raise InputError(f"{path}: regel {number}: {_OLD_MAC}", row=number, file=str(path), value="CR")
    return header_text


_OLD_MAC = "de regels eindigen op een los CR-teken (oud Mac-formaat); sla het bestand op als 'CSV UTF-8'"


def _chars(count: int) -> str:
    return f"{count:,} tekens".replace(",", ".")


__all__ = ["DELIMITERS", "MAX_FIELD_CHARS", "CsvDialect", "csv_fields", "header_over_lines", "line_end_before",
           "longest_field", "quoted_fields", "quoting", "sniff_csv", "takes_rows_in"]
