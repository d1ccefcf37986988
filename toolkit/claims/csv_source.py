"""A CSV claim file as record batches: cut into pieces of about `CHUNK_BYTES` at record ends, each piece parsed
and validated inside a worker thread (`Chunk.load`), so memory stays bounded by the piece size whatever the
length of the file; a line or field too long is refused naming its line. The reading thread only reads and
cuts at line ends; a validator thread confirms that a piece with quotes was cut outside quoted fields
(`_confirmed_pieces`, with `quote_bits`), so that three threads share the work of a quote-everything export.

A record ends at a line end outside quotes: a field between quotes may hold line ends (a remark over
several lines in a column that is not read), as pyarrow and Excel read it. Messages name the line on which
a record starts, as a text editor numbers it.
"""

from __future__ import annotations

import collections
import functools
import io
import os
import queue
from collections.abc import Generator, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa

from ..errors import InputError, line_of, not_utf8, show_value
from ..tabular import (
    MAX_FIELD_CHARS,
    CsvDialect,
    csv_fields,
    header_over_lines,
    line_end_before,
    longest_field,
    quoted_fields,
    quoting,
    sniff_csv,
    takes_rows_in,
)
from .quote_bits import QuoteBits, quote_bits
from .source import DICTIONARY_FIELDS, WORKERS, Chunk, LongFieldError, Source, resolve_columns

CHUNK_BYTES = 16 << 20  # bytes of CSV one worker parses and validates at a time: bounds memory
BLOCK_BYTES = 8 << 20  # pyarrow block
MAX_LINE_BYTES = 32 << 20  # a longer CSV line is refused before it is read whole
_WINDOW = MAX_FIELD_CHARS // 2  # a line without a line end in some such window may hold a too long field



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
    def __init__(self, offset: int, length: int, quoted: bool = False) -> None:
        super().__init__(offset)
        self.offset, self.length = offset, length
        self.quoted = quoted  # the record is long because a quote at a field's start is never closed


class UnclosedQuote(Exception):
    def __init__(self, offset: int) -> None:
        super().__init__(offset)
        self.offset = offset  # of the quote that opens a field and is never closed: pyarrow would read the
        # rest of the file into that field, lines lost without a word


_QUOTE, _LF, _CR = ord('"'), ord("\n"), ord("\r")
_BLANKS = (ord(" "), ord("\t"))


def _lone_crs(data: np.ndarray) -> np.ndarray:
    """Where a piece has a CR not followed by a LF: a line end to Excel, pyarrow and a text editor (old Mac
    files end lines so), where a CR LF is one line end, at its LF."""
    crs = data == _CR
    if not crs.any():  # (most pieces: a third of the cost of listing none)
        return np.empty(0, np.intp)
    at = np.flatnonzero(crs)
    # (A CR at the piece's end is clipped to itself, not a LF: lone.)
    lone: np.ndarray = at[np.take(data, at + 1, mode="clip") != _LF]
    return lone


def _line_ends(data: np.ndarray) -> np.ndarray:
    """Where the lines of a piece end: at each LF and each lone CR (`_lone_crs`)."""
    newlines, lone = np.flatnonzero(data == _LF), _lone_crs(data)
    return np.union1d(newlines, lone) if len(lone) else newlines


def _quotes(data: np.ndarray, delimiter: str) -> np.ndarray | None:
    """The positions of the quotes of a piece that starts at a record's start, or None when they are no
    CSV quoting. Paired in order (a doubled quote inside a quoted field is a pair too), they are the CSV
    reading when every opening quote stands at a field's start or right after the closing quote before it
    (a doubled quote); a quote elsewhere (`5"`) is a character to pyarrow. Where a closing quote stands
    does not matter: text after it (`"a"b`) belongs to the field, and a quote in that text opens nothing
    and is caught as an opening one out of place (the test suite compares this pairing with reading
    quote by quote, `tabular.quoted_fields`, on every text of up to seven characters)."""
    quotes = np.flatnonzero(data == _QUOTE)
    opening, closing = quotes[0::2], quotes[1::2]
    # (Run on pieces the validator's bitmaps do not cover, and by the cutting thread after a cut within a
    # quoted field: one gather and one byte lookup, no temporary more than needed.)
    start_bytes = np.zeros(256, bool)
    start_bytes[[_LF, _CR, ord(delimiter)]] = True  # (after a CR: a lone one ends a line, as quoted_fields reads)
    field_start = np.take(start_bytes, np.take(data, opening - 1))  # (at 0, the piece's last byte: checked below)
    if len(opening) and opening[0] == 0:
        field_start[0] = True
    elsewhere = np.flatnonzero(~field_start)  # few: the second quotes of doubled ones, or no CSV quoting
    if len(elsewhere) and not (elsewhere.all() and (opening[elsewhere] - 1 == closing[elsewhere - 1]).all()):
        return None
    return quotes


