"""Rule 9: the entry test for a new provider (nieuwe zorgaanbieder) — the rule (`rule.py`), its Excel function
(`excel.py`) and its template (`template.py`), declared here once.

Source: CZ groep, Zorginkoopbeleid wijkverpleging 2027, § 3.2.1 "Minimumeisen" (with § 4.1 "Tijdpad") and
bijlage 1, § 1.1. The window, the minimum turnover and the answer's months are data:
`parameters/data/cz/new_provider.yaml`; the ratio is rule 1's (`client_area_ratio.yaml`, new providers).
"""

from __future__ import annotations

from ...dates import dutch_date
from ...numbers import format_money, format_number
from ...parameters import load_topic
from ..declaration import Rule
from ..ratio.rule import ratio_threshold
from .excel import FUNCTIONS
from .rule import (
    ALL_MET,
    DEVELOPMENT,
    FIRST_REGISTRATION,
    GATES,
    NO_CLIENTS,
    NOT_CONSIDERED,
    NOT_DEVELOPED,
    RATIO,
    TO_SHOW,
    TURNOVER,
    WINDOW,
    Condition,
    NewProviderAssessment,
    assess_new_provider,
    typed_clients_by_area,
)
from .template import TEMPLATE


def _phrases(year: int) -> dict[str, str]:
    topic = load_topic("cz", "new_provider")
    months = topic.integer("answer_months", year)
    threshold = ratio_threshold(year, "new")
    return {
        "nieuw_termijn": f"{dutch_date(topic.date('registration_first_day', year))} t/m "
                         f"{dutch_date(topic.date('registration_last_day', year))}",
        "nieuw_min_omzet": format_money(topic.require_decimal("min_expected_turnover", year), cents=False),
        "nieuw_antwoord": f"{months} {'maand' if months == 1 else 'maanden'}",
        "nieuw_drempel": "geen eis" if threshold is None else f"{format_number(threshold)} cliënten per postcodegebied",
    }


RULE = Rule(
    number=9, name="new_provider", title="Nieuwe zorgaanbieder: de toets bij de inschrijving (CZ groep)",
    topics=(("cz", "new_provider"), ("cz", "client_area_ratio")),
    exports=("Condition", "NewProviderAssessment", "assess_new_provider"),
    functions=FUNCTIONS, template=TEMPLATE, phrases=_phrases,
)

__all__ = ["ALL_MET", "DEVELOPMENT", "FIRST_REGISTRATION", "GATES", "NOT_CONSIDERED", "NOT_DEVELOPED", "NO_CLIENTS",
           "RATIO", "RULE", "TO_SHOW", "TURNOVER", "WINDOW", "Condition", "NewProviderAssessment",
           "assess_new_provider", "typed_clients_by_area"]
