"""Seeded cases for templates/plafond.xlsx."""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

from .common import Row, spelled


def cases(count: int, seed: int = 5) -> list[Row]:
    """Ceiling forecasts. Boundaries: exactly 80 % before 1 October, the ceiling reached exactly in
    December, exactly in another month, every month known, one month known, seasonal profiles."""
    rng = random.Random(seed)
    rows: list[Row] = []
    for case in range(count):
        mode = case % 6
        method = rng.choice(["lineair", "lineair", "seizoen", "Seizoen", "linear"])
        profile = [rng.randrange(60_000, 140_000) for _ in range(12)]
        if mode == 0:  # exactly 80 % before 1 October: nine months of a, ceiling 9a ÷ 0,8
            a = rng.randrange(1, 200) * 4_000
            known, production, ceiling, method = rng.randrange(1, 10), [], Decimal(9 * a) / Decimal("0.8"), "lineair"
            production = [a] * known
        elif mode == 1:  # reached exactly in December: the year's forecast equals the ceiling
            a = rng.randrange(1, 200) * 1_000
            known, method = rng.randrange(1, 12), "lineair"
            production, ceiling = [a] * known, Decimal(12 * a)
        elif mode == 2:  # every month known; the ceiling equal to the cumulative of a month
            production = [rng.randrange(50_000, 150_000) for _ in range(12)]
            known = 12
            ceiling = Decimal(sum(production[:rng.randrange(1, 13)]))
        else:
            known = rng.randrange(1, 13)
            production = [Decimal(rng.randrange(2_000_000, 16_000_000)) / 100 for _ in range(known)]
            ceiling = Decimal(rng.randrange(300_000, 2_000_000))
        score_vorig = rng.choice(["A", "B", "C", "", "b"])
        points: Any = rng.choice([4, 5, 6, 4.99, 7.5]) if score_vorig.upper() == "B" else rng.choice(["", 3])
        for month in range(12):
            value = production[month] if month < known else ""
            rows.append({
                "sleutel": f"p{case:04d}",
                "plafond": spelled(rng, ceiling) if month == 0 else "",
                "methode": method if month == 0 else "",
                "score_vorig_jaar": score_vorig if month == 0 else "",
                "score_contractjaar": rng.choice(["A", "", "B"]) if month == 0 else "",
                "kostenpunten": points if month == 0 else "",
                "plafondvrij": (rng.choice(["nee"] * 8 + ["ja"])) if month == 0 else "",
                "productieafspraak": rng.choice(["", 80_000, "100.000", 2_500_000]) if month == 0 else "",
                "productie": "" if value == "" else spelled(rng, value),
                "vorig_jaar": profile[month],
            })
    return rows
