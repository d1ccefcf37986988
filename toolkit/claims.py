"""Reading claim files (declaratiedata) and computing the CZ client-per-area ratio from them.

Source of the rule: 002_3d2709293215211c.txt, 2.3.2 "Versnippering" (ratio from the claims of T−2)
and bijlage 1, 1.1. Which labels belong to CZ groep: `parameters/data/market/insurers.yaml`.

Files: CSV (`;`, `,` or tab, UTF-8 with or without BOM), xlsx (first sheet) and Parquet, or a pandas
DataFrame. Columns are matched case-insensitively with the Dutch aliases of INTERFACES.md.

Speed and memory: a CSV is cut into pieces of about `CHUNK_BYTES` at line ends; each worker thread
parses a piece with pyarrow, validates it and reduces it to its line counts and distinct (provider,
PC4, client) triples (Arrow and NumPy kernels release the GIL). Memory therefore stays bounded by the
piece size and the number of distinct triples, not by the file size. Nothing on this path converts
Python values with pyarrow's own functions, which would import pandas: see `toolkit/_arrow.py`.

Every line is validated, not only the CZ lines of the claims year: a broken line anywhere means a
broken export. Invalid lines raise `InputError` naming file, line, column and value, or with
`skip_invalid=True` are counted per reason and reported, never silently dropped.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import os
import queue
import re
import threading
from collections import Counter, deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import _arrow as arrow
from .errors import InputError, show_value
from .parameters import load_insurers
from .postcode import to_pc4
from .rules.ratio import RatioAssessment, assess_normalised_counts, claims_year, exemption_kind, provider_kind

METHODS = ("distinct", "per_area")

# Canonical field -> accepted column names (INTERFACES.md "Claims files"), first match wins.
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "client_id": ("client_id", "client", "clientnummer", "pseudoniem"),
    "postcode": ("postcode",),
    "insurer": ("insurer", "verzekeraar", "label", "uzovi"),
    "date": ("date", "datum", "begindatum", "prestatiedatum"),
    "provider": ("provider", "zorgaanbieder", "agb"),
    "care_type": ("care_type", "zorgsoort", "prestatie"),
}
REQUIRED = ("client_id", "postcode", "insurer", "date")
DUTCH_FIELD = {
    "client_id": "cliënt",
    "postcode": "postcode",
    "insurer": "verzekeraar",
    "date": "datum",
    "provider": "zorgaanbieder",
    "care_type": "zorgsoort",
}

CHUNK_BYTES = 16 << 20  # bytes of CSV one worker parses and validates at a time: bounds memory
BLOCK_BYTES = 8 << 20  # pyarrow block: a single line may be up to this long
MAX_ID_LENGTH = 128  # client ids are pseudonyms or hashes; far longer values are a broken export
MAX_TEXT_LENGTH = 200
FIRST_YEAR, LAST_YEAR = 1900, 2100  # a claim date outside these years is a broken export
WORKERS = max(1, min(4, os.cpu_count() or 1))
PROGRESS_MIN_BYTES = 50 << 20  # about a million claim lines
MERGE_AT = 4_000_000  # batch triples kept before they are merged into one distinct set

_KINDZORG_CARE = re.compile(r"kindzorg", re.IGNORECASE)
_DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%Y%m%d", "%Y/%m/%d", "%d.%m.%Y")

INSURER_CZ, INSURER_OTHER, INSURER_UNKNOWN = 0, 1, 2
# Comparison scalars typed like the arrays they meet: a plain Python int would make Arrow cast the
# whole array to int64 first.
_I32_0 = arrow.scalar(0, pa.int32())
_MAX_ID = arrow.scalar(MAX_ID_LENGTH, pa.int32())
_I64_MINUS_1 = arrow.scalar(-1, pa.int64())


@dataclass(frozen=True)
class ClaimsRatioReport:
    """The ratio assessment for one provider (or the whole file) plus what was read to get it.

    The assessment's fields (`clients`, `areas`, `ratio`, `threshold`, `meets`, …) are also readable
    directly on the report. `providers` holds one report per provider when the file has a provider
    column; the top-level report then pools every provider's lines.
    """

    assessment: RatioAssessment
    provider: str | None
    claims_year: int
    method: str
    lines_read: int
    lines_used: int
    movers: int
    clients_by_area: Mapping[str, int]
    lines_other_insurers: int = 0
    lines_other_years: int = 0
    lines_kindzorg: int = 0
    unknown_insurers: Mapping[str, int] = field(default_factory=dict)
    invalid_lines: int = 0
    invalid_reasons: Mapping[str, int] = field(default_factory=dict)
    invalid_examples: tuple[str, ...] = ()
    providers: Mapping[str, ClaimsRatioReport] = field(default_factory=dict)
    source: str = ""

    def __getattr__(self, name: str) -> Any:
        # Delegate the assessment's fields: report.ratio, report.meets, report.areas_to_drop, …
        if name.startswith("__") or name == "assessment":
            raise AttributeError(name)
        return getattr(self.assessment, name)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields (the CLI's `--json` object)."""
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
            "clients_by_area": dict(self.clients_by_area),
        }


# --------------------------------------------------------------------------- column layout


@dataclass(frozen=True)
class _Layout:
    """Which source column holds which field."""

    columns: Mapping[str, str]  # canonical field -> column name in the file

    @property
    def has_provider(self) -> bool:
        return "provider" in self.columns


