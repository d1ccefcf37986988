"""Rule 7, the contract-year calendar (tijdpad): the dates of the 2027 round as the policy writes them, each with
its source; status on a reference date; weekend flags; the two conflicts; working days by the Algemene
termijnenwet against a hand-made list of holidays; bad input; the command at 80 columns, as JSON and as an
iCalendar file that calendars import; the Excel functions."""

from __future__ import annotations

import ast
import datetime as dt
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar
from test_bad_input import run_cli

from toolkit import CalendarEvent, InputError, PolicyYearError, add_working_days, contract_calendar, udfs
from toolkit.dates import dutch_date, excel_serial
from toolkit.parameters import OVERLAY_VARIABLE
from toolkit.rules.contract_calendar import EVENT_NAMES, easter_sunday, event_last_day, holidays
from toolkit.rules.contract_calendar.rule import STATUSES

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
POLICY = "CZ groep, Zorginkoopbeleid wijkverpleging 2027"
D = dt.date


def calendar(on: str = "01-09-2026", **options: Any) -> dict[str, CalendarEvent]:
    return {e.name: e for e in contract_calendar(2027, reference_date=on, **options)}


def every_event(on: str = "01-09-2026") -> dict[str, CalendarEvent]:
    return {**calendar(on, nachtzorg=True, resv_region=True), **calendar(on, provider_kind="new")}


# --- the dates of SPEC 7 ---------------------------------------------------------------------------------------

# name: (first day or None, last day, as the policy writes it, who acts, a section the source names)
SPEC = {
    "beleid": (None, D(2026, 4, 1), "uiterlijk 1 april 2026", "CZ", "§ 4.1"),
    "bezwaar": (None, D(2026, 5, 15), "uiterlijk 15 mei 2026", "zorgaanbieder", "Bezwaren (p. 1)"),
    "kwaliteit": (D(2026, 5, 2), D(2026, 5, 31), "2 t/m 31 mei 2026", "zorgaanbieder", "§ 2.3.4"),
    "strategie": (None, D(2026, 6, 1), "uiterlijk 1 juni 2026", "zorgaanbieder", "§ 4.1"),
    "resv": (None, D(2026, 7, 15), "uiterlijk 15 juli 2026", "regio (RESV)", "§ 2.3.9"),
    "voorstel": (D(2026, 7, 11), D(2026, 7, 20), "medio juli 2026", "CZ", "§ 4.1"),
    "contracteren": (D(2026, 7, 11), D(2026, 10, 31), "medio juli t/m 31 oktober 2026", "CZ en zorgaanbieder",
                     "§ 4.1"),
    "aanbod": (None, D(2026, 9, 20), "uiterlijk 20 september 2026", "CZ", "§ 4.1"),
    "tekenen": (None, D(2026, 11, 1), "uiterlijk 1 november 2026", "zorgaanbieder", "§ 4.1"),
    "publicatie": (None, D(2026, 11, 12), "uiterlijk 12 november 2026", "CZ", "§ 4.2"),
    "inschrijving": (D(2026, 12, 1), D(2027, 2, 28), "1 december 2026 t/m 28 februari 2027", "nieuwe zorgaanbieder",
                     "§ 3.2.1"),
    "antwoord_nieuw": (D(2026, 12, 1), D(2027, 4, 28), "binnen 2 maanden na de inschrijving (streven)", "CZ",
                       "§ 3.2.1"),
    "nachtzorg_overleg": (None, D(2027, 3, 31), "vóór 1 april 2027", "zorgaanbieder en preferente verzekeraar",
                          "bijlage 1, § 1.6.3"),
    "businesscase": (None, D(2027, 4, 30), "vóór 1 mei 2027", "zorgaanbieder", "bijlage 1, § 1.6.3"),
    "volgverzoek": (None, D(2027, 6, 30), "vóór 1 juli 2027", "zorgaanbieder", "bijlage 1, § 1.6.3"),
    "innovatie": (None, D(2027, 7, 31), "vóór 1 augustus 2027", "zorgaanbieder", "§ 2.3.6"),
    "bijcontractering": (D(2027, 9, 1), D(2027, 9, 30), "in september 2027", "zorgaanbieder", "§ 3.2.4"),
    "verzoek_uiterlijk": (None, D(2027, 12, 30), "vóór 31 december 2027", "zorgaanbieder", "§ 3.2.4"),
    # 10 working days after Thursday 30 September 2027: Friday 1 October is day 1.
    "antwoord_verzoek": (D(2027, 9, 1), D(2027, 10, 14), "binnen 10 werkdagen na een complete aanvraag", "CZ",
                         "§ 3.2.4"),
}


