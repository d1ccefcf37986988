"""`zorginkoop check`: can a workbook that went around by e-mail still be trusted?

A workbook that arrives from elsewhere is untrusted until it has been compared, part by part, with the
template it claims to be (the `zk_sjabloon` name): the template as the parameter data in force builds
it, overlay included. In that order:

1. the package, before anything is parsed (`package.py`): sizes bounded, no macro project, no external
   links, no embedded objects, pictures, connections or custom XML, no part the template lacks;
2. the workbook (`structure.py`): the same sheets in the same order and visibility, every defined name
   at every scope exactly as in the template (a print area may end earlier), the same calculation
   settings (automatic, full precision, no iteration, the 1900 date system);
3. every cell: each formula as in the template (none changed, removed or added; `equivalence.py` says
   what a program may rewrite on save), every label and parameter as in the template, the input cells
   free of formulas;
4. what a reader sees (`appearance.py`, `structure.py`): the style of every cell the template fills and
   of every input, conditional formats, data validation, merged cells, hidden rows and columns, sheet
   protection, headers and footers, hyperlinks, every object drawn over a sheet and every chart's series,
   categories, titles and axes. Inputs may differ in value, nothing else;
5. the outputs: recomputed from the workbook's own inputs with the Python rules and compared with the
   values the workbook holds (money to the cent, other numbers to 1e-9); an output without a saved
   value yet is no difference.

Everything is compared with the reference workbook, never with a layout written into this code: a
template that changes is checked by the same code. One finding per difference, in Dutch, naming sheet
and cell, with values as a Dutch reader writes them.
"""

from __future__ import annotations

import atexit
import datetime as dt
import difflib
import math
import re
import shutil
import tempfile
import warnings
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from ..dates import read_date
from ..errors import InputError, ToolkitError, error_value_in_cell, not_a_file, relabel, show_value
from ..parameters import overlay_in_force
from . import appearance, structure, templates_dir
from .equivalence import same_formula
from .findings import Display, Finding, shown, shown_apart
from .formats import header_code, years_text, yes_no_text
from .package import Part, check_workbook_bounds
from .specs import SPECS, Input, Output, Template, convert
from .structure import Structure, read_structure
from .template_file import TemplateFile, copy_header, is_reference

# Parts a spreadsheet program adds when it saves a workbook: harmless and expected.
_BENIGN = re.compile(r"^(\[Content_Types\]\.xml|_rels/\.rels|docProps/[^/]+\.xml|xl/workbook\.xml|"
                     r"xl/_rels/workbook\.xml\.rels|xl/styles\.xml|xl/sharedStrings\.xml|xl/calcChain\.xml|"
                     r"xl/theme/theme\d+\.xml|xl/worksheets/sheet\d+\.xml|xl/worksheets/_rels/sheet\d+\.xml\.rels|"
                     r"xl/drawings/drawing\d+\.xml|xl/drawings/_rels/drawing\d+\.xml\.rels|xl/charts/chart\d+\.xml|"
                     r"xl/charts/_rels/chart\d+\.xml\.rels|xl/charts/(style|colors)\d+\.xml|"
                     r"xl/printerSettings/printerSettings\d+\.bin)$")
# Parts that are never part of a template: what they are, for the finding.
_FORBIDDEN = (
    (re.compile(r"vbaProject\.bin$|vbaData\.xml$", re.I), "een macroproject (VBA)"),
    (re.compile(r"^xl/externalLinks/", re.I), "een koppeling naar een andere werkmap"),
    (re.compile(r"^xl/embeddings/|oleObject", re.I), "een ingesloten object (OLE)"),
    (re.compile(r"^xl/activeX/|^xl/ctrlProps/", re.I), "een ActiveX- of formulierbesturingselement"),
    (re.compile(r"^xl/media/", re.I), "een afbeelding of ander mediabestand"),
    (re.compile(r"^xl/connections\.xml$|^xl/queryTables/", re.I), "een gegevensverbinding"),
    (re.compile(r"^customXml/|^xl/customXml/", re.I), "aangepaste XML"),
    (re.compile(r"^xl/pivot", re.I), "een draaitabel"),
)


@dataclass
class CheckReport:
    path: Path
    template: str
    version: str
    findings: list[Finding] = field(default_factory=list)
    outputs: dict[str, Any] = field(default_factory=dict)  # the Python engine's results
    saved: dict[str, Any] = field(default_factory=dict)  # the values the workbook holds
    recalculated: bool = True

    @property
    def ok(self) -> bool:
        return not self.findings


# --- the reference: the template as the data in force builds it ----------------------------------------

_REFERENCE_DIR: list[Path] = []


