"""The ratio reports assembled per provider in arrays, from the distinct (provider, PC4, client) triples.

Rule 1 (SPEC; 002_3d2709293215211c.txt, 2.3.2 "Versnippering" and bijlage 1, 1.1) counts distinct
CZ-group clients and PC4 areas per provider; its what-if `areas_to_drop` drops areas with the fewest
clients first (ties: the lowest PC4), a mover leaving only with the last of their areas. Here all of
that is computed for a run of neighbouring providers at once (about a million triples: the memory
stays bounded), with NumPy on the sorted triples, so the time after reading grows with the distinct
triples, not with providers × areas × movers in Python. The plain rule
(`toolkit.rules.ratio.assess_normalised_counts`) stays the reference: tests/test_claims_assembly.py
compares the two on random inputs, also cut into runs of a few triples.

How `areas_to_drop` becomes array arithmetic: rank each provider's areas in drop order; a client
leaves when the area of its highest rank is dropped (in `per_area` every (client, area) pair is a
client of its own). After dropping the first k areas, the clients left are the clients minus those
whose highest rank is below k, a cumulative count per provider; the answer is the smallest k whose
remainder meets the threshold, found for every provider in one pass.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from decimal import Decimal

import numpy as np

from ..rules.core_area import CoreAreaShare
from ..rules.ratio import RatioAssessment, RatioPolicy, assess_totals, kindzorg_exemption
from .lines import FIELDS, INVALID, KINDZORG, LOW_32, OTHER_INSURER, OTHER_YEAR, PC4_KEY, REASON_KEYS, USED, distinct
from .report import PC4_TEXT, AreaCounts, ClaimsRatioReport
from .scan import Tallies


def _runs(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(first index, length) of each run of equal values in a sorted array."""
    new = np.empty(len(keys), bool)
    new[:1] = True
    np.not_equal(keys[1:], keys[:-1], out=new[1:])
    first = np.flatnonzero(new)
    return first, np.diff(np.append(first, len(keys)))


def _sort_segments(values: np.ndarray, bounds: np.ndarray) -> np.ndarray:
    """`values` sorted, when they are already in order by segments (`bounds`) and only need sorting
    within each: segment by segment is 2-3x faster than one sort of the whole (each fits the cache)."""
    if len(bounds) <= 2:
        return np.sort(values)
    for begin, end in zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True):
        if end - begin > 1:
            values[begin:end].sort()
    return values


@dataclass
class Assembly:
    """Per group (provider) its areas, clients and movers, all groups at once. Areas are numbered in
    (group, PC4) order; `start[g]:start[g + 1]` are group g's."""

    start: np.ndarray  # (groups + 1,)
    pc4: np.ndarray  # per area
    clients_in_area: np.ndarray  # per area: distinct clients
    clients: np.ndarray  # per group: distinct clients over its areas
    pairs: np.ndarray  # per group: (client, area) pairs, the `per_area` count
    movers: np.ndarray  # per group: clients in more than one area
    drop_order: np.ndarray  # per group's segment: area numbers in drop order
    # For `areas_to_drop`: per area its group; per triple its group and the rank of its area in the
    # drop order; per client (a (group, client) run) its group and the highest rank of its areas.
    area_group: np.ndarray
    triple_group: np.ndarray
    triple_rank: np.ndarray
    client_group: np.ndarray | None = None
    client_leaves: np.ndarray | None = None
    triple_client: np.ndarray | None = None

    def client_runs(self) -> tuple[np.ndarray, np.ndarray]:
        """(group, highest rank) per client, computed when first asked (see `assemble`)."""
        if self.client_group is None or self.client_leaves is None:
            assert self.triple_client is not None
            self.client_group, self.client_leaves, _ = _client_runs(
                self.triple_group, self.triple_client, self.triple_rank, len(self.start) - 1)
        return self.client_group, self.client_leaves


