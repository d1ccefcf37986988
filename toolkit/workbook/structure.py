"""What `zorginkoop check` reads straight from a workbook's XML: the parts openpyxl does not read, or
reads too loosely to compare exactly.

- Defined names at every scope, exactly as written (openpyxl keeps one name per spelling and scope, and
  a sheet-local `in_plafond` that shadows the global one changes every formula that uses it); the print
  area and print titles among them.
- Calculation settings (manual calculation, precision as displayed, iteration), the 1904 date system, and a
  password on the workbook's structure (kept with them: the workbook-wide settings a template fixes).
- Per sheet: hyperlinks with their targets, the objects drawn over it (charts, text boxes, shapes,
  pictures, anywhere they are anchored), each chart's series, categories, titles and axes, and the
  extensions (`extLst`) that carry conditional formats and validations openpyxl ignores.

The package is already bounded (`package.py`); every part read here is small.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from openpyxl.utils import get_column_letter

from ..xlsx import rels_name, resolve_target
from .equivalence import Token, formula_key, number_format_key
from .findings import Finding

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
DRAWING = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
CHART = "http://schemas.openxmlformats.org/drawingml/2006/chart"
DRAWINGML = "http://schemas.openxmlformats.org/drawingml/2006/main"
MARKUP = "http://schemas.openxmlformats.org/markup-compatibility/2006"
CHART_URI = "http://schemas.openxmlformats.org/drawingml/2006/chart"


@dataclass(frozen=True)
class Name:
    name: str
    scope: str | None  # the sheet of a sheet-local name
    text: str
    hidden: bool


@dataclass(frozen=True)
class DrawnObject:
    kind: str  # grafiek, vorm of tekstvak, afbeelding, groep, lijn, object
    anchor: tuple[int, int] | None  # (column, row), zero-based, of the top-left corner
    size: tuple[int, int] | None  # EMU, when the file states it
    hidden: bool
    content: Any  # a chart's description, a shape's text

    def cell(self) -> str:
        if self.anchor is None:
            return "(vaste positie)"
        return f"{get_column_letter(max(self.anchor[0], 0) + 1)}{max(self.anchor[1], 0) + 1}"


@dataclass
class Sheet:
    title: str
    part: str
    hyperlinks: list[tuple[str, str, str]] = field(default_factory=list)  # (ref, target, location)
    objects: list[DrawnObject] = field(default_factory=list)
    extensions: set[str] = field(default_factory=set)


@dataclass
class Structure:
    names: list[Name]
    calculation: dict[str, Any]
    sheets: dict[str, Sheet]


def _bool(value: str | None, default: bool) -> bool:
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "on"}


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


class _Package:
    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive
        self.names = set(archive.namelist())

    def xml(self, name: str) -> ElementTree.Element | None:
        if name not in self.names:
            return None
        try:
            return ElementTree.fromstring(self.archive.read(name))
        except (ElementTree.ParseError, zipfile.BadZipFile, OSError, ValueError):
            return None

    def rels(self, part: str) -> dict[str, tuple[str, str, bool]]:
        """Relationship id -> (type, resolved target, external)."""
        root = self.xml(rels_name(part))
        result = {}
        for rel in root.iter(f"{{{PACKAGE_REL}}}Relationship") if root is not None else ():
            target = rel.get("Target", "")
            external = rel.get("TargetMode", "") == "External"
            if not external:
                target = resolve_target(part, target)
            result[rel.get("Id", "")] = (rel.get("Type", "").rpartition("/")[2], target, external)
        return result


def read_structure(path: Path) -> Structure:
    with zipfile.ZipFile(path) as archive:
        package = _Package(archive)
        workbook_part = "xl/workbook.xml"
        for rel_type, target, _ in package.rels("").values():
            if rel_type == "officeDocument":
                workbook_part = target
        root = package.xml(workbook_part)
        if root is None:
            return Structure([], {}, {})
        links = package.rels(workbook_part)
        titles: list[str] = []
        sheets: dict[str, Sheet] = {}
        for sheet in root.iter(f"{{{MAIN}}}sheet"):
            title = sheet.get("name", "")
            titles.append(title)
            link = links.get(sheet.get(f"{{{REL}}}id", ""))
            if link is not None and link[0] == "worksheet":
                sheets[title] = _sheet(package, title, link[1])
        names = _names(root)
        calc = root.find(f"{{{MAIN}}}calcPr")
        properties = root.find(f"{{{MAIN}}}workbookPr")
        calculation = {
            "calcMode": (calc.get("calcMode") if calc is not None else None) or "auto",
            "fullPrecision": _bool(calc.get("fullPrecision") if calc is not None else None, True),
            "iterate": _bool(calc.get("iterate") if calc is not None else None, False),
            "date1904": _bool(properties.get("date1904") if properties is not None else None, False),
            # A password on the workbook's structure: without it nobody can unhide or add a sheet again.
            "password": any(protection.get(key) for protection in root.iter(f"{{{MAIN}}}workbookProtection")
                            for key in ("workbookPassword", "workbookHashValue", "revisionsPassword",
                                        "revisionsHashValue")),
        }
        return Structure(names, calculation, sheets)


def parse(data: bytes) -> ElementTree.Element | None:
    try:
        return ElementTree.fromstring(data)
    except ElementTree.ParseError:
        return None


def names_in(workbook_xml: bytes) -> list[Name]:
    """The defined names of a workbook part (`xl/workbook.xml`)."""
    root = parse(workbook_xml)
    return _names(root) if root is not None else []


def _names(root: ElementTree.Element) -> list[Name]:
    titles = [sheet.get("name", "") for sheet in root.iter(f"{{{MAIN}}}sheet")]
    names = []
    for element in root.iter(f"{{{MAIN}}}definedName"):
        local = element.get("localSheetId")
        scope = None
        if local is not None:
            index = int(local) if local.strip().isdigit() else -1
            scope = titles[index] if 0 <= index < len(titles) else f"(blad {local})"
        names.append(Name(element.get("name", ""), scope, element.text or "", _bool(element.get("hidden"), False)))
    return names


def _without_cells(data: bytes) -> bytes:
    """A sheet's XML without its cells: the rest is small, the cells are openpyxl's to read."""
    start = re.search(rb"<(?:[\w.-]+:)?sheetData\b[^>]*?(/?)>", data)
    if start is None:
        return data
    if start.group(1):
        return data[:start.start()] + data[start.end():]
    end = re.search(rb"</(?:[\w.-]+:)?sheetData\s*>", data[start.end():])
    return data[:start.start()] + (data[start.end() + end.end():] if end else b"</worksheet>")


def _sheet(package: _Package, title: str, part: str) -> Sheet:
    sheet = Sheet(title, part)
    if part not in package.names:
        return sheet
    try:
        root = ElementTree.fromstring(_without_cells(package.archive.read(part)))
    except ElementTree.ParseError:
        return sheet
    links = package.rels(part)
    for link in root.iter(f"{{{MAIN}}}hyperlink"):
        address = links.get(link.get(f"{{{REL}}}id", ""), ("", "", False))[1]
        sheet.hyperlinks.append((link.get("ref", "").upper(), address, link.get("location", "")))
    sheet.hyperlinks.sort()
    for ext in root.iter(f"{{{MAIN}}}ext"):
        sheet.extensions.add(ext.get("uri", "").upper())
    for drawing in root.iter(f"{{{MAIN}}}drawing"):
        target = links.get(drawing.get(f"{{{REL}}}id", ""))
        if target is not None and not target[2]:
            sheet.objects += _drawn(package, target[1])
    return sheet


_KINDS = {"graphicFrame": "grafiek", "sp": "vorm of tekstvak", "pic": "afbeelding", "grpSp": "groep",
          "cxnSp": "lijn", "contentPart": "object"}


def _drawn(package: _Package, part: str) -> list[DrawnObject]:
    root = package.xml(part)
    if root is None:
        return [DrawnObject("onleesbare tekening", None, None, False, part)]
    links = package.rels(part)
    objects = []
    for anchor in _anchors(root):
        kind_element = next((child for child in anchor if _local(child.tag) in _KINDS), None)
        if kind_element is None:
            continue
        kind = _KINDS[_local(kind_element.tag)]
        start = anchor.find(f"{{{DRAWING}}}from")
        position = None
        if start is not None:
            position = (_int(start.findtext(f"{{{DRAWING}}}col")), _int(start.findtext(f"{{{DRAWING}}}row")))
        properties = next(kind_element.iter(f"{{{DRAWING}}}cNvPr"), None)
        hidden = _bool(properties.get("hidden") if properties is not None else None, False)
        content: Any = " ".join(t.text or "" for t in kind_element.iter(f"{{{DRAWINGML}}}t")).strip()
        if kind == "grafiek":
            graphic = next(kind_element.iter(f"{{{DRAWINGML}}}graphicData"), None)
            chart = next(kind_element.iter(f"{{{CHART}}}chart"), None)
            link = links.get(chart.get(f"{{{REL}}}id", "")) if chart is not None else None
            if graphic is None or graphic.get("uri") != CHART_URI or link is None or link[2]:
                kind, content = "object", graphic.get("uri") if graphic is not None else None
            else:
                content = chart_description(package.xml(link[1]))
        objects.append(DrawnObject(kind, position, _size(anchor), hidden, content))
    return objects


def _anchors(root: ElementTree.Element) -> Iterable[ElementTree.Element]:
    """The anchors of a drawing; of alternate content (`mc:AlternateContent`) the first choice only."""
    for child in root:
        name = _local(child.tag)
        if name in {"twoCellAnchor", "oneCellAnchor", "absoluteAnchor"}:
            yield child
        elif name == "AlternateContent":
            choice = next(iter(child), None)
            if choice is not None:
                yield from _anchors(choice)


def _int(text: str | None) -> int:
    try:
        return int((text or "0").strip())
    except ValueError:
        return -1


def _size(anchor: ElementTree.Element) -> tuple[int, int] | None:
    extent = anchor.find(f"{{{DRAWING}}}ext")
    if extent is None:
        extent = next((e for e in anchor.iter(f"{{{DRAWINGML}}}ext") if e.get("cx")), None)
    if extent is None:
        return None
    size = (_int(extent.get("cx")), _int(extent.get("cy")))
    return size if size[0] > 0 and size[1] > 0 else None


# --- charts ------------------------------------------------------------------------------------------------

def _chart_reference(text: str | None) -> tuple[Token, ...]:
    """A chart's reference: absolute whatever it says, so `$` does not matter; quoting as in formulas."""
    tokens = formula_key((text or "").strip())
    return tuple((kind, value.replace("$", "")) if kind == "R" else (kind, value) for kind, value in tokens)


