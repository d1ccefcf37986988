"""Rule 5 as a template workbook (`templates/plafond.xlsx`): inputs, outputs and the Python engine (the
formulas: `toolkit/workbook/formulas/plafond.py`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ...dates import MONTHS
from ..declaration import NOT_APPLICABLE, Input, Output, Template, template_year, year_input
from ..staffel.rule import table_text
from ..staffel.template import WAARDEMODEL_FIELDS, waardemodel_inputs
from .rule import METHODS, assess_additional_purchase

NOT_REACHED = "niet bereikt"
ALL_CONDITIONS_MET = "alle voorwaarden die de toolkit kan berekenen gelden"


def _engine(v: Mapping[str, Any]) -> dict[str, Any]:
    profile = v["in_vorig_jaar"]
    outcome = assess_additional_purchase(
        v["in_plafond"], v["in_productie"] or [],
        last_year_monthly=None if not profile or all(m is None for m in profile) else profile,
        method=v["in_methode"] or "lineair", score_previous=v["in_score_vorig_jaar"],
        score_current=v["in_score_contractjaar"], cost_points=v["in_kostenpunten"],
        ceiling_free=v["in_plafondvrij"] == "ja", production_agreement=v["in_productieafspraak"],
        year=template_year(v))
    f = outcome.forecast
    return {
        "out_gerealiseerd": f.realised,
        "out_prognose": f.projected_year,
        "out_aandeel_voor_peildatum": f.share_before_reference_date,
        "out_voldoet_minimum": f.meets_min_share,
        "out_maand_bereikt": NOT_REACHED if f.month_reached is None else f.month_reached,
        "out_tekort": f.shortfall,
        "out_mag_aanvragen": outcome.may_request,
        # Only where a request can be sent: an amount beside "verzoek mogelijk: nee" would read as money to come.
        "out_vergoeding_verwacht": outcome.expected_reimbursement if outcome.may_request
        and outcome.expected_reimbursement is not None else NOT_APPLICABLE,
        "out_redenen": ALL_CONDITIONS_MET if outcome.may_request else "; ".join(outcome.reasons),
        "out_cumulatief": list(f.cumulative),
    }


TEMPLATE = Template(
    "plafond", "Omzetplafond: prognose en verzoek om aanvullend budget", "2.2",
    inputs=(
        year_input(),
        Input("in_plafond", "Omzetplafond (€)", "number", "Het omzetplafond voor het beleidsjaar.", quantity="ceiling"),
        Input("in_methode", "Prognosemethode", "choice",
              "lineair (elke volgende maand het gemiddelde) of seizoen (volgens het profiel van vorig jaar).",
              choices=("lineair", "seizoen"), required=False, vocabulary=METHODS),
        *waardemodel_inputs(),
        Input("in_productie", "Productie (€)", "number", "Productie per maand; leeg na de laatst bekende maand.",
              quantity="money", rows=12, row_labels=MONTHS),
        Input("in_vorig_jaar", "Productie vorig jaar (€)", "number",
              "Vorig jaar per maand, voor de seizoensmethode (optioneel).", quantity="money", rows=12, required=False,
              row_labels=MONTHS),
    ),
    outputs=(
        Output("out_gerealiseerd", "Gerealiseerde productie (€)", "money", help="De bekende maanden samen."),
        Output("out_prognose", "Verwachte productie over het jaar (€)", "money",
               help="De bekende maanden, doorgetrokken tot december."),
        Output("out_aandeel_voor_peildatum", "Deel van het plafond bereikt vóór {peildatum}", "fraction",
               help="Productie t/m de maand vóór {peildatum} ÷ omzetplafond."),
        Output("out_voldoet_minimum", "Ten minste {min_plafond} vóór {peildatum}", "bool",
               help="Voorwaarde voor een verzoek om aanvullend budget.", verdict=True),
        Output("out_maand_bereikt", "Maand waarin het plafond wordt bereikt", "month"),
        Output("out_tekort", "Verwacht tekort (€)", "money", help="Prognose min omzetplafond (0: genoeg)."),
        Output("out_mag_aanvragen", "Verzoek om aanvullend budget mogelijk", "bool",
               help="In {verzoekmaand}, verzonden vóór {verzenddatum}.", verdict=True),
        Output("out_vergoeding_verwacht", "Verwachte vergoeding op het tekort (€)", "money",
               help="De staffel op het tekort; alleen als een verzoek mogelijk is."),
        Output("out_redenen", "Toelichting", "text", help="Elke voorwaarde die niet geldt."),
        Output("out_cumulatief", "Cumulatieve productie (€)", "money", rows=12),
    ),
    engine=_engine, topics=(("cz", "ceiling"), ("cz", "staffel")), table_text=table_text,
    rule_fields={**WAARDEMODEL_FIELDS, "ceiling": "plafond", "monthly_production": "productie",
                 "last_year_monthly": "vorig_jaar", "method": "methode"},
    purpose=("Voorspelt uw productie over het jaar uit de maanden die bekend zijn (lineair, of volgens het seizoen "
             "van vorig jaar), vergelijkt die met het omzetplafond en toetst of u in {verzoekmaand} een verzoek om "
             "aanvullend budget kunt indienen: ten minste {min_plafond} van het plafond bereikt vóór {peildatum}, "
             "een verwacht tekort, en een staffel die vergoedt."),
    reading=("Verzoek mogelijk = ja als alle berekenbare voorwaarden gelden; anders noemt de toelichting elke "
             "voorwaarde die niet geldt. De grafiek toont de productie tot en met elke maand (gerealiseerd en "
             "prognose) tegen het omzetplafond. Niet berekend, zelf aantonen in de aanvraag: de zorgplicht, de "
             "spreiding van nieuwe cliënten over het jaar en de doelmatigheid."),
)

__all__ = ["ALL_CONDITIONS_MET", "NOT_REACHED", "TEMPLATE"]
