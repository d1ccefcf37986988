"""What a reader sees of a sheet, compared with the template: the part of `zorginkoop check` that proves
the workbook shows what its formulas compute.

A workbook whose formulas are all untouched can still show a wrong amount or verdict: a number format
`;;;` hides an output, `"€ 999.999,99"` shows a fixed text, a conditional format paints it white, a
hidden row or a merged range takes it out of sight, a validation that no longer stops a wrong input, a
formula cell left unlocked. Each comparison below is derived from the reference workbook (the template
as the parameter data in force builds it), never from today's layout; `equivalence.py` says which forms
of the same thing count as equal.

Compared per sheet: the resolved style (number format, font, fill, alignment, protection) of every
cell that holds something in the template and of every input cell; merged ranges; conditional formats
in priority order with their formats; data validation per cell, alert style and whether errors show;
which rows and columns can be seen; zeros shown; sheet protection; headers and footers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from copy import copy
from dataclasses import dataclass
from typing import Any, NamedTuple

from openpyxl.cell.cell import Cell
from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from ..errors import dutch_list, show_value
from .equivalence import (
    constant_condition,
    formula_key,
    is_date_format,
    number_format_key,
    resolve_colour,
    theme_colours,
)
from .findings import Finding

# A row lower than this (points) or a column narrower than this (characters) shows nothing readable.
MIN_ROW_HEIGHT = 3.0
MIN_COLUMN_WIDTH = 0.5


class CellStyle(NamedTuple):
    number_format: tuple[tuple[str, str], ...]
    font: tuple[Any, ...]
    font_name: str | None
    fill: tuple[Any, ...]
    alignment: tuple[Any, ...]
    protection: tuple[bool, bool]


_ASPECTS = {"number_format": "getalnotatie", "font": "lettertype of tekstkleur", "font_name": "lettertype",
            "fill": "opvulling", "alignment": "uitlijning", "protection": "celbeveiliging (vergrendeld/verborgen)"}


class Styles:
    """The styles of one workbook resolved to what a reader sees (cached per style index)."""

    def __init__(self, wb: Workbook, theme: bytes | None) -> None:
        self.theme = theme_colours(getattr(wb, "loaded_theme", None) or theme)
        self.palette = [str(c).upper()[-6:] for c in getattr(wb, "_colors", [])]
        fonts = getattr(wb, "_fonts", [])
        self.default_size = float(fonts[0].sz) if fonts and fonts[0].sz else 11.0
        self._cache: dict[tuple[int, ...], CellStyle] = {}
        self._formats: frozenset[tuple[tuple[str, str], ...]] | None = None

    def colour(self, colour: Any, automatic: str) -> str | None:
        return resolve_colour(colour, self.theme, self.palette, automatic)

    def font(self, font: Any) -> tuple[Any, ...]:
        if font is None:
            return (False, False, "none", False, self.default_size, "000000", None)
        return (bool(font.b), bool(font.i), font.u or "none", bool(font.strike),
                float(font.sz) if font.sz else self.default_size, self.colour(font.color, "000000") or "000000",
                font.vertAlign or None)

    def fill(self, fill: Any) -> tuple[Any, ...]:
        kind = getattr(fill, "fill_type", None) or getattr(fill, "patternType", None)
        if fill is None or getattr(fill, "tagname", "") == "gradientFill":
            stops = tuple(self.colour(s.color, "FFFFFF") for s in getattr(fill, "stop", ()) or ())
            return ("gradient", getattr(fill, "degree", None), stops) if fill is not None else ()
        if kind in (None, "none"):
            return ()
        if kind == "solid":
            return ("solid", self.colour(fill.fgColor, "000000"))
        return (kind, self.colour(fill.fgColor, "000000"), self.colour(fill.bgColor, "FFFFFF"))

    def cell(self, cell: Any) -> CellStyle:
        key = tuple(cell._style) if cell._style is not None else ()  # a new cell's style array comes on first use
        style = self._cache.get(key)
        if style is None:
            alignment, protection = cell.alignment, cell.protection
            style = CellStyle(
                number_format_key(number_format(cell)), self.font(cell.font), cell.font.name if cell.font else None,
                self.fill(cell.fill),
                (alignment.horizontal or "general", alignment.vertical or "bottom", bool(alignment.wrap_text),
                 bool(alignment.shrink_to_fit), int(alignment.textRotation or 0), float(alignment.indent or 0)),
                (protection.locked is not False, bool(protection.hidden)))
            self._cache[key] = style
        return style

    def formats(self, wb: Workbook) -> frozenset[tuple[tuple[str, str], ...]]:
        """Every number format the workbook's cells use (cached: the reference is read once)."""
        if self._formats is None:
            self._formats = frozenset(self.cell(c).number_format for ws in wb.worksheets for c in ws._cells.values())
        return self._formats

    def differential(self, dxf: Any) -> tuple[Any, ...]:
        """A conditional format's style: font (weight, slant, strike, underline, colour), fill colour and
        number format. For a solid fill the colour is bgColor when set (Excel), else fgColor (openpyxl
        writes that; LibreOffice saves it as bgColor)."""
        if dxf is None:
            return ()
        font = dxf.font
        fill = dxf.fill
        fill_colour = None
        if fill is not None and getattr(fill, "tagname", "") != "gradientFill":
            background = fill.bgColor if _set(fill.bgColor) else None
            fill_colour = self.colour(background if background is not None else fill.fgColor, "000000") \
                if (background is not None or _set(fill.fgColor)) else None
        return ((bool(font.b), bool(font.i), bool(font.strike), font.u or "none",
                 self.colour(font.color, "000000") if font.color is not None else None) if font is not None else (),
                fill_colour,
                number_format_key(dxf.numFmt.formatCode) if dxf.numFmt is not None else ())


