"""Rule 10: the caseload of the specialised dementia case manager (SPEC 10; CZ groep, Zorginkoopbeleid
wijkverpleging 2027, bijlage 1, § 1.5.2) — the rule, its Excel function and its template engine."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

import toolkit
from toolkit import InputError, PolicyYearError, assess_dementia_caseload, udfs
from toolkit.parameters import OVERLAY_VARIABLE
from toolkit.rules.declaration import NOTHING_TYPED
from toolkit.rules.dementia_caseload import ABOVE, BELOW, WITHIN
from toolkit.workbook.specs import SPECS

CASES = Path(__file__).parent / "cases" / "casemanagement_dementie.yaml"


def _cases() -> list[Any]:
    return [pytest.param(c["args"], c["expect"], id=c["name"])
            for c in yaml.safe_load(CASES.read_text(encoding="utf-8"))]


@pytest.mark.parametrize(("args", "expect"), _cases())
def test_readable_cases(args: dict[str, Any], expect: dict[str, Any]) -> None:
    outcome = assess_dementia_caseload(**args)
    if "caseload_prefix" in expect:
        assert str(outcome.caseload).startswith(expect["caseload_prefix"])
    else:
        assert outcome.caseload == Decimal(expect["caseload"])
    assert (outcome.meets, outcome.position) == (expect["meets"], expect["position"])
    assert (outcome.fte_min, outcome.fte_max) == (Decimal(expect["fte_min"]), Decimal(expect["fte_max"]))
    assert str(outcome.fte_min) == expect["fte_min"]  # two decimals, as shown


def test_the_worked_example_of_the_policy() -> None:
    meets = assess_dementia_caseload(130, "2,0")
    assert meets.caseload == 65 and meets.meets and meets.position == WITHIN
    assert meets.reason == "binnen de caseload: gemiddeld 50 tot 65 cliënten per fte"
    above = assess_dementia_caseload(130, "1,8")
    assert round(above.caseload, 1) == Decimal("72.2") and not above.meets and above.position == ABOVE
    assert (above.fte_min, above.fte_max) == (Decimal("2.00"), Decimal("2.60"))
    assert above.reason == ("boven de caseload: meer dan 65 cliënten per fte (gevraagd: gemiddeld 50 tot 65 cliënten "
                            "per fte)")
    below = assess_dementia_caseload(99, 2)
    assert below.position == BELOW and below.reason.startswith("onder de caseload: minder dan 50 ")
    assert (meets.caseload_min, meets.caseload_max, meets.year) == (50, 65, 2027)


def _half_up(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@given(st.integers(0, 10**6), st.integers(1, 10**5).map(lambda n: Decimal(n) / 100))
def test_properties(clients: int, fte: Decimal) -> None:
    outcome = assess_dementia_caseload(clients, fte)
    assert outcome.caseload == Decimal(clients) / fte
    assert outcome.meets == (50 * fte <= clients <= 65 * fte)  # both bounds inclusive, exact
    assert outcome.position == (WITHIN if outcome.meets else BELOW if clients < 50 * fte else ABOVE)
    assert (outcome.fte_min, outcome.fte_max) == (_half_up(Decimal(clients) / 65), _half_up(Decimal(clients) / 50))
    assert outcome.fte_min <= outcome.fte_max
    if clients:  # the exact ends of the fte that fits meet (the bounds belong to the range)
        assert assess_dementia_caseload(clients, Decimal(clients) / 50).meets
        assert assess_dementia_caseload(clients, Decimal(clients) / 65).meets


def test_bounds_are_met_on_the_value_a_spreadsheet_holds() -> None:
    """1,8 × 50 = 90 in decimals but not in binary floats: the Excel function gets 1.8 as a float."""
    assert assess_dementia_caseload(90, 1.8).meets and assess_dementia_caseload(117, 1.8).meets
    assert not assess_dementia_caseload(89, 1.8).meets and not assess_dementia_caseload(118, 1.8).meets


@pytest.mark.parametrize(("args", "field", "part"), [
    ((-1, 1), "clients", "negatief"),
    (("2,5", 1), "clients", "'2,5'"),
    (("veel", 1), "clients", "'veel'"),
    ((None, 1), "clients", ""),
    ((130, 0), "fte", "'0' moet groter dan 0 zijn"),
    ((130, "0,0"), "fte", "moet groter dan 0 zijn"),
    ((130, -1), "fte", "moet groter dan 0 zijn"),
    ((130, "1,2,3"), "fte", "'1,2,3'"),
    ((130, "50%"), "fte", "'50%'"),
    ((130, None), "fte", ""),
])
def test_bad_input_names_the_field_and_the_value(args: tuple[object, object], field: str, part: str) -> None:
    with pytest.raises(InputError) as info:
        assess_dementia_caseload(*args)
    assert info.value.field == field and str(info.value).startswith(f"{field}:") and part in str(info.value)


def test_a_year_not_covered_is_refused() -> None:
    with pytest.raises(PolicyYearError, match="2027"):
        assess_dementia_caseload(130, 2, year=2031)


def test_the_excel_function() -> None:
    assert udfs.CZ_CASELOAD_DEMENTIE(130, 2) == 65.0
    assert udfs.CZ_CASELOAD_DEMENTIE("130", "1,8", 2027) == pytest.approx(130 / 1.8)
    assert udfs.CZ_CASELOAD_DEMENTIE(130, 0) == "#WAARDE! fte: '0' moet groter dan 0 zijn"
    assert udfs.CZ_CASELOAD_DEMENTIE(130.5, 1).startswith("#WAARDE! clienten: '130,5'")
    assert udfs.CZ_CASELOAD_DEMENTIE(None, 1) == "#WAARDE! clienten: waarde ontbreekt"
    assert udfs.CZ_CASELOAD_DEMENTIE(130, "#DIV/0!").startswith("#WAARDE! fte bevat de Excel-fout")
    assert udfs.CZ_CASELOAD_DEMENTIE(130, 2, 2031).startswith("#WAARDE! beleidsjaar 2031")
    assert "gemiddeld 50 tot 65" in (udfs.CZ_CASELOAD_DEMENTIE.__doc__ or "")


def test_the_template_engine() -> None:
    spec = SPECS["casemanagement_dementie"]
    assert spec.compute({"in_jaar": None, "in_clienten": 130, "in_fte": Decimal("1.8")}) == {
        "out_caseload": Decimal(130) / Decimal("1.8"), "out_voldoet": False, "out_fte_min": Decimal("2.00"),
        "out_fte_max": Decimal("2.60"), "out_reden": assess_dementia_caseload(130, "1.8").reason}
    assert set(spec.compute({"in_jaar": None, "in_clienten": None, "in_fte": None}).values()) == {NOTHING_TYPED}
    assert [i.name for i in spec.inputs] == ["in_jaar", "in_clienten", "in_fte"]
    assert "groter dan 0" in spec.input("in_fte").prompt


def test_the_bounds_follow_the_parameter_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A policy year added in an overlay, with other bounds: the rule, the Excel function, the template spec and
    the help texts follow; the bundled year keeps its own."""
    overlay = tmp_path / "eigen" / "cz"
    overlay.mkdir(parents=True)
    source = ('        source: {document: "CZ groep, Zorginkoopbeleid wijkverpleging 2028", '
              'section: "bijlage 1, § 1.5.2"}\n')
    (overlay / "dementia_case_management.yaml").write_text(
        "topic: dementia_case_management\nparameters:\n"
        f"  caseload_min:\n    values:\n      2028:\n        value: 45\n{source}"
        f"  caseload_max:\n    values:\n      2028:\n        value: 60\n{source}", encoding="utf-8")
    monkeypatch.setenv(OVERLAY_VARIABLE, str(overlay.parent))
    outcome = assess_dementia_caseload(130, 2, year=2028)
    assert outcome.position == ABOVE and (outcome.fte_min, outcome.fte_max) == (Decimal("2.17"), Decimal("2.89"))
    assert "gemiddeld 45 tot 60" in outcome.reason
    assert assess_dementia_caseload(130, 2, year=2027).meets
    assert udfs.CZ_CASELOAD_DEMENTIE(90, 2, 2028) == 45.0
    spec = SPECS["casemanagement_dementie"]
    assert spec.years == (2027, 2028)
    assert spec.compute({"in_jaar": 2028, "in_clienten": 90, "in_fte": Decimal(2)})["out_voldoet"] is True


def test_it_is_exported() -> None:
    assert toolkit.assess_dementia_caseload is assess_dementia_caseload
    assert "DementiaCaseload" in toolkit.__all__


def test_a_whole_caseload_reads_as_a_whole_number() -> None:
    # Decimal division gives 100 ÷ 0,5 as 2E+2: equal to 200, but not what a reader of str() or the JSON expects.
    assert str(assess_dementia_caseload(100, "0,5").caseload) == "200"
    assert str(assess_dementia_caseload(7, 0.1).caseload) == "70"
    assert assess_dementia_caseload(130, "1,8").caseload == Decimal(130) / Decimal("1.8")
    huge = assess_dementia_caseload(999999999999999, "0,00000000000001")  # absurd, and still no traceback
    assert huge.caseload == Decimal("99999999999999900000000000000") and huge.position == "boven de caseload"
