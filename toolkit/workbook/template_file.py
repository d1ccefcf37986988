"""A template workbook read once, and the copies made from it (`TemplateFile`): what `fill` writes.

Each copy changes two parts: the input cells of its Invoer sheet (the empty, styled cells the builder left
there are replaced in the sheet's XML) and the cached results of the `out_*` cells on Uitkomst (the Python
engine's values, so a preview that does not calculate — mail, a phone, a viewer — shows the results); with a
long range (postcodes), the print areas and the chart are fitted to the rows written (`fitted`), and the
header names the copy's key and policy year (`copy_header`). Every other part of the file is copied byte for
byte, still compressed (zipcopy.py); of the two sheets, only the segments that hold a changed cell are
compressed again (`_Segments`). Text is always written as an inline string, so input such as
`=HYPERLINK(...)` can never become a formula. `check` derives what a copy may hold from the same methods.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path, PurePosixPath
from typing import Any
from xml.etree import ElementTree

from ..dates import excel_serial
from ..errors import InputError
from ..parameters import current_year, overlay_in_force
from . import template_path, templates_dir
from .formats import cell_value, header_code, xml_text, years_text
from .layout import CHART_BOTTOM_ROW, CHART_ROWS, LONG_RANGE, OUTPUT_RANGE_ROW, RANGE_TOP, SHOWN_ROWS
from .package import check_workbook_bounds
from .specs import SPECS, Template
from .zipcopy import RawMember, Segment, crc_joined, crc_of, deflated, inflated, joined, read_raw, segment, zip_pieces

_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
       "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
       "rel": "http://schemas.openxmlformats.org/package/2006/relationships"}
_EMPTY_CELL = re.compile(r'<c r="([A-Z]+[0-9]+)"((?: s="[0-9]+")?)(?: t="n")? ?/>')
_FORMULA_CELL = re.compile(r'<c r="([A-Z]+[0-9]+)"((?: s="[0-9]+")?)><f>([^<]*)</f><v ?/></c>')
# A sheet's print area in the workbook part: 'Invoer'!$A$1:$D$54 (only the last row changes).
_PRINT_AREA = re.compile(r"(<definedName name=\"_xlnm\.Print_Area\" localSheetId=\"\d+\">'(\w+)'!\$A\$1:\$[A-Z]+\$)"
                         r"([0-9]+)(</definedName>)")


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
    """A template read once: its zip members, the two parts that change, and where each name is."""

    path: Path
    spec: Template
    raw: list[RawMember]  # every part, still compressed: copied as it is into each filled copy
    input_part: str
    input_xml: str  # the Invoer sheet
    output_part: str
    output_xml: str  # the Uitkomst sheet (the cached results change)
    cells: dict[str, list[str]]  # input name -> its cell(s) on Invoer
    outputs: dict[str, str]  # output name -> "Uitkomst!B4" (a range: its first cell)
    output_cells: dict[str, list[str]]  # output name -> its cell(s) on Uitkomst
    key_cell: str | None = None  # where the key goes on Invoer (zk_sleutel)
    # Parts that follow the number of rows written when the template has a long range (postcodes): the
    # print areas (in the workbook part) and the chart over those rows. Empty otherwise.
    fitted_parts: dict[str, str] = field(default_factory=dict)
    # The two sheets cut once at the cells a copy fills: a copy of cz_ratio.xlsx then builds its sheets from
    # the few cells it has, instead of a regular-expression pass over 4,000 empty input cells.
    input_cells: _CutSheet = field(init=False)
    output_formulas: _CutSheet = field(init=False)
    # Uitkomst with every output cell already holding an empty result: a copy rewrites only the outputs
    # that have a value (cz_ratio has 2,000 rows of areas to drop, most of them empty in every copy).
    outputs_empty: _CutSheet = field(init=False)
    # Both as compressed once, in segments: a copy compresses again only the segments it changes.
    input_segments: _Segments = field(init=False)
    output_segments: _Segments = field(init=False)

    def __post_init__(self) -> None:
        self.input_cells = _CutSheet.cut(self.input_xml, _EMPTY_CELL)
        self.output_formulas = _CutSheet.cut(self.output_xml, _FORMULA_CELL)
        every_output = {ref for refs in self.output_cells.values() for ref in refs}
        self.outputs_empty = self.output_formulas.with_all(every_output, lambda r, g: _output_cell(r, g, ""))
        self.input_segments = _Segments.of(self.input_cells)
        self.output_segments = _Segments.of(self.outputs_empty)

    @classmethod
    def open(cls, template: str | Path) -> TemplateFile:
        """Read a template (a name of the bundled ones, or a path). Whether it is the template the parameter
        data in force builds is `check.verified_template`'s to say."""
        path = template_path(template)
        if not is_reference(path):  # the bundled template is the toolkit's own file, read as it was built
            check_workbook_bounds(path)
        try:
            raw = read_raw(path)
        except (zipfile.BadZipFile, OSError, struct.error, ValueError) as err:
            from ..xlsx import unreadable  # only for a file that fails

            raise InputError(f"sjabloon {path}: geen leesbare xlsx: {unreadable(path, err)}", field="template",
                             value=str(path)) from None
        members = {m.name: m for m in raw}

        def part(name: str) -> bytes:  # only the few parts read here are decompressed
            return inflated(members[name])

        try:
            workbook = ElementTree.fromstring(part("xl/workbook.xml"))
            rels = ElementTree.fromstring(part("xl/_rels/workbook.xml.rels"))
            names = {d.get("name", ""): d.text or "" for d in workbook.iterfind("m:definedNames/m:definedName", _NS)}
            sheet_parts = cls._sheet_parts(workbook, rels)
            spec = cls._spec(path, names, sheet_parts, part)
            cells = {i.name: _expand(_cell_ref(names[i.name])[1]) for i in spec.inputs}
            output_cells = {o.name: _expand(_cell_ref(names[o.name])[1]) for o in spec.outputs}
            wrong = [i.name for i in spec.inputs if _cell_ref(names[i.name])[0] != "Invoer"] + [
                o.name for o in spec.outputs if _cell_ref(names[o.name])[0] != "Uitkomst"]
            input_part, output_part = sheet_parts["Invoer"], sheet_parts["Uitkomst"]
            input_xml, output_xml = part(input_part).decode("utf-8"), part(output_part).decode("utf-8")
        except (KeyError, ValueError, zlib.error, ElementTree.ParseError, UnicodeDecodeError):
            raise InputError(f"sjabloon {path}: geen werkmap van de toolkit (namen of tabbladen ontbreken)",
                             field="template", value=str(path)) from None
        if wrong:
            raise InputError(f"sjabloon {path}: {wrong[0]} staat niet op het verwachte tabblad", field="template",
                             value=str(path))
        outputs = {name: f"Uitkomst!{refs[0]}" for name, refs in output_cells.items()}
        key_cell = _cell_ref(names["zk_sleutel"])[1] if "zk_sleutel" in names else None
        fitted: dict[str, str] = {}
        if any(i.rows > LONG_RANGE for i in spec.inputs):
            try:
                fitted = {m.name: part(m.name).decode("utf-8") for m in raw
                          if m.name == "xl/workbook.xml" or m.name.startswith("xl/charts/chart")}
            except (zlib.error, UnicodeDecodeError):
                raise InputError(f"sjabloon {path}: geen werkmap van de toolkit (onleesbaar onderdeel)",
                                 field="template", value=str(path)) from None
        return cls(path, spec, raw, input_part, input_xml, output_part, output_xml, cells, outputs, output_cells,
                   key_cell, fitted)

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
              part: Callable[[str], bytes]) -> Template:
        if "zk_sjabloon" not in names:
            raise InputError(f"sjabloon {path}: geen sjabloon van de toolkit (naam zk_sjabloon ontbreekt)",
                             field="template", value=str(path))
        sheet, ref = _cell_ref(names["zk_sjabloon"])
        xml = part(sheet_parts[sheet]).decode("utf-8")
        match = re.search(rf'<c r="{ref}"[^>]*><is><t[^>]*>([^<]*)</t>', xml)
        name = match.group(1) if match else ""
        if name not in SPECS:
            raise InputError(f"sjabloon {path}: onbekend sjabloon {name!r}", field="template", value=str(path))
        return SPECS[name]

    def filled(self, values: Mapping[str, Any], key: str | None = None,
               outputs: Mapping[str, Any] | None = None) -> list[bytes]:
        """The file of a copy with `values` (converted inputs) in the input cells, its key, and the Python
        engine's `outputs` as the cached results of the output cells, in pieces to be written in order."""
        content: dict[str, str] = {}
        if key is not None and self.key_cell:
            content[self.key_cell] = _cell_xml(key)
        for name, value in values.items():
            refs = self.cells[name]
            for ref, item in zip(refs, value if isinstance(value, list) else [value], strict=False):
                if item is not None:
                    content[ref] = _cell_xml(item)
        cached: dict[str, Any] = {}
        kinds = {o.name: o.kind for o in self.spec.outputs}
        # With every output given, start from the sheet whose outputs are all empty and write the others.
        complete = outputs is not None and all(name in outputs for name in self.output_cells)
        for name, value in (outputs or {}).items():
            refs = self.output_cells.get(name, [])
            shown = cell_value(kinds.get(name, ""), value)
            items = shown if isinstance(shown, list) else [shown]
            if complete:  # the cells past the values, and the empty ones, stay as they are
                cached.update((ref, item) for ref, item in zip(refs, items, strict=False) if not _is_empty(item))
            else:
                cached.update((ref, items[i] if i < len(items) else "") for i, ref in enumerate(refs))

        def input_cell(ref: str, groups: tuple[str, ...]) -> str:
            return f'<c r="{ref}"{groups[1]}{content[ref]}</c>'

        def output_cell(ref: str, groups: tuple[str, ...]) -> str:
            return _output_cell(ref, groups, cached[ref])

        fitted = self.fitted(values, outputs or {})
        heading = (f"&amp;C&amp;9 {xml_text(header_code(years_text(self.spec.years)))}&amp;R",
                   f"&amp;C&amp;9 {xml_text(header_code(copy_header(key, values)))}&amp;R")
        edits = [heading]
        if any(_filled_rows((outputs or {}).get(o.name)) > SHOWN_ROWS for o in self.spec.outputs
               if o.rows > LONG_RANGE):  # a long list of areas to drop prints on the pages it needs, readable
            edits.append(('fitToHeight="1"', 'fitToHeight="0"'))

        invoer, invoer_crc = self.input_segments.with_changes(self.input_cells.changed(content, input_cell,
                                                                                       [heading]))
        uitkomst_crc: int | None = None
        if complete:
            uitkomst, uitkomst_crc = self.output_segments.with_changes(self.outputs_empty.changed(cached, output_cell,
                                                                                                 edits))
        else:  # outputs not all given (a test's copy): the template's cached results stay for the rest
            pieces = self.output_formulas.changed(cached, output_cell, edits)
            uitkomst = [segment("".join(pieces.get(i, p) for i, p in enumerate(self.output_formulas.pieces))
                                .encode("utf-8"))]
        members = [joined(m, invoer, invoer_crc) if m.name == self.input_part else
                   joined(m, uitkomst, uitkomst_crc) if m.name == self.output_part else
                   deflated(m, fitted[m.name]) if m.name in fitted else m for m in self.raw]
        return zip_pieces(members)

    def fitted(self, values: Mapping[str, Any], outputs: Mapping[str, Any]) -> dict[str, bytes]:
        """The print areas and chart of a template with a long range, fitted to the rows written: the
        postcodes print and chart as far as they go (an empty template shows SHOWN_ROWS of them), and the
        list of areas to drop prints whole."""
        if not self.fitted_parts:
            return {}
        used = max([1, *(_filled_rows(values.get(i.name)) for i in self.spec.inputs if i.rows > LONG_RANGE)])
        listed = max([0, *(_filled_rows(outputs.get(o.name)) for o in self.spec.outputs if o.rows > LONG_RANGE)])
        last_input = RANGE_TOP - 1 + used
        last_output = max(CHART_BOTTOM_ROW, OUTPUT_RANGE_ROW + listed)
        result = {}
        for name, xml in self.fitted_parts.items():
            if name == "xl/workbook.xml":
                xml = _PRINT_AREA.sub(lambda m: m.group(1) + str(
                    last_input if m.group(2) == "Invoer" else last_output if m.group(2) == "Uitkomst"
                    else m.group(3)) + m.group(4), xml)
            else:  # a chart over the rows of the long range
                xml = xml.replace(f"${RANGE_TOP + CHART_ROWS - 1}<", f"${last_input}<")
            result[name] = xml.encode("utf-8")
        return result


