"""The ratio report of a claim set: `ClaimsRatioReport`, one provider's assessment with what was read (lines,
movers, clients per area), readable as a mapping and written as JSON. `assembly.py` makes them.
"""

from __future__ import annotations

import json
from collections.abc import ItemsView, Iterator, KeysView, Mapping, ValuesView
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..rules.core_area import CoreAreaShare
from ..rules.ratio import RatioAssessment
from .claimset import Repeat
from .lines import PC4_KEY
from .scan import LineAccount

# Why, in the distinct reading, a provider's clients per area add up to more than its clients (said by the
# command line's table and the report's overview).
PC4_TEXT = [f"{i:04d}" for i in range(PC4_KEY)]  # one string object per PC4, shared by every report
_DIGITS = np.frombuffer(b"0123456789", np.uint8)


@dataclass(frozen=True)
class ClaimsRatioReport(LineAccount):
    """The ratio assessment for one provider (or the whole claim set) plus what was read to get it.

    The assessment's fields (`clients`, `areas`, `ratio`, `threshold`, `meets`, …) are also readable
    directly on the report. `providers` holds one report per provider when the files have a provider
    column; the top-level report then pools every provider's lines. Line counts, invalid lines and
    unknown insurer labels are each provider's own; at the top level, those of the whole claim set
    (including lines whose provider cell is itself invalid).
    """

    assessment: RatioAssessment
    provider: str | None
    claims_year: int
    method: str
    lines_read: int
    lines_used: int
    movers: int
    clients_by_area: Mapping[str, int]
    providers: Mapping[str, ClaimsRatioReport] = field(default_factory=dict)
    core_area: CoreAreaShare | None = None  # rule 11, when a kernwerkgebied was given
    only_core_areas: bool = False  # the ratio over the areas of the kernwerkgebied only (--alleen-kernwerkgebied)

    def __getattr__(self, name: str) -> Any:
        # Delegate the assessment's fields: report.ratio, report.meets, report.areas_to_drop, …
        if name.startswith("__") or name == "assessment":
            raise AttributeError(name)
        return getattr(self.assessment, name)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields (the CLI's `--json` object)."""
        return {**self._fields(), "clients_by_area": self.clients_by_area_dict()}

    def clients_by_area_dict(self) -> dict[str, int]:
        """`clients_by_area` as a new dict, without leaving one kept in the report (see `AreaCounts`)."""
        by_area = self.clients_by_area
        return by_area.as_dict() if isinstance(by_area, AreaCounts) else dict(by_area)

    def _fields(self) -> dict[str, Any]:
        a = self.assessment
        return {
            "provider": self.provider,
            "year": a.year,
            "provider_kind": a.provider,
            "method": self.method,
            "clients": a.clients,
            "areas": a.areas,
            "ratio": a.ratio,
            "threshold": None if a.threshold is None else float(a.threshold),
            "meets": a.meets,
            "applies": a.applies,
            "reason": a.reason,
            "exemption": a.exemption,
            "clients_needed": a.clients_needed,
            "max_areas": a.max_areas,
            "areas_to_drop": list(a.areas_to_drop),
            "drop_achievable": a.drop_achievable,
            "claims_year": self.claims_year,
            "lines_read": self.lines_read,
            "lines_used": self.lines_used,
            "lines_other_insurers": self.lines_other_insurers,
            "lines_other_years": self.lines_other_years,
            "lines_kindzorg": self.lines_kindzorg,
            "movers": self.movers,
            "unknown_insurers": dict(self.unknown_insurers),
            "invalid_lines": self.invalid_lines,
            "invalid_reasons": dict(self.invalid_reasons),
            **files_dict(self.sources, self.files_skipped, self.repeated, self.file_notes),
            **({"core_area": share_dict(self.core_area), "only_core_areas": self.only_core_areas}
               if self.core_area is not None else {}),
        }

    def to_json(self) -> str:
        """`json.dumps(self.to_dict(), ensure_ascii=False)`, the same text, made faster: the clients per
        area (thousands per provider that works all over the country) are joined as text, not
        encoded item by item from a dict."""
        by_area = self.clients_by_area
        if not isinstance(by_area, AreaCounts):
            return json.dumps(self.to_dict(), ensure_ascii=False)
        fields = self._fields()
        dropped = _names_array(self.assessment.areas_to_drop)
        if dropped is not None:  # said as text below, in the same place
            fields["areas_to_drop"] = []
        head = json.dumps(fields, ensure_ascii=False)
        if dropped is not None:
            # The first '"areas_to_drop": []' is the key: a quote inside a JSON string is always escaped.
            head = head.replace('"areas_to_drop": []', f'"areas_to_drop": {dropped}', 1)
        return f'{head[:-1]}, "clients_by_area": {by_area.json_object()}}}'


def _names_array(names: tuple[str, ...]) -> str | None:
    """`json.dumps(list(names))` for PC4 names (digits only), joined as text: a provider that works all over
    the country may have a thousand areas to drop, which json.dumps encodes one string at a time. None when
    the list is empty or a name is not plain digits (json.dumps then writes it)."""
    if not names:
        return None
    digits = "".join(names)
    if not (digits.isascii() and digits.isdigit()):
        return None
    return '["' + '", "'.join(names) + '"]'


def share_dict(share: CoreAreaShare) -> dict[str, Any]:
    """Rule 11's share as JSON-ready fields (amounts as exact decimal text)."""
    return {"share_inside": None if share.share_inside is None else float(share.share_inside),
            "measure": share.measure, "inside": str(share.inside), "total": str(share.total),
            "majority_outside": share.majority_outside, "min_share": float(share.min_share),
            "reason": share.reason, "note": share.note}


# The claim set's fields: the same in every provider's object.
CLAIM_SET_FIELDS = ("files_read", "files_skipped", "file_notes", "lines_repeated", "repeated")


def files_dict(read: tuple[str, ...], skipped: tuple[tuple[str, str], ...], repeated: tuple[Repeat, ...],
               notes: tuple[tuple[str, str], ...] = ()) -> dict[str, Any]:
    """The claim set as a whole in a report's JSON (the same in every provider's object): the files read,
    those of its folders that were not (and why), what was read and is said (a workbook's hidden rows),
    and the claim lines a file repeats from an earlier one."""
    return {"files_read": list(read), "files_skipped": [{"file": f, "reason": why} for f, why in skipped],
            "file_notes": [{"file": f, "note": note} for f, note in notes],
            "lines_repeated": sum(r.lines for r in repeated),
            "repeated": [{"file": r.file, "also_in": r.also_in, "lines": r.lines} for r in repeated]}


class AreaCounts(Mapping[str, int]):
    """Clients per PC4 area of one report, read from two arrays (PC4 ascending) instead of a dict: a
    claim set of 5,000 providers that work all over the country holds ten million (provider, area)
    pairs, which as Python dicts took gigabytes. A dict is made on the first lookup by key (and then
    kept, so that lookups cost what they cost in a dict); `as_dict()` makes one without keeping it."""

    __slots__ = ("_cache", "_clients", "_pc4")

    def __init__(self, pc4: np.ndarray, clients: np.ndarray) -> None:
        self._pc4, self._clients = pc4, clients
        self._cache: dict[str, int] | None = None

    def _dict(self) -> dict[str, int]:
        if self._cache is None:
            self._cache = self.as_dict()
        return self._cache

    def __getitem__(self, key: str) -> int:
        return self._dict()[key]

    def __contains__(self, key: object) -> bool:
        try:
            return key in self._dict()
        except TypeError:  # an unhashable key, as in a dict
            return False

    def __iter__(self) -> Iterator[str]:
        return map(PC4_TEXT.__getitem__, self._pc4.tolist())

    def __len__(self) -> int:
        return len(self._pc4)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, AreaCounts):
            return bool(np.array_equal(self._pc4, other._pc4) and np.array_equal(self._clients, other._clients))
        return self._dict() == other if isinstance(other, Mapping) else NotImplemented

    __hash__ = None  # type: ignore[assignment]  # as a dict: unhashable

    def keys(self) -> KeysView[str]:
        return self._dict().keys()

    def values(self) -> ValuesView[int]:
        return self._dict().values()

    def items(self) -> ItemsView[str, int]:
        return self._dict().items()

    def as_dict(self) -> dict[str, int]:
        """A new dict of the same content."""
        return dict(zip(self, self._clients.tolist(), strict=True))

    def json_object(self) -> str:
        """`json.dumps(self.as_dict())`, the same text: see `json_object`."""
        return json_object(self._pc4, self._clients)

    def __reduce__(self) -> tuple[type[AreaCounts], tuple[np.ndarray, np.ndarray]]:
        return AreaCounts, (self._pc4, self._clients)  # every pickle protocol; the cache is not sent

    def __repr__(self) -> str:
        return repr(self.as_dict())


