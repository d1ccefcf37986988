"""The summary of a `fill` run: summary.xlsx for people, summary.csv for programs.

summary.xlsx: one row per key on the sheet "Samenvatting" (the key first, Dutch headers that wrap,
ja/nee, € and % formats, readable widths), an output that does not apply left empty with the reason
beside it, and every range output (months, quarters, areas to drop) on a sheet of its own, as columns
when it has a label per row (januari … december) and as a list otherwise. It prints A4 landscape, one
page wide, with the header row repeated.

summary.csv: the outputs as computed, for programs: UTF-8, commas, a decimal point, TRUE/FALSE, money in
euros with two decimals, dates as ISO 8601 (2027-03-15); text that a spreadsheet would read as a formula gets
a leading apostrophe, a number never does.

Both are written to temporary files first and then put in place together, so a failure leaves neither.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from collections.abc import Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from ..dates import month_name
from ..money import round_money
from .files import write_together
from .formats import (
    MAX_CELL_CHARS,
    OUTPUT_FORMATS,
    cell_value,
    characters_per_line,
    print_setup,
    row_height,
    wrapped_lines,
    xml_text,
)
from .specs import NOT_APPLICABLE, NOTHING_TYPED, Output, Template
from .specs import XML_INVALID as _XML_INVALID

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

    from .fill import Case

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NAMES = ("summary.xlsx", "summary.csv")
# Width (in characters) of a column by the kind of its values: enough for € 12.345.678,90 and a wrapped header.
_WIDTHS = {"money": 16, "fraction": 12, "count": 12, "ratio": 12, "number": 12, "bool": 12, "month": 12, "fte": 12,
           "hours": 12, "factor": 12, "text": 36, "date": 12}
# Column widths (characters) that A4 landscape prints at about 70 % at most, a size a reader can still read
# (about 136 at 100 %); a wider summary prints on two pages side by side, the key repeated.
ONE_PAGE_WIDTH = 195
REASON_OUTPUTS = ("out_reden", "out_redenen")  # a template's own explanation, shown as "Toelichting"


def summary_rows(spec: Template, cases: Sequence[Case]) -> Iterator[list[Any]]:
    """The summary for programs: fixed machine names in the header, the values as computed."""
    yield ["sleutel", "status", "reden", "bestand", "rijen", *(o.name for o in spec.outputs)]
    for case in cases:
        status = "afgewezen" if case.error else "ok"  # for programs: fixed words (summary.xlsx: "ingevuld")
        rows = ",".join(str(r) for r in case.rows)
        outputs = [_joined(case.outputs.get(o.name)) for o in spec.outputs]
        yield [case.key, status, case.error or "", case.file or "", rows, *outputs]


def _status(case: Case) -> str:
    """A key's status as a reader of summary.xlsx sees it: its workbook written, or the key refused."""
    return "afgewezen" if case.error else "ingevuld"


def _joined(value: Any) -> Any:
    """A range output (areas to drop, cumulative production) as one text in summary.csv."""
    if isinstance(value, list):
        return ", ".join(format(v, "f") if isinstance(v, Decimal) else str(v) for v in value if v not in ("", None))
    return value


def csv_safe(value: Any) -> Any:
    """Text that a spreadsheet would read as a formula gets a leading apostrophe (CSV injection); numbers
    are never touched (a negative amount stays a number)."""
    if isinstance(value, str) and len(value) > 1 and value.startswith(_FORMULA_START):  # a lone "-" is inert
        return "'" + value
    return value


