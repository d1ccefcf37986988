"""Rule 11: the share of a provider's care inside CZ's kernwerkgebied, and what it means for the ratio.

Source: CZ groep, Zorginkoopbeleid wijkverpleging 2027, bijlage 1, § 1.1 Minimumeisen ("De zorgaanbieder
levert in onze kernwerkgebieden per 4-cijferig postcodegebied gemiddeld aan ten minste 3 CZ-cliënten zorg.
Uitzonderingen hierop zijn de (medische) kindzorg en zorgaanbieders die (het merendeel van hun) zorg
leveren buiten het kernwerkgebied van CZ groep"), and § 3.2.1 for a new provider.

The policy does not list the kernwerkgebied: the user gives it, as PC4 codes and ranges (`parse_core_areas`).
Share inside = the care with a PC4 in the list ÷ all care, measured in euros when the claims have amounts,
else in claim lines. Below the minimum share (data: `parameters/data/cz/core_area.yaml`, "het merendeel":
more than half) most care is outside, and rule 1 does not apply (exemption `buiten_kernwerkgebied`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from ...errors import InputError, show_value
from ...numbers import percent_text
from ...parameters import load_topic, policy_year
from ...postcode import to_pc4

MEASURES = ("bedrag", "regels")  # euros when the claims have amounts, else claim lines
_RANGE = re.compile(r"^\s*(\S+)\s*[-–]\s*(\S+)\s*$")
MAX_LINES = 100_000  # far more than the 4-digit postcodes there are: a longer list is not a list of areas


@dataclass(frozen=True)
class CoreAreas:
    """The kernwerkgebied as PC4 codes (numbers 1000-9999)."""

    pc4: frozenset[int]

    def __contains__(self, pc4: object) -> bool:
        return pc4 in self.pc4

    def __len__(self) -> int:
        return len(self.pc4)


def parse_core_areas(lines: Iterable[tuple[int, object]], *, where: str = "kernwerkgebied") -> CoreAreas:
    """The kernwerkgebied from numbered entries (line or row number, value): a PC4 (`5611`, or a postcode
    `5611 AB`, of which the PC4 counts) or a range of PC4s (`4800-4899`, both ends included). InputError
    naming the line and value for anything else: not a PC4, a range whose end is below its start, no entry."""
    found: set[int] = set()
    for number, value in _numbered(lines, where):
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        if number > MAX_LINES:
            raise InputError(f"{where}: meer dan {MAX_LINES} regels; een kernwerkgebied is een lijst van "
                             "postcodegebieden", field="core_areas", row=number, value=None)
        text = value.strip() if isinstance(value, str) else value
        # A range has a dash; `5611 AB` is one postcode, of which the PC4 counts.
        bounds = _RANGE.match(text) if isinstance(text, str) and ("-" in text or "–" in text) else None
        if bounds:
            low, high = (int(_pc4(b, where, number, value)) for b in bounds.groups())
            if high < low:
                raise InputError(f"{where}, regel {number}: {show_value(value)} is een omgekeerd bereik (van hoog "
                                 "naar laag); schrijf het laagste nummer eerst", field="core_areas", row=number,
                                 value=value)
            found.update(range(low, high + 1))
        else:
            found.add(int(_pc4(text, where, number, value)))
    if not found:
        raise InputError(f"{where}: geen enkel postcodegebied (verwacht een PC4 of een bereik als 4800-4899 per "
                         "regel)", field="core_areas", value=None)
    return CoreAreas(frozenset(found))


def _numbered(lines: object, where: str) -> Iterator[tuple[int, object]]:
    """The entries as (line number, value) pairs; an InputError for anything else a caller might pass."""
    if isinstance(lines, str | bytes) or not isinstance(lines, Iterable):
        raise InputError(f"{where}: verwacht een lijst van (regelnummer, waarde)-paren, niet {show_value(lines)}",
                         field="core_areas", value=lines)
    for entry in lines:
        if not (isinstance(entry, tuple) and len(entry) == 2 and type(entry[0]) is int):
            raise InputError(f"{where}: {show_value(entry)} is geen (regelnummer, waarde)-paar", field="core_areas",
                             value=entry)
        yield entry


def _pc4(value: object, where: str, number: int, shown: object) -> str:
    try:
        return to_pc4(value)
    except InputError:
        raise InputError(f"{where}, regel {number}: {show_value(shown)} is geen PC4 of bereik (verwacht bijvoorbeeld "
                         "5611 of 4800-4899)", field="core_areas", row=number, value=shown) from None


@dataclass(frozen=True)
class CoreAreaShare:
    """One provider's care inside the kernwerkgebied: `inside` and `total` in the `measure` ("bedrag": euros,
    "regels": claim lines); `share_inside` None when there is no care at all."""

    inside: Decimal
    total: Decimal
    measure: str
    share_inside: Decimal | None
    majority_outside: bool
    min_share: Decimal
    year: int
    reason: str
    note: str = ""  # why claims were counted in lines, where they had amounts (set by toolkit.claims)


def assess_core_area_share(inside: object, total: object, *, measure: str = "regels",
                           year: object = None) -> CoreAreaShare:
    """Whether most of a provider's care lies outside the kernwerkgebied: its share inside below the minimum.

    `inside` and `total` are euros (`measure="bedrag"`; credit lines may make a sum smaller, but a share is
    only given for a positive total) or claim lines (`"regels"`: whole, 0 <= inside <= total)."""
    if measure not in MEASURES:
        raise InputError(f"measure: {show_value(measure)} is onbekend (verwacht bedrag of regels)", field="measure",
                         value=measure)
    topic = load_topic("cz", "core_area")
    chosen = topic.check_year(policy_year(year))
    minimum = topic.require_decimal("min_share_inside", chosen)
    inside_d, total_d = _number(inside, "inside"), _number(total, "total")
    if measure == "regels" and not (inside_d == inside_d.to_integral_value() and 0 <= inside_d <= total_d):
        raise InputError(f"inside: {show_value(inside)} van {show_value(total)} regels is geen deel (verwacht een "
                         "geheel aantal van 0 tot en met het totaal)", field="inside", value=inside)
    if total_d <= 0:
        return CoreAreaShare(inside_d, total_d, measure, None, False, minimum, chosen,
                             "geen zorg die meetelt (CZ groep, het declaratiejaar, zonder kindzorg): niet te zeggen "
                             "waar het merendeel ligt")
    share = inside_d / total_d
    outside = share < minimum
    unit = "in euro" if measure == "bedrag" else "in declaratieregels"
    reason = (f"{percent_text(shown_share(share))} van de zorg ({unit}) binnen het kernwerkgebied: "
              f"het merendeel {'buiten' if outside else 'binnen'} het kernwerkgebied")
    return CoreAreaShare(inside_d, total_d, measure, share, outside, minimum, chosen, reason)


def shown_share(share: Decimal) -> Decimal:
    """The share to one decimal of a percent, rounded down: 49,996 % shows as 49,9 %, never as the 50 % it
    falls short of (the verdict is taken on the exact share)."""
    return share.quantize(Decimal("0.001"), rounding=ROUND_FLOOR)


def _number(value: object, field: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise InputError(f"{field}: {show_value(value)} is geen getal", field=field, value=value)
    return Decimal(value)


__all__ = ["MEASURES", "CoreAreaShare", "CoreAreas", "assess_core_area_share", "parse_core_areas", "shown_share"]
