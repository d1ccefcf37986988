"""Rule 7: the contract-year calendar (tijdpad) — every event of the contract round with its dates, who acts,
the source, and its status on a reference date.

Source: CZ groep, Zorginkoopbeleid wijkverpleging 2027 (002_3d2709293215211c.txt): "Bezwaren" (p. 1),
§ 2.3.4, § 2.3.6, § 2.3.9, § 3.2.1, § 3.2.4, § 4.1 "Tijdpad", § 4.2, bijlage 1 § 1.6.3 and bijlage 2. Every
date is parameter data with its source: `parameters/data/cz/contract_calendar.yaml`, and the dates other rules
read where they already live (staffel, ceiling, new_provider, nza/nachtzorg).

Readings (SPEC 7):
- "uiterlijk X" and "t/m X": X is the last day; "vóór X": the day before X is the last day.
- "medio juli" is a window, the middle third of the month (11 t/m 20, data), shown as written.
- A last day on a Saturday, Sunday or holiday of the Algemene termijnenwet is flagged, not moved: the policy
  does not say that it moves (1 November 2026 is a Sunday).
- The text's two conflicts are shown as warnings, not resolved: the quality window (2–31 May, but 1–31 May for
  medische kindzorg in bijlage 2) and contracting t/m 31 October against signing uiterlijk 1 November.
- Answers the policy promises relative to a request ("binnen 2 maanden na de inschrijving", "binnen 10
  werkdagen") are given the dates they reach from the request's own window, and say so.

Status on a reference date d: verstreken (the last day is before d), vandaag (d is the last day), nog N dagen
(a deadline, calendar days to its last day), loopt (d inside a window), nog niet (a window not yet open).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from ...choices import choose, flag
from ...dates import add_months, day_month, dutch_date, month_name, read_date
from ...errors import InputError, show_value
from ...numbers import percent_text
from ...parameters import DatedValue, Topic, load_topic, policy_year
from ..ratio.rule import PROVIDER_KINDS
from .working_days import add_working_days, day_off

# The events' names, in the order of the policy year: stable keys for CZ_TERMIJN and the calendar's UIDs.
EVENT_NAMES = ("beleid", "bezwaar", "kwaliteit", "strategie", "resv", "voorstel", "contracteren", "aanbod",
               "tekenen", "publicatie", "inschrijving", "antwoord_nieuw", "nachtzorg_overleg", "businesscase",
               "volgverzoek", "innovatie", "bijcontractering", "verzoek_uiterlijk", "antwoord_verzoek")
STATUSES = ("verstreken", "vandaag", "nog N dagen", "loopt", "nog niet")
NOT_MOVED = "het beleid zegt niet dat de termijn dan opschuift"


@dataclass(frozen=True)
class CalendarEvent:
    """One event of the contract round. `first_day` is None for a deadline (only a last day); `when` gives the
    dates as the policy writes them; `source` the policy by its title and sections (with the quoted text),
    `section` only the section numbers, `policy` only the title. `status` and `days_left` (calendar days to the
    last day, negative once it has passed) are on `reference_date`. `day_off`: why the last day is no working
    day ("een zondag"), or None; `conflicts`: where the policy contradicts itself about this event; `warnings`:
    both as sentences. `applies_to`: whom it concerns, "all" providers, "existing" or "new" ones, providers of
    onplanbare "nachtzorg" or "resv" regions."""

    name: str
    title: str
    description: str
    when: str
    first_day: dt.date | None
    last_day: dt.date
    who: str
    applies_to: str
    source: str
    section: str
    policy: str
    status: str
    days_left: int
    warnings: tuple[str, ...]
    day_off: str | None
    conflicts: tuple[str, ...]
    year: int
    reference_date: dt.date

    @property
    def passed(self) -> bool:
        return self.days_left < 0

    def to_dict(self) -> dict[str, object]:
        """The fields as JSON takes them: dates as 2026-11-01, the warnings as a list."""
        fields = {name: getattr(self, name) for name in self.__dataclass_fields__}
        return {**fields, "first_day": self.first_day.isoformat() if self.first_day else None,
                "last_day": self.last_day.isoformat(), "warnings": list(self.warnings),
                "conflicts": list(self.conflicts), "reference_date": self.reference_date.isoformat()}


@dataclass(frozen=True)
class _Planned:
    """An event before a reference date gives it a status."""

    name: str
    title: str
    description: str
    when: str
    first_day: dt.date | None
    last_day: dt.date
    who: str
    applies_to: str
    sources: tuple[DatedValue, ...]
    conflicts: tuple[str, ...] = ()


# --- dates as the policy writes them -----------------------------------------------------------------------

def _span(first: dt.date, last: dt.date) -> str:
    """"2 t/m 31 mei 2026", "1 december 2026 t/m 28 februari 2027"."""
    if first.year != last.year:
        return f"{dutch_date(first)} t/m {dutch_date(last)}"
    if first.month != last.month:
        return f"{day_month(first)} t/m {dutch_date(last)}"
    return f"{first.day} t/m {dutch_date(last)}"


def _before(value: dt.date) -> dt.date:
    """The last day of "vóór X"."""
    return value - dt.timedelta(days=1)


# --- the events of a policy year -----------------------------------------------------------------------------

def _topics(year: int) -> dict[str, Topic]:
    topics = {"calendar": load_topic("cz", "contract_calendar"), "staffel": load_topic("cz", "staffel"),
              "ceiling": load_topic("cz", "ceiling"), "new": load_topic("cz", "new_provider"),
              "nachtzorg": load_topic("nza", "nachtzorg")}
    for topic in topics.values():
        topic.check_year(year)
    return topics


def _planned(year: int) -> tuple[_Planned, ...]:
    """Every event of the policy year `year`, in the order of EVENT_NAMES."""
    t = _topics(year)
    cal, ceiling, new, night = t["calendar"], t["ceiling"], t["new"], t["nachtzorg"]

    def value(topic: Topic, name: str) -> DatedValue:
        return topic[name].at(year)

    def date(topic: Topic, name: str) -> dt.date:
        return topic.date(name, year)

    quality_first, quality_last = date(cal, "quality_first_day"), t["staffel"].date("quality_data_deadline", year)
    kindzorg_first = date(cal, "quality_first_day_kindzorg")
    mid_first, mid_last = date(cal, "mid_july_first_day"), date(cal, "mid_july_last_day")
    mid_written = str(cal["mid_july_written"].value(year))
    contracting_last, signing_last = date(cal, "contracting_last_day"), date(cal, "signing_last_day")
    registration_first, registration_last = date(new, "registration_first_day"), date(new, "registration_last_day")
    answer_months = new.integer("answer_months", year)
    request_month = ceiling.integer("request_month", year)
    request_first = dt.date(year, request_month, 1)
    request_last = dt.date(year, request_month, calendar.monthrange(year, request_month)[1])
    reference, send_before = date(ceiling, "request_reference_date"), date(ceiling, "request_last_send_date")
    answer_days = cal.integer("request_answer_working_days", year)
    answer_last = add_working_days(request_last, answer_days)
    round_conflict = (f"tegenstrijdig in het beleid: contracteren loopt t/m {dutch_date(contracting_last)}, maar "
                      f"tekenen kan uiterlijk {dutch_date(signing_last)}; de toolkit kiest niet")
    months = "maand" if answer_months == 1 else "maanden"

    return (
        _Planned("beleid", "Zorginkoopbeleid gepubliceerd",
                 f"CZ groep publiceert het zorginkoopbeleid wijkverpleging voor {year}.",
                 f"uiterlijk {dutch_date(date(cal, 'policy_published'))}", None, date(cal, "policy_published"), "CZ",
                 "all", (value(cal, "policy_published"),)),
        _Planned("bezwaar", "Bezwaar tegen het inkoopbeleid",
                 "Bezwaar tegen het inkoopbeleid (bijvoorbeeld tegen criteria of termijnen) kenbaar maken bij CZ "
                 "groep. Na deze datum vervalt het recht daarop.",
                 f"uiterlijk {dutch_date(date(cal, 'objection_last_day'))}", None, date(cal, "objection_last_day"),
                 "zorgaanbieder", "all", (value(cal, "objection_last_day"),)),
        _Planned("kwaliteit", "Kwaliteitsinformatie in VECOZO",
                 "Kwaliteitsinformatie aanleveren in de uitvraagmodule van VECOZO (een certificaat is nodig). "
                 "Nodig voor een overeenkomst; wat later binnenkomt telt niet mee en is niet meer te wijzigen. Niet "
                 "tijdig aanleveren geeft automatisch score C in het waardemodel.",
                 _span(quality_first, quality_last), quality_first, quality_last, "zorgaanbieder", "existing",
                 (value(cal, "quality_first_day"), value(t["staffel"], "quality_data_deadline"),
                  value(cal, "quality_first_day_kindzorg")),
                 (f"tegenstrijdig in het beleid: voor medische kindzorg noemt bijlage 2 "
                  f"{_span(kindzorg_first, quality_last)}, de rest van het beleid {_span(quality_first, quality_last)}"
                  "; de toolkit kiest niet",)),
        _Planned("strategie", "Strategisch beleid delen (op verzoek)",
                 "Op verzoek van CZ groep het strategisch beleid delen, of verwijzen naar de plek waar het te "
                 "vinden is.", f"uiterlijk {dutch_date(date(cal, 'strategy_last_day'))}", None,
                 date(cal, "strategy_last_day"), "zorgaanbieder", "existing", (value(cal, "strategy_last_day"),)),
        _Planned("resv", "RESV-plan van de regio",
                 f"De regio levert het plan van het Regionaal Eerstelijns Samenwerkingsverband (RESV) voor {year} "
                 "aan bij CZ groep (alleen in regio's met een RESV).",
                 f"uiterlijk {dutch_date(date(cal, 'resv_plan_last_day'))}", None, date(cal, "resv_plan_last_day"),
                 "regio (RESV)", "resv", (value(cal, "resv_plan_last_day"),)),
        _Planned("voorstel", "Productievoorstellen bekend",
                 f"CZ groep maakt de productievoorstellen voor {year} bekend; daarna kunt u erop reageren. Het "
                 f"beleid schrijft '{mid_written}': de toolkit rekent met {_span(mid_first, mid_last)}.",
                 f"{mid_written} {mid_last.year}", mid_first, mid_last, "CZ", "existing",
                 (value(cal, "mid_july_first_day"), value(cal, "mid_july_last_day"))),
        _Planned("contracteren", "Contracteren",
                 "De contractbesprekingen tussen CZ groep en de zorgaanbieder.",
                 f"{mid_written} t/m {dutch_date(contracting_last)}", mid_first, contracting_last,
                 "CZ en zorgaanbieder", "existing", (value(cal, "mid_july_first_day"),
                                                     value(cal, "contracting_last_day")), (round_conflict,)),
        _Planned("aanbod", "Overeenkomsten aangeboden",
                 "CZ groep biedt de overeenkomsten aan.", f"uiterlijk {dutch_date(date(cal, 'offer_last_day'))}",
                 None, date(cal, "offer_last_day"), "CZ", "existing", (value(cal, "offer_last_day"),)),
        _Planned("tekenen", "Uiterste tekendatum, ronde sluit",
                 "Uiterste termijn om de overeenkomst te tekenen. Op deze datum sluit CZ groep de contracteerronde "
                 "en de contractbesprekingen af.", f"uiterlijk {dutch_date(signing_last)}", None, signing_last,
                 "zorgaanbieder", "existing", (value(cal, "signing_last_day"),), (round_conflict,)),
        _Planned("publicatie", "Gecontracteerd zorgaanbod gepubliceerd",
                 f"CZ groep publiceert de gecontracteerde zorgaanbieders voor {year} (www.cz.nl/zorgvinder).",
                 f"uiterlijk {dutch_date(date(cal, 'publication_last_day'))}", None,
                 date(cal, "publication_last_day"), "CZ", "all", (value(cal, "publication_last_day"),)),
        _Planned("inschrijving", "Inschrijving nieuwe zorgaanbieders",
                 f"Een nieuwe zorgaanbieder schrijft zich in voor een overeenkomst {year}: één keer per contractjaar, "
                 "met de digitale vragenlijst in VECOZO (een certificaat is nodig). Latere inschrijvingen neemt CZ "
                 "groep niet in behandeling; een overeenkomst geldt nooit met terugwerkende kracht.",
                 _span(registration_first, registration_last), registration_first, registration_last,
                 "nieuwe zorgaanbieder", "new", (value(new, "registration_first_day"),
                                                 value(new, "registration_last_day"))),
        _Planned("antwoord_nieuw", "Antwoord op de inschrijving",
                 f"CZ groep streeft ernaar binnen {answer_months} {months} na de inschrijving te laten weten of de "
                 f"zorgaanbieder een overeenkomst krijgt; bij inschrijving op {dutch_date(registration_last)}: "
                 f"{dutch_date(add_months(registration_last, answer_months))}.",
                 f"binnen {answer_months} {months} na de inschrijving (streven)", registration_first,
                 add_months(registration_last, answer_months), "CZ", "new", (value(new, "answer_months"),)),
        _Planned("nachtzorg_overleg", "Nachtzorg: nieuwe businesscase bespreken",
                 "Zorgaanbieder en preferente zorgverzekeraar bespreken of er een nieuwe of aangepaste businesscase "
                 "voor de onplanbare nachtzorg moet komen, en waarom.",
                 f"vóór {dutch_date(date(night, 'business_case_discuss_before'))}", None,
                 _before(date(night, "business_case_discuss_before")), "zorgaanbieder en preferente verzekeraar",
                 "nachtzorg", (value(night, "business_case_discuss_before"),)),
        _Planned("businesscase", "Nachtzorg: businesscase aanleveren",
                 "De zorgaanbieder levert de businesscase voor de onplanbare nachtzorg aan bij de preferente "
                 "zorgverzekeraar.", f"vóór {dutch_date(date(night, 'business_case_deliver_before'))}", None,
                 _before(date(night, "business_case_deliver_before")), "zorgaanbieder", "nachtzorg",
                 (value(night, "business_case_deliver_before"),)),
        _Planned("volgverzoek", "Nachtzorg: volgverzoek indienen",
                 "De zorgaanbieder dient het getekende volgverzoek in bij de verre zorgverzekeraars. Een later "
                 "volgverzoek wordt niet in behandeling genomen; zonder overeenstemming met de preferente "
                 "zorgverzekeraar blijven de bestaande afspraken van kracht.",
                 f"vóór {dutch_date(date(night, 'follow_request_before'))}", None,
                 _before(date(night, "follow_request_before")), "zorgaanbieder", "nachtzorg",
                 (value(night, "follow_request_before"),)),
        _Planned("innovatie", "Innovatieafspraak: projectplan",
                 "Wie een aanvullende innovatieafspraak wil, stuurt een projectplan in met ten minste SMART-doelen, "
                 "concrete KPI's en een begroting.",
                 f"vóór {dutch_date(date(cal, 'innovation_plan_before'))}", None,
                 _before(date(cal, "innovation_plan_before")), "zorgaanbieder", "all",
                 (value(cal, "innovation_plan_before"),)),
        _Planned("bijcontractering", "Verzoek om aanvullend budget",
                 "Verzoek om aanvullend budget (bijcontractering) indienen via de website van CZ groep, als vóór "
                 f"{day_month(reference)} ten minste "
                 f"{percent_text(ceiling.require_decimal('request_min_ceiling_share', year))} van het omzetplafond "
                 f"{year} is bereikt en het plafond naar verwachting niet volstaat (regel 5). Verzonden vóór "
                 f"{dutch_date(send_before)}.",
                 f"in {month_name(request_month)} {year}", request_first, request_last, "zorgaanbieder", "all",
                 (value(ceiling, "request_month"), value(ceiling, "request_reference_date"),
                  value(ceiling, "request_min_ceiling_share"))),
        # A deadline, not a report that it happened: a title in a calendar reads as the thing to do.
        _Planned("verzoek_uiterlijk", "Verzoek aanvullend budget uiterlijk verzenden",
                 "Het verzoek om aanvullend budget moet vóór deze datum verzonden zijn, via de website van CZ groep "
                 "(niet per e-mail).",
                 f"vóór {dutch_date(send_before)}", None, _before(send_before), "zorgaanbieder", "all",
                 (value(ceiling, "request_last_send_date"),)),
        _Planned("antwoord_verzoek", "Uitsluitsel op het verzoek",
                 f"CZ groep geeft uitsluitsel binnen {answer_days} werkdagen nadat aanvraag en gegevens compleet zijn "
                 f"(werkdagen volgens de Algemene termijnenwet); bij een complete aanvraag op "
                 f"{dutch_date(request_last)}: uiterlijk {dutch_date(answer_last)}.",
                 f"binnen {answer_days} werkdagen na een complete aanvraag", request_first, answer_last, "CZ", "all",
                 (value(cal, "request_answer_working_days"),)),
    )


# --- status on a reference date ----------------------------------------------------------------------------

def _status(first: dt.date | None, last: dt.date, on: dt.date) -> str:
    if on > last:
        return "verstreken"
    if on == last:
        return "vandaag"
    if first is not None:
        return "loopt" if on >= first else "nog niet"
    days = (last - on).days
    return f"nog {days} {'dag' if days == 1 else 'dagen'}"


_REFERENCE = re.compile(r"bijlage \d+(?:, § [\d.]*\d)?|§ [\d.]*\d")
_QUOTED = re.compile(r"'[^']*'")


def _references(section: str) -> list[str]:
    """The section numbers a source names outside its quotes: "§ 2.3.4", "§ 4.1" of "§ 2.3.4 Kwaliteit …: '…';
    § 4.1 Tijdpad: '…'"; "Bezwaren (p. 1)" of "Bezwaren (p. 1): '…'"."""
    found = _REFERENCE.findall(_QUOTED.sub("", section))
    return found or [section.split(":")[0].strip()]


