"""Rule 1 from claim files: the CZ client-per-area ratio of every provider in a claim set (the claims of
T−2), as `ClaimsRatioReport`s (`report.py` assembles them).

Source: CZ groep, Zorginkoopbeleid wijkverpleging 2027, § 2.3.2 "Versnippering" (the ratio from the
claims of T−2) and bijlage 1, § 1.1.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import InputError, show_value
from ..rules.core_area import CoreAreas
from ..rules.ratio import COUNTING_METHODS, exemption_kind, ratio_policy
from . import read
from .assembly import ratio_reports
from .claimset import check_claims_year, check_repeats, policy_year_of_claims, repeated_lines
from .core_area import AreaTotals, CoreAreaReduction, check_core_area_year, core_areas_of, provider_shares
from .lines import PC4_KEY, Reduction
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
    core_areas: CoreAreas | str | Path | Iterable[object] | None = None,
    only_core_areas: bool = False,
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

    `core_areas` (rule 11: a `CoreAreas`, or a file as `core_area.read_core_areas` reads it): each report
    also carries the provider's share of care inside the kernwerkgebied (`core_area`), and a provider whose
    care lies mostly outside is exempt (`buiten_kernwerkgebied`). `only_core_areas`: the ratio over the
    listed PC4s only (bijlage 1 § 1.1 "levert in onze kernwerkgebieden per 4-cijferig postcodegebied");
    by default it stays § 2.3.2's ratio over all areas.
    """
    # The Dutch words too, in any case, as on the command line.
    counting = COUNTING_METHODS.get(method.strip().lower()) if isinstance(method, str) else None
    if counting is None:
        raise InputError(f"methode {show_value(method)} is onbekend (verwacht uniek/distinct of per_gebied/per_area)",
                         field="method", value=method)
    method = counting
    repeats_policy = repeated_lines(repeated)
    exempt = exemption_kind(exemption)
    policy = ratio_policy(year, provider)  # the year's policy, once; PolicyYearError before any reading
    if only_core_areas and core_areas is None:
        raise InputError("only_core_areas: zonder kernwerkgebied is er geen gebied om de ratio toe te beperken",
                         field="only_core_areas", value=True)
    if core_areas is not None:
        check_core_area_year(policy.year)
    areas = None if core_areas is None else core_areas_of(core_areas)
    claim_set = read.claim_files(source, recursive=recursive)
    triples = Triples()
    totals = AreaTotals()
    if areas is None:
        reduction: Reduction = RatioReduction(policy.claims_year)
        wanted = tuple(f for f in read.COLUMN_ALIASES if f != "amount")
        keep: Callable[[Any], None] = triples.add
    else:  # the amounts too, for the share in euros: one reading for both
        reduction = CoreAreaReduction(policy.claims_year, triples=True, skip_invalid=skip_invalid)
        wanted = tuple(read.COLUMN_ALIASES)

        def keep(kept: Any) -> None:
            triples.add(kept[0])
            totals.add(kept[1])
    try:
        tallies = scan(claim_set, reduction, wanted=wanted, required=read.REQUIRED,
                       skip_invalid=skip_invalid, keep=keep, progress=progress)
        year_warning = check_claims_year(
            tallies.years, policy_year=policy.year, claims_year=policy.claims_year,
            context=f"het declaratiejaar bij beleidsjaar {policy.year}", files=len(tallies.sources),
            propose=policy_year_of_claims(policy))
        check_repeats(tallies.repeated, repeats_policy, reduction.repeat_fields)
        refuse_unknown(tallies, strict)
        release_memory()
        keys, _ = triples.distinct()
    finally:
        triples.close()
    release_memory()
    shares = None if areas is None else provider_shares(tallies, totals, areas, policy.year)
    if areas is not None and only_core_areas:
        keys = keys[np.isin((keys >> 32) % PC4_KEY, np.fromiter(areas.pc4, np.int64))]
    report = ratio_reports(tallies, keys, policy=policy, method=method, exemption=exempt, only_provider=only_provider,
                           core_shares=shares)
    if only_core_areas:  # said on every report, so that no table or JSON reads as the ratio over all areas
        report = replace(report, only_core_areas=True,
                         providers={name: replace(r, only_core_areas=True) for name, r in report.providers.items()})
    return replace(report, year_warning=year_warning) if year_warning else report


__all__ = ["METHODS", "ratio_from_claims"]