def _csv_field(value: Any, kind: str) -> Any:
    """One value of summary.csv: text made safe, a number written as a number (never quoted or escaped)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, Decimal):
        return format(round_money(value) if kind == "money" else value, "f")
    if isinstance(value, int):
        return value
    return csv_safe(value)


def summary_files(spec: Template, cases: Sequence[Case], *, key_label: str = "sleutel") -> tuple[bytes, bytes]:
    """The contents of summary.xlsx and summary.csv (see the module docstring), made in memory: `fill` makes
    them while its workers write the workbooks, and puts them in place only once every workbook is there."""
    table = list(summary_rows(spec, cases))
    kinds = {o.name: o.kind for o in spec.outputs}
    text = io.StringIO(newline="")
    writer = csv.writer(text)
    writer.writerow(table[0])
    for line in table[1:]:
        writer.writerow([_csv_field(v, kinds.get(str(h), "")) for h, v in zip(table[0], line, strict=True)])
    xlsx = io.BytesIO()
    _write_xlsx(spec, cases, key_label, xlsx)
    return xlsx.getvalue(), text.getvalue().encode("utf-8", "replace")  # (a file name that is no UTF-8: '?')


def write_summary(out_dir: Path, contents: tuple[bytes, bytes], *, force: bool) -> tuple[Path, Path]:
    """summary.xlsx and summary.csv in `out_dir` (`contents`: as `summary_files` made them), written
    together: a failure leaves neither."""
    xlsx, csv_path = write_together([(out_dir / name, content) for name, content in
                                     zip(NAMES, contents, strict=True)], overwrite=force)
    return xlsx, csv_path


# --- summary.xlsx ------------------------------------------------------------------------------------------
#
# openpyxl makes each sheet (its header row, widths, styles, filter, frozen panes and print setup); the data
# rows are written as XML by `_Rows` and put into the sheets of the file openpyxl saved. Made by openpyxl, a
# cell object per value serialised in pure Python took 0.2 s of a thousand-row summary: a fifth of a `fill`
# of a thousand small workbooks, and 7 s for 40,000 keys. `_Rows` writes what openpyxl writes for those
# cells (tests/test_summary_rows.py compares the two), except that a character no XML file holds is shown
# as U+FFFD where openpyxl would stop the run.

def _write_xlsx(spec: Template, cases: Sequence[Case], key_label: str, target: IO[bytes]) -> None:
    # openpyxl here, not at the top: `describe` and `check` import `fill`, which imports this module.
    from openpyxl import Workbook

    from .report_sheets import table_header

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Samenvatting"
    scalars = [o for o in spec.outputs if not o.rows and o.name not in REASON_OUTPUTS]
    reason = next((o for o in spec.outputs if o.name in REASON_OUTPUTS), None)
    headers = [key_label, "Status", *(o.label for o in scalars), "Toelichting", "Bestand", "Rijen in invoer"]
    explanations = [case.error or _explanation(case, reason, _not_applicable(case, scalars)) for case in cases]
    # The explanation wraps in a column of 44; left empty in every row, it gets only its header's width.
    widths = [max(14, min(32, max((len(c.key) for c in cases), default=0) + 2)), 11,
              *(_width(o) for o in scalars), 44 if any(explanations) else 13, 24, 12]
    table_header(ws, 1, headers, widths)
    per_line = [characters_per_line(width) for width in widths]
    rows = _Rows(ws, len(headers))
    for case, explanation in zip(cases, explanations, strict=True):
        values = [case.outputs.get(o.name) for o in scalars]
        line: list[tuple[Any, str]] = [(case.key, "text"), (_status(case), "text")]
        line += [(None if v == NOT_APPLICABLE else cell_value(o.kind, v), o.kind) for o, v in
                 zip(scalars, values, strict=True)]
        line += [(explanation, "text"), (case.file or "", "text"), (_rows_text(case.rows), "text")]
        # As fit_row would find from the cells (wrapped: the text columns), from the values themselves.
        rows.add(line, max([1, *(wrapped_lines(value, per_line[column]) for column, (value, kind) in
                                 enumerate(line) if kind == "text" and isinstance(value, str))]))
    ws.freeze_panes = "B2"
    last = f"{_letter(len(headers))}{len(cases) + 1}"
    ws.auto_filter.ref = f"A1:{last}"
    print_setup(ws, f"A1:{last}", title=f"Samenvatting: {spec.title}", titles_rows="1:1",
                footer=f"sjabloon {spec.name} {spec.version}", pages_wide=1 if sum(widths) <= ONE_PAGE_WIDTH else 2)
    sheets = [rows]
    for output in (o for o in spec.outputs if o.rows):
        sheets.append(_range_sheet(wb.create_sheet(_sheet_name(output.label)), spec, output, cases, key_label))
    skeleton = io.BytesIO()
    wb.save(skeleton)
    _with_rows(skeleton, sheets, target)


def _width(output: Output) -> int:
    """A column wide enough for its values and for the longest word of its header (no word split)."""
    longest = max(len(word) for word in output.label.split())
    return max(_WIDTHS.get(output.kind, 12), int(longest * 1.25) + 2)


def _not_applicable(case: Case, scalars: Sequence[Output]) -> list[str]:
    """The labels of the outputs that do not apply to this key."""
    return [o.label for o in scalars if case.outputs.get(o.name) == NOT_APPLICABLE]


def _explanation(case: Case, reason: Output | None, missing: list[str]) -> str:
    """Why values are empty or what the verdict rests on: the template's own reason, else the outputs
    that do not apply."""
    if reason is not None:
        text = case.outputs.get(reason.name)
        if isinstance(text, str) and text != NOTHING_TYPED:
            return text
    return "; ".join(f"{label}: {NOT_APPLICABLE}" for label in missing)


def _rows_text(rows: Sequence[int]) -> str:
    """The INPUTS rows of a key as a reader writes them: 2–61 when they follow each other."""
    if len(rows) > 1 and list(rows) == list(range(rows[0], rows[-1] + 1)):
        return f"{rows[0]}–{rows[-1]}"
    return ", ".join(map(str, rows[:10])) + (f" en nog {len(rows) - 10}" if len(rows) > 10 else "")


def _range_sheet(ws: Worksheet, spec: Template, output: Output, cases: Sequence[Case], key_label: str) -> _Rows:
    """A range output: one row per key with a column per labelled row (months, quarters), or a list (key,
    order, value) when the rows have no labels (areas to drop)."""
    from .report_sheets import table_header  # openpyxl only when a summary.xlsx is written: see _write_xlsx

    labels = next((i.row_labels for i in spec.inputs if i.rows == output.rows and i.row_labels), ())
    done = [c for c in cases if not c.error]
    if labels:
        headers = [key_label, *labels]
        table_header(ws, 1, headers, [24, *([_WIDTHS.get(output.kind, 12)] * len(labels))])
        rows = _Rows(ws, len(headers))
        for case in done:
            items = case.outputs.get(output.name) or []
            rows.add([(case.key, "text"), *((None if value in ("", None, NOT_APPLICABLE) else value, output.kind)
                                           for value in items[:len(labels)])])
    else:
        headers = [key_label, "Volgorde", output.label]
        table_header(ws, 1, headers, [24, 10, 24])
        rows = _Rows(ws, len(headers))
        for case in done:
            items = [v for v in case.outputs.get(output.name) or [] if v not in ("", None)]
            for order, value in enumerate(items, start=1):
                rows.add([(case.key, "text"), (order, "count"), (value, output.kind)])
    if rows.last == 1:  # no key has a value: one line says so, instead of an empty page
        rows.add([("geen", "text")])
    ws.freeze_panes = "B2"
    area = f"A1:{_letter(len(headers))}{rows.last}"
    ws.auto_filter.ref = area
    print_setup(ws, area, title=f"{output.label}: {spec.title}", titles_rows="1:1",
                footer=f"sjabloon {spec.name} {spec.version}")
    return rows


class _Rows:
    """The data rows of a sheet, below its header row, as the XML openpyxl would write for them: each value
    as `_shown` makes it, top-aligned, wrapped when it is text, with the number format of its kind (a date a
    date cell), text always as text (an inline string, never a formula, whatever it starts with)."""

    def __init__(self, ws: Worksheet, columns: int) -> None:
        self.ws = ws
        self.columns = columns  # the header's: no row is wider
        self.xml: list[str] = []
        self.last = 1  # the header row
        self._styles: dict[tuple[bool, str, str | None], int] = {}

    def add(self, cells: Sequence[tuple[Any, str]], lines: int = 1) -> None:
        """A row of (value, kind), `lines` lines high."""
        self.last += 1
        height = row_height(lines)
        parts = [f'<row r="{self.last}" ht="{height}" customHeight="1">' if height else f'<row r="{self.last}">']
        for column, (value, kind) in enumerate(cells, start=1):
            parts.append(self._cell(f"{_letter(column)}{self.last}", _shown(value, kind), kind))
        parts.append("</row>")
        self.xml.append("".join(parts))

    def _cell(self, ref: str, value: Any, kind: str) -> str:
        # Top-aligned, every cell: in a row that a wrapped text makes high, a number stays beside its key. A ja/nee
        # is centred: left-aligned it stood against the right-aligned number before it ("3 ja").
        style = (kind == "text", OUTPUT_FORMATS.get(kind, "General") if isinstance(value, int | float | dt.date)
                 else "General", "center" if kind == "bool" else None)  # a date: a date cell, shown d-m-yyyy
        head = f'<c r="{ref}" s="{self._style(style)}"'
        if value is None:
            return head + ' t="n" />'
        if isinstance(value, str):
            if value == "":
                return head + ' t="inlineStr" />'
            # Characters no XML file holds (keys with them are refused before; a file name that is no UTF-8 in a
            # message has surrogates) are shown as U+FFFD, where openpyxl would stop the run.
            text = _within_a_cell(_NOT_IN_XML.sub("\ufffd", value))
            space = ' xml:space="preserve"' if text.strip() and text != text.strip() else ""
            return f'{head} t="inlineStr"><is><t{space}>{xml_text(text)}</t></is></c>'
        if isinstance(value, bool):
            return f'{head} t="b"><v>{int(value)}</v></c>'
        if isinstance(value, dt.date):
            from openpyxl.utils.datetime import to_excel

            value = to_excel(value)
        if isinstance(value, float) and not math.isfinite(value):
            return head + ' t="n"><v /></c>'  # as openpyxl writes it: no number
        return f'{head} t="n"><v>{format(value, ".16g")}</v></c>'  # openpyxl's "%.16g"

    def _style(self, style: tuple[bool, str, str | None]) -> int:
        """The workbook's index of a cell style (wrapping, number format, horizontal alignment), registered as a
        cell of openpyxl's would register it (one that is not on the sheet)."""
        if style not in self._styles:
            from openpyxl.cell.cell import Cell
            from openpyxl.styles import Alignment

            cell = Cell(self.ws)
            cell.alignment = Alignment(wrap_text=style[0], vertical="top", horizontal=style[2])
            cell.number_format = style[1]
            self._styles[style] = cell.style_id
        return self._styles[style]


