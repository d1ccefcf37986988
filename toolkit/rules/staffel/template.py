"""Rule 2 as a template workbook (`templates/staffel.xlsx`): its inputs and outputs and the Python engine
(the formulas: `toolkit/workbook/formulas/staffel.py`). The waardemodel inputs are shared with the
omzetplafond template, which applies the staffel to its shortfall."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..declaration import NOT_APPLICABLE, Input, Output, Template, template_year, year_input
from .rule import staffel_reimbursement, table_text

# The rule's fields, as the waardemodel inputs name them (messages name the column a user typed).
WAARDEMODEL_FIELDS = {"score_previous": "score_vorig_jaar", "score_current": "score_contractjaar",
                      "cost_points": "kostenpunten", "production_agreement": "productieafspraak", "year": "jaar"}


def waardemodel_inputs() -> tuple[Input, ...]:
    """What the staffel reads (scores, cost points, ceiling-free, production agreement): the staffel and
    the plafond template ask for it alike."""
    return (
        Input("in_score_vorig_jaar", "Waardemodelscore {jaar_vorig} (jaar vóór het beleidsjaar)", "score",
              "A, B, C of leeg (geen score).", choices=("A", "B", "C"), required=False),
        Input("in_score_contractjaar", "Waardemodelscore {jaar} (beleidsjaar)", "score", "A, B, C of leeg.",
              choices=("A", "B", "C"), required=False),
        Input("in_kostenpunten", "Punten op het kostenonderdeel", "number",
              "Nodig bij score B: {min_punten} of meer geeft {pct_b}, minder komt niet in aanmerking.",
              quantity="cost_points", required=False),
        Input("in_plafondvrij", "Plafondvrije afspraak", "flag", "ja of nee.", choices=("ja", "nee")),
        Input("in_productieafspraak", "Productieafspraak (€)", "number",
              "Tot en met {min_productie} geen waardemodel (geen score: {pct_geen_score}). Leeg: niet "
              "opgegeven.", quantity="money", required=False),
    )


def _engine(v: Mapping[str, Any]) -> dict[str, Any]:
    outcome = staffel_reimbursement(
        v["in_aanvullend_budget"], v["in_score_vorig_jaar"], v["in_score_contractjaar"],
        cost_points=v["in_kostenpunten"], ceiling_free=v["in_plafondvrij"] == "ja",
        production_agreement=v["in_productieafspraak"],
        palliative_terminal=v["in_palliatief_terminaal"] == "ja",
        merger_or_bankruptcy=v["in_fusie_faillissement"] == "ja", year=template_year(v),
    )
    return {
        "out_percentage": NOT_APPLICABLE if outcome.percentage is None else outcome.percentage,
        "out_vergoeding": NOT_APPLICABLE if outcome.amount is None else outcome.amount,
        "out_in_aanmerking": outcome.eligible,
        "out_reden": outcome.reason,
    }


TEMPLATE = Template(
    "staffel", "CZ staffel aanvullende zorginkoop", "3.2",
    inputs=(
        *waardemodel_inputs(),
        Input("in_aanvullend_budget", "Toegekend aanvullend budget (€)", "number",
              "Het door CZ gehonoreerde aanvullende budget.", quantity="money"),
        Input("in_palliatief_terminaal", "Palliatieve terminale zorg", "flag",
              "ja: CZ past coulance toe (afwijkende afspraak).", choices=("ja", "nee")),
        Input("in_fusie_faillissement", "Fusie, overname of faillissement", "flag",
              "ja: plafondaanpassing wordt apart besproken (afwijkende afspraak).", choices=("ja", "nee")),
        year_input(),
    ),
    outputs=(
        Output("out_percentage", "Vergoedingspercentage", "fraction",
               help="Het deel van het toegekende budget dat CZ vergoedt."),
        Output("out_vergoeding", "Vergoeding (€)", "money", help="Toegekend budget × percentage, afgerond op centen."),
        Output("out_in_aanmerking", "Komt in aanmerking", "bool",
               help="Nee als de staffel niets vergoedt (de toelichting zegt waarom).", verdict=True),
        Output("out_reden", "Toelichting", "text", help="Welke regel van de staffel beslist."),
    ),
    engine=_engine, topics=(("cz", "staffel"),), table_text=table_text,
    rule_fields={**WAARDEMODEL_FIELDS, "granted_budget": "aanvullend_budget"},
    purpose=("Berekent welk deel van een toegekend aanvullend budget CZ groep vergoedt (de staffel), op grond van "
             "uw waardemodelscores van {jaar_vorig} en {jaar}, de punten op het kostenonderdeel, een plafondvrije "
             "afspraak en uw productieafspraak (tot en met {min_productie} geldt geen waardemodel)."),
    reading=("Het percentage is het maximum dat CZ vergoedt; de vergoeding is het toegekende budget maal dat "
             "percentage. Komt in aanmerking = nee: de staffel geeft niets, de toelichting zegt waarom. Bij "
             "palliatieve zorg aan terminale verzekerden past CZ waar mogelijk coulance toe; een plafondaanpassing "
             "door fusie, overname of faillissement bespreekt CZ afzonderlijk. In beide gevallen staat er "
             "'afwijkende afspraak'."),
)

__all__ = ["TEMPLATE", "WAARDEMODEL_FIELDS", "waardemodel_inputs"]
