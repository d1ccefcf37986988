"""Rule 1: CZ's klant-werkgebiedratio (clients per 4-digit postcode area).

Source: CZ groep, Zorginkoopbeleid wijkverpleging 2027 (002_3d2709293215211c.txt), § 2.3.2
"Toegankelijkheid van zorg", paragraph "Versnippering" (ingroeimodel table and the worked example
4 + 1 + 2 clients in 3 areas = 2,33), and bijlage 1, § 1.1 Minimumeisen ("per 4-cijferig
postcodegebied gemiddeld aan ten minste [de drempel] CZ-cliënten"; exceptions: (medische) kindzorg and
providers delivering (most of) their care outside CZ's kernwerkgebied). The thresholds per policy year
and the claims year offset (T−2) are data (`parameters/data/cz/client_area_ratio.yaml`).

ratio = CZ-group clients ÷ distinct PC4 areas, from the claims of year T−2. "Ten minste" means >= on
the unrounded ratio; all comparisons below are exact integer/Decimal arithmetic, never floats.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ...choices import choose
from ...errors import InputError, show_value
from ...numbers import format_number
from ...parameters import load_topic, policy_year, quantity
from ...postcode import to_pc4

# Vocabularies: each word a user may type (Dutch or English) -> the canonical name of the Python API. The
# first word of each name is the Dutch one that users are shown (the command line's choice lists).
PROVIDER_KINDS = {"bestaand": "existing", "existing": "existing", "nieuw": "new", "new": "new"}
# The readings of SPEC 1 for a client with claims in more than one area (English or Dutch) -> canonical:
# `distinct` counts such a mover once (the default), `per_area` in every area.
COUNTING_METHODS = {"uniek": "distinct", "distinct": "distinct", "per_gebied": "per_area", "per_area": "per_area"}

# Exemptions named in bijlage 1, 1.1: the requirement does not apply, the result says "n.v.t.".
EXEMPTIONS = {
    "kindzorg": "kindzorg",
    "medische_kindzorg": "kindzorg",
    "medische kindzorg": "kindzorg",
    "buiten_kernwerkgebied": "buiten_kernwerkgebied",
    "buiten kernwerkgebied": "buiten_kernwerkgebied",
}
EXEMPTION_REASONS = {
    "kindzorg": "n.v.t.: de eis geldt niet voor (medische) kindzorg",
    "buiten_kernwerkgebied": "n.v.t.: de zorg wordt (grotendeels) buiten het kernwerkgebied van CZ groep geleverd",
}

# Why the clients per area of a provider with movers add up to more than its total (distinct reading).
MOVERS_NOTE = "een cliënt die verhuisde telt in elk gebied mee, in het totaal één keer"


@dataclass(frozen=True)
class RatioAssessment:
    """Outcome of the ratio rule. `ratio` is None when there are no areas (0 ÷ 0)."""

    clients: int
    areas: int
    ratio: float | None
    threshold: Decimal | None
    meets: bool
    applies: bool
    clients_needed: int
    max_areas: int | None
    areas_to_drop: tuple[str, ...]
    year: int
    provider: str
    reason: str
    # False when no set of areas can be dropped to meet the threshold (every area has fewer clients
    # than the threshold); areas_to_drop then lists every area.
    drop_achievable: bool = True
    exemption: str | None = None

    @property
    def ratio_display(self) -> str:
        """The ratio with 2 decimals and a decimal comma, as the policy writes it (2,33)."""
        if self.ratio is None:
            return "-"
        return f"{self.ratio:.2f}".replace(".", ",")


def provider_kind(provider: str) -> str:
    return choose(provider, PROVIDER_KINDS, field="provider", label="soort zorgaanbieder",
                  expected="'existing'/'bestaand' of 'new'/'nieuw'")


def exemption_kind(exemption: str | None) -> str | None:
    if exemption is None or (isinstance(exemption, str) and not exemption.strip()):
        return None
    return choose(exemption, EXEMPTIONS, field="exemption", label="uitzondering",
                  expected="'kindzorg' of 'buiten_kernwerkgebied'")


def kindzorg_exemption(kindzorg_lines: int, other_lines: int) -> str | None:
    """"kindzorg" when most of a provider's CZ-group claim lines of the year are (medische) kindzorg,
    else None. Bijlage 1, § 1.1 exempts (medische) kindzorg from the ratio; a provider whose care is
    mostly kindzorg is therefore "n.v.t." (README "Readings"), and kindzorg lines never count."""
    return "kindzorg" if kindzorg_lines > other_lines else None


@dataclass(frozen=True)
class RatioPolicy:
    """What the policy of one year says for one kind of provider, looked up once: the policy year, the
    provider kind ("existing"/"new"), the threshold (None: no requirement that year) and the claims year."""

    year: int
    provider: str
    threshold: Decimal | None
    claims_year: int


def ratio_policy(year: object = None, provider: str = "existing") -> RatioPolicy:
    """The ratio's policy for a year and a kind of provider; PolicyYearError for a year the data lacks."""
    topic = load_topic("cz", "client_area_ratio")
    kind = provider_kind(provider)
    chosen = topic.check_year(policy_year(year))
    threshold = topic.decimal("threshold_existing" if kind == "existing" else "threshold_new", chosen)
    return RatioPolicy(chosen, kind, threshold, chosen + topic.integer("claims_year_offset", chosen))