def _resolve_columns(names: Sequence[str], where: str) -> _Layout:
    lookup: dict[str, str] = {}
    for name in names:
        lookup.setdefault(str(name).strip().lower(), str(name))
    columns: dict[str, str] = {}
    for canonical, aliases in COLUMN_ALIASES.items():
        for alias in aliases:
            if alias in lookup:
                columns[canonical] = lookup[alias]
                break
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        wanted = "; ".join(f"{c} ({'/'.join(COLUMN_ALIASES[c])})" for c in missing)
        found = ", ".join(repr(str(n)) for n in names[:12]) or "geen"
        raise InputError(
            f"{where}: kolom(men) ontbreken: {wanted}. Gevonden kolommen: {found}. "
            "Controleer het scheidingsteken (; of ,) en de kopregel.",
            field=missing[0],
            file=where,
        )
    return _Layout(columns)


# --------------------------------------------------------------------------- value lookups


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


def _parse_year(value: str) -> int:
    """Year of a claim date in one of the usual export formats; -1 when unparseable."""
    text = value.strip()
    if "T" in text:
        text = text.split("T", 1)[0]
    elif " " in text:
        text = text.split(" ", 1)[0]
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).year
        except ValueError:
            continue
    return -1


# --------------------------------------------------------------------------- batch processing

# Every line ends in exactly one state; the line counts of a report are sums over states.
_OTHER_INSURER, _UNKNOWN_INSURER, _OTHER_YEAR, _KINDZORG, _USED, _INVALID = range(6)
_STATES = 6
# A (provider, PC4) pair as one integer, provider id * PC4_KEY + PC4; with the client's code in the
# low 32 bits a triple fits an int64 as long as that product stays below 2**31.
PC4_KEY = 10_000
MAX_PROVIDERS = (2**31 - 1) // PC4_KEY
_PC4_TEXT = [f"{i:04d}" for i in range(PC4_KEY)]
_LOW_32 = np.int64(0xFFFFFFFF)


def _distinct(values: np.ndarray) -> np.ndarray:
    """The distinct values, sorted. Sorting is about 5x faster here than `np.unique`, which hashes
    (NumPy 2.4: 17 ms against 3 ms for 100,000 int64)."""
    ordered = np.sort(values)
    first = np.empty(len(ordered), bool)
    first[:1] = True
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    distinct: np.ndarray = ordered[first]
    return distinct


class _ProviderIds:
    """Provider name -> an id shared by all batches (each batch brings its own dictionary)."""

    def __init__(self, where: str) -> None:
        self.names: list[str | None] = []
        self._ids: dict[str | None, int] = {}
        self._lock = threading.Lock()
        self._where = where

    def of(self, names: list[str | None]) -> np.ndarray:
        with self._lock:
            for name in names:
                if name not in self._ids:
                    if len(self.names) >= MAX_PROVIDERS:
                        raise InputError(f"{self._where}: meer dan {MAX_PROVIDERS} verschillende zorgaanbieders",
                                         field="provider", file=self._where)
                    self._ids[name] = len(self.names)
                    self.names.append(name)
            return np.fromiter((self._ids[name] for name in names), dtype=np.int64, count=len(names))


@dataclass
class _BatchResult:
    rows: int
    areas: np.ndarray  # provider id * PC4_KEY + PC4 of each distinct (provider, PC4, client) used
    clients: pa.Array  # the client of each of them
    providers: np.ndarray  # provider ids, one per row of `counts`
    counts: np.ndarray  # line counts by provider and state
    unknown: Counter[str]
    invalid: list[tuple[int, str, str, object]]  # (index in the batch, field, reason, value), the first few
    invalid_count: Counter[str]


def _pc4_common(postcode: pa.Array) -> tuple[np.ndarray, np.ndarray]:
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


