"""Seeded cases for templates/nachtzorg.xlsx."""

from __future__ import annotations

import random
from typing import Any

from .common import Row


def cases(count: int, seed: int = 4) -> list[Row]:
    rng = random.Random(seed)
    rows: list[Row] = []
    for case in range(count):
        def index() -> Any:
            return rng.choice([round(rng.uniform(-0.02, 0.08), 4), 0, round(rng.uniform(0, 0.06), 3)])
        row: Row = {"sleutel": f"n{case:04d}", "begroting": rng.randrange(0, 5_000_000) + rng.randrange(100) / 100,
                    "pers_voorlopig_t": index(), "mat_voorlopig_t": index(), "pers_voorlopig_t1": index(),
                    "mat_voorlopig_t1": index(), "pers_definitief_t1": index(), "mat_definitief_t1": index(),
                    "zvw_aandeel": rng.choice(["", 1, 0.85, "85%", round(rng.uniform(0, 1), 3), 0]),
                    "methode": rng.choice(["multiplicatief", "additief", "Additief", "multiplicative"])}
        if case % 5 == 0:  # factor 1 and a share of one half: 1000.01 × 0.5 = 500.005, half a cent
            row.update({k: 0 for k in row if k.startswith(("pers_", "mat_"))})
            row.update({"begroting": rng.choice(["1000.01", "0.01", "12.03", "999999.99"]), "zvw_aandeel": 0.5,
                        "methode": "additief"})
        rows.append(row)
    return rows