def ratio_threshold(year: object = None, provider: str = "existing") -> Decimal | None:
    """The minimum average clients per PC4 for a policy year; None where the year has no requirement."""
    return ratio_policy(year, provider).threshold


def claims_year(year: object = None) -> int:
    """The year whose claims count for policy year `year` (T−2 in the data)."""
    return ratio_policy(year).claims_year


def client_area_ratio(clients: int, areas: int) -> float | None:
    """Clients per PC4 area; None when there are no areas (no CZ claims at all)."""
    return clients / areas if areas else None


def clients_needed(clients: int, areas: int, threshold: Decimal) -> int:
    """Smallest n >= 0 with (clients + n) ÷ areas >= threshold."""
    return max(0, math.ceil(threshold * areas) - clients)


def max_areas(clients: int, threshold: Decimal) -> int:
    """Most areas the present clients can be spread over while meeting the threshold."""
    return math.floor(Decimal(clients) / threshold)


def _meets(clients: int, areas: int, threshold: Decimal) -> bool:
    # clients ÷ areas >= threshold, without dividing. 0 areas and 0 clients: no care, not met.
    return areas > 0 and clients >= threshold * areas


def _areas_to_drop(
    counts: Mapping[str, int],
    clients: int,
    threshold: Decimal,
    movers: Mapping[str, Collection[str]],
) -> tuple[tuple[str, ...], bool]:
    """The fewest areas whose removal (with their clients) meets the threshold.

    Dropping areas with the fewest clients first is optimal: any set of k areas removes at least as
    many clients as the k smallest. Ties go to the lowest postcode (SPEC 1). With `movers` (clients in
    more than one area) a dropped area only loses the clients that have no other remaining area.
    """
    order = sorted(counts, key=lambda area: (counts[area], area))
    mover_areas = {client: set(areas) for client, areas in movers.items()}
    movers_in: dict[str, list[str]] = {}
    for client, areas in mover_areas.items():
        for area in areas:
            movers_in.setdefault(area, []).append(client)
    remaining_clients, remaining_areas = clients, len(counts)
    dropped: list[str] = []
    for area in order:
        if _meets(remaining_clients, remaining_areas, threshold):
            return tuple(dropped), True
        dropped.append(area)
        remaining_areas -= 1
        staying = 0
        for client in movers_in.get(area, ()):
            mover_areas[client].discard(area)
            if mover_areas[client]:
                staying += 1
        remaining_clients -= counts[area] - staying
    return tuple(dropped), _meets(remaining_clients, remaining_areas, threshold)


def _normalise_counts(clients_by_area: Mapping[str, int]) -> dict[str, int]:
    if not isinstance(clients_by_area, Mapping):
        raise InputError(
            "cliënten per postcodegebied moet een mapping van postcode naar aantal zijn",
            field="clients_by_area",
            value=type(clients_by_area).__name__,
        )
    counts: dict[str, int] = {}
    for row, (postcode, count) in enumerate(clients_by_area.items(), start=1):
        area = to_pc4(postcode, field="postcode", row=row)
        number = quantity("count").read(count, f"cliënten bij postcode {postcode}")
        # Areas listed with 0 clients are not areas with claims: they do not count as an area.
        if number:
            counts[area] = counts.get(area, 0) + number
    return counts


