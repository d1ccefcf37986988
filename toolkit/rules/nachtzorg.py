"""Rule 4: indexation of the onplanbare nachtzorg budget.

Source: 002_3d2709293215211c.txt, bijlage 1, 1.6.3 "Onplanbare nachtzorg"; the same nationally
uniform method in 003_0a9612b0e6b07960.txt, "Onplanbare nachtzorg". The budget for year T is
indexed with the preliminary weighted index (90% personnel = NZa OVA, 10% material = CPB price
index of private consumption) for T, corrected with the difference between the definitive and
the preliminary weighted index over T−1. Only the part allocated to Zvw clients is reimbursed.

Default `multiplicative`: factor = (1 + W_prelim,T) × (1 + W_def,T−1) ÷ (1 + W_prelim,T−1), how the
NZa chains a correction (a 0.53% correction on 4.74% was published as 5.29%: compounding gives
5.295%, adding gives 5.27%). Alternative `additive`, the literal text:
factor = 1 + W_prelim,T + (W_def,T−1 − W_prelim,T−1).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from ..choices import choose
from ..errors import InputError, show_value
from ..money import non_negative, round_money, to_decimal
from ..parameters import load_topic

DEFAULT_YEAR = 2027
METHODS = {"multiplicative": "multiplicative", "multiplicatief": "multiplicative",
           "additive": "additive", "additief": "additive"}


@dataclass(frozen=True)
class NachtzorgIndexation:
    """`factor` unrounded; `indexed_budget` and `reimbursed` rounded to cents from unrounded values."""

    factor: Decimal
    correction: Decimal
    indexed_budget: Decimal
    reimbursed: Decimal
    method: str


@dataclass(frozen=True)
class BusinessCaseDeadlines:
    discuss_before: dt.date
    deliver_before: dt.date
    follow_request_before: dt.date


def _index(value: object, field: str) -> Decimal:
    index = to_decimal(value, field)
    if index <= -1:
        raise InputError(
            f"{field}: index {show_value(value)} ligt op of onder -100% (verwacht een fractie, 3,1% = 0,031)",
            field=field,
            value=value,
        )
    return index


def method_name(method: str) -> str:
    return choose(method, METHODS, field="method", label="methode",
                  expected="'multiplicative'/'multiplicatief' of 'additive'/'additief'")


def weighted_index(
    personnel: Decimal | int | float, material: Decimal | int | float, *, year: int = DEFAULT_YEAR
) -> Decimal:
    """W = 0.9 × personnel index + 0.1 × material index (indices as fractions: 3.1% = 0.031)."""
    topic = load_topic("nza", "nachtzorg")
    return (topic.require_decimal("weight_personnel", year) * _index(personnel, "personnel")
            + topic.require_decimal("weight_material", year) * _index(material, "material"))


def indexation_factor(
    prelim_t: Decimal | int | float,
    prelim_prev: Decimal | int | float,
    final_prev: Decimal | int | float,
    method: str = "multiplicative",
) -> Decimal:
    """The factor on the approved budget; the three arguments are weighted indices."""
    w_t = _index(prelim_t, "prelim_t")
    w_prev = _index(prelim_prev, "prelim_prev")
    w_final = _index(final_prev, "final_prev")
    if method_name(method) == "additive":
        return 1 + w_t + (w_final - w_prev)
    return (1 + w_t) * (1 + w_final) / (1 + w_prev)


def index_nachtzorg_budget(
    budget: Decimal | int | float,
    *,
    prelim_t: Decimal | int | float,
    prelim_prev: Decimal | int | float,
    final_prev: Decimal | int | float,
    zvw_share: Decimal | int | float = 1,
    method: str = "multiplicative",
) -> NachtzorgIndexation:
    """Index an approved nachtzorg budget and take the Zvw share; money rounded only at the end."""
    amount = non_negative(budget, "budget")
    share = to_decimal(zvw_share, "zvw_share")
    if not 0 <= share <= 1:
        raise InputError(
            f"zvw_share: Zvw-aandeel {show_value(zvw_share)} ligt buiten 0..1 (verwacht een fractie, 85% = 0,85)",
            field="zvw_share",
            value=zvw_share,
        )
    kind = method_name(method)
    factor = indexation_factor(prelim_t, prelim_prev, final_prev, kind)
    indexed = amount * factor
    return NachtzorgIndexation(
        factor=factor,
        correction=_index(final_prev, "final_prev") - _index(prelim_prev, "prelim_prev"),
        indexed_budget=round_money(indexed),
        reimbursed=round_money(indexed * share),
        method=kind,
    )


def business_case_deadlines(year: int = DEFAULT_YEAR) -> BusinessCaseDeadlines:
    """Dates for a new or changed business case (1.6.3): discuss, deliver, follow requests."""
    topic = load_topic("nza", "nachtzorg")
    return BusinessCaseDeadlines(
        discuss_before=topic.date("business_case_discuss_before", year),
        deliver_before=topic.date("business_case_deliver_before", year),
        follow_request_before=topic.date("follow_request_before", year),
    )


def follow_request_handled(filed_on: dt.date, year: int = DEFAULT_YEAR) -> bool:
    """A follow request filed on or after 1 July is not handled; existing agreements stay."""
    return filed_on < business_case_deadlines(year).follow_request_before


__all__ = [
    "BusinessCaseDeadlines",
    "NachtzorgIndexation",
    "business_case_deadlines",
    "follow_request_handled",
    "index_nachtzorg_budget",
    "indexation_factor",
    "weighted_index",
]