def _quoted_pairs(data: np.ndarray, delimiter: str, quotes: np.ndarray | None = None) -> np.ndarray:
    """The quoted fields of a piece that starts at a record's start, as (opening, closing) rows: paired by
    NumPy where the quotes are CSV quoting (`quotes`: those `_cut` found so), quote by quote
    (`tabular.quoted_fields`) where a quote is a character. A field open at the end closes at the end of
    the piece."""
    quotes = _quotes(data, delimiter) if quotes is None else quotes
    if quotes is None:
        return np.array(quoted_fields(data.tobytes(), delimiter), dtype=np.int64).reshape(-1, 2)
    if len(quotes) % 2:
        quotes = np.append(quotes, len(data))
    # A doubled quote inside a field closes one pair and opens the next: one field, as the csv module reads,
    # so both its quotes go.
    doubled = np.flatnonzero(quotes[2::2] == quotes[1:-1:2] + 1)
    if len(doubled):
        keep = np.ones(len(quotes), bool)
        keep[2 * doubled + 1] = keep[2 * doubled + 2] = False
        quotes = quotes[keep]
    return quotes.reshape(-1, 2)


def _within_fields(fields: np.ndarray, newlines: np.ndarray) -> np.ndarray:
    """For each line end at `newlines`, the row of `fields` (`_quoted_pairs`) it lies within, or -1."""
    bounds = np.searchsorted(fields.reshape(-1), newlines)  # odd: after an opening quote, before its closing
    within: np.ndarray = np.where(bounds % 2 == 1, bounds // 2, -1)
    return within


def _record_ends(data: np.ndarray, newlines: np.ndarray, delimiter: str,
                 quotes: np.ndarray | None = None) -> np.ndarray:
    """Which of the line ends at `newlines` of a piece that starts at a record's start end a record: those
    outside quoted fields (`quotes`: the piece's quotes, where they were paired already)."""
    ends: np.ndarray = _within_fields(_quoted_pairs(data, delimiter, quotes), newlines) < 0
    return ends


def _distinct(ascending: np.ndarray) -> np.ndarray:
    """The distinct values of an ascending array (`np.unique` without its sort or hash)."""
    if len(ascending) < 2:
        return ascending
    distinct: np.ndarray = ascending[np.concatenate(([True], ascending[1:] != ascending[:-1]))]
    return distinct


_WIDENING_STEPS = 10_000  # Python steps over doubled quotes before a piece's pairs are merged by NumPy instead


def _spanning_fields(data: np.ndarray, delimiter: str, line_ends: np.ndarray,
                     quotes: np.ndarray | None = None) -> tuple[list[tuple[int, int]], np.ndarray]:
    """The quoted fields of a piece (from a record's start) that hold one of its `line_ends`, as (opening,
    closing quote) in order, and the line ends that end records (those outside quoted fields)."""
    quotes = _quotes(data, delimiter) if quotes is None else quotes

    def by_fields() -> tuple[list[tuple[int, int]], np.ndarray]:
        fields = _quoted_pairs(data, delimiter, quotes)
        within = _within_fields(fields, line_ends)
        return [(int(o), int(c)) for o, c in fields[_distinct(within[within >= 0])].tolist()], line_ends[within < 0]

    if quotes is None:  # a quote is a character somewhere: paired quote by quote
        return by_fields()
    # The quotes paired as they stand, without `_quoted_pairs` taking the doubled ones out (a pass over
    # every quote, in every piece of a quote-everything export): a doubled quote splits its field in two
    # pairs, but no line end lies between its two quotes, so the line ends inside fields are the same. Each
    # pair holding one is then widened over the doubled quotes around it; a piece with long runs of them
    # (which no remark has) is left to the pass over every quote.
    paired = quotes if len(quotes) % 2 == 0 else np.append(quotes, len(data))
    bounds = np.searchsorted(paired, line_ends)
    inside = (bounds & 1).astype(bool)  # odd: after an opening quote, before its closing one
    last, steps = len(paired) // 2 - 1, 0
    fields: list[tuple[int, int]] = []
    widened = -1  # the last pair a field found so far reaches
    for pair in _distinct(bounds[inside] >> 1).tolist():
        if pair <= widened:
            continue
        first = pair
        while steps <= _WIDENING_STEPS and first > widened + 1 and paired[2 * first] == paired[2 * first - 1] + 1:
            first, steps = first - 1, steps + 1
        widened = pair
        while steps <= _WIDENING_STEPS and widened < last and paired[2 * widened + 2] == paired[2 * widened + 1] + 1:
            widened, steps = widened + 1, steps + 1
        if steps > _WIDENING_STEPS:
            return by_fields()
        fields.append((int(paired[2 * first]), int(paired[2 * widened + 1])))
    return fields, line_ends[~inside]


def _field_over_claim_lines(data: np.ndarray, delimiter: str, columns: int, quotes: np.ndarray | None = None,
                            line_ends: np.ndarray | None = None) -> tuple[int, int] | None:
    """The first quoted field over lines that has taken claim lines in (opening and closing quote), or None
    (`_swallowing`). (`quotes`, `line_ends`: the piece's, where found already.)"""
    spanning, record_ends = _spanning_fields(data, delimiter, _line_ends(data) if line_ends is None else line_ends,
                                             quotes)
    return _swallowing(data, delimiter, columns, spanning, record_ends)


def _spanning_by_bits(data: np.ndarray, delimiter: str, bits: QuoteBits) -> tuple[list[tuple[int, int]], np.ndarray]:
    """`_spanning_fields` of a piece whose quotes are CSV quoting, from its bitmaps: only the records that
    hold a line end within a field have their quotes listed (a remark over lines is one record in hundreds)."""
    within = bits.line_ends_within_fields()
    if not len(within):
        return [], np.empty(0, np.int64)
    starts, ends = bits.records_around(within, len(data))
    first = np.concatenate(([True], starts[1:] != starts[:-1]))  # (several line ends in one record)
    starts, ends = starts[first], ends[first]
    # The bytes of those records, gathered at once: their quotes, which pair among themselves (each record
    # starts and ends outside quoted fields).
    sizes = ends - starts
    offsets = np.arange(int(sizes.sum())) + np.repeat(starts - np.concatenate(([0], np.cumsum(sizes)[:-1])), sizes)
    quotes = offsets[data[offsets] == _QUOTE]
    return _spanning_fields(data, delimiter, np.union1d(starts[starts > 0] - 1, within), quotes)


def _swallowing(data: np.ndarray, delimiter: str, columns: int, spanning: list[tuple[int, int]],
                record_ends: np.ndarray) -> tuple[int, int] | None:
    """Of the quoted fields over lines (`spanning`, as (opening, closing quote)), the first that has taken
    claim lines in, or None: one that closes with text after its quote (`"12,50"` closed at its first
    quote), or whose lines hold a claim line's delimiters (`tabular.takes_rows_in`, told the field's column,
    counted from the last of `record_ends` before it); a remark typed over lines does neither."""
    after_close = (ord(delimiter), _CR, _LF)
    blanks = tuple(blank for blank in _BLANKS if blank != ord(delimiter))  # (a tab may be the delimiter)
    for opening, closing in spanning:
        after = closing + 1
        while after < len(data) and int(data[after]) in blanks:  # `"…" ` as typed: a space is no field's text
            after += 1
        closed_mid_field = after < len(data) and int(data[after]) not in after_close
        if closed_mid_field:
            return opening, closing
        if takes_rows_in(data[opening + 1:closing].tobytes(), delimiter, columns,
                         functools.partial(_column, data, record_ends, opening, delimiter)):
            return opening, closing
    return None


def _column(data: np.ndarray, record_ends: np.ndarray, opening: int, delimiter: str) -> int:
    """The column (from 0) of the field whose quote is at `opening`: the delimiters outside quoted fields
    between the start of its record (after the last of `record_ends` before it) and it."""
    before = int(np.searchsorted(record_ends, opening))
    start = data[(int(record_ends[before - 1]) + 1 if before else 0):opening].tobytes()
    mark = delimiter.encode()
    return start.count(mark) - sum(start.count(mark, begin, end) for begin, end in quoted_fields(start, delimiter))


def _open_field(buffer: bytearray, filled: int, delimiter: str) -> int | None:
    """Where a field opened by a quote in the last piece of a file is never closed (`_quoted_pairs`: its
    closing quote is the end of the piece), or None."""
    if buffer.find(b'"', 0, filled) < 0:
        return None
    fields = _quoted_pairs(np.frombuffer(buffer, np.uint8, count=filled), delimiter)
    return int(fields[-1, 0]) if len(fields) and fields[-1, 1] == filled else None


def _cut(buffer: bytearray, filled: int, delimiter: str, exact: bool = False) -> tuple[int, np.ndarray | None, bool]:
    """Where a piece of the first `filled` bytes ends: after its last record end (0: none yet); the piece's
    quotes where they were paired as CSV quoting (for the worker, which would find them again); and whether
    the cut is still to be confirmed (`_confirmed_pieces`).

    A piece without quotes (most are) ends at its last line end. One with quotes ends there too, to be
    confirmed beside this thread, which only reads and cuts: pairing a quote-everything export's 3 million
    quotes a piece here was what a run waited for. `exact`: the quotes paired here, a piece with a quote
    elsewhere (`5"`) read quote by quote."""
    # (A line ended by a lone CR too, as pyarrow reads it: old Mac lines below a header ended by LF.)
    cut = line_end_before(buffer, filled, filled) + 1
    if not cut or buffer.find(b'"', 0, filled) < 0:
        return cut, None, False
    if not exact:
        return cut, None, True
    data = np.frombuffer(buffer, np.uint8, count=filled)
    quotes = _quotes(data, delimiter)
    if quotes is None:
        return quoting(bytes(buffer[:filled]), delimiter)[0], None, False
    if np.searchsorted(quotes, cut - 1) % 2:  # the last line end lies inside a quoted field
        newlines = _line_ends(data)
        if len(newlines) and newlines[-1] == filled - 1 and data[-1] == _CR:  # may be one of a CR LF not read yet
            newlines = newlines[:-1]
        ends = newlines[_record_ends(data, newlines, delimiter, quotes)]
        cut = int(ends[-1]) + 1 if len(ends) else 0
    return cut, quotes[:np.searchsorted(quotes, cut)], False


def _refuse_if_changed(path: Path, opened: os.stat_result, now: os.stat_result) -> None:
    """Refuse a file that changed while it was read (an export still being written or copied): its last line
    may be cut (`…;1` of `…;12.500,00`) and would read as a whole one."""
    if now.st_size != opened.st_size:  # (not the time: a `touch` or a sync program changes no byte)
        raise InputError(f"{path}: het bestand veranderde tijdens het lezen (wordt het nog geschreven of "
                         "gekopieerd?); start opnieuw als het klaar is", file=str(path), value=str(path))


def _piece_size(previous: int, left: int) -> int:
    """How many bytes the next piece reads (it ends at the last record end in them): CHUNK_BYTES, except
    at both ends of a file, where one worker would wait for the other. The first pieces are small and
    double (both workers parse within milliseconds of the start, not after the first 16 MB were read and
    cut), and the last are a share of what is left, so that the workers end close together."""
    return max(1, min(CHUNK_BYTES, 2 * previous, max(CHUNK_BYTES >> 4, -(-left // (2 * WORKERS)))))


@dataclass
class _Piece:
    buffer: bytearray
    length: int  # its bytes are buffer[:length]
    start: int  # offset in the file
    quotes: np.ndarray | None  # its quotes, where `_cut` paired them
    confirm: bool  # cut at its last line end, its quotes not paired: to be confirmed (`_confirmed_pieces`)
    bits: QuoteBits | None = None  # its quote bitmaps, where the validator made them

    @property
    def end(self) -> int:
        return self.start + self.length


def _csv_pieces(path: Path, start: int, pool: _BufferPool, delimiter: str,
                exact: bool = False, exact_first: bool = False) -> Generator[_Piece, None, None]:
    """Pieces of whole records from `start`, about CHUNK_BYTES each (`exact`: every cut with the quotes
    paired, none to be confirmed; `exact_first`: the first so). The caller gives every buffer back to the
    pool once it is done with it. A record longer than MAX_LINE_BYTES raises LineTooLong before more of it
    is read."""
    carried = b""  # the start of an unfinished line, moved to the front of the next buffer
    with path.open("rb", buffering=0) as handle:
        at_open = os.fstat(handle.fileno())
        size = at_open.st_size
        handle.seek(start)
        position = start
        target = CHUNK_BYTES >> 5  # how much of a buffer to fill (`_piece_size`)
        while True:
            buffer = pool.get()
            target = _piece_size(target, size - position)
            limit = min(len(buffer), target)
            filled = len(carried)
            if filled < len(buffer):
                buffer[:filled] = carried
            else:  # the line carried over is longer than this buffer
                buffer = bytearray(carried) + bytes(len(buffer))
            while True:
                if filled == len(buffer):  # one line longer than the buffer: a bigger one replaces it
                    if filled >= MAX_LINE_BYTES:
                        pool.put(buffer)
                        raise LineTooLong(position, filled, buffer.rfind(b"\n", 0, filled) >= 0)
                    buffer = buffer + bytes(len(buffer))  # (a new object: pyarrow may still export the old)
                    limit = len(buffer)
                # The buffer filled, or the end of the file: a read that returns nothing (a network mount may
                # read short in the middle of a file). The last piece is looked at whole for a field left open.
                read = 1
                with memoryview(buffer) as view:
                    while read and filled < limit:
                        read = handle.readinto(view[filled:limit]) or 0
                        filled += read
                if read == 0:
                    _refuse_if_changed(path, at_open, os.fstat(handle.fileno()))
                    cut, quotes, confirm = filled, None, False  # the last line may have no line end
                    opened = _open_field(buffer, filled, delimiter)
                    if opened is not None:
                        # The records before the one left open are read first: a bad line among them is
                        # named before the quote (a mistake earlier in the file comes first).
                        before = quoting(bytes(buffer[:opened]), delimiter)[0]
                        if before:
                            yield _Piece(buffer, before, position, None, False)
                        else:
                            pool.put(buffer)
                        raise UnclosedQuote(position + opened)
                    break
                cut, quotes, confirm = _cut(buffer, filled, delimiter, exact or exact_first)
                if cut:
                    break
                limit = len(buffer)  # no record end yet: on to the end of the buffer, then a bigger one
            if cut == 0:
                pool.put(buffer)
                return
            carried = bytes(buffer[cut:filled])
            yield _Piece(buffer, cut, position, quotes, confirm)
            exact_first = False
            position += cut
            if read == 0:
                return


def _confirm(piece: _Piece, delimiter: str) -> int:
    """Where the last record of a piece cut at its last line end (`_cut`) ends: the piece's length when
    that line end is outside quoted fields. Read from the quote bitmaps where its quotes are CSV quoting
    (kept for the worker), quote by quote where a quote is a character."""
    data = np.frombuffer(piece.buffer, np.uint8, count=piece.length)
    bits = quote_bits(data, delimiter)
    if not bits.csv_quoting:
        return quoting(bytes(piece.buffer[:piece.length]), delimiter)[0]
    piece.bits = bits
    return bits.last_record_end(piece.length)


_LOOK_AHEAD = 2  # pieces cut and being confirmed before the first of them goes to the workers


def _confirmed_pieces(path: Path, start: int, pool: _BufferPool, delimiter: str) -> Iterator[_Piece]:
    """The pieces of `_csv_pieces`, each cut confirmed by a validator thread before it goes to the workers,
    while the next pieces are read and cut. A piece cut within a quoted field (a remark over lines at the
    end of the buffer, or a quote as a character before it) ends at its last record end instead, and the
    pieces cut after it are cut again from there: no record is read twice or lost. An error of the cutting
    (a field never closed, a line too long) counts only once every piece before it is confirmed: after a
    wrong cut it may be none."""
    from concurrent.futures import Future, ThreadPoolExecutor

    pieces = _csv_pieces(path, start, pool, delimiter)
    waiting: collections.deque[tuple[_Piece | Exception, Future[int] | None]] = collections.deque()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="claims-confirm") as validator:

        def cut_one() -> bool:
            """The next piece cut, its confirming started; False at the end or after an error of the cutting."""
            try:
                piece = next(pieces)
            except StopIteration:
                return False
            except (LineTooLong, UnclosedQuote, InputError) as exc:
                waiting.append((exc, None))
                return False
            waiting.append((piece, validator.submit(_confirm, piece, delimiter) if piece.confirm else None))
            return True

        try:
            more = True
            while True:
                if not waiting:
                    more = more and cut_one()
                    if not waiting:
                        return
                first, confirming = waiting[0]
                if isinstance(first, Exception):
                    raise first
                # While the first piece is confirmed, the next is read and cut (a piece without quotes, or with
                # its quotes paired by the cutting, goes on at once).
                while confirming is not None and more and len(waiting) < _LOOK_AHEAD and not confirming.done():
                    more = cut_one()
                waiting.popleft()
                ends = first.length if confirming is None else confirming.result()
                if ends == first.length:
                    yield first
                    continue
                # Cut within a quoted field: the pieces cut after it go, and the cutting starts again after its
                # last record (with its quotes paired: that record may be longer than a piece).
                for later, other in waiting:
                    if other is not None:
                        other.result()  # (its buffer is in use until then)
                    if isinstance(later, _Piece):
                        pool.put(later.buffer)
                waiting.clear()
                pieces.close()
                pieces, more = _csv_pieces(path, first.start + ends, pool, delimiter, exact_first=True), True
                if ends:
                    first.length, first.bits = ends, None  # (the worker pairs the quotes of what is left)
                    yield first
                else:
                    pool.put(first.buffer)
        finally:
            for _, other in waiting:
                if other is not None:
                    other.cancel()
            pieces.close()


def _lines_after_header(path: Path, dialect: CsvDialect) -> Iterator[tuple[int, list[str]]]:
    """The first 20 lines after the header as fields, split by each usual delimiter (a title line above the
    header may have none, and then the sniffed one is a guess): for `resolve_columns` to find the real
    header under an export's title lines."""
    with path.open("rb") as handle:
        handle.seek(dialect.header_bytes)
        text = handle.read(64 << 10).decode("utf-8", "replace")
    for number, line in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n")[:20],
                                  start=dialect.header_line + 1):  # (line ends as a text editor counts them)
        for delimiter in dict.fromkeys((dialect.delimiter, ";", ",", "\t")):
            fields = csv_fields(line, delimiter)
            if fields is not None and len(fields) > 1:
                yield number, fields


def _csv_line_numbers(path: Path, start: int, first: int, delimiter: str, records: list[int]) -> dict[int, int]:
    """The file line number on which each record number starts (`first` = the first line after the
    header; records counted the way pyarrow counts: empty lines are no records, a quoted field may span
    lines). Reads the file up to the last record asked for."""
    result: dict[int, int] = {}
    wanted = sorted(set(records), reverse=True)  # popped from the end: smallest first
    if not wanted:
        return result
    lines_before, records_before = 0, 0
    pool = _BufferPool(1)
    try:
        for piece in _csv_pieces(path, start, pool, delimiter, exact=True):  # (read in order: no validator)
            buffer, length = piece.buffer, piece.length
            data = np.frombuffer(buffer, np.uint8, count=length)
            newlines = _line_ends(data)
            ends = newlines[_record_ends(data, newlines, delimiter)] if buffer.find(b'"', 0, length) >= 0 \
                else newlines
            if not len(ends) or ends[-1] != length - 1:
                ends = np.append(ends, length)  # the last line of the file may have no line end
            begins = np.concatenate([[0], ends[:-1] + 1])
            sizes = ends - begins
            empty = (sizes == 0) | ((sizes == 1) & (data[np.minimum(begins, length - 1)] == ord("\r")))
            counted = np.cumsum(~empty)  # records up to and including each line
            while wanted and wanted[-1] - first < records_before + (counted[-1] if len(counted) else 0):
                record = wanted.pop()
                index = int(np.searchsorted(counted, record - first - records_before + 1))
                result[record] = first + lines_before + int(np.searchsorted(newlines, begins[index]))
            lines_before += len(newlines)
            records_before += int(counted[-1]) if len(counted) else 0
            pool.put(buffer)
            if not wanted:
                break
    except (LineTooLong, UnclosedQuote):
        pass
    result.update({record: record for record in wanted})  # not found: keep the record number
    return result


def _line_of_offset(path: Path, offset: int) -> int:
    """The line number (1 = the first line of the file) of the line that starts at or contains byte `offset`;
    lines end as `_line_ends` ends them."""
    count = 1
    cr_before = False  # the block before ended with a CR: if this one starts with its LF, that is one line end
    with path.open("rb") as handle:
        left = offset
        while left > 0:
            block = handle.read(min(left, 1 << 20))
            if not block:
                break
            count += line_of(block, len(block)) - 1 - (cr_before and block[:1] == b"\n")
            cr_before = block[-1:] == b"\r"
            left -= len(block)
    return count


def _long_field(buffer: bytearray, length: int, base: int, dialect: CsvDialect,
                quotes: np.ndarray | None = None) -> LongFieldError | None:
    """A field longer than MAX_FIELD_CHARS in a piece, or None. Such a field spans a window of `_WINDOW` bytes
    without a line end (LF or CR, as pyarrow ends lines); most pieces are cleared by one `find` per window.
    A window inside a quoted field over lines (a remark with one very long line) is that field, named by the
    line and column of its record (`quotes`: the piece's, where the cutter paired them)."""
    checked = 0  # how far the lines and fields looked at reach: each is looked at once, however long
    fields = ends = None
    for window in range(0, length, _WINDOW):
        stop = window + _WINDOW
        if stop > length or window < checked or buffer.find(b"\n", window, stop) >= 0 or \
                buffer.find(b"\r", window, stop) >= 0:
            continue
        if fields is None and buffer.find(b'"', 0, length) >= 0:
            data = np.frombuffer(buffer, np.uint8, count=length)
            fields = _quoted_pairs(data, dialect.delimiter, quotes)
            line_ends = _line_ends(data)
            ends = line_ends[_within_fields(fields, line_ends) < 0]
        inside = np.searchsorted(fields.reshape(-1), window, side="right") if fields is not None else 0
        if inside % 2:  # within a quoted field that started lines before
            assert fields is not None and ends is not None
            opening, closing = (int(q) for q in fields[inside // 2])
            checked = closing
            text = bytes(buffer[opening + 1:closing]).decode("utf-8", "replace").replace('""', '"')
            if len(text) > MAX_FIELD_CHARS:
                before = int(np.searchsorted(ends, opening))
                record = int(ends[before - 1]) + 1 if before else 0
                position = _column(np.frombuffer(buffer, np.uint8, count=length), ends, opening, dialect.delimiter)
                column = dialect.header[position] if position < len(dialect.header) else f"veld {position + 1}"
                return LongFieldError(base + record, column, len(text), text[:60])
            continue
        # A line end-free window outside quoted fields: look at its line, or, in a piece with quotes, at its
        # whole record, once: from inside a remark over lines before the window its closing quote would read as
        # an opening one, and a record of many such windows is read once, not from its start for each.
        if ends is not None:
            at = int(np.searchsorted(ends, window))
            begin = int(ends[at - 1]) + 1 if at else 0
            end = int(ends[at]) if at < len(ends) else length
        else:
            begin = max(buffer.rfind(b"\n", 0, window), buffer.rfind(b"\r", 0, window)) + 1
            after = [e for e in (buffer.find(b"\n", window, length), buffer.find(b"\r", window, length)) if e >= 0]
            end = min(after) if after else length
        checked = end
        text = bytes(buffer[begin:end]).decode("utf-8", "replace")
        found = longest_field(text, dialect.delimiter, over_lines=False)
        if found is not None:
            position, size = found
            column = dialect.header[position] if position < len(dialect.header) else f"veld {position + 1}"
            return LongFieldError(base + begin, column, size, _nth_field(text, position, dialect.delimiter)[:60])
    return None


def _nth_field(record: str, position: int, delimiter: str) -> str:
    """The `position`-th field (from 0) of a record's text, split at the delimiters outside its quoted fields,
    without its quotes (for a message: once, on a record that was refused)."""
    spans = iter(quoted_fields(record, delimiter))
    span = next(spans, None)
    bounds = [0]  # where each field starts, and then where the wanted one ends
    at = record.find(delimiter)
    while at >= 0 and len(bounds) <= position + 1:
        while span is not None and span[1] < at:
            span = next(spans, None)
        if span is None or not span[0] < at < span[1]:
            bounds.append(at + len(delimiter))
        at = record.find(delimiter, at + 1)
    if len(bounds) <= position:
        return ""
    stop = bounds[position + 1] - len(delimiter) if len(bounds) > position + 1 else len(record)
    return record[bounds[position]:stop].strip('"')


def _continues_open(line: bytes, delimiter: str) -> bool:
    """Whether a line that goes on with a quoted field left open by the lines before still ends inside one:
    that field closes at its first single quote (a doubled one is a quote in it), runs on to the next
    delimiter, and the rest of the line is read from a field's start."""
    at = 0
    while True:
        quote = line.find(b'"', at)
        if quote < 0:
            return True
        if line[quote + 1:quote + 2] == b'"':
            at = quote + 2
            continue
        after = line.find(delimiter.encode(), quote + 1)
        return after >= 0 and _open_quote(line[after + 1:], delimiter)


def _open_quote(record: bytes, delimiter: str) -> bool:
    """Whether the bytes of a record (from its start) end inside a quoted field."""
    return b'"' in record and quoting(record, delimiter)[1] is not None


def _swallowing_field(path: Path, line: int, last_line: int, start: bytes) -> InputError:
    """The message on a field over lines that took claim lines in (`_field_over_claim_lines`)."""
    return InputError(f"{path}: regel {line}: een veld dat met een aanhalingsteken (\") begint, loopt door tot in "
                      f"regel {last_line} en neemt de declaratieregels daartussen op; controleer de aanhalingstekens "
                      "op die regel", row=line, file=str(path), value=start[:60].decode("utf-8", "replace"))


def _locate_csv_problem(path: Path, dialect: CsvDialect) -> InputError:
    """Slow path after pyarrow refused a piece: find the first line that is not well formed."""
    expected = len(dialect.header)
    with path.open("rb") as binary:
        binary.seek(dialect.header_bytes)
        # Lines end as pyarrow ends them: LF, CR LF or a lone CR (Latin-1 gives every byte back as it was, and
        # newline="" splits at all three without changing them), so the line refused is the line named.
        handle = io.TextIOWrapper(binary, encoding="latin-1", newline="")
        number, lines = dialect.header_line, 1  # the line a record starts on, and how many it spans
        while True:
            number += lines
            raw, lines = handle.readline(MAX_LINE_BYTES + 1).encode("latin-1"), 1
            if not raw:
                break
            # A field over lines: its lines gathered until it closes, each line looked at once (`_continues_open`).
            parts, size, still_open = [raw], len(raw), _open_quote(raw, dialect.delimiter)
            while size <= MAX_LINE_BYTES and still_open:
                more = handle.readline(MAX_LINE_BYTES + 1 - size).encode("latin-1")
                if not more:
                    break
                parts.append(more)
                size, lines, still_open = size + len(more), lines + 1, _continues_open(more, dialect.delimiter)
            raw = b"".join(parts)
            if lines > 1 and _field_over_claim_lines(np.frombuffer(raw, np.uint8), dialect.delimiter, expected):
                return _swallowing_field(path, number, number + lines - 1, raw)
            if still_open and size <= MAX_LINE_BYTES:
                return InputError(f"{path}: regel {number}: een veld dat met een aanhalingsteken (\") begint, "
                                  "wordt niet gesloten", row=number, file=str(path),
                                  value=raw[:60].decode("utf-8", "replace"))
            if len(raw) > MAX_LINE_BYTES:
                return InputError(f"{path}: regel {number} is te lang (meer dan {MAX_LINE_BYTES} bytes)",
                                  row=number, file=str(path), value=f"{len(raw)} bytes")
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                return InputError(
                    f"{path}: regel {number} bevat tekens die geen UTF-8 zijn "
                    f"({not_utf8(raw, exc.start)}); "
                    "sla het bestand op als 'CSV UTF-8'",
                    row=number, file=str(path), value=raw[exc.start:exc.start + 1])
            line = text.rstrip("\r\n")
            if not line:  # an empty line: skipped by the reading too
                continue
            fields = csv_fields(line, dialect.delimiter)
            if not line.strip() and (fields is None or len(fields) != expected):
                return InputError(f"{path}: regel {number} bevat alleen spaties of tabs; verwijder die regel (een "
                                  "lege regel mag wel)", row=number, file=str(path), value=line)
            if fields is None:
                long = longest_field(line, dialect.delimiter)
                if long is not None and lines > 1:
                    continue  # a field over lines may be that long: the reading bounds a line, not such a field
                if long is not None:
                    column = dialect.header[long[0]] if long[0] < expected else f"veld {long[0] + 1}"
                    limit = f"{MAX_FIELD_CHARS:,}".replace(",", ".")
                    return InputError(f"{path}: regel {number}, kolom '{column}': het veld is langer dan {limit} "
                                      "tekens", row=number, file=str(path), value=f"{long[1]} tekens")
                return InputError(
                    f"{path}: regel {number} is geen leesbare CSV-regel: "
                    f"{show_value(text.strip())}", row=number, file=str(path), value=text.strip())
            if len(fields) != expected:
                # A line cut short by a CR in a field (a line end typed into a cell) is shown as such: an editor
                # shows the rest on the next line, and the user looks for the break.
                cut = "; de regel eindigt op een los CR-teken: staat er een regeleinde in een veld?" \
                    if raw.endswith(b"\r") and len(fields) < expected else ""
                return InputError(
                    f"{path}: regel {number} heeft {len(fields)} {'veld' if len(fields) == 1 else 'velden'}, de "
                    f"kopregel {expected} "
                    f"(scheidingsteken '{dialect.delimiter}'): {show_value(text.strip())}{cut}",
                    row=number, file=str(path), value=text.strip())
    return InputError(f"{path}: het CSV-bestand kan niet worden gelezen", file=str(path))


def read_csv(path: Path, wanted_fields: Sequence[str], required: Sequence[str]) -> Source:
    import pyarrow.csv as pacsv

    dialect = sniff_csv(path)
    refused = header_over_lines(path, dialect)
    if refused is not None:
        raise refused
    layout = resolve_columns(dialect.header, str(path), wanted=wanted_fields, required=required,
                             header_line=dialect.header_line, later=_lines_after_header(path, dialect))
    fields = list(layout.columns)
    wanted = [layout.columns[f] for f in fields]
    # Each piece is parsed by one worker thread (the workers already keep every core busy).
    read_options = pacsv.ReadOptions(column_names=list(dialect.header), block_size=BLOCK_BYTES, use_threads=False)
    # A quoted field may hold line ends: pyarrow then cuts its blocks at record ends, not at every line end.
    parse_options = pacsv.ParseOptions(delimiter=dialect.delimiter, newlines_in_values=True)
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
    pool = _BufferPool(2 * WORKERS + _LOOK_AHEAD + 1)  # one per piece in flight or being confirmed, one being filled

    def read(buffer: bytearray, length: int, dates: bool, quoted: bool) -> pa.Table:
        # The whole buffer: bytes past `length` are left from an earlier piece (or zero), so a yes holds
        # for the piece too, and a no only costs the check.
        ascii = buffer.isascii()
        options = dict(parse_options=parse_options if quoted else unquoted, convert_options=convert[dates, ascii])
        try:
            return pacsv.read_csv(pa.BufferReader(pa.py_buffer(buffer).slice(0, length)), read_options=read_options,
                                  **options)
        except pa.ArrowInvalid as exc:
            if "straddl" not in str(exc):
                raise
        # A record longer than a block (a remark of megabytes over many lines): the piece as one block.
        whole = pacsv.ReadOptions(column_names=list(dialect.header), block_size=length + 1, use_threads=False)
        return pacsv.read_csv(pa.BufferReader(pa.py_buffer(buffer).slice(0, length)), read_options=whole, **options)

    def load(piece: _Piece) -> list[pa.RecordBatch]:
        buffer, length, start, quotes, bits = piece.buffer, piece.length, piece.start, piece.quotes, piece.bits
        try:
            long = _long_field(buffer, length, start, dialect, quotes)
            if long is not None:
                raise long
            table = None
            quoted = buffer.find(b'"', 0, length) >= 0
            if iso_dates[0]:
                try:
                    table = read(buffer, length, True, quoted)
                except (pa.ArrowInvalid, pa.ArrowTypeError):
                    iso_dates[0] = False
            if table is None:
                table = read(buffer, length, False, quoted)
            # Fewer records than lines: a field over lines (or an empty line); rare, so only then looked at.
            # Lines as pyarrow ends them: a lone CR ends one too, else a CR in one line would hide a field over
            # lines. (Counted by NumPy, which lets the other threads run; `bytes.count` holds the GIL.)
            data = np.frombuffer(buffer, np.uint8, count=length)
            unended = length > 0 and buffer[length - 1] not in (_LF, _CR)
            swallowing = None
            if bits is not None:  # (its quotes are CSV quoting: the validator's bitmaps say where fields are)
                if table.num_rows < bits.line_count + unended:
                    swallowing = _swallowing(data, dialect.delimiter, len(dialect.header),
                                             *_spanning_by_bits(data, dialect.delimiter, bits))
            elif quoted:
                line_ends = _line_ends(data)
                if table.num_rows < len(line_ends) + unended:
                    swallowing = _field_over_claim_lines(data, dialect.delimiter, len(dialect.header), quotes,
                                                         line_ends)
            if swallowing is not None:
                opening, closing = swallowing
                raise _swallowing_field(path, _line_of_offset(path, start + opening),
                                        _line_of_offset(path, start + closing), bytes(buffer[opening:opening + 60]))
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            raise _locate_csv_problem(path, dialect) from None
        finally:
            pool.put(buffer)
        return [pa.RecordBatch.from_arrays(batch.columns, names=fields) for batch in table.to_batches()]

    def chunks() -> Iterator[Chunk]:
        try:
            for piece in _confirmed_pieces(path, dialect.header_bytes, pool, dialect.delimiter):
                yield Chunk(functools.partial(load, piece), piece.end)
        except UnclosedQuote as exc:
            line = _line_of_offset(path, exc.offset)
            raise InputError(f"{path}: regel {line}: een veld dat met een aanhalingsteken (\") begint, wordt tot het "
                             "einde van het bestand niet gesloten; controleer de aanhalingstekens op die regel",
                             row=line, file=str(path), value='"') from None
        except LineTooLong as exc:
            line = _line_of_offset(path, exc.offset)
            limit = f"{MAX_LINE_BYTES:,}".replace(",", ".")
            if exc.quoted:
                message = (f"{path}: regel {line}: een veld dat met een aanhalingsteken begint, is na {limit} bytes "
                           "nog niet gesloten; controleer de aanhalingstekens op die regel")
            else:
                message = f"{path}: regel {line} is te lang (meer dan {limit} bytes zonder regeleinde)"
            raise InputError(message,
                             row=line, file=str(path), value=f"{exc.length} bytes") from None

    first = dialect.header_line + 1
    return Source(str(path), layout, first, chunks(), path.stat().st_size,
                  functools.partial(_csv_line_numbers, path, dialect.header_bytes, first, dialect.delimiter),
                  functools.partial(_line_of_offset, path))


__all__ = ["CHUNK_BYTES", "MAX_LINE_BYTES", "read_csv"]
