"""Rule 11 from claim files: per provider, the share of its care inside the kernwerkgebied that the user
gives (`read_core_areas`), over the claim lines rule 1 counts (CZ group, the claims year, no kindzorg).

Source: CZ groep, Zorginkoopbeleid wijkverpleging 2027, bijlage 1, § 1.1 Minimumeisen. A provider's care is
measured in euros when the claims have amounts (column `amount`, `bedrag`, `declaratiebedrag`) and every
counted line of that provider has one, else in its claim lines; a line with an empty amount is still a line
of rule 1 (the ratio never needs the amount), one with an unreadable amount is refused as `plafond` refuses it
(with --skip-invalid it counts as one without an amount, so that rule 1's count stays as it is).
A provider whose euros inside or outside add up to less than nothing (credit lines larger than the care they
correct) is measured in lines too: a share of euros is only a share when both parts are care. The report says
which measure and why. `ratio_from_claims(..., core_areas=...)` reads the same lines in the same run
and applies the ratio's exemption `buiten_kernwerkgebied` where most care is outside.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from ..columns import header_key
from ..errors import InputError, show_value
from ..parameters import load_topic
from ..rules.core_area import MAX_LINES, CoreAreas, CoreAreaShare, assess_core_area_share, parse_core_areas
from ..rules.ratio import ratio_policy
from ..table_file import first_line, read_table, refuse_error_cells, table_error
from . import read
from .amounts import AmountReader, Amounts
from .claimset import check_claims_year, check_repeats, lines_text, policy_year_of_claims, repeated_lines
from .lines import FIELDS, INVALID, KINDZORG, OTHER_INSURER, OTHER_YEAR, PC4_KEY, REASON_KEYS, USED, Checked, Reduction
from .memory import release_memory
from .report import share_dict
from .scan import LineAccount, Tallies, refuse_unknown, scan
from .triples import BatchTriples, RatioReduction

MAX_LIST_BYTES = 4 << 20  # a list of every PC4 of the country, one a line, is 50 kB
# Headers that name the column of a kernwerkgebied list, the most specific first (compared as
# `columns.header_key` reads headers); "gebied" alone is not one: it often holds a region's name.
LIST_HEADERS = tuple(header_key(h) for h in ("pc4", "postcode", "postcodes", "postcodegebied", "postcodebereik",
                                             "kernwerkgebied"))


def read_core_areas(path: Path) -> CoreAreas:
    """The kernwerkgebied from a file: a PC4 or a range such as 4800-4899 per line (a .txt or a one-column
    .csv or .xlsx), or a column named postcode or pc4 among others; a line starting with # is a comment.
    InputError naming the line and value."""
    path = Path(path)
    table = [[None if _comment(cell) else cell for cell in row]
             for row in read_table(path, max_bytes=MAX_LIST_BYTES, what="kernwerkgebied", max_rows=MAX_LINES)]
    # "regel" in messages: the line of the file each row starts on (a `sep=` line above the list counted, and
    # in a CSV the line ends inside a quoted field before it), as a text editor numbers them.
    text_lines = path.suffix.lower() in {".csv", ".txt"}
    lines, line = [], first_line(path)
    for row in table:
        lines.append(line)
        line += 1 + (sum(cell.count("\n") for cell in row if isinstance(cell, str)) if text_lines else 0)
    filled = [(number, row) for number, row in zip(lines, table, strict=True)
              if any(c is not None and str(c).strip() for c in row)]
    if not filled:
        raise table_error(path, "het bestand is leeg (verwacht een PC4 of een bereik als 4800-4899 per regel)",
                          field="core_areas")
    header_line, header = filled[0]
    keys = [None if cell is None else header_key(cell) for cell in header]
    named = [i for i, key in enumerate(keys) if key in LIST_HEADERS]
    widths = {sum(1 for c in row if c is not None and str(c).strip()) for _, row in filled}
    if len(named) > 1:  # as claim files: two columns for one thing is a choice the user makes, not the toolkit
        shown = " en ".join(f"'{header[i]}'" for i in named)
        raise table_error(path, f"kopregel: twee kolommen voor het kernwerkgebied ({shown}); laat er één staan",
                          field="core_areas")
    if named:
        column = named[0]
    elif widths == {1}:
        column, header_line = next(i for i, c in enumerate(header) if c is not None and str(c).strip()), 0
    else:
        raise table_error(path, "geen kolom postcode of pc4 (een lijst met één kolom mag zonder kopregel)",
                          field="core_areas")
    # Only the column read: beside a list a lookup that found nothing (#N/A) is none of its business.
    refuse_error_cells(path, table, {column}, header_line + 1 if named else 1, header=bool(named))
    numbered = [(number, row[column] if column < len(row) else None)
                for number, row in zip(lines, table, strict=True) if number != header_line]
    return parse_core_areas(numbered, where=str(path))


def _comment(cell: object) -> bool:
    return isinstance(cell, str) and cell.lstrip().startswith("#")


def core_areas_of(value: CoreAreas | str | Path | Iterable[object]) -> CoreAreas:
    """What a caller gives as the kernwerkgebied: a `CoreAreas`, a file (`read_core_areas`) or the PC4s and
    ranges themselves (`["5611", "4800-4899"]`, numbered from 1 in messages)."""
    if isinstance(value, CoreAreas):
        return value
    if isinstance(value, str | Path):
        return read_core_areas(Path(value))
    if isinstance(value, Iterable) and not isinstance(value, bytes | Mapping):
        return parse_core_areas(list(enumerate(value, start=1)), where="kernwerkgebied")
    raise InputError(f"core_areas: {show_value(value)} is geen kernwerkgebied (verwacht een bestand of een lijst "
                     "van PC4's en bereiken)", field="core_areas", value=value)


def check_core_area_year(year: int) -> None:
    """Rule 11's data must cover the policy year before a claim is read (the ratio's may cover more)."""
    load_topic("cz", "core_area").check_year(year)


@dataclass
class AreaSums:
    """One batch's counted lines per (provider id, PC4): lines, and cents when the batch has amounts."""

    keys: np.ndarray  # provider id * PC4_KEY + PC4, distinct
    lines: np.ndarray
    cents: list[int] | None  # Python ints: no overflow; None when the batch has no amount column
    exact: list[tuple[int, Decimal]]  # (key, value) of amounts that are not whole cents
    # per key: counted lines without a readable amount (empty; with --skip-invalid also unreadable)
    without_amount: np.ndarray | None = None