def _data(element: ElementTree.Element | None) -> Any:
    """A series' data source: its reference, or its literal values."""
    if element is None:
        return None
    reference = next(element.iter(f"{{{CHART}}}f"), None)
    if reference is not None:
        return ("ref", _chart_reference(reference.text))
    return ("lit", tuple(v.text or "" for v in element.iter(f"{{{CHART}}}v")))


def _text(element: ElementTree.Element | None) -> Any:
    """A title: its text, or the cell it shows."""
    if element is None:
        return None
    reference = next(element.iter(f"{{{CHART}}}f"), None)
    if reference is not None:
        return ("ref", _chart_reference(reference.text))
    return "".join(t.text or "" for t in element.iter(f"{{{DRAWINGML}}}t"))


def _val(element: ElementTree.Element | None, name: str, default: str | None = None) -> str | None:
    found = element.find(f"{{{CHART}}}{name}") if element is not None else None
    return found.get("val", default) if found is not None else default


def chart_description(root: ElementTree.Element | None) -> Any:
    """What a reader sees of a chart: per plot its type, direction and grouping and each series' name,
    categories and values (in their order); the chart's title; per axis whether it shows, its scale,
    its title and number format."""
    if root is None:
        return "onleesbare grafiek"
    chart = root.find(f"{{{CHART}}}chart")
    area = chart.find(f"{{{CHART}}}plotArea") if chart is not None else None
    if chart is None or area is None:
        return "lege grafiek"
    plots: list[tuple[str, str | None, str | None, list[list[Any]]]] = []
    for plot in area:
        name = _local(plot.tag)
        if not name.endswith("Chart"):
            continue
        series: list[list[Any]] = []
        for ser in plot.findall(f"{{{CHART}}}ser"):
            order = _int(_val(ser, "order", "0"))
            series.append([order, _text(ser.find(f"{{{CHART}}}tx")), *(
                _data(ser.find(f"{{{CHART}}}{part}")) for part in ("cat", "val", "xVal", "yVal", "bubbleSize"))])
        plots.append((name, _val(plot, "barDir"), _val(plot, "grouping"), series))
    # The category axis shows the categories of the chart's first series; another series' own categories
    # show nowhere (LibreOffice writes the axis' categories into every series on save).
    every = sorted((s for plot in plots for s in plot[3]), key=lambda s: s[0])
    shared = next((s[2] for s in every if s[2] is not None), None)
    for s in every:
        s[2] = shared
    described = [(name, direction, grouping, tuple(sorted((tuple(s) for s in series), key=str)))
                 for name, direction, grouping, series in plots]
    axes = []
    for axis in area:
        name = _local(axis.tag)
        if not name.endswith("Ax"):
            continue
        scaling = axis.find(f"{{{CHART}}}scaling")
        number_format = axis.find(f"{{{CHART}}}numFmt")
        code: tuple[tuple[str, str], ...] | None = None
        if number_format is not None and not _bool(number_format.get("sourceLinked"), False):
            written = number_format.get("formatCode")
            code = None if written is None or written.lower() == "general" else number_format_key(written)
        axes.append((name, _bool(_val(axis, "delete"), False), _val(scaling, "orientation", "minMax"),
                     _number(_val(scaling, "min")), _number(_val(scaling, "max")), _number(_val(scaling, "logBase")),
                     _text(axis.find(f"{{{CHART}}}title")), code))
    title = chart.find(f"{{{CHART}}}title")
    shown = None if title is None and _bool(_val(chart, "autoTitleDeleted"), False) else _text(title)
    return (tuple(sorted(described, key=str)), shown, tuple(sorted(axes, key=str)))


