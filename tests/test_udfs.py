"""The Excel functions, called with what Excel sends: lists of lists, None for empty cells, floats for
counts, text numbers and error cells. Results are compared with the rules they wrap."""

from __future__ import annotations

import inspect
import math
import os
import subprocess
import sys
import typing
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import toolkit
from toolkit import udfs
from toolkit.udfs import (
    COOP_FTE_NODIG,
    COOP_MAX_CLIENTEN,
    COOP_MAX_OMZET,
    CZ_EXTRA_CLIENTEN,
    CZ_RATIO,
    CZ_RATIO_DREMPEL,
    CZ_RATIO_VOLDOET,
    CZ_STAFFEL_PCT,
    CZ_STAFFEL_VERGOEDING,
    NZ_BUDGET,
    NZ_GEWOGEN_INDEX,
    NZ_INDEXFACTOR,
)

EXAMPLE_POSTCODES = ["5611", "5612", "5613"]  # SPEC 1: 4, 1 and 2 clients in three areas
EXAMPLE_CLIENTS = [4.0, 1.0, 2.0]


def is_cell_error(result: object, code: str = "#WAARDE!") -> bool:
    return isinstance(result, str) and result.startswith(code + " ")


# --- the worked examples of SPEC.md, table-driven -----------------------------------------------------

WORKED_EXAMPLES = [
    ("ratio 7 ÷ 3", CZ_RATIO, (EXAMPLE_POSTCODES, EXAMPLE_CLIENTS), 7 / 3),
    ("fails 2027", CZ_RATIO_VOLDOET, (EXAMPLE_POSTCODES, EXAMPLE_CLIENTS, 2027.0, "bestaand"), False),
    ("meets 2026 (≥ 2)", CZ_RATIO_VOLDOET, (EXAMPLE_POSTCODES, EXAMPLE_CLIENTS, 2026.0, "bestaand"), True),
    ("no requirement 2025", CZ_RATIO_VOLDOET, (EXAMPLE_POSTCODES, EXAMPLE_CLIENTS, 2025.0, "bestaand"),
     "n.v.t.: geen eis in 2025"),
    ("new provider 2025", CZ_RATIO_VOLDOET, (EXAMPLE_POSTCODES, EXAMPLE_CLIENTS, 2025.0, "nieuw"), False),
    ("clients needed 2", CZ_EXTRA_CLIENTEN, (EXAMPLE_POSTCODES, EXAMPLE_CLIENTS, 2027.0, None), 2),
    ("threshold 2027", CZ_RATIO_DREMPEL, (2027.0, "bestaand"), 3.0),
    ("threshold 2026", CZ_RATIO_DREMPEL, (2026.0,), 2.0),
    ("threshold 2026 new", CZ_RATIO_DREMPEL, (2026.0, "nieuw"), 3.0),
    ("threshold 2025", CZ_RATIO_DREMPEL, (2025.0, "bestaand"), "n.v.t.: geen eis in 2025"),
    ("staffel plafondvrij", CZ_STAFFEL_PCT, ("C", None, None, "ja"), 1.0),
    ("staffel A A", CZ_STAFFEL_PCT, ("A", "A"), 1.0),
    ("staffel A", CZ_STAFFEL_PCT, ("a", "B"), 0.9),
    ("staffel B ≥ 5", CZ_STAFFEL_PCT, ("B", None, 5.0), 0.85),
    ("staffel B < 5", CZ_STAFFEL_PCT, ("B", None, 4.99),
     "komt niet in aanmerking: score B in 2026 met minder dan 5 punten op het kostenonderdeel"),
    ("staffel C", CZ_STAFFEL_PCT, ("C", "A"), "komt niet in aanmerking: score C in 2026"),
    ("staffel no score", CZ_STAFFEL_PCT, (None,), 0.9),
    ("staffel empty score", CZ_STAFFEL_PCT, ("", "", None, False), 0.9),
    ("vergoeding A", CZ_STAFFEL_VERGOEDING, (100_000.0, "A"), 90_000.0),
    ("vergoeding half cent", CZ_STAFFEL_VERGOEDING, (0.05, "B", None, 5), 0.04),  # 0.0425 → 0.04
    ("vergoeding half cent up", CZ_STAFFEL_VERGOEDING, (0.01, "A"), 0.01),  # 0.009 → 0.01
    ("vergoeding C", CZ_STAFFEL_VERGOEDING, (1000, "C"), "komt niet in aanmerking: score C in 2026"),
    ("fte 110 clients", COOP_FTE_NODIG, (110.0,), 2.0),
    ("fte 55 clients", COOP_FTE_NODIG, (55,), 1.0),
    ("max clients 1.5 fte", COOP_MAX_CLIENTEN, (1.5,), 82),
    ("max turnover day", COOP_MAX_OMZET, ([[3000.0], [2000.0], [None]], 50.0, "nee"), 224_800.0),
    ("max turnover night", COOP_MAX_OMZET, ([3000.0, 2000.0], 50.0, True), 204_000.0),
    ("weighted index", NZ_GEWOGEN_INDEX, (0.031, 0.02), 0.0299),
    ("factor multiplicative", NZ_INDEXFACTOR, (0.03, 0.025, 0.032), float(Decimal("1.03") * Decimal("1.032")
                                                                            / Decimal("1.025"))),
    ("factor additive", NZ_INDEXFACTOR, (0.03, 0.025, 0.032, "additief"), 1.037),
    ("budget multiplicative", NZ_BUDGET, (1_000_000.0, 0.03, 0.025, 0.032, 0.85), 881_479.02),
    ("budget additive", NZ_BUDGET, (1_000_000.0, 0.03, 0.025, 0.032, 0.85, "additief"), 881_450.00),
    ("budget share as text", NZ_BUDGET, (1_000_000.0, 0.03, 0.025, 0.032, "85%", "additive"), 881_450.00),
    ("budget no share", NZ_BUDGET, (1_000_000.0, 0.03, 0.025, 0.032, None, None), 1_037_034.15),
]


