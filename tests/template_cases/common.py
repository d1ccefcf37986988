"""What the seeded cases of several templates share: spellings as people type them."""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

Row = dict[str, Any]


def letters(rng: random.Random) -> str:
    return rng.choice("ABCDEFGHJKLMNPRSTVWXZ") + rng.choice("ABCDEFGHJKLMNPRSTVWXZ")


def spread(rng: random.Random, total: int, areas: int) -> list[int]:
    """`total` clients over `areas` areas, each area at least one client."""
    counts = [1] * areas
    for _ in range(total - areas):
        counts[rng.randrange(areas)] += 1
    return counts


# × 0.85 (0.1, 0.3, 12.3, 0.7) or × 0.9 (0.05, 0.15, 12.35, 1000.05) the exact amount ends in half a cent.


HALF_CENT_BUDGETS = ["0.1", "0.3", "12.3", "0.7", "0.05", "0.15", "12.35", "1000.05"]


def spelled(rng: random.Random, value: Decimal | int) -> str:
    """An amount as typed: half of the time as a Dutch export writes it (1.234,56), else with a point."""
    text = format(Decimal(value), "f")
    if rng.random() < 0.5:
        whole, _, cents = text.partition(".")
        return f"{int(whole):,}".replace(",", ".") + (f",{cents}" if cents else "")
    return text


def amount(rng: random.Random, low: int, high: int) -> str:
    """An amount with cents, spelled as `_spelled` does."""
    return spelled(rng, Decimal(rng.randrange(low * 100, high * 100)) / 100)
