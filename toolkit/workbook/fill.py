"""`zorginkoop fill`: one filled copy of a template per key in an INPUTS file, plus a summary.

The template is read once. Each copy changes only the input cells of its Invoer sheet: the empty,
styled cells the builder left there are replaced in the sheet's XML, every other part of the file is
copied byte for byte, still compressed (zipcopy.py), and `fullCalcOnLoad` (set in the template)
makes Excel recalculate on open. Text is
always written as an inline string, so input such as `=HYPERLINK(...)` can never become a formula.

Rows are validated first, all of them, through the same conversion and the Python rules that fill
the summary: a bad row stops the run before anything is written (exit 1, naming file, row, column
and value) or, with `--skip-invalid`, is listed in the summary as rejected with its reason.
"""

from __future__ import annotations

import csv
import io
import os
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path, PurePosixPath
from typing import Any
from xml.etree import ElementTree
from xml.sax.saxutils import escape

from ..errors import InputError, ToolkitError, relabel, show_value
from . import template_path
from .files import write_atomically
from .specs import SPECS, XML_INVALID, Input, TemplateSpec, convert
from .zipcopy import RawMember, deflated, inflated, read_raw, write_raw

_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
       "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
       "rel": "http://schemas.openxmlformats.org/package/2006/relationships"}
_EMPTY_CELL = re.compile(r'<c r="([A-Z]+[0-9]+)"((?: s="[0-9]+")?)(?: t="n")? ?/>')
_UNSAFE_NAME = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PARALLEL_FROM = 64  # below this, starting worker processes costs more than it saves


# --- the template file -----------------------------------------------------------------------------------

def _cell_ref(defined: str) -> tuple[str, str]:
    """"'Invoer'!$B$4" -> ("Invoer", "B4"); ranges keep their colon."""
    sheet, _, ref = defined.rpartition("!")
    return sheet.strip("'"), ref.replace("$", "")


def _expand(ref: str) -> list[str]:
    if ":" not in ref:
        return [ref]
    first, last = ref.split(":")
    col = "".join(c for c in first if c.isalpha())
    if col != "".join(c for c in last if c.isalpha()):
        raise ValueError(f"bereik {ref} beslaat meer dan één kolom")
    start, end = int(first[len(col):]), int(last[len(col):])
    return [f"{col}{r}" for r in range(start, end + 1)]


