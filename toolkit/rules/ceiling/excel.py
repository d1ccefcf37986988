"""Rule 5 as Excel functions: CZ_PLAFOND_PROGNOSE, CZ_PLAFOND_TEKORT and CZ_BIJCONTRACTERING (declarations;
`toolkit.udfs` makes them). The waardemodel arguments are the staffel's."""

from __future__ import annotations

from typing import Any

from ..declaration import YEAR, Argument, ExcelFunction
from ..staffel.excel import CEILING_FREE, COST_POINTS, SCORE_CURRENT, SCORE_PREVIOUS
from .rule import assess_additional_purchase, forecast_ceiling, project_production

CEILING = Argument("plafond", "Omzetplafond voor het beleidsjaar in euro.", "required", field="ceiling")
PRODUCTION = Argument(
    "productie", "Bereik met de productie per maand in euro, januari eerst; leeg na de laatst bekende maand.", "cells",
    field="monthly_production")
LAST_YEAR = Argument("vorig_jaar", "Optioneel bereik met de twaalf maanden van vorig jaar (voor de seizoensmethode).",
                     "months", default=None, field="last_year_monthly")
METHOD = Argument("methode", "lineair (standaard) of seizoen (volgens het profiel van vorig jaar).", "text",
                  default="lineair", field="method")


def _may_request(plafond: Any, productie: list[Any], score_vorig_jaar: Any, score_contractjaar: Any,
                 kostenpunten: Any, plafondvrij: bool, vorig_jaar: Any, methode: str, jaar: Any) -> str:
    outcome = assess_additional_purchase(
        plafond, productie, last_year_monthly=vorig_jaar, method=methode, score_previous=score_vorig_jaar,
        score_current=score_contractjaar, cost_points=kostenpunten, ceiling_free=plafondvrij, year=jaar)
    return "ja" if outcome.may_request else "nee: " + "; ".join(outcome.reasons)


FUNCTIONS = (
    ExcelFunction("CZ_PLAFOND_PROGNOSE", "Verwachte productie over het hele jaar: de bekende maanden doorgetrokken "
                                         "(lineair of naar seizoen).", (PRODUCTION, LAST_YEAR, METHOD, YEAR),
                  lambda productie, vorig_jaar, methode, jaar: project_production(
                      productie, last_year_monthly=vorig_jaar, method=methode, year=jaar).projected_year),
    ExcelFunction("CZ_PLAFOND_TEKORT", "Verwacht tekort op het omzetplafond: prognose min plafond, afgerond op centen "
                                       "(0 als het plafond volstaat).", (CEILING, PRODUCTION, LAST_YEAR, METHOD, YEAR),
                  lambda plafond, productie, vorig_jaar, methode, jaar: forecast_ceiling(
                      plafond, productie, last_year_monthly=vorig_jaar, method=methode, year=jaar).shortfall),
    ExcelFunction("CZ_BIJCONTRACTERING", 'Verzoek om aanvullend budget mogelijk? "ja", of "nee:" en waarom '
                                         "({min_plafond} vóór {peildatum}).",
                  (CEILING, PRODUCTION, Argument(SCORE_PREVIOUS.name, SCORE_PREVIOUS.help, "score", default=None,
                                                 field=SCORE_PREVIOUS.field),
                   SCORE_CURRENT, COST_POINTS, CEILING_FREE, LAST_YEAR, METHOD, YEAR), _may_request),
)

__all__ = ["FUNCTIONS"]
