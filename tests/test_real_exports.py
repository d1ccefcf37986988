"""Claim exports written as a finance clerk's declaration system writes them (issue 20): Dutch headers
with diacritics, Windows line ends, `;` and Dutch amounts, a BOM, two systems' exports in one folder.
Every file here is typed out in the test, synthetic."""

from __future__ import annotations

import json
import re
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import write_lines
from test_bad_input import run_cli

from toolkit import InputError, ceiling_from_claims, production_from_claims, ratio_from_claims
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
    ("Score vorig jaar", "score_vorig_jaar"), ("kosten–punten", "kostenpunten"), ("\u00a0Bedrag\u00a0", "bedrag"),
    ("zorg\u200baanbieder", "zorgaanbieder"), ("\ufeff\ufeffzorgaanbieder", "zorgaanbieder"),
    ("Cliënt\u200c\u200dnummer", "clientnummer"), ("Post\u2060code", "postcode"), ("Be\u00addrag", "bedrag"),
])
def test_headers_match_as_people_write_them(written: str, same: str) -> None:
    assert header_key(written) == header_key(same)


@pytest.mark.parametrize("provider", ["zorg\u200baanbieder", "\ufeffzorgaanbieder"], ids=["zero-width", "second-bom"])
def test_a_header_with_an_invisible_character_is_read_as_the_column_it_shows(tmp_path: Path, provider: str) -> None:
    # Not matched, the provider column was passed over in silence and both providers pooled as one. (The
    # second BOM: Excel's own BOM comes first, `write_export` writes it.)
    path = write_export(tmp_path / "onzichtbaar.csv", [f"{provider};clientnummer;postcode;verzekeraar;prestatiedatum",
                                                       "A;c1;5611;CZ;2025-01-01", "B;c2;5612;CZ;2025-01-01"])
    assert list(ratio_from_claims(path, year=2027).providers) == ["A", "B"]


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
    # Found by a helper: two spellings of one name were shown as one ('kolom "clientnummer" komt twee keer voor').
    with pytest.raises(InputError, match="de kolommen \"datum\" en \"Datum\" zijn dezelfde kolom, anders gespeld"):
        ratio_from_claims(twice, year=2027)
    same = write_export(tmp_path / "zelfde.csv", ["datum;client;postcode;verzekeraar;client", "x;c1;5611;CZ;y"])
    with pytest.raises(InputError, match="kolom \"client\" komt twee keer voor"):
        ratio_from_claims(same, year=2027)


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


# --- a wrong year ------------------------------------------------------------------------------------------

def test_a_wrong_policy_year_stops_and_proposes_the_right_one(tmp_path: Path) -> None:
    from toolkit.claims import ClaimsYearError

    path = write_export(tmp_path / "declaraties_2025.csv", SYSTEM_ONE)
    with pytest.raises(ClaimsYearError) as info:
        ratio_from_claims(path, year=2026)
    assert str(info.value) == ("geen declaratieregels uit 2024 (het declaratiejaar bij beleidsjaar 2026); het bestand "
                               "bevat 2025 — bedoelt u beleidsjaar 2027?")
    assert info.value.finding.message_for("--jaar").endswith("bedoelt u --jaar 2027?")
    with pytest.raises(ClaimsYearError, match=r"^geen declaratieregels uit 2027 \(de productie van 2027\); het "
                                              r"bestand bevat 2025 — bedoelt u beleidsjaar 2025\?$"):
        production_from_claims(path, year=2027)


def test_almost_no_line_of_the_year_stops_too_and_some_lines_outside_it_are_counted(tmp_path: Path) -> None:
    """The rule (toolkit/claims/claimset.py): fewer than 1 % of the valid lines in the claims year stops
    the run; more lines of another year than of the claims year only warns; a few outside are counted."""
    from toolkit.claims import ClaimsYearError

    late = "01234567;C-9;5611;CZ;31-12-2024;Verpleging;1,00"  # one late line of 2024
    lines = [SYSTEM_ONE[0]] + [f"01234567;C-{i};5611;CZ;03-01-2025;Verpleging;1,00" for i in range(150)] + [late]
    with pytest.raises(ClaimsYearError, match=r"^maar 1 van de 151 regels komt uit 2024 .* de andere uit 2025 "
                                              r"— bedoelt u beleidsjaar 2027\?$"):
        ratio_from_claims(write_export(tmp_path / "a.csv", lines), year=2026)
    report = ratio_from_claims(write_export(tmp_path / "b.csv", lines), year=2027)
    assert report.year_warning is None and report.providers["01234567"].lines_other_years == 1
    half = lines[:3] + [late.replace("C-9", f"C-9{i}") for i in range(3)]  # 2 of 2025, 3 of 2024
    warned = ratio_from_claims(write_export(tmp_path / "c.csv", half), year=2027)
    assert warned.year_warning is not None and warned.clients == 2
    assert warned.year_warning.message_for("--year") == (
        "maar 2 van de 5 regels komen uit 2025 (het declaratiejaar bij beleidsjaar 2027); de andere uit 2024 — "
        "bedoelt u --year 2026?")


# --- folders, as they are on a shared drive ---------------------------------------------------------------

