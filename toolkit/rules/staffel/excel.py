"""Rule 2 as Excel functions: CZ_STAFFEL_PCT and CZ_STAFFEL_VERGOEDING (declarations; `toolkit.udfs` makes
them). The waardemodel arguments are shared with the omzetplafond's CZ_BIJCONTRACTERING."""

from __future__ import annotations

from typing import Any

from ..declaration import YEAR, Argument, ExcelFunction
from .rule import StaffelOutcome, staffel_reimbursement

SCORE_PREVIOUS = Argument("score_vorig_jaar", "Waardemodelscore van het jaar vóór het beleidsjaar ({jaar_vorig} bij "
                                              "{jaar}): A, B, C of leeg.", "score", field="score_previous")
SCORE_CURRENT = Argument("score_contractjaar", "Waardemodelscore van het beleidsjaar ({jaar}): A, B, C of leeg.",
                         "score", default=None, field="score_current")
COST_POINTS = Argument("kostenpunten", "Punten op het kostenonderdeel (nodig bij score B; {min_punten} of meer geeft "
                                       "{pct_b} in {jaar}).", default=None, field="cost_points")
CEILING_FREE = Argument("plafondvrij", "ja/nee: plafondvrije afspraak (geeft {pct_plafondvrij} in {jaar}).", "flag",
                        default=False, field="ceiling_free")
BUDGET = Argument("budget", "Toegekend aanvullend budget in euro.", "required", field="granted_budget")


def _outcome(budget: Any, score_vorig_jaar: Any, score_contractjaar: Any, kostenpunten: Any, plafondvrij: bool,
             jaar: Any) -> StaffelOutcome:
    return staffel_reimbursement(budget, score_vorig_jaar, score_contractjaar, cost_points=kostenpunten,
                                 ceiling_free=plafondvrij, year=jaar)


def _percentage(**arguments: Any) -> Any:
    outcome = _outcome(0, **arguments)
    return outcome.reason if outcome.percentage is None else outcome.percentage


def _reimbursement(**arguments: Any) -> Any:
    outcome = _outcome(**arguments)
    return outcome.reason if outcome.amount is None else outcome.amount


FUNCTIONS = (
    ExcelFunction("CZ_STAFFEL_PCT", "Deel van het toegekende aanvullende budget dat CZ vergoedt (staffel § 3.2.4), "
                                    "als fractie; anders de reden.",
                  (SCORE_PREVIOUS, SCORE_CURRENT, COST_POINTS, CEILING_FREE, YEAR), _percentage),
    ExcelFunction("CZ_STAFFEL_VERGOEDING", "Vergoeding op het toegekende aanvullende budget volgens de staffel, "
                                           "afgerond op centen; anders de reden.",
                  (BUDGET, SCORE_PREVIOUS, SCORE_CURRENT, COST_POINTS, CEILING_FREE, YEAR), _reimbursement),
)

__all__ = ["CEILING_FREE", "COST_POINTS", "FUNCTIONS", "SCORE_CURRENT", "SCORE_PREVIOUS"]
