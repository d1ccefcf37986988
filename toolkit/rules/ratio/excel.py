"""Rule 1 as Excel functions: CZ_RATIO, CZ_RATIO_DREMPEL, CZ_RATIO_VOLDOET, CZ_EXTRA_CLIENTEN.

Declarations only (`toolkit.udfs` makes the functions): the Dutch arguments and help, and what each
function computes from the read arguments.
"""

from __future__ import annotations

from typing import Any

from ...parameters import policy_year
from ..declaration import Argument, ExcelError, ExcelFunction
from .rule import RatioAssessment, assess_normalised_counts, client_area_ratio, clients_by_area, ratio_threshold

POSTCODES = Argument("postcodes", "Bereik met postcodes (PC4 zoals 5611 of volledig zoals 5611 AB); lege cellen "
                                  "tellen niet mee.", "cells")
CLIENTS = Argument("clienten", "Bereik met het aantal CZ-cliënten per postcode, rij voor rij naast de postcodes.",
                   "cells", field="clients")
YEAR = Argument("jaar", "Beleidsjaar ({ratio_jaren}); leeg = {jaar}. De declaraties van {declaratiejaar} tellen.",
                default=None, field="year")
KIND = Argument("soort", "bestaand (standaard) of nieuw.", "text", default="bestaand", field="provider")


def _assessment(postcodes: list[Any], clienten: list[Any], jaar: Any, soort: str) -> RatioAssessment:
    # `clients_by_area` hands over PC4 -> positive counts, read and checked: not read a second time.
    return assess_normalised_counts(clients_by_area(postcodes, clienten), year=jaar, provider=soort)


def _ratio(postcodes: list[Any], clienten: list[Any]) -> float | ExcelError:
    counts = clients_by_area(postcodes, clienten)
    ratio = client_area_ratio(sum(counts.values()), len(counts))
    return ExcelError("div0", "geen postcodegebieden met cliënten") if ratio is None else ratio


def _meets(postcodes: list[Any], clienten: list[Any], jaar: Any, soort: str) -> bool | str:
    # A year without a requirement says so, as the template's out_voldoet and the CLI do, and in the words
    # of CZ_RATIO_DREMPEL: TRUE there read as a ratio that was checked and met.
    assessment = _assessment(postcodes, clienten, jaar, soort)
    return assessment.meets if assessment.applies else f"n.v.t.: geen eis in {assessment.year}"


def _threshold(jaar: Any, soort: str) -> Any:
    chosen = policy_year(jaar)  # read here too: the n.v.t. text names it
    threshold = ratio_threshold(chosen, soort)
    return f"n.v.t.: geen eis in {chosen}" if threshold is None else threshold


FUNCTIONS = (
    ExcelFunction("CZ_RATIO", "CZ klant-werkgebiedratio: cliënten gedeeld door het aantal postcodegebieden (PC4) met "
                              "cliënten.", (POSTCODES, CLIENTS), _ratio),
    ExcelFunction("CZ_RATIO_DREMPEL", "Minimaal gemiddeld aantal cliënten per postcodegebied dat CZ eist in het "
                                      "beleidsjaar (n.v.t.: geen eis).", (YEAR, KIND), _threshold),
    ExcelFunction("CZ_RATIO_VOLDOET", "WAAR als de klant-werkgebiedratio de CZ-drempel haalt, ONWAAR als niet "
                                      "(n.v.t.: geen eis dat jaar).", (POSTCODES, CLIENTS, YEAR, KIND), _meets),
    ExcelFunction("CZ_EXTRA_CLIENTEN", "Aantal cliënten dat er in dezelfde postcodegebieden bij moet om de CZ-drempel "
                                       "te halen (0: gehaald).", (POSTCODES, CLIENTS, YEAR, KIND),
                  lambda **a: _assessment(**a).clients_needed),
)

__all__ = ["CLIENTS", "FUNCTIONS", "POSTCODES"]
