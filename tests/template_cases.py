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
            [0, 4, 4.99, "4,99", 5, 7.5, "7,5"])
        rows.append({
            "sleutel": f"s{case:04d}",
            "score_2026": s26,
            "score_2027": rng.choice(["A", "B", "C", "", "a"]),
            "kostenpunten": points,
            "plafondvrij": rng.choice(["nee"] * 6 + ["ja", "Ja", "NEE", ""]),
            "productieafspraak": rng.choice(["", "", 50_000, 100_000, "100000.01", 100_001, 2_500_000, 0]),
            # Spelled as a Dutch export or with a point (SPEC "Numbers as typed"): 1.234.567,89 and 1234567.89.
            "aanvullend_budget": _spelled(rng, Decimal(rng.choice(HALF_CENT_BUDGETS)) if case % 2 == 0 else
                                          Decimal(rng.randrange(0, 500_000_000)) / 100),
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


def _spelled(rng: random.Random, value: Decimal | int) -> str:
    """An amount as typed: half of the time as a Dutch export writes it (1.234,56), else with a point."""
    text = format(Decimal(value), "f")
    if rng.random() < 0.5:
        whole, _, cents = text.partition(".")
        return f"{int(whole):,}".replace(",", ".") + (f",{cents}" if cents else "")
    return text


def _amount(rng: random.Random, low: int, high: int) -> str:
    """An amount with cents, spelled as `_spelled` does."""
    return _spelled(rng, Decimal(rng.randrange(low * 100, high * 100)) / 100)


def plafond(count: int, seed: int = 5) -> list[Row]:
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
        s26 = rng.choice(["A", "B", "C", "", "b"])
        points: Any = rng.choice([4, 5, 6, 4.99, 7.5]) if s26.upper() == "B" else rng.choice(["", 3])
        for month in range(12):
            value = production[month] if month < known else ""
            rows.append({
                "sleutel": f"p{case:04d}",
                "plafond": _spelled(rng, ceiling) if month == 0 else "",
                "methode": method if month == 0 else "",
                "score_2026": s26 if month == 0 else "",
                "score_2027": rng.choice(["A", "", "B"]) if month == 0 else "",
                "kostenpunten": points if month == 0 else "",
                "plafondvrij": (rng.choice(["nee"] * 8 + ["ja"])) if month == 0 else "",
                "productieafspraak": rng.choice(["", 80_000, "100.000", 2_500_000]) if month == 0 else "",
                "productie": "" if value == "" else _spelled(rng, value),
                "vorig_jaar": profile[month],
            })
    return rows


def eigen_levering(count: int, seed: int = 6) -> list[Row]:
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
                values = [_amount(rng, 0, 9000), rng.choice([0, _amount(rng, 0, 800)]), _amount(rng, 0, 5000),
                          _amount(rng, 1, 5000)]
            rows.append({"sleutel": f"e{case:04d}", "cooperatie": cooperative if quarter == 0 else "",
                         "eigen": values[0], "volle_dochter": values[1], "zzp": values[2],
                         "onderaannemers": values[3]})
    return rows


GENERATORS = {"cz_ratio": cz_ratio, "staffel": staffel, "cooperatie": cooperatie, "nachtzorg": nachtzorg,
              "plafond": plafond, "eigen_levering": eigen_levering}
