"""Rule 9, the entry test for a new provider (SPEC 9; CZ groep, Zorginkoopbeleid wijkverpleging 2027, § 3.2.1):
SPEC's worked examples, the boundaries of every condition, the answer date, properties, bad input per field,
the Excel function and the parameter overlay."""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_years_as_data import in_force, make_overlay  # noqa: F401 (in_force is a fixture)

from toolkit import InputError, NewProviderAssessment, PolicyYearError, assess_client_area_ratio, assess_new_provider
from toolkit.dates import add_months, excel_serial
from toolkit.rules.new_provider import (
    DEVELOPMENT,
    FIRST_REGISTRATION,
    GATES,
    RATIO,
    TO_SHOW,
    TURNOVER,
    WINDOW,
    typed_clients_by_area,
)

SEVEN_OVER_TWO = {"5611": 4, "5612": 3}  # SPEC 9: 7 clients over 2 areas, ratio 3,5


def reasons(a: NewProviderAssessment) -> dict[str, str]:
    return {c.name: c.reason for c in a.conditions}


# --- SPEC's worked examples ---------------------------------------------------------------------------------

def test_spec_example_every_calculable_condition_met_and_the_answer_two_months_later() -> None:
    a = assess_new_provider("15-01-2027", 60_000, in_core_area=True, clients_by_area=SEVEN_OVER_TWO)
    assert a.meets and a.considered and a.year == 2027
    assert [c.name for c in a.conditions] == [WINDOW, FIRST_REGISTRATION, TURNOVER, RATIO, DEVELOPMENT]
    assert all(c.met for c in a.conditions)
    assert a.answer_expected == dt.date(2027, 3, 15)
    assert a.ratio.ratio == 3.5 and a.ratio.threshold == 3 and a.ratio.provider == "new"
    assert reasons(a) == {
        WINDOW: "ingeschreven op 15 januari 2027, binnen de termijn (1 december 2026 t/m 28 februari 2027)",
        FIRST_REGISTRATION: "eerste inschrijving voor contractjaar 2027",
        TURNOVER: "verwachte omzet bij CZ groep ten minste € 50.000",
        RATIO: "gemiddeld 3,5 CZ-cliënten per postcodegebied, minimaal 3",
        DEVELOPMENT: "n.v.t.: vorig jaar niet afgewezen",
    }
    assert a.summary == "voldoet aan alle berekenbare eisen" and a.reasons == ()
    assert a.to_show == TO_SHOW and "witte vlek" in a.to_show and "integriteitsonderzoek" in a.to_show


def test_spec_example_registered_on_1_march_is_late_and_not_considered() -> None:
    a = assess_new_provider("01-03-2027", 60_000, in_core_area=True, clients_by_area=SEVEN_OVER_TWO)
    assert not a.meets and not a.considered and a.answer_expected is None
    assert a.reasons == ("ingeschreven op 1 maart 2027, na de termijn (1 december 2026 t/m 28 februari 2027): "
                         "niet in behandeling",)


# --- each condition at its boundaries ------------------------------------------------------------------------

@pytest.mark.parametrize(("day", "met", "word"), [
    ("30-11-2026", False, "vóór"), ("1-12-2026", True, "binnen"), ("31-12-2026", True, "binnen"),
    ("28-02-2027", True, "binnen"), ("1-3-2027", False, "na"), ("15-1-2026", False, "vóór"), ("1-1-2028", False, "na"),
])
def test_the_window_is_1_december_through_28_february(day: str, met: bool, word: str) -> None:
    a = assess_new_provider(day, 50_000)
    window = a.condition(WINDOW)
    assert window.met is met and f", {word} de termijn" in window.reason
    assert (a.answer_expected is not None) is met
    assert window.reason.endswith("niet in behandeling") is not met


@pytest.mark.parametrize(("turnover", "met"), [(50_000, True), ("50.000", True), ("€ 50.000,00", True),
                                               ("49.999,99", False), (Decimal("49999.999"), False), (0, False),
                                               (1_000_000, True)])
