"""Claim files (declaratiedata) read into two computations: the CZ client-per-area ratio (rule 1) and
the CZ-group production per month (rule 5, the omzetplafond).

Source of the rules: 002_3d2709293215211c.txt, 2.3.2 "Versnippering" (ratio from the claims of T−2)
and bijlage 1, 1.1; CZ groep, Zorginkoopbeleid wijkverpleging 2027, § 2.3.3 and § 3.2.4 (production
per month of the policy year). Which labels belong to CZ groep: `parameters/data/market/insurers.yaml`.

The package, one job per module:
- `read`: csv/xlsx/parquet files, DataFrames and tables -> record batches and the column layout;
  several files (a list, or a directory) are one claim set.
- `lines`: every line validated and put in one state, tallied per provider; distinct (provider,
  PC4, client) triples for the ratio. Runs on worker threads, in file order.
- `report`: the ratio reports, assembled for all providers at once in arrays.
- `amounts`, `production`: claim amounts read as `toolkit.numbers.parse_number` reads them; sums
  per provider and month.

Every line is validated. Invalid lines raise `InputError` naming file, line, column and value, or with
`skip_invalid=True` are counted per reason and reported (per provider and in total), never silently
dropped.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from ..errors import InputError, show_value
from ..rules.ratio import claims_year, exemption_kind, provider_kind, ratio_threshold
from . import lines, read
from .claimset import (
    ClaimsYearError,
    RepeatedLinesError,
    check_claims_year,
    check_repeats,
    lines_text,
    repeated_lines,
)
from .production import ProductionReport, production_from_claims
from .read import PROGRESS_MIN_BYTES
from .report import ClaimsRatioReport

METHODS = ("distinct", "per_area")


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
    recursive: bool = False,
    repeated: str = "ignore",
    progress: Callable[[int, int], None] | None = None,
) -> ClaimsRatioReport:
    """The CZ client-per-area ratio from claim files or a DataFrame for policy year `year`.

    `source`: a path (csv, xlsx, parquet), a list of paths or a directory of such files (one claim
    set), or a DataFrame. Uses the CZ-group claims of year T−2. `method`: `distinct` (default:
    distinct clients over all areas) or `per_area` (a client who moved counts in each area).
    `strict`: labels on no insurer list are an error instead of a reported count. `recursive`: a folder's
    subfolders are read too. `repeated`: claim lines that a later file repeats are counted and reported
    (`ignore`, the default: they cannot change a distinct count) or refused (`refuse`:
    `RepeatedLinesError`). `progress(done_bytes, total_bytes)` is called as the files are read. When
    no line (or almost none, `claimset.MIN_SHARE_IN_YEAR`) is of the claims year: `ClaimsYearError`,
    proposing the policy year that the files' claims belong to.
    """
    if method not in METHODS:
        raise InputError(f"methode {show_value(method)} is onbekend (verwacht distinct of per_area)",
                         field="method", value=method)
    repeats_policy = repeated_lines(repeated)
    kind = provider_kind(provider)
    exempt = exemption_kind(exemption)
    target_year = claims_year(year)  # PolicyYearError before any reading
    threshold = ratio_threshold(year, kind)
    claim_set = read.claim_files(source, recursive=recursive)
    triples = lines.Triples()
    try:
        tallies = lines.scan(claim_set, lines.RatioReduction(target_year),
                             wanted=tuple(f for f in read.COLUMN_ALIASES if f != "amount"), required=read.REQUIRED,
                             skip_invalid=skip_invalid, keep=triples.add, progress=progress)
        year_warning = check_claims_year(
            tallies.years, policy_year=year, claims_year=target_year,
            context=f"het declaratiejaar bij beleidsjaar {year}", files=len(tallies.sources),
            propose=functools.partial(_policy_year_of_claims, target_year - year))
        check_repeats(tallies.repeated, repeats_policy, lines.RatioReduction.repeat_fields)
        check_unknown(tallies, strict)
        lines.release_memory()
        keys, _ = triples.distinct()
    finally:
        triples.close()
    lines.release_memory()
    from .report import ratio_reports

    report = ratio_reports(tallies, keys, year=year, provider_kind=kind, method=method, exemption=exempt,
                           claims_year=target_year, threshold=threshold, only_provider=only_provider)
    return replace(report, year_warning=year_warning) if year_warning else report


def _policy_year_of_claims(offset: int, found: int) -> int | None:
    """The policy year whose claims year is `found` (T + offset = claims year), if the data covers it."""
    try:
        return found - offset if claims_year(found - offset) == found else None
    except InputError:
        return None


def check_unknown(tallies: lines.Tallies, strict: bool) -> None:
    """With `strict`, insurer labels on no list are an error (SPEC rule 1), listing the most common."""
    unknown = tallies.unknown_total()
    if strict and unknown:
        where = tallies.sources[0] if len(tallies.sources) == 1 else ", ".join(tallies.sources[:3])
        listed = ", ".join(f"{show_value(v)} ({lines_text(n)})" for v, n in unknown.most_common(10))
        raise InputError(f"{where}: onbekende verzekeraar(s): {listed}. Corrigeer de declaraties, of voeg een label "
                         "dat wel klopt toe aan zijn groep in market/insurers.yaml van een eigen parametermap "
                         "(--parameters; docs/handleiding.md, 'Een verzekeraar of label toevoegen')", field="insurer",
                         value=unknown.most_common(1)[0][0], file=where)


__all__ = ["METHODS", "PROGRESS_MIN_BYTES", "ClaimsRatioReport", "ClaimsYearError", "ProductionReport",
           "RepeatedLinesError", "production_from_claims", "ratio_from_claims"]
