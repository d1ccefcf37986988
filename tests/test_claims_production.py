"""Rule 5 from claims (issue 14): the CZ-group production per month, read with the ratio's reading and
validation; amounts read exactly as toolkit.numbers.parse_number reads money."""

from __future__ import annotations

import math
from decimal import Decimal
from pathlib import Path

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import write_lines
from hypothesis import example, given, settings
from hypothesis import strategies as st

from toolkit import InputError, production_from_claims
from toolkit.claims.amounts import AmountReader, bulk_text
from toolkit.numbers import parse_number

HEADER = "zorgaanbieder;clientnummer;postcode;verzekeraar;prestatiedatum;prestatie;bedrag"
ZERO = Decimal("0.00")


def months(**filled: str) -> tuple[Decimal, ...]:
    values = [ZERO] * 12
    for name, amount in filled.items():
        values[int(name[1:]) - 1] = Decimal(amount)
    return tuple(values)


@pytest.fixture
def claims(tmp_path: Path) -> Path:
    return write_lines(tmp_path / "p.csv", [
        HEADER,
        "A;c1;5611;CZ;14-01-2025;Verpleging;1.234,56",
        "A;c2;5611 AB;OHRA;2025-01-20;Verpleging;€ 12,50",
        "A;c3;5612;9664;2025-02-01;Verpleging;12,5",
        "A;c3;5612;Nationale-Nederlanden;2025-02-02;Verpleging;12.50",
        "A;c3;5612;CZ;2025-02-03;Verpleging;-45,00",  # a credit line
        "A;c4;5613;CZ;2025-03-01;Medische kindzorg;100",  # kindzorg counts here
        "A;c5;5613;VGZ;2025-03-01;Verpleging;999,00",  # another insurer
        "A;c6;5613;CZ;2024-12-31;Verpleging;999,00",  # another year
        "A;c7;5613;C Z;2025-03-01;Verpleging;999,00",  # unknown label: reported
        "B;b1;6000;CZ;2025-12-31;Verpleging;0,01",
        "B;b2;6000;CZ;2025-12-31;Verpleging;1.000.000",
    ])


def test_known_answers(claims: Path) -> None:
    report = production_from_claims(claims, year=2025)
    a, b = report.providers["A"], report.providers["B"]
    assert a.monthly == months(m1="1247.06", m2="-20.00", m3="100.00")
    assert (a.lines_read, a.lines_used, a.lines_kindzorg) == (9, 6, 1)
    assert (a.lines_other_insurers, a.lines_other_years) == (1, 1)
    assert a.unknown_insurers == {"C Z": 1} and a.last_month == 3 and a.total == Decimal("1327.06")
    assert b.monthly == months(m12="1000000.01") and b.last_month == 12
    assert report.monthly == months(m1="1247.06", m2="-20.00", m3="100.00", m12="1000000.01")
    assert report.lines_read == 11 and report.unknown_insurers == {"C Z": 1}
    assert report.to_dict()["monthly"][0] == "1247.06"
    assert production_from_claims(claims, year=2024).providers["A"].monthly == months(m12="999.00")
    assert production_from_claims(claims, year=2025, only_provider="B").monthly == b.monthly
    with pytest.raises(InputError, match="'C Z'"):
        production_from_claims(claims, year=2025, strict=True)


def test_sums_are_exact_and_rounded_once_at_the_end(tmp_path: Path) -> None:
    # Three lines of half a cent and a bit: 0.015 in all, rounded half up to 0.02 (per line it would be
    # 0.01 three times, 0.03); amounts past 2**53 cents in all stay exact.
    path = write_lines(tmp_path / "x.csv", [HEADER] + ["A;c1;5611;CZ;2025-04-01;V;0,005"] * 3 + [
        "A;c1;5611;CZ;2025-05-01;V;9.999.999.999.999,99"] * 2000)
    report = production_from_claims(path, year=2025)
    assert report.monthly[3] == Decimal("0.02")
    assert report.monthly[4] == Decimal("9999999999999.99") * 2000