class _Processor:
    """Validates a batch of claim lines and reduces it to distinct (provider, PC4, client) triples
    and line counts; thread-safe for the pool (the caches only ever gain identical entries)."""

    def __init__(self, layout: _Layout, claims_year: int, source: str) -> None:
        self.layout = layout
        self._claims_year = claims_year
        self.insurers = _InsurerClassifier()
        self.providers = _ProviderIds(source)
        self._years: dict[str, int] = {}
        self._kindzorg: dict[str, bool] = {}
        self._pc4: dict[str, int] = {}

    def column(self, batch: pa.RecordBatch, canonical: str) -> pa.Array:
        return batch.column(self.layout.columns[canonical])

    @staticmethod
    def _lookup(encoded: pa.DictionaryArray, fn: Callable[[Any], Any], dtype: type[np.generic]) -> np.ndarray:
        """A Python function applied to the distinct values only, spread back to the rows."""
        mapped = np.array([fn(v) for v in encoded.dictionary.to_pylist()], dtype=dtype)
        rows: np.ndarray = mapped[arrow.to_numpy(encoded.indices)]
        return rows

    def _years_of(self, array: pa.Array) -> np.ndarray:
        if pa.types.is_date(array.type) or pa.types.is_timestamp(array.type):
            return arrow.to_numpy(pc.fill_null(pc.year(array), _I64_MINUS_1))

        def year(value: str | None) -> int:
            if value is None:
                return -1
            cached = self._years.get(value)
            if cached is None:
                cached = self._years[value] = _parse_year(value)
            return cached

        return self._lookup(_dictionary(array), year, np.int16)

    def _postcodes(self, postcode: pa.Array) -> tuple[np.ndarray, np.ndarray]:
        """(PC4 of every row, mask of invalid postcodes). The usual spellings are read in bulk; the
        rest goes through `toolkit.postcode.to_pc4`, once per distinct value."""
        pc4, ok = _pc4_common(postcode)
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

    def process(self, batch: pa.RecordBatch) -> _BatchResult:
        n = batch.num_rows
        checks: list[tuple[str, np.ndarray]] = []  # (field, mask of invalid rows), in column order

        client = self.column(batch, "client_id")
        client_bytes = pc.binary_length(client)
        checks.append(("client_id", arrow.to_numpy(pc.fill_null(pc.or_(
            pc.or_(pc.equal(client_bytes, _I32_0), pc.greater(client_bytes, _MAX_ID)),
            pc.utf8_is_space(client)), arrow.TRUE))))

        pc4, bad_postcode = self._postcodes(self.column(batch, "postcode"))
        checks.append(("postcode", bad_postcode))

        insurer = _dictionary(self.column(batch, "insurer"))
        insurer_kind = self._lookup(insurer, self._classify_insurer, np.int8)
        checks.append(("insurer", insurer_kind < 0))

        years = self._years_of(self.column(batch, "date"))
        checks.append(("date", (years < FIRST_YEAR) | (years > LAST_YEAR)))

        if self.layout.has_provider:
            provider = _dictionary(self.column(batch, "provider"))
            names = provider.dictionary.to_pylist()
            codes = arrow.to_numpy(provider.indices)
            named = np.array([v is not None and 0 < len(v.encode()) <= MAX_TEXT_LENGTH for v in names], bool)
            checks.append(("provider", ~named[codes]))
        else:
            names, codes = [""], np.zeros(n, np.int32)

        kindzorg: np.ndarray | bool = False
        if "care_type" in self.layout.columns:
            care_type = _dictionary(self.column(batch, "care_type"))
            care_names = care_type.dictionary.to_pylist()
            care_codes = arrow.to_numpy(care_type.indices)
            too_long = np.array([v is not None and len(v.encode()) > MAX_TEXT_LENGTH for v in care_names], bool)
            checks.append(("care_type", too_long[care_codes]))
            kindzorg = np.array([self._is_kindzorg(v) for v in care_names], bool)[care_codes]

        invalid = checks[0][1].copy()
        for _, mask in checks[1:]:
            invalid |= mask
        invalid_rows: list[tuple[int, str, str, object]] = []
        invalid_count: Counter[str] = Counter()
        if invalid.any():
            invalid_rows, invalid_count = self._describe_invalid(batch, checks)

        # The state of every line: other insurer, unknown label, CZ of another year, CZ kindzorg,
        # used (CZ, claims year, no kindzorg) or invalid.
        in_year = years == self._claims_year
        cz_state = np.where(in_year, np.where(kindzorg, _KINDZORG, _USED), _OTHER_YEAR)
        state = np.where(insurer_kind == INSURER_CZ, cz_state,
                         np.where(insurer_kind == INSURER_OTHER, _OTHER_INSURER, _UNKNOWN_INSURER))
        state[invalid] = _INVALID
        counts = np.bincount(codes * _STATES + state, minlength=len(names) * _STATES).reshape(len(names), _STATES)
        provider_ids = self.providers.of(names)

        unknown: Counter[str] = Counter()
        unknown_rows = state == _UNKNOWN_INSURER
        if unknown_rows.any():
            labels = insurer.dictionary.to_pylist()
            per_label = np.bincount(arrow.to_numpy(insurer.indices)[unknown_rows], minlength=len(labels))
            unknown.update({str(labels[i]): int(per_label[i]) for i in np.flatnonzero(per_label)})

        # Distinct (provider, PC4, client) of the used lines, a client as its code in this batch.
        used = np.flatnonzero(state == _USED)
        clients = pc.dictionary_encode(client.take(arrow.from_numpy(used)))
        areas = provider_ids[codes[used]] * PC4_KEY + pc4[used]
        triples = _distinct((areas << 32) | arrow.to_numpy(clients.indices))
        return _BatchResult(
            rows=n, areas=triples >> 32,
            clients=clients.dictionary.take(arrow.from_numpy(triples & _LOW_32)),
            providers=provider_ids, counts=counts,
            unknown=unknown, invalid=invalid_rows, invalid_count=invalid_count,
        )

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

    def _describe_invalid(
        self, batch: pa.RecordBatch, checks: list[tuple[str, np.ndarray]]
    ) -> tuple[list[tuple[int, str, str, object]], Counter[str]]:
        """The first invalid rows of a batch with a Dutch reason each, and the count per reason
        (slow path: only on invalid input). A line with several problems counts once, for the first
        failing field."""
        first_failing = np.full(batch.num_rows, -1, np.int8)
        for position in reversed(range(len(checks))):
            first_failing[checks[position][1]] = position
        invalid = np.flatnonzero(first_failing >= 0)
        per_field = np.bincount(first_failing[invalid], minlength=len(checks))
        count = Counter({_REASON_KEYS[checks[i][0]]: int(per_field[i]) for i in np.flatnonzero(per_field)})
        rows: list[tuple[int, str, str, object]] = []
        for index in invalid[:20].tolist():
            fieldname = checks[first_failing[index]][0]
            value = self.column(batch, fieldname)[index].as_py()
            rows.append((index, fieldname, _reason_text(fieldname, value), value))
        return rows, count


