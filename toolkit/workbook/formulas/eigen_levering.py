"""Rule 6, the own-delivery share, in formulas (`templates/eigen_levering.xlsx`; the Python engine:
`toolkit/rules/own_delivery/template.py`): the quarters in rows 15-18 of Berekening."""

from __future__ import annotations

from ...rules.declaration import NOT_APPLICABLE, Template
from ...rules.own_delivery import EXEMPT_REASON
from ..formats import font
from ..formula import Formulas, Steps, checks, is_yes, number_text, status_steps, string, year_steps, yes_no_result
from ..layout import RANGE_HEADER_ROW, RANGE_TOP


def calculate(steps: Steps, spec: Template) -> Formulas:
    """Rule 6 (rules/own_delivery.py) in formulas: quarters in rows 15-18 of Berekening."""
    ws = steps.ws
    top, last = RANGE_TOP, RANGE_TOP + 3
    for column, title in enumerate(["Ingevuld", "Fout in rij", "Eigen", "Totaal", "Aandeel"], start=4):
        ws.cell(row=RANGE_HEADER_ROW, column=column, value=title).font = font(bold=True)
    for r in range(top, last + 1):
        cells = f"Invoer!B{r}:E{r}"
        ws[f"D{r}"] = f'=SUMPRODUCT(--(TRIM({cells}&"")<>""))'
        ws[f"E{r}"] = (f"=IF(D{r}=0,0,IF(OR(D{r}<4,COUNT({cells})<4,COUNTIF({cells},\"<0\")>0,"
                       f"AND(SUM({cells})=0,NOT(calc_cooperatie))),1,0))")
        ws[f"F{r}"] = f"=IF(E{r}=0,IF(D{r}=4,Invoer!B{r}+Invoer!C{r},0),0)"
        ws[f"G{r}"] = f"=IF(E{r}=0,IF(D{r}=4,SUM({cells}),0),0)"
        ws[f"H{r}"] = f'=IF(G{r}>0,F{r}/G{r},"{NOT_APPLICABLE}")'
    year_steps(steps, spec)
    steps.add("calc_cooperatie", "Zorgcoöperatie (uitgezonderd)", f"={is_yes('in_cooperatie')}", flag=True)
    status_steps(steps, spec, checks(spec, [
        (f"SUM(E{top}:E{last})>0", f'"kwartaal "&MATCH(1,E{top}:E{last},0)&" (vul alle vier de soorten zorg in, '
                                   'getallen van 0 of meer, samen meer dan 0)"'),
    ]), missing=[(f"AND(SUM(G{top}:G{last})=0,NOT(calc_cooperatie))", string("de zorg van ten minste één kwartaal"))])
    steps.add("calc_eigen", "Eigen levering (met volle dochters)", f"=SUM(F{top}:F{last})", kind="care")
    steps.add("calc_totaal", "Alle zorg", f"=SUM(G{top}:G{last})", kind="care")
    steps.add("calc_voldoet", "Voldoet", "=ROUND(calc_eigen-par_min_own_share*calc_totaal,9)>=0", flag=True)
    share = number_text("par_min_own_share*100") + '&" %"'
    reason = (f"=IF(calc_cooperatie,{string(EXEMPT_REASON)},"
              f'IF(calc_voldoet,"voldoet: ten minste "&{share}&" van de zorg door de zorgaanbieder zelf (met volle '
              f'dochters)","voldoet niet: minder dan "&{share}&" van de zorg door de zorgaanbieder zelf (met volle '
              'dochters)"))')
    return {
        "out_aandeel_eigen": (f'IF(calc_totaal>0,calc_eigen/calc_totaal,"{NOT_APPLICABLE}")'),
        "out_voldoet": yes_no_result("calc_voldoet", not_applicable="calc_cooperatie"),
        "out_van_toepassing": yes_no_result("NOT(calc_cooperatie)"),
        "out_reden": (reason),
        "out_aandeel_kwartaal": [(f"Berekening!H{r}") for r in range(top, last + 1)],
    }