def assess_totals(clients: int, areas: int, policy: RatioPolicy, *, exemption: str | None = None) -> RatioAssessment:
    """The ratio from a provider's totals under a policy already looked up (`ratio_policy`): what
    `toolkit.claims` asks per provider, which finds the areas to drop itself."""
    return _assess(clients, None, areas, policy, exemption=exemption, movers={})


def _assess(
    clients: int,
    counts: Mapping[str, int] | None,
    areas: int,
    policy: RatioPolicy,
    *,
    exemption: str | None,
    movers: Mapping[str, Collection[str]],
) -> RatioAssessment:
    exempt = exemption_kind(exemption)
    year, kind, threshold = policy.year, policy.provider, policy.threshold
    ratio = client_area_ratio(clients, areas)
    if exempt is not None or threshold is None:
        reason = EXEMPTION_REASONS[exempt] if exempt else f"n.v.t.: geen eis in {year} voor deze zorgaanbieder"
        return RatioAssessment(
            clients=clients, areas=areas, ratio=ratio, threshold=threshold, meets=True, applies=False,
            clients_needed=0, max_areas=None, areas_to_drop=(), year=year, provider=kind, reason=reason,
            exemption=exempt,
        )
    meets = _meets(clients, areas, threshold)
    if meets or counts is None:
        dropped: tuple[str, ...] = ()
        achievable = meets
    else:
        dropped, achievable = _areas_to_drop(counts, clients, threshold, movers)
    if ratio is None:
        reason = "voldoet niet: geen CZ-cliënten in de declaratiedata"
    else:
        verdict = "voldoet" if meets else "voldoet niet"
        shown = f"{ratio:.2f}".replace(".", ",")
        reason = f"{verdict}: gemiddeld {shown} cliënten per postcodegebied, minimaal {format_number(threshold)}"
    return RatioAssessment(
        clients=clients,
        areas=areas,
        ratio=ratio,
        threshold=threshold,
        meets=meets,
        applies=True,
        clients_needed=clients_needed(clients, areas, threshold),
        max_areas=max_areas(clients, threshold),
        areas_to_drop=dropped,
        year=year,
        provider=kind,
        reason=reason,
        drop_achievable=achievable,
    )


def assess_client_area_ratio(
    clients_by_area: Mapping[str, int],
    *,
    year: int,
    provider: str = "existing",
    exemption: str | None = None,
    movers: Mapping[str, Collection[str]] | None = None,
) -> RatioAssessment:
    """Assess the ratio from the number of (distinct) CZ clients per PC4 area.

    `clients_by_area` maps a PC4 (or full postcode, reduced to its PC4) to its client count; areas
    with 0 clients are not counted. Counts are summed, which is the `per_area` reading for movers;
    pass `movers` (client -> the areas they have claims in, for clients in more than one area) to get
    the default `distinct` reading, where a mover counts once.
    """
    return assess_normalised_counts(_normalise_counts(clients_by_area), year=year, provider=provider,
                                    exemption=exemption, movers=movers)


def assess_normalised_counts(
    counts: Mapping[str, int],
    *,
    year: int,
    provider: str = "existing",
    exemption: str | None = None,
    movers: Mapping[str, Collection[str]] | None = None,
) -> RatioAssessment:
    """`assess_client_area_ratio` for counts that are already PC4 -> positive int (no check again).

    For `toolkit.claims`, whose counts come from validated lines: re-checking 55,000 areas of 500
    providers cost a tenth of a second of a 5-million-line run.
    """
    movers = movers or {}
    # A mover is in len(areas) of the counts but is one client.
    double_counted = sum(max(0, len(set(areas) & counts.keys()) - 1) for areas in movers.values())
    clients = sum(counts.values()) - double_counted
    return _assess(clients, counts, len(counts), ratio_policy(year, provider), exemption=exemption, movers=movers)


def assess_ratio_counts(
    clients: int, areas: int, *, year: int, provider: str = "existing", exemption: str | None = None
) -> RatioAssessment:
    """The ratio from totals only (as two spreadsheet cells give them); `areas_to_drop` stays empty."""
    clients = quantity("count").read(clients, "clients")
    areas = quantity("count").read(areas, "areas")
    if areas == 0 and clients > 0:
        raise InputError(
            f"aantal postcodegebieden is 0 terwijl er {clients} cliënten zijn", field="areas", value=areas
        )
    if clients < areas:
        raise InputError(
            f"minder cliënten ({clients}) dan postcodegebieden ({areas}): elk gebied heeft ten minste één cliënt",
            field="clients",
            value=clients,
        )
    return assess_totals(clients, areas, ratio_policy(year, provider), exemption=exemption)


