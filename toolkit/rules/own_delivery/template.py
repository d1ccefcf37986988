"""Rule 6 as a template workbook (`templates/eigen_levering.xlsx`): inputs, outputs and the Python engine (the
formulas: `toolkit/workbook/formulas/eigen_levering.py`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..declaration import NOT_APPLICABLE, QUARTERS, Input, Output, Template, template_year, year_input
from .rule import assess_own_delivery


def _engine(v: Mapping[str, Any]) -> dict[str, Any]:
    outcome = assess_own_delivery(v["in_eigen"], v["in_volle_dochter"], v["in_zzp"], v["in_onderaannemers"],
                                  cooperative=v["in_cooperatie"] == "ja", year=template_year(v))
    quarters = list(outcome.quarter_shares) or [None] * 4
    return {
        "out_aandeel_eigen": NOT_APPLICABLE if outcome.own_share is None else outcome.own_share,
        "out_voldoet": outcome.meets if outcome.applies else NOT_APPLICABLE,
        "out_van_toepassing": outcome.applies,
        "out_aandeel_kwartaal": [NOT_APPLICABLE if q is None else q for q in quarters],
        "out_reden": outcome.reason,
    }


def _care(name: str, label: str, help: str) -> Input:
    # The quarters are the template's own requirement (a cooperative may leave them all empty).
    return Input(name, label, "number", help, quantity="care", rows=4, row_labels=QUARTERS, required=False)


TEMPLATE = Template(
    "eigen_levering", "Eigen levering: ten minste {min_eigen} van de zorg zelf", "2.2",
    inputs=(
        Input("in_cooperatie", "Zorgcoöperatie (bijlage 1, § 1.4)", "flag",
              "ja: een zorgcoöperatie die aan de eisen voldoet is uitgezonderd (n.v.t.).", choices=("ja", "nee")),
        year_input(),
        _care("in_eigen", "Eigen personeel (uren of €)", "Zorg door eigen personeel, uren of euro per kwartaal."),
        _care("in_volle_dochter", "Volle dochters (uren of €)", "Zorg door volle dochters (telt als eigen levering)."),
        _care("in_zzp", "Zzp'ers (uren of €)", "Zorg door ingehuurde zzp'ers (telt als onderaanneming)."),
        _care("in_onderaannemers", "Onderaannemers (uren of €)", "Zorg door andere onderaannemers."),
    ),
    outputs=(
        Output("out_aandeel_eigen", "Aandeel eigen levering over het jaar", "fraction",
               help="(Eigen + volle dochters) ÷ alle zorg."),
        Output("out_voldoet", "Voldoet", "bool",
               help="Ja als ten minste {min_eigen} zelf geleverd is; n.v.t. bij uitzondering.", verdict=True),
        Output("out_van_toepassing", "Eis van toepassing", "bool",
               help="Nee voor een zorgcoöperatie die aan § 1.4 voldoet (uitgezonderd)."),
        Output("out_reden", "Toelichting", "text"),
        Output("out_aandeel_kwartaal", "Aandeel eigen levering per kwartaal", "fraction", rows=4),
    ),
    engine=_engine, topics=(("cz", "own_delivery"),),
    rule_fields={"own": "eigen", "full_subsidiary": "volle_dochter", "self_employed": "zzp",
                 "subcontractors": "onderaannemers", "year": "jaar"},
    purpose=("Toetst of u ten minste {min_eigen} van de zorg zelf levert: eigen personeel en volle dochters tegenover "
             "zzp'ers en andere onderaannemers (zzp'ers tellen als onderaanneming), per kwartaal en over het jaar."),
    reading=("Voldoet = ja als het aandeel eigen levering over het jaar ten minste {min_eigen} is. Een zorgcoöperatie "
             "die aan bijlage 1 § 1.4 voldoet is uitgezonderd: eis van toepassing = nee. Vul uren of euro's in, maar "
             "overal dezelfde eenheid; een leeg kwartaal telt niet mee."),
)

__all__ = ["TEMPLATE"]
