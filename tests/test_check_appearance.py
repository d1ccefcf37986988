"""`zorginkoop check`: the forms programs save the same thing in (equivalence.py) are equal, and nothing
else; print areas may end earlier, names are compared exactly at every scope."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from future_template import future_template
from openpyxl import load_workbook
from openpyxl.styles.colors import Color
from openpyxl.workbook.defined_name import DefinedName

from toolkit.errors import show_value
from toolkit.workbook.check import compare_workbooks
from toolkit.workbook.equivalence import (
    is_date_format,
    number_format_key,
    resolve_colour,
    same_formula,
    theme_colours,
)


@pytest.mark.parametrize(("template", "saved"), [
    ('=IF(B8=TRUE,"voldoet","")', '=IF(B8=TRUE(),"voldoet","")'),  # LibreOffice
    ("='Invoer'!$B$4", "=Invoer!$B$4"),
    ("=1E-9+0.5", "=0.000000001+.5"),
    ("=if(a1>0, sum(b1:b3), 0)", "=IF(A1>0,SUM(B1:B3),0)"),  # Excel writes its own case and spacing
    ("=STDEV.S(A1:A3)", "=_xlfn.STDEV.S(A1:A3)"),
    ("='Sheet''s'!A1", "='Sheet''s'!A1"),
])
def test_formulas_as_programs_save_them_are_the_same(template: str, saved: str) -> None:
    assert same_formula(template, saved)


@pytest.mark.parametrize(("template", "found"), [
    ("=calc_fout", "=_xlfn.calc_fout"),  # a reader sees #NAAM?
    ("=in_plafond*2", "=ın_plafond*2"),  # a dotless ı is no i
    ('=IF(A1,"x y")', '=IF(A1,"X Y")'),  # text is exact
    ("=$B$4", "=B4"),
    ("=SUM(A1:A3,B2:C2)", "=SUM(A1:A3 B2:C2)"),  # a comma is no intersection
    ("=TRUE", "=1"),
    ("=A1", "=A1+0"),
])
def test_other_formulas_differ(template: str, found: str) -> None:
    assert not same_formula(template, found)


@pytest.mark.parametrize(("template", "saved"), [
    ('"€" #,##0.00', '"€ "#,##0.00'),  # LibreOffice merges and quotes literals
    ("€ #,##0.00", '"€ "#,##0.00'),
    ("d-m-yyyy", "d\\-m\\-yyyy"),
    ("[Red]0.00", "[RED]0.00"),
    ('_-"€" * #,##0.00_-', '_-"€ "* #,##0.00_-'),
    ("[$€-413] #,##0.00", "[$€-413]\\ #,##0.00"),
    ("General", "GENERAL"),
    ("d-m-yyyy", "d/m/yyyy"),  # LibreOffice in nl-NL: `/` is the locale's date separator, a `-` there
    ("dd-mm-yyyy", "dd/mm/yyyy"),
    ("d-m-yyyy;;", "d/m/yyyy;;;"),
])
def test_number_formats_as_programs_save_them_are_the_same(template: str, saved: str) -> None:
    assert number_format_key(template) == number_format_key(saved)


@pytest.mark.parametrize(("template", "found"), [
    ('"€" #,##0.00', ";;;"),
    ('"€" #,##0.00', '"€ 999.999,99"'),
    ('"€" #,##0.00', '"€" #,##0'),
    ("0.00%", "0.00"),
    ("[Red]0.00", "[Blue]0.00"),
    ("General", '"voldoet";"voldoet";"voldoet"'),
    ("[$€-413] #,##0.00", "[$$-409] #,##0.00"),
    ("# ?-?", "# ?/?"),  # a fraction's / is no date separator
    ("d-m-yyyy", "d.m.yyyy"),
    ("d-m-yyyy", "m/d/yyyy"),
])
def test_other_number_formats_differ(template: str, found: str) -> None:
    assert number_format_key(template) != number_format_key(found)


def test_date_formats() -> None:
    assert is_date_format("d\\-m\\-yyyy") and is_date_format("dd-mm-yyyy") and is_date_format("[$-413]d mmmm yyyy")
    assert is_date_format("d/m/yyyy")
    assert not is_date_format("0.00") and not is_date_format('"voldoet"') and not is_date_format("General")


def test_colours_are_what_a_reader_sees() -> None:
    theme = theme_colours(None)
    palette = ["000000", "FFFFFF", "FF0000"]
    assert resolve_colour(Color(theme=1), theme, palette, "000000") == "000000"  # dk1: text
    assert resolve_colour(Color(rgb="FF000000"), theme, palette, "000000") == "000000"  # LibreOffice's form
    assert resolve_colour(Color(rgb="00FFF2CC"), theme, palette, "000000") == "FFF2CC"  # alpha not drawn
    assert resolve_colour(Color(indexed=2), theme, palette, "000000") == "FF0000"
    lighter = resolve_colour(Color(theme=4, tint=0.4), theme, palette, "000000")
    assert lighter is not None and lighter != theme[4] and int(lighter[:2], 16) > int(theme[4][:2], 16)


@pytest.fixture()
def template(tmp_path: Path) -> Path:
    return future_template(tmp_path / "sjabloon.xlsx")


def _changed(template: Path, edit: Any) -> list[str]:
    wb = load_workbook(template)
    edit(wb)
    target = template.with_name("gewijzigd.xlsx")
    wb.save(target)
    return [f.line() for f in compare_workbooks(target, template)]


def _print_area(area: str) -> Any:
    def edit(wb: Any) -> None:
        wb["Invoer"].print_area = area
    return edit


def test_a_print_area_may_end_at_the_rows_fill_wrote(template: Path) -> None:
    """The Invoer print area (A1:C25, a table of in_reeks from row 3) may stop after the last row written,
    not before the table's header (row 2)."""
    assert _changed(template, _print_area("A1:C10")) == []
    assert _changed(template, _print_area("A1:C2")) == []
    for area in ("A1:C1", "A1:D10", "B1:C10", "A2:C10", "A1:C40"):
        lines = _changed(template, _print_area(area))
        assert any("_xlnm.Print_Area (blad Invoer)" in line for line in lines), (area, lines)


