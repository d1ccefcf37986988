"""The ratio assembled in arrays for all providers at once (toolkit.claims.assembly) against the plain rule
(toolkit.rules.ratio.assess_normalised_counts) provider by provider, on random and hand-made claims."""

from __future__ import annotations

import json
from collections import defaultdict
from unittest import mock

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit import ratio_from_claims
from toolkit.claims import assembly
from toolkit.claims import report as report_module
from toolkit.rules.ratio import assess_normalised_counts

FIELDS = ("clients", "areas", "ratio", "threshold", "meets", "applies", "clients_needed", "max_areas", "areas_to_drop",
          "drop_achievable", "reason", "exemption")


def claims_table(rows: list[tuple[str, int, int]], claims_year: int) -> pa.Table:
    """Claim lines (provider, client number, PC4), all CZ group in the claims year."""
    return pa.table({
        "zorgaanbieder": [p for p, _, _ in rows],
        "clientnummer": [f"c{c}" for _, c, _ in rows],
        "postcode": [str(pc4) for _, _, pc4 in rows],
        "verzekeraar": ["CZ"] * len(rows),
        "datum": [f"{claims_year}-05-01"] * len(rows),
    })


def plain(rows: list[tuple[str, int, int]], provider: str | None, *, year: int, kind: str, method: str) -> tuple:
    pairs = {(c, pc4) for p, c, pc4 in rows if provider is None or p == provider}
    areas_of: dict[int, set[str]] = defaultdict(set)
    for client, pc4 in pairs:
        areas_of[client].add(str(pc4))
    counts: dict[str, int] = defaultdict(int)
    for _, pc4 in pairs:
        counts[str(pc4)] += 1
    movers = {f"c{c}": areas for c, areas in areas_of.items() if len(areas) > 1}
    assessment = assess_normalised_counts(dict(counts), year=year, provider=kind,
                                          movers=movers if method == "distinct" else None)
    return (*(getattr(assessment, f) for f in FIELDS), len(movers), dict(counts))


def arrays(report: object) -> tuple:
    by_area = report.clients_by_area  # type: ignore[attr-defined]
    assert len(by_area) == len(dict(by_area)) and all(by_area[k] == v for k, v in dict(by_area).items())
    assert "0000" not in by_area and 5611 not in by_area  # a mapping of PC4 text, as the plain rule's dict
    return (*(getattr(report, f) for f in FIELDS), report.movers, dict(by_area))  # type: ignore[attr-defined]


CLAIMS = st.lists(st.tuples(st.sampled_from("PQRS"), st.integers(0, 14), st.integers(1000, 1009)), min_size=1,
                  max_size=80)


@settings(deadline=None, max_examples=300)
@given(CLAIMS, st.sampled_from(["distinct", "per_area"]), st.sampled_from([2025, 2026, 2027]),
       st.sampled_from(["existing", "new"]))
def test_arrays_equal_the_plain_rule(rows: list[tuple[str, int, int]], method: str, year: int, kind: str) -> None:
    report = ratio_from_claims(claims_table(rows, year - 2), year=year, provider=kind, method=method)
    for provider in sorted({p for p, _, _ in rows}):
        assert arrays(report.providers[provider]) == plain(rows, provider, year=year, kind=kind, method=method)
    assert arrays(report) == plain(rows, None, year=year, kind=kind, method=method)
    for one in (report, *report.providers.values()):  # the CLI's JSON, joined as text, is json.dumps's
        assert one.to_json() == json.dumps(one.to_dict(), ensure_ascii=False)


@settings(deadline=None, max_examples=150)
@given(CLAIMS, st.sampled_from(["distinct", "per_area"]), st.integers(1, 12))
def test_providers_assembled_in_small_runs_equal_the_plain_rule(rows: list[tuple[str, int, int]], method: str,
                                                                 chunk: int) -> None:
    """Providers are assembled a run of neighbours at a time (bounded memory); with runs of a few triples
    every boundary case (a provider alone, a run cut before a large one) comes up."""
    with mock.patch.object(assembly, "CHUNK_TRIPLES", chunk):
        report = ratio_from_claims(claims_table(rows, 2025), year=2027, method=method)
    for provider in sorted({p for p, _, _ in rows}):
        assert arrays(report.providers[provider]) == plain(rows, provider, year=2027, kind="existing", method=method)
    assert list(report.providers) == sorted(report.providers)


@settings(deadline=None, max_examples=100)
@given(CLAIMS, st.sampled_from(["distinct", "per_area"]))
def test_one_provider_alone_equals_the_plain_rule(rows: list[tuple[str, int, int]], method: str) -> None:
    chosen = rows[0][0]
    report = ratio_from_claims(claims_table(rows, 2025), year=2027, method=method, only_provider=chosen)
    assert arrays(report) == plain(rows, chosen, year=2027, kind="existing", method=method)


