"""`zorginkoop kalender`: rule 7, the contract-year calendar — a table of the events of the contract round with
their status on a reference date, as JSON, or as an iCalendar file (RFC 5545) to import in Outlook or Google
Calendar."""

from __future__ import annotations

# Imports inside functions: icalendar and rich are imported by the command that uses them, so that
# `zorginkoop -h` and the other commands start without them (bench_startup.py).
import datetime as dt
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

import typer

from .._click_nl import Range, Words
from ..dates import WEEKDAYS, dutch_date
from ..errors import InputError, ToolkitError
from ..rules.contract_calendar import EVENT_NAMES, CalendarEvent, contract_calendar
from ..rules.ratio import PROVIDER_KINDS
from ..version import __version__
from .app import YEAR, JsonOption, ParametersOption, app, examples, fail, rich_table, say, terminal, use_parameters

_KALENDER_OPTIONS = {"year": YEAR, "jaar": YEAR, "reference_date": ("--peildatum",), "provider_kind": ("--soort",),
                     "out": ("--ics",)}
UID_DOMAIN = "zorginkoop-toolkit"
REMINDER_DAYS = 7  # a week: time to gather what a deadline asks for; --herinnering changes it


@app.command(options_metavar="[OPTIES]", short_help="Tijdpad van het contractjaar: termijnen, wie, status.",
             epilog=examples(
                 "zorginkoop kalender",
                 "zorginkoop kalender --jaar 2027 --peildatum 01-09-2026 --nachtzorg",
                 "zorginkoop kalender --soort nieuw --ics tijdpad-cz-2027.ics",
                 "zorginkoop kalender --json"))
def kalender(
    year: Annotated[int | None, typer.Option(*YEAR, metavar="JAAR", help="Beleidsjaar (contractjaar); standaard "
                                             "het huidige van de parametergegevens.", show_default=False)] = None,
    reference: Annotated[str | None, typer.Option(
        "--peildatum", metavar="DD-MM-JJJJ", help="De status op deze datum (standaard: vandaag).",
        show_default=False)] = None,
    kind: Annotated[str, typer.Option(
        "--soort", click_type=Words(PROVIDER_KINDS), help="bestaand: de contracteerronde; nieuw: de inschrijving "
        "van een nieuwe zorgaanbieder en het antwoord.")] = "bestaand",
    nachtzorg: Annotated[bool, typer.Option("--nachtzorg", help="Ook de termijnen van de businesscase "
                                                                 "onplanbare nachtzorg.")] = False,
    resv: Annotated[bool, typer.Option("--resv", help="Ook het RESV-plan (regio's met een RESV).")] = False,
    ics: Annotated[Path | None, typer.Option(
        "--ics", metavar="BESTAND", help="Schrijf ook een agenda-bestand (.ics) om in Outlook of Google Agenda te "
                                         "importeren: één afspraak per termijn.", show_default=False)] = None,
    reminder: Annotated[int, typer.Option(
        "--herinnering", metavar="DAGEN", click_type=Range(0, 90),
        help="In het agenda-bestand een herinnering zoveel dagen vóór elke termijn waarin de zorgaanbieder iets "
             "doet, bij een venster ook vóór de laatste dag (0: geen).")] = REMINDER_DAYS,
    force: Annotated[bool, typer.Option("--force", help="Een bestaand agenda-bestand overschrijven.")] = False,
    as_json: JsonOption = False,
    parameters: ParametersOption = None,
) -> None:
    """Tijdpad van het contractjaar (CZ groep): elke termijn van de contracteerronde met de data zoals het beleid
    ze schrijft, wie iets doet, de paragraaf en de status op de peildatum; de eerstvolgende termijn eerst."""
    from ..workbook.files import write_atomically

    use_parameters(parameters)
    # As --rapport wants .xlsx: a calendar program opens the file by its name. (No name: said when writing.)
    if ics is not None and ics.name and ics.suffix.lower() != ".ics" and not _folder(ics):
        example = ics.stem if ics.stem and not ics.stem.startswith(".") else "tijdpad"
        raise fail(InputError(f"--ics {ics}: de naam van een agenda-bestand eindigt op .ics (bijvoorbeeld "
                              f"{example}.ics); zo opent een agenda-programma het", field="out", value=str(ics)))
    try:
        events = contract_calendar(year, reference_date=reference, provider_kind=kind, nachtzorg=nachtzorg,
                                   resv_region=resv)
        if ics is not None:
            data = calendar_file(events, reminder_days=reminder)
            write_atomically(ics, lambda tmp: _write(tmp, data), overwrite=force, new_folder=False)
    except ToolkitError as exc:
        raise fail(exc, _KALENDER_OPTIONS) from None
    if as_json:
        sys.stdout.write(json.dumps(calendar_json(events, kind=kind, nachtzorg=nachtzorg, resv_region=resv),
                                    ensure_ascii=False, indent=1) + "\n")
    else:
        _print_calendar(events, kind=kind, nachtzorg=nachtzorg, resv=resv)
    if ics is not None:
        say(f"agenda geschreven: {ics} ({len(events)} afspraken)")