def test_print_titles_are_compared(template: Path) -> None:
    def edit(wb: Any) -> None:
        wb["Uitkomst"].print_title_rows = "1:5"
    assert any("Print_Titles" in line for line in _changed(template, edit))


@pytest.mark.parametrize(("scope", "name"), [
    (None, "IN_BEDRAG"),  # another spelling: Excel would take it for the same name
    ("Uitkomst", "in_bedrag"),  # a sheet-local twin
    ("Uitkomst", "ın_bedrag"),  # dotless ı
    (None, "Auto_Open"),
])
def test_every_name_at_every_scope_is_compared_exactly(template: Path, scope: str | None, name: str) -> None:
    def edit(wb: Any) -> None:
        owner = wb[scope].defined_names if scope else wb.defined_names
        owner[name] = DefinedName(name, attr_text="'Invoer'!$B$4")
    lines = _changed(template, edit)
    assert any(line.startswith(f"naam: {name}") and "toegevoegd" in line for line in lines), lines


def test_a_name_pointing_elsewhere(template: Path) -> None:
    def edit(wb: Any) -> None:
        wb["Uitkomst"].defined_names["lokaal"] = DefinedName("lokaal", attr_text="'Uitkomst'!$B$4")
    assert any("lokaal (blad Uitkomst)" in line and "andere plaats" in line for line in _changed(template, edit))


def test_a_validation_over_a_whole_sheet_is_compared_within_the_template(template: Path) -> None:
    """A rule over A1:XFD1048576 is clipped to where the template has something, not expanded."""
    from openpyxl.worksheet.datavalidation import DataValidation

    def edit(wb: Any) -> None:
        validation = DataValidation(type="whole", operator="greaterThan", formula1="0")
        validation.add("A1:XFD1048576")
        wb["Uitkomst"].add_data_validation(validation)
    lines = _changed(template, edit)
    assert lines and all("Uitkomst!" in line and "gegevensvalidatie toegevoegd" in line for line in lines)


