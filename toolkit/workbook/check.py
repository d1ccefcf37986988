"""`zorginkoop check`: can a workbook that went around by e-mail still be trusted?

A workbook that arrives from elsewhere is untrusted until it has been compared, part by part, with the
template it claims to be (the `zk_sjabloon` name): the template as the parameter data in force builds
it, overlay included. In that order:

1. the package, before anything is parsed (`package.py`): sizes bounded, no macro project, no external
   links, no embedded objects, pictures, connections or custom XML, no part the template lacks;
2. the workbook: the same sheets in the same order and visibility, the same defined names pointing
   at the same cells, sheet protection and data validation as the template has them;
3. every cell: each formula as in the template (none changed, removed or added), every label and
   parameter as in the template, the input cells free of formulas;
4. the outputs: recomputed from the workbook's own inputs with the Python rules and compared with the
   values the workbook holds (money to the cent, other numbers to 1e-9); an output without a saved
   value yet is no difference.

One finding per difference, in Dutch, with values as a Dutch reader writes them.
"""

from __future__ import annotations

import atexit
import datetime as dt
import math
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from ..dates import read_date
from ..errors import InputError, ToolkitError
from ..numbers import format_money, format_number, format_percent
from ..parameters import OVERLAY_VARIABLE
from . import templates_dir
from .formats import yes_no_text
from .package import Part, check_workbook_bounds, read_part
from .specs import SPECS, Output, Template, convert

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
_MAX_CELLS_PER_SHEET = 500_000
_CELL_TAG = re.compile(rb"<(?:\w+:)?c\b")


@dataclass(frozen=True)
class Finding:
    kind: str  # onderdeel, werkmap, naam, formule, cel, instelling, invoer, uitkomst, versie
    where: str
    expected: Any
    found: Any
    message: str

    @property
    def cell(self) -> str:
        return self.where

    def line(self) -> str:
        """The finding as one Dutch line."""
        values = ""
        if self.expected is not None or self.found is not None:
            values = f" (verwacht {shown(self.expected)}, gevonden {shown(self.found)})"
        return f"{self.kind}: {self.where}: {self.message}{values}"


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


class _Display(str):
    """A value already written for a Dutch reader (Finding.line shows it as it is)."""


def shown(value: Any, kind: str = "") -> str:
    """A value as a Dutch reader writes it: € 1.234,56, 3,37 %, ja, (leeg)."""
    if isinstance(value, _Display):
        return str(value)
    if value is None or value == "":
        return "(leeg)"
    if isinstance(value, bool):
        return yes_no_text(value)
    if isinstance(value, dt.date):  # as the cell shows it (d-m-yyyy)
        return f"{value.day}-{value.month}-{value.year}"
    if isinstance(value, int | float | Decimal):
        if isinstance(value, float) and not math.isfinite(value):
            return str(value)
        if kind == "money":
            return format_money(value)
        if kind in ("fraction", "index"):
            return format_percent(value)
        return format_number(value)
    if isinstance(value, list):
        items = [shown(v, kind) for v in value if v not in ("", None)]
        return ", ".join(items) or "(leeg)"
    text = str(value)
    return f"'{text[:60]}…'" if len(text) > 60 else f"'{text}'"


# --- the reference: the template as the data in force builds it ----------------------------------------

_REFERENCE_DIR: list[Path] = []


def _overlay() -> str:
    return os.environ.get(OVERLAY_VARIABLE, "").strip()


def is_reference(path: Path) -> bool:
    """Whether `path` is the bundled template and the bundled data is in force (so it is the reference)."""
    bundled = templates_dir() / path.name
    try:
        return not _overlay() and bundled.is_file() and os.path.samefile(bundled, path)
    except OSError:
        return False


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
    return _reference_path(name, _overlay())


@cache
def _reference(name: str, overlay: str) -> tuple[Workbook, list[Part]]:
    path = _reference_path(name, overlay)
    return load_workbook(path), check_workbook_bounds(path)


# --- reading a workbook ---------------------------------------------------------------------------------