@dataclass
class TemplateFile:
    """A template read once: its zip members, which part is Invoer, and where each input goes."""

    path: Path
    spec: TemplateSpec
    raw: list[RawMember]  # every part, still compressed: copied as it is into each filled copy
    input_part: str
    input_xml: str  # the Invoer sheet, the one part that changes
    cells: dict[str, list[str]]  # input name -> its cell(s) on Invoer
    outputs: dict[str, str]  # output name -> "Uitkomst!B4"
    key_cell: str | None = None  # where the key goes on Invoer (zk_sleutel)

    @classmethod
    def open(cls, template: str | Path) -> TemplateFile:
        path = template_path(template)
        try:
            raw = read_raw(path)
        except (zipfile.BadZipFile, OSError, struct.error) as err:
            raise InputError(f"sjabloon {path}: geen leesbare xlsx ({err})", field="template",
                             value=str(path)) from None
        members = {m.name: m for m in raw}

        def part(name: str) -> bytes:  # only the few parts read here are decompressed
            return inflated(members[name])

        try:
            workbook = ElementTree.fromstring(part("xl/workbook.xml"))
            rels = ElementTree.fromstring(part("xl/_rels/workbook.xml.rels"))
        except (KeyError, ValueError, zlib.error, ElementTree.ParseError):
            raise InputError(f"sjabloon {path}: geen werkmap van de toolkit", field="template",
                             value=str(path)) from None
        names = {d.get("name", ""): d.text or "" for d in workbook.iterfind("m:definedNames/m:definedName", _NS)}
        sheet_parts = cls._sheet_parts(workbook, rels)
        spec = cls._spec(path, names, sheet_parts, part)
        cells: dict[str, list[str]] = {}
        for spec_input in spec.inputs:
            sheet, ref = _cell_ref(names[spec_input.name])
            if sheet != "Invoer":
                raise InputError(f"sjabloon {path}: {spec_input.name} staat niet op Invoer", field="template",
                                 value=str(path))
            cells[spec_input.name] = _expand(ref)
        outputs = {o.name: "!".join(_cell_ref(names[o.name])) for o in spec.outputs}
        key_cell = _cell_ref(names["zk_sleutel"])[1] if "zk_sleutel" in names else None
        input_part = sheet_parts["Invoer"]
        return cls(path, spec, raw, input_part, part(input_part).decode("utf-8"), cells, outputs, key_cell)

    @staticmethod
    def _sheet_parts(workbook: ElementTree.Element, rels: ElementTree.Element) -> dict[str, str]:
        targets = {r.get("Id"): r.get("Target", "") for r in rels.iterfind("rel:Relationship", _NS)}
        parts = {}
        for sheet in workbook.iterfind("m:sheets/m:sheet", _NS):
            target = targets[sheet.get(f"{{{_NS['r']}}}id")]
            parts[sheet.get("name", "")] = target.lstrip("/") if target.startswith("/") else str(
                PurePosixPath("xl") / target)
        return parts

    @staticmethod
    def _spec(path: Path, names: Mapping[str, str], sheet_parts: Mapping[str, str],
              part: Callable[[str], bytes]) -> TemplateSpec:
        if "zk_sjabloon" not in names:
            raise InputError(f"sjabloon {path}: geen sjabloon van de toolkit (naam zk_sjabloon ontbreekt)",
                             field="template", value=str(path))
        sheet, ref = _cell_ref(names["zk_sjabloon"])
        xml = part(sheet_parts[sheet]).decode("utf-8")
        match = re.search(rf'<c r="{ref}"[^>]*><is><t[^>]*>([^<]*)</t>', xml)
        name = match.group(1) if match else None
        if name not in SPECS:
            raise InputError(f"sjabloon {path}: onbekend sjabloon {name!r}", field="template", value=str(path))
        return SPECS[name]

    def filled(self, values: Mapping[str, Any], key: str | None = None) -> Callable[[Path], None]:
        """A writer for a copy with `values` (converted inputs) in the input cells, and its key."""
        content: dict[str, str] = {}
        if key is not None and self.key_cell:
            content[self.key_cell] = _cell_xml(key)
        for name, value in values.items():
            refs = self.cells[name]
            for ref, item in zip(refs, value if isinstance(value, list) else [value], strict=False):
                if item is not None:
                    content[ref] = _cell_xml(item)

        def replace(match: re.Match[str]) -> str:
            body = content.get(match.group(1))
            if body is None:
                return match.group(0)
            return f'<c r="{match.group(1)}"{match.group(2)}{body}</c>'

        def write(target: Path) -> None:
            xml = _EMPTY_CELL.sub(replace, self.input_xml).encode("utf-8")
            members = [deflated(m, xml) if m.name == self.input_part else m for m in self.raw]
            with open(target, "wb") as handle:
                write_raw(handle, members)
        return write


def _cell_xml(value: Any) -> str:
    if isinstance(value, bool):
        return f' t="b"><v>{int(value)}</v>'
    if isinstance(value, int | Decimal | float):
        number = value if not isinstance(value, Decimal) else format(value, "f")
        return f"><v>{number}</v>"
    text = escape(str(value))
    return f' t="inlineStr"><is><t xml:space="preserve">{text}</t></is>'


# --- reading INPUTS --------------------------------------------------------------------------------

@dataclass
class Row:
    number: int  # as the user sees it: the header is row 1
    values: dict[str, Any]


