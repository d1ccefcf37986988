"""Claim lines: each one validated and put in exactly one state, tallied per provider, and reduced to
what a computation needs (distinct provider-PC4-client triples for the ratio, amounts per month for
the production).

Every line is validated, not only the CZ lines of the year: a broken line anywhere means a broken
export. The first failing field of a line names its reason (columns in the order of `FIELDS`). The
line states are exclusive: other insurer, unknown insurer label, CZ group in another year, CZ group
kindzorg, used, invalid. Counts per provider and state, per provider and invalid reason and per
provider and unknown label are kept for every provider (`Tallies`).

`Processor` does this per batch, on the worker threads of `scan.py`; the ratio's triples are gathered
by `triples.py`. Nothing on this path converts Python values with pyarrow's own functions, which would
import pandas (see `toolkit/_arrow.py`).
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .. import _arrow as arrow
from ..columns import CLAIM_FIELDS, header_key
from ..errors import InputError, show_value
from ..parameters.plausible import year_bounds
from ..postcode import not_a_pc4, to_pc4
from .amounts import Amounts, empty_cells
from .fields import INSURER_CZ, INSURER_OTHER, InsurerClassifier, day_number, parse_date, pc4_common
from .hashing import EPOCH, GOLDEN, dictionary, mix, text_keys
from .read import DUTCH_FIELD
from .source import NUMERIC_CLIENTS

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
FIRST_YEAR, LAST_YEAR = year_bounds()  # a claim date outside the plausible years is a broken export
YEARS = LAST_YEAR - FIRST_YEAR + 1
EXAMPLES = 10  # invalid lines quoted in a report

# Every line ends in exactly one state; the line counts of a report are sums over states.
OTHER_INSURER, UNKNOWN_INSURER, OTHER_YEAR, KINDZORG, USED, INVALID = range(6)
STATES = 6
BLANK = STATES  # a row of empty fields: no line, in no count
# A (provider, PC4) pair as one integer, provider id * PC4_KEY + PC4; with the client's code in the
# low 32 bits a triple fits an int64 as long as that product stays below 2**31.
PC4_KEY = 10_000
MAX_PROVIDERS = (2**31 - 1) // PC4_KEY
LOW_32 = np.int64(0xFFFFFFFF)

_KINDZORG_CARE = re.compile(r"kindzorg", re.IGNORECASE)
# Comparison scalars typed like the arrays they meet: a plain Python int would make Arrow cast the
# whole array to int64 first.
_I32_0 = arrow.scalar(0, pa.int32())
_MAX_ID = arrow.scalar(MAX_ID_LENGTH, pa.int32())
_I64_MINUS_1 = arrow.scalar(-1, pa.int64())


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
    blank: int  # rows of only empty fields among them: no line (a file of nothing else has no claim lines)
    providers: np.ndarray  # provider ids, one per row of the tables below
    counts: np.ndarray  # lines by provider and state
    reasons: np.ndarray  # invalid lines by provider and field of FIELDS (the first failing one)
    unknown: list[tuple[int, str, int]]  # (provider id, label, lines) of unknown insurer labels
    invalid: list[tuple[int, str, str, object]]  # (index in the batch, field, reason, value), the first few
    kept: Any = None
    years: np.ndarray | None = None  # valid lines by year, FIRST_YEAR first (a wrong --year is found by them)
    keys: np.ndarray | None = None  # one key per counted line, when repeats across files are looked for
    numeric_clients: int = 0  # rows whose client id the file held as a number (`source.NUMERIC_CLIENTS`)
    zero_led_clients: int = 0  # rows whose client id starts with a 0 and goes on (`012345`)


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
        self.insurers = InsurerClassifier()
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
            result[_far_off(array)] = -100
            return result

        def year_month(value: str | None) -> int:
            if value is None:
                return -100
            cached = self._dates.get(value)
            if cached is None:
                year, month = parse_date(value)
                cached = self._dates[value] = year * 100 + month
            return cached

        return self._lookup(dictionary(array), year_month, np.int32).astype(np.int64)

    def _postcodes(self, postcode: pa.Array) -> tuple[np.ndarray, np.ndarray]:
        """(PC4 of every row, mask of invalid postcodes). The usual spellings are read in bulk; the
        rest goes through `toolkit.postcode.to_pc4`, once per distinct value."""
        pc4, ok = pc4_common(postcode)
        if not ok.all():
            rest = np.flatnonzero(~ok)
            values = self._lookup(dictionary(postcode.take(arrow.from_numpy(rest))), self._pc4_of, np.int16)
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
        numeric_clients = int((batch.schema.metadata or {}).get(NUMERIC_CLIENTS, b"0"))
        batch = _trimmed(batch)
        n = batch.num_rows
        checks: list[tuple[str, np.ndarray]] = []  # (field, mask of invalid rows), in the order of FIELDS

        client = batch.column("client_id")
        client_bytes = pc.binary_length(client)
        checks.append(("client_id", arrow.to_numpy(pc.fill_null(pc.or_(
            pc.or_(pc.equal(client_bytes, _I32_0), pc.greater(client_bytes, _MAX_ID)),
            pc.utf8_is_space(client)), arrow.TRUE))))

        pc4, bad_postcode = self._postcodes(batch.column("postcode"))
        checks.append(("postcode", bad_postcode))

        insurer = dictionary(batch.column("insurer"))
        insurer_kind = self._lookup(insurer, self._classify_insurer, np.int8)
        checks.append(("insurer", insurer_kind < 0))

        dates = self._dates_of(batch.column("date"))
        years = dates // 100
        checks.append(("date", (years < FIRST_YEAR) | (years > LAST_YEAR)))

        if "provider" in batch.schema.names:
            provider = dictionary(batch.column("provider"))
            names = provider.dictionary.to_pylist()
            codes = arrow.to_numpy(provider.indices)
            named = np.array([v is not None and bool(v.strip()) and len(v.encode()) <= MAX_TEXT_LENGTH for v in names],
                             bool)
            checks.append(("provider", ~named[codes]))
        else:
            names, codes, named = [""], np.zeros(n, np.int32), np.ones(1, bool)

        kindzorg: np.ndarray | bool = False
        if "care_type" in batch.schema.names:
            care_type = dictionary(batch.column("care_type"))
            care_names = care_type.dictionary.to_pylist()
            care_codes = arrow.to_numpy(care_type.indices)
            too_long = np.array([v is not None and len(v.encode()) > MAX_TEXT_LENGTH for v in care_names], bool)
            checks.append(("care_type", too_long[care_codes]))
            kindzorg = np.array([self._is_kindzorg(v) for v in care_names], bool)[care_codes]

        checks.extend(self.reduction.check(batch))

        # A row whose every field is empty (`;;;;;`, as Excel saves the emptied rows below a table) holds no
        # claim: it is passed over like an empty line, not refused and not counted.
        blank = _blank_rows(batch, checks[0][1])
        if blank.any():
            checks = [(fieldname, mask & ~blank) for fieldname, mask in checks]
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
        state[blank] = BLANK
        lines = ~blank if blank.any() else slice(None)
        counts = np.bincount(codes[lines] * STATES + state[lines],
                             minlength=len(names) * STATES).reshape(len(names), STATES)
        by_year = np.bincount(years[lines][~invalid[lines]] - FIRST_YEAR, minlength=YEARS)

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
        return BatchResult(rows=n, blank=int(np.count_nonzero(blank)), providers=provider_ids, counts=counts,
                           reasons=reasons, unknown=unknown, invalid=invalid_rows,
                           kept=self.reduction.reduce(batch, checked), years=by_year, keys=keys,
                           numeric_clients=numeric_clients, zero_led_clients=_zero_led(client))

    def _line_keys(self, batch: pa.RecordBatch, rows: np.ndarray, provider: np.ndarray) -> np.ndarray:
        """A 64-bit key per line of `rows`: its provider, client, day, care type and (where the computation
        reads it) amount. Two files holding a line of the same key hold the same claim (the chance that two
        different claims share a key is about n² / 2⁶⁵: once in tens of thousands of runs of 50 million
        lines). Only the rows' own cells are read: a dictionary column's values are looked at once."""
        taken = arrow.from_numpy(rows)
        key = text_keys(batch.column("client_id").take(taken))
        with np.errstate(over="ignore"):
            key ^= mix(provider[rows].astype(np.uint64) + np.uint64(1))
            key = mix(key ^ self._days_of(batch.column("date").take(taken)).astype(np.uint64))
            if "care_type" in batch.schema.names:
                key = mix(key ^ text_keys(batch.column("care_type").take(taken)) * GOLDEN)
            amounts = self.reduction.line_amounts(batch)
            if amounts is not None:
                key = mix(key ^ amounts.keys()[rows])
        return key

    def _days_of(self, array: pa.Array) -> np.ndarray:
        """The day of every row as `date.toordinal()`; -1 when unreadable."""
        if pa.types.is_date(array.type) or pa.types.is_timestamp(array.type):
            days = arrow.to_numpy(pc.fill_null(array.cast(pa.date32()).cast(pa.int32()), arrow.scalar(-1, pa.int32())))
            return days.astype(np.int64) + EPOCH

        def day(value: str | None) -> int:
            if value is None:
                return -1
            cached = self._days.get(value)
            if cached is None:
                cached = self._days[value] = day_number(value)
            return cached

        return self._lookup(dictionary(array), day, np.int64)

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
            value = _cell_value(batch.column(fieldname), index)
            rows.append((index, fieldname, _no_claim_line(batch, index) or self._reason_text(fieldname, value), value))
        return rows, reasons

    def _reason_text(self, fieldname: str, value: object) -> str:
        if fieldname in self.reduction.fields:
            return self.reduction.reason(fieldname, value)
        return reason_text(fieldname, value)


# The units of a typed date's stored number, as a message names them.
_TICKS = {"s": "seconden", "ms": "milliseconden", "us": "microseconden", "ns": "nanoseconden"}
_TICKS_PER_DAY = {"s": 86_400, "ms": 86_400_000, "us": 86_400_000_000, "ns": 86_400_000_000_000}
# The plausible claim dates in days since 1970-01-01, a day wider on each side: a timestamp with a time zone
# has its year in local time, which `pc.year` reads exactly for every value inside these bounds.
_FIRST_DAY = dt.date(FIRST_YEAR, 1, 1).toordinal() - EPOCH - 1
_LAST_DAY = dt.date(LAST_YEAR, 12, 31).toordinal() - EPOCH + 1


@dataclass(frozen=True)
class StoredDate:
    """A typed date (Parquet, Arrow) far outside the calendar Python knows (years 1 to 9999): a number in
    the wrong unit or a sentinel of the exporting system. The number the file stores is what a reader can
    look up; no date can be shown."""

    number: int
    unit: str  # Dutch, plural: "dagen", "milliseconden"


def _stored_numbers(array: pa.Array) -> tuple[np.ndarray, str, int]:
    """The numbers a date or timestamp array stores (0 for an empty cell), their Dutch unit, and how many
    of them make a day."""
    if pa.types.is_date32(array.type):
        raw, unit, per_day = array.view(pa.int32()), "dagen", 1
    else:
        code = "ms" if pa.types.is_date64(array.type) else array.type.unit
        raw, unit, per_day = array.view(pa.int64()), _TICKS[code], _TICKS_PER_DAY[code]
    filled = pc.fill_null(raw, arrow.scalar(0, raw.type)) if raw.null_count else raw
    return arrow.to_numpy(filled).astype(np.int64), unit, per_day


def _far_off(array: pa.Array) -> np.ndarray:
    """Per row whether a typed date lies outside the plausible years by its stored number. Its year is not
    asked of Arrow: `pc.year` wraps around for numbers that far off (date32 -2130331259, some 5.8 million
    years BC, reads as 2025), and a claim of a wrapped year would be counted."""
    numbers, _, per_day = _stored_numbers(array)
    outside: np.ndarray = (numbers < _FIRST_DAY * per_day) | (numbers >= (_LAST_DAY + 1) * per_day)
    return outside


def _cell_value(column: pa.Array, index: int) -> object:
    """A cell as a Python value to quote in a message; a typed date that Python's dates cannot hold (before
    year 1 or after 9999) as its `StoredDate`, not an OverflowError."""
    try:
        return column[index].as_py()
    except (OverflowError, ValueError):
        if not (pa.types.is_date(column.type) or pa.types.is_timestamp(column.type)):
            raise
        numbers, unit, _ = _stored_numbers(column.slice(index, 1))
        return StoredDate(int(numbers[0]), unit)


# A totals row's label, the whole cell ("Totaal", "Eindtotaal 2025:"), not a name that starts so ("Totaal Thuiszorg").
_TOTAL = re.compile(r"(sub|eind|grand )?(totaal|totals?)\s*(\d{4})?\s*:?", re.IGNORECASE)


def _no_claim_line(batch: pa.RecordBatch, index: int) -> str | None:
    """Why an invalid row is no claim line at all, where its cells say so: the header once more (two exports
    pasted together), or a totals row under the table. None for any other row (its field's reason stands)."""
    texts = {name: value.strip() for name in batch.schema.names
             if isinstance(value := _cell_value(batch.column(name), index), str) and value.strip()}
    if sum(header_key(text) in CLAIM_FIELDS[name].keys for name, text in texts.items()) >= 2:
        return "deze regel herhaalt de kopregel (twee exports aan elkaar geplakt?); verwijder hem"
    total = next((text for text in texts.values() if _TOTAL.fullmatch(text)), None)
    if total is not None and texts.get("client_id", total) == total:  # (a claim line has a client of its own)
        return f"dit lijkt een totaalregel ({show_value(total)}), geen declaratie; verwijder hem uit de export"
    return None


def reason_text(fieldname: str, value: object) -> str:
    shown = show_value(value)
    if fieldname == "client_id":
        if value is None or not str(value).strip():
            return "cliënt ontbreekt"
        return f"cliënt {shown} is langer dan {MAX_ID_LENGTH} tekens"
    if fieldname in ("postcode", "date") and (value is None or not str(value).strip()):
        return f"{DUTCH_FIELD[fieldname]} ontbreekt"
    if fieldname == "postcode":
        return not_a_pc4(value)
    if fieldname == "insurer":
        if value is None or not str(value).strip():
            return "verzekeraar ontbreekt"
        return f"verzekeraar {shown} is langer dan {MAX_TEXT_LENGTH} tekens"
    if fieldname == "date" and isinstance(value, StoredDate):
        return (f"datum {show_value(value.number)} ({value.unit} sinds 01-01-1970, zoals het bestand hem opslaat) "
                f"is geen geldige datum; verwacht een datum tussen {FIRST_YEAR} en {LAST_YEAR}")
    if fieldname == "date":
        year = value.year if isinstance(value, dt.date) else parse_date(str(value))[0]
        if year >= 0:
            return f"datum {shown} ligt niet tussen {FIRST_YEAR} en {LAST_YEAR}"
        serial = str(value).strip()
        whole = re.fullmatch(r"(\d{5})(?:[.,]\d+)?", serial)  # (a time of day after the point: 45730,5)
        if whole is not None and 20_000 <= int(whole.group(1)) <= 80_000:  # 1954 to 2119
            day = dt.date(1899, 12, 30) + dt.timedelta(days=int(whole.group(1)))
            return (f"datum {shown} is geen datum maar een Excel-datumgetal (dat is {day:%d-%m-%Y}); geef de kolom in "
                    "Excel de opmaak datum voor u exporteert")
        return f"datum {shown} is geen geldige datum (verwacht bijv. 2025-03-14 of 14-03-2025)"
    if fieldname == "care_type":
        return f"zorgsoort {shown} is langer dan {MAX_TEXT_LENGTH} tekens"
    if value is None or not str(value).strip():
        return "zorgaanbieder ontbreekt"
    return f"zorgaanbieder {shown} is langer dan {MAX_TEXT_LENGTH} tekens"


# Identities compared as text: 'C03 ' and 'C03' are one client to a reader (a padded fixed-width export, a
# space typed after a number), so spaces around them do not count.
_TRIMMED = ("client_id", "provider")
# The first and the last UTF-8 bytes of every character `pc.utf8_trim_whitespace` removes (ASCII 09-0D,
# 1C-20; U+0085, U+00A0 as C2 ..; U+1680 as E1 ..; U+2000-U+205F as E2 ..; U+3000 as E3 ..): a value that
# starts or ends with white space starts or ends with one of these (tests/test_real_exports.py checks every
# character). A value with such a byte that is no space (an 'à' ends in A0) is only trimmed: it stays as is.
_SPACE_BYTES = [*range(0x09, 0x0E), *range(0x1C, 0x21)]
_FIRST_SPACE_BYTES = np.zeros(256, bool)
_FIRST_SPACE_BYTES[[*_SPACE_BYTES, 0xC2, 0xE1, 0xE2, 0xE3]] = True
_LAST_SPACE_BYTES = np.zeros(256, bool)
_LAST_SPACE_BYTES[[*_SPACE_BYTES, *range(0x80, 0x8B), 0x9F, 0xA0, 0xA8, 0xA9, 0xAF]] = True


def _trimmed(batch: pa.RecordBatch) -> pa.RecordBatch:
    """The batch with spaces around client and provider values removed; the same batch (no copy) when no
    value starts or ends with a byte that may be one, which is every export without them."""
    columns = batch.columns
    changed = False
    for name in _TRIMMED:
        if name not in batch.schema.names:
            continue
        i = batch.schema.get_field_index(name)
        column = columns[i]
        if pa.types.is_dictionary(column.type):
            if _may_have_spaces(column.dictionary):
                columns[i] = pa.DictionaryArray.from_arrays(column.indices, pc.utf8_trim_whitespace(column.dictionary))
                changed = True
        elif _may_have_spaces(column):
            columns[i] = pc.utf8_trim_whitespace(column)
            changed = True
    return pa.RecordBatch.from_arrays(columns, names=batch.schema.names) if changed else batch


def _may_have_spaces(values: pa.Array) -> bool:
    """Whether a value of a string array may start or end with white space: its first and last bytes."""
    if not (pa.types.is_string(values.type) or pa.types.is_large_string(values.type)) or not len(values):
        return False
    _, offsets_buffer, data_buffer = values.buffers()
    if data_buffer is None:
        return False
    kind = np.dtype(np.int64 if pa.types.is_large_string(values.type) else np.int32)
    offsets: np.ndarray = np.frombuffer(offsets_buffer, kind, count=len(values) + 1,
                                        offset=values.offset * kind.itemsize)
    data = np.frombuffer(data_buffer, np.uint8)
    if not len(data):  # every value empty
        return False
    # An empty value's "first" byte is the next value's, its "last" the previous one's (clipped at the
    # ends): at most a trim that changes nothing, and no mask to make (this runs on every batch).
    first = data.take(offsets[:-1], mode="clip")
    last = data.take(offsets[1:] - 1, mode="clip")
    return bool(np.any(_FIRST_SPACE_BYTES.take(first)) or np.any(_LAST_SPACE_BYTES.take(last)))


def _zero_led(values: pa.Array) -> int:
    """How many values start with a 0 and go on (`012345`): client ids that a workbook holding them as
    numbers would have written without that 0. From the first byte of each value, one gather a batch."""
    if not pa.types.is_string(values.type) or not len(values):
        return 0
    _, offsets_buffer, data_buffer = values.buffers()
    if data_buffer is None or not data_buffer.size:
        return 0
    offsets: np.ndarray = np.frombuffer(offsets_buffer, np.int32, count=len(values) + 1, offset=values.offset * 4)
    first = np.frombuffer(data_buffer, np.uint8).take(offsets[:-1], mode="clip")
    return int(np.count_nonzero((first == ord("0")) & (np.diff(offsets) > 1)))


def _blank_rows(batch: pa.RecordBatch, no_client: np.ndarray) -> np.ndarray:
    """Per row whether every field the run reads is empty (a column it does not read, such as the amount for
    `ratio`, is not looked at: it holds no claim either way); only rows without a client (`no_client`, the
    client check's mask) are looked at, so a batch of claims costs nothing here."""
    blank = no_client.copy()
    for column in batch.columns:
        blank &= empty_cells(column, blank)
    return blank


__all__ = [
    "EXAMPLES",
    "FIELDS",
    "FIRST_YEAR",
    "INVALID",
    "KINDZORG",
    "LOW_32",
    "OTHER_INSURER",
    "OTHER_YEAR",
    "PC4_KEY",
    "REASON_KEYS",
    "STATES",
    "USED",
    "YEARS",
    "BatchResult",
    "Checked",
    "Processor",
    "Reduction",
    "StoredDate",
    "distinct",
    "reason_text",
]
