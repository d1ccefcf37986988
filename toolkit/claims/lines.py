"""Claim lines: each one validated and put in exactly one state, tallied per provider, and reduced to
what a computation needs (distinct provider-PC4-client triples for the ratio, amounts per month for
the production).

Every line is validated, not only the CZ lines of the year: a broken line anywhere means a broken
export. The first failing field of a line names its reason (columns in the order of `FIELDS`). The
line states are exclusive: other insurer, unknown insurer label, CZ group in another year, CZ group
kindzorg, used, invalid. Counts per provider and state, per provider and invalid reason and per
provider and unknown label are kept for every provider (`Tallies`).

Batches are processed by worker threads (`scan`): Arrow and NumPy kernels release the GIL, and the
reading thread only merges small per-batch results, in file order, so the error raised is about the
first invalid line of the claim set. Nothing on this path converts Python values with pyarrow's own
functions, which would import pandas (see `toolkit/_arrow.py`).
"""

from __future__ import annotations

import datetime as dt
import os
import queue
import re
import sys
import threading
from collections import Counter, deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeVar

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .. import _arrow as arrow
from ..errors import InputError, show_value
from ..parameters import load_insurers
from ..postcode import to_pc4
from ..tabular import MAX_FIELD_CHARS
from . import read
from .amounts import Amounts
from .claimset import Repeat, RepeatFinder
from .read import DUTCH_FIELD, Chunk, LongFieldError, Source

FIELDS = ("client_id", "postcode", "insurer", "date", "provider", "care_type", "amount")
REASON_KEYS = {
    "client_id": "ongeldige cliënt",
    "postcode": "ongeldige postcode",
    "insurer": "ongeldige verzekeraar",
    "date": "ongeldige datum",
    "provider": "ongeldige zorgaanbieder",
    "care_type": "ongeldige zorgsoort",
    "amount": "ongeldig bedrag",
}
MAX_ID_LENGTH = 128  # client ids are pseudonyms or hashes; far longer values are a broken export
MAX_TEXT_LENGTH = 200
FIRST_YEAR, LAST_YEAR = 1900, 2100  # a claim date outside these years is a broken export
YEARS = LAST_YEAR - FIRST_YEAR + 1
MERGE_AT = 4_000_000  # triples kept before they are merged into one distinct set
RECODE_AT = 1 << 20  # batch clients gathered (at least) before they are coded into the one dictionary
EXAMPLES = 10  # invalid lines quoted in a report

# Every line ends in exactly one state; the line counts of a report are sums over states.
OTHER_INSURER, UNKNOWN_INSURER, OTHER_YEAR, KINDZORG, USED, INVALID = range(6)
STATES = 6
INSURER_CZ, INSURER_OTHER, INSURER_UNKNOWN = 0, 1, 2
# A (provider, PC4) pair as one integer, provider id * PC4_KEY + PC4; with the client's code in the
# low 32 bits a triple fits an int64 as long as that product stays below 2**31.
PC4_KEY = 10_000
MAX_PROVIDERS = (2**31 - 1) // PC4_KEY
LOW_32 = np.int64(0xFFFFFFFF)

_KINDZORG_CARE = re.compile(r"kindzorg", re.IGNORECASE)
_DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%Y%m%d", "%Y/%m/%d", "%d.%m.%Y")
# Comparison scalars typed like the arrays they meet: a plain Python int would make Arrow cast the
# whole array to int64 first.
_I32_0 = arrow.scalar(0, pa.int32())
_MAX_ID = arrow.scalar(MAX_ID_LENGTH, pa.int32())
_I64_MINUS_1 = arrow.scalar(-1, pa.int64())


def _parse_date(value: str) -> dt.date | None:
    text = value.strip()
    if "T" in text:
        text = text.split("T", 1)[0]
    elif " " in text:
        text = text.split(" ", 1)[0]
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def parse_date(value: str) -> tuple[int, int]:
    """(year, month) of a claim date in one of the usual export formats; (-1, 0) when unparseable."""
    parsed = _parse_date(value)
    return (-1, 0) if parsed is None else (parsed.year, parsed.month)


def day_number(value: str | None) -> int:
    """The day of a claim date as `date.toordinal()` (14-03-2025 and 2025-03-14 are one day); -1 when
    unparseable."""
    parsed = None if value is None else _parse_date(value)
    return -1 if parsed is None else parsed.toordinal()


def distinct(values: np.ndarray, *, runs: bool = False, in_place: bool = False) -> np.ndarray:
    """The distinct values, sorted. Sorting is about 5x faster here than `np.unique`, which hashes
    (NumPy 2.4: 17 ms against 3 ms for 100,000 int64). `runs`: the values are a concatenation of sorted
    runs, which NumPy's stable sort (timsort) merges: 4x faster than its quicksort on such input.
    `in_place`: sort `values` itself instead of a copy (one array less of their size)."""
    kind: Literal["stable", "quicksort"] = "stable" if runs else "quicksort"
    if in_place:
        values.sort(kind=kind)
        ordered = values
    else:
        ordered = np.sort(values, kind=kind)
    first = np.empty(len(ordered), bool)
    first[:1] = True
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    result: np.ndarray = ordered[first]
    return result


