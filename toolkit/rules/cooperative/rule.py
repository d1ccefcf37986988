"""Rule 3: care cooperatives (zorgcoöperaties): nurse-to-client ratio and maximum budget.

Source: CZ groep, Zorginkoopbeleid wijkverpleging 2027 (002_3d2709293215211c.txt), § 3.2.2
"Zorgcoöperaties" (turnover ceiling from a maximum budget per member, with the Arbeidstijdenwet as
guideline) and bijlage 1, § 1.4 "Aanvullende eisen voor zorgcoöperaties" ("minimaal 1 fte hbo-bachelor
opgeleide verpleegkundige (niveau 6) op [een aantal] cliënten"; "maximumomzet per zzp'er en/of
onderaannemer"). Every number of the rule is data (`parameters/data/cz/cooperative.yaml`).

Default reading `proportional`: meets when fte × clients-per-FTE >= clients, the product rounded to 9
decimals first (SPEC 3: as the templates compare, so 0.999999999995 FTE answers the same everywhere).
Alternative `per_started_55` (SPEC's name; the group size is the parameter, 55 in 2027): every started group
of clients needs a whole FTE.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from ...choices import choose, flag
from ...errors import InputError
from ...money import round_money
from ...numbers import format_number
from ...parameters import Topic, load_topic, policy_year, quantity

# The readings of SPEC 3 (English or Dutch) -> the canonical name, SPEC's own.
READINGS = {"proportional": "proportional", "proportioneel": "proportional",
            "per_started_55": "per_started_55", "per_begonnen_groep": "per_started_55",
            "per_started_group": "per_started_55"}


@dataclass(frozen=True)
class CooperativeAssessment:
    clients: int
    level6_fte: Decimal
    required_fte: Decimal
    shortfall_fte: Decimal
    max_clients: int
    meets: bool
    reading: str


@dataclass(frozen=True)
class MaxTurnover:
    """`capped_hours` per member (in input order); `max_turnover` rounded to cents."""

    capped_hours: tuple[Decimal, ...]
    total_capped_hours: Decimal
    max_hours_per_member: Decimal
    members_capped: int
    hourly_tariff: Decimal
    max_turnover: Decimal
    night: bool


@dataclass(frozen=True)
class WorkingTimeViolation:
    week: int  # 1-based
    shift: int | None  # 1-based within the week; None for a weekly or 16-week limit
    hours: Decimal
    limit: Decimal
    message: str


def reading_name(reading: object) -> str:
    return choose(reading, READINGS, field="reading", label="lezing",
                  expected="'proportional'/'proportioneel' of 'per_started_55'/'per_begonnen_groep'")


def _topic(year: object) -> tuple[Topic, int]:
    year = policy_year(year)
    topic = load_topic("cz", "cooperative")
    return topic, topic.check_year(year)


def assess_cooperative(
    clients: object, level6_fte: object, *, reading: object = "proportional", year: object = None
) -> CooperativeAssessment:
    """Check the nurse-to-client requirement: 1 FTE niveau 6 per a number of clients (bijlage 1, § 1.4)."""
    topic, year = _topic(year)
    per_fte = topic.require_decimal("clients_per_level6_fte", year)
    count = quantity("count").read(clients, "clients")
    fte = quantity("fte").read(level6_fte, "level6_fte")
    kind = reading_name(reading)
    capacity = round_money(fte * per_fte, 9)  # clients the FTE can serve, as the template rounds it
    if kind == "per_started_55":
        required = Decimal(math.ceil(Decimal(count) / per_fte))
        meets = round_money(fte, 9) >= required  # FTE rounded as in the proportional reading: one answer
    else:
        required = Decimal(count) / per_fte
        meets = capacity >= count
    shortfall = Decimal(0) if meets else required - fte
    return CooperativeAssessment(
        clients=count,
        level6_fte=fte,
        required_fte=required,
        shortfall_fte=shortfall,
        max_clients=math.floor(capacity),
        meets=meets,
        reading=kind,
    )


def fte_from_weekly_hours(weekly_hours: object, *, year: object = None) -> Decimal:
    """FTE = weekly hours ÷ the full-time week of the CAO VVT (a parameter)."""
    topic, year = _topic(year)
    full_time = topic.require_decimal("fulltime_week_hours", year)
    hours: Decimal = quantity("hours_per_week").read(weekly_hours, "weekly_hours")
    return hours / full_time


def max_hours_per_year(*, night: object = False, year: object = None) -> Decimal:
    """Arbeidstijdenwet as guideline: the average weekly maximum (lower for night workers) × weeks a year."""
    topic, year = _topic(year)
    weekly = topic.require_decimal("atw_avg_week_hours_night" if flag(night, "night") else "atw_avg_week_hours",
                                   year)
    return weekly * topic.require_decimal("weeks_per_year", year)


def cooperative_max_turnover(
    member_hours: Iterable[object],
    hourly_tariff: object,
    *,
    night: object = False,
    year: object = None,
) -> MaxTurnover:
    """Maximum turnover = Σ (each member's yearly hours capped at the ATW maximum) × hourly tariff.

    The hourly tariff is the user's own estimate; the policy (3.2.2) fixes only the hours guideline.
    """
    at_night = flag(night, "night")
    cap = max_hours_per_year(night=at_night, year=year)
    tariff = quantity("money").read(hourly_tariff, "hourly_tariff")
    hours_quantity = quantity("hours_per_year")
    if isinstance(member_hours, str | bytes) or not isinstance(member_hours, Iterable):
        raise InputError("member_hours: verwacht een lijst met uren per lid", field="member_hours",
                         value=member_hours)
    # A member list can be a 100,000-row Excel range with few distinct values: each distinct float is
    # read and capped once (floats only, so True is never mistaken for the cached 1.0). Empty cells
    # (None, blank text) are no members; rows are counted with them, as the range shows them.
    seen: dict[float, Decimal] = {}
    capped_list: list[Decimal] = []
    members_capped = 0
    for i, h in enumerate(member_hours, start=1):
        if h is None or (isinstance(h, str) and not h.strip()):
            continue
        value = seen.get(h) if type(h) is float else None
        if value is None:
            value = hours_quantity.read(h, "member_hours", row=i)
            if type(h) is float:
                seen[h] = value
        if value > cap:
            members_capped += 1
            value = cap
        capped_list.append(value)
    capped = tuple(capped_list)
    total = sum(capped, Decimal(0))
    return MaxTurnover(
        capped_hours=capped,
        total_capped_hours=total,
        max_hours_per_member=cap,
        members_capped=members_capped,
        hourly_tariff=tariff,
        max_turnover=round_money(total * tariff),
        night=at_night,
    )


def check_working_time(
    weeks: Sequence[Sequence[object]], *, night: object = False, year: object = None
) -> tuple[WorkingTimeViolation, ...]:
    """Check one member's schedule against the ATW limits the policy takes as guideline.

    `weeks` is a list of weeks, each the list of shift lengths in hours. Checked: at most 12 h per
    shift, 60 h in any week, and on average 48 h (40 h with night shifts) over every 16 weeks
    (rolling; a schedule shorter than 16 weeks is averaged over its own length).
    """
    topic, year = _topic(year)
    max_shift = topic.require_decimal("atw_max_shift_hours", year)
    max_week = topic.require_decimal("atw_max_week_hours", year)
    average = topic.require_decimal("atw_avg_week_hours_night" if flag(night, "night") else "atw_avg_week_hours",
                                    year)
    span = topic.integer("atw_average_weeks", year)
    shift_hours = quantity("shift_hours")
    violations: list[WorkingTimeViolation] = []
    totals: list[Decimal] = []
    if isinstance(weeks, str | bytes) or not isinstance(weeks, Sequence):
        raise InputError("weeks: verwacht een lijst van weken, elk een lijst met diensten in uren", field="weeks",
                         value=weeks)
    for w, shifts in enumerate(weeks, start=1):
        if isinstance(shifts, str | bytes) or not isinstance(shifts, Sequence):
            raise InputError(f"week {w}: verwacht een lijst met diensten in uren", field="weeks", value=shifts,
                             row=w)
        week_total = Decimal(0)
        for s, raw in enumerate(shifts, start=1):
            hours = shift_hours.read(raw, f"week {w}, dienst {s}")
            week_total += hours
            if hours > max_shift:
                violations.append(WorkingTimeViolation(
                    w, s, hours, max_shift,
                    f"week {w}, dienst {s}: {format_number(hours)} uur, maximaal {format_number(max_shift)}"))
        totals.append(week_total)
        if week_total > max_week:
            violations.append(WorkingTimeViolation(
                w, None, week_total, max_week,
                f"week {w}: {format_number(week_total)} uur, maximaal {format_number(max_week)}"))
    window = min(span, len(totals))
    if not window:
        return tuple(violations)  # no weeks, nothing to average
    for end in range(window, len(totals) + 1):
        mean = sum(totals[end - window:end], Decimal(0)) / window
        if mean > average:
            violations.append(WorkingTimeViolation(
                end, None, mean, average,
                f"weken {end - window + 1}-{end}: gemiddeld {format_number(mean, 2)} uur per week, maximaal "
                f"{format_number(average)}"))
    return tuple(violations)


__all__ = [
    "CooperativeAssessment",
    "MaxTurnover",
    "WorkingTimeViolation",
    "assess_cooperative",
    "check_working_time",
    "cooperative_max_turnover",
    "fte_from_weekly_hours",
    "max_hours_per_year",
    "reading_name",
]