def _sources(values: tuple[DatedValue, ...]) -> tuple[str, str]:
    """The policy by its title and every section quoted ("CZ groep, …, § 2.3.4 …; § 4.1 …"), and the
    sections' numbers alone ("§ 2.3.4, § 4.1")."""
    by_document: dict[str, list[str]] = {}
    for dated in values:
        sections = by_document.setdefault(dated.source.document, [])
        if dated.source.section not in sections:
            sections.append(dated.source.section)
    full = "; ".join(f"{document}, {'; '.join(sections)}" for document, sections in by_document.items())
    references = list(dict.fromkeys(r for sections in by_document.values() for s in sections for r in _references(s)))
    return full, ", ".join(references)


def _event(planned: _Planned, on: dt.date, year: int) -> CalendarEvent:
    off = day_off(planned.last_day)
    flagged = () if off is None else (f"{dutch_date(planned.last_day)} valt op {off}; {NOT_MOVED}",)
    source, section = _sources(planned.sources)
    return CalendarEvent(
        name=planned.name, title=planned.title, description=planned.description, when=planned.when,
        first_day=planned.first_day, last_day=planned.last_day, who=planned.who, applies_to=planned.applies_to,
        source=source, section=section, policy=planned.sources[0].source.document,
        status=_status(planned.first_day, planned.last_day, on), days_left=(planned.last_day - on).days,
        warnings=flagged + planned.conflicts, day_off=off, conflicts=planned.conflicts, year=year, reference_date=on,
    )