class _InsurerClassifier:
    """Label or UZOVI code -> CZ group / other insurer / unknown, cached per distinct value."""

    def __init__(self) -> None:
        data = load_insurers()
        self._known: dict[str, int] = {}
        for key, group in data.groups.items():
            kind = INSURER_CZ if key == "cz" else INSURER_OTHER
            for label in group.labels:
                self._known[self._norm(label)] = kind
            for code in group.uzovi:
                self._known[code] = kind
        self._cache: dict[str, int] = {}

    @staticmethod
    def _norm(value: str) -> str:
        # Case and white space only: "C Z" must stay unknown so it is reported, not matched.
        return " ".join(value.split()).casefold()

    def classify(self, value: str) -> int:
        cached = self._cache.get(value)
        if cached is None:
            norm = self._norm(value)
            if norm.isdigit() and len(norm) <= 4:
                norm = norm.zfill(4)  # a UZOVI code read as a number loses its leading zeros
            cached = self._known.get(norm, INSURER_UNKNOWN)
            self._cache[value] = cached
        return cached


def _dictionary(array: pa.Array) -> pa.DictionaryArray:
    """The array dictionary-encoded, an empty cell (null) as a dictionary value of its own, so every
    row has a code (the CSV reader already encodes the low-cardinality columns, without nulls)."""
    if pa.types.is_dictionary(array.type):
        if not array.null_count:
            return array
        array = array.cast(array.type.value_type)
    return pc.dictionary_encode(array, null_encoding="encode")


