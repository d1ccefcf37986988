"""How values look in the workbooks people read: Excel number formats, ja/nee, and page setup.

One home for the display of every workbook the toolkit writes (the templates, summary.xlsx, the
ratio and plafond reports), so an amount looks the same everywhere: `€ 1.234,56`, `4,72%`, `2,33`.
Number formats are stored locale-free in the file (`"€" #,##0.00`) and shown with the reader's
separators: `€ 1.234,56` in Dutch Excel and LibreOffice (../NOTES, "Dutch numbers").

Yes/no results are the text "ja"/"nee" in every workbook (a Dutch reader sees no WAAR/ONWAAR, and
`fill`, `check` and the recalculation proofs read them so); Python keeps `bool` and summary.csv TRUE/FALSE.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from openpyxl.styles import Font
    from openpyxl.worksheet.worksheet import Worksheet

YES, NO = "ja", "nee"
DATE_FORMAT = "d-m-yyyy"

# By the kind of an output (specs.Output.kind).
OUTPUT_FORMATS = {
    "count": "#,##0", "ratio": "0.00", "number": "General", "fraction": "0.00%", "money": '"€" #,##0.00',
    "bool": "General", "text": "General", "month": "General", "fte": "0.00", "hours": "#,##0", "factor": "0.000000",
    "index": "0.000%",  # an NZa index has three decimals of a percent (3,368 %)
    "care": "#,##0.00", "date": DATE_FORMAT,  # care in hours or euros (Berekening); a date (a parameter, a result)
}
# By the quantity of a number input (parameters/data/plausible.yaml); a year has no thousands separator.
INPUT_FORMATS = {
    "money": '"€" #,##0.00', "ceiling": '"€" #,##0.00', "count": "#,##0", "year": "0", "share": "0.00%",
    "index": "0.00%", "hours_per_year": "#,##0.0", "hours_per_week": "0.0", "shift_hours": "0.0",
    "cost_points": "General", "fte": "0.00", "care": "#,##0.00", "case_manager_fte": "0.00",
}
TEXT_FORMAT = "@"  # postcodes, scores, choices: 0123 stays visible as typed (to be refused), not 123


def input_format(kind: str, quantity: str | None) -> str:
    """How an input cell shows what is typed: € for money, % for shares, d-m-yyyy for a date, text for words
    and postcodes."""
    if kind in {"number", "year"} and quantity:
        return INPUT_FORMATS[quantity]
    if kind == "date":
        return DATE_FORMAT
    return TEXT_FORMAT if kind in {"postcode", "score", "choice", "flag"} else "General"


def yes_no_text(value: bool) -> str:
    return YES if value else NO


def cell_value(kind: str, value: Any) -> Any:
    """A value as a workbook cell holds it: a yes/no result as ja/nee, a list item by item."""
    if isinstance(value, list):
        return [cell_value(kind, v) for v in value]
    if isinstance(value, bool):
        return yes_no_text(value)
    return value


def years_text(years: tuple[int, ...]) -> str:
    """"beleidsjaar 2027" or "beleidsjaren 2025–2027", for a header."""
    if len(years) == 1:
        return f"beleidsjaar {years[0]}"
    if list(years) == list(range(years[0], years[-1] + 1)):
        return f"beleidsjaren {years[0]}–{years[-1]}"
    return "beleidsjaren " + ", ".join(map(str, years))


def header_code(text: str) -> str:
    """Text as it stands in a header or footer: `&` starts a code there, a literal one is written twice."""
    return text.replace("&", "&&")


def print_setup(ws: Worksheet, area: str, *, one_page: bool = False, title: str = "", titles_rows: str | None = None,
                footer: str = "", center: str = "", pages_wide: int = 1) -> None:
    """A4 landscape, `pages_wide` pages wide (and one page high when `one_page`), a print area, and a header and
    footer: the title left, the file name (a filled workbook is named after its key) right, the page
    numbers in the footer. Printed more than one page wide, column A (the key) is repeated on every page."""
    from openpyxl.worksheet.page import PageMargins  # here: `fill` and `check` import this module, not openpyxl

    ws.print_area = area
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = pages_wide
    ws.page_setup.fitToHeight = 1 if one_page else 0
    if pages_wide > 1:
        ws.print_title_cols = "A:A"
    ws.page_margins = PageMargins(left=0.5, right=0.5, top=0.75, bottom=0.75, header=0.3, footer=0.3)
    ws.print_options.horizontalCentered = False
    if titles_rows:
        ws.print_title_rows = titles_rows
    if title:
        ws.oddHeader.left.text = header_code(title)
        ws.oddHeader.left.size = 9
    if center:  # a filled template: the key and the policy year (fill writes them here)
        ws.oddHeader.center.text = header_code(center)
        ws.oddHeader.center.size = 9
    ws.oddHeader.right.text = "&F"
    ws.oddHeader.right.size = 9
    if footer:
        ws.oddFooter.left.text = header_code(footer)
        ws.oddFooter.left.size = 8
    ws.oddFooter.right.text = "pagina &P van &N"
    ws.oddFooter.right.size = 8


def font(*, bold: bool = False, size: float = 11, color: str | None = None) -> Font:
    """Calibri, named: a font without a name falls back to a serif in LibreOffice, wider than the row
    heights `fit_row` estimates (and not what Excel shows)."""
    from openpyxl.styles import Font  # here: `fill` and `check` import this module, not openpyxl

    return Font(name="Calibri", bold=bold, size=size, color=color)


def wrapped_lines(text: str, per_line: int) -> int:
    """Lines a wrapped cell needs: words filled greedily into lines of `per_line` characters."""
    lines = 0
    for paragraph in text.split("\n"):
        lines, used = lines + 1, 0
        for word in paragraph.split(" "):
            if used and used + 1 + len(word) > per_line:
                lines, used = lines + 1, 0
            used += len(word) + (1 if used else 0)
            while used > per_line:  # a word longer than a line breaks inside
                lines, used = lines + 1, used - per_line
    return lines


def fit_row(ws: Worksheet, row: int, *, minimum: int = 1, columns: int | None = None) -> None:
    """Give a row with wrapped text the height of its longest cell (at least `minimum` lines). Excel and
    LibreOffice keep the height a file gives (none: one line), so it is estimated (`characters_per_line`);
    a merged cell has the width of its columns. `columns`, the row's last column, when the caller knows it:
    openpyxl finds it by looking at every cell of the sheet, which made a sheet of a thousand rows quadratic."""
    lines = minimum
    merged = {r.start_cell.coordinate: r for r in ws.merged_cells.ranges if r.min_row == row}
    cells = ws[row] if columns is None else next(ws.iter_rows(min_row=row, max_row=row, max_col=columns))
    for cell in cells:
        if not isinstance(cell.value, str) or cell.data_type == "f" or not cell.alignment.wrap_text:
            continue
        span = merged.get(cell.coordinate)
        spanned = range(span.min_col, span.max_col + 1) if span else [cell.column]
        width = sum(ws.column_dimensions[_letter(c)].width or 9 for c in spanned)
        per_line = characters_per_line(width, float(cell.font.sz or 11), bold=bool(cell.font.b))
        lines = max(lines, wrapped_lines(cell.value, per_line))
    set_row_lines(ws, row, lines)


def characters_per_line(width: float, size: float = 11, *, bold: bool = False) -> int:
    """Characters of wrapped text that fit on one line of a column `width` wide, estimated from Calibri's
    width: about 1.2 characters per unit of column width at 12 points, taken as 1.1 so that a wider fallback
    font still fits, a tenth fewer in bold."""
    return max(1, int((width - 1) * 1.1 * 12 / size * (0.9 if bold else 1)))


def xml_text(text: str) -> str:
    """Text as XML character data, for the cells the toolkit writes itself (a filled copy, the summary's rows),
    as xml.sax.saxutils.escape: importing that brings in urllib.request, 20 ms of every `fill`'s start-up."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


MAX_CELL_CHARS = 32_767  # the longest text an Excel cell holds (in UTF-16 units); a longer one makes Excel "repair"
MAX_ROW_POINTS = 409  # the highest row Excel keeps; a higher one is an error it "repairs" when it opens the file


def row_height(lines: int) -> int | None:
    """The height (points) of a row of `lines` lines of 11-point text, at most MAX_ROW_POINTS (the rest of a
    longer text is seen in the cell itself); one line: None, the default height."""
    return min(lines * 15 + 3, MAX_ROW_POINTS) if lines > 1 else None


def set_row_lines(ws: Worksheet, row: int, lines: int) -> None:
    """A row high enough for `lines` lines of 11-point text (one line: the default height, none given)."""
    height = row_height(lines)
    if height is not None:
        ws.row_dimensions[row].height = height


def _letter(column: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(column))


__all__ = [
    "DATE_FORMAT",
    "INPUT_FORMATS",
    "MAX_CELL_CHARS",
    "NO",
    "OUTPUT_FORMATS",
    "TEXT_FORMAT",
    "YES",
    "cell_value",
    "characters_per_line",
    "fit_row",
    "font",
    "header_code",
    "input_format",
    "print_setup",
    "row_height",
    "set_row_lines",
    "wrapped_lines",
    "xml_text",
    "years_text",
    "yes_no_text",
]