def _number(text: str | None) -> float | None:
    try:
        return None if text is None else float(text)
    except ValueError:
        return float("nan")


# --- comparisons ----------------------------------------------------------------------------------------

_IGNORED_NAMES = {"_xlnm._FilterDatabase"}  # the hidden helper name Excel and LibreOffice add to a filter


def name_findings(found: Structure, expected: Structure, ranges: dict[str, list[tuple[int, int, int, int]]],
                  filled: Mapping[tuple[str, str | None], str]) -> list[Finding]:
    """Every defined name at every scope, exactly: one the template lacks (a sheet-local twin of an
    input name, a dotless-ı look-alike), one it has that is gone, one that points elsewhere, one
    written twice. A print area may be as `fill` fits it (`filled`), or keep the template's columns and
    end earlier (`_print_area`)."""
    findings = []
    want: dict[tuple[str, str | None], Name] = {}
    for name in expected.names:
        want.setdefault((name.name, name.scope), name)
    got: dict[tuple[str, str | None], Name] = {}
    for name in found.names:
        key = (name.name, name.scope)
        if name.name in _IGNORED_NAMES:
            continue
        if key in got:
            findings.append(Finding("naam", _where(name), None, None, "gedefinieerde naam staat er twee keer in"))
            continue
        got[key] = name
    for key in sorted(set(want) | set(got), key=lambda k: (k[0], k[1] or "")):
        name = want.get(key) or got[key]
        if key not in got:
            findings.append(Finding("naam", _where(name), name.text, None, "gedefinieerde naam ontbreekt"))
        elif key not in want:
            findings.append(Finding("naam", _where(name), None, got[key].text,
                                    "gedefinieerde naam toegevoegd" + (" (op dit blad gaat hij vóór de naam van de "
                                                                       "werkmap)" if name.scope else "")))
        elif formula_key(want[key].text) != formula_key(got[key].text):
            if key in filled and formula_key(filled[key]) == formula_key(got[key].text):
                continue
            tables = ranges.get(key[1] or "", [])
            if key[0] == "_xlnm.Print_Area" and _print_area(want[key].text, got[key].text, tables):
                continue
            findings.append(Finding("naam", _where(name), want[key].text, got[key].text,
                                    "gedefinieerde naam wijst naar een andere plaats"))
    return findings