class CoreAreaReduction(Reduction):
    """The ratio's lines per provider and PC4, with their amounts when the claims have them; with
    `triples`, the ratio's own triples of the same lines too (one reading for both)."""

    fields = ("amount",)

    def __init__(self, claims_year: int, *, triples: bool, skip_invalid: bool = False) -> None:
        self._claims_year = claims_year
        self._refuse_unreadable = not skip_invalid
        self._ratio = RatioReduction(claims_year) if triples else None
        self.amounts = AmountReader()
        self._local = threading.local()

    def claims_year(self) -> int:
        return self._claims_year

    def reason(self, fieldname: str, value: object) -> str:
        return self.amounts.reason(value)

    def check(self, batch: pa.RecordBatch) -> list[tuple[str, np.ndarray]]:
        # An empty amount does not make the line invalid: rule 1 counts it all the same, and its provider's
        # share falls back to counting lines (AreaTotals.share). An amount that is there but unreadable is
        # refused as `plafond` refuses it (the same text, the same refusal); with --skip-invalid it is taken
        # as missing instead of skipping the line, which would change rule 1's count (the ratio never
        # needs the amount: giving a kernwerkgebied must not change who counts).
        if "amount" not in batch.schema.names:
            self._local.amounts = None
            return []
        column = batch.column("amount")
        amounts = self.amounts.read(column)
        if not self._refuse_unreadable:
            self._local.amounts = (amounts, ~amounts.valid)
            return []
        empty = self.amounts.empty(column, amounts)
        self._local.amounts = (amounts, empty)
        return [("amount", ~amounts.valid & ~empty)]

    def reduce(self, batch: pa.RecordBatch, checked: Checked) -> tuple[BatchTriples | None, AreaSums]:
        found: tuple[Amounts, np.ndarray] | None = self._local.amounts
        self._local.amounts = None
        used = np.flatnonzero(checked.state == USED)
        keys, local = np.unique(checked.provider[used] * PC4_KEY + checked.pc4[used], return_inverse=True)
        lines = np.bincount(local, minlength=len(keys)).astype(np.int64)
        cents: list[int] | None = None
        exact: list[tuple[int, Decimal]] = []
        without_amount = None
        if found is not None:
            amounts, empty = found
            without_amount = np.bincount(local[empty[used]], minlength=len(keys)).astype(np.int64)
            sums = np.zeros(len(keys), object)
            np.add.at(sums, local, amounts.cents[used].astype(object))
            cents = [int(c) for c in sums]
            position = {int(row): i for i, row in enumerate(used.tolist())}
            exact = [(int(keys[local[position[row]]]), value) for row, value in amounts.exact.items()
                     if row in position]
        sums_of_batch = AreaSums(keys, lines, cents, exact, without_amount)
        return (self._ratio.reduce(batch, checked) if self._ratio else None), sums_of_batch


