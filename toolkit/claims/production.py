"""Rule 5 from claims: the CZ-group production per calendar month of a policy year, per provider.

Source: CZ groep, Zorginkoopbeleid wijkverpleging 2027, § 2.3.3 (omzetplafond) and § 3.2.4; SPEC rule 5,
"Claims as input": the production of month m is the sum of the amounts of CZ-group claim lines (rule
1's insurer matching) dated in month m of the policy year itself; kindzorg lines count.

The same reading and validation as the ratio (`scan.scan`), plus the amount column (`amount`,
`bedrag`, `declaratiebedrag`), required here only. Sums are exact: whole cents as integers, other
values as `Decimal`, rounded half up to cents only at the end.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import numpy as np
import pyarrow as pa

from ..parameters import policy_year
from . import read
from .amounts import AmountReader, Amounts
from .claimset import check_claims_year, check_repeats, repeated_lines
from .lines import FIELDS, INVALID, KINDZORG, OTHER_INSURER, OTHER_YEAR, REASON_KEYS, STATES, USED, Checked, Reduction
from .report import files_dict
from .scan import LineAccount, refuse_unknown, scan

CENT = Decimal("0.01")
_EXACT_FLOAT = 2**53  # float64 sums of integers are exact below this


@dataclass(frozen=True)
class ProductionReport(LineAccount):
    """CZ-group claim amounts per month of `year`, for one provider (or the whole claim set).

    `monthly`: twelve `Decimal` sums in euros, January first, exact to the cent (rounded half up at the
    end); a month without claims is 0.00. `last_month`: the last month with a counted line (None when
    there is none); `months_with_lines`: the months (1-12) that have one (a known month without any counts
    as 0.00, which may be an export that is missing). `lines_used` counts the CZ-group lines of the year,
    kindzorg included (`lines_kindzorg` of them). `providers` holds one report per provider when the files
    have a provider column; the top level pools them.
    """

    provider: str | None
    year: int
    monthly: tuple[Decimal, ...]
    lines_read: int
    lines_used: int
    last_month: int | None = None
    providers: Mapping[str, ProductionReport] = field(default_factory=dict)
    months_with_lines: tuple[int, ...] = ()

    @property
    def total(self) -> Decimal:
        return sum(self.monthly, Decimal("0.00"))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields; amounts as text with a decimal point (`"1234.50"`), exact."""
        return {
            "provider": self.provider,
            "year": self.year,
            "monthly": [str(m) for m in self.monthly],
            "total": str(self.total),
            "last_month": self.last_month,
            "months_with_lines": list(self.months_with_lines),
            "lines_read": self.lines_read,
            "lines_used": self.lines_used,
            "lines_other_insurers": self.lines_other_insurers,
            "lines_other_years": self.lines_other_years,
            "lines_kindzorg": self.lines_kindzorg,
            "unknown_insurers": dict(self.unknown_insurers),
            "invalid_lines": self.invalid_lines,
            "invalid_reasons": dict(self.invalid_reasons),
            **files_dict(self.sources, self.files_skipped, self.repeated, self.file_notes),
        }


@dataclass
class MonthSums:
    """A batch's CZ-group amounts of the year by provider id and month: whole cents, and exact
    Decimals for the rest."""

    providers: np.ndarray  # provider ids, one per row of `cents`
    cents: np.ndarray  # (providers, 12) int64, or Python ints (object) when they could overflow
    exact: list[tuple[int, int, Decimal]]  # (provider id, month 1-12, value)
    seen: np.ndarray  # (providers,) the months with a counted line, bit m - 1 for month m


