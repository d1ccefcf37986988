"""An xlsx package opened with bounds, before any XML parser or spreadsheet reader sees it.

A spreadsheet is a zip of XML parts. A 5 MB file can inflate to 5 GB; a 2 KB file can declare one
cell at XFD1048576, and a reader that walks the sheet's rectangle then creates billions of cells. So
the zip's directory, the parts' declared sizes and every sheet's cells are checked first, from the
central directory and a streaming scan (`toolkit.xlsx`, the one reading of cell references, however
they are quoted or spaced), with a Dutch error naming the file; only then does openpyxl parse it.

The bounds are for a template and its filled copies (`check`, and `fill`/`describe` given a template
file): all sheets together hold at most `MAX_WORKBOOK_CELLS` cells and span at most `MAX_WORKBOOK_AREA`
cells of rectangle, a few times the largest template.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InputError, show_value, system_reason
from ..xlsx_scan import part_twice, part_unreadable

if TYPE_CHECKING:
    from ..xlsx import SheetExtent

MAX_MEMBERS = 2_000
MAX_PART_BYTES = 64 << 20  # a sheet or the shared strings, inflated; the largest template sheet is 4 MB
MAX_OTHER_PART_BYTES = 8 << 20  # any other part (styles, names, drawings, charts): each XML element
# there becomes an object in openpyxl, so a few megabytes of `<xf/>` would be millions of styles
MAX_TOTAL_BYTES = 256 << 20  # all parts, inflated
MAX_WORKBOOK_CELLS = 300_000  # cells of all sheets together; the largest template (cz_ratio) has 32,000
MAX_WORKBOOK_AREA = 1_000_000  # the rectangles of all sheets together, and every cell of a merged range or
# a hyperlink (openpyxl makes an object for each); cz_ratio's span 40,000
MAX_FILE_BYTES = 100 << 20
_LARGE_PARTS = re.compile(r"^xl/(worksheets/[^/]+|sharedStrings)\.xml$")


@dataclass(frozen=True)
class Part:
    name: str
    size: int  # inflated, as declared in the central directory
    compressed: int


def _fail(path: Path, message: str) -> InputError:
    return InputError(f"{path}: {message}", field="bestand", value=str(path), file=str(path))


def parts(path: Path) -> list[Part]:
    """The package's parts, checked against the bounds above; InputError when it is no sound xlsx."""
    try:
        size = path.stat().st_size
    except OSError as err:
        raise _fail(path, f"niet te lezen ({system_reason(err)})") from None
    if size > MAX_FILE_BYTES:
        raise _fail(path, f"te groot ({size // (1 << 20)} MB; hoogstens {MAX_FILE_BYTES >> 20} MB)")
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as err:
        from ..xlsx import unreadable  # only for a file that fails

        raise _fail(path, f"geen leesbare xlsx: {unreadable(path, err)}") from None
    if len(infos) > MAX_MEMBERS:
        raise _fail(path, f"te veel onderdelen ({len(infos)}) voor een werkmap")
    if (twice := part_twice(infos)) is not None:
        raise _fail(path, twice)
    total = 0
    found = []
    for info in infos:
        limit = MAX_PART_BYTES if _LARGE_PARTS.match(info.filename) else MAX_OTHER_PART_BYTES
        if info.file_size > limit:
            raise _fail(path, f"onderdeel {info.filename} is uitgepakt te groot ({_megabytes(info.file_size)}; "
                              f"hoogstens {limit >> 20} MB)")
        total += info.file_size
        found.append(Part(info.filename, info.file_size, info.compress_size))
    if total > MAX_TOTAL_BYTES:
        raise _fail(path, f"uitgepakt te groot ({total // (1 << 20)} MB; hoogstens {MAX_TOTAL_BYTES >> 20} MB)")
    return found


def read_part(path: Path, name: str) -> bytes:
    """One part, inflated (its declared size is already bounded by `parts`)."""
    try:
        with zipfile.ZipFile(path) as archive, archive.open(name) as handle:
            data = handle.read(MAX_PART_BYTES + 1)
    except (KeyError, zipfile.BadZipFile, OSError, zlib.error, EOFError, RuntimeError, ValueError) as err:
        raise _fail(path, part_unreadable(name, err)) from None
    if len(data) > MAX_PART_BYTES:
        raise _fail(path, f"onderdeel {name} is uitgepakt te groot")
    return data


def _megabytes(count: int) -> str:
    return f"{max(1, count >> 20)} MB"


def _thousands(count: int) -> str:
    return f"{count:,}".replace(",", ".")


def _sheet(extent: SheetExtent) -> str:
    """A sheet as its reader knows it: by its tab, or by its part where no tab names it."""
    return f"werkblad {show_value(extent.name)}" if extent.name is not None else f"onderdeel {show_value(extent.part)}"


def check_workbook_bounds(path: Path) -> list[Part]:
    """Every bound above for a whole workbook: parts and sizes, then the cells of all sheets together."""
    from ..xlsx import sheet_extents  # the sheets are scanned only when a workbook is checked

    found = parts(path)
    extents = sheet_extents(path, max_cells=MAX_WORKBOOK_CELLS)
    cells, area = sum(e.cells for e in extents), sum(e.area for e in extents)
    widest = max(extents, key=lambda e: e.area, default=None)
    if widest is not None and area > MAX_WORKBOOK_AREA:
        raise _fail(path, f"de werkbladen beslaan samen {_thousands(area)} cellen (hoogstens "
                          f"{_thousands(MAX_WORKBOOK_AREA)}, met samengevoegde cellen en koppelingen); "
                          f"{_sheet(widest)} alleen al {_thousands(widest.area)}: geen sjabloon van de toolkit")
    if cells > MAX_WORKBOOK_CELLS:
        raise _fail(path, f"de werkbladen hebben samen {_thousands(cells)} cellen (hoogstens "
                          f"{_thousands(MAX_WORKBOOK_CELLS)}): geen sjabloon van de toolkit")
    return found