@pytest.mark.parametrize(("header", "differs"), [
    (None, False),  # as fill wrote it: the key and the policy year
    ("Zorg en Co · beleidsjaar {year} · voldoet", True),
    ("Andere zorg · beleidsjaar {year}", True),  # another key than the workbook's
    ("Zorg en Co · beleidsjaar {previous}", True),  # another year than the workbook's
])
def test_a_filled_copy_has_its_key_and_year_in_the_header_and_nothing_else(tmp_path: Path, header: str | None,
                                                                          differs: bool) -> None:
    from toolkit.parameters import current_year
    from toolkit.workbook.check import check_workbook
    from toolkit.workbook.fill import fill

    year = current_year()
    inputs = tmp_path / "in.csv"
    inputs.write_text("naam;score_vorig_jaar;aanvullend_budget\nZorg en Co;A;1000\n", encoding="utf-8")
    fill("staffel", inputs, tmp_path / "uit")
    path = tmp_path / "uit" / "Zorg en Co.xlsx"
    wb = load_workbook(path)
    assert wb["Uitkomst"].oddHeader.center.text == f"Zorg en Co · beleidsjaar {year}"
    if header is not None:
        wb["Uitkomst"].oddHeader.center.text = header.format(year=year, previous=year - 1)
    wb.save(path)
    lines = [f.line() for f in check_workbook(path).findings]
    assert bool(lines) == differs and all("Uitkomst" in line and "kop- of voettekst" in line for line in lines), lines


@pytest.mark.parametrize(("template", "name", "typed", "said"), [
    ("staffel", "in_aanvullend_budget", "veel", "Toegekend aanvullend budget (€): 'veel' staat als tekst in de cel"),
    ("staffel", "in_aanvullend_budget", "1.000,5 euro", "'1.000,5 euro' staat als tekst in de cel"),
    ("staffel", "in_jaar", "twintig", "'twintig' staat als tekst in de cel"),
    ("cz_ratio", "in_postcodes", "12abc", "postcode '12abc' in rij 1 is geen geldige PC4"),
    # Read by the rules from an INPUTS file, but not by the workbook's formulas (ISNUMBER, TRIM): check says so.
    ("staffel", "in_aanvullend_budget", "1.234,56", "'1.234,56' staat als tekst in de cel, en de werkmap rekent"),
    ("staffel", "in_kostenpunten", "6", "'6' staat als tekst in de cel"),
    # A date typed as text: the template's date check wants a serial number (found by review).
    ("nieuwe_aanbieder", "in_inschrijfdatum", "15-01-2027", "'15-01-2027' staat als tekst in de cel, en de werkmap "
                                                            "rekent alleen met een datum; typ het opnieuw als datum"),
    ("staffel", "in_score_vorig_jaar", "B\u00a0", "heeft een tab, harde spatie of regeleinde"),
    # Found by an attack: an error value was "text", a tab alone was "missing", a boolean was 'True'.
    ("nieuwe_aanbieder", "in_inschrijfdatum", "#N/A", "de cel geeft de foutwaarde #N/B; typ een waarde of maak"),
    ("staffel", "in_kostenpunten", "\t", "de cel bevat alleen witruimte (een tab, harde spatie of regeleinde), die"),
    ("nieuwe_aanbieder", "in_inschrijfdatum", True, "'WAAR'"),
    ("staffel", "in_plafondvrij", "ja\t", "heeft een tab, harde spatie of regeleinde"),
])
def test_text_typed_in_an_input_is_one_dutch_line(tmp_path: Path, template: str, name: str, typed: str,
                                                 said: str) -> None:
    """A value the rules refuse, typed into a filled copy: one line naming the cell and the value, not
    also the header and print area that fill fitted to the inputs (those follow from the other inputs and
    the outputs as the copy saved them)."""
    from toolkit.workbook.check import check_workbook
    from toolkit.workbook.fill import fill

    root = Path(__file__).resolve().parents[1]
    fill(template, root / "examples" / "invoer" / f"{template}.csv", tmp_path / "uit")
    path = sorted((tmp_path / "uit").glob("Voorbeeldzorg *.xlsx"))[0]
    wb = load_workbook(path)
    sheet, ref = next(iter(wb.defined_names[name].destinations))
    cell = ref.split(":")[0].replace("$", "")
    wb[sheet][cell].value = typed
    wb.save(path)
    lines = [f.line() for f in check_workbook(path).findings]
    assert len(lines) == 1 and lines[0].startswith(f"invoer: {sheet}!{cell}: ") and said in lines[0], lines