class AreaTotals:
    """Every batch's `AreaSums` added up, per (provider id, PC4)."""

    def __init__(self) -> None:
        self.lines: dict[int, int] = {}
        self.cents: dict[int, int] = {}
        self.exact: dict[int, Decimal] = {}
        self.all_amounts = True  # every batch had an amount column
        self.without_amount: dict[int, int] = {}  # per key: counted lines without a readable amount

    def add(self, sums: AreaSums) -> None:
        for key, lines in zip(sums.keys.tolist(), sums.lines.tolist(), strict=True):
            self.lines[key] = self.lines.get(key, 0) + lines
        if sums.cents is None or sums.without_amount is None:
            self.all_amounts = False
            return
        for key, missing in zip(sums.keys.tolist(), sums.without_amount.tolist(), strict=True):
            if missing:
                self.without_amount[key] = self.without_amount.get(key, 0) + missing
        for key, cents in zip(sums.keys.tolist(), sums.cents, strict=True):
            self.cents[key] = self.cents.get(key, 0) + cents
        for key, value in sums.exact:
            self.exact[key] = self.exact.get(key, Decimal(0)) + value

    def share(self, provider_ids: list[int], areas: CoreAreas, year: int) -> CoreAreaShare:
        """The share inside for the providers `provider_ids` together: in euros when the claims have amounts
        and every counted line of these providers has one, else in lines (see the module's docstring)."""
        wanted = set(provider_ids)
        keys = [key for key in self.lines if key // PC4_KEY in wanted]
        without_amount = sum(self.without_amount.get(key, 0) for key in keys)
        if not self.all_amounts or without_amount or not self.lines:
            note = "" if not without_amount else (
                f"geteld in declaratieregels: {lines_text(without_amount)} zonder leesbaar bedrag")
            return _noted(self._assess(keys, areas, year, "regels"), note)
        euros = self._assess(keys, areas, year, "bedrag")
        if euros.inside >= 0 and euros.total - euros.inside >= 0 and (euros.total > 0 or not keys):
            return euros
        return _noted(self._assess(keys, areas, year, "regels"),
                      "geteld in declaratieregels: de bedragen binnen of buiten het kernwerkgebied zijn per saldo "
                      "nul of negatief (creditregels)")

    def _assess(self, keys: list[int], areas: CoreAreas, year: int, measure: str) -> CoreAreaShare:
        inside = total = Decimal(0)
        for key in keys:
            care = self._care(key) if measure == "bedrag" else Decimal(self.lines[key])
            total += care
            if key % PC4_KEY in areas:
                inside += care
        return assess_core_area_share(inside, total, measure=measure, year=year)

    def _care(self, key: int) -> Decimal:
        return Decimal(self.cents.get(key, 0)).scaleb(-2) + self.exact.get(key, Decimal(0))


def _noted(share: CoreAreaShare, note: str) -> CoreAreaShare:
    return replace(share, reason=f"{share.reason}; {note}", note=note) if note else share


def provider_shares(tallies: Tallies, totals: AreaTotals, areas: CoreAreas, year: int) -> dict[int, CoreAreaShare]:
    """The share of every provider id with a name (the pooled claim set under key -1)."""
    shares = {i: totals.share([i], areas, year) for i, name in enumerate(tallies.provider_names) if name is not None}
    shares[-1] = totals.share(list(range(len(tallies.provider_names))), areas, year)
    return shares


@dataclass(frozen=True)
class CoreAreaReport(LineAccount):
    """One provider's share of care inside the kernwerkgebied (or the whole claim set's), with what was read.
    The share's fields (`share_inside`, `measure`, `majority_outside`, …) are readable on the report."""

    share: CoreAreaShare
    provider: str | None
    claims_year: int
    lines_read: int
    lines_used: int
    providers: Mapping[str, CoreAreaReport] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or name == "share":
            raise AttributeError(name)
        return getattr(self.share, name)

    def to_dict(self) -> dict[str, Any]:
        return {"provider": self.provider, "claims_year": self.claims_year, **share_dict(self.share),
                "lines_read": self.lines_read, "lines_used": self.lines_used}


def core_area_share_from_claims(
    source: Any,
    core_areas: CoreAreas | str | Path | Iterable[object],
    *,
    year: int | None = None,
    skip_invalid: bool = False,
    strict: bool = False,
    only_provider: str | None = None,
    recursive: bool = False,
    repeated: str = "ignore",
    progress: Callable[[int, int], None] | None = None,
) -> CoreAreaReport:
    """Per provider, the share of its care inside the kernwerkgebied (`core_areas`: a `CoreAreas`, a file as
    `read_core_areas` reads it, or the PC4s and ranges themselves), over the lines rule 1 counts: CZ group,
    the claims year of policy year `year` (T−2), no kindzorg. `source` and the options as for `ratio_from_claims`."""
    policy = ratio_policy(year)
    check_core_area_year(policy.year)
    areas = core_areas_of(core_areas)
    repeats_policy = repeated_lines(repeated)
    claim_set = read.claim_files(source, recursive=recursive)
    reduction = CoreAreaReduction(policy.claims_year, triples=False, skip_invalid=skip_invalid)
    totals = AreaTotals()
    tallies = scan(claim_set, reduction, wanted=tuple(read.COLUMN_ALIASES), required=read.REQUIRED,
                   skip_invalid=skip_invalid, keep=lambda kept: totals.add(kept[1]), progress=progress)
    year_warning = check_claims_year(tallies.years, policy_year=policy.year, claims_year=policy.claims_year,
                                     context=f"het declaratiejaar bij beleidsjaar {policy.year}",
                                     files=len(tallies.sources), propose=policy_year_of_claims(policy))
    check_repeats(tallies.repeated, repeats_policy, reduction.repeat_fields)
    refuse_unknown(tallies, strict)
    release_memory()
    shares = provider_shares(tallies, totals, areas, policy.year)

    def report(name: str | None, ids: list[int], share: CoreAreaShare, unknown: Any) -> CoreAreaReport:
        counts = tallies.counts[ids].sum(axis=0).tolist() if ids else [0] * tallies.counts.shape[1]
        reasons = tallies.reasons[ids].sum(axis=0) if ids else np.zeros(len(FIELDS), np.int64)
        return CoreAreaReport(
            share=share, provider=name, claims_year=policy.claims_year, lines_read=sum(counts),
            lines_used=counts[USED], lines_other_insurers=counts[OTHER_INSURER],
            lines_other_years=counts[OTHER_YEAR], lines_kindzorg=counts[KINDZORG],
            unknown_insurers=dict(unknown.most_common()), invalid_lines=counts[INVALID],
            invalid_reasons={REASON_KEYS[FIELDS[i]]: int(reasons[i]) for i in np.flatnonzero(reasons)},
            source=tallies.where, sources=tuple(tallies.sources), files_skipped=tallies.skipped,
            file_notes=tallies.notes, year_warning=year_warning, repeated=tallies.repeated)

    whole = report(None, list(range(len(tallies.counts))), shares[-1], tallies.unknown_total())
    i = tallies.chosen(only_provider)
    if only_provider is not None and i is not None:
        return replace(report(only_provider, [i], shares[i], tallies.unknown.get(i, Counter())),
                       invalid_examples=tuple(tallies.examples))
    if not tallies.has_provider:
        return replace(whole, invalid_examples=tuple(tallies.examples))
    by_name = tallies.providers()
    providers = {name: report(name, [i], shares[i], tallies.unknown.get(i, Counter()))
                 for name, i in sorted(by_name.items(), key=lambda item: str(item[0]))}
    return replace(whole, invalid_examples=tuple(tallies.examples), providers=providers)


__all__ = ["AreaTotals", "CoreAreaReduction", "CoreAreaReport", "core_area_share_from_claims", "core_areas_of",
           "provider_shares", "read_core_areas"]
