"""workbooks/zorginkoop.xlsm, docs/functies.md and workbooks/lite/: present, correct, not drifted."""

from __future__ import annotations

import ast
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from fingerprint import fingerprint
from openpyxl import load_workbook
from openpyxl.formula.tokenizer import Token, Tokenizer

import toolkit
from toolkit import udfs
from toolkit.workbook import reference, vba, xlsm

ROOT = Path(__file__).resolve().parents[1]
XLSM = ROOT / "workbooks" / "zorginkoop.xlsm"


@pytest.fixture(scope="module")
def workbook() -> Any:
    return load_workbook(XLSM, keep_vba=True)


def _layout(path: Path) -> dict[str, Any]:
    """What the fingerprint leaves out and a reader sees: the VBA project, page setup, widths and heights."""
    wb = load_workbook(path, keep_vba=True)
    sheets = {}
    for ws in wb.worksheets:
        sheets[ws.title] = (
            ws.print_area, ws.page_setup.orientation, ws.page_setup.paperSize, ws.page_setup.fitToWidth,
            ws.page_setup.fitToHeight, ws.sheet_properties.pageSetUpPr.fitToPage, ws.oddHeader.left.text,
            ws.oddHeader.right.text, ws.oddFooter.right.text,
            {k: d.width for k, d in ws.column_dimensions.items()}, {k: d.height for k, d in ws.row_dimensions.items()},
            {c.coordinate: (c.alignment.horizontal, c.alignment.wrap_text, c.font.name, c.font.sz)
             for row in ws.iter_rows() for c in row if c.value is not None},
        )
    return {"vba": wb.vba_archive.read("xl/vbaProject.bin"), "sheets": sheets}


def test_committed_xlsm_matches_the_builder(tmp_path: Path) -> None:
    built = xlsm.build(tmp_path / "zorginkoop.xlsm")
    assert fingerprint(built) == fingerprint(XLSM), "run: python3 -m toolkit.workbook.xlsm"
    assert _layout(built) == _layout(XLSM), "run: python3 -m toolkit.workbook.xlsm"


def test_conf_sheet_is_hidden_and_names_only_the_udf_module(workbook: Any) -> None:
    assert "_xlwings.conf" not in workbook.sheetnames
    conf = workbook["xlwings.conf"]
    assert conf.sheet_state == "hidden"
    rows = [row for row in conf.iter_rows(values_only=True) if any(v is not None for v in row)]
    # Only UDF Modules from A1 down: an Interpreter row here would override the venv's Python that
    # `xlwings addin install` records in the user's settings.
    assert rows == [("UDF Modules", "toolkit.udfs")]
    assert [ws.title for ws in workbook.worksheets if ws.sheet_state == "visible"] == ["Lees mij", *xlsm.SHEETS]


def test_vba_project_keeps_the_xlwings_reference_and_no_macro(workbook: Any) -> None:
    project = workbook.vba_archive.read("xl/vbaProject.bin")
    sources = vba.module_sources(project)
    assert set(sources) == {"ThisWorkbook", "Sheet1", "Sheet2"}
    assert all(line.startswith("Attribute ") for source in sources.values() for line in source.splitlines() if line)
    streams = vba.read_streams(project)
    directory = vba.Directory.read(vba.decompress(streams["VBA", "dir"]))
    assert any(r.id == 0x000E and b"xlwings.xlam" in r.data for r in directory.head)  # REFERENCEPROJECT
    assert streams["VBA", "_VBA_PROJECT"] == bytes.fromhex("CC61FFFF000000")
    assert all(m.offset == 0 for m in directory.modules)


def test_every_function_is_shown_on_an_example_sheet(workbook: Any) -> None:
    formulas = " ".join(
        str(cell.value) for ws in workbook.worksheets for row in ws.iter_rows() for cell in row
        if cell.data_type == "f"
    )
    for function in udfs.FUNCTIONS:
        assert re.search(rf"={function.__name__}\(", formulas), function.__name__


def _text(ws: Any) -> str:
    return " ".join(str(v) for row in ws.iter_rows(values_only=True) for v in row if v is not None)


def test_read_me_has_the_windows_steps(workbook: Any) -> None:
    assert workbook.sheetnames[0] == "Lees mij"
    text = _text(workbook["Lees mij"])
    for step in ("py -m venv", "pip install .", "niet op PyPI", "xlwings addin install", "xlwings config create",
                 "Bestand > Opties > Vertrouwenscentrum > Instellingen voor het Vertrouwenscentrum > "
                 "Macro-instellingen", "Toegang tot het objectmodel van het VBA-project vertrouwen",
                 "Eigenschappen", "Blokkering opheffen", "BEVEILIGINGSRISICO", "Inhoud inschakelen",
                 "Import Functions", "=CZ_RATIO(A5:A7;B5:B7)", "#NAAM?", "xlwings Lite", "workbooks/lite/main.py",
                 "Zoomer Analytics", "BSD", f"zorginkoop-toolkit {toolkit.__version__}"):
        assert step in text, step


