"""`zorginkoop check`: can a filled template that went around by e-mail still be trusted?

Reads the workbook twice with openpyxl (formulas, and the values Excel last saved), then:
1. compares every formula with the bundled template of the same name: a changed or overwritten
   formula is reported with its cell;
2. compares the parameters on Bronnen (`par_*`) with the template's;
3. recomputes the outputs from the workbook's own inputs with the Python rules and compares them
   with the saved values of the `out_*` cells (money to the cent, other numbers to 1e-9).
A workbook that was never recalculated and saved (openpyxl and `zorginkoop fill` write no values)
gets a note instead of step 3's comparison; its formulas are still checked.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from ..errors import InputError, ToolkitError
from . import template_path
from .specs import SPECS, TemplateSpec, convert


@dataclass(frozen=True)
class Finding:
    kind: str  # formule, parameter, uitkomst, invoer
    cell: str
    expected: Any
    found: Any
    message: str


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


def _named_cells(wb: Workbook, name: str) -> list[tuple[str, str]]:
    if name not in wb.defined_names:
        return []
    cells = []
    for sheet, ref in wb.defined_names[name].destinations:
        ref = ref.replace("$", "")
        block = wb[sheet][ref]
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


def _formulas(wb: Workbook) -> Iterator[tuple[str, str, Any]]:
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    yield ws.title, cell.coordinate, cell.value


def _same(expected: Any, found: Any, kind: str) -> bool:
    if isinstance(expected, bool) or isinstance(found, bool):
        return isinstance(expected, bool) and isinstance(found, bool) and expected == found
    if isinstance(expected, str) or isinstance(found, str):
        return bool(expected == found)
    if expected is None or found is None:
        return expected is found
    number = float(found)
    if kind == "money":
        return Decimal(str(number)).quantize(Decimal("0.01")) == Decimal(expected).quantize(Decimal("0.01"))
    return math.isclose(float(expected), number, rel_tol=1e-9, abs_tol=1e-9)


def check_workbook(path: Path) -> CheckReport:
    try:
        wb = load_workbook(path)
        values = load_workbook(path, data_only=True)
    except Exception as err:  # openpyxl raises many types for files that are not xlsx
        raise InputError(f"{path}: geen leesbare xlsx ({type(err).__name__}: {err})", field="workbook",
                         value=str(path)) from None
    name = _value(wb, "zk_sjabloon")
    if name not in SPECS:
        raise InputError(f"{path}: geen ingevuld sjabloon van de toolkit (naam zk_sjabloon ontbreekt of is onbekend: "
                         f"{name!r})", field="workbook", value=str(path))
    spec = SPECS[name]
    template = load_workbook(template_path(name))
    report = CheckReport(path, name, str(_value(wb, "zk_versie")))
    if report.version != str(_value(template, "zk_versie")):
        report.findings.append(Finding("versie", "Bronnen", _value(template, "zk_versie"), report.version,
                                       "andere versie van het sjabloon dan de toolkit kent"))
    _check_formulas(wb, template, report)
    _check_parameters(wb, template, report)
    _check_outputs(wb, values, spec, report)
    return report


def _check_formulas(wb: Workbook, template: Workbook, report: CheckReport) -> None:
    for sheet, ref, formula in _formulas(template):
        where = f"{sheet}!{ref}"
        if sheet not in wb.sheetnames:
            report.findings.append(Finding("formule", where, formula, None, f"tabblad {sheet} ontbreekt"))
            continue
        cell = wb[sheet][ref]
        if cell.data_type != "f":
            report.findings.append(Finding("formule", where, formula, cell.value,
                                           "formule is vervangen door een vaste waarde"))
        elif normalise_formula(cell.value) != normalise_formula(formula):
            report.findings.append(Finding("formule", where, formula, cell.value, "formule is gewijzigd"))


def _check_parameters(wb: Workbook, template: Workbook, report: CheckReport) -> None:
    for name in (n for n in template.defined_names if n.startswith("par_")):
        expected, found = _value(template, name), _value(wb, name)
        if expected != found:
            cells = ", ".join(f"{s}!{c}" for s, c in _named_cells(wb, name)) or name
            report.findings.append(Finding("parameter", cells, expected, found, f"parameter {name} is gewijzigd"))


def _check_outputs(wb: Workbook, values: Workbook, spec: TemplateSpec, report: CheckReport) -> None:
    inputs: dict[str, Any] = {}
    for spec_input in spec.inputs:
        cells = _named_cells(wb, spec_input.name)
        # An input typed as a formula (=A1*2, or LibreOffice's =TRUE() for a boolean) counts with the
        # value it was last calculated to.
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
        ranges = [i for i in spec.inputs if i.rows and i.column == field_name] or [i for i in spec.inputs if i.rows]
        if isinstance(row, int) and ranges:
            sheet, cell = _named_cells(wb, ranges[0].name)[row - 1]
            where = f"{sheet}!{cell}"
        report.findings.append(Finding("invoer", where, None, getattr(err, "value", None), f"{where}: {err}"))
        return
    report.saved = {o.name: _value(values, o.name) for o in spec.outputs}
    if all(v is None for v in report.saved.values()):
        report.recalculated = False  # never recalculated and saved: nothing to compare yet
        return
    for output in spec.outputs:
        expected, found = report.outputs[output.name], report.saved[output.name]
        if not _same(expected, found, output.kind):
            where = ", ".join(f"{s}!{c}" for s, c in _named_cells(wb, output.name))
            report.findings.append(Finding("uitkomst", where, expected, found,
                                           f"{output.name} wijkt af van wat de toolkit berekent"))
