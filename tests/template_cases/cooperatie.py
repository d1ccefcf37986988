"""Seeded cases for templates/cooperatie.xlsx."""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

from .common import Row


def cases(count: int, seed: int = 3) -> list[Row]:
    rng = random.Random(seed)
    rows: list[Row] = []
    for case in range(count):
        mode = case % 4
        if mode == 0:  # 55 × fte exactly the clients
            fte = Decimal(rng.randrange(1, 80)) / 10
            clients = int(fte * 55) if (fte * 55) == int(fte * 55) else rng.randrange(0, 500)
        elif mode == 1:  # one client more than 55 × fte allows
            fte = Decimal(rng.randrange(1, 20))
            clients = int(fte * 55) + 1
        else:
            fte = Decimal(rng.randrange(0, 800)) / 100
            clients = rng.randrange(0, 500)
        night = rng.choice(["ja", "nee", "nee"])
        cap = 2080 if night == "ja" else 2496
        members = rng.randrange(1, 40)
        tariff = rng.choice(["62.5", "58.33", "0.005", "71.15", "0.015",
                             f"{rng.randrange(40, 90)}.{rng.randrange(100):02d}"])
        for i in range(members):
            hours: Any = rng.choice([cap, cap + 1, cap - 0.5, rng.randrange(0, 3500), round(rng.uniform(0, 3000), 2),
                                     ""])
            rows.append({"sleutel": f"c{case:04d}", "clienten": clients if i == 0 else "",
                         "fte_niveau6": str(fte) if i == 0 else "", "uurtarief": tariff if i == 0 else "",
                         "nachtdienst": night if i == 0 else "", "uren_leden": hours})
    return rows
