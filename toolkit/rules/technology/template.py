"""Rule 8 as a template workbook (`templates/thuistechnologie.xlsx`): inputs, outputs and the Python engine (the
formulas: `toolkit/workbook/formulas/thuistechnologie.py`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..declaration import NOT_APPLICABLE, Input, Output, Template, template_year, year_input
from .rule import assess_technology_share


def _engine(v: Mapping[str, Any]) -> dict[str, Any]:
    outcome = assess_technology_share(v["in_geschikt"], v["in_gebruikers"], year=template_year(v))
    return {
        "out_aandeel": NOT_APPLICABLE if outcome.share is None else outcome.share,
        "out_voldoet": outcome.meets if outcome.applies else NOT_APPLICABLE,
        "out_minimum_gebruikers": outcome.required_users,
        "out_tekort_clienten": outcome.clients_short,
        "out_reden": outcome.reason,
    }


TEMPLATE = Template(
    "thuistechnologie", "Thuiszorgtechnologie bij ten minste {min_technologie} van de geschikte cliënten", "1.2",
    inputs=(
        year_input(),
        Input("in_geschikt", "Cliënten voor wie thuiszorgtechnologie geschikt is", "number",
              "Aantal CZ-cliënten voor wie thuiszorgtechnologie geschikt is: uw eigen afweging, op uw peildatum.",
              quantity="count"),
        Input("in_gebruikers", "Van hen: cliënten die thuiszorgtechnologie gebruiken", "number",
              "Aantal van die cliënten dat thuiszorgtechnologie gebruikt (niet meer dan het aantal geschikte "
              "cliënten).", quantity="count"),
    ),
    outputs=(
        Output("out_aandeel", "Aandeel dat thuiszorgtechnologie gebruikt", "fraction",
               help="Gebruikers ÷ geschikte cliënten; n.v.t. zonder geschikte cliënten."),
        Output("out_voldoet", "Voldoet", "bool",
               help="Ja bij ten minste {min_technologie}; n.v.t. zonder geschikte cliënten.", verdict=True),
        Output("out_minimum_gebruikers", "Minimaal aantal gebruikers", "count",
               help="{min_technologie} van de geschikte cliënten, naar boven afgerond."),
        Output("out_tekort_clienten", "Cliënten tekort", "count",
               help="Zoveel geschikte cliënten moeten er nog thuiszorgtechnologie gebruiken (0: genoeg)."),
        Output("out_reden", "Toelichting", "text"),
    ),
    engine=_engine, topics=(("cz", "home_technology"),),
    rule_fields={"suitable": "geschikt", "using": "gebruikers", "year": "jaar"},
    purpose=("Toetst of u thuiszorgtechnologie inzet bij ten minste {min_technologie} van de cliënten voor wie die "
             "geschikt is, en hoeveel cliënten er nog bij moeten. Welke cliënten geschikt zijn en op welke peildatum "
             "u telt, bepaalt u zelf (de afweging van de indicerend wijkverpleegkundige); de werkmap rekent met uw "
             "aantallen."),
    reading=("Voldoet = ja als het aandeel gebruikers ten minste {min_technologie} is; zonder geschikte cliënten is "
             "de eis niet van toepassing (n.v.t.). Voldoet u niet, dan verwacht CZ een concreet en uitvoerbaar plan "
             "van aanpak. Cliënten tekort is het minimaal aantal gebruikers min het aantal dat nu gebruikt."),
)

__all__ = ["TEMPLATE"]