def test_what_check_refuses_in_a_cell_the_workbook_refuses_too(tmp_path: Path) -> None:
    """The refusals above are the workbook's own: recalculated in LibreOffice, the copy shows "fout in de
    invoer" for each of those typed values, and a plain space around a score or ja is no error there
    either (TRIM), nor for check."""
    from libreoffice import read_csv, recalculated_sheet

    from toolkit.workbook.check import check_workbook
    from toolkit.workbook.fill import fill

    root = Path(__file__).resolve().parents[1]
    fill("staffel", root / "examples" / "invoer" / "staffel.csv", tmp_path / "uit")
    original = sorted((tmp_path / "uit").glob("Voorbeeldzorg *.xlsx"))[0]
    typed = {"in_aanvullend_budget": ["1.234,56", "veel"], "in_kostenpunten": ["6", "\t"],
             "in_score_vorig_jaar": ["A\u00a0", "A  ", " A", "\u00a0"], "in_plafondvrij": ["ja\t", " nee "]}
    copies: dict[Path, bool] = {}  # copy -> whether the workbook should refuse it
    for name, values in typed.items():
        for i, value in enumerate(values):
            wb = load_workbook(original)
            sheet, ref = next(iter(wb.defined_names[name].destinations))
            wb[sheet][ref.split(":")[0].replace("$", "")].value = value
            path = tmp_path / f"{name}_{i}.xlsx"
            wb.save(path)
            # A tab or no-break space alone is no empty cell to TRIM: refused too (found by an attack).
            copies[path] = value.strip(" ") != value.strip() or name in ("in_aanvullend_budget", "in_kostenpunten")
    # A date typed as text, and as a date.
    import datetime

    fill("nieuwe_aanbieder", root / "examples" / "invoer" / "nieuwe_aanbieder.csv", tmp_path / "na")
    original = sorted((tmp_path / "na").glob("Voorbeeldzorg *.xlsx"))[0]
    for i, value in enumerate(["15-01-2027", datetime.datetime(2027, 1, 15)]):
        wb = load_workbook(original)
        sheet, ref = next(iter(wb.defined_names["in_inschrijfdatum"].destinations))
        wb[sheet][ref.replace("$", "")].value = value
        path = tmp_path / f"datum_{i}.xlsx"
        wb.save(path)
        copies[path] = isinstance(value, str)
    shown = recalculated_sheet(list(copies), tmp_path / "lo", "Uitkomst")
    for path, refused in copies.items():
        text = " ".join(" ".join(row) for row in read_csv(shown[path]))
        findings = [f.kind for f in check_workbook(path).findings]
        assert ("fout in de invoer" in text) == refused, (path.name, text[:300])
        assert ("invoer" in findings) == refused, (path.name, findings)


def test_a_rule_refusing_a_row_names_the_input_by_its_label_not_the_rules_field(tmp_path: Path) -> None:
    """Clients in a row whose postcode was emptied: the rule says `clients: …`; check names the cell and the
    input as the sheet labels it."""
    from toolkit.workbook.check import check_workbook
    from toolkit.workbook.fill import fill

    root = Path(__file__).resolve().parents[1]
    fill("cz_ratio", root / "examples" / "invoer" / "cz_ratio.csv", tmp_path / "uit")
    path = sorted((tmp_path / "uit").glob("Voorbeeldzorg *.xlsx"))[0]
    wb = load_workbook(path)
    (postcodes_sheet, postcodes), = wb.defined_names["in_postcodes"].destinations
    (clients_sheet, clients), = wb.defined_names["in_clienten"].destinations
    first_postcode = postcodes.split(":")[0].replace("$", "")
    first_clients = clients.split(":")[0].replace("$", "")
    wb[postcodes_sheet][first_postcode].value = None
    wb.save(path)
    lines = [f.line() for f in check_workbook(path).findings]
    assert lines == [f"invoer: {clients_sheet}!{first_clients}: CZ-cliënten: "
                     f"{show_value(wb[clients_sheet][first_clients].value)} in rij 1 heeft geen postcode"], lines


