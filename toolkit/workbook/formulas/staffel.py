"""Rule 2, the staffel, in formulas (`templates/staffel.xlsx`; the Python engine:
`toolkit/rules/staffel/template.py`). `staffel_steps` serves the plafond template too."""

from __future__ import annotations

from ...parameters import load_topic
from ...rules.declaration import NOT_APPLICABLE, Template
from ...rules.staffel import DEVIATING_MERGER, DEVIATING_PALLIATIVE, NOT_ELIGIBLE
from ..formats import font
from ..formula import (
    Formulas,
    Steps,
    checks,
    is_yes,
    number_text,
    status_steps,
    string,
    whole_euros_text,
    year_steps,
    yes_no_result,
)
from ..layout import RANGE_TOP


def calculate(steps: Steps, spec: Template) -> Formulas:
    year_steps(steps, spec)
    status_steps(steps, spec, checks(spec))
    staffel_steps(steps, spec, top=RANGE_TOP)
    return {
        "out_percentage": ("calc_pct"),
        "out_vergoeding": (f'IF(ISNUMBER(calc_pct),ROUND(ROUND(in_aanvullend_budget*calc_pct,9),2),'
                                 f'IF(LEFT(calc_pct,4)="fout",calc_pct,"{NOT_APPLICABLE}"))'),
        # An input error ("fout: bij score B zijn de kostenpunten nodig") is said, not answered with "nee".
        "out_in_aanmerking": f'IF(LEFT(calc_pct,4)="fout",calc_pct,{yes_no_result("ISNUMBER(calc_pct)")})',
        "out_reden": ("calc_reden"),
    }


# What each condition of the staffel table means, written a second time in Excel (rules/staffel.py).
CONDITION_FORMULAS = {
    "ceiling_free": "calc_plafondvrij",
    "a_both_years": 'AND(calc_score_vorig="A",calc_score_jaar="A")',
    "a_previous_year": 'calc_score_vorig="A"',
    "b_enough_cost_points":
        'AND(calc_score_vorig="B",ISNUMBER(in_kostenpunten),in_kostenpunten>=par_min_cost_points_b)',
    "b_too_few_cost_points":
        'AND(calc_score_vorig="B",ISNUMBER(in_kostenpunten),in_kostenpunten<par_min_cost_points_b)',
    "c_previous_year": 'calc_score_vorig="C"',
    "no_score": 'calc_score_vorig=""',
}
_POINTS = number_text("par_min_cost_points_b")
REASON_FORMULAS = {
    "ceiling_free": '"plafondvrije afspraak"',
    "a_both_years": '"score A in "&(calc_jaar-1)&" én "&calc_jaar',
    "a_previous_year": '"score A in "&(calc_jaar-1)',
    "b_enough_cost_points": f'"score B in "&(calc_jaar-1)&" en ten minste "&{_POINTS}&" punten op het kostenonderdeel"',
    "b_too_few_cost_points": f'"score B in "&(calc_jaar-1)&" met minder dan "&{_POINTS}&" punten op het '
                             'kostenonderdeel"',
    "c_previous_year": '"score C in "&(calc_jaar-1)',
    "no_score": '"geen score op het waardemodel in "&(calc_jaar-1)',
}
_B_CONDITIONS = ("b_enough_cost_points", "b_too_few_cost_points")


def _by_code(code: str, formulas: dict[str, str], otherwise: str) -> str:
    formula = otherwise
    for condition, expression in reversed(formulas.items()):
        formula = f'IF({code}="{condition}",{expression},{formula})'
    return formula