class ProductionReduction(Reduction):
    """Amounts of the CZ-group lines of `year` summed per provider and month. `check` and `reduce` of a
    batch run on the same worker thread, one after the other: the amounts read in `check` (every line's
    amount is validated) are handed to `reduce` through a thread-local."""

    fields = ("amount",)
    months = True

    def __init__(self, year: int) -> None:
        self._year = year
        self.amounts = AmountReader()
        self._local = threading.local()

    def claims_year(self) -> int:
        return self._year

    def reason(self, fieldname: str, value: object) -> str:
        return self.amounts.reason(value)

    def check(self, batch: pa.RecordBatch) -> list[tuple[str, np.ndarray]]:
        amounts = self.amounts.read(batch.column("amount"))
        self._local.amounts = amounts
        return [("amount", ~amounts.valid)]

    def counted(self, state: np.ndarray) -> np.ndarray:
        counted: np.ndarray = (state == USED) | (state == KINDZORG)  # kindzorg is production too
        return counted

    repeat_fields = "zelfde zorgaanbieder, cliënt, datum, prestatie en bedrag"

    def line_amounts(self, batch: pa.RecordBatch) -> Amounts:
        found: Amounts = self._local.amounts  # read by `check` on this thread, for this batch
        return found

    def reduce(self, batch: pa.RecordBatch, checked: Checked) -> MonthSums:
        amounts = self._local.amounts
        self._local.amounts = None
        assert checked.month is not None
        counted = np.flatnonzero((checked.state == USED) | (checked.state == KINDZORG))
        ids, local = np.unique(checked.provider[counted], return_inverse=True)
        month = checked.month[counted]
        key = local * 12 + (month - 1)
        cents = amounts.cents[counted]
        size = len(ids) * 12
        if not len(cents) or int(np.abs(cents).max()) * len(cents) < _EXACT_FLOAT:
            sums = np.rint(np.bincount(key, weights=cents, minlength=size)).astype(np.int64)
        else:  # amounts so large that a float64 sum could round: Python integers
            sums = np.zeros(size, object)
            for k, c in zip(key.tolist(), cents.tolist(), strict=True):
                sums[k] += c
        exact = []
        if amounts.exact:
            position = {int(row): i for i, row in enumerate(counted.tolist())}
            for row, value in amounts.exact.items():
                if row in position:
                    i = position[row]
                    exact.append((int(ids[local[i]]), int(month[i]), value))
        seen = np.zeros(len(ids), np.int64)
        np.bitwise_or.at(seen, local, np.left_shift(1, month - 1).astype(np.int64))
        return MonthSums(ids, sums.reshape(len(ids), 12), exact, seen)


class _Sums:
    """The production of every provider id so far: Python integers of cents (no overflow however many
    lines), exact Decimals for other values."""

    def __init__(self) -> None:
        self.cents = np.zeros((0, 12), object)
        self.exact: dict[tuple[int, int], Decimal] = {}
        self.seen = np.zeros(0, np.int64)  # per provider id: bit m - 1 when month m has a counted line

    def add(self, sums: MonthSums) -> None:
        if not len(sums.providers):
            return
        rows = int(sums.providers.max()) + 1
        if rows > len(self.cents):
            grown = np.zeros((rows, 12), object)
            grown[: len(self.cents)] = self.cents
            self.cents = grown
            self.seen = np.concatenate([self.seen, np.zeros(rows - len(self.seen), np.int64)])
        self.cents[sums.providers] += sums.cents.astype(object)
        np.bitwise_or.at(self.seen, sums.providers, sums.seen)
        for provider, month, value in sums.exact:
            self.exact[provider, month] = self.exact.get((provider, month), Decimal(0)) + value

    def monthly(self, ids: list[int]) -> tuple[Decimal, ...]:
        totals = []
        for month in range(1, 13):
            cents = sum((int(self.cents[i, month - 1]) for i in ids if i < len(self.cents)), 0)
            extra = sum((self.exact.get((i, month), Decimal(0)) for i in ids), Decimal(0))
            totals.append((Decimal(cents).scaleb(-2) + extra).quantize(CENT, rounding=ROUND_HALF_UP))
        return tuple(totals)

    def months_with_lines(self, ids: list[int]) -> tuple[int, ...]:
        seen = 0
        for i in ids:
            if i < len(self.seen):
                seen |= int(self.seen[i])
        return tuple(month for month in range(1, 13) if seen >> (month - 1) & 1)

    def last_month(self, ids: list[int]) -> int | None:
        months = self.months_with_lines(ids)
        return months[-1] if months else None


