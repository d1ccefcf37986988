"""Arrow values from Python values and NumPy views of Arrow arrays, without pyarrow's pandas probe.

pyarrow imports pandas the first time it converts a Python or NumPy value to Arrow (`pa.array`,
`pa.scalar`, a plain `0` or `False` handed to a compute function) or an Arrow array to NumPy
(`to_numpy`), only to check whether the value is a pandas object. That import takes about 0.3 s,
longer than reading a million claim lines, and `zorginkoop ratio` on a CSV never needs pandas.
Reading claims needs only small lookup tables, comparison constants and NumPy views of integer
and boolean columns, so `toolkit.claims` builds them here from raw buffers instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pyarrow as pa

_NUMPY: dict[pa.DataType, type[np.generic]] = {
    pa.int8(): np.int8,
    pa.int16(): np.int16,
    pa.int32(): np.int32,
    pa.int64(): np.int64,
    pa.float64(): np.float64,
}


def _bitmap(flags: np.ndarray) -> pa.Buffer:
    return pa.py_buffer(np.packbits(flags.astype(bool), bitorder="little"))


def array(values: Iterable[Any], type: pa.DataType) -> pa.Array:
    """`pa.array(values, type)` for int8/16/32/64, float64, bool and string; None becomes null."""
    items = list(values)
    n = len(items)
    present = np.fromiter((v is not None for v in items), dtype=bool, count=n)
    validity = None if present.all() else _bitmap(present)
    if type == pa.string():
        encoded = [b"" if v is None else str(v).encode() for v in items]
        offsets = np.zeros(n + 1, np.int32)
        np.cumsum(np.fromiter((len(e) for e in encoded), dtype=np.int64, count=n), out=offsets[1:])
        buffers = [validity, pa.py_buffer(offsets), pa.py_buffer(b"".join(encoded))]
    elif type == pa.bool_():
        buffers = [validity, _bitmap(np.fromiter((bool(v) for v in items), dtype=bool, count=n))]
    elif type in _NUMPY:
        data = np.fromiter((0 if v is None else v for v in items), dtype=_NUMPY[type], count=n)
        buffers = [validity, pa.py_buffer(data)]
    else:
        raise TypeError(f"no buffer layout for {type}")
    return pa.Array.from_buffers(type, n, buffers)


def scalar(value: Any, type: pa.DataType) -> pa.Scalar:
    """`pa.scalar(value, type)` for the types of `array`."""
    return array([value], type)[0]


def to_numpy(values: pa.Array) -> np.ndarray:
    """An integer, float or boolean array without nulls as NumPy (numbers without a copy)."""
    if values.null_count:
        raise ValueError("array has nulls")
    if not len(values):
        return np.zeros(0, bool if pa.types.is_boolean(values.type) else _NUMPY[values.type])
    if pa.types.is_boolean(values.type):
        bits = np.frombuffer(values.buffers()[1], dtype=np.uint8)
        unpacked = np.unpackbits(bits, count=values.offset + len(values), bitorder="little")
        return unpacked[values.offset:].view(bool)
    dtype = np.dtype(_NUMPY[values.type])
    return np.frombuffer(values.buffers()[1], dtype=dtype, count=len(values),
                         offset=values.offset * dtype.itemsize)


def from_numpy(values: np.ndarray) -> pa.Array:
    """A one-dimensional NumPy array of numbers as Arrow, without a copy."""
    values = np.ascontiguousarray(values)
    for arrow_type, dtype in _NUMPY.items():
        if values.dtype == dtype:
            return pa.Array.from_buffers(arrow_type, len(values), [None, pa.py_buffer(values)])
    raise TypeError(f"no Arrow type for {values.dtype}")


TRUE = scalar(True, pa.bool_())
FALSE = scalar(False, pa.bool_())
EMPTY = scalar("", pa.string())
