"""zorginkoop-toolkit: Dutch wijkverpleging providers checked against their insurers' purchasing rules.

The rules live in `toolkit.rules` (pure functions), their numbers in `toolkit.parameters` (dated data);
typed numbers are read by `toolkit.numbers`; claim files by `toolkit.claims`. The `zorginkoop` command,
the Excel functions and the template workbooks are thin edges over them. Heavy readers (pyarrow,
calamine) are imported only when claim files are read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import InputError, ParameterDataError, PolicyYearError, ToolkitError
from .numbers import parse_number
from .rules import (
    AdditionalPurchase,
    CeilingForecast,
    CooperativeAssessment,
    MaxTurnover,
    NachtzorgIndexation,
    OwnDelivery,
    RatioAssessment,
    StaffelOutcome,
    additional_budget_request,
    assess_additional_purchase,
    assess_client_area_ratio,
    assess_cooperative,
    assess_own_delivery,
    assess_ratio_counts,
    check_working_time,
    cooperative_max_turnover,
    forecast_ceiling,
    fte_from_weekly_hours,
    index_nachtzorg_budget,
    indexation_factor,
    ratio_threshold,
    staffel_percentage,
    staffel_reimbursement,
    weighted_index,
)

if TYPE_CHECKING:
    from .claims import ClaimsRatioReport, ProductionReport, production_from_claims, ratio_from_claims

__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    # Lazy: `import toolkit` must stay cheap for the Excel functions; pyarrow loads on first use.
    if name in {"ratio_from_claims", "ClaimsRatioReport", "production_from_claims", "ProductionReport"}:
        from . import claims

        return getattr(claims, name)
    raise AttributeError(f"module 'toolkit' has no attribute {name!r}")


__all__ = [
    "AdditionalPurchase",
    "CeilingForecast",
    "ClaimsRatioReport",
    "CooperativeAssessment",
    "InputError",
    "MaxTurnover",
    "NachtzorgIndexation",
    "OwnDelivery",
    "ParameterDataError",
    "PolicyYearError",
    "ProductionReport",
    "RatioAssessment",
    "StaffelOutcome",
    "ToolkitError",
    "__version__",
    "additional_budget_request",
    "assess_additional_purchase",
    "assess_client_area_ratio",
    "assess_cooperative",
    "assess_own_delivery",
    "assess_ratio_counts",
    "check_working_time",
    "cooperative_max_turnover",
    "forecast_ceiling",
    "fte_from_weekly_hours",
    "index_nachtzorg_budget",
    "indexation_factor",
    "parse_number",
    "production_from_claims",
    "ratio_from_claims",
    "ratio_threshold",
    "staffel_percentage",
    "staffel_reimbursement",
    "weighted_index",
]
