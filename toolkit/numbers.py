"""The one reading of typed numbers (SPEC "Numbers as typed"), their plausible ranges, and Dutch display.

Every number that arrives as text — a cell of an INPUTS file, a string argument of the Python API, a
text cell handed to an Excel function — is read here, so the same text gives the same value (or the same
refusal) on every surface. Dutch first: `450.000` is four hundred and fifty thousand, not 450; `12,5`
is twelve and a half; a lone dot that cannot be a thousands grouping (`12.5`, `0.030`) is a decimal
point. Anything with no consistent reading (`1.23,4.5`, `1,2,3`) is refused, quoting the text as typed.

Why not Babel's `parse_decimal`: non-strict it reads `12.5` as 125 and `1,234.56` as 1.23456; strict, it
refuses `12.5`, which SPEC accepts (../shared/NOTES.md, "Dutch numbers"). The reading is small enough to
be written out and tested against SPEC's table (tests/test_numbers.py).

Bounds come first: text longer than `MAX_TEXT` characters, exponents (`1e5`) and more than 15
significant digits (what a spreadsheet keeps) are refused before any `Decimal` is built, so
`1e999999` costs nothing and a value never means something else in the template than in Python.

A `Quantity` adds the plausible range of an input kind (an index −0.5…0.5, a share 0…1, hours per member
per year 0…8,760 …), from `parameters/data/plausible.yaml`, with the hint "bedoelt u 3 % (0,03)?" where
a percentage typed as a whole number is the likely slip.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal
from fractions import Fraction
from typing import Any

from .errors import InputError, show_value

KINDS = ("money", "count", "fraction", "number")
MAX_TEXT = 64  # characters of typed text: "€ 1.234.567.890.123,45" is 22; a longer value is no amount
MAX_DIGITS = 15  # significant digits a spreadsheet keeps
# Beyond this no input is plausible, and Decimal arithmetic stays far inside its 28 digits. (A tiny value
# such as 1e-247 from a float is harmless: it rounds to 0 wherever it is used.)
_MAX_ADJUSTED = MAX_DIGITS  # |x| < 10**16
_UNITS_LOST = float(10**MAX_DIGITS)  # from here on, a float's 15 significant digits no longer reach its units

# Every kind of space a spreadsheet or a copied web page puts inside a number: space, no-break space,
# narrow no-break space (U+202F, Excel's French/Dutch grouping), thin space, figure space, tab.
_SPACES = " \u00a0\u202f\u2009\u2007\t"
_SIGNS = {"-": "-", "+": "", "\u2212": "-"}  # U+2212 is the typographic minus
_NUMBER = re.compile(
    r"^(?P<sign1>[-+\u2212])?[ \u00a0\u202f\u2009\u2007\t]*(?P<euro1>€)?[ \u00a0\u202f\u2009\u2007\t]*"
    r"(?P<sign2>[-+\u2212])?[ \u00a0\u202f\u2009\u2007\t]*"
    r"(?P<body>[0-9.,][0-9., \u00a0\u202f\u2009\u2007\t]*?)"
    r"[ \u00a0\u202f\u2009\u2007\t]*(?P<euro2>€)?[ \u00a0\u202f\u2009\u2007\t]*(?P<percent>%)?$"
)
_SPACE_GROUPED = re.compile(r"^[0-9]{1,3}(?:[ \u00a0\u202f\u2009\u2007][0-9]{3})+(?:[.,][0-9]+)?$")
_DOT_THOUSANDS = re.compile(r"^[1-9][0-9]{0,2}(?:\.[0-9]{3})+$")
_COMMA_THOUSANDS = re.compile(r"^[1-9][0-9]{0,2}(?:,[0-9]{3})+$")

_NOUN = {"money": "bedrag", "count": "aantal", "fraction": "fractie", "number": "getal"}


def _refuse(text: object, field: str | None, why: str, row: int | None = None) -> InputError:
    label = f"{field}: " if field else ""
    where = f" in rij {row}" if row is not None else ""
    return InputError(f"{label}{show_value(text)}{where} {why}", field=field, value=text, row=row)


def _check_kind(kind: object) -> None:
    if not isinstance(kind, str) or kind not in KINDS:
        raise InputError(f"kind: soort getal {show_value(kind)} is onbekend (verwacht {', '.join(KINDS)})",
                         field="kind", value=kind)


def _significant(digits: str, fraction: str) -> int:
    """Significant digits of a number written as `digits`.`fraction` (no sign, no separators)."""
    whole = digits.lstrip("0")
    if whole:
        return len(whole) + len(fraction.rstrip("0"))
    return len(fraction.rstrip("0").lstrip("0"))


def _body_parts(body: str, text: str, field: str | None) -> tuple[str, str]:
    """(integer digits, fraction digits) of the number part, by SPEC's table, or InputError."""
    if any(c in _SPACES for c in body):
        if not _SPACE_GROUPED.match(body):
            raise _refuse(text, field, "is geen getal: spaties mogen alleen groepen van drie cijfers scheiden "
                                       "(1 234,5)")
        body = "".join(c for c in body if c not in _SPACES)
        if "," in body or "." in body:  # after space grouping, the one separator left is the decimal one
            head, _, tail = body.replace(",", ".").partition(".")
            return head, tail
        return body, ""
    dots, commas = body.count("."), body.count(",")
    if not dots and not commas:
        return body, ""
    if dots and commas:
        # Both: the last separator is the decimal one and occurs once; the other groups thousands.
        last = max(body.rfind("."), body.rfind(","))
        decimal_sep = body[last]
        head, tail = body[:last], body[last + 1:]
        grouping = _DOT_THOUSANDS if decimal_sep == "," else _COMMA_THOUSANDS
        if decimal_sep in head or not tail.isdigit() or not grouping.match(head):
            raise _refuse(text, field, "is geen getal: punten en komma's staan niet op een eenduidige plaats "
                                       "(bedoeld is bijvoorbeeld 1.234,56)")
        return head.replace(",", "").replace(".", ""), tail
    if dots:
        if _DOT_THOUSANDS.match(body):
            return body.replace(".", ""), ""  # 450.000, 2.496, 1.000.000: Dutch thousands
        if dots == 1:
            head, _, tail = body.partition(".")
            if tail.isdigit() and (head.isdigit() or head == ""):
                return head or "0", tail  # 12.5, 0.030, .5
        raise _refuse(text, field, "is geen getal: de punten staan niet op een eenduidige plaats "
                                   "(duizendtallen 1.234.567, decimalen 12,5)")
    head, _, tail = body.partition(",")
    if commas == 1 and tail.isdigit() and (head.isdigit() or head == ""):
        return head or "0", tail  # 12,5 and ,5
    raise _refuse(text, field, "is geen getal: de komma's staan niet op een eenduidige plaats "
                               "(de komma is het decimaalteken: 12,5)")


