"""A workbook with what a template may come to have (issue 18: an instruction sheet, Dutch number formats,
print settings, headers and footers, ja/nee results with conditional formats, a combined chart), for
the tests of `zorginkoop check`: LibreOffice's save of it must be no finding (test_check_libreoffice.py),
and each change a reader would see must be one (test_check_appearance.py)."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.formatting.rule import CellIsRule, FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.styles.colors import Color
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

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
    wb.defined_names["zk_sleutel"] = DefinedName("zk_sleutel", attr_text="'Invoer'!$C$3")
    invoer["C3"].fill = PatternFill("solid", fgColor="FFF2CC")
    wb.save(path)
    return path
