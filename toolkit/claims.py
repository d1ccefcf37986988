"""Reading claim files (declaratiedata) and computing the CZ client-per-area ratio from them.

Source of the rule: 002_3d2709293215211c.txt, 2.3.2 "Versnippering" (ratio from the claims of T−2)
and bijlage 1, 1.1. Which labels belong to CZ groep: `parameters/data/market/insurers.yaml`.

Files: CSV (`;`, `,` or tab, UTF-8 with or without BOM), xlsx (first sheet) and Parquet, or a pandas
DataFrame. Columns are matched case-insensitively with the Dutch aliases of INTERFACES.md.

Speed and memory: a CSV is read in byte ranges of `CHUNK_BYTES` split at line ends, each parsed by
pyarrow's multi-threaded reader; every batch is validated and reduced to its distinct
(provider, PC4, client) triples in a thread pool (Arrow kernels release the GIL). Memory therefore
stays bounded by the chunk size and the number of distinct triples, not by the file size.

Every line is validated, not only the CZ lines of the claims year: a broken line anywhere means a
broken export. Invalid lines raise `InputError` naming file, line, column and value, or with
`skip_invalid=True` are counted per reason and reported, never silently dropped.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import re
from collections import Counter, deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

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

CHUNK_BYTES = 64 << 20  # bytes of CSV parsed at a time: bounds memory, keeps both cores busy
BLOCK_BYTES = 8 << 20  # pyarrow block: a single line may be up to this long
MAX_ID_LENGTH = 128  # client ids are pseudonyms or hashes; far longer values are a broken export
MAX_TEXT_LENGTH = 200
_MAX_TEXT = pa.scalar(MAX_TEXT_LENGTH, pa.int32())
WORKERS = max(1, min(4, os.cpu_count() or 1))
PROGRESS_MIN_BYTES = 50 << 20  # about a million claim lines

# Fast path: the common spellings of a valid postcode. Values that fail it are checked exactly by
# `toolkit.postcode` (which also accepts stray white space); the fast path never accepts an invalid one.
_FAST_POSTCODE = r"^[1-9][0-9]{3}(?: ?[A-Za-z]{2})?$"
_KINDZORG = re.compile(r"kindzorg", re.IGNORECASE)
_DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%Y%m%d", "%Y/%m/%d", "%d.%m.%Y")

INSURER_CZ, INSURER_OTHER, INSURER_UNKNOWN = 0, 1, 2
# Comparison scalars typed like the arrays they meet: a plain Python int would make Arrow cast the
# whole array to int64 first (measured: about a quarter of the validation time on 5M lines).
_I8 = {k: pa.scalar(k, pa.int8()) for k in (-1, INSURER_CZ, INSURER_OTHER, INSURER_UNKNOWN)}
_I32_0, _I32_4 = pa.scalar(0, pa.int32()), pa.scalar(4, pa.int32())
_MAX_ID = pa.scalar(MAX_ID_LENGTH, pa.int32())
_YEAR_MIN, _YEAR_MAX = pa.scalar(1900, pa.int16()), pa.scalar(2100, pa.int16())
# Line counts kept per provider; "read" is every line, the others count valid lines only.
_COUNTS = ("read", "valid", "used", "other_insurer", "other_year", "kindzorg")


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
    """The array dictionary-encoded (the CSV reader already does it for low-cardinality columns)."""
    if pa.types.is_dictionary(array.type):
        return array
    return pc.dictionary_encode(array)


def _pc4_or_none(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return to_pc4(value)
    except InputError:
        return None


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


@dataclass
class _BatchResult:
    triples: pa.Table  # provider, pc4 (int16), client — distinct, used lines only
    per_provider: dict[str | None, np.ndarray]  # provider -> line counts in _COUNTS order
    unknown: Counter[str]
    invalid: list[tuple[int, str, str, object]]  # (row, field, reason, value), first few
    invalid_count: Counter[str]


class _Processor:
    """Validates a batch of claim lines and reduces it to distinct triples; thread-safe enough for
    the pool (the caches only ever gain identical entries)."""

    def __init__(self, layout: _Layout, claims_year: int, source: str, skip_invalid: bool) -> None:
        self.layout = layout
        self._claims_year = pa.scalar(claims_year, pa.int16())  # typed like the years array
        self.source = source
        self.skip_invalid = skip_invalid
        self.insurers = _InsurerClassifier()
        self._years: dict[str, int] = {}
        self._kindzorg: dict[str, bool] = {}

    def column(self, batch: pa.RecordBatch, canonical: str) -> pa.Array:
        return batch.column(self.layout.columns[canonical])

    def _lookup(self, array: pa.Array, fn: Callable[[Any], Any], arrow_type: pa.DataType) -> pa.Array:
        """Apply a Python function to the distinct values only, then spread back to the rows."""
        encoded = _dictionary(array)
        mapped = pa.array([fn(v) for v in encoded.dictionary.to_pylist()], type=arrow_type)
        return pc.take(mapped, encoded.indices)

    def _years_of(self, array: pa.Array) -> pa.Array:
        if pa.types.is_date(array.type) or pa.types.is_timestamp(array.type):
            return pc.fill_null(pc.cast(pc.year(array), pa.int16()), -1)

        def year(value: str | None) -> int:
            if value is None:
                return -1
            cached = self._years.get(value)
            if cached is None:
                cached = self._years[value] = _parse_year(value)
            return cached

        return self._lookup(array, year, pa.int16())

    def _postcodes(self, postcode: pa.Array) -> tuple[pa.Array, pa.Array]:
        """(text whose first 4 characters are the PC4, mask of invalid postcodes).

        Three tiers, cheapest first; a tier only sees what the previous one could not accept:
        4 ASCII digits not starting with 0; the usual `1234 AB`/`1234ab` (regex); anything else
        through `toolkit.postcode.to_pc4`, once per distinct value.
        """
        simple = pc.fill_null(pc.and_(
            pc.and_(pc.equal(pc.binary_length(postcode), _I32_4), pc.ascii_is_decimal(postcode)),
            pc.invert(pc.starts_with(postcode, "0"))), False)
        if pc.all(simple).as_py():
            return postcode, pc.invert(simple)
        others = pc.invert(simple)
        rest = postcode.filter(others)
        fast = pc.fill_null(pc.match_substring_regex(rest, _FAST_POSTCODE), False)
        if pc.all(fast).as_py():
            # `1234 AB` and `1234ab` start with their PC4 already: only the mask needs the rest's verdict.
            return postcode, pc.replace_with_mask(others, others, pc.invert(fast))
        slow = pc.invert(fast)
        mapped = self._lookup(rest.filter(slow), _pc4_or_none, pa.string())
        rest = pc.replace_with_mask(rest, slow, mapped)
        return (pc.replace_with_mask(postcode, others, pc.fill_null(rest, "")),
                pc.replace_with_mask(others, others, pc.is_null(rest)))

    def process(self, batch: pa.RecordBatch, first_row: int) -> _BatchResult:
        n = batch.num_rows
        checks: list[tuple[str, pa.Array]] = []  # (field, mask of invalid rows), in column order

        client = self.column(batch, "client_id")
        client_bytes = pc.binary_length(client)
        checks.append(("client_id", pc.fill_null(pc.or_(
            pc.or_(pc.equal(client_bytes, _I32_0), pc.greater(client_bytes, _MAX_ID)),
            pc.utf8_is_space(client)), True)))

        postcode = self.column(batch, "postcode")
        pc4_text, bad_postcode = self._postcodes(postcode)
        checks.append(("postcode", bad_postcode))

        insurer = _dictionary(self.column(batch, "insurer"))
        insurer_kind = self._lookup(insurer, self._classify_insurer, pa.int8())
        checks.append(("insurer", pc.equal(insurer_kind, _I8[-1])))

        years = self._years_of(self.column(batch, "date"))
        checks.append(("date", pc.or_(pc.less(years, _YEAR_MIN), pc.greater(years, _YEAR_MAX))))

        if self.layout.has_provider:
            provider = _dictionary(self.column(batch, "provider"))
            provider_bytes = self._lookup(provider, lambda v: -1 if v is None else len(v.encode()), pa.int32())
            checks.append(("provider", pc.fill_null(pc.or_(
                pc.equal(provider_bytes, _I32_0), pc.greater(provider_bytes, _MAX_TEXT)), True)))
        else:
            provider = pa.DictionaryArray.from_arrays(pa.array(np.zeros(n, np.int32)), pa.array([""]))

        if "care_type" in self.layout.columns:
            care_type = _dictionary(self.column(batch, "care_type"))
            care_bytes = self._lookup(care_type, lambda v: 0 if v is None else len(v.encode()), pa.int32())
            checks.append(("care_type", pc.greater(care_bytes, _MAX_TEXT)))

        invalid = checks[0][1]
        for _, mask in checks[1:]:
            invalid = pc.or_(invalid, mask)
        invalid_rows: list[tuple[int, str, str, object]] = []
        invalid_count: Counter[str] = Counter()
        if pc.any(invalid).as_py():
            invalid_rows, invalid_count = self._describe_invalid(batch, checks, first_row)
            if not self.skip_invalid:
                row, fieldname, reason, value = invalid_rows[0]
                raise InputError(
                    f"{self.source}: regel {row}, kolom '{self.layout.columns[fieldname]}': {reason}",
                    field=fieldname, row=row, value=value, file=self.source,
                )
        valid = pc.invert(invalid)

        is_cz = pc.equal(insurer_kind, _I8[INSURER_CZ])
        in_year = pc.equal(years, self._claims_year)
        cz_year = pc.and_(pc.and_(valid, is_cz), in_year)
        if "care_type" in self.layout.columns:
            care = self._lookup(care_type, self._is_kindzorg, pa.bool_())
            kindzorg = pc.and_(cz_year, pc.fill_null(care, False))
            used = pc.and_(cz_year, pc.invert(kindzorg))
        else:
            kindzorg = pc.and_(cz_year, False)
            used = cz_year

        unknown: Counter[str] = Counter()
        unknown_mask = pc.and_(valid, pc.equal(insurer_kind, _I8[INSURER_UNKNOWN]))
        if pc.any(unknown_mask).as_py():
            counts = pc.value_counts(insurer.filter(unknown_mask))
            unknown.update({str(v["values"]): int(v["counts"]) for v in counts.to_pylist()})

        # Line counts per provider: bincount over the dictionary indices (no hashing needed).
        codes = provider.indices.to_numpy(zero_copy_only=False)
        size = len(provider.dictionary)
        columns = [np.bincount(codes, minlength=size)]
        # other_insurer: known other insurers; unknown labels are counted in `unknown` by value.
        for mask in (valid, used, pc.and_(valid, pc.equal(insurer_kind, _I8[INSURER_OTHER])),
                     pc.and_(pc.and_(valid, is_cz), pc.invert(in_year)), kindzorg):
            columns.append(np.bincount(codes, weights=mask.to_numpy(zero_copy_only=False), minlength=size))
        matrix = np.stack(columns, axis=1).astype(np.int64)
        per_provider = {name: matrix[i] for i, name in enumerate(provider.dictionary.to_pylist())}

        used_provider = provider.filter(used)
        triples = pa.table({
            "provider": used_provider.dictionary.take(used_provider.indices),
            "pc4": pc.cast(pc.utf8_slice_codeunits(pc4_text.filter(used), 0, 4), pa.int16()),
            "client": client.filter(used),
        }).group_by(["provider", "pc4", "client"]).aggregate([])
        return _BatchResult(triples, per_provider, unknown, invalid_rows, invalid_count)

    def _classify_insurer(self, value: str | None) -> int:
        if value is None or not value.strip() or len(value) > MAX_TEXT_LENGTH:
            return -1
        return self.insurers.classify(value)

    def _is_kindzorg(self, value: str | None) -> bool:
        if value is None:
            return False
        cached = self._kindzorg.get(value)
        if cached is None:
            cached = self._kindzorg[value] = bool(_KINDZORG.search(value))
        return cached

    def _describe_invalid(
        self, batch: pa.RecordBatch, checks: list[tuple[str, pa.Array]], first_row: int
    ) -> tuple[list[tuple[int, str, str, object]], Counter[str]]:
        """The invalid rows of a batch with a Dutch reason each (slow path: only on invalid input)."""
        rows: list[tuple[int, str, str, object]] = []
        count: Counter[str] = Counter()
        seen: set[int] = set()
        for fieldname, mask in checks:
            indices = pc.indices_nonzero(mask).to_pylist()
            if not indices:
                continue
            values = self.column(batch, fieldname)
            reason_key = _REASON_KEYS[fieldname]
            for index in indices:
                if index in seen:
                    continue  # one reason per line: the first failing field
                seen.add(index)
                count[reason_key] += 1
                if len(rows) < 20:
                    value = values[index].as_py()
                    rows.append((first_row + index, fieldname, _reason_text(fieldname, value), value))
        rows.sort()
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
    if fieldname == "postcode":
        return (f"postcode {shown} is geen geldige PC4 (verwacht 4 cijfers, niet beginnend met 0, "
                "eventueel gevolgd door 2 letters)")
    if fieldname == "insurer":
        if value is None or not str(value).strip():
            return "verzekeraar ontbreekt"
        return f"verzekeraar {shown} is langer dan {MAX_TEXT_LENGTH} tekens"
    if fieldname == "date":
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
    best: tuple[int, str] = (0, ";")
    for delimiter in (";", ",", "\t"):
        fields = next(csv.reader([header_text], delimiter=delimiter))
        if len(fields) > best[0]:
            best = (len(fields), delimiter)
    delimiter = best[1]
    header = tuple(next(csv.reader([header_text], delimiter=delimiter)))
    return _CsvDialect(delimiter, header, end + 1)


def _csv_chunks(path: Path, start: int) -> Iterator[tuple[pa.Buffer, int]]:
    """Buffers of whole lines, about CHUNK_BYTES each, with the file offset at which they end.

    One buffer is reused for the whole file (pyarrow's CSV reader copies every value out of its
    input), so memory does not grow with the file. A memory map would: each page read stays resident.
    """
    buffer = bytearray(CHUNK_BYTES)
    carried = 0  # the start of an unfinished line, moved to the front of the buffer
    with path.open("rb", buffering=0) as handle:
        handle.seek(start)
        while True:
            with memoryview(buffer) as view:
                read = handle.readinto(view[carried:]) or 0
            filled = carried + read
            if filled == 0:
                return
            if read == 0:
                cut = filled  # end of file: the last line has no line end
            else:
                cut = buffer.rfind(b"\n", 0, filled) + 1
                if cut == 0:  # one line longer than the buffer: make room and read on
                    buffer = buffer + bytes(len(buffer))
                    carried = filled
                    continue
            yield pa.py_buffer(buffer).slice(0, cut), handle.tell() - (filled - cut)
            buffer[: filled - cut] = buffer[cut:filled]
            carried = filled - cut


def _locate_csv_problem(path: Path, dialect: _CsvDialect) -> InputError:
    """Slow path after pyarrow refused a chunk: find the first line that is not well formed."""
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
            fields = next(csv.reader([text.rstrip("\r\n")], delimiter=dialect.delimiter))
            if len(fields) != expected:
                return InputError(
                    f"{path}: regel {number} heeft {len(fields)} velden, de kopregel {expected} "
                    f"(scheidingsteken '{dialect.delimiter}'): {show_value(text.strip())}",
                    row=number, file=str(path), value=text.strip())
    return InputError(f"{path}: het CSV-bestand kan niet worden gelezen", file=str(path))


def _read_csv(path: Path, layout_cb: Callable[[_Layout], None],
              progress: Callable[[int, int], None] | None) -> Iterator[tuple[pa.RecordBatch, int]]:
    import pyarrow.csv as pacsv

    dialect = _sniff_csv(path)
    layout = _resolve_columns(dialect.header, str(path))
    layout_cb(layout)
    wanted = list(dict.fromkeys(layout.columns.values()))
    total = path.stat().st_size
    read_options = pacsv.ReadOptions(column_names=list(dialect.header), block_size=BLOCK_BYTES)
    parse_options = pacsv.ParseOptions(delimiter=dialect.delimiter)
    # Low-cardinality columns arrive dictionary-encoded, built by the parallel parser: the validation
    # then looks at each distinct provider, insurer and date once.
    dictionary = pa.dictionary(pa.int32(), pa.string())
    by_dictionary = {layout.columns[c] for c in ("provider", "insurer", "date", "care_type") if c in layout.columns}
    convert_options = pacsv.ConvertOptions(
        include_columns=wanted,
        column_types={name: dictionary if name in by_dictionary else pa.string() for name in wanted},
        strings_can_be_null=False,
        quoted_strings_can_be_null=False,
    )
    row = 2  # line 1 is the header
    for data, offset in _csv_chunks(path, dialect.header_bytes):
        try:
            table = pacsv.read_csv(pa.BufferReader(data), read_options=read_options,
                                   parse_options=parse_options, convert_options=convert_options)
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            raise _locate_csv_problem(path, dialect) from None
        for batch in table.to_batches():
            yield batch, row
            row += batch.num_rows
        if progress is not None:
            progress(offset, total)


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


def _read_table_batches(table: pa.Table, where: str, layout_cb: Callable[[_Layout], None],
                        first_row: int) -> Iterator[tuple[pa.RecordBatch, int]]:
    layout = _resolve_columns(table.column_names, where)
    layout_cb(layout)
    table = table.select(list(dict.fromkeys(layout.columns.values())))
    row = first_row
    for batch in table.to_batches(max_chunksize=1 << 20):
        yield _normalise_batch(batch, layout), row
        row += batch.num_rows


def _read_parquet(path: Path, layout_cb: Callable[[_Layout], None]) -> Iterator[tuple[pa.RecordBatch, int]]:
    import pyarrow.parquet as pq

    try:
        handle = pq.ParquetFile(path)
    except (pa.ArrowInvalid, OSError) as exc:
        raise InputError(f"{path}: geen geldig Parquet-bestand ({exc})", file=str(path)) from None
    layout = _resolve_columns(handle.schema_arrow.names, str(path))
    layout_cb(layout)
    row = 1  # Parquet has no header line: row numbers count from 1
    for batch in handle.iter_batches(batch_size=1 << 20, columns=list(dict.fromkeys(layout.columns.values()))):
        yield _normalise_batch(batch, layout), row
        row += batch.num_rows


def _read_xlsx(path: Path, layout_cb: Callable[[_Layout], None]) -> Iterator[tuple[pa.RecordBatch, int]]:
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
    layout_cb(layout)
    positions = {name: header.index(name) for name in dict.fromkeys(layout.columns.values())}
    chunk: dict[str, list[Any]] = {name: [] for name in positions}
    first = header_row + 1
    row = first

    def flush() -> pa.RecordBatch:
        arrays = []
        for name in positions:
            values = chunk[name]
            if all(isinstance(v, dt.date) or v in (None, "") for v in values) and any(values):
                arrays.append(pa.array([v if isinstance(v, dt.date) else None for v in values]))
            else:
                arrays.append(pa.array([_cell_text(v) for v in values], pa.string()))
        return _normalise_batch(pa.RecordBatch.from_arrays(arrays, names=list(positions)), layout)

    for values in rows:
        for name, position in positions.items():
            chunk[name].append(values[position] if position < len(values) else None)
        row += 1
        if row - first >= 200_000:
            yield flush(), first
            first = row
            chunk = {name: [] for name in positions}
    if row > first:  # rows read since the last flush
        yield flush(), first


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


def _batches(source: Any, layout_cb: Callable[[_Layout], None],
             progress: Callable[[int, int], None] | None) -> tuple[str, Iterator[tuple[pa.RecordBatch, int]]]:
    if hasattr(source, "to_pandas") and isinstance(source, pa.Table):
        return "tabel", _read_table_batches(source, "tabel", layout_cb, 1)
    if type(source).__name__ == "DataFrame":
        table = pa.Table.from_pandas(source, preserve_index=False)
        return "DataFrame", _read_table_batches(table, "DataFrame", layout_cb, 1)
    if not isinstance(source, str | os.PathLike):
        raise InputError(
            f"bron {show_value(type(source).__name__)} wordt niet ondersteund (verwacht een pad naar csv, xlsx of "
            "parquet, of een DataFrame)", field="source", value=type(source).__name__)
    path = Path(source)
    if not path.is_file():
        raise InputError(f"{path}: bestand bestaat niet", file=str(path), value=str(path))
    suffix = path.suffix.lower()
    if suffix in {".csv", ".txt", ".tsv"}:
        return str(path), _read_csv(path, layout_cb, progress)
    if suffix in {".xlsx", ".xlsm"}:
        return str(path), _read_xlsx(path, layout_cb)
    if suffix in {".parquet", ".pq"}:
        return str(path), _read_parquet(path, layout_cb)
    raise InputError(f"{path}: bestandstype '{suffix}' wordt niet ondersteund (csv, xlsx of parquet)",
                     file=str(path), value=suffix)


# --------------------------------------------------------------------------- assembling reports


# clients per PC4 area, and the areas of every client with claims in more than one area
_Areas = tuple[dict[str, int], dict[str, list[str]]]


def _areas_per_group(triples: pa.Table) -> dict[str, _Areas]:
    """Per provider: distinct clients per PC4 and the movers, from distinct (provider, pc4, client).

    The provider column must not hold nulls: a join never matches null keys.
    """
    result: dict[str, _Areas] = {}
    by_area = triples.group_by(["provider", "pc4"]).aggregate([([], "count_all")]).sort_by(
        [("provider", "ascending"), ("pc4", "ascending")])
    for provider, area, count in zip(by_area["provider"].to_pylist(), by_area["pc4"].to_pylist(),
                                     by_area["count_all"].to_pylist(), strict=True):
        result.setdefault(provider, ({}, {}))[0][f"{area:04d}"] = count
    per_client = triples.group_by(["provider", "client"]).aggregate([([], "count_all")])
    movers = per_client.filter(pc.greater(per_client["count_all"], 1)).select(["provider", "client"])
    if movers.num_rows:
        rows = triples.join(movers, keys=["provider", "client"], join_type="inner")
        for provider, client, area in zip(rows["provider"].to_pylist(), rows["client"].to_pylist(),
                                          rows["pc4"].to_pylist(), strict=True):
            result.setdefault(provider, ({}, {}))[1].setdefault(client, []).append(f"{area:04d}")
    return result


def _empty_triples() -> pa.Table:
    return pa.table({"provider": pa.array([], pa.string()), "pc4": pa.array([], pa.int16()),
                     "client": pa.array([], pa.string())})


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
    layouts: list[_Layout] = []
    where, batches = _batches(source, layouts.append, progress)

    results: list[_BatchResult] = []
    processor: _Processor | None = None

    def work(item: tuple[pa.RecordBatch, int]) -> _BatchResult:
        assert processor is not None
        return processor.process(*item)

    first = next(batches, None)
    if first is None:
        if not layouts:
            raise InputError(f"{where}: geen gegevens gevonden", file=where)
        batch_iter: Iterator[tuple[pa.RecordBatch, int]] = iter(())
    else:
        batch_iter = _chain(first, batches)
    processor = _Processor(layouts[0], target_year, where, skip_invalid)
    results.extend(_bounded_map(work, batch_iter))

    unknown: Counter[str] = Counter()
    invalid_count: Counter[str] = Counter()
    invalid_rows: list[tuple[int, str, str, object]] = []
    for result in results:
        unknown.update(result.unknown)
        invalid_count.update(result.invalid_count)
        invalid_rows.extend(result.invalid[: max(0, 10 - len(invalid_rows))])
    if strict and unknown:
        listed = ", ".join(f"{show_value(v)} ({n} regels)" for v, n in unknown.most_common(10))
        raise InputError(f"{where}: onbekende verzekeraar(s): {listed}. Voeg ze toe aan de lijst of corrigeer "
                         "de declaraties.", field="insurer", value=unknown.most_common(1)[0][0], file=where)

    triples = pa.concat_tables([r.triples for r in results] or [_empty_triples()])
    triples = triples.group_by(["provider", "pc4", "client"]).aggregate([])
    examples = tuple(f"regel {row}, kolom '{processor.layout.columns[f]}': {reason}"
                     for row, f, reason, _ in invalid_rows)

    def build(name: str | None, areas: _Areas, line_counts: dict[str, int]) -> ClaimsRatioReport:
        clients_by_area, mover_map = areas
        own_exempt = exempt
        if own_exempt is None and line_counts["kindzorg"] > line_counts["used"]:
            own_exempt = "kindzorg"  # most of its CZ care is (medische) kindzorg: bijlage 1, 1.1
        assessment = assess_normalised_counts(
            clients_by_area, year=year, provider=kind, exemption=own_exempt,
            movers=mover_map if method == "distinct" else None,
        )
        return ClaimsRatioReport(
            assessment=assessment, provider=name, claims_year=target_year, method=method,
            lines_read=line_counts["read"], lines_used=line_counts["used"], movers=len(mover_map),
            clients_by_area=clients_by_area,
            lines_other_insurers=line_counts["other_insurer"], lines_other_years=line_counts["other_year"],
            lines_kindzorg=line_counts["kindzorg"], source=where,
        )

    sums: dict[str | None, np.ndarray] = {}
    for result in results:
        for name, row in result.per_provider.items():
            sums[name] = sums[name] + row if name in sums else row.copy()
    totals = {(name or None): dict(zip(_COUNTS, map(int, row), strict=True)) for name, row in sums.items()}
    grand = dict.fromkeys(_COUNTS, 0)
    for line_counts in totals.values():
        for key, n in line_counts.items():
            grand[key] += n
    invalid_total = sum(invalid_count.values())

    per_provider: dict[str, ClaimsRatioReport] = {}
    if processor.layout.has_provider:
        # A "provider" seen only on invalid lines (an empty cell, say) is no provider.
        names = sorted(name for name, c in totals.items() if name is not None and c["valid"])
        if only_provider is not None:
            if only_provider not in totals:
                raise InputError(f"{where}: zorgaanbieder {show_value(only_provider)} komt niet voor in het bestand",
                                 field="provider", value=only_provider, file=where)
            names = [only_provider]
        areas_by_provider = _areas_per_group(triples)
        for name in names:
            per_provider[name] = build(name, areas_by_provider.get(name, ({}, {})), totals[name])
        if only_provider is not None:
            return _with_extras(per_provider[only_provider], unknown, invalid_total, invalid_count, examples, {})
    # The whole file as one provider (e.g. one organisation with several AGB codes).
    pooled = triples.group_by(["pc4", "client"]).aggregate([])
    pooled = pooled.append_column("provider", pc.fill_null(pa.nulls(pooled.num_rows, pa.string()), ""))
    overall = build(None, _areas_per_group(pooled).get("", ({}, {})), grand)
    return _with_extras(overall, unknown, invalid_total, invalid_count, examples, per_provider)


def _with_extras(report: ClaimsRatioReport, unknown: Counter[str], invalid_total: int,
                 invalid_count: Counter[str], examples: tuple[str, ...],
                 providers: Mapping[str, ClaimsRatioReport]) -> ClaimsRatioReport:
    from dataclasses import replace

    return replace(report, unknown_insurers=dict(unknown.most_common()), invalid_lines=invalid_total,
                   invalid_reasons=dict(invalid_count), invalid_examples=examples, providers=dict(providers))


def _bounded_map(fn: Callable[[Any], _BatchResult], items: Iterator[Any]) -> Iterator[_BatchResult]:
    """Like ThreadPoolExecutor.map, in order, but with only a few batches in flight, so memory stays
    bounded however long the file (Executor.map would read the whole input first)."""
    window = 2 * WORKERS
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        pending: deque[Future[_BatchResult]] = deque()
        try:
            for item in items:
                pending.append(pool.submit(fn, item))
                if len(pending) >= window:
                    # In order: the first error raised is the first invalid line of the file.
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            for future in pending:
                future.cancel()


def _chain(first: tuple[pa.RecordBatch, int],
           rest: Iterator[tuple[pa.RecordBatch, int]]) -> Iterator[tuple[pa.RecordBatch, int]]:
    yield first
    yield from rest


__all__ = ["METHODS", "ClaimsRatioReport", "ratio_from_claims"]