def _folder(path: Path) -> bool:
    """An existing folder (said when writing, not as a name without .ics); a name too long is no folder."""
    try:
        return path.is_dir()
    except OSError:
        return False


def _write(path: Path, data: bytes) -> None:
    path.write_bytes(data)


def calendar_json(events: Sequence[CalendarEvent], *, kind: str, nachtzorg: bool, resv_region: bool) -> dict[str, Any]:
    """The events and what they were asked for; `names` every name CZ_TERMIJN takes (all events, whatever the
    options)."""
    first = events[0]
    return {"year": first.year, "reference_date": first.reference_date.isoformat(), "provider_kind": kind,
            "nachtzorg": nachtzorg, "resv_region": resv_region, "policy": first.policy, "names": list(EVENT_NAMES),
            "events": [event.to_dict() for event in events]}


# --- the table --------------------------------------------------------------------------------------------

def _day(day: dt.date) -> str:
    """"zo 01-11-2026": the weekday shows a last day in the weekend at a glance."""
    return f"{WEEKDAYS[day.weekday()][:2]} {day:%d-%m-%Y}"


def _status(event: CalendarEvent) -> str:
    if event.status == "loopt":
        return f"loopt, nog {event.days_left} {'dag' if event.days_left == 1 else 'dagen'}"
    if event.status == "nog niet" and event.first_day is not None:
        return f"nog niet; vanaf {event.first_day:%d-%m-%Y}"
    if event.status == "vandaag":
        return "[bold]vandaag[/bold]"
    return event.status


def _print_calendar(events: Sequence[CalendarEvent], *, kind: str, nachtzorg: bool, resv: bool) -> None:
    """Fits an 80-column terminal: the title of each event, under it its dates as written and its sections; the
    events that have passed below a line, dimmed; then what to watch for."""
    from rich.markup import escape

    first = events[0]
    extra = [text for asked, text in ((nachtzorg, "nachtzorg"), (resv, "RESV")) if asked]
    who = ("bestaande" if kind == "existing" else "nieuwe") + " zorgaanbieder" + (
        f", met {' en '.join(extra)}" if extra else "")
    console = terminal()
    table = rich_table(f"Tijdpad contractjaar {first.year} ({first.policy})\nStatus op "
                       f"{dutch_date(first.reference_date)}; {who}")
    table.add_column("Laatste dag", no_wrap=True)
    table.add_column("Termijn", ratio=1, min_width=24)
    table.add_column("Wie", max_width=13)
    table.add_column("Status", max_width=16)
    passed = False
    for event in events:
        if event.passed and not passed:
            table.add_section()
            passed = True
        table.add_row(f"{_day(event.last_day)}{' !' if event.warnings else ''}",
                      f"{escape(event.title)}\n[dim]{escape(event.when)}\n{escape(event.section)}[/dim]",
                      escape(event.who), _status(event), style="dim" if event.passed else None)
    console.print(table)
    notes = []
    off = [f"{event.title} ({event.day_off.removeprefix('een ')})" for event in events if event.day_off]
    if off:
        notes.append(f"Laatste dag in het weekend of op een feestdag: {'; '.join(off)}. Het beleid zegt niet dat de "
                     "termijn dan opschuift.")
    conflicts = dict.fromkeys(conflict for event in events for conflict in event.conflicts)
    notes += [conflict[0].upper() + conflict[1:] + "." for conflict in conflicts]
    if notes:
        console.print("Let op (!):")
        _bullets(console, notes)
    console.print("De beschrijving en de bron van elke termijn: --json; een agenda-bestand: --ics BESTAND.",
                  style="dim")