def pc4_common(postcode: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(PC4 as a number, which rows were understood) for the usual spellings: `1234`, `1234AB`,
    `1234ab` and `1234 AB`, read straight from the Arrow string buffers.

    Everything else (stray spaces, other lengths, nulls) is left to `toolkit.postcode.to_pc4`; this
    never accepts a value that `to_pc4` rejects, and gives the same PC4 (tests/test_claims.py).
    """
    n = len(postcode)
    validity, offsets_buffer, data_buffer = postcode.buffers()
    offsets = np.frombuffer(offsets_buffer, np.int32, count=n + 1, offset=postcode.offset * 4)
    starts = offsets[:-1].astype(np.int64)
    lengths = np.diff(offsets)
    # Seven spare bytes after the data: every value can be read as if it were seven bytes long, and
    # the length checks reject whatever a shorter value's spare bytes say.
    data = np.zeros(offsets[-1] + 7, np.uint8)
    if data_buffer is not None:
        data[: offsets[-1]] = np.frombuffer(data_buffer, np.uint8, count=offsets[-1])

    def is_letter(chars: np.ndarray) -> np.ndarray:
        return ((chars | 0x20) - ord("a")).astype(np.uint8) < 26  # A-Z or a-z

    digits = [data[starts + k] - ord("0") for k in range(4)]  # uint8: anything below '0' wraps past 9
    pc4_first = (digits[0] >= 1) & (digits[0] <= 9) & (digits[1] <= 9) & (digits[2] <= 9) & (digits[3] <= 9)
    ok = pc4_first & (lengths == 4)
    long = np.flatnonzero(pc4_first & (lengths > 4))
    if long.size:  # `1234AB`, `1234ab` or `1234 AB`
        at, size = starts[long], lengths[long]
        c4, c5, c6 = data[at + 4], data[at + 5], data[at + 6]
        ok[long] = (((size == 6) & is_letter(c4) & is_letter(c5))
                    | ((size == 7) & (c4 == ord(" ")) & is_letter(c5) & is_letter(c6)))
    if validity is not None and postcode.null_count:
        ok &= arrow.to_numpy(pc.is_valid(postcode))
    d0, d1, d2, d3 = (d.astype(np.int16) for d in digits)  # uint8 would overflow in the sum
    pc4 = d0 * 1000 + d1 * 100 + d2 * 10 + d3
    return pc4, ok


class ProviderIds:
    """Provider name -> an id shared by all batches (each batch brings its own dictionary)."""

    def __init__(self) -> None:
        self.names: list[str | None] = []
        self.valid: list[bool] = []  # a well-formed name (not empty, not too long)
        self._ids: dict[str | None, int] = {}
        self._lock = threading.Lock()

    def of(self, names: list[str | None], valid: np.ndarray) -> np.ndarray:
        with self._lock:
            for name, ok in zip(names, valid.tolist(), strict=True):
                if name not in self._ids:
                    if len(self.names) >= MAX_PROVIDERS:
                        raise InputError(f"meer dan {MAX_PROVIDERS} verschillende zorgaanbieders", field="provider")
                    self._ids[name] = len(self.names)
                    self.names.append(name)
                    self.valid.append(bool(ok))
            return np.fromiter((self._ids[name] for name in names), dtype=np.int64, count=len(names))


@dataclass
class BatchResult:
    """One batch reduced: line counts, reasons and unknown labels per provider, the first invalid lines,
    and what the computation keeps (`kept`)."""

    rows: int
    providers: np.ndarray  # provider ids, one per row of the tables below
    counts: np.ndarray  # lines by provider and state
    reasons: np.ndarray  # invalid lines by provider and field of FIELDS (the first failing one)
    unknown: list[tuple[int, str, int]]  # (provider id, label, lines) of unknown insurer labels
    invalid: list[tuple[int, str, str, object]]  # (index in the batch, field, reason, value), the first few
    kept: Any = None
    years: np.ndarray | None = None  # valid lines by year, FIRST_YEAR first (a wrong --year is found by them)
    keys: np.ndarray | None = None  # one key per counted line, when repeats across files are looked for


class Reduction:
    """What a computation keeps of the valid lines of a batch (subclassed by the ratio and the production)."""

    fields: tuple[str, ...] = ()  # extra fields it reads and validates
    months = False  # whether it needs the month of each date

    def check(self, batch: pa.RecordBatch) -> list[tuple[str, np.ndarray]]:
        """(field, mask of invalid rows) for its extra fields."""
        return []

    def reason(self, fieldname: str, value: object) -> str:
        """The Dutch reason an extra field's value is invalid."""
        raise NotImplementedError

    def reduce(self, batch: pa.RecordBatch, checked: Checked) -> Any:
        raise NotImplementedError

    def claims_year(self) -> int:
        raise NotImplementedError

    def counted(self, state: np.ndarray) -> np.ndarray:
        """Which lines the computation counts: a repeat of one of them in another file is reported."""
        counted: np.ndarray = state == USED
        return counted

    # What makes two lines of different files the same claim, in words (the messages say it).
    repeat_fields = "zelfde zorgaanbieder, cliënt, datum en prestatie"

    def line_amounts(self, batch: pa.RecordBatch) -> Amounts | None:
        """The batch's amounts, when the computation reads them: then they tell repeated lines apart too
        (a computation that does not count amounts is not made to read them only for that)."""
        return None


@dataclass
class Checked:
    """Per row of a batch: the state, the provider id, the PC4 and (when asked) the month."""

    state: np.ndarray
    provider: np.ndarray
    pc4: np.ndarray
    month: np.ndarray | None


class Processor:
    """Validates a batch of claim lines and puts each in its state; thread-safe for the pool (the
    caches only ever gain identical entries)."""

    def __init__(self, reduction: Reduction, *, repeats: bool = False) -> None:
        self.reduction = reduction
        self.repeats = repeats  # whether to key each counted line, to find it again in another file
        self._days: dict[str, int] = {}
        self.insurers = _InsurerClassifier()
        self.providers = ProviderIds()
        self._dates: dict[str, int] = {}
        self._kindzorg: dict[str, bool] = {}
        self._pc4: dict[str, int] = {}

    @staticmethod
    def _lookup(encoded: pa.DictionaryArray, fn: Callable[[Any], Any], dtype: type[np.generic]) -> np.ndarray:
        """A Python function applied to the distinct values only, spread back to the rows."""
        mapped = np.array([fn(v) for v in encoded.dictionary.to_pylist()], dtype=dtype)
        rows: np.ndarray = mapped[arrow.to_numpy(encoded.indices)]
        return rows

    def _dates_of(self, array: pa.Array) -> np.ndarray:
        """year * 100 + month of every row (month 0 when not asked for); -100 when unreadable."""
        if pa.types.is_date(array.type) or pa.types.is_timestamp(array.type):
            years = arrow.to_numpy(pc.fill_null(pc.year(array), _I64_MINUS_1))
            result = years * 100
            if self.reduction.months:
                result += arrow.to_numpy(pc.fill_null(pc.month(array), _I64_MINUS_1))
            return result

        def year_month(value: str | None) -> int:
            if value is None:
                return -100
            cached = self._dates.get(value)
            if cached is None:
                year, month = parse_date(value)
                cached = self._dates[value] = year * 100 + month
            return cached

        return self._lookup(_dictionary(array), year_month, np.int32).astype(np.int64)

    def _postcodes(self, postcode: pa.Array) -> tuple[np.ndarray, np.ndarray]:
        """(PC4 of every row, mask of invalid postcodes). The usual spellings are read in bulk; the
        rest goes through `toolkit.postcode.to_pc4`, once per distinct value."""
        pc4, ok = pc4_common(postcode)
        if not ok.all():
            rest = np.flatnonzero(~ok)
            values = self._lookup(_dictionary(postcode.take(arrow.from_numpy(rest))), self._pc4_of, np.int16)
            pc4[rest] = values
            ok[rest] = values >= 0
        return pc4, ~ok

    def _pc4_of(self, value: str | None) -> int:
        if value is None:
            return -1
        cached = self._pc4.get(value)
        if cached is None:
            try:
                cached = int(to_pc4(value))
            except InputError:
                cached = -1
            self._pc4[value] = cached
        return cached

    def process(self, batch: pa.RecordBatch) -> BatchResult:
        n = batch.num_rows
        checks: list[tuple[str, np.ndarray]] = []  # (field, mask of invalid rows), in the order of FIELDS

        client = batch.column("client_id")
        client_bytes = pc.binary_length(client)
        checks.append(("client_id", arrow.to_numpy(pc.fill_null(pc.or_(
            pc.or_(pc.equal(client_bytes, _I32_0), pc.greater(client_bytes, _MAX_ID)),
            pc.utf8_is_space(client)), arrow.TRUE))))

        pc4, bad_postcode = self._postcodes(batch.column("postcode"))
        checks.append(("postcode", bad_postcode))

        insurer = _dictionary(batch.column("insurer"))
        insurer_kind = self._lookup(insurer, self._classify_insurer, np.int8)
        checks.append(("insurer", insurer_kind < 0))

        dates = self._dates_of(batch.column("date"))
        years = dates // 100
        checks.append(("date", (years < FIRST_YEAR) | (years > LAST_YEAR)))

        if "provider" in batch.schema.names:
            provider = _dictionary(batch.column("provider"))
            names = provider.dictionary.to_pylist()
            codes = arrow.to_numpy(provider.indices)
            named = np.array([v is not None and 0 < len(v.encode()) <= MAX_TEXT_LENGTH for v in names], bool)
            checks.append(("provider", ~named[codes]))
        else:
            names, codes, named = [""], np.zeros(n, np.int32), np.ones(1, bool)

        kindzorg: np.ndarray | bool = False
        if "care_type" in batch.schema.names:
            care_type = _dictionary(batch.column("care_type"))
            care_names = care_type.dictionary.to_pylist()
            care_codes = arrow.to_numpy(care_type.indices)
            too_long = np.array([v is not None and len(v.encode()) > MAX_TEXT_LENGTH for v in care_names], bool)
            checks.append(("care_type", too_long[care_codes]))
            kindzorg = np.array([self._is_kindzorg(v) for v in care_names], bool)[care_codes]

        checks.extend(self.reduction.check(batch))

        invalid = checks[0][1].copy()
        for _, mask in checks[1:]:
            invalid |= mask
        provider_ids = self.providers.of(names, named)
        reasons = np.zeros((len(names), len(FIELDS)), np.int64)
        invalid_rows: list[tuple[int, str, str, object]] = []
        if invalid.any():
            invalid_rows, reasons = self._describe_invalid(batch, checks, codes, len(names))

        # The state of every line: other insurer, unknown label, CZ of another year, CZ kindzorg,
        # used (CZ, the computation's year, no kindzorg) or invalid.
        in_year = years == self.reduction.claims_year()
        cz_state = np.where(in_year, np.where(kindzorg, KINDZORG, USED), OTHER_YEAR)
        state = np.where(insurer_kind == INSURER_CZ, cz_state,
                         np.where(insurer_kind == INSURER_OTHER, OTHER_INSURER, UNKNOWN_INSURER))
        state[invalid] = INVALID
        counts = np.bincount(codes * STATES + state, minlength=len(names) * STATES).reshape(len(names), STATES)
        by_year = np.bincount(years[~invalid] - FIRST_YEAR, minlength=YEARS)

        unknown: list[tuple[int, str, int]] = []
        unknown_rows = state == UNKNOWN_INSURER
        if unknown_rows.any():
            labels = insurer.dictionary.to_pylist()
            pairs = codes[unknown_rows].astype(np.int64) * len(labels) + arrow.to_numpy(insurer.indices)[unknown_rows]
            per_pair = np.bincount(pairs, minlength=len(names) * len(labels))
            for pair in np.flatnonzero(per_pair).tolist():
                code, label = divmod(pair, len(labels))
                unknown.append((int(provider_ids[code]), str(labels[label]), int(per_pair[pair])))

        checked = Checked(state, provider_ids[codes], pc4,
                          dates % 100 if self.reduction.months else None)
        keys = self._line_keys(batch, np.flatnonzero(self.reduction.counted(state)), checked.provider) \
            if self.repeats else None
        return BatchResult(rows=n, providers=provider_ids, counts=counts, reasons=reasons, unknown=unknown,
                           invalid=invalid_rows, kept=self.reduction.reduce(batch, checked), years=by_year,
                           keys=keys)

    def _line_keys(self, batch: pa.RecordBatch, rows: np.ndarray, provider: np.ndarray) -> np.ndarray:
        """A 64-bit key per line of `rows`: its provider, client, day, care type and (where the computation
        reads it) amount. Two files holding a line of the same key hold the same claim (the chance that two
        different claims share a key is about n² / 2⁶⁵: once in tens of thousands of runs of 50 million
        lines). Only the rows' own cells are read: a dictionary column's values are looked at once."""
        taken = arrow.from_numpy(rows)
        key = _text_keys(batch.column("client_id").take(taken))
        with np.errstate(over="ignore"):
            key ^= mix(provider[rows].astype(np.uint64) + np.uint64(1))
            key = mix(key ^ self._days_of(batch.column("date").take(taken)).astype(np.uint64))
            if "care_type" in batch.schema.names:
                key = mix(key ^ _text_keys(batch.column("care_type").take(taken)) * _GOLDEN)
            amounts = self.reduction.line_amounts(batch)
            if amounts is not None:
                key = mix(key ^ amounts.keys()[rows])
        return key

    def _days_of(self, array: pa.Array) -> np.ndarray:
        """The day of every row as `date.toordinal()`; -1 when unreadable."""
        if pa.types.is_date(array.type) or pa.types.is_timestamp(array.type):
            days = arrow.to_numpy(pc.fill_null(array.cast(pa.date32()).cast(pa.int32()), arrow.scalar(-1, pa.int32())))
            return days.astype(np.int64) + _EPOCH

        def day(value: str | None) -> int:
            if value is None:
                return -1
            cached = self._days.get(value)
            if cached is None:
                cached = self._days[value] = day_number(value)
            return cached

        return self._lookup(_dictionary(array), day, np.int64)

    def _classify_insurer(self, value: str | None) -> int:
        if value is None or not value.strip() or len(value) > MAX_TEXT_LENGTH:
            return -1
        return self.insurers.classify(value)

    def _is_kindzorg(self, value: str | None) -> bool:
        if value is None:
            return False
        cached = self._kindzorg.get(value)
        if cached is None:
            cached = self._kindzorg[value] = bool(_KINDZORG_CARE.search(value))
        return cached

    def _describe_invalid(self, batch: pa.RecordBatch, checks: list[tuple[str, np.ndarray]], codes: np.ndarray,
                          providers: int) -> tuple[list[tuple[int, str, str, object]], np.ndarray]:
        """The first invalid rows of a batch with a Dutch reason each, and the invalid lines per provider
        and reason (slow path: only on invalid input). A line with several problems counts once, for
        its first failing field."""
        first_failing = np.full(batch.num_rows, -1, np.int8)
        for position in reversed(range(len(checks))):
            first_failing[checks[position][1]] = FIELDS.index(checks[position][0])
        invalid = np.flatnonzero(first_failing >= 0)
        reasons = np.bincount(codes[invalid].astype(np.int64) * len(FIELDS) + first_failing[invalid],
                              minlength=providers * len(FIELDS)).reshape(providers, len(FIELDS))
        rows: list[tuple[int, str, str, object]] = []
        for index in invalid[: 2 * EXAMPLES].tolist():
            fieldname = FIELDS[first_failing[index]]
            value = batch.column(fieldname)[index].as_py()
            rows.append((index, fieldname, self._reason_text(fieldname, value), value))
        return rows, reasons

    def _reason_text(self, fieldname: str, value: object) -> str:
        if fieldname in self.reduction.fields:
            return self.reduction.reason(fieldname, value)
        return reason_text(fieldname, value)


def reason_text(fieldname: str, value: object) -> str:
    shown = show_value(value)
    if fieldname == "client_id":
        if value is None or not str(value).strip():
            return "cliënt ontbreekt"
        return f"cliënt {shown} is langer dan {MAX_ID_LENGTH} tekens"
    if fieldname in ("postcode", "date") and (value is None or not str(value).strip()):
        return f"{DUTCH_FIELD[fieldname]} ontbreekt"
    if fieldname == "postcode":
        return (f"postcode {shown} is geen geldige PC4 (verwacht 4 cijfers, niet beginnend met 0, "
                "eventueel gevolgd door 2 letters)")
    if fieldname == "insurer":
        if value is None or not str(value).strip():
            return "verzekeraar ontbreekt"
        return f"verzekeraar {shown} is langer dan {MAX_TEXT_LENGTH} tekens"
    if fieldname == "date":
        year = value.year if isinstance(value, dt.date) else parse_date(str(value))[0]
        if year >= 0:
            return f"datum {shown} ligt niet tussen {FIRST_YEAR} en {LAST_YEAR}"
        return f"datum {shown} is geen geldige datum (verwacht bijv. 2025-03-14 of 14-03-2025)"
    if fieldname == "care_type":
        return f"zorgsoort {shown} is langer dan {MAX_TEXT_LENGTH} tekens"
    if value is None or not str(value).strip():
        return "zorgaanbieder ontbreekt"
    return f"zorgaanbieder {shown} is langer dan {MAX_TEXT_LENGTH} tekens"


# --------------------------------------------------------------------------- the ratio's triples


SHARD_BITS = 4
SHARDS = 1 << SHARD_BITS  # client ids are coded in this many dictionaries, chosen by a hash of the id
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)  # Fibonacci hashing: the top bits of the product mix all bits
_ALL = np.uint64(0xFFFFFFFFFFFFFFFF)


