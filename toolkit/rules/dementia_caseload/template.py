"""Rule 10 as a template workbook (`templates/casemanagement_dementie.xlsx`): inputs, outputs and the Python
engine (the formulas: `toolkit/workbook/formulas/casemanagement_dementie.py`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..declaration import Input, Output, Template, template_year, year_input
from .rule import assess_dementia_caseload


def _engine(v: Mapping[str, Any]) -> dict[str, Any]:
    outcome = assess_dementia_caseload(v["in_clienten"], v["in_fte"], year=template_year(v))
    return {
        "out_caseload": outcome.caseload,
        "out_voldoet": outcome.meets,
        "out_fte_min": outcome.fte_min,
        "out_fte_max": outcome.fte_max,
        "out_reden": outcome.reason,
    }


TEMPLATE = Template(
    "casemanagement_dementie", "Caseload van de gespecialiseerde casemanager dementie", "1.2",
    inputs=(
        year_input(),
        Input("in_clienten", "Cliënten van de casemanagers dementie", "number",
              "Aantal cliënten van uw gespecialiseerde casemanagers dementie samen.", quantity="count"),
        Input("in_fte", "FTE gespecialiseerde casemanager dementie", "number",
              "De fte van die casemanagers samen.", quantity="case_manager_fte"),
    ),
    outputs=(
        Output("out_caseload", "Caseload (cliënten per fte)", "ratio", help="Cliënten ÷ fte."),
        Output("out_voldoet", "Voldoet", "bool",
               help="Ja bij {caseload_min} tot {caseload_max} cliënten per fte; de grenzen tellen mee.",
               verdict=True),
        Output("out_fte_min", "FTE die past: minimaal", "fte",
               help="Cliënten ÷ {caseload_max}, afgerond op 2 decimalen."),
        Output("out_fte_max", "FTE die past: maximaal", "fte",
               help="Cliënten ÷ {caseload_min}, afgerond op 2 decimalen."),
        Output("out_reden", "Toelichting", "text"),
    ),
    engine=_engine, topics=(("cz", "dementia_case_management"),),
    rule_fields={"clients": "clienten", "fte": "fte", "year": "jaar"},
    purpose=("Toetst de caseload van uw gespecialiseerde casemanagers dementie aan de voorwaarde van CZ: gemiddeld "
             "{caseload_min} tot {caseload_max} cliënten per fte. Ook: bij hoeveel fte uw aantal cliënten binnen die "
             "caseload past."),
    reading=("Voldoet = ja als de caseload (alle cliënten ÷ alle fte van de gespecialiseerde casemanagers) ten minste "
             "{caseload_min} en ten hoogste {caseload_max} is. Eronder: onder de caseload; erboven: boven de caseload. "
             "FTE die past: met zoveel fte (minimaal tot maximaal) valt uw aantal cliënten binnen de caseload."),
)

__all__ = ["TEMPLATE"]
