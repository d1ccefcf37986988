from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from toolkit import (
    InputError,
    PolicyYearError,
    additional_budget_request,
    assess_cooperative,
    check_working_time,
    cooperative_max_turnover,
    fte_from_weekly_hours,
    index_nachtzorg_budget,
    indexation_factor,
    staffel_percentage,
    staffel_reimbursement,
    weighted_index,
)
from toolkit.rules.nachtzorg import business_case_deadlines, follow_request_handled

# --- staffel (3.2.4)


def test_score_b_without_cost_points_is_an_input_error() -> None:
    with pytest.raises(InputError) as info:
        staffel_percentage("B")
    assert info.value.field == "cost_points"


@pytest.mark.parametrize("score", ["D", "AA", "1", 1, "A+"])
def test_unknown_score_letters(score: object) -> None:
    with pytest.raises(InputError, match="score_previous") as info:
        staffel_percentage(score)  # type: ignore[arg-type]
    assert info.value.value == score


def test_bad_score_current_and_cost_points() -> None:
    with pytest.raises(InputError, match="score_current"):
        staffel_percentage("A", "X")
    with pytest.raises(InputError, match="negatief"):
        staffel_percentage("B", cost_points=-1)
    with pytest.raises(InputError, match="negatief"):
        staffel_reimbursement(-5, "A")


def test_deviating_agreements_are_reported_not_computed() -> None:
    for kwargs in ({"palliative_terminal": True}, {"merger_or_bankruptcy": True}):
        outcome = staffel_percentage("A", "A", **kwargs)  # type: ignore[arg-type]
        assert outcome.percentage is None and outcome.deviating
        assert outcome.reason.startswith("afwijkende afspraak")


def test_staffel_uncovered_year() -> None:
    with pytest.raises(PolicyYearError, match="2027"):
        staffel_percentage("A", year=2026)


@given(st.decimals(min_value=0, max_value=10**8, places=2), st.sampled_from(["A", None, ""]))
def test_reimbursement_is_budget_times_percentage_rounded(budget: Decimal, score: str | None) -> None:
    outcome = staffel_reimbursement(budget, score)
    assert outcome.percentage is not None and outcome.amount is not None
    assert abs(outcome.amount - budget * outcome.percentage) <= Decimal("0.005")


def test_request_eligibility_80_percent_before_1_october() -> None:
    at = additional_budget_request(80_000, 100_000)
    assert at.meets and at.reference_date == dt.date(2027, 10, 1) and at.last_send_date == dt.date(2027, 12, 31)
    assert at.request_month == 9
    assert not additional_budget_request(79_999.99, 100_000).meets
    with pytest.raises(InputError, match="ceiling: '0' moet groter dan 0"):
        additional_budget_request(1, 0)


# --- cooperative (3.2.2, bijlage 1.4)


@given(st.integers(0, 5000), st.decimals(min_value=0, max_value=100, places=2))
def test_cooperative_proportional_properties(clients: int, fte: Decimal) -> None:
    r = assess_cooperative(clients, fte)
    assert r.meets == (fte * 55 >= clients)
    assert r.max_clients == int(fte * 55)
    assert assess_cooperative(r.max_clients, fte).meets
    assert not assess_cooperative(r.max_clients + 1, fte).meets
    assert r.shortfall_fte >= 0
    assert (r.shortfall_fte == 0) == r.meets


@given(st.integers(1, 50))
def test_55_times_fte_exactly_integral_meets(fte: int) -> None:
    assert assess_cooperative(55 * fte, fte).meets
    assert assess_cooperative(55 * fte, float(fte)).meets
    assert not assess_cooperative(55 * fte + 1, fte).meets


@pytest.mark.parametrize("reading", ["proportional", "per_started_55", "per_begonnen_groep"])
def test_a_float_fte_a_hair_under_a_whole_one_gives_one_answer_in_every_reading(reading: str) -> None:
    # 0.999999999995 is what a float sum of hours gives for 1 FTE: both readings round it to 9 decimals.
    assert assess_cooperative(55, 0.999999999995, reading=reading).meets
    assert assess_cooperative(55, 0.999999999995, reading=reading).shortfall_fte == 0
    assert not assess_cooperative(56, 0.999999999995, reading=reading).meets
    assert not assess_cooperative(55, 0.99999999, reading=reading).meets


@pytest.mark.parametrize("reading", ["per_started_55", "per_begonnen_groep", "per_started_group"])
def test_the_per_started_group_reading_is_named_as_spec_names_it(reading: str) -> None:
    # SPEC 3 calls it per_started_55: the assessment says so whichever of its names was passed.
    found = assess_cooperative(56, 1, reading=reading)
    assert found.reading == "per_started_55" and found.required_fte == 2 and not found.meets
    assert assess_cooperative(56, 1).reading == "proportional"


def test_cooperative_bad_input() -> None:
    with pytest.raises(InputError, match="negatief"):
        assess_cooperative(-1, 1)
    with pytest.raises(InputError, match="level6_fte"):
        assess_cooperative(10, -0.5)
    with pytest.raises(InputError, match="lezing"):
        assess_cooperative(10, 1, reading="per_55")


