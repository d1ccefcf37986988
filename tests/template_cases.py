"""Seeded INPUTS rows for the recalculation tests: random cases plus the boundaries that matter.

Boundaries: a ratio exactly at the threshold and one client short; 55 × fte exactly equal to the
clients; amounts whose exact product ends in half a cent; hours exactly at the ATW cap; empty
optional inputs; case and spacing variants of scores, postcodes and choices.
"""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

Row = dict[str, Any]


def _letters(rng: random.Random) -> str:
    return rng.choice("ABCDEFGHJKLMNPRSTVWXZ") + rng.choice("ABCDEFGHJKLMNPRSTVWXZ")


def cz_ratio(count: int, seed: int = 1) -> list[Row]:
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
            counts = _spread(rng, threshold * areas, areas)
        elif mode == 1:  # one client short of it
            counts = _spread(rng, max(areas, threshold * areas - 1), areas)
        else:
            counts = [rng.randrange(0, 9) for _ in range(areas)]
        entries: list[tuple[str, int]] = []
        for code, n in zip(codes, counts, strict=True):
            if rng.random() < 0.25 and n >= 2:  # one PC4 on two rows, as two full postcodes
                first = rng.randrange(1, n)
                entries += [(f"{code} {_letters(rng)}", first), (f"{code}{_letters(rng).lower()}", n - first)]
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


def _spread(rng: random.Random, total: int, areas: int) -> list[int]:
    """`total` clients over `areas` areas, each area at least one client."""
    counts = [1] * areas
    for _ in range(total - areas):
        counts[rng.randrange(areas)] += 1
    return counts


# × 0.85 (0.1, 0.3, 12.3, 0.7) or × 0.9 (0.05, 0.15, 12.35, 1000.05) the exact amount ends in half a cent.
HALF_CENT_BUDGETS = ["0.1", "0.3", "12.3", "0.7", "0.05", "0.15", "12.35", "1000.05"]


def staffel(count: int, seed: int = 2) -> list[Row]:
    rng = random.Random(seed)
    rows: list[Row] = []
    for case in range(count):
        s26 = rng.choice(["A", "B", "C", "", "a", " b ", "c"])
        points: Any = rng.choice(["", 0, 4, 4.99, 5, 5.0, 7.5, 12]) if "b" not in s26.lower() else rng.choice(
            [0, 4, 4.99, 5, 7.5])
        rows.append({
            "sleutel": f"s{case:04d}",
            "score_2026": s26,
            "score_2027": rng.choice(["A", "B", "C", "", "a"]),
            "kostenpunten": points,
            "plafondvrij": rng.choice(["nee"] * 6 + ["ja", "Ja", "NEE", ""]),
            "productieafspraak": rng.choice(["", "", 50_000, 100_000, "100000.01", 100_001, 2_500_000, 0]),
            "aanvullend_budget": (rng.choice(HALF_CENT_BUDGETS) if case % 2 == 0 else
                                  f"{rng.randrange(0, 5_000_000)}.{rng.randrange(0, 100):02d}"),
            "palliatief_terminaal": "ja" if case % 23 == 0 else "nee",
            "fusie_faillissement": "ja" if case % 29 == 0 else "",
        })
    return rows


def cooperatie(count: int, seed: int = 3) -> list[Row]:
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


def nachtzorg(count: int, seed: int = 4) -> list[Row]:
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


GENERATORS = {"cz_ratio": cz_ratio, "staffel": staffel, "cooperatie": cooperatie, "nachtzorg": nachtzorg}