_REASON_KEYS = {
    "client_id": "ongeldige cliënt",
    "postcode": "ongeldige postcode",
    "insurer": "ongeldige verzekeraar",
    "date": "ongeldige datum",
    "provider": "ongeldige zorgaanbieder",
    "care_type": "ongeldige zorgsoort",
}


def _reason_text(fieldname: str, value: object) -> str:
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
        year = value.year if isinstance(value, dt.date) else _parse_year(str(value))
        if year >= 0:
            return f"datum {shown} ligt niet tussen {FIRST_YEAR} en {LAST_YEAR}"
        return f"datum {shown} is geen geldige datum (verwacht bijv. 2025-03-14 of 14-03-2025)"
    if fieldname == "care_type":
        return f"zorgsoort {shown} is langer dan {MAX_TEXT_LENGTH} tekens"
    if value is None or not str(value).strip():
        return "zorgaanbieder ontbreekt"
    return f"zorgaanbieder {shown} is langer dan {MAX_TEXT_LENGTH} tekens"


# --------------------------------------------------------------------------- readers


@dataclass(frozen=True)
class _CsvDialect:
    delimiter: str
    header: tuple[str, ...]
    header_bytes: int  # offset of the first data line


def _sniff_csv(path: Path) -> _CsvDialect:
    with path.open("rb") as handle:
        head = handle.read(BLOCK_BYTES)
    if not head.strip():
        raise InputError(f"{path}: het bestand is leeg", file=str(path))
    bom = 3 if head.startswith(b"\xef\xbb\xbf") else 0
    end = head.find(b"\n", bom)
    if end < 0:
        end = len(head)
    raw_header = head[bom:end].rstrip(b"\r")
    try:
        header_text = raw_header.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{path}: regel 1 (kopregel) is geen UTF-8 (byte {raw_header[exc.start:exc.start + 1]!r} op positie "
            f"{exc.start + 1}); sla het bestand op als 'CSV UTF-8'",
            row=1, file=str(path), value=raw_header[exc.start:exc.start + 1],
        ) from None
    if "\r" in header_text:  # lines ended by CR alone: old Mac exports; pyarrow would read them, we cut at LF
        raise InputError(
            f"{path}: regel 1: de regels eindigen op een los CR-teken (oud Mac-formaat); sla het bestand op als "
            "'CSV UTF-8'",
            row=1, file=str(path), value="CR")
    best: tuple[int, str] = (0, ";")
    for delimiter in (";", ",", "\t"):
        fields = _csv_fields(header_text, delimiter)
        if fields is not None and len(fields) > best[0]:
            best = (len(fields), delimiter)
    if best[0] == 0:
        raise InputError(f"{path}: regel 1 (kopregel) is geen leesbare CSV-regel: {show_value(header_text)}",
                         row=1, file=str(path), value=header_text)
    delimiter = best[1]
    header = tuple(_csv_fields(header_text, delimiter) or ())
    return _CsvDialect(delimiter, header, end + 1)


def _csv_fields(line: str, delimiter: str) -> list[str] | None:
    """The fields of one CSV line, or None when Python's csv module cannot read it."""
    try:
        return next(csv.reader([line], delimiter=delimiter))
    except csv.Error:
        return None


@dataclass(frozen=True)
class _Chunk:
    """A piece of the input: `load()` gives its record batches (for CSV it parses them, in a worker
    thread); `end` is how far into the file the piece reaches, in bytes, for the progress bar."""

    load: Callable[[], list[pa.RecordBatch]]
    end: int = 0


@dataclass(frozen=True)
class _Source:
    where: str  # the file name, or "DataFrame"/"tabel", for messages
    layout: _Layout
    first_row: int  # the row number of the first data line in messages
    chunks: Iterator[_Chunk]
    size: int = 0  # bytes, for the progress bar (CSV only)
    # Record numbers (first_row + records before) -> the line numbers a text editor shows, where they
    # differ: pyarrow skips empty lines in a CSV. Only called for the few lines an error names.
    lines: Callable[[list[int]], dict[int, int]] | None = None

    def line_numbers(self, records: list[int]) -> dict[int, int]:
        return self.lines(records) if self.lines is not None else {r: r for r in records}


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
        self._free.put(buffer)


def _csv_pieces(path: Path, start: int, pool: _BufferPool) -> Iterator[tuple[bytearray, int, int]]:
    """(buffer, length, end offset in the file) of pieces of whole lines, about CHUNK_BYTES each.
    The caller gives every buffer back to the pool once it is done with it."""
    carried = b""  # the start of an unfinished line, moved to the front of the next buffer
    with path.open("rb", buffering=0) as handle:
        handle.seek(start)
        while True:
            buffer = pool.get()
            filled = len(carried)
            if filled < len(buffer):
                buffer[:filled] = carried
            else:  # the line carried over is longer than this buffer
                buffer = bytearray(carried) + bytes(len(buffer))
            while True:
                if filled == len(buffer):  # one line longer than the buffer: a bigger one replaces it
                    buffer = buffer + bytes(len(buffer))  # (a new object: pyarrow may still export the old)
                with memoryview(buffer) as view:
                    read = handle.readinto(view[filled:]) or 0
                filled += read
                if read == 0:
                    cut = filled  # end of file: the last line may have no line end
                    break
                cut = buffer.rfind(b"\n", 0, filled) + 1
                if cut:
                    break
            if cut == 0:
                pool.put(buffer)
                return
            carried = bytes(buffer[cut:filled])
            yield buffer, cut, handle.tell() - len(carried)
            if read == 0:
                return


