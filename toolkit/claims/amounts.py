"""Claim amounts read exactly as `toolkit.numbers.parse_number(text, kind="money")` reads them.

SPEC "Numbers as typed" is the one reading: `1.234,56`, `€ 12,50`, `12,5`, `12.50`, `-45,00` (credit
lines are negative) and the refusals of `1,2,3` or `12.34.5`. An export holds millions of amounts, and
`parse_number` takes microseconds each, so the common spellings are read here in bulk, with NumPy on
the Arrow string buffers: digits with an optional leading `-`, an optional `€` (and one space) after
it, a decimal comma or point with one or two decimals, and dots grouping thousands the Dutch way. The
rest (spaces elsewhere, `+`, three decimals, anything refused) goes to `parse_number` once per distinct
value. The bulk path only ever accepts a spelling `parse_number` reads, with the same value
(tests/test_claims_production.py checks generated spellings against it).

Amounts that arrive as numbers (Parquet, a DataFrame) are taken as `parse_number` takes numbers:
integers as they are, floats as their 15 significant digits. Whole cents are summed as integers;
any other value (three decimals, say) is kept as a `Decimal`, so sums are exact and rounded to cents
only at the end (SPEC "General conventions").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .. import _arrow as arrow
from ..errors import InputError
from ..numbers import parse_number

MAX_CENTS = 10**15  # below this, cents are exact in float64 arithmetic too (2**53 ≈ 9.0e15)


def empty_cells(array: pa.Array, candidates: np.ndarray) -> np.ndarray:
    """Per row whether the cell is empty: no value, or text of only spaces (as a clerk's spreadsheet leaves a
    cell it emptied). Only the `candidates` rows are looked at; the others are not empty."""
    empty = np.zeros(len(array), bool)
    rows = np.flatnonzero(candidates)
    if not len(rows):
        return empty
    values = array.take(arrow.from_numpy(rows))
    if pa.types.is_dictionary(values.type):
        values = values.dictionary_decode()
    blank = pc.is_null(values)
    if pa.types.is_string(values.type) or pa.types.is_large_string(values.type):
        blank = pc.or_kleene(blank, pc.equal(pc.utf8_trim_whitespace(values), ""))
    empty[rows] = arrow.to_numpy(pc.fill_null(blank, arrow.TRUE))
    return empty


@dataclass
class Amounts:
    """Per row: whether the amount is valid, its value in cents where it is a whole number of cents
    below MAX_CENTS, and otherwise its exact value (`exact`: row -> Decimal)."""

    valid: np.ndarray
    cents: np.ndarray
    exact: dict[int, Decimal] = field(default_factory=dict)

    def keys(self) -> np.ndarray:
        """Per row a number that is equal for equal amounts (uint64: the cents, or a hash of an exact
        value); to tell claim lines apart, never to compute with."""
        keys = self.cents.astype(np.uint64)
        for row, value in self.exact.items():
            keys[row] = np.uint64(hash(value) & 0xFFFFFFFFFFFFFFFF)
        return keys


def _parse_number(value: Any) -> Decimal:
    number: Decimal = parse_number(value, kind="money")
    return number


class AmountReader:
    """Reads amount columns; thread-safe (the cache of distinct slow-path values only gains identical
    entries)."""

    def __init__(self, parse: Callable[[Any], Decimal] = _parse_number) -> None:
        self._parse = parse
        self._cache: dict[Any, Decimal | str] = {}

    def read(self, array: pa.Array) -> Amounts:
        kind = array.type
        if pa.types.is_dictionary(kind):
            return self._dictionary(array)
        if pa.types.is_string(kind):
            valid, cents = bulk_text(array)
            amounts = Amounts(valid, cents)
            self._slow(array, ~valid, amounts)
            return amounts
        if pa.types.is_integer(kind) or pa.types.is_floating(kind):
            return self._numbers(array)
        # Decimals and anything else: one value at a time, as parse_number takes them.
        amounts = Amounts(np.zeros(len(array), bool), np.zeros(len(array), np.int64))
        self._slow(array, np.ones(len(array), bool), amounts)
        return amounts

    def empty(self, array: pa.Array, amounts: Amounts) -> np.ndarray:
        """Per row whether the amount is missing (no value, or text of only spaces) rather than unreadable;
        only the invalid rows are looked at."""
        return empty_cells(array, ~amounts.valid)

    def reason(self, value: object) -> str:
        """Why an amount is invalid, in Dutch, naming the value."""
        if value is None or (isinstance(value, str) and not value.strip()):
            return "bedrag ontbreekt"
        found = self._value(value)
        return found if isinstance(found, str) else "bedrag is ongeldig"

    def _value(self, value: Any) -> Decimal | str:
        key = (type(value), value) if not isinstance(value, float) or value == value else (float, "nan")
        cached = self._cache.get(key)
        if cached is None:
            try:
                cached = self._parse(value)
            except InputError as err:
                cached = f"bedrag {err.message}"
            self._cache[key] = cached
        return cached

    def _slow(self, array: pa.Array, rows: np.ndarray, amounts: Amounts) -> None:
        """Rows not read in bulk: each distinct value through parse_number."""
        indices = np.flatnonzero(rows)
        if not len(indices):
            return
        values = array.take(arrow.from_numpy(indices)).to_pylist()
        for index, value in zip(indices.tolist(), values, strict=True):
            if value is None:
                amounts.valid[index] = False
                continue
            found = self._value(value)
            if isinstance(found, str):
                amounts.valid[index] = False
                continue
            amounts.valid[index] = True
            scaled = found.scaleb(2)
            if scaled == scaled.to_integral_value() and abs(scaled) < MAX_CENTS:
                amounts.cents[index] = int(scaled)
            else:
                amounts.exact[index] = found

    def _dictionary(self, array: pa.DictionaryArray) -> Amounts:
        """A dictionary-encoded column: each distinct amount read once."""
        inner = self.read(array.dictionary)
        codes = arrow.to_numpy(pc.fill_null(array.indices, arrow.scalar(0, array.indices.type))) \
            if len(array) else np.zeros(0, np.int64)
        present = ~arrow.to_numpy(pc.is_null(array.indices)) if array.null_count else np.ones(len(array), bool)
        valid = inner.valid[codes] & present if len(inner.valid) else np.zeros(len(array), bool)
        cents = inner.cents[codes] if len(inner.cents) else np.zeros(len(array), np.int64)
        exact = {}
        if inner.exact:
            for row in np.flatnonzero(np.isin(codes, list(inner.exact)) & present).tolist():
                exact[row] = inner.exact[int(codes[row])]
        return Amounts(valid, cents, exact)

    def _numbers(self, array: pa.Array) -> Amounts:
        n = len(array)
        present = ~arrow.to_numpy(pc.is_null(array)) if array.null_count else np.ones(n, bool)
        if pa.types.is_integer(array.type):
            values = arrow.to_numpy(pc.fill_null(array.cast(pa.int64()), arrow.scalar(0, pa.int64()))) \
                if n else np.zeros(0, np.int64)
            bulk = present & (np.abs(values) < MAX_CENTS // 100)
            amounts = Amounts(bulk.copy(), np.where(bulk, values * 100, 0))
        else:
            floats = arrow.to_numpy(pc.fill_null(array.cast(pa.float64()), arrow.scalar(0.0, pa.float64()))) \
                if n else np.zeros(0)
            with np.errstate(invalid="ignore", over="ignore"):
                cents = np.rint(floats * 100)
                # A float is the nearest double to a whole number of cents c (below MAX_CENTS) exactly
                # when c / 100 == x; its 15 significant digits are then c / 100 (parse_number's reading).
                bulk = present & np.isfinite(floats) & (np.abs(cents) < MAX_CENTS) & (cents / 100 == floats)
            amounts = Amounts(bulk.copy(), np.where(bulk, cents, 0).astype(np.int64))
        self._slow(array, present & ~amounts.valid, amounts)
        return amounts


_W = 16  # bytes of a value read in bulk (`-€ 1.234.567,89` is 17: left to parse_number)
_POW = 10 ** np.arange(19, dtype=np.int64)
_U = np.uint64
_ZEROS = _U(0x3030303030303030)  # eight ASCII zeros
# A byte of eight column bits -> a 64-bit mask with 0xFF in the bytes of the columns whose bit is set.
_BYTE = np.array([sum(0xFF << (8 * i) for i in range(8) if b >> i & 1) for b in range(256)], np.uint64)


def _parse8(x: np.ndarray) -> np.ndarray:
    """Eight ASCII digits in a little-endian word (first digit in the lowest byte) as a number (SWAR)."""
    x = x - _ZEROS
    x = (x * _U(10) + (x >> _U(8))) & _U(0x00FF00FF00FF00FF)
    x = (x * _U(100) + (x >> _U(16))) & _U(0x0000FFFF0000FFFF)
    x = (x * _U(10000) + (x >> _U(32))) & _U(0x00000000FFFFFFFF)
    return x.astype(np.int64)


def _bits(mask: np.ndarray) -> np.ndarray:
    """A boolean (n, 16) mask as one 16-bit number per row (bit c = column c); packing the flat array is
    70x faster than packing along the rows."""
    bits: np.ndarray = np.packbits(mask.reshape(-1), bitorder="little").view("<u2").astype(np.int64)
    return bits


def bulk_text(array: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(read in bulk, cents) for the usual spellings of amounts in a string array; rows not read in bulk
    are left to parse_number (they may still be valid). Never reads a spelling parse_number refuses,
    and gives the same value.

    Each value's last 16 bytes are read as two 64-bit words, right-aligned (column 15 holds the last
    byte), so that its form is checked with a few operations per row rather than per byte: which
    columns hold digits, dots and commas become 16-bit masks; the decimals sit at fixed columns from
    the right; dots must stand every fourth column left of the decimal separator. The digits are then
    read as one 16-digit number eight at a time (SWAR), with every other byte as a 0 that is then taken
    out again."""
    n = len(array)
    if not n:
        return np.zeros(0, bool), np.zeros(0, np.int64)
    validity, offsets_buffer, data_buffer = array.buffers()
    offsets = np.frombuffer(offsets_buffer, np.int32, count=n + 1, offset=array.offset * 4).astype(np.int64)
    begin, end = int(offsets[0]), int(offsets[-1])
    lengths = np.diff(offsets)
    data = np.zeros(end - begin + _W + 8, np.uint8)
    if data_buffer is not None and end > begin:
        data[_W:_W + end - begin] = np.frombuffer(data_buffer, np.uint8, count=end - begin, offset=begin)
    words = np.ndarray(shape=(len(data) - 7,), dtype="<u8", buffer=data, strides=(1,))
    ends = offsets[1:] - begin + _W
    window = np.empty((n, 2), np.uint64)
    window[:, 0] = words[ends - 16]
    window[:, 1] = words[ends - 8]
    M = window.view(np.uint8).reshape(n, _W)
    first = _W - np.minimum(lengths, _W)
    inside = (0xFFFF << first) & 0xFFFF  # the value's own columns
    digit_bits = _bits((M - np.uint8(48)) < 10) & inside
    dot_bits = _bits(M == 46) & inside
    comma_bits = _bits(M == 44) & inside
    flat = M.reshape(-1)
    base = np.arange(n) * _W

    def at(col: np.ndarray) -> np.ndarray:  # the byte in a column, per row
        found: np.ndarray = flat[base + np.minimum(col, _W - 1)]
        return found

    c13, c14 = M[:, 13], M[:, 14]
    two = ((c13 == 44) | (c13 == 46)) & ((digit_bits >> 14) & 3 == 3) & (first <= 12)
    one = ((c14 == 44) | (c14 == 46)) & ((digit_bits >> 15) & 1 == 1) & ~two & (first <= 13)
    s = np.where(two, 13, np.where(one, 14, 16))
    decimal_point = (two & (c13 == 46)) | (one & (c14 == 46))
    minus = (at(first) == 45) & (lengths >= 1)
    q = first + minus
    euro = (at(q) == 0xE2) & (at(q + 1) == 0x82) & (at(q + 2) == 0xAC) & (q + 2 < _W)
    space = euro & (at(q + 3) == 32)
    start = q + 3 * euro + space
    width = s - start
    span = ((1 << s) - 1) & ~((1 << np.minimum(start, _W)) - 1)
    dots = np.bitwise_count((dot_bits & span).astype(np.uint16)).astype(np.int64)
    expected = (np.where(dots >= 1, 1 << (s - 4), 0) | np.where(dots >= 2, 1 << np.maximum(s - 8, 0), 0)
                | np.where(dots >= 3, 1 << np.maximum(s - 12, 0), 0))
    ok = ((lengths >= 1) & (lengths <= _W) & (width >= 1) & (width - dots <= 13) & (dots <= 3)
          & ((digit_bits & span) == (span & ~expected)) & ((dot_bits & span) == expected)
          & ((comma_bits & span) == 0))
    ok &= (dots == 0) | ((width - 4 * dots >= 1) & (width - 4 * dots <= 3) & (at(start) != 48) & ~decimal_point)
    # The value: the digits read as one 16-digit number, every other byte as a 0, then those 0s taken out.
    keep = (_BYTE[digit_bits & 0xFF], _BYTE[digit_bits >> 8])
    v = [_parse8((window[:, i] & keep[i]) | (_ZEROS & ~keep[i])) for i in (0, 1)]
    value = v[0] * 100_000_000 + v[1]
    value = np.where(s == 13, (value // 1000) * 100 + value % 100,
                     np.where(s == 14, (value // 100) * 10 + value % 10, value))
    grouped = np.flatnonzero(ok & (dots > 0))
    if len(grouped):
        g, gs, gd = value[grouped], s[grouped], dots[grouped]
        removed = (gs < _W).astype(np.int64)
        for k in (1, 2, 3):
            cut = gd >= k
            place = np.clip(15 - (gs - 4 * k) - removed, 0, 17)
            g = np.where(cut, (g // _POW[place + 1]) * _POW[place] + g % _POW[place], g)
            removed += cut
        value[grouped] = g
    cents = value * np.where(s == 13, 1, np.where(s == 14, 10, 100))
    if validity is not None and array.null_count:
        ok &= arrow.to_numpy(pc.is_valid(array))
    return ok, np.where(ok, np.where(minus, -cents, cents), 0)


__all__ = ["MAX_CENTS", "AmountReader", "Amounts", "bulk_text"]