_CUT = " … (ingekort; summary.csv heeft de hele tekst)"


def _within_a_cell(text: str) -> str:
    """`text`, cut to what an Excel cell holds (MAX_CELL_CHARS UTF-16 units) and saying so; no text is
    that long unless a path or a message is (a refused key's reason is bounded, `fill._reason`)."""
    if len(text) <= MAX_CELL_CHARS // 2 or len(text.encode("utf-16-le")) // 2 <= MAX_CELL_CHARS:
        return text
    room = MAX_CELL_CHARS - len(_CUT)
    kept = text[:room]
    excess = len(kept.encode("utf-16-le")) // 2 - room  # characters outside the BMP take two units each
    return (kept[:len(kept) - excess] if excess > 0 else kept) + _CUT


def _shown(value: Any, kind: str) -> Any:
    """A value as its summary cell holds it: a month by its name, money to the cent, a Decimal as a number."""
    if kind == "month" and isinstance(value, int) and not isinstance(value, bool):
        return month_name(value)  # the month the ceiling is reached, as its name beside "niet bereikt"
    if isinstance(value, Decimal):
        if kind == "money":
            value = round_money(value)  # half up, as everywhere (a rule's amount is already in cents)
        return int(value) if value == value.to_integral_value() and abs(value) < 2**53 else float(value)
    return value