def _csv_line_numbers(path: Path, start: int, records: list[int]) -> dict[int, int]:
    """The file line number of each record number (2 = the first line after the header, counted the way
    pyarrow counts: empty lines are no records). Reads the file up to the last record asked for."""
    result: dict[int, int] = {}
    wanted = sorted(set(records), reverse=True)  # popped from the end: smallest first
    if not wanted:
        return result
    lines_before, records_before = 0, 0
    pool = _BufferPool(1)
    for buffer, length, _ in _csv_pieces(path, start, pool):
        data = np.frombuffer(buffer, np.uint8, count=length)
        ends = np.flatnonzero(data == ord("\n"))
        if not len(ends) or ends[-1] != length - 1:
            ends = np.append(ends, length)  # the last line of the file may have no line end
        begins = np.concatenate([[0], ends[:-1] + 1])
        sizes = ends - begins
        empty = (sizes == 0) | ((sizes == 1) & (data[np.minimum(begins, length - 1)] == ord("\r")))
        counted = np.cumsum(~empty)  # records up to and including each line
        while wanted and wanted[-1] - 2 < records_before + (counted[-1] if len(counted) else 0):
            record = wanted.pop()
            index = int(np.searchsorted(counted, record - 2 - records_before + 1))
            result[record] = 2 + lines_before + index
        lines_before += len(ends)
        records_before += int(counted[-1]) if len(counted) else 0
        pool.put(buffer)
        if not wanted:
            break
    result.update({record: record for record in wanted})  # not found: keep the record number
    return result


def _locate_csv_problem(path: Path, dialect: _CsvDialect) -> InputError:
    """Slow path after pyarrow refused a piece: find the first line that is not well formed."""
    expected = len(dialect.header)
    with path.open("rb") as handle:
        handle.seek(dialect.header_bytes)
        for number, raw in enumerate(handle, start=2):
            if len(raw) > BLOCK_BYTES:
                return InputError(
                    f"{path}: regel {number} is te lang ({len(raw)} bytes, maximaal {BLOCK_BYTES})",
                    row=number, file=str(path), value=f"{len(raw)} bytes")
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                return InputError(
                    f"{path}: regel {number} bevat tekens die geen UTF-8 zijn (byte {raw[exc.start:exc.start + 1]!r}); "
                    "sla het bestand op als 'CSV UTF-8'",
                    row=number, file=str(path), value=raw[exc.start:exc.start + 1])
            if not text.strip():
                continue
            fields = _csv_fields(text.rstrip("\r\n"), dialect.delimiter)
            if fields is None:
                return InputError(
                    f"{path}: regel {number} is onleesbaar (bijvoorbeeld een los CR-teken midden in de regel): "
                    f"{show_value(text.strip())}", row=number, file=str(path), value=text.strip())
            if len(fields) != expected:
                return InputError(
                    f"{path}: regel {number} heeft {len(fields)} velden, de kopregel {expected} "
                    f"(scheidingsteken '{dialect.delimiter}'): {show_value(text.strip())}",
                    row=number, file=str(path), value=text.strip())
    return InputError(f"{path}: het CSV-bestand kan niet worden gelezen", file=str(path))


def _read_csv(path: Path) -> _Source:
    import pyarrow.csv as pacsv

    dialect = _sniff_csv(path)
    layout = _resolve_columns(dialect.header, str(path))
    wanted = list(dict.fromkeys(layout.columns.values()))
    # Each piece is parsed by one worker thread (the workers already keep every core busy).
    read_options = pacsv.ReadOptions(column_names=list(dialect.header), block_size=BLOCK_BYTES, use_threads=False)
    parse_options = pacsv.ParseOptions(delimiter=dialect.delimiter)
    # A piece without any quote character parses the same without quote handling, which is faster.
    unquoted = pacsv.ParseOptions(delimiter=dialect.delimiter, quote_char=False)
    # Low-cardinality columns arrive dictionary-encoded: the validation then looks at each distinct
    # provider, insurer, date and care type once.
    dictionary = pa.dictionary(pa.int32(), pa.string())
    by_dictionary = {layout.columns[c] for c in ("provider", "insurer", "date", "care_type") if c in layout.columns}
    column_types = {name: dictionary if name in by_dictionary else pa.string() for name in wanted}
    as_text = pacsv.ConvertOptions(include_columns=wanted, column_types=column_types,
                                   strings_can_be_null=False, quoted_strings_can_be_null=False)
    # Faster still: ISO dates (2025-03-14) read as dates by pyarrow, which accepts only real dates
    # (a subset of what `_parse_year` accepts, with the same year). The first piece it refuses, for
    # a date in another format or any other reason, switches the rest of the file to text.
    as_dates = pacsv.ConvertOptions(include_columns=wanted,
                                    column_types={**column_types, layout.columns["date"]: pa.date32()},
                                    strings_can_be_null=False, quoted_strings_can_be_null=False)
    iso_dates = [True]
    pool = _BufferPool(2 * WORKERS + 1)  # one per piece in flight, one being filled

    def read(buffer: bytearray, length: int, convert_options: pacsv.ConvertOptions) -> pa.Table:
        quoted = buffer.find(b'"', 0, length) >= 0
        return pacsv.read_csv(pa.BufferReader(pa.py_buffer(buffer).slice(0, length)), read_options=read_options,
                              parse_options=parse_options if quoted else unquoted, convert_options=convert_options)

    def load(buffer: bytearray, length: int) -> list[pa.RecordBatch]:
        try:
            table = None
            if iso_dates[0]:
                try:
                    table = read(buffer, length, as_dates)
                except (pa.ArrowInvalid, pa.ArrowTypeError):
                    iso_dates[0] = False
            if table is None:
                table = read(buffer, length, as_text)
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            raise _locate_csv_problem(path, dialect) from None
        finally:
            pool.put(buffer)
        batches: list[pa.RecordBatch] = table.to_batches()
        return batches

    chunks = (_Chunk(functools.partial(load, buffer, length), end)
              for buffer, length, end in _csv_pieces(path, dialect.header_bytes, pool))
    return _Source(str(path), layout, 2, chunks, path.stat().st_size,  # line 1 is the header
                   functools.partial(_csv_line_numbers, path, dialect.header_bytes))


