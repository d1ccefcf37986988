"""A new policy year is a data change (issue: years as data).

An overlay directory that adds 2028 — the 2027 values with one threshold changed — must reach every
surface: the Python API, the command line, the Excel functions with `jaar` 2028, templates regenerated
with the overlay (and recalculated in LibreOffice). Without the overlay every surface refuses 2028.
A second overlay changes many values to odd ones; every help text, label and message that shows a
policy number must show the new one, and none the old.
"""

from __future__ import annotations

import copy
import csv
import importlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

import toolkit
import toolkit.udfs
from toolkit import PolicyYearError
from toolkit.parameters import OVERLAY_VARIABLE
from toolkit.parameters.files import read_bundled_yaml, topic_files

ROOT = Path(__file__).resolve().parents[1]


def _write(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def make_overlay(directory: Path, year: int, change: dict[tuple[str, str], Any]) -> Path:
    """Copy every topic's 2027 values to `year`, then apply `change` ((topic, parameter) -> value)."""
    for insurer, topic in topic_files():
        data = copy.deepcopy(read_bundled_yaml(f"{insurer}/{topic}.yaml"))
        for name, spec in data["parameters"].items():
            entry = copy.deepcopy(spec["values"][2027])
            if (topic, name) in change:
                entry["value"] = change[topic, name]
            spec["values"][year] = entry
        _write(directory / insurer / f"{topic}.yaml", data)
    return directory


@pytest.fixture()
def overlay_2028(tmp_path: Path) -> Path:
    return make_overlay(tmp_path / "eigen", 2028, {("client_area_ratio", "threshold_existing"): 4})


@pytest.fixture()
def in_force(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Put an overlay in force in this process (and reload the Excel functions, whose help it renders)."""
    def use(directory: Path | None) -> Any:
        if directory is None:
            monkeypatch.delenv(OVERLAY_VARIABLE, raising=False)
        else:
            monkeypatch.setenv(OVERLAY_VARIABLE, str(directory))
        return importlib.reload(toolkit.udfs)

    yield use
    monkeypatch.delenv(OVERLAY_VARIABLE, raising=False)
    importlib.reload(toolkit.udfs)


def zorginkoop(*args: str, env: dict[str, str] | None = None,
               cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k != OVERLAY_VARIABLE}
    return subprocess.run([sys.executable, "-m", "toolkit.cli", *args], capture_output=True, text=True, cwd=cwd,
                          env={**environment, "PYTHONPATH": str(ROOT), **(env or {})})


EXAMPLE = {"5611": 4, "5612": 4, "5613": 4}  # 12 clients in 3 areas: ratio 4, meets 3 and 4


def test_without_the_overlay_every_surface_refuses_2028(in_force: Any, tmp_path: Path) -> None:
    udfs = in_force(None)
    with pytest.raises(PolicyYearError, match="2025, 2026, 2027"):
        toolkit.assess_client_area_ratio(EXAMPLE, year=2028)
    with pytest.raises(PolicyYearError):
        toolkit.staffel_percentage("A", year=2028)
    assert udfs.CZ_RATIO_DREMPEL(2028).startswith("#WAARDE! beleidsjaar 2028")
    assert udfs.CZ_STAFFEL_PCT("A", None, None, None, 2028).startswith("#WAARDE! beleidsjaar 2028")
    assert udfs.COOP_FTE_NODIG(55, 2028).startswith("#WAARDE! beleidsjaar 2028")
    assert udfs.NZ_BUDGET(1e6, 0.03, 0.025, 0.032, 0.85, None, 2028).startswith("#WAARDE! beleidsjaar 2028")
    with pytest.raises(PolicyYearError):
        toolkit.index_nachtzorg_budget(1e6, prelim_t=0.03, prelim_prev=0.025, final_prev=0.032, year=2028)
    claims = _claims(tmp_path)
    result = zorginkoop("ratio", str(claims), "--year", "2028")
    assert result.returncode == 1 and "2028" in result.stderr and "Traceback" not in result.stderr


def test_with_the_overlay_every_surface_gives_the_2028_answer(in_force: Any, overlay_2028: Path,
                                                              tmp_path: Path) -> None:
    udfs = in_force(overlay_2028)
    assert toolkit.ratio_threshold(2028) == 4 and toolkit.ratio_threshold(2027) == 3
    assessment = toolkit.assess_client_area_ratio({"5611": 4, "5612": 3, "5613": 4}, year=2028)
    assert not assessment.meets and assessment.threshold == 4 and "minimaal 4" in assessment.reason
    assert toolkit.staffel_percentage("A", year=2028).reason == "score A in 2027"  # T-1 follows the year
    assert udfs.CZ_RATIO_DREMPEL(2028) == 4.0
    assert udfs.CZ_RATIO_VOLDOET(["5611", "5612", "5613"], [4, 3, 4], 2028) is False
    assert udfs.CZ_RATIO_VOLDOET(["5611", "5612", "5613"], [4, 3, 4], 2027) is True
    assert udfs.CZ_STAFFEL_PCT("A", None, None, None, 2028) == 0.9
    assert udfs.COOP_FTE_NODIG(110, 2028) == 2.0
    assert udfs.NZ_BUDGET(1e6, 0.03, 0.025, 0.032, 0.85, None, 2028) == udfs.NZ_BUDGET(1e6, 0.03, 0.025, 0.032, 0.85)
    assert udfs.NZ_INDEXFACTOR(0.03, 0.025, 0.032, None, 2028) == udfs.NZ_INDEXFACTOR(0.03, 0.025, 0.032)
    claims = _claims(tmp_path)
    result = zorginkoop("ratio", str(claims), "--year", "2028", "--json", "--parameters", str(overlay_2028))
    assert result.returncode == 0, result.stderr
    got = json.loads(result.stdout)
    assert (got["threshold"], got["clients"], got["areas"], got["meets"]) == (4.0, 11, 3, False)
    listed = json.loads(zorginkoop("parameters", "--json", "--parameters", str(overlay_2028)).stdout)
    ratio = next(t for t in listed["topics"] if t["topic"] == "client_area_ratio")
    assert 2028 in ratio["years"]
    assert zorginkoop("parameters", "--json").stdout.count("2028") == 0


def _claims(tmp_path: Path) -> Path:
    """Claims of 2026 (T-2 for 2028): 11 clients in 3 areas."""
    path = tmp_path / "declaraties_2026.csv"
    rows = [(f"c{i}", area) for i, area in enumerate(["5611"] * 4 + ["5612"] * 3 + ["5613"] * 4)]
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["clientnummer", "postcode", "verzekeraar", "datum"])
        writer.writerows([(client, area, "CZ", "2026-03-01") for client, area in rows])
    return path


def test_fill_names_the_years_a_template_covers(in_force: Any, overlay_2028: Path, tmp_path: Path) -> None:
    inputs = tmp_path / "in.csv"
    inputs.write_text("aanbieder;jaar;postcodes;clienten\nX;2028;5611;4\nX;;5612;3\nX;;5613;4\n", encoding="utf-8")
    result = zorginkoop("fill", "cz_ratio", str(inputs), "--out", str(tmp_path / "out"))
    assert result.returncode == 1 and "2028" in result.stderr and "2025, 2026, 2027" in result.stderr
    # With the overlay, the bundled template no longer matches the data in force: make new ones.
    result = zorginkoop("fill", "cz_ratio", str(inputs), "--out", str(tmp_path / "out"), "--parameters",
                        str(overlay_2028))
    assert result.returncode == 1 and "zorginkoop sjablonen" in result.stderr
    made = zorginkoop("sjablonen", "--out", str(tmp_path / "sjablonen"), "--parameters", str(overlay_2028))
    assert made.returncode == 0, made.stderr
    result = zorginkoop("fill", str(tmp_path / "sjablonen" / "cz_ratio.xlsx"), str(inputs), "--out",
                        str(tmp_path / "out"), "--parameters", str(overlay_2028))
    assert result.returncode == 0, result.stderr
    with open(tmp_path / "out" / "summary.csv", encoding="utf-8") as handle:
        summary = list(csv.DictReader(handle))
    assert (summary[0]["out_drempel"], summary[0]["out_voldoet"]) == ("4", "FALSE")
    # Checked without the overlay (found by a helper: 257 findings, none saying why): the first says it.
    checked = zorginkoop("check", str(tmp_path / "out" / "X.xlsx"))
    assert checked.returncode == 1 and checked.stdout.startswith(
        "werkmap: Bronnen: gemaakt met andere parametergegevens dan die in gebruik (een ander jaar): controleer met "
        "dezelfde --parameters als bij het maken"), checked.stdout[:300]
    assert "(verwacht beleidsjaren 2025–2027, gevonden beleidsjaren 2025–2028)" in checked.stdout.splitlines()[0]
    assert zorginkoop("check", str(tmp_path / "out" / "X.xlsx"), "--parameters", str(overlay_2028)).returncode == 0


@pytest.mark.libreoffice
def test_regenerated_templates_recalculate_the_2028_answer(overlay_2028: Path, tmp_path: Path) -> None:
    from libreoffice import recalculate, typed_into
    from openpyxl import load_workbook

    made = zorginkoop("sjablonen", "--out", str(tmp_path / "sjablonen"), "--parameters", str(overlay_2028))
    assert made.returncode == 0, made.stderr
    files = []
    for year in (2027, 2028):
        values = {"in_jaar": year, "in_postcodes": ["5611", "5612", "5613"], "in_clienten": [4, 3, 4]}
        files.append(typed_into(tmp_path / "sjablonen" / "cz_ratio.xlsx", values, tmp_path / f"jaar{year}.xlsx"))
    converted = recalculate(files, tmp_path / "herberekend")
    found = [load_workbook(converted[f], data_only=True) for f in files]

    def named(wb: Any, name: str) -> object:
        sheet, cell = next(iter(wb.defined_names[name].destinations))
        return wb[sheet][cell.replace("$", "")].value

    assert [(named(wb, "out_drempel"), named(wb, "out_voldoet")) for wb in found] == [(3, "ja"), (4, "nee")]


# --- every surface that shows a policy number follows the data --------------------------------------------

ODD = {
    ("client_area_ratio", "threshold_existing"): 7,
    ("cooperative", "clients_per_level6_fte"): 57,
    ("cooperative", "fulltime_week_hours"): 37,
    ("cooperative", "atw_avg_week_hours"): 47,
    ("cooperative", "atw_avg_week_hours_night"): 39,
    ("staffel", "min_cost_points_b"): 6,
    ("staffel", "waardemodel_min_production"): 123456,
    ("nachtzorg", "weight_personnel"): "0.7",
    ("nachtzorg", "weight_material"): "0.3",
    ("ceiling", "request_min_ceiling_share"): "0.77",
    ("own_delivery", "min_own_share"): "0.56",
    ("home_technology", "min_share"): "0.53",
    ("dementia_case_management", "caseload_min"): 51,
    ("dementia_case_management", "caseload_max"): 67,
    ("staffel", "table"): [{"condition": "ceiling_free", "percentage": "1.00"},
                           {"condition": "a_both_years", "percentage": "1.00"},
                           {"condition": "a_previous_year", "percentage": "0.92"},
                           {"condition": "b_enough_cost_points", "percentage": "0.83"},
                           {"condition": "b_too_few_cost_points", "percentage": None},
                           {"condition": "c_previous_year", "percentage": None},
                           {"condition": "no_score", "percentage": "0.91"}],
}
OLD = ["55", "2.496", "2.080", "36 uur", "48", "40 ", "100.000", "90 %", "10 %", "80 %", "50 %", "85 %", "85%",
       "90%",
       "≥ 5", "5 of meer", "50 tot 65"]
NEW = ["57", "2.444", "2.028", "37", "47", "39", "123.456", "70 %", "30 %", "77 %", "56 %", "6 of meer", "83 %", "91 %",
       "53 %", "gemiddeld 51 tot 67 cliënten per fte"]


def _odd_overlay(directory: Path) -> Path:
    overlay = make_overlay(directory, 2027, ODD)  # the 2027 values themselves replaced
    return overlay


def _surfaces(udfs: Any) -> str:
    """Every text a user reads that may mention a policy number: function help, template labels and input
    messages, and the messages and reasons of the rules."""
    from toolkit.workbook.specs import SPECS

    texts = []
    for function in udfs.FUNCTIONS:
        texts.append(function.__doc__ or "")
        texts += list(function.__arg_docs__.values())
    for spec in SPECS.values():
        texts.append(spec.title)
        texts += [f"{i.label} {i.prompt}" for i in spec.inputs] + [o.label for o in spec.outputs]
    texts.append(toolkit.staffel_percentage("B", cost_points=1).reason)
    texts.append(toolkit.staffel_percentage("B", cost_points=6).reason)
    texts.append(toolkit.staffel_percentage("A", production_agreement=1000).reason)
    texts.append(toolkit.assess_client_area_ratio({"5611": 1}, year=2027).reason)
    texts += list(toolkit.assess_additional_purchase(1_000_000, [10_000], score_previous="C").reasons)
    texts.append(toolkit.assess_own_delivery(1, 0, 1, 1).reason)
    texts.append(toolkit.assess_technology_share(2, 0).reason)
    texts.append(toolkit.assess_dementia_caseload(0, 1).reason)
    for call in (lambda: toolkit.staffel_percentage("B"),):
        with pytest.raises(toolkit.InputError) as info:
            call()
        texts.append(str(info.value))
    return "\n".join(texts)


def test_every_text_shows_the_numbers_of_the_data_in_force(in_force: Any, tmp_path: Path) -> None:
    bundled = _surfaces(in_force(None))
    for text in ("55", "2.496", "100.000", "80 %", "50 %"):
        assert text in bundled, text  # the bundled values are shown (else this test proves nothing)
    changed = _surfaces(in_force(_odd_overlay(tmp_path / "oneven")))
    for text in NEW:
        assert text in changed, text
    for text in OLD:
        assert text not in changed, f"{text!r} is still shown after the data changed"


def test_no_policy_number_is_typed_into_the_help_of_the_code() -> None:
    """The sources of the texts (each rule's Excel functions and template, the command) carry placeholders, not
    the values themselves."""
    texts = [*(ROOT / "toolkit" / "rules").glob("*/excel.py"), *(ROOT / "toolkit" / "rules").glob("*/template.py"),
             *(ROOT / "toolkit" / "cli").glob("*.py"), ROOT / "toolkit" / "udfs.py", ROOT / "toolkit/workbook/specs.py"]
    assert len(texts) > 12
    for path in texts:
        source = path.read_text(encoding="utf-8")
        for literal in ("55 cliënten", "2.496", "2.080", "€ 100.000", "36 uur", "90%", "10%", "(2025-2027)",
                        "≥ 5", "geeft 85"):
            assert literal not in source, (path, literal)


def test_parameters_cites_each_years_own_source(tmp_path: Path) -> None:
    """Found by a helper: `zorginkoop parameters` showed the newest year's source beside every year's value."""
    directory = make_overlay(tmp_path / "eigen", 2028, {("ceiling", "request_min_ceiling_share"): 0.75})
    path = directory / "cz" / "ceiling.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["parameters"]["request_min_ceiling_share"]["values"][2028]["source"]["document"] = \
        "CZ groep, Zorginkoopbeleid wijkverpleging 2028"
    _write(path, data)
    shown = zorginkoop("parameters", "--parameters", str(directory))
    assert shown.returncode == 0, shown.stderr
    lines = [line.strip() for line in shown.stdout.splitlines()]
    at = lines.index("request_min_ceiling_share: 80 % (beleidsjaar 2027); 75 % (beleidsjaar 2028)")
    block = " ".join(lines[at:at + 8])
    assert "bron 2027: CZ groep, Zorginkoopbeleid wijkverpleging 2027" in block
    assert "bron 2028: CZ groep, Zorginkoopbeleid wijkverpleging 2028" in block
    # A source shared by every year stays one line.
    assert any(line.startswith("bron: CZ groep") for line in lines[at + 8:])


def test_policy_years_that_are_no_years_explain_nothing() -> None:
    """`check`'s leading finding on other parameter data reads par_jaren; what is no year there (text, or a
    hostile 1e400 that reads as infinity) leaves it to the findings on the cells themselves."""
    from openpyxl import Workbook
    from openpyxl.workbook.defined_name import DefinedName

    from toolkit.workbook.check import _other_years
    from toolkit.workbook.specs import SPECS

    spec = SPECS["plafond"]
    assert spec.years == (2027,)
    for value, explained in ((float("inf"), False), (float("nan"), False), ("twintig", False), (None, False),
                             (2027, False), (2026, True)):
        wb = Workbook()
        wb.active.title = "Bronnen"
        wb.active["A1"] = value
        wb.defined_names["par_jaren"] = DefinedName("par_jaren", attr_text="Bronnen!$A$1")
        found = _other_years(wb, spec)
        assert bool(found) == explained, value
