"""Rule 1, the client-per-area ratio, in formulas (`templates/cz_ratio.xlsx`; the Python engine:
`toolkit/rules/ratio/template.py`). One row per postcode on Berekening, from row 15."""

from __future__ import annotations

from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.worksheet.worksheet import Worksheet

from ...rules.declaration import NOT_APPLICABLE, Template
from ...rules.ratio.template import NO_RATIO
from ..formats import font
from ..formula import (
    Formulas,
    Steps,
    checks,
    is_choice,
    mark_wrong_postcode_rows,
    postcode_rows,
    status_steps,
    string,
    year_steps,
    yes_no_result,
)
from ..layout import CHART_ROWS, OUTPUT_RANGE_ROW, RANGE_HEADER_ROW, RANGE_TOP
from ..report_sheets import categories, style_chart
from ..styles import text_cell
from . import Sheets


def calculate(steps: Steps, spec: Template) -> Formulas:
    ws = steps.ws
    rows = spec.input("in_postcodes").rows
    areas = postcode_rows(ws, rows)  # D-I: the postcodes and clients, row by row
    last = areas.last
    headers = ["Drempel", "Sleutel gebied", "Te schrappen", "Cliënten geschrapt", "Voldoet daarna"]
    # K-N: the areas to drop (SPEC 1), fewest clients first, ties lowest PC4: K is clients × 10,000 + PC4 at
    # an area's first row; L the k-th smallest key while the areas dropped so far do not yet meet the
    # threshold; M the clients dropped so far; N whether the rest meets it.
    for column, title in enumerate(headers, start=10):
        ws.cell(row=RANGE_HEADER_ROW, column=column, value=title).font = font(bold=True)
    for r in range(RANGE_TOP, last + 1):
        k = r - RANGE_TOP + 1
        ws[f"J{r}"] = "=IF(ISNUMBER(calc_drempel),calc_drempel,0)"  # the chart's line: flat, no error values
        ws[f"K{r}"] = f'=IF(I{r}=1,SUMIF(E${RANGE_TOP}:E${last},E{r},G${RANGE_TOP}:G${last})*10000+VALUE(E{r}),"")'
        met_before = "calc_voldoet_nu" if k == 1 else f"N{r - 1}"
        dropped_before = "0" if k == 1 else f"M{r - 1}"
        ws[f"L{r}"] = (f'=IF(OR(calc_status<>"",NOT(ISNUMBER(calc_drempel)),{k}>calc_gebieden,{met_before}),"",'
                       f"SMALL(K${RANGE_TOP}:K${last},{k}))")
        ws[f"M{r}"] = f'=IF(L{r}="",{dropped_before},{dropped_before}+INT(L{r}/10000))'
        ws[f"N{r}"] = (f'=IF(L{r}="",{met_before},AND(calc_gebieden-{k}>0,'
                       f"calc_clienten-M{r}>=calc_drempel*(calc_gebieden-{k})))")
    year_steps(steps, spec)
    status_steps(steps, spec, checks(spec, [areas.check]))
    steps.add("calc_clienten", "Cliënten", areas.clients, kind="count")
    steps.add("calc_gebieden", "Postcodegebieden met cliënten", areas.areas, kind="count")
    steps.add("calc_drempel", "Drempel", '=IF(ISNA(calc_jaarrij),"beleidsjaar niet gedekt",'
              f'IF({is_choice(spec.input("in_soort"), "new")},'
              'INDEX(tab_threshold_new,calc_jaarrij),INDEX(tab_threshold_existing,calc_jaarrij)))')
    steps.add("calc_voldoet_nu", "Voldoet zonder te schrappen", "=IF(ISNUMBER(calc_drempel),AND(calc_gebieden>0,"
              "calc_clienten>=calc_drempel*calc_gebieden),TRUE)", flag=True)
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
    mark_wrong_postcode_rows(sheets.invoer, spec.input("in_postcodes").rows)
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