def json_object(pc4: np.ndarray, clients: np.ndarray) -> str:
    """`{"5611": 4, "5612": 1}` for ascending PC4 codes and their client counts, written as one byte
    matrix with NumPy: a row per area (its `"5611": ` from a table, then the count's digits right-aligned
    after zero bytes, then `, `), the zero bytes then dropped. Encoding a dict with json.dumps (or joining
    Python strings) took five times as long: a CLI run on the claims of 500 providers that work all over
    the country writes a million areas."""
    n = len(pc4)
    if not n:
        return "{}"
    codes = pc4.astype(np.int64)
    counts = clients.astype(np.int64)
    if counts.min() < 0:
        raise ValueError("een aantal cliënten kan niet negatief zijn")
    if codes.min() < 0 or codes.max() >= PC4_KEY:
        raise ValueError("een postcodegebied heeft vier cijfers")
    digits = len(str(int(counts.max())))
    rows = np.empty((n, 10 + digits), np.uint8)
    rows[:, :8] = _AREA_KEYS[codes]
    rest = counts.copy()
    for k in range(digits):  # the k-th digit from the end; a zero byte where the count has fewer digits
        digit = _DIGITS[rest % 10]
        if k:
            digit[counts < 10**k] = 0
        rows[:, 7 + digits - k] = digit
        rest //= 10
    rows[:, 8 + digits:] = np.frombuffer(b", ", np.uint8)
    text: bytes = rows[rows != 0].tobytes()
    return "{" + text[:-2].decode("ascii") + "}"


# `"0000": ` to `"9999": ` as a byte matrix, a row per PC4, from the one text of each PC4.
_AREA_KEYS = np.frombuffer("".join(f'"{name}": ' for name in PC4_TEXT).encode("ascii"), np.uint8).reshape(PC4_KEY, 8)


# --------------------------------------------------------------------------- assembly in arrays


__all__ = ["CLAIM_SET_FIELDS", "PC4_TEXT", "AreaCounts", "ClaimsRatioReport", "files_dict", "json_object",
           "share_dict"]