def number_format(cell: Any) -> str:
    """A cell's number format code; one whose number the file does not define (numFmtId 999 with no numFmt:
    openpyxl fails on it) as a code of its own that no template has, so that it is a finding, not a crash."""
    try:
        return str(cell.number_format)
    except IndexError:
        return _MISSING_FORMAT.format(getattr(cell._style, "numFmtId", "?"))


_MISSING_FORMAT = '"notatie {} ontbreekt in het bestand"'  # a literal: no number format of a template shows it


def _set(colour: Any) -> bool:
    """Whether an openpyxl Color was written in the file (openpyxl's default stands for none)."""
    return colour is not None and not (getattr(colour, "type", "") == "rgb" and colour.rgb == "00000000")


def same_style(expected: CellStyle, found: CellStyle, *, formula: bool,
               inferable: frozenset[tuple[tuple[str, str], ...]] = frozenset()) -> list[str]:
    """The aspects in which `found` differs from `expected`, in Dutch (empty when it looks the same).
    `inferable`: the number formats the template uses, which LibreOffice may give a formula cell that the
    template leaves in General (it takes the format of the cells the formula computes from)."""
    aspects = []
    for field in CellStyle._fields:
        want, got = getattr(expected, field), getattr(found, field)
        if field == "font_name" and (want is None or want == got):
            continue  # a template font without a name: the program picks one (LibreOffice: the theme's)
        if field == "number_format" and want != got and formula and want == (("code", "general"),) and (
                got in inferable or is_date_format(_code(got))):
            continue  # LibreOffice gives a formula in General the format of the cells it computes from
        if want != got:
            aspects.append(_ASPECTS[field])
    return aspects


def _code(tokens: tuple[tuple[str, str], ...]) -> str:
    return "".join(f'"{v}"' if k == "lit" else f"[{v}]" if k == "[" else v if k == "code" else k + v
                   for k, v in tokens)