def _as_text(array: pa.Array) -> pa.Array:
    """Spreadsheet and Parquet cells as text: 5611.0 -> '5611', 9664 -> '9664'."""
    if pa.types.is_string(array.type) or pa.types.is_large_string(array.type):
        return array.cast(pa.string())
    if pa.types.is_dictionary(array.type):
        return _as_text(array.cast(array.type.value_type))
    if pa.types.is_floating(array.type):
        integral = pc.fill_null(pc.equal(pc.floor(array), array), True)
        if pc.all(integral).as_py():
            return pc.cast(pc.cast(array, pa.int64()), pa.string())
    if pa.types.is_null(array.type):
        return pa.nulls(len(array), pa.string())
    return pc.cast(array, pa.string())


def _normalise_batch(batch: pa.RecordBatch, layout: _Layout) -> pa.RecordBatch:
    arrays, names = [], []
    for canonical, name in layout.columns.items():
        array = batch.column(name)
        if canonical == "date" and (pa.types.is_date(array.type) or pa.types.is_timestamp(array.type)):
            arrays.append(array)
        else:
            arrays.append(_as_text(array))
        names.append(name)
    return pa.RecordBatch.from_arrays(arrays, names=names)


def _batch_chunks(batches: Iterator[pa.RecordBatch], layout: _Layout) -> Iterator[_Chunk]:
    for batch in batches:
        yield _Chunk(functools.partial(lambda b: [_normalise_batch(b, layout)], batch))


def _read_table(table: pa.Table, where: str) -> _Source:
    layout = _resolve_columns(table.column_names, where)
    table = table.select(list(dict.fromkeys(layout.columns.values())))
    return _Source(where, layout, 1, _batch_chunks(iter(table.to_batches(max_chunksize=1 << 20)), layout))


def _read_parquet(path: Path) -> _Source:
    import pyarrow.parquet as pq

    try:
        handle = pq.ParquetFile(path)
    except (pa.ArrowInvalid, OSError) as exc:
        raise InputError(f"{path}: geen geldig Parquet-bestand ({exc})", file=str(path)) from None
    layout = _resolve_columns(handle.schema_arrow.names, str(path))
    batches = handle.iter_batches(batch_size=1 << 20, columns=list(dict.fromkeys(layout.columns.values())))
    return _Source(str(path), layout, 1, _batch_chunks(batches, layout))  # no header line: rows count from 1


def _read_xlsx(path: Path) -> _Source:
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
        sheet = workbook.get_sheet_by_index(0)
    except Exception as exc:  # calamine raises its own error types for corrupt files
        raise InputError(f"{path}: geen leesbaar xlsx-bestand ({exc})", file=str(path)) from None
    rows = iter(sheet.iter_rows())
    header: list[Any] | None = None
    header_row = 0
    for values in rows:
        header_row += 1
        if any(v not in (None, "") for v in values):
            header = [str(v).strip() for v in values]
            break
    if header is None:
        raise InputError(f"{path}: het werkblad is leeg", file=str(path))
    layout = _resolve_columns(header, str(path))
    positions = {name: header.index(name) for name in dict.fromkeys(layout.columns.values())}

    def batch(chunk: dict[str, list[Any]]) -> pa.RecordBatch:
        arrays = []
        for values in chunk.values():
            if all(isinstance(v, dt.date) or v in (None, "") for v in values) and any(values):
                arrays.append(pa.array([v if isinstance(v, dt.date) else None for v in values]))
            else:
                arrays.append(pa.array([_cell_text(v) for v in values], pa.string()))
        return pa.RecordBatch.from_arrays(arrays, names=list(chunk))

    def batches() -> Iterator[pa.RecordBatch]:
        chunk: dict[str, list[Any]] = {name: [] for name in positions}
        count = 0
        for values in rows:
            for name, position in positions.items():
                chunk[name].append(values[position] if position < len(values) else None)
            count += 1
            if count % 200_000 == 0:
                yield batch(chunk)
                chunk = {name: [] for name in positions}
        if count % 200_000:
            yield batch(chunk)

    return _Source(str(path), layout, header_row + 1, _batch_chunks(batches(), layout))


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _open(source: Any) -> _Source:
    if isinstance(source, pa.Table):
        return _read_table(source, "tabel")
    if type(source).__name__ == "DataFrame":
        return _read_table(pa.Table.from_pandas(source, preserve_index=False), "DataFrame")
    if not isinstance(source, str | os.PathLike):
        raise InputError(
            f"bron {show_value(type(source).__name__)} wordt niet ondersteund (verwacht een pad naar csv, xlsx of "
            "parquet, of een DataFrame)", field="source", value=type(source).__name__)
    path = Path(source)
    if not path.is_file():
        raise InputError(f"{path}: bestand bestaat niet", file=str(path), value=str(path))
    suffix = path.suffix.lower()
    if suffix in {".csv", ".txt", ".tsv"}:
        return _read_csv(path)
    if suffix in {".xlsx", ".xlsm"}:
        return _read_xlsx(path)
    if suffix in {".parquet", ".pq"}:
        return _read_parquet(path)
    raise InputError(f"{path}: bestandstype '{suffix}' wordt niet ondersteund (csv, xlsx of parquet)",
                     file=str(path), value=suffix)


