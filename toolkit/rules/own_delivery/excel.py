"""Rule 6 as an Excel function: CZ_EIGEN_LEVERING (a declaration; `toolkit.udfs` makes it)."""

from __future__ import annotations

from typing import Any

from ..declaration import Argument, ExcelFunction
from .rule import assess_own_delivery


def _share(eigen: Any, volle_dochter: Any, zzp: Any, onderaannemers: Any) -> Any:
    outcome = assess_own_delivery(eigen, volle_dochter, zzp, onderaannemers)
    assert outcome.own_share is not None  # not exempt: the rule refuses a total of 0
    return outcome.own_share


FUNCTIONS = (
    ExcelFunction("CZ_EIGEN_LEVERING", "Deel van de zorg dat de zorgaanbieder zelf levert (met volle dochters), als "
                                       "fractie; minimaal {min_eigen}.",
                  (Argument("eigen", "Zorg door eigen personeel (uren of euro): één cel voor het jaar of een bereik "
                                     "van vier kwartalen.", "period", field="own"),
                   Argument("volle_dochter", "Zorg door volle dochters (telt als eigen levering), in dezelfde "
                                             "eenheid.", "period", field="full_subsidiary"),
                   Argument("zzp", "Zorg door ingehuurde zzp'ers (telt als onderaanneming), in dezelfde eenheid.",
                            "period", field="self_employed"),
                   Argument("onderaannemers", "Zorg door andere onderaannemers, in dezelfde eenheid.", "period",
                            field="subcontractors")),
                  _share),
)

__all__ = ["FUNCTIONS"]
