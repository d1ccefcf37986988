"""Hashes of claim columns as NumPy arrays, computed from the Arrow buffers: which shard a client id is
coded in (`triples.py`), and the keys by which a line repeated by a later file is found (`claimset.py`).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .. import _arrow as arrow

SHARD_BITS = 4
SHARDS = 1 << SHARD_BITS  # client ids are coded in this many dictionaries, chosen by a hash of the id
GOLDEN = np.uint64(0x9E3779B97F4A7C15)  # Fibonacci hashing: the top bits of the product mix all bits
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
    mixed = (tail ^ lengths.astype(np.uint64)) * GOLDEN
    # One byte per id: NumPy's stable argsort of bytes is a radix sort, 4x faster than of int64.
    shard: np.ndarray = (mixed >> np.uint64(64 - SHARD_BITS)).astype(np.uint8)
    return shard


_MIX_1 = np.uint64(0xFF51AFD7ED558CCD)  # MurmurHash3's finaliser (fmix64): every input bit moves every output bit
_MIX_2 = np.uint64(0xC4CEB9FE1A85EC53)
_SHIFT = np.uint64(33)
EPOCH = dt.date(1970, 1, 1).toordinal()  # date32 counts days from 1970-01-01


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
    h = lengths.astype(np.uint64) * GOLDEN
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


def text_keys(array: pa.Array) -> np.ndarray:
    """`hash_text` of every row of a text column, plain or dictionary-encoded (each distinct value hashed
    once); an empty cell as the empty text."""
    if pa.types.is_dictionary(array.type):
        encoded = dictionary(array)
        keys: np.ndarray = text_keys(encoded.dictionary)[arrow.to_numpy(encoded.indices)]
        return keys
    return hash_text(pc.fill_null(array, "") if array.null_count else array)


def dictionary(array: pa.Array) -> pa.DictionaryArray:
    """The array dictionary-encoded, an empty cell (null) as a dictionary value of its own, so every
    row has a code (the CSV reader already encodes the low-cardinality columns, without nulls)."""
    if pa.types.is_dictionary(array.type):
        if not array.null_count:
            return array
        array = array.cast(array.type.value_type)
    return pc.dictionary_encode(array, null_encoding="encode")


__all__ = ["EPOCH", "GOLDEN", "SHARDS", "SHARD_BITS", "dictionary", "hash_text", "mix", "shard_of", "text_keys"]
