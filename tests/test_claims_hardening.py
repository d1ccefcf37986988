"""Every claims reader bounds what it inflates and allocates (issue 11): long CSV fields and lines, xlsx
files whose parts or sheets would blow up in calamine, Parquet columns of the wrong type or with
corrupt pages. Each is one Dutch line naming the file (and line and column where there is one), never
a traceback, an abort or unbounded memory."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import HEADER, ROOT, write_lines
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from peak import wait_with_peak
from test_bad_input import run_cli

from toolkit import InputError, production_from_claims, ratio_from_claims
from toolkit.tabular import MAX_FIELD_CHARS, quoted_fields, quoting, sniff_csv
from toolkit.xlsx import XlsxLimits, check_xlsx

# --------------------------------------------------------------------------- CSV

LONG = "z" * (MAX_FIELD_CHARS + 1)


@pytest.mark.parametrize(("line", "column", "field"), [
    ("A;c1;5611;CZ;2025-01-01;V;" + LONG, "bedrag", "bedrag"),  # a column the ratio does not read
    ('A;c1;5611;CZ;2025-01-01;V;"' + LONG + '"', "bedrag", "bedrag"),
    ('A;"' + LONG + '";5611;CZ;2025-01-01;V;1', "clientnummer", "client_id"),
    ("A;c1;5611;CZ;2025-01-01;" + LONG + ";1", "prestatie", "care_type"),
], ids=["unread-column", "quoted", "client", "care-type"])  # short ids: pytest puts the id in the environment
def test_a_field_longer_than_the_limit_is_named(tmp_path: Path, line: str, column: str, field: str) -> None:
    path = write_lines(tmp_path / "long.csv", [HEADER + ";bedrag", "A;c0;5611;CZ;2025-01-01;V;1", line])
    with pytest.raises(InputError) as info:
        ratio_from_claims(path, year=2027, skip_invalid=True)  # a broken file, not a line to skip
    message = str(info.value)
    assert message.startswith(f"{path}: regel 3, kolom '{column}': ") and "langer dan 131.072 tekens" in message
    assert info.value.row == 3 and info.value.field == field and len(message) < 300
    result = run_cli("ratio", str(path), "--year", "2027", cwd=tmp_path)
    assert result.returncode == 1 and result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_a_header_field_longer_than_the_limit(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "kop.csv", [HEADER + ";" + LONG, "A;c1;5611;CZ;2025-01-01;V;1"])
    with pytest.raises(InputError, match=r"regel 1 .*langer dan 131\.072 tekens"):
        ratio_from_claims(path, year=2027)


def test_a_line_without_end_is_refused_before_it_is_read_whole(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    import toolkit.claims.csv_source as csv_source

    monkeypatch.setattr(csv_source, "MAX_LINE_BYTES", 1 << 20)
    monkeypatch.setattr(csv_source, "CHUNK_BYTES", 1 << 16)
    path = tmp_path / "endless.csv"
    path.write_bytes((HEADER + "\nA;c1;5611;CZ;2025-01-01;V\n").encode() + b"A;" + b"x;" * (1 << 20))
    with pytest.raises(InputError) as info:
        ratio_from_claims(path, year=2027)
    assert info.value.row == 3 and "te lang" in str(info.value)


@pytest.mark.parametrize(("header", "delimiter", "fields"), [
    ("a;b;c", ";", 3), ("a,b,c", ",", 3), ("a\tb\tc", "\t", 3), ("a;b,c", ";", 2), ("enkel", ";", 1),
    ('"a;b",c,d', ",", 3), ("a;b,c,d", ",", 3),
])
def test_sniff_csv(tmp_path: Path, header: str, delimiter: str, fields: int) -> None:
    path = write_lines(tmp_path / "s.csv", [header, "1;2,3"], bom=True)
    dialect = sniff_csv(path)
    assert (dialect.delimiter, len(dialect.header)) == (delimiter, fields)
    assert path.read_bytes()[dialect.header_bytes:] == b"1;2,3\n"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet='a;"\n\r', max_size=30))
def test_quoting_reads_quotes_as_the_csv_module_does(text: str) -> None:
    """`tabular.quoting` against Python's csv module (which pyarrow agrees with): cutting at its record end
    splits no record, and a field it calls open swallows whatever follows."""
    import csv
    import io

    def rows(part: str) -> list[list[str]]:
        return list(csv.reader(io.StringIO(part, newline=""), delimiter=";"))

    end, opened = quoting(text, ";")
    # After a LF or a lone CR (old Mac lines; not a CR whose LF may follow), or nothing.
    assert text[end - 1:end] == "\n" or (text[end - 1:end] == "\r" and text[end:end + 1] not in ("\n", "")) or end == 0
    if opened is None:
        assert rows(text[:end]) + rows(text[end:]) == rows(text)
        assert rows(text + "\n§EINDE")[-1] == ["§EINDE"]
    else:
        assert text[opened] == '"' and rows(text + "\n§EINDE")[-1] != ["§EINDE"]
    assert quoting(text.encode(), ";") == (len(text[:end].encode()), None if opened is None else
                                           len(text[:opened].encode()))
    # NumPy's pairing, where it applies, finds the same fields.
    import numpy as np

    from toolkit.claims.csv_source import _quoted_pairs
    assert _quoted_pairs(np.frombuffer(text.encode(), np.uint8), ";").tolist() == [
        list(f) for f in quoted_fields(text.encode(), ";")]


def test_numpy_pairs_quotes_as_reading_them_one_by_one_on_every_short_text() -> None:
    """Every text of up to seven characters of `a;"` and LF, and of up to five with a CR too: where NumPy
    pairs the quotes (`_quotes`: each opening one at a field's start or doubled), the fields are those
    reading quote by quote finds; where it does not, `_quoted_pairs` reads quote by quote."""
    import itertools

    import numpy as np

    from toolkit.claims.csv_source import _quoted_pairs, _quotes
    paired = 0
    for alphabet, longest in (('a;"\n', 7), ('a;"\n\r', 5)):
        for length in range(1, longest + 1):
            for characters in itertools.product(alphabet, repeat=length):
                text = "".join(characters).encode()
                data = np.frombuffer(text, np.uint8)
                quotes = _quotes(data, ";")
                if quotes is None:
                    continue
                paired += 1
                assert _quoted_pairs(data, ";", quotes).tolist() == [list(f) for f in quoted_fields(text, ";")], text
    assert paired > 10_000  # (most texts pair: the comparison ran)


def _records_around_as_listed(bits: Any, line_ends: list[int], at: list[int], length: int) -> None:
    """`QuoteBits.records_around` against the line ends outside fields, listed."""
    import numpy as np

    outside = [e for e in line_ends if not bits.within(e)]
    assert bits.last_record_end(length) == max(outside, default=-1) + 1
    if not at:
        return
    starts, ends = bits.records_around(np.array(at, np.int64), length)
    assert starts.tolist() == [max([e + 1 for e in outside if e < a], default=0) for a in at], at
    assert ends.tolist() == [min([e for e in outside if e > a], default=length) for a in at], at


def test_the_quote_bitmaps_read_as_pairing_the_quotes_on_every_short_text() -> None:
    """Every text of up to seven characters of `a;"` and LF, and of up to five with a CR too, placed at
    each of the 64 bits of a word: the bitmaps (`quote_bits`) call the quotes CSV quoting where NumPy's
    pairing does (`_quotes`), count the line ends as `_line_ends` lists them, and put the same line ends
    within fields as reading quote by quote."""
    import itertools

    import numpy as np

    from toolkit.claims.csv_source import _line_ends, _quotes
    from toolkit.claims.quote_bits import quote_bits
    within = 0
    for alphabet, longest in (('a;"\n', 7), ('a;"\n\r', 5)):
        for length in range(1, longest + 1):
            for number, characters in enumerate(itertools.product(alphabet, repeat=length)):
                text = "".join(characters).encode()
                # A record of `a` before it, so that the text starts at a record's start at some bit of a word.
                lead = b"a" * (number % 64) + b"\n" if number % 64 else b""
                data = np.frombuffer(lead + text, np.uint8)
                bits = quote_bits(data, ";")
                ends = _line_ends(data)
                assert bits.line_count == len(ends), text
                assert bits.csv_quoting == (_quotes(data, ";") is not None), (lead, text)
                if bits.csv_quoting:
                    fields = quoted_fields(data.tobytes(), ";")
                    expected = [e for e in ends.tolist() if any(o < e < c for o, c in fields)]
                    assert bits.line_ends_within_fields().tolist() == expected, (lead, text)
                    within += len(expected)
                    _records_around_as_listed(bits, ends.tolist(), expected, len(data))
    assert within > 10_000  # (line ends within fields were compared)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.text(alphabet='a;"\n', max_size=6), min_size=1, max_size=4), max_size=6),
       st.booleans())
def test_numpy_pairs_fields_as_the_csv_module_writes_them(rows: list[list[str]], quote_all: bool) -> None:
    """What Python's csv writer writes (doubled quotes, runs of them, line ends in fields) is CSV quoting, and
    NumPy's pairing finds the same fields and the same record ends as reading quote by quote."""
    import csv
    import io

    import numpy as np

    from toolkit.claims.csv_source import _quoted_pairs, _quotes, _record_ends, _spanning_fields
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=";", lineterminator="\n",
               quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL).writerows(rows)
    data = np.frombuffer(out.getvalue().encode(), np.uint8)
    assert _quotes(data, ";") is not None
    by_quote = quoted_fields(data.tobytes(), ";")
    assert _quoted_pairs(data, ";").tolist() == [list(f) for f in by_quote]
    newlines = np.flatnonzero(data == ord("\n"))
    record_ends = [n for n in newlines.tolist() if not any(o < n < c for o, c in by_quote)]
    assert newlines[_record_ends(data, newlines, ";")].tolist() == record_ends
    # The fields over lines, found on the quotes as they stand (doubled ones not taken out first).
    spanning, ends = _spanning_fields(data, ";", newlines)
    assert spanning == [f for f in by_quote if any(f[0] < n < f[1] for n in newlines.tolist())]
    assert ends.tolist() == record_ends
    # The bitmaps, over several words: the same line ends within fields.
    from toolkit.claims.quote_bits import quote_bits
    bits = quote_bits(data, ";")
    assert bits.csv_quoting and bits.line_count == len(newlines)
    assert bits.line_ends_within_fields().tolist() == sorted(set(newlines.tolist()) - set(record_ends))
    _records_around_as_listed(bits, newlines.tolist(), bits.line_ends_within_fields().tolist(), len(data))
    everywhere = list(range(len(data)))
    _records_around_as_listed(bits, newlines.tolist(), [b for b in everywhere if b not in record_ends], len(data))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(remarks=st.lists(st.one_of(st.text(alphabet='ab;"\n\r ', max_size=12),  # written quoted by the csv module
                                  st.text(alphabet='ab "', max_size=8).map(lambda t: "R" + t)),  # a raw 5"
                        min_size=12, max_size=12),
       piece=st.integers(40, 400), raw_quotes=st.booleans())
