"""Rule 4: indexation of the onplanbare nachtzorg budget.

Source: CZ groep, Zorginkoopbeleid wijkverpleging 2027 (002_3d2709293215211c.txt), bijlage 1, § 1.6.3
"Onplanbare nachtzorg"; the same nationally uniform method in Caresq, Inkoopbeleid 2027, bijlage ZN
afgestemd beleid, § 3.2.2 "Onplanbare nachtzorg" (003_0a9612b0e6b07960.txt). The budget for year T is
indexed with the preliminary weighted index (personnel = NZa OVA, material = CPB price index of private
consumption; the weights are data) for T, corrected with the difference between the definitive and
the preliminary weighted index over T−1. Only the part allocated to Zvw clients is reimbursed.
Indices are fractions (3.1% = 0.031) within the plausible range of `parameters/data/plausible.yaml`.

Default `multiplicative`: factor = (1 + W_prelim,T) × (1 + W_def,T−1) ÷ (1 + W_prelim,T−1), how the
NZa chains a correction (a 0.53% correction on 4.74% was published as 5.29%: compounding gives
5.295%, adding gives 5.27%). Alternative `additive`, the literal text:
factor = 1 + W_prelim,T + (W_def,T−1 − W_prelim,T−1).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from ...choices import choose
from ...money import round_money
from ...parameters import load_topic, policy_year, quantity

# The readings of SPEC 4 (English or Dutch) -> the canonical name.
METHODS = {"multiplicatief": "multiplicative", "multiplicative": "multiplicative",
           "additief": "additive", "additive": "additive"}


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
    index: Decimal = quantity("index").read(value, field)
    return index


def method_name(method: object) -> str:
    return choose(method, METHODS, field="method", label="methode",
                  expected="'multiplicative'/'multiplicatief' of 'additive'/'additief'")


def _covered_year(year: object) -> int:
    """The policy year (None: the current one) when the nachtzorg data covers it, else PolicyYearError: the
    weights and the method are those of a policy year, never silently another year's."""
    return load_topic("nza", "nachtzorg").check_year(policy_year(year))


def weighted_index(personnel: object, material: object, *, year: object = None) -> Decimal:
    """W = the personnel weight × personnel index + the material weight × material index (indices as
    fractions: 3.1% = 0.031; the weights for the policy year from the data)."""
    year = _covered_year(year)
    topic = load_topic("nza", "nachtzorg")
    return (topic.require_decimal("weight_personnel", year) * _index(personnel, "personnel")
            + topic.require_decimal("weight_material", year) * _index(material, "material"))


def indexation_factor(prelim_t: object, prelim_prev: object, final_prev: object,
                      method: object = "multiplicative", *, year: object = None) -> Decimal:
    """The factor on the approved budget; the three arguments are weighted indices. `year` is the policy
    year whose method applies (a year the data does not cover is refused)."""
    _covered_year(year)
    w_t = _index(prelim_t, "prelim_t")
    w_prev = _index(prelim_prev, "prelim_prev")
    w_final = _index(final_prev, "final_prev")
    if method_name(method) == "additive":
        return 1 + w_t + (w_final - w_prev)
    return (1 + w_t) * (1 + w_final) / (1 + w_prev)


def index_nachtzorg_budget(
    budget: object,
    *,
    prelim_t: object,
    prelim_prev: object,
    final_prev: object,
    zvw_share: object = 1,
    method: object = "multiplicative",
    year: object = None,
) -> NachtzorgIndexation:
    """Index an approved nachtzorg budget for policy year `year` (None: the current one) and take the Zvw
    share; money rounded only at the end."""
    year = _covered_year(year)
    amount = quantity("money").read(budget, "budget")
    share = quantity("share").read(zvw_share, "zvw_share")
    kind = method_name(method)
    factor = indexation_factor(prelim_t, prelim_prev, final_prev, kind, year=year)
    indexed = amount * factor
    return NachtzorgIndexation(
        factor=factor,
        correction=_index(final_prev, "final_prev") - _index(prelim_prev, "prelim_prev"),
        indexed_budget=round_money(indexed),
        reimbursed=round_money(indexed * share),
        method=kind,
    )


def business_case_deadlines(year: object = None) -> BusinessCaseDeadlines:
    """Dates for a new or changed business case (§ 1.6.3): discuss, deliver, follow requests."""
    year = policy_year(year)
    topic = load_topic("nza", "nachtzorg")
    return BusinessCaseDeadlines(
        discuss_before=topic.date("business_case_discuss_before", year),
        deliver_before=topic.date("business_case_deliver_before", year),
        follow_request_before=topic.date("follow_request_before", year),
    )


def follow_request_handled(filed_on: dt.date, year: object = None) -> bool:
    """A follow request filed on or after the date in the data (1 July) is not handled; existing agreements
    stay."""
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