def _bullets(console: Any, items: list[str]) -> None:
    """A list whose lines wrap under their own text, not under the dash."""
    from rich.markup import escape
    from rich.table import Table

    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column()
    for item in items:
        grid.add_row("  -", escape(item))
    console.print(grid)


# --- the iCalendar file --------------------------------------------------------------------------------------

def event_uid(event: CalendarEvent) -> str:
    """The same for the same event of the same year in every file, so that a calendar that imports the file
    again updates the event instead of adding it twice."""
    return f"cz-{event.year}-{event.name}@{UID_DOMAIN}"


def _description(event: CalendarEvent) -> str:
    lines = [event.description, f"Wanneer: {event.when}", f"Wie: {event.who}"]
    lines += [f"Let op: {warning}" for warning in event.warnings]
    lines += [f"Bron: {event.source}", f"Gemaakt met zorginkoop-toolkit {__version__} (zorginkoop kalender)."]
    return "\n".join(lines)


def calendar_file(events: Sequence[CalendarEvent], *, reminder_days: int = REMINDER_DAYS) -> bytes:
    """An iCalendar file (RFC 5545, METHOD:PUBLISH): one all-day event per deadline, a span for a window
    (DTEND is the day after the last day, as RFC 5545 has it for dates), transparent (not busy), with the
    description, who acts, the warnings and the source — the policy's title and section — as its text. No
    status: it changes every day, the file does not. Where the provider acts, a reminder `reminder_days`
    before the start (a VALARM that Outlook and Apple Agenda show; 0: none), and for a window longer than
    that a second one `reminder_days` before its last day; none where only CZ acts."""
    from icalendar import Alarm, Calendar, Event
    from icalendar.enums import TRANSP

    year = events[0].year
    calendar = Calendar.new(prodid=f"-//{UID_DOMAIN}//zorginkoop kalender {__version__}//NL",
                            name=f"CZ tijdpad {year}", method="PUBLISH", uid=f"cz-{year}-tijdpad@{UID_DOMAIN}")
    stamp = dt.datetime.now(dt.UTC).replace(microsecond=0)
    for event in events:
        summary = f"CZ {year}: {event.title}"
        item = Event.new(
            uid=event_uid(event), summary=summary, start=event.first_day or event.last_day,
            end=event.last_day + dt.timedelta(days=1), description=_description(event), stamp=stamp,
            transparency=TRANSP.TRANSPARENT, categories=["Zorginkoop CZ groep"])
        if reminder_days and "zorgaanbieder" in event.who:
            item.add_component(_alarm(Alarm, summary, -dt.timedelta(days=reminder_days)))
            first = event.first_day or event.last_day
            if event.last_day - dt.timedelta(days=reminder_days) > first:
                # A window (2 to 31 May) is missed at its end: a second reminder before the last day, counted
                # from DTEND, the day after it.
                item.add_component(_alarm(Alarm, f"{summary} (laatste dag {dutch_date(event.last_day)})",
                                          -dt.timedelta(days=reminder_days + 1), related="END"))
        calendar.add_component(item)
    data: bytes = calendar.to_ical()
    return data


def _alarm(kind: Any, text: str, before: dt.timedelta, *, related: str | None = None) -> Any:
    """A display reminder `before` the event's start (or, with related="END", before its DTEND)."""
    alarm = kind()
    alarm.add("action", "DISPLAY")
    alarm.add("description", text)
    alarm.add("trigger", before, parameters={"RELATED": related} if related else None)
    return alarm


__all__ = ["calendar_file", "calendar_json", "event_uid", "kalender"]
