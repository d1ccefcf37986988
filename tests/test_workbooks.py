"""workbooks/zorginkoop.xlsm, docs/functies.md and workbooks/lite/: present, correct, not drifted."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

import pytest
from fingerprint import fingerprint
from openpyxl import load_workbook

from toolkit import udfs
from toolkit.workbook import reference, xlsm

ROOT = Path(__file__).resolve().parents[1]
XLSM = ROOT / "workbooks" / "zorginkoop.xlsm"


@pytest.fixture(scope="module")
def workbook() -> Any:
    return load_workbook(XLSM, keep_vba=True)


def test_committed_xlsm_matches_the_builder(tmp_path: Path) -> None:
    built = xlsm.build(tmp_path / "zorginkoop.xlsm")
    assert fingerprint(built) == fingerprint(XLSM), "run: python3 -m toolkit.workbook.xlsm"


def test_conf_sheet_points_at_the_udf_module(workbook: Any) -> None:
    assert "_xlwings.conf" not in workbook.sheetnames
    conf = workbook["xlwings.conf"]
    settings = {row[0]: row[1] for row in conf.iter_rows(min_col=1, max_col=2, values_only=True) if row[0]}
    assert settings["UDF Modules"] == "toolkit.udfs"
    assert settings["Interpreter_Win"] == "python"


def test_vba_project_is_kept(workbook: Any) -> None:
    assert workbook.vba_archive is not None
    assert "xl/vbaProject.bin" in workbook.vba_archive.namelist()
    assert len(workbook.vba_archive.read("xl/vbaProject.bin")) > 1000


def test_every_function_is_shown_on_an_example_sheet(workbook: Any) -> None:
    formulas = " ".join(
        str(cell.value) for ws in workbook.worksheets for row in ws.iter_rows() for cell in row
        if cell.data_type == "f"
    )
    for function in udfs.FUNCTIONS:
        assert re.search(rf"={function.__name__}\(", formulas), function.__name__


def test_read_me_has_the_windows_steps(workbook: Any) -> None:
    assert workbook.sheetnames[0] == "Lees mij"
    text = " ".join(str(v) for row in workbook["Lees mij"].iter_rows(values_only=True) for v in row if v)
    for step in ("pip install .", "niet op PyPI", "xlwings addin install", "Import Functions", "xlwings Lite",
                 "workbooks/lite/main.py", "Zoomer Analytics", "BSD"):
        assert step in text, step


def _resolve(ws: Any, argument: str) -> Any:
    """An argument of an example formula: a literal, an empty (missing) argument or a range."""
    argument = argument.strip()
    if argument == "":
        return None
    if re.fullmatch(r"[A-Z]+\d+:[A-Z]+\d+", argument):
        return [[cell.value for cell in row] for row in ws[argument]]
    return ast.literal_eval(argument)


@pytest.mark.parametrize("sheet", list(xlsm.SHEETS))
def test_each_example_gives_its_expected_value(workbook: Any, sheet: str) -> None:
    """Evaluate column C's formulas with the Python functions and compare with column D."""
    ws = workbook[sheet]
    top = 21 if sheet == "Plafond" else 11
    rows = [row for row in ws.iter_rows(min_row=top) if row[0].value]
    assert len(rows) == len(xlsm.SHEETS[sheet])
    for label, shown, formula, expected, check, _source in (row[:6] for row in rows):
        name, args = re.fullmatch(r"=(\w+)\((.*)\)", formula.value).groups()  # type: ignore[union-attr]
        assert shown.value == formula.value and shown.data_type == "s"
        result = getattr(udfs, name)(*[_resolve(ws, a) for a in args.split(",")])
        if isinstance(expected.value, float) and not isinstance(expected.value, bool):
            assert result == pytest.approx(expected.value, abs=1e-9), label.value
        else:
            assert result == expected.value, label.value
        assert check.value.startswith("=IF(")


def test_function_reference_is_generated_from_the_module() -> None:
    committed = (ROOT / "docs" / "functies.md").read_text(encoding="utf-8")
    assert committed == reference.render(), "run: python3 -m toolkit.workbook.reference"
    for function in udfs.FUNCTIONS:
        assert f"## {function.__name__}\n" in committed
        for name, doc in function.__arg_docs__.items():  # type: ignore[attr-defined]
            assert f"| `{name}` | {doc} |" in committed


def test_every_argument_has_help_text() -> None:
    import inspect

    for function in udfs.FUNCTIONS:
        docs = function.__arg_docs__  # type: ignore[attr-defined]
        assert list(docs) == list(inspect.signature(function).parameters), function.__name__
        assert all(0 < len(doc) <= 255 for doc in docs.values())


def test_lite_requirements_need_no_wheel_address() -> None:
    requirements = (ROOT / "workbooks" / "lite" / "requirements.txt").read_text(encoding="utf-8")
    packages = [line.strip() for line in requirements.splitlines() if line.strip() and not line.startswith("#")]
    assert packages == ["xlwings"]  # the toolkit in main.py needs nothing else (tests/test_lite.py)
