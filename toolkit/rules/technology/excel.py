"""Rule 8 as an Excel function: CZ_THUISTECHNOLOGIE (a declaration; `toolkit.udfs` makes it)."""

from __future__ import annotations

from typing import Any

from ..declaration import YEAR, Argument, ExcelFunction
from .rule import assess_technology_share


def _share(geschikt: Any, gebruikers: Any, jaar: Any) -> Any:
    outcome = assess_technology_share(geschikt, gebruikers, year=jaar)
    return outcome.reason if outcome.share is None else outcome.share  # no suitable clients: the n.v.t. text


FUNCTIONS = (
    ExcelFunction("CZ_THUISTECHNOLOGIE", "Deel van de cliënten voor wie thuiszorgtechnologie geschikt is dat die "
                                         "gebruikt, als fractie; CZ verwacht minimaal {min_technologie} (in {jaar}). "
                                         "Zonder geschikte cliënten: n.v.t.",
                  (Argument("geschikt", "Aantal cliënten voor wie thuiszorgtechnologie geschikt is (uw eigen "
                                        "afweging, op uw peildatum).", "required", field="suitable"),
                   Argument("gebruikers", "Aantal van die cliënten dat thuiszorgtechnologie gebruikt.", "required",
                            field="using"),
                   YEAR),
                  _share),
)

__all__ = ["FUNCTIONS"]
