"""Rule 10: the caseload of the specialised dementia case manager (gespecialiseerde casemanager dementie).

Source: CZ groep, Zorginkoopbeleid wijkverpleging 2027 (002_3d2709293215211c.txt), bijlage 1, § 1.5.2
"Casemanagement dementie", Voorwaarden aan de gespecialiseerde casemanager dementie: "heeft een caseload van
gemiddeld 50 tot 65 cliënten per fte". Both bounds are data (`parameters/data/cz/dementia_case_management.yaml`)
and both belong to the range ("50 tot 65" read inclusively: 50 and 65 themselves meet).

"Gemiddeld" is read as the average over the provider's specialised case managers: all their clients ÷ all
their fte. The fte that fits the clients runs from clients ÷ upper bound to clients ÷ lower bound, each
rounded half up to 2 decimals. The bounds are compared after rounding the difference to 9 decimals, as the
template does (a caseload of exactly 65 typed as 130 clients on 2 fte must meet on every surface).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ...money import round_money
from ...numbers import format_number
from ...parameters import load_topic, policy_year, quantity

WITHIN = "binnen de caseload"
BELOW = "onder de caseload"
ABOVE = "boven de caseload"


@dataclass(frozen=True)
class DementiaCaseload:
    """`caseload` = clients ÷ fte (unrounded); `position` one of WITHIN, BELOW, ABOVE; `fte_min`–`fte_max` the
    fte in which the clients fit the caseload, rounded half up to 2 decimals."""

    caseload: Decimal
    meets: bool
    position: str
    fte_min: Decimal
    fte_max: Decimal
    reason: str
    clients: int
    fte: Decimal
    caseload_min: Decimal
    caseload_max: Decimal
    year: int


def reason_text(position: str, low: Decimal, high: Decimal) -> str:
    """The Dutch reason; the template builds the same text in its formulas."""
    bounds = f"gemiddeld {format_number(low)} tot {format_number(high)} cliënten per fte"
    if position == WITHIN:
        return f"{WITHIN}: {bounds}"
    side = f"minder dan {format_number(low)}" if position == BELOW else f"meer dan {format_number(high)}"
    return f"{position}: {side} cliënten per fte (gevraagd: {bounds})"


def assess_dementia_caseload(clients: object, fte: object, *, year: object = None) -> DementiaCaseload:
    """Is the caseload of the specialised dementia case managers within the policy's range (bijlage 1,
    § 1.5.2)? `clients` is a whole number of clients, `fte` the case managers' fte (more than 0)."""
    year = policy_year(year)
    topic = load_topic("cz", "dementia_case_management")
    topic.check_year(year)
    low, high = topic.require_decimal("caseload_min", year), topic.require_decimal("caseload_max", year)
    count: int = quantity("count").read(clients, "clients")
    staff: Decimal = quantity("case_manager_fte").read(fte, "fte")
    if round_money(count - low * staff, 9) < 0:
        position = BELOW
    elif round_money(high * staff - count, 9) < 0:
        position = ABOVE
    else:
        position = WITHIN
    caseload = count / staff
    if caseload == caseload.to_integral_value():  # 100 ÷ 0,5 is Decimal('2E+2'): shown as 200
        caseload = Decimal(int(caseload))  # not quantize: it fails beyond 28 digits
    return DementiaCaseload(
        caseload=caseload, meets=position == WITHIN, position=position,
        fte_min=round_money(count / high), fte_max=round_money(count / low),
        reason=reason_text(position, low, high), clients=count, fte=staff, caseload_min=low, caseload_max=high,
        year=year,
    )


__all__ = ["ABOVE", "BELOW", "WITHIN", "DementiaCaseload", "assess_dementia_caseload", "reason_text"]