def shard_of(clients: pa.Array) -> np.ndarray:
    """A shard (0..SHARDS - 1) per client id (no nulls), from its last eight bytes and its length: ids
    tend to differ at the end (`P11825573975`). Any function of the id is correct; this one is cheap
    and spreads the ids evenly."""
    n = len(clients)
    if not n:
        return np.zeros(0, np.uint8)
    _, offsets_buffer, data_buffer = clients.buffers()
    offsets = np.frombuffer(offsets_buffer, np.int32, count=n + 1, offset=clients.offset * 4).astype(np.int64)
    begin, end = int(offsets[0]), int(offsets[-1])
    data = np.zeros(end - begin + 8, np.uint8)  # eight zero bytes in front: every id has eight before its end
    if data_buffer is not None and end > begin:
        data[8:] = np.frombuffer(data_buffer, np.uint8, count=end - begin, offset=begin)
    words = np.ndarray(shape=(len(data) - 7,), dtype="<u8", buffer=data, strides=(1,))
    lengths = np.diff(offsets)
    # The eight bytes that end each id (little-endian: its last byte is the top one); of a shorter id
    # only its own bytes, the top `length` ones.
    tail = words[offsets[1:] - begin] & (_ALL << (8 * (8 - np.minimum(lengths, 8))).astype(np.uint64))
    mixed = (tail ^ lengths.astype(np.uint64)) * _GOLDEN
    # One byte per id: NumPy's stable argsort of bytes is a radix sort, 4x faster than of int64.
    shard: np.ndarray = (mixed >> np.uint64(64 - SHARD_BITS)).astype(np.uint8)
    return shard


