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

import subprocess
import sys
from pathlib import Path

import pytest
from libreoffice import recalculate, soffice
from openpyxl import Workbook, load_workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.formatting.rule import CellIsRule, FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.styles.colors import Color
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from toolkit.workbook.check import check_workbook, compare_workbooks
from toolkit.workbook.equivalence import number_format_key

pytestmark = pytest.mark.libreoffice
ROOT = Path(__file__).resolve().parents[1]

# Formats a Dutch finance team reads (and a few that programs write in other forms).
FORMATS = ['"€" #,##0.00', "€ #,##0.00", '"€ "#,##0.00;[Red]-"€ "#,##0.00', "0.00%", "0%", "0.0%", "#,##0", "0.0",
           "0.00", "#,##0.00", "0", "@", "dd-mm-yyyy", "d-m-yyyy", "d mmmm yyyy", "[$€-413] #,##0.00", '"€" #,##0',
           '0.0" uur"', '#,##0" cliënten"', '_-"€" * #,##0.00_-;_-"€" * -#,##0.00_-;_-"€" * "-"??_-;_-@_-',
           '[=1]"ja";[=0]"nee";General', "mmmm", "General"]


def future_template(path: Path) -> Path:
    """A workbook with what a template may come to have; every feature in a form Excel users meet."""
    wb = Workbook()
    instructie = wb.active
    assert instructie is not None
    instructie.title = "Instructie"
    instructie["A1"] = "Instructie"
    instructie["A1"].font = Font(bold=True, size=16, color=Color(theme=4, tint=-0.25))
    instructie["A3"] = "Vul de gele cellen in op het tabblad Invoer."
    instructie["A3"].alignment = Alignment(wrap_text=True, vertical="top")
    instructie.column_dimensions["A"].width = 80
    invoer = wb.create_sheet("Invoer")
    uitkomst = wb.create_sheet("Uitkomst")
    invoer["A1"], uitkomst["A1"] = "Invoer", "Uitkomst"
    for row, code in enumerate(FORMATS, start=3):
        invoer.cell(row=row, column=1, value=f"invoer {row}")
        cell = invoer.cell(row=row, column=2, value=1234.5 if row % 3 else None)
        cell.number_format = code
        cell.fill = PatternFill("solid", fgColor="FFF2CC")
        cell.protection = Protection(locked=False)
        result = uitkomst.cell(row=row, column=2, value=f"=IF(Invoer!B{row}=\"\",\"\",Invoer!B{row}*2)")
        result.number_format = code
        result.protection = Protection(locked=True, hidden=True)
        uitkomst.cell(row=row, column=1, value=f"uitkomst {row}").font = Font(italic=True, color="1F497D")
    last = 2 + len(FORMATS)
    uitkomst["C3"] = '=IF(B3>1000,"ja","nee")'
    uitkomst["C3"].alignment = Alignment(horizontal="center")
    uitkomst["C4"] = "=TRUE"
    uitkomst.merge_cells("A30:C30")
    uitkomst["A30"] = "Samengevoegde toelichting"
    uitkomst.row_dimensions[31].hidden = True
    uitkomst["A31"] = "verborgen hulpregel"
    uitkomst.row_dimensions[5].height = 30
    uitkomst.column_dimensions["D"].hidden = True
    uitkomst["D3"] = "hulpkolom"
    uitkomst.column_dimensions["A"].width = 40
    uitkomst.conditional_formatting.add("C3:C10", CellIsRule(operator="equal", formula=['"ja"'],
                                                             font=Font(color="006100"),
                                                             fill=PatternFill("solid", start_color="C6EFCE",
                                                                              end_color="C6EFCE")))
    uitkomst.conditional_formatting.add("C3:C10", CellIsRule(operator="equal", formula=['"nee"'],
                                                             font=Font(color="9C0006", bold=True),
                                                             fill=PatternFill("solid", start_color="FFC7CE",
                                                                              end_color="FFC7CE")))
    invoer.conditional_formatting.add(f"B3:B{last}", FormulaRule(formula=["ISTEXT(B3)"], stopIfTrue=True,
                                                                   fill=PatternFill("solid", start_color="FFC7CE",
                                                                                    end_color="FFC7CE")))
    validations = [
        DataValidation(type="decimal", operator="between", formula1="0", formula2="1000000", allow_blank=True,
                       showErrorMessage=True, errorStyle="stop", error="Een bedrag", errorTitle="Ongeldig",
                       showInputMessage=True, prompt="Bedrag in euro", promptTitle="Bedrag"),
        DataValidation(type="list", formula1='"ja,nee"', allow_blank=True, showErrorMessage=True,
                       errorStyle="warning"),
        DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", showErrorMessage=True,
                       errorStyle="information"),
        DataValidation(type="textLength", operator="between", formula1="4", formula2="7", showErrorMessage=True),
        DataValidation(type="custom", formula1="ISNUMBER(B7)", showErrorMessage=True),
    ]
    for number, validation in enumerate(validations):
        validation.add(f"B{3 + number}")
        invoer.add_data_validation(validation)
    for ws in (instructie, invoer, uitkomst):
        ws.protection.sheet = True
        ws.print_title_rows = "1:2"
        ws.oddHeader.left.text = "Sjabloon test, beleidsjaar 2027"
        ws.oddFooter.right.text = "pagina &P van &N"
        ws.page_setup.orientation = "landscape"
    invoer.print_area = f"A1:C{last}"
    uitkomst.print_area = "A1:D31"
    bars = BarChart()
    bars.title = "Uitkomsten"
    bars.y_axis.title = "euro"
    bars.y_axis.number_format = '"€" #,##0'
    bars.add_data(Reference(uitkomst, min_col=2, min_row=3, max_row=8), titles_from_data=False)
    bars.set_categories(Reference(uitkomst, min_col=1, min_row=3, max_row=8))
    line = LineChart()
    line.add_data(Reference(invoer, min_col=2, min_row=3, max_row=8), titles_from_data=False)
    bars += line
    uitkomst.add_chart(bars, "F3")
    wb.defined_names["in_bedrag"] = DefinedName("in_bedrag", attr_text="'Invoer'!$B$3")
    wb.defined_names["in_reeks"] = DefinedName("in_reeks", attr_text=f"'Invoer'!$B$3:$B${last}")
    uitkomst.defined_names["lokaal"] = DefinedName("lokaal", attr_text="'Uitkomst'!$B$3")
    wb.save(path)
    return path


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


def test_every_demo_workbook_saved_by_libreoffice_is_in_order(tmp_path: Path) -> None:
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
    for original, saved in recalculate(renamed, tmp_path / "opgeslagen").items():
        report = check_workbook(saved)
        assert report.ok and report.recalculated, (original.name, [f.line() for f in report.findings[:5]])