def test_the_expected_turnover_is_at_least_50000(turnover: object, met: bool) -> None:
    a = assess_new_provider("15-1-2027", turnover)
    assert a.condition(TURNOVER).met is met and a.meets is met
    assert a.considered and a.answer_expected == dt.date(2027, 3, 15)  # CZ answers a low turnover too
    if not met:
        assert a.reasons == ("verwachte omzet bij CZ groep lager dan € 50.000",)


def test_a_second_registration_in_the_contract_year_is_not_considered() -> None:
    a = assess_new_provider("15-1-2027", 60_000, registered_before="ja")
    assert not a.meets and not a.considered and a.answer_expected is None
    assert a.reasons == ("tweede inschrijving voor contractjaar 2027: niet in behandeling",)


@pytest.mark.parametrize(("counts", "met", "reason"), [
    ({"5611": 3, "5612": 3}, True, "gemiddeld 3 CZ-cliënten per postcodegebied, minimaal 3"),
    ({"5611": 3, "5612": 2}, False, "gemiddeld 2,5 CZ-cliënten per postcodegebied, minder dan 3"),
    ({"5611": 4, "5612": 1, "5613": 2}, False, "gemiddeld 2,33 CZ-cliënten per postcodegebied, minder dan 3"),
    # 23 clients over 8 areas is 2,875: half a cent up, as the template's ROUND does (not to even).
    ({f"56{n:02d}": 3 if n < 7 else 2 for n in range(8)}, False,
     "gemiddeld 2,88 CZ-cliënten per postcodegebied, minder dan 3"),
    ({"5611": 0}, False, "geen CZ-cliënten per postcodegebied opgegeven"),
    ({}, False, "geen CZ-cliënten per postcodegebied opgegeven"),
])
def test_in_a_kernwerkgebied_rule_1_decides_for_a_new_provider(counts: dict[str, int], met: bool,
                                                                reason: str) -> None:
    a = assess_new_provider("15-1-2027", 60_000, in_core_area=True, clients_by_area=counts)
    ratio = a.condition(RATIO)
    assert (ratio.met, ratio.applies, ratio.reason) == (met, True, reason)
    assert a.ratio == assess_client_area_ratio(counts, year=2027, provider="new")  # rule 1, not a second reading
    assert a.meets is met and a.considered  # a poor ratio is answered, not refused


def test_outside_the_kernwerkgebied_the_ratio_does_not_apply() -> None:
    for counts in (None, {"5611": 1, "5612": 1}):
        a = assess_new_provider("15-1-2027", 60_000, in_core_area="nee", clients_by_area=counts)
        ratio = a.condition(RATIO)
        assert ratio.met and not ratio.applies and a.meets
        assert ratio.reason == "n.v.t.: de zorg wordt (grotendeels) buiten het kernwerkgebied van CZ groep geleverd"
    assert a.ratio.ratio == 1.0  # shown, not judged


def test_in_a_kernwerkgebied_the_clients_per_area_are_needed() -> None:
    with pytest.raises(InputError, match=r"^clients_by_area: geen CZ-cliënten per postcodegebied") as caught:
        assess_new_provider("15-1-2027", 60_000, in_core_area=True)
    assert caught.value.field == "clients_by_area"


@pytest.mark.parametrize(("rejected", "shown", "met", "applies"), [
    (False, False, True, False), (False, True, True, False), (True, True, True, True), (True, False, False, True)])
def test_rejected_last_year_needs_the_development_shown(rejected: bool, shown: bool, met: bool, applies: bool) -> None:
    a = assess_new_provider("15-1-2027", 60_000, rejected_last_year=rejected, development_shown=shown)
    development = a.condition(DEVELOPMENT)
    assert (development.met, development.applies) == (met, applies)
    assert (a.answer_expected is not None) is met
    if not met:
        assert a.reasons == ("vorig jaar afgewezen; ontwikkeling van de toegevoegde waarde niet aangetoond: niet in "
                             "behandeling",)


def test_every_condition_failing_gives_every_reason_in_order() -> None:
    a = assess_new_provider("30-11-2026", "1.000", registered_before=True, in_core_area=True,
                            clients_by_area={"5611": 2}, rejected_last_year=True)
    assert [c.met for c in a.conditions] == [False] * 5
    assert a.summary == "; ".join(a.reasons) and len(a.reasons) == 5
    assert a.summary.startswith("ingeschreven op 30 november 2026, vóór de termijn")