def _open(path: Path) -> tuple[Workbook, Workbook, list[Part]]:
    if not path.is_file():
        raise InputError(f"{path}: bestand bestaat niet", field="workbook", value=str(path), file=str(path))
    found = check_workbook_bounds(path)

    for part in found:
        if part.name.startswith("xl/worksheets/") and part.name.endswith(".xml"):
            cells = len(_CELL_TAG.findall(read_part(path, part.name)))
            if cells > _MAX_CELLS_PER_SHEET:
                raise InputError(f"{path}: werkblad {part.name} heeft {cells} cellen; een sjabloon heeft er veel "
                                 "minder", field="workbook", value=str(path), file=str(path))
    try:
        formulas = load_workbook(path)
        values = load_workbook(path, data_only=True)
    except Exception as err:  # openpyxl raises many types for files that are not xlsx
        raise InputError(f"{path}: geen leesbare xlsx ({type(err).__name__}: {str(err)[:200]})", field="workbook",
                         value=str(path), file=str(path)) from None
    return formulas, values, found


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
        block = wb[sheet][ref.replace("$", "")]
        rows = block if isinstance(block, tuple) else ((block,),)
        cells += [(sheet, c.coordinate) for row in rows for c in (row if isinstance(row, tuple) else (row,))]
    return cells


def _value(wb: Workbook, name: str) -> Any:
    cells = _named_cells(wb, name)
    values = [wb[s][c].value for s, c in cells]
    return values if len(values) > 1 else (values[0] if values else None)


_STRING = re.compile(r'"[^"]*"')


def normalise_formula(formula: object) -> str:
    """A formula as spreadsheet programs rewrite it on save: case, spaces, $, quotes, _xlfn. ignored."""
    text = str(formula)
    parts = []
    last = 0
    for match in _STRING.finditer(text):
        parts.append(_normalise_code(text[last:match.start()]))
        parts.append(match.group(0))
        last = match.end()
    parts.append(_normalise_code(text[last:]))
    return "".join(parts)


def _normalise_code(code: str) -> str:
    code = code.upper().replace("_XLFN.", "").replace("$", "").replace("'", "")
    # LibreOffice saves the constants TRUE and FALSE as the functions TRUE() and FALSE().
    code = re.sub(r"\s+", "", code).replace("TRUE()", "TRUE").replace("FALSE()", "FALSE")
    return code


def _cells(ws: Worksheet) -> Iterator[tuple[str, Any, str]]:
    """(coordinate, value, data type) of every cell that holds something."""
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is not None:
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


def _workbook_findings(wb: Workbook, reference: Workbook) -> list[Finding]:
    findings = []
    if wb.sheetnames != reference.sheetnames:
        findings.append(Finding("werkmap", "tabbladen", ", ".join(reference.sheetnames), ", ".join(wb.sheetnames),
                                "de tabbladen wijken af van het sjabloon"))
    for ws in wb.worksheets:
        if ws.title in reference.sheetnames and ws.sheet_state != reference[ws.title].sheet_state:
            findings.append(Finding("werkmap", ws.title, reference[ws.title].sheet_state, ws.sheet_state,
                                    "de zichtbaarheid van het tabblad is gewijzigd"))
        elif ws.title not in reference.sheetnames and ws.sheet_state != "visible":
            findings.append(Finding("werkmap", ws.title, None, ws.sheet_state, "verborgen tabblad toegevoegd"))
    if getattr(wb, "_external_links", None):
        findings.append(Finding("werkmap", "koppelingen", None, None, "de werkmap heeft koppelingen naar andere "
                                                                        "werkmappen"))
    if getattr(wb, "vba_archive", None) is not None:
        findings.append(Finding("werkmap", "macro's", None, None, "de werkmap bevat een macroproject"))
    names = {n: _target(d.attr_text) for n, d in wb.defined_names.items() if not n.startswith("_xlnm.")}
    expected = {n: _target(d.attr_text) for n, d in reference.defined_names.items()}
    for name in sorted(set(expected) | set(names)):
        if name not in names:
            findings.append(Finding("naam", name, expected[name], None, "gedefinieerde naam ontbreekt"))
        elif name not in expected:
            findings.append(Finding("naam", name, None, names[name], "gedefinieerde naam toegevoegd"))
        elif names[name] != expected[name]:
            findings.append(Finding("naam", name, expected[name], names[name],
                                    "gedefinieerde naam wijst naar een andere plaats"))
    for ws in wb.worksheets:
        if ws.title in reference.sheetnames and bool(ws.protection.sheet) != bool(reference[ws.title].protection.sheet):
            findings.append(Finding("instelling", ws.title, "beveiligd", "niet beveiligd" if not ws.protection.sheet
                                    else "beveiligd", "de bladbeveiliging is gewijzigd"))
    return findings


