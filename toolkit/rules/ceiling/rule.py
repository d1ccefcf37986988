"""Rule 5: the omzetplafond forecast and the request for an extra budget (aanvullende zorginkoop).

Source: CZ groep, Zorginkoopbeleid wijkverpleging 2027 (002_3d2709293215211c.txt), § 2.3.3 "Waardemodel en
omzetplafond" (care above the ceiling is not paid; the provider watches its own ceiling) and § 3.2.4
"Aanvullende zorginkoop" (a request in September, when before 1 October at least 80 % of the ceiling is
reached and the ceiling is expected to fall short, sent before 31 December; then the staffel, rule 2,
decides the reimbursement). The share, the dates and the month are data (`parameters/data/cz/ceiling.yaml`).

Forecast (SPEC 5): the realised production R of the first n known months, projected linearly (each
later month R ÷ n) or along last year's seasonal profile (month i: R × L_i ÷ (L_1 + … + L_n)).
Computed exactly (fractions); comparisons with the ceiling are made after rounding the difference to
9 decimals, as the template does with floating point, so both give the same answer at the edges.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from ...choices import choose
from ...dates import day_month, dutch_date, month_name
from ...errors import InputError
from ...money import round_money
from ...numbers import format_percent, percent_text
from ...parameters import load_topic, policy_year, quantity
from ..staffel.rule import StaffelOutcome, staffel_reimbursement

MONTHS = 12
# Each word a user may type -> the canonical name; the first word of each is the Dutch one users are shown.
METHODS = {"lineair": "linear", "linear": "linear", "seizoen": "seasonal", "seasonal": "seasonal",
           "seizoensprofiel": "seasonal"}
# Conditions of § 3.2.4 the text gives no figure for: the provider shows them in the request itself.
SELF_DEMONSTRATE = (
    "de zorgplicht voor bestaande cliënten is nagekomen (zorg niet gestopt omdat het budget op is)",
    "nieuwe cliënten zijn evenredig over het jaar gespreid",
    "het aantal cliënten is toegenomen, en of cliënten in de regio zijn verplaatst",
    "in de regio is een probleem met de zorgplicht, waar de aanvraag een oplossing voor is",
    "de doelmatigheid binnen het omzetmaximum neemt niet af ten opzichte van voorgaande jaren",
)


@dataclass(frozen=True)
class CeilingForecast:
    """The year's production against the ceiling; money rounded to cents, comparisons as described above."""

    ceiling: Decimal
    realised: Decimal
    months_known: int
    projected_year: Decimal
    monthly: tuple[Decimal, ...]  # 12 values: actual, then projected (rounded to cents)
    cumulative: tuple[Decimal, ...]  # 12 values: K_1 … K_12 (rounded to cents)
    share_before_reference_date: Decimal  # K_9 ÷ C, the months before the reference date
    meets_min_share: bool
    month_reached: int | None  # 1-12, the first month in which the cumulative production reaches C
    insufficient: bool
    shortfall: Decimal
    method: str
    year: int
    required_share: Decimal
    reference_date: dt.date
    months_before_reference: int


@dataclass(frozen=True)
class AdditionalPurchase:
    forecast: CeilingForecast
    staffel: StaffelOutcome
    requested_budget: Decimal  # the shortfall
    expected_reimbursement: Decimal | None  # the staffel on the shortfall; None when not eligible
    may_request: bool
    reasons: tuple[str, ...]  # every condition that fails, in Dutch; empty when a request may be sent
    request_month: int
    last_send_date: dt.date
    self_demonstrate: tuple[str, ...] = SELF_DEMONSTRATE


@dataclass(frozen=True)
class RequestEligibility:
    """The 80 % test alone, from realised production and the ceiling (kept from the earlier API)."""

    realised_share: Decimal
    required_share: Decimal
    meets: bool
    reference_date: dt.date
    request_month: int
    last_send_date: dt.date
    reason: str


def method_name(method: object) -> str:
    return choose(method, METHODS, field="method", label="methode", expected="'linear'/'lineair' of "
                  "'seasonal'/'seizoen'")


def _at_least(left: Fraction, right: Fraction) -> bool:
    """left >= right after rounding the difference to 9 decimals, as the template compares floats."""
    return round_money(_decimal(left - right), 9) >= 0


