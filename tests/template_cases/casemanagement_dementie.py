"""Seeded cases for templates/casemanagement_dementie.xlsx."""

from __future__ import annotations

import random
from decimal import Decimal

from .common import Row


def _fte(rng: random.Random, fte: Decimal) -> object:
    """An fte as people type it: a number, a Dutch decimal comma, a decimal point in text."""
    choice, text = rng.random(), format(fte, "f")  # "f": never 1E+1
    if choice < 0.25:
        return text.replace(".", ",")
    if choice < 0.4:
        return text
    return float(fte)


def cases(count: int, seed: int = 10) -> list[Row]:
    """Boundaries: a caseload of exactly 50 and exactly 65 (both meet), one client below 50 × fte and one
    above 65 × fte, fte in tenths and hundredths (1,8 or 0,35: products a float cannot hold exactly), no
    clients, large teams."""
    rng = random.Random(seed)
    rows: list[Row] = []
    for case in range(count):
        mode = case % 7
        fte = Decimal(rng.randrange(1, 400)) / rng.choice([10, 100])
        if mode in (0, 1, 2, 3):  # on a bound (50 or 65 × fte), or one client beyond it, when that is whole
            bound = 50 if mode in (0, 2) else 65
            exact = fte * bound
            while exact != exact.to_integral_value():
                fte += Decimal("0.01")
                exact = fte * bound
            clients = int(exact) + (0 if mode < 2 else (-1 if bound == 50 else 1))
        elif mode == 4:
            clients = 0
        else:
            clients = rng.randrange(0, 9000)
        rows.append({"sleutel": f"d{case:04d}", "jaar": rng.choice(["", "", 2027, "2027"]),
                     "clienten": rng.choice([clients, clients, str(clients)]), "fte": _fte(rng, fte)})
    return rows
