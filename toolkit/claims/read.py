"""Claim files to record batches: which column holds which field, and the lines as Arrow batches.

Sources: CSV (`;`, `,` or tab; UTF-8 with or without BOM; the dialect from `toolkit.tabular.sniff_csv`),
xlsx (first sheet, after `toolkit.xlsx.check_xlsx`), Parquet, a pandas DataFrame or an Arrow table;
several files at once (a list, or a directory of csv/parquet/xlsx files) are one claim set, each file
with its own line numbers in messages.

Batches leave this module with the canonical field names (`client_id`, `postcode`, …) and with text,
date or (for amounts) number columns only; every other column type is refused here, naming the file
and column. A CSV is cut into pieces of about `CHUNK_BYTES` at line ends, and each piece is parsed
inside a worker thread (`Chunk.load`), so memory stays bounded by the piece size whatever the length
of the file.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import os
import queue
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .. import _arrow as arrow
from ..columns import CLAIM_FIELDS, match_columns
from ..errors import InputError, show_value
from ..tabular import MAX_FIELD_CHARS, CsvDialect, csv_fields, longest_field, sniff_csv
from ..xlsx import open_xlsx_sheet
from .claimset import identical_files

# Canonical field -> accepted column names (one list for every reader: toolkit/columns.py).
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {field: spec.names for field, spec in CLAIM_FIELDS.items()}
REQUIRED = ("client_id", "postcode", "insurer", "date")
TEXT_FIELDS = ("client_id", "postcode", "insurer", "provider", "care_type")
DUTCH_FIELD = {field: spec.label for field, spec in CLAIM_FIELDS.items()}
SUFFIXES = {".csv": "csv", ".txt": "csv", ".tsv": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx", ".parquet": "parquet",
            ".pq": "parquet"}

CHUNK_BYTES = 16 << 20  # bytes of CSV one worker parses and validates at a time: bounds memory
BLOCK_BYTES = 8 << 20  # pyarrow block
MAX_LINE_BYTES = 32 << 20  # a longer CSV line is refused before it is read whole
BATCH_ROWS = 1 << 17  # rows per batch from Parquet, xlsx and tables
WORKERS = max(1, min(4, os.cpu_count() or 1))
PROGRESS_MIN_BYTES = 50 << 20  # about a million claim lines
_ZERO = arrow.scalar(0.0, pa.float64())
_WINDOW = MAX_FIELD_CHARS // 2  # a line without a line end in some such window may hold a too long field


@dataclass(frozen=True)
class Layout:
    """Which source column holds which field (canonical field -> column name in the file)."""

    columns: Mapping[str, str]

    @property
    def has_provider(self) -> bool:
        return "provider" in self.columns


def resolve_columns(names: Sequence[str], where: str, *, wanted: Sequence[str], required: Sequence[str]) -> Layout:
    """Which column holds which field, checked before any line is read (`toolkit.columns.match_columns`)."""
    return Layout(match_columns(names, wanted, required=required, where=where))


class LongFieldError(Exception):
    """A CSV field longer than MAX_FIELD_CHARS, found inside a worker: the byte offset of its line, so
    that the reading thread can name the line (counting lines needs the file from its start)."""

    def __init__(self, offset: int, column: str, length: int, start: str) -> None:
        super().__init__(offset)
        self.offset, self.column, self.length, self.start = offset, column, length, start


@dataclass(frozen=True)
class Chunk:
    """A piece of the input: `load()` gives its record batches (for CSV it parses them, in a worker
    thread); `end` is how far into the file the piece reaches, in bytes, for the progress bar."""

    load: Callable[[], list[pa.RecordBatch]]
    end: int = 0


@dataclass(frozen=True)
class Source:
    where: str  # the file name, or "DataFrame"/"tabel", for messages
    layout: Layout
    first_row: int  # the row number of the first data line in messages
    chunks: Iterator[Chunk]
    size: int = 0  # bytes, for the progress bar (CSV only)
    # Record numbers (first_row + records before) -> the line numbers a text editor shows, where they
    # differ: pyarrow skips empty lines in a CSV. Only called for the few lines an error names.
    lines: Callable[[list[int]], dict[int, int]] | None = None
    offset_line: Callable[[int], int] | None = None  # a byte offset -> its line number (CSV)

    def line_numbers(self, records: list[int]) -> dict[int, int]:
        return self.lines(records) if self.lines is not None else {r: r for r in records}


# --------------------------------------------------------------------------- which files


@dataclass(frozen=True)
class ClaimSet:
    """The items of a claim set (paths, a DataFrame or an Arrow table) and the files of its folders that
    were not read, each with the reason (file, reason): nothing is left out without a word."""

    items: list[Any]
    skipped: tuple[tuple[str, str], ...] = ()


def claim_files(source: Any, *, recursive: bool = False) -> ClaimSet:
    """The items of a claim set: a path, a list of paths, a folder (its .csv, .xlsx and .parquet files, by
    name; with `recursive` also those of its subfolders), a DataFrame or an Arrow table. Checks that files
    exist and are of a type read here; lists what a folder holds besides (`ClaimSet.skipped`)."""
    if isinstance(source, pa.Table) or type(source).__name__ == "DataFrame":
        return ClaimSet([source])
    if isinstance(source, str | os.PathLike):
        items: list[Any] = [source]
    elif isinstance(source, Sequence) and not isinstance(source, bytes) and source:
        items = list(source)
    else:
        raise InputError(
            f"bron {show_value(type(source).__name__)} wordt niet ondersteund (verwacht een pad naar csv, xlsx of "
            "parquet, een lijst of map van zulke bestanden, of een DataFrame)", field="source",
            value=type(source).__name__)
    paths: list[Path] = []
    skipped: list[tuple[str, str]] = []
    for item in items:
        if not isinstance(item, str | os.PathLike):
            raise InputError(f"bron {show_value(item)} is geen pad naar een bestand", field="source", value=item)
        path = Path(item)
        if path.is_dir():
            found = _folder_files(path, recursive, skipped)
            if not found:
                listed = "; ".join(f"{Path(f).name}: {why}" for f, why in skipped[:5])
                raise InputError(f"{path}: de map bevat geen csv-, xlsx- of parquet-bestanden"
                                 + (f" (overgeslagen: {listed})" if listed else ""), file=str(path), value=str(path))
            paths.extend(found)
        elif not path.is_file():
            raise InputError(f"{path}: bestand bestaat niet", file=str(path), value=str(path))
        else:
            unreadable = _not_a_claims_file(path)
            if unreadable is not None or path.suffix.lower() not in SUFFIXES:
                why = unreadable or (f"bestandstype '{path.suffix.lower()}' wordt niet ondersteund (csv, xlsx of "
                                     "parquet)")
                raise InputError(f"{path}: {why}", file=str(path), value=path.suffix.lower())
            paths.append(path)
    seen: dict[Path, Path] = {}
    for path in paths:
        key = path.resolve()
        if key in seen:
            raise InputError(f"{path}: dit bestand staat twee keer in de bronnen (ook als {seen[key]})",
                             file=str(path), value=str(path))
        seen[key] = path
    twins = identical_files(paths) if len(paths) > 1 else None
    if twins is not None:
        first, second = twins
        raise InputError(f"{second}: hetzelfde bestand als {first} (de inhoud is gelijk): een export die twee keer "
                         "is opgeslagen telt anders dubbel; laat er één weg", file=str(second), value=str(second))
    return ClaimSet(list(paths), tuple(skipped))


# What a folder's files are read as: the three formats of claim exports. A file named on the command
# line may also be .txt, .tsv, .xlsm or .pq (SUFFIXES); in a folder those are most often something else
# (a LEESMIJ.txt), and are listed as skipped.
FOLDER_SUFFIXES = (".csv", ".xlsx", ".parquet")
LOCK_FILE = "dit is een tijdelijk Excel-bestand (~$), kies het bestand zelf"
# Spreadsheets that may well hold claims but cannot be read here: refused, never skipped.
SAVE_AS_XLSX = {".xls": "oud Excel-formaat (.xls)", ".xlsb": "binair Excel-formaat (.xlsb)",
                ".ods": "OpenDocument-rekenblad (.ods)"}


def _not_a_claims_file(path: Path) -> str | None:
    """Why a file named on its own cannot be read as claims, with what to do instead; None when it can."""
    if path.name.startswith("~$"):
        return LOCK_FILE
    what = SAVE_AS_XLSX.get(path.suffix.lower())
    if what is not None:
        return f"{what} kan niet worden gelezen; sla het bestand op als .xlsx (Excel-werkmap) of als CSV UTF-8"
    return None


def _folder_files(folder: Path, recursive: bool, skipped: list[tuple[str, str]]) -> list[Path]:
    """The claim files of a folder in name order (with `recursive`, a subfolder's files where its name
    comes); what is not read goes to `skipped` with the reason."""
    found: list[Path] = []
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        name = entry.name
        if entry.is_dir():
            if entry.is_symlink():
                skipped.append((str(entry), "koppeling naar een map (niet gevolgd)"))
            elif name.startswith("."):
                skipped.append((str(entry), "verborgen map"))
            elif recursive:
                found.extend(_folder_files(entry, recursive, skipped))
            else:
                skipped.append((str(entry), "submap (niet gelezen; --recursief leest ook submappen)"))
        elif name.startswith("~$"):
            skipped.append((str(entry), "tijdelijk Excel-bestand (~$) van een geopend bestand"))
        elif name.startswith("."):
            skipped.append((str(entry), "verborgen bestand"))
        elif entry.suffix.lower() in SAVE_AS_XLSX:
            raise InputError(f"{entry}: {_not_a_claims_file(entry)} (of haal het uit de map {folder})",
                             file=str(entry), value=entry.suffix.lower())
        elif entry.suffix.lower() in FOLDER_SUFFIXES and entry.is_file():
            found.append(entry)
        else:
            skipped.append((str(entry), "geen declaratiebestand (in een map worden .csv, .xlsx en .parquet "
                                        "gelezen)"))
    return found


def open_source(item: Any, *, wanted: Sequence[str], required: Sequence[str]) -> Source:
    """One item of `claim_files` opened: its layout checked, its chunks still to be read."""
    if isinstance(item, pa.Table):
        return _read_table(item, "tabel", wanted, required)
    if type(item).__name__ == "DataFrame":
        try:
            table = pa.Table.from_pandas(item, preserve_index=False)
        except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError) as exc:
            raise InputError(f"DataFrame: een kolom kan niet worden gelezen ({exc})", file="DataFrame") from None
        return _read_table(table, "DataFrame", wanted, required)
    path = Path(item)
    kind = SUFFIXES[path.suffix.lower()]
    if kind == "csv":
        return _read_csv(path, wanted, required)
    if kind == "xlsx":
        return _read_xlsx(path, wanted, required)
    return _read_parquet(path, wanted, required)


# --------------------------------------------------------------------------- CSV


class _BufferPool:
    """A few read buffers that go round: a piece's buffer comes back as soon as pyarrow has parsed it
    (the parsed arrays are copies), so memory stays bounded however long the file, and the pages stay
    mapped: fresh pages are zeroed by the kernel, which measurably slowed a new buffer per chunk."""

    def __init__(self, count: int) -> None:
        self._free: queue.SimpleQueue[bytearray] = queue.SimpleQueue()
        self._left = count  # buffers still to be made, on first need

    def get(self) -> bytearray:
        if self._left and self._free.empty():
            self._left -= 1
            return bytearray(CHUNK_BYTES)
        return self._free.get()

    def put(self, buffer: bytearray) -> None:
        if len(buffer) == CHUNK_BYTES:  # one grown for a long line is dropped, not kept in the round
            self._free.put(buffer)
        else:
            self._free.put(bytearray(CHUNK_BYTES))


class LineTooLong(Exception):
    def __init__(self, offset: int, length: int) -> None:
        super().__init__(offset)
        self.offset, self.length = offset, length


def _csv_pieces(path: Path, start: int, pool: _BufferPool) -> Iterator[tuple[bytearray, int, int, int]]:
    """(buffer, length, start offset, end offset in the file) of pieces of whole lines, about CHUNK_BYTES
    each. The caller gives every buffer back to the pool once it is done with it. A line longer than
    MAX_LINE_BYTES raises LineTooLong before more of it is read."""
    carried = b""  # the start of an unfinished line, moved to the front of the next buffer
    with path.open("rb", buffering=0) as handle:
        handle.seek(start)
        position = start
        while True:
            buffer = pool.get()
            filled = len(carried)
            if filled < len(buffer):
                buffer[:filled] = carried
            else:  # the line carried over is longer than this buffer
                buffer = bytearray(carried) + bytes(len(buffer))
            while True:
                if filled == len(buffer):  # one line longer than the buffer: a bigger one replaces it
                    if filled >= MAX_LINE_BYTES:
                        pool.put(buffer)
                        raise LineTooLong(position, filled)
                    buffer = buffer + bytes(len(buffer))  # (a new object: pyarrow may still export the old)
                with memoryview(buffer) as view:
                    read = handle.readinto(view[filled:]) or 0
                filled += read
                if read == 0:
                    cut = filled  # end of file: the last line may have no line end
                    break
                cut = buffer.rfind(b"\n", 0, filled) + 1
                if cut:
                    break
            if cut == 0:
                pool.put(buffer)
                return
            carried = bytes(buffer[cut:filled])
            yield buffer, cut, position, position + cut
            position += cut
            if read == 0:
                return


def _csv_line_numbers(path: Path, start: int, records: list[int]) -> dict[int, int]:
    """The file line number of each record number (2 = the first line after the header, counted the way
    pyarrow counts: empty lines are no records). Reads the file up to the last record asked for."""
    result: dict[int, int] = {}
    wanted = sorted(set(records), reverse=True)  # popped from the end: smallest first
    if not wanted:
        return result
    lines_before, records_before = 0, 0
    pool = _BufferPool(1)
    try:
        for buffer, length, _, _ in _csv_pieces(path, start, pool):
            data = np.frombuffer(buffer, np.uint8, count=length)
            ends = np.flatnonzero(data == ord("\n"))
            if not len(ends) or ends[-1] != length - 1:
                ends = np.append(ends, length)  # the last line of the file may have no line end
            begins = np.concatenate([[0], ends[:-1] + 1])
            sizes = ends - begins
            empty = (sizes == 0) | ((sizes == 1) & (data[np.minimum(begins, length - 1)] == ord("\r")))
            counted = np.cumsum(~empty)  # records up to and including each line
            while wanted and wanted[-1] - 2 < records_before + (counted[-1] if len(counted) else 0):
                record = wanted.pop()
                index = int(np.searchsorted(counted, record - 2 - records_before + 1))
                result[record] = 2 + lines_before + index
            lines_before += len(ends)
            records_before += int(counted[-1]) if len(counted) else 0
            pool.put(buffer)
            if not wanted:
                break
    except LineTooLong:
        pass
    result.update({record: record for record in wanted})  # not found: keep the record number
    return result


def _line_of_offset(path: Path, offset: int) -> int:
    """The line number (1 = the header) of the line that starts at or contains byte `offset`."""
    count = 1
    with path.open("rb") as handle:
        left = offset
        while left > 0:
            block = handle.read(min(left, 1 << 20))
            if not block:
                break
            count += block.count(b"\n")
            left -= len(block)
    return count


def _long_field(buffer: bytearray, length: int, base: int, dialect: CsvDialect) -> LongFieldError | None:
    """A field longer than MAX_FIELD_CHARS in a piece, or None. Such a field spans a window of
    `_WINDOW` bytes without a line end; most pieces are cleared by one `find` per window."""
    for window in range(0, length, _WINDOW):
        if buffer.find(b"\n", window, min(length, window + _WINDOW)) >= 0 or window + _WINDOW > length:
            continue
        # A line end-free window: look at the line around it.
        begin = buffer.rfind(b"\n", 0, window) + 1
        end = buffer.find(b"\n", window, length)
        end = length if end < 0 else end
        text = bytes(buffer[begin:end]).decode("utf-8", "replace").rstrip("\r")
        found = longest_field(text, dialect.delimiter)
        if found is not None:
            position, size = found
            column = dialect.header[position] if position < len(dialect.header) else f"veld {position + 1}"
            head = text.split(dialect.delimiter)[position][:60] if position < text.count(dialect.delimiter) + 1 else ""
            return LongFieldError(base + begin, column, size, head.strip('"'))
    return None


def _locate_csv_problem(path: Path, dialect: CsvDialect) -> InputError:
    """Slow path after pyarrow refused a piece: find the first line that is not well formed."""
    expected = len(dialect.header)
    with path.open("rb") as handle:
        handle.seek(dialect.header_bytes)
        number = 1
        while True:
            raw = handle.readline(MAX_LINE_BYTES + 1)
            if not raw:
                break
            number += 1
            if len(raw) > MAX_LINE_BYTES:
                return InputError(f"{path}: regel {number} is te lang (meer dan {MAX_LINE_BYTES} bytes)",
                                  row=number, file=str(path), value=f"{len(raw)} bytes")
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                return InputError(
                    f"{path}: regel {number} bevat tekens die geen UTF-8 zijn (byte {raw[exc.start:exc.start + 1]!r}); "
                    "sla het bestand op als 'CSV UTF-8'",
                    row=number, file=str(path), value=raw[exc.start:exc.start + 1])
            if not text.strip():
                continue
            line = text.rstrip("\r\n")
            fields = csv_fields(line, dialect.delimiter)
            if fields is None:
                long = longest_field(line, dialect.delimiter)
                if long is not None:
                    column = dialect.header[long[0]] if long[0] < expected else f"veld {long[0] + 1}"
                    return InputError(f"{path}: regel {number}, kolom '{column}': het veld is langer dan "
                                      f"{MAX_FIELD_CHARS:,} tekens".replace(",", "."),
                                      row=number, file=str(path), value=f"{long[1]} tekens")
                return InputError(
                    f"{path}: regel {number} is onleesbaar (bijvoorbeeld een los CR-teken midden in de regel): "
                    f"{show_value(text.strip())}", row=number, file=str(path), value=text.strip())
            if len(fields) != expected:
                return InputError(
                    f"{path}: regel {number} heeft {len(fields)} velden, de kopregel {expected} "
                    f"(scheidingsteken '{dialect.delimiter}'): {show_value(text.strip())}",
                    row=number, file=str(path), value=text.strip())
    return InputError(f"{path}: het CSV-bestand kan niet worden gelezen", file=str(path))


def _read_csv(path: Path, wanted_fields: Sequence[str], required: Sequence[str]) -> Source:
    import pyarrow.csv as pacsv

    dialect = sniff_csv(path)
    layout = resolve_columns(dialect.header, str(path), wanted=wanted_fields, required=required)
    fields = list(layout.columns)
    wanted = [layout.columns[f] for f in fields]
    # Each piece is parsed by one worker thread (the workers already keep every core busy).
    read_options = pacsv.ReadOptions(column_names=list(dialect.header), block_size=BLOCK_BYTES, use_threads=False)
    parse_options = pacsv.ParseOptions(delimiter=dialect.delimiter)
    # A piece without any quote character parses the same without quote handling, which is faster.
    unquoted = pacsv.ParseOptions(delimiter=dialect.delimiter, quote_char=False)
    # Low-cardinality columns arrive dictionary-encoded: the validation then looks at each distinct
    # provider, insurer, date and care type once.
    dictionary = pa.dictionary(pa.int32(), pa.string())
    by_dictionary = {layout.columns[c] for c in DICTIONARY_FIELDS if c in layout.columns}
    column_types = {name: dictionary if name in by_dictionary else pa.string() for name in wanted}
    # Faster still: ISO dates (2025-03-14) read as dates by pyarrow, which accepts only real dates
    # (a subset of what the text reading accepts, with the same year). The first piece it refuses, for
    # a date in another format or any other reason, switches the rest of the file to text.
    with_dates = {**column_types, layout.columns["date"]: pa.date32()}
    # A piece of plain ASCII (most are, and `bytes.isascii` takes 0.6 ms for 16 MB) needs no UTF-8 check:
    # 10 % of the parse. Any other piece is checked by pyarrow as before.
    convert = {(dates, ascii): pacsv.ConvertOptions(include_columns=wanted, column_types=with_dates if dates else
                                                    column_types, strings_can_be_null=False,
                                                    quoted_strings_can_be_null=False, check_utf8=not ascii)
               for dates in (True, False) for ascii in (True, False)}
    iso_dates = [True]
    pool = _BufferPool(2 * WORKERS + 1)  # one per piece in flight, one being filled

    def read(buffer: bytearray, length: int, dates: bool) -> pa.Table:
        # The whole buffer: bytes past `length` are left from an earlier piece (or zero), so a yes holds
        # for the piece too, and a no only costs the check.
        ascii = buffer.isascii()
        quoted = buffer.find(b'"', 0, length) >= 0
        return pacsv.read_csv(pa.BufferReader(pa.py_buffer(buffer).slice(0, length)), read_options=read_options,
                              parse_options=parse_options if quoted else unquoted,
                              convert_options=convert[dates, ascii])

    def load(buffer: bytearray, length: int, start: int) -> list[pa.RecordBatch]:
        try:
            long = _long_field(buffer, length, start, dialect)
            if long is not None:
                raise long
            table = None
            if iso_dates[0]:
                try:
                    table = read(buffer, length, True)
                except (pa.ArrowInvalid, pa.ArrowTypeError):
                    iso_dates[0] = False
            if table is None:
                table = read(buffer, length, False)
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            raise _locate_csv_problem(path, dialect) from None
        finally:
            pool.put(buffer)
        return [pa.RecordBatch.from_arrays(batch.columns, names=fields) for batch in table.to_batches()]

    def chunks() -> Iterator[Chunk]:
        try:
            for buffer, length, start, end in _csv_pieces(path, dialect.header_bytes, pool):
                yield Chunk(functools.partial(load, buffer, length, start), end)
        except LineTooLong as exc:
            line = _line_of_offset(path, exc.offset)
            raise InputError(f"{path}: regel {line} is te lang (meer dan {MAX_LINE_BYTES:,} bytes zonder "
                             "regeleinde)".replace(",", "."), row=line, file=str(path),
                             value=f"{exc.length} bytes") from None

    return Source(str(path), layout, 2, chunks(), path.stat().st_size,  # line 1 is the header
                  functools.partial(_csv_line_numbers, path, dialect.header_bytes),
                  functools.partial(_line_of_offset, path))


# --------------------------------------------------------------------------- typed sources


def _type_name(kind: pa.DataType) -> str:
    return str(kind)


def _column_error(where: str, column: str, why: str, row: int | None = None) -> InputError:
    at = f"regel {row}, " if row is not None else ""
    return InputError(f"{where}: {at}kolom '{column}': {why}", file=where, field=column, row=row)


def check_column_type(kind: pa.DataType, field: str, column: str, where: str) -> None:
    """Refuse, before any line is read, a column whose type cannot hold the field (naming the column)."""
    if pa.types.is_dictionary(kind):
        kind = kind.value_type
    text_like = (pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_binary(kind)
                 or pa.types.is_large_binary(kind) or pa.types.is_null(kind)
                 or getattr(pa.types, "is_string_view", lambda _: False)(kind))
    if text_like or pa.types.is_integer(kind):
        return
    if pa.types.is_floating(kind) and field != "date":
        return  # whole numbers only, checked per value (5611.0 is a postcode a spreadsheet made)
    if field == "date" and (pa.types.is_date(kind) or pa.types.is_timestamp(kind)):
        return
    if field == "amount" and pa.types.is_decimal(kind):
        return
    expected = {"date": "datums of tekst", "amount": "getallen of tekst"}.get(field, "tekst of gehele getallen")
    what = "ja/nee-waarden" if pa.types.is_boolean(kind) else f"type {_type_name(kind)}"
    raise _column_error(where, column, f"bevat {what}; verwacht {expected} voor {DUTCH_FIELD[field]}")


# Fields whose columns the line checks read through a dictionary (each distinct value once); the others
# (client, postcode) are read as plain text, so a dictionary-encoded column of those (what pandas writes
# for a `category` column) is decoded.
DICTIONARY_FIELDS = ("provider", "insurer", "date", "care_type")
# Longer than any valid client id (lines.MAX_ID_LENGTH) or postcode: a dictionary value is cut to this
# before it is repeated on every row that refers to it (still invalid, but not 100 KB per row).
DECODED_CHARS = 1024


def _as_text(array: pa.Array, field: str, column: str, where: str, first_row: int) -> pa.Array:
    """Parquet, table and spreadsheet cells as text: 5611.0 -> '5611', 9664 -> '9664'. A NaN or infinite
    number and bytes that are not UTF-8 are refused, naming the column and the line."""
    kind = array.type
    if pa.types.is_dictionary(kind):
        text = pa.types.is_string(kind.value_type) or pa.types.is_large_string(kind.value_type)
        if text and field in DICTIONARY_FIELDS and not array.null_count:
            return array.cast(pa.dictionary(kind.index_type, pa.string()))
        if text and field not in DICTIONARY_FIELDS:
            cut = pc.utf8_slice_codeunits(array.dictionary.cast(pa.string()), 0, DECODED_CHARS)
            return pa.DictionaryArray.from_arrays(array.indices, cut).cast(pa.string())
        return _as_text(array.cast(kind.value_type), field, column, where, first_row)
    if pa.types.is_string(kind):
        return array
    if pa.types.is_large_string(kind) or getattr(pa.types, "is_string_view", lambda _: False)(kind):
        return array.cast(pa.string())
    if pa.types.is_binary(kind) or pa.types.is_large_binary(kind):
        try:
            return array.cast(pa.string())
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            bad = next(i for i, v in enumerate(array.to_pylist()) if v is not None and not _utf8(v))
            raise _column_error(where, column, f"bevat bytes die geen UTF-8-tekst zijn ({array[bad].as_py()[:20]!r})",
                                first_row + bad) from None
    if pa.types.is_null(kind):
        return pa.nulls(len(array), pa.string())
    if pa.types.is_integer(kind):
        return pc.cast(array, pa.string())
    if pa.types.is_floating(kind):
        present = ~arrow.to_numpy(pc.is_null(array)) if array.null_count else np.ones(len(array), bool)
        values = arrow.to_numpy(pc.fill_null(array.cast(pa.float64()), _ZERO)) if len(array) else np.zeros(0)
        finite = np.isfinite(values)
        if not finite.all():
            bad = int(np.flatnonzero(~finite)[0])
            raise _column_error(where, column, f"bevat {float(values[bad])!r} (geen getal); verwacht tekst of gehele "
                                               "getallen", first_row + bad)
        if (values == np.floor(values)).all() and (np.abs(values) < 2**53).all():
            return pc.cast(pc.cast(array, pa.int64()), pa.string())
        return arrow.array([None if not ok else (str(int(v)) if v.is_integer() else repr(v))
                            for v, ok in zip(values.tolist(), present.tolist(), strict=True)], pa.string())
    raise _column_error(where, column, f"type {_type_name(kind)} wordt niet ondersteund")


def _utf8(value: bytes) -> bool:
    try:
        value.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _normalise_batch(batch: pa.RecordBatch, layout: Layout, where: str, first_row: int) -> pa.RecordBatch:
    arrays, names = [], []
    for canonical, name in layout.columns.items():
        array = batch.column(name)
        kind = array.type.value_type if pa.types.is_dictionary(array.type) else array.type
        dated = canonical == "date" and (pa.types.is_date(kind) or pa.types.is_timestamp(kind))
        numbers = canonical == "amount" and (pa.types.is_integer(kind) or pa.types.is_floating(kind)
                                             or pa.types.is_decimal(kind))
        if dated or numbers:  # kept as they are: a date is read as a date, an amount as a number
            array = array.cast(kind) if pa.types.is_dictionary(array.type) else array
        else:
            array = _as_text(array, canonical, name, where, first_row)
        arrays.append(array)
        names.append(canonical)
    return pa.RecordBatch.from_arrays(arrays, names=names)


def _batch_chunks(batches: Iterator[pa.RecordBatch], layout: Layout, where: str, first_row: int,
                  failure: Callable[[Exception], InputError] | None = None) -> Iterator[Chunk]:
    row = first_row
    try:
        for batch in batches:
            yield Chunk(functools.partial(
                lambda b, r: [_normalise_batch(b, layout, where, r)], batch, row))
            row += batch.num_rows
    except (pa.ArrowException, OSError, ValueError) as exc:
        if failure is None:
            raise
        raise failure(exc) from None


def _read_table(table: pa.Table, where: str, wanted: Sequence[str], required: Sequence[str]) -> Source:
    layout = resolve_columns(table.column_names, where, wanted=wanted, required=required)
    for field, column in layout.columns.items():
        check_column_type(table.schema.field(column).type, field, column, where)
    table = table.select(list(layout.columns.values()))
    return Source(where, layout, 1, _batch_chunks(iter(table.to_batches(max_chunksize=BATCH_ROWS)), layout, where, 1))


def _read_parquet(path: Path, wanted: Sequence[str], required: Sequence[str]) -> Source:
    import pyarrow.parquet as pq

    where = str(path)
    try:
        handle = pq.ParquetFile(path)
        schema = handle.schema_arrow
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise InputError(f"{path}: geen geldig Parquet-bestand ({exc})", file=where) from None
    layout = resolve_columns(schema.names, where, wanted=wanted, required=required)
    for field, column in layout.columns.items():
        check_column_type(schema.field(column).type, field, column, where)
    _check_parquet_sizes(handle, layout, path)

    def failure(exc: Exception) -> InputError:
        return InputError(f"{path}: het Parquet-bestand is beschadigd ({exc})", file=where)

    columns = list(layout.columns.values())
    # Strings are kept dictionary-encoded where the file has them so: a long value repeated a million
    # times is then one value, checked once, not a million copies in memory.
    batches = handle.iter_batches(batch_size=BATCH_ROWS, columns=columns, use_threads=False)
    return Source(where, layout, 1, _batch_chunks(batches, layout, where, 1, failure))  # rows count from 1


PARQUET_ROW_GROUP_BYTES = 512 << 20  # the columns read, inflated, per row group


def _check_parquet_sizes(handle: Any, layout: Layout, path: Path) -> None:
    """Refuse a row group whose columns inflate beyond PARQUET_ROW_GROUP_BYTES (as its metadata says;
    pyarrow allocates pages by their declared sizes, which the metadata sums)."""
    metadata = handle.metadata
    names = set(layout.columns.values())
    indices = [i for i in range(metadata.num_columns) if metadata.schema.column(i).path.split(".")[0] in names]
    for group in range(metadata.num_row_groups):
        row_group = metadata.row_group(group)
        size = sum(row_group.column(i).total_uncompressed_size for i in indices)
        if size > PARQUET_ROW_GROUP_BYTES:
            raise InputError(f"{path}: rijgroep {group + 1} pakt uit tot {size >> 20} MiB (maximaal "
                             f"{PARQUET_ROW_GROUP_BYTES >> 20} MiB); schrijf het bestand met kleinere rijgroepen",
                             file=str(path), value=size)


def _read_xlsx(path: Path, wanted: Sequence[str], required: Sequence[str]) -> Source:
    where = str(path)
    sheet = open_xlsx_sheet(path)
    rows = iter(sheet.iter_rows())
    header: list[Any] | None = None
    header_row = 0
    for values in rows:
        header_row += 1
        if any(v not in (None, "") for v in values):
            header = [str(v).strip() for v in values]
            break
    if header is None:
        raise InputError(f"{path}: het werkblad is leeg", file=where)
    layout = resolve_columns(header, where, wanted=wanted, required=required)
    positions = {name: header.index(name) for name in layout.columns.values()}
    fields = {name: field for field, name in layout.columns.items()}

    def batch(chunk: dict[str, list[Any]], first_row: int) -> pa.RecordBatch:
        arrays = []
        for name, values in chunk.items():
            field = fields[name]
            if field == "date" and any(values) and all(isinstance(v, dt.date) or v in (None, "") for v in values):
                arrays.append(pa.array([v if isinstance(v, dt.date) else None for v in values]))
                continue
            for index, value in enumerate(values):
                if isinstance(value, bool):
                    expected = "een getal of tekst" if field == "amount" else "tekst"
                    raise _column_error(where, name, f"bevat een ja/nee-waarde ({'WAAR' if value else 'ONWAAR'}); "
                                                     f"verwacht {expected}", first_row + index)
            if field == "amount":
                arrays.append(pa.array([_amount_text(v) for v in values], pa.string()))
            else:
                arrays.append(pa.array([_cell_text(v) for v in values], pa.string()))
        return pa.RecordBatch.from_arrays(arrays, names=list(chunk))

    def batches() -> Iterator[pa.RecordBatch]:
        chunk: dict[str, list[Any]] = {name: [] for name in positions}
        count = 0
        first = header_row + 1
        for values in rows:
            for name, position in positions.items():
                chunk[name].append(values[position] if position < len(values) else None)
            count += 1
            if count % BATCH_ROWS == 0:
                yield batch(chunk, first)
                first += BATCH_ROWS
                chunk = {name: [] for name in positions}
        if count % BATCH_ROWS:
            yield batch(chunk, first)

    return Source(where, layout, header_row + 1, _batch_chunks(batches(), layout, where, header_row + 1))


def _cell_text(value: Any) -> str | None:
    if value is None or value == "":
        return None if value is None else ""
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _amount_text(value: Any) -> str | None:
    """A spreadsheet amount as text that `toolkit.numbers.parse_number` reads as the same value: a number
    cell as its 15 significant digits with a decimal comma (`1.234` as text would be 1234)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        if isinstance(value, float) and not math.isfinite(value):
            return repr(value)
        number = Decimal(value) if isinstance(value, int) else Decimal(f"{value:.15g}")
        return format(number, "f").replace(".", ",")
    return _cell_text(value)


__all__ = ["COLUMN_ALIASES", "DUTCH_FIELD", "PROGRESS_MIN_BYTES", "REQUIRED", "Chunk", "ClaimSet", "Layout",
           "LongFieldError", "Source", "claim_files", "open_source", "resolve_columns"]