# --- the answer date -------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("day", "answer"), [
    ("15-01-2027", "15-03-2027"), ("31-12-2026", "28-02-2027"), ("30-12-2026", "28-02-2027"),
    ("29-12-2026", "28-02-2027"), ("28-12-2026", "28-02-2027"), ("01-12-2026", "01-02-2027"),
    ("31-01-2027", "31-03-2027"), ("28-02-2027", "28-04-2027"),
])
def test_the_answer_is_aimed_two_calendar_months_later_or_on_that_months_last_day(day: str, answer: str) -> None:
    assert assess_new_provider(day, 60_000).answer_expected == dt.datetime.strptime(answer, "%d-%m-%Y").date()


def test_add_months_across_a_year_and_a_leap_day() -> None:
    assert add_months(dt.date(2027, 12, 31), 2) == dt.date(2028, 2, 29)
    assert add_months(dt.date(2028, 2, 29), 12) == dt.date(2029, 2, 28)
    assert add_months(dt.date(2027, 11, 30), 2) == dt.date(2028, 1, 30)
    assert add_months(dt.date(2027, 3, 31), -1) == dt.date(2027, 2, 28)


@given(st.dates(min_value=dt.date(1901, 1, 1), max_value=dt.date(2099, 12, 31)), st.integers(0, 36))
def test_add_months_is_the_same_day_or_the_months_last_day(day: dt.date, months: int) -> None:
    later = add_months(day, months)
    assert (later.year - day.year) * 12 + later.month - day.month == months
    assert later.day == min(day.day, calendar.monthrange(later.year, later.month)[1])


# --- properties over every input -------------------------------------------------------------------------------

@given(day=st.dates(min_value=dt.date(2026, 10, 1), max_value=dt.date(2027, 4, 30)),
       turnover=st.decimals(min_value=0, max_value=200_000, places=2),
       before=st.booleans(), core=st.booleans(), rejected=st.booleans(), shown=st.booleans(),
       counts=st.dictionaries(st.integers(1000, 9999).map(str), st.integers(0, 12), max_size=6))
def test_the_verdict_is_every_condition_and_the_answer_follows_the_gates(
        day: dt.date, turnover: Decimal, before: bool, core: bool, rejected: bool, shown: bool,
        counts: dict[str, int]) -> None:
    a = assess_new_provider(day.isoformat(), turnover, registered_before=before, in_core_area=core,
                            clients_by_area=counts, rejected_last_year=rejected, development_shown=shown)
    assert a.meets == all(c.met for c in a.conditions)
    assert a.condition(WINDOW).met == (dt.date(2026, 12, 1) <= day <= dt.date(2027, 2, 28))
    assert a.condition(TURNOVER).met == (turnover >= 50_000)
    assert a.considered == all(a.condition(name).met for name in GATES)
    assert (a.answer_expected is None) != a.considered
    if a.answer_expected is not None:
        assert 59 <= (a.answer_expected - day).days <= 62
    assert set(a.reasons) == {c.reason for c in a.conditions if not c.met}
    # The same answer whatever the spelling of the date.
    again = assess_new_provider(excel_serial(day), str(turnover).replace(".", ","), registered_before=before,
                                in_core_area=core, clients_by_area=counts, rejected_last_year=rejected,
                                development_shown=shown)
    assert again == a


# --- bad input, per field --------------------------------------------------------------------------------------