def test_fields_over_lines_read_the_same_in_any_pieces(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                        remarks: list[str], piece: int, raw_quotes: bool) -> None:
    """Claim lines with a remark column (quoted by Python's csv writer where needed, or raw with a quote
    as a character) read as the same lines without it, cut into pieces of any size. Without a raw quote
    the pieces are cut by NumPy's pairing of the quotes, with one quote by quote."""
    import csv
    import io

    import toolkit.claims.csv_source as csv_source

    claims = [["A", f"c{i}", str(5611 + i % 3), "CZ", f"2025-{1 + i:02}-01", "V"] for i in range(12)]
    plain = write_lines(tmp_path / "plain.csv", [HEADER, *(";".join(c) for c in claims)])
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([*HEADER.split(";"), "opmerking"])
    lines = [out.getvalue()]
    for claim, remark in zip(claims, remarks, strict=True):
        out.seek(0), out.truncate()
        if remark.startswith("R"):
            lines.append(";".join([*claim, remark if raw_quotes else remark.replace('"', "")]) + "\r\n")
        else:
            writer.writerow([*claim, remark])
            lines.append(out.getvalue())
    path = tmp_path / "remarks.csv"
    path.write_bytes("".join(lines).encode())
    monkeypatch.setattr(csv_source, "CHUNK_BYTES", piece)
    remark_lines = [r.replace("\r", "\n").split("\n") for r in remarks if not r.startswith("R")]
    if any(line.count(";") >= 6 for lines in remark_lines for line in lines[1:]):
        # A line inside the remark with a claim line's delimiters: it may be claim lines taken in.
        with pytest.raises(InputError, match="neemt de declaratieregels daartussen op"):
            ratio_from_claims(path, year=2027)
        return
    assert ratio_from_claims(path, year=2027).to_dict() == {**ratio_from_claims(plain, year=2027).to_dict(),
                                                            "files_read": [str(path)]}
    # A bad line after them is named by the line a text editor shows.
    content = "".join(lines)
    path.write_bytes((content + "A;c9;5611;CZ;2025-13-01;V;x\r\n").encode())
    with pytest.raises(InputError, match="prestatiedatum") as info:
        ratio_from_claims(path, year=2027)
    line_ends = content.count("\n") + content.count("\r") - content.count("\r\n")  # a lone CR ends one too
    assert info.value.row == line_ends + 1


