from __future__ import annotations

import itertools
import typing
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from toolkit import InputError, PolicyYearError, assess_client_area_ratio, assess_ratio_counts

WORKED_EXAMPLE = {"5611": 4, "5612": 1, "5613": 2}  # 002_…txt, 2.3.2 "Versnippering"


def test_policy_worked_example() -> None:
    r = assess_client_area_ratio(WORKED_EXAMPLE, year=2027)
    assert (r.clients, r.areas) == (7, 3)
    assert r.ratio == pytest.approx(7 / 3)
    assert r.ratio_display == "2,33"
    assert r.threshold == 3
    assert r.meets is False and r.applies is True
    assert r.clients_needed == 2
    assert r.max_areas == 2
    assert r.areas_to_drop == ("5612",)


@pytest.mark.parametrize(
    ("year", "provider", "threshold"),
    [(2025, "existing", None), (2025, "new", 3), (2026, "existing", 2), (2026, "new", 3),
     (2027, "existing", 3), (2027, "new", 3), (2027, "bestaand", 3), (2026, "nieuw", 3)],
)
def test_threshold_table(year: int, provider: str, threshold: int | None) -> None:
    r = assess_client_area_ratio(WORKED_EXAMPLE, year=year, provider=provider)
    assert r.threshold == threshold
    if threshold is None:
        assert r.applies is False and r.meets is True and "n.v.t." in r.reason
    else:
        assert r.meets is (Fraction(7, 3) >= threshold)


def test_exactly_at_threshold_meets() -> None:
    r = assess_client_area_ratio({"1000": 3, "2000": 3}, year=2027)
    assert r.meets and r.clients_needed == 0 and r.areas_to_drop == ()


@pytest.mark.parametrize("exemption", ["kindzorg", "medische_kindzorg", "buiten_kernwerkgebied"])
def test_exemptions_are_not_applicable_not_failures(exemption: str) -> None:
    r = assess_client_area_ratio(WORKED_EXAMPLE, year=2027, exemption=exemption)
    assert r.applies is False and r.meets is True
    assert r.reason.startswith("n.v.t.")


def test_full_postcodes_merge_into_their_pc4() -> None:
    r = assess_client_area_ratio({"5611 AB": 2, "5611cd": 1, "5612": 3}, year=2027)
    assert (r.clients, r.areas) == (6, 2)


def test_movers_count_once_in_distinct_reading() -> None:
    movers = {"m": ["5611", "5612"]}
    distinct = assess_client_area_ratio({"5611": 3, "5612": 3}, year=2027, movers=movers)
    per_area = assess_client_area_ratio({"5611": 3, "5612": 3}, year=2027)
    assert distinct.clients == 5 and not distinct.meets
    assert per_area.clients == 6 and per_area.meets


def test_zero_client_areas_are_not_areas() -> None:
    assert assess_client_area_ratio({"5611": 3, "5612": 0}, year=2027).areas == 1


def test_no_claims_at_all() -> None:
    r = assess_client_area_ratio({}, year=2027)
    assert r.ratio is None and r.meets is False and r.areas == 0


@pytest.mark.parametrize(
    ("counts", "field"),
    [({"12AB": 1}, "postcode"), ({"0123": 1}, "postcode"), ({"5611": -1}, "cliënten bij postcode 5611"),
     ({"5611": 1.5}, "cliënten bij postcode 5611"), ({"5611": "drie"}, "cliënten bij postcode 5611")],
)
def test_bad_counts_are_input_errors(counts: dict[str, object], field: str) -> None:
    with pytest.raises(InputError) as info:
        assess_client_area_ratio(counts, year=2027)  # type: ignore[arg-type]
    assert info.value.field == field


def test_bad_arguments() -> None:
    with pytest.raises(PolicyYearError, match="2025, 2026, 2027"):
        assess_client_area_ratio(WORKED_EXAMPLE, year=2031)
    with pytest.raises(InputError, match="soort zorgaanbieder"):
        assess_client_area_ratio(WORKED_EXAMPLE, year=2027, provider="oud")
    with pytest.raises(InputError, match="uitzondering"):
        assess_client_area_ratio(WORKED_EXAMPLE, year=2027, exemption="ggz")
    with pytest.raises(InputError, match="0 terwijl"):
        assess_ratio_counts(5, 0, year=2027)
    with pytest.raises(InputError, match="negatief"):
        assess_ratio_counts(-1, 1, year=2027)


def test_counts_only_variant_agrees() -> None:
    r = assess_ratio_counts(7, 3, year=2027)
    assert (r.meets, r.clients_needed, r.max_areas) == (False, 2, 2)


