"""The template formulas against the Python rules, recalculated in real LibreOffice.

For each template, 200+ seeded cases (template_cases.py, boundaries included) go through
`zorginkoop fill`; one soffice call recalculates them all; every `out_*` value read back must equal
what the Python rules computed for the summary: money to the cent, other numbers to 1e-9, booleans
and texts exactly. The recalculated copies must also pass `zorginkoop check`.
"""

from __future__ import annotations

import csv
import math
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import template_cases
from libreoffice import recalculate, soffice
from python_calamine import CalamineWorkbook

from toolkit.workbook.check import check_workbook
from toolkit.workbook.fill import TemplateFile, fill
from toolkit.workbook.specs import SPECS

CASES = 200

pytestmark = pytest.mark.libreoffice


def write_inputs(path: Path, rows: list[dict[str, Any]]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), delimiter=";")
        writer.writeheader()
        writer.writerows(rows)
    return path


def read_outputs(path: Path, cells: dict[str, str]) -> dict[str, Any]:
    """The saved values of the output cells ({"out_x": "Uitkomst!B4"}), read with calamine (fast)."""
    book = CalamineWorkbook.from_path(str(path))
    sheets: dict[str, list[list[Any]]] = {}
    values = {}
    for name, where in cells.items():
        sheet, ref = where.split("!")
        rows = sheets.setdefault(sheet, book.get_sheet_by_name(sheet).to_python(skip_empty_area=False))
        column = ord(ref[0]) - ord("A")
        values[name] = rows[int(ref[1:]) - 1][column]
    return values


def equal(expected: Any, found: Any, kind: str) -> bool:
    if isinstance(expected, bool):
        return found is expected
    if isinstance(expected, str):
        return found == expected
    if not isinstance(found, int | float) or isinstance(found, bool):
        return False
    if kind == "money":
        return Decimal(repr(round(found, 2))) == Decimal(expected)
    return math.isclose(float(expected), found, rel_tol=1e-9, abs_tol=1e-9)


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[list[Any], dict[Path, Path]]]:
    soffice()
    filled = {}
    for name, generate in template_cases.GENERATORS.items():
        work = tmp_path_factory.mktemp(name)
        inputs = write_inputs(work / "invoer.csv", generate(CASES))
        result = fill(name, inputs, work / "gevuld", skip_invalid=True)
        filled[name] = (work, result)

    def one_template(name: str) -> tuple[list[Any], dict[Path, Path]]:
        work, result = filled[name]  # one soffice call per template, two templates at a time
        files = [work / "gevuld" / c.file for c in result.cases if c.file]
        return result.cases, recalculate(files, work / "herberekend")

    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(zip(filled, pool.map(one_template, filled), strict=True))


@pytest.mark.parametrize("name", list(SPECS))
def test_every_output_equals_the_python_rules(recalculated: dict[str, Any], name: str) -> None:
    cases, converted = recalculated[name]
    spec = SPECS[name]
    kinds = {o.name: o.kind for o in spec.outputs}
    cells = TemplateFile.open(name).outputs
    filled = [c for c in cases if c.file]
    assert len(filled) >= 200, f"only {len(filled)} cases were valid; the generator must give 200+"
    by_name = {path.name: path for path in converted.values()}
    mismatches = []
    for case in filled:
        found = read_outputs(by_name[case.file], cells)
        for output, expected in case.outputs.items():
            if not equal(expected, found[output], kinds[output]):
                mismatches.append((case.key, output, expected, found[output]))
    assert not mismatches, f"{len(mismatches)} differences, first: {mismatches[:5]}"


def test_boundaries_were_exercised(recalculated: dict[str, Any]) -> None:
    """The generator must really hit the edges, or the comparison above proves less than it claims."""
    ratio_cases = [c for c in recalculated["cz_ratio"][0] if c.file]
    at_threshold = [c for c in ratio_cases if isinstance(c.outputs["out_ratio"], float)
                    and isinstance(c.outputs["out_drempel"], Decimal)
                    and c.outputs["out_ratio"] == float(c.outputs["out_drempel"])]
    assert len(at_threshold) >= 10
    assert any(c.outputs["out_drempel"] == "n.v.t." for c in ratio_cases)
    coop = [c for c in recalculated["cooperatie"][0] if c.file]
    exact = [c for c in coop if c.outputs["out_voldoet"]
             and c.values["in_fte_niveau6"] * 55 == c.values["in_clienten"] > 0]
    assert len(exact) >= 10
    staffel = [c for c in recalculated["staffel"][0] if c.file]
    half_cents = [c for c in staffel if isinstance(c.outputs["out_percentage"], Decimal)
                  and (c.values["in_aanvullend_budget"] * c.outputs["out_percentage"] * 1000) % 10 == 5]
    assert len(half_cents) >= 10
    assert {c.outputs["out_reden"].split(":")[0] for c in staffel} >= {
        "afwijkende afspraak", "komt niet in aanmerking", "plafondvrije afspraak", "geen score"}


@pytest.mark.parametrize("name", list(SPECS))
def test_recalculated_copies_pass_check(recalculated: dict[str, Any], name: str) -> None:
    _cases, converted = recalculated[name]
    for path in list(converted.values())[:3]:
        report = check_workbook(path)
        assert report.recalculated and report.ok, [f.message for f in report.findings[:3]]


def test_hand_filled_template_with_other_spellings(tmp_path: Path) -> None:
    """A template filled by hand, not by `fill`: TRUE and 1 for ja, English choices, a number as
    postcode. After recalculation in LibreOffice, `check` must find the values equal to the rules."""
    from openpyxl import load_workbook

    from toolkit.workbook import template_path

    edits = {
        "staffel": {"in_score_2026": "b", "in_kostenpunten": 5, "in_plafondvrij": False,
                    "in_aanvullend_budget": 0.1, "in_palliatief_terminaal": 0},
        "cooperatie": {"in_clienten": 110, "in_fte_niveau6": 2, "in_uurtarief": 62.5, "in_nachtdienst": True,
                       "in_uren_leden": [3000, 2080, None, 100.25]},
        "nachtzorg": {"in_begroting": 1_000_000, "in_pers_voorlopig_t": 0.03, "in_mat_voorlopig_t": 0.03,
                      "in_pers_voorlopig_t1": 0.025, "in_mat_voorlopig_t1": 0.025, "in_pers_definitief_t1": 0.032,
                      "in_mat_definitief_t1": 0.032, "in_zvw_aandeel": 0.85, "in_methode": "additive"},
        "cz_ratio": {"in_jaar": 2025, "in_soort": "new", "in_postcodes": [5611, "5612 ab", " 5613 "],
                     "in_clienten": [4, 1, 2]},
    }
    files = []
    for name, values in edits.items():
        wb = load_workbook(template_path(name))
        for input_name, value in values.items():
            ((sheet, ref),) = wb.defined_names[input_name].destinations
            cells = wb[sheet][ref.replace("$", "")]
            targets = [row[0] for row in cells] if isinstance(cells, tuple) else [cells]
            for cell, item in zip(targets, value if isinstance(value, list) else [value], strict=False):
                cell.value = item
        files.append(tmp_path / f"{name}.xlsx")
        wb.save(files[-1])
    converted = recalculate(files, tmp_path / "herberekend")
    for path in converted.values():
        report = check_workbook(path)
        assert report.recalculated and report.ok, (path.name, [f.message for f in report.findings])
    assert check_workbook(converted[files[1]]).outputs["out_max_uren_per_lid"] == 2080  # TRUE counted as ja
