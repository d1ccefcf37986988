"""Seeded cases for templates/cz_ratio.xlsx."""

from __future__ import annotations

import random

from .common import Row, letters, spread


def cases(count: int, seed: int = 1) -> list[Row]:
    rng = random.Random(seed)
    rows: list[Row] = []
    for case in range(count):
        key = f"r{case:04d}"
        year = rng.choice([2025, 2026, 2027])
        kind = rng.choice(["bestaand", "nieuw", "Bestaand", "existing"])
        areas = rng.randrange(1, 25)
        codes = rng.sample(range(1000, 10000), areas)
        threshold = {(2025, "n"): 3, (2026, "b"): 2, (2026, "n"): 3, (2027, "b"): 3, (2027, "n"): 3}.get(
            (year, "n" if kind in {"nieuw"} else "b"), 3)
        mode = case % 4
        if mode == 0:  # exactly at the threshold
            counts = spread(rng, threshold * areas, areas)
        elif mode == 1:  # one client short of it
            counts = spread(rng, max(areas, threshold * areas - 1), areas)
        else:
            counts = [rng.randrange(0, 9) for _ in range(areas)]
        entries: list[tuple[str, int]] = []
        for code, n in zip(codes, counts, strict=True):
            if rng.random() < 0.25 and n >= 2:  # one PC4 on two rows, as two full postcodes
                first = rng.randrange(1, n)
                entries += [(f"{code} {letters(rng)}", first), (f"{code}{letters(rng).lower()}", n - first)]
            else:
                entries.append((str(code) if rng.random() < 0.8 else f" {code} ", n))
        rng.shuffle(entries)
        for i, (postcode, n) in enumerate(entries):
            rows.append({"sleutel": key, "jaar": year if i == 0 else "", "soort": kind if i == 0 else "",
                         "postcodes": postcode, "clienten": n})
    # One case filling all 2,000 rows of the template.
    codes = rng.sample(range(1000, 10000), 1500)
    for i in range(2000):
        rows.append({"sleutel": "groot", "jaar": 2027 if i == 0 else "", "soort": "bestaand" if i == 0 else "",
                     "postcodes": str(codes[i % 1500]), "clienten": rng.randrange(0, 6)})
    return rows