def _where(name: Name) -> str:
    return f"{name.name} (blad {name.scope})" if name.scope else name.name


_AREA = re.compile(r"^(?:'(?:[^']|'')+'|[^!]+)!\$?([A-Z]{1,3})\$?([0-9]+):\$?([A-Z]{1,3})\$?([0-9]+)$")


def _bounds(text: str) -> tuple[str, int, int, int, int] | None:
    from openpyxl.utils import column_index_from_string

    match = _AREA.match(text.strip())
    if match is None:
        return None
    sheet = text.strip().rpartition("!")[0].strip("'").replace("''", "'")
    return (sheet, column_index_from_string(match.group(1)), int(match.group(2)),
            column_index_from_string(match.group(3)), int(match.group(4)))


def _print_area(expected: str, found: str, ranges: list[tuple[int, int, int, int]]) -> bool:
    """A print area that `fill` may have shrunk to the rows it wrote: the template's sheet, columns and
    first row, fewer rows, but at least down to the header of every table (a range name over several
    rows) inside it."""
    want, got = _bounds(expected), _bounds(found)
    if want is None or got is None or want[:4] != got[:4] or got[4] > want[4]:
        return False
    tables = [first_row for (low_col, first_row, high_col, last_row) in ranges
              if last_row > first_row and want[2] <= first_row <= want[4] and want[1] <= low_col <= high_col <= want[3]]
    return bool(tables) and got[4] >= max(first_row - 1 for first_row in tables)


