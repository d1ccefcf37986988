"""Seeded cases for templates/eigen_levering.xlsx."""

from __future__ import annotations

import random
from typing import Any

from .common import Row, amount


def cases(count: int, seed: int = 6) -> list[Row]:
    """Own delivery per quarter. Boundaries: exactly 50 %, one hour below it, empty quarters, a
    cooperative (exempt), care in euros with cents."""
    rng = random.Random(seed)
    rows: list[Row] = []
    for case in range(count):
        mode = case % 4
        quarters = rng.sample(range(4), rng.randrange(1, 5))
        cooperative = "ja" if case % 11 == 0 else rng.choice(["nee", "", "NEE"])
        for quarter in range(4):
            if quarter not in quarters:
                values: list[Any] = ["", "", "", ""]
            elif mode == 0:  # exactly half by the provider itself (with its full subsidiaries)
                own, daughter = rng.randrange(0, 3000), rng.randrange(0, 500)
                zzp = rng.randrange(0, own + daughter + 1)
                values = [own, daughter, zzp, own + daughter - zzp]
            elif mode == 1:  # one hour short of half
                own, daughter = rng.randrange(1, 3000), rng.randrange(0, 500)
                zzp = rng.randrange(0, own + daughter + 1)
                values = [own, daughter, zzp, own + daughter - zzp + 2]
            else:
                values = [amount(rng, 0, 9000), rng.choice([0, amount(rng, 0, 800)]), amount(rng, 0, 5000),
                          amount(rng, 1, 5000)]
            rows.append({"sleutel": f"e{case:04d}", "cooperatie": cooperative if quarter == 0 else "",
                         "eigen": values[0], "volle_dochter": values[1], "zzp": values[2],
                         "onderaannemers": values[3]})
    return rows
