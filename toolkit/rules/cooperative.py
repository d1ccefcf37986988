"""Rule 3: care cooperatives (zorgcoöperaties): nurse-to-client ratio and maximum budget.

Source: 002_3d2709293215211c.txt, section 3.2.2 "Zorgcoöperaties" (turnover ceiling from a maximum
budget per member, with the Arbeidstijdenwet as guideline) and bijlage 1, 1.4 "Aanvullende eisen
voor zorgcoöperaties" ("minimaal 1 fte hbo-bachelor opgeleide verpleegkundige (niveau 6) op 55
cliënten"; "maximumomzet per zzp'er en/of onderaannemer").

Default reading `proportional`: meets when fte >= clients ÷ 55 (exact, without dividing).
Alternative `per_started_55`: every started 55 clients needs a whole FTE (ceil(clients ÷ 55)).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from ..errors import InputError, show_value
from ..money import non_negative, round_money, whole_count
from ..parameters import load_topic

DEFAULT_YEAR = 2027
READINGS = ("proportional", "per_started_55")


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


def _reading(reading: str) -> str:
    if reading not in READINGS:
        raise InputError(
            f"lezing {show_value(reading)} is onbekend (verwacht {' of '.join(READINGS)})",
            field="reading",
            value=reading,
        )
    return reading


def assess_cooperative(
    clients: int, level6_fte: Decimal | int | float, *, reading: str = "proportional", year: int = DEFAULT_YEAR
) -> CooperativeAssessment:
    """Check the 1 FTE niveau-6 nurse per 55 clients requirement (bijlage 1, 1.4)."""
    per_fte = load_topic("cz", "cooperative").require_decimal("clients_per_level6_fte", year)
    count = whole_count(clients, "clients")
    fte = non_negative(level6_fte, "level6_fte")
    if _reading(reading) == "per_started_55":
        required = Decimal(math.ceil(Decimal(count) / per_fte))
    else:
        required = Decimal(count) / per_fte
    # Proportional: compare fte × 55 >= clients, so 1 FTE for exactly 55 clients meets without any
    # division rounding. per_started_55: required is a whole number, compare directly.
    meets = fte * per_fte >= count if reading == "proportional" else fte >= required
    shortfall = Decimal(0) if meets else required - fte
    return CooperativeAssessment(
        clients=count,
        level6_fte=fte,
        required_fte=required,
        shortfall_fte=shortfall,
        max_clients=math.floor(fte * per_fte),
        meets=meets,
        reading=reading,
    )


def fte_from_weekly_hours(weekly_hours: Decimal | int | float, *, year: int = DEFAULT_YEAR) -> Decimal:
    """FTE = weekly hours ÷ the full-time week of the CAO VVT (36 hours, a parameter)."""
    full_time = load_topic("cz", "cooperative").require_decimal("fulltime_week_hours", year)
    return non_negative(weekly_hours, "weekly_hours") / full_time


def max_hours_per_year(*, night: bool = False, year: int = DEFAULT_YEAR) -> Decimal:
    """Arbeidstijdenwet as guideline: on average 48 h a week (40 h for night workers) × 52 weeks."""
    topic = load_topic("cz", "cooperative")
    weekly = topic.require_decimal("atw_avg_week_hours_night" if night else "atw_avg_week_hours", year)
    return weekly * topic.require_decimal("weeks_per_year", year)


def cooperative_max_turnover(
    member_hours: Iterable[Decimal | int | float],
    hourly_tariff: Decimal | int | float,
    *,
    night: bool = False,
    year: int = DEFAULT_YEAR,
) -> MaxTurnover:
    """Maximum turnover = Σ (each member's yearly hours capped at the ATW maximum) × hourly tariff.

    The hourly tariff is the user's own estimate; the policy (3.2.2) fixes only the hours guideline.
    """
    if isinstance(night, str):
        raise InputError(f"night: {show_value(night)} is geen ja/nee", field="night", value=night)
    cap = max_hours_per_year(night=bool(night), year=year)
    tariff = non_negative(hourly_tariff, "hourly_tariff")
    if isinstance(member_hours, str | bytes):
        raise InputError("member_hours: verwacht een lijst met uren per lid", field="member_hours",
                         value=member_hours)
    # A member list can be a 100,000-row Excel range with few distinct values: each distinct float is
    # converted and capped once (floats only, so True is never mistaken for the cached 1.0).
    seen: dict[float, Decimal] = {}
    capped_list: list[Decimal] = []
    members_capped = 0
    for i, h in enumerate(member_hours, start=1):
        value = seen.get(h) if type(h) is float else None
        if value is None:
            value = non_negative(h, f"uren lid {i}")
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
        night=bool(night),
    )


def check_working_time(
    weeks: Sequence[Sequence[Decimal | int | float]], *, night: bool = False, year: int = DEFAULT_YEAR
) -> tuple[WorkingTimeViolation, ...]:
    """Check one member's schedule against the ATW limits the policy takes as guideline.

    `weeks` is a list of weeks, each the list of shift lengths in hours. Checked: at most 12 h per
    shift, 60 h in any week, and on average 48 h (40 h with night shifts) over every 16 weeks
    (rolling; a schedule shorter than 16 weeks is averaged over its own length).
    """
    topic = load_topic("cz", "cooperative")
    max_shift = topic.require_decimal("atw_max_shift_hours", year)
    max_week = topic.require_decimal("atw_max_week_hours", year)
    average = topic.require_decimal("atw_avg_week_hours_night" if night else "atw_avg_week_hours", year)
    span = topic.integer("atw_average_weeks", year)
    violations: list[WorkingTimeViolation] = []
    totals: list[Decimal] = []
    for w, shifts in enumerate(weeks, start=1):
        week_total = Decimal(0)
        for s, raw in enumerate(shifts, start=1):
            hours = non_negative(raw, f"week {w}, dienst {s}")
            week_total += hours
            if hours > max_shift:
                violations.append(WorkingTimeViolation(w, s, hours, max_shift,
                                                       f"week {w}, dienst {s}: {hours} uur, maximaal {max_shift}"))
        totals.append(week_total)
        if week_total > max_week:
            violations.append(WorkingTimeViolation(w, None, week_total, max_week,
                                                   f"week {w}: {week_total} uur, maximaal {max_week}"))
    window = min(span, len(totals))
    for end in range(window, len(totals) + 1):
        mean = sum(totals[end - window:end], Decimal(0)) / window
        if mean > average:
            violations.append(WorkingTimeViolation(
                end, None, mean, average,
                f"weken {end - window + 1}-{end}: gemiddeld {round_money(mean)} uur per week, maximaal {average}"))
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
]

