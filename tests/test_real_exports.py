"""Claim exports written as a finance clerk's declaration system writes them (issue 20): Dutch headers
with diacritics, Windows line ends, `;` and Dutch amounts, a BOM, two systems' exports in one folder.
Every file here is typed out in the test, synthetic."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from test_bad_input import run_cli

from toolkit import InputError, production_from_claims, ratio_from_claims
from toolkit.columns import CLAIM_FIELDS, header_key


def write_export(path: Path, lines: list[str], *, bom: bool = True, crlf: bool = True) -> Path:
    """A file as Excel's "CSV UTF-8 (gescheiden door lijstscheidingsteken)" saves it on a Dutch Windows."""
    text = ("\r\n" if crlf else "\n").join(lines) + ("\r\n" if crlf else "\n")
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


# System one: a Dutch export with the names of its screens.
SYSTEM_ONE = [
    "AGB-code zorgaanbieder;Cliëntnummer;Postcode cliënt;Verzekeraar;Begindatum prestatie;Zorgsoort;Declaratiebedrag",
    "01234567;C-0001;5611 AB;CZ;03-01-2025;Verpleging;1.234,56",
    "01234567;C-0002;5611AB;OHRA;04-01-2025;Verzorging;€ 80,00",
    "01234567;C-0003;5612;Nationale-Nederlanden;05-02-2025;Verpleging;45,5",
    "01234567;C-0004;5613 CD;Zilveren Kruis;06-02-2025;Verpleging;100,00",
    "07654321;C-0101;4811;CZ;07-03-2025;Verpleging;2.000,00",
]
# System two: other names for the same fields, and ISO dates.
SYSTEM_TWO = [
    "AGB;Client ID;Postcode;UZOVI-code;Prestatiedatum;Prestatiecode;Bedrag",
    "01234567;C-0005;5612;9664;2025-04-01;1004;10.00",
    "07654321;C-0102;4812 EF;9664;2025-04-02;1004;20,25",
]


@pytest.mark.parametrize(("written", "same"), [
    ("Cliëntnummer", "clientnummer"), ("Client ID", "client_id"), ("Cliënt-ID", "client_id"),
    ("CLIËNT", "client"), ("Postcode cliënt", "postcode_client"), ("A.G.B.", "agb"),
    ("Score 2026", "score_2026"), ("kosten–punten", "kostenpunten"), ("\u00a0Bedrag\u00a0", "bedrag"),
])
def test_headers_match_as_people_write_them(written: str, same: str) -> None:
    assert header_key(written) == header_key(same)


def test_no_name_stands_under_two_fields_and_the_interface_names_keep_working() -> None:
    seen: dict[str, str] = {}
    for field, spec in CLAIM_FIELDS.items():
        for key in spec.keys:
            assert seen.setdefault(key, field) == field, (key, field, seen[key])
    interfaces = {"client_id": "client clientnummer pseudoniem", "postcode": "", "insurer": "verzekeraar label uzovi",
                  "date": "datum begindatum prestatiedatum", "provider": "zorgaanbieder agb",
                  "care_type": "zorgsoort prestatie", "amount": "bedrag declaratiebedrag"}
    for field, names in interfaces.items():
        for name in [field, *names.split()]:
            assert seen[header_key(name)] == field, name


def test_a_dutch_export_with_diacritics_crlf_and_a_bom_is_read(tmp_path: Path) -> None:
    path = write_export(tmp_path / "declaraties.csv", SYSTEM_ONE)
    report = ratio_from_claims(path, year=2027)
    first = report.providers["01234567"]
    assert (first.clients, first.areas, first.lines_other_insurers) == (3, 2, 1)
    production = production_from_claims(path, year=2025)
    assert production.providers["01234567"].monthly[:2] == (Decimal("1314.56"), Decimal("45.50"))
    assert production.providers["07654321"].total == Decimal("2000.00")


def test_the_same_export_as_xlsx_gives_the_same_answer(tmp_path: Path) -> None:
    import openpyxl

    workbook = openpyxl.Workbook()
    for line in SYSTEM_ONE:
        workbook.active.append(line.split(";"))
    workbook.save(tmp_path / "declaraties.xlsx")
    csv_report = production_from_claims(write_export(tmp_path / "d.csv", SYSTEM_ONE), year=2025)
    xlsx_report = production_from_claims(tmp_path / "declaraties.xlsx", year=2025)
    assert {p: r.monthly for p, r in xlsx_report.providers.items()} == {
        p: r.monthly for p, r in csv_report.providers.items()}


def test_two_columns_for_one_field_are_refused_naming_both(tmp_path: Path) -> None:
    path = write_export(tmp_path / "twee.csv", ["Cliëntnummer;Client ID;Postcode;Verzekeraar;Datum",
                                                "c1;c1;5611;CZ;2025-01-01"])
    with pytest.raises(InputError) as info:
        ratio_from_claims(path, year=2027)
    assert str(info.value) == (f"{path}: de kolommen \"Cliëntnummer\" en \"Client ID\" zijn allebei cliënt; laat er "
                               "één over (hernoem of verwijder de andere kolom)")
    twice = write_export(tmp_path / "dubbel.csv", ["datum;client;postcode;verzekeraar;Datum", "x;c1;5611;CZ;y"])
    with pytest.raises(InputError, match="kolom \"Datum\" komt twee keer voor"):
        ratio_from_claims(twice, year=2027)


def test_a_missing_column_is_named_in_dutch_with_the_usual_names(tmp_path: Path) -> None:
    path = write_export(tmp_path / "zonder.csv", ["Cliëntnummer;Postcode;Datum", "c1;5611;2025-01-01"])
    result = run_cli("ratio", str(path), "--year", "2027", cwd=tmp_path)
    assert result.returncode == 1
    line = result.stderr.strip()
    assert line.startswith(f"fout: {path}: 1 kolom ontbreekt: verzekeraar (bijvoorbeeld \"Verzekeraar\""), line
    assert "Gevonden kolommen: 'Cliëntnummer', 'Postcode', 'Datum'" in line and "insurer" not in line


def test_fill_reads_an_inputs_header_with_diacritics_and_dots(tmp_path: Path) -> None:
    from toolkit.workbook.fill import fill

    inputs = write_export(tmp_path / "aanbieders.csv", ["Naam;Jaar;Soort;Post-codes;Cliënten",
                                                        "Zorg A;2027;bestaand;5611;4", "Zorg A;;;5612;1"])
    result = fill("cz_ratio", inputs, tmp_path / "uit")
    assert [c.key for c in result.cases] == ["Zorg A"] and result.cases[0].outputs["out_clienten"] == 5
