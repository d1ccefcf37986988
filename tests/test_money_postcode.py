from __future__ import annotations

import datetime as dt
import math
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from toolkit import InputError
from toolkit.money import round_money
from toolkit.numbers import parse_number
from toolkit.parameters import quantity
from toolkit.postcode import compact, is_valid, to_pc4


@pytest.mark.parametrize(
    ("value", "expected"),
    [(2.675, "2.68"), (1.005, "1.01"), (0.125, "0.13"), (-0.125, "-0.13"), (Decimal("2.345"), "2.35"),
     (881479.0243902439, "881479.02"), (0.5, "0.50"), (10, "10.00")],
)
def test_round_money_matches_excel_round(value: object, expected: str) -> None:
    # Excel's ROUND(2.675; 2) = 2,68 where Python's round(2.675, 2) = 2.67
    assert round_money(value) == Decimal(expected)  # type: ignore[arg-type]


@given(st.decimals(min_value=-10**9, max_value=10**9, places=6, allow_nan=False, allow_infinity=False))
def test_round_money_is_decimal_half_up(value: Decimal) -> None:
    assert round_money(value) == value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_infinity=False))
def test_round_money_of_float_uses_15_significant_digits(value: float) -> None:
    expected = Decimal(f"{value:.15g}").quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    assert round_money(value) == expected


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf, "abc", None, True, Decimal("NaN")])
def test_non_finite_and_non_numbers_are_input_errors(bad: object) -> None:
    with pytest.raises(InputError) as info:
        parse_number(bad, kind="money", field="bedrag")
    assert info.value.field == "bedrag"


def test_counts_accept_integral_floats_only() -> None:
    count = quantity("count")
    assert count.read(12.0, "n") == 12
    with pytest.raises(InputError, match="geen geheel getal"):
        count.read(12.5, "n")
    with pytest.raises(InputError, match="negatief"):
        count.read(-1, "n")


@pytest.mark.parametrize(
    ("value", "pc4"),
    [("1234", "1234"), ("1234 AB", "1234"), ("1234ab", "1234"), (" 1234  ab ", "1234"), (5611, "5611"),
     (5611.0, "5611"), ("9999ZZ", "9999")],
)
def test_valid_postcodes_reduce_to_pc4(value: object, pc4: str) -> None:
    assert to_pc4(value) == pc4


@pytest.mark.parametrize("value", ["12AB", "0123", "0123 AB", "123", "12345", "1234 A", "1234 ABC", "", "ABCD",
                                   "1234-AB", 123, True, None, "１２３４"])
def test_invalid_postcodes_name_value_and_row(value: object) -> None:
    with pytest.raises(InputError) as info:
        to_pc4(value, row=3)
    assert info.value.row == 3
    assert "rij 3" in str(info.value)
    assert not is_valid(value)


def test_compact() -> None:
    assert compact(" 1234 ab ") == "1234AB"


@pytest.mark.parametrize("space", sorted(chr(c) for c in range(0x110000) if chr(c).isspace()))
def test_every_kind_of_space_is_removed_from_a_postcode(space: str) -> None:
    """SPEC: every kind of white space (found by a helper: an en space, U+3000 and \\v were refused)."""
    assert to_pc4(f"{space}5611{space}AB{space}") == "5611"


def test_the_white_space_removed_is_what_python_calls_white_space() -> None:
    from toolkit.postcode import WHITESPACE

    assert sorted(WHITESPACE) == sorted(chr(c) for c in range(0x110000) if chr(c).isspace())


@pytest.mark.parametrize("value", ["1234ß", "5611\u200bAB", "5611\u00c5B", "１２３４ab"])
def test_only_ascii_letters_and_listed_spaces_are_accepted(value: str) -> None:
    assert not is_valid(value)


@pytest.mark.parametrize(
    ("value", "shown"),
    [("12AB", "'12AB'"), ("a\tb\r\nc", "'a\\tb\\r\\nc'"), ("één", "'één'"), (Decimal("-1.50"), "'-1,50'"),
     (2.5, "'2,5'"), (1e308, "'1e+308'"),
     (dt.date(2025, 3, 14), "'2025-03-14'"), (None, "'None'"),
     # a cell in a time or duration format, as Excel shows it (found by a helper: 'datetime.time(12, 0)')
     (dt.time(12, 0), "'12:00'"), (dt.time(8, 5, 30), "'8:05:30'"), (dt.timedelta(days=1, hours=6), "'30:00'"),
     ("x" * 50, "'" + "x" * 40 + "… (50 tekens)'"),
     ("Cliëntnr.\u00a0", "'Cliëntnr.[harde spatie]'"), ("1\u202f234", "'1[harde spatie]234'"),
     # cut and counted on the value itself, not on its shown words: 34 characters are shown whole
     ("Zorgaanbieder\u00a0Thuiszorg\u00a0Brabant BV", "'Zorgaanbieder[harde spatie]Thuiszorg[harde spatie]Brabant BV'"),
     ("\u00a0" * 41, "'" + "[harde spatie]" * 40 + "… (41 tekens)'")],
)
def test_values_in_messages_stay_on_one_short_line(value: object, shown: str) -> None:
    from toolkit.errors import show_value

    assert show_value(value) == shown
