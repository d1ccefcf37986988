"""Rule 5 from claim files: the omzetplafond forecast of every provider in a claim set, and (with a
waardemodel score) whether an extra budget may be asked — what `zorginkoop plafond` prints and writes.

Source: CZ groep, Zorginkoopbeleid wijkverpleging 2027, § 2.3.3 and § 3.2.4 "Aanvullende zorginkoop".
The production per month comes from `production_from_claims`; the forecast and the request are the pure
rule (`toolkit.rules.ceiling`), which also checks the typed amounts before any claim is read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..dates import month_name, months_text
from ..errors import InputError, show_value
from ..numbers import format_money
from ..rules.ceiling import AdditionalPurchase, CeilingForecast, assess_additional_purchase, forecast_ceiling
from ..rules.staffel import staffel_reimbursement
from .claimset import ClaimsYearError
from .production import ProductionReport, production_from_claims


@dataclass(frozen=True)
class CeilingReport:
    """One provider's forecast from its claims (`provider` None: a claim set without a provider column),
    and its request assessment when a score or a ceiling-free agreement was given."""

    provider: str | None
    forecast: CeilingForecast
    purchase: AdditionalPurchase | None
    production: ProductionReport  # the provider's production as read (lines used, other years, …)

    @property
    def months_without_claims(self) -> tuple[int, ...]:
        """Known months in which the provider has no counted claim line: their production counts as 0.00,
        which is right for a month without care and wrong for an export that was left out."""
        seen = set(self.production.months_with_lines)
        return tuple(m for m in range(1, self.forecast.months_known + 1) if m not in seen)

    def gap_note(self) -> str | None:
        """One Dutch line on the known months without claims, or None."""
        missing = self.months_without_claims
        if not missing:
            return None
        return (f"{self.provider + ': ' if self.provider else ''}geen CZ-declaraties in {months_text(missing)} "
                f"{self.forecast.year}; {'die maand telt' if len(missing) == 1 else 'die maanden tellen'} als "
                "€ 0 in de prognose: ontbreekt er een export?")

    @property
    def months_not_counted(self) -> tuple[int, ...]:
        """Months after the known ones (`months` given, fewer than the claims have) that hold claims: the
        forecast projects them instead, so what was claimed there is not in it."""
        return tuple(m for m in self.production.months_with_lines if m > self.forecast.months_known)

    def not_counted_note(self) -> str | None:
        """One Dutch line on the claims of months after the known ones, or None."""
        later = self.months_not_counted
        if not later:
            return None
        amount = sum((self.production.monthly[m - 1] for m in later), Decimal(0))
        known = self.forecast.months_known
        return (f"{self.provider + ': ' if self.provider else ''}de declaraties van {months_text(later)} "
                f"{self.forecast.year} ({format_money(amount)}) tellen niet mee: de prognose rekent met "
                f"{known} bekende {'maand' if known == 1 else 'maanden'} en trekt die door")

    def to_dict(self) -> dict[str, Any]:
        """Plain values (amounts as exact decimal strings), as `zorginkoop plafond --json` writes them."""
        f, outcome = self.forecast, self.purchase
        result: dict[str, Any] = {
            "provider": self.provider, "year": f.year, "method": f.method, "ceiling": str(f.ceiling),
            "months_known": f.months_known, "realised": str(f.realised), "projected_year": str(f.projected_year),
            "monthly": [str(m) for m in f.monthly], "cumulative": [str(k) for k in f.cumulative],
            "share_before_reference_date": float(f.share_before_reference_date),
            "meets_min_share": f.meets_min_share, "reference_date": f.reference_date.isoformat(),
            "month_reached": f.month_reached, "insufficient": f.insufficient, "shortfall": str(f.shortfall),
            "lines_used": self.production.lines_used, "months_without_claims": list(self.months_without_claims),
            "months_not_counted": list(self.months_not_counted),
        }
        if outcome is not None:
            result.update({
                "may_request": outcome.may_request, "requested_budget": str(outcome.requested_budget),
                "staffel_percentage": None if outcome.staffel.percentage is None
                else float(outcome.staffel.percentage),
                "expected_reimbursement": None if outcome.expected_reimbursement is None
                else str(outcome.expected_reimbursement),
                "reasons": list(outcome.reasons), "request_month": outcome.request_month,
                "last_send_date": outcome.last_send_date.isoformat(),
                "self_demonstrate": list(outcome.self_demonstrate),
            })
        result["lines_other_years"] = self.production.lines_other_years
        return result


@dataclass(frozen=True)
class CeilingClaims:
    """The forecasts of a claim set: one `CeilingReport` per provider (in the order of their names), the
    claim set's production as read (its files, repeated and invalid lines) and last year's, if given."""

    reports: tuple[CeilingReport, ...]
    production: ProductionReport
    last_year: ProductionReport | None
    without_production: tuple[str, ...] = ()  # providers with no CZ-group line in the year: no forecast
    net_negative: tuple[NetNegative, ...] = ()  # providers with a known month of more credit than claims: no forecast
    without_last_year: tuple[str, ...] = ()  # seasonal, and not in last year's claims: no profile, no forecast

    @property
    def without_forecast(self) -> tuple[str, ...]:
        """Every provider left without a forecast, for whichever reason."""
        return (*self.without_production, *(n.provider for n in self.net_negative), *self.without_last_year)

    def without_last_year_note(self) -> str | None:
        """The providers without last year's claims for the seasonal method, in one Dutch line; None if none."""
        if not self.without_last_year:
            return None
        who = ", ".join(self.without_last_year)
        return (f"{who} {'komt' if len(self.without_last_year) == 1 else 'komen'} niet voor in de declaraties van "
                f"vorig jaar (--vorig-jaar), dus geen seizoensprognose; geef --agb {self.without_last_year[0]} "
                "--methode lineair voor een lineaire")

    def gap_notes(self) -> list[str]:
        """Per provider with known months without claims, or claims in months after the known ones, a Dutch
        line naming them."""
        return [note for report in self.reports for note in (report.gap_note(), report.not_counted_note())
                if note is not None]

    def without_forecast_note(self) -> str | None:
        """The providers left without a forecast, in one Dutch line; None when there are none."""
        if not self.without_production:
            return None
        return f"geen CZ-declaraties in {self.production.year}, dus geen prognose: {', '.join(self.without_production)}"

    def notes(self) -> list[str]:
        """Every kind of note, every one, for the report (the command line shows the first gaps only)."""
        idle, unseen = self.without_forecast_note(), self.without_last_year_note()
        return [*self.gap_notes(), *([idle] if idle is not None else []), *(n.note() for n in self.net_negative),
                *([unseen] if unseen is not None else [])]