@pytest.mark.parametrize(("label", "function", "args", "expected"), WORKED_EXAMPLES,
                         ids=[e[0] for e in WORKED_EXAMPLES])
def test_worked_examples(label: str, function: typing.Any, args: tuple[object, ...], expected: object) -> None:
    result = function(*args)
    assert type(result) is type(expected), (label, result)
    if isinstance(expected, float):
        assert result == pytest.approx(expected, rel=0, abs=1e-12)
    else:
        assert result == expected


def test_nza_published_correction_example() -> None:
    # SPEC 4: a 0.53% correction on a 4.74% index was published as 5.29% (compounding gives 5.295%).
    factor = NZ_INDEXFACTOR(0.0474, 0.0, 0.0053)
    assert f"{(factor - 1) * 100:.3f}" == "5.295"


# --- range shapes -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("postcodes", "clients"), [
    (["5611", "5612", "5613"], [4, 1, 2]),                          # 1-D
    ([["5611"], ["5612"], ["5613"]], [[4.0], [1.0], [2.0]]),        # columns
    ([["5611", "5612", "5613"]], [[4.0, 1.0, 2.0]]),                # rows
    ([["5611", "5612"], ["5613", None]], [[4.0, 1.0], [2.0, None]]),  # a 2-D block with an empty cell
    ([["5611"], [None], ["5612"], ["5613"], [""]], [[4.0], [None], [1.0], [2.0], [None]]),
    (["5611 AB", "5612ab", 5613.0], ["4", 1, "2,0"]),               # full postcodes, numbers, text numbers
    (["5611", "5612", "5613", None, None], [4, 1, 2]),              # unequal ranges, extra rows empty
    (["5611", "5611 XY", "5612", "5613", "5614"], [3, 1, 1, 2, 0]),  # one PC4 twice; 0 clients: no area
])
def test_ratio_accepts_every_range_shape(postcodes: object, clients: object) -> None:
    assert CZ_RATIO(postcodes, clients) == pytest.approx(7 / 3)
    assert CZ_EXTRA_CLIENTEN(postcodes, clients, 2027, "bestaand") == 2