def _example_rows(ws: Any) -> tuple[int, list[Any]]:
    """The header row of the examples table and the rows under it."""
    top = next(row[0].row for row in ws.iter_rows() if row[0].value == "Voorbeeld")
    return top, [row[:6] for row in ws.iter_rows(min_row=top + 1) if row[0].value]


def _arguments(ws: Any, formula: str) -> tuple[str, list[Any]]:
    """A stored example formula's function and its arguments as the function gets them: literals, ranges
    as lists of rows, a skipped argument as None."""
    tokens = [t for t in Tokenizer(formula).items if t.type != Token.WSPACE]
    assert tokens[0].type == Token.FUNC and tokens[-1].type == Token.FUNC and tokens[-1].subtype == Token.CLOSE
    arguments: list[Any] = [None]
    for token in tokens[1:-1]:
        if token.type == Token.SEP:
            arguments.append(None)
        elif token.subtype == Token.RANGE:
            arguments[-1] = [[cell.value for cell in row] for row in ws[token.value]]
        else:
            arguments[-1] = ast.literal_eval(token.value)
    return tokens[0].value[:-1], arguments if len(tokens) > 2 else []


@pytest.mark.parametrize("sheet", list(xlsm.SHEETS))
def test_each_example_gives_its_expected_value(workbook: Any, sheet: str) -> None:
    """Evaluate column C's formulas with the Python functions and compare with the example's value."""
    ws = workbook[sheet]
    _, rows = _example_rows(ws)
    examples = xlsm.SHEETS[sheet]
    assert [row[0].value for row in rows] == [e.label for e in examples]
    for (_label, _shown, formula, expected, check, _source), example in zip(rows, examples, strict=True):
        assert formula.value == example.formula and formula.data_type == "f"
        shown_expected = xlsm.shown_expected(example)
        if isinstance(shown_expected, float):
            assert expected.value == pytest.approx(shown_expected, rel=1e-14)  # 15 digits in the file
        else:
            assert expected.value == shown_expected
        name, arguments = _arguments(ws, formula.value)
        result = getattr(udfs, name)(*arguments)
        if isinstance(example.expected, float):
            assert result == pytest.approx(example.expected, abs=1e-9), example.label
        else:
            assert result == example.expected, example.label
            assert isinstance(result, bool) == isinstance(example.expected, bool), example.label  # True is not 1
        assert check.value.startswith('=IF(ISERROR(C')


@pytest.mark.parametrize("sheet", list(xlsm.SHEETS))
def test_formulas_are_shown_as_typed_in_dutch_excel(workbook: Any, sheet: str) -> None:
    for _label, shown, formula, *_ in _example_rows(workbook[sheet])[1]:
        assert shown.data_type == "s" and shown.value == xlsm.dutch_formula(formula.value)
        unquoted = re.sub(r'"[^"]*"', '""', shown.value)
        assert not re.search(r"(?<!\d),|,(?!\d)|\d\.\d", unquoted), shown.value  # a comma only between digits


@pytest.mark.parametrize(("stored", "dutch"), [
    ("=CZ_RATIO(A5:A7,B5:B7)", "=CZ_RATIO(A5:A7;B5:B7)"),
    ('=CZ_STAFFEL_PCT("C","",,"ja")', '=CZ_STAFFEL_PCT("C";"";;"ja")'),
    ("=CZ_STAFFEL_VERGOEDING(12345.67, \"B\")", "=CZ_STAFFEL_VERGOEDING(12345,67; \"B\")"),
    ('=CZ_BIJCONTRACTERING(1E+6,B5:B16,"B, of ""A"", 0.5",,TRUE,FALSE)',
     '=CZ_BIJCONTRACTERING(1E+6;B5:B16;"B, of ""A"", 0.5";;WAAR;ONWAAR)'),
    ("=NZ_GEWOGEN_INDEX(.031,0.02)", "=NZ_GEWOGEN_INDEX(,031;0,02)"),
    ("=cz_ratio('Blad, 1'!A1:A3,B1:B3)", "=cz_ratio('Blad, 1'!A1:A3;B1:B3)"),
])
def test_dutch_formula(stored: str, dutch: str) -> None:
    assert xlsm.dutch_formula(stored) == dutch