_MIX_1 = np.uint64(0xFF51AFD7ED558CCD)  # MurmurHash3's finaliser (fmix64): every input bit moves every output bit
_MIX_2 = np.uint64(0xC4CEB9FE1A85EC53)
_SHIFT = np.uint64(33)
_EPOCH = dt.date(1970, 1, 1).toordinal()  # date32 counts days from 1970-01-01


def mix(values: np.ndarray) -> np.ndarray:
    """fmix64 of each uint64 (wrapping arithmetic)."""
    h: np.ndarray = values ^ (values >> _SHIFT)
    h *= _MIX_1
    h ^= h >> _SHIFT
    h *= _MIX_2
    h ^= h >> _SHIFT
    return h


def hash_text(array: pa.Array) -> np.ndarray:
    """A 64-bit hash of each string (no nulls), read eight bytes at a time from the Arrow buffers: as many
    passes over the rows as the longest value has words (a client id: two or three)."""
    n = len(array)
    if not n:
        return np.zeros(0, np.uint64)
    _, offsets_buffer, data_buffer = array.buffers()
    offsets = np.frombuffer(offsets_buffer, np.int32, count=n + 1, offset=array.offset * 4).astype(np.int64)
    begin, end = int(offsets[0]), int(offsets[-1])
    data = np.zeros(end - begin + 8, np.uint8)  # eight zero bytes after the last value: every read is whole
    if data_buffer is not None and end > begin:
        data[: end - begin] = np.frombuffer(data_buffer, np.uint8, count=end - begin, offset=begin)
    words = np.ndarray(shape=(len(data) - 7,), dtype="<u8", buffer=data, strides=(1,))
    starts, lengths = offsets[:-1] - begin, np.diff(offsets)
    h = lengths.astype(np.uint64) * _GOLDEN
    for at in range(0, int(lengths.max()), 8):
        word = words[np.minimum(starts + at, len(words) - 1)]
        short = np.flatnonzero(lengths - at < 8)
        if len(short):  # keep only the value's own bytes of its last word (the rest is the next value's)
            left = np.maximum(lengths[short] - at, 0).astype(np.uint64)
            word[short] &= (np.uint64(1) << (left * np.uint64(8))) - np.uint64(1)
        step = (h ^ word) * _MIX_1
        step ^= step >> _SHIFT
        # A value that has ended keeps its hash, whatever the length of the others in the batch.
        h = step if not len(short) else np.where(lengths > at, step, h)
    h = mix(h)
    return h


