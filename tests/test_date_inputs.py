"""A date as a template input or output (the "date" kind): read once (`toolkit.dates.read_date`) inside the
plausible years, shown d-m-yyyy, written as a date cell, ISO 8601 in summary.csv."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from toolkit.dates import excel_serial
from toolkit.errors import InputError
from toolkit.parameters import date_bounds, plausible_date
from toolkit.rules.declaration import Input
from toolkit.workbook.check import shown
from toolkit.workbook.formats import input_format
from toolkit.workbook.specs import convert, kind_name

DATE = Input("in_datum", "Datum", "date", "Dag-maand-jaar.")
OPTIONAL = Input("in_datum", "Datum", "date", "Dag-maand-jaar.", required=False)
FIRST, LAST = date_bounds()


@pytest.mark.parametrize("typed", ["15-01-2027", "15-1-2027", "15/01/2027", "2027-01-15", " 15 januari 2027 ",
                                   46402, 46402.0, dt.date(2027, 1, 15), dt.datetime(2027, 1, 15, 9, 30)])
def test_every_spelling_of_a_date_is_one_date(typed: object) -> None:
    assert convert(DATE, typed, label="kolom 'datum'") == dt.date(2027, 1, 15)


@given(st.dates(min_value=dt.date(1900, 3, 1), max_value=LAST))
def test_a_date_typed_day_first_or_as_its_serial_reads_back(day: dt.date) -> None:
    assert convert(DATE, f"{day.day}-{day.month}-{day.year}") == day
    assert convert(DATE, excel_serial(day)) == day


@pytest.mark.parametrize("typed", ["31-02-2027", "15-01-27", "morgen", True, 1.5, "01-01-1850", "1-1-2101",
                                   dt.date(2101, 1, 1), -3])
def test_what_is_no_plausible_date_is_refused_naming_the_column_and_value(typed: object) -> None:
    with pytest.raises(InputError, match=r"^invoer\.csv, rij 2, kolom 'inschrijfdatum': ") as caught:
        convert(DATE, typed, label="invoer.csv, rij 2, kolom 'inschrijfdatum'")
    assert caught.value.field == "datum" and caught.value.value == typed


def test_an_empty_date_is_missing_when_required_and_none_otherwise() -> None:
    with pytest.raises(InputError, match=r"kolom 'datum': waarde ontbreekt"):
        convert(DATE, "  ", label="kolom 'datum'")
    assert convert(OPTIONAL, None) is None and convert(OPTIONAL, "") is None


def test_the_plausible_dates_are_the_plausible_years() -> None:
    assert date_bounds() == (dt.date(1900, 1, 1), dt.date(2100, 12, 31))
    assert plausible_date("31-12-2100", "datum") == LAST
    with pytest.raises(InputError, match=r"^peildatum: '2101-01-01' valt buiten 1 januari 1900 t/m 31 december 2100$"):
        plausible_date("2101-01-01", "peildatum")


def test_a_date_is_shown_as_a_dutch_reader_writes_it() -> None:
    assert input_format("date", None) == "d-m-yyyy"
    assert kind_name(DATE) == "datum"
    assert shown(dt.date(2027, 3, 5)) == "5-3-2027" and shown(dt.datetime(2027, 3, 5)) == "5-3-2027"