# --------------------------------------------------------------------------- xlsx

CONTENT_TYPES = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                 'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
                 'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
                 'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+'
                 'xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
                 'officedocument.spreadsheetml.worksheet+xml"/></Types>')
RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
WORKBOOK = ('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
            '2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
            '<sheet name="Blad1" sheetId="1" r:id="rId1"/></sheets></workbook>')
WORKBOOK_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
                 '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
                 '2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://'
                 'schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.'
                 'xml"/></Relationships>')


def xlsx(path: Path, sheet_data: str, *, dimension: str | None = None, shared: list[str] | None = None,
         extra: dict[str, bytes] | None = None) -> Path:
    """A minimal xlsx written by hand, so that its sheet can say what a test needs."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        if shared is not None:
            items = "".join(f"<si><t>{s}</t></si>" for s in shared)
            archive.writestr("xl/sharedStrings.xml", '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
                                                     f'2006/main">{items}</sst>')
        dim = f'<dimension ref="{dimension}"/>' if dimension else ""
        archive.writestr("xl/worksheets/sheet1.xml", '<worksheet xmlns="http://schemas.openxmlformats.org/'
                                                     f'spreadsheetml/2006/main">{dim}<sheetData>{sheet_data}'
                                                     "</sheetData></worksheet>")
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return path


def inline_row(number: int, values: list[str], column: str = "A") -> str:
    cells = "".join(f'<c r="{chr(ord(column) + i)}{number}" t="inlineStr"><is><t>{v}</t></is></c>'
                    for i, v in enumerate(values))
    return f'<row r="{number}">{cells}</row>'


CLAIMS_ROWS = inline_row(1, HEADER.split(";")) + inline_row(2, ["A", "c1", "5611", "CZ", "2025-01-01", "V"])


def test_a_plain_xlsx_passes_the_check(tmp_path: Path) -> None:
    found = check_xlsx(xlsx(tmp_path / "ok.xlsx", CLAIMS_ROWS, dimension="A1:F2"))
    assert (found.rows, found.columns, found.cells) == (2, 6, 12)
    assert ratio_from_claims(tmp_path / "ok.xlsx", year=2027).providers["A"].clients == 1
    workbook = openpyxl.Workbook()
    workbook.active.append(HEADER.split(";"))
    workbook.active.append(["A", "c1", 5611, "CZ", "2025-01-01", "V"])
    workbook.save(tmp_path / "openpyxl.xlsx")
    assert check_xlsx(tmp_path / "openpyxl.xlsx").cells == 12


@pytest.mark.parametrize(("case", "text"), [
    ("far_cell", "1.048.576 rijen bij 16.384 kolommen"),  # one cell at XFD1048576: calamine aborted (exit 134)
    ("far_cell_no_dimension", "1.048.576 rijen bij 16.384 kolommen"),
    ("dimension_only", "volgens zijn afmetingen 1.048.576 rijen"),
    ("shared_string_copies", "geheugen vragen"),  # a 30 KB shared string referred to by 40,000 cells
    ("cells_without_reference", "geheugen vragen"),
    ("declared_huge", "pakt uit tot"),
])
def test_xlsx_that_would_blow_up_is_refused_before_calamine(tmp_path: Path, case: str, text: str) -> None:
    path = tmp_path / f"{case}.xlsx"
    if case == "far_cell":
        xlsx(path, CLAIMS_ROWS + '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>',
             dimension="A1:XFD1048576")
    elif case == "far_cell_no_dimension":
        xlsx(path, CLAIMS_ROWS + '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>')
    elif case == "dimension_only":
        xlsx(path, CLAIMS_ROWS, dimension="A1:XFD1048576")
    elif case == "shared_string_copies":
        rows = "".join(f'<row r="{r}"><c r="A{r}" t="s"><v>0</v></c></row>' for r in range(3, 40_003))
        xlsx(path, CLAIMS_ROWS + rows, shared=["x" * 30_000])
    elif case == "cells_without_reference":
        xlsx(path, CLAIMS_ROWS + '<row r="3">' + "<c/>" * 16_000 + '</row><row r="200000"><c/></row>')
    else:
        xlsx(path, CLAIMS_ROWS)
        data = bytearray(path.read_bytes())
        # The central directory says the sheet inflates to gigabytes (its size field, in the directory entry).
        at = data.rfind(b"xl/worksheets/sheet1.xml") - 46
        assert data[at:at + 4] == b"PK\x01\x02"
        data[at + 24:at + 28] = (0xF0000000).to_bytes(4, "little")  # 3.75 GiB (zip64 would allow more)
        path.write_bytes(bytes(data))
    with pytest.raises(InputError) as info:
        check_xlsx(path)
    assert str(info.value).startswith(f"{path}: ") and text in str(info.value)
    result = run_cli("ratio", str(path), "--year", "2027", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("fout: ") and "Traceback" not in result.stderr


def test_a_part_that_inflates_beyond_the_limit_or_its_declared_size(tmp_path: Path) -> None:
    padding = "<row/>" * 400_000  # 2.4 MB that deflates to a few kB
    path = xlsx(tmp_path / "bomb.xlsx", CLAIMS_ROWS + padding)
    with pytest.raises(InputError, match="pakt uit tot"):
        check_xlsx(path, XlsxLimits(part_bytes=1 << 20))
    # A directory that understates the inflated size: zipfile stops at the declared size, the CRC fails.
    data = bytearray(path.read_bytes())
    at = data.rfind(b"xl/worksheets/sheet1.xml") - 46
    data[at + 24:at + 28] = (1000).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    with pytest.raises(InputError, match=r"beschadigd|geen leesbaar"):
        check_xlsx(path)


@pytest.mark.parametrize(("content", "said"), [
    (b"", "het bestand is leeg"),
    ("klant;postcode\nc\u00eb1;5611\n".encode(),
     "een tekstbestand (een csv?) met de naam .xlsx; geef het de naam .csv"),
    (bytes.fromhex("D0CF11E0A1B11AE1") + bytes(600), "een oud Excel-bestand (.xls) of een werkmap met een wachtwoord"),
    (b"PK\x03\x04" + bytes(300), "het zip-bestand is beschadigd of onvolledig"),
    (bytes(range(256)) * 4, "geen werkmap (een xlsx-bestand is een zip-bestand, dit niet)"),
])
def test_a_file_that_is_no_workbook_says_what_it_is_in_dutch(tmp_path: Path, content: bytes, said: str) -> None:
    """Not the zip library's 'File is not a zip file': what the file is, and what to do, on every surface
    that opens a workbook (claims, an INPUTS file, a template, a workbook to check)."""
    path = tmp_path / "werkmap.xlsx"
    path.write_bytes(content)
    with pytest.raises(InputError, match=re.escape(said)) as info:
        ratio_from_claims(path, year=2027)
    assert "zip file" not in str(info.value)
    for args in (["fill", "staffel", str(path), "--out", str(tmp_path / "a")],
                 ["fill", str(path), str(ROOT / "examples" / "invoer" / "staffel.csv"), "--out", str(tmp_path / "b")],
                 ["check", str(path)]):
        result = run_cli(*args, cwd=tmp_path)
        assert result.returncode == 1 and said in result.stderr and "Traceback" not in result.stderr, (args, result)
        assert "zip file" not in result.stderr
    from zipfile import ZipFile

    with ZipFile(tmp_path / "leeg.xlsx", "w") as archive:
        archive.writestr("iets.txt", "geen werkmap")
    result = run_cli("check", str(tmp_path / "leeg.xlsx"), cwd=tmp_path)
    assert result.returncode == 1 and "het onderdeel '[Content_Types].xml' ontbreekt" in result.stderr, result


def test_a_whole_zip_with_a_broken_part_is_not_called_a_damaged_zip(tmp_path: Path) -> None:
    """Found by review: a filled copy with a broken styles.xml was said to be a half-copied zip; the zip
    is whole, a part of the workbook is not, and the reader's reason says which."""
    from toolkit.workbook.fill import fill

    fill("staffel", ROOT / "examples" / "invoer" / "staffel.csv", tmp_path / "uit")
    source = sorted((tmp_path / "uit").glob("Voorbeeldzorg *.xlsx"))[0]
    broken = tmp_path / "kapot.xlsx"
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(broken, "w") as copy:
        for info in original.infolist():
            copy.writestr(info, b"<styleSheet><oops" if info.filename == "xl/styles.xml" else original.read(info))
    result = run_cli("check", str(broken), cwd=tmp_path)
    assert result.returncode == 1 and ("een onderdeel van de werkmap is beschadigd of bevat iets wat Excel zo niet "
                                       "schrijft (ParseError)") in result.stderr
    assert "half gekopieerd" not in result.stderr and "Traceback" not in result.stderr, result.stderr