def _text_keys(array: pa.Array) -> np.ndarray:
    """`hash_text` of every row of a text column, plain or dictionary-encoded (each distinct value hashed
    once); an empty cell as the empty text."""
    if pa.types.is_dictionary(array.type):
        encoded = _dictionary(array)
        keys: np.ndarray = _text_keys(encoded.dictionary)[arrow.to_numpy(encoded.indices)]
        return keys
    return hash_text(pc.fill_null(array, "") if array.null_count else array)


@dataclass
class BatchTriples:
    """Distinct (provider, PC4, client) of a batch's used lines, split by the client's shard: per shard
    `areas` (provider id * PC4_KEY + PC4) and `codes` into `clients` (the batch's distinct client ids of
    that shard)."""

    areas: list[np.ndarray]
    codes: list[np.ndarray]
    clients: list[pa.Array]


class RatioReduction(Reduction):
    def __init__(self, claims_year: int) -> None:
        self._claims_year = claims_year

    def claims_year(self) -> int:
        return self._claims_year

    def reduce(self, batch: pa.RecordBatch, checked: Checked) -> BatchTriples:
        used = np.flatnonzero(checked.state == USED)
        clients = pc.dictionary_encode(batch.column("client_id").take(arrow.from_numpy(used)))
        areas = checked.provider[used] * PC4_KEY + checked.pc4[used]
        triples = distinct((areas << 32) | arrow.to_numpy(clients.indices))
        codes = triples & LOW_32
        # Each distinct client of the batch numbered within its shard; the triples grouped by shard.
        shard = shard_of(clients.dictionary)
        by_shard = np.argsort(shard, kind="stable")
        sizes = np.bincount(shard, minlength=SHARDS)
        first = np.cumsum(sizes) - sizes
        within = np.empty(len(shard), np.int64)
        within[by_shard] = np.arange(len(shard)) - first[shard[by_shard]]
        triple_shard = shard[codes]
        order = np.argsort(triple_shard, kind="stable")
        bounds = np.searchsorted(triple_shard[order], np.arange(SHARDS + 1))
        ordered_areas, ordered_codes = (triples >> 32)[order], within[codes[order]]
        names = clients.dictionary.take(arrow.from_numpy(by_shard))
        return BatchTriples([ordered_areas[bounds[k]:bounds[k + 1]] for k in range(SHARDS)],
                            [ordered_codes[bounds[k]:bounds[k + 1]] for k in range(SHARDS)],
                            [names.slice(first[k], sizes[k]) for k in range(SHARDS)])


class _Shard:
    """The dictionary of one shard's client ids and the batches waiting to be coded into it."""

    def __init__(self) -> None:
        self.dictionary = arrow.array([], pa.string())
        self.pending: list[tuple[np.ndarray, np.ndarray, pa.Array]] = []
        self.pending_clients = 0


