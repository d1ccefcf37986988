"""Rule 8: home-care technology (thuiszorgtechnologie) for at least half of the clients for whom it is
suitable — the rule (`rule.py`), its Excel function (`excel.py`) and its template (`template.py`), declared here
once.

Source: CZ groep, Zorginkoopbeleid wijkverpleging 2027, § 2.3.6 "Digitale zorg en AI". The minimum share is
data: `parameters/data/cz/home_technology.yaml`.
"""

from __future__ import annotations

from ...numbers import percent_text
from ...parameters import load_topic
from ..declaration import Rule
from .excel import FUNCTIONS
from .rule import ACTION_PLAN, NO_SUITABLE_CLIENTS, TechnologyShare, assess_technology_share
from .template import TEMPLATE


def _phrases(year: int) -> dict[str, str]:
    return {"min_technologie": percent_text(load_topic("cz", "home_technology").require_decimal("min_share", year))}


RULE = Rule(
    number=8, name="technology", title="Thuiszorgtechnologie bij ten minste de helft van de geschikte cliënten",
    topics=(("cz", "home_technology"),), exports=("TechnologyShare", "assess_technology_share"),
    functions=FUNCTIONS, template=TEMPLATE, phrases=_phrases,
)

__all__ = ["ACTION_PLAN", "NO_SUITABLE_CLIENTS", "RULE", "TechnologyShare", "assess_technology_share"]