@pytest.mark.parametrize(("template", "expected"), [
    ("cz_ratio", [("Invoer!B15:B2014", "Postcode (PC4 of volledig): nog geen enkele rij ingevuld"),
                  ("Invoer!C15:C2014", "CZ-cliënten: nog geen enkele rij ingevuld")]),
    ("eigen_levering", [("Invoer", "nog geen invoer ingevuld")]),
])
def test_an_empty_template_of_lists_is_not_in_order(template: str, expected: list[tuple[str, str]]) -> None:
    # A template whose inputs are lists showed "in orde" while every result said "vul eerst de invoer in".
    from toolkit.workbook.check import check_workbook

    path = Path(__file__).resolve().parents[1] / "templates" / f"{template}.xlsx"
    found = [(f.where, f.message) for f in check_workbook(path).findings if f.kind == "invoer"]
    assert found == expected


@pytest.mark.parametrize(("part", "old", "new", "where"), [
    ("xl/worksheets/sheet3.xml", "<sheetProtection ", '<sheetProtection password="CC1A" ', "Uitkomst"),
    ("xl/worksheets/sheet3.xml", "<sheetProtection ", '<sheetProtection algorithmName="SHA-512" '
     'hashValue="c2VjcmV0aGFzaA==" saltValue="c2FsdA==" spinCount="100000" ', "Uitkomst"),
    ("xl/workbook.xml", "<workbookProtection", '<workbookProtection workbookPassword="CC1A" lockStructure="1"',
     "werkmap"),
])
def test_a_password_on_the_protection_is_a_finding(tmp_path: Path, part: str, old: str, new: str,
                                                   where: str) -> None:
    # The templates protect their sheets without a password, so that a team can always open them up; a
    # password added since locks everyone else out.
    import zipfile

    from toolkit.workbook.check import check_workbook
    from toolkit.workbook.fill import fill

    inputs = tmp_path / "in.csv"
    inputs.write_text("sleutel;score_vorig_jaar;score_contractjaar;kostenpunten;plafondvrij;productieafspraak;"
                      "aanvullend_budget\nZorg A;A;;;nee;;1000\n", encoding="utf-8")
    fill("staffel", inputs, tmp_path / "uit")
    filled = tmp_path / "uit" / "Zorg A.xlsx"
    assert [f for f in check_workbook(filled).findings if f.kind == "instelling"] == []
    with zipfile.ZipFile(filled) as source, zipfile.ZipFile(tmp_path / "pw.xlsx", "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == part:
                assert old.encode() in data
                data = data.replace(old.encode(), new.encode(), 1)
            target.writestr(item, data)
    found = [(f.where, f.found) for f in check_workbook(tmp_path / "pw.xlsx").findings if f.kind == "instelling"]
    assert found == [(where, "met wachtwoord" if where != "werkmap" else "ja")]


def test_a_data_table_formula_is_named_not_shown_as_a_python_object(tmp_path: Path) -> None:
    import re
    import zipfile

    from toolkit.workbook.check import check_workbook
    from toolkit.workbook.fill import fill

    inputs = tmp_path / "in.csv"
    inputs.write_text("sleutel;score_vorig_jaar;aanvullend_budget\nZorg A;A;1000\n", encoding="utf-8")
    fill("staffel", inputs, tmp_path / "uit")
    with zipfile.ZipFile(tmp_path / "uit" / "Zorg A.xlsx") as source, \
            zipfile.ZipFile(tmp_path / "dt.xlsx", "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet3.xml":
                data = re.sub(rb'<c r="B5"[^>]*>.*?</c>', b'<c r="B5"><f t="dataTable" ref="B5" dt2D="0" dtr="0" '
                              b'r1="in_kostenpunten"/></c>', data, count=1)
            target.writestr(item, data)
    (finding,) = [f for f in check_workbook(tmp_path / "dt.xlsx").findings if f.kind == "formule"]
    assert finding.where == "Uitkomst!B5" and finding.found == "gegevenstabel (TABLE van in_kostenpunten)"


def _filled_staffel(tmp_path: Path) -> Path:
    from toolkit.workbook.fill import fill

    inputs = tmp_path / "in.csv"
    inputs.write_text("sleutel;score_vorig_jaar;score_contractjaar;kostenpunten;plafondvrij;productieafspraak;"
                      "aanvullend_budget\nZorg A;A;;;nee;;1000\n", encoding="utf-8")
    fill("staffel", inputs, tmp_path / "uit")
    return tmp_path / "uit" / "Zorg A.xlsx"


def _edited(source_path: Path, target_path: Path, part: str, old: str, new: str) -> Path:
    import zipfile

    with zipfile.ZipFile(source_path) as source, zipfile.ZipFile(target_path, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == part:
                assert old.encode() in data
                data = data.replace(old.encode(), new.encode(), 1)
            target.writestr(item, data)
    return target_path


@pytest.mark.parametrize(("old", "new", "expected"), [
    ('<sheetView workbookViewId="0">', '<sheetView rightToLeft="1" workbookViewId="0">',
     [("opmaak", "Uitkomst", "het blad staat van rechts naar links (kolom A rechts), anders dan in het sjabloon")]),
    ('<sheetView workbookViewId="0">', '<sheetView zoomScale="10" workbookViewId="0">',
     [("opmaak", "Uitkomst", "het blad opent op 10 % zoom, te klein om te lezen; zet de zoom terug op 100 %")]),
    ('<sheetView workbookViewId="0">', '<sheetView zoomScale="85" workbookViewId="0">', []),  # a reader's zoom
    # A style on whole columns or rows that unlocks their cells (style 6: an input cell's, unlocked).
    ("</cols>", '<col min="5" max="16384" style="6" /></cols>',
     [("instelling", "Uitkomst", "E:XFD is in zijn geheel ontgrendeld (een opmaak van de hele kolom of rij): ondanks "
                                 "de bladbeveiliging kan daar elke lege cel worden gewijzigd")]),
    ("</sheetData>", '<row r="30" s="6" customFormat="1" /><row r="31" s="6" customFormat="1" /></sheetData>',
     [("instelling", "Uitkomst", "30:31 is in zijn geheel ontgrendeld (een opmaak van de hele kolom of rij): "
                                 "ondanks de bladbeveiliging kan daar elke lege cel worden gewijzigd")]),
    ("</sheetData>", "".join(f'<row r="{r}" s="6" customFormat="1" />' for r in range(30, 44, 2)) + "</sheetData>",
     [("instelling", "Uitkomst", "30:30, 32:32, 34:34, 36:36, 38:38 en nog 2 zijn in hun geheel ontgrendeld (een "
                                 "opmaak van de hele kolom of rij): ondanks de bladbeveiliging kan daar elke lege cel "
                                 "worden gewijzigd")]),
])
def test_how_a_sheet_opens_and_what_its_protection_leaves_open(tmp_path: Path, old: str, new: str,
                                                               expected: list[tuple[str, str, str]]) -> None:
    """Views and whole-column styles a reader meets without looking at a cell: a sheet right to left or opening
    at 10 %, and columns or rows unlocked as a whole under the protection, are findings; a zoom of 85 % is not."""
    from toolkit.workbook.check import check_workbook

    filled = _filled_staffel(tmp_path)
    assert check_workbook(filled).findings == []
    edited = _edited(filled, tmp_path / "edited.xlsx", "xl/worksheets/sheet3.xml", old, new)
    assert [(f.kind, f.where, f.message) for f in check_workbook(edited).findings] == expected


def test_a_format_that_hides_the_value_is_said(tmp_path: Path) -> None:
    from toolkit.workbook.check import check_workbook

    filled = _filled_staffel(tmp_path)
    wb = load_workbook(filled)
    wb["Uitkomst"]["B5"].number_format = ";;;"
    wb.save(tmp_path / "hidden.xlsx")
    said = [f.message for f in check_workbook(tmp_path / "hidden.xlsx").findings if f.where == "Uitkomst!B5"]
    assert said == ["getalnotatie wijkt af van het sjabloon (getalnotatie ';;;': een getal wordt niet getoond)"]


@pytest.mark.parametrize(("code", "hidden"), [
    (";;;", True), ("[Red];;;", True), ('"";"";""', True), (";;;@", True), (";;", True),
    ("0;;", False), ("#,##0.00", False), ('"a;b";;', False), ("\\;;;", False), ("General", False),
])
def test_a_format_that_hides_numbers_is_recognised_however_written(code: str, hidden: bool) -> None:
    from toolkit.workbook.appearance import _format_said

    assert _format_said(code).endswith(": een getal wordt niet getoond") == hidden