def _client_runs(group: np.ndarray, client: np.ndarray, triple_rank: np.ndarray,
                 groups: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(group, highest rank, number of areas) per (group, client) run. One sort by (group, client,
    rank), within each group: a run holds a client's areas, the last of them the one it leaves with.
    Bits: group < 2**18 (MAX_PROVIDERS), client codes < 2**31 (triples.Triples), rank < 2**14."""
    triple_start = np.searchsorted(group, np.arange(groups + 1))
    packed = group.astype(np.int64) << 45
    packed |= client.astype(np.int64) << 14
    packed |= triple_rank
    packed = _sort_segments(packed, triple_start)
    run_first, run_size = _runs(packed >> 14)
    return packed[run_first] >> 45, packed[run_first + run_size - 1] & 0x3FFF, run_size


def assemble(group: np.ndarray, pc4: np.ndarray, client: np.ndarray, groups: int) -> Assembly:
    """The assembly of distinct (group, PC4, client) triples, sorted in that order. Per triple the
    arrays are as narrow as their values allow (`split`): for tens of millions of triples that is
    hundreds of MB."""
    area_key = group * np.int32(PC4_KEY)  # < 2**31: group < MAX_PROVIDERS
    area_key += pc4
    area_first, clients_in_area = _runs(area_key)
    del area_key
    areas = len(area_first)
    area_group = group[area_first].astype(np.int64)
    area_pc4 = pc4[area_first]
    start = np.searchsorted(area_group, np.arange(groups + 1))

    # Drop order within each group: fewest clients first, then the lowest PC4 (SPEC rule 1). Areas are
    # numbered by PC4 within their group, so one sort of (group, clients, number in group) gives it.
    # Bits: group < 2**18 (MAX_PROVIDERS), clients in an area < 2**31, areas in a group < 2**14.
    position = np.arange(areas) - start[area_group]
    by_drop = _sort_segments((area_group << 45) | (clients_in_area << 14) | position, start)
    order = start[by_drop >> 45] + (by_drop & 0x3FFF)
    rank = np.empty(areas, np.int16)  # < 2**14
    rank[order] = np.arange(areas) - start[area_group[order]]
    triple_rank = np.repeat(rank, clients_in_area)
    pairs = np.bincount(area_group, weights=clients_in_area, minlength=groups).astype(np.int64)
    if groups == 1:
        # One group (the whole claim set): clients and movers by counting each client's areas; the
        # sort by client is left until `areas_to_drop` needs it.
        per_client = np.bincount(client)
        return Assembly(start, area_pc4, clients_in_area, np.array([np.count_nonzero(per_client)]), pairs,
                        np.array([np.count_nonzero(per_client > 1)]), order, area_group, group, triple_rank,
                        triple_client=client)
    client_group, leaves, areas_of_client = _client_runs(group, client, triple_rank, groups)
    return Assembly(start, area_pc4, clients_in_area, np.bincount(client_group, minlength=groups), pairs,
                    np.bincount(client_group[areas_of_client > 1], minlength=groups), order, area_group, group,
                    triple_rank, client_group, leaves)


def areas_to_drop(assembly: Assembly, need: np.ndarray, threshold: Decimal, *,
                  per_area: bool) -> tuple[np.ndarray, np.ndarray]:
    """(how many of each group's `drop_order` to drop, whether that meets the threshold) for the groups
    marked in `need`; 0 and True for the others. The plain rule: `rules.ratio._areas_to_drop`."""
    groups = len(assembly.start) - 1
    per_group = np.diff(assembly.start)
    areas = len(assembly.pc4)
    if per_area:  # every (client, area) pair is a client of its own
        leave, leave_group, total = assembly.triple_rank, assembly.triple_group, assembly.pairs
    else:
        leave_group, leave = assembly.client_runs()
        total = assembly.clients
    # Clients gone once the first r + 1 areas of a group are dropped, at position start[g] + r.
    gone = np.cumsum(np.bincount(assembly.start[leave_group] + leave, minlength=areas))
    before = np.where(assembly.start[:-1] > 0, gone[np.maximum(assembly.start[:-1] - 1, 0)], 0) if areas else \
        np.zeros(groups, np.int64)
    area_group = assembly.area_group
    gone -= before[area_group]
    position = np.arange(areas) - assembly.start[area_group]  # r
    left_areas = per_group[area_group] - position - 1
    left_clients = total[area_group] - gone
    numerator, denominator = threshold.as_integer_ratio()
    meets = (left_areas > 0) & (left_clients * denominator >= numerator * left_areas) & need[area_group]
    hits = np.flatnonzero(meets)
    count = np.where(need, per_group, 0)
    achievable = ~need
    if len(hits):
        hit_groups, first = np.unique(area_group[hits], return_index=True)
        count[hit_groups] = position[hits[first]] + 1
        achievable[hit_groups] = True
    return count, achievable


# --------------------------------------------------------------------------- reports


def _counts(row: np.ndarray) -> dict[str, int]:
    counts = row.tolist()
    return {"read": sum(counts), "used": counts[USED], "other_insurer": counts[OTHER_INSURER],
            "other_year": counts[OTHER_YEAR], "kindzorg": counts[KINDZORG], "invalid": counts[INVALID]}


def _reasons(row: np.ndarray) -> dict[str, int]:
    return {REASON_KEYS[FIELDS[i]]: int(row[i]) for i in np.flatnonzero(row)}


CHUNK_TRIPLES = 1 << 20  # providers are assembled in runs of about this many triples: bounded memory


def ratio_reports(tallies: Tallies, keys: np.ndarray, *, policy: RatioPolicy, method: str,
                  exemption: str | None, only_provider: str | None,
                  core_shares: Mapping[int, CoreAreaShare] | None = None) -> ClaimsRatioReport:
    """The report of a claim set (and of each provider in it) from its tallies and its sorted distinct
    triples (`keys`: (provider id * PC4_KEY + PC4) << 32 | client code). With `core_shares` (per provider
    id, the pooled set under -1: rule 11), a provider whose care lies mostly outside the kernwerkgebied is
    exempt (`buiten_kernwerkgebied`) and its report carries the share.

    Providers are assembled a run of neighbours at a time (about `CHUNK_TRIPLES` triples), so the
    working arrays stay small whatever the size of the claim set; a report keeps only its areas and
    their clients."""
    where = tallies.where
    per_area = method == "per_area"

    shares = core_shares or {}

    def assess(counts: np.ndarray, clients: int, areas: int, share: CoreAreaShare | None) -> RatioAssessment:
        own = exemption if exemption is not None else kindzorg_exemption(
            int(counts[KINDZORG]), int(counts[USED]))
        if own is None and share is not None and share.majority_outside:
            own = "buiten_kernwerkgebied"
        return assess_totals(clients, areas, policy, exemption=own)

    def build(keys_of: np.ndarray, first: int, groups: int, chosen: list[int], names: list[str | None],
              counts: np.ndarray, reasons: np.ndarray, unknown: list[Counter[str]],
              pooled: bool = False) -> list[ClaimsRatioReport]:
        """The reports of the groups `chosen` (ids `first` to `first + groups - 1`), whose triples are
        `keys_of`."""
        assembly = assemble(*split(keys_of, first), groups)
        local = [g - first for g in chosen]
        totals = assembly.pairs if per_area else assembly.clients
        per_group = np.diff(assembly.start)
        share_of = {g: shares.get(-1 if pooled else g) for g in chosen}
        assessments = [assess(counts[g], int(totals[i]), int(per_group[i]), share_of[g])
                       for g, i in zip(chosen, local, strict=True)]
        need = np.zeros(groups, bool)
        need[[i for i, a in zip(local, assessments, strict=True) if a.applies and not a.meets]] = True
        drop_count, achievable = np.zeros(groups, np.int64), np.ones(groups, bool)
        if policy.threshold is not None and need.any():
            drop_count, achievable = areas_to_drop(assembly, need, policy.threshold, per_area=per_area)
        # What the reports keep, compact: PC4 fits 16 bits, clients in one area 32.
        pc4 = assembly.pc4.astype(np.int16)
        clients_in_area = assembly.clients_in_area.astype(np.int32)
        dropped = _dropped_names(assembly, pc4, drop_count)
        reports = []
        for g, i, assessment in zip(chosen, local, assessments, strict=True):
            c = _counts(counts[g])
            b, e = int(assembly.start[i]), int(assembly.start[i + 1])
            if drop_count[i]:
                assessment = replace(assessment, areas_to_drop=dropped[i], drop_achievable=bool(achievable[i]))
            reports.append(ClaimsRatioReport(
                assessment=assessment, provider=names[g], claims_year=policy.claims_year, method=method,
                lines_read=c["read"], lines_used=c["used"], movers=int(assembly.movers[i]),
                clients_by_area=AreaCounts(pc4[b:e], clients_in_area[b:e]),
                lines_other_insurers=c["other_insurer"], lines_other_years=c["other_year"],
                lines_kindzorg=c["kindzorg"], unknown_insurers=dict(unknown[g].most_common()),
                invalid_lines=c["invalid"], invalid_reasons=_reasons(reasons[g]), source=where,
                sources=tuple(tallies.sources), files_skipped=tallies.skipped, file_notes=tallies.notes,
                repeated=tallies.repeated, core_area=share_of[g]))
        return reports

    def whole() -> ClaimsRatioReport:
        """The whole claim set as one provider (e.g. one organisation with several AGB codes)."""
        return build(_pooled(keys), 0, 1, [0], [None], tallies.counts.sum(axis=0, keepdims=True),
                     tallies.reasons.sum(axis=0, keepdims=True), [tallies.unknown_total()], pooled=True)[0]

    alone_at = tallies.chosen(only_provider)
    if not tallies.has_provider:
        return replace(whole(), invalid_examples=tuple(tallies.examples))
    groups = len(tallies.provider_names)
    by_name = tallies.providers()
    unknown = [tallies.unknown.get(i, Counter()) for i in range(groups)]
    # Where each provider's triples begin: they are sorted by provider id first.
    bounds = np.searchsorted(keys, (np.arange(groups + 1, dtype=np.int64) * PC4_KEY) << 32)

    def provider_reports(wanted: list[int]) -> dict[int, ClaimsRatioReport]:
        made: dict[int, ClaimsRatioReport] = {}
        for chosen in _runs_of_groups(bounds, wanted):
            lo, hi = chosen[0], chosen[-1] + 1
            made.update(zip(chosen, build(keys[bounds[lo]:bounds[hi]], lo, hi - lo, chosen, tallies.provider_names,
                                          tallies.counts, tallies.reasons, unknown), strict=True))
        return made

    if alone_at is not None:
        alone = provider_reports([alone_at])[alone_at]
        return replace(alone, invalid_examples=tuple(tallies.examples))
    # The whole claim set on a second thread meanwhile: its sorts and counts release the GIL, and after
    # reading the claims nothing else keeps the second core busy.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pooled = pool.submit(whole)
        made = provider_reports(sorted(by_name.values()))
        providers = {name: made[by_name[name]] for name in sorted(by_name, key=str)}
        return replace(pooled.result(), invalid_examples=tuple(tallies.examples), providers=providers)


def _runs_of_groups(bounds: np.ndarray, wanted: list[int]) -> Iterator[list[int]]:
    """The `wanted` groups (ascending) cut into runs of neighbours whose triples (from the first group's
    to the last one's) number about `CHUNK_TRIPLES` (a larger group alone)."""
    run: list[int] = []
    for g in wanted:
        if run and bounds[g + 1] - bounds[run[0]] > CHUNK_TRIPLES:
            yield run
            run = []
        run.append(g)
    if run:
        yield run


def _dropped_names(assembly: Assembly, pc4: np.ndarray, drop_count: np.ndarray) -> dict[int, tuple[str, ...]]:
    """Per group that drops areas, the PC4 names of the first `drop_count` areas of its drop order. The
    names of all groups are taken at once, as shared strings (`PC4_TEXT`), and only then cut per group: a
    chunk of providers that work all over the country drops a million areas."""
    groups = np.flatnonzero(drop_count)
    if not len(groups):
        return {}
    first = np.arange(len(assembly.drop_order)) - assembly.start[assembly.area_group]  # place in its group
    picked = assembly.drop_order[first < drop_count[assembly.area_group]]  # in group order
    names = _PC4_OBJECTS[pc4[picked]].tolist()
    ends = np.cumsum(drop_count[groups]).tolist()
    return {g: tuple(names[b:e]) for g, b, e in zip(groups.tolist(), [0, *ends[:-1]], ends, strict=True)}


_PC4_OBJECTS = np.array(PC4_TEXT, dtype=object)  # taken by PC4 code: each name the one shared string


SLICE = 1 << 20  # triples converted at a time: the temporaries stay a few MB


def split(keys: np.ndarray, first: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(group - `first`, PC4, client code) of triples (provider id * PC4_KEY + PC4) << 32 | client, as
    int32, int16 and int32, a slice at a time."""
    group, pc4, client = np.empty(len(keys), np.int32), np.empty(len(keys), np.int16), np.empty(len(keys), np.int32)
    for at in range(0, len(keys), SLICE):
        area = keys[at: at + SLICE] >> 32
        group[at: at + SLICE] = area // PC4_KEY - first
        pc4[at: at + SLICE] = area % PC4_KEY
        client[at: at + SLICE] = keys[at: at + SLICE] & LOW_32
    return group, pc4, client


def _pooled(keys: np.ndarray) -> np.ndarray:
    """Distinct (PC4, client) over all providers, as group 0 triples. In triple order these are one
    sorted run per provider, which a stable sort merges (timsort) faster than it sorts afresh; made a
    slice at a time and sorted in place, the only copy as large as `keys` is the result."""
    pairs = np.empty(len(keys), np.int64)
    for at in range(0, len(keys), SLICE):
        part = keys[at: at + SLICE]
        pairs[at: at + SLICE] = (((part >> 32) % PC4_KEY) << 32) | (part & LOW_32)
    return distinct(pairs, runs=True, in_place=True)


__all__ = ["Assembly", "areas_to_drop", "assemble", "ratio_reports", "split"]
