"""Rule 3, the care cooperative, in formulas (`templates/cooperatie.xlsx`; the Python engine:
`toolkit/rules/cooperative/template.py`). The members' hours on Berekening from row 15."""

from __future__ import annotations

from ...rules.declaration import Template
from ..formats import font
from ..formula import (
    Formulas,
    Steps,
    checks,
    excel_value,
    is_yes,
    status_steps,
    typed_text,
    year_steps,
    yes_no_result,
)
from ..layout import RANGE_HEADER_ROW, RANGE_TOP


def calculate(steps: Steps, spec: Template) -> Formulas:
    ws = steps.ws
    rows = spec.input("in_uren_leden").rows
    last = RANGE_TOP + rows - 1
    ws.cell(row=RANGE_HEADER_ROW, column=4, value="Fout in rij").font = font(bold=True)
    measure = spec.input("in_uren_leden").measure
    assert measure is not None and measure.maximum is not None
    for r in range(RANGE_TOP, last + 1):
        cell = f"Invoer!B{r}"
        ws[f"D{r}"] = (f'=IF(TRIM({cell}&"")="",0,IF(OR(NOT(ISNUMBER({cell})),{cell}<0,'
                       f"{cell}>{excel_value(measure.maximum)}),1,0))")
    year_steps(steps, spec)
    first_bad = f"MATCH(1,D{RANGE_TOP}:D{last},0)"
    status_steps(steps, spec, checks(spec, [(f"SUM(D{RANGE_TOP}:D{last})>0",
                                             f'"uren per lid, rij "&{first_bad}&": "&'
                                             f'{typed_text(f"INDEX(Invoer!B{RANGE_TOP}:B{last},{first_bad})")}')]))
    steps.add("calc_max_uren", "Maximaal uren per lid per jaar",
              f"=IF({is_yes('in_nachtdienst')},par_atw_avg_week_hours_night,par_atw_avg_week_hours)*par_weeks_per_year",
              kind="hours")
    steps.add("calc_fte55", "FTE × cliënten per FTE", "=ROUND(in_fte_niveau6*par_clients_per_level6_fte,9)", kind="fte")
    steps.add("calc_uren", "Uren, per lid afgetopt",
              '=COUNTIF(in_uren_leden,">"&calc_max_uren)*calc_max_uren+SUMIF(in_uren_leden,"<="&calc_max_uren)',
              kind="hours")
    return {
        "out_fte_nodig": ("in_clienten/par_clients_per_level6_fte"),
        "out_fte_tekort": ("IF(calc_fte55>=in_clienten,0,in_clienten/par_clients_per_level6_fte-in_fte_niveau6)"),
        "out_max_clienten": ("INT(calc_fte55)"),
        "out_voldoet": yes_no_result("calc_fte55>=in_clienten"),
        "out_max_uren_per_lid": ("calc_max_uren"),
        "out_max_omzet": ("ROUND(ROUND(calc_uren*in_uurtarief,9),2)"),
    }
