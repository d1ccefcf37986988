"""Rule 1 as a template workbook (`templates/cz_ratio.xlsx`): its inputs and outputs, and the Python engine
that the template's formulas (`toolkit/workbook/formulas/cz_ratio.py`) must equal."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..declaration import NOT_APPLICABLE, Input, Output, Template, template_year
from .rule import PROVIDER_KINDS, assess_normalised_counts, clients_by_area

NO_RATIO = "-"
ROWS = 2000  # postcode rows of the template


def _engine(v: Mapping[str, Any]) -> dict[str, Any]:
    counts = clients_by_area(v["in_postcodes"] or [], v["in_clienten"] or [])
    # `clients_by_area` hands over PC4 -> positive counts, read and checked: not read a second time (a
    # tenth of a `fill` of 1,000 keys of 20 areas went to reading them again).
    a = assess_normalised_counts(counts, year=template_year(v), provider=v["in_soort"] or "bestaand")
    return {
        "out_clienten": a.clients,
        "out_gebieden": a.areas,
        "out_ratio": NO_RATIO if a.ratio is None else a.ratio,
        "out_drempel": NOT_APPLICABLE if a.threshold is None else a.threshold,
        "out_voldoet": a.meets if a.applies else NOT_APPLICABLE,
        "out_extra_clienten": a.clients_needed,
        "out_max_gebieden": NOT_APPLICABLE if a.max_areas is None else a.max_areas,
        "out_te_schrappen": list(a.areas_to_drop),
    }


TEMPLATE = Template(
    "cz_ratio", "CZ klant-werkgebiedratio", "3.2",
    inputs=(
        Input("in_jaar", "Beleidsjaar (leeg = {jaar})", "year",
              "Beleidsjaar T ({ratio_jaren}); de declaraties van {declaratiejaar} tellen (bij {jaar}: "
              "{declaratiejaar_voorbeeld}). Leeg = {jaar}.", quantity="year", required=False),
        Input("in_soort", "Soort zorgaanbieder", "choice", "bestaand of nieuw (nieuw: eerste contract met CZ).",
              choices=("bestaand", "nieuw"), required=False, vocabulary=PROVIDER_KINDS),
        Input("in_postcodes", "Postcode (PC4 of volledig)", "postcode",
              "4 cijfers, niet beginnend met 0, eventueel gevolgd door 2 letters (5611 of 5611 AB).", rows=ROWS),
        Input("in_clienten", "CZ-cliënten", "number", "Aantal verschillende CZ-cliënten in dit postcodegebied.",
              quantity="count", rows=ROWS),
    ),
    outputs=(
        Output("out_clienten", "CZ-cliënten", "count", help="De cliënten van alle rijen samen."),
        Output("out_gebieden", "Postcodegebieden (PC4)", "count",
               help="Verschillende PC4-gebieden met ten minste één cliënt."),
        Output("out_ratio", "Cliënten per postcodegebied", "ratio", help="Cliënten ÷ postcodegebieden."),
        Output("out_drempel", "Minimaal vereist", "number",
               help="De drempel van CZ voor dit beleidsjaar en deze soort zorgaanbieder."),
        Output("out_voldoet", "Voldoet", "bool",
               help="Ja als de ratio ten minste de drempel is; n.v.t. zonder eis.", verdict=True),
        Output("out_extra_clienten", "Extra cliënten nodig in dezelfde gebieden", "count",
               help="Zoveel cliënten erbij in dezelfde gebieden haalt de drempel."),
        Output("out_max_gebieden", "Maximaal aantal gebieden bij deze cliënten", "count",
               help="Zoveel gebieden passen bij dit aantal cliënten."),
        Output("out_te_schrappen", "Te schrappen postcodegebieden (in volgorde)", "text", rows=ROWS,
               help="Of: deze gebieden (minste cliënten eerst) loslaten haalt de drempel."),
    ),
    engine=_engine, topics=(("cz", "client_area_ratio"),),
    rule_fields={"provider": "soort", "year": "jaar", "postcodes": "postcodes", "clients": "clienten"},
    purpose=("Berekent de klant-werkgebiedratio van CZ groep: het aantal CZ-cliënten gedeeld door het aantal "
             "4-cijferige postcodegebieden (PC4) waarin u zorg levert. CZ telt de declaraties van "
             "{declaratiejaar}: bij beleidsjaar {jaar} die van {declaratiejaar_voorbeeld}. De werkmap laat ook zien "
             "hoeveel cliënten er in dezelfde gebieden bij moeten om de drempel te halen, of welke gebieden u zou "
             "moeten loslaten. De eis geldt in de kernwerkgebieden van CZ; niet voor (medische) kindzorg, en niet "
             "als u (het merendeel van) uw zorg buiten het kernwerkgebied levert."),
    reading=("Voldoet = ja als de ratio ten minste de drempel is; n.v.t. in een jaar zonder eis. Extra cliënten en "
             "te schrappen gebieden zijn twee wegen naar de drempel; één is genoeg. Een gebied met 0 cliënten telt "
             "niet mee. Tel een cliënt die verhuisde één keer, in één van de gebieden: zo telt ook de opdracht "
             "'zorginkoop ratio' uit declaraties. De grafiek toont de eerste 40 rijen; 'zorginkoop fill' zet hem op "
             "precies de rijen die het invult."),
)

__all__ = ["NO_RATIO", "ROWS", "TEMPLATE"]
