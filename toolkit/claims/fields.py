"""One field of a claim line read fast and exactly as the rest of the toolkit reads it: the date (the
usual export formats), the insurer (CZ group, another insurer, or a label on no list:
`parameters/data/market/insurers.yaml`) and the PC4 of a postcode straight from the Arrow buffers."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .. import _arrow as arrow
from ..parameters import load_insurers

INSURER_CZ, INSURER_OTHER, INSURER_UNKNOWN = 0, 1, 2
_DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%Y%m%d", "%Y/%m/%d", "%d.%m.%Y")


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


class InsurerClassifier:
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


__all__ = ["INSURER_CZ", "INSURER_OTHER", "INSURER_UNKNOWN", "InsurerClassifier", "day_number", "parse_date",
           "pc4_common"]
