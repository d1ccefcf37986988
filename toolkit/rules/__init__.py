"""The four purchasing rules, pure: no I/O, parameters from `toolkit.parameters`."""

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
from .ratio import RatioAssessment, assess_client_area_ratio, assess_ratio_counts, claims_year, ratio_threshold
from .staffel import (
    RequestEligibility,
    StaffelOutcome,
    additional_budget_request,
    staffel_percentage,
    staffel_reimbursement,
)

__all__ = [
    "BusinessCaseDeadlines",
    "CooperativeAssessment",
    "MaxTurnover",
    "NachtzorgIndexation",
    "RatioAssessment",
    "RequestEligibility",
    "StaffelOutcome",
    "WorkingTimeViolation",
    "additional_budget_request",
    "assess_client_area_ratio",
    "assess_cooperative",
    "assess_ratio_counts",
    "business_case_deadlines",
    "check_working_time",
    "claims_year",
    "cooperative_max_turnover",
    "follow_request_handled",
    "fte_from_weekly_hours",
    "index_nachtzorg_budget",
    "indexation_factor",
    "max_hours_per_year",
    "ratio_threshold",
    "staffel_percentage",
    "staffel_reimbursement",
    "weighted_index",
]
