"""Rule 9: the entry test for a new provider (nieuwe zorgaanbieder).

Source: CZ groep, Zorginkoopbeleid wijkverpleging 2027 (002_3d2709293215211c.txt), § 3.2.1 "Minimumeisen"
(the uitgangspunten for contracting new providers) with § 4.1 "Tijdpad", and bijlage 1, § 1.1 "Minimumeisen".
A new provider is one that had no contract with CZ groep the year before.

What can be computed from a few facts, each condition with its Dutch reason:
- the registration falls inside the window (1 December T−1 t/m 28 February T, data); a registration
  before or after it is not taken into consideration ("nemen we niet in behandeling");
- at most one registration per contract year: a provider that registered before in this contract year is
  not taken into consideration (the input is that yes/no; the policy allows one);
- the expected CZ turnover is at least the minimum (€ 50.000, data);
- in a kernwerkgebied, the ratio of rule 1 for a new provider in year T meets its threshold (computed by
  `toolkit.rules.ratio`, not again here); outside it the ratio does not apply (n.v.t.);
- a provider rejected last year for too little added value that does not show how that value has since
  developed is not taken into consideration.
The answer CZ aims for ("streven") comes 2 calendar months (data) after the registration: the same day,
or that month's last day. A registration not taken into consideration gets no answer date.

Not computed, to be shown by the provider itself ("zelf aantonen", `TO_SHOW`): added value, a white spot
(witte vlek), the integrity screening, the IGJ notification or admission, the substantiation of the
turnover over enough clients, and the requirements of bijlage 1, § 1.1 for every provider.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ...choices import flag
from ...dates import add_months, dutch_date
from ...errors import InputError
from ...numbers import format_money, format_number
from ...parameters import load_topic, plausible_date, policy_year, quantity
from ..ratio.rule import RatioAssessment, assess_client_area_ratio, clients_by_area

# The conditions, in the order the policy lists them (the names of the Python API).
WINDOW, FIRST_REGISTRATION, TURNOVER, RATIO, DEVELOPMENT = (
    "registration_window", "first_registration", "expected_turnover", "client_area_ratio", "development_shown")
NOT_CONSIDERED = "niet in behandeling"
# The conditions whose failure means the registration is not taken into consideration (no answer date).
GATES = (WINDOW, FIRST_REGISTRATION, DEVELOPMENT)
# What the provider shows itself (§ 3.2.1, bijlage 1 § 1.1): no figure decides it.
TO_SHOW = ("toegevoegde waarde", "witte vlek", "integriteitsonderzoek", "IGJ-melding, vergunning of toelating",
           "onderbouwing van de omzet over voldoende cliënten", "minimumeisen van bijlage 1 § 1.1")
ALL_MET = "voldoet aan alle berekenbare eisen"
NO_CLIENTS = "geen CZ-cliënten per postcodegebied opgegeven"
REJECTED = "vorig jaar afgewezen"  # for too little added value (the only rejection the policy names here)
NOT_DEVELOPED = f"{REJECTED}; ontwikkeling van de toegevoegde waarde niet aangetoond: {NOT_CONSIDERED}"


@dataclass(frozen=True)
class Condition:
    """One calculable condition: `met` (True as well when it does not apply), `applies` (False: n.v.t.) and
    the Dutch reason."""

    name: str
    met: bool
    reason: str
    applies: bool = True


@dataclass(frozen=True)
class NewProviderAssessment:
    """Outcome of the entry test. `answer_expected` is the date CZ aims to answer by ("streven"), None when
    the registration is not taken into consideration; `to_show` what the provider must show itself."""

    meets: bool
    conditions: tuple[Condition, ...]
    answer_expected: dt.date | None
    to_show: tuple[str, ...]
    year: int
    registration_date: dt.date
    expected_turnover: Decimal
    ratio: RatioAssessment  # rule 1 for a new provider (n.v.t. outside the kernwerkgebied)

    def condition(self, name: str) -> Condition:
        return next(c for c in self.conditions if c.name == name)

    @property
    def considered(self) -> bool:
        """Taken into consideration: in the window, a first registration, and no unanswered rejection."""
        return all(self.condition(n).met for n in GATES)

    @property
    def reasons(self) -> tuple[str, ...]:
        """The reasons of the conditions not met, in order."""
        return tuple(c.reason for c in self.conditions if not c.met)

    @property
    def summary(self) -> str:
        """The reasons not met joined with "; ", or that every calculable condition is met."""
        return "; ".join(self.reasons) or ALL_MET


def _window(day: dt.date, first: dt.date, last: dt.date) -> Condition:
    window = f"de termijn ({dutch_date(first)} t/m {dutch_date(last)})"
    registered = f"ingeschreven op {dutch_date(day)}"
    if day < first:
        return Condition(WINDOW, False, f"{registered}, vóór {window}: {NOT_CONSIDERED}")
    if day > last:
        return Condition(WINDOW, False, f"{registered}, na {window}: {NOT_CONSIDERED}")
    return Condition(WINDOW, True, f"{registered}, binnen {window}")


def _first_registration(registered_before: bool, year: int) -> Condition:
    if registered_before:
        return Condition(FIRST_REGISTRATION, False, f"tweede inschrijving voor contractjaar {year}: {NOT_CONSIDERED}")
    return Condition(FIRST_REGISTRATION, True, f"eerste inschrijving voor contractjaar {year}")


def _turnover(turnover: Decimal, minimum: Decimal) -> Condition:
    shown = format_money(minimum, cents=False)
    if turnover >= minimum:
        return Condition(TURNOVER, True, f"verwachte omzet bij CZ groep ten minste {shown}")
    return Condition(TURNOVER, False, f"verwachte omzet bij CZ groep lager dan {shown}")


def _ratio(assessment: RatioAssessment) -> Condition:
    """Rule 1's verdict; its reason in the words of the entry test, the ratio to 2 decimals (half up)."""
    if not assessment.applies:
        return Condition(RATIO, True, assessment.reason, applies=False)
    assert assessment.threshold is not None  # it applies: there is a threshold
    if assessment.areas == 0:
        return Condition(RATIO, False, NO_CLIENTS)
    ratio = (Decimal(assessment.clients) / assessment.areas).quantize(Decimal("0.01"), ROUND_HALF_UP)
    verdict = "minimaal" if assessment.meets else "minder dan"
    return Condition(RATIO, assessment.meets, f"gemiddeld {format_number(ratio)} CZ-cliënten per postcodegebied, "
                                              f"{verdict} {format_number(assessment.threshold)}")


