"""Rule 8: home-care technology (thuiszorgtechnologie) for at least half of the clients for whom it is suitable.

Source: CZ groep, Zorginkoopbeleid wijkverpleging 2027 (002_3d2709293215211c.txt), § 2.3.6 "Digitale zorg en
AI": CZ groep expects "dat zorgaanbieders thuiszorgtechnologie inzetten bij minimaal 50% van hun populatie
voor wie dit geschikt is"; when a goal is not met, "dat de zorgaanbieder een concreet en uitvoerbaar plan
van aanpak opstelt". The minimum share is data (`parameters/data/cz/home_technology.yaml`).

Share = clients using technology ÷ clients for whom it is suitable; "minimaal" is >= on the unrounded share.
Which clients are suitable, and on which reference date they are counted, is the provider's own judgement
(the policy leaves it to the indicating nurse): both counts are inputs. No suitable clients: the requirement
has nothing to apply to ("n.v.t."), which is not a failure.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from ...errors import InputError, show_value
from ...money import round_money
from ...numbers import format_number, percent_text
from ...parameters import load_topic, policy_year, quantity

NO_SUITABLE_CLIENTS = "n.v.t.: geen cliënten voor wie thuiszorgtechnologie geschikt is"
ACTION_PLAN = "plan van aanpak verwacht"


@dataclass(frozen=True)
class TechnologyShare:
    """`share` is None when no client is suitable (then `applies` is False and `meets` True, as an
    exemption is no failure). `required_users` = the minimum share × the suitable clients, rounded up;
    `clients_short` = how many more clients must use technology to meet the minimum (0 when met)."""

    share: Decimal | None
    meets: bool
    applies: bool
    clients_short: int
    reason: str
    suitable: int
    using: int
    required_share: Decimal
    required_users: int
    year: int


def reason_text(required: Decimal, *, applies: bool, meets: bool) -> str:
    """The Dutch reason; the template builds the same text in its formulas."""
    if not applies:
        return NO_SUITABLE_CLIENTS
    if meets:
        return (f"voldoet: thuiszorgtechnologie bij ten minste {percent_text(required)} van de cliënten voor wie die "
                "geschikt is")
    return (f"voldoet niet: thuiszorgtechnologie bij minder dan {percent_text(required)} van de cliënten voor wie "
            f"die geschikt is; {ACTION_PLAN}")


def assess_technology_share(suitable: object, using: object, *, year: object = None) -> TechnologyShare:
    """Does the provider use home-care technology for at least the minimum share of the clients for whom it
    is suitable (§ 2.3.6)? Both counts are whole numbers of clients; `using` cannot exceed `suitable`."""
    year = policy_year(year)
    topic = load_topic("cz", "home_technology")
    topic.check_year(year)
    required = topic.require_decimal("min_share", year)
    count = quantity("count")
    suitable_clients: int = count.read(suitable, "suitable")
    users: int = count.read(using, "using")
    if users > suitable_clients:
        raise InputError(f"using: {show_value(using)} is meer dan het aantal cliënten voor wie thuiszorgtechnologie "
                         f"geschikt is ({format_number(suitable_clients)}); de gebruikers zijn een deel van hen",
                         field="using", value=using)
    # Compared after rounding the difference to 9 decimals, as the template does (exact here: counts and
    # a share with few decimals; the rounding only matters for a share like 1/3 in an overlay).
    required_users = math.ceil(round_money(required * suitable_clients, 9))
    applies = suitable_clients > 0
    meets = round_money(users - required * suitable_clients, 9) >= 0
    return TechnologyShare(
        share=Decimal(users) / suitable_clients if applies else None,
        meets=meets, applies=applies, clients_short=max(0, required_users - users),
        reason=reason_text(required, applies=applies, meets=meets),
        suitable=suitable_clients, using=users, required_share=required, required_users=required_users, year=year,
    )


__all__ = ["ACTION_PLAN", "NO_SUITABLE_CLIENTS", "TechnologyShare", "assess_technology_share", "reason_text"]