def _format_said(code: str) -> str:
    """A cell's number format as the finding names it: as the file has it, and what it does when it hides the
    value (`;;;`: every section empty, a trick to make a cell look empty)."""
    # A ; in quotes or after \ separates nothing; a colour or condition ([Red]) and an empty text ("") show
    # nothing of their own.
    missing = re.fullmatch(_MISSING_FORMAT.replace("{}", "(.*)"), code)
    if missing:
        return f"getalnotatie {missing.group(1)} ontbreekt in het bestand"
    literals = re.sub(r'"([^"]*)"?', lambda m: "x" if m.group(1) else "", re.sub(r"\\.", "x", code))
    sections = re.sub(r"\[[^\]]*\]", "", literals).split(";")
    hidden = len(sections) >= 3 and not any(section.strip() for section in sections[:3])
    return f"getalnotatie {show_value(code)}" + (": een getal wordt niet getoond" if hidden else "")


# --- the sheet ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Area:
    """The part of a sheet the template uses: comparisons of ranges are clipped to it (outside it there
    is nothing to show, and a rule over a whole sheet is not expanded cell by cell)."""

    rows: int
    columns: int

    def cells(self, ranges: Iterable[str]) -> frozenset[str]:
        found = set()
        for ref in ranges:
            try:
                low_col, low_row, high_col, high_row = range_boundaries(str(ref))
            except (ValueError, TypeError):
                found.add(f"?{ref}")
                continue
            for row in range(max(low_row or 1, 1), min(high_row or self.rows, self.rows) + 1):
                for col in range(max(low_col or 1, 1), min(high_col or self.columns, self.columns) + 1):
                    found.add(f"{get_column_letter(col)}{row}")
        return frozenset(found)


def cells_with_content(ws: Worksheet) -> Iterator[Any]:
    """The cells of a sheet that hold something (never the sheet's empty rectangle)."""
    for cell in ws._cells.values():
        if cell.value is not None:
            yield cell


def sheet_findings(ws: Worksheet, reference: Worksheet, styles: Styles, expected_styles: Styles,
                   inputs: set[str], headers: Mapping[str, str] | None = None,
                   other_years: Mapping[int, Mapping[str, str]] | None = None) -> list[Finding]:
    """Every comparison of this module for one sheet of the workbook against the template's sheet;
    `headers` maps a header text of the template to the text a filled copy has in its place, and
    `other_years` gives those texts for another policy year than the copy's inputs name."""
    title = ws.title
    content = {c.coordinate: c for c in cells_with_content(reference)}
    for ref in inputs:  # the template writes its input cells, empty and styled
        cell = reference._cells.get(_row_column(ref))
        if cell is not None:
            content[ref] = cell
    area = Area(max([reference.max_row, *(c.row for c in content.values())]),
                max([reference.max_column, *(c.column for c in content.values())]))
    inferable = expected_styles.formats(reference.parent)
    findings: list[Finding] = []
    for coordinate, want in sorted(content.items(), key=lambda item: (item[1].row, item[1].column)):
        got = ws._cells.get((want.row, want.column))
        expected = expected_styles.cell(want)
        # A cell the found sheet lacks reads as an unstyled one (made apart, not added to the sheet).
        found = styles.cell(got if got is not None else Cell(ws, row=want.row, column=want.column))
        differs = same_style(expected, found, formula=want.data_type == "f", inferable=inferable)
        if differs:
            findings.append(Finding("opmaak", f"{title}!{coordinate}", None, None,
                                    f"{', '.join(differs)} wijkt af van het sjabloon" + (
                                        f" ({_format_said(number_format(got) if got is not None else 'General')})"
                                        if "getalnotatie" in differs else "")))
    findings += _merged(ws, reference)
    findings += _conditional_formats(ws, reference, styles, expected_styles, area)
    findings += _validations(ws, reference, area)
    findings += _visibility(ws, reference, content.values())
    findings += _sheet_settings(ws, reference, headers or {}, other_years or {})
    return findings