@pytest.mark.parametrize("sheets", [
    '<!-- <sheet name="B" sheetId="2" r:id="rId2"/> --><sheet name="A" sheetId="1" r:id="rId1"/>',
    '<sheet name="A" sheetId="1" id="rId2" r:id="rId1"/>',
    '<sheet name="A" sheetId="1" q:id="rId2" xmlns:q="urn:ander" r:id="rId1"/>',
])
def test_a_decoy_first_sheet_does_not_let_a_huge_one_through(tmp_path: Path, sheets: str) -> None:
    """The bounds are checked on the sheet calamine reads, whatever a pattern would take for the first one:
    a sheet in a comment, or an `id` of another namespace, pointing at a small sheet, while the real first
    sheet (outside worksheets/) reaches cell XFD1048576 (calamine would ask for 512 GB and abort)."""
    path = tmp_path / "lokvogel.xlsx"
    relationship = 'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK.replace('<sheet name="Blad1" sheetId="1" r:id="rId1"/>', sheets))
        archive.writestr("xl/_rels/workbook.xml.rels", '<Relationships xmlns="http://schemas.openxmlformats.org/package/'
                         f'2006/relationships"><Relationship Id="rId1" {relationship} Target="data/groot.xml"/>'
                         f'<Relationship Id="rId2" {relationship} Target="worksheets/klein.xml"/></Relationships>')
        sheet = ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{}'
                 "</sheetData></worksheet>")
        archive.writestr("xl/data/groot.xml", sheet.format(
            CLAIMS_ROWS + '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'))
        archive.writestr("xl/worksheets/klein.xml", sheet.format(CLAIMS_ROWS))
    with pytest.raises(InputError, match="geheugen"):
        check_xlsx(path)
    result = run_cli("ratio", str(path), "--year", "2027", cwd=tmp_path)
    assert result.returncode == 1 and "geheugen" in result.stderr, result
    assert "panicked" not in result.stderr and "Traceback" not in result.stderr