@pytest.mark.parametrize(("rows", "dropped", "achievable"), [
    # 1 + 1 + 5 clients in three areas: ties go to the lowest PC4 first; dropping 1000 leaves 6 / 2 = 3.
    ([("P", c, 1002) for c in range(5)] + [("P", 10, 1001), ("P", 11, 1000)], ("1000",), True),
    # The mover c0 (1000 and 1002) stays while 1002 remains: dropping 1000 loses only c9 (5 / 2), then
    # 1001 leaves 3 / 1. Counting c0 as gone with 1000 would find no answer.
    ([("P", 0, 1000), ("P", 9, 1000), ("P", 20, 1001), ("P", 21, 1001), ("P", 0, 1002), ("P", 1, 1002),
      ("P", 2, 1002)], ("1000", "1001"), True),
    # Every area has fewer clients than the threshold: nothing meets, every area is listed.
    ([("P", 0, 1000), ("P", 1, 1001), ("P", 2, 1002)], ("1000", "1001", "1002"), False),
    # Two clients in four areas: even one area left holds only 2; every area is listed.
    ([("P", 0, a) for a in (1000, 1001, 1002, 1003)] + [("P", 1, a) for a in (1000, 1001, 1002, 1003)],
     ("1000", "1001", "1002", "1003"), False),
])
def test_hand_made_drops(rows: list[tuple[str, int, int]], dropped: tuple[str, ...], achievable: bool) -> None:
    report = ratio_from_claims(claims_table(rows, 2025), year=2027).providers["P"]
    assert report.areas_to_drop == dropped and report.drop_achievable is achievable
    assert arrays(report) == plain(rows, "P", year=2027, kind="existing", method="distinct")


@settings(deadline=None, max_examples=200)
@given(st.dictionaries(st.integers(0, 9999), st.one_of(st.integers(0, 12), st.integers(0, 2**31 - 1)), max_size=60))
def test_clients_per_area_json_is_json_dumps(by_pc4: dict[int, int]) -> None:
    pc4 = np.array(sorted(by_pc4), np.int16)
    clients = np.array([by_pc4[p] for p in sorted(by_pc4)], np.int32)
    expected = json.dumps({f"{p:04d}": by_pc4[p] for p in sorted(by_pc4)})
    assert report_module.json_object(pc4, clients) == expected


def test_clients_per_area_json_refuses_what_is_no_pc4() -> None:
    for pc4 in (-1, 10_000):
        with pytest.raises(ValueError):
            report_module.json_object(np.array([pc4], np.int64), np.array([1], np.int32))


@settings(deadline=None, max_examples=100)
@given(st.lists(st.one_of(st.from_regex(r"[0-9]{4}", fullmatch=True), st.text(max_size=6)), max_size=12))
def test_areas_to_drop_in_json_are_json_dumps(names: list[str]) -> None:
    """The areas to drop are joined as text when they are PC4 digits; any other name (a quote, a
    backslash, a control character, a digit of another script) is left to json.dumps."""
    from dataclasses import replace

    report = ratio_from_claims(claims_table([("P", 1, 1000), ("P", 2, 1001)], 2025), year=2027).providers["P"]
    one = replace(report, assessment=replace(report.assessment, areas_to_drop=tuple(names)))
    assert one.to_json() == json.dumps(one.to_dict(), ensure_ascii=False)


def test_clients_per_area_behave_as_a_dict() -> None:
    """A report's clients per area are two arrays behind a Mapping: the same answers as the dict they stand
    for, also copied and pickled."""
    import copy
    import pickle

    from toolkit.claims.report import AreaCounts

    counts = AreaCounts(np.array([1000, 5611, 9999], np.int16), np.array([3, 1, 12], np.int32))
    plain = {"1000": 3, "5611": 1, "9999": 12}
    assert counts == plain and plain == counts and (counts != plain) is False and counts != {"1000": 3}
    assert dict(counts) == plain and list(counts) == list(plain) and len(counts) == 3
    assert list(counts.items()) == list(plain.items()) and list(counts.values()) == [3, 1, 12]
    assert counts.get("5611") == 1 and counts.get("5612") is None and counts["9999"] == 12
    assert "1000" in counts and 1000 not in counts and [1000] not in counts and " 1000" not in counts
    with pytest.raises(KeyError):
        counts["0999"]
    with pytest.raises(TypeError):
        hash(counts)
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        assert pickle.loads(pickle.dumps(counts, protocol=protocol)) == plain
    assert copy.deepcopy(counts) == plain and repr(counts) == repr(plain)
    assert counts.json_object() == json.dumps(plain)
    with pytest.raises(ValueError):
        report_module.json_object(np.array([1000], np.int16), np.array([-1], np.int32))