def _target(text: str | None) -> str:
    return (text or "").replace("$", "").replace("'", "").strip().upper()


def _validations(ws: Worksheet) -> set[tuple[str, str, str, str, str]]:
    """Per cell: what it accepts. Written the way programs differ in saving it: the operator's default is
    "between" (OOXML), a list has none that matters, and a second formula counts only for a range."""
    result = set()
    for dv in ws.data_validations.dataValidation:
        kind = str(dv.type or "any")
        operator = "" if kind == "list" else str(dv.operator or "between")
        second = normalise_formula(dv.formula2 or "") if operator in {"between", "notBetween"} else ""
        for cells in dv.sqref.ranges:
            for coordinate in _coordinates(str(cells)):
                result.add((coordinate, kind, operator, normalise_formula(dv.formula1 or ""), second))
    return result


def _coordinates(ref: str) -> Iterator[str]:
    from openpyxl.utils import get_column_letter
    from openpyxl.utils.cell import range_boundaries

    low_col, low_row, high_col, high_row = range_boundaries(ref)
    for row in range(low_row or 1, (high_row or low_row or 1) + 1):
        for col in range(low_col or 1, (high_col or low_col or 1) + 1):
            yield f"{get_column_letter(col)}{row}"


def _cell_findings(wb: Workbook, reference: Workbook, spec: Template) -> list[Finding]:
    findings: list[Finding] = []
    inputs = {cell for i in spec.inputs for cell in _named_cells(reference, i.name)}
    inputs |= set(_named_cells(reference, "zk_sleutel"))
    for ws in wb.worksheets:
        if ws.title not in reference.sheetnames:
            for coordinate, value, _kind in _cells(ws):
                findings.append(Finding("cel", f"{ws.title}!{coordinate}", None, value, "cel op een tabblad dat het "
                                                                                       "sjabloon niet heeft"))
            continue
        expected = {coordinate: (value, kind) for coordinate, value, kind in _cells(reference[ws.title])}
        present: set[str] = set()
        for coordinate, value, kind in _cells(ws):
            present.add(coordinate)
            where = f"{ws.title}!{coordinate}"
            if (ws.title, coordinate) in inputs:
                if kind == "f" and str(value).strip().upper() not in _CONSTANT_FORMULAS:
                    findings.append(Finding("formule", where, None, value, "invoercel bevat een formule"))
                continue
            if coordinate not in expected:
                message = "formule toegevoegd in een lege cel" if kind == "f" else "waarde toegevoegd in een lege cel"
                findings.append(Finding("formule" if kind == "f" else "cel", where, None, value, message))
                continue
            want, want_kind = expected[coordinate]
            if want_kind == "f":
                if kind != "f":
                    findings.append(Finding("formule", where, want, value,
                                            "formule is vervangen door een vaste waarde"))
                elif normalise_formula(value) != normalise_formula(want):
                    findings.append(Finding("formule", where, want, value, "formule is gewijzigd"))
            elif kind == "f":
                findings.append(Finding("formule", where, want, value, "vaste waarde is vervangen door een formule"))
            elif not _same_constant(want, value):
                findings.append(Finding("parameter" if ws.title == "Bronnen" else "cel", where, want, value,
                                        "waarde wijkt af van het sjabloon"))
        for coordinate in sorted(set(expected) - present):
            want, want_kind = expected[coordinate]
            if (ws.title, coordinate) not in inputs:
                kind = "formule" if want_kind == "f" else "cel"
                findings.append(Finding(kind, f"{ws.title}!{coordinate}", want, None,
                                        "formule verwijderd" if want_kind == "f" else "waarde verwijderd"))
        if _validations(ws) != _validations(reference[ws.title]):
            findings.append(Finding("instelling", ws.title, None, None, "de gegevensvalidatie is gewijzigd"))
        if len(getattr(ws, "_charts", [])) != len(getattr(reference[ws.title], "_charts", [])):
            findings.append(Finding("instelling", ws.title, None, None, "grafieken toegevoegd of verwijderd"))
    return findings


def _same_constant(expected: Any, found: Any) -> bool:
    if isinstance(expected, bool) or isinstance(found, bool):
        return expected is found or expected == found
    if isinstance(expected, int | float) and isinstance(found, int | float):
        return math.isclose(float(expected), float(found), rel_tol=1e-12, abs_tol=1e-12)
    if hasattr(expected, "isoformat") and hasattr(found, "isoformat"):
        return str(expected)[:10] == str(found)[:10]
    return bool(expected == found)


