"""Dutch postcodes reduced to the 4-digit area (PC4) the CZ ratio counts.

Shaped like python-stdnum's `stdnum/nl/postcode.py`: `compact()` normalises, `validate()` raises,
`is_valid()` answers. A PC4 is `[1-9][0-9]{3}`: Dutch postcodes never start with 0. A full postcode
(`1234 AB`, `1234ab`) reduces to its PC4; anything else is invalid input.
"""

from __future__ import annotations

import re

from .errors import InputError, show_value

# Letters SA, SD and SS are not issued by PostNL, but claim files are not the place to police that:
# the PC4 is all the rule uses, so any two letters (ASCII A-Z, either case) are accepted after the digits.
PC4_PATTERN = r"[1-9][0-9]{3}"
POSTCODE_PATTERN = rf"^({PC4_PATTERN})(?:[A-Z]{{2}})?$"
_POSTCODE = re.compile(POSTCODE_PATTERN, re.ASCII)

# The white space removed from a postcode before it is read, here and in the template formulas alike
# (SPEC "Numbers as typed": every kind of white space): each character Python calls white space (space,
# no-break space, tab, narrow no-break space U+202F, the other Unicode spaces, line and paragraph breaks),
# written out because finding them at start-up would take longer than the rest of the import
# (tests/test_money_postcode.py holds the list to str.isspace). Anything else is part of the postcode.
WHITESPACE = (" \u00a0\t\u202f\u2009\u2007\r\n\x0b\x0c\x1c\x1d\x1e\x1f\x85\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
              "\u2006\u2008\u200a\u2028\u2029\u205f\u3000")
_REMOVE_WHITESPACE = str.maketrans("", "", WHITESPACE)


def compact(value: str) -> str:
    """Remove white space and upper-case ASCII letters: ' 1234 ab ' -> '1234AB' (ß stays ß: not a letter here)."""
    text = value.translate(_REMOVE_WHITESPACE)
    return "".join(c.upper() if "a" <= c <= "z" else c for c in text)


def to_pc4(value: object, *, field: str = "postcode", row: int | None = None) -> str:
    """The PC4 of a postcode or PC4, or InputError naming the field, row and value.

    Integers are accepted (a spreadsheet turns 5611 into a number); 0123 as a number would be 123,
    which is rejected like any other non-PC4.
    """
    if type(value) is str and len(value) == 4 and value.isascii() and value.isdigit() and value[0] != "0":
        return value  # the common case, already a PC4: skip the regex
    if isinstance(value, int):  # bool included: True becomes "True", which is rejected
        text = str(value)
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    elif isinstance(value, str):
        text = compact(value)
    else:
        text = str(value)
    match = _POSTCODE.match(text)
    if match is None:
        raise InputError(not_a_pc4(value, row), field=field, value=value, row=row)
    return match.group(1)


def not_a_pc4(value: object, row: int | None = None) -> str:
    """The one message for a value that is no postcode (a cell, an argument, a claim line)."""
    where = f" in rij {row}" if row is not None else ""
    return (f"postcode {show_value(value)}{where} is geen geldige PC4 (verwacht 4 cijfers, niet beginnend met 0, "
            "eventueel gevolgd door 2 letters)")


def validate(value: object) -> str:
    """Alias in python-stdnum style: the normalised PC4, or InputError."""
    return to_pc4(value)


def is_valid(value: object) -> bool:
    try:
        to_pc4(value)
    except InputError:
        return False
    return True
