"""Rule 8: home-care technology for at least half of the clients for whom it is suitable (SPEC 8; CZ groep,
Zorginkoopbeleid wijkverpleging 2027, § 2.3.6) — the rule, its Excel function and its template engine."""

from __future__ import annotations

import math
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

import toolkit
from toolkit import InputError, PolicyYearError, assess_technology_share, udfs
from toolkit.parameters import OVERLAY_VARIABLE
from toolkit.rules.declaration import NOT_APPLICABLE, NOTHING_TYPED
from toolkit.workbook.specs import SPECS

CASES = Path(__file__).parent / "cases" / "thuistechnologie.yaml"


def _cases() -> list[Any]:
    return [pytest.param(c["args"], c["expect"], id=c["name"])
            for c in yaml.safe_load(CASES.read_text(encoding="utf-8"))]


@pytest.mark.parametrize(("args", "expect"), _cases())
def test_readable_cases(args: dict[str, Any], expect: dict[str, Any]) -> None:
    outcome = assess_technology_share(**args)
    if "share_prefix" in expect:
        assert outcome.share is not None and str(outcome.share).startswith(expect["share_prefix"])
    else:
        assert outcome.share == (None if expect["share"] is None else Decimal(expect["share"]))
    assert (outcome.meets, outcome.applies) == (expect["meets"], expect["applies"])
    assert (outcome.required_users, outcome.clients_short) == (expect["required_users"], expect["clients_short"])


def test_the_worked_example_of_the_policy() -> None:
    fails = assess_technology_share(120, 55)
    assert round(fails.share or 0, 4) == Decimal("0.4583") and not fails.meets and fails.clients_short == 5
    assert fails.reason == ("voldoet niet: thuiszorgtechnologie bij minder dan 50 % van de cliënten voor wie die "
                            "geschikt is; plan van aanpak verwacht")
    meets = assess_technology_share(120, 60)
    assert meets.share == Decimal("0.5") and meets.meets and meets.clients_short == 0
    assert meets.reason.startswith("voldoet: ") and "plan van aanpak" not in meets.reason
    assert meets.required_share == Decimal("0.50") and meets.year == 2027


def test_no_suitable_clients_is_not_applicable_not_a_failure() -> None:
    outcome = assess_technology_share(0, 0)
    assert outcome.share is None and not outcome.applies and outcome.meets and outcome.clients_short == 0
    assert outcome.reason.startswith("n.v.t.")


@given(st.integers(0, 10**6).flatmap(lambda g: st.tuples(st.just(g), st.integers(0, g))))
def test_properties(counts: tuple[int, int]) -> None:
    suitable, using = counts
    outcome = assess_technology_share(suitable, using)
    assert outcome.applies == (suitable > 0)
    if outcome.applies:
        assert outcome.share == Decimal(using) / suitable
        assert outcome.meets == (2 * using >= suitable)  # ≥ 50 % on the unrounded share
    assert outcome.required_users == math.ceil(suitable / 2)
    assert outcome.clients_short == max(0, math.ceil(suitable / 2) - using)
    assert (outcome.clients_short == 0) == outcome.meets  # short exactly when it fails
    if outcome.clients_short:  # the clients short are exactly enough
        assert assess_technology_share(suitable, using + outcome.clients_short).meets
        assert not assess_technology_share(suitable, using + outcome.clients_short - 1).meets


@pytest.mark.parametrize(("args", "field", "part"), [
    ((-1, 0), "suitable", "negatief"),
    (("2,5", 1), "suitable", "'2,5'"),
    (("veel", 1), "suitable", "'veel'"),
    ((None, 1), "suitable", ""),
    (("85%", 1), "suitable", "'85%'"),
    ((10, -1), "using", "negatief"),
    ((10, 11), "using", "'11' is meer dan het aantal cliënten voor wie thuiszorgtechnologie geschikt is (10)"),
    ((10, "1e1"), "using", "'1e1'"),
    ((10, True), "using", ""),
])
def test_bad_input_names_the_field_and_the_value(args: tuple[object, object], field: str, part: str) -> None:
    with pytest.raises(InputError) as info:
        assess_technology_share(*args)
    assert info.value.field == field and str(info.value).startswith(f"{field}:") and part in str(info.value)