def staffel_steps(steps: Steps, spec: Template, top: int) -> None:
    """calc_pct (the percentage, "n.v.t." or "fout: …") and calc_reden for the staffel table of the year.

    Rows k of the table sit in columns D-J of Berekening from row `top`: the condition and percentage of
    the year, whether it holds, whether it is blocked (score B without cost points), which row decides.
    """
    ws = steps.ws
    parameter = load_topic("cz", "staffel")["table"]
    size = max(len(parameter.values[y].value) for y in spec.years)  # type: ignore[arg-type]
    last = top + size - 1
    for column, title in enumerate(["Voorwaarde", "Percentage", "Geldt", "Geblokkeerd", "Stopt hier", "Beslist",
                                    "Reden"], start=4):
        ws.cell(row=top - 1, column=column, value=title).font = font(bold=True)
    for k in range(size):
        r = top + k
        ws[f"D{r}"] = f'=INDEX(tab_table_condition_{k + 1},calc_jaarrij)&""'
        ws[f"E{r}"] = f"=INDEX(tab_table_percentage_{k + 1},calc_jaarrij)"
        ws[f"F{r}"] = f"={_by_code(f'D{r}', CONDITION_FORMULAS, 'FALSE')}"
        ws[f"G{r}"] = (f'=AND(OR(D{r}="{_B_CONDITIONS[0]}",D{r}="{_B_CONDITIONS[1]}"),calc_score_vorig="B",'
                       "NOT(ISNUMBER(in_kostenpunten)))")
        ws[f"H{r}"] = f"=OR(F{r},G{r})"
        ws[f"I{r}"] = f"=H{r}" if k == 0 else f"=AND(H{r},COUNTIF(H${top}:H{r - 1},TRUE)=0)"
        ws[f"J{r}"] = f'={_by_code(f"D{r}", REASON_FORMULAS, chr(34) * 2)}'
    codes, pcts, deciding = f"D{top}:D{last}", f"E{top}:E{last}", f"I{top}:I{last}"
    steps.add("calc_score_vorig", "Score jaar vóór het beleidsjaar", '=UPPER(TRIM(in_score_vorig_jaar&""))')
    steps.add("calc_score_jaar", "Score beleidsjaar", '=UPPER(TRIM(in_score_contractjaar&""))')
    steps.add("calc_plafondvrij", "Plafondvrije afspraak", f"={is_yes('in_plafondvrij')}", flag=True)
    palliative = "in_palliatief_terminaal" in {i.name for i in spec.inputs}
    steps.add("calc_palliatief", "Palliatieve terminale zorg", f"={is_yes('in_palliatief_terminaal')}" if palliative
              else "=FALSE", flag=True)
    steps.add("calc_fusie", "Fusie, overname of faillissement", f"={is_yes('in_fusie_faillissement')}" if palliative
              else "=FALSE", flag=True)
    steps.add("calc_geen_waardemodel", "Productieafspraak tot en met de grens (geen score)",
              "=AND(NOT(calc_plafondvrij),ISNUMBER(in_productieafspraak),"
              f'in_productieafspraak<=par_waardemodel_min_production,ISNUMBER(MATCH("no_score",{codes},0)))', flag=True)
    steps.add("calc_beslist", "Rij van de staffel die beslist (0: geen)", f"=IF(ISNA(MATCH(TRUE,{deciding},0)),0,"
              f"MATCH(TRUE,{deciding},0))")
    not_eligible = string(NOT_APPLICABLE)
    missing_points = string("fout: bij score B zijn de kostenpunten nodig")
    steps.add("calc_pct", "Percentage (of reden)", (
        f"=IF(OR(calc_fusie,calc_palliatief),{not_eligible},"
        f'IF(calc_geen_waardemodel,IF(ISNUMBER(INDEX({pcts},MATCH("no_score",{codes},0))),'
        f'INDEX({pcts},MATCH("no_score",{codes},0)),{not_eligible}),'
        f"IF(calc_beslist=0,{not_eligible},IF(INDEX(G{top}:G{last},calc_beslist),{missing_points},"
        f"IF(ISNUMBER(INDEX({pcts},calc_beslist)),INDEX({pcts},calc_beslist),{not_eligible})))))"), kind="fraction")
    steps.add("calc_reden", "Toelichting", (
        f"=IF(calc_fusie,{string(DEVIATING_MERGER)},IF(calc_palliatief,{string(DEVIATING_PALLIATIVE)},"
        f"IF(calc_geen_waardemodel,{_production_reason()},"
        f'IF(calc_beslist=0,"{NOT_ELIGIBLE}: geen regel van de staffel "&calc_jaar&" is van toepassing",'
        f"IF(INDEX(G{top}:G{last},calc_beslist),{missing_points},"
        f'IF(ISNUMBER(INDEX({pcts},calc_beslist)),INDEX(J{top}:J{last},calc_beslist),'
        f'"{NOT_ELIGIBLE}: "&INDEX(J{top}:J{last},calc_beslist)))))))'))


def _production_reason() -> str:
    """The reason when the production agreement is at or below the waardemodel's amount, its thousands
    grouped by dots."""
    amount = whole_euros_text("par_waardemodel_min_production")
    return f'"geen score: waardemodel niet toegepast bij productieafspraak tot en met € "&{amount}'
