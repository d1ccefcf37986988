"""Dates as a Dutch reader writes them: the month names and "1 oktober 2027".

One list of month names for every surface: messages, help texts, template labels and formulas, reports.
"""

from __future__ import annotations

import datetime as dt

MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
          "november", "december")


def month_name(month: int) -> str:
    """1 -> "januari"."""
    return MONTHS[month - 1]


def day_month(day: dt.date) -> str:
    """"1 oktober"."""
    return f"{day.day} {month_name(day.month)}"


def dutch_date(day: dt.date) -> str:
    """"1 oktober 2027"."""
    return f"{day_month(day)} {day.year}"


def years_listed(years: tuple[int, ...]) -> str:
    """Years as help texts list them: "2025-2027" for a run, "2025, 2027" otherwise, "geen" for none."""
    if not years:
        return "geen"
    if len(years) > 1 and list(years) == list(range(years[0], years[-1] + 1)):
        return f"{years[0]}-{years[-1]}"
    return ", ".join(map(str, years))


__all__ = ["MONTHS", "day_month", "dutch_date", "month_name", "years_listed"]