def test_a_folder_with_two_systems_a_readme_a_lock_file_and_a_subfolder(tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    write_export(folder / "systeem_een.csv", SYSTEM_ONE)
    write_export(folder / "systeem_twee.csv", SYSTEM_TWO, bom=False, crlf=False)
    (folder / "LEESMIJ.txt").write_text("Exports van januari tot april.\r\nNiet wijzigen.\r\n", encoding="utf-8")
    (folder / "~$systeem_een.xlsx").write_bytes(b"\x00lock")
    (folder / "oud").mkdir()
    write_export(folder / "oud" / "2024.csv", [*SYSTEM_ONE[:1], SYSTEM_ONE[1].replace("2025", "2024")])
    report = production_from_claims(folder, year=2025)
    assert [Path(f).name for f in report.sources] == ["systeem_een.csv", "systeem_twee.csv"]
    assert {Path(f).name: why for f, why in report.files_skipped} == {
        "LEESMIJ.txt": "geen declaratiebestand (in een map worden .csv, .xlsx en .parquet gelezen)",
        "oud": "submap (niet gelezen; --recursief leest ook submappen)",
        "~$systeem_een.xlsx": "tijdelijk Excel-bestand (~$) van een geopend bestand"}
    assert report.providers["07654321"].monthly[3] == Decimal("20.25")
    deep = production_from_claims(folder, year=2025, recursive=True, repeated="ignore")
    assert [Path(f).name for f in deep.sources] == ["2024.csv", "systeem_een.csv", "systeem_twee.csv"]
    assert deep.providers["01234567"].lines_other_years == 1


@pytest.mark.parametrize(("name", "message"), [
    ("~$declaraties.xlsx", "dit is een tijdelijk Excel-bestand (~$), kies het bestand zelf"),
    ("declaraties.xls", "oud Excel-formaat (.xls) kan niet worden gelezen; sla het bestand op als .xlsx"),
])
def test_a_lock_file_or_an_old_workbook_says_what_to_do(tmp_path: Path, name: str, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"\xd0\xcf\x11\xe0 not a zip")
    with pytest.raises(InputError, match=re.escape(f"{path}: {message}")):
        ratio_from_claims(path, year=2027)
    folder = tmp_path / "map"
    folder.mkdir()
    write_export(folder / "goed.csv", SYSTEM_ONE)
    (folder / name).write_bytes(b"\xd0\xcf\x11\xe0")
    if name.endswith(".xls"):  # it may hold claims: never skipped in silence, never guessed at
        with pytest.raises(InputError, match=re.escape(message)):
            ratio_from_claims(folder, year=2027)
    else:
        assert ratio_from_claims(folder, year=2027).clients == 4


# --- the same claims twice ---------------------------------------------------------------------------------

def test_an_export_saved_twice_is_refused_naming_both(tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    write_export(folder / "a.csv", SYSTEM_ONE)
    write_export(folder / "a (1).csv", SYSTEM_ONE)
    for run in (production_from_claims, ratio_from_claims):
        with pytest.raises(InputError) as info:
            run(folder, year=2025 if run is production_from_claims else 2027)
        assert str(info.value) == (f"{folder / 'a.csv'}: hetzelfde bestand als {folder / 'a (1).csv'} (de inhoud "
                                   "is gelijk): een export die twee keer is opgeslagen telt anders dubbel; laat er "
                                   "één weg")


def test_lines_repeated_across_files_are_counted_and_refused_for_the_production(tmp_path: Path) -> None:
    from toolkit.claims import RepeatedLinesError

    folder = tmp_path / "exports"
    folder.mkdir()
    write_export(folder / "jan-feb.csv", SYSTEM_ONE[:5])
    # The next export overlaps by one line, written by the other system's spelling of date and amount.
    write_export(folder / "feb-mrt.csv", [SYSTEM_ONE[0], "01234567;C-0003;5612;Nationale-Nederlanden;2025-02-05;"
                                          "Verpleging;45.50", *SYSTEM_ONE[5:]])
    with pytest.raises(RepeatedLinesError) as info:
        production_from_claims(folder, year=2025)
    assert str(info.value).startswith(f"1 regel komt in meer dan één bestand voor (zelfde zorgaanbieder, cliënt, "
                                      f"datum, prestatie en bedrag): {folder / 'jan-feb.csv'}: 1 regel staat ook in "
                                      f"{folder / 'feb-mrt.csv'}. De productie zou dan dubbel tellen.")
    counted = production_from_claims(folder, year=2025, repeated="negeren")
    assert counted.providers["01234567"].monthly[1] == Decimal("91.00")  # counted twice, as asked
    assert counted.to_dict()["lines_repeated"] == 1
    ratio = ratio_from_claims(folder, year=2027)  # reported, not refused: a distinct count cannot change
    assert ratio.providers["01234567"].clients == 3 and ratio.providers["01234567"].to_dict()["repeated"] == [
        {"file": str(folder / "jan-feb.csv"), "also_in": str(folder / "feb-mrt.csv"), "lines": 1}]


def test_the_ratio_compares_no_amounts_and_says_so(tmp_path: Path) -> None:
    """The ratio does not read amounts (reading them only to compare lines cost a third more CPU): a line
    repeated with another amount is a repeat for the ratio, not for the production."""
    from toolkit.claims import RepeatedLinesError

    folder = tmp_path / "exports"
    folder.mkdir()
    write_export(folder / "a.csv", SYSTEM_ONE[:2])
    write_export(folder / "b.csv", [SYSTEM_ONE[0], SYSTEM_ONE[1].replace("1.234,56", "-1.234,56")])
    assert production_from_claims(folder, year=2025).repeated == ()
    with pytest.raises(RepeatedLinesError, match=r"^1 regel komt in meer dan één bestand voor \(zelfde "
                                                 r"zorgaanbieder, cliënt, datum en prestatie\): "):
        ratio_from_claims(folder, year=2027, repeated="weigeren")


def test_a_repeat_needs_every_part_of_the_line_to_be_equal(tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    first = "01234567;C-0001;5611 AB;CZ;03-01-2025;Verpleging;80,00"
    write_export(folder / "a.csv", [SYSTEM_ONE[0], first])
    others = [first.replace("C-0001", "C-0002"), first.replace("03-01", "04-01"), first.replace("80,00", "-80,00"),
              first.replace("Verpleging", "Verzorging"), first.replace("01234567", "07654321")]
    write_export(folder / "b.csv", [SYSTEM_ONE[0], *others])
    assert production_from_claims(folder, year=2025).repeated == ()


@pytest.mark.parametrize("label", ["Aevitae", "Care4Life", "Eucare", "3360", "Holland Zorg", "holland  zorg"])
def test_the_labels_of_eucare_and_holland_zorg_are_other_insurers_not_unknown(tmp_path: Path, label: str) -> None:
    path = tmp_path / "d.csv"
    path.write_text("clientnummer;postcode;verzekeraar;datum\n"
                    f"K1;5611;CZ;2025-03-01\nK2;5612;{label};2025-03-01\n", encoding="utf-8")
    report = ratio_from_claims(path, year=2027, strict=True)  # strict: an unknown label would stop it
    assert (report.lines_used, report.lines_other_insurers, report.unknown_insurers) == (1, 1, {})


def _workbook(path: Path, sheets: dict[str, list[list[object]]], hidden: str | None = None) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
        if name == hidden:
            sheet.sheet_state = "hidden"
    book.save(path)
    return path


def test_a_workbook_is_read_from_its_first_sheet_and_what_else_it_holds_is_said(tmp_path: Path) -> None:
    """An export split over sheets (januari-juni, juli-december) or an old sheet hidden in front: the first
    sheet is read, as documented, but another sheet with data is never left out in silence, and a hidden
    first sheet is never read in the place of the visible one."""
    from toolkit.claims.core_area import read_core_areas
    from toolkit.workbook.fill import fill

    header = ["Cliëntnummer", "Postcode", "Verzekeraar", "Datum"]
    first = [header, ["c1", "5611", "CZ", "2025-01-10"], ["c2", "5612", "CZ", "2025-02-10"]]
    second = [header, *[[f"d{i}", "5613", "CZ", "2025-08-10"] for i in range(5)]]
    split = _workbook(tmp_path / "gesplitst.xlsx", {"Jan-Jun": first, "Jul-Dec": second, "Leeg": []})
    report = ratio_from_claims(split, year=2027)
    assert report.clients == 2  # the first sheet, as INTERFACES says
    assert report.files_skipped == ((str(split), "alleen het eerste werkblad ('Jan-Jun') wordt gelezen; ook werkblad "
                                                 "'Jul-Dec' bevat gegevens, die niet worden meegeteld"),)
    cli = run_cli("ratio", str(split), "--year", "2027", cwd=tmp_path)
    assert cli.returncode == 0 and "'Jul-Dec' bevat gegevens" in cli.stderr, cli.stderr
    hidden = _workbook(tmp_path / "verborgen.xlsx", {"oud": second, "Declaraties": first}, hidden="oud")
    with pytest.raises(InputError, match=r"het eerste werkblad 'oud' is verborgen"):
        ratio_from_claims(hidden, year=2027)
    inputs = [["naam", "score_vorig_jaar", "aanvullend_budget"], ["Zorg A", "A", 1000]]
    result = fill("staffel", _workbook(tmp_path / "invoer.xlsx", {"Invoer": inputs, "Toelichting": [["uitleg"]]}),
                  tmp_path / "uit")
    assert result.written == 1 and result.notes == (
        f"{tmp_path / 'invoer.xlsx'}: alleen het eerste werkblad ('Invoer') wordt gelezen; ook werkblad "
        "'Toelichting' bevat gegevens, die niet worden meegeteld",)
    with pytest.raises(InputError, match=r"is verborgen"):
        fill("staffel", _workbook(tmp_path / "v.xlsx", {"x": inputs, "Invoer": inputs}, hidden="x"), tmp_path / "u2")
    # Without a place for a note (the kernwerkgebied's list), another sheet with data is refused.
    with pytest.raises(InputError, match=r"ook werkblad 'Meer' bevat gegevens.*eigen bestand"):
        read_core_areas(_workbook(tmp_path / "kwg.xlsx", {"PC4": [["pc4"], ["5611"]], "Meer": [["pc4"], ["5612"]]}))
    assert read_core_areas(_workbook(tmp_path / "kwg1.xlsx", {"PC4": [["pc4"], ["5611"]], "Leeg": []}))


# --- a first line sep=; ------------------------------------------------------------------------------------

@pytest.mark.parametrize("sep_line", ["sep=;", '"sep=;"', "SEP=;", "sep=;;;;;;"])
def test_an_export_that_names_its_delimiter_on_a_first_line_sep_is_read(tmp_path: Path, sep_line: str) -> None:
    """Some declaration systems write `sep=;` above the header so that Excel splits the file whatever the
    computer's list separator; Excel hides that line. It names the delimiter, and a line it names is
    counted as the file's line (the header is line 2)."""
    plain = ratio_from_claims(write_export(tmp_path / "zonder.csv", SYSTEM_ONE), year=2027)
    path = write_export(tmp_path / "met.csv", [sep_line, *SYSTEM_ONE])
    assert ratio_from_claims(path, year=2027).to_dict() == {**plain.to_dict(), "files_read": [str(path)]}
    bad = write_export(tmp_path / "fout.csv", [sep_line, *SYSTEM_ONE[:3], SYSTEM_ONE[3].replace("5612", "56x2")])
    with pytest.raises(InputError, match=r"regel 5, kolom 'Postcode cliënt'") as info:
        ratio_from_claims(bad, year=2027)
    assert info.value.row == 5


def test_sep_names_the_delimiter_even_where_another_would_split_more(tmp_path: Path) -> None:
    """The header 'a,b;c' splits best on neither; `sep=,` decides, as it does in Excel."""
    from toolkit.tabular import sniff_csv

    path = write_export(tmp_path / "s.csv", ["sep=,", "Cliënt,Postcode;PC,Verzekeraar", "1;2,3"], bom=False)
    dialect = sniff_csv(path)
    assert dialect.delimiter == "," and dialect.header_line == 2
    assert dialect.header == ("Cliënt", "Postcode;PC", "Verzekeraar")
    assert path.read_bytes()[dialect.header_bytes:] == b"1;2,3\r\n"
    tab = write_export(tmp_path / "t.csv", ["sep=\t", "a\tb"], bom=True)
    assert sniff_csv(tab).header == ("a", "b")


@pytest.mark.parametrize(("lines", "message"), [
    (["sep=|", "a|b"], r"regel 1 'sep=\|': een regel 'sep=' moet ';', ',' of een tab als scheidingsteken noemen"),
    (["sep=;x", "a;b"], r"regel 1 'sep=;x': een regel 'sep='"),
    (["sep="], r"regel 1 'sep=': een regel 'sep='"),
    (["sep=;"], r"regel 2: geen kopregel na 'sep=;'"),
    (["sep=\t", "   "], r"regel 2: geen kopregel na 'sep=tab'"),
])
def test_a_sep_line_that_cannot_be_followed_is_refused_naming_it(tmp_path: Path, lines: list[str],
                                                                   message: str) -> None:
    path = write_export(tmp_path / "s.csv", lines)
    with pytest.raises(InputError, match=message):
        ratio_from_claims(path, year=2027)


def test_fill_and_the_kernwerkgebied_read_a_sep_line_too(tmp_path: Path) -> None:
    """fill numbers rows as Excel shows the file (the sep line hidden: the header is row 1); the
    kernwerkgebied's list numbers the file's lines, as for claims."""
    from toolkit.claims.core_area import read_core_areas
    from toolkit.workbook.fill import fill

    inputs = write_export(tmp_path / "invoer.csv", ["sep=;", "naam;score_vorig_jaar;aanvullend_budget",
                                                    "Zorg A;A;1.000", "Zorg B;Q;5"])
    with pytest.raises(InputError, match=r"rij 3, kolom 'score_vorig_jaar': score 'Q'"):
        fill("staffel", inputs, tmp_path / "uit")
    good = write_export(tmp_path / "goed.csv", ["sep=;", "naam;score_vorig_jaar;aanvullend_budget", "Zorg A;A;1.000"])
    assert [c.key for c in fill("staffel", good, tmp_path / "uit").cases] == ["Zorg A"]
    areas = write_export(tmp_path / "kwg.csv", ["sep=;", "postcode", "5611", "4800-4899"])
    plain = write_export(tmp_path / "k.csv", ["postcode", "5611", "4800-4899"])
    assert read_core_areas(areas) == read_core_areas(plain)
    with pytest.raises(InputError, match=r"regel 4: '56x1'"):
        read_core_areas(write_export(tmp_path / "kf.csv", ["sep=;", "postcode", "5611", "56x1"]))


# --- a field over several lines, and quotes ------------------------------------------------------------------

def _with_remarks(lines: list[str], remarks: list[str]) -> list[str]:
    """SYSTEM_ONE-like lines with a last column 'Opmerking' (not read), written as Excel quotes it."""
    return [lines[0] + ";Opmerking", *(f"{line};{remark}" for line, remark in zip(lines[1:], remarks, strict=True))]


REMARKS = ['"belt vooraf;\r\nsleutel bij buren"', "", '"zegt ""tot morgen""\r\n\r\nen gaat"', "kort", '"a\nb"']


@pytest.mark.parametrize("piece", [1 << 24, 256, 97])
def test_a_remark_over_several_lines_is_one_record_and_lines_are_numbered_as_an_editor_shows_them(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, piece: int) -> None:
    """A field between quotes may hold line ends (Excel writes a remark with Alt+Enter so): it is one claim
    line, wherever the file is cut into pieces, and a later error names the line a text editor shows."""
    import toolkit.claims.csv_source as csv_source

    monkeypatch.setattr(csv_source, "CHUNK_BYTES", piece)
    plain = ratio_from_claims(write_export(tmp_path / "zonder.csv", SYSTEM_ONE), year=2027).to_dict()
    path = write_export(tmp_path / "met.csv", _with_remarks(SYSTEM_ONE, REMARKS))
    assert ratio_from_claims(path, year=2027).to_dict() == {**plain, "files_read": [str(path)]}
    bad = [*SYSTEM_ONE[:5], SYSTEM_ONE[5].replace("4811", "48x1")]
    path = write_export(tmp_path / "fout.csv", _with_remarks(bad, REMARKS))
    with pytest.raises(InputError, match=r"regel 9, kolom 'Postcode cliënt': postcode '48x1'") as info:
        ratio_from_claims(path, year=2027)
    text = path.read_bytes().decode("utf-8-sig")
    assert info.value.row == 9 == text[:text.index("48x1")].count("\n") + 1


@pytest.mark.parametrize("piece", [1 << 24, 200])
@pytest.mark.parametrize(("last", "line"), [
    ('"nooit gesloten', 5),  # the last line: pyarrow would take it as it is
    ('"loopt door', 5),  # with lines after it (added below): they would vanish into that field
    ('5" lang;"open', 5),  # a quote as a character first, then one that opens a field
])
def test_a_quote_that_opens_a_field_and_is_never_closed_is_refused_naming_its_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, piece: int, last: str, line: int) -> None:
    import toolkit.claims.csv_source as csv_source

    monkeypatch.setattr(csv_source, "CHUNK_BYTES", piece)
    lines = _with_remarks(SYSTEM_ONE[:5], ["x", "", "y", f"{last}"])
    if "loopt" in last:
        lines += ["01234567;C-0009;5611;CZ;03-01-2025;Verpleging;1,00;z"] * 3
    path = write_export(tmp_path / "open.csv", lines)
    with pytest.raises(InputError, match=rf"regel {line}: een veld dat met een aanhalingsteken \(\"\) begint, wordt "
                                         "tot het einde van het bestand niet gesloten") as info:
        ratio_from_claims(path, year=2027)
    assert info.value.row == line


def test_a_quote_inside_a_field_is_a_character_as_before(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`5" slang` (inches) or `Zorg "De Linde"` in an unquoted field: pyarrow and Excel read the quote as a
    character; so do the pieces, whatever their size."""
    import toolkit.claims.csv_source as csv_source

    plain = ratio_from_claims(write_export(tmp_path / "zonder.csv", SYSTEM_ONE), year=2027).to_dict()
    for piece in (1 << 24, 120):
        monkeypatch.setattr(csv_source, "CHUNK_BYTES", piece)
        path = write_export(tmp_path / f"q{piece}.csv", _with_remarks(
            SYSTEM_ONE, ['5" slang', 'Zorg "De Linde"', '"netjes"', "ab\"c", '"a""b"']))
        assert ratio_from_claims(path, year=2027).to_dict() == {**plain, "files_read": [str(path)]}


def test_a_piece_cut_within_a_remark_after_a_quote_as_a_character_is_cut_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pieces are cut where their quotes count even, which is outside quoted fields when every quote is CSV
    quoting. `5" slang` before a remark over lines makes the count even within the remark: the validator
    finds that piece's cut within a field, and the file is cut again from that piece's start, quote by
    quote. At every piece size the claim lines are the same, none twice or lost, and a bad line later is
    named by its line."""
    import toolkit.claims.csv_source as csv_source

    claims = [f"01234567;C-{i:04};{5611 + i % 5};CZ;{1 + i % 28:02}-01-2025;Verpleging;1,00" for i in range(60)]
    remarks = ['5" slang' if i % 10 == 3 else '"regel een\r\nregel twee"' if i % 10 == 4 else "" for i in range(60)]
    plain = ratio_from_claims(write_export(tmp_path / "zonder.csv", [SYSTEM_ONE[0], *claims]), year=2027).to_dict()
    path = write_export(tmp_path / "met.csv", _with_remarks([SYSTEM_ONE[0], *claims], remarks))
    confirm, wrong = csv_source._confirm, []

    def counted(piece: Any, delimiter: str) -> int:
        ends = confirm(piece, delimiter)
        wrong.extend([piece.start] if ends != piece.length else [])
        return ends

    monkeypatch.setattr(csv_source, "_confirm", counted)
    bad = _with_remarks([SYSTEM_ONE[0], *claims, "01234567;C-9999;5611;CZ;32-01-2025;Verpleging;1,00"],
                        [*remarks, ""])
    bad_path = write_export(tmp_path / "fout.csv", bad)
    text = bad_path.read_bytes().decode("utf-8-sig")
    line = text[:text.index("32-01-2025")].count("\n") + 1
    for piece in range(40, 700, 9):
        monkeypatch.setattr(csv_source, "CHUNK_BYTES", piece)
        assert ratio_from_claims(path, year=2027).to_dict() == {**plain, "files_read": [str(path)]}, piece
        with pytest.raises(InputError, match=rf"regel {line}, kolom 'Begindatum prestatie'"):
            ratio_from_claims(bad_path, year=2027)
    assert len(wrong) > 5  # (cuts within a remark were made, found and cut again)


def test_of_two_mistakes_the_first_in_the_file_is_named_at_every_piece_size(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A bad date on line 8 and a quote never closed on the last line: line 8 is named, wherever the file is
    cut into pieces (the quote is found while the file is cut, before the pieces with line 8 are read)."""
    import toolkit.claims.csv_source as csv_source

    header = SYSTEM_ONE[0] + ";Opmerking\n"
    lines = "".join(f"1;C-{j};5611;CZ;{'32' if j == 4 else f'0{1 + j % 9}'}-01-2025;Verpleging;1;"
                    + ('"a\nb"' if j % 2 == 0 else "") + "\n" for j in range(10))
    path = tmp_path / "twee.csv"
    path.write_bytes((header + lines + '1;C-9;5611;CZ;01-01-2025;Verpleging;1;"open\n').encode())
    for piece in [*range(40, 700, 7), 1 << 24]:
        monkeypatch.setattr(csv_source, "CHUNK_BYTES", piece)
        with pytest.raises(InputError, match=r"regel 8, kolom 'Begindatum prestatie': datum '32-01-2025'"):
            ratio_from_claims(path, year=2027)


def test_fill_refuses_an_inputs_file_with_a_quote_never_closed(tmp_path: Path) -> None:
    """Python's csv module would read every row after it into one key's name."""
    from toolkit.workbook.fill import fill

    inputs = write_export(tmp_path / "invoer.csv", ["naam;score_vorig_jaar;aanvullend_budget", "Zorg A;A;1000",
                                                    '"Zorg B;B;5', "Zorg C;A;7"])
    with pytest.raises(InputError, match=r"regel 3: een veld dat met een aanhalingsteken"):
        fill("staffel", inputs, tmp_path / "uit")
    assert not (tmp_path / "uit").exists()
    remark = write_export(tmp_path / "goed.csv", ["naam;score_vorig_jaar;aanvullend_budget", 'Zorg A;A;"1.000"',
                                                  'Zorg "B";A;5'])
    assert [c.key for c in fill("staffel", remark, tmp_path / "uit").cases] == ["Zorg A", 'Zorg "B"']


def test_hidden_rows_of_an_inputs_workbook_are_read_but_said(tmp_path: Path) -> None:
    """A list filtered in Excel shows some keys; the file holds them all, and fill fills them all (a filter
    is a view, not a choice the toolkit can read), but says which rows were hidden. A kernwerkgebied list,
    with no place for a note, is refused."""
    import openpyxl

    from toolkit.claims.core_area import read_core_areas
    from toolkit.workbook.fill import fill

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["naam", "score_vorig_jaar", "aanvullend_budget"])
    for i in range(8):
        sheet.append([f"Zorg {i}", "A", 1000 + i])
    sheet.auto_filter.ref = "A1:C9"
    for row in (3, 5, 6, 12):  # row 12 is empty: nothing to say
        sheet.row_dimensions[row].hidden = True
    book.save(tmp_path / "gefilterd.xlsx")
    result = fill("staffel", tmp_path / "gefilterd.xlsx", tmp_path / "uit")
    assert result.written == 8
    assert result.notes == (f"{tmp_path / 'gefilterd.xlsx'}: rijen 3, 5 en 6 zijn verborgen (door een filter, een "
                            "groepering of een hoogte van 0) en worden toch gelezen",)
    areas = openpyxl.Workbook()
    for value in ("pc4", "5611", "5612"):
        areas.active.append([value])
    areas.active.row_dimensions[3].hidden = True
    areas.save(tmp_path / "kwg.xlsx")
    with pytest.raises(InputError, match=r"rij 3 is verborgen \(door een filter, een groepering of een hoogte van "
                                         r"0\); maak die"):
        read_core_areas(tmp_path / "kwg.xlsx")


def test_hidden_rows_of_a_claims_workbook_are_counted_and_said(tmp_path: Path) -> None:
    """An export filtered in Excel to one provider still holds every line: all are counted (a filter is a
    view), and the rows it hides are said on the command line, in the report workbook and in Python."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Zorgaanbieder", "Cliëntnummer", "Postcode", "Verzekeraar", "Prestatiedatum", "Prestatie",
                  "Bedrag"])
    for i in range(8):
        sheet.append(["A" if i < 5 else "B", f"c{i}", f"56{11 + i}", "CZ", "2025-03-01", "Verpleging", 10.5])
    sheet.auto_filter.ref = "A1:G9"
    for row in (7, 8, 9, 14):  # provider B filtered out; row 14 is empty: nothing to say
        sheet.row_dimensions[row].hidden = True
    path = tmp_path / "gefilterd.xlsx"
    book.save(path)
    note = "rijen 7, 8 en 9 zijn verborgen (door een filter, een groepering of een hoogte van 0) en worden toch gelezen"
    report = ratio_from_claims(path, year=2027)
    assert report.file_notes == ((str(path), note),) and report.providers["A"].file_notes == report.file_notes
    assert report.providers["B"].assessment.clients == 3  # counted
    assert production_from_claims(path, year=2025).file_notes == ((str(path), note),)
    assert report.providers["A"].to_dict()["file_notes"] == [{"file": str(path), "note": note}]  # --json too
    result = run_cli("ratio", str(path), "--year", "2027", "--rapport", str(tmp_path / "rapport.xlsx"), cwd=tmp_path)
    assert result.returncode == 0 and f"let op: {path}: {note}" in result.stderr, result.stderr
    overview = openpyxl.load_workbook(tmp_path / "rapport.xlsx")["Overzicht"]
    assert f"Let op: {path}: {note}" in [c.value for c in overview["A"]]
    sheet.row_dimensions[7].hidden = sheet.row_dimensions[8].hidden = sheet.row_dimensions[9].hidden = False
    book.save(path)
    assert ratio_from_claims(path, year=2027).file_notes == ()  # only an empty row hidden
    # A row of height 0 is as hidden (found by a review: only the word `hidden` made the sheet looked at).
    low = tmp_path / "laag.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(low, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b'<row r="8"', b'<row r="8" ht="0" customHeight="1"', 1)
            target.writestr(item, data)
    assert ratio_from_claims(low, year=2027).file_notes == ((str(low), note.replace(
        "rijen 7, 8 en 9 zijn verborgen", "rij 8 is verborgen").replace("worden toch", "wordt toch")),)


@pytest.mark.parametrize("at", [0, (1 << 20) - 3, (1 << 20) - 6, 1 << 20, 3 << 20])
def test_the_search_for_hidden_rows_finds_the_word_across_its_reads(at: int) -> None:
    import io

    from toolkit.table_file import sheet_marks

    cells = (b"<c><v>1</v></c>" * ((at // 15) + 1))[:max(at - 10, 0)]
    xml = cells + b'<row r="9" hidden="1"><c><v>2</v></c></row>' + b"<c><v>3</v></c>" * 10  # "hidden" at `at`
    assert sheet_marks(io.BytesIO(xml)).may_hide_rows
    assert not sheet_marks(io.BytesIO(xml.replace(b"hidden", b"hiddxn"))).may_hide_rows


@pytest.mark.parametrize(("attribute", "may_hide"), [
    (b' hidden="1"', True), (b" hidden = 'true'", True), (b' hidden="&#49;"', True), (b' hiddenx="0"', True),
    (b' hidden="false"', False), (b" hidden='0'", False), (b' hidden = " FALSE "', False),
])
def test_rows_that_say_they_are_shown_need_no_exact_pass(attribute: bytes, may_hide: bool) -> None:
    # LibreOffice writes hidden="false" on every row: that alone hides nothing. Any other spelling may.
    import io

    from toolkit.table_file import sheet_marks

    xml = b"".join(b'<row r="%d"%s><c><v>%d</v></c></row>' % (r, attribute, r) for r in range(1, 200_000))
    assert sheet_marks(io.BytesIO(xml)).may_hide_rows is may_hide


@pytest.mark.parametrize("piece", [1 << 24, 60])
def test_a_quote_as_a_character_beside_a_field_over_lines_keeps_the_line_numbers(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, piece: int) -> None:
    """A piece with `5"` is read quote by quote; its records, and the lines a message names, are the same
    as pyarrow's (found by review: every line end was taken for a record end there)."""
    import toolkit.claims.csv_source as csv_source

    monkeypatch.setattr(csv_source, "CHUNK_BYTES", piece)
    head = ["zorgaanbieder;clientnummer;postcode;verzekeraar;prestatiedatum;opmerking",
            '1;a;5611;CZ;2025-01-01;5" lang', '1;b;5611;CZ;2025-01-01;"over', 'twee regels"',
            "1;c;5611;CZ;2025-01-01;x"]
    path = write_export(tmp_path / "datum.csv", [*head, "1;d;5611;CZ;2025-13-01;x"])
    with pytest.raises(InputError, match=r"regel 6, kolom 'prestatiedatum'"):
        ratio_from_claims(path, year=2027)
    path = write_export(tmp_path / "velden.csv", [*head, "1;d;5611"])
    with pytest.raises(InputError, match=r"regel 6 heeft 3 velden, de kopregel 6"):
        ratio_from_claims(path, year=2027)
    assert ratio_from_claims(write_export(tmp_path / "goed.csv", head), year=2027).clients == 3


def test_the_header_below_a_sep_line_has_the_same_limits(tmp_path: Path) -> None:
    """Found by review: a header of 1.5 MB below `sep=;` was cut mid-field, and CR-only line ends were
    taken for a sep line naming another delimiter."""
    long = tmp_path / "lang.csv"
    long.write_bytes(b"sep=;\n" + b";".join(b"kolom%d" % i for i in range(200_000)) + b"\n1;2\n")
    with pytest.raises(InputError, match=r"regel 2 \(kopregel\) is langer dan 1\.048\.576 bytes"):
        ratio_from_claims(long, year=2027)
    mac = tmp_path / "mac.csv"
    mac.write_bytes(b"sep=;\rCli\xc3\xabnt;Postcode\r1;2\r")
    with pytest.raises(InputError, match=r"regel 1: de regels eindigen op een los CR-teken"):
        ratio_from_claims(mac, year=2027)


@pytest.mark.parametrize("piece", [1 << 24, 50])
@pytest.mark.parametrize("closing", ['1;C;7003;CZ;2025-03-01;Verpleging;"12,50"',
                                     '1;C;7003;CZ;2025-03-01;Verpleging;12,50"'])
def test_a_quote_closed_lines_later_by_another_fields_quote_loses_no_claim_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, piece: int, closing: str) -> None:
    """`"10,00` never closed on its line, then closed by a quote two lines on: read as one field over three
    lines, with the right number of fields, the line between would vanish (found by an attack). Refused
    naming the lines."""
    import toolkit.claims.csv_source as csv_source

    monkeypatch.setattr(csv_source, "CHUNK_BYTES", piece)
    path = write_export(tmp_path / "weg.csv", [
        "zorgaanbieder;clientnummer;postcode;verzekeraar;prestatiedatum;prestatie;bedrag",
        '1;A;7001;CZ;2025-03-01;Verpleging;"10,00', "1;B;7002;CZ;2025-03-01;Verpleging;10,00", closing])
    with pytest.raises(InputError, match=r"regel 2: een veld dat met een aanhalingsteken \(\"\) begint, loopt door tot "
                                         r"in regel 4 en neemt de declaratieregels daartussen op") as info:
        ratio_from_claims(path, year=2027)
    assert info.value.row == 2


def test_fill_numbers_rows_as_excel_after_a_key_over_two_lines(tmp_path: Path) -> None:
    """Found by an attack: a too long field was named by the csv module's line count, one more than the
    row Excel shows after a quoted key over two lines."""
    from toolkit.workbook.fill import fill

    inputs = tmp_path / "invoer.csv"
    inputs.write_text('naam;score_vorig_jaar;aanvullend_budget\n"Zorg\nA";A;1\nZorg B;A;2\nZorg ' + "x" * 140_000
                      + ";A;3\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"rij 4 heeft een veld langer dan 131\.072 tekens") as info:
        fill("staffel", inputs, tmp_path / "uit")
    assert info.value.row == 4


def test_a_sheet_with_only_formatted_empty_cells_holds_no_data(tmp_path: Path) -> None:
    """Found by review: a second sheet whose only cell is bold and empty was said to hold data (the
    kernwerkgebied's list was refused for it). A value, a text or a formula is data; a format is not."""
    import openpyxl
    from openpyxl.styles import Font

    from toolkit.claims.core_area import read_core_areas

    def workbook(name: str, second: object) -> Path:
        book = openpyxl.Workbook()
        for value in ("pc4", "5611", "5612"):
            book.active.append([value])
        other = book.create_sheet("Opmaak")
        other["B2"].font = Font(bold=True)
        other["C3"].value = second
        book.save(tmp_path / name)
        return tmp_path / name

    assert read_core_areas(workbook("opmaak.xlsx", None)).pc4 == {5611, 5612}
    with pytest.raises(InputError, match=r"ook werkblad 'Opmaak' bevat gegevens"):
        read_core_areas(workbook("waarde.xlsx", 0))
    with pytest.raises(InputError, match=r"ook werkblad 'Opmaak' bevat gegevens"):
        read_core_areas(workbook("formule.xlsx", "=1+1"))
    claims = openpyxl.Workbook()
    for line in SYSTEM_ONE:
        claims.active.append(line.split(";"))
    claims.create_sheet("Leeg")["A1"].font = Font(italic=True)
    claims.save(tmp_path / "declaraties.xlsx")
    assert ratio_from_claims(tmp_path / "declaraties.xlsx", year=2027).files_skipped == ()


def test_the_sheets_not_read_are_named_in_good_dutch() -> None:
    from toolkit.xlsx import XlsxCheck

    def said(*others: str) -> str | None:
        return XlsxCheck("xl/worksheets/sheet1.xml", 1, 1, 1, 1, "Jan", others).not_read()

    assert said() is None
    assert said("Feb") == ("alleen het eerste werkblad ('Jan') wordt gelezen; ook werkblad 'Feb' bevat gegevens, die "
                           "niet worden meegeteld")
    assert "ook werkbladen 'Feb' en 'Mrt' bevatten gegevens" in (said("Feb", "Mrt") or "")
    assert "ook werkbladen 'a', 'b', 'c', 'd', 'e' en nog 2 bevatten" in (said(*"abcdefg") or "")


def test_rows_taken_into_a_field_over_lines_are_refused_in_inputs_and_claims(tmp_path: Path) -> None:
    """Found by an attack: `"Voorbeeldzorg 02;B;…` closed only on the next line merged two INPUTS rows into
    one key (three workbooks for four rows, without a word); a claim line opened so is refused too. A
    remark over lines, with a `;` in it, is read as before."""
    from toolkit.workbook.fill import fill

    header = ("aanbieder;score_vorig_jaar;score_contractjaar;kostenpunten;plafondvrij;productieafspraak;"
              "aanvullend_budget")
    merged = write_export(tmp_path / "samen.csv", [header, "Zorg 01;A;A;;nee;;1000", '"Zorg 02;B;B;;nee;;100000',
                                                   'Zorg 03";A;A;;nee;;1000', "Zorg 04;A;A;;nee;;1000"])
    with pytest.raises(InputError, match=r"rij 3: een veld tussen aanhalingstekens loopt over meer regels en bevat "
                                         "regels die op hele rijen lijken"):
        fill("staffel", merged, tmp_path / "uit")
    assert not (tmp_path / "uit").exists()
    remark = write_export(tmp_path / "opmerking.csv", ["naam;score_vorig_jaar;aanvullend_budget",
                                                       '"Zorg\nA";A;1000', '"Zorg; B";A;2000'])
    assert [c.key for c in fill("staffel", remark, tmp_path / "uit2").cases] == ["Zorg\nA", "Zorg; B"]
    claims = write_export(tmp_path / "declaraties.csv", [
        "zorgaanbieder;clientnummer;postcode;verzekeraar;prestatiedatum;prestatie;bedrag",
        '"1;A;7001;CZ;2025-03-01;Verpleging;10,00', '1";B;7002;CZ;2025-03-01;Verpleging;10,00',
        "1;C;7003;CZ;2025-03-01;Verpleging;12,50"])
    with pytest.raises(InputError, match=r"regel 2: een veld dat met een aanhalingsteken"):
        ratio_from_claims(claims, year=2027)


@pytest.mark.parametrize(("row", "hidden"), [
    (b"<row r='3' hidden='1'", [3]), (b'<row r="3" hidden = "1"', [3]), (b'<row r="3" hidden="&#49;"', [3]),
    (b'<row r="3" hidden="true"', [3]), (b'<row r="3" hidden="0"', []),
    (b'<!-- <row r="3" hidden="1"> --><row r="3"', []),
])
def test_hidden_rows_are_read_as_a_spreadsheet_reads_the_xml(tmp_path: Path, row: bytes, hidden: list[int]) -> None:
    """Found by an attack: single quotes, spaces, a character reference or a row without `r` hid a row
    from the check, and a row in a comment was taken for one."""
    import openpyxl

    from toolkit.workbook.fill import fill

    book = openpyxl.Workbook()
    book.active.append(["naam", "score_vorig_jaar", "aanvullend_budget"])
    for i in range(5):
        book.active.append([f"Zorg {i}", "A", 1000 + i])
    book.save(tmp_path / "bron.xlsx")
    path = tmp_path / "invoer.xlsx"
    with zipfile.ZipFile(tmp_path / "bron.xlsx") as source, zipfile.ZipFile(path, "w") as copy:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b'<row r="3"', row, 1)
            copy.writestr(info, data)
    notes = fill("staffel", path, tmp_path / "uit").notes
    assert notes == ((f"{path}: rij 3 is verborgen (door een filter, een groepering of een hoogte van 0) en wordt "
                      "toch gelezen",)
                     if hidden else ())
    without_r = path.read_bytes()  # rows without `r` are the ones after the last
    with zipfile.ZipFile(tmp_path / "bron.xlsx") as source, zipfile.ZipFile(path, "w") as copy:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                for number in (1, 2):
                    data = data.replace(b'<row r="%d"' % number, b"<row", 1)
                data = data.replace(b'<row r="3"', b'<row hidden="1"', 1)
            copy.writestr(info, data)
    assert path.read_bytes() != without_r
    assert fill("staffel", path, tmp_path / "uit2").notes == (
        f"{path}: rij 3 is verborgen (door een filter, een groepering of een hoogte van 0) en wordt toch gelezen",)


def test_an_inputs_workbook_with_its_header_lower_down_says_where_it_is(tmp_path: Path) -> None:
    """Found by an attack: empty rows above the header were 'het bestand is leeg'."""
    import openpyxl

    from toolkit.workbook.fill import fill

    book = openpyxl.Workbook()
    book.active["A3"], book.active["B3"], book.active["A4"], book.active["B4"] = "naam", "score_vorig_jaar", "Zorg", "A"
    book.save(tmp_path / "invoer.xlsx")
    with pytest.raises(InputError, match=r"rij 1 is leeg; de kopregel \(de namen van de kolommen\) moet op rij 1 "
                                         r"staan, de eerste gevulde rij is rij 3"):
        fill("staffel", tmp_path / "invoer.xlsx", tmp_path / "uit")


def test_a_csv_with_an_empty_first_line_says_where_the_header_belongs(tmp_path: Path) -> None:
    """Found by review: 'regel 1 (kopregel) is geen leesbare CSV-regel: ''' for claims and INPUTS alike."""
    from toolkit.workbook.fill import fill

    claims = write_export(tmp_path / "d.csv", ["", *SYSTEM_ONE])
    with pytest.raises(InputError, match=r"regel 1 is leeg; de kopregel \(de namen van de kolommen\) moet op regel 1"):
        ratio_from_claims(claims, year=2027)
    inputs = write_export(tmp_path / "i.csv", ["", "naam;score_vorig_jaar", "Zorg;A"], bom=False)
    with pytest.raises(InputError, match=r"regel 1 is leeg; de kopregel"):
        fill("staffel", inputs, tmp_path / "uit")


def test_the_kernwerkgebied_list_names_the_line_after_a_remark_over_lines(tmp_path: Path) -> None:
    """Found by an attack: rows were counted, not lines ('regel 5' for the text editor's line 7)."""
    from toolkit.claims.core_area import read_core_areas

    path = write_export(tmp_path / "kwg.csv", ["sep=;", "postcode;opmerking", '4811;"regel een', "regel twee",
                                               'regel drie"', "4812;ok", "XYZ1;fout"], bom=False)
    with pytest.raises(InputError, match=r"regel 7: 'XYZ1' is geen PC4") as info:
        read_core_areas(path)
    assert info.value.row == 7


H7 = "zorgaanbieder;clientnummer;postcode;verzekeraar;prestatiedatum;prestatie;opmerking\n"


@pytest.mark.parametrize("piece", [1 << 24, 40, 64])
@pytest.mark.parametrize(("content", "lines"), [
    # A lone CR earlier in the piece: a record more than LF line ends, which hid the record fewer.
    (H7 + 'A;c1;5611;CZ;2025-01-01;V;x\rA;c2;5612;CZ;2025-01-01;V;"y\nA;c3;5613;CZ;2025-01-01;V;z"\n', (3, 4)),
    # The field over lines ends on a lone CR only.
    (H7 + 'A;c2;5612;CZ;2025-01-01;V;"y\rA;c3;5613;CZ;2025-01-01;V;z"\n', (2, 3)),
    # A remark column that is not the last: the quote closes on the next line in its own column, and the two
    # claim lines read as one with the right number of fields.
    ("zorgaanbieder;clientnummer;postcode;opmerking;verzekeraar;prestatiedatum;prestatie\n"
     'A;c1;5611;";CZ;2025-02-01;V\nA;c2;5612;";CZ;2025-03-01;V\n', (2, 3)),
    ("zorgaanbieder;clientnummer;postcode;opmerking;verzekeraar;prestatiedatum;prestatie\r\n"
     'A;c1;5611;"5"" kabel;CZ;2025-02-01;V\r\nA;c2;5612;5";CZ;2025-03-01;V\r\n', (2, 3)),
])
def test_claim_lines_taken_into_a_field_are_refused_however_lines_end(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, piece: int, content: str, lines: tuple[int, int]) -> None:
    """Found by an attack: each of these read one claim line less without a word (as Python's csv module
    reads them, but a claim line is gone). Refused naming the lines, counted as a text editor counts them
    (a lone CR ends a line)."""
    import toolkit.claims.csv_source as csv_source

    monkeypatch.setattr(csv_source, "CHUNK_BYTES", piece)
    path = tmp_path / "weg.csv"
    path.write_bytes(content.encode())
    with pytest.raises(InputError, match=rf"regel {lines[0]}: een veld dat met een aanhalingsteken \(\"\) begint, "
                                         rf"loopt door tot in regel {lines[1]} en neemt de declaratieregels"):
        ratio_from_claims(path, year=2027)


@pytest.mark.parametrize("piece", [1 << 24, 40])
@pytest.mark.parametrize("remark", ['"regel een\nregel twee"', '"een; twee\r\ndrie; vier"', '"kort\rlang"', '""'])
@pytest.mark.parametrize("column", [0, 3, 6])
def test_a_remark_over_lines_in_any_column_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, piece: int,
                                                   remark: str, column: int) -> None:
    """The other side of the refusal above: a remark typed over lines (LF, CR LF or a lone CR, a `;` in it)
    in the first, a middle or the last column reads as the same claim lines without it."""
    import toolkit.claims.csv_source as csv_source

    monkeypatch.setattr(csv_source, "CHUNK_BYTES", piece)
    claims = [["A", f"c{i}", str(5611 + i), "CZ", f"2025-0{1 + i}-01", "V"] for i in range(3)]
    header = H7.strip().split(";")[:6]
    header.insert(column, "opmerking")
    rows = [";".join(header)]
    for claim in claims:
        rows.append(";".join([*claim[:column], remark, *claim[column:]]))
    path = tmp_path / "opmerking.csv"
    path.write_bytes(("\n".join(rows) + "\n").encode())
    plain = write_lines(tmp_path / "plain.csv", [";".join(H7.strip().split(";")[:6]), *(";".join(c) for c in claims)])
    assert ratio_from_claims(path, year=2027).to_dict() == {**ratio_from_claims(plain, year=2027).to_dict(),
                                                            "files_read": [str(path)]}


def test_a_line_of_lone_crs_is_numbered_as_a_text_editor_numbers_it(tmp_path: Path) -> None:
    """Found by an attack: after a line `\\r\\r\\n` (two empty lines to pyarrow, Excel and an editor) the bad
    line was named one line too early."""
    path = tmp_path / "cr.csv"
    path.write_bytes((H7 + "A;c0;5612;CZ;2025-01-07;V;\n\r\r\nA;c99;5611;CZ;2025-13-01;V;x\n").encode())
    with pytest.raises(InputError, match="regel 5, kolom 'prestatiedatum'") as info:
        ratio_from_claims(path, year=2027)
    assert info.value.row == 5


def test_table_rows_merged_by_a_quote_closed_in_its_own_column_are_refused(tmp_path: Path) -> None:
    """The small tables' side of the middle-column case (INPUTS, the kernwerkgebied list: `read_table`): a
    quote opened in the second of three columns and closed on the next line in that column merged two rows
    into one, with the right number of cells. A remark over lines in that column is read."""
    from toolkit.table_file import read_table

    merged = write_export(tmp_path / "samen.csv", ["naam;opmerking;bedrag", 'Zorg 01;"A;1000', 'Zorg 02;A";2000',
                                                   "Zorg 03;A;1000"])
    with pytest.raises(InputError, match="rij 2: een veld tussen aanhalingstekens loopt over meer regels"):
        read_table(merged, max_bytes=1 << 20, what="invoerbestand")
    remark = write_export(tmp_path / "opmerking.csv", ["naam;opmerking;bedrag", 'Zorg 01;"een\ntwee";1000'])
    assert read_table(remark, max_bytes=1 << 20, what="invoerbestand")[1] == ["Zorg 01", "een\ntwee", "1000"]


@pytest.mark.parametrize("piece", [1 << 24, 40])
@pytest.mark.parametrize("bad", ["A;c9;5611;CZ;2025-03-01;V\n", "A;c9;56\x0011;CZ;2025-03-01;V;x;y\n",
                                 'A;c9;5611;CZ;2025-03-01;V;x"y"z;w\n'])
def test_a_line_ended_by_a_lone_cr_does_not_hide_the_bad_line_after_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, piece: int, bad: str) -> None:
    """Left alone before: a lone CR ends a line for pyarrow (two claim lines, both read), but the search for
    the line pyarrow refused read up to LF only, so it named the CR's line ('los CR-teken') and numbered the
    lines after it one too low. Now the bad line is named, on the line an editor shows it."""
    import toolkit.claims.csv_source as csv_source

    monkeypatch.setattr(csv_source, "CHUNK_BYTES", piece)
    path = tmp_path / "cr.csv"
    path.write_bytes((H7 + "A;c1;5611;CZ;2025-01-01;V;x\rA;c2;5612;CZ;2025-02-01;V;y\n"
                      "A;c3;5613;CZ;2025-02-01;V;\r\n" + bad).encode())
    with pytest.raises(InputError, match=r"regel 5 heeft \d velden, de kopregel 7") as info:
        ratio_from_claims(path, year=2027)
    assert info.value.row == 5


@pytest.mark.parametrize("lines", [['zorgaanbieder;"client', 'nummer";postcode;verzekeraar;prestatiedatum'],
                                   ["sep=;", 'zorgaanbieder;"clientnummer;postcode;verzekeraar;prestatiedatum']])
def test_a_column_name_over_lines_is_named_not_reported_as_missing_columns(tmp_path: Path, lines: list[str]) -> None:
    """Left alone before: a claims header whose quote closes on a later line was read up to its line end, so
    the message listed the columns after the quote as missing. Now the open column name is named."""
    number = 2 if lines[0] == "sep=;" else 1
    path = write_export(tmp_path / "kop.csv", [*lines, "A;c1;5611;CZ;2025-01-01"], bom=False)
    with pytest.raises(InputError, match=rf"regel {number} \(kopregel\): de kolomnaam die begint met '\"client"
                                         r".* wordt op die regel niet gesloten") as info:
        ratio_from_claims(path, year=2027)
    assert info.value.row == number


def test_an_inputs_file_takes_a_column_name_over_lines_as_before(tmp_path: Path) -> None:
    """Found by review: the refusal above, first put in the sniffer, also refused an INPUTS file whose header
    cell holds a line break (Alt+Enter in Excel), which fill read before. The small tables read the header
    with the csv module: the same workbooks as with the name on one line."""
    from toolkit.workbook.fill import fill

    rows = ["Voorbeeldzorg 01;2026;bestaand;4807;2", "Voorbeeldzorg 01;;;4829 DX;2"]
    over = write_export(tmp_path / "over.csv", ['aanbieder;jaar;soort;"post\r\ncodes";clienten', *rows])
    plain = write_export(tmp_path / "plain.csv", ["aanbieder;jaar;soort;postcodes;clienten", *rows])
    assert fill("cz_ratio", over, tmp_path / "a").written == 1
    fill("cz_ratio", plain, tmp_path / "b")
    assert (tmp_path / "a" / "summary.csv").read_bytes() == (tmp_path / "b" / "summary.csv").read_bytes()


def test_a_windows_1252_export_is_refused_naming_the_character_as_a_clerk_sees_it(tmp_path: Path) -> None:
    """Found by a new user: 'byte b'\\xeb'' is Python's notation. The byte in hex and the character it is in
    Windows-1252 (what Excel's plain CSV writes), on the line an editor shows it on (a lone CR ends a line),
    for claims (header and lines, CSV and Parquet), INPUTS and the parameter files."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from toolkit.parameters.files import read_overlay_yaml
    from toolkit.workbook.fill import fill

    def refused(message: str) -> Any:
        return pytest.raises(InputError, match=re.escape(message))

    header = tmp_path / "kop.csv"
    header.write_bytes("Cliëntnummer;Postcode;Verzekeraar;Datum\n1;5611;CZ;14-03-2025\n".encode("cp1252"))
    with refused("regel 1 (kopregel) is geen UTF-8 (byte 0xEB (in Windows-1252: 'ë') op positie 4); sla het "
                 "bestand op als 'CSV UTF-8'"):
        ratio_from_claims(header, year=2027)
    line = tmp_path / "regel.csv"
    line.write_bytes("Clientnummer;Postcode;Verzekeraar;Datum\n1;5611;CZ;14-03-2025\n2;5611;CZ ë;14-03-2025\n"
                     .encode("cp1252"))
    with refused("regel 3 bevat tekens die geen UTF-8 zijn (byte 0xEB (in Windows-1252: 'ë'))"):
        ratio_from_claims(line, year=2027)
    inputs = tmp_path / "invoer.csv"
    inputs.write_bytes('naam;score_vorig_jaar;aanvullend_budget\n"Zorg\rNoord";A;1000\nZorg é;A;1000\n'
                       .encode("cp1252"))
    with refused("regel 4 is geen UTF-8 (byte 0xE9 (in Windows-1252: 'é'))"):
        fill("staffel", inputs, tmp_path / "uit")
    overlay = tmp_path / "p.yaml"
    overlay.write_bytes("# prijsindex 2028\r\n# één\n".encode("cp1252"))
    with refused("regel 2 is geen UTF-8 (byte 0xE9 (in Windows-1252: 'é'))"):
        read_overlay_yaml(overlay)
    parquet = tmp_path / "d.parquet"
    pq.write_table(pa.table({"clientnummer": pa.array([b"1", "Caf\xe9".encode("cp1252")], pa.binary()),
                             "postcode": ["5611", "5611"], "verzekeraar": ["CZ", "CZ"],
                             "prestatiedatum": ["2025-03-14", "2025-03-14"]}), parquet)
    with refused("bevat bytes die geen UTF-8-tekst zijn (byte 0xE9 (in Windows-1252: 'é'))"):
        ratio_from_claims(parquet, year=2027)


def test_rows_of_only_separators_are_passed_over_like_empty_lines(tmp_path: Path) -> None:
    # Excel saves the rows a clerk emptied below a table as `;;;;;;` (and a space typed in a cell stays).
    clean = write_export(tmp_path / "schoon.csv", SYSTEM_ONE)
    blank = write_export(tmp_path / "leeg.csv", [*SYSTEM_ONE[:3], ";;;;;;", *SYSTEM_ONE[3:], ";;;;;;", " ; ;;;;;",
                                                 ";;;;;;"])
    for reading in (ratio_from_claims, production_from_claims):
        year = 2027 if reading is ratio_from_claims else 2025
        before, after = reading(clean, year=year), reading(blank, year=year)
        assert after.to_dict() | {"files_read": None} == before.to_dict() | {"files_read": None}
    with_areas = ratio_from_claims(blank, year=2027, core_areas=["5611"])
    assert with_areas.lines_read == ratio_from_claims(clean, year=2027).lines_read == 5
    # A total under the table: plafond reads the amount and refuses the row (an amount without a claim);
    # ratio, which does not read amounts, passes over it like the rows above.
    total = write_export(tmp_path / "totaal.csv", [*SYSTEM_ONE, ";;;;;;3.379,56"])
    with pytest.raises(InputError, match="regel 7, kolom 'Cliëntnummer': cliënt ontbreekt"):
        production_from_claims(total, year=2025)
    assert ratio_from_claims(total, year=2027).lines_read == 5
    # A row of spaces is no provider either (it made a provider ' ' without a single line).
    spaces = write_export(tmp_path / "spaties.csv", [SYSTEM_ONE[0], " ; ; ; ; ; ; ", *SYSTEM_ONE[1:]])
    assert sorted(ratio_from_claims(spaces, year=2027).providers) == ["01234567", "07654321"]
    # A file of nothing but such rows has no claim lines, like a file of empty lines.
    for name, rows in (("leeg1.csv", [";;;;;;", ";;;;;;"]), ("leeg2.csv", ["", ""])):
        with pytest.raises(InputError, match="geen declaratieregels in"):
            ratio_from_claims(write_export(tmp_path / name, [SYSTEM_ONE[0], *rows]), year=2027)
    result = run_cli("ratio", str(blank), "--jaar", "2027", cwd=tmp_path)
    assert result.returncode == 0 and result.stderr == "", result.stderr


HEADER = "Cliëntnummer;Begindatum prestatie;AGB-code zorgaanbieder;Postcode cliënt;Verzekeraar;Declaratiebedrag"


def monthly_exports(folder: Path, months: list[int], *, provider: str = "01234567", amount: str = "110.000,00") -> None:
    """One export a month, as a clerk collects them; `months` the months that have one."""
    folder.mkdir(exist_ok=True)
    for month in months:
        write_export(folder / f"{provider}-{month:02}.csv",
                     [HEADER, f"C{month:02};15-{month:02}-2027;{provider};4811;CZ;\"{amount}\""])


def test_a_known_month_without_claims_is_said_everywhere_the_forecast_is(tmp_path: Path) -> None:
    # March's export was left out: March counts as € 0, and the forecast says so instead of keeping silent.
    monthly_exports(tmp_path / "exp", [1, 2, 4, 5, 6, 7, 8])
    found = ceiling_from_claims(tmp_path / "exp", ceiling="1.200.000", year=2027)
    (report,) = found.reports
    assert report.production.months_with_lines == (1, 2, 4, 5, 6, 7, 8)
    assert report.forecast.months_known == 8 and report.months_without_claims == (3,)
    assert report.to_dict()["months_without_claims"] == [3]
    assert found.gap_notes() == ["01234567: geen CZ-declaraties in maart 2027; die maand telt als € 0 in de "
                                 "prognose: ontbreekt er een export?"]
    assert found.without_forecast_note() is None
    result = run_cli("plafond", "exp", "--plafond", "1.200.000", "--jaar", "2027", "--rapport", "r.xlsx",
                     cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "let op: 01234567: geen CZ-declaraties in maart 2027; die maand telt als € 0" in result.stderr
    shown = [c for row in openpyxl.load_workbook(tmp_path / "r.xlsx")["Overzicht"].iter_rows(values_only=True)
             for c in row if isinstance(c, str)]
    assert any(c.startswith("Let op: 01234567: geen CZ-declaraties in maart 2027") for c in shown)
    # One stray December line makes every month known: April to November are said, as a run.
    write_export(tmp_path / "exp" / "laat.csv", [HEADER, "C99;15-12-2027;01234567;4811;CZ;\"10,00\""])
    late = ceiling_from_claims(tmp_path / "exp", ceiling="1.200.000", year=2027)
    assert late.reports[0].months_without_claims == (3, 9, 10, 11)
    assert "geen CZ-declaraties in maart en september t/m november 2027; die maanden tellen" in late.gap_notes()[0]
    # Every month there: nothing to say; a month whose lines add up to € 0 (a credit) has claims.
    monthly_exports(tmp_path / "vol", [1, 2, 3])
    write_export(tmp_path / "vol" / "credit.csv", [HEADER, "C01;16-02-2027;01234567;4811;CZ;\"-110.000,00\""])
    whole = ceiling_from_claims(tmp_path / "vol", ceiling="1.200.000", year=2027)
    assert whole.reports[0].production.monthly[1] == 0 and whole.gap_notes() == []


def test_a_month_of_more_credit_than_claims_is_named_and_leaves_the_others_their_forecast(tmp_path: Path) -> None:
    # Credits that outweigh a month's claims happen (a correction of earlier months). The rule forecasts from
    # production per month, never negative: that provider gets no forecast, named with the month; the others do.
    path = write_export(tmp_path / "neg.csv", [
        HEADER, "A1;14-03-2027;A;4811;CZ;100,00", "A1;14-04-2027;A;4811;CZ;-300,00",
        "B1;14-03-2027;B;4811;CZ;100,00", "B1;14-04-2027;B;4811;CZ;300,00"])
    found = ceiling_from_claims(path, ceiling="1.000", year=2027)
    assert [r.provider for r in found.reports] == ["B"] and found.without_forecast == ("A",)
    said = ("A: de CZ-declaraties van april 2027 zijn per saldo € -300,00 (meer gecrediteerd dan gedeclareerd), dus "
            "geen prognose: die rekent met de productie per maand, en die is niet negatief; controleer de creditering "
            "van die maand")
    assert found.notes()[-1] == said
    result = run_cli("plafond", "neg.csv", "--plafond", "1.000", "--jaar", "2027", cwd=tmp_path)
    assert result.returncode == 0 and f"let op: {said}" in result.stderr and "Traceback" not in result.stderr
    as_json = json.loads(run_cli("plafond", "neg.csv", "--plafond", "1.000", "--jaar", "2027", "--json",
                                 cwd=tmp_path).stdout)
    assert as_json[0]["providers_without_forecast"] == ["A"]
    assert as_json[0]["net_negative_months"] == [{"provider": "A", "year": 2027, "month": 4, "amount": "-300.00"}]
    # Only that provider: refused with the same words, in Dutch (not the rule's internal field name).
    alone = run_cli("plafond", "neg.csv", "--plafond", "1.000", "--jaar", "2027", "--agb", "A", cwd=tmp_path)
    assert alone.returncode == 1 and "monthly_production" not in alone.stderr
    assert alone.stderr.strip() == f"fout: {said}"
    # Last year's month of more credit than claims, the seasonal profile: named likewise (not the rule's field).
    write_export(tmp_path / "vorig.csv", [HEADER, *(f"{p}1;14-{m:02}-2026;{p};4811;CZ;100,00" for m in range(1, 13)
                                                    for p in "AB"), "A1;20-04-2026;A;4811;CZ;-700,00"])
    seasonal = run_cli("plafond", "neg.csv", "--plafond", "1.000", "--jaar", "2027", "--vorig-jaar", "vorig.csv",
                       "--methode", "seizoen", "--agb", "B", cwd=tmp_path)
    assert seasonal.returncode == 0, seasonal.stderr
    both = ceiling_from_claims(tmp_path / "neg.csv", ceiling="1.000", year=2027, last_year=tmp_path / "vorig.csv",
                               method="seasonal")
    assert [r.provider for r in both.reports] == ["B"] and both.without_forecast == ("A",)
    assert both.notes()[-1].startswith("A: de CZ-declaraties van april 2027 zijn per saldo € -300,00")
    write_export(tmp_path / "neg.csv", [HEADER, "A1;14-03-2027;A;4811;CZ;100,00", "B1;14-03-2027;B;4811;CZ;100,00"])
    profile = ceiling_from_claims(tmp_path / "neg.csv", ceiling="1.000", year=2027, last_year=tmp_path / "vorig.csv",
                                  method="seasonal")
    assert [r.provider for r in profile.reports] == ["B"]
    assert profile.notes()[-1].startswith("A: de CZ-declaraties van vorig jaar (--vorig-jaar) van april 2026 zijn per "
                                          "saldo € -600,00")


def test_a_provider_without_claims_in_the_year_leaves_the_others_their_forecast(tmp_path: Path) -> None:
    path = write_export(tmp_path / "pl.csv", [
        HEADER, "A1;15-01-2027;A;4811;CZ;100.000", "B1;15-02-2027;B;4811;Zilveren Kruis;5.000",
        "C1;15-12-2026;C;4811;CZ;5.000"])
    found = ceiling_from_claims(path, ceiling="1.200.000", year=2027)
    assert [r.provider for r in found.reports] == ["A"] and found.without_production == ("B", "C")
    assert found.without_forecast_note() == "geen CZ-declaraties in 2027, dus geen prognose: B, C"
    result = run_cli("plafond", "pl.csv", "--plafond", "1.200.000", "--jaar", "2027", cwd=tmp_path)
    assert result.returncode == 0 and "let op: geen CZ-declaraties in 2027, dus geen prognose: B, C" in result.stderr
    # Named when eleven other providers each have a month without claims too, and in the JSON.
    many = [f"P{i}-{m};15-{m:02}-2027;P{i:02};4811;CZ;1.000" for i in range(11) for m in (1, 3)]
    write_export(tmp_path / "veel.csv", [HEADER, *many, "Z1;15-02-2027;ZZ;4811;Zilveren Kruis;5"])
    crowded = run_cli("plafond", "veel.csv", "--plafond", "1.200.000", "--jaar", "2027", cwd=tmp_path)
    assert "let op: en nog 1 melding over maanden (--json: months_without_claims, months_not_counted)" in crowded.stderr
    assert "let op: geen CZ-declaraties in 2027, dus geen prognose: ZZ" in crowded.stderr
    as_json = run_cli("plafond", "veel.csv", "--plafond", "1.200.000", "--jaar", "2027", "--json", cwd=tmp_path)
    assert all(entry["providers_without_forecast"] == ["ZZ"] for entry in json.loads(as_json.stdout))
    # One provider asked for, or no provider with a line in the year: refused as before, naming it.
    with pytest.raises(InputError, match="B: geen CZ-declaraties in 2027"):
        ceiling_from_claims(path, ceiling="1.200.000", year=2027, only_provider="B")
    only_other = write_export(tmp_path / "zk.csv", [HEADER, "B1;15-02-2027;B;4811;Zilveren Kruis;5.000",
                                                    "D1;15-03-2027;D;4811;Zilveren Kruis;5.000"])
    with pytest.raises(InputError, match="B: geen CZ-declaraties in 2027"):
        ceiling_from_claims(only_other, ceiling="1.200.000", year=2027)


def test_last_years_profile_of_nothing_names_the_option_and_the_provider(tmp_path: Path) -> None:
    write_export(tmp_path / "pl.csv", [HEADER, "C01;15-01-2027;A;4811;CZ;110.000,00"])
    write_export(tmp_path / "vj.csv", [HEADER, "C01;15-10-2026;A;4811;CZ;110.000,00"])
    result = run_cli("plafond", "pl.csv", "--plafond", "1.200.000", "--jaar", "2027", "--vorig-jaar", "vj.csv",
                     "--methode", "seizoen", cwd=tmp_path)
    assert result.returncode == 1 and result.stderr.startswith(
        "fout: --vorig-jaar: vorig jaar is de productie van de eerste maand 0;"), result.stderr
    assert result.stderr.rstrip().endswith("(zorgaanbieder A)") and "last_year" not in result.stderr


def test_a_provider_without_cz_clients_gets_no_number_of_clients_needed(tmp_path: Path) -> None:
    write_export(tmp_path / "r.csv", [HEADER, "A1;15-01-2025;A;4811;CZ;100,00",
                                      "B1;15-02-2025;B;4811;Zilveren Kruis;5,00"])
    result = run_cli("ratio", "r.csv", "--jaar", "2027", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    row = next(line for line in result.stdout.splitlines() if line.strip().startswith("B "))
    assert row.split()[1:] == ["0", "0", "-", "3", "nee", "-"]  # not "0 extra nodig" beside "nee"
    assert "Geen CZ-cliënten in 2025, dus geen ratio: B." in result.stdout


def test_provider_codes_that_differ_only_in_leading_zeros_are_said(tmp_path: Path) -> None:
    # January from the declaration system (text), February from a workbook that kept the AGB code as a number.
    write_export(tmp_path / "jan.csv", [HEADER, "C01;15-01-2025;01234567;4811;CZ;110,00"])
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER.split(";"))
    sheet.append(["C02", "15-02-2025", 1234567, "4811", "CZ", 110])
    book.save(tmp_path / "feb.xlsx")
    report = ratio_from_claims(tmp_path, year=2027)
    assert sorted(report.providers) == ["01234567", "1234567"]  # counted as the data has them, not guessed
    (note,) = [note for _, note in report.file_notes]
    assert note.startswith("de zorgaanbieders '01234567' en '1234567' verschillen alleen in voorloopnullen")
    assert report.to_dict()["file_notes"][0]["note"] == note
    result = run_cli("ratio", ".", "--jaar", "2027", cwd=tmp_path)
    assert result.returncode == 0 and "'01234567' en '1234567' verschillen alleen in voorloopnullen" in result.stderr
    # Codes that differ in more than zeros, or are no numbers, say nothing.
    write_export(tmp_path / "feb.csv", [HEADER, "C02;15-02-2025;1234568;4811;CZ;110,00",
                                        "C03;15-02-2025;A01;4811;CZ;1,00", "C04;15-02-2025;A1;4811;CZ;1,00"])
    (tmp_path / "feb.xlsx").unlink()
    assert ratio_from_claims(tmp_path, year=2027).file_notes == ()


def test_client_numbers_held_as_numbers_next_to_ones_with_a_leading_zero_are_said(tmp_path: Path) -> None:
    # January from the declaration system (text, with the 0), February from a workbook that kept the client
    # number as a number: 012345 became 12345, and the same client counts twice. Said, not guessed.
    write_export(tmp_path / "jan.csv", [HEADER, "012345;15-01-2025;A;4811;CZ;110,00",
                                        "012346;15-01-2025;A;4811;CZ;110,00"])
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER.split(";"))
    sheet.append([12345, "15-02-2025", "A", "4811", "CZ", 110])
    sheet.append(["C9", "15-02-2025", "A", "4811", "CZ", 110])
    book.save(tmp_path / "feb.xlsx")
    report = ratio_from_claims(tmp_path, year=2027)
    assert report.providers["A"].clients == 4  # counted as the data has them
    (note,) = [note for _, note in report.file_notes]
    assert note == ("1 regel heeft een cliëntnummer dat als getal was opgeslagen (een voorloopnul is dan weg: 012345 "
                    "werd 12345) en 2 regels een cliëntnummer dat met een 0 begint: dezelfde cliënt kan zo twee keer "
                    "tellen; sla de cliëntnummers overal als tekst op")
    result = run_cli("ratio", ".", "--jaar", "2027", cwd=tmp_path)
    assert result.returncode == 0 and "dezelfde cliënt kan zo twee keer tellen" in result.stderr
    # The same from a Parquet file with an integer column of client numbers.
    import pyarrow as pa
    import pyarrow.parquet as pq

    (tmp_path / "feb.xlsx").unlink()
    pq.write_table(pa.table({"Clientnummer": pa.array([12345, 12346], pa.int64()),
                             "Begindatum": ["2025-02-15"] * 2, "AGB": ["A"] * 2, "Postcode": ["4811"] * 2,
                             "Verzekeraar": ["CZ"] * 2}), tmp_path / "feb.parquet")
    assert [note for _, note in ratio_from_claims(tmp_path, year=2027).file_notes] == [
        note.replace("1 regel heeft", "2 regels hebben")]
    # A DataFrame of mixed cells, as `pandas.read_excel` makes of such a column: the same.
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"Clientnummer": [12345, "012345", "C3"], "Postcode": ["5611"] * 3,
                          "Verzekeraar": ["CZ"] * 3, "Begindatum": ["2025-01-01"] * 3})
    assert [note for _, note in ratio_from_claims(frame, year=2027).file_notes] == [
        note.replace("2 regels een", "1 regel een")]
    # Numbers alone (a workbook of its own), or ids with a 0 alone, say nothing: nothing to be two of.
    (tmp_path / "jan.csv").unlink()
    assert ratio_from_claims(tmp_path, year=2027).file_notes == ()
    (tmp_path / "feb.parquet").unlink()
    write_export(tmp_path / "jan.csv", [HEADER, "012345;15-01-2025;A;4811;CZ;110,00", "0;15-01-2025;A;4811;CZ;1,00"])
    assert ratio_from_claims(tmp_path, year=2027).file_notes == ()


def test_spaces_around_a_client_or_provider_do_not_make_another(tmp_path: Path) -> None:
    # A padded fixed-width export, or a space typed after the number: 'C03 ' is client C03 to a reader.
    lines = ["C01;15-01-2025;A ;4811;CZ;1,00", "C02;15-01-2025;A;4812;CZ;1,00", "C03 ;15-01-2025;\u00a0A;4812;CZ;1,00",
             "\tC03;15-01-2025;A;4812;CZ;1,00", "C04\u3000;15-01-2025;A;4812;CZ;1,00", "C04;15-01-2025;A;4812;CZ;1,00",
             "Cà;15-01-2025;A;4812;CZ;1,00", "Cà ;15-01-2025;A;4812;CZ;1,00"]
    write_export(tmp_path / "r.csv", [HEADER, *lines])
    report = ratio_from_claims(tmp_path / "r.csv", year=2027)
    assert list(report.providers) == ["A"] and report.clients == 5 and report.areas == 2
    # The same from Parquet, the provider dictionary-encoded (trimmed once per distinct value).
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table({"client_id": ["C01", "C01 ", " C02"], "postcode": ["4811"] * 3, "insurer": ["CZ"] * 3,
                      "date": ["2025-01-15"] * 3,
                      "provider": pa.array(["A", "A ", "B"]).dictionary_encode()})
    pq.write_table(table, tmp_path / "r.parquet")
    from_parquet = ratio_from_claims(tmp_path / "r.parquet", year=2027)
    assert {name: r.clients for name, r in from_parquet.providers.items()} == {"A": 1, "B": 1}


def test_a_formula_saved_without_its_result_in_a_claims_workbook_is_named(tmp_path: Path) -> None:
    # A script's workbook (openpyxl) keeps formulas without results: the cell reads empty, and was taken for
    # a missing client or amount. It is refused naming the cell, as every small table of the toolkit is.
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER.split(";"))
    sheet.append(["C01", "15-02-2027", "A", "4811", "CZ", 110])
    sheet.append(["C02", "15-02-2027", "A", "4811", "CZ", "=F2*1.1"])
    book.save(tmp_path / "f.xlsx")
    for reading in (ratio_from_claims, production_from_claims):
        with pytest.raises(InputError, match=r"f\.xlsx: cel F3 heeft een formule zonder opgeslagen uitkomst"):
            reading(tmp_path / "f.xlsx", year=2027)
    result = run_cli("plafond", "f.xlsx", "--plafond", "1.200.000", "--jaar", "2027", cwd=tmp_path)
    assert result.returncode == 1 and "cel F3 heeft een formule zonder opgeslagen uitkomst" in result.stderr
    # A formula with its result saved (as Excel and LibreOffice save it) is read as that value.
    with zipfile.ZipFile(tmp_path / "f.xlsx") as source, zipfile.ZipFile(tmp_path / "v.xlsx", "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<f>F2*1.1</f><v />", b"<f>F2*1.1</f><v>121</v>")
                assert b"<v>121</v>" in data
            target.writestr(item, data)
    assert production_from_claims(tmp_path / "v.xlsx", year=2027).monthly[1] == Decimal("231.00")


def test_an_error_value_in_a_claims_workbook_is_named_not_read_as_empty(tmp_path: Path) -> None:
    # Calamine reads a cell of #N/A as empty: a postcode was then "postcode ontbreekt", and a care type of #N/A
    # was no kindzorg. Refused naming row, column and the value as a Dutch Excel shows it; an error in a column
    # that is not read (a helper column's lookup) stays unread.
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Cliëntnummer", "Begindatum prestatie", "AGB-code zorgaanbieder", "Postcode cliënt", "Verzekeraar",
                  "Zorgsoort", "Declaratiebedrag", "Controle"])
    for i in range(4):
        sheet.append([f"C0{i}", "15-02-2025", "A", "4811", "CZ", "Verpleging", 110, "#N/A"])
        sheet.cell(row=i + 2, column=8).data_type = "e"
    book.save(tmp_path / "ok.xlsx")
    assert ratio_from_claims(tmp_path / "ok.xlsx", year=2027).clients == 4
    for cell, value, column, shown in (("D3", "#N/A", "Postcode cliënt", "#N/B"), ("F5", "#N/A", "Zorgsoort", "#N/B"),
                                       ("G4", "#DIV/0!", "Declaratiebedrag", "#DEEL/0!")):
        book = openpyxl.load_workbook(tmp_path / "ok.xlsx")
        book.active[cell] = value
        book.active[cell].data_type = "e"
        path = tmp_path / f"{cell}.xlsx"
        book.save(path)
        message = (f"{path}: rij {cell[1]}, kolom '{column}': de cel geeft de foutwaarde {shown}; typ een waarde of "
                   "maak de cel leeg")
        for reading in (ratio_from_claims, production_from_claims):
            if reading is ratio_from_claims and column == "Declaratiebedrag":  # (the ratio reads no amounts)
                assert ratio_from_claims(path, year=2027).clients == 4
                continue
            with pytest.raises(InputError) as info:
                reading(path, year=2027 if reading is ratio_from_claims else 2025)
            assert str(info.value) == message
            assert (info.value.row, info.value.value) == (int(cell[1]), value)
    result = run_cli("plafond", "D3.xlsx", "--plafond", "1.200.000", "--jaar", "2027", cwd=tmp_path)
    assert result.returncode == 1 and result.stderr == ("fout: D3.xlsx: rij 3, kolom 'Postcode cliënt': de cel geeft "
                                                        "de foutwaarde #N/B; typ een waarde of maak de cel leeg\n")


@pytest.mark.parametrize(("xml", "found"), [
    (b'<row r="2"><c r="B2" t="e"><v>#N/A</v></c></row>', (2, 1, "#N/A")),
    (b"<row r='2'><c r='AB2' t = 'e'><v>#REF!</v></c></row>", (2, 27, "#REF!")),
    (b'<x:row><x:c><x:v>1</x:v></x:c><x:c t="e"><x:v>#N/A</x:v></x:c></x:row>', (1, 1, "#N/A")),  # no `r`
    (b'<row r="1"><c r="B1" t="e"><v>#N/A</v></c></row>', None),  # above the first row asked for
    (b'<row r="2"><c r="C2" t="e"><v>#N/A</v></c></row>', None),  # a column not asked for
    (b'<row r="2"><c r="B2" t="str"><v>#N/A</v></c></row>', None),  # the text #N/A
    (b'<!-- <row r="2"><c r="B2" t="e"><v>#N/A</v></c></row> -->', None),
])
def test_error_cells_are_found_as_a_spreadsheet_reads_the_xml(xml: bytes, found: tuple[int, int, str] | None) -> None:
    import io

    from toolkit.table_file import first_error_cell, sheet_marks

    sheet = b'<worksheet xmlns:x="urn:x" xmlns="urn:x"><sheetData>' + xml + b"</sheetData></worksheet>"
    assert first_error_cell(io.BytesIO(sheet), {1, 27}, 2 if b"B1" in xml else 1) == found
    assert sheet_marks(io.BytesIO(sheet)).may_hold_errors is (b"'e'" in xml or b'"e"' in xml)


def test_the_formula_search_finds_a_tag_across_its_pieces() -> None:
    import io

    from toolkit.table_file import sheet_marks

    for cut in range(1, 4):  # a tag at the 1 MB piece boundary
        xml = b"<c>" + b"x" * ((1 << 20) - 3 - cut) + b"<f>1+1</f>"
        assert sheet_marks(io.BytesIO(xml)).may_hold_formulas
    plain = sheet_marks(io.BytesIO(b'<c r="A1" t="s"><v>0</v></c>' * 100_000))
    assert not plain.may_hold_formulas and not plain.may_hide_rows
    assert sheet_marks(io.BytesIO(b'<x:c r="A1"><x:f t="shared" si="0"/></x:c>')).may_hold_formulas


def test_every_character_the_trim_removes_is_seen_by_the_byte_test() -> None:
    # Whether a batch is trimmed must not depend on its other lines: every white-space character pyarrow's trim
    # removes has its first and last UTF-8 bytes in the tables the byte test looks at.
    import pyarrow as pa
    import pyarrow.compute as pc

    from toolkit.claims.lines import _FIRST_SPACE_BYTES, _LAST_SPACE_BYTES, _may_have_spaces

    characters = [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    trimmed = pc.utf8_trim_whitespace(pa.array(characters)).to_pylist()
    spaces = [c for c, t in zip(characters, trimmed, strict=True) if t == ""]
    assert len(spaces) > 20
    for space in spaces:
        encoded = space.encode()
        assert _FIRST_SPACE_BYTES[encoded[0]] and _LAST_SPACE_BYTES[encoded[-1]], hex(ord(space))
        assert _may_have_spaces(pa.array(["C1", f"C1{space}", "C2"]))
        assert _may_have_spaces(pa.array(["C1", f"{space}C1", "C2"]))
    assert not _may_have_spaces(pa.array(["C1", "C2", "Cö", "00123"]))


def test_a_workbook_date_column_with_times_and_days_is_read_by_its_days(tmp_path: Path) -> None:
    # A reader gives a cell with a time (09:30) as a datetime and one at midnight as a date: one column of days.
    import datetime as dt

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Cliëntnummer", "Postcode", "Verzekeraar", "Datum"])
    sheet.append(["C1", "5611", "CZ", dt.datetime(2025, 3, 14, 9, 30)])
    sheet.append(["C2", "5611", "CZ", dt.datetime(2025, 3, 14)])
    sheet.append(["C3", "5611", "CZ", dt.datetime(2024, 12, 31, 23, 59)])  # the day counts, not the time
    book.save(tmp_path / "t.xlsx")
    report = ratio_from_claims(tmp_path / "t.xlsx", year=2027)
    assert (report.clients, report.areas) == (2, 1)
    assert report.to_dict()["lines_other_years"] == 1


def test_a_file_that_changes_while_it_is_read_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # An export still being written: the reader reached the end at '…;1' of '…;12.500,00'. Whatever it read
    # last may be a cut line, read as a whole one.
    import toolkit.claims.csv_source as csv_source

    path = write_export(tmp_path / "groeit.csv", [HEADER, *(f"C{i};15-01-2025;A;4811;CZ;1,00" for i in range(50))])
    monkeypatch.setattr(csv_source, "CHUNK_BYTES", 256)
    cut = csv_source._cut

    def cut_and_append(*args: Any) -> Any:
        with path.open("ab") as handle:  # another program writes on while the first pieces are read
            handle.write(b"C99;15-01-2025;A;4811;CZ;1")
        monkeypatch.setattr(csv_source, "_cut", cut)
        return cut(*args)

    monkeypatch.setattr(csv_source, "_cut", cut_and_append)
    with pytest.raises(InputError, match="het bestand veranderde tijdens het lezen"):
        ratio_from_claims(path, year=2027)
    # Read again once it is complete: read as usual.
    assert ratio_from_claims(path, year=2027).clients == 51
    # A new time without a new byte (`touch`, a sync program) is no change.
    import os

    def cut_and_touch(*args: Any) -> Any:
        os.utime(path, (1, 1))
        monkeypatch.setattr(csv_source, "_cut", cut)
        return cut(*args)

    monkeypatch.setattr(csv_source, "_cut", cut_and_touch)
    assert ratio_from_claims(path, year=2027).clients == 51


def test_title_lines_above_the_header_are_said_in_one_short_line(tmp_path: Path) -> None:
    # An export with a title above its header: not a list of the columns the title line lacks.
    csv_path = tmp_path / "titel.csv"
    csv_path.write_text("Declaraties januari 2025;;;;\nExport van 3-2-2025\n"
                        "AGB;Clientnummer;Postcode;Verzekeraar;Begindatum\nA;c1;5611;CZ;2025-01-01\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        ratio_from_claims(csv_path, year=2027)
    assert info.value.message == (f"{csv_path}: de kolomnamen staan op regel 3, niet op regel 1: verwijder regels 1 "
                                  "t/m 2 (een titel?), zodat de kolomnamen bovenaan staan")
    assert info.value.row == 3
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Declaraties 2025"])
    sheet.merge_cells("A1:E1")
    sheet.append(["AGB", "Clientnummer", "Postcode", "Verzekeraar", "Begindatum"])
    sheet.append(["A", "c1", "5611", "CZ", "2025-01-01"])
    book.save(tmp_path / "titel.xlsx")
    with pytest.raises(InputError, match=r"titel.xlsx: de kolomnamen staan op rij 2, niet op rij 1: verwijder rij 1 "):
        ratio_from_claims(tmp_path / "titel.xlsx", year=2027)
    # The columns below lines of data (a first header with a misspelt column): nothing to remove, the usual words.
    csv_path.write_text("AGB;Clientnummer;pc;Verzekeraar;Begindatum\nA;c1;5611;CZ;2025-01-01\n"
                        "AGB;Clientnummer;Postcode;Verzekeraar;Begindatum\nA;c2;5611;CZ;2025-01-01\n", encoding="utf-8")
    with pytest.raises(InputError, match="1 kolom ontbreekt: postcode"):
        ratio_from_claims(csv_path, year=2027)
    # A title line holding a line separator of Unicode (U+2028) is one line, as an editor numbers them.
    csv_path.write_text("Declaraties\u2028januari\nAGB;Clientnummer;Postcode;Verzekeraar;Begindatum\n"
                        "A;c1;5611;CZ;2025-01-01\n", encoding="utf-8")
    with pytest.raises(InputError, match="de kolomnamen staan op regel 2, niet op regel 1: verwijder regel 1 "):
        ratio_from_claims(csv_path, year=2027)
    # No line below with the columns: the list of what is missing, as before.
    csv_path.write_text("Declaraties januari 2025;;;;\nA;c1;5611;CZ;2025-01-01\n", encoding="utf-8")
    with pytest.raises(InputError, match="kolommen ontbreken"):
        ratio_from_claims(csv_path, year=2027)


@pytest.mark.parametrize(("last", "said"), [
    ("Totaal;;;;;37,50", "regel 4, kolom 'Clientnummer': dit lijkt een totaalregel ('Totaal'), geen declaratie; "
                         "verwijder hem uit de export"),
    (";Eindtotaal;;;;37,50", "regel 4, kolom 'Postcode': dit lijkt een totaalregel ('Eindtotaal')"),
    ("AGB;Clientnummer;Postcode;Verzekeraar;Begindatum;Bedrag", "regel 4, kolom 'Postcode': deze regel herhaalt de "
                                                               "kopregel (twee exports aan elkaar geplakt?); "
                                                               "verwijder hem"),
    ("A;Totaalzorg BV;5611;CZ;2025-13-01;1", "regel 4, kolom 'Begindatum': datum '2025-13-01' is geen geldige datum"),
    ("Totaal Thuiszorg BV;c3;XXXX;CZ;2025-01-01;1", "regel 4, kolom 'Postcode': postcode 'XXXX' is geen geldige PC4"),
    ("Totaal;c3;XXXX;CZ;2025-01-01;1", "regel 4, kolom 'Postcode': postcode 'XXXX' is geen geldige PC4"),  # a client
])
def test_a_totals_row_or_a_repeated_header_is_said_for_what_it_is(tmp_path: Path, last: str, said: str) -> None:
    path = tmp_path / "e.csv"
    path.write_text("AGB;Clientnummer;Postcode;Verzekeraar;Begindatum;Bedrag\nA;c1;5611;CZ;2025-01-01;12,50\n"
                    f"A;c2;5611;CZ;2025-01-01;25,00\n{last}\n", encoding="utf-8")
    with pytest.raises(InputError, match=re.escape(f"{path}: {said}")):
        ratio_from_claims(path, year=2027)


def test_small_words_a_clerk_reads(tmp_path: Path) -> None:
    # A broken link in a folder is skipped for what it is; one field is 'veld'; a damaged Parquet file is said
    # in Dutch, without the reader's English.
    folder = tmp_path / "map"
    folder.mkdir()
    write_export(folder / "a.csv", [HEADER, "C01;15-01-2025;A;4811;CZ;1,00"])
    (folder / "weg.csv").symlink_to(tmp_path / "bestaat-niet.csv")
    report = ratio_from_claims(folder, year=2027)
    assert (str(folder / "weg.csv"), "koppeling naar een bestand dat er niet (meer) is") in report.files_skipped
    write_export(tmp_path / "kort.csv", [HEADER, "C01;15-01-2025;A;4811;CZ;1,00", "C02"])
    with pytest.raises(InputError, match="regel 3 heeft 1 veld, de kopregel 6"):
        ratio_from_claims(tmp_path / "kort.csv", year=2027)
    (tmp_path / "kapot.parquet").write_bytes(b"PAR1 dit is geen parquet")
    with pytest.raises(InputError) as info:
        ratio_from_claims(tmp_path / "kapot.parquet", year=2027)
    assert info.value.message.endswith("geen leesbaar Parquet-bestand (beschadigd, onvolledig of geen Parquet); "
                                       "exporteer het opnieuw")


def test_an_excel_date_number_is_said_for_what_it_is(tmp_path: Path) -> None:
    # A date column exported without its date format: 45730 is 14-03-2025 to Excel, and no date to a reader.
    path = write_export(tmp_path / "s.csv", [HEADER, "C01;45730;A;4811;CZ;1,00"])
    with pytest.raises(InputError, match=re.escape("datum '45730' is geen datum maar een Excel-datumgetal (dat is "
                                                   "14-03-2025); geef de kolom in Excel de opmaak datum")):
        ratio_from_claims(path, year=2027)
    write_export(path, [HEADER, "C01;1234;A;4811;CZ;1,00"])  # no serial of these years: the usual words
    with pytest.raises(InputError, match=re.escape("datum '1234' is geen geldige datum")):
        ratio_from_claims(path, year=2027)


def test_claims_after_the_months_given_as_known_are_said_not_to_count(tmp_path: Path) -> None:
    """Found by a helper: with --maanden 2, March's claims were replaced by the projection without a word."""
    path = write_export(tmp_path / "drie.csv", [HEADER, "A1;14-01-2027;A;4811;CZ;100,00",
                                                "A1;14-02-2027;A;4811;CZ;100,00", "A1;14-03-2027;A;4811;CZ;5.000,00"])
    found = ceiling_from_claims(path, ceiling="10.000", year=2027, months=2)
    (report,) = found.reports
    assert report.months_not_counted == (3,) and report.to_dict()["months_not_counted"] == [3]
    said = ("A: de declaraties van maart 2027 (€ 5.000,00) tellen niet mee: de prognose rekent met 2 bekende "
            "maanden en trekt die door")
    assert found.gap_notes() == [said]
    result = run_cli("plafond", "drie.csv", "--plafond", "10.000", "--jaar", "2027", "--maanden", "2", cwd=tmp_path)
    assert result.returncode == 0 and f"let op: {said}" in result.stderr, result.stderr
    assert ceiling_from_claims(path, ceiling="10.000", year=2027).gap_notes() == []  # all three known: nothing
    # Twelve months known: nothing is projected, and the table does not say it is (found by the same helper).
    whole = run_cli("plafond", "drie.csv", "--plafond", "10.000", "--jaar", "2027", "--maanden", "12", cwd=tmp_path)
    assert whole.returncode == 0 and "Per maand: bekend" in whole.stdout and "doorgetrokken" not in whole.stdout


def test_a_provider_missing_from_last_years_claims_leaves_the_others_their_seasonal_forecast(tmp_path: Path) -> None:
    """Found by a helper: one provider without last year's claims stopped the whole --vorig-jaar run."""
    write_export(tmp_path / "nu.csv", [HEADER, *(f"{p}1;14-0{m}-2027;{p};4811;CZ;100,00" for m in (1, 2, 3)
                                                 for p in "AB")])
    write_export(tmp_path / "vorig.csv", [HEADER, *(f"A1;14-{m:02}-2026;A;4811;CZ;100,00" for m in range(1, 13))])
    found = ceiling_from_claims(tmp_path / "nu.csv", ceiling="10.000", year=2027, last_year=tmp_path / "vorig.csv",
                                method="seasonal")
    assert [r.provider for r in found.reports] == ["A"] and found.without_forecast == ("B",)
    said = ("B komt niet voor in de declaraties van vorig jaar (--vorig-jaar), dus geen seizoensprognose; geef --agb B "
            "--methode lineair voor een lineaire")
    assert found.notes()[-1] == said
    result = run_cli("plafond", "nu.csv", "--plafond", "10.000", "--jaar", "2027", "--vorig-jaar", "vorig.csv",
                     "--methode", "seizoen", "--json", cwd=tmp_path)
    assert result.returncode == 0 and f"let op: {said}" in result.stderr, result.stderr
    assert json.loads(result.stdout)[0]["providers_without_forecast"] == ["B"]
    # That provider alone: refused, as before.
    alone = run_cli("plafond", "nu.csv", "--plafond", "10.000", "--jaar", "2027", "--vorig-jaar", "vorig.csv",
                    "--methode", "seizoen", "--agb", "B", cwd=tmp_path)
    assert alone.returncode == 1 and "B komt niet voor in de declaraties van vorig jaar" in alone.stderr