def reference_findings(path: Path, spec: Template) -> list[Finding]:
    """Steps 1-3 of the module docstring: the package, the workbook and every cell against the template."""
    wb, _values, found = _open(path)
    return _structure_findings(wb, found, spec)


def _structure_findings(wb: Workbook, found: list[Part], spec: Template) -> list[Finding]:
    reference, reference_parts = _reference(spec.name, _overlay())
    return [*_part_findings(found, reference_parts), *_workbook_findings(wb, reference),
            *_cell_findings(wb, reference, spec)]


# --- outputs ----------------------------------------------------------------------------------------------

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
    number = float(found)
    if kind == "money":
        return Decimal(str(number)).quantize(Decimal("0.01")) == Decimal(expected).quantize(Decimal("0.01"))
    return math.isclose(float(expected), number, rel_tol=1e-9, abs_tol=1e-9)


def check_workbook(path: Path) -> CheckReport:
    """Compare a workbook with the template it claims to be and its outputs with the rules."""
    wb, values, found = _open(path)
    name = _value(wb, "zk_sjabloon")
    if not isinstance(name, str) or name not in SPECS:
        raise InputError(f"{path}: geen ingevuld sjabloon van de toolkit (naam zk_sjabloon ontbreekt of is onbekend: "
                         f"{shown(name)})", field="workbook", value=str(path), file=str(path))
    spec = SPECS[name]
    reference, _parts = _reference(spec.name, _overlay())
    report = CheckReport(path, name, str(_value(wb, "zk_versie")))
    if report.version != str(_value(reference, "zk_versie")):
        report.findings.append(Finding("versie", "Bronnen", _value(reference, "zk_versie"), report.version,
                                       "andere versie van het sjabloon dan de toolkit kent"))
    report.findings += _structure_findings(wb, found, spec)
    _check_outputs(wb, values, spec, report)
    return report


def _check_outputs(wb: Workbook, values: Workbook, spec: Template, report: CheckReport) -> None:
    inputs: dict[str, Any] = {}
    for spec_input in spec.inputs:
        cells = _named_cells(wb, spec_input.name)
        if not cells:
            return  # reported as a missing name above
        # An input typed as a formula (LibreOffice's =TRUE() for a boolean) counts with its saved value.
        raw = [values[s][c].value if wb[s][c].data_type == "f" else wb[s][c].value for s, c in cells]
        try:
            converted = [convert(spec_input, v, where=f"cel {s}!{c} ({spec_input.name}), kolom ")
                         for v, (s, c) in zip(raw, cells, strict=True)]
        except InputError as err:
            report.findings.append(Finding("invoer", spec_input.name, None, getattr(err, "value", None), str(err)))
            return
        inputs[spec_input.name] = converted if spec_input.rows else (converted[0] if converted else None)
    try:
        report.outputs = spec.compute(inputs)
    except ToolkitError as err:
        row = getattr(err, "row", None)
        where = "Invoer"
        field_name = getattr(err, "field", None)
        ranges = [i for i in spec.inputs if i.rows and spec.rule_fields.get(str(field_name)) == i.column] or [
            i for i in spec.inputs if i.rows]
        if isinstance(row, int) and ranges and row <= len(_named_cells(wb, ranges[0].name)):
            sheet, cell = _named_cells(wb, ranges[0].name)[row - 1]
            where = f"{sheet}!{cell}"
        report.findings.append(Finding("invoer", where, None, None, str(err)))
        return
    outputs: tuple[Output, ...] = spec.outputs
    report.saved = {o.name: _value(values, o.name) for o in outputs}
    if all(_unsaved(v) for v in report.saved.values()):
        report.recalculated = False  # never calculated and saved: nothing to compare yet
        return
    for output in outputs:
        expected, found = report.outputs[output.name], report.saved[output.name]
        if _unsaved(found):
            continue  # no saved value yet for this one: not a difference
        if not _same(expected, found, output.kind):
            where = ", ".join(f"{s}!{c}" for s, c in _named_cells(wb, output.name)[:1])
            report.findings.append(Finding("uitkomst", where, _display(expected, output.kind),
                                           _display(found, output.kind),
                                           f"{output.label} wijkt af van wat de toolkit berekent"))


def _unsaved(value: Any) -> bool:
    return value is None or (isinstance(value, list) and all(v is None for v in value))


def _display(value: Any, kind: str) -> _Display:
    return _Display(shown(value, kind))