def test_an_unreadable_amount_is_an_invalid_line(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "bad.csv", [HEADER, "A;c1;5611;CZ;2025-01-01;V;12,50",
                                              "A;c2;5611;CZ;2025-01-01;V;1,2,3", "A;c3;5611;CZ;2025-01-01;V;",
                                              "A;c4;5611;VGZ;2025-01-01;V;1e5"])
    with pytest.raises(InputError) as info:
        production_from_claims(path, year=2025)
    assert info.value.row == 3 and info.value.field == "amount" and info.value.value == "1,2,3"
    assert str(info.value).startswith(f"{path}: regel 3, kolom 'bedrag': bedrag '1,2,3' is geen getal")
    report = production_from_claims(path, year=2025, skip_invalid=True)
    assert report.invalid_lines == 3 and report.invalid_reasons == {"ongeldig bedrag": 3}
    assert report.providers["A"].invalid_lines == 3 and report.monthly[0] == Decimal("12.50")
    assert report.invalid_examples[1] == "regel 4, kolom 'bedrag': bedrag ontbreekt"


def test_the_amount_column_is_required_here_only(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "geen.csv", [HEADER.rsplit(";", 1)[0], "A;c1;5611;CZ;2025-01-01;V"])
    with pytest.raises(InputError, match=r"1 kolom ontbreekt: bedrag \(bijvoorbeeld \"Bedrag\", \"Declaratiebedrag\""):
        production_from_claims(path, year=2025)
    from toolkit import ratio_from_claims

    assert ratio_from_claims(path, year=2027).clients == 1
    for year in (True, 27):  # refused before any reading, as the ratio refuses it
        with pytest.raises(InputError) as production_error:
            production_from_claims(path, year=year)
        with pytest.raises(InputError) as ratio_error:
            ratio_from_claims(path, year=year)
        assert str(production_error.value) == str(ratio_error.value)


def test_numbers_from_parquet_and_xlsx(tmp_path: Path, claims: Path) -> None:
    expected = production_from_claims(claims, year=2025)
    rows = [line.split(";") for line in claims.read_text(encoding="utf-8").splitlines()]
    header, body = rows[0], rows[1:]
    amounts = [parse_number(r[6], kind="money") for r in body]
    for kind, column in (("float", pa.array([float(a) for a in amounts])),
                         ("decimal", pa.array(amounts, pa.decimal128(12, 2))),
                         ("text", pa.array([r[6] for r in body]))):
        table = pa.table({**{name: [r[i] for r in body] for i, name in enumerate(header[:6])}, "bedrag": column})
        pq.write_table(table, tmp_path / f"{kind}.parquet")
        got = production_from_claims(tmp_path / f"{kind}.parquet", year=2025)
        assert {k: v.monthly for k, v in got.providers.items()} == {k: v.monthly for k, v in expected.providers.items()}
    workbook = openpyxl.Workbook()
    workbook.active.append(header)
    for row, amount in zip(body, amounts, strict=True):
        workbook.active.append([*row[:6], float(amount) if len(row[6]) % 2 else row[6]])  # numbers and text mixed
    workbook.save(tmp_path / "p.xlsx")
    got = production_from_claims(tmp_path / "p.xlsx", year=2025)
    assert {k: v.monthly for k, v in got.providers.items()} == {k: v.monthly for k, v in expected.providers.items()}


def test_nan_and_integers_in_a_numeric_column(tmp_path: Path) -> None:
    table = pa.table({"agb": ["A"] * 4, "client": ["c1", "c2", "c3", "c4"], "postcode": ["5611"] * 4,
                      "label": ["CZ"] * 4, "datum": ["2025-06-01"] * 4, "amount": [1.5, math.nan, 0.1 + 0.2, 12.345]})
    pq.write_table(table, tmp_path / "n.parquet")
    with pytest.raises(InputError, match="regel 2, kolom 'amount'"):
        production_from_claims(tmp_path / "n.parquet", year=2025)
    report = production_from_claims(tmp_path / "n.parquet", year=2025, skip_invalid=True)
    assert report.invalid_lines == 1 and report.monthly[5] == Decimal("14.15")  # 1.5 + 0.3 + 12.345 -> 14.145
    pq.write_table(table.set_column(5, "amount", pa.array([10**13, 5, -7, 0])), tmp_path / "i.parquet")
    assert production_from_claims(tmp_path / "i.parquet", year=2025).monthly[5] == Decimal(10**13 - 2)


