"""Rule 4: the indexation of the onplanbare nachtzorg budget — the rule (`rule.py`), its Excel functions
(`excel.py`) and its template (`template.py`), declared here once.

Source: CZ groep, Zorginkoopbeleid wijkverpleging 2027, bijlage 1, § 1.6.3 "Onplanbare nachtzorg" (the
nationally uniform method, also in Caresq's policy). The weights and deadlines are data:
`parameters/data/nza/nachtzorg.yaml`.
"""

from __future__ import annotations

from ...numbers import percent_text
from ...parameters import load_topic
from ..declaration import Rule
from .excel import FUNCTIONS
from .rule import (
    METHODS,
    BusinessCaseDeadlines,
    NachtzorgIndexation,
    business_case_deadlines,
    follow_request_handled,
    index_nachtzorg_budget,
    indexation_factor,
    weighted_index,
)
from .template import TEMPLATE


def _phrases(year: int) -> dict[str, str]:
    topic = load_topic("nza", "nachtzorg")
    return {"gewicht_pers": percent_text(topic.require_decimal("weight_personnel", year)),
            "gewicht_mat": percent_text(topic.require_decimal("weight_material", year))}


RULE = Rule(
    number=4, name="nachtzorg", title="Indexatie budget onplanbare nachtzorg", topics=(("nza", "nachtzorg"),),
    exports=("NachtzorgIndexation", "index_nachtzorg_budget", "indexation_factor", "weighted_index"),
    functions=FUNCTIONS, template=TEMPLATE, phrases=_phrases,
)

__all__ = ["METHODS", "RULE", "BusinessCaseDeadlines", "NachtzorgIndexation", "business_case_deadlines",
           "follow_request_handled", "index_nachtzorg_budget", "indexation_factor", "weighted_index"]
