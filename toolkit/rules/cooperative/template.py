"""Rule 3 as a template workbook (`templates/cooperatie.xlsx`): inputs, outputs and the Python engine (the
formulas: `toolkit/workbook/formulas/cooperatie.py`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..declaration import Input, Output, Template, template_year, year_input
from .rule import assess_cooperative, cooperative_max_turnover

MEMBERS = 500  # rows for the members' hours


def _engine(v: Mapping[str, Any]) -> dict[str, Any]:
    year = template_year(v)
    assessment = assess_cooperative(v["in_clienten"], v["in_fte_niveau6"], year=year)
    turnover = cooperative_max_turnover(v["in_uren_leden"] or [], v["in_uurtarief"], night=v["in_nachtdienst"] == "ja",
                                        year=year)
    return {
        "out_fte_nodig": assessment.required_fte,
        "out_fte_tekort": assessment.shortfall_fte,
        "out_max_clienten": assessment.max_clients,
        "out_voldoet": assessment.meets,
        "out_max_uren_per_lid": turnover.max_hours_per_member,
        "out_max_omzet": turnover.max_turnover,
    }


TEMPLATE = Template(
    "cooperatie", "Zorgcoöperatie: verpleegkundige niveau 6 en maximale omzet", "3.2",
    inputs=(
        Input("in_clienten", "Aantal cliënten", "number", "Cliënten van de zorgcoöperatie.", quantity="count"),
        Input("in_fte_niveau6", "FTE hbo-verpleegkundige (niveau 6)", "number",
              "FTE ({voltijd_uren} uur per week = 1). Eis: 1 FTE per {clienten_per_fte} cliënten.", quantity="fte"),
        Input("in_uurtarief", "Uurtarief (€, eigen schatting)", "number", "Geschat uurtarief per uur zorg.",
              quantity="money"),
        Input("in_nachtdienst", "Nachtdienst", "flag",
              "ja: gemiddeld maximaal {uren_week_nacht} in plaats van {uren_week} uur per week.",
              choices=("ja", "nee")),
        year_input(),
        Input("in_uren_leden", "Uren per jaar per lid", "number", "Gewerkte of geplande uren per jaar.",
              quantity="hours_per_year", rows=MEMBERS, required=False),
    ),
    outputs=(
        Output("out_fte_nodig", "FTE niveau 6 nodig", "fte", help="Cliënten ÷ {clienten_per_fte}."),
        Output("out_fte_tekort", "FTE tekort", "fte", help="Zoveel FTE niveau 6 moet erbij (0: genoeg)."),
        Output("out_max_clienten", "Maximaal aantal cliënten", "count",
               help="FTE × {clienten_per_fte}, naar beneden afgerond."),
        Output("out_voldoet", "Voldoet", "bool", help="Ja als de FTE niveau 6 genoeg is voor het aantal cliënten.",
               verdict=True),
        Output("out_max_uren_per_lid", "Maximaal uren per lid per jaar", "hours",
               help="Arbeidstijdenwet: gemiddeld {uren_week} uur per week ({uren_week_nacht} bij nachtdienst)."),
        Output("out_max_omzet", "Maximale omzet (€)", "money",
               help="Uren per lid afgetopt op het maximum, samen × uurtarief."),
    ),
    engine=_engine, topics=(("cz", "cooperative"),),
    rule_fields={"clients": "clienten", "level6_fte": "fte_niveau6", "hourly_tariff": "uurtarief",
                 "member_hours": "uren_leden", "year": "jaar"},
    purpose=("Toetst een zorgcoöperatie aan de eis van 1 FTE hbo-verpleegkundige (niveau 6) per {clienten_per_fte} "
             "cliënten, en berekent de maximale omzet: de uren van elk lid afgetopt op de Arbeidstijdenwet "
             "({uren_jaar} uur per jaar, bij nachtdienst {uren_jaar_nacht}) maal het uurtarief."),
    reading=("Voldoet = ja als de FTE niveau 6 genoeg is voor het aantal cliënten; FTE tekort is wat erbij moet. "
             "De maximale omzet is een schatting met uw eigen uurtarief."),
)

__all__ = ["MEMBERS", "TEMPLATE"]
