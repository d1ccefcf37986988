"""Rule 10, the caseload of the specialised dementia case manager, in formulas
(`templates/casemanagement_dementie.xlsx`; the Python engine: `toolkit/rules/dementia_caseload/template.py`)."""

from __future__ import annotations

from ...rules.declaration import Template
from ...rules.dementia_caseload import ABOVE, BELOW, WITHIN
from ..formula import Formulas, Steps, checks, number_text, status_steps, string, year_steps, yes_no_result


def calculate(steps: Steps, spec: Template) -> Formulas:
    year_steps(steps, spec)
    status_steps(steps, spec, checks(spec))
    # The bounds belong to the range; compared on the difference rounded to 9 decimals, as the rule does.
    steps.add("calc_onder", "Onder de caseload", "=ROUND(in_clienten-par_caseload_min*in_fte,9)<0", flag=True)
    steps.add("calc_boven", "Boven de caseload", "=ROUND(par_caseload_max*in_fte-in_clienten,9)<0", flag=True)
    low, high = number_text("par_caseload_min"), number_text("par_caseload_max")
    bounds = f'"gemiddeld "&{low}&" tot "&{high}&" cliënten per fte"'
    reason = (f'IF(calc_onder,{string(BELOW + ": minder dan ")}&{low}&" cliënten per fte (gevraagd: "&{bounds}&")",'
              f'IF(calc_boven,{string(ABOVE + ": meer dan ")}&{high}&" cliënten per fte (gevraagd: "&{bounds}&")",'
              f"{string(WITHIN + ': ')}&{bounds}))")
    return {
        "out_caseload": "in_clienten/in_fte",
        "out_voldoet": yes_no_result("NOT(OR(calc_onder,calc_boven))"),
        # ROUND to 9 decimals first: 130 ÷ 50 is 2,6 exactly, not a binary 2,5999… that ROUND(…, 2) might take down.
        "out_fte_min": "ROUND(ROUND(in_clienten/par_caseload_max,9),2)",
        "out_fte_max": "ROUND(ROUND(in_clienten/par_caseload_min,9),2)",
        "out_reden": reason,
    }
