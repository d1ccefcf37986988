"""Working days as the Algemene termijnenwet counts them: Monday to Friday, except the holidays of its
article 3 — Nieuwjaarsdag, tweede Paasdag, Koningsdag, 5 mei, Hemelvaartsdag, tweede Pinksterdag and both
Christmas days. (Sundays are on the law's list too; Saturdays are not working days either.)

Koningsdag is 27 April, or 26 April when the 27th is a Sunday (the day "waarop de verjaardag van de Koning
wordt gevierd"). Before 2014 the day was Koninginnedag (30 April), so dates before 2014 are refused rather
than counted with the wrong day. 5 mei counts every year: the law names "de vijfde mei" without
exception (collective agreements that give it off once in five years do not change the law). Good Friday is
not on the list.

"Binnen 10 werkdagen" (§ 3.2.4) is counted from a given date: day 1 is the first working day after it.
Policy texts do not say that a deadline on a Saturday, Sunday or holiday moves, so the calendar flags such
a last day (`day_off`) and does not move it.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

from ...dates import dutch_date, read_date, weekday_name
from ...errors import InputError, show_value
from ...parameters import quantity
from ...parameters.plausible import year_bounds

FIRST_YEAR = 2014  # the first Koningsdag (27 April); earlier years had Koninginnedag on 30 April
_DAY = dt.timedelta(days=1)


def easter_sunday(year: int) -> dt.date:
    """Easter Sunday in the Gregorian calendar (the anonymous algorithm of Meeus, Jones and Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    m = (32 + 2 * e + 2 * i - h - k) % 7
    n = (a + 11 * h + 22 * m) // 451
    month, day = divmod(h + m - 7 * n + 114, 31)
    return dt.date(year, month, day + 1)


@cache
def holidays(year: int) -> dict[dt.date, str]:
    """The holidays of the Algemene termijnenwet in `year` that can fall on a weekday: date -> Dutch name
    (two on one day, as Hemelvaartsdag on 5 May 2016, are named together)."""
    easter = easter_sunday(year)
    king = dt.date(year, 4, 27)
    days = [
        (dt.date(year, 1, 1), "Nieuwjaarsdag"),
        (easter + dt.timedelta(days=1), "tweede Paasdag"),
        (king - _DAY if king.weekday() == 6 else king, "Koningsdag"),
        (dt.date(year, 5, 5), "Bevrijdingsdag (5 mei)"),
        (easter + dt.timedelta(days=39), "Hemelvaartsdag"),
        (easter + dt.timedelta(days=50), "tweede Pinksterdag"),
        (dt.date(year, 12, 25), "eerste Kerstdag"),
        (dt.date(year, 12, 26), "tweede Kerstdag"),
    ]
    named: dict[dt.date, str] = {}
    for day, name in days:
        named[day] = f"{named[day]} en {name}" if day in named else name
    return named


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in holidays(day.year)


def day_off(day: dt.date) -> str | None:
    """Why `day` is not a working day, in Dutch ("een zondag", "Koningsdag"), or None for a working day."""
    holiday = holidays(day.year).get(day)
    weekend = f"een {weekday_name(day)}" if day.weekday() >= 5 else None
    if weekend and holiday:
        return f"{weekend} ({holiday})"
    return weekend or holiday


def _in_known_years(day: dt.date, field: str, value: object) -> dt.date:
    last = year_bounds()[1]
    if day.year < FIRST_YEAR:
        raise InputError(f"{field}: {show_value(value)} ligt vóór {FIRST_YEAR}; de toolkit kent de feestdagen van de "
                         f"Algemene termijnenwet vanaf {FIRST_YEAR} (Koningsdag)", field=field, value=value)
    if day.year > last:
        raise InputError(f"{field}: {show_value(value)} ligt na {last}", field=field, value=value)
    return day


def add_working_days(date: object, n: object) -> dt.date:
    """The day `n` working days after `date` (Algemene termijnenwet): day 1 is the first working day after
    `date`; 0 gives `date` itself.

    `date` as `toolkit.dates.read_date` reads it (15-01-2027, 2027-01-15, 15 januari 2027, a date, an Excel
    serial number); `n` a whole number of 0 or more (10, "10"). InputError naming `date` or `n` otherwise,
    and for a date or an answer outside the years whose holidays are known (2014 to the last plausible year).
    """
    start = _in_known_years(read_date(date, "date"), "date", date)
    count: int = quantity("count").read(n, "n")
    last = year_bounds()[1]
    day, left = start, count
    while left:
        day += _DAY
        if day.year > last:
            raise InputError(f"n: {count} werkdagen na {dutch_date(start)} valt na {last}", field="n", value=n)
        if is_working_day(day):
            left -= 1
    return day


__all__ = ["FIRST_YEAR", "add_working_days", "day_off", "easter_sunday", "holidays", "is_working_day"]
