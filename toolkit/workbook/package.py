"""An xlsx package opened with bounds, before any XML parser or spreadsheet reader sees it.

A spreadsheet is a zip of XML parts. A 5 MB file can inflate to 5 GB; a 2 KB file can declare one
cell at XFD1048576, and a reader that allocates the sheet's rectangle then asks for terabytes. So the
zip's directory, the parts' declared sizes and every sheet's cell references are checked first, from
the central directory and a streaming scan, with a Dutch error naming the file; only then do openpyxl
or calamine parse it.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError, reason, system_reason

MAX_MEMBERS = 2_000
MAX_PART_BYTES = 64 << 20  # one part, inflated; the largest template part is about 2 MB
MAX_TOTAL_BYTES = 256 << 20  # all parts, inflated
MAX_CELLS = 5_000_000  # the rectangle a sheet's cell references span (a reader may allocate it whole)
MAX_FILE_BYTES = 100 << 20
_CELL_REF = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]{1,3})([0-9]{1,7})"')
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\b[^>]*?\bref="([A-Z]{1,3})?([0-9]{1,7})?(?::([A-Z]{1,3})([0-9]{1,7}))?"')


def _column_number(letters: bytes) -> int:
    number = 0
    for char in letters:
        number = number * 26 + (char - 64)
    return number


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
        raise _fail(path, f"geen leesbare xlsx (geen geldig zip-bestand: {reason(err)})") from None
    if len(infos) > MAX_MEMBERS:
        raise _fail(path, f"te veel onderdelen ({len(infos)}) voor een werkmap")
    total = 0
    found = []
    for info in infos:
        if info.file_size > MAX_PART_BYTES:
            raise _fail(path, f"onderdeel {info.filename} is uitgepakt te groot ({info.file_size // (1 << 20)} MB; "
                              f"hoogstens {MAX_PART_BYTES >> 20} MB)")
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
    except (KeyError, zipfile.BadZipFile, OSError, zlib.error, EOFError, NotImplementedError) as err:
        raise _fail(path, f"onderdeel {name} is niet te lezen ({reason(err)})") from None
    if len(data) > MAX_PART_BYTES:
        raise _fail(path, f"onderdeel {name} is uitgepakt te groot")
    return data


def check_sheet_extent(path: Path, name: str) -> None:
    """The rectangle of a sheet's cells (declared dimension and every cell reference) within MAX_CELLS."""
    data = read_part(path, name)
    rows = columns = 0
    dimension = _DIMENSION.search(data, 0, 4096)
    if dimension:
        last_col, last_row = dimension.group(3) or dimension.group(1), dimension.group(4) or dimension.group(2)
        rows = int(last_row) if last_row else 0
        columns = _column_number(last_col) if last_col else 0
    for match in _CELL_REF.finditer(data):
        rows = max(rows, int(match.group(2)))
        columns = max(columns, _column_number(match.group(1)))
    if rows * columns > MAX_CELLS:
        raise _fail(path, f"werkblad {name} beslaat {rows:,} rijen × {columns:,} kolommen; hoogstens "
                          f"{MAX_CELLS:,} cellen".replace(",", "."))


def check_workbook_bounds(path: Path) -> list[Part]:
    """Every bound above for a whole workbook: parts, sizes and each sheet's extent."""
    found = parts(path)
    for part in found:
        if part.name.startswith("xl/worksheets/") and part.name.endswith(".xml"):
            check_sheet_extent(path, part.name)
    return found