def test_single_cells_are_ranges_of_one() -> None:
    assert CZ_RATIO("5611", 4.0) == 4.0
    assert COOP_MAX_OMZET(1000.0, 10) == 10_000.0


# --- bad input: a Dutch message in the cell, naming the row and the value ------------------------------

@pytest.mark.parametrize(("call", "expected_parts"), [
    (lambda: CZ_RATIO(["5611", "12AB"], [4, 1]), ["postcode", "'12AB'", "rij 2", "geen geldige PC4"]),
    (lambda: CZ_RATIO(["5611", "0123"], [4, 1]), ["'0123'", "rij 2"]),
    (lambda: CZ_RATIO(["5611", 123.0], [4, 1]), ["123", "rij 2"]),
    (lambda: CZ_RATIO(["5611", "5612"], [4, -1]), ["clienten", "rij 2", "negatief"]),
    (lambda: CZ_RATIO(["5611", "5612"], [4, 1.5]), ["clienten", "rij 2", "geen geheel getal"]),
    (lambda: CZ_RATIO(["5611", "5612"], [4, "veel"]), ["clienten", "'veel'", "rij 2", "geen getal"]),
    (lambda: CZ_RATIO(["5611", "5612"], [4, True]), ["clienten", "rij 2"]),
    (lambda: CZ_RATIO(["5611", "5612"], [4, "#N/A"]), ["clienten", "rij 2", "#N/A"]),
    (lambda: CZ_RATIO(["5611", "#DIV/0!"], [4, 1]), ["postcode", "rij 2", "#DIV/0!"]),
    (lambda: CZ_RATIO(["5611", None], [4, 1]), ["rij 2", "geen postcode"]),
    (lambda: CZ_RATIO(["5611", "5612"], [4, None]), ["rij 2", "'5612'", "geen aantal"]),
    (lambda: CZ_RATIO(["5611", "5612"], [4, math.inf]), ["clienten", "rij 2", "eindig"]),
    (lambda: CZ_RATIO_VOLDOET(["5611"], [4], 2031, "bestaand"), ["2031", "2025, 2026, 2027"]),
    (lambda: CZ_RATIO_VOLDOET(["5611"], [4], 2027.5, "bestaand"), ["jaar", "2027,5"]),
    (lambda: CZ_RATIO_VOLDOET(["5611"], [4], "2.031", "bestaand"), ["2031", "2025, 2026, 2027"]),
    (lambda: CZ_RATIO_DREMPEL(2027, "oud"), ["soort", "'oud'"]),
    (lambda: CZ_STAFFEL_PCT("D"), ["score_vorig_jaar", "'D'"]),
    (lambda: CZ_STAFFEL_PCT(1.0), ["score_vorig_jaar"]),
    (lambda: CZ_STAFFEL_PCT("B"), ["kostenpunten", "score B"]),
    (lambda: CZ_STAFFEL_PCT("A", None, None, "misschien"), ["plafondvrij", "'misschien'"]),
    (lambda: CZ_STAFFEL_PCT("B", None, -1), ["kostenpunten", "negatief"]),
    (lambda: CZ_STAFFEL_VERGOEDING(-5, "A"), ["budget", "negatief"]),
    (lambda: CZ_STAFFEL_VERGOEDING("duizend", "A"), ["budget", "'duizend'"]),
    (lambda: COOP_FTE_NODIG(-1), ["clienten", "negatief"]),
    (lambda: COOP_FTE_NODIG(10.5), ["clienten", "geheel"]),
    (lambda: COOP_MAX_CLIENTEN("#VALUE!"), ["fte", "#VALUE!"]),
    (lambda: COOP_MAX_OMZET([100, -2], 50), ["uren", "rij 2", "negatief"]),
    (lambda: COOP_MAX_OMZET([100], 50, "soms"), ["nacht", "'soms'"]),
    (lambda: COOP_MAX_OMZET([100], -50), ["uurtarief", "negatief"]),
    (lambda: NZ_GEWOGEN_INDEX(-1.5, 0.02), ["personeel", "-1,5", "bereik -0,5 t/m 0,5"]),
    (lambda: NZ_GEWOGEN_INDEX(3, 0.02), ["personeel", "'3'", "bedoelt u 3 % (0,03)?"]),
    (lambda: NZ_GEWOGEN_INDEX(0.03, None), ["materieel", "ontbreekt"]),
    (lambda: NZ_INDEXFACTOR(0.03, 0.02, 0.03, "gemiddeld"), ["methode", "'gemiddeld'"]),
    (lambda: NZ_BUDGET(1e6, 0.03, 0.025, 0.032, 1.5), ["zvw_aandeel", "1,5", "0 t/m 1"]),
    (lambda: NZ_BUDGET(1e6, 0.03, 0.025, 0.032, 85), ["zvw_aandeel", "bedoelt u 85 % (0,85)?"]),
    (lambda: NZ_BUDGET("85%", 0.03, 0.025, 0.032, 0.85), ["begroting", "'85%'", "geen percentage"]),
    (lambda: NZ_BUDGET(-1, 0.03, 0.025, 0.032), ["begroting", "negatief"]),
    (lambda: NZ_BUDGET(1e308, 0.3, 0.0, 0.0), ["begroting", "buiten elk denkbaar bereik"]),
    (lambda: COOP_FTE_NODIG("1e999999"), ["clienten", "exponent"]),
])
def test_bad_input_is_a_dutch_message_in_the_cell(call: typing.Any, expected_parts: list[str]) -> None:
    result = call()
    assert is_cell_error(result), result
    for part in expected_parts:
        assert part in result, (part, result)
    assert "Traceback" not in result and len(result) < 300