def is_reference(path: Path) -> bool:
    """Whether `path` is the bundled template and the bundled data is in force (so it is the reference:
    nothing to compare it with)."""
    bundled = templates_dir() / path.name
    try:
        return not overlay_in_force() and bundled.is_file() and os.path.samefile(bundled, path)
    except OSError:
        return False


def copy_header(key: str | None, values: Mapping[str, Any]) -> str:
    """The centre of a filled copy's header (in place of the template's policy years): its key and its
    policy year. `check` accepts it there."""
    year = values.get("in_jaar") or current_year()
    return f"{key} · beleidsjaar {year}" if key else f"beleidsjaar {year}"


def _filled_rows(value: Any) -> int:
    """How many rows of a range hold something (up to the last that does)."""
    if not isinstance(value, list):
        return 0
    return next((len(value) - i for i, v in enumerate(reversed(value)) if v not in (None, "")), 0)


@dataclass(frozen=True)
class _CutSheet:
    """A sheet's XML cut at the cells a pattern matches (its first group the cell reference): the text
    between them and each cell as the template has it, so a copy rewrites only the cells it fills."""

    pieces: tuple[str, ...]  # text, cell, text, cell, ..., text
    at: dict[str, tuple[int, tuple[str, ...]]]  # reference -> (its index in pieces, the match's groups)

    @classmethod
    def cut(cls, xml: str, pattern: re.Pattern[str]) -> _CutSheet:
        pieces: list[str] = []
        at: dict[str, tuple[int, tuple[str, ...]]] = {}
        last = 0
        for match in pattern.finditer(xml):
            pieces.append(xml[last:match.start()])
            at.setdefault(match.group(1), (len(pieces), match.groups()))
            pieces.append(match.group(0))
            last = match.end()
        pieces.append(xml[last:])
        return cls(tuple(pieces), at)

    def with_all(self, refs: Iterable[str], cell: Callable[[str, tuple[str, ...]], str]) -> _CutSheet:
        """The same sheet with each of `refs` that the pattern matched written by `cell(ref, groups)`, still
        cut at the same cells."""
        pieces = list(self.pieces)
        for at, text in self.changed(refs, cell).items():
            pieces[at] = text
        return _CutSheet(tuple(pieces), self.at)

    def changed(self, refs: Iterable[str], cell: Callable[[str, tuple[str, ...]], str],
                edits: Iterable[tuple[str, str]] = ()) -> dict[int, str]:
        """The pieces a copy changes (index -> new text): each of `refs` that the pattern matched written by
        `cell(ref, groups)`, and each edit (old, new) made once, in the last text between the cells that holds
        `old` (the page header and setup come after the cells; never inside a cell's value)."""
        pieces: dict[int, str] = {}
        for ref in refs:
            found = self.at.get(ref)
            if found is not None:
                pieces[found[0]] = cell(ref, found[1])
        for old, new in edits:
            at = next((i for i in range(len(self.pieces) - 1, -1, -2) if old in self.pieces[i]), None)
            if at is not None:
                pieces[at] = pieces.get(at, self.pieces[at]).replace(old, new, 1)
        return pieces


