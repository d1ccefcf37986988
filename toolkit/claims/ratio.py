"""Rule 1 from claim files: the CZ client-per-area ratio of every provider in a claim set (the claims of
T−2), as `ClaimsRatioReport`s (`report.py` assembles them).

Source: CZ groep, Zorginkoopbeleid wijkverpleging 2027, § 2.3.2 "Versnippering" (the ratio from the
claims of T−2) and bijlage 1, § 1.1.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from ..errors import InputError, show_value
from ..rules.ratio import claims_year, exemption_kind, ratio_policy
from . import read
from .assembly import ratio_reports
from .claimset import check_claims_year, check_repeats, repeated_lines
from .memory import release_memory
from .report import ClaimsRatioReport
from .scan import refuse_unknown, scan
from .triples import RatioReduction, Triples

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
    exempt = exemption_kind(exemption)
    policy = ratio_policy(year, provider)  # the year's policy, once; PolicyYearError before any reading
    claim_set = read.claim_files(source, recursive=recursive)
    triples = Triples()
    try:
        tallies = scan(claim_set, RatioReduction(policy.claims_year),
                       wanted=tuple(f for f in read.COLUMN_ALIASES if f != "amount"), required=read.REQUIRED,
                       skip_invalid=skip_invalid, keep=triples.add, progress=progress)
        year_warning = check_claims_year(
            tallies.years, policy_year=policy.year, claims_year=policy.claims_year,
            context=f"het declaratiejaar bij beleidsjaar {policy.year}", files=len(tallies.sources),
            propose=functools.partial(_policy_year_of_claims, policy.claims_year - policy.year))
        check_repeats(tallies.repeated, repeats_policy, RatioReduction.repeat_fields)
        refuse_unknown(tallies, strict)
        release_memory()
        keys, _ = triples.distinct()
    finally:
        triples.close()
    release_memory()
    report = ratio_reports(tallies, keys, policy=policy, method=method, exemption=exempt, only_provider=only_provider)
    return replace(report, year_warning=year_warning) if year_warning else report


def _policy_year_of_claims(offset: int, found: int) -> int | None:
    """The policy year whose claims year is `found` (T + offset = claims year), if the data covers it."""
    try:
        return found - offset if claims_year(found - offset) == found else None
    except InputError:
        return None


__all__ = ["METHODS", "ratio_from_claims"]