@pytest.mark.parametrize(("arguments", "field", "match"), [
    ({"registration_date": "31-02-2027"}, "registration_date", r"^registration_date: '31-02-2027' is geen datum"),
    ({"registration_date": "15-01-27"}, "registration_date", r"'15-01-27' is geen datum"),
    ({"registration_date": None}, "registration_date", r"^registration_date: datum ontbreekt"),
    ({"registration_date": "1-1-1850"}, "registration_date", r"valt buiten 1 januari 1900"),
    ({"expected_turnover": "-5"}, "expected_turnover", r"^expected_turnover: "),
    ({"expected_turnover": "1.23,4.5"}, "expected_turnover", r"'1\.23,4\.5'"),
    ({"expected_turnover": "veel"}, "expected_turnover", r"'veel'"),
    ({"expected_turnover": "85%"}, "expected_turnover", r"'85%'"),
    ({"registered_before": "misschien"}, "registered_before", r"^registered_before: 'misschien' is geen ja/nee"),
    ({"in_core_area": 2}, "in_core_area", r"^in_core_area: "),
    ({"rejected_last_year": "?"}, "rejected_last_year", r"^rejected_last_year: "),
    ({"development_shown": None}, "development_shown", r"^development_shown: "),
    ({"in_core_area": True, "clients_by_area": {"0123": 4}}, "postcode", r"'0123'"),
    ({"in_core_area": True, "clients_by_area": {"5611": -1}}, None, r"-1"),
    ({"in_core_area": True, "clients_by_area": {"5611": "2,5"}}, None, r"'2,5'"),
])
def test_bad_input_names_the_field_and_the_value(arguments: dict[str, Any], field: str | None, match: str) -> None:
    call = {"registration_date": "15-1-2027", "expected_turnover": 60_000, **arguments}
    with pytest.raises(InputError, match=match) as caught:
        assess_new_provider(call.pop("registration_date"), call.pop("expected_turnover"), **call)
    if field:
        assert caught.value.field == field


@pytest.mark.parametrize("year", [2026, 2028, 2031])
def test_a_year_the_data_does_not_cover_is_refused_naming_the_years_covered(year: int) -> None:
    with pytest.raises(PolicyYearError, match=rf"{year}.*2027"):
        assess_new_provider("15-1-2027", 60_000, year=year)
    with pytest.raises(InputError, match=r"^year: 'twee' is geen getal"):
        assess_new_provider("15-1-2027", 60_000, year="twee")


# --- the Excel function -----------------------------------------------------------------------------------------

def test_the_excel_function_answers_ja_or_the_reasons() -> None:
    from toolkit import udfs

    rows = [["5611"], ["5612 AB"]]
    assert udfs.CZ_NIEUWE_AANBIEDER("15-01-2027", 60_000, "nee", "ja", rows, [[4], [3]]) == "ja"
    assert udfs.CZ_NIEUWE_AANBIEDER(dt.datetime(2027, 1, 15), "60.000", None, "ja", rows, [[4], [3]], 2027) == "ja"
    assert udfs.CZ_NIEUWE_AANBIEDER(46402.0, 60_000, False, False) == "ja"  # a date cell's serial; no areas
    assert udfs.CZ_NIEUWE_AANBIEDER("1-3-2027", 60_000, "nee", "nee") == (
        "ingeschreven op 1 maart 2027, na de termijn (1 december 2026 t/m 28 februari 2027): niet in behandeling")
    assert udfs.CZ_NIEUWE_AANBIEDER("15-1-2027", 60_000, "nee", "ja", rows, [[4], [1]]) == (
        "gemiddeld 2,5 CZ-cliënten per postcodegebied, minder dan 3")


@pytest.mark.parametrize(("arguments", "message"), [
    (("31-2-2027", 60_000, "nee", "nee"), "#WAARDE! inschrijfdatum: '31-2-2027' is geen datum"),
    (("#N/A", 60_000, "nee", "nee"), "#WAARDE! inschrijfdatum bevat de Excel-fout #N/A"),
    ((None, 60_000, "nee", "nee"), "#WAARDE! inschrijfdatum: waarde ontbreekt"),
    (("15-1-2027", "veel", "nee", "nee"), "#WAARDE! verwachte_omzet: "),
    (("15-1-2027", 60_000, "soms", "nee"), "#WAARDE! eerder_ingeschreven: 'soms' is geen ja/nee"),
    (("15-1-2027", 60_000, "nee", "ja"), "#WAARDE! postcodes: geen CZ-cliënten per postcodegebied opgegeven"),
    (("15-1-2027", 60_000, "nee", "ja", [["5611"], ["12"]], [[4], [1]]), "#WAARDE! postcode"),
    (("15-1-2027", 60_000, "nee", "ja", [["5611"]], [[4], [3]]), "#WAARDE! clienten: "),
    (("15-1-2027", 60_000, "nee", "nee", None, None, 2031), "#WAARDE! beleidsjaar 2031"),
])
def test_the_excel_function_shows_a_dutch_message_in_the_cell(arguments: tuple[Any, ...], message: str) -> None:
    from toolkit import udfs

    assert udfs.CZ_NIEUWE_AANBIEDER(*arguments).startswith(message)