def _merged(ws: Worksheet, reference: Worksheet) -> list[Finding]:
    expected = {str(r) for r in reference.merged_cells.ranges}
    found = {str(r) for r in ws.merged_cells.ranges}
    return [Finding("opmaak", f"{ws.title}!{ref}", None, None, "cellen samengevoegd die het sjabloon niet samenvoegt")
            for ref in sorted(found - expected)] + [
        Finding("opmaak", f"{ws.title}!{ref}", None, None, "samengevoegde cellen gesplitst")
        for ref in sorted(expected - found)]


def _conditional_formats(ws: Worksheet, reference: Worksheet, styles: Styles, expected_styles: Styles,
                         area: Area) -> list[Finding]:
    expected = _rules(reference, expected_styles, area)
    found = _rules(ws, styles, area)
    if expected == found:
        return []
    findings = []
    missing = [rule for rule in expected if rule not in found]
    added = [rule for rule in found if rule not in expected]
    for rule in missing:
        findings.append(Finding("opmaak", f"{ws.title}!{_span(rule[0])}", None, None,
                                "voorwaardelijke opmaak van het sjabloon ontbreekt of is gewijzigd"))
    for rule in added:
        findings.append(Finding("opmaak", f"{ws.title}!{_span(rule[0])}", None, None,
                                "voorwaardelijke opmaak die het sjabloon niet heeft"))
    if not findings:
        findings.append(Finding("opmaak", ws.title, None, None,
                                "de volgorde van de voorwaardelijke opmaak is gewijzigd"))
    return findings


def _rules(ws: Worksheet, styles: Styles, area: Area) -> list[tuple[Any, ...]]:
    """The conditional formats of a sheet in the order they apply (priority; the numbers themselves are
    renumbered by programs that save)."""
    rules: list[tuple[int, int, tuple[Any, ...]]] = []
    for formatting in ws.conditional_formatting:
        cells = area.cells(str(r) for r in formatting.sqref.ranges)
        for rule in formatting.rules:
            extra = tuple(str(getattr(rule, name, None)) for name in (
                "text", "timePeriod", "rank", "percent", "bottom", "aboveAverage", "equalAverage", "stdDev")
                if rule.type not in {"expression", "cellIs"})
            scales = tuple(repr(getattr(rule, name, None)) for name in ("colorScale", "dataBar", "iconSet")
                           if getattr(rule, name, None) is not None)
            formulas = tuple(constant_condition(formula_key(f)) for f in (rule.formula or ()))
            # stopIfTrue is not compared: LibreOffice does not keep it (the rules themselves are).
            key = (cells, rule.type, rule.operator or "", formulas, styles.differential(rule.dxf), extra, scales)
            rules.append((int(rule.priority or 0), len(rules), key))
    return [key for _, _, key in sorted(rules, key=lambda r: (r[0], r[1]))]


def _span(cells: frozenset[str]) -> str:
    """Cells named shortly in a finding: the first and the last."""
    from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

    def order(ref: str) -> tuple[int, int]:
        try:
            letters, row = coordinate_from_string(ref)
            return row, column_index_from_string(letters)
        except ValueError:
            return (0, 0)

    ordered = sorted(cells, key=order)
    if not ordered:
        return "(buiten het sjabloon)"
    return ordered[0] if len(ordered) == 1 else f"{ordered[0]}:{ordered[-1]}"


def _validations(ws: Worksheet, reference: Worksheet, area: Area) -> list[Finding]:
    """Per cell what it accepts and how it says no: the type, operator and formulas, blanks allowed,
    the alert style, whether the error and input messages show, and their texts."""
    expected, found = _validation_map(reference, area), _validation_map(ws, area)
    findings = []
    for cell in sorted(set(expected) | set(found), key=_cell_order):
        if expected.get(cell) != found.get(cell):
            what = ("gegevensvalidatie toegevoegd" if cell not in expected else "gegevensvalidatie verwijderd"
                    if cell not in found else "gegevensvalidatie gewijzigd (wat de cel accepteert of hoe een fout "
                                              "gemeld wordt)")
            findings.append(Finding("instelling", f"{ws.title}!{cell}", None, None, what))
    return findings


