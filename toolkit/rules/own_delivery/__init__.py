"""Rule 6: at least half of the care by the provider itself (eigen levering) — the rule (`rule.py`), its
Excel function (`excel.py`) and its template (`template.py`), declared here once.

Source: CZ groep, Zorginkoopbeleid wijkverpleging 2027, bijlage 1, § 1.1 and § 1.2. The minimum share is
data: `parameters/data/cz/own_delivery.yaml`.
"""

from __future__ import annotations

from ...numbers import percent_text
from ...parameters import load_topic
from ..declaration import Rule
from .excel import FUNCTIONS
from .rule import EXEMPT_REASON, OwnDelivery, assess_own_delivery
from .template import TEMPLATE


def _phrases(year: int) -> dict[str, str]:
    return {"min_eigen": percent_text(load_topic("cz", "own_delivery").require_decimal("min_own_share", year))}


RULE = Rule(
    number=6, name="own_delivery", title="Eigen levering: ten minste de helft van de zorg zelf",
    topics=(("cz", "own_delivery"),), exports=("OwnDelivery", "assess_own_delivery"),
    functions=FUNCTIONS, template=TEMPLATE, phrases=_phrases,
)

__all__ = ["EXEMPT_REASON", "RULE", "OwnDelivery", "assess_own_delivery"]