def _is_empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def clients_by_area(postcodes: Sequence[Any], clients: Sequence[Any]) -> dict[str, int]:
    """Two columns paired row by row (a PC4 or postcode, its number of clients) into clients per PC4.

    The one pairing for every surface: the Excel functions and the template engine call it, the
    template's formulas implement it a second time. Rows empty in both, and rows without a postcode
    whose count is empty or 0, are skipped; a count without a postcode, a postcode without a count, an
    invalid postcode and a count that is not a whole number >= 0 are InputErrors naming the first such
    row (1-based within the columns; in a row the postcode is named before the count). Columns of
    unequal length are fine as long as the extra rows are empty. Areas whose clients add up to 0 are
    not areas.

    Plain Python, no NumPy: xlwings Lite runs it in the browser with nothing but the standard library.
    Two shortcuts keep 100,000 rows near the cost of one pass (benchmarks/bench_udfs.py), and neither
    changes an answer (tests/test_rules_ratio.py reads every row the plain way to prove it): each distinct
    postcode cell is read once, and a whole number from 0 to 10^15 (how Excel hands over a count: a float
    in CPython, an int in Pyodide) is taken as it is; the number reading handles everything else.
    """
    size = max(len(postcodes), len(clients))
    codes = itertools.chain(postcodes, itertools.repeat(None, size - len(postcodes)))
    counts = itertools.chain(clients, itertools.repeat(None, size - len(clients)))
    totals: dict[int, int] = {}
    # Postcodes are read once per type and value: the float 5611.0, the int 5611 (how Pyodide hands a whole
    # number over) and the text "5611" apart, and True not as 1. A value a reader refuses raises at once,
    # so only good readings are kept.
    read: dict[type, dict[Any, int | None]] = {str: {}, float: {}, int: {}}
    for row, (code, cell) in enumerate(zip(codes, counts, strict=True), start=1):
        known = read.get(type(code))
        if known is None:
            area = _row_area(code, row)
        else:
            area = known.get(code, _UNREAD)
            if area == _UNREAD:
                area = known[code] = _row_area(code, row)
        kind = type(cell)
        if kind is float and 0.0 <= cell <= _WHOLE_AS_IS and cell % 1.0 == 0.0:
            count: int | None = int(cell)
        elif kind is int and 0 <= cell <= _WHOLE_AS_IS:
            count = cell
        else:
            count = _row_count(cell, row)
        if area is None:
            if count:
                raise InputError(f"clients: {show_value(cell)} in rij {row} heeft geen postcode", field="clients",
                                 value=cell, row=row)
        elif count is None:
            raise InputError(f"clients: postcode {show_value(code)} in rij {row} heeft geen aantal cliënten",
                             field="clients", value=None, row=row)
        else:
            totals[area] = totals.get(area, 0) + count
    return {f"{pc4:04d}": total for pc4, total in sorted(totals.items()) if total}


_UNREAD = -1  # no PC4 is negative
# Up to here a whole number is exactly the number a spreadsheet shows; above, the number reading decides (it
# reads a float as the 15 digits Excel displays).
_WHOLE_AS_IS = 1e15


def _row_count(value: object, row: int) -> int | None:
    """The count of one row (None when empty), or InputError naming the row."""
    if _is_empty(value):
        return None
    count: int = quantity("count").read(value, "clients", row=row)
    return count


def _row_area(value: object, row: int) -> int | None:
    """The PC4 of one row as a number (None when empty), or InputError naming the row."""
    if _is_empty(value):
        return None
    return int(to_pc4(value, field="postcodes", row=row))


__all__ = [
    "MOVERS_NOTE",
    "RatioAssessment",
    "RatioPolicy",
    "assess_client_area_ratio",
    "assess_ratio_counts",
    "assess_totals",
    "claims_year",
    "client_area_ratio",
    "clients_by_area",
    "kindzorg_exemption",
    "ratio_policy",
    "ratio_threshold",
]
