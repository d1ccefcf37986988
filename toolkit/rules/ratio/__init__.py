"""Rule 1: CZ's klant-werkgebiedratio (clients per 4-digit postcode area) — the rule (`rule.py`), its Excel
functions (`excel.py`) and its template (`template.py`), declared here once.

Source: CZ groep, Zorginkoopbeleid wijkverpleging 2027, § 2.3.2 "Toegankelijkheid van zorg",
"Versnippering", and bijlage 1, § 1.1 Minimumeisen. The thresholds per policy year and the claims year
(T−2) are data: `parameters/data/cz/client_area_ratio.yaml`.
"""

from __future__ import annotations

from ...dates import years_listed
from ...parameters import load_topic
from ..declaration import Rule
from .excel import FUNCTIONS
from .rule import (
    COUNTING_METHODS,
    EXEMPTION_REASONS,
    EXEMPTIONS,
    MOVERS_NOTE,
    PROVIDER_KINDS,
    RatioAssessment,
    RatioPolicy,
    assess_client_area_ratio,
    assess_normalised_counts,
    assess_ratio_counts,
    assess_totals,
    claims_year,
    client_area_ratio,
    clients_by_area,
    exemption_kind,
    kindzorg_exemption,
    provider_kind,
    ratio_policy,
    ratio_threshold,
)
from .template import TEMPLATE


def _phrases(year: int) -> dict[str, str]:
    topic = load_topic("cz", "client_area_ratio")
    offset = topic.integer("claims_year_offset", year)
    return {"ratio_jaren": years_listed(topic.years), "declaratiejaar": f"T{offset:+d}",
            "declaratiejaar_voorbeeld": str(year + offset)}


RULE = Rule(
    number=1, name="ratio", title="Klant-werkgebiedratio (CZ groep)", topics=(("cz", "client_area_ratio"),),
    exports=("RatioAssessment", "assess_client_area_ratio", "assess_ratio_counts", "ratio_threshold"),
    functions=FUNCTIONS, template=TEMPLATE, phrases=_phrases,
)

__all__ = ["COUNTING_METHODS", "EXEMPTIONS", "EXEMPTION_REASONS", "MOVERS_NOTE", "PROVIDER_KINDS", "RULE",
           "RatioAssessment", "RatioPolicy", "assess_client_area_ratio", "assess_normalised_counts",
           "assess_ratio_counts", "assess_totals", "claims_year", "client_area_ratio", "clients_by_area",
           "exemption_kind", "kindzorg_exemption", "provider_kind", "ratio_policy", "ratio_threshold"]