def _validation_map(ws: Worksheet, area: Area) -> dict[str, frozenset[tuple[Any, ...]]]:
    result: dict[str, set[tuple[Any, ...]]] = {}
    for dv in ws.data_validations.dataValidation:
        kind = str(dv.type or "none")
        operator = "" if kind in {"list", "custom", "none", "any"} else str(dv.operator or "between")
        second = formula_key(dv.formula2 or "") if operator in {"between", "notBetween"} else ()
        key = (kind, operator, formula_key(dv.formula1 or ""), second, bool(dv.allow_blank),
               bool(dv.showErrorMessage), str(dv.errorStyle or "stop"), bool(dv.showInputMessage),
               dv.error or "", dv.errorTitle or "", dv.prompt or "", dv.promptTitle or "", bool(dv.showDropDown))
        for cell in area.cells(str(r) for r in dv.sqref.ranges):
            result.setdefault(cell, set()).add(key)
    return {cell: frozenset(keys) for cell, keys in result.items()}


def _row_column(ref: str) -> tuple[int, int]:
    from openpyxl.utils.cell import coordinate_to_tuple

    row, column = coordinate_to_tuple(ref)
    return int(row), int(column)


def _cell_order(ref: str) -> tuple[int, str]:
    digits = "".join(ch for ch in ref if ch.isdigit())
    return (int(digits) if digits else 0, ref)


def _visibility(ws: Worksheet, reference: Worksheet, content: Iterable[Any]) -> list[Finding]:
    """Whether each row and column with template content can be seen: hidden, or too low or narrow."""
    rows = sorted({c.row for c in content})
    columns = sorted({c.column for c in content})
    findings = []
    for row in rows:
        if _row_hidden(reference, row) != _row_hidden(ws, row):
            findings.append(Finding("opmaak", f"{ws.title}!{row}:{row}", None, None,
                                    "rij verborgen of zo laag dat de inhoud niet te zien is" if _row_hidden(ws, row)
                                    else "rij die het sjabloon verbergt is zichtbaar"))
    widths_expected, widths_found = _column_widths(reference), _column_widths(ws)
    for column in columns:
        letter = get_column_letter(column)
        if _column_hidden(reference, widths_expected, column) != _column_hidden(ws, widths_found, column):
            findings.append(Finding("opmaak", f"{ws.title}!{letter}:{letter}", None, None,
                                    "kolom verborgen of zo smal dat de inhoud niet te zien is"
                                    if _column_hidden(ws, widths_found, column)
                                    else "kolom die het sjabloon verbergt is zichtbaar"))
    return findings


def _row_hidden(ws: Worksheet, row: int) -> bool:
    dimension = ws.row_dimensions.get(row)
    if dimension is not None and dimension.hidden:
        return True
    height = dimension.height if dimension is not None else None
    if height is None:
        if ws.sheet_format.zeroHeight:
            return True  # rows without a height of their own are hidden
        height = ws.sheet_format.defaultRowHeight
    return height is not None and float(height) < MIN_ROW_HEIGHT


def _column_widths(ws: Worksheet) -> dict[int, tuple[bool, float | None]]:
    """(hidden, width) per column that has its own settings; a range of columns is one entry in the file."""
    result: dict[int, tuple[bool, float | None]] = {}
    for dimension in ws.column_dimensions.values():
        low, high = dimension.min, dimension.max
        if low is None or high is None:
            continue
        for column in range(int(low), min(int(high), 16384) + 1):
            if column > 1000:
                break  # beyond any template column: nothing there to hide
            result[column] = (bool(dimension.hidden), float(dimension.width) if dimension.width is not None else None)
    return result


def _column_hidden(ws: Worksheet, widths: dict[int, tuple[bool, float | None]], column: int) -> bool:
    hidden, width = widths.get(column, (False, None))
    if hidden:
        return True
    if width is None:
        width = ws.sheet_format.defaultColWidth
    return width is not None and float(width) < MIN_COLUMN_WIDTH