def test_a_year_not_covered_is_refused() -> None:
    with pytest.raises(PolicyYearError, match="2027"):
        assess_technology_share(120, 60, year=2031)
    with pytest.raises(InputError, match=r"^year: 'volgend jaar' is geen getal"):
        assess_technology_share(120, 60, year="volgend jaar")


def test_the_excel_function() -> None:
    assert udfs.CZ_THUISTECHNOLOGIE(120, 55) == pytest.approx(55 / 120)
    assert udfs.CZ_THUISTECHNOLOGIE(120.0, "60", 2027) == 0.5
    assert udfs.CZ_THUISTECHNOLOGIE("1.200", 600, None) == 0.5
    assert udfs.CZ_THUISTECHNOLOGIE(0, 0) == "n.v.t.: geen cliënten voor wie thuiszorgtechnologie geschikt is"
    assert udfs.CZ_THUISTECHNOLOGIE(10, 11).startswith("#WAARDE! gebruikers: '11' is meer dan")
    assert udfs.CZ_THUISTECHNOLOGIE(None, 11) == "#WAARDE! geschikt: waarde ontbreekt"
    assert udfs.CZ_THUISTECHNOLOGIE("#N/A", 1).startswith("#WAARDE! geschikt bevat de Excel-fout")
    assert udfs.CZ_THUISTECHNOLOGIE(10, 2.5).startswith("#WAARDE! gebruikers: '2,5'")
    assert udfs.CZ_THUISTECHNOLOGIE(10, 5, 2031).startswith("#WAARDE! beleidsjaar 2031")
    assert "minimaal 50 %" in (udfs.CZ_THUISTECHNOLOGIE.__doc__ or "")


def test_the_template_engine() -> None:
    spec = SPECS["thuistechnologie"]
    assert spec.compute({"in_jaar": None, "in_geschikt": 120, "in_gebruikers": 55}) == {
        "out_aandeel": Decimal(55) / 120, "out_voldoet": False, "out_minimum_gebruikers": 60,
        "out_tekort_clienten": 5, "out_reden": assess_technology_share(120, 55).reason}
    nothing = spec.compute({"in_jaar": None, "in_geschikt": None, "in_gebruikers": None})
    assert set(nothing.values()) == {NOTHING_TYPED}
    none_suitable = spec.compute({"in_jaar": 2027, "in_geschikt": 0, "in_gebruikers": 0})
    assert none_suitable["out_aandeel"] == none_suitable["out_voldoet"] == NOT_APPLICABLE
    assert none_suitable["out_tekort_clienten"] == 0


def test_the_threshold_follows_the_parameter_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A policy year added in an overlay, with another minimum share: the rule, the Excel function and the
    template spec follow; the bundled year keeps its own."""
    overlay = tmp_path / "eigen" / "cz"
    overlay.mkdir(parents=True)
    (overlay / "home_technology.yaml").write_text(
        "topic: home_technology\nparameters:\n  min_share:\n    values:\n      2028:\n        value: \"0.60\"\n"
        "        source: {document: \"CZ groep, Zorginkoopbeleid wijkverpleging 2028\", section: \"§ 2.3.6\"}\n",
        encoding="utf-8")
    monkeypatch.setenv(OVERLAY_VARIABLE, str(overlay.parent))
    outcome = assess_technology_share(120, 60, year=2028)
    assert not outcome.meets and outcome.clients_short == 12 and "60 %" in outcome.reason
    assert assess_technology_share(120, 60, year=2027).meets
    assert udfs.CZ_THUISTECHNOLOGIE(120, 72, 2028) == 0.6
    assert SPECS["thuistechnologie"].years == (2027, 2028)
    assert SPECS["thuistechnologie"].compute({"in_jaar": 2028, "in_geschikt": 7, "in_gebruikers": 4})[
        "out_tekort_clienten"] == 1  # ⌈0,6 × 7⌉ = 5


def test_it_is_exported() -> None:
    assert toolkit.assess_technology_share is assess_technology_share
    assert "TechnologyShare" in toolkit.__all__
