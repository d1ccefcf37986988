"""Dates as a Dutch reader writes and types them: the month names, "1 oktober 2027", and the one reading of
a typed date (`read_date`: 15-01-2027, 15-1-2027, 15/01/2027, 2027-01-15, 15 januari 2027, a date cell, an
Excel serial number).

One list of month and weekday names for every surface: messages, help texts, template labels and formulas, reports.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from .errors import InputError, dutch_list, show_value

MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
          "november", "december")


WEEKDAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")


def month_name(month: int) -> str:
    """1 -> "januari"."""
    return MONTHS[month - 1]


def months_text(months: list[int] | tuple[int, ...]) -> str:
    """[3] -> "maart"; [3, 5] -> "maart en mei"; [4, 5, 6, 7] -> "april t/m juli"; runs of months as ranges."""
    runs: list[list[int]] = []
    for month in sorted(set(months)):
        if runs and month == runs[-1][-1] + 1:
            runs[-1].append(month)
        else:
            runs.append([month])
    parts: list[str] = []
    for run in runs:  # two months in a row are two names: "maart, april en juni", not "maart en april en juni"
        parts += [month_name(m) for m in run] if len(run) <= 2 else [f"{month_name(run[0])} t/m {month_name(run[-1])}"]
    return dutch_list(parts)


def weekday_name(day: dt.date) -> str:
    """"zondag" for a Sunday."""
    return WEEKDAYS[day.weekday()]


def day_month(day: dt.date) -> str:
    """"1 oktober"."""
    return f"{day.day} {month_name(day.month)}"


def dutch_date(day: dt.date) -> str:
    """"1 oktober 2027"."""
    return f"{day_month(day)} {day.year}"


# Excel's day 0 in the 1900 date system as Excel counts it (it has a 29 February 1900 that never was, so serial
# 61 and later are a day off from a plain count from 31 December 1899).
EXCEL_EPOCH = dt.date(1899, 12, 30)
_LAST_SERIAL = (dt.date(9999, 12, 31) - EXCEL_EPOCH).days
_NUMERIC = re.compile(r"^([0-9]{1,2})[-/.]([0-9]{1,2})[-/.]([0-9]{4})$|^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})$")
_WRITTEN = re.compile(r"^([0-9]{1,2}) ([a-z]+)\.? ([0-9]{4})$")


_YEARS_AS_SERIALS = (1900, 2100)  # serial numbers that are years to a reader (dates in 1905 to one)


def read_date(value: object, field: str = "datum") -> dt.date:
    """A date as people type it or a spreadsheet holds it; InputError naming `field` and the value otherwise.

    Day first, as in the Netherlands: 15-01-2027, 15-1-2027, 15/01/2027, 15.01.2027; ISO 2027-01-15; written
    out, 15 januari 2027 (or jan.); a `date` or `datetime` (a date cell); an Excel serial number (46402 is
    15-01-2027), except 1900 to 2100, a year where a date belongs. Years have four digits: 15-01-27 is
    refused rather than guessed."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        # The range first: 10**400 has no float (an OverflowError), and is no date either.
        if _YEARS_AS_SERIALS[0] <= value <= _YEARS_AS_SERIALS[1] and float(value).is_integer():
            # As a serial number 2026 is 18-07-1905: a year typed where a date belongs, not a date.
            raise InputError(f"{field}: {show_value(value)} is een jaartal, geen datum; typ de hele datum, "
                             f"bijvoorbeeld 15-01-{int(value)}", field=field, value=value)
        if 1 <= value <= _LAST_SERIAL and float(value).is_integer():
            return EXCEL_EPOCH + dt.timedelta(days=int(value))
        raise InputError(f"{field}: {show_value(value)} is geen datum", field=field, value=value)
    if value is None or (isinstance(value, str) and not value.strip()):
        raise InputError(f"{field}: datum ontbreekt", field=field, value=value)
    text = " ".join(value.split()).lower() if isinstance(value, str) else None
    found = _date_in(text) if text else None
    if found is None:
        raise InputError(f"{field}: {show_value(value)} is geen datum (verwacht dag-maand-jaar, bijvoorbeeld "
                         "15-01-2027)", field=field, value=value)
    return found


def _date_in(text: str) -> dt.date | None:
    numeric = _NUMERIC.match(text)
    written = _WRITTEN.match(text)
    if numeric:
        day, month, year = numeric.group(1, 2, 3) if numeric.group(1) else numeric.group(6, 5, 4)
    elif written:
        names = [m for m in MONTHS if m.startswith(written.group(2)) and len(written.group(2)) >= 3]
        if len(names) != 1:
            return None
        day, month, year = written.group(1), str(MONTHS.index(names[0]) + 1), written.group(3)
    else:
        return None
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:  # 31-02-2027: no such day
        return None


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` calendar months later, or that month's last day when it is shorter (31 december
    + 2 months is 28 or 29 februari), as Excel's EDATE counts."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def excel_serial(day: dt.date) -> int:
    """The Excel serial number of a date (what a date cell holds)."""
    return (day - EXCEL_EPOCH).days


def years_listed(years: tuple[int, ...]) -> str:
    """Years as help texts list them: "2025-2027" for a run, "2025, 2027" otherwise, "geen" for none."""
    if not years:
        return "geen"
    if len(years) > 1 and list(years) == list(range(years[0], years[-1] + 1)):
        return f"{years[0]}-{years[-1]}"
    return ", ".join(map(str, years))


__all__ = ["EXCEL_EPOCH", "MONTHS", "WEEKDAYS", "add_months", "day_month", "dutch_date", "excel_serial", "month_name",
           "read_date", "weekday_name", "years_listed"]