def test_max_turnover_caps_each_member_at_atw_hours() -> None:
    day = cooperative_max_turnover([3000, 1000, 2496], Decimal("61.50"))
    assert day.capped_hours == (2496, 1000, 2496)
    assert day.members_capped == 1
    assert day.max_turnover == Decimal("368508.00")
    night = cooperative_max_turnover([3000, 1000], 60, night=True)
    assert night.max_hours_per_member == 2080
    assert night.max_turnover == Decimal((2080 + 1000) * 60).quantize(Decimal("0.01"))


def test_max_turnover_bad_hours() -> None:
    with pytest.raises(InputError, match="member_hours: '-1' in rij 2 mag niet negatief"):
        cooperative_max_turnover([10, -1], 60)


def test_fte_from_hours() -> None:
    assert fte_from_weekly_hours(36) == 1
    assert fte_from_weekly_hours(18) == Decimal("0.5")


def test_working_time_limits() -> None:
    ok = check_working_time([[8, 8, 8, 8, 8]] * 16)
    assert ok == ()
    long_shift = check_working_time([[13]])
    assert long_shift[0].shift == 1 and long_shift[0].limit == 12
    heavy_week = check_working_time([[12, 12, 12, 12, 12, 1]])
    assert any(v.limit == 60 for v in heavy_week)
    average = check_working_time([[10, 10, 10, 10, 10]] * 16)  # 50 h on average
    assert any(v.limit == 48 for v in average)
    assert check_working_time([[10, 10, 10, 10, 10]] * 16, night=False) == average
    assert any(v.limit == 40 for v in check_working_time([[9, 9, 9, 9, 9]] * 16, night=True))


# --- nachtzorg (bijlage 1, 1.6.3)


def test_weighted_index_90_10() -> None:
    assert weighted_index(Decimal("0.031"), Decimal("0.021")) == Decimal("0.0300")
    assert weighted_index(0.05, 0.0) == Decimal("0.045")


@given(st.decimals(min_value=-0.5, max_value=0.5, places=4), st.decimals(min_value=-0.5, max_value=0.5, places=4),
       st.decimals(min_value=-0.5, max_value=0.5, places=4))
def test_methods_agree_without_correction(w_t: Decimal, w_prev: Decimal, other: Decimal) -> None:
    assert indexation_factor(w_t, w_prev, w_prev) == 1 + w_t
    assert indexation_factor(w_t, w_prev, w_prev, "additive") == 1 + w_t
    # with a correction, multiplicative compounds: (1+t)(1+f)/(1+p)
    expected = (1 + w_t) * (1 + other) / (1 + w_prev)
    assert indexation_factor(w_t, w_prev, other) == expected


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [({"zvw_share": 1.5}, "zvw_share"), ({"zvw_share": -0.1}, "zvw_share"), ({"prelim_t": -1}, "prelim_t"),
     ({"final_prev": -1.2}, "final_prev"), ({"method": "geometrisch"}, "method"), ({"prelim_t": "x"}, "prelim_t")],
)
def test_nachtzorg_bad_input(kwargs: dict[str, object], field: str) -> None:
    args: dict[str, object] = {"prelim_t": 0.03, "prelim_prev": 0.025, "final_prev": 0.032, **kwargs}
    with pytest.raises(InputError) as info:
        index_nachtzorg_budget(1000, **args)  # type: ignore[arg-type]
    assert info.value.field == field


def test_nachtzorg_takes_the_policy_year_of_its_dated_data() -> None:
    """The weights and the method are those of a policy year (the data covers 2027): every nachtzorg function
    takes `year`, gives the same answer for the covered year as for the default, and refuses another year."""
    args = {"prelim_t": 0.03, "prelim_prev": 0.025, "final_prev": 0.032, "zvw_share": "85%"}
    assert index_nachtzorg_budget(1000, **args, year=2027) == index_nachtzorg_budget(1000, **args)
    assert indexation_factor(0.03, 0.025, 0.032, year=2027.0) == indexation_factor(0.03, 0.025, 0.032)
    assert weighted_index(0.031, 0.021, year="2027") == weighted_index(0.031, 0.021)
    for year in (2026, 2028):
        with pytest.raises(PolicyYearError, match=f"beleidsjaar {year}"):
            index_nachtzorg_budget(1000, **args, year=year)
        with pytest.raises(PolicyYearError, match=f"beleidsjaar {year}"):
            indexation_factor(0.03, 0.025, 0.032, "additive", year=year)
        with pytest.raises(PolicyYearError, match=f"beleidsjaar {year}"):
            weighted_index(0.031, 0.021, year=year)
    # The year is looked at first: a wrong year is named even when other arguments are bad too.
    with pytest.raises(PolicyYearError):
        index_nachtzorg_budget(-1, prelim_t=9, prelim_prev=0, final_prev=0, year=2026)


def test_business_case_deadlines() -> None:
    d = business_case_deadlines()
    assert (d.discuss_before, d.deliver_before, d.follow_request_before) == (
        dt.date(2027, 4, 1), dt.date(2027, 5, 1), dt.date(2027, 7, 1))
    assert follow_request_handled(dt.date(2027, 6, 30))
    assert not follow_request_handled(dt.date(2027, 7, 1))