_NOT_IN_XML = re.compile(f"{_XML_INVALID.pattern}|[\ud800-\udfff]")
_DIMENSION = re.compile(r'<dimension ref="[^"]*"\s*/>')


def _with_rows(skeleton: io.BytesIO, sheets: Sequence[_Rows], target: IO[bytes]) -> None:
    """The workbook openpyxl saved in `skeleton`, each sheet with its rows after its header row, to `target`."""
    import zipfile

    # ws.path: where openpyxl saved the sheet (/xl/worksheets/sheetN.xml, N its place in the workbook).
    parts = {rows.ws.path.lstrip("/"): rows for rows in sheets}
    with zipfile.ZipFile(skeleton) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as result:
        for info in source.infolist():
            data = source.read(info)
            if info.filename in parts:
                rows = parts[info.filename]
                xml = data.decode("utf-8")
                end = xml.index("</sheetData>")  # after the header row (openpyxl has written it)
                xml = xml[:end] + "".join(rows.xml) + xml[end:]
                extent = f"A1:{_letter(rows.columns)}{rows.last}"
                xml = _DIMENSION.sub(f'<dimension ref="{extent}" />', xml, count=1)
                data = xml.encode("utf-8")
            result.writestr(info, data)


def _letter(column: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(column))


def _sheet_name(label: str) -> str:
    """A sheet name from a label: at most 31 characters (Excel's limit), none of []:*?/\\. A longer label
    loses its parenthesis first, then its last words, and says so with "…": cut at 31 characters it read
    "Te schrappen postcodegebieden (" and "Aandeel eigen levering per kwar"."""
    name = "".join("_" if c in "[]:*?/\\" else c for c in label)
    if len(name) > 31:
        name = re.sub(r"\s*\([^)]*\)", "", name).strip() or name
    if len(name) > 31:
        cut = name[:30].rsplit(" ", 1)[0] if " " in name[:30] else name[:30]
        name = cut.rstrip() + "…"
    return name

__all__ = ["NAMES", "csv_safe", "summary_files", "summary_rows", "write_summary"]
