"""Arguments for the Excel functions, as a spreadsheet holds them: shared by tests/test_lite.py (main.py in
CPython) and tests/test_pyodide.py (main.py in Pyodide)."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

JUNK = [None, "", "#N/A", "abc", "1e5", -1, "12,5.3", True]
# Plausible values per argument name (mostly), so that most calls reach a real answer; junk now and then.
POOLS: dict[str, list[Any]] = {
    "jaar": [None, None, 2027, 2027.0, "2027", 2025, 2026, 2031],
    "soort": [None, "bestaand", "nieuw", "new", "Bestaand"],
    "score_vorig_jaar": [None, "", "A", "B", "C", "a"], "score_contractjaar": [None, "", "A", "B", "C"],
    "kostenpunten": [None, 4, 5, 6, 4.99, "5", "7,5"], "plafondvrij": [None, "ja", "nee", True, False, 1],
    "budget": [0, 1000, 50_000.5, "50.000", "€ 1.234,56", 0.1], "clienten": [0, 55, 110, 111.0, "1.000"],
    "fte": [0, 1, 1.5, "2,5", 0.999999999995], "uurtarief": [62.5, "58,33", 0.005],
    "nacht": [None, "ja", "nee"], "personeel": [0.031, 0.0474, -0.01, "3,1%", 3],
    "materieel": [0.02, 0, "0,02"], "voorlopig_t": [0.03, 0.0474, "3%"], "voorlopig_t1": [0.025, 0],
    "definitief_t1": [0.032, 0.0053], "methode": [None, "multiplicatief", "additief", "lineair", "seizoen"],
    "begroting": [1_000_000, "1.000.000", 0.01], "zvw_aandeel": [None, 0.85, "85%", 1],
    "plafond": [1_200_000, "1.200.000", 900_000.5], "eigen": [5200, "5.200", 0], "volle_dochter": [300, 0],
    "zzp": [2500, 2600, "2.500"], "onderaannemers": [3000, 0],
    # The calendar: names of events (as typed, and wrong), dates as text, as an Excel serial and as junk.
    "naam": ["bezwaar", "tekenen", "Volgverzoek", " kwaliteit ", "antwoord_verzoek", "bezwaren", 3],
    "datum": ["30-09-2027", "23-12-2026", 46295.0, "2027-04-26", "1 november 2026", "31-02-2027", 46295.5,
              "1-1-2010"],
    "n": [0, 1, 5, 10, "10", 10.0, 2.5, "tien"],
}
RANGES = {
    "postcodes": ["5611", "5612 AB", 5613.0, "1234", None, "5611ab"], "clienten": [4, 1, 2.0, "3", 0, None],
    "uren": [3000, 2080, 100.25, None, "1.000"], "productie": [110_000, "100.000", 95_000.5],
    "vorig_jaar": [90_000, 100_000, "120.000"],
}


def plain(result: Any) -> Any:
    """A function's answer as JSON carries it: a date (CZ_TERMIJN, WERKDAGEN_NA) as {"date": "2026-11-01"}."""
    return {"date": result.isoformat()} if isinstance(result, dt.date) else result


def value(rng: random.Random, name: str, ranged: bool, junk: float = 0.08) -> Any:
    """A value for the argument `name` (a list of cells when `ranged`), as classic xlwings hands it over; one of
    JUNK instead with the chance `junk`."""
    if rng.random() < junk:
        return rng.choice(JUNK)
    if ranged:
        size = 12 if name in {"productie", "vorig_jaar"} else rng.randrange(1, 9)
        known = rng.randrange(1, 13) if name == "productie" else size
        pool = RANGES.get(name) or POOLS[name]
        return [rng.choice(pool) if i < known else None for i in range(size)]
    return rng.choice(POOLS[name])


# Arguments that take one cell for the year or a range of four quarters.
QUARTERS = frozenset({"eigen", "volle_dochter", "zzp", "onderaannemers"})


def is_range(function: str, name: str) -> bool:
    """Whether the argument `name` of `function` is a range (`clienten` is one only for the ratio functions)."""
    return name in RANGES and (name != "clienten" or function.startswith("CZ_"))
