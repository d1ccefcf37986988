"""Rule 6: at least half of the care is delivered by the provider itself (eigen levering).

Source: CZ groep, Zorginkoopbeleid wijkverpleging 2027 (002_3d2709293215211c.txt), bijlage 1, § 1.1
"Minimumeisen" ("levert ten minste 50% van de zorg zelf … uitzondering voor zorgcoöperaties die aan
§ 1.4 voldoen") and § 1.2 "Inzet van onderaannemers" (zzp'ers count as subcontractors, full subsidiaries
— volle dochters — do not; changes are reported per quarter; care by subcontractors not reported in
advance is not reimbursed). The minimum share is data (`parameters/data/cz/own_delivery.yaml`).

Own share = (own + full subsidiaries) ÷ (own + full subsidiaries + zzp'ers + other subcontractors), all in
the same unit (hours by default; euros work as well). Compared after rounding the difference to 9
decimals, as the template does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from ...choices import flag
from ...errors import InputError
from ...money import round_money
from ...numbers import percent_text
from ...parameters import load_topic, policy_year, quantity

QUARTERS = 4
EXEMPT_REASON = "n.v.t.: zorgcoöperaties die aan de eisen van bijlage 1, § 1.4 voldoen zijn uitgezonderd"


@dataclass(frozen=True)
class OwnDelivery:
    """`own_share` over the whole period (None for an exempt cooperative without figures);
    `quarter_shares` per quarter when quarters were given (None for an empty quarter)."""

    own_share: Decimal | None
    meets: bool
    applies: bool
    reason: str
    required_share: Decimal
    own_total: Decimal
    total: Decimal
    quarter_shares: tuple[Decimal | None, ...] = ()
    quarters_below: tuple[int, ...] = ()  # quarters (1-4) whose own share is below the minimum
    not_reimbursed: Decimal | None = None  # care by subcontractors not reported in advance
    year: int | None = None


_FIELDS = ("own", "full_subsidiary", "self_employed", "subcontractors")


def _periods(values: dict[str, object]) -> list[list[Decimal | None]]:
    """Per field, the values per period: one period (the year) or up to four quarters."""
    lists = {name: isinstance(v, Sequence) and not isinstance(v, str | bytes) for name, v in values.items()}
    if any(lists.values()) and not all(lists.values()):
        raise InputError("own: geef alle vier de soorten zorg als jaartotaal of alle vier per kwartaal",
                         field="own", value=None)
    care = quantity("care")
    if not any(lists.values()):
        return [[None if _empty(v) else care.read(v, name)] for name, v in values.items()]
    periods = []
    for name, raw in values.items():
        items = list(raw)  # type: ignore[call-overload]
        if len(items) > QUARTERS:
            raise InputError(f"{name}: {len(items)} kwartalen opgegeven, hoogstens {QUARTERS}", field=name,
                             value=len(items))
        items += [None] * (QUARTERS - len(items))
        periods.append([None if _empty(v) else care.read(v, f"{name} kwartaal {q}")
                        for q, v in enumerate(items, start=1)])
    return periods


def _empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _meets(own: Decimal, total: Decimal, required: Decimal) -> bool:
    return round_money(own - required * total, 9) >= 0


def assess_own_delivery(
    own: object,
    full_subsidiary: object,
    self_employed: object,
    subcontractors: object,
    *,
    cooperative: object = False,
    unreported: object = None,
    year: object = None,
) -> OwnDelivery:
    """Does the provider deliver at least the minimum share of the care itself (bijlage 1, § 1.1/1.2)?

    Each of the four amounts is a number (the year) or a list of up to four quarters (an empty quarter,
    all four empty, is skipped). `cooperative` True: a care cooperative that meets § 1.4 is exempt
    ("n.v.t.", not a failure). `unreported`: care by subcontractors not reported in advance, reported as
    not reimbursed.
    """
    year = policy_year(year)
    topic = load_topic("cz", "own_delivery")
    topic.check_year(year)
    required = topic.require_decimal("min_own_share", year)
    exempt = flag(cooperative, "cooperative")
    not_reimbursed = None if _empty(unreported) else quantity("care").read(unreported, "unreported")
    columns = _periods(dict(zip(_FIELDS, (own, full_subsidiary, self_employed, subcontractors), strict=True)))
    by_period = list(zip(*columns, strict=True))
    quarterly = len(by_period) > 1
    shares: list[Decimal | None] = []
    below: list[int] = []
    own_total = total = Decimal(0)
    for number, period in enumerate(by_period, start=1):
        where = f" in kwartaal {number}" if quarterly else ""
        if all(v is None for v in period):
            shares.append(None)
            continue
        if any(v is None for v in period):
            missing = _FIELDS[next(i for i, v in enumerate(period) if v is None)]
            raise InputError(f"{missing}: waarde ontbreekt{where} (vul 0 in als er geen zorg van deze soort is)",
                             field=missing, value=None, row=number if quarterly else None)
        values = [v for v in period if v is not None]
        period_own = values[0] + values[1]
        period_total = sum(values, Decimal(0))
        if period_total == 0 and not exempt:
            raise InputError(f"own: de totale zorg{where} is 0; het aandeel eigen levering is dan niet te bepalen",
                             field="own", value=0, row=number if quarterly else None)
        if period_total:
            shares.append(period_own / period_total)
            if not _meets(period_own, period_total, required):
                below.append(number)
        else:
            shares.append(None)
        own_total += period_own
        total += period_total
    if total == 0 and not exempt:
        raise InputError("own: geen zorg opgegeven; vul de zorg van ten minste één periode in", field="own",
                         value=None)
    share = own_total / total if total else None
    if exempt:
        meets, applies, reason = True, False, EXEMPT_REASON
    else:
        assert share is not None
        meets, applies = _meets(own_total, total, required), True
        # Parameter values only in the text (the share is a field): the template's formula gives the same.
        reason = (f"voldoet: ten minste {percent_text(required)} van de zorg door de zorgaanbieder zelf (met volle "
                  "dochters)" if meets else f"voldoet niet: minder dan {percent_text(required)} van de zorg door de "
                  "zorgaanbieder zelf (met volle dochters)")
    return OwnDelivery(
        own_share=share, meets=meets, applies=applies, reason=reason, required_share=required, own_total=own_total,
        total=total, quarter_shares=tuple(shares) if quarterly else (), quarters_below=tuple(below) if quarterly
        else (), not_reimbursed=not_reimbursed, year=year,
    )


__all__ = ["OwnDelivery", "assess_own_delivery"]
