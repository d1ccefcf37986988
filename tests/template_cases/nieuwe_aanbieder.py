"""Seeded cases for templates/nieuwe_aanbieder.xlsx."""

from __future__ import annotations

import datetime as dt
import random

from .common import Row, letters, spelled, spread

MONTH_NAMES = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
               "november", "december")
# The days that matter: either side of the window (1 December 2026 t/m 28 February 2027), and the ends of
# months whose day the answer date (two months later) does not have.
EDGES = [dt.date(2026, 11, 30), dt.date(2026, 12, 1), dt.date(2027, 2, 28), dt.date(2027, 3, 1),
         dt.date(2026, 12, 29), dt.date(2026, 12, 30), dt.date(2026, 12, 31), dt.date(2027, 1, 31),
         dt.date(2026, 10, 31), dt.date(2027, 1, 29)]
YES = ["ja", "JA", "Ja ", "j", "waar", "1", "true"]
NO = ["nee", "Nee", "n", "onwaar", "0", ""]


def typed(rng: random.Random, day: dt.date) -> str:
    """A date as people type it: day first in any separator and padding, ISO, or written out."""
    form = rng.randrange(6)
    if form == 0:
        return f"{day.day:02d}-{day.month:02d}-{day.year}"
    if form == 1:
        return f"{day.day}-{day.month}-{day.year}"
    if form == 2:
        return day.isoformat()
    if form == 3:
        return f"{day.day}/{day.month:02d}/{day.year}"
    if form == 4:
        return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"
    return f"{day.day} {MONTH_NAMES[day.month - 1][:3]}. {day.year}"


def _counts(rng: random.Random, mode: int) -> list[int]:
    """Clients per area: exactly 3 per area, one client short, halves that round up (2,875 over 8 areas,
    1,005 over 200), areas with 0 clients, or anything."""
    areas = rng.randrange(1, 30)
    if mode == 0:
        return spread(rng, 3 * areas, areas)
    if mode == 1:
        return spread(rng, max(areas, 3 * areas - 1), areas)
    if mode == 2:
        total, areas = rng.choice([(23, 8), (21, 8), (9, 8), (15, 8), (46, 16), (69, 24), (201, 200), (575, 200)])
        return spread(rng, total, areas)
    if mode == 3:
        return [rng.randrange(0, 3) for _ in range(areas)]
    return [rng.randrange(0, 9) for _ in range(areas)]


def cases(count: int, seed: int = 9) -> list[Row]:
    rng = random.Random(seed)
    rows: list[Row] = []
    for case in range(count):
        key = f"n{case:04d}"
        day = EDGES[case % len(EDGES)] if case % 3 == 0 else (
            dt.date(2026, 10, 1) + dt.timedelta(days=rng.randrange(0, 212)))
        turnover = rng.choice(["50000", "50.000", "€ 50.000,00", "49.999,99", "49999.99",
                               spelled(rng, rng.randrange(0, 400_000))])
        core = case % 2 == 0
        rejected = case % 5 == 0
        scalars = {
            "jaar": rng.choice(["", 2027]), "inschrijfdatum": typed(rng, day), "verwachte_omzet": turnover,
            "eerder_ingeschreven": rng.choice(YES) if case % 7 == 0 else rng.choice(NO),
            "kernwerkgebied": rng.choice(YES) if core else rng.choice(NO),
            "afgewezen_vorig_jaar": rng.choice(YES) if rejected else rng.choice(NO),
            "ontwikkeling_aangetoond": rng.choice(YES + NO),
        }
        if core or rng.random() < 0.3:  # outside the kernwerkgebied, postcodes are shown but not judged
            counts = _counts(rng, case % 5)
            codes = rng.sample(range(1000, 10000), len(counts))
            entries = [(f"{code} {letters(rng)}" if rng.random() < 0.2 else str(code), n)
                       for code, n in zip(codes, counts, strict=True)]
        else:
            entries = [("", "")]
        for i, (postcode, n) in enumerate(entries):
            rows.append({"sleutel": key, **{k: (v if i == 0 else "") for k, v in scalars.items()},
                         "postcodes": postcode, "clienten": n})
    # One case filling all 500 rows of the template.
    codes = rng.sample(range(1000, 10000), 500)
    for i in range(500):
        first = i == 0
        rows.append({"sleutel": "groot", "jaar": 2027 if first else "", "inschrijfdatum": "1-12-2026" if first else "",
                     "verwachte_omzet": "2.500.000" if first else "", "eerder_ingeschreven": "",
                     "kernwerkgebied": "ja" if first else "", "afgewezen_vorig_jaar": "",
                     "ontwikkeling_aangetoond": "", "postcodes": str(codes[i]), "clienten": rng.randrange(2, 6)})
    return rows