def _order(event: CalendarEvent) -> tuple[bool, dt.date, dt.date, int]:
    """Next deadline first: what is still open by its last day, then what has passed, in the same order."""
    return (event.passed, event.last_day, event.first_day or event.last_day, EVENT_NAMES.index(event.name))


def contract_calendar(
    year: object = None,
    *,
    reference_date: object = None,
    provider_kind: object = "existing",
    nachtzorg: object = False,
    resv_region: object = False,
) -> tuple[CalendarEvent, ...]:
    """The events of the contract round of policy year `year` with their status on `reference_date` (default:
    today), the next deadline first and those passed last.

    `provider_kind` "existing" (bestaand) or "new" (nieuw): the events of the round for existing providers, or
    the registration and answer of a new one; events for every provider are always there. `nachtzorg`: also the
    business-case dates of onplanbare nachtzorg; `resv_region`: also the RESV plan. `reference_date` as
    `toolkit.dates.read_date` reads it (15-05-2026, 2026-05-15, a date).
    """
    year = policy_year(year)
    on = dt.date.today() if reference_date is None else read_date(reference_date, "reference_date")
    kind = choose(provider_kind, PROVIDER_KINDS, field="provider_kind", label="provider_kind: soort zorgaanbieder",
                  expected="'bestaand' of 'nieuw'")
    wanted = {"all", kind} | ({"nachtzorg"} if flag(nachtzorg, "nachtzorg") else set()) \
        | ({"resv"} if flag(resv_region, "resv_region") else set())
    events = [_event(p, on, year) for p in _planned(year) if p.applies_to in wanted]
    return tuple(sorted(events, key=_order))


def event_last_day(name: object, year: object = None) -> dt.date:
    """The last day of the event `name` (one of EVENT_NAMES, case and spaces ignored) in policy year `year`:
    what CZ_TERMIJN gives."""
    key = re.sub(r"[\s-]+", "_", name.strip().lower()) if isinstance(name, str) else None
    if key not in EVENT_NAMES:
        raise InputError(f"name: {show_value(name)} is onbekend (bekend: {', '.join(EVENT_NAMES)})", field="name",
                         value=name)
    year = policy_year(year)
    return next(p.last_day for p in _planned(year) if p.name == key)


__all__ = ["EVENT_NAMES", "NOT_MOVED", "STATUSES", "CalendarEvent", "add_working_days",
           "contract_calendar", "event_last_day"]