@cache
def _reference_path(name: str, overlay: str) -> Path:
    if not overlay:
        return templates_dir() / f"{name}.xlsx"
    from .build import build_template  # the builder only under a parameter overlay

    if not _REFERENCE_DIR:
        directory = Path(tempfile.mkdtemp(prefix="zorginkoop-sjablonen-"))
        atexit.register(shutil.rmtree, directory, True)
        _REFERENCE_DIR.append(directory)
    return build_template(SPECS[name], _REFERENCE_DIR[0] / f"{hash(overlay) & 0xFFFFFFFF:x}-{name}.xlsx")


def reference_path(name: str) -> Path:
    return _reference_path(name, overlay_in_force())


@dataclass(frozen=True)
class AsFilled:
    """What `fill` writes into a copy besides the inputs, for these inputs (`_as_filled`)."""

    names: Mapping[tuple[str, str | None], str]  # the print areas, fitted to the rows written
    charts: Mapping[Any, Any]  # a chart of the template (its description) -> as fill fits it
    headers: Mapping[str, str]  # a header text of the template -> the copy's (key and policy year)
    # Another policy year of the template -> the headers fill writes for it: a copy whose year cell was
    # changed after filling still prints the year it was filled for (a header cannot follow a cell).
    other_years: Mapping[int, Mapping[str, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class _Workbook:
    """A workbook as check compares it: openpyxl's reading (formulas, styles), its XML structure, and
    the package's parts."""

    formulas: Workbook
    structure: Structure
    parts: list[Part]
    styles: appearance.Styles


@cache
def _reference(name: str, overlay: str) -> _Workbook:
    path = _reference_path(name, overlay)
    wb = load_workbook(path)
    return _Workbook(wb, read_structure(path), check_workbook_bounds(path), appearance.Styles(wb, None))


# --- reading a workbook ---------------------------------------------------------------------------------

def _open(path: Path, reference_theme: bytes | None = None, *,
          values: bool = True) -> tuple[_Workbook, Workbook | None]:
    """The workbook for comparing, and (with `values`) its saved values, after the package's bounds."""
    if not path.is_file():
        raise InputError(f"{path}: {not_a_file(path)}", field="workbook", value=str(path), file=str(path))
    found = check_workbook_bounds(path)
    try:
        # openpyxl warns (in English, on stderr) of what it drops, a defined name of a sheet that is gone say;
        # check says in Dutch what differs from the template instead.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            formulas = load_workbook(path)
            saved = load_workbook(path, data_only=True) if values else None
        read = read_structure(path)
    except Exception as err:  # openpyxl raises many types for files that are not xlsx
        from ..xlsx import unreadable  # only for a file that fails

        raise InputError(f"{path}: geen leesbare xlsx: {unreadable(path, err)}", field="workbook",
                         value=str(path), file=str(path)) from None
    return _Workbook(formulas, read, found, appearance.Styles(formulas, reference_theme)), saved


def _named_cells(wb: Workbook, name: str) -> list[tuple[str, str]]:
    if name not in wb.defined_names:
        return []
    cells = []
    try:
        destinations = list(wb.defined_names[name].destinations)
    except Exception:  # a name that is not a plain reference (a formula, an external link)
        return []
    for sheet, ref in destinations:
        if sheet not in wb.sheetnames:
            continue
        try:
            block = wb[sheet][ref.replace("$", "")]
        except ValueError:
            continue
        rows = block if isinstance(block, tuple) else ((block,),)
        cells += [(sheet, c.coordinate) for row in rows for c in (row if isinstance(row, tuple) else (row,))]
    return cells


def _value(wb: Workbook, name: str) -> Any:
    cells = _named_cells(wb, name)
    values = [wb[s][c].value for s, c in cells]
    return values if len(values) > 1 else (values[0] if values else None)


def _cells(ws: Worksheet) -> Iterator[tuple[str, Any, str]]:
    """(coordinate, value, data type) of every cell that holds something (never the empty rectangle)."""
    for cell in appearance.cells_with_content(ws):
        yield cell.coordinate, cell.value, cell.data_type


_CONSTANT_FORMULAS = {"=TRUE()", "=FALSE()", "=TRUE", "=FALSE"}


# --- the comparisons -----------------------------------------------------------------------------------

def _part_findings(found: list[Part], reference: list[Part]) -> list[Finding]:
    findings = []
    known = {p.name for p in reference}
    for part in found:
        what = next((label for pattern, label in _FORBIDDEN if pattern.search(part.name)), None)
        if what is not None:
            findings.append(Finding("onderdeel", part.name, None, None, f"de werkmap bevat {what}"))
        elif part.name not in known and not _BENIGN.match(part.name):
            findings.append(Finding("onderdeel", part.name, None, None, "onderdeel dat het sjabloon niet heeft"))
    return findings


_SHEET_STATES = {"visible": "zichtbaar", "hidden": "verborgen",
                 "veryHidden": "sterk verborgen (alleen met VBA zichtbaar te maken)"}


def _renamed_sheets(found: Workbook, expected: Workbook) -> dict[str, str]:
    """A sheet renamed (found title -> the template's): the one sheet the template lacks, where the one
    it has that is missing stood, holding at least half of that sheet's texts (a sheet deleted and another
    added in its place is no rename). Compared with that sheet of the template, the renamed sheet's cells
    are findings only where they differ, not every cell 'on a sheet the template does not have'."""
    if len(found.sheetnames) != len(expected.sheetnames):
        return {}
    new = [(i, title) for i, title in enumerate(found.sheetnames) if title not in expected.sheetnames]
    gone = [(i, title) for i, title in enumerate(expected.sheetnames) if title not in found.sheetnames]
    if len(new) != 1 or len(gone) != 1 or new[0][0] != gone[0][0]:
        return {}
    texts = [{value for _c, value, kind in _cells(book[title]) if kind == "s"}
             for book, title in ((expected, gone[0][1]), (found, new[0][1]))]
    return {new[0][1]: gone[0][1]} if len(texts[0] & texts[1]) * 2 >= len(texts[0]) else {}


def _workbook_findings(found: _Workbook, reference: _Workbook, filled: AsFilled | None,
                       renamed: Mapping[str, str]) -> list[Finding]:
    wb, expected = found.formulas, reference.formulas
    findings = []
    for title, was in renamed.items():
        findings.append(Finding("werkmap", f"tabblad {title}", was, title, "het tabblad heeft een andere naam dan "
                                "in het sjabloon; formules en namen die ernaar verwijzen, wijken daardoor ook af"))
    if not renamed and wb.sheetnames != expected.sheetnames:
        findings.append(Finding("werkmap", "tabbladen", ", ".join(expected.sheetnames), ", ".join(wb.sheetnames),
                                "de tabbladen wijken af van het sjabloon"))
    for ws in wb.worksheets:
        title = renamed.get(ws.title, ws.title)
        if title in expected.sheetnames and ws.sheet_state != expected[title].sheet_state:
            state = Display(_SHEET_STATES.get(expected[title].sheet_state, "?"))
            findings.append(Finding("werkmap", ws.title, state, Display(_SHEET_STATES.get(ws.sheet_state, "?")),
                                    "de zichtbaarheid van het tabblad is gewijzigd"))
        elif title not in expected.sheetnames and ws.sheet_state != "visible":
            findings.append(Finding("werkmap", ws.title, None, Display(_SHEET_STATES.get(ws.sheet_state, "?")),
                                    "verborgen tabblad toegevoegd"))
    if getattr(wb, "_external_links", None):
        findings.append(Finding("werkmap", "koppelingen", None, None, "de werkmap heeft koppelingen naar andere "
                                                                        "werkmappen"))
    if getattr(wb, "vba_archive", None) is not None:
        findings.append(Finding("werkmap", "macro's", None, None, "de werkmap bevat een macroproject"))
    findings += structure.name_findings(found.structure, reference.structure, _ranges(reference.structure),
                                        filled.names if filled else {})
    findings += structure.calculation_findings(found.structure, reference.structure)
    return findings


def _ranges(read: Structure) -> dict[str, list[tuple[int, int, int, int]]]:
    """Per sheet, the areas of the template's workbook names (the tables a print area must keep a header of)."""
    result: dict[str, list[tuple[int, int, int, int]]] = {}
    for name in read.names:
        bounds = structure._bounds(name.text) if name.scope is None else None
        if bounds is not None:
            result.setdefault(bounds[0], []).append(bounds[1:])
    return result


def _inputs(reference: _Workbook, spec: Template) -> set[tuple[str, str]]:
    """(sheet, cell) of every input of the template, and of its key: the cells whose value may differ."""
    wb = reference.formulas
    return {cell for name in (*(i.name for i in spec.inputs), "zk_sleutel") for cell in _named_cells(wb, name)}


def _cell_findings(found: _Workbook, reference: _Workbook, inputs: set[tuple[str, str]],
                   filled: AsFilled | None, renamed: Mapping[str, str]) -> list[Finding]:
    wb, expected_wb = found.formulas, reference.formulas
    findings: list[Finding] = []
    for ws in wb.worksheets:
        title = renamed.get(ws.title, ws.title)  # the template's name of the sheet
        if title not in expected_wb.sheetnames:
            for coordinate, value, _kind in _cells(ws):
                findings.append(Finding("cel", f"{ws.title}!{coordinate}", None, value, "cel op een tabblad dat het "
                                                                                       "sjabloon niet heeft"))
            findings += structure.sheet_findings(found.structure.sheets.get(ws.title) or structure.Sheet(ws.title, ""),
                                                  None)
            continue
        reference_sheet = expected_wb[title]
        expected = {coordinate: (value, kind) for coordinate, value, kind in _cells(reference_sheet)}
        present: set[str] = set()
        for coordinate, value, kind in _cells(ws):
            present.add(coordinate)
            where = f"{ws.title}!{coordinate}"
            if (title, coordinate) in inputs:
                if kind == "f" and str(value).strip().upper() not in _CONSTANT_FORMULAS:
                    findings.append(Finding("formule", where, None, _text(value), "invoercel bevat een formule"))
                continue
            if coordinate not in expected:
                message = "formule toegevoegd in een lege cel" if kind == "f" else "waarde toegevoegd in een lege cel"
                findings.append(Finding("formule" if kind == "f" else "cel", where, None, _text(value), message))
                continue
            want, want_kind = expected[coordinate]
            if want_kind == "f":
                if kind != "f":
                    findings.append(Finding("formule", where, _text(want), value,
                                            "formule is vervangen door een vaste waarde"))
                elif not same_formula(want, value):
                    findings.append(Finding("formule", where, _text(want), _text(value), "formule is gewijzigd"))
            elif kind == "f":
                findings.append(Finding("formule", where, want, _text(value),
                                        "vaste waarde is vervangen door een formule"))
            elif not _same_constant(want, value):
                findings.append(Finding("parameter" if title == "Bronnen" else "cel", where, want, value,
                                        "waarde wijkt af van het sjabloon"))
        for coordinate in sorted(set(expected) - present):
            want, want_kind = expected[coordinate]
            if (title, coordinate) not in inputs:
                kind = "formule" if want_kind == "f" else "cel"
                findings.append(Finding(kind, f"{ws.title}!{coordinate}", _text(want), None,
                                        "formule verwijderd" if want_kind == "f" else "waarde verwijderd"))
        sheet_inputs = {coordinate for sheet, coordinate in inputs if sheet == title}
        findings += appearance.sheet_findings(ws, reference_sheet, found.styles, reference.styles, sheet_inputs,
                                              filled.headers if filled else {}, filled.other_years if filled else {})
        findings += structure.sheet_findings(found.structure.sheets.get(ws.title) or structure.Sheet(ws.title, ""),
                                             reference.structure.sheets.get(title), filled.charts if filled else {})
    return findings


def _text(value: Any) -> Any:
    """A formula cell's value as its text (an array formula is an object in openpyxl, and a data table's
    TABLE() has no text at all: it is named by what it is and the cells it reads)."""
    if type(value).__name__ == "DataTableFormula":
        cells = ", ".join(str(c) for c in (getattr(value, "r1", None), getattr(value, "r2", None)) if c)
        return f"gegevenstabel (TABLE{f' van {cells}' if cells else ''})"
    return getattr(value, "text", value)


def _same_constant(expected: Any, found: Any) -> bool:
    if isinstance(expected, bool) or isinstance(found, bool):
        return expected is found or expected == found
    if isinstance(expected, int | float) and isinstance(found, int | float):
        return math.isclose(float(expected), float(found), rel_tol=1e-12, abs_tol=1e-12)
    if hasattr(expected, "isoformat") and hasattr(found, "isoformat"):
        return str(expected)[:10] == str(found)[:10]
    return bool(expected == found)


def reference_findings(path: Path, spec: Template) -> list[Finding]:
    """Steps 1-4 of the module docstring: the package, the workbook, every cell and what a reader sees,
    against the template."""
    reference = _reference(spec.name, overlay_in_force())
    found, _values = _open(path, getattr(reference.formulas, "loaded_theme", None), values=False)
    return _structure_findings(found, reference, _inputs(reference, spec))


def verified_template(template: str | Path) -> TemplateFile:
    """A template read for `fill` and `describe`. One from elsewhere (a path, or the bundled one under a
    parameter overlay) must be the template the parameter data in force builds: same formulas, parameters,
    names, parts and what a reader sees."""
    tpl = TemplateFile.open(template)
    if is_reference(tpl.path):
        return tpl
    findings = reference_findings(tpl.path, tpl.spec)
    if findings:
        more = f" (en nog {len(findings) - 1})" if len(findings) > 1 else ""
        raise InputError(f"sjabloon {tpl.path} wijkt af van sjabloon {tpl.spec.name} zoals de parametergegevens "
                         f"het maken: {findings[0].where}: {findings[0].message}{more}. Maak het sjabloon opnieuw "
                         "met `zorginkoop sjablonen` (met dezelfde --parameters).", field="template",
                         value=str(tpl.path))
    return tpl


def compare_workbooks(path: Path, reference_path: Path, inputs: tuple[str, ...] = ()) -> list[Finding]:
    """Steps 1-4 for any two workbooks: what `path` shows differently from `reference_path`, the cells of
    the names `inputs` free to hold other values. For tests and tools: a template against its copy saved
    by another program."""
    wb = load_workbook(reference_path)
    reference = _Workbook(wb, read_structure(reference_path), check_workbook_bounds(reference_path),
                          appearance.Styles(wb, None))
    found, _values = _open(path, getattr(wb, "loaded_theme", None), values=False)
    return _structure_findings(found, reference, {cell for name in inputs for cell in _named_cells(wb, name)})


def _structure_findings(found: _Workbook, reference: _Workbook, inputs: set[tuple[str, str]],
                        filled: AsFilled | None = None) -> list[Finding]:
    renamed = _renamed_sheets(found.formulas, reference.formulas)  # (it reads two sheets' cells: once)
    # Rows deleted or inserted first: they explain the findings of every cell, name and format below them.
    return [*_moved_rows(found, reference, inputs, renamed), *_part_findings(found.parts, reference.parts),
            *_workbook_findings(found, reference, filled, renamed),
            *_cell_findings(found, reference, inputs, filled, renamed)]


_MOVED_AT_MOST = 10  # rows deleted or inserted in one place; more is a sheet rewritten, not rows moved


def _moved_rows(found: _Workbook, reference: _Workbook, inputs: set[tuple[str, str]],
                renamed: Mapping[str, str]) -> list[Finding]:
    """Rows of a template's sheet deleted, or rows inserted, told as one finding each: every row below then
    stands higher or lower than in the template, and each of its cells is a finding of its own (one row
    deleted on Invoer gave 36, without a word of why). The rows with text are matched by the template's
    texts they hold (labels and help, not the inputs, which any copy fills); a shift counts where two rows
    in a row are found shifted alike and no row below is back where it was (so a label moved down by hand
    or a sorted range is no shift; a row moved above only the last text row cannot be told from it)."""
    findings = []
    for ws in found.formulas.worksheets:
        title = renamed.get(ws.title, ws.title)
        if title not in reference.formulas.sheetnames:
            continue
        template = _row_texts(reference.formulas[title], title, inputs)
        known = {text for _row, texts in template for text in texts}
        last = template[-1][0] + _MOVED_AT_MOST if template else 0  # (a hostile sheet's millionth row: no row of ours)
        # The sheet's own texts that the template has: its input cells may have moved with the rows.
        rows = [(row, kept) for row, texts in _row_texts(ws, ws.title, set(), last)
                if (kept := tuple(text for text in texts if text in known))]
        pairs = [(template[i + k][0], rows[j + k][0]) for i, j, size in difflib.SequenceMatcher(
            None, [texts for _row, texts in template], [texts for _row, texts in rows], autojunk=False
        ).get_matching_blocks() for k in range(size)]
        shift, previous = 0, (0, 0)
        matched_template, matched_rows = {a for a, _b in pairs}, {b for _a, b in pairs}
        for at, (a, b) in enumerate(pairs):
            moved = (b - a) - shift
            # Evidence: the next row found shifted alike, and no row after back where it stood before (a
            # range sorted, or a label moved by hand, shifts rows and then they are where they were).
            if moved and at + 1 < len(pairs) and pairs[at + 1][1] - pairs[at + 1][0] == b - a and \
                    all(d - c != shift for c, d in pairs[at + 1:]):
                if abs(moved) <= _MOVED_AT_MOST:
                    # Where: between the last row found in place and this one, the rows with text that are gone
                    # (deleted) or new (inserted), when they are as many as moved, else that span.
                    if moved < 0:
                        span, gone = (previous[0], a), [r for r, _t in template if previous[0] < r < a
                                                         and r not in matched_template]
                    else:
                        span, gone = (previous[1], b), [r for r, _t in rows if previous[1] < r < b
                                                        and r not in matched_rows]
                    findings.append(_moved(ws.title, moved, span, gone))
                shift = b - a
            if b - a == shift:
                previous = (a, b)
    return findings


def _moved(title: str, moved: int, span: tuple[int, int], gone: list[int]) -> Finding:
    """One finding: `moved` rows inserted (> 0) or deleted (< 0) between the rows of `span` (of the sheet
    for an insertion, of the template for a deletion); `gone`: the rows with text among them that are not
    found again, the rows themselves when they are as many and follow each other."""
    count = abs(moved)
    if len(gone) == count and gone == list(range(gone[0], gone[0] + count)):
        first, last = gone[0], gone[-1]
    elif span[1] - span[0] - 1 == count:  # no other row lies between
        first, last = span[0] + 1, span[1] - 1
    else:
        first, last = 0, 0
    rows = "een rij" if count == 1 else f"{count} rijen"
    if first:
        which = f"rij {first}" if count == 1 else f"rijen {first}–{last}"
    else:
        which = f"{rows} tussen rij {span[0]} en rij {span[1]}"
        first, last = span[0] + 1, span[1] - 1
    verb = "is" if count == 1 else "zijn"
    if moved < 0:
        message = (f"{which} van het sjabloon {verb} verwijderd: wat eronder stond, staat {rows} hoger; daarom "
                   "wijken de cellen, namen en opmaak daaronder af")
    else:
        message = (f"{which} {verb} ingevoegd: wat eronder staat, staat {rows} lager dan in het sjabloon; daarom "
                   "wijken de cellen, namen en opmaak daaronder af")
    return Finding("rij", f"{title}!{first}:{last}", None, None, message)


def _row_texts(ws: Worksheet, title: str, inputs: set[tuple[str, str]],
               last: int | None = None) -> list[tuple[int, tuple[str, ...]]]:
    """The rows of a sheet that hold text (up to row `last`), each with its texts left to right: what a
    reader recognises a row by (the template's inputs left out). A number counts with its column (the row
    numbers 1, 2, 3 beside a range of inputs; a count typed in another column is no such number)."""
    texts: dict[int, list[tuple[int, str]]] = {}
    for coordinate, value, kind in _cells(ws):
        if (title, coordinate) in inputs:
            continue
        column, row = coordinate_from_string(coordinate)
        if kind == "s" and isinstance(value, str):
            text = value
        elif kind == "n" and isinstance(value, int | float) and not isinstance(value, bool):
            text = f"\x00{column}{value!r}"
        else:
            continue
        if last is None or row <= last:
            texts.setdefault(row, []).append((column_index_from_string(column), text))
    return [(row, tuple(text for _column, text in sorted(texts[row]))) for row in sorted(texts)]


# --- outputs ----------------------------------------------------------------------------------------------

def as_stored(value: Any) -> Any:
    """A number cell's value as the file stores it and Excel computes with it: openpyxl reads a number in a
    date, time or duration format as a datetime, time or timedelta (209 as 1900-07-27). The format is a
    finding of its own (`appearance`); the number is what the rules and the formulas read."""
    if isinstance(value, dt.datetime | dt.time | dt.timedelta):
        from openpyxl.utils.datetime import to_excel  # only for such a cell

        return to_excel(value)
    return value


def _same(expected: Any, found: Any, kind: str) -> bool:
    if isinstance(expected, list):
        items = found if isinstance(found, list) else [found]
        return all(_same(e, f, kind) for e, f in zip(expected + [""] * (len(items) - len(expected)),
                                                      [("" if f is None else f) for f in items], strict=False))
    if isinstance(expected, bool):  # a yes/no result reads ja/nee in the workbook
        return bool(found == yes_no_text(expected))
    if isinstance(found, bool):
        return False
    if isinstance(expected, dt.date):  # a date cell reads as a datetime (or, unformatted, its serial number)
        try:
            return read_date(found) == expected
        except InputError:
            return False
    if isinstance(expected, str) or isinstance(found, str):
        return bool(expected == found)
    if expected is None or found is None:
        return expected is found
    try:
        number = float(as_stored(found))
    except (OverflowError, TypeError, ValueError):  # a cached value no number type holds (1 and 400 zeros)
        return False
    if kind == "money":
        return Decimal(str(number)).quantize(Decimal("0.01")) == Decimal(expected).quantize(Decimal("0.01"))
    return math.isclose(float(expected), number, rel_tol=1e-9, abs_tol=1e-9)


def check_workbook(path: Path) -> CheckReport:
    """Compare a workbook with the template it claims to be and its outputs with the rules."""
    found, values = _open(path)
    assert values is not None
    wb = found.formulas
    name = _value(wb, "zk_sjabloon")
    if not isinstance(name, str) or name not in SPECS:
        # (A report of `ratio --rapport`, say: check audits only what a template made, and says which.)
        why = "het is niet uit een sjabloon van de toolkit gemaakt" if name is None else \
            f"het noemt een sjabloon dat deze versie van de toolkit niet kent ({shown(name)})"
        raise InputError(f"{path}: {why}; check controleert werkmappen die met zorginkoop fill of uit een sjabloon "
                         "(zorginkoop sjablonen) zijn gemaakt", field="workbook", value=str(path), file=str(path))
    spec = SPECS[name]
    reference = _reference(spec.name, overlay_in_force())
    # A workbook without a theme part of its own (LibreOffice writes none) shows the template's colours.
    found = replace(found, styles=appearance.Styles(wb, getattr(reference.formulas, "loaded_theme", None)))
    report = CheckReport(path, name, str(_value(wb, "zk_versie")))
    version_at = "!".join(next(iter(_named_cells(wb, "zk_versie")), ("Bronnen", "B3")))
    other_version = report.version != str(_value(reference.formulas, "zk_versie"))
    if other_version:
        # Said first: a copy of an older template differs where the template changed since, and those
        # findings are no edits by anyone.
        report.findings.append(Finding(
            "versie", version_at, _value(reference.formulas, "zk_versie"), report.version,
            "de werkmap is gemaakt met een andere versie van het sjabloon dan deze toolkit kent; de bevindingen "
            "hierna volgen daar grotendeels uit. Vul de werkmap opnieuw met zorginkoop fill, of controleer hem "
            "met de versie van de toolkit waarmee hij is gemaakt"))
    report.findings += _other_years(wb, spec)
    inputs, problems = _computed(wb, values, spec, report)
    # What fill fitted to the rows it wrote, derived from the inputs read; when an input is refused, from
    # those that are not and the outputs as the copy saved them (the refused input is the one finding).
    outputs = report.outputs if not problems else _saved_outputs(wb, values, spec)
    filled = _as_filled(spec, inputs, outputs, _value(wb, "zk_sleutel")) if inputs is not None else None
    structure_findings = _structure_findings(found, reference, _inputs(reference, spec), filled)
    # (The version cell itself differs too: the version finding has said so.)
    report.findings += [f for f in structure_findings
                        if not (other_version and f.where == version_at and f.kind in ("parameter", "cel"))]
    report.findings += problems
    if inputs is not None and not problems:
        _compare_outputs(wb, values, spec, report)
    return report


def _other_years(wb: Workbook, spec: Template) -> list[Finding]:
    """The one finding that explains many: a workbook whose policy years (`par_jaren` on Bronnen) are not
    those of the parameter data in force was made with other data (an overlay for a new year, say), and every
    year's row and name that moved is a finding after it."""
    typed = _value(wb, "par_jaren")
    years = [y for y in (typed if isinstance(typed, list) else [typed]) if y is not None]
    try:
        found = tuple(int(y) for y in years)
    except (TypeError, ValueError, OverflowError):  # (a hostile file's 1e400 reads as infinity)
        return []  # not years: the names and cells that differ are the findings
    if not found or found == tuple(spec.years):
        return []
    return [Finding("werkmap", "Bronnen", Display(years_text(tuple(spec.years))), Display(years_text(found)),
                    "gemaakt met andere parametergegevens dan die in gebruik (een ander jaar): controleer met "
                    "dezelfde --parameters als bij het maken; de bevindingen hierna volgen daar grotendeels uit")]


def _computed(wb: Workbook, values: Workbook, spec: Template,
              report: CheckReport) -> tuple[dict[str, Any] | None, list[Finding]]:
    """The workbook's inputs as the rules read them and (in `report.outputs`) what the rules compute from
    them; or the findings that stop it: one per input the rules refuse (naming its cell, with the input
    left empty in the inputs returned), or an input name missing (None: reported as a missing name)."""
    inputs: dict[str, Any] = {}
    problems: list[Finding] = []
    for spec_input in spec.inputs:
        cells = _named_cells(wb, spec_input.name)
        if not cells:
            return None, []
        # An input typed as a formula (LibreOffice's =TRUE() for a boolean) counts with its saved value.
        read = [values[s][c] if wb[s][c].data_type == "f" else wb[s][c] for s, c in cells]
        converted = []
        before = len(problems)
        for found, (sheet, cell) in zip(read, cells, strict=True):
            value = found.value if spec_input.kind == "date" else as_stored(found.value)
            try:
                _as_the_formulas_read(spec_input, value, error=found.data_type == "e")
                converted.append(convert(spec_input, value, label=spec_input.label))
            except InputError as err:
                problems.append(Finding("invoer", f"{sheet}!{cell}", None, None, str(err)))
                converted.append(None)
        inputs[spec_input.name] = converted if spec_input.rows else (converted[0] if converted else None)
        if spec_input.rows and spec_input.required and all(v is None for v in converted) and len(problems) == before:
            # A list of which not one row is filled: missing, as an empty single cell is (the workbook shows
            # "vul eerst de invoer in" in its results).
            problems.append(Finding("invoer", f"{cells[0][0]}!{cells[0][1]}:{cells[-1][1]}", None, None,
                                    f"{spec_input.label}: nog geen enkele rij ingevuld"))
    if not problems and all(v is None or (isinstance(v, list) and all(x is None for x in v))
                            for v in inputs.values()):
        # Nothing typed at all, in a template whose every input may be left empty on its own (eigen_levering).
        problems.append(Finding("invoer", "Invoer", None, None, "nog geen invoer ingevuld"))
    if problems:
        return inputs, problems
    try:
        report.outputs = spec.compute(inputs)
    except ToolkitError as err:
        row = getattr(err, "row", None)
        where = "Invoer"
        field_name = getattr(err, "field", None)
        fed = [i for i in spec.inputs if spec.rule_fields.get(str(field_name)) == i.column]
        ranges = [i for i in fed if i.rows] or [i for i in spec.inputs if i.rows]
        if isinstance(row, int) and ranges and row <= len(_named_cells(wb, ranges[0].name)):
            sheet, cell = _named_cells(wb, ranges[0].name)[row - 1]
            where = f"{sheet}!{cell}"
        # The rule names its field in English ('clients'); the sheet shows the input's label ('CZ-cliënten').
        message = relabel(err, fed[0].label) if fed else str(err)
        return inputs, [Finding("invoer", where, None, None, message)]
    return inputs, []


# What the template's formulas take only from a number cell (ISNUMBER): a date is a serial number there.
_NUMBER_KINDS = {"number": "een getal", "year": "een getal", "date": "een datum"}


def _as_the_formulas_read(spec_input: Input, value: object, *, error: bool = False) -> None:
    """Refuse a cell the template's formulas would read otherwise than the rules: they take a number only
    from a number cell (ISNUMBER; '1.234,56' typed as text shows "fout in de invoer" in the workbook) and
    trim only plain spaces (TRIM; 'B' with a tab or a no-break space is no score there). An INPUTS file is all
    text and is read by the rules alone; a workbook's cell must give the same answer in the workbook."""
    if error:  # #N/B in the cell: no value the rules could read, and no text typed either
        raise InputError(f"{spec_input.label}: {error_value_in_cell(value)}", field=spec_input.column, value=value)
    if not isinstance(value, str) or value == "" or value.strip(" ") == "":
        return
    if value.strip() == "":  # a tab, no-break space or line break alone: TRIM keeps it, the workbook sees no empty cell
        raise InputError(f"{spec_input.label}: de cel bevat alleen witruimte (een tab, harde spatie of regeleinde), "
                         "die de werkmap niet als leeg ziet; maak de cel leeg", field=spec_input.column, value=value)
    if spec_input.kind in _NUMBER_KINDS:
        wanted = _NUMBER_KINDS[spec_input.kind]
        raise InputError(f"{spec_input.label}: {show_value(value)} staat als tekst in de cel, en de werkmap rekent "
                         f"alleen met {wanted}; typ het opnieuw als {wanted.split()[1]} (zonder ' ervoor)",
                         field=spec_input.column, value=value)
    if spec_input.kind in ("choice", "flag", "score") and value.strip() != value.strip(" "):
        raise InputError(f"{spec_input.label}: {show_value(value)} heeft een tab, harde spatie of regeleinde voor of "
                         "achter de tekst, die de werkmap niet weglaat; typ de waarde opnieuw", field=spec_input.column,
                         value=value)


def _saved_outputs(wb: Workbook, values: Workbook, spec: Template) -> dict[str, Any]:
    """The range outputs as the copy saved them (what fill wrote as their cached results)."""
    return {output.name: [values[s][c].value for s, c in _named_cells(wb, output.name)]
            for output in spec.outputs if output.rows}


def _as_filled(spec: Template, inputs: Mapping[str, Any], outputs: Mapping[str, Any], key: Any) -> AsFilled:
    """What `zorginkoop fill` changes beyond the inputs when it writes these inputs into the template: the
    print areas and the chart fitted to the rows written, the key and policy year in the header. A
    copy may show these or the template's own."""
    key_text = None if key is None or str(key).strip() == "" else str(key).strip()
    fitted = _template_file(spec.name, overlay_in_force()).fitted(inputs, outputs)
    names = structure.names_in(fitted["xl/workbook.xml"]) if "xl/workbook.xml" in fitted else []
    charts = {}
    for part, data in fitted.items():
        if part.startswith("xl/charts/"):
            original = _reference_part(spec.name, overlay_in_force(), part)
            charts[structure.chart_description(structure.parse(original))] = structure.chart_description(
                structure.parse(data))
    template_header = header_code(years_text(spec.years))
    other_years = {year: {template_header: header_code(copy_header(key_text, {**inputs, "in_jaar": year}))}
                   for year in spec.years if year != inputs.get("in_jaar")}
    return AsFilled({(n.name, n.scope): n.text for n in names}, charts,
                    {template_header: header_code(copy_header(key_text, inputs))}, other_years)


@cache
def _template_file(name: str, overlay: str) -> TemplateFile:
    return TemplateFile.open(_reference_path(name, overlay))


def _reference_part(name: str, overlay: str, part: str) -> bytes:
    import zipfile

    with zipfile.ZipFile(_reference_path(name, overlay)) as archive:
        return archive.read(part)


def _compare_outputs(wb: Workbook, values: Workbook, spec: Template, report: CheckReport) -> None:
    outputs: tuple[Output, ...] = spec.outputs
    report.saved = {o.name: _value(values, o.name) for o in outputs}
    if all(_unsaved(v) for v in report.saved.values()):
        report.recalculated = False  # never calculated and saved: nothing to compare yet
        return
    for output in outputs:
        expected, found = report.outputs[output.name], report.saved[output.name]
        where = ", ".join(f"{s}!{c}" for s, c in _named_cells(wb, output.name)[:1])
        if _unsaved(found):
            # The others were calculated and saved, this one not (its value taken out of the file): a reader
            # whose program does not calculate again sees it empty. A range output's empty rows are no matter.
            if not output.rows and expected not in (None, ""):
                report.findings.append(Finding("uitkomst", where, Display(shown(expected, output.kind)),
                                               None, f"{output.label}: geen opgeslagen waarde in het bestand; "
                                                     "open de werkmap in Excel en sla hem op"))
            continue
        if not _same(expected, found, output.kind):
            apart = shown_apart(expected, found, output.kind)
            report.findings.append(Finding("uitkomst", where, Display(apart[0]), Display(apart[1]),
                                           f"{output.label} wijkt af van wat de toolkit berekent"))


def _unsaved(value: Any) -> bool:
    return value is None or (isinstance(value, list) and all(v is None for v in value))