# What a sheet's protection forbids (set: forbidden while the sheet is protected), in a reader's words.
_PROTECTION = {"objects": "objecten bewerken", "scenarios": "scenario's bewerken", "formatCells": "cellen opmaken",
               "formatRows": "rijen opmaken", "formatColumns": "kolommen opmaken",
               "insertColumns": "kolommen invoegen", "insertRows": "rijen invoegen",
               "insertHyperlinks": "hyperlinks invoegen", "deleteColumns": "kolommen verwijderen",
               "deleteRows": "rijen verwijderen", "selectLockedCells": "vergrendelde cellen selecteren",
               "selectUnlockedCells": "ontgrendelde cellen selecteren", "sort": "sorteren",
               "autoFilter": "AutoFilter gebruiken", "pivotTables": "draaitabellen gebruiken"}
_HEADERS = ("oddHeader", "oddFooter", "evenHeader", "evenFooter", "firstHeader", "firstFooter")


def _sheet_settings(ws: Worksheet, reference: Worksheet, headers: Mapping[str, str],
                    other_years: Mapping[int, Mapping[str, str]]) -> list[Finding]:
    findings = []
    findings += _protection_findings(ws, reference)
    findings += _unlocked_findings(ws, reference)
    findings += _view_findings(ws, reference)
    if _zeros(ws) != _zeros(reference):
        findings.append(Finding("opmaak", ws.title, None, None, "nulwaarden worden " + (
            "niet getoond" if not _zeros(ws) else "getoond") + ", anders dan in het sjabloon"))
    got = _headers(ws)
    if got != _headers(reference) and got != _headers(reference, headers):
        printed = next((year for year, texts in other_years.items() if got == _headers(reference, texts)), None)
        findings.append(Finding("opmaak", ws.title, None, None, "kop- of voettekst wijkt af van het sjabloon"
                                if printed is None else
                                f"de kop van de afgedrukte pagina's noemt beleidsjaar {printed}, niet het jaar van "
                                "de invoer (een kop volgt een gewijzigde cel niet); vul de werkmap opnieuw met "
                                "zorginkoop fill"))
    return findings


def _protection_findings(ws: Worksheet, reference: Worksheet) -> list[Finding]:
    """Whether the sheet is protected, and what its protection still allows, as in the template."""
    protected, expected = bool(ws.protection.sheet), bool(reference.protection.sheet)
    if protected != expected:
        return [Finding("instelling", ws.title, "beveiligd" if expected else "niet beveiligd",
                        "beveiligd" if protected else "niet beveiligd", "de bladbeveiliging is gewijzigd")]
    if not protected:
        return []
    if _password(ws) and not _password(reference):  # the template's protection has none, by design
        return [Finding("instelling", ws.title, "zonder wachtwoord", "met wachtwoord",
                        "de bladbeveiliging heeft een wachtwoord gekregen: zonder dat wachtwoord kan niemand het "
                        "blad nog openzetten")]
    changed = [f"{label}: {'niet toegestaan' if getattr(ws.protection, flag) else 'toegestaan'}"
               for flag, label in _PROTECTION.items()
               if bool(getattr(ws.protection, flag)) != bool(getattr(reference.protection, flag))]
    return [Finding("instelling", ws.title, None, None,
                    f"de bladbeveiliging staat iets anders toe dan in het sjabloon ({'; '.join(changed)})")] \
        if changed else []


def _unlocked(ws: Worksheet) -> list[str]:
    """The columns and rows that a style of their own unlocks (`B:D`, `10:20`): under the sheet's protection
    every empty cell there can be typed in, where the template allows only its input cells."""
    spans = [f"{get_column_letter(int(d.min))}:{get_column_letter(min(int(d.max), 16384))}"
             for d in ws.column_dimensions.values() if d.has_style and d.min and d.max and not d.protection.locked]
    rows = sorted(r for r, d in ws.row_dimensions.items() if d.has_style and not d.protection.locked)
    start = 0
    for i, row in enumerate(rows):  # consecutive rows as one span
        if i + 1 == len(rows) or rows[i + 1] != row + 1:
            spans.append(f"{rows[start]}:{row}")
            start = i + 1
    return spans