counts_strategy = st.dictionaries(
    st.integers(1000, 9999).map(str), st.integers(1, 12), min_size=1, max_size=8
)


@given(counts_strategy, st.sampled_from([(2026, "existing"), (2027, "existing"), (2025, "new")]))
def test_clients_needed_is_the_smallest_that_meets(counts: dict[str, int], case: tuple[int, str]) -> None:
    year, kind = case
    r = assess_client_area_ratio(counts, year=year, provider=kind)
    assert r.threshold is not None
    with_needed = assess_ratio_counts(r.clients + r.clients_needed, r.areas, year=year, provider=kind)
    assert with_needed.meets
    if r.clients_needed > 0:
        assert not assess_ratio_counts(r.clients + r.clients_needed - 1, r.areas, year=year, provider=kind).meets
    assert r.meets == (r.clients_needed == 0)


@given(counts_strategy)
def test_max_areas_is_the_largest_spread_that_meets(counts: dict[str, int]) -> None:
    r = assess_client_area_ratio(counts, year=2027)
    assert r.max_areas is not None and r.threshold is not None
    assert r.max_areas == 0 or Fraction(r.clients, r.max_areas) >= r.threshold
    assert Fraction(r.clients, r.max_areas + 1) < r.threshold


@settings(max_examples=150)
@given(counts_strategy)
def test_areas_to_drop_is_a_smallest_set(counts: dict[str, int]) -> None:
    r = assess_client_area_ratio(counts, year=2027)
    threshold = Fraction(3)

    def meets_without(dropped: tuple[str, ...]) -> bool:
        left = {a: c for a, c in counts.items() if a not in dropped}
        return bool(left) and Fraction(sum(left.values()), len(left)) >= threshold

    if r.meets:
        assert r.areas_to_drop == ()
        return
    feasible = max(counts.values()) >= 3
    assert r.drop_achievable is feasible
    assume(feasible)
    assert meets_without(r.areas_to_drop)
    smaller = len(r.areas_to_drop) - 1
    assert not any(meets_without(combo) for combo in itertools.combinations(counts, smaller))
    # order: fewest clients first, ties lowest postcode first
    keys = [(counts[a], a) for a in r.areas_to_drop]
    assert keys == sorted(keys)


@settings(max_examples=100)
@given(st.lists(st.tuples(st.integers(0, 9), st.sampled_from(["1000", "1001", "1002", "1003"])), min_size=1,
                max_size=25))
def test_distinct_reading_matches_sets(claims: list[tuple[int, str]]) -> None:
    areas: dict[str, set[int]] = {}
    for client, area in claims:
        areas.setdefault(area, set()).add(client)
    client_areas: dict[str, list[str]] = {}
    for client, area in set(claims):
        client_areas.setdefault(str(client), []).append(area)
    movers = {c: a for c, a in client_areas.items() if len(a) > 1}
    r = assess_client_area_ratio({a: len(c) for a, c in areas.items()}, year=2027, movers=movers)
    assert r.clients == len({c for c, _ in claims})
    assert r.areas == len(areas)
    assert r.meets == (Fraction(r.clients, r.areas) >= 3)
    if r.areas_to_drop and r.drop_achievable:
        kept = {c for a, cs in areas.items() if a not in r.areas_to_drop for c in cs}
        assert Fraction(len(kept), len(areas) - len(r.areas_to_drop)) >= 3


def test_threshold_is_exact_decimal() -> None:
    assert isinstance(assess_client_area_ratio(WORKED_EXAMPLE, year=2027).threshold, Decimal)


# --- pairing two spreadsheet columns (clients_by_area), against a reading row by row --------------------------

POSTCODE_CELLS = st.one_of(
    st.none(),
    st.sampled_from(["5611", 5611.0, "5612 AB", 5612.0]),  # good ones often, so that rows get as far as the count
    st.sampled_from(["5611", "5612 AB", " 5613ab ", "1000", "9999", "0123", "12AB", "", "  ", "#N/A", "5611,0"]),
    st.sampled_from([5611.0, 5612.0, 1000.0, 999.0, 10000.0, 5611.5, -5611.0, -0.0, float("nan"), float("inf")]),
    st.integers(990, 10_010),
    st.booleans(),
)
NUMBER_CELLS = st.one_of(
    st.none(),
    st.integers(0, 12).map(float),  # what Excel hands over most of the time
    st.integers(-3, -1).map(float),
    st.integers(-3, -1),
    st.integers(0, 12),
    st.sampled_from([2.0000000000000004, 1.9999999999999998, 0.5, -0.0, -1.0, 1e15, 1e15 + 2, 2.0**53, 1e300,
                     float("nan"), float("inf"), -float("inf")]),
    st.integers(10**12, 10**17).map(float),
    st.integers(10**12, 10**17),
)
COUNT_CELLS = st.one_of(
    NUMBER_CELLS,
    st.sampled_from(["3", " 4 ", "1.000", "2,0", "12,5", "abc", "", "  ", "#N/A", "#DEEL/0!", "1e3", "-1", "٣"]),
    st.booleans(),
)


