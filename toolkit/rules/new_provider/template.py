"""Rule 9 as a template workbook (`templates/nieuwe_aanbieder.xlsx`): inputs, outputs and the Python engine (the
formulas: `toolkit/workbook/formulas/nieuwe_aanbieder.py`). The postcodes and clients are rule 1's columns."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..declaration import NOT_APPLICABLE, Input, Output, Template, template_year, year_input
from ..ratio.template import NO_RATIO
from .rule import DEVELOPMENT, FIRST_REGISTRATION, RATIO, TURNOVER, WINDOW, assess_new_provider, typed_clients_by_area

ROWS = 500  # postcode rows: a new provider's areas in the kernwerkgebied


def _engine(v: Mapping[str, Any]) -> dict[str, Any]:
    a = assess_new_provider(
        v["in_inschrijfdatum"], v["in_verwachte_omzet"], registered_before=v["in_eerder_ingeschreven"] == "ja",
        in_core_area=v["in_kernwerkgebied"] == "ja",
        clients_by_area=typed_clients_by_area(v["in_postcodes"] or [], v["in_clienten"] or []),
        rejected_last_year=v["in_afgewezen_vorig_jaar"] == "ja",
        development_shown=v["in_ontwikkeling_aangetoond"] == "ja", year=template_year(v))
    ratio, development = a.condition(RATIO), a.condition(DEVELOPMENT)
    return {
        "out_voldoet": a.meets,
        "out_binnen_termijn": a.condition(WINDOW).met,
        "out_eerste_inschrijving": a.condition(FIRST_REGISTRATION).met,
        "out_omzet_voldoet": a.condition(TURNOVER).met,
        "out_ratio": NO_RATIO if a.ratio.ratio is None else a.ratio.ratio,
        "out_ratio_voldoet": ratio.met if ratio.applies else NOT_APPLICABLE,
        "out_ontwikkeling_voldoet": development.met if development.applies else NOT_APPLICABLE,
        "out_antwoord_verwacht": NOT_APPLICABLE if a.answer_expected is None else a.answer_expected,
        "out_redenen": a.summary,
        "out_zelf_aantonen": "; ".join(a.to_show),
    }


def _flag(name: str, label: str, help: str) -> Input:
    return Input(name, label, "flag", help, choices=("ja", "nee"))


TEMPLATE = Template(
    "nieuwe_aanbieder", "Nieuwe zorgaanbieder: de toets van CZ groep", "1.2",
    inputs=(
        year_input("Contractjaar (leeg = {jaar})", "Het contractjaar waarvoor u zich inschrijft; leeg = {jaar}. De "
                                                   "termijn en de eisen staan op het tabblad Bronnen."),
        Input("in_inschrijfdatum", "Datum van de inschrijving", "date",
              "Dag-maand-jaar, bijvoorbeeld 15-1-{jaar}. De termijn voor {jaar}: {nieuw_termijn}."),
        Input("in_verwachte_omzet", "Verwachte zorgomzet bij CZ groep per jaar (€)", "number",
              "Onderbouwde verwachte omzet bij CZ groep op jaarbasis; minimaal {nieuw_min_omzet}.", quantity="money"),
        _flag("in_eerder_ingeschreven", "Al eerder ingeschreven voor dit contractjaar",
              "ja: u schreef zich dit contractjaar al eerder in; een tweede inschrijving neemt CZ niet in "
              "behandeling."),
        _flag("in_kernwerkgebied", "Meeste zorg in een kernwerkgebied van CZ",
              "ja: vul dan hieronder de CZ-cliënten per postcodegebied in (minimaal gemiddeld {nieuw_drempel}). "
              "nee: de ratio geldt niet."),
        _flag("in_afgewezen_vorig_jaar", "Vorig jaar afgewezen wegens onvoldoende toegevoegde waarde",
              "ja: toon dan in de inschrijving aan hoe de toegevoegde waarde inmiddels is ontwikkeld."),
        _flag("in_ontwikkeling_aangetoond", "Ontwikkeling van de toegevoegde waarde aangetoond",
              "Alleen na een afwijzing vorig jaar: ja als de inschrijving aantoont hoe die is ontwikkeld."),
        Input("in_postcodes", "Postcode (PC4 of volledig)", "postcode",
              "4 cijfers, niet beginnend met 0, eventueel gevolgd door 2 letters (5611 of 5611 AB).", rows=ROWS,
              required=False),
        Input("in_clienten", "CZ-cliënten", "number", "Aantal verschillende CZ-cliënten in dit postcodegebied.",
              quantity="count", rows=ROWS, required=False),
    ),
    outputs=(
        Output("out_voldoet", "Voldoet aan de berekenbare eisen", "bool", verdict=True,
               help="Ja als elke eis hieronder gehaald is (of niet geldt). De rest toont u zelf aan."),
        Output("out_binnen_termijn", "Ingeschreven binnen de termijn", "bool", verdict=True,
               help="{nieuw_termijn}; daarbuiten niet in behandeling."),
        Output("out_eerste_inschrijving", "Eerste inschrijving dit contractjaar", "bool", verdict=True,
               help="Een tweede inschrijving in hetzelfde contractjaar wordt niet in behandeling genomen."),
        Output("out_omzet_voldoet", "Verwachte omzet ten minste {nieuw_min_omzet}", "bool", verdict=True,
               help="Onderbouwd, op jaarbasis, verdeeld over voldoende cliënten."),
        Output("out_ratio", "Cliënten per postcodegebied", "ratio", help="CZ-cliënten ÷ postcodegebieden (PC4)."),
        Output("out_ratio_voldoet", "Ratio voldoet (kernwerkgebied)", "bool", verdict=True,
               help="Minimaal gemiddeld {nieuw_drempel} voor een nieuwe zorgaanbieder; n.v.t. buiten het "
                    "kernwerkgebied."),
        Output("out_ontwikkeling_voldoet", "Na afwijzing: ontwikkeling aangetoond", "bool", verdict=True,
               help="n.v.t. zonder afwijzing vorig jaar."),
        Output("out_antwoord_verwacht", "Antwoord van CZ verwacht uiterlijk (streven)", "date",
               help="{nieuw_antwoord} na de inschrijving: een streven van CZ, geen toezegging."),
        Output("out_redenen", "Toelichting", "text"),
        Output("out_zelf_aantonen", "Zelf aantonen (niet berekend)", "text"),
    ),
    engine=_engine, topics=(("cz", "new_provider"), ("cz", "client_area_ratio")),
    rule_fields={"registration_date": "inschrijfdatum", "expected_turnover": "verwachte_omzet", "year": "jaar",
                 "clients_by_area": "postcodes", "postcodes": "postcodes", "clients": "clienten"},
    purpose=("Toetst een inschrijving als nieuwe zorgaanbieder bij CZ groep (nog geen overeenkomst in het jaar "
             "ervoor) aan de eisen die te berekenen zijn: ingeschreven binnen de termijn ({nieuw_termijn}), de "
             "eerste inschrijving dit contractjaar, een verwachte omzet bij CZ groep van minimaal "
             "{nieuw_min_omzet}, in een kernwerkgebied een klant-werkgebiedratio van gemiddeld minimaal "
             "{nieuw_drempel}, en na een afwijzing vorig jaar de ontwikkeling van de toegevoegde waarde aangetoond. "
             "De werkmap geeft ook de datum waarop CZ ernaar streeft te antwoorden."),
    reading=("Voldoet = ja als alle berekenbare eisen gehaald zijn; n.v.t. waar een eis niet geldt. Buiten de termijn, "
             "bij een tweede inschrijving of na een afwijzing zonder aangetoonde ontwikkeling neemt CZ de inschrijving "
             "niet in behandeling: dan is er geen antwoorddatum. Het antwoord komt naar streven {nieuw_antwoord} na de "
             "inschrijving. De toegevoegde waarde, de witte vlek, het integriteitsonderzoek, de IGJ-melding en de "
             "eisen van bijlage 1 berekent de werkmap niet: die toont u zelf aan."),
)

__all__ = ["ROWS", "TEMPLATE"]
