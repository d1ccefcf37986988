"""The committed templates: made by the builder, shaped as INTERFACES.md says, and usable without Python."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import pytest
from fingerprint import fingerprint
from openpyxl import load_workbook

from toolkit.dates import MONTHS
from toolkit.parameters import all_parameters
from toolkit.workbook import build, templates_dir
from toolkit.workbook.specs import SPECS

INTERFACE = {  # INTERFACES.md, "Templates"
    "cz_ratio": ({"in_jaar", "in_soort", "in_postcodes", "in_clienten"},
                 {"out_clienten", "out_gebieden", "out_ratio", "out_drempel", "out_voldoet", "out_extra_clienten",
                  "out_max_gebieden"}),
    "staffel": ({"in_score_vorig_jaar", "in_score_contractjaar", "in_kostenpunten", "in_plafondvrij",
                 "in_productieafspraak",
                 "in_aanvullend_budget"}, {"out_percentage", "out_vergoeding", "out_in_aanmerking"}),
    "cooperatie": ({"in_clienten", "in_fte_niveau6", "in_uurtarief", "in_nachtdienst", "in_uren_leden"},
                   {"out_fte_nodig", "out_fte_tekort", "out_max_clienten", "out_voldoet", "out_max_omzet"}),
    "nachtzorg": ({"in_begroting", "in_pers_voorlopig_t", "in_mat_voorlopig_t", "in_pers_voorlopig_t1",
                   "in_mat_voorlopig_t1", "in_pers_definitief_t1", "in_mat_definitief_t1", "in_zvw_aandeel",
                   "in_methode"},
                  {"out_index_t", "out_correctie", "out_factor", "out_begroting_geindexeerd", "out_vergoeding_zvw"}),
    "plafond": ({"in_jaar", "in_plafond", "in_productie", "in_vorig_jaar", "in_methode", "in_score_vorig_jaar",
                 "in_score_contractjaar", "in_kostenpunten", "in_plafondvrij", "in_productieafspraak"},
                {"out_gerealiseerd", "out_prognose", "out_aandeel_voor_peildatum", "out_voldoet_minimum",
                 "out_maand_bereikt", "out_tekort", "out_mag_aanvragen", "out_vergoeding_verwacht"}),
    "eigen_levering": ({"in_eigen", "in_volle_dochter", "in_zzp", "in_onderaannemers", "in_cooperatie"},
                       {"out_aandeel_eigen", "out_voldoet", "out_aandeel_kwartaal"}),
    "thuistechnologie": ({"in_jaar", "in_geschikt", "in_gebruikers"},
                         {"out_aandeel", "out_voldoet", "out_tekort_clienten"}),
    "casemanagement_dementie": ({"in_jaar", "in_clienten", "in_fte"},
                                {"out_caseload", "out_voldoet", "out_fte_min", "out_fte_max"}),
    "nieuwe_aanbieder": ({"in_jaar", "in_inschrijfdatum", "in_verwachte_omzet", "in_eerder_ingeschreven",
                          "in_kernwerkgebied", "in_postcodes", "in_clienten", "in_afgewezen_vorig_jaar",
                          "in_ontwikkeling_aangetoond"},
                         {"out_binnen_termijn", "out_omzet_voldoet", "out_ratio", "out_ratio_voldoet", "out_voldoet",
                          "out_antwoord_verwacht"}),
}
# Excel 2010 and LibreOffice 7.4 both have these; nothing newer may appear in a template.
FORBIDDEN = ("XLOOKUP", "LET(", "LAMBDA", "FILTER(", "UNIQUE(", "SORT(", "IFS(", "SWITCH(", "TEXTJOIN", "CONCAT(",
             "MAXIFS", "MINIFS", "SEQUENCE")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("templates")
    build.build_all(out)
    return out


@pytest.mark.parametrize("name", list(SPECS))
def test_committed_template_matches_the_builder(built: Path, name: str) -> None:
    assert fingerprint(built / f"{name}.xlsx") == fingerprint(templates_dir() / f"{name}.xlsx"), (
        "run: python3 -m toolkit.workbook.build")


VERSIONS = Path(__file__).with_name("template_versions.json")  # per template: its version and a hash of its content


def content(path: Path) -> str:
    """A hash of every part of the template but its creation time (docProps/core.xml): the builder writes the
    same bytes for the same template, and `check` compares nearly all of them (cells, formulas, number formats,
    alignment, fonts, fills, validations, conditional formats, merged cells, names, print settings, headers
    and footers, charts). The toolkit's version that Instructie and the footers name is in it too: `check`
    compares those texts, so a release that changes them is a new template. (A hash of a summary of the cells
    missed an alignment that check compares: found when the explanations on Uitkomst were indented.)"""
    digest = hashlib.sha256()
    with zipfile.ZipFile(path) as archive:
        for name in sorted(archive.namelist()):
            if name != "docProps/core.xml":
                digest.update(name.encode() + b"\0" + archive.read(name) + b"\0")
    return digest.hexdigest()


@pytest.mark.parametrize("name", list(SPECS))
def test_a_template_that_changes_gets_a_new_version(name: str) -> None:
    """`check` says first that a copy comes from another version of its template, and only the version tells
    it: a template changed under the same version makes every copy filled before look edited by hand
    ("formule is gewijzigd"), in the hands of someone who trusts it."""
    recorded = json.loads(VERSIONS.read_text(encoding="utf-8"))[name]
    now = {"version": SPECS[name].version, "content": content(templates_dir() / f"{name}.xlsx")}
    entry = f'"{name}": {json.dumps(now)}'
    if now["content"] != recorded["content"]:
        assert now["version"] != recorded["version"], (
            f"{name}: the template changed, its version ({now['version']}) did not; raise the version in the "
            f"rule's template.py, rebuild (python3 -m toolkit.workbook.build) and record in {VERSIONS.name}: {entry}")
    assert now == recorded, f"record in {VERSIONS.name}: {entry}"


@pytest.mark.parametrize("name", list(SPECS))
def test_names_inputs_and_protection(name: str) -> None:
    wb = load_workbook(templates_dir() / f"{name}.xlsx")
    names = set(wb.defined_names)
    inputs, outputs = INTERFACE[name]
    assert inputs <= names and outputs <= names
    assert wb.calculation.fullCalcOnLoad
    assert wb.sheetnames == ["Instructie", "Invoer", "Uitkomst", "Berekening", "Bronnen"]
    for ws in wb.worksheets:
        assert ws.protection.sheet and not ws.protection.password, ws.title
    validated = {str(cell) for ws in wb.worksheets for dv in ws.data_validations.dataValidation
                 for cell in dv.sqref.ranges}
    for spec_input in SPECS[name].inputs:
        (sheet, ref), = wb.defined_names[spec_input.name].destinations
        cells = wb[sheet][ref.replace("$", "")]
        for cell in (c for row in (cells if isinstance(cells, tuple) else ((cells,),)) for c in row):
            assert cell.protection.locked is False, (spec_input.name, cell.coordinate)
        assert ref.replace("$", "") in validated, f"{spec_input.name} has no data validation"
    for spec_output in SPECS[name].outputs:
        (sheet, ref), = wb.defined_names[spec_output.name].destinations
        cells = wb[sheet][ref.replace("$", "")]
        for cell in (c for row in (cells if isinstance(cells, tuple) else ((cells,),)) for c in row):
            assert cell.data_type == "f" and cell.protection.locked, spec_output.name
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    assert not any(f in str(cell.value).upper() for f in FORBIDDEN), (ws.title, cell.coordinate)


@pytest.mark.parametrize("name", list(SPECS))
def test_bronnen_lists_every_parameter_with_its_source(name: str) -> None:
    wb = load_workbook(templates_dir() / f"{name}.xlsx")
    rows = list(wb["Bronnen"].iter_rows(values_only=True))
    # Columns: description, year, value, unit, document, section, note, the name the formulas use.
    listed = {(r[7], r[1]) for r in rows if r and len(r) > 7 and r[7]}
    topics = {topic for _insurer, topic in SPECS[name].topics}
    for parameter in (p for p in all_parameters() if p.topic in topics):
        for year in parameter.years:
            assert (f"par_{parameter.name}", year) in listed, (parameter.name, year)
            assert any(r[0] == parameter.label for r in rows)
    parameter_rows = [r for r in rows if r and len(r) > 7 and isinstance(r[7], str) and r[7].startswith("par_")]
    assert parameter_rows and all(r[4] and r[5] for r in parameter_rows), "every value needs document and section"
    # The policy by its title and section; no seed file, nothing a reader does not have.
    assert all(str(r[4]).startswith(("CZ groep", "Cao VVT", "NZa")) for r in parameter_rows)
    assert not [v for r in rows for v in r if isinstance(v, str) and (".txt" in v or "SPEC" in v)]
    dates = [r[2] for r in parameter_rows if r[3] == "datum"]
    assert all(isinstance(d, str) and any(m in d for m in MONTHS) for d in dates), dates
    staffel = [r[2] for r in parameter_rows if r[7] == "par_table"]
    assert all("%" in s and "_" not in s for s in staffel), staffel  # the staffel in Dutch, not its codes
    assert wb.defined_names["zk_versie"] and rows[1][1] == name
    assert wb["Bronnen"].print_area and "H" not in str(wb["Bronnen"].print_area)  # the formulas' names not printed


def test_ratio_template_has_2000_rows_a_chart_and_verdict_colours() -> None:
    wb = load_workbook(templates_dir() / "cz_ratio.xlsx")
    (sheet, ref), = wb.defined_names["in_postcodes"].destinations
    assert len(wb[sheet][ref.replace("$", "")]) >= 2000
    (sheet, ref), = wb.defined_names["out_te_schrappen"].destinations
    assert len(wb[sheet][ref.replace("$", "")]) >= 2000
    assert len(wb["Uitkomst"]._charts) == 1
    rules = [r for rng in wb["Uitkomst"].conditional_formatting for r in rng.rules]
    assert {('"ja"',), ('"nee"',)} <= {tuple(r.formula) for r in rules}


def test_plafond_template_has_a_chart_of_the_cumulative_production() -> None:
    wb = load_workbook(templates_dir() / "plafond.xlsx")
    assert len(wb["Uitkomst"]._charts) == 1
    (sheet, ref), = wb.defined_names["in_productie"].destinations
    assert len(wb[sheet][ref.replace("$", "")]) == 12


@pytest.mark.parametrize("name", list(SPECS))
def test_every_number_input_shows_its_plausible_range(name: str) -> None:
    wb = load_workbook(templates_dir() / f"{name}.xlsx")
    prompts = {str(v.sqref): v.prompt for ws in wb.worksheets for v in ws.data_validations.dataValidation}
    for spec_input in SPECS[name].inputs:
        if spec_input.kind == "number":
            (_sheet, ref), = wb.defined_names[spec_input.name].destinations
            prompt = prompts[ref.replace("$", "")]
            measure = spec_input.measure
            assert measure is not None and measure.range_text(percent=spec_input.as_percent) in prompt, (
                spec_input.name, prompt)


@pytest.mark.parametrize("name", list(SPECS))
def test_every_sheet_prints_a4_landscape_one_page_wide_with_a_print_area(name: str) -> None:
    wb = load_workbook(templates_dir() / f"{name}.xlsx")
    for ws in wb.worksheets:
        assert ws.print_area, ws.title
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize in (9, "9"), ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1, ws.title
        assert "&F" in (ws.oddHeader.right.text or "") and "&P" in (ws.oddFooter.right.text or ""), ws.title
    assert wb["Uitkomst"].page_setup.fitToHeight == 1 and wb["Instructie"].page_setup.fitToHeight == 1


@pytest.mark.parametrize("name", list(SPECS))
def test_inputs_and_outputs_are_formatted_as_a_dutch_controller_reads_them(name: str) -> None:
    wb = load_workbook(templates_dir() / f"{name}.xlsx")
    spec = SPECS[name]
    expected_inputs = {"money": "€", "ceiling": "€", "share": "%", "index": "%", "count": "#,##0", "year": "0"}
    for spec_input in spec.inputs:
        (sheet, ref), = wb.defined_names[spec_input.name].destinations
        cell = wb[sheet][ref.replace("$", "").split(":")[0]]
        if spec_input.quantity in expected_inputs:
            assert expected_inputs[spec_input.quantity] in cell.number_format, (spec_input.name, cell.number_format)
        if spec_input.kind in {"postcode", "score", "choice", "flag"}:
            assert cell.number_format == "@", spec_input.name
    expected_outputs = {"money": "€", "fraction": "%", "count": "#,##0", "ratio": "0.00"}
    for output in spec.outputs:
        (sheet, ref), = wb.defined_names[output.name].destinations
        cell = wb[sheet][ref.replace("$", "").split(":")[0]]
        if output.kind in expected_outputs:
            assert expected_outputs[output.kind] in cell.number_format, (output.name, cell.number_format)
        if output.kind == "bool":  # a yes/no result is the text ja/nee, never WAAR/ONWAAR
            assert '"ja","nee"' in str(cell.value), (output.name, cell.value)


@pytest.mark.parametrize("name", list(SPECS))
def test_the_instruction_sheet_says_what_where_why_and_from_which_policy(name: str) -> None:
    wb = load_workbook(templates_dir() / f"{name}.xlsx")
    text = "\n".join(str(v) for row in wb["Instructie"].iter_rows(values_only=True) for v in row if v)
    spec = SPECS[name]
    assert spec.purpose and spec.purpose in text and spec.reading in text
    assert "gele cellen" in text and "Invoer" in text and "vul eerst de invoer in" in text
    assert any(str(year) in text for year in spec.years)
    assert "CZ groep, Zorginkoopbeleid wijkverpleging 2027, " in text and "§" in text
    assert "SPEC" not in text and ".txt" not in text and "../" not in text
    assert "zorginkoop-toolkit" in text and spec.version in text
