"""Rule 1, the client-per-area ratio, in formulas (`templates/cz_ratio.xlsx`; the Python engine:
`toolkit/rules/ratio/template.py`). One row per postcode on Berekening, from row 15."""

from __future__ import annotations

from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.formatting.rule import FormulaRule
from openpyxl.worksheet.worksheet import Worksheet

from ...rules.declaration import NOT_APPLICABLE, Template
from ...rules.ratio.template import NO_RATIO
from ..formats import font
from ..formula import (
    Formulas,
    Steps,
    checks,
    compact,
    is_choice,
    status_steps,
    string,
    year_steps,
    yes_no_result,
)
from ..layout import CHART_ROWS, OUTPUT_RANGE_ROW, RANGE_HEADER_ROW, RANGE_TOP
from ..report_sheets import categories, style_chart
from ..styles import BAD_FILL, text_cell
from . import Sheets


def calculate(steps: Steps, spec: Template) -> Formulas:
    ws = steps.ws
    rows = spec.input("in_postcodes").rows
    last = RANGE_TOP + rows - 1
    headers = ["Postcode (compact)", "PC4", "Postcode geldig", "Cliënten", "Fout in rij", "Nieuw gebied",
               "Drempel", "Sleutel gebied", "Te schrappen", "Cliënten geschrapt", "Voldoet daarna"]
    # K-N: the areas to drop (SPEC 1), fewest clients first, ties lowest PC4: K is clients × 10,000 + PC4 at
    # an area's first row; L the k-th smallest key while the areas dropped so far do not yet meet the
    # threshold; M the clients dropped so far; N whether the rest meets it.
    for column, title in enumerate(headers, start=4):
        ws.cell(row=RANGE_HEADER_ROW, column=column, value=title).font = font(bold=True)
    for r in range(RANGE_TOP, last + 1):
        k = r - RANGE_TOP + 1
        ws[f"D{r}"] = f"={compact(f'Invoer!B{r}')}"
        ws[f"E{r}"] = f'=IF(D{r}="","",LEFT(D{r},4))'
        # A PC4 is four digits not starting with 0, then optionally two letters A-Z or a-z (codes 65-90,
        # 97-122; UPPER is not used: LibreOffice turns ß into SS, which Python does not accept).
        digits = f'SUMPRODUCT(--(ABS(CODE(MID(D{r}&"xxxxxx",{{1,2,3,4}},1))-52.5)<5))=4'
        letters = (f'SUMPRODUCT(--(((ABS(CODE(MID(D{r}&"xxxxxx",{{5,6}},1))-77.5)<13)'
                   f'+(ABS(CODE(MID(D{r}&"xxxxxx",{{5,6}},1))-109.5)<13))>0))=2')
        valid = f'AND(OR(LEN(D{r})=4,LEN(D{r})=6),LEFT(D{r},1)<>"0",{digits},OR(LEN(D{r})=4,{letters}))'
        ws[f"F{r}"] = f'=IF(D{r}="",TRUE,IF(ISERROR({valid}),FALSE,{valid}))'
        ws[f"G{r}"] = f'=IF(TRIM(Invoer!C{r}&"")="",0,IF(ISNUMBER(Invoer!C{r}),Invoer!C{r},-1))'
        # A count without a postcode is wrong unless it is 0; a postcode needs a whole count of 0 or more.
        ws[f"H{r}"] = (
            f'=IF(AND(D{r}="",OR(TRIM(Invoer!C{r}&"")="",G{r}=0)),0,'
            f'IF(OR(D{r}="",TRIM(Invoer!C{r}&"")="",NOT(F{r}),G{r}<0,G{r}<>INT(G{r})),1,0))'
        )
        # An area counts once, at its first row, and only when its clients add up to more than 0.
        ws[f"I{r}"] = (
            f'=IF(OR(E{r}="",H{r}=1),0,IF(MATCH(E{r},E${RANGE_TOP}:E${last},0)=ROW()-{RANGE_TOP - 1},'
            f'IF(SUMIF(E${RANGE_TOP}:E${last},E{r},G${RANGE_TOP}:G${last})>0,1,0),0))'
        )
        ws[f"J{r}"] = "=IF(ISNUMBER(calc_drempel),calc_drempel,0)"  # the chart's line: flat, no error values
        ws[f"K{r}"] = f'=IF(I{r}=1,SUMIF(E${RANGE_TOP}:E${last},E{r},G${RANGE_TOP}:G${last})*10000+VALUE(E{r}),"")'
        met_before = "calc_voldoet_nu" if k == 1 else f"N{r - 1}"
        dropped_before = "0" if k == 1 else f"M{r - 1}"
        ws[f"L{r}"] = (f'=IF(OR(calc_status<>"",NOT(ISNUMBER(calc_drempel)),{k}>calc_gebieden,{met_before}),"",'
                       f"SMALL(K${RANGE_TOP}:K${last},{k}))")
        ws[f"M{r}"] = f'=IF(L{r}="",{dropped_before},{dropped_before}+INT(L{r}/10000))'
        ws[f"N{r}"] = (f'=IF(L{r}="",{met_before},AND(calc_gebieden-{k}>0,'
                       f"calc_clienten-M{r}>=calc_drempel*(calc_gebieden-{k})))")
    bad_rows = f"SUM(H{RANGE_TOP}:H{last})"
    first_bad = f"MATCH(1,H{RANGE_TOP}:H{last},0)"
    year_steps(steps, spec)
    status_steps(steps, spec,
                  checks(spec, [(f"{bad_rows}>0", f'"rij "&{first_bad}&" van de postcodes en cliënten (postcode \'"'
                                  f'&INDEX(Invoer!B{RANGE_TOP}:B{last},{first_bad})&"\', cliënten \'"'
                                  f'&INDEX(Invoer!C{RANGE_TOP}:C{last},{first_bad})&"\')"')]))
    steps.add("calc_clienten", "Cliënten", f"=SUM(G{RANGE_TOP}:G{last})", kind="count")
    steps.add("calc_gebieden", "Postcodegebieden met cliënten", f"=SUM(I{RANGE_TOP}:I{last})", kind="count")
    steps.add("calc_drempel", "Drempel", '=IF(ISNA(calc_jaarrij),"beleidsjaar niet gedekt",'
              f'IF({is_choice(spec.input("in_soort"), "new")},'
              'INDEX(tab_threshold_new,calc_jaarrij),INDEX(tab_threshold_existing,calc_jaarrij)))')
    steps.add("calc_voldoet_nu", "Voldoet zonder te schrappen", "=IF(ISNUMBER(calc_drempel),AND(calc_gebieden>0,"
              "calc_clienten>=calc_drempel*calc_gebieden),TRUE)", flag=True)
    # The error message's row number is a formula piece: the message is a string literal around it.
    drop = [f'=IF(ISNUMBER(Berekening!L{r}),TEXT(MOD(Berekening!L{r},10000),"0000"),"")'
            for r in range(RANGE_TOP, last + 1)]
    return {
        "out_clienten": ("calc_clienten"),
        "out_gebieden": ("calc_gebieden"),
        "out_ratio": f'IF(calc_gebieden=0,{string(NO_RATIO)},calc_clienten/calc_gebieden)',
        "out_drempel": (f'IF(ISNUMBER(calc_drempel),calc_drempel,"{NOT_APPLICABLE}")'),
        "out_voldoet": yes_no_result("calc_voldoet_nu", not_applicable="NOT(ISNUMBER(calc_drempel))"),
        "out_extra_clienten": ("IF(ISNUMBER(calc_drempel),"
                                     "MAX(0,ROUNDUP(ROUND(calc_drempel*calc_gebieden,9),0)-calc_clienten),0)"),
        "out_max_gebieden": (f'IF(ISNUMBER(calc_drempel),INT(ROUND(calc_clienten/calc_drempel,9)),'
                                   f'"{NOT_APPLICABLE}")'),
        "out_te_schrappen": drop,
    }