def test_the_columns_outside_the_kernwerkgebied_may_stay_empty() -> None:
    assert typed_clients_by_area([None, " "], [None, 0]) is None
    assert typed_clients_by_area(["5611", None], [0, None]) == {}
    with pytest.raises(InputError, match="heeft geen postcode"):
        typed_clients_by_area([None], [3])


# --- the policy year as data -----------------------------------------------------------------------------------

def test_a_2028_overlay_moves_the_window_the_minimum_and_the_answer(in_force: Any, tmp_path: Path) -> None:  # noqa: F811
    overlay = make_overlay(tmp_path / "eigen", 2028, {
        ("new_provider", "registration_first_day"): dt.date(2027, 12, 1),
        ("new_provider", "registration_last_day"): dt.date(2028, 2, 29),
        ("new_provider", "min_expected_turnover"): "75000", ("new_provider", "answer_months"): 3})
    udfs = in_force(overlay)
    a = assess_new_provider("29-02-2028", 74_999, year=2028)
    assert a.condition(WINDOW).met and a.answer_expected == dt.date(2028, 5, 29)
    assert a.reasons == ("verwachte omzet bij CZ groep lager dan € 75.000",)
    assert not assess_new_provider("29-02-2028", 80_000).condition(WINDOW).met  # 2027: the bundled window
    assert udfs.CZ_NIEUWE_AANBIEDER("15-12-2027", 75_000, "nee", "nee", None, None, 2028) == "ja"
    help_texts = " ".join(udfs.CZ_NIEUWE_AANBIEDER.__arg_docs__.values())
    assert "1 december 2026 t/m 28 februari 2027" in help_texts  # the current year's window (2027)


# --- the template's engine ---------------------------------------------------------------------------------

def _inputs(**values: Any) -> dict[str, Any]:
    from toolkit.workbook.specs import SPECS

    return {**{i.name: None for i in SPECS["nieuwe_aanbieder"].inputs}, **values}


def test_the_template_engine_gives_every_output() -> None:
    from toolkit.workbook.specs import SPECS

    spec = SPECS["nieuwe_aanbieder"]
    outputs = spec.compute(_inputs(in_inschrijfdatum=dt.date(2027, 1, 15), in_verwachte_omzet=Decimal(60_000),
                                   in_kernwerkgebied="ja", in_postcodes=["5611", "5612 AB", None],
                                   in_clienten=[4, 3, None]))
    assert outputs == {
        "out_voldoet": True, "out_binnen_termijn": True, "out_eerste_inschrijving": True, "out_omzet_voldoet": True,
        "out_ratio": 3.5, "out_ratio_voldoet": True, "out_ontwikkeling_voldoet": "n.v.t.",
        "out_antwoord_verwacht": dt.date(2027, 3, 15), "out_redenen": "voldoet aan alle berekenbare eisen",
        "out_zelf_aantonen": "; ".join(TO_SHOW)}
    late = spec.compute(_inputs(in_inschrijfdatum=dt.date(2027, 3, 1), in_verwachte_omzet=Decimal(60_000),
                                in_afgewezen_vorig_jaar="ja", in_ontwikkeling_aangetoond="ja"))
    assert (late["out_voldoet"], late["out_ratio"], late["out_ratio_voldoet"], late["out_antwoord_verwacht"],
            late["out_ontwikkeling_voldoet"]) == (False, "-", "n.v.t.", "n.v.t.", True)
    assert spec.compute(_inputs())["out_voldoet"] == "vul eerst de invoer in"
    with pytest.raises(InputError, match=r"^clients_by_area: ") as caught:
        spec.compute(_inputs(in_inschrijfdatum=dt.date(2027, 1, 15), in_verwachte_omzet=Decimal(1),
                             in_kernwerkgebied="ja", in_postcodes=[None], in_clienten=[None]))
    assert spec.rule_fields[str(caught.value.field)] == "postcodes"
