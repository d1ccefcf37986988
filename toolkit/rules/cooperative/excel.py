"""Rule 3 as Excel functions: COOP_FTE_NODIG, COOP_MAX_CLIENTEN and COOP_MAX_OMZET (declarations;
`toolkit.udfs` makes them)."""

from __future__ import annotations

from ..declaration import YEAR, Argument, ExcelFunction
from .rule import assess_cooperative, cooperative_max_turnover

FUNCTIONS = (
    ExcelFunction("COOP_FTE_NODIG", "FTE hbo-verpleegkundige (niveau 6) die nodig is: 1 FTE per {clienten_per_fte} "
                                    "cliënten (in {jaar}).",
                  (Argument("clienten", "Aantal cliënten van de zorgcoöperatie.", "required", field="clients"), YEAR),
                  lambda clienten, jaar: assess_cooperative(clienten, 0, year=jaar).required_fte),
    ExcelFunction("COOP_MAX_CLIENTEN", "Maximaal aantal cliënten bij deze FTE niveau 6: FTE maal {clienten_per_fte}, "
                                       "naar beneden afgerond.",
                  (Argument("fte", "FTE hbo-verpleegkundige (niveau 6) in dienst.", "required", field="level6_fte"),
                   YEAR),
                  lambda fte, jaar: assess_cooperative(0, fte, year=jaar).max_clients),
    ExcelFunction("COOP_MAX_OMZET", "Maximale omzet: uren per lid afgetopt ({uren_jaar} uur, nacht {uren_jaar_nacht} "
                                    "in {jaar}) maal het uurtarief.",
                  (Argument("uren", "Bereik met de uren per jaar per lid; lege cellen tellen niet mee.", "cells",
                            field="member_hours"),
                   Argument("uurtarief", "Geschat uurtarief in euro (eigen schatting).", "required",
                            field="hourly_tariff"),
                   Argument("nacht", "ja/nee: nachtdienst (gemiddeld {uren_week_nacht} in plaats van {uren_week} uur "
                                     "per week).", "flag", default=False, field="night"),
                   YEAR),
                  lambda uren, uurtarief, nacht, jaar: cooperative_max_turnover(uren, uurtarief, night=nacht,
                                                                                year=jaar).max_turnover),
)

__all__ = ["FUNCTIONS"]