@pytest.mark.parametrize(("stored", "message"), [
    ("=IF(A1>1,CZ_RATIO(A1:A2,B1:B2),0)", "geen Nederlandse naam bekend voor de functie IF in"),
    ("=CZ_RATIO({1,2;3,4},B1:B2)", "matrixconstante in =CZ_RATIO"),
])
def test_dutch_formula_refuses_what_it_cannot_spell(stored: str, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        xlsm.dutch_formula(stored)


def test_sources_name_the_policy_and_section(workbook: Any) -> None:
    for sheet in xlsm.SHEETS:
        for *_, source in _example_rows(workbook[sheet])[1]:
            assert source.value.startswith("CZ groep, Zorginkoopbeleid wijkverpleging 2027, "), source.value
            assert "§" in source.value, source.value
    for ws in workbook.worksheets:
        assert "SPEC" not in _text(ws), ws.title


def test_a_source_comes_from_the_parameter_data() -> None:
    from toolkit.parameters import load_topic

    ratio = next(e for e in xlsm.SHEETS["CZ ratio"] if e.label == "Drempel 2026, bestaand")
    assert ratio.source == str(load_topic("cz", "client_area_ratio")["threshold_existing"].at(2026).source)


@pytest.mark.parametrize("sheet", list(xlsm.SHEETS))
def test_results_and_expected_values_are_formatted(workbook: Any, sheet: str) -> None:
    for (_label, _shown, formula, expected, *_), example in zip(_example_rows(workbook[sheet])[1],
                                                                 xlsm.SHEETS[sheet], strict=True):
        assert formula.number_format == expected.number_format == xlsm.FORMATS[example.kind], example.label
        assert not isinstance(expected.value, bool), example.label
        if example.kind == "bool":
            assert expected.value in ("WAAR (ja)", "ONWAAR (nee)")


def test_every_visible_sheet_prints_a4_landscape_one_page_wide(workbook: Any) -> None:
    for ws in workbook.worksheets:
        if ws.sheet_state != "visible":
            continue
        assert ws.print_area, ws.title
        assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9, ws.title  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1, ws.title
        assert ws.page_setup.fitToHeight == 0, ws.title


# The English text of xlwings' quickstart that no Dutch reader should meet.
_QUICKSTART_ENGLISH = ("Instructions", "Rename this sheet", "settings override", "If you delete a row",
                       "Interpreter_Win", "UDF Modules", "SampleCall")


@pytest.mark.libreoffice
def test_the_workbook_as_a_dutch_reader_sees_it(tmp_path: Path) -> None:
    """Rendered in LibreOffice set to nl-NL: landscape pages, each example sheet on one page, no file the
    reader does not have, no English from xlwings, every formula to type in Dutch syntax; and LibreOffice
    reads the VBA project (its Basic library holds the document modules and no sample macro)."""
    from libreoffice import convert, pdf_page_sizes, pdf_pages

    pdf = convert([XLSM], tmp_path / "pdf", "pdf")[XLSM]
    pages = pdf_pages(pdf)
    assert pages and len(pdf_page_sizes(pdf)) == len(pages)
    assert all(width > height for width, height in pdf_page_sizes(pdf))
    text = "\n".join(pages)
    for phrase in ("SPEC", *_QUICKSTART_ENGLISH):
        assert phrase not in text, phrase
    for sheet in xlsm.SHEETS:
        assert sum(xlsm.TITLES[sheet] in page for page in pages) == 1, sheet  # one page, title in its header
    shown = re.findall(r"=[A-Z_]+\([^)\n]*\)", text)
    assert len(shown) >= sum(len(examples) for examples in xlsm.SHEETS.values())
    for formula in shown:
        unquoted = re.sub(r'"[^"]*"', '""', formula)
        assert not re.search(r"(?<!\d),|,(?!\d)|\d\.\d", unquoted), formula
    ods = convert([XLSM], tmp_path / "ods", "ods")[XLSM]
    with zipfile.ZipFile(ods) as archive:
        basic = {Path(name).stem for name in archive.namelist() if name.startswith("Basic/VBAProject/")}
    assert basic == {"ThisWorkbook", "Sheet1", "Sheet2", "script-lb"}


def test_function_reference_is_generated_from_the_module() -> None:
    committed = (ROOT / "docs" / "functies.md").read_text(encoding="utf-8")
    assert committed == reference.render(), "run: python3 -m toolkit.workbook.reference"
    for function in udfs.FUNCTIONS:
        assert f"## {function.__name__}\n" in committed
        for name, doc in function.__arg_docs__.items():  # type: ignore[attr-defined]
            assert f"| `{name}` | {doc} |" in committed


def test_every_argument_has_help_text() -> None:
    import inspect

    for function in udfs.FUNCTIONS:
        docs = function.__arg_docs__  # type: ignore[attr-defined]
        assert list(docs) == list(inspect.signature(function).parameters), function.__name__
        assert all(0 < len(doc) <= 255 for doc in docs.values())


def test_lite_requirements_need_no_wheel_address() -> None:
    requirements = (ROOT / "workbooks" / "lite" / "requirements.txt").read_text(encoding="utf-8")
    packages = [line.strip() for line in requirements.splitlines() if line.strip() and not line.startswith("#")]
    assert packages == ["xlwings"]  # the toolkit in main.py needs nothing else (tests/test_lite.py)
