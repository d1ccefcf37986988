"""The six purchasing rules, pure: no I/O, parameters from `toolkit.parameters`."""

from .ceiling import (
    AdditionalPurchase,
    CeilingForecast,
    RequestEligibility,
    additional_budget_request,
    assess_additional_purchase,
    forecast_ceiling,
)
from .cooperative import (
    CooperativeAssessment,
    MaxTurnover,
    WorkingTimeViolation,
    assess_cooperative,
    check_working_time,
    cooperative_max_turnover,
    fte_from_weekly_hours,
    max_hours_per_year,
)
from .nachtzorg import (
    BusinessCaseDeadlines,
    NachtzorgIndexation,
    business_case_deadlines,
    follow_request_handled,
    index_nachtzorg_budget,
    indexation_factor,
    weighted_index,
)
from .own_delivery import OwnDelivery, assess_own_delivery
from .ratio import (
    RatioAssessment,
    assess_client_area_ratio,
    assess_ratio_counts,
    claims_year,
    clients_by_area,
    ratio_threshold,
)
from .staffel import StaffelOutcome, staffel_percentage, staffel_reimbursement

__all__ = [
    "AdditionalPurchase",
    "BusinessCaseDeadlines",
    "CeilingForecast",
    "CooperativeAssessment",
    "MaxTurnover",
    "NachtzorgIndexation",
    "OwnDelivery",
    "RatioAssessment",
    "RequestEligibility",
    "StaffelOutcome",
    "WorkingTimeViolation",
    "additional_budget_request",
    "assess_additional_purchase",
    "assess_client_area_ratio",
    "assess_cooperative",
    "assess_own_delivery",
    "assess_ratio_counts",
    "business_case_deadlines",
    "check_working_time",
    "claims_year",
    "clients_by_area",
    "cooperative_max_turnover",
    "follow_request_handled",
    "forecast_ceiling",
    "fte_from_weekly_hours",
    "index_nachtzorg_budget",
    "indexation_factor",
    "max_hours_per_year",
    "ratio_threshold",
    "staffel_percentage",
    "staffel_reimbursement",
    "weighted_index",
]
