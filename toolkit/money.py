"""Decimal helpers with Excel-compatible rounding.

SPEC "General conventions": money is `Decimal`, rounded to cents with ROUND_HALF_UP only at the end
of a calculation, exactly as Excel's ROUND(x, 2). Python's round() is banker's rounding and would
disagree on half-cent cases. A float is first read as the decimal Excel would display
(15 significant digits), so 0.125 stays 0.125 and 2.675 becomes 2.675, not 2.67499999….
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction

from .errors import InputError, show_value

CENT = Decimal("0.01")

Number = Decimal | int | float | str | Fraction


def to_decimal(value: object, field: str) -> Decimal:
    """Convert a number to Decimal exactly as Excel sees it; reject NaN, infinity, text and bools."""
    if isinstance(value, bool) or value is None:
        raise InputError(f"{field}: {show_value(value)} is geen getal", field=field, value=value)
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise InputError(f"{field}: {show_value(value)} is geen eindig getal", field=field, value=value)
        # 15 significant digits: the precision Excel keeps and displays.
        result = Decimal(f"{value:.15g}")
    elif isinstance(value, Fraction):
        result = Decimal(value.numerator) / Decimal(value.denominator)
    elif isinstance(value, str):
        try:
            result = Decimal(value.strip())
        except InvalidOperation:
            raise InputError(f"{field}: {show_value(value)} is geen getal", field=field, value=value) from None
    else:
        raise InputError(f"{field}: {show_value(value)} is geen getal", field=field, value=value)
    if not result.is_finite():
        raise InputError(f"{field}: {show_value(value)} is geen eindig getal", field=field, value=value)
    return result


def parse_number(value: object, field: str) -> Decimal:
    """A number as a spreadsheet user may type it: 12.5, '12,5', '1.234,56', '85%' (= 0.85), ' 3 '.

    A comma is the Dutch decimal separator, and then dots are thousands separators. Text with only a
    dot reads it as the decimal point, as in Python and in CSV exports made by software.
    """
    if not isinstance(value, str):
        return to_decimal(value, field)
    text = value.strip().replace("\u00a0", "").replace(" ", "")
    percent = text.endswith("%")
    text = text.removesuffix("%")
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise InputError(f"{field}: {show_value(value)} is geen getal", field=field, value=value) from None
    if not number.is_finite():
        raise InputError(f"{field}: {show_value(value)} is geen eindig getal", field=field, value=value)
    return number / 100 if percent else number


def round_money(value: Decimal | int | float, places: int = 2) -> Decimal:
    """Round half away from zero to `places` decimals, as Excel's ROUND(x, places)."""
    amount = to_decimal(value, "bedrag")
    try:
        return amount.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    except InvalidOperation:
        # More digits than Decimal's 28-digit context holds: far beyond any real budget.
        raise InputError(f"bedrag {show_value(amount)} is te groot om op centen af te ronden", field="bedrag",
                         value=value) from None


def non_negative(value: object, field: str) -> Decimal:
    """A Decimal that must be >= 0 (amounts, hours, FTE)."""
    amount = to_decimal(value, field)
    if amount < 0:
        raise InputError(f"{field}: {show_value(value)} mag niet negatief zijn", field=field, value=value)
    return amount


def whole_count(value: object, field: str) -> int:
    """A non-negative whole number (a count of clients or areas); integral floats such as 12.0 are fine,
    because Excel sends every number as a float."""
    if isinstance(value, bool) or value is None:
        raise InputError(f"{field}: {show_value(value)} is geen geheel getal", field=field, value=value)
    if isinstance(value, int):
        number = value
    else:
        amount = to_decimal(value, field)
        if amount != amount.to_integral_value():
            raise InputError(f"{field}: {show_value(value)} is geen geheel getal", field=field, value=value)
        number = int(amount)
    if number < 0:
        raise InputError(f"{field}: {show_value(value)} mag niet negatief zijn", field=field, value=value)
    return number
