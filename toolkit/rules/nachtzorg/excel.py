"""Rule 4 as Excel functions: NZ_GEWOGEN_INDEX, NZ_INDEXFACTOR and NZ_BUDGET (declarations; `toolkit.udfs`
makes them)."""

from __future__ import annotations

from typing import Any

from ..declaration import YEAR, Argument, ExcelFunction
from .rule import index_nachtzorg_budget, indexation_factor, weighted_index

PRELIM_T = Argument("voorlopig_t", "Voorlopige gewogen index voor jaar T, als fractie.", "required", field="prelim_t")
PRELIM_PREV = Argument("voorlopig_t1", "Voorlopige gewogen index voor jaar T-1, als fractie.", "required",
                       field="prelim_prev")
FINAL_PREV = Argument("definitief_t1", "Definitieve gewogen index voor jaar T-1, als fractie.", "required",
                      field="final_prev")
METHOD = Argument("methode", "multiplicatief (standaard, zoals de NZa) of additief (de letterlijke tekst).", "text",
                  default="multiplicatief", field="method")


def _budget(begroting: Any, voorlopig_t: Any, voorlopig_t1: Any, definitief_t1: Any, zvw_aandeel: Any, methode: str,
            jaar: Any) -> Any:
    return index_nachtzorg_budget(begroting, prelim_t=voorlopig_t, prelim_prev=voorlopig_t1,
                                  final_prev=definitief_t1, zvw_share=1 if zvw_aandeel is None else zvw_aandeel,
                                  method=methode, year=jaar).reimbursed


FUNCTIONS = (
    ExcelFunction("NZ_GEWOGEN_INDEX", "Gewogen index nachtzorg: {gewicht_pers} personeelsindex + {gewicht_mat} "
                                      "materiële index (in {jaar}).",
                  (Argument("personeel", "NZa-personeelsindex (OVA) als fractie: 3,1% = 0,031.", "required",
                            field="personnel"),
                   Argument("materieel", "Materiële index (CPB, particuliere consumptie) als fractie.", "required",
                            field="material"), YEAR),
                  lambda personeel, materieel, jaar: weighted_index(personeel, materieel, year=jaar)),
    ExcelFunction("NZ_INDEXFACTOR", "Indexfactor op het nachtzorgbudget: voorlopige index T, gecorrigeerd met "
                                    "definitief min voorlopig T-1.", (PRELIM_T, PRELIM_PREV, FINAL_PREV, METHOD, YEAR),
                  lambda voorlopig_t, voorlopig_t1, definitief_t1, methode, jaar: indexation_factor(
                      voorlopig_t, voorlopig_t1, definitief_t1, methode, year=jaar)),
    ExcelFunction("NZ_BUDGET", "Vergoed nachtzorgbudget: begroting x indexfactor x Zvw-aandeel, afgerond op centen.",
                  (Argument("begroting", "Goedgekeurd budget onplanbare nachtzorg in euro.", "required",
                            field="budget"),
                   PRELIM_T, PRELIM_PREV, FINAL_PREV,
                   Argument("zvw_aandeel", "Deel van het budget voor Zvw-cliënten, als fractie (75% = 0,75); leeg = "
                                           "100%.", default=1, field="zvw_share"),
                   METHOD, YEAR), _budget),
)

__all__ = ["FUNCTIONS"]