def _damaged(path: Path, part: str, how: str) -> Path:
    """`path` with one part damaged in its zip: its size understated ("size", in the directory and in the
    part's own header, as a zip whose sizes lie), its checksum changed ("crc"), its deflated bytes changed
    ("deflate") or an unknown compression method ("method")."""
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(part)
    data = bytearray(path.read_bytes())
    local = info.header_offset
    central = data.rfind(b"PK\x01\x02", 0, data.rfind(part.encode()))
    start = local + 30 + int.from_bytes(data[local + 26:local + 28], "little") + int.from_bytes(
        data[local + 28:local + 30], "little")
    for header, field in ((local, {"size": 22, "crc": 14, "method": 8}), (central, {"size": 24, "crc": 16,
                                                                                     "method": 10})):
        if how == "size":
            data[header + field["size"]:header + field["size"] + 4] = (info.file_size - 10).to_bytes(4, "little")
        elif how == "crc":
            data[header + field["crc"]:header + field["crc"] + 4] = (info.CRC ^ 1).to_bytes(4, "little")
        elif how == "method":
            data[header + field["method"]:header + field["method"] + 2] = (99).to_bytes(2, "little")
    if how == "deflate":
        end = start + info.compress_size - 2
        data[start + 2:end] = bytes(byte ^ 0x55 for byte in data[start + 2:end])
    path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize(("part", "how", "said"), [
    ("xl/worksheets/sheet1.xml", "size", "de controlesom (CRC-32) klopt niet"),
    ("xl/worksheets/sheet1.xml", "deflate", "de ingepakte gegevens zijn niet uit te pakken"),
    ("xl/worksheets/sheet1.xml", "method", "het is ingepakt op een manier die Excel niet gebruikt"),
    ("xl/workbook.xml", "crc", "de controlesom (CRC-32) klopt niet"),
    ("xl/workbook.xml", "deflate", "de ingepakte gegevens zijn niet uit te pakken"),
])
def test_a_damaged_part_is_said_in_dutch(tmp_path: Path, part: str, how: str, said: str) -> None:
    """Found by a helper: a part whose declared size lies gave "is beschadigd (Bad CRC-32 for file …)", and
    damaged deflated bytes, or a damaged workbook.xml, an internal error in zlib's or zipfile's English."""
    from toolkit.workbook.check import check_workbook
    from toolkit.workbook.package import read_part

    path = _damaged(xlsx(tmp_path / "kapot.xlsx", CLAIMS_ROWS, dimension="A1:F2"), part, how)
    refusals = []
    for read in (lambda: check_xlsx(path), lambda: ratio_from_claims(path, year=2027),
                 lambda: check_workbook(path), lambda: read_part(path, part)):
        with pytest.raises(InputError) as info:
            read()
        refusals.append(str(info.value))
    expected = f"{path}: onderdeel '{part}' is beschadigd: {said}" + (
        "; de inhoud is anders dan bij het inpakken" if "CRC" in said else "")
    # (check_workbook names the part when it is a sheet, whose bounds it checks before openpyxl reads it.)
    named = refusals if part.startswith("xl/worksheets/") else refusals[:2] + refusals[3:]
    assert named == [expected] * len(named), refusals
    for message in refusals:
        assert not re.search(r"Bad |Error -|decompress|compression|password", message), message


def test_too_many_parts(tmp_path: Path) -> None:
    path = xlsx(tmp_path / "parts.xlsx", CLAIMS_ROWS, extra={f"xl/media/{i}.bin": b"" for i in range(30)})
    with pytest.raises(InputError, match="onderdelen"):
        check_xlsx(path, XlsxLimits(entries=20))


def test_not_a_zip_and_a_broken_one(tmp_path: Path) -> None:
    (tmp_path / "text.xlsx").write_text("geen zip")
    with pytest.raises(InputError, match="geen leesbaar xlsx-bestand"):
        ratio_from_claims(tmp_path / "text.xlsx", year=2027)
    data = xlsx(tmp_path / "cut.xlsx", CLAIMS_ROWS).read_bytes()
    (tmp_path / "cut.xlsx").write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError, match="xlsx"):
        ratio_from_claims(tmp_path / "cut.xlsx", year=2027)


# The peak of this process only (VmHWM): ru_maxrss of a child also counts its parent's size at the fork.
MEASURE = """
import sys
from pathlib import Path
from python_calamine import CalamineWorkbook

def peak():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmHWM"))

before = peak()
sheet = CalamineWorkbook.from_path(sys.argv[1]).get_sheet_by_index(0)
assert sheet.height > 0
taken = peak() - before
from toolkit.xlsx import check_xlsx
print(check_xlsx(Path(sys.argv[1])).memory_bytes, taken)
"""


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads VmHWM from /proc")
@pytest.mark.parametrize("kind", ["inline", "shared", "numbers"])
def test_the_memory_estimate_covers_what_calamine_takes(tmp_path: Path, kind: str) -> None:
    rows = []
    for r in range(3, 60_003):
        if kind == "inline":
            rows.append(inline_row(r, ["A", f"client-{r}-with-a-longer-pseudonym", "5611", "CZ", "2025-01-01", "V"]))
        elif kind == "shared":
            rows.append(f'<row r="{r}">' + "".join(f'<c r="{c}{r}" t="s"><v>{r % 3}</v></c>' for c in "ABCDEF")
                        + "</row>")
        else:
            rows.append(f'<row r="{r}">' + "".join(f'<c r="{c}{r}"><v>{r * 7}</v></c>' for c in "ABCDEF") + "</row>")
    path = xlsx(tmp_path / f"{kind}.xlsx", CLAIMS_ROWS + "".join(rows), shared=["a" * 200, "b" * 20, "c"])
    done = subprocess.run([sys.executable, "-c", MEASURE, str(path)], capture_output=True, text=True, check=True,
                          cwd=ROOT)
    estimate, taken = map(int, done.stdout.split())
    assert taken <= estimate <= 4 * taken + (8 << 20)


