"""Where the quotes of a CSV piece put its bytes, as bitmaps: one bit per byte in little-endian 64-bit
words (bit j of word w is byte 64w + j), so that a 16 MB piece is looked at in 2 MB.

A piece that starts at a record's start is inside a quoted field after an odd number of quotes, when its
quotes are CSV quoting: each quote that opens a field (an even one, counted from 0) stands at a field's
start or right after the quote that closed the field before it (a doubled quote in a field). Text after a
closing quote (`"a"b`) or a quote in an unquoted field (`5"`) is read by pyarrow as characters: such a
quote makes the count wrong from there on, and `QuoteBits.csv_quoting` is then False (the caller reads the
piece quote by quote instead). This is the reading of `csv_source._quotes`, without listing every quote:
a quote-everything export has 3 million quotes in 16 MB, and listing them was most of a piece's cost.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

_QUOTE, _LF, _CR = ord('"'), ord("\n"), ord("\r")
_ONE = np.uint64(1)
_TOP = np.uint64(63)


def _words(mask: np.ndarray) -> np.ndarray:
    """A bool array as words: bit j of word w is element 64w + j (zero past the end)."""
    packed = np.packbits(mask, bitorder="little")
    short = -len(packed) % 8
    if short:
        packed = np.concatenate((packed, np.zeros(short, np.uint8)))
    words: np.ndarray = packed.view("<u8")
    return words


def _from_previous(words: np.ndarray, first: bool) -> np.ndarray:
    """Each bit moved one byte on: bit i tells what `words` said of byte i - 1 (`first`: of byte -1)."""
    moved: np.ndarray = words << _ONE
    moved[1:] |= words[:-1] >> _TOP
    moved[0] |= np.uint64(first)
    return moved


def _from_next(words: np.ndarray) -> np.ndarray:
    """Each bit moved one byte back: bit i tells what `words` said of byte i + 1 (nothing past the end)."""
    moved: np.ndarray = words >> _ONE
    moved[:-1] |= words[1:] << _TOP
    return moved


def _odd_so_far(words: np.ndarray) -> np.ndarray:
    """Bit i set where bits 0..i hold an odd number of set bits: a prefix XOR, within each word by six
    shifts and across words by the parity of the words before."""
    odd = words.copy()
    for shift in (1, 2, 4, 8, 16, 32):
        odd ^= odd << np.uint64(shift)
    word_odd = (odd >> _TOP).astype(np.uint8)
    before = np.bitwise_xor.accumulate(word_odd) ^ word_odd
    odd ^= np.uint64(0) - before.astype(np.uint64)  # all ones after an odd number of quotes in earlier words
    return odd


def _bits_set(words: np.ndarray) -> int:
    if hasattr(np, "bitwise_count"):  # NumPy 2
        return int(np.bitwise_count(words).sum(dtype=np.int64))
    return int(np.count_nonzero(np.unpackbits(words.view(np.uint8))))


def _bit_of(powers: np.ndarray) -> np.ndarray:
    """The bit numbers of words that have one bit set (exact: a power of two is a float exactly)."""
    found: np.ndarray = np.log2(powers.astype(np.float64)).astype(np.int64)
    return found


def _highest(words: np.ndarray) -> np.ndarray:
    """The highest set bit of each word (of words not zero)."""
    smeared = words.copy()
    for shift in (1, 2, 4, 8, 16, 32):
        smeared |= smeared >> np.uint64(shift)
    return _bit_of(smeared ^ (smeared >> _ONE))


def _lowest(words: np.ndarray) -> np.ndarray:
    """The lowest set bit of each word (of words not zero)."""
    return _bit_of(words & (np.uint64(0) - words))


def _bit(words: np.ndarray, offset: int) -> bool:
    """Whether the bit of byte `offset` is set."""
    return bool(int(words[offset >> 6]) >> (offset & 63) & 1)


def positions(words: np.ndarray) -> np.ndarray:
    """The bytes whose bits are set, ascending."""
    at = np.flatnonzero(words)
    if not len(at):
        return np.empty(0, np.int64)
    bits = np.unpackbits(words[at].view(np.uint8), bitorder="little").reshape(len(at), 64)
    row, column = np.nonzero(bits)
    found: np.ndarray = at[row].astype(np.int64) * 64 + column
    return found


@dataclass(frozen=True)
class QuoteBits:
    inside: np.ndarray  # bit i: after byte i, within a quoted field (the quote that opens one is within it)
    line_ends: np.ndarray  # bit i: byte i ends a line (a LF, or a CR not followed by a LF), as pyarrow reads them
    line_count: int
    csv_quoting: bool  # every quote opens a field at its start, closes one, or is half of a doubled one

    def line_ends_within_fields(self) -> np.ndarray:
        return positions(self.line_ends & self.inside)

    def last_record_end(self, length: int) -> int:
        """Where the last record of the first `length` bytes ends: after its last line end outside quoted
        fields (0: none)."""
        if length and not self.within(length - 1) and _bit(self.line_ends, length - 1):
            return length  # (most pieces: the last byte is a line end outside quoted fields)
        ends = self.line_ends & ~self.inside
        occupied = np.flatnonzero(ends[:(length + 63) >> 6])
        for word in occupied[::-1].tolist():
            bits = int(ends[word]) & ((1 << min(64, length - 64 * int(word))) - 1)
            if bits:
                return 64 * int(word) + bits.bit_length()
        return 0

    def records_around(self, at: np.ndarray, length: int) -> tuple[np.ndarray, np.ndarray]:
        """For bytes `at` (ascending) of a piece of `length` bytes, where the record that holds each starts
        (after the line end outside fields before it; 0: none) and ends (the line end outside fields after
        it; `length`: none). By bits, not by listing the line ends: a piece has 200,000 of them."""
        ends = self.line_ends & ~self.inside
        occupied = np.flatnonzero(ends)  # the words that hold such a line end
        word, bit = at >> 6, (at & 63).astype(np.uint64)
        below = ends[word] & ((_ONE << bit) - _ONE)
        above = ends[word] & ((~np.uint64(0) << bit) << _ONE)
        # Where a byte's own word has none before (after) it: the nearest word before (after) that has one.
        before = np.searchsorted(occupied, word) - 1
        after = np.searchsorted(occupied, word, side="right")
        starts, finish = np.full(len(at), -1, np.int64), np.full(len(at), length, np.int64)
        for out, own, nearest, usable, pick in ((starts, below, before, before >= 0, _highest),
                                                 (finish, above, after, after < len(occupied), _lowest)):
            here, there = own != 0, (own == 0) & usable
            out[here] = word[here] * 64 + pick(own[here])
            other = occupied[nearest[there]]
            out[there] = other * 64 + pick(ends[other])
        return starts + 1, np.minimum(finish, length)  # (the byte after that line end; 0 where none is before)

    def within(self, offset: int) -> bool:
        """Whether byte `offset` lies within a quoted field."""
        return _bit(self.inside, offset)


def quote_bits(data: np.ndarray, delimiter: str) -> QuoteBits:
    """The bitmaps of a piece (`data`, its bytes) that starts at a record's start."""
    if not len(data):
        nothing = np.zeros(0, np.uint64)
        return QuoteBits(nothing, nothing, 0, True)
    quotes, lfs = _words(data == _QUOTE), _words(data == _LF)
    inside = _odd_so_far(quotes)
    line_ends = lfs
    starts = lfs | quotes | _words(data == ord(delimiter))  # what a field-opening quote may follow
    is_cr = data == _CR
    if is_cr.any():
        crs = _words(is_cr)
        line_ends = lfs | (crs & ~_from_next(lfs))  # (a CR last in the piece is lone: the piece ends there)
        starts |= crs  # (after a CR: a lone one ends a line, as quoted_fields reads)
    opening = quotes & inside  # even quotes: each opens a field, or continues one after a doubled quote
    misplaced = opening & ~_from_previous(starts, first=True)
    return QuoteBits(inside, line_ends, _bits_set(line_ends), not misplaced.any())


__all__ = ["QuoteBits", "positions", "quote_bits"]