def _read_text(text: str, kind: str, field: str | None) -> Decimal:
    if len(text) > MAX_TEXT:
        raise _refuse(text, field, f"is geen getal (langer dan {MAX_TEXT} tekens)")
    stripped = text.strip(_SPACES + "\r\n\v\f")
    if not stripped:
        raise _refuse(text, field, "is leeg (verwacht een getal)")
    match = _NUMBER.match(stripped)
    if match is None:
        if re.search(r"[0-9.,][eE][-+]?[0-9]", stripped):
            raise _refuse(text, field, "is geen getal: een exponent (1e5) wordt niet gelezen; typ het getal voluit")
        raise _refuse(text, field, "is geen getal")
    if (match["sign1"] and match["sign2"]) or (match["euro1"] and match["euro2"]):
        raise _refuse(text, field, "is geen getal")
    noun = _NOUN[kind]
    if match["percent"] and kind != "fraction":
        raise _refuse(text, field, f"moet een {noun} zijn, geen percentage")
    if (match["euro1"] or match["euro2"]) and kind != "money":
        raise _refuse(text, field, f"moet een {noun} zijn, geen bedrag in euro")
    digits, fraction = _body_parts(match["body"], text, field)
    if _significant(digits, fraction) > MAX_DIGITS:
        raise _refuse(text, field, f"heeft meer dan {MAX_DIGITS} significante cijfers (meer dan een spreadsheet "
                                   "bewaart)")
    sign = _SIGNS[match["sign1"] or match["sign2"] or "+"]
    value = Decimal(f"{sign}{digits or '0'}.{fraction}" if fraction else f"{sign}{digits or '0'}")
    if match["percent"]:
        value = value.scaleb(-2)
    # Keep what was typed as written (2,50 stays 2.50); the sign of a typed zero means nothing.
    return value if value else abs(value)