class Triples:
    """The distinct (provider, PC4, client) triples of the batches seen so far, each client as a code
    into one dictionary of client ids for the whole claim set.

    Client ids are coded in SHARDS dictionaries by a hash of the id (code = code in its shard * SHARDS +
    shard), each re-coded on its own once the ids waiting for it are twice as many as it holds: the
    cost follows the batches' distinct clients, and each hash table stays a sixteenth of the size (one
    7-million-id table cost 1.4 s, sixteen of a sixteenth 0.8 s). The triples are made distinct again
    once as many have gathered as the last merge kept (and at least `MERGE_AT`): memory follows the
    distinct triples, not the file length, and each triple is merged a few times only.

    The coding and merging run on a thread of their own, fed batches in file order: done on the thread
    that collects the workers' results, a long re-coding held up the whole pipeline of workers.
    """

    def __init__(self) -> None:
        self._shards = [_Shard() for _ in range(SHARDS)]
        self._keys: list[np.ndarray] = []
        self._rows = 0
        self._merged_rows = 0
        self._queue: queue.Queue[BatchTriples | None] = queue.Queue(maxsize=4 * read.WORKERS)
        self._failed: list[BaseException] = []
        self._thread = threading.Thread(target=self._run, name="claims-triples", daemon=True)
        self._thread.start()

    def add(self, batch: BatchTriples) -> None:
        if self._failed:
            raise self._failed[0]
        self._queue.put(batch)

    def _run(self) -> None:
        while True:
            batch = self._queue.get()
            if batch is None:
                return
            if self._failed:
                continue  # keep draining, so that `add` never blocks on a full queue
            try:
                self._add(batch)
            except BaseException as exc:  # handed to the reading thread by `add` or `distinct`
                self._failed.append(exc)

    def _add(self, batch: BatchTriples) -> None:
        for k, shard in enumerate(self._shards):
            if not len(batch.areas[k]):
                continue
            shard.pending.append((batch.areas[k], batch.codes[k], batch.clients[k]))
            shard.pending_clients += len(batch.clients[k])
            if shard.pending_clients >= max(RECODE_AT // SHARDS, 2 * len(shard.dictionary)):
                self._recode(k)

    def _recode(self, k: int) -> None:
        shard = self._shards[k]
        if not shard.pending:
            return
        known = len(shard.dictionary)
        encoded = pc.dictionary_encode(pa.concat_arrays([shard.dictionary, *(c for _, _, c in shard.pending)]))
        indices = arrow.to_numpy(encoded.indices).astype(np.int64) * SHARDS + k
        shard.dictionary = encoded.dictionary  # the known clients keep their codes: they come first
        at = known
        for areas, codes, clients in shard.pending:
            self._keys.append((areas << 32) | indices[at: at + len(clients)][codes])
            at += len(clients)
            self._rows += len(areas)
        shard.pending, shard.pending_clients = [], 0
        if self._rows - self._merged_rows >= max(MERGE_AT, self._merged_rows):
            merged = distinct(np.concatenate(self._keys), runs=True, in_place=True)
            self._keys = [merged]
            self._rows = self._merged_rows = len(merged)

    def close(self) -> None:
        """Stop the coding thread (also when reading failed half-way)."""
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join()

    def distinct(self) -> tuple[np.ndarray, int]:
        """(sorted distinct triples as area key << 32 | client code, the number of client codes)."""
        self.close()
        if self._failed:
            raise self._failed[0]
        for k in range(SHARDS):
            self._recode(k)
        keys = distinct(np.concatenate(self._keys), runs=True, in_place=True) if self._keys else np.zeros(0, np.int64)
        self._keys = [keys]
        return keys, SHARDS * max(len(s.dictionary) for s in self._shards)


# --------------------------------------------------------------------------- reading a claim set in order


@dataclass
class Tallies:
    """What was counted over the whole claim set, per provider id (rows of the tables)."""

    counts: np.ndarray  # lines by provider and state
    reasons: np.ndarray  # invalid lines by provider and field
    unknown: dict[int, Counter[str]]  # per provider: unknown insurer label -> lines
    examples: list[str]  # the first invalid lines, described
    sources: list[str]
    provider_names: list[str | None]
    provider_valid: list[bool]
    has_provider: bool
    years: dict[int, int] = field(default_factory=dict)  # valid lines per year of their date
    skipped: tuple[tuple[str, str], ...] = ()  # files of the folders not read, with the reason
    repeated: tuple[Repeat, ...] = ()  # claim lines of a file that an earlier file holds too

    def unknown_total(self) -> Counter[str]:
        total: Counter[str] = Counter()
        for labels in self.unknown.values():
            total.update(labels)
        return total


_T = TypeVar("_T")
_R = TypeVar("_R")


def _bounded_map(fn: Callable[[_T], _R], items: Iterator[_T]) -> Iterator[_R]:
    """Like ThreadPoolExecutor.map, in order, but with only a few items in flight, so memory stays
    bounded however long the file (Executor.map would read the whole input first)."""
    window = 2 * read.WORKERS
    with ThreadPoolExecutor(max_workers=read.WORKERS) as pool:
        pending: deque[Future[_R]] = deque()
        try:
            for item in items:
                pending.append(pool.submit(fn, item))
                if len(pending) >= window:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            for future in pending:
                future.cancel()


def _grow(table: np.ndarray, rows: int) -> np.ndarray:
    """The table with zero rows added for provider ids seen since."""
    if len(table) >= rows:
        return table
    return np.vstack([table, np.zeros((rows - len(table), table.shape[1]), np.int64)])


@dataclass
class _Done:
    source: int
    end: int  # bytes into the file, for the progress bar
    results: list[BatchResult] | None = None  # None: the end of the file
    error: LongFieldError | None = None


_TUNED: list[bool] = []
_TRIM: list[Callable[[int], int]] = []  # glibc's malloc_trim, once tune_allocator found it


def tune_allocator() -> None:
    """Keep freed memory for reuse instead of returning it to the system at once (glibc only, once).

    Each batch makes a few dozen NumPy temporaries of a megabyte or two. glibc serves those with a fresh
    `mmap` and gives them back when freed, so every batch pays the kernel to map and zero its pages
    again: on these machines a third of the run in system time, and much of its variance (measured on
    the production of 5 million lines: 1.50 s with 0.7 s system time, 1.21 s with 0.2 s after this).
    Allocations below 32 MiB now come from the heap, which is trimmed only past 512 MiB free at its
    top. Peak memory is unchanged: memory kept is memory the run used. Nothing happens elsewhere
    (musl, macOS, Windows) or when ZORGINKOOP_MALLOC=system.
    """
    if _TUNED or os.environ.get("ZORGINKOOP_MALLOC") == "system" or not sys.platform.startswith("linux"):
        return
    _TUNED.append(True)
    try:
        import ctypes

        libc = ctypes.CDLL(None)
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return
    m_trim_threshold, m_mmap_threshold = -1, -3  # <malloc.h>
    mallopt(m_mmap_threshold, 32 << 20)
    mallopt(m_trim_threshold, 512 << 20)
    _TRIM.append(libc.malloc_trim)


def release_memory() -> None:
    """Give the memory that reading freed back to the system before the next phase allocates its own:
    kept for reuse (`tune_allocator`, and Arrow's pool likewise) it would count on top of the arrays the
    reports are assembled from (measured on 50 million lines: 1.2 GB peak before, under 1 GB after)."""
    pa.default_memory_pool().release_unused()
    for trim in _TRIM:
        trim(0)


def scan(claim_set: read.ClaimSet, reduction: Reduction, *, wanted: Sequence[str], required: Sequence[str],
         skip_invalid: bool, keep: Callable[[Any], None],
         progress: Callable[[int, int], None] | None = None) -> Tallies:
    """Read every claim line of a claim set (from `read.claim_files`) through the workers, in order:
    raises the first invalid line (unless `skip_invalid`), hands each batch's reduction to `keep`, and
    returns the tallies. Every file must have the same kind of columns (a provider column in all or
    none), and each must have at least one claim line."""
    tune_allocator()
    items = claim_set.items
    opened: list[Source | None] = [None] * len(items)
    reference: list[Source] = []

    def source(index: int) -> Source:
        found = opened[index]
        if found is None:
            found = opened[index] = read.open_source(items[index], wanted=wanted, required=required)
            if reference and found.layout.has_provider != reference[0].layout.has_provider:
                with_column, without = (found, reference[0]) if found.layout.has_provider else (reference[0], found)
                raise InputError(f"{without.where}: heeft geen kolom zorgaanbieder, {with_column.where} wel; lever "
                                 "alle bestanden met dezelfde kolommen aan", field="provider", file=without.where)
            reference[:1] = reference[:1] or [found]
        return found

    # CSV and Parquet headers are checked before any line is read; an xlsx is opened when its turn
    # comes (calamine loads its whole sheet at once).
    for index, item in enumerate(items):
        if not (isinstance(item, Path) and read.SUFFIXES.get(item.suffix.lower()) == "xlsx"):
            source(index)
    sizes = [item.stat().st_size if isinstance(item, Path) else 0 for item in items]
    total = sum(sizes)
    finder = RepeatFinder(len(items)) if len(items) > 1 else None  # a single file has no repeats across files
    processor = Processor(reduction, repeats=finder is not None)

    def chunks() -> Iterator[tuple[int, Chunk | None]]:
        for index in range(len(items)):
            for chunk in source(index).chunks:
                yield index, chunk
            yield index, None

    def work(item: tuple[int, Chunk | None]) -> _Done:
        index, chunk = item
        if chunk is None:
            return _Done(index, -1)
        try:
            return _Done(index, chunk.end, [processor.process(batch) for batch in chunk.load()])
        except LongFieldError as exc:
            return _Done(index, chunk.end, error=exc)

    counts = np.zeros((0, STATES), np.int64)
    reasons = np.zeros((0, len(FIELDS)), np.int64)
    unknown: dict[int, Counter[str]] = {}
    examples: list[tuple[int, int, str, str, object]] = []  # (source, record, field, reason, value)
    years = np.zeros(YEARS, np.int64)
    rows = [0] * len(items)
    done_before = 0
    for done in _bounded_map(work, chunks()):
        current = source(done.source)
        if done.error is not None:
            raise _long_field_error(current, done.error)
        if done.results is None:  # the end of a file
            if rows[done.source] == 0:
                raise InputError(f"geen declaratieregels in {current.where}", file=current.where)
            if finder is not None:
                finder.end_of_file(done.source)
            done_before += sizes[done.source]
            continue
        for result in done.results:
            record = current.first_row + rows[done.source]
            if result.invalid and not skip_invalid:
                position, fieldname, reason, value = result.invalid[0]
                line = current.line_numbers([record + position])[record + position]
                raise InputError(f"{current.where}: regel {line}, kolom '{current.layout.columns[fieldname]}': "
                                 f"{reason}", field=fieldname, row=line, value=value, file=current.where)
            examples.extend((done.source, record + position, fieldname, reason, value)
                            for position, fieldname, reason, value in result.invalid[: EXAMPLES - len(examples)])
            rows[done.source] += result.rows
            providers = len(processor.providers.names)  # ids new since: each batch's result added its own
            counts, reasons = _grow(counts, providers), _grow(reasons, providers)
            np.add.at(counts, result.providers, result.counts)
            np.add.at(reasons, result.providers, result.reasons)
            for provider, label, lines in result.unknown:
                unknown.setdefault(provider, Counter())[label] += lines
            if result.years is not None:
                years += result.years
            if finder is not None and result.keys is not None:
                finder.add(result.keys)
            keep(result.kept)
        if progress is not None and total:
            progress(done_before + max(done.end, 0), total)
    every = [source(i) for i in range(len(items))]
    repeated = tuple(Repeat(every[file].where, every[earlier].where, lines)
                     for file, earlier, lines in (finder.found if finder is not None else []))
    return Tallies(counts, reasons, unknown, _describe_examples(examples, every), [s.where for s in every],
                   list(processor.providers.names), list(processor.providers.valid),
                   reference[0].layout.has_provider,
                   {FIRST_YEAR + int(i): int(years[i]) for i in np.flatnonzero(years)}, claim_set.skipped,
                   repeated)


def _long_field_error(source: Source, error: LongFieldError) -> InputError:
    line = source.offset_line(error.offset) if source.offset_line is not None else 0
    shown = show_value(error.start + "…" if error.start else "")
    fieldname = next((f for f, c in source.layout.columns.items() if c == error.column), None)
    what = f"{DUTCH_FIELD[fieldname]} {shown}" if fieldname else f"het veld {shown}"
    limit = f"{MAX_FIELD_CHARS:,}".replace(",", ".")
    return InputError(f"{source.where}: regel {line}, kolom '{error.column}': {what} is langer dan {limit} tekens "
                      f"({error.length} tekens)", field=fieldname or error.column, row=line, file=source.where,
                      value=f"{error.length} tekens")


def _describe_examples(examples: list[tuple[int, int, str, str, object]], sources: list[Source]) -> list[str]:
    described = []
    several = len(sources) > 1
    for index in sorted({e[0] for e in examples}):
        current = sources[index]
        mine = [e for e in examples if e[0] == index]
        lines = current.line_numbers([e[1] for e in mine])
        for _, record, fieldname, reason, _ in mine:
            prefix = f"{current.where}: " if several else ""
            described.append(f"{prefix}regel {lines[record]}, kolom '{current.layout.columns[fieldname]}': {reason}")
    return described


__all__ = ["FIELDS", "REASON_KEYS", "Processor", "RatioReduction", "Reduction", "Tallies", "Triples", "scan"]

