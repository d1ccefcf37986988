"""Rule 10 as an Excel function: CZ_CASELOAD_DEMENTIE (a declaration; `toolkit.udfs` makes it)."""

from __future__ import annotations

from ..declaration import YEAR, Argument, ExcelFunction
from .rule import assess_dementia_caseload

FUNCTIONS = (
    ExcelFunction("CZ_CASELOAD_DEMENTIE", "Caseload van de gespecialiseerde casemanagers dementie: cliënten per fte. "
                                          "CZ vraagt gemiddeld {caseload_min} tot {caseload_max} cliënten per fte (in "
                                          "{jaar}).",
                  (Argument("clienten", "Aantal cliënten van de gespecialiseerde casemanagers dementie samen.",
                            "required", field="clients"),
                   Argument("fte", "Hun fte samen (meer dan 0).", "required", field="fte"),
                   YEAR),
                  lambda clienten, fte, jaar: assess_dementia_caseload(clienten, fte, year=jaar).caseload),
)

__all__ = ["FUNCTIONS"]