def decorate(sheets: Sheets, spec: Template) -> None:
    """A wrong row of postcodes and clients turns red; the chart of clients per postcode."""
    rows = spec.input("in_postcodes").rows
    sheets.invoer.conditional_formatting.add(f"B{RANGE_TOP}:C{RANGE_TOP + rows - 1}",
                                             FormulaRule(formula=[f"Berekening!$H{RANGE_TOP}=1"], fill=BAD_FILL))
    _chart(sheets.uitkomst, sheets.invoer, sheets.berekening)


def _chart(ws: Worksheet, invoer: Worksheet, berekening: Worksheet) -> None:
    """Clients per postcode against the threshold, over the first CHART_ROWS rows (fill: the rows it wrote)."""
    last = RANGE_TOP + CHART_ROWS - 1
    text_cell(ws, OUTPUT_RANGE_ROW, 3, "Cliënten per postcode en de drempel").font = font(bold=True)
    bars = BarChart()
    bars.y_axis.title = "cliënten"
    postcodes = Reference(invoer, min_col=2, min_row=RANGE_TOP, max_row=last)
    bars.add_data(Reference(invoer, min_col=3, min_row=RANGE_HEADER_ROW, max_row=last), titles_from_data=True)
    line = LineChart()
    line.add_data(Reference(berekening, min_col=10, min_row=RANGE_HEADER_ROW, max_row=last), titles_from_data=True)
    categories(bars, postcodes)
    categories(line, postcodes)
    style_chart(line, "C00000")
    bars += line
    bars.x_axis.delete = bars.y_axis.delete = False
    bars.legend.position = "b"
    bars.width, bars.height = 16, 8.5
    ws.add_chart(bars, f"C{OUTPUT_RANGE_ROW + 1}")
