"""Rule 2: the staffel for additional purchasing (bijcontractering).

Source: CZ groep, Zorginkoopbeleid wijkverpleging 2027 (002_3d2709293215211c.txt), § 3.2.4 "Aanvullende
zorginkoop" (the staffel table, coulance for palliative terminal care, and the separate handling of
mergers, acquisitions and bankruptcies); § 2.3.3 "Kostenbeheersing" (the waardemodel applies only above
a production agreement of a set amount); § 2.3.4 "Kwaliteit van de zorg" (quality data delivered late
gives score C automatically).

The table itself is data (`parameters/data/cz/staffel.yaml`): rows of a condition and a percentage,
checked top to bottom, an empty percentage meaning "not eligible". This module knows what each
condition means; the order and the percentages of a policy year come from the data. The scores are
those of the year before the policy year (T−1, "score_previous" for policy 2027) and of the policy year.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from ...choices import flag
from ...dates import day_month
from ...errors import InputError, ParameterDataError, show_value
from ...money import round_money
from ...numbers import format_money, format_number
from ...parameters import Topic, load_topic, policy_year, quantity

SCORES = ("A", "B", "C")


@dataclass(frozen=True)
class StaffelOutcome:
    """`percentage` is a fraction (0.85 = 85%), None when not eligible or for an afwijkende afspraak."""

    percentage: Decimal | None
    eligible: bool
    reason: str
    amount: Decimal | None = None
    # True for cases the policy settles outside the table (palliative coulance, mergers etc.).
    deviating: bool = False
    year: int | None = None


@dataclass(frozen=True)
class _Facts:
    """What the table's conditions are evaluated on, after reading the inputs."""

    ceiling_free: bool
    previous: str | None  # the score of T−1, None for no score
    current: str | None  # the score of T
    points: Decimal | None
    min_points: Decimal


# What each condition of the data's table means, and the reason given when it is the first that holds.
# `year` is the policy year T; the previous year's score is that of T−1.
CONDITIONS: dict[str, tuple[Callable[[_Facts], bool], Callable[[int, Decimal], str]]] = {
    "ceiling_free": (lambda f: f.ceiling_free, lambda _y, _p: "plafondvrije afspraak"),
    "a_both_years": (lambda f: f.previous == "A" and f.current == "A",
                     lambda y, _p: f"score A in {y - 1} én {y}"),
    "a_previous_year": (lambda f: f.previous == "A", lambda y, _p: f"score A in {y - 1}"),
    "b_enough_cost_points": (
        lambda f: f.previous == "B" and f.points is not None and f.points >= f.min_points,
        lambda y, p: f"score B in {y - 1} en ten minste {format_number(p)} punten op het kostenonderdeel"),
    "b_too_few_cost_points": (
        lambda f: f.previous == "B" and f.points is not None and f.points < f.min_points,
        lambda y, p: f"score B in {y - 1} met minder dan {format_number(p)} punten op het kostenonderdeel"),
    "c_previous_year": (lambda f: f.previous == "C", lambda y, _p: f"score C in {y - 1}"),
    "no_score": (lambda f: f.previous is None, lambda y, _p: f"geen score op het waardemodel in {y - 1}"),
}
_NEEDS_POINTS = {"b_enough_cost_points", "b_too_few_cost_points"}
NOT_ELIGIBLE = "komt niet in aanmerking"
DEVIATING_MERGER = ("afwijkende afspraak: plafondaanpassing door fusie, overname of faillissement wordt "
                    "afzonderlijk met CZ groep besproken")
DEVIATING_PALLIATIVE = ("afwijkende afspraak: bij palliatieve zorg aan terminale verzekerden past CZ groep waar "
                        "mogelijk coulance toe")


def normalise_score(score: object, field: str) -> str | None:
    """'A'/'b'/' c ' -> letter; None or '' -> no score; anything else is an InputError."""
    if score is None:
        return None
    letter = score.strip().upper() if isinstance(score, str) else None
    if letter == "":
        return None
    if letter not in SCORES:
        raise InputError(
            f"{field}: score {show_value(score)} is onbekend (verwacht A, B, C of leeg)", field=field, value=score
        )
    return letter




def staffel_table(year: int) -> tuple[Mapping[str, object], ...]:
    """The table's rows for a policy year, each condition one this module knows."""
    rows = load_topic("cz", "staffel").table("table", year)
    for row in rows:
        if row["condition"] not in CONDITIONS:
            raise ParameterDataError(f"staffel.table {year}: voorwaarde {row['condition']!r} is onbekend")
    return rows


def _minimum_production_reason(topic: Topic, year: int) -> str:
    minimum = topic.require_decimal("waardemodel_min_production", year)
    amount = format_money(minimum, cents=False)
    return f"geen score: waardemodel niet toegepast bij productieafspraak tot en met {amount}"