@dataclass(frozen=True)
class NetNegative:
    """A provider whose claims of a known month are more credit than claim: the rule forecasts from production
    per month, which is never negative, so that provider gets no forecast, and the month is named."""

    provider: str
    year: int
    month: int
    amount: Decimal
    last_year: bool = False  # a month of last year's claims, the seasonal profile (`--vorig-jaar`)

    def note(self) -> str:
        who = f"{self.provider}: " if self.provider else ""
        which = "van vorig jaar (--vorig-jaar) " if self.last_year else ""
        return (f"{who}de CZ-declaraties {which}van {month_name(self.month)} {self.year} zijn per saldo "
                f"{format_money(self.amount)} (meer gecrediteerd dan gedeclareerd), dus geen prognose: die rekent "
                "met de productie per maand, en die is niet negatief; controleer de creditering van die maand")

    def to_dict(self) -> dict[str, Any]:
        return {"provider": self.provider, "year": self.year, "month": self.month, "amount": str(self.amount)}


def _net_negative(production: ProductionReport, months: int | None, *, last_year: bool = False) -> NetNegative | None:
    """The first known month of `production` whose amounts add up to less than zero, or None."""
    known = months if months is not None else production.last_month
    for month, amount in enumerate(production.monthly[:known or 0], start=1):
        if amount < 0:
            return NetNegative(production.provider or "", production.year, month, amount, last_year)
    return None


@dataclass(frozen=True)
class CeilingRequest:
    """What the request assessment needs besides the claims; `assess` False: only the forecast."""

    score_previous: str | None = None
    score_current: str | None = None
    cost_points: object = None
    ceiling_free: bool = False
    production_agreement: object = None

    @property
    def assess(self) -> bool:
        return self.score_previous is not None or self.ceiling_free


def check_ceiling_arguments(ceiling: object, year: int, request: CeilingRequest) -> None:
    """The typed amounts, scores and year checked by the rules themselves, before any claim is read: a typo
    should not wait for a minute of reading."""
    forecast_ceiling(ceiling, [0], year=year)
    if not request.assess:
        # Typed for the request's assessment, which only a score of last year (or plafondvrij) starts: never
        # dropped in silence, as if the staffel had been applied.
        for field, value in (("cost_points", request.cost_points), ("score_current", request.score_current),
                             ("production_agreement", request.production_agreement)):
            if value is not None:
                raise InputError(f"{field}: {show_value(value)} telt alleen mee bij de beoordeling van een verzoek om "
                                 "aanvullend budget, met de score van vorig jaar (of plafondvrij); geef die ook, of "
                                 "laat dit weg", field=field, value=value)
    if request.assess:
        staffel_reimbursement(0, request.score_previous, request.score_current, cost_points=request.cost_points,
                              ceiling_free=request.ceiling_free, production_agreement=request.production_agreement,
                              year=year)


