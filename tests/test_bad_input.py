"""The bad-input corpus: every file gives an InputError (exit 1) naming what is wrong, and nothing is written."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CORPUS, HEADER, write_lines

from toolkit import InputError, ratio_from_claims

# file -> (row named or None, text the message must contain)
EXPECTED = {
    "wrong_separator.csv": (None, "kolommen ontbreken"),
    "missing_column.csv": (None, "postcode"),
    "postcode_12AB.csv": (3, "'12AB'"),
    "postcode_0123.csv": (4, "'0123'"),
    "empty.csv": (None, "leeg"),
    "bad_date.csv": (2, "'2025-13-45'"),
    "non_utf8.csv": (2, "UTF-8"),
    "ragged.csv": (3, "4 velden"),
    "missing_insurer.csv": (2, "verzekeraar ontbreekt"),
    "missing_provider.csv": (2, "zorgaanbieder ontbreekt"),
    "unrelated.csv": (None, "kolommen ontbreken"),
    "broken.xlsx": (None, "xlsx"),
    "broken.parquet": (None, "Parquet"),
    "cr_line_endings.csv": (1, "los CR-teken"),
    "stray_cr.csv": (3, "heeft 3 velden, de kopregel 6 (scheidingsteken ';'): 'A;c2;56'; de regel eindigt op een "
                        "los CR-teken"),
}


def test_corpus_is_complete() -> None:
    assert sorted(EXPECTED) == sorted(p.name for p in CORPUS.iterdir() if p.name != "README.md")


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_library_raises_input_error(name: str) -> None:
    row, text = EXPECTED[name]
    with pytest.raises(InputError) as info:
        ratio_from_claims(CORPUS / name, year=2027)
    assert text in str(info.value)
    assert name in str(info.value)
    if row is not None:
        assert info.value.row == row
        assert f"regel {row}" in str(info.value)


def run_cli(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})}
    return subprocess.run([sys.executable, "-m", "toolkit.cli", *args], capture_output=True, text=True,
                          cwd=cwd, env=env, timeout=120)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_cli_exit_1_with_one_clear_line(name: str, tmp_path: Path) -> None:
    result = run_cli("ratio", str(CORPUS / name), "--year", "2027", "--json", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("fout: ")
    assert "Traceback" not in result.stderr
    assert EXPECTED[name][1] in lines[0]
    assert list(tmp_path.iterdir()) == []  # nothing written


def test_one_megabyte_line(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "long.csv", [HEADER, "A;" + "x" * (1 << 20) + ";5611;CZ;2025-01-01;V"])
    with pytest.raises(InputError) as info:
        ratio_from_claims(path, year=2027)
    assert info.value.row == 2 and info.value.field == "client_id"
    assert len(str(info.value)) < 400  # the value is shown cut short, not a megabyte of it


def test_line_longer_than_the_reader_block(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "huge.csv", [HEADER, "A;c1;5611;CZ;2025-01-01;V",
                                               "A;c2;5611;CZ;2025-01-01;" + "y" * (9 << 20)])
    with pytest.raises(InputError, match="regel 3, kolom 'prestatie': zorgsoort 'y") as info:
        ratio_from_claims(path, year=2027)
    assert info.value.row == 3 and info.value.field == "care_type"


@pytest.mark.parametrize(
    ("args", "code", "text"),
    [(["--year", "2031"], 1, "2025, 2026, 2027"), (["--year", "twee"], 2, ""), ([], 2, "--year"),
     (["--year", "2027", "--method", "gemiddeld"], 2, ""), (["--year", "2027", "--provider", "oud"], 2, "")],
)
def test_cli_arguments(args: list[str], code: int, text: str, tmp_path: Path) -> None:
    claims = write_lines(tmp_path / "c.csv", [HEADER, "A;c1;5611;CZ;2025-01-01;V"])
    result = run_cli("ratio", str(claims), *args, cwd=tmp_path)
    assert result.returncode == code, result.stderr
    assert text in result.stderr
    assert "Traceback" not in result.stderr


def _claims_workbook_storing(tmp_path: Path, kind: str, stored: str) -> Path:
    """A claims workbook whose cell F3 is stored as `<c r="F3"{kind}><v>{stored}</v>`."""
    import zipfile

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Declaraties"
    ws.append(["AGB", "Clientnummer", "Postcode", "Verzekeraar", "Begindatum", "Bedrag"])
    for i in range(5):
        ws.append(["01234567", f"C{i}", "5611", "CZ", "2025-03-01", 12.5 + i])
    wb.save(tmp_path / "good.xlsx")
    bad = tmp_path / "bad.xlsx"
    with zipfile.ZipFile(tmp_path / "good.xlsx") as source, zipfile.ZipFile(bad, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                assert b'<c r="F3" t="n"><v>13.5</v>' in data
                data = data.replace(b'<c r="F3" t="n"><v>13.5</v>', f'<c r="F3"{kind}><v>{stored}</v>'.encode())
            target.writestr(item, data)
    return bad


@pytest.mark.parametrize(("kind", "stored", "said"), [
    (' t="n"', "abc", "cel Declaraties!F3 bevat als getal 'abc'"),
    (' t="n"', "12,50", "cel Declaraties!F3 bevat als getal '12,50'"),
    (' t="b"', "ja", "cel Declaraties!F3 bevat als getal 'ja'"),
])
def test_a_cell_stored_as_a_number_that_is_none_is_named(tmp_path: Path, kind: str, stored: str, said: str) -> None:
    """Excel never writes `<v>abc</v>` in a number cell; a reader refuses the whole workbook at it. The line
    names the cell, for `ratio` (calamine) and for `check` (openpyxl) alike."""
    import re

    from toolkit.workbook.check import check_workbook

    bad = _claims_workbook_storing(tmp_path, kind, stored)
    with pytest.raises(InputError, match=re.escape(said)):
        ratio_from_claims(bad, year=2027)
    with pytest.raises(InputError, match=re.escape(said)):
        check_workbook(bad)


@pytest.mark.parametrize("stored", ["NaN", "nan", "inf", "-inf", "Infinity", "-Infinity"])
def test_a_number_cell_that_is_not_finite_is_named_by_check(tmp_path: Path, stored: str) -> None:
    """`<v>NaN</v>` made openpyxl refuse the workbook while the line named no cell ("een onderdeel … is
    beschadigd … (ValueError)"): float() reads these words, so the cell was not found as one that holds no
    number. (calamine reads them as floats, and a claims file's amount is then refused by its line.)"""
    from toolkit.workbook.check import check_workbook

    bad = _claims_workbook_storing(tmp_path, ' t="n"', stored)
    with pytest.raises(InputError) as caught:
        check_workbook(bad)
    assert f"geen leesbare xlsx: cel Declaraties!F3 bevat als getal '{stored}', wat Excel zo niet schrijft" in str(
        caught.value), str(caught.value)


@pytest.mark.parametrize(("head", "said"), [
    (b"PK\x03\x04" + bytes(40), "het is een zip-bestand, waarschijnlijk een Excel-werkmap; geef het de naam .xlsx"),
    (bytes.fromhex("D0CF11E0A1B11AE1") + bytes(40), "het is een oud Excel-bestand (.xls)"),
    (b"\x1f\x8b\x08\x00" + bytes(40), "het is ingepakt (gzip); pak het eerst uit"),
    (b"PAR1" + bytes(40), "het is een Parquet-bestand; geef het de naam .parquet"),
    (b"%PDF-1.7\n" + bytes(40), "het is een PDF-bestand"),
])
def test_a_file_that_is_no_text_named_csv_says_what_it_is(tmp_path: Path, head: bytes, said: str) -> None:
    """A workbook or packed file given the name .csv: its first bytes say what it is, not 'no UTF-8'."""
    path = tmp_path / "declaraties.csv"
    path.write_bytes(head)
    with pytest.raises(InputError) as info:
        ratio_from_claims(path, year=2027)
    assert info.value.message.startswith(f"{path}: geen tekstbestand (csv): {said}")
    assert "geen UTF-8" not in info.value.message
