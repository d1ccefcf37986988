"""Seeded cases for templates/thuistechnologie.xlsx."""

from __future__ import annotations

import random

from .common import Row


def _typed(rng: random.Random, count: int) -> object:
    """A count as people type it: a number, a text, a Dutch thousands dot (1.250), spaces around."""
    choice = rng.random()
    if choice < 0.2:
        return str(count)
    if choice < 0.3 and count >= 1000:
        return f"{count:,}".replace(",", ".")
    if choice < 0.4:
        return f" {count} "
    return count


def cases(count: int, seed: int = 8) -> list[Row]:
    """Boundaries: exactly half (even G), exactly ⌈G/2⌉ and one below for odd G, no suitable clients
    (n.v.t.), every suitable client a user, none a user; large counts; the year empty, typed or as text."""
    rng = random.Random(seed)
    rows: list[Row] = []
    for case in range(count):
        mode = case % 6
        suitable = rng.choice([rng.randrange(1, 40), rng.randrange(40, 600), rng.randrange(1000, 20000)])
        needed = -(-suitable // 2)
        if mode == 0:  # exactly the minimum: half of an even G, the half rounded up of an odd one
            users = needed
        elif mode == 1:  # one client short
            users = needed - 1
        elif mode == 2:  # no suitable clients: n.v.t.
            suitable, users = 0, 0
        elif mode == 3:  # every suitable client, or none
            users = rng.choice([suitable, 0])
        else:
            users = rng.randrange(0, suitable + 1)
        rows.append({"sleutel": f"t{case:04d}", "jaar": rng.choice(["", "", 2027, "2027"]),
                     "geschikt": _typed(rng, suitable), "gebruikers": _typed(rng, users)})
    return rows