def test_every_name_is_an_event_of_the_spec() -> None:
    assert set(EVENT_NAMES) == set(SPEC) == set(every_event())


@pytest.mark.parametrize("name", list(SPEC))
def test_the_dates_as_spec_7_reads_them(name: str) -> None:
    first, last, when, who, section = SPEC[name]
    event = every_event()[name]
    assert (event.first_day, event.last_day, event.when, event.who) == (first, last, when, who)
    assert section in event.section.split(", ") or section in event.section
    assert event.source.startswith(f"{POLICY}, ") and event.policy == POLICY
    assert event.year == 2027 and event.description and event.title
    assert event_last_day(name, 2027) == last == udfs.CZ_TERMIJN(name, 2027)


def test_a_deadline_reads_as_something_still_to_do() -> None:
    # In a calendar a title is what to do by that day: "Verzoek aanvullend budget verzonden" read as if the
    # request had already gone out.
    done = re.compile(r"\b(verzonden|ingediend|aangeleverd|getekend|gedaan)\s*$")
    assert not [e.title for e in every_event().values() if done.search(e.title)]


def test_vóór_is_the_day_before_and_medio_is_the_middle_of_the_month() -> None:
    events = every_event()
    assert events["volgverzoek"].last_day == D(2027, 6, 30)  # "vóór 1 juli"
    assert events["verzoek_uiterlijk"].last_day == D(2027, 12, 30)  # "vóór 31 december 2027"
    assert "medio juli" in events["voorstel"].description and "11 t/m 20 juli 2026" in events["voorstel"].description
    assert events["contracteren"].first_day == events["voorstel"].first_day


def _seed_text() -> str:
    if not SEEDS.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{SEEDS} is missing: CI lays ../shared beside the project")
        pytest.skip("../shared/seeds is not beside the project")
    return " ".join((SEEDS / "002_3d2709293215211c.txt").read_text(encoding="utf-8").split())


@pytest.mark.parametrize("name", list(SPEC))
def test_every_event_quotes_the_policy_text_it_rests_on(name: str) -> None:
    """Each quoted fragment of an event's source is in the policy text (whitespace as the PDF broke it aside)."""
    policy = _seed_text()
    source = every_event()[name].source
    quotes = re.findall(r"'([^']{8,})'", source)
    assert quotes or name in {"nachtzorg_overleg", "businesscase", "volgverzoek"}, source  # rule 4 paraphrases
    for quote in quotes:
        for part in quote.split("…"):
            assert " ".join(part.split()) in policy, (name, part)


def test_no_date_of_the_policy_is_typed_into_the_code() -> None:
    """The texts of the code (not its docstrings) and its calls carry no date of the policy: every one comes from
    the data. (The holidays of the law are code, in working_days.py.)"""
    months = "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"
    for name in ("rule.py", "excel.py", "__init__.py"):
        path = ROOT / "toolkit" / "rules" / "contract_calendar" / name
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                      if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef) and node.body
                      and isinstance(node.body[0], ast.Expr)}
        texts = [node.value for node in ast.walk(tree) if isinstance(node, ast.Constant)
                 and isinstance(node.value, str) and id(node) not in docstrings]
        for text in texts:
            law = text.replace("5 mei", "")  # Bevrijdingsdag, a holiday of the law (WERKDAGEN_NA's help)
            assert not re.search(rf"\b\d{{1,2}} ({months})\b|\b20\d\d\b", law), (path, text)
        assert not [node for node in ast.walk(tree) if isinstance(node, ast.Constant)
                    and isinstance(node.value, int) and 2000 < node.value < 2100], path


def test_every_date_follows_the_parameter_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    overlay = tmp_path / "eigen" / "cz"
    overlay.mkdir(parents=True)
    source = {"document": POLICY, "section": "§ 4.1 Tijdpad (gecorrigeerd)"}
    (overlay / "contract_calendar.yaml").write_text(yaml.safe_dump({"topic": "contract_calendar", "parameters": {
        "signing_last_day": {"values": {2027: {"value": D(2026, 11, 2), "source": source}}}}}), encoding="utf-8")
    monkeypatch.setenv(OVERLAY_VARIABLE, str(overlay.parent))
    event = calendar()["tekenen"]
    assert event.last_day == D(2026, 11, 2) and event.day_off is None and "(gecorrigeerd)" in event.source
    assert any("1 november" not in c and "2 november 2026" in c for c in event.conflicts)
    assert udfs.CZ_TERMIJN("tekenen") == D(2026, 11, 2)


