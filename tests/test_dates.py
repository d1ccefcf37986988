"""The one reading of a typed date (toolkit.dates.read_date): every Dutch spelling of a real date gives that
date, anything else is refused naming the field and the value."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from toolkit.dates import MONTHS, excel_serial, months_text, read_date
from toolkit.errors import InputError

DATES = st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2100, 12, 31))


@given(DATES, st.sampled_from(["-", "/", "."]), st.booleans())
def test_day_month_year_in_any_separator_and_padding(day: dt.date, separator: str, padded: bool) -> None:
    d, m = (f"{day.day:02d}", f"{day.month:02d}") if padded else (str(day.day), str(day.month))
    assert read_date(f"{d}{separator}{m}{separator}{day.year}") == day


@given(DATES)
def test_iso_written_out_excel_serial_and_date_cells(day: dt.date) -> None:
    assert read_date(day.isoformat()) == day
    assert read_date(f"{day.day} {MONTHS[day.month - 1]} {day.year}") == day
    assert read_date(f" {day.day}  {MONTHS[day.month - 1][:3].upper()}. {day.year} ") == day
    if not 1900 <= excel_serial(day) <= 2100:  # those serials are years (see below)
        assert read_date(excel_serial(day)) == day and read_date(float(excel_serial(day))) == day
    assert read_date(dt.datetime.combine(day, dt.time(13, 5))) == day


@pytest.mark.parametrize("year", [1900, 2026, 2026.0, 2100])
def test_a_year_where_a_date_belongs_is_refused_not_read_as_1905(year: float) -> None:
    with pytest.raises(InputError, match=r"is een jaartal, geen datum; typ de hele datum, bijvoorbeeld 15-01-"):
        read_date(year, "peildatum")
    assert excel_serial(read_date(1899)) == 1899 and excel_serial(read_date(2101)) == 2101


def test_the_excel_serial_of_a_known_day() -> None:
    # What Excel shows for =DATE(2027;1;15) formatted as a number, and its first day of March 1900.
    assert excel_serial(dt.date(2027, 1, 15)) == 46402 and read_date(61) == dt.date(1900, 3, 1)


@pytest.mark.parametrize("value", ["31-02-2027", "29-02-2027", "15-01-27", "2027/01/15", "15 ma 2027", "morgen",
                                   "15-13-2027", "0-1-2027", "15 juni juli 2027", "1,5", True, -3, 1.5, 10**9, [],
                                   "١٥-٠١-٢٠٢٧", 10**400, -(10**400), float("nan"), float("inf")])
def test_what_is_no_date_is_refused_naming_field_and_value(value: object) -> None:
    with pytest.raises(InputError, match=r"^inschrijfdatum: .* is geen datum") as caught:
        read_date(value, "inschrijfdatum")
    assert caught.value.field == "inschrijfdatum"


@pytest.mark.parametrize("value", [None, "", "   "])
def test_an_empty_date_is_missing(value: object) -> None:
    with pytest.raises(InputError, match=r"^peildatum: datum ontbreekt$"):
        read_date(value, "peildatum")


@pytest.mark.parametrize(("months", "text"), [
    ([3], "maart"), ([3, 5], "maart en mei"), ([4, 5], "april en mei"),
    ([4, 5, 6, 7, 8, 9, 10, 11], "april t/m november"),
    ([2, 4, 5, 6, 8], "februari, april t/m juni en augustus"), ([12, 1], "januari en december"),
    ([1, 3, 4], "januari, maart en april"), ([3, 4, 6, 7], "maart, april, juni en juli"),
])
def test_months_are_named_in_runs(months: list[int], text: str) -> None:
    assert months_text(months) == text
