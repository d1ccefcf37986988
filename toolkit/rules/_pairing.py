"""The vectorised path of `ratio.clients_by_area`: two columns of 100,000 spreadsheet cells in NumPy.

An Excel range arrives as a list of Python values (floats, text, None for empty cells). The checks run
on whole arrays; only the first bad row is then looked at cell by cell, through the same per-row
readers the slow path uses, so the message is exactly the one a row-by-row loop would give.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ..errors import InputError, show_value

PC4_SLOTS = 10_000
_BIG = 1e12  # counts above this are summed as Python ints (int64 could overflow over 100,000 rows)


def _counts(counts: Sequence[Any], row_count: Callable[[object, int], int | None]) -> tuple[np.ndarray, np.ndarray,
                                                                                                np.ndarray]:
    """(value, empty mask, bad mask) per row."""
    n = len(counts)
    # An int beyond float range (10**400 from Python) takes the per-row path, whose reader refuses it.
    if all(type(c) is float or c is None or (type(c) is int and -_BIG <= c <= _BIG) for c in counts):
        values = np.array([np.nan if c is None else c for c in counts], dtype=np.float64)
        empty = np.fromiter((c is None for c in counts), dtype=bool, count=n)
        with np.errstate(invalid="ignore"):
            doubtful = ~empty & (~np.isfinite(values) | (values < 0) | (values != np.floor(values)) | (values > 1e15))
        bad = np.zeros(n, bool)
        # The rare doubtful cell is decided by the per-row reader, which reads a float as the 15 digits a
        # spreadsheet shows (2.0000000000000004 is 2): both paths must answer alike.
        for i in np.flatnonzero(doubtful).tolist():
            try:
                count = row_count(counts[i], i + 1)
                values[i] = 0.0 if count is None else count
            except InputError:
                bad[i] = True
        return np.where(empty | bad, 0.0, values), empty, bad
    values = np.zeros(n)
    empty = np.zeros(n, bool)
    bad = np.zeros(n, bool)
    for i, cell in enumerate(counts):
        try:
            count = row_count(cell, i + 1)
        except InputError:
            bad[i] = True
            continue
        if count is None:
            empty[i] = True
        else:
            values[i] = count
    return values, empty, bad


def _areas(codes: Sequence[Any], row_area: Callable[[object, int], int | None]) -> tuple[np.ndarray, np.ndarray,
                                                                                         np.ndarray]:
    """(PC4 as a number, empty mask, bad mask) per row; each distinct value is read once."""
    n = len(codes)
    area = np.zeros(n, np.int64)
    empty = np.zeros(n, bool)
    bad = np.zeros(n, bool)
    seen: dict[tuple[type, object], int] = {}  # -1 empty, -2 bad; keyed by type too, so True is not 1.0
    for i, code in enumerate(codes):
        try:
            key = (type(code), code)
            result = seen.get(key)
        except TypeError:  # an unhashable value: read it each time
            key, result = None, None
        if result is None:
            try:
                read = row_area(code, i + 1)
                result = -1 if read is None else read
            except InputError:
                result = -2
            if key is not None:
                seen[key] = result
        if result == -1:
            empty[i] = True
        elif result == -2:
            bad[i] = True
        else:
            area[i] = result
    return area, empty, bad


def pair(codes: Sequence[Any], counts: Sequence[Any], row_count: Callable[[object, int], int | None],
         row_area: Callable[[object, int], int | None]) -> dict[int, int]:
    """Clients per PC4 (as a number) from two equally long columns; InputError for the first bad row."""
    values, no_count, bad_count = _counts(counts, row_count)
    area, no_code, bad_code = _areas(codes, row_area)
    orphan = no_code & ~no_count & (values != 0)
    missing = ~no_code & ~bad_code & no_count
    problem = bad_count | bad_code | orphan | missing
    if problem.any():
        _raise_for_row(int(np.argmax(problem)), codes, counts, row_count, row_area)
    used = ~no_code & ~no_count
    if not used.any():
        return {}
    if values[used].max() > _BIG:
        totals: dict[int, int] = {}
        for pc4, value in zip(area[used].tolist(), values[used].tolist(), strict=True):
            totals[pc4] = totals.get(pc4, 0) + int(value)
        return dict(sorted(totals.items()))
    sums = np.zeros(PC4_SLOTS, np.int64)
    np.add.at(sums, area[used], values[used].astype(np.int64))
    return {int(pc4): int(sums[pc4]) for pc4 in np.flatnonzero(sums)}


def _raise_for_row(i: int, codes: Sequence[Any], counts: Sequence[Any], row_count: Callable[[object, int], int | None],
                   row_area: Callable[[object, int], int | None]) -> None:
    row = i + 1
    pc4 = row_area(codes[i], row)  # raises for an invalid postcode
    count = row_count(counts[i], row)  # raises for an invalid count
    if pc4 is None:
        raise InputError(f"clients: {show_value(counts[i])} in rij {row} heeft geen postcode", field="clients",
                         value=counts[i], row=row)
    if count is None:
        raise InputError(f"clients: rij {row} (postcode {show_value(codes[i])}) heeft geen aantal cliënten",
                         field="clients", value=None, row=row)
    raise AssertionError(f"rij {row} is in orde, maar werd als fout gemarkeerd")  # the masks and readers disagree