def _pairing_row_by_row(postcodes: list[object], clients: list[object]) -> dict[str, int]:
    """SPEC 1's pairing read the plain way: each cell through the public readers, nothing cached or skipped."""
    from toolkit.errors import show_value
    from toolkit.parameters import quantity
    from toolkit.postcode import to_pc4

    def blank(value: object) -> bool:
        return value is None or (isinstance(value, str) and not value.strip())

    totals: dict[str, int] = {}
    for row in range(1, max(len(postcodes), len(clients)) + 1):
        code = postcodes[row - 1] if row <= len(postcodes) else None
        cell = clients[row - 1] if row <= len(clients) else None
        area = None if blank(code) else to_pc4(code, field="postcodes", row=row)
        count = None if blank(cell) else quantity("count").read(cell, "clients", row=row)
        if area is None:
            if count:
                raise InputError(f"clients: {show_value(cell)} in rij {row} heeft geen postcode", field="clients",
                                 value=cell, row=row)
        elif count is None:
            raise InputError(f"clients: postcode {show_value(code)} in rij {row} heeft geen aantal cliënten",
                             field="clients", value=None, row=row)
        else:
            totals[area] = totals.get(area, 0) + count
    return {area: total for area, total in sorted(totals.items()) if total}


def _outcome(call: typing.Callable[[], dict[str, int]]) -> object:
    try:
        return call()
    except InputError as err:
        return ("fout", err.field, err.row, str(err))


@settings(max_examples=300)
@given(st.one_of(
    # Columns as Excel gives them: numbers as floats, a few empty cells (the common, fast case)
    st.lists(st.tuples(st.one_of(st.none(), st.integers(1000, 1010).map(float)),
                       st.one_of(st.none(), st.integers(0, 9).map(float))), max_size=40),
    st.lists(st.tuples(POSTCODE_CELLS, NUMBER_CELLS), max_size=12),  # only numbers and empty cells as counts
    st.lists(st.tuples(POSTCODE_CELLS, COUNT_CELLS), max_size=12),  # anything a sheet may hold
    # Rows in order with one odd row somewhere, so that the odd cell is reached (a bad row before it ends it)
    st.tuples(st.lists(st.tuples(st.sampled_from(["5611", 5612.0, 5613, "5614 AB"]), st.integers(0, 9)), max_size=8),
              st.tuples(POSTCODE_CELLS, COUNT_CELLS), st.integers(0, 8)).map(
        lambda drawn: [*drawn[0][:drawn[2]], drawn[1], *drawn[0][drawn[2]:]]),
), st.integers(0, 3))
def test_pairing_equals_reading_every_row(rows: list[tuple[object, object]], ragged: int) -> None:
    """The pairing's shortcuts (whole floats taken as they are, each postcode read once) change no answer,
    no refusal and not which row is refused first, nor whether the postcode or the count is named."""
    from toolkit.rules.ratio import clients_by_area

    postcodes = [code for code, _ in rows] + [None] * ragged
    clients = [count for _, count in rows]
    assert _outcome(lambda: clients_by_area(postcodes, clients)) == \
        _outcome(lambda: _pairing_row_by_row(postcodes, clients))


def test_the_counting_method_takes_the_dutch_words_in_python_too() -> None:
    # docs/regels.md tells Python users method="per_gebied", as the command line takes --methode per_gebied.
    from pathlib import Path

    from toolkit import InputError, ratio_from_claims

    example = Path(__file__).resolve().parents[1] / "examples" / "declaraties_2025.csv"
    dutch = ratio_from_claims(example, year=2027, method="per_gebied")
    assert dutch.method == "per_area" and dutch.to_dict() == ratio_from_claims(example, year=2027,
                                                                              method="per_area").to_dict()
    assert ratio_from_claims(example, year=2027, method="uniek").to_dict() == ratio_from_claims(example,
                                                                                           year=2027).to_dict()
    assert ratio_from_claims(example, year=2027, method=" Per_Gebied ").to_dict() == dutch.to_dict()
    with pytest.raises(InputError, match="methode 'per gebied' is onbekend"):
        ratio_from_claims(example, year=2027, method="per gebied")
    with pytest.raises(InputError, match="methode"):
        ratio_from_claims(example, year=2027, method=["uniek"])  # type: ignore[arg-type]