def _read_value(value: object, kind: str, field: str | None) -> Decimal:
    """A number that arrived as a number: taken as it is, floats as the 15 digits a spreadsheet shows."""
    if isinstance(value, bool) or value is None:
        raise _refuse(value, field, "is geen getal")
    if isinstance(value, int):
        if len(str(abs(value))) > MAX_DIGITS and value % 10 ** (len(str(abs(value))) - MAX_DIGITS):
            raise _refuse(value, field, f"heeft meer dan {MAX_DIGITS} significante cijfers")
        result = Decimal(value)
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise _refuse(value, field, "is geen eindig getal")
        result = Decimal(f"{value:.15g}")
        # A float is read as the 15 significant digits a spreadsheet shows. Below 10^15 that drops only digits
        # after the units, the binary noise of any computed cell: 1/3 arrives as 0.3333333333333333 (16
        # digits), 0.1 + 0.2 as 0.30000000000000004; refusing those would refuse ordinary spreadsheet values.
        # From 10^15 on the 15 digits no longer reach the units, and 2.0**53 would silently become
        # 9007199254740990: such a float is refused as an int with more than 15 digits is, naming its exact
        # value (the 15 digits shown first are the spreadsheet's). From 10^16 on the range below refuses.
        if _UNITS_LOST <= abs(value) < _UNITS_LOST * 10 and Decimal(value) != result:
            exact = format(Decimal(value), "f").replace(".", ",")
            raise _refuse(value, field, f"heeft meer dan {MAX_DIGITS} significante cijfers (precies {exact}; een "
                                        f"spreadsheet bewaart er {MAX_DIGITS})")
    elif isinstance(value, Decimal):
        if not value.is_finite():
            raise _refuse(value, field, "is geen eindig getal")
        result = value
    elif isinstance(value, Fraction):
        result = Decimal(value.numerator) / Decimal(value.denominator)
    else:
        raise _refuse(value, field, "is geen getal")
    if result and result.adjusted() > _MAX_ADJUSTED:
        raise _refuse(value, field, "ligt buiten elk denkbaar bereik")
    # A zero's sign means nothing (as for a typed one): -0.0 from a spreadsheet would print as € -0,00.
    return result if result else abs(result)


def parse_number(text: object, *, kind: str = "money", field: str | None = None, row: int | None = None) -> Any:
    """The value of a typed number (SPEC "Numbers as typed"): a `Decimal`, or an `int` for counts.

    `kind`: "money" (`€` allowed), "count" (whole numbers), "fraction" (`%` allowed: `85%` = 0.85,
    `3,2 %` = 0.032) or "number" (plain). Numbers that arrive as numbers are taken as they are, floats
    as the 15 significant digits a spreadsheet keeps (from 10^15 on, where those no longer reach the units,
    a float with more is refused, as an int with more is). Refusals are `InputError`s that name `field` (and
    `row`, within a range) and quote the value as it was typed. Ranges are not checked here: see `Quantity`.
    """
    _check_kind(kind)
    try:
        number = _read_text(text, kind, field) if isinstance(text, str) else _read_value(text, kind, field)
    except InputError as err:
        if row is None:
            raise
        raise _refuse(text, field, err.message.split(f"{show_value(text)} ", 1)[-1], row) from None
    if kind == "count":
        if number != number.to_integral_value():
            raise _refuse(text, field, "is geen geheel getal (verwacht een aantal)", row)
        return int(number)
    return number