def _months(values: object, field: str, *, required: bool) -> list[Decimal | None]:
    """Up to twelve monthly amounts; empty cells (None, '') after the last known month."""
    if isinstance(values, str | bytes) or not isinstance(values, Sequence):
        raise InputError(f"{field}: verwacht een lijst met (hoogstens) {MONTHS} maandbedragen", field=field,
                         value=values)
    if len(values) > MONTHS:
        raise InputError(f"{field}: {len(values)} maanden opgegeven, hoogstens {MONTHS}", field=field,
                         value=len(values))
    money = quantity("money")
    months: list[Decimal | None] = []
    for i, value in enumerate(values, start=1):
        empty = value is None or (isinstance(value, str) and not value.strip())
        months.append(None if empty else money.read(value, f"{field} maand {i}"))
    months += [None] * (MONTHS - len(months))
    known = [m is not None for m in months]
    if required and not any(known):
        raise InputError(f"{field}: nog geen productie; vul ten minste de eerste maand in", field=field,
                         value=None)
    if any(known):
        last = max(i for i, k in enumerate(known) if k)
        gap = next((i for i in range(last) if not known[i]), None)
        if gap is not None:
            raise InputError(f"{field}: maand {gap + 1} ({month_name(gap + 1)}) is leeg terwijl maand {last + 1} "
                             f"({month_name(last + 1)}) is ingevuld", field=field, value=None, row=gap + 1)
    return months


@dataclass(frozen=True)
class ProductionProjection:
    """The year's production from its known months (money rounded to cents)."""

    realised: Decimal
    months_known: int
    projected_year: Decimal
    monthly: tuple[Decimal, ...]  # 12 values: actual, then projected
    method: str
    year: int


def _projection(monthly_production: object, last_year_monthly: object, method: object) -> tuple[int, list[Fraction]]:
    """(months known, the twelve months as exact fractions: actual, then projected)."""
    months = _months(monthly_production, "monthly_production", required=True)
    kind = method_name(method)
    profile = None if last_year_monthly is None else _months(last_year_monthly, "last_year_monthly",
                                                             required=False)
    n = sum(1 for m in months if m is not None)
    actual = [Fraction(m) for m in months[:n] if m is not None]
    realised = sum(actual, Fraction(0))
    if kind == "seasonal":
        if profile is None or any(v is None for v in profile):
            raise InputError("last_year_monthly: de seizoensmethode heeft de productie van alle twaalf maanden "
                             "van vorig jaar nodig", field="last_year_monthly", value=None)
        weights = [Fraction(v) for v in profile if v is not None]
        base = sum(weights[:n], Fraction(0))
        if base == 0 and n < MONTHS:
            first = "de eerste maand" if n == 1 else f"de eerste {n} maanden samen"
            raise InputError(f"last_year_monthly: vorig jaar is de productie van {first} 0; daarmee is geen "
                             "seizoensprofiel te maken (gebruik de lineaire methode)", field="last_year_monthly",
                             value=0)
        projected = [realised * weights[i] / base for i in range(n, MONTHS)] if n < MONTHS else []
    else:
        projected = [realised / n] * (MONTHS - n)
    return n, actual + projected


def project_production(
    monthly_production: object, *, last_year_monthly: object = None, method: object = "linear", year: object = None
) -> ProductionProjection:
    """The year's production projected from the known months (SPEC 5), without a ceiling."""
    year = load_topic("cz", "ceiling").check_year(policy_year(year))
    n, values = _projection(monthly_production, last_year_monthly, method)
    return ProductionProjection(
        realised=round_money(_decimal(sum(values[:n], Fraction(0)))), months_known=n,
        projected_year=round_money(_decimal(sum(values, Fraction(0)))),
        monthly=tuple(round_money(_decimal(v)) for v in values), method=method_name(method), year=year)


def forecast_ceiling(
    ceiling: object,
    monthly_production: object,
    *,
    last_year_monthly: object = None,
    method: object = "linear",
    year: object = None,
) -> CeilingForecast:
    """Forecast the year's production from the months known so far and compare it with the ceiling (SPEC 5).

    `monthly_production`: up to 12 amounts, January first, empty (None) after the last known month.
    `method` "linear" (default) or "seasonal" (needs `last_year_monthly`, last year's twelve months).
    """
    year = policy_year(year)
    topic = load_topic("cz", "ceiling")
    topic.check_year(year)
    required = topic.require_decimal("request_min_ceiling_share", year)
    reference = topic.date("request_reference_date", year)
    before = reference.month - 1 if reference.day == 1 else reference.month  # months wholly before the date
    cap = quantity("ceiling").read(ceiling, "ceiling")
    kind = method_name(method)
    n, values = _projection(monthly_production, last_year_monthly, kind)
    realised = sum(values[:n], Fraction(0))
    cumulative: list[Fraction] = []
    running = Fraction(0)
    for value in values:
        running += value
        cumulative.append(running)
    total = cumulative[-1]
    capital = Fraction(cap)
    reached = next((m for m, k in enumerate(cumulative, start=1) if _at_least(k, capital)), None)
    before_reference = cumulative[before - 1] if before else Fraction(0)
    share = before_reference / capital
    insufficient = not _at_least(capital, total)  # P > C
    return CeilingForecast(
        ceiling=cap,
        realised=round_money(_decimal(realised)),
        months_known=n,
        projected_year=round_money(_decimal(total)),
        monthly=tuple(round_money(_decimal(v)) for v in values),
        cumulative=tuple(round_money(_decimal(k)) for k in cumulative),
        share_before_reference_date=_decimal(share),
        meets_min_share=_at_least(before_reference, Fraction(required) * capital),
        month_reached=reached,
        insufficient=insufficient,
        shortfall=round_money(_decimal(total - capital)) if insufficient else Decimal("0.00"),
        method=kind,
        year=year,
        required_share=required,
        reference_date=reference,
        months_before_reference=before,
    )