# --- weekends, holidays and the two conflicts -----------------------------------------------------------------


def test_a_last_day_on_a_weekend_is_flagged_not_moved() -> None:
    events = every_event()
    assert D(2026, 11, 1).weekday() == 6
    signing = events["tekenen"]
    assert signing.last_day == D(2026, 11, 1) and signing.day_off == "een zondag"
    assert signing.warnings[0] == ("1 november 2026 valt op een zondag; het beleid zegt niet dat de termijn dan "
                                   "opschuift")
    for event in events.values():
        off = event.last_day.weekday() >= 5 or event.last_day in HOLIDAYS
        assert (event.day_off is not None) == off, event.name
        assert any("valt op" in w for w in event.warnings) == off, event.name
    flagged = {name for name, event in events.items() if event.day_off}
    assert flagged == {"kwaliteit", "contracteren", "aanbod", "tekenen", "inschrijving", "innovatie"}
    assert events["innovatie"].day_off == "een zaterdag"


def test_the_two_conflicts_of_the_text_are_shown_not_resolved() -> None:
    events = every_event()
    (quality,) = events["kwaliteit"].conflicts
    assert "kindzorg" in quality and "1 t/m 31 mei 2026" in quality and "2 t/m 31 mei 2026" in quality
    assert events["kwaliteit"].first_day == D(2026, 5, 2)  # not resolved to 1 May
    (round_,) = events["tekenen"].conflicts
    assert events["contracteren"].conflicts == (round_,)
    assert "31 oktober 2026" in round_ and "1 november 2026" in round_
    assert all(not e.conflicts for n, e in events.items() if n not in {"kwaliteit", "contracteren", "tekenen"})


# --- who sees what ------------------------------------------------------------------------------------------------

def test_new_provider_nachtzorg_and_resv_events_only_when_asked() -> None:
    everyone = {"beleid", "bezwaar", "publicatie", "innovatie", "bijcontractering", "verzoek_uiterlijk",
                "antwoord_verzoek"}
    existing = everyone | {"kwaliteit", "strategie", "voorstel", "contracteren", "aanbod", "tekenen"}
    assert set(calendar()) == existing
    assert set(calendar(provider_kind="nieuw")) == everyone | {"inschrijving", "antwoord_nieuw"}
    assert set(calendar(provider_kind="new")) == set(calendar(provider_kind=" Nieuw "))
    assert set(calendar(nachtzorg=True)) == existing | {"nachtzorg_overleg", "businesscase", "volgverzoek"}
    assert set(calendar(resv_region="ja")) == existing | {"resv"}


# --- status on a reference date -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("on", "status", "days"), [
    (D(2026, 10, 30), "nog 2 dagen", 2), (D(2026, 10, 31), "nog 1 dag", 1), (D(2026, 11, 1), "vandaag", 0),
    (D(2026, 11, 2), "verstreken", -1), (D(2025, 11, 1), "nog 365 dagen", 365)])
def test_status_of_a_deadline_at_its_boundaries(on: dt.date, status: str, days: int) -> None:
    event = calendar(on.isoformat())["tekenen"]
    assert (event.status, event.days_left, event.passed) == (status, days, days < 0)


@pytest.mark.parametrize(("on", "status", "days"), [
    (D(2026, 5, 1), "nog niet", 30), (D(2026, 5, 2), "loopt", 29), (D(2026, 5, 30), "loopt", 1),
    (D(2026, 5, 31), "vandaag", 0), (D(2026, 6, 1), "verstreken", -1)])
def test_status_of_a_window_at_its_boundaries(on: dt.date, status: str, days: int) -> None:
    event = calendar(on)["kwaliteit"]
    assert (event.status, event.days_left) == (status, days)


def test_the_reference_date_is_typed_the_dutch_way_or_is_today() -> None:
    for typed in ("01-09-2026", "1-9-2026", "2026-09-01", "1 september 2026", D(2026, 9, 1),
                  dt.datetime(2026, 9, 1, 15, 30), excel_serial(D(2026, 9, 1))):
        assert calendar(typed)["aanbod"].days_left == 19  # type: ignore[arg-type]
    today = contract_calendar(2027)[0]
    assert today.reference_date == dt.date.today()