def production_from_claims(
    source: Any,
    *,
    year: int,
    skip_invalid: bool = False,
    strict: bool = False,
    only_provider: str | None = None,
    recursive: bool = False,
    repeated: str = "refuse",
    progress: Callable[[int, int], None] | None = None,
) -> ProductionReport:
    """The CZ-group production per month of policy year `year` from claim files or a DataFrame.

    `source` as for `ratio_from_claims` (a path, a list of paths, a directory, a DataFrame); the files
    need an amount column (`amount`, `bedrag`, `declaratiebedrag`). Lines of CZ group (by label or
    UZOVI 9664) dated in `year` count, kindzorg included. `strict`: insurer labels on no list are an
    error instead of a reported count. Amounts are read as `toolkit.numbers.parse_number` reads money;
    an unreadable one is an invalid line naming file, line, column and value. When no line (or almost
    none, `claimset.MIN_SHARE_IN_YEAR`) is of `year`: `ClaimsYearError`, proposing the files' year.
    `repeated`: claim lines that a later file repeats would count twice, and are refused (`refuse`, the
    default: `RepeatedLinesError`) or counted as they are and reported (`ignore`).
    """
    year = policy_year(year)  # the same refusal of a year as the ratio's, before any reading
    repeats_policy = repeated_lines(repeated)
    claim_set = read.claim_files(source, recursive=recursive)
    sums = _Sums()
    tallies = scan(claim_set, ProductionReduction(year), wanted=tuple(read.COLUMN_ALIASES),
                         required=(*read.REQUIRED, "amount"), skip_invalid=skip_invalid, keep=sums.add,
                         progress=progress)
    year_warning = check_claims_year(tallies.years, policy_year=year, claims_year=year,
                                     context=f"de productie van {year}", files=len(tallies.sources),
                                     propose=lambda found: found)
    check_repeats(tallies.repeated, repeats_policy, ProductionReduction.repeat_fields, "De productie")
    refuse_unknown(tallies, strict)
    where = tallies.where

    def report(name: str | None, ids: list[int], unknown: Counter[str]) -> ProductionReport:
        counts = tallies.counts[ids].sum(axis=0).tolist() if ids else [0] * STATES
        reasons = tallies.reasons[ids].sum(axis=0) if ids else np.zeros(len(FIELDS), np.int64)
        return ProductionReport(
            provider=name, year=year, monthly=sums.monthly(ids), lines_read=sum(counts),
            lines_used=counts[USED] + counts[KINDZORG], last_month=sums.last_month(ids),
            months_with_lines=sums.months_with_lines(ids),
            lines_other_insurers=counts[OTHER_INSURER], lines_other_years=counts[OTHER_YEAR],
            lines_kindzorg=counts[KINDZORG], unknown_insurers=dict(unknown.most_common()),
            invalid_lines=counts[INVALID],
            invalid_reasons={REASON_KEYS[FIELDS[i]]: int(reasons[i]) for i in np.flatnonzero(reasons)},
            source=where, sources=tuple(tallies.sources), files_skipped=tallies.skipped, file_notes=tallies.notes,
            year_warning=year_warning, repeated=tallies.repeated)

    providers: dict[str, ProductionReport] = {}
    alone_at = tallies.chosen(only_provider)
    if only_provider is not None and alone_at is not None:
        return replace(report(only_provider, [alone_at], tallies.unknown.get(alone_at, Counter())),
                       invalid_examples=tuple(tallies.examples))
    if tallies.has_provider:
        for name, i in sorted(tallies.providers().items(), key=lambda item: str(item[0])):
            providers[name] = report(name, [i], tallies.unknown.get(i, Counter()))
    whole = report(None, list(range(len(tallies.counts))), tallies.unknown_total())
    return replace(whole, invalid_examples=tuple(tallies.examples), providers=providers)


__all__ = ["ProductionReport", "production_from_claims"]
