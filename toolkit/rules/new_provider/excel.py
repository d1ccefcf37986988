"""Rule 9 as an Excel function: CZ_NIEUWE_AANBIEDER (a declaration; `toolkit.udfs` makes it)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ..declaration import YEAR, Argument, ExcelFunction
from ..ratio.excel import CLIENTS, POSTCODES
from .rule import assess_new_provider, typed_clients_by_area


def _entry(inschrijfdatum: Any, verwachte_omzet: Any, eerder_ingeschreven: bool, kernwerkgebied: bool,
           postcodes: list[Any], clienten: list[Any], jaar: Any) -> str:
    outcome = assess_new_provider(inschrijfdatum, verwachte_omzet, registered_before=eerder_ingeschreven,
                                  in_core_area=kernwerkgebied,
                                  clients_by_area=typed_clients_by_area(postcodes, clienten), year=jaar)
    return "ja" if outcome.meets else outcome.summary


FUNCTIONS = (
    ExcelFunction("CZ_NIEUWE_AANBIEDER", "Toets voor een nieuwe zorgaanbieder (CZ, § 3.2.1): \"ja\" als de "
                                         "inschrijving aan de berekenbare eisen voldoet (termijn, eerste inschrijving, "
                                         "omzet, ratio), anders de redenen.",
                  (Argument("inschrijfdatum", "Datum van de inschrijving: een datumcel of dag-maand-jaar "
                                              "(15-1-{jaar}); termijn voor {jaar}: {nieuw_termijn}.", "required",
                            field="registration_date"),
                   Argument("verwachte_omzet", "Onderbouwde verwachte zorgomzet bij CZ groep per jaar, in euro "
                                               "(minimaal {nieuw_min_omzet}).", "required", field="expected_turnover"),
                   Argument("eerder_ingeschreven", "ja/nee: al eerder ingeschreven voor dit contractjaar (dan niet in "
                                                   "behandeling); leeg = nee.", "flag", field="registered_before"),
                   Argument("kernwerkgebied", "ja/nee: (het merendeel van) de zorg in een kernwerkgebied van CZ groep; "
                                              "dan telt de klant-werkgebiedratio (minimaal {nieuw_drempel}).", "flag",
                            field="in_core_area"),
                   replace(POSTCODES, help="Bereik met de postcodes in het kernwerkgebied (PC4 of volledig); leeg "
                                           "buiten het kernwerkgebied.", default=None, field="clients_by_area"),
                   replace(CLIENTS, default=None),
                   YEAR),
                  _entry),
)

__all__ = ["FUNCTIONS"]