def read_inputs(path: Path) -> tuple[list[str], list[Row]]:
    """Columns and rows of a csv (`,` `;` or tab, UTF-8 with or without BOM) or xlsx (first sheet)."""
    if not path.is_file():
        raise InputError(f"invoerbestand {path} bestaat niet", field="inputs", value=str(path), file=str(path))
    suffix = path.suffix.lower()
    if suffix in {".xlsx", ".xlsm"}:
        from python_calamine import CalamineWorkbook

        try:
            sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python(skip_empty_area=False)
        except Exception as err:  # calamine raises its own types for broken files
            raise InputError(f"{path}: geen leesbare xlsx ({err})", field="inputs", value=str(path),
                             file=str(path)) from None
        table = [list(r) for r in sheet]
    elif suffix in {".csv", ".txt"}:
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as err:
            raise InputError(f"{path}: geen UTF-8 (byte {err.start})", field="inputs", value=str(path),
                             file=str(path)) from None
        first = text.split("\n", 1)[0]
        delimiter = max((";", ",", "\t"), key=first.count)
        table = [list(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    else:
        raise InputError(f"{path}: onbekend soort invoerbestand (verwacht .csv of .xlsx)", field="inputs",
                         value=str(path), file=str(path))
    if not table or not any(str(c).strip() for c in table[0]):
        raise InputError(f"{path}: het bestand is leeg (geen kopregel)", field="inputs", value=str(path),
                         file=str(path))
    header = [str(c).strip() for c in table[0]]
    while header and header[-1] == "":
        header.pop()
    seen: set[str] = set()
    for column in header:
        if column == "" or column.lower() in seen:
            raise InputError(f"{path}, rij 1: kolomnaam {show_value(column)} is leeg of dubbel", field="kolom",
                             value=column, row=1, file=str(path))
        seen.add(column.lower())
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        values = {c: (cells[i] if i < len(cells) else None) for i, c in enumerate(header)}
        values = {c: (None if isinstance(v, str) and v.strip() == "" else v) for c, v in values.items()}
        extra = [v for v in cells[len(header):] if v not in (None, "")]
        if extra:
            raise InputError(f"{path}, rij {number}: meer waarden dan kolommen ({show_value(extra[0])})",
                             field="kolom", value=extra[0], row=number, file=str(path))
        if any(v is not None for v in values.values()):
            rows.append(Row(number, values))
    return header, rows


# --- cases ----------------------------------------------------------------------------------------------

@dataclass
class Case:
    key: str
    rows: list[int]
    values: dict[str, Any] = field(default_factory=dict)  # converted inputs, by in_* name
    outputs: dict[str, Any] = field(default_factory=dict)  # the Python engine's results
    error: str | None = None
    file: str | None = None  # DIR/<key>.xlsx once written


def _columns(spec: TemplateSpec, header: Sequence[str], key: str, path: Path) -> dict[str, str]:
    """input name -> column in the file; unknown columns are an error, not silently ignored."""
    by_lower = {c.lower(): c for c in header}
    known = {i.column for i in spec.inputs}
    unknown = [c for c in header if c.lower() not in known and c.lower() != key.lower()]
    if unknown:
        raise InputError(f"{path}, rij 1: kolom {show_value(unknown[0])} hoort niet bij sjabloon {spec.name} "
                         f"(invoer: {', '.join(sorted(known))})", field="kolom", value=unknown[0], row=1,
                         file=str(path))
    missing = [i.column for i in spec.inputs if i.required and i.kind != "flag" and i.column not in by_lower]
    if missing:
        raise InputError(f"{path}, rij 1: kolom {show_value(missing[0])} ontbreekt (nodig voor sjabloon {spec.name})",
                         field="kolom", value=missing[0], row=1, file=str(path))
    return {i.name: by_lower[i.column] for i in spec.inputs if i.column in by_lower}


def build_cases(spec: TemplateSpec, path: Path, header: list[str], rows: list[Row], key: str | None,
                *, skip_invalid: bool) -> list[Case]:
    key_column = key or header[0]
    if key_column.lower() not in {c.lower() for c in header}:
        raise InputError(f"{path}: sleutelkolom {show_value(key_column)} bestaat niet (kolommen: "
                         f"{', '.join(header)})", field="key", value=key_column, file=str(path))
    key_column = next(c for c in header if c.lower() == key_column.lower())
    columns = _columns(spec, header, key_column, path)
    groups: dict[str, list[Row]] = {}
    cases: list[Case] = []
    for row in rows:
        raw = row.values[key_column]
        key_value = _key_text(raw)
        problem = "sleutel ontbreekt" if key_value == "" else (
            f"sleutel {show_value(key_value)} bevat een teken dat niet in een werkmap kan"
            if XML_INVALID.search(key_value) else None)
        if problem:
            error = InputError(f"{path}, rij {row.number}, kolom '{key_column}': {problem}",
                               field=key_column, value=raw, row=row.number, file=str(path))
            if not skip_invalid:
                raise error
            cases.append(Case(f"(rij {row.number})", [row.number], error=str(error)))
            continue
        groups.setdefault(key_value, []).append(row)
    for key_value, group in groups.items():
        case = Case(key_value, [r.number for r in group])
        try:
            case.values = _convert_group(spec, columns, group, path)
            case.outputs = spec.compute(case.values)
        except ToolkitError as err:
            message = _located(err, path, group, spec.rule_fields)
            if not skip_invalid:
                raise InputError(message, field=getattr(err, "field", None), value=getattr(err, "value", None),
                                 row=getattr(err, "row", None), file=str(path)) from None
            case.error = message
        cases.append(case)
    return cases


def _key_text(raw: object) -> str:
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return "" if raw is None else str(raw).strip()


def _convert_group(spec: TemplateSpec, columns: Mapping[str, str], group: list[Row], path: Path) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for spec_input in spec.inputs:
        column = columns.get(spec_input.name)
        if spec_input.rows:
            if len(group) > spec_input.rows:
                raise InputError(f"{path}, rij {group[spec_input.rows].number}: meer dan {spec_input.rows} rijen "
                                 f"voor één sleutel; het sjabloon heeft er {spec_input.rows}", field=spec_input.column,
                                 value=len(group), row=group[spec_input.rows].number)
            values[spec_input.name] = [
                _convert_cell(spec_input, row.values.get(column) if column else None, path, row) for row in group]
        else:
            values[spec_input.name] = _convert_cell(spec_input, group[0].values.get(column) if column else None,
                                                    path, group[0])
    return values


def _convert_cell(spec_input: Input, value: object, path: Path, row: Row) -> Any:
    return convert(spec_input, value, where=f"{path}, rij {row.number}, kolom ")


def _located(err: ToolkitError, path: Path, group: list[Row], fields: Mapping[str, str]) -> str:
    """A rule's message with the file and the INPUTS row it came from (rules count rows within a range)."""
    if str(err).startswith(str(path)):
        return str(err)
    field_name = getattr(err, "field", None)
    message = relabel(err, f"kolom '{fields.get(field_name, field_name)}'") if isinstance(field_name, str) else str(err)
    row = getattr(err, "row", None)
    number = group[row - 1].number if isinstance(row, int) and 0 < row <= len(group) else group[0].number
    return f"{path}, rij {number}: {message}"


# --- writing ------------------------------------------------------------------------------------------------

def safe_file_name(key: str) -> str:
    name = _UNSAFE_NAME.sub("_", key).strip().rstrip(".")
    if not name or name.upper().split(".")[0] in _RESERVED:
        name = f"_{name}"
    return name


@dataclass
class FillResult:
    cases: list[Case]
    summary_xlsx: Path
    summary_csv: Path

    @property
    def written(self) -> int:
        return sum(1 for c in self.cases if c.file)

    @property
    def rejected(self) -> int:
        return sum(1 for c in self.cases if c.error)


def _targets(cases: list[Case], out_dir: Path, force: bool) -> dict[str, Path]:
    targets: dict[str, Path] = {}
    by_name: dict[str, str] = {}
    for case in cases:
        if case.error:
            continue
        name = safe_file_name(case.key)
        if name.lower() in by_name:
            raise InputError(f"sleutels {show_value(by_name[name.lower()])} en {show_value(case.key)} geven dezelfde "
                             f"bestandsnaam {name}.xlsx", field="key", value=case.key)
        by_name[name.lower()] = case.key
        targets[case.key] = out_dir / f"{name}.xlsx"
    reserved = {"summary.xlsx", "summary.csv"}
    for target in targets.values():
        if target.name.lower() in reserved:
            raise InputError(f"sleutel geeft de bestandsnaam {target.name}, die voor de samenvatting is",
                             field="key", value=target.stem)
    if not force:
        existing = [p for p in [*targets.values(), out_dir / "summary.xlsx", out_dir / "summary.csv"] if p.exists()]
        if existing:
            more = f" en nog {len(existing) - 1}" if len(existing) > 1 else ""
            raise InputError(f"{existing[0]}{more} bestaat al; gebruik --force om te overschrijven",
                             field="out", value=str(existing[0]))
    return targets


def _write_chunk(template: Path, jobs: list[tuple[str, dict[str, Any], str]], force: bool) -> list[str]:
    """Worker: write the workbooks of one chunk (runs in a separate process for large batches)."""
    tpl = TemplateFile.open(template)
    for key, values, target in jobs:
        write_atomically(Path(target), tpl.filled(values, key), overwrite=force)
    return [key for key, _values, _target in jobs]


def fill(template: str | Path, inputs: Path, out_dir: Path, *, key: str | None = None, force: bool = False,
         skip_invalid: bool = False, workers: int | None = None,
         progress: Callable[[int, int], None] | None = None) -> FillResult:
    """Fill `template` once per key of `inputs` into `out_dir`; see the module docstring."""
    tpl = TemplateFile.open(template)
    header, rows = read_inputs(inputs)
    if not rows:
        raise InputError(f"{inputs}: geen rijen met invoer onder de kopregel", field="inputs", value=str(inputs),
                         file=str(inputs))
    cases = build_cases(tpl.spec, inputs, header, rows, key, skip_invalid=skip_invalid)
    targets = _targets(cases, out_dir, force)
    out_dir.mkdir(parents=True, exist_ok=True)
    jobs = [(c.key, c.values, str(targets[c.key])) for c in cases if not c.error]
    done = 0
    report = progress or (lambda _done, _total: None)
    report(0, len(jobs))
    count = workers if workers is not None else min(os.cpu_count() or 1, 8)
    if count > 1 and len(jobs) >= PARALLEL_FROM:
        size = max(8, len(jobs) // (count * 8))
        chunks = [jobs[i:i + size] for i in range(0, len(jobs), size)]
        with ProcessPoolExecutor(max_workers=count) as pool:
            for keys in pool.map(_write_chunk, [tpl.path] * len(chunks), chunks, [force] * len(chunks)):
                done += len(keys)
                report(done, len(jobs))
    else:
        for case_key, values, target in jobs:
            write_atomically(Path(target), tpl.filled(values, case_key), overwrite=force)
            done += 1
            report(done, len(jobs))
    for case in cases:
        if not case.error:
            case.file = targets[case.key].name
    summary_xlsx, summary_csv = write_summary(tpl.spec, cases, out_dir, force=force)
    return FillResult(cases, summary_xlsx, summary_csv)


# --- the summary ----------------------------------------------------------------------------------------------

def summary_rows(spec: TemplateSpec, cases: list[Case]) -> Iterator[list[Any]]:
    yield ["sleutel", "status", "reden", "bestand", "rijen", *(o.name for o in spec.outputs)]
    for case in cases:
        status = "afgewezen" if case.error else "ok"
        rows = ",".join(str(r) for r in case.rows)
        outputs = [case.outputs.get(o.name) for o in spec.outputs]
        yield [case.key, status, case.error or "", case.file or "", rows, *outputs]


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() and abs(value) < 2**53 else float(value)
    return value


def csv_safe(value: Any) -> Any:
    """Text that a spreadsheet would read as a formula gets a leading apostrophe (CSV injection)."""
    if isinstance(value, str) and len(value) > 1 and value.startswith(_FORMULA_START):  # a lone "-" is inert
        return "'" + value
    return value


def write_summary(spec: TemplateSpec, cases: list[Case], out_dir: Path, *, force: bool) -> tuple[Path, Path]:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    table = list(summary_rows(spec, cases))

    def write_xlsx(target: Path) -> None:
        wb = Workbook(write_only=True)
        ws = wb.create_sheet("samenvatting")
        for line in table:
            cells = []
            for value in map(_plain, line):
                cell = WriteOnlyCell(ws, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"  # never a formula, whatever the text starts with
                cells.append(cell)
            ws.append(cells)
        wb.save(target)

    def write_csv(target: Path) -> None:
        # For programs and for reading without Excel (people open summary.xlsx): plain UTF-8, commas,
        # a decimal point, TRUE/FALSE as in the templates.
        with open(target, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            for line in table:
                writer.writerow(["" if v is None else csv_safe(_csv_text(v)) for v in line])

    xlsx = write_atomically(out_dir / "summary.xlsx", write_xlsx, overwrite=force)
    csv_path = write_atomically(out_dir / "summary.csv", write_csv, overwrite=force)
    return xlsx, csv_path


def _csv_text(value: Any) -> Any:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    return value