def calculation_findings(found: Structure, expected: Structure) -> list[Finding]:
    labels: dict[str, tuple[str, dict[Any, str]]] = {
        "calcMode": ("rekenmodus", {"auto": "automatisch", "manual": "handmatig",
                                    "autoNoTable": "automatisch behalve tabellen"}),
        "fullPrecision": ("rekenen met volledige precisie", {True: "ja", False: "nee (precisie zoals weergegeven)"}),
        "iterate": ("iteratief rekenen", {True: "aan", False: "uit"}),
        "date1904": ("datumsysteem 1904", {True: "aan", False: "uit"}),
        "password": ("wachtwoord op de werkmapstructuur", {True: "ja", False: "nee"})}
    findings = []
    for key, (label, words) in labels.items():
        want, got = expected.calculation.get(key), found.calculation.get(key)
        if want != got:
            findings.append(Finding("instelling", "werkmap", words.get(want, str(want)), words.get(got, str(got)),
                                    f"{label} is gewijzigd"))
    return findings


_SIZE_TOLERANCE = 0.05  # programs round a drawing's size to their own units


def sheet_findings(found: Sheet, expected: Sheet | None, charts: Mapping[Any, Any] | None = None) -> list[Finding]:
    """Hyperlinks, drawn objects and charts, and extensions of one sheet; `charts` maps a chart of the
    template to the same chart as `fill` fits it to the rows written (either is the template's)."""
    want = expected or Sheet(found.title, "")
    findings = []
    for link in sorted(set(found.hyperlinks) - set(want.hyperlinks)):
        target = link[1] or link[2]
        findings.append(Finding("opmaak", f"{found.title}!{link[0]}", None, target, "hyperlink toegevoegd"))
    for link in sorted(set(want.hyperlinks) - set(found.hyperlinks)):
        findings.append(Finding("opmaak", f"{found.title}!{link[0]}", link[1] or link[2], None,
                                "hyperlink verwijderd of gewijzigd"))
    unmatched = list(want.objects)
    fitted = charts or {}
    for drawn in found.objects:
        match = next((w for w in unmatched if _same_object(w, drawn) or (
            w.content in fitted and _same_object(replace(w, content=fitted[w.content]), drawn))), None)
        if match is not None:
            unmatched.remove(match)
            continue
        twin = next((w for w in unmatched if w.kind == drawn.kind and w.kind == "grafiek"), None)
        if twin is not None:
            unmatched.remove(twin)
            as_filled = replace(twin, content=fitted.get(twin.content, twin.content))  # as fill fits it
            findings.append(Finding("grafiek", f"{found.title}!{drawn.cell()}", None, None,
                                    _chart_change(as_filled, drawn)))
        else:
            text = f" ('{drawn.content[:40]}')" if isinstance(drawn.content, str) and drawn.content else ""
            findings.append(Finding("tekening", f"{found.title}!{drawn.cell()}", None, None,
                                    f"{drawn.kind}{text} toegevoegd die het sjabloon niet heeft"))
    for drawn in unmatched:
        findings.append(Finding("tekening", f"{found.title}!{drawn.cell()}", None, None,
                                f"{drawn.kind} van het sjabloon ontbreekt"))
    for uri in sorted(found.extensions - want.extensions):
        findings.append(Finding("onderdeel", found.title, None, None,
                                f"uitbreiding {uri} die het sjabloon niet heeft (bijv. opmaak of validatie die "
                                "alleen Excel 2010+ leest)"))
    return findings


