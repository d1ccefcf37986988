"""Rule 3: care cooperatives — nurse-to-client ratio and maximum budget; the rule (`rule.py`), its Excel
functions (`excel.py`) and its template (`template.py`), declared here once.

Source: CZ groep, Zorginkoopbeleid wijkverpleging 2027, § 3.2.2 "Zorgcoöperaties" and bijlage 1, § 1.4.
Every number is data: `parameters/data/cz/cooperative.yaml`.
"""

from __future__ import annotations

from ...numbers import format_number
from ...parameters import load_topic
from ..declaration import Rule
from .excel import FUNCTIONS
from .rule import (
    CooperativeAssessment,
    MaxTurnover,
    WorkingTimeViolation,
    assess_cooperative,
    check_working_time,
    cooperative_max_turnover,
    fte_from_weekly_hours,
    max_hours_per_year,
    reading_name,
)
from .template import TEMPLATE


def _phrases(year: int) -> dict[str, str]:
    topic = load_topic("cz", "cooperative")
    weeks = topic.require_decimal("weeks_per_year", year)
    day, night = (topic.require_decimal(n, year) for n in ("atw_avg_week_hours", "atw_avg_week_hours_night"))
    return {
        "clienten_per_fte": format_number(topic.require_decimal("clients_per_level6_fte", year)),
        "voltijd_uren": format_number(topic.require_decimal("fulltime_week_hours", year)),
        "uren_week": format_number(day), "uren_week_nacht": format_number(night),
        "uren_jaar": format_number(day * weeks), "uren_jaar_nacht": format_number(night * weeks),
    }


RULE = Rule(
    number=3, name="cooperative", title="Zorgcoöperatie: verpleegkundige niveau 6 en maximale omzet",
    topics=(("cz", "cooperative"),),
    exports=("CooperativeAssessment", "MaxTurnover", "assess_cooperative", "check_working_time",
             "cooperative_max_turnover", "fte_from_weekly_hours"),
    functions=FUNCTIONS, template=TEMPLATE, phrases=_phrases,
)

__all__ = ["RULE", "CooperativeAssessment", "MaxTurnover", "WorkingTimeViolation", "assess_cooperative",
           "check_working_time", "cooperative_max_turnover", "fte_from_weekly_hours", "max_hours_per_year",
           "reading_name"]