@settings(max_examples=150, deadline=None)
@given(st.dates(min_value=D(2025, 6, 1), max_value=D(2028, 6, 1)), st.booleans(), st.booleans())
def test_next_deadline_first_and_every_status_as_its_days(on: dt.date, new: bool, night: bool) -> None:
    events = contract_calendar(2027, reference_date=on, provider_kind="new" if new else "existing", nachtzorg=night)
    passed = [e.passed for e in events]
    assert passed == sorted(passed)  # what is open first, what has passed last
    for group in (False, True):
        days = [e.last_day for e in events if e.passed == group]
        assert days == sorted(days)
    for e in events:
        assert e.days_left == (e.last_day - on).days and e.reference_date == on
        if e.days_left < 0:
            assert e.status == "verstreken"
        elif e.days_left == 0:
            assert e.status == "vandaag"
        elif e.first_day is None:
            assert e.status == f"nog {e.days_left} {'dag' if e.days_left == 1 else 'dagen'}"
        else:
            assert e.status == ("loopt" if on >= e.first_day else "nog niet")
        assert e.status in STATUSES or re.fullmatch(r"nog \d+ dag(en)?", e.status)


# --- working days (Algemene termijnenwet) -------------------------------------------------------------------------

# Written out by hand from the calendars of 2026-2028 (Easter: 5 April 2026, 28 March 2027, 16 April 2028).
HOLIDAYS = {
    D(2026, 1, 1), D(2026, 4, 6), D(2026, 4, 27), D(2026, 5, 5), D(2026, 5, 14), D(2026, 5, 25), D(2026, 12, 25),
    D(2026, 12, 26),
    D(2027, 1, 1), D(2027, 3, 29), D(2027, 4, 27), D(2027, 5, 5), D(2027, 5, 6), D(2027, 5, 17), D(2027, 12, 25),
    D(2027, 12, 26),
    D(2028, 1, 1), D(2028, 4, 17), D(2028, 4, 27), D(2028, 5, 5), D(2028, 5, 25), D(2028, 6, 5), D(2028, 12, 25),
    D(2028, 12, 26),
}


def by_hand(start: dt.date, n: int) -> dt.date:
    """The n-th day after `start` that is Monday-Friday and not in HOLIDAYS: the rule's reading, counted simply."""
    day = start
    while n:
        day += dt.timedelta(days=1)
        if day.weekday() < 5 and day not in HOLIDAYS:
            n -= 1
    return day


def test_the_holidays_are_those_of_the_law() -> None:
    assert {d for year in (2026, 2027, 2028) for d in holidays(year)} == HOLIDAYS
    assert holidays(2027)[D(2027, 4, 27)] == "Koningsdag"
    assert D(2025, 4, 27).weekday() == 6 and holidays(2025)[D(2025, 4, 26)] == "Koningsdag"  # 27th a Sunday
    assert D(2025, 4, 27) not in holidays(2025)
    assert holidays(2016)[D(2016, 5, 5)] == "Bevrijdingsdag (5 mei) en Hemelvaartsdag"  # on one day in 2016
    assert D(2026, 4, 3) not in holidays(2026)  # Good Friday is a working day


@pytest.mark.parametrize(("year", "easter"), [(2019, D(2019, 4, 21)), (2024, D(2024, 3, 31)), (2025, D(2025, 4, 20)),
                                              (2026, D(2026, 4, 5)), (2027, D(2027, 3, 28)), (2028, D(2028, 4, 16)),
                                              (2029, D(2029, 4, 1)), (2030, D(2030, 4, 21)), (2038, D(2038, 4, 25))])
def test_easter(year: int, easter: dt.date) -> None:
    assert easter_sunday(year) == easter


