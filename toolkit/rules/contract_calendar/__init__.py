"""Rule 7: the contract-year calendar (tijdpad) — the rule (`rule.py`), working days by the Algemene
termijnenwet (`working_days.py`) and its Excel functions (`excel.py`), declared here once. No template.

Source: CZ groep, Zorginkoopbeleid wijkverpleging 2027, "Bezwaren" (p. 1), § 2.3.4, § 2.3.6, § 2.3.9, § 3.2.1,
§ 3.2.4, § 4.1 "Tijdpad", § 4.2, bijlage 1 § 1.6.3 and bijlage 2. The dates are data:
`parameters/data/cz/contract_calendar.yaml`, with those that other rules read where they live.
"""

from __future__ import annotations

from ..declaration import Rule
from .excel import FUNCTIONS
from .rule import (
    EVENT_NAMES,
    NOT_MOVED,
    STATUSES,
    CalendarEvent,
    contract_calendar,
    event_last_day,
)
from .working_days import add_working_days, day_off, easter_sunday, holidays, is_working_day

RULE = Rule(
    number=7, name="contract_calendar", title="Tijdpad van het contractjaar",
    topics=(("cz", "contract_calendar"), ("cz", "staffel"), ("cz", "ceiling"), ("cz", "new_provider"),
            ("nza", "nachtzorg")),
    exports=("CalendarEvent", "add_working_days", "contract_calendar"),
    functions=FUNCTIONS,
)

__all__ = ["EVENT_NAMES", "NOT_MOVED", "RULE", "STATUSES", "CalendarEvent", "add_working_days",
           "contract_calendar", "day_off", "easter_sunday", "event_last_day", "holidays", "is_working_day"]