def _unlocked_findings(ws: Worksheet, reference: Worksheet) -> list[Finding]:
    if not ws.protection.sheet:
        return []  # (an unprotected sheet is a finding of its own)
    expected = set(_unlocked(reference))
    added = [span for span in _unlocked(ws) if span not in expected]
    if not added:
        return []
    shown = dutch_list(added) if len(added) <= 5 else f"{', '.join(added[:5])} en nog {len(added) - 5}"
    return [Finding("instelling", ws.title, "vergrendeld", "ontgrendeld",
                    f"{shown} {'is' if len(added) == 1 else 'zijn'} in {'zijn' if len(added) == 1 else 'hun'} geheel "
                    "ontgrendeld (een opmaak van de hele kolom of rij): ondanks de bladbeveiliging kan daar elke "
                    "lege cel worden gewijzigd")]


_MIN_ZOOM = 50  # percent: a sheet that opens smaller cannot be read without zooming in first


def _view_findings(ws: Worksheet, reference: Worksheet) -> list[Finding]:
    """How the sheet opens: right to left (column A on the right) or too small to read."""
    findings = []
    view, expected = ws.sheet_view, reference.sheet_view
    if bool(view.rightToLeft) != bool(expected.rightToLeft):
        findings.append(Finding("opmaak", ws.title, None, None,
                                "het blad staat van rechts naar links (kolom A rechts), anders dan in het sjabloon"
                                if view.rightToLeft else "het blad staat niet meer van rechts naar links"))
    zoom, template_zoom = int(view.zoomScale or 100), int(expected.zoomScale or 100)
    if zoom < _MIN_ZOOM <= template_zoom:
        findings.append(Finding("opmaak", ws.title, f"{template_zoom} %", f"{zoom} %",
                                f"het blad opent op {zoom} % zoom, te klein om te lezen; zet de zoom terug op "
                                f"{template_zoom} %"))
    return findings


def _password(ws: Worksheet) -> bool:
    """Whether the sheet's protection has a password, in either form a file stores it (legacy or hashed)."""
    return bool(ws.protection.password or ws.protection.hashValue)


def _zeros(ws: Worksheet) -> bool:
    return ws.sheet_view.showZeros is not False


def _headers(ws: Worksheet, filled: Mapping[str, str] | None = None) -> tuple[Any, ...]:
    """The texts of every header and footer, and whether the first page and even pages have their own; with
    `filled` (a text as the template has it -> as a filled copy has it), those of a copy of `ws`.

    A copy's header is read back through the same parse of the header text that reads the copy: openpyxl
    splits the text at every &L, &C and &R, also inside a literal `&&` of a key such as `T&R zorg`, so the
    copy is compared with what the same text gives, not with what it means."""
    from xml.etree.ElementTree import Element

    from openpyxl.worksheet.header_footer import HeaderFooterItem

    texts = []
    for name in _HEADERS:
        part = getattr(ws, name, None)
        if part is not None and filled is not None:
            pieces = {}
            for side in ("left", "center", "right"):
                piece = copy(getattr(part, side))
                piece.text = filled.get(" ".join((piece.text or "").split()), piece.text)
                pieces[side] = piece
            node = Element(name)
            node.text = str(HeaderFooterItem(**pieces))
            part = HeaderFooterItem.from_tree(node)
        sides = ((getattr(part, side).text or "") if part is not None else "" for side in ("left", "center", "right"))
        texts.append(tuple(" ".join(text.split()) for text in sides))
    flags = ws.HeaderFooter
    return (*texts, bool(flags.differentFirst), bool(flags.differentOddEven))