def _development(rejected: bool, shown: bool) -> Condition:
    if not rejected:
        return Condition(DEVELOPMENT, True, "n.v.t.: vorig jaar niet afgewezen", applies=False)
    if shown:
        return Condition(DEVELOPMENT, True, f"{REJECTED}; ontwikkeling van de toegevoegde waarde aangetoond")
    return Condition(DEVELOPMENT, False, NOT_DEVELOPED)


def assess_new_provider(
    registration_date: object,
    expected_turnover: object,
    *,
    registered_before: object = False,
    in_core_area: object = False,
    clients_by_area: Mapping[str, Any] | None = None,
    rejected_last_year: object = False,
    development_shown: object = False,
    year: object = None,
) -> NewProviderAssessment:
    """The calculable conditions of § 3.2.1 for a new provider registering for contract year `year`.

    `registration_date`: a date, or as typed (15-01-2027, 2027-01-15, an Excel serial: `toolkit.dates`);
    `expected_turnover`: the substantiated expected CZ turnover a year, in euros; `in_core_area`: (most of)
    the care is in a kernwerkgebied of CZ groep, and then `clients_by_area` (CZ clients per PC4, as rule 1
    takes them) is needed; the yes/no arguments also take ja/nee.
    """
    chosen = policy_year(year)
    topic = load_topic("cz", "new_provider")
    topic.check_year(chosen)
    day = plausible_date(registration_date, "registration_date")
    turnover: Decimal = quantity("money").read(expected_turnover, "expected_turnover")
    core = flag(in_core_area, "in_core_area")
    if core and clients_by_area is None:
        raise InputError("clients_by_area: geen CZ-cliënten per postcodegebied opgegeven; wie (het merendeel van) de "
                         "zorg in een kernwerkgebied levert, toont daar de klant-werkgebiedratio aan",
                         field="clients_by_area", value=None)
    ratio = assess_client_area_ratio(clients_by_area or {}, year=chosen, provider="new",
                                     exemption=None if core else "buiten_kernwerkgebied")
    conditions = (
        _window(day, topic.date("registration_first_day", chosen), topic.date("registration_last_day", chosen)),
        _first_registration(flag(registered_before, "registered_before"), chosen),
        _turnover(turnover, topic.require_decimal("min_expected_turnover", chosen)),
        _ratio(ratio),
        _development(flag(rejected_last_year, "rejected_last_year"), flag(development_shown, "development_shown")),
    )
    considered = all(c.met for c in conditions if c.name in GATES)
    answer = add_months(day, topic.integer("answer_months", chosen)) if considered else None
    return NewProviderAssessment(
        meets=all(c.met for c in conditions), conditions=conditions, answer_expected=answer, to_show=TO_SHOW,
        year=chosen, registration_date=day, expected_turnover=turnover, ratio=ratio,
    )


def typed_clients_by_area(postcodes: Sequence[Any], clients: Sequence[Any]) -> dict[str, int] | None:
    """Rule 1's pairing of two columns (`clients_by_area`), or None when no postcode is typed at all: for the
    Excel function and the template, where the columns are left empty outside the kernwerkgebied."""
    counts = clients_by_area(postcodes, clients)  # a wrong row is an error even when no postcode is typed
    typed = any(not (p is None or (isinstance(p, str) and not p.strip())) for p in postcodes)
    return counts if typed else None


__all__ = ["ALL_MET", "DEVELOPMENT", "FIRST_REGISTRATION", "GATES", "NOT_CONSIDERED", "NOT_DEVELOPED", "NO_CLIENTS",
           "RATIO", "TO_SHOW", "TURNOVER", "WINDOW", "Condition",
           "NewProviderAssessment", "assess_new_provider", "typed_clients_by_area"]