def test_empty_ranges_give_divide_by_zero() -> None:
    assert is_cell_error(CZ_RATIO([], []), "#DEEL/0!")
    assert is_cell_error(CZ_RATIO([[None], [None]], [[None], [None]]), "#DEEL/0!")
    assert is_cell_error(CZ_RATIO(["5611"], [0]), "#DEEL/0!")


JUNK = st.one_of(
    st.none(), st.booleans(), st.integers(-10**20, 10**20), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12), st.sampled_from(["#N/A", "#DIV/0!", "ja", "A", "B", "5611", "5611 AB", "1e400", "85%"]),
)
JUNK_RANGE = st.one_of(JUNK, st.lists(JUNK, max_size=5), st.lists(st.lists(JUNK, min_size=1, max_size=3), max_size=4))


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_no_input_ever_escapes_as_an_exception(data: st.DataObject) -> None:
    for function in udfs.FUNCTIONS:
        arity = len(inspect.signature(function).parameters)
        args = [data.draw(JUNK_RANGE) for _ in range(arity)]
        result = function(*args)
        assert isinstance(result, bool | int | float | str), (function.__name__, args, result)
        if isinstance(result, float):
            assert math.isfinite(result)
        if isinstance(result, str):
            assert "interne fout" not in result, (function.__name__, args, result)


# --- the functions equal the rules they wrap ------------------------------------------------------

AREAS = st.dictionaries(st.integers(1000, 9999).map(str), st.integers(0, 500), min_size=1, max_size=40)


@settings(max_examples=200, deadline=None)
@given(AREAS, st.sampled_from([2025, 2026, 2027]), st.sampled_from(["bestaand", "nieuw", "existing", "new"]))
def test_ratio_functions_equal_the_rule(counts: dict[str, int], year: int, kind: str) -> None:
    postcodes = [[pc] for pc in counts]
    clients = [[float(n)] for n in counts.values()]
    if not any(counts.values()):
        assert is_cell_error(CZ_RATIO(postcodes, clients), "#DEEL/0!")
        return
    rule = toolkit.assess_client_area_ratio(counts, year=year, provider=kind)
    assert CZ_RATIO(postcodes, clients) == rule.ratio
    meets = CZ_RATIO_VOLDOET(postcodes, clients, float(year), kind)
    assert meets is rule.meets if rule.applies else meets == f"n.v.t.: geen eis in {year}"
    assert CZ_EXTRA_CLIENTEN(postcodes, clients, float(year), kind) == rule.clients_needed
    threshold = toolkit.ratio_threshold(year, kind)
    drempel = CZ_RATIO_DREMPEL(float(year), kind)
    assert drempel == (float(threshold) if threshold is not None else f"n.v.t.: geen eis in {year}")


