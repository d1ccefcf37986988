"""Rule 11: the share of care inside CZ's kernwerkgebied, from claims (`rule.py`; the claims side:
`toolkit.claims.core_area`), declared here once. No Excel function and no template: the share comes from
claim files, which a spreadsheet does not hold.

Source: CZ groep, Zorginkoopbeleid wijkverpleging 2027, bijlage 1, § 1.1 Minimumeisen and § 3.2.1. The
minimum share is data: `parameters/data/cz/core_area.yaml`.
"""

from __future__ import annotations

from ...numbers import percent_text
from ...parameters import load_topic
from ..declaration import Rule
from .rule import MAX_LINES, MEASURES, CoreAreas, CoreAreaShare, assess_core_area_share, parse_core_areas, shown_share


def _phrases(year: int) -> dict[str, str]:
    return {"min_binnen": percent_text(load_topic("cz", "core_area").require_decimal("min_share_inside", year))}


RULE = Rule(
    number=11, name="core_area", title="Zorg binnen het kernwerkgebied (uit declaraties)",
    topics=(("cz", "core_area"),), exports=("CoreAreaShare", "CoreAreas", "assess_core_area_share",
                                             "parse_core_areas"),
    phrases=_phrases,
)

__all__ = ["MAX_LINES", "MEASURES", "RULE", "CoreAreaShare", "CoreAreas", "assess_core_area_share", "parse_core_areas",
           "shown_share"]
