"""Rule 10: the caseload of the specialised dementia case manager — the rule (`rule.py`), its Excel function
(`excel.py`) and its template (`template.py`), declared here once.

Source: CZ groep, Zorginkoopbeleid wijkverpleging 2027, bijlage 1, § 1.5.2 "Casemanagement dementie". Both
bounds are data: `parameters/data/cz/dementia_case_management.yaml`.
"""

from __future__ import annotations

from ...numbers import format_number
from ...parameters import load_topic
from ..declaration import Rule
from .excel import FUNCTIONS
from .rule import ABOVE, BELOW, WITHIN, DementiaCaseload, assess_dementia_caseload
from .template import TEMPLATE


def _phrases(year: int) -> dict[str, str]:
    topic = load_topic("cz", "dementia_case_management")
    return {"caseload_min": format_number(topic.require_decimal("caseload_min", year)),
            "caseload_max": format_number(topic.require_decimal("caseload_max", year))}


RULE = Rule(
    number=10, name="dementia_caseload", title="Caseload van de gespecialiseerde casemanager dementie",
    topics=(("cz", "dementia_case_management"),), exports=("DementiaCaseload", "assess_dementia_caseload"),
    functions=FUNCTIONS, template=TEMPLATE, phrases=_phrases,
)

__all__ = ["ABOVE", "BELOW", "RULE", "WITHIN", "DementiaCaseload", "assess_dementia_caseload"]