def ceiling_from_claims(
    source: Any,
    *,
    ceiling: object,
    year: int,
    last_year: Any = None,
    method: str | None = None,
    months: int | None = None,
    request: CeilingRequest | None = None,
    only_provider: str | None = None,
    skip_invalid: bool = False,
    strict: bool = False,
    recursive: bool = False,
    repeated: str = "refuse",
    progress: Callable[[int, int], None] | None = None,
) -> CeilingClaims:
    """The omzetplafond forecast per provider from the CZ-group claims of policy year `year`.

    `source` and `last_year` (last year's claims, for the seasonal profile) as for `production_from_claims`.
    `ceiling` applies to every provider (choose one with `only_provider`). `method`: linear (the default, as in
    `forecast_ceiling`: last year's claims alone do not change the method) or seasonal; `months`: the months
    known (default: up to the last month with claims). With a `request` holding a score or a ceiling-free
    agreement, each provider's request for an extra budget is assessed too.
    """
    request = request or CeilingRequest()
    check_ceiling_arguments(ceiling, year, request)
    kind = method or "linear"
    production = production_from_claims(source, year=year, skip_invalid=skip_invalid, strict=strict,
                                        only_provider=only_provider, recursive=recursive, repeated=repeated,
                                        progress=progress)
    previous = None
    if last_year is not None:
        try:
            previous = production_from_claims(last_year, year=year - 1, skip_invalid=skip_invalid, strict=strict,
                                              recursive=recursive, repeated=repeated)
        except ClaimsYearError as exc:
            raise InputError(f"last_year: {exc.finding.found()} — geef de declaraties van {year - 1}",
                             field="last_year", value=year - 1) from None
    providers = list(production.providers.values()) if production.providers else [production]
    # A provider of a claim set with no CZ-group line in the year has nothing to forecast; the others still
    # get theirs. A claim set of only such providers is refused (`_report`, naming the first).
    busy = [p for p in providers if months is not None or p.last_month is not None]
    idle = tuple(p.provider or "" for p in providers if months is None and p.last_month is None)
    if not busy:
        busy, idle = providers, ()
    # Likewise a provider with a month of more credit than claims (`NetNegative`); only such providers: refused.
    def own_last_year(p: ProductionReport) -> ProductionReport | None:
        if kind != "seasonal" or previous is None:
            return None
        return previous.providers.get(p.provider or "") if previous.providers else previous

    negative = {id(p): found for p in busy if (found := _net_negative(p, months) or (
        _net_negative(own, 12, last_year=True) if (own := own_last_year(p)) is not None else None)) is not None}
    if negative and len(negative) == len(busy):
        first = next(iter(negative.values()))
        raise InputError(first.note(), field="production", value=str(first.amount), row=first.month)
    # And, for the seasonal method, a provider missing from last year's claims (no profile of its own); only
    # such providers: refused by `_report`, naming the first.
    unseen = [p for p in busy if id(p) not in negative and kind == "seasonal" and previous is not None
              and previous.providers and (p.provider or "") not in previous.providers]
    if len(unseen) == len(busy) - len(negative):
        unseen = []
    left_out = {*negative, *(id(p) for p in unseen)}
    reports = tuple(_report(p, previous, ceiling, kind, months, request) for p in busy if id(p) not in left_out)
    return CeilingClaims(reports, production, previous, idle, tuple(negative.values()),
                         tuple(p.provider or "" for p in unseen))


def _report(production: ProductionReport, previous: ProductionReport | None, ceiling: object, method: str,
            months: int | None, request: CeilingRequest) -> CeilingReport:
    who = production.provider or "de declaraties"
    known = months if months is not None else production.last_month
    if not known:
        raise InputError(f"{who}: geen CZ-declaraties in {production.year}; er is nog geen productie om door te "
                         "trekken", field="production", value=None)
    monthly: list[Decimal] = list(production.monthly[:known])
    profile = None
    if method == "seasonal":
        if previous is None:
            raise InputError("last_year: de seizoensmethode heeft de declaraties van vorig jaar nodig",
                             field="last_year", value=None)
        own = previous.providers.get(production.provider or "") if previous.providers else previous
        if own is None:
            raise InputError(f"last_year: {who} komt niet voor in de declaraties van vorig jaar", field="last_year",
                             value=production.provider)
        profile = list(own.monthly)
    try:
        return _forecast(production, monthly, profile, ceiling, method, request)
    except InputError as exc:
        if not (exc.field or "").startswith("last_year_monthly") or not production.provider:
            raise
        # Last year's profile is this provider's own: the message says whose (`--vorig-jaar` at the edge).
        raise InputError(f"{exc.message} (zorgaanbieder {production.provider})", field=exc.field,
                         value=exc.value) from None


def _forecast(production: ProductionReport, monthly: list[Decimal], profile: list[Decimal] | None, ceiling: object,
              method: str, request: CeilingRequest) -> CeilingReport:
    if request.assess:
        purchase = assess_additional_purchase(
            ceiling, monthly, last_year_monthly=profile, method=method, score_previous=request.score_previous,
            score_current=request.score_current, cost_points=request.cost_points, ceiling_free=request.ceiling_free,
            production_agreement=request.production_agreement, year=production.year)
        return CeilingReport(production.provider, purchase.forecast, purchase, production)
    forecast = forecast_ceiling(ceiling, monthly, last_year_monthly=profile, method=method, year=production.year)
    return CeilingReport(production.provider, forecast, None, production)


__all__ = ["CeilingClaims", "CeilingReport", "CeilingRequest", "NetNegative", "ceiling_from_claims",
           "check_ceiling_arguments"]