@pytest.mark.parametrize(("start", "n", "expected"), [
    (D(2027, 9, 30), 10, D(2027, 10, 14)),  # the extra-budget answer: Friday 1 October is day 1
    (D(2026, 4, 2), 1, D(2026, 4, 3)), (D(2026, 4, 2), 2, D(2026, 4, 7)),  # Good Friday counts, Easter Monday not
    (D(2027, 4, 26), 10, D(2027, 5, 13)),  # Koningsdag, 5 mei and Hemelvaartsdag (6 May) do not count
    (D(2026, 12, 23), 5, D(2026, 12, 31)), (D(2026, 12, 23), 6, D(2027, 1, 4)),  # Christmas and New Year
    (D(2027, 12, 24), 1, D(2027, 12, 27)), (D(2027, 12, 31), 1, D(2028, 1, 3)),  # the year ends on a Friday
    (D(2026, 5, 23), 1, D(2026, 5, 26)),  # Saturday before Whit Monday
    (D(2026, 11, 1), 0, D(2026, 11, 1)),  # 0 working days: the date itself, even a Sunday
])
def test_working_days_over_holidays_and_year_ends(start: dt.date, n: int, expected: dt.date) -> None:
    assert add_working_days(start, n) == expected == by_hand(start, n)
    assert add_working_days(f"{start:%d-%m-%Y}", str(n)) == expected
    assert udfs.WERKDAGEN_NA(dt.datetime.combine(start, dt.time()), float(n)) == expected  # a classic date cell
    assert udfs.WERKDAGEN_NA(float(excel_serial(start)), n) == expected  # xlwings Lite: a serial number


@settings(max_examples=300, deadline=None)
@given(st.dates(min_value=D(2026, 1, 1), max_value=D(2028, 10, 31)), st.integers(min_value=0, max_value=40))
def test_working_days_equal_a_count_by_hand(start: dt.date, n: int) -> None:
    result = add_working_days(start, n)
    assert result == by_hand(start, n)
    if n:
        assert result.weekday() < 5 and result not in HOLIDAYS


# --- bad input ------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("call", "field", "shown"), [
    (lambda: contract_calendar(2027, reference_date="31-02-2027"), "reference_date", "'31-02-2027'"),
    (lambda: contract_calendar(2027, reference_date="15-01-27"), "reference_date", "'15-01-27'"),
    (lambda: contract_calendar(2027, provider_kind="oud"), "provider_kind", "'oud'"),
    (lambda: contract_calendar(2027, nachtzorg="misschien"), "nachtzorg", "'misschien'"),
    (lambda: contract_calendar(2027, resv_region=2), "resv_region", "2"),
    (lambda: contract_calendar("twee"), "year", "'twee'"),
    (lambda: add_working_days("gisteren", 1), "date", "'gisteren'"),
    (lambda: add_working_days("1-1-2010", 1), "date", "'1-1-2010'"),
    (lambda: add_working_days("1-1-2027", -1), "n", "'-1'"),
    (lambda: add_working_days("1-1-2027", 2.5), "n", "'2,5'"),
    (lambda: add_working_days("1-1-2027", "tien"), "n", "'tien'"),
    (lambda: add_working_days("1-1-2027", 10**15), "n", "1000000000000000"),  # stops at the last known year
    (lambda: add_working_days("x" * 5000, 1), "date", "… (5000 tekens)"),
    (lambda: event_last_day("onbekend"), "name", "'onbekend'"),
    (lambda: event_last_day(None), "name", "None"),
])
def test_bad_input_names_the_field_and_the_value(call: Any, field: str, shown: str) -> None:
    with pytest.raises(InputError) as info:
        call()
    assert info.value.field == field and str(info.value).startswith(f"{field}:"), str(info.value)
    assert shown in str(info.value) and len(str(info.value)) < 400


def test_an_unknown_name_lists_the_names_and_a_year_not_covered_the_years() -> None:
    with pytest.raises(InputError) as info:
        event_last_day("bezwaren")
    assert all(name in str(info.value) for name in EVENT_NAMES)
    with pytest.raises(PolicyYearError, match="2027"):
        contract_calendar(2031)
    assert udfs.CZ_TERMIJN("tekenen", 2031).startswith("#WAARDE! beleidsjaar 2031")
    assert udfs.CZ_TERMIJN("bezwaren").startswith("#WAARDE! naam: 'bezwaren' is onbekend (bekend: beleid,")
    assert udfs.WERKDAGEN_NA("#N/A", 1) == "#WAARDE! datum bevat de Excel-fout #N/A"
    assert udfs.WERKDAGEN_NA(None, 1) == "#WAARDE! datum: waarde ontbreekt"
    assert udfs.WERKDAGEN_NA("1-1-2027", -3).startswith("#WAARDE! n: '-3' mag niet negatief zijn")


def test_excel_names_ignore_case_and_spaces() -> None:
    assert udfs.CZ_TERMIJN(" Tekenen ") == udfs.CZ_TERMIJN("TEKENEN") == D(2026, 11, 1)
    assert udfs.CZ_TERMIJN("antwoord verzoek", 2027.0) == udfs.CZ_TERMIJN("antwoord-verzoek", "2027") == D(2027, 10, 14)