SCORES = st.sampled_from([None, "", "A", "B", "C", "a", " b "])
MONEY = st.decimals(min_value=0, max_value=10**9, places=3, allow_nan=False, allow_infinity=False)


@settings(max_examples=300, deadline=None)
@given(MONEY, SCORES, SCORES, st.one_of(st.none(), st.integers(0, 10), st.floats(0, 10)), st.booleans())
def test_staffel_functions_equal_the_rule(budget: Decimal, score_vorig: str | None, score_contract: str | None,
                                          points: float | None, ceiling_free: bool) -> None:
    flag = "ja" if ceiling_free else "nee"
    try:
        rule = toolkit.staffel_reimbursement(float(budget), score_vorig, score_contract, cost_points=points,
                                             ceiling_free=ceiling_free)
    except toolkit.InputError:
        assert is_cell_error(CZ_STAFFEL_PCT(score_vorig, score_contract, points, flag))
        return
    pct = CZ_STAFFEL_PCT(score_vorig, score_contract, points, flag)
    amount = CZ_STAFFEL_VERGOEDING(float(budget), score_vorig, score_contract, points, flag)
    if rule.percentage is None:
        assert pct == amount == rule.reason
    else:
        assert pct == float(rule.percentage)
        assert amount == float(rule.amount)  # type: ignore[arg-type]


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 10_000), st.decimals(0, 200, places=4))
def test_cooperative_functions_equal_the_rule(clients: int, fte: Decimal) -> None:
    rule = toolkit.assess_cooperative(clients, fte)
    assert COOP_FTE_NODIG(float(clients)) == float(rule.required_fte)
    assert COOP_MAX_CLIENTEN(float(fte)) == rule.max_clients


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.none(), st.floats(0, 5000)), max_size=30), st.floats(0, 500), st.booleans())
def test_max_turnover_equals_the_rule(hours: list[float | None], tariff: float, night: bool) -> None:
    rule = toolkit.cooperative_max_turnover([h for h in hours if h is not None], tariff, night=night)
    assert COOP_MAX_OMZET([[h] for h in hours], tariff, night) == float(rule.max_turnover)


INDEX = st.floats(-0.5, 0.5, allow_nan=False)


@settings(max_examples=300, deadline=None)
@given(st.floats(0, 1e9), INDEX, INDEX, INDEX, st.floats(0, 1), st.sampled_from(["multiplicatief", "additief"]))
def test_nachtzorg_functions_equal_the_rule(budget: float, w_t: float, w_prev: float, w_final: float,
                                            share: float, method: str) -> None:
    rule = toolkit.index_nachtzorg_budget(budget, prelim_t=w_t, prelim_prev=w_prev, final_prev=w_final,
                                          zvw_share=share, method=method)
    assert NZ_INDEXFACTOR(w_t, w_prev, w_final, method) == float(rule.factor)
    assert NZ_BUDGET(budget, w_t, w_prev, w_final, share, method) == float(rule.reimbursed)
    assert NZ_GEWOGEN_INDEX(w_t, w_prev) == float(toolkit.weighted_index(w_t, w_prev))


def test_nachtzorg_functions_take_jaar() -> None:
    budget = NZ_BUDGET(1_000_000.0, 0.03, 0.025, 0.032, 0.85)
    factor = NZ_INDEXFACTOR(0.03, 0.025, 0.032)
    assert NZ_BUDGET(1_000_000.0, 0.03, 0.025, 0.032, 0.85, None, 2027.0) == budget
    assert NZ_BUDGET(1_000_000.0, 0.03, 0.025, 0.032, 0.85, "multiplicatief", "2027") == budget
    assert NZ_INDEXFACTOR(0.03, 0.025, 0.032, None, 2027) == factor
    assert NZ_GEWOGEN_INDEX(0.031, 0.021, 2027) == NZ_GEWOGEN_INDEX(0.031, 0.021)
    for year in (2026.0, "2028"):
        for found in (NZ_BUDGET(1_000_000.0, 0.03, 0.025, 0.032, 0.85, None, year),
                      NZ_INDEXFACTOR(0.03, 0.025, 0.032, "additief", year), NZ_GEWOGEN_INDEX(0.031, 0.021, year)):
            assert isinstance(found, str) and found.startswith(f"#WAARDE! beleidsjaar {int(float(year))}"), found
    assert NZ_BUDGET(1e6, 0.03, 0.025, 0.032, 0.85, None, "volgend jaar").startswith("#WAARDE! jaar: ")


