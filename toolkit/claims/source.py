"""What a claim file is once opened, whatever its format: which column holds which field (`Layout`), and
its lines as pieces of Arrow record batches (`Chunk`, `Source`). The readers are `csv_source` (CSV, parsed
in worker threads) and `typed_source` (xlsx, Parquet, a DataFrame or an Arrow table); `read` chooses
between them and says which files a claim set holds.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

import pyarrow as pa

from ..columns import CLAIM_FIELDS, match_columns
from ..errors import TITLE_FIELDS, InputError, header_below_title

# Canonical field -> accepted column names (one list for every reader: toolkit/columns.py).
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {field: spec.names for field, spec in CLAIM_FIELDS.items()}
REQUIRED = ("client_id", "postcode", "insurer", "date")
TEXT_FIELDS = ("client_id", "postcode", "insurer", "provider", "care_type")
DUTCH_FIELD = {field: spec.label for field, spec in CLAIM_FIELDS.items()}
SUFFIXES = {".csv": "csv", ".txt": "csv", ".tsv": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx", ".parquet": "parquet",
            ".pq": "parquet"}
# Fields whose columns the line checks read through a dictionary (each distinct value once); the others
# (client, postcode) are read as plain text, so a dictionary-encoded column of those (what pandas writes
# for a `category` column) is decoded.
DICTIONARY_FIELDS = ("provider", "insurer", "date", "care_type")
WORKERS = max(1, min(4, os.cpu_count() or 1))
# Batch metadata a typed reader sets: how many of the batch's client ids the file held as numbers (workbook
# cells, an integer column), whose leading zeros are gone; `scan` says so when other ids start with a 0.
NUMERIC_CLIENTS = b"zorginkoop.numeric_clients"
PROGRESS_MIN_BYTES = 50 << 20  # about a million claim lines


@dataclass(frozen=True)
class Layout:
    """Which source column holds which field (canonical field -> column name in the file)."""

    columns: Mapping[str, str]

    @property
    def has_provider(self) -> bool:
        return "provider" in self.columns


def resolve_columns(names: Sequence[str], where: str, *, wanted: Sequence[str], required: Sequence[str],
                    header_line: int = 1, later: Iterable[tuple[int, Sequence[object]]] = (),
                    rows: tuple[str, str] = ("regel", "regels")) -> Layout:
    """Which column holds which field, checked before any line is read (`toolkit.columns.match_columns`).

    `later`: the lines after the header as (line number, fields), looked at only when the header is refused
    (`rows`: what a line is called, singular and plural: a workbook has rows).
    One of them with every required column is the real header under the export's title lines: said in a
    line that tells what to do, instead of the list of columns the title line lacks."""
    try:
        return Layout(match_columns(names, wanted, required=required, where=where))
    except InputError as refused:
        for line, fields in later:
            try:
                match_columns(fields, wanted, required=required, where=where)
            except InputError:
                if sum(bool(str(f).strip()) for f in fields) > TITLE_FIELDS:
                    break  # a line of data above it: not title lines, and nothing to remove
                continue
            raise InputError(f"{where}: {header_below_title(line, header_line, rows)}", field=refused.field,
                             row=line, file=where) from None
        raise


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
    skipped: tuple[tuple[str, str], ...] = ()  # what the file holds that is not read (a workbook's other sheets)
    notes: tuple[tuple[str, str], ...] = ()  # what is read though a reader may not expect it: (file, note)

    def line_numbers(self, records: list[int]) -> dict[int, int]:
        return self.lines(records) if self.lines is not None else {r: r for r in records}


__all__ = ["COLUMN_ALIASES", "DICTIONARY_FIELDS", "DUTCH_FIELD", "NUMERIC_CLIENTS", "PROGRESS_MIN_BYTES", "REQUIRED",
           "SUFFIXES",
           "TEXT_FIELDS", "WORKERS", "Chunk", "Layout", "LongFieldError", "Source", "resolve_columns"]