# --- the command ----------------------------------------------------------------------------------------------------

def test_the_table_fits_80_columns_next_deadline_first(tmp_path: Path) -> None:
    result = run_cli("kalender", "--peildatum", "01-09-2026", "--nachtzorg", cwd=tmp_path, env={"COLUMNS": "80"})
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert all(len(line) <= 80 for line in lines), max(lines, key=len)
    text = result.stdout
    assert "Tijdpad contractjaar 2027" in text and "Status op 1 september 2026" in text
    events = contract_calendar(2027, reference_date="01-09-2026", nachtzorg=True)
    # Every date of the date column is there, unbroken, in the order of the events.
    positions = [text.index(f"{e.last_day:%d-%m-%Y}") for e in events]
    assert positions == sorted(positions)
    assert "zo 01-11-2026 !" in text and "zo 20-09-2026 !" in text and "nog 61 dagen" in text
    assert "loopt, nog 60" in text and "verstreken" in text
    assert text.index("Overeenkomsten aangeboden") < text.index("Bezwaar tegen het")  # passed ones below
    notes = " ".join(text.split("Let op (!):", 1)[1].split())
    assert "Uiterste tekendatum, ronde sluit (zondag)" in notes and "niet dat de termijn dan opschuift" in notes
    assert "Tegenstrijdig in het beleid: contracteren loopt t/m 31 oktober 2026" in notes
    assert "medische kindzorg" in notes


def test_bad_options_are_one_dutch_line(tmp_path: Path) -> None:
    for args, expected in ((["--peildatum", "31-02-2027"], "fout: --peildatum: '31-02-2027' is geen datum"),
                           (["--jaar", "2031"], "fout: --jaar 2031: de parametergegevens dekken dit beleidsjaar niet")):
        result = run_cli("kalender", *args, cwd=tmp_path)
        assert result.returncode == 1 and result.stdout == ""
        assert result.stderr.strip().splitlines() == [result.stderr.strip()] and result.stderr.startswith(expected)
    usage = run_cli("kalender", "--soort", "oud", cwd=tmp_path)
    assert usage.returncode == 2 and "bestaand" in usage.stderr and "Traceback" not in usage.stderr
    assert list(tmp_path.iterdir()) == []


