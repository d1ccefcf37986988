"""Claims that come typed: the first sheet of an xlsx, a Parquet file, a DataFrame or an Arrow table, as
record batches of `BATCH_ROWS` rows with text, date or (for amounts) number columns only; any other column
type is refused naming the file and column.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .. import _arrow as arrow
from ..errors import InputError, cannot_read, error_value_in_cell, not_utf8
from ..xlsx import check_xlsx, open_xlsx_sheet
from .source import DICTIONARY_FIELDS, DUTCH_FIELD, NUMERIC_CLIENTS, Chunk, Layout, Source, resolve_columns

BATCH_ROWS = 1 << 17  # rows per batch from Parquet, xlsx and tables
_ZERO = arrow.scalar(0.0, pa.float64())



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
            bad, start = next((i, at) for i, v in enumerate(array.to_pylist())
                              if v is not None and (at := _not_utf8_at(v)) is not None)
            raise _column_error(where, column, f"bevat bytes die geen UTF-8-tekst zijn "
                                               f"({not_utf8(array[bad].as_py(), start)})", first_row + bad) from None
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


def _not_utf8_at(value: bytes) -> int | None:
    """Where `value` stops being UTF-8, or None."""
    try:
        value.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start
    return None


def _normalise_batch(batch: pa.RecordBatch, layout: Layout, where: str, first_row: int) -> pa.RecordBatch:
    arrays, names = [], []
    numeric_clients = int((batch.schema.metadata or {}).get(NUMERIC_CLIENTS, b"0"))  # (a workbook's: counted)
    for canonical, name in layout.columns.items():
        array = batch.column(name)
        kind = array.type.value_type if pa.types.is_dictionary(array.type) else array.type
        if canonical == "client_id" and (pa.types.is_integer(kind) or pa.types.is_floating(kind)):
            numeric_clients += len(array) - array.null_count
        dated = canonical == "date" and (pa.types.is_date(kind) or pa.types.is_timestamp(kind))
        numbers = canonical == "amount" and (pa.types.is_integer(kind) or pa.types.is_floating(kind)
                                             or pa.types.is_decimal(kind))
        if dated or numbers:  # kept as they are: a date is read as a date, an amount as a number
            array = array.cast(kind) if pa.types.is_dictionary(array.type) else array
        else:
            array = _as_text(array, canonical, name, where, first_row)
        arrays.append(array)
        names.append(canonical)
    normal = pa.RecordBatch.from_arrays(arrays, names=names)
    return normal.replace_schema_metadata({NUMERIC_CLIENTS: str(numeric_clients).encode()}) if numeric_clients \
        else normal


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


def read_table(table: pa.Table, where: str, wanted: Sequence[str], required: Sequence[str]) -> Source:
    layout = resolve_columns(table.column_names, where, wanted=wanted, required=required)
    for field, column in layout.columns.items():
        check_column_type(table.schema.field(column).type, field, column, where)
    numbers = (table.schema.metadata or {}).get(NUMERIC_CLIENTS)  # (a DataFrame's, counted by `frame_table`)
    batches = table.select(list(layout.columns.values())).replace_schema_metadata(None).to_batches(
        max_chunksize=BATCH_ROWS)
    if numbers and batches:  # the whole table's count, told once
        batches[0] = batches[0].replace_schema_metadata({NUMERIC_CLIENTS: numbers})
    return Source(where, layout, 1, _batch_chunks(iter(batches), layout, where, 1))


def read_parquet(path: Path, wanted: Sequence[str], required: Sequence[str]) -> Source:
    import pyarrow.parquet as pq

    where = str(path)
    try:
        handle = pq.ParquetFile(path)
        schema = handle.schema_arrow
    except (pa.ArrowException, OSError, ValueError) as exc:
        if isinstance(exc, OSError) and exc.errno is not None:
            raise cannot_read(path, exc) from None
        raise InputError(f"{path}: geen leesbaar Parquet-bestand (beschadigd, onvolledig of geen Parquet); exporteer "
                         "het opnieuw", file=where) from None
    layout = resolve_columns(schema.names, where, wanted=wanted, required=required)
    for field, column in layout.columns.items():
        check_column_type(schema.field(column).type, field, column, where)
    _check_parquet_sizes(handle, layout, path)

    def failure(exc: Exception) -> InputError:
        return InputError(f"{path}: het Parquet-bestand is beschadigd (een deel ervan kan niet worden gelezen); "
                          "exporteer het opnieuw", file=where)

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


def read_xlsx(path: Path, wanted: Sequence[str], required: Sequence[str]) -> Source:
    where = str(path)
    checked = check_xlsx(path)
    notes, may_hold_errors = _sheet_notes(path, checked.sheet)
    sheet = open_xlsx_sheet(path, checked=checked)
    left_out = checked.not_read()
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
    later = ((header_row + k, [str(v) if v is not None else "" for v in values])
             for k, values in enumerate(itertools.islice(rows, 20), start=1))  # (read only if the header is refused)
    layout = resolve_columns(header, where, wanted=wanted, required=required, header_line=header_row, later=later,
                             rows=("rij", "rijen"))
    positions = {name: header.index(name) for name in layout.columns.values()}
    fields = {name: field for field, name in layout.columns.items()}
    if may_hold_errors:  # (calamine's rows start at column `start`, the first one used, and at row 1)
        first_column = sheet.start[1]
        _refuse_error_cells(path, checked.sheet, header_row + 1,
                            {first_column + position: (name, fields[name]) for name, position in positions.items()})

    def batch(chunk: dict[str, list[Any]], first_row: int) -> pa.RecordBatch:
        made = pa.RecordBatch.from_arrays([cells_array(values, fields[name], name, where, first_row)
                                           for name, values in chunk.items()], names=list(chunk))
        clients = chunk[layout.columns["client_id"]]
        numbers = sum(isinstance(v, int | float) and not isinstance(v, bool) for v in clients)
        return made.replace_schema_metadata({NUMERIC_CLIENTS: str(numbers).encode()}) if numbers else made

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

    # Other sheets that hold data are listed as the files of a folder that are not read: never in silence.
    skipped = () if left_out is None else ((where, left_out),)
    return Source(where, layout, header_row + 1, _batch_chunks(batches(), layout, where, header_row + 1),
                  skipped=skipped, notes=notes)


def _sheet_notes(path: Path, part: str) -> tuple[tuple[tuple[str, str], ...], bool]:
    """What calamine does not say of the sheet, from one byte search over its XML (and the exact passes
    only where it found something):
    - a formula saved without its result (a workbook written by a script, not by Excel or LibreOffice) reads
      as an empty cell: refused naming the cell, as every small table is, not taken for a missing client;
    - rows a filter or a group hides are read like every other (the file holds them all), and said: a clerk
      who filtered the export to one provider expects the others left out;
    - whether a cell may hold an error value (the second of the pair): its exact pass needs the columns read,
      which the header names (`_refuse_error_cells`)."""
    # Start-up: the zip reader and the table helpers only when a workbook is read.
    import zipfile

    from ..table_file import hidden_rows, hidden_rows_note, refuse_formulas_without_value, sheet_marks

    with zipfile.ZipFile(path) as archive:  # the sheet's inflated size bounded by check_xlsx
        with archive.open(part) as stream:
            marks = sheet_marks(stream)
        if marks.may_hold_formulas:
            refuse_formulas_without_value(path, archive.read(part))
        if not marks.may_hide_rows:
            return (), marks.may_hold_errors
        with archive.open(part) as stream:
            hidden = hidden_rows(stream)
    return ((str(path), hidden_rows_note(hidden)),) if hidden else (), marks.may_hold_errors


def _refuse_error_cells(path: Path, part: str, first_row: int, columns: Mapping[int, tuple[str, str]]) -> None:
    """Refuse an error value (#N/A, #DIV/0!) in a cell read (`columns`: sheet column index -> column name and
    field), at or below `first_row`: calamine reads it as an empty cell, which would be a missing postcode or
    a line that is no kindzorg where the sheet shows an error. Named by row, column and value as a Dutch
    Excel shows it (`toolkit.workbook.check` says it so of a template's cell)."""
    import zipfile

    from ..table_file import first_error_cell  # start-up: only for a workbook that may hold an error value

    with zipfile.ZipFile(path) as archive, archive.open(part) as stream:
        found = first_error_cell(stream, columns, first_row)
    if found is None:
        return
    row, column, value = found
    name, field = columns[column]
    raise InputError(f"{path}: rij {row}, kolom '{name}': {error_value_in_cell(value)}", field=field, row=row,
                     value=value, file=str(path))


def cells_array(values: list[Any], field: str, column: str, where: str, first_row: int) -> pa.Array:
    """A column of cells as Python values (a spreadsheet's, or a DataFrame's of mixed types) as Arrow: a
    date column of dates as dates, anything else as text (an amount's number with a decimal comma); a
    ja/nee value is refused, naming the column and the line."""
    if field == "date" and any(values) and all(isinstance(v, dt.date) or v in (None, "") for v in values):
        # The day only: a cell with a time (14-03-2025 09:30) next to one at midnight, which a reader gives
        # as a date, is one column of days (Arrow takes no mix of the two).
        return pa.array([(v.date() if isinstance(v, dt.datetime) else v) if isinstance(v, dt.date) else None
                         for v in values], pa.date32())
    for index, value in enumerate(values):
        if isinstance(value, bool):
            expected = "een getal of tekst" if field == "amount" else "tekst"
            raise _column_error(where, column, f"bevat een ja/nee-waarde ({'WAAR' if value else 'ONWAAR'}); "
                                               f"verwacht {expected}", first_row + index)
    return pa.array([(_amount_text if field == "amount" else _cell_text)(v) for v in values], pa.string())


def frame_table(frame: Any, wanted: Sequence[str], required: Sequence[str]) -> pa.Table:
    """A pandas DataFrame of claim lines as an Arrow table. A column that Arrow cannot convert as a whole
    holds values of mixed types: what `pandas.read_excel` makes of a postcode column with 1234 and
    '2345 AB'. It is read cell by cell, as the same column of an xlsx file is."""
    try:
        return pa.Table.from_pandas(frame, preserve_index=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        pass
    names = [str(c) for c in frame.columns]
    layout = resolve_columns(names, "DataFrame", wanted=wanted, required=required)
    arrays, numbers = [], 0
    for field, column in layout.columns.items():
        series = frame.iloc[:, names.index(column)]
        try:
            arrays.append(pa.Array.from_pandas(series))
        except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
            cells = [_frame_cell(v) for v in series.tolist()]
            if field == "client_id":  # numbers among text: as in a workbook (`NUMERIC_CLIENTS`)
                numbers = sum(isinstance(v, int | float) and not isinstance(v, bool) for v in cells)
            arrays.append(cells_array(cells, field, column, "DataFrame", 1))
    table = pa.Table.from_arrays(arrays, names=list(layout.columns.values()))
    return table.replace_schema_metadata({NUMERIC_CLIENTS: str(numbers).encode()}) if numbers else table


def _frame_cell(value: Any) -> Any:
    """A DataFrame value as a spreadsheet cell: pandas' missing values (NaN, NaT, None, NA) are empty."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if type(value).__name__ in {"NaTType", "NAType"}:
        return None
    return value


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


__all__ = ["BATCH_ROWS", "PARQUET_ROW_GROUP_BYTES", "cells_array", "check_column_type", "frame_table", "read_parquet",
           "read_table", "read_xlsx"]