# --------------------------------------------------------------------------- assembling reports


# clients per PC4 area, and the areas of every client with claims in more than one area
_Areas = tuple[dict[str, int], dict[str, list[str]]]


def _areas_per_group(group: np.ndarray, pc4: np.ndarray, client: np.ndarray,
                     client_names: pa.Array) -> dict[int, _Areas]:
    """Per group: distinct clients per PC4 and the movers, from distinct (group, PC4, client code)
    triples sorted by group and PC4."""
    result: dict[int, _Areas] = {}
    areas, clients = np.unique(group * PC4_KEY + pc4, return_counts=True)
    for area, count in zip(areas.tolist(), clients.tolist(), strict=True):
        result.setdefault(area // PC4_KEY, ({}, {}))[0][_PC4_TEXT[area % PC4_KEY]] = count
    # A mover: the same (group, client) in more than one triple.
    pairs = (group << 32) | client
    order = np.argsort(pairs, kind="stable")  # stable: a mover's areas stay in PC4 order
    ordered = pairs[order]
    repeat = np.flatnonzero(ordered[1:] == ordered[:-1])
    if repeat.size:
        rows = order[np.union1d(repeat, repeat + 1)]
        names = client_names.take(arrow.from_numpy(client[rows])).to_pylist()
        for key, name, area in zip(group[rows].tolist(), names, pc4[rows].tolist(), strict=True):
            result.setdefault(key, ({}, {}))[1].setdefault(name, []).append(_PC4_TEXT[area])
    return result


class _Triples:
    """The distinct (provider, PC4, client) triples of the batches seen so far. Each batch's own are
    kept as they come, and merged into one distinct set whenever they add up to `MERGE_AT` rows, so
    memory follows the distinct triples of the file, not its length."""

    def __init__(self) -> None:
        self._areas: list[np.ndarray] = []
        self._clients: list[pa.Array] = []
        self._rows = 0
        self._merged_rows = 0

    def add(self, areas: np.ndarray, clients: pa.Array) -> None:
        self._areas.append(areas)
        self._clients.append(clients)
        self._rows += len(areas)
        if self._rows - self._merged_rows >= MERGE_AT:
            areas, codes, names = self.distinct()
            self._areas, self._clients = [areas], [names.take(arrow.from_numpy(codes))]
            self._rows = self._merged_rows = len(areas)

    def distinct(self) -> tuple[np.ndarray, np.ndarray, pa.Array]:
        """(provider id * PC4_KEY + PC4, client code, client names) of every distinct triple, sorted."""
        clients = pc.dictionary_encode(pa.concat_arrays(self._clients or [arrow.array([], pa.string())]))
        areas = np.concatenate(self._areas or [np.zeros(0, np.int64)])
        triples = _distinct((areas << 32) | arrow.to_numpy(clients.indices))
        return triples >> 32, triples & _LOW_32, clients.dictionary


def _with_rows(line_counts: np.ndarray, providers: int) -> np.ndarray:
    """The line counts by provider id, with zero rows added for ids seen since."""
    if len(line_counts) >= providers:
        return line_counts
    return np.vstack([line_counts, np.zeros((providers - len(line_counts), _STATES), np.int64)])


def _line_counts(row: np.ndarray) -> dict[str, int]:
    counts = row.tolist()
    return {"read": sum(counts), "valid": sum(counts[:_INVALID]), "used": counts[_USED],
            "other_insurer": counts[_OTHER_INSURER], "other_year": counts[_OTHER_YEAR],
            "kindzorg": counts[_KINDZORG]}


def ratio_from_claims(
    source: Any,
    *,
    year: int,
    provider: str = "existing",
    method: str = "distinct",
    exemption: str | None = None,
    skip_invalid: bool = False,
    strict: bool = False,
    only_provider: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ClaimsRatioReport:
    """The CZ client-per-area ratio from a claim file or DataFrame for policy year `year`.

    Uses the CZ-group claims of year T−2. `method`: `distinct` (default: distinct clients over all
    areas) or `per_area` (a client who moved counts in each area). `strict`: labels on no insurer list
    are an error instead of a reported count. `progress(done_bytes, total_bytes)` is called for CSV.
    """
    if method not in METHODS:
        raise InputError(f"methode {show_value(method)} is onbekend (verwacht distinct of per_area)",
                         field="method", value=method)
    kind = provider_kind(provider)
    exempt = exemption_kind(exemption)
    target_year = claims_year(year)  # PolicyYearError before any reading
    opened = _open(source)
    where, layout = opened.where, opened.layout
    processor = _Processor(layout, target_year, where)

    def work(chunk: _Chunk) -> tuple[int, list[_BatchResult]]:
        return chunk.end, [processor.process(batch) for batch in chunk.load()]

    triples = _Triples()
    line_counts = np.zeros((0, _STATES), np.int64)  # by provider id and line state
    unknown: Counter[str] = Counter()
    invalid_count: Counter[str] = Counter()
    invalid_rows: list[tuple[int, str, str, object]] = []
    row = opened.first_row
    # In file order, so the error raised is about the first invalid line of the file.
    for end, batch_results in _bounded_map(work, opened.chunks):
        for result in batch_results:
            if result.invalid and not skip_invalid:
                index, fieldname, reason, value = result.invalid[0]
                line = opened.line_numbers([row + index])[row + index]
                raise InputError(f"{where}: regel {line}, kolom '{layout.columns[fieldname]}': {reason}",
                                 field=fieldname, row=line, value=value, file=where)
            invalid_rows.extend((row + index, fieldname, reason, value)
                                for index, fieldname, reason, value in result.invalid[: 10 - len(invalid_rows)])
            invalid_count.update(result.invalid_count)
            unknown.update(result.unknown)
            row += result.rows
            line_counts = _with_rows(line_counts, len(processor.providers.names))  # ids new since
            np.add.at(line_counts, result.providers, result.counts)
            triples.add(result.areas, result.clients)
        if progress is not None and opened.size:
            progress(end, opened.size)
    if strict and unknown:
        listed = ", ".join(f"{show_value(v)} ({n} regels)" for v, n in unknown.most_common(10))
        raise InputError(f"{where}: onbekende verzekeraar(s): {listed}. Voeg ze toe aan de lijst of corrigeer "
                         "de declaraties.", field="insurer", value=unknown.most_common(1)[0][0], file=where)

    # Distinct (provider, PC4, client) over the whole file, each client as a code into `client_names`.
    names = processor.providers.names  # every id has its row: each batch's result added its own
    areas, client_codes, client_names = triples.distinct()
    lines = opened.line_numbers([r for r, *_ in invalid_rows])
    examples = tuple(f"regel {lines[r]}, kolom '{layout.columns[f]}': {reason}" for r, f, reason, _ in invalid_rows)

    def build(name: str | None, found: _Areas, counts: dict[str, int]) -> ClaimsRatioReport:
        clients_by_area, mover_map = found
        own_exempt = exempt
        if own_exempt is None and counts["kindzorg"] > counts["used"]:
            own_exempt = "kindzorg"  # most of its CZ care is (medische) kindzorg: bijlage 1, 1.1
        assessment = assess_normalised_counts(
            clients_by_area, year=year, provider=kind, exemption=own_exempt,
            movers=mover_map if method == "distinct" else None,
        )
        return ClaimsRatioReport(
            assessment=assessment, provider=name, claims_year=target_year, method=method,
            lines_read=counts["read"], lines_used=counts["used"], movers=len(mover_map),
            clients_by_area=clients_by_area,
            lines_other_insurers=counts["other_insurer"], lines_other_years=counts["other_year"],
            lines_kindzorg=counts["kindzorg"], source=where,
        )

    per_provider: dict[str, ClaimsRatioReport] = {}
    if layout.has_provider:
        ids = {name: i for i, name in enumerate(names) if name is not None}
        # A "provider" seen only on invalid lines (an empty cell, say) is no provider.
        chosen = sorted(name for name, i in ids.items() if line_counts[i, :_INVALID].any())
        if only_provider is not None:
            if only_provider not in ids:
                raise InputError(f"{where}: zorgaanbieder {show_value(only_provider)} komt niet voor in het bestand",
                                 field="provider", value=only_provider, file=where)
            chosen = [only_provider]
        by_provider = _areas_per_group(areas // PC4_KEY, areas % PC4_KEY, client_codes, client_names)
        for name in chosen:
            i = ids[name]
            per_provider[name] = build(name, by_provider.get(i, ({}, {})), _line_counts(line_counts[i]))
        if only_provider is not None:
            return _with_extras(per_provider[only_provider], unknown, invalid_count, examples, {})
    # The whole file as one provider (e.g. one organisation with several AGB codes).
    pooled = _distinct(((areas % PC4_KEY) << 32) | client_codes)
    whole = _areas_per_group(np.zeros(len(pooled), np.int64), pooled >> 32, pooled & _LOW_32, client_names)
    overall = build(None, whole.get(0, ({}, {})), _line_counts(line_counts.sum(axis=0)))
    return _with_extras(overall, unknown, invalid_count, examples, per_provider)


def _with_extras(report: ClaimsRatioReport, unknown: Counter[str], invalid_count: Counter[str],
                 examples: tuple[str, ...], providers: Mapping[str, ClaimsRatioReport]) -> ClaimsRatioReport:
    from dataclasses import replace

    return replace(report, unknown_insurers=dict(unknown.most_common()), invalid_lines=sum(invalid_count.values()),
                   invalid_reasons=dict(invalid_count), invalid_examples=examples, providers=dict(providers))


_T = TypeVar("_T")
_R = TypeVar("_R")


def _bounded_map(fn: Callable[[_T], _R], items: Iterator[_T]) -> Iterator[_R]:
    """Like ThreadPoolExecutor.map, in order, but with only a few items in flight, so memory stays
    bounded however long the file (Executor.map would read the whole input first)."""
    window = 2 * WORKERS
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
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


__all__ = ["METHODS", "ClaimsRatioReport", "ratio_from_claims"]
