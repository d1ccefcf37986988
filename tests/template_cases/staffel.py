"""Seeded cases for templates/staffel.xlsx."""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

from .common import HALF_CENT_BUDGETS, Row, spelled


def cases(count: int, seed: int = 2) -> list[Row]:
    rng = random.Random(seed)
    rows: list[Row] = []
    for case in range(count):
        score_vorig = rng.choice(["A", "B", "C", "", "a", " b ", "c"])
        points: Any = rng.choice(["", 0, 4, 4.99, 5, 5.0, 7.5, 12]) if "b" not in score_vorig.lower() else rng.choice(
            [0, 4, 4.99, "4,99", 5, 7.5, "7,5"])
        rows.append({
            "sleutel": f"s{case:04d}",
            "score_vorig_jaar": score_vorig,
            "score_contractjaar": rng.choice(["A", "B", "C", "", "a"]),
            "kostenpunten": points,
            "plafondvrij": rng.choice(["nee"] * 6 + ["ja", "Ja", "NEE", ""]),
            "productieafspraak": rng.choice(["", "", 50_000, 100_000, "100000.01", 100_001, 2_500_000, 0]),
            # Spelled as a Dutch export or with a point (SPEC "Numbers as typed"): 1.234.567,89 and 1234567.89.
            "aanvullend_budget": spelled(rng, Decimal(rng.choice(HALF_CENT_BUDGETS)) if case % 2 == 0 else
                                          Decimal(rng.randrange(0, 500_000_000)) / 100),
            "palliatief_terminaal": "ja" if case % 23 == 0 else "nee",
            "fusie_faillissement": "ja" if case % 29 == 0 else "",
        })
    return rows