# Characters of sheet XML compressed on their own (see zipcopy.Segment). A copy compresses again each segment
# that holds a changed cell: of cz_ratio, segments of 32,768 made 125 kB of XML to compress per copy, 8,192
# make 32 kB (a copy in 0.69 ms instead of 1.13), and the file is 0.5 % larger (each segment starts afresh).
SEGMENT = 8_192


@dataclass(frozen=True)
class _Segments:
    """A cut sheet in segments of about SEGMENT characters, each encoded and compressed once."""

    pieces: tuple[str, ...]
    bounds: tuple[tuple[int, int], ...]  # each segment's first piece and the one after its last
    of_piece: tuple[int, ...]  # the segment of each piece
    segments: tuple[Segment, ...]
    runs: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict, compare=False)  # see `_run`

    @classmethod
    def of(cls, sheet: _CutSheet) -> _Segments:
        bounds: list[tuple[int, int]] = []
        of_piece: list[int] = []
        start = size = 0
        for i, piece in enumerate(sheet.pieces):
            of_piece.append(len(bounds))
            size += len(piece)
            if size >= SEGMENT or i == len(sheet.pieces) - 1:
                bounds.append((start, i + 1))
                start, size = i + 1, 0
        return cls(sheet.pieces, tuple(bounds), tuple(of_piece),
                   tuple(segment("".join(sheet.pieces[a:b]).encode("utf-8")) for a, b in bounds))

    def with_changes(self, changed: Mapping[int, str]) -> tuple[list[Segment], int]:
        """The segments of the sheet with the pieces `changed` (index -> new text), and their CRC-32."""
        segments = list(self.segments)
        touched = sorted({self.of_piece[i] for i in changed})
        for k in touched:
            first, end = self.bounds[k]
            text = "".join([changed.get(i, self.pieces[i]) for i in range(first, end)])
            segments[k] = segment(text.encode("utf-8"))
        # The changed segments are read; the runs of unchanged ones between them are known (`_run`).
        crc = start = 0
        for k in [*touched, len(segments)]:
            if start < k:
                crc = crc_joined(crc, *self._run(start, k))
            if k < len(segments):
                crc = zlib.crc32(segments[k].data, crc)
            start = k + 1
        return segments, crc

    def _run(self, start: int, end: int) -> tuple[int, int]:
        """CRC-32 and length of the template's segments from `start` to `end`: the same few runs lie
        between the cells of every copy (the inputs at the top, the page header at the end)."""
        if (start, end) not in self.runs:
            run = self.segments[start:end]
            self.runs[start, end] = crc_of(run), sum(len(part.data) for part in run)
        return self.runs[start, end]


