"""Rule 8, home-care technology, in formulas (`templates/thuistechnologie.xlsx`; the Python engine:
`toolkit/rules/technology/template.py`)."""

from __future__ import annotations

from ...rules.declaration import NOT_APPLICABLE, Template
from ...rules.technology import ACTION_PLAN, NO_SUITABLE_CLIENTS
from ..formula import (
    Formulas,
    Steps,
    checks,
    number_text,
    status_steps,
    string,
    typed_text,
    year_steps,
    yes_no_result,
)


def calculate(steps: Steps, spec: Template) -> Formulas:
    year_steps(steps, spec)
    users = spec.input("in_gebruikers").label
    status_steps(steps, spec, checks(spec, [
        ("IF(AND(ISNUMBER(in_geschikt),ISNUMBER(in_gebruikers)),in_gebruikers>in_geschikt,FALSE)",
         f'{string(users + ": ")}&{typed_text("in_gebruikers")}&" (meer dan het aantal geschikte cliënten, "&'
         f'{typed_text("in_geschikt")}&")"'),
    ]))
    steps.add("calc_van_toepassing", "Eis van toepassing (geschikte cliënten)", "=in_geschikt>0", flag=True)
    # Rounded to 9 decimals before rounding up, as the rule does: 0,5 × 7 = 3,5 → 4 without float noise.
    steps.add("calc_minimum", "Minimaal aantal gebruikers", "=ROUNDUP(ROUND(par_min_share*in_geschikt,9),0)",
              kind="count")
    steps.add("calc_voldoet", "Voldoet", "=ROUND(in_gebruikers-par_min_share*in_geschikt,9)>=0", flag=True)
    share = number_text("par_min_share*100") + '&" %"'
    reason = (f"IF(NOT(calc_van_toepassing),{string(NO_SUITABLE_CLIENTS)},"
              f'IF(calc_voldoet,"voldoet: thuiszorgtechnologie bij ten minste "&{share}&" van de cliënten voor wie '
              f'die geschikt is","voldoet niet: thuiszorgtechnologie bij minder dan "&{share}&" van de cliënten voor '
              f'wie die geschikt is; {ACTION_PLAN}"))')
    return {
        "out_aandeel": f'IF(calc_van_toepassing,in_gebruikers/in_geschikt,"{NOT_APPLICABLE}")',
        "out_voldoet": yes_no_result("calc_voldoet", not_applicable="NOT(calc_van_toepassing)"),
        "out_minimum_gebruikers": "calc_minimum",
        "out_tekort_clienten": "MAX(0,calc_minimum-in_gebruikers)",
        "out_reden": reason,
    }
