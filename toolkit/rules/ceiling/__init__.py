"""Rule 5: the omzetplafond forecast and the request for an extra budget — the rule (`rule.py`), its Excel
functions (`excel.py`) and its template (`template.py`), declared here once.

Source: CZ groep, Zorginkoopbeleid wijkverpleging 2027, § 2.3.3 "Waardemodel en omzetplafond" and § 3.2.4
"Aanvullende zorginkoop". The share, the dates and the month are data: `parameters/data/cz/ceiling.yaml`.
"""

from __future__ import annotations

from ...dates import day_month, dutch_date, month_name
from ...numbers import percent_text
from ...parameters import load_topic
from ..declaration import Rule
from .excel import FUNCTIONS
from .rule import (
    METHODS,
    SELF_DEMONSTRATE,
    AdditionalPurchase,
    CeilingForecast,
    ProductionProjection,
    RequestEligibility,
    additional_budget_request,
    assess_additional_purchase,
    forecast_ceiling,
    project_production,
)
from .template import TEMPLATE


def _phrases(year: int) -> dict[str, str]:
    topic = load_topic("cz", "ceiling")
    return {
        "min_plafond": percent_text(topic.require_decimal("request_min_ceiling_share", year)),
        "peildatum": day_month(topic.date("request_reference_date", year)),
        "verzoekmaand": month_name(topic.integer("request_month", year)),
        "verzenddatum": dutch_date(topic.date("request_last_send_date", year)),
    }


RULE = Rule(
    number=5, name="ceiling", title="Omzetplafond: prognose en verzoek om aanvullend budget",
    topics=(("cz", "ceiling"),),
    exports=("AdditionalPurchase", "CeilingForecast", "additional_budget_request", "assess_additional_purchase",
             "forecast_ceiling"),
    functions=FUNCTIONS, template=TEMPLATE, phrases=_phrases,
)

__all__ = ["METHODS", "RULE", "SELF_DEMONSTRATE", "AdditionalPurchase", "CeilingForecast", "ProductionProjection",
           "RequestEligibility", "additional_budget_request", "assess_additional_purchase", "forecast_ceiling",
           "project_production"]
