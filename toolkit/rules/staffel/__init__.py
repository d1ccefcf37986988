"""Rule 2: the staffel for additional purchasing (bijcontractering) — the rule (`rule.py`), its Excel
functions (`excel.py`) and its template (`template.py`), declared here once.

Source: CZ groep, Zorginkoopbeleid wijkverpleging 2027, § 3.2.4 "Aanvullende zorginkoop", § 2.3.3 and
§ 2.3.4. The table and its numbers are data: `parameters/data/cz/staffel.yaml`.
"""

from __future__ import annotations

from decimal import Decimal

from ...numbers import format_money, format_number, percent_text
from ...parameters import load_topic
from ..declaration import Rule
from .excel import FUNCTIONS
from .rule import (
    CONDITIONS,
    DEVIATING_MERGER,
    DEVIATING_PALLIATIVE,
    NOT_ELIGIBLE,
    StaffelOutcome,
    normalise_score,
    staffel_percentage,
    staffel_reimbursement,
    staffel_table,
    table_text,
)
from .template import TEMPLATE


def _phrases(year: int) -> dict[str, str]:
    topic = load_topic("cz", "staffel")
    table = {str(row["condition"]): row["percentage"] for row in topic.table("table", year)}

    def percent(condition: str) -> str:
        value = table.get(condition)
        return percent_text(value) if isinstance(value, Decimal) else "-"

    return {
        "min_punten": format_number(topic.require_decimal("min_cost_points_b", year)),
        "pct_b": percent("b_enough_cost_points"), "pct_plafondvrij": percent("ceiling_free"),
        "pct_geen_score": percent("no_score"),
        "min_productie": format_money(topic.require_decimal("waardemodel_min_production", year), cents=False),
    }


RULE = Rule(
    number=2, name="staffel", title="Staffel aanvullende zorginkoop (CZ groep)", topics=(("cz", "staffel"),),
    exports=("StaffelOutcome", "staffel_percentage", "staffel_reimbursement"),
    functions=FUNCTIONS, template=TEMPLATE, phrases=_phrases,
)

__all__ = ["CONDITIONS", "DEVIATING_MERGER", "DEVIATING_PALLIATIVE", "NOT_ELIGIBLE", "RULE", "StaffelOutcome",
           "normalise_score", "staffel_percentage", "staffel_reimbursement", "staffel_table", "table_text"]