# --------------------------------------------------------------------------- Parquet


def parquet(path: Path, **columns: pa.Array) -> Path:
    base = {"zorgaanbieder": pa.array(["A", "A"]), "clientnummer": pa.array(["c1", "c2"]),
            "postcode": pa.array(["5611", "5612"]), "verzekeraar": pa.array(["CZ", "CZ"]),
            "prestatiedatum": pa.array(["2025-01-01", "2025-02-01"])}
    base.update(columns)
    pq.write_table(pa.table(base), path)
    return path


@pytest.mark.parametrize(("column", "array", "text"), [
    ("clientnummer", pa.array([True, False]), "bevat ja/nee-waarden"),
    ("clientnummer", pa.array([[1], [2]]), "bevat type list"),
    ("clientnummer", pa.array([{"a": 1}, {"a": 2}]), "bevat type struct"),
    ("postcode", pa.array([5611.0, float("nan")]), "regel 2, kolom 'postcode': bevat nan"),
    ("clientnummer", pa.array([1.0, float("inf")]), "regel 2, kolom 'clientnummer': bevat inf"),
    ("clientnummer", pa.array([b"c1", b"\xff\xfe"], pa.binary()), "regel 2, kolom 'clientnummer': bevat bytes"),
    ("prestatiedatum", pa.array([1.5, 2.5]), "bevat type double"),
    ("verzekeraar", pa.array([pa.scalar(1, pa.decimal128(5, 0)).as_py()] * 2, pa.decimal128(5, 0)), "decimal"),
])
def test_parquet_columns_of_the_wrong_type(tmp_path: Path, column: str, array: pa.Array, text: str) -> None:
    path = parquet(tmp_path / "t.parquet", **{column: array})
    with pytest.raises(InputError) as info:
        ratio_from_claims(path, year=2027, skip_invalid=True)
    assert str(info.value).startswith(f"{path}: ") and text in str(info.value) and f"'{column}'" in str(info.value)


def test_parquet_numbers_as_text(tmp_path: Path) -> None:
    path = parquet(tmp_path / "n.parquet", clientnummer=pa.array([101, 102]), postcode=pa.array([5611.0, 5612.0]),
                   verzekeraar=pa.array([9664, 9664], pa.int32()))
    report = ratio_from_claims(path, year=2027)
    assert report.providers["A"].clients_by_area == {"5611": 1, "5612": 1}


# Typed dates that Python's dates cannot hold (years 1 to 9999): quoted by the number the file stores.
@pytest.mark.parametrize(("array", "number", "unit"), [
    (pa.array([-800_000, 20_000], pa.date32()), "-800000", "dagen"),
    (pa.array([2**30, 20_000], pa.date32()), "1073741824", "dagen"),
    (pa.array([2**62, 0], pa.timestamp("ms")), "4611686018427387904", "milliseconden"),
    (pa.array([2**62, 0], pa.timestamp("us", tz="Europe/Amsterdam")), "4611686018427387904", "microseconden"),
], ids=["date-negative", "date-big", "timestamp-ms", "timestamp-tz"])
def test_parquet_dates_beyond_python_are_quoted_by_their_number(tmp_path: Path, array: pa.Array, number: str,
                                                                unit: str) -> None:
    path = parquet(tmp_path / "d.parquet", prestatiedatum=array, bedrag=pa.array([100.0, 100.0]))
    expected = (f"{path}: regel 1, kolom 'prestatiedatum': datum '{number}' ({unit} sinds 01-01-1970, zoals het "
                "bestand hem opslaat) is geen geldige datum; verwacht een datum tussen 1900 en 2100")
    with pytest.raises(InputError) as info:
        ratio_from_claims(path, year=2027)
    assert str(info.value) == expected
    with pytest.raises(InputError) as info:
        production_from_claims(path, year=2025)
    assert str(info.value) == expected


def test_parquet_date_beyond_python_on_the_command_line(tmp_path: Path) -> None:
    path = parquet(tmp_path / "d.parquet", prestatiedatum=pa.array([-800_000, 20_000], pa.date32()),
                   bedrag=pa.array([100.0, 100.0]))
    for command in (["ratio", str(path), "--year", "2027"],
                    ["plafond", str(path), "--plafond", "100000", "--year", "2027"]):
        result = run_cli(*command, cwd=tmp_path)
        assert result.returncode == 1 and result.stderr.count("\n") == 1, result.stderr
        assert result.stderr.startswith(f"fout: {path}: regel 1, kolom 'prestatiedatum': datum '-800000' ")


def test_a_parquet_date_far_off_is_not_read_as_a_year_it_wraps_to(tmp_path: Path) -> None:
    # Arrow's year of date32 -2130331259 (some 5.8 million years BC) wraps around to 2025.
    path = parquet(tmp_path / "w.parquet", prestatiedatum=pa.array([-2_130_331_259, 20_100], pa.date32()))
    with pytest.raises(InputError, match="regel 1, kolom 'prestatiedatum': datum '-2130331259' "):
        ratio_from_claims(path, year=2027)
    report = ratio_from_claims(path, year=2027, skip_invalid=True)
    assert report.lines_used == 1