# --- the module's shape, for both runtimes ------------------------------------------------------------

def test_module_shape_suits_classic_and_lite() -> None:
    source = inspect.getsource(udfs)
    assert "from xlwings import arg, func" in source
    assert "Literal" not in source
    for function in udfs.FUNCTIONS:
        assert function.__name__.isupper()
        doc = inspect.getdoc(function)
        assert doc and len(doc) <= 255, function.__name__
        signature = inspect.signature(function)
        for parameter in signature.parameters.values():
            # xlwings reads annotations as converters; positional only, no *args/**kwargs.
            assert parameter.annotation is inspect.Parameter.empty, (function.__name__, parameter.name)
            assert parameter.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
    assert sorted(udfs.__all__) == sorted(f.__name__ for f in udfs.FUNCTIONS)


def test_broken_parameter_data_is_said_in_each_cell_not_a_failed_import(tmp_path: Path) -> None:
    """A parameter overlay that cannot be read must not keep the functions from loading (Excel would show a
    Python traceback instead of any function): each function says why in its cell."""
    broken = tmp_path / "overlay" / "cz"
    broken.mkdir(parents=True)
    (broken / "client_area_ratio.yaml").write_text(
        "topic: client_area_ratio\nparameters:\n  threshold_existing:\n    values:\n      2028:\n"
        "        value: drie\n        source: {document: x, section: y}\n", encoding="utf-8")
    script = ("import toolkit.udfs as u\n"
              "print(u.CZ_RATIO_VOLDOET([[1234], [1235]], [[3], [4]]))\n"
              "print(u.CZ_STAFFEL_PCT('A'))\n"
              "print(u.CZ_RATIO_DREMPEL.__arg_docs__['jaar'])\n")
    for overlay, reason in ((broken.parent, "'drie' is geen getal"), (tmp_path / "nergens", "bestaat niet")):
        run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                             env={**os.environ, "ZORGINKOOP_PARAMETERS": str(overlay)})
        assert run.returncode == 0, run.stderr
        voldoet, staffel, help_text = run.stdout.splitlines()
        assert voldoet.startswith("#WAARDE! ") and reason in voldoet
        assert staffel == voldoet
        assert "…" in help_text and "{" not in help_text


def test_a_range_argument_names_its_excel_argument_and_month() -> None:
    # The rule names the field in English with its place ('monthly_production maand 1'); the cell says the
    # argument the user typed, with the same place.
    assert udfs.CZ_PLAFOND_PROGNOSE([[-100.0], [100.0]]) == "#WAARDE! productie maand 1: '-100' mag niet negatief zijn"
    assert udfs.CZ_PLAFOND_TEKORT(1000.0, [[100.0]], [["abc"]] + [[1.0]] * 11, "seizoen") == (
        "#WAARDE! vorig_jaar maand 1: 'abc' is geen getal")


def test_a_range_where_one_cell_belongs_is_said_in_words() -> None:
    assert udfs.COOP_FTE_NODIG([[1.0], [2.0]]) == "#WAARDE! clienten: een bereik van 2 cellen waar één cel hoort"
    assert udfs.COOP_FTE_NODIG([[110.0]]) == udfs.COOP_FTE_NODIG(110.0)  # a range of one cell is that cell
    assert udfs.CZ_TERMIJN([["bezwaar", "x"]], 2027).startswith("#WAARDE! naam: een bereik van 2 cellen")