def _range_ends(described: Any) -> tuple[Any, list[int]]:
    """A chart's plots with the last row of every range left out, and those last rows."""
    ends: list[int] = []

    def masked(part: Any) -> Any:
        if isinstance(part, tuple) and len(part) == 3 and part[1] == ("O", ":") and part[2][0] == "R":
            end = re.fullmatch(r"(.*?)(\d+)", part[2][1])  # the range's last cell: its column, its row
            if end:
                ends.append(int(end.group(2)))
                return (*part[:2], ("R", end.group(1)))
        return tuple(masked(p) for p in part) if isinstance(part, tuple) else part

    return masked(described), ends


def _same_object(expected: DrawnObject, found: DrawnObject) -> bool:
    if (expected.kind, expected.anchor, expected.hidden, expected.content) != (
            found.kind, found.anchor, found.hidden, found.content):
        return False
    if expected.size is None or found.size is None:
        return True
    return all(abs(f - e) <= _SIZE_TOLERANCE * e for e, f in zip(expected.size, found.size, strict=True))


def _chart_change(expected: DrawnObject, found: DrawnObject) -> str:
    if expected.content != found.content:
        want, got = expected.content, found.content
        if isinstance(want, tuple) and isinstance(got, tuple):
            if want[0] != got[0]:
                (want_plots, want_ends), (got_plots, got_ends) = _range_ends(want[0]), _range_ends(got[0])
                if want_plots == got_plots and got_ends and want_ends and max(got_ends) < max(want_ends):
                    # The chart as fill fitted it to fewer rows than the inputs hold now: rows added after
                    # the fill (the guide allows changing inputs), which the chart and the printout miss.
                    return (f"de grafiek toont de invoer tot rij {max(got_ends)}, de invoer loopt nu tot rij "
                            f"{max(want_ends)}: rijen die na het vullen zijn toegevoegd, staan niet in de grafiek en "
                            "niet op de afdruk; vul de werkmap opnieuw met zorginkoop fill")
                return "de reeksen of categorieën van de grafiek wijken af van het sjabloon"
            if want[1] != got[1]:
                return "de titel van de grafiek wijkt af van het sjabloon"
            return "de assen van de grafiek (schaal, titel of notatie) wijken af van het sjabloon"
        return "de grafiek wijkt af van het sjabloon"
    if expected.hidden != found.hidden:
        return "de grafiek is verborgen"
    return "de grafiek is verplaatst of van grootte veranderd"
