"""What LibreOffice changes when it saves a workbook is no finding of `zorginkoop check`.

`check` compares a workbook exactly with its template, except for the forms programs rewrite on save
(toolkit/workbook/equivalence.py). These tests save workbooks in real LibreOffice and compare:
every template filled by `zorginkoop demo`, and a workbook with what templates may come to have
(number formats as Dutch finance staff read them, fonts, fills, protection, conditional formats,
validation with each alert style, merged cells, hidden rows and columns, print areas and titles,
headers and footers, a combined chart with axis titles, names at both scopes). Each feature must
survive the save (else the comparison proves nothing) and compare equal.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from future_template import FORMATS, future_template
from libreoffice import convert, recalculate, soffice
from openpyxl import load_workbook

from toolkit.workbook.check import compare_workbooks
from toolkit.workbook.equivalence import number_format_key

pytestmark = pytest.mark.libreoffice
ROOT = Path(__file__).resolve().parents[1]


def test_what_libreoffice_rewrites_is_no_finding(tmp_path: Path) -> None:
    original = future_template(tmp_path / "toekomst.xlsx")
    assert compare_workbooks(original, original) == []
    saved = recalculate([original], tmp_path / "opgeslagen")[original]
    findings = compare_workbooks(saved, original)
    assert findings == [], [f.line() for f in findings[:10]]
    # Every feature survived the save: the comparison above compared something.
    wb = load_workbook(saved)
    uitkomst, invoer = wb["Uitkomst"], wb["Invoer"]
    assert len(list(uitkomst.conditional_formatting)) and len(list(invoer.conditional_formatting))
    assert {dv.errorStyle for dv in invoer.data_validations.dataValidation} >= {"stop", "warning", "information"}
    assert uitkomst.merged_cells.ranges and uitkomst.row_dimensions[31].hidden
    assert uitkomst.column_dimensions["D"].hidden and uitkomst.print_area and uitkomst.print_title_rows
    assert uitkomst.oddHeader.left.text and uitkomst["B3"].protection.hidden
    assert [number_format_key(invoer.cell(row=r, column=2).number_format) for r in range(3, 3 + len(FORMATS))] == [
        number_format_key(code) for code in FORMATS]
    assert "lokaal" in uitkomst.defined_names and "in_reeks" in wb.defined_names


def test_the_comparison_is_not_blind(tmp_path: Path) -> None:
    """The same workbook, saved by LibreOffice after a reader-visible change, is found different."""
    original = future_template(tmp_path / "toekomst.xlsx")
    wb = load_workbook(original)
    wb["Uitkomst"]["B3"].number_format = ";;;"
    wb["Uitkomst"].row_dimensions[4].hidden = True
    wb["Invoer"].data_validations.dataValidation[0].showErrorMessage = False
    changed = tmp_path / "gewijzigd.xlsx"
    wb.save(changed)
    saved = recalculate([changed], tmp_path / "opgeslagen")[changed]
    lines = [f.line() for f in compare_workbooks(saved, original)]
    assert any("Uitkomst!B3" in line and "getalnotatie" in line for line in lines), lines
    assert any("Uitkomst!4:4" in line for line in lines), lines
    assert any("Invoer!B3" in line and "gegevensvalidatie" in line for line in lines), lines


@pytest.mark.parametrize("dutch", [False, True], ids=["en-US", "nl-NL"])
def test_every_demo_workbook_saved_by_libreoffice_is_in_order(tmp_path: Path, dutch: bool) -> None:
    """Opened and saved as is, in LibreOffice in English and in Dutch (where it saves a date format
    `d-m-yyyy` as `d/m/yyyy`: the same date on the screen of a Dutch reader)."""
    soffice()
    subprocess.run([sys.executable, "-m", "toolkit.cli", "demo", "--out", str(tmp_path / "demo")], check=True,
                   capture_output=True, cwd=tmp_path)
    files = sorted((tmp_path / "demo").glob("*/Voorbeeldzorg *.xlsx"))
    assert len(files) >= 24
    renamed = []
    for path in files:  # soffice needs names unique across the batch
        target = tmp_path / "invoer" / f"{path.parent.name}_{path.name}"
        target.parent.mkdir(exist_ok=True)
        path.rename(target)
        renamed.append(target)
    saved = list(convert(renamed, tmp_path / "opgeslagen", "xlsx", dutch=dutch).values())
    # In a process of its own: check keeps every template it compares with, which the test process need not.
    script = ("import sys\nfrom pathlib import Path\nfrom toolkit.workbook.check import check_workbook\n"
              "for name in sys.argv[1:]:\n    report = check_workbook(Path(name))\n"
              "    print(name, report.recalculated, *[f.line() for f in report.findings[:5]], sep=' | ')\n")
    result = subprocess.run([sys.executable, "-c", script, *map(str, saved)], capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)}, check=True)
    lines = result.stdout.splitlines()
    assert len(lines) == len(saved), result.stderr
    assert all(line.endswith(" | True") for line in lines), [line for line in lines if not line.endswith(" | True")]