def test_json_has_every_field_and_every_name_cz_termijn_takes(tmp_path: Path) -> None:
    result = run_cli("kalender", "--peildatum", "2026-12-15", "--soort", "nieuw", "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["names"] == list(EVENT_NAMES)
    assert (data["year"], data["reference_date"], data["provider_kind"], data["policy"]) == (
        2027, "2026-12-15", "new", POLICY)
    expected = contract_calendar(2027, reference_date="15-12-2026", provider_kind="new")
    assert data["events"] == [json.loads(json.dumps(e.to_dict())) for e in expected]
    first = data["events"][0]
    assert first["name"] == "inschrijving" and first["status"] == "loopt" and first["days_left"] == 75
    assert first["first_day"] == "2026-12-01" and first["last_day"] == "2027-02-28"
    assert {"name", "description", "first_day", "last_day", "who", "source", "status", "days_left",
            "warnings"} <= set(first)


# --- the iCalendar file -------------------------------------------------------------------------------------------

def _events_in(path: Path) -> dict[str, Any]:
    parsed = Calendar.from_ical(path.read_bytes())
    return {str(component["UID"]): component for component in parsed.walk("VEVENT")}


def test_ics_imports_as_all_day_events_with_stable_uids(tmp_path: Path) -> None:
    path = tmp_path / "tijdpad.ics"
    result = run_cli("kalender", "--nachtzorg", "--resv", "--ics", str(path), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "agenda geschreven" in result.stderr
    raw = path.read_bytes()
    assert raw.startswith(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") and raw.endswith(b"END:VCALENDAR\r\n")
    assert all(len(line) <= 75 for line in raw.split(b"\r\n")), "lines are folded at 75 octets (RFC 5545 3.1)"
    raw.decode("utf-8")
    parsed = Calendar.from_ical(raw)
    assert str(parsed["METHOD"]) == "PUBLISH" and "zorginkoop-toolkit" in str(parsed["PRODID"])
    found = _events_in(path)
    events = contract_calendar(2027, nachtzorg=True, resv_region=True)
    assert len(found) == len(events)
    for event in events:
        item = found[f"cz-2027-{event.name}@zorginkoop-toolkit"]
        start, end = item.decoded("DTSTART"), item.decoded("DTEND")
        assert type(start) is dt.date and type(end) is dt.date  # all-day: dates, not date-times
        assert start == (event.first_day or event.last_day) and end == event.last_day + dt.timedelta(days=1)
        description = str(item["DESCRIPTION"])
        assert event.source in description and POLICY in description and event.when in description
        assert str(item["SUMMARY"]) == f"CZ 2027: {event.title}"
        assert str(item["TRANSP"]) == "TRANSPARENT" and "DTSTAMP" in item
        assert not re.search(r"\bnog \d+ dag|verstreken", description)  # no status: it would go stale


@pytest.mark.parametrize(("option", "days"), [((), 7), (("--herinnering", "14"), 14), (("--herinnering", "0"), 0)])
def test_ics_reminds_the_provider_of_its_own_deadlines(tmp_path: Path, option: tuple[str, ...], days: int) -> None:
    # A calendar entry without a reminder is found on the day itself; CZ's own deadlines need no reminder.
    path = tmp_path / "tijdpad.ics"
    assert run_cli("kalender", "--nachtzorg", "--ics", str(path), *option, cwd=tmp_path).returncode == 0
    found = _events_in(path)
    for event in contract_calendar(2027, nachtzorg=True):
        item = found[f"cz-2027-{event.name}@zorginkoop-toolkit"]
        alarms = list(item.walk("VALARM"))
        if days and "zorgaanbieder" in event.who:
            first = event.first_day or event.last_day
            window = event.last_day - dt.timedelta(days=days) > first  # a second reminder before its end
            assert len(alarms) == 1 + window, event.name
            assert alarms[0].decoded("TRIGGER") == -dt.timedelta(days=days), event.name
            assert str(alarms[0]["ACTION"]) == "DISPLAY" and str(alarms[0]["DESCRIPTION"]) == str(item["SUMMARY"])
            if window:  # counted from DTEND, the day after the last day: `days` before the last day
                end = alarms[1]
                assert end["TRIGGER"].params["RELATED"] == "END" and str(end["ACTION"]) == "DISPLAY"
                fires = item.decoded("DTEND") + end.decoded("TRIGGER")
                assert fires == event.last_day - dt.timedelta(days=days), event.name
                assert str(end["DESCRIPTION"]).endswith(f"(laatste dag {dutch_date(event.last_day)})")
        else:
            assert alarms == [], event.name
    if days == 7:  # the quality-data window (2 to 31 May 2026): a week before it opens, and before it closes
        vecozo = list(found["cz-2027-kwaliteit@zorginkoop-toolkit"].walk("VALARM"))
        assert [a.decoded("TRIGGER") for a in vecozo] == [-dt.timedelta(days=7), -dt.timedelta(days=8)]


def test_ics_reminder_out_of_range_is_refused_in_dutch(tmp_path: Path) -> None:
    result = run_cli("kalender", "--ics", str(tmp_path / "t.ics"), "--herinnering", "100", cwd=tmp_path)
    assert result.returncode == 2 and "100 valt buiten het toegestane bereik (0 t/m 90)" in result.stderr
    assert not (tmp_path / "t.ics").exists()


def test_ics_text_is_escaped_and_reads_back_as_written(tmp_path: Path) -> None:
    path = tmp_path / "tijdpad.ics"
    assert run_cli("kalender", "--ics", str(path), cwd=tmp_path).returncode == 0
    raw = path.read_bytes().decode("utf-8")
    unfolded = raw.replace("\r\n ", "")
    signing = next(line for line in unfolded.split("\r\n") if line.startswith("DESCRIPTION:Uiterste termijn"))
    assert "\\;" in signing and "\\," in signing and "\\n" in signing and "\n" not in signing
    item = _events_in(path)["cz-2027-tekenen@zorginkoop-toolkit"]
    text = str(item["DESCRIPTION"])
    assert text.splitlines()[1:3] == ["Wanneer: uiterlijk 1 november 2026", "Wie: zorgaanbieder"]
    event = calendar()["tekenen"]
    assert f"Let op: {event.warnings[0]}" in text and f"Bron: {event.source}" in text  # ; and , as written


def test_ics_uids_are_the_same_on_every_run_and_options_change_only_which_events(tmp_path: Path) -> None:
    first, second = tmp_path / "a.ics", tmp_path / "b.ics"
    assert run_cli("kalender", "--peildatum", "01-01-2026", "--ics", str(first), cwd=tmp_path).returncode == 0
    assert run_cli("kalender", "--peildatum", "31-12-2027", "--ics", str(second), cwd=tmp_path).returncode == 0
    assert set(_events_in(first)) == set(_events_in(second))
    new = tmp_path / "nieuw.ics"
    assert run_cli("kalender", "--soort", "nieuw", "--ics", str(new), cwd=tmp_path).returncode == 0
    assert "cz-2027-inschrijving@zorginkoop-toolkit" in _events_in(new)
    assert set(_events_in(new)) & set(_events_in(first)) == {f"cz-2027-{n}@zorginkoop-toolkit" for n in (
        "beleid", "bezwaar", "publicatie", "innovatie", "bijcontractering", "verzoek_uiterlijk", "antwoord_verzoek")}


def test_ics_is_not_overwritten_without_force_and_leaves_nothing_half_written(tmp_path: Path) -> None:
    path = tmp_path / "tijdpad.ics"
    path.write_text("mijn eigen agenda", encoding="utf-8")
    refused = run_cli("kalender", "--ics", str(path), cwd=tmp_path)
    assert refused.returncode == 1 and "bestaat al" in refused.stderr and "--force" in refused.stderr
    assert path.read_text(encoding="utf-8") == "mijn eigen agenda"
    assert run_cli("kalender", "--ics", str(path), "--force", cwd=tmp_path).returncode == 0
    assert path.read_bytes().startswith(b"BEGIN:VCALENDAR")
    folder = tmp_path / "map.ics"
    folder.mkdir()
    into_folder = run_cli("kalender", "--ics", str(folder), "--force", cwd=tmp_path)
    assert into_folder.returncode == 1 and "Traceback" not in into_folder.stderr
    bad_year = run_cli("kalender", "--jaar", "2031", "--ics", str(tmp_path / "nooit.ics"), cwd=tmp_path)
    assert bad_year.returncode == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.ics", "tijdpad.ics"]  # no temporary file left


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes: POSIX only")
def test_ics_refuses_what_is_not_a_file_name_in_one_dutch_line(tmp_path: Path) -> None:
    """A typo in the folder makes no new folder; --force replaces no pipe or device; a name too long for the
    file system and an empty name are one Dutch line (not an internal error)."""
    os.mkfifo(tmp_path / "pijp.ics")
    cases = [(str(tmp_path / "typfout" / "tijdpad.ics"), "de map .*typfout bestaat niet"),
             (str(tmp_path / "pijp.ics"), "geen gewoon bestand"), ("/dev/null", "eindigt op .ics"),
             (str(tmp_path / ("a" * 300 + ".ics")), "de bestandsnaam is te lang"), ("", "geen bestandsnaam")]
    for name, message in cases:
        result = run_cli("kalender", "--ics", name, "--force", cwd=tmp_path)
        assert result.returncode == 1 and re.search(message, result.stderr), (name, result.stderr)
        assert len(result.stderr.strip().splitlines()) == 1 and "interne fout" not in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pijp.ics"]


def test_a_calendar_file_not_named_ics_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    """Found by a new user: `--ics agenda.txt` wrote a calendar under a name no calendar program opens, where
    `--rapport` insists on .xlsx."""
    result = run_cli("kalender", "--ics", str(tmp_path / "agenda.txt"), cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip() == (f"fout: --ics {tmp_path / 'agenda.txt'}: de naam van een agenda-bestand "
                                     "eindigt op .ics (bijvoorbeeld agenda.ics); zo opent een agenda-programma het")
    assert list(tmp_path.iterdir()) == []
    dotted = run_cli("kalender", "--ics", str(tmp_path / ".ics"), cwd=tmp_path)  # found by review: '.ics.ics'
    assert dotted.returncode == 1 and "(bijvoorbeeld tijdpad.ics)" in dotted.stderr, dotted.stderr
    folder = run_cli("kalender", "--ics", str(tmp_path), cwd=tmp_path)  # a folder: not 'bijvoorbeeld <folder>.ics'
    assert folder.returncode == 1 and ".ics" not in folder.stderr, folder.stderr
    assert run_cli("kalender", "--ics", str(tmp_path / "Agenda.ICS"), cwd=tmp_path).returncode == 0