def staffel_percentage(
    score_previous: str | None,
    score_current: str | None = None,
    *,
    cost_points: object = None,
    ceiling_free: object = False,
    production_agreement: object = None,
    palliative_terminal: object = False,
    merger_or_bankruptcy: object = False,
    quality_data_late: object = False,
    year: object = None,
) -> StaffelOutcome:
    """The maximum share of a granted additional budget that is reimbursed (§ 3.2.4 staffel table).

    `score_previous` and `score_current` are the waardemodel scores of the year before the policy year and of
    the policy year (2026 and 2027 for policy 2027). `year` None is the current policy year in the data.
    """
    year = policy_year(year)
    topic = load_topic("cz", "staffel")
    topic.check_year(year)
    previous = normalise_score(score_previous, "score_previous")
    current = normalise_score(score_current, "score_current")
    free = flag(ceiling_free, "ceiling_free")
    merger = flag(merger_or_bankruptcy, "merger_or_bankruptcy")
    palliative = flag(palliative_terminal, "palliative_terminal")
    late = flag(quality_data_late, "quality_data_late")
    points = None if cost_points is None else quantity("cost_points").read(cost_points, "cost_points")
    production = (None if production_agreement is None
                  else quantity("money").read(production_agreement, "production_agreement"))
    min_points = topic.require_decimal("min_cost_points_b", year)

    # Cases the table does not settle: reported as an afwijkende afspraak, never as a percentage.
    if merger:
        return StaffelOutcome(None, False, DEVIATING_MERGER, deviating=True, year=year)
    if palliative:
        return StaffelOutcome(None, False, DEVIATING_PALLIATIVE, deviating=True, year=year)
    rows = staffel_table(year)
    if not free and production is not None and production <= topic.require_decimal("waardemodel_min_production",
                                                                                     year):
        # § 2.3.3: no waardemodel at or below the amount, so no score whatever was entered.
        previous, current = None, None
        no_score = next((r for r in rows if r["condition"] == "no_score"), None)
        if no_score is not None:
            pct = no_score["percentage"]
            assert pct is None or isinstance(pct, Decimal)
            return StaffelOutcome(pct, pct is not None, _minimum_production_reason(topic, year), year=year)
    if late:
        previous = "C"  # § 2.3.4: quality data delivered late automatically gives score C
    facts = _Facts(free, previous, current, points, min_points)
    for row in rows:
        condition = str(row["condition"])
        if condition in _NEEDS_POINTS and previous == "B" and points is None:
            # Score B without cost points is an input error (SPEC 2): the points decide.
            raise InputError(f"cost_points: bij score B in {year - 1} zijn de punten op het kostenonderdeel nodig "
                             f"(of het er ten minste {format_number(min_points)} zijn, beslist het percentage)",
                             field="cost_points", value=None)
        holds, reason = CONDITIONS[condition]
        if holds(facts):
            pct = row["percentage"]
            assert pct is None or isinstance(pct, Decimal)
            text = reason(year, min_points)
            if pct is None:
                text = f"{NOT_ELIGIBLE}: {text}"
                if late:
                    deadline = topic.date("quality_data_deadline", year)
                    text += f" (kwaliteitsinformatie na {day_month(deadline)} aangeleverd)"
            return StaffelOutcome(pct, pct is not None, text, year=year)
    return StaffelOutcome(None, False, f"{NOT_ELIGIBLE}: geen regel van de staffel {year} is van toepassing",
                          year=year)


def table_text(year: int) -> str:
    """The staffel of a policy year as a reader reads it: "plafondvrije afspraak: 100 %; …" (the templates'
    Bronnen sheet)."""
    min_points = load_topic("cz", "staffel").require_decimal("min_cost_points_b", year)
    rows = []
    for row in staffel_table(year):
        _holds, reason = CONDITIONS[str(row["condition"])]
        pct = row["percentage"]
        shown = NOT_ELIGIBLE if pct is None else f"{format_number(Decimal(str(pct)) * 100)} %"
        rows.append(f"{reason(year, min_points)}: {shown}")
    return "; ".join(rows)


def staffel_reimbursement(
    granted_budget: object,
    score_previous: str | None,
    score_current: str | None = None,
    *,
    cost_points: object = None,
    ceiling_free: object = False,
    production_agreement: object = None,
    palliative_terminal: object = False,
    merger_or_bankruptcy: object = False,
    quality_data_late: object = False,
    year: object = None,
) -> StaffelOutcome:
    """Reimbursement = granted additional budget × staffel percentage, rounded to cents (half up).

    `amount` is None when not eligible or when an afwijkende afspraak applies.
    """
    budget = quantity("money").read(granted_budget, "granted_budget")
    outcome = staffel_percentage(
        score_previous, score_current, cost_points=cost_points, ceiling_free=ceiling_free,
        production_agreement=production_agreement, palliative_terminal=palliative_terminal,
        merger_or_bankruptcy=merger_or_bankruptcy, quality_data_late=quality_data_late, year=year,
    )
    amount = None if outcome.percentage is None else round_money(budget * outcome.percentage)
    return StaffelOutcome(outcome.percentage, outcome.eligible, outcome.reason, amount, outcome.deviating,
                          outcome.year)


__all__ = [
    "CONDITIONS",
    "StaffelOutcome",
    "normalise_score",
    "staffel_percentage",
    "staffel_reimbursement",
    "staffel_table",
    "table_text",
]