def _decimal(value: Fraction) -> Decimal:
    return Decimal(value.numerator) / Decimal(value.denominator)






def assess_additional_purchase(
    ceiling: object,
    monthly_production: object,
    *,
    last_year_monthly: object = None,
    method: object = "linear",
    score_previous: str | None,
    score_current: str | None = None,
    cost_points: object = None,
    ceiling_free: object = False,
    production_agreement: object = None,
    year: object = None,
) -> AdditionalPurchase:
    """May an extra budget be asked (§ 3.2.4), for how much, and what would the staffel pay on it?

    A request may be sent when, before the reference date (1 October), the 80 % share of the ceiling is
    reached, the forecast exceeds the ceiling, and the staffel (rule 2) makes the provider eligible.
    The requested budget is the shortfall; the expected reimbursement is the staffel on it.
    """
    forecast = forecast_ceiling(ceiling, monthly_production, last_year_monthly=last_year_monthly, method=method,
                                year=year)
    staffel = staffel_reimbursement(forecast.shortfall, score_previous, score_current, cost_points=cost_points,
                                    ceiling_free=ceiling_free, production_agreement=production_agreement,
                                    year=forecast.year)
    topic = load_topic("cz", "ceiling")
    # The reasons name parameter values only (the amounts are fields of the forecast): the template's
    # formulas give the same texts, whatever the spreadsheet's locale does to formatted numbers.
    reasons = []
    if not forecast.meets_min_share:
        minimum = percent_text(forecast.required_share)
        day = day_month(forecast.reference_date)
        reasons.append(f"vóór {day} is minder dan {minimum} van het omzetplafond bereikt")
    if not forecast.insufficient:
        reasons.append("het omzetplafond is naar verwachting toereikend")
    if not staffel.eligible:
        reasons.append(staffel.reason)
    return AdditionalPurchase(
        forecast=forecast,
        staffel=staffel,
        requested_budget=forecast.shortfall,
        expected_reimbursement=staffel.amount,
        may_request=not reasons,
        reasons=tuple(reasons),
        request_month=topic.integer("request_month", forecast.year),
        last_send_date=topic.date("request_last_send_date", forecast.year),
    )


def additional_budget_request(realised: object, ceiling: object, *, year: object = None) -> RequestEligibility:
    """The 80 % test alone: realised ÷ ceiling >= the required share before the reference date (§ 3.2.4)."""
    year = policy_year(year)
    topic = load_topic("cz", "ceiling")
    topic.check_year(year)
    required = topic.require_decimal("request_min_ceiling_share", year)
    amount = quantity("money").read(realised, "realised")
    cap = quantity("ceiling").read(ceiling, "ceiling")
    meets = _at_least(Fraction(amount), Fraction(required) * Fraction(cap))
    reference = topic.date("request_reference_date", year)
    share = amount / cap
    verdict = "voldoet" if meets else "voldoet niet"
    return RequestEligibility(
        realised_share=share, required_share=required, meets=meets, reference_date=reference,
        request_month=topic.integer("request_month", year), last_send_date=topic.date("request_last_send_date", year),
        reason=(f"{verdict}: {format_percent(share, 1)} van het omzetplafond bereikt vóór {dutch_date(reference)}, "
                f"minimaal {percent_text(required)}"),
    )


__all__ = [
    "METHODS",
    "SELF_DEMONSTRATE",
    "AdditionalPurchase",
    "CeilingForecast",
    "ProductionProjection",
    "RequestEligibility",
    "additional_budget_request",
    "assess_additional_purchase",
    "forecast_ceiling",
    "project_production",
]