def test_corrupt_parquet_pages_are_a_dutch_error(tmp_path: Path) -> None:
    rows = 50_000
    table = pa.table({"zorgaanbieder": ["A"] * rows, "clientnummer": [f"c{i}" for i in range(rows)],
                      "postcode": ["5611"] * rows, "verzekeraar": ["CZ"] * rows,
                      "prestatiedatum": ["2025-01-01"] * rows})
    pq.write_table(table, tmp_path / "ok.parquet", compression="snappy", row_group_size=10_000)
    data = bytearray((tmp_path / "ok.parquet").read_bytes())
    for offset in range(len(data) // 3, len(data) // 3 + 2000, 7):  # scramble pages in the middle of the file
        data[offset] ^= 0x5A
    (tmp_path / "bad.parquet").write_bytes(bytes(data))
    with pytest.raises(InputError) as info:
        ratio_from_claims(tmp_path / "bad.parquet", year=2027)
    assert str(info.value).startswith(f"{tmp_path / 'bad.parquet'}: ")
    result = run_cli("ratio", str(tmp_path / "bad.parquet"), "--year", "2027", cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr and result.stderr.count("\n") == 1


def test_a_parquet_row_group_beyond_the_bound(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import toolkit.claims.typed_source as typed_source

    path = parquet(tmp_path / "g.parquet")
    monkeypatch.setattr(typed_source, "PARQUET_ROW_GROUP_BYTES", 10)
    with pytest.raises(InputError, match="rijgroep 1 pakt uit tot"):
        ratio_from_claims(path, year=2027)


@pytest.mark.skipif(not hasattr(os, "wait4"), reason="needs os.wait4 for the peak memory")
def test_reading_a_refused_xlsx_stays_small(tmp_path: Path) -> None:
    path = xlsx(tmp_path / "far.xlsx", CLAIMS_ROWS + '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')
    process = subprocess.Popen([sys.executable, "-m", "toolkit.cli", "ratio", str(path), "--year", "2027"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT)
    code, peak = wait_with_peak(process)
    assert code == 1
    assert peak < 400 << 20, peak


# --- remarks over many lines, and long lines (found by a differential attack) ---------------------------------

_HEAD = b"AGB;Clientnummer;Postcode;Verzekeraar;Begindatum;Zorgsoort;Opmerking\n"
_LINE = b"A;c1;5611 AB;CZ;2025-03-14;V;"


def _refusal(tmp_path: Path, content: bytes) -> str:
    path = tmp_path / "e.csv"
    path.write_bytes(content)
    with pytest.raises(InputError) as info:
        ratio_from_claims(path, year=2027)
    return info.value.message.removeprefix(f"{path}: ")


def test_a_bad_line_after_a_remark_over_many_lines_is_found_looking_at_each_line_once(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import toolkit.claims.csv_source as csv_source

    calls = []
    check = csv_source._field_over_claim_lines
    monkeypatch.setattr(csv_source, "_field_over_claim_lines", lambda *a, **k: calls.append(1) or check(*a, **k))
    said = _refusal(tmp_path, _HEAD + _LINE + b'"' + b"x\n" * 10_000 + b'"\nA;c4\n')
    assert said == "regel 10003 heeft 2 velden, de kopregel 7 (scheidingsteken ';'): 'A;c4'"
    assert len(calls) <= 3  # once for the remark (it took ten thousand lines to close), not once a line


def test_a_long_remark_over_lines_that_was_read_is_not_blamed_for_a_later_line(tmp_path: Path) -> None:
    said = _refusal(tmp_path, _HEAD + _LINE + b'"' + (b"y" * 60_000 + b"\n") * 3 + b'"\nA;c4\n')
    assert said == "regel 6 heeft 2 velden, de kopregel 7 (scheidingsteken ';'): 'A;c4'"


def test_a_field_that_takes_claim_lines_in_is_named_to_its_closing_line(tmp_path: Path) -> None:
    said = _refusal(tmp_path, _HEAD + _LINE + b'"x\n' + _LINE + b"y\n" + _LINE + b'z"\nA;c4\n')
    assert said.startswith("regel 2: een veld dat met een aanhalingsteken (\") begint, loopt door tot in regel 4 ")


def test_a_very_long_line_inside_a_remark_is_that_remark(tmp_path: Path) -> None:
    said = _refusal(tmp_path, _HEAD + _LINE + b'"a\n' + b"y" * 200_000 + b'"\n')
    assert said.startswith("regel 2, kolom 'Opmerking': het veld 'a")
    assert said.endswith(f"is langer dan {MAX_FIELD_CHARS:,} tekens (200002 tekens)".replace(",", "."))


def test_a_remark_of_megabytes_over_lines_is_read(tmp_path: Path) -> None:
    # Longer than pyarrow's block: the piece is parsed as one block, not refused as unreadable.
    path = tmp_path / "groot.csv"
    path.write_bytes(_HEAD + _LINE + b'"' + (b"z" * 99 + b"\n") * 200_000 + b'"\nA;c2;5611 AB;CZ;2025-03-14;V;\n')
    assert ratio_from_claims(path, year=2027).clients == 2


def test_lines_ended_by_a_lone_cr_are_looked_at_as_lines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # An old Mac export: a window of 64 KB without LF holds lone CRs, and is no long line to take apart.
    import toolkit.claims.csv_source as csv_source

    calls = []
    longest = csv_source.longest_field
    monkeypatch.setattr(csv_source, "longest_field", lambda *a, **k: calls.append(1) or longest(*a, **k))
    path = tmp_path / "mac.csv"
    path.write_bytes(_HEAD + b"".join(b"A;c%d;5611 AB;CZ;2025-03-14;V;ok\r" % i for i in range(100_000)))
    assert ratio_from_claims(path, year=2027).clients == 100_000
    assert calls == []


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet='a;"', max_size=8), min_size=1, max_size=6))
def test_a_field_left_open_is_followed_line_by_line_as_over_the_whole_record(lines: list[str]) -> None:
    """`_continues_open` on each next line says what `_open_quote` says of the whole record so far."""
    from toolkit.claims.csv_source import _continues_open, _open_quote

    record = ('"' + lines[0] + "\n").encode()  # a record whose first field opens and goes on
    still_open = _open_quote(record, ";")
    for line in lines[1:]:
        if not still_open:
            break
        record += (line + "\n").encode()
        still_open = _continues_open((line + "\n").encode(), ";")
        assert still_open == _open_quote(record, ";"), record


@pytest.mark.parametrize("end", [b"\n", b"\r"])
def test_long_fields_after_a_remark_over_lines_are_read_from_the_record_start(tmp_path: Path, end: bytes) -> None:
    # Found by a helper: read from inside the remark, its closing quote opened a field that took the next two
    # in (two fields under the limit refused as one over it, named in the wrong column and line).
    head = b"AGB;Clientnummer;Postcode;Verzekeraar;Begindatum;Zorgsoort;Opmerking;Extra1;Extra2\n"
    lines = [b"A;c%d;5611 AB;CZ;2025-03-14;V;;;\n" % i for i in range(2_000)]
    lines[1_000] = b'A;c1000;5611 AB;CZ;2025-03-14;V;"r1' + end + b'";' + b"a" * 70_000 + b";" + b"b" * 70_000 + b"\n"
    path = tmp_path / "twee.csv"
    path.write_bytes(head + b"".join(lines))
    assert ratio_from_claims(path, year=2027).clients == 2_000
    lines[1_000] = b'A;c1000;5611 AB;CZ;2025-03-14;V;"r1' + end + b'r2";' + b"x" * 140_000 + b";\n"
    said = _refusal(tmp_path, head + b"".join(lines))
    assert said.startswith("regel 1002, kolom 'Extra1': het veld 'xxx"), said


def test_a_remark_over_lines_with_a_space_after_its_closing_quote_is_read(tmp_path: Path) -> None:
    # Found by a helper: `"…" ` took the space for the text of another field that the quote closed.
    path = tmp_path / "spatie.csv"
    path.write_bytes(_HEAD + _LINE + b'"regel1\nregel2" \nA;c2;5611 AB;CZ;2025-03-14;V;\n')
    assert ratio_from_claims(path, year=2027).clients == 2


@pytest.mark.parametrize(("line", "count"), [
    # Found by a helper: a piece was cut at its last LF only, so past MAX_LINE_BYTES (32 MB; here made small)
    # such a file was one line too long.
    (b"A;c%d;5611 AB;CZ;2025-03-14;V;\r", 50_000),
    # Found by a review: a quote after a lone CR was no field's start to the NumPy pairing, so every piece of an
    # old Mac export with quoted fields was read quote by quote, and cut only at a LF (past 32 MB: refused).
    (b'"A";"c%d";"5611 AB";"CZ";"2025-03-14";"V";"a\rb"\r', 20_000),
], ids=["plain", "quoted"])
def test_lines_ended_by_a_lone_cr_below_a_header_ended_by_lf_are_read_at_any_size(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, line: bytes, count: int) -> None:
    import toolkit.claims.csv_source as csv_source

    monkeypatch.setattr(csv_source, "CHUNK_BYTES", 1 << 16)
    monkeypatch.setattr(csv_source, "MAX_LINE_BYTES", 1 << 17)
    path = tmp_path / "cr.csv"
    path.write_bytes(_HEAD + b"".join(line % i for i in range(count)))
    assert ratio_from_claims(path, year=2027).clients == count


def test_an_old_mac_file_longer_than_a_header_may_be_is_said_to_be_one(tmp_path: Path) -> None:
    # Found by a helper: without a LF in the first megabyte it was "a header line longer than 1.048.576 bytes".
    said = _refusal(tmp_path, _HEAD.replace(b"\n", b"\r") + b"A;c1;5611 AB;CZ;2025-03-14;V;\r" * 50_000)
    assert said == ("regel 1: de regels eindigen op een los CR-teken (oud Mac-formaat); sla het bestand op als "
                    "'CSV UTF-8'")


def test_a_line_of_spaces_is_named(tmp_path: Path) -> None:
    # Found by a helper: the reading refuses it (one field), and the message named no line.
    said = _refusal(tmp_path, _HEAD + _LINE + b"\n\n   \n" + _LINE + b"\n")
    assert said == "regel 4 bevat alleen spaties of tabs; verwijder die regel (een lege regel mag wel)"


def test_a_remark_over_lines_in_a_tab_separated_file_is_read(tmp_path: Path) -> None:
    # Found by a review: a tab after the closing quote was taken for a space typed after it.
    path = tmp_path / "tab.csv"
    path.write_bytes(_HEAD.replace(b";", b"\t").replace(b"Opmerking", b"Opmerking\tExtra")
                     + _LINE.replace(b";", b"\t") + b'"regel1\nregel2"\tx\nA\tc2\t5611 AB\tCZ\t2025-03-14\tV\t\t\n')
    assert ratio_from_claims(path, year=2027).clients == 2


def test_a_file_of_only_a_bom_is_empty(tmp_path: Path) -> None:
    # Found by a helper: it was "regel 1 is leeg; de kopregel … moet op regel 1 staan".
    assert _refusal(tmp_path, b"\xef\xbb\xbf") == "het bestand is leeg"
    assert _refusal(tmp_path, b"\xef\xbb\xbf\r\n \n") == "het bestand is leeg"


def test_a_record_of_many_long_fields_between_remarks_over_lines_is_read_once(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Found by a review: each window without a line end was read from the record's start (a record of 30 MB:
    # 3.7 s); the record is now read once, however many such windows it holds.
    import toolkit.claims.csv_source as csv_source

    calls = []
    longest = csv_source.longest_field
    monkeypatch.setattr(csv_source, "longest_field", lambda *a, **k: calls.append(1) or longest(*a, **k))
    record = b'A;c1;5611 AB;CZ;2025-03-14;V;"r\nr"' + b'"r\nr";'.join([b""] + [b"U" * 100_000 + b";"] * 30)
    said = _refusal(tmp_path, _HEAD + _LINE + b"\n" + record + b"\n")
    assert said.startswith("regel 3 heeft 67 velden"), said
    assert len(calls) <= 2  # (the record while cutting, and once more where the refusal is located)