# --- plausible ranges -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Quantity:
    """An input kind with its reading and plausible range (SPEC "Numbers as typed", plausible ranges)."""

    name: str
    reading: str  # a kind of parse_number
    label: str  # Dutch, for help texts: "een index als fractie"
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    above_minimum: bool = False  # the minimum itself is not allowed (a ceiling must be > 0)
    percent_hint: bool = False  # a value that fits once divided by 100 was probably typed as a percentage
    grouped: bool = True  # shown with a thousands dot (1.200.000); a year is not (2027)
    # Below this a value is allowed but said to be unusual: `1,2` typed for a ceiling of 1,2 million.
    usual_minimum: Decimal | None = None

    def read(self, value: object, field: str | None = None, row: int | None = None) -> Any:
        """`value` read with `parse_number` and checked against the range; InputError names field, row and value."""
        number = parse_number(value, kind=self.reading, field=field, row=row)
        if not self.fits(number):
            raise _refuse(value, field, self._why(number), row)
        return number

    def _why(self, number: Decimal | int) -> str:
        upper = "" if self.maximum is None else f" (bereik {self.range_text()})"
        if self.minimum == 0 and number < 0 and not self.above_minimum:
            return f"mag niet negatief zijn{upper}"
        if self.minimum == 0 and self.above_minimum and number <= 0:
            return f"moet groter dan 0 zijn{upper}"
        hint = ""
        if self.percent_hint and self.fits(Decimal(number) / 100):
            hint = f": bedoelt u {format_number(number)} % ({format_number(Decimal(number) / 100)})?"
        return f"ligt buiten het bereik {self.range_text()}{hint}"

    def unusual(self, number: Decimal | int) -> bool:
        """Whether an allowed value is probably a slip: below `usual_minimum`."""
        return self.usual_minimum is not None and number < self.usual_minimum

    def fits(self, number: Decimal | int) -> bool:
        if self.minimum is not None and (number <= self.minimum if self.above_minimum else number < self.minimum):
            return False
        return self.maximum is None or number <= self.maximum

    def range_text(self, *, percent: bool = False) -> str:
        """The range in Dutch: "0 t/m 1", "groter dan 0", "0 of meer"; with `percent`, a fraction's range as
        the percentages a cell formatted as % shows ("-50% t/m 50%")."""
        def shown(value: Decimal) -> str:
            if percent:
                return f"{format_number(value * 100)}%"
            return format_number(value) if self.grouped else str(value)

        low = None if self.minimum is None else shown(self.minimum)
        high = None if self.maximum is None else shown(self.maximum)
        if low is not None and high is not None:
            return f"{low} t/m {high}"
        if low is not None:
            return f"groter dan {low}" if self.above_minimum else f"{low} of meer"
        return "tot en met " + high if high is not None else "elk getal"


# --- Dutch display ------------------------------------------------------------------------------------------
# Written out rather than through Babel: three exact Decimal formats, the same in the xlwings Lite file,
# which carries no Babel (../shared/NOTES.md shows Babel gives the same strings for these formats).


def _quantized(number: Decimal, places: int) -> Decimal:
    """`number` rounded half up to `places` decimals, however many digits it has: the default context's 28
    would refuse a saved 1e27 with two decimals (a hostile workbook's cached value, shown by `check`)."""
    unit = Decimal(1).scaleb(-places)
    digits = number.adjusted() + places + 2
    if digits <= 28:  # (nearly always: a context of its own costs a third of a formatted number)
        return number.quantize(unit, rounding=ROUND_HALF_UP)
    return number.quantize(unit, rounding=ROUND_HALF_UP, context=Context(prec=digits))


def _grouped(number: Decimal, places: int | None) -> str:
    if places is not None:
        number = _quantized(number, places)
    text = format(number, "f")
    sign = "-" if text.startswith("-") else ""
    whole, _, fraction = text.lstrip("-").partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    shown = ".".join([whole, *groups])
    return f"{sign}{shown},{fraction}" if fraction else f"{sign}{shown}"


def _decimal(value: Decimal | int | float) -> Decimal:
    return Decimal(f"{value:.15g}") if isinstance(value, float) else Decimal(value)


def format_money(value: Decimal | int | float, *, cents: bool = True) -> str:
    """`€ 1.234,56` (or `€ 100.000` without cents): a Dutch reader's amount."""
    return f"€ {_grouped(_decimal(value), 2 if cents else 0)}"


def format_percent(value: Decimal | int | float, places: int = 2) -> str:
    """`3,37 %`: a fraction as a Dutch percentage."""
    return f"{_grouped(_decimal(value) * 100, places)} %"


def percent_text(share: Decimal) -> str:
    """A policy share as the rules' reasons write it: 80 %, 82,5 % (the templates build the same text)."""
    return f"{format_number(share * 100)} %"


def format_number(value: Decimal | int | float, places: int | None = None) -> str:
    """`1.234,5`: Dutch grouping and decimal comma; trailing zeros dropped unless `places` is given."""
    number = _decimal(value)
    if places is None and number == number.to_integral_value():
        number = _quantized(number, 0)
    elif places is None:
        number = number.normalize()
    return _grouped(number, places)


__all__ = ["KINDS", "Quantity", "format_money", "format_number", "format_percent", "parse_number", "percent_text"]
