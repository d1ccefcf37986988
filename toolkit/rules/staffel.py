"""Rule 2: the staffel for additional purchasing (bijcontractering).

Source: 002_3d2709293215211c.txt, section 3.2.4 "Aanvullende zorginkoop" (the staffel table, the
conditions for a request, coulance for palliative terminal care, and the separate handling of
mergers, acquisitions and bankruptcies); section 2.3.3 "Kostenbeheersing" (the waardemodel applies
only above a production agreement of € 100.000); section 2.3.4 "Kwaliteit van de zorg" (quality
data after 31 May gives score C automatically).

The table is checked top to bottom (SPEC 2):
  ceiling-free contract -> 100%; A in 2026 and A in 2027 -> 100%; A in 2026 -> 90%;
  B in 2026 with >= 5 cost points -> 85%; B with fewer -> not eligible; C -> not eligible;
  no score in 2026 -> 90%.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from ..errors import InputError, show_value
from ..money import non_negative, round_money, to_decimal
from ..parameters import load_topic

DEFAULT_YEAR = 2027
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


@dataclass(frozen=True)
class RequestEligibility:
    """May the provider ask for additional budget at all (3.2.4)?"""

    realised_share: Decimal
    required_share: Decimal
    meets: bool
    reference_date: dt.date
    request_month: int
    last_send_date: dt.date
    reason: str


def normalise_score(score: object, field: str) -> str | None:
    """'A'/'b'/' c ' -> letter; None or '' -> no score; anything else is an InputError."""
    if score is None:
        return None
    if not isinstance(score, str):
        raise InputError(
            f"{field}: score {show_value(score)} is onbekend (verwacht A, B, C of leeg)", field=field, value=score
        )
    letter = score.strip().upper()
    if letter == "":
        return None
    if letter not in SCORES:
        raise InputError(
            f"{field}: score {show_value(score)} is onbekend (verwacht A, B, C of leeg)", field=field, value=score
        )
    return letter


def _flag(value: object, field: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in {"ja", "nee", "true", "false", "waar", "onwaar"}:
        return value.strip().lower() in {"ja", "true", "waar"}
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    raise InputError(f"{field}: {show_value(value)} is geen ja/nee", field=field, value=value)


def staffel_percentage(
    score_2026: str | None,
    score_2027: str | None = None,
    *,
    cost_points: Decimal | int | float | None = None,
    ceiling_free: bool = False,
    production_agreement: Decimal | int | float | None = None,
    palliative_terminal: bool = False,
    merger_or_bankruptcy: bool = False,
    quality_data_late: bool = False,
    year: int = DEFAULT_YEAR,
) -> StaffelOutcome:
    """The maximum share of a granted additional budget that is reimbursed (3.2.4 staffel table)."""
    topic = load_topic("cz", "staffel")
    pct = {name: topic.require_decimal(name, year) for name in (
        "pct_ceiling_free", "pct_a_both_years", "pct_a_2026", "pct_b_cost_points", "pct_no_score")}
    min_cost_points = topic.require_decimal("min_cost_points_b", year)
    waardemodel_min = topic.require_decimal("waardemodel_min_production", year)

    s2026 = normalise_score(score_2026, "score_2026")
    s2027 = normalise_score(score_2027, "score_2027")
    ceiling_free = _flag(ceiling_free, "ceiling_free")
    merger = _flag(merger_or_bankruptcy, "merger_or_bankruptcy")
    palliative = _flag(palliative_terminal, "palliative_terminal")
    late = _flag(quality_data_late, "quality_data_late")
    points = None if cost_points is None else non_negative(cost_points, "cost_points")
    production = None if production_agreement is None else non_negative(production_agreement, "production_agreement")

    # Cases the table does not settle: reported as an afwijkende afspraak, never as a percentage.
    if merger:
        return StaffelOutcome(None, False, "afwijkende afspraak: plafondaanpassing door fusie, overname of "
                              "faillissement wordt afzonderlijk met CZ groep besproken", deviating=True)
    if palliative:
        return StaffelOutcome(None, False, "afwijkende afspraak: bij palliatieve zorg aan terminale verzekerden "
                              "past CZ groep waar mogelijk coulance toe", deviating=True)
    if ceiling_free:
        return StaffelOutcome(pct["pct_ceiling_free"], True, "plafondvrije afspraak")
    if production is not None and production <= waardemodel_min:
        # 2.3.3: no waardemodel at or below € 100.000, so no score whatever was entered.
        return StaffelOutcome(pct["pct_no_score"], True,
                              f"geen score: waardemodel niet toegepast bij productieafspraak tot en met "
                              f"€ {waardemodel_min:,.0f}".replace(",", "."))
    if late:
        s2026 = "C"  # 2.3.4: quality data after 31 May automatically gives score C
    if s2026 == "A":
        if s2027 == "A":
            return StaffelOutcome(pct["pct_a_both_years"], True, "score A in 2026 én 2027")
        return StaffelOutcome(pct["pct_a_2026"], True, "score A in 2026")
    if s2026 == "B":
        if points is None:
            raise InputError("cost_points: bij score B zijn de punten op het kostenonderdeel nodig "
                             "(≥ 5 geeft 85%, minder komt niet in aanmerking)", field="cost_points", value=None)
        if points >= min_cost_points:
            return StaffelOutcome(pct["pct_b_cost_points"], True,
                                  f"score B in 2026 en ten minste {min_cost_points} punten op het kostenonderdeel")
        return StaffelOutcome(None, False, f"komt niet in aanmerking: score B in 2026 met minder dan "
                              f"{min_cost_points} punten op het kostenonderdeel")
    if s2026 == "C":
        reason = "komt niet in aanmerking: score C in 2026"
        if late:
            reason += " (kwaliteitsinformatie na 31 mei aangeleverd)"
        return StaffelOutcome(None, False, reason)
    return StaffelOutcome(pct["pct_no_score"], True, "geen score op het waardemodel in 2026")


def staffel_reimbursement(
    granted_budget: Decimal | int | float,
    score_2026: str | None,
    score_2027: str | None = None,
    *,
    cost_points: Decimal | int | float | None = None,
    ceiling_free: bool = False,
    production_agreement: Decimal | int | float | None = None,
    palliative_terminal: bool = False,
    merger_or_bankruptcy: bool = False,
    quality_data_late: bool = False,
    year: int = DEFAULT_YEAR,
) -> StaffelOutcome:
    """Reimbursement = granted additional budget × staffel percentage, rounded to cents (half up).

    `amount` is None when not eligible or when an afwijkende afspraak applies.
    """
    budget = non_negative(granted_budget, "granted_budget")
    outcome = staffel_percentage(
        score_2026, score_2027, cost_points=cost_points, ceiling_free=ceiling_free,
        production_agreement=production_agreement, palliative_terminal=palliative_terminal,
        merger_or_bankruptcy=merger_or_bankruptcy, quality_data_late=quality_data_late, year=year,
    )
    amount = None if outcome.percentage is None else round_money(budget * outcome.percentage)
    return StaffelOutcome(outcome.percentage, outcome.eligible, outcome.reason, amount, outcome.deviating)


def additional_budget_request(
    realised: Decimal | int | float, ceiling: Decimal | int | float, *, year: int = DEFAULT_YEAR
) -> RequestEligibility:
    """The calculable condition for a request: realised ÷ ceiling >= 80% before 1 October (3.2.4).

    The request is filed in September; the text also names 31 December as the last send date. Both
    dates are reported; only the 80% test is computed.
    """
    topic = load_topic("cz", "staffel")
    required = topic.require_decimal("request_min_ceiling_share", year)
    realised_amount = non_negative(realised, "realised")
    ceiling_amount = to_decimal(ceiling, "ceiling")
    if ceiling_amount <= 0:
        raise InputError(f"ceiling: omzetplafond {show_value(ceiling)} moet groter dan 0 zijn",
                         field="ceiling", value=ceiling)
    share = realised_amount / ceiling_amount
    meets = realised_amount >= required * ceiling_amount
    reference = topic.date("request_reference_date", year)
    return RequestEligibility(
        realised_share=share,
        required_share=required,
        meets=meets,
        reference_date=reference,
        request_month=topic.integer("request_month", year),
        last_send_date=topic.date("request_last_send_date", year),
        reason=(f"{'voldoet' if meets else 'voldoet niet'}: {share:.1%} van het omzetplafond bereikt vóór "
                f"{reference:%d-%m-%Y}, minimaal {required:.0%}").replace(".", ","),
    )


__all__ = [
    "RequestEligibility",
    "StaffelOutcome",
    "additional_budget_request",
    "normalise_score",
    "staffel_percentage",
    "staffel_reimbursement",
]