def test_several_files_and_line_numbers(tmp_path: Path) -> None:
    folder = tmp_path / "maanden"
    folder.mkdir()
    write_lines(folder / "jan.csv", [HEADER, "A;c1;5611;CZ;2025-01-05;V;10,00"])
    write_lines(folder / "feb.csv", [HEADER, "A;c1;5611;CZ;2025-02-05;V;20,00", "A;c2;5611;CZ;2025-02-06;V;x"])
    with pytest.raises(InputError, match=r"feb\.csv: regel 3, kolom 'bedrag': bedrag 'x'"):
        production_from_claims(folder, year=2025)
    report = production_from_claims(folder, year=2025, skip_invalid=True)
    assert report.monthly[:2] == (Decimal("10.00"), Decimal("20.00")) and report.invalid_lines == 1


# --------------------------------------------------------------------------- the bulk reading of amounts

SPACES = " \u00a0\u202f\t"
DIGITS = st.text("0123456789", min_size=1, max_size=16)


@st.composite
def clean(draw: st.DrawFn) -> str:
    """Amounts as exports write them: digits, grouped by dots or not, a decimal comma or point."""
    whole = draw(st.text("0123456789", min_size=1, max_size=15))
    if draw(st.booleans()):
        whole = f"{int(whole):,}".replace(",", ".")
    separator = draw(st.sampled_from(["", ",", "."]))
    decimals = draw(st.text("0123456789", min_size=1, max_size=3)) if separator else ""
    return draw(st.sampled_from(["", "", "-", "€ ", "-€ ", "€"])) + whole + separator + decimals


@st.composite
def spellings(draw: st.DrawFn) -> str:
    """Amounts as people and programs type them, and near misses of those."""
    whole = draw(DIGITS)
    if draw(st.booleans()):  # Dutch thousands dots, sometimes in the wrong places
        step = draw(st.sampled_from([3, 3, 3, 2, 4]))
        groups = [whole[max(0, i - step):i] for i in range(len(whole), 0, -step)][::-1]
        whole = draw(st.sampled_from([".", ",", " ", ".."])).join(groups)
    separator = draw(st.sampled_from(["", ",", ".", ",", "."]))
    decimals = draw(st.text("0123456789", max_size=4)) if separator else ""
    body = whole + separator + decimals
    prefix = draw(st.sampled_from(["", "", "-", "€", "€ ", "-€ ", "€ -", "+", "\u2212", " ", "--", "€€"]))
    suffix = draw(st.sampled_from(["", "", " €", "%", " ", "e5", ",", "."]))
    return prefix + body + suffix


@settings(deadline=None, max_examples=3000)
@given(st.lists(clean() | spellings() | st.text(st.sampled_from("0123456789.,-€ +e%" + SPACES), max_size=20),
                max_size=30))
@example(["1.234,56", "€ 12,50", "12,5", "12.50", "-45,00", "450.000", "1,234.56", "0.030", "12.345", "-€ 1,00"])
@example(["1234.567", "0.500", "01.234", "123.456", "1.234.56", "1.234,5.6", "€-12", "1234567890123,45"])
def test_bulk_amounts_agree_with_parse_number(texts: list[str]) -> None:
    ok, cents = bulk_text(pa.array(texts, pa.string()))
    read = AmountReader().read(pa.array(texts, pa.string()))
    for i, text in enumerate(texts):
        try:
            expected: Decimal | None = parse_number(text, kind="money")
        except InputError:
            expected = None
        if ok[i]:  # the bulk path only reads what parse_number reads, to the same value
            assert expected is not None and Decimal(int(cents[i])) / 100 == expected, text
        # and the whole reading (bulk, then parse_number for the rest) is parse_number's
        assert bool(read.valid[i]) == (expected is not None), text
        if expected is not None:
            value = read.exact.get(i, Decimal(int(read.cents[i])) / 100)
            assert value == expected, text


@settings(deadline=None, max_examples=500)
@given(st.lists(st.floats(allow_nan=True, allow_infinity=True, width=64) | st.integers(-(10**16), 10**16),
                max_size=20))
def test_numbers_agree_with_parse_number(values: list[float | int]) -> None:
    floats = [float(v) for v in values]
    read = AmountReader().read(pa.array(floats, pa.float64()))
    for i, value in enumerate(floats):
        try:
            expected: Decimal | None = parse_number(value, kind="money")
        except InputError:
            expected = None
        assert bool(read.valid[i]) == (expected is not None), value
        if expected is not None:
            assert read.exact.get(i, Decimal(int(read.cents[i])) / 100) == expected, value