def _cell_xml(value: Any) -> str:
    if isinstance(value, bool):
        return f' t="b"><v>{int(value)}</v>'
    if isinstance(value, dt.date):  # a date cell: its serial number, shown by the cell's date format
        return f"><v>{excel_serial(value)}</v>"
    if isinstance(value, int | Decimal | float):
        number = value if not isinstance(value, Decimal) else format(value, "f")
        return f"><v>{number}</v>"
    text = xml_text(str(value))
    return f' t="inlineStr"><is><t xml:space="preserve">{text}</t></is>'


def _is_empty(value: Any) -> bool:
    return isinstance(value, str) and value == ""


def _output_cell(ref: str, groups: tuple[str, ...], value: Any) -> str:
    """An output cell of Uitkomst (groups: reference, style, formula) with `value` as its cached result."""
    kind, text = _EMPTY_RESULT if _is_empty(value) else _cached_xml(value)
    return f'<c r="{ref}"{groups[1]}{kind}><f>{groups[2]}</f><v>{text}</v></c>'


def _cached_xml(value: Any) -> tuple[str, str]:
    """(type attribute, value) of a formula cell's cached result."""
    if isinstance(value, bool):
        return ' t="b"', str(int(value))
    if isinstance(value, dt.date):
        return "", str(excel_serial(value))
    if isinstance(value, Decimal):
        return "", repr(float(value))
    if isinstance(value, int | float):
        return "", repr(value)
    return ' t="str"', xml_text(str(value))


_EMPTY_RESULT = _cached_xml("")

__all__ = ["TemplateFile", "copy_header"]
