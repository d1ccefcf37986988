"""Opening tabular input files safely: the one CSV dialect sniffer and the bounded xlsx check.

Claims reading (`toolkit.claims`) and template filling (`toolkit.workbook.fill`) both read CSV and
xlsx files that users bring. This module is what they share, so that a file is split the same way
and refused for the same reasons everywhere. It imports only the standard library (and NumPy inside
`check_xlsx`): `fill` uses it without loading pyarrow.

- `sniff_csv(path)`: the delimiter (`;`, `,` or tab), the header fields and where the data starts.
- `check_xlsx(path)`: before calamine parses a workbook, refuse one whose parts inflate beyond a bound
  or whose first sheet would need more memory than `XLSX_MEMORY_BUDGET` once loaded. calamine loads
  a whole sheet into one dense range (32 bytes per cell of the used area, 40 more per cell while it
  is built, and every text cell its own copy of the text, shared strings included), and aborts the
  process when an allocation fails: a 2 KB file with one cell at `XFD1048576` asked for 17 billion
  cells. Estimates are calibrated on python-calamine 0.9 (tests/test_claims_hardening.py measures).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import InputError, show_value

if TYPE_CHECKING:
    import zipfile

DELIMITERS = (";", ",", "\t")  # in order of preference when several split the header equally well
MAX_FIELD_CHARS = 131_072  # longest CSV field read (Python's csv default): a longer one is a broken file
MAX_HEADER_BYTES = 1 << 20  # the header line must end within this many bytes


@dataclass(frozen=True)
class CsvDialect:
    """How a CSV file is laid out: its delimiter, its header fields and where its first data line starts
    (in bytes from the start of the file, after a UTF-8 BOM and the header line)."""

    delimiter: str
    header: tuple[str, ...]
    header_bytes: int


def csv_fields(line: str, delimiter: str) -> list[str] | None:
    """The fields of one CSV line, or None when Python's csv module cannot read it (a stray quote or
    CR, or a field longer than `MAX_FIELD_CHARS`)."""
    try:
        return next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:
        return None


def longest_field(line: str, delimiter: str) -> tuple[int, int] | None:
    """(position, length) of the first field longer than `MAX_FIELD_CHARS` in one CSV line, or None.

    Counted without the csv module, whose own limit is what is being checked: quoted fields are
    followed to their closing quote, a doubled quote inside them is one character."""
    position, i, n = 0, 0, len(line)
    while i <= n:
        if i < n and line[i] == '"':
            j, length = i + 1, 0
            while j < n:
                if line[j] == '"':
                    if j + 1 < n and line[j + 1] == '"':
                        j, length = j + 2, length + 1
                        continue
                    break
                j, length = j + 1, length + 1
            end = line.find(delimiter, j)
            end = n if end < 0 else end
            length += max(0, end - j - 1)  # anything after the closing quote belongs to the field too
        else:
            end = line.find(delimiter, i)
            end = n if end < 0 else end
            length = end - i
        if length > MAX_FIELD_CHARS:
            return position, length
        position, i = position + 1, end + len(delimiter)
    return None


def sniff_csv(path: Path) -> CsvDialect:
    """The dialect of a CSV file from its header line: UTF-8 (with or without BOM), lines ended by LF or
    CRLF, the delimiter that splits the header into the most fields (`;` first on a tie).

    Refused with an `InputError` naming the file: an empty file, a header that is not UTF-8, lines
    ended by a lone CR (old Mac exports), a header line longer than `MAX_HEADER_BYTES` or with a field
    longer than `MAX_FIELD_CHARS`, or one the csv module cannot read with any delimiter."""
    with path.open("rb") as handle:
        head = handle.read(MAX_HEADER_BYTES + 4)
    if not head.strip():
        raise InputError(f"{path}: het bestand is leeg", file=str(path))
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's and Notepad's "Unicode" text
        raise InputError(f"{path}: het bestand is opgeslagen als UTF-16 ('Unicode-tekst'); sla het op als "
                         "'CSV UTF-8'", file=str(path), value="UTF-16")
    bom = 3 if head.startswith(b"\xef\xbb\xbf") else 0
    end = head.find(b"\n", bom)
    if end < 0:
        if len(head) > MAX_HEADER_BYTES:
            raise InputError(f"{path}: regel 1 (kopregel) is langer dan {MAX_HEADER_BYTES:,} bytes".replace(",", "."),
                             row=1, file=str(path), value=f"{len(head)} bytes")
        end = len(head)
    raw_header = head[bom:end].rstrip(b"\r")
    try:
        header_text = raw_header.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{path}: regel 1 (kopregel) is geen UTF-8 (byte {raw_header[exc.start:exc.start + 1]!r} op positie "
            f"{exc.start + 1}); sla het bestand op als 'CSV UTF-8'",
            row=1, file=str(path), value=raw_header[exc.start:exc.start + 1],
        ) from None
    if "\r" in header_text:  # lines ended by CR alone: old Mac exports; every reader here cuts at LF
        raise InputError(
            f"{path}: regel 1: de regels eindigen op een los CR-teken (oud Mac-formaat); sla het bestand op als "
            "'CSV UTF-8'",
            row=1, file=str(path), value="CR")
    best: tuple[int, str] = (0, DELIMITERS[0])
    for delimiter in DELIMITERS:
        fields = csv_fields(header_text, delimiter)
        if fields is not None and len(fields) > best[0]:
            best = (len(fields), delimiter)
    if best[0] == 0:
        long = longest_field(header_text, DELIMITERS[0])
        if long is not None:
            raise InputError(f"{path}: regel 1 (kopregel), veld {long[0] + 1} is langer dan {_chars(MAX_FIELD_CHARS)}",
                             row=1, file=str(path), value=f"{long[1]} tekens")
        raise InputError(f"{path}: regel 1 (kopregel) is geen leesbare CSV-regel: {show_value(header_text)}",
                         row=1, file=str(path), value=header_text)
    delimiter = best[1]
    header = tuple(csv_fields(header_text, delimiter) or ())
    return CsvDialect(delimiter, header, end + 1)


def _chars(count: int) -> str:
    return f"{count:,} tekens".replace(",", ".")


# --------------------------------------------------------------------------- xlsx


@dataclass(frozen=True)
class XlsxLimits:
    """Bounds for an xlsx file before it is parsed (inflated sizes are checked, not trusted)."""

    entries: int = 10_000  # members of the zip: its directory is read into memory
    part_bytes: int = 1 << 30  # one part (a sheet), inflated
    total_bytes: int = 2 << 30  # all parts together, inflated
    memory_bytes: int = 768 << 20  # calamine's estimated allocation for the first sheet
    # With 768 MiB for calamine, a 1,000,000-line sheet of 7 short text columns (≈ 740 MiB) still
    # opens, and the whole process stays below 1 GB.


XLSX_LIMITS = XlsxLimits()
_SPREADSHEET_ML = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_ATTRIBUTE = re.compile(rb'([\w:.-]+)\s*=\s*(?:"([^"]*)"|\'([^\']*)\')')


@dataclass(frozen=True)
class XlsxCheck:
    """What `check_xlsx` found: the first sheet's part, its size in cells and the estimated memory."""

    sheet: str
    rows: int
    columns: int
    cells: int
    memory_bytes: int


def _xlsx_error(path: Path, why: str) -> InputError:
    return InputError(f"{path}: {why}", file=str(path), value=str(path))


def _zip_entries(path: Path) -> int | None:
    """The number of members the zip's end record declares (None when there is no end record; zipfile
    then refuses the file itself). Read before `zipfile` builds an object per member."""
    import struct
    with path.open("rb") as handle:
        handle.seek(0, 2)
        size = handle.tell()
        handle.seek(max(0, size - (66 << 10)))
        tail = handle.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) < at + 22:
        return None
    entries: int = struct.unpack_from("<H", tail, at + 10)[0]
    locator = tail.rfind(b"PK\x06\x07", 0, at)
    if entries == 0xFFFF and locator >= 0 and len(tail) >= locator + 20:
        record_offset = struct.unpack_from("<Q", tail, locator + 8)[0]
        with path.open("rb") as handle:
            handle.seek(record_offset)
            record = handle.read(56)
        if record[:4] == b"PK\x06\x06" and len(record) >= 56:
            entries = struct.unpack_from("<Q", record, 32)[0]
    return entries


def _attributes(tag: bytes) -> dict[str, str]:
    found: dict[str, str] = {}
    for match in _ATTRIBUTE.finditer(tag):
        name = match.group(1).decode("latin-1").split(":")[-1]
        found.setdefault(name, (match.group(2) if match.group(2) is not None else match.group(3) or b"").decode(
            "utf-8", "replace"))
    return found


def _elements(data: bytes, name: bytes) -> Iterator[dict[str, str]]:
    for match in re.finditer(rb"<(?:[\w.-]+:)?" + name + rb"\b([^>]*)>", data):
        yield _attributes(match.group(1))


def _resolve(base: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    parts = [p for p in base.split("/")[:-1] if p]
    for piece in target.split("/"):
        if piece == "..":
            if parts:
                parts.pop()
        elif piece not in ("", "."):
            parts.append(piece)
    return "/".join(parts)


def _rels_name(part: str) -> str:
    folder, _, name = part.rpartition("/")
    return f"{folder}/_rels/{name}.rels" if folder else f"_rels/{name}.rels"


def _first_sheet(archive: zipfile.ZipFile, small: int) -> tuple[str | None, str | None]:
    """(first worksheet part, shared strings part) as calamine finds them, or None where the workbook's
    own references do not lead to a part."""

    def read(name: str) -> bytes | None:
        try:
            info = archive.getinfo(name)
        except KeyError:
            return None
        if info.file_size > small:
            return None
        return archive.read(name)

    rels = read("_rels/.rels") or b""
    workbook = next((_resolve("", r.get("Target", "")) for r in _elements(rels, b"Relationship")
                     if r.get("Type", "").endswith("/officeDocument")), "xl/workbook.xml")
    content = read(workbook)
    links = {r.get("Id", ""): r for r in _elements(read(_rels_name(workbook)) or b"", b"Relationship")}
    shared = next((_resolve(workbook, r.get("Target", "")) for r in links.values()
                   if r.get("Type", "").endswith("/sharedStrings")), None)
    if content is None:
        return None, shared
    for sheet in _elements(content, b"sheet"):
        link = links.get(sheet.get("id", ""))
        return (None if link is None else _resolve(workbook, link.get("Target", ""))), shared
    return None, shared


def check_xlsx(path: Path, limits: XlsxLimits = XLSX_LIMITS) -> XlsxCheck:
    """Check an xlsx file before calamine parses it; `InputError` (Dutch, naming the file) when it is no
    zip, when a part inflates beyond `limits` (sizes and checksums are verified while inflating, not
    taken from the zip's directory), when the first sheet's declared or real extent is too large, or
    when loading it would take more than `limits.memory_bytes`."""
    import zipfile  # here, not at the top: `fill` and the CSV path never need it

    try:
        entries = _zip_entries(path)
    except OSError as exc:
        raise _xlsx_error(path, f"kan niet worden gelezen ({exc.strerror or exc})") from None
    if entries is not None and entries > limits.entries:
        raise _xlsx_error(path, f"geen bruikbaar xlsx-bestand: {entries} onderdelen (maximaal {limits.entries})")
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise _xlsx_error(path, f"geen leesbaar xlsx-bestand ({exc})") from None
    with archive:
        infos = archive.infolist()
        if len(infos) > limits.entries:
            raise _xlsx_error(path, f"geen bruikbaar xlsx-bestand: {len(infos)} onderdelen (maximaal {limits.entries})")
        declared = 0
        for info in infos:
            declared += info.file_size
            if info.file_size > limits.part_bytes or declared > limits.total_bytes:
                raise _xlsx_error(path, f"onderdeel {show_value(info.filename)} pakt uit tot {_mb(info.file_size)} "
                                        f"(maximaal {_mb(limits.part_bytes)} per onderdeel, {_mb(limits.total_bytes)} "
                                        "samen): te groot om veilig te lezen")
        sheet, shared = _first_sheet(archive, 64 << 20)
        names = {info.filename for info in infos}
        # Where the workbook's references lead nowhere, every worksheet is checked: calamine may find one.
        sheets = [sheet] if sheet in names else sorted(n for n in names if "worksheets/" in n and n.endswith(".xml"))
        scanner = _SheetScanner()
        strings = _shared_strings(archive, shared, path) if shared in names else _SharedStrings()
        result: XlsxCheck | None = None
        for name in sheets:
            extent = scanner.scan(archive, name, path, strings)
            memory = extent.memory(strings)
            if extent.declared_cells > limits.memory_bytes // 32:
                raise _xlsx_error(path, f"werkblad {show_value(name)} is volgens zijn afmetingen "
                                        f"{extent.declared_rows:,} rijen bij {extent.declared_columns:,} kolommen: "
                                        "te groot om te lezen".replace(",", "."))
            if memory > limits.memory_bytes:
                raise _xlsx_error(path, f"werkblad {show_value(name)} beslaat {extent.rows:,} rijen bij "
                                        f"{extent.columns:,} kolommen ({extent.cells:,} cellen); inlezen zou ongeveer "
                                        f"{_mb(memory)} geheugen vragen (maximaal {_mb(limits.memory_bytes)}). "
                                        "Lever zo'n groot bestand aan als CSV of Parquet".replace(",", "."))
            if result is None:
                result = XlsxCheck(name, extent.rows, extent.columns, extent.cells, memory)
        # The other parts are inflated once too: their checksums and real sizes must match the directory.
        for info in infos:
            if info.filename not in sheets and info.filename != shared:
                _inflate(archive, info.filename, path, lambda _: None)
    if result is None:
        raise _xlsx_error(path, "geen werkblad gevonden in het xlsx-bestand")
    return result


def _mb(count: int) -> str:
    return f"{count / (1 << 20):,.0f} MiB".replace(",", ".")


def _inflate(archive: zipfile.ZipFile, name: str, path: Path, consume: Any, block: int = 4 << 20) -> None:
    """Inflate one part in blocks, handing each to `consume`. zipfile stops at the size the directory
    declares and checks the CRC, so a part that inflates to more than it declares is refused here."""
    import zipfile

    try:
        with archive.open(name) as handle:
            while True:
                data = handle.read(block)
                if not data:
                    return
                consume(data)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError) as exc:
        raise _xlsx_error(path, f"onderdeel {show_value(name)} is beschadigd ({exc})") from None


@dataclass
class _SharedStrings:
    """Per shared string the bytes calamine allocates when a cell refers to it."""

    costs: Any = None  # numpy int64 array, one per <si>
    memory: int = 0  # the table itself

    @property
    def worst(self) -> int:
        return int(self.costs.max()) if self.costs is not None and len(self.costs) else 32


def _heap(lengths: Any) -> Any:
    import numpy as np

    # A Rust String: the text, rounded up by the allocator, at least 32 bytes for short ones.
    return np.maximum(32, lengths + 16)


def _tags(data: bytes, names: dict[str, bytes]) -> dict[str, Any]:
    """Positions in `data` of the tags listed (`<c`, `</t`, …: the bytes after `<`, followed by white
    space, `>` or `/`), found with NumPy; also every `>` and the bytes themselves, padded."""
    import numpy as np

    array = np.frombuffer(data, np.uint8)
    # Room to read a tag name and a reference past the last `<` without a bounds check.
    padded = np.concatenate([array, np.zeros(64 + max(map(len, names.values())), np.uint8)])
    lt = np.flatnonzero(array == ord("<"))
    first = padded[lt + 1]
    found: dict[str, Any] = {}
    for key, name in names.items():
        at = lt[first == name[0]]  # most `<` are ruled out by the first byte of the name
        ok = np.ones(len(at), bool)
        for i, byte in enumerate(name[1:], start=2):
            ok &= padded[at + i] == byte
        after = padded[at + 1 + len(name)]
        ok &= (after == ord(" ")) | (after == ord(">")) | (after == ord("/")) | (after == 9) | (after == 10) | (
            after == 13)
        found[key] = at[ok]
    found[">"] = np.flatnonzero(array == ord(">"))
    found["data"] = padded
    return found


def _pair(opens: Any, closes: Any, carry: int | None) -> tuple[Any, Any, int | None]:
    """Start tags matched with the end tags that follow them (`carry`: one still open from the block
    before); returns (starts, ends, the start left open)."""
    import numpy as np

    if carry is not None:
        opens = np.concatenate([[carry], opens])
    count = min(len(opens), len(closes))
    return opens[:count], closes[:count], (int(opens[count]) if len(opens) > count else None)


def _after(gts: Any, positions: Any) -> Any:
    """The position just after the `>` that ends each start tag."""
    import numpy as np

    if not len(gts):
        return positions
    return gts[np.minimum(np.searchsorted(gts, positions), len(gts) - 1)] + 1


def _shared_strings(archive: zipfile.ZipFile, name: str | None, path: Path) -> _SharedStrings:
    import numpy as np

    if name is None:
        return _SharedStrings()
    lengths: list[Any] = []
    state: dict[str, Any] = {"offset": 0, "carry": b"", "open": None}

    def consume(block: bytes) -> None:
        data = state["carry"] + block
        cut = data.rfind(b"<") if block else len(data)
        cut = len(data) if cut <= 0 else cut
        chunk, state["carry"] = data[:cut], data[cut:]
        tags = _tags(chunk, {"si": b"si", "/si": b"/si"})
        base = state["offset"]
        starts, ends, state["open"] = _pair(tags["si"] + base, tags["/si"] + base, state["open"])
        lengths.append(np.maximum(ends - starts, 0))  # markup included: an upper bound of the text
        state["offset"] = base + len(chunk)

    _inflate(archive, name, path, consume)
    consume(b"")
    found = np.concatenate(lengths) if lengths else np.zeros(0, np.int64)
    costs = _heap(found)
    return _SharedStrings(costs, int(costs.sum()) + 24 * len(found))


@dataclass
class _Extent:
    rows: int = 0
    columns: int = 0
    cells: int = 0
    text_heap: int = 0  # inline strings and the values of text formulas
    shared_cells: int = 0
    shared_heap: int | None = None  # exact, once long shared strings made it worth counting
    declared_rows: int = 0
    declared_columns: int = 0

    @property
    def declared_cells(self) -> int:
        return self.declared_rows * self.declared_columns

    def memory(self, strings: _SharedStrings) -> int:
        shared = self.shared_heap
        if shared is None:
            shared = self.shared_cells * strings.worst
        # 32 bytes per cell of the used area (the dense range), 40 per cell read (the list the range is
        # built from), the texts, the shared string table, and 4 MiB that any sheet takes.
        return (32 * self.rows * self.columns + 40 * self.cells + self.text_heap + shared + strings.memory
                + (4 << 20))


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


@dataclass
class _ScanState:
    offset: int = 0
    carry: bytes = b""
    prefix: bytes | None = None
    text_open: int | None = None
    row_cells: int = 0  # cells seen in the row still open
    widest_row: int = 0
    rows_seen: int = 0
    max_row: int = 0  # largest row referenced by a row or a cell
    max_column: int = 0
    unreferenced_rows: int = 0
    unreferenced_cells: int = 0


class _SheetScanner:
    """One pass over a worksheet part: its declared dimension, the extent of its cells (by reference,
    and by position for cells and rows without one), and the texts calamine would copy."""

    def scan(self, archive: zipfile.ZipFile, name: str, path: Path, strings: _SharedStrings) -> _Extent:
        extent = _Extent()
        state = _ScanState()

        def consume(block: bytes) -> None:
            data = state.carry + block
            if state.prefix is None:
                root = re.search(rb"<([\w.-]+:)?worksheet\b", data)
                if root is None and block and len(data) < (1 << 20):
                    state.carry = data  # the root element is still to come
                    return
                state.prefix = (root.group(1) or b"") if root else b""
                self._dimension(data, extent)
            cut = data.rfind(b"<") if block else len(data)
            cut = len(data) if cut <= 0 else cut
            chunk, state.carry = data[:cut], data[cut:]
            self._chunk(chunk, state, extent, strings)
            state.offset += len(chunk)

        _inflate(archive, name, path, consume)
        consume(b"")
        widest = max(state.widest_row, state.row_cells)
        # Cells and rows without a reference take the next position: count them on top, to be safe.
        extent.rows = max(state.max_row + state.unreferenced_rows, state.rows_seen)
        extent.columns = state.max_column + widest if state.unreferenced_cells else max(state.max_column, widest)
        return extent

    @staticmethod
    def _dimension(data: bytes, extent: _Extent) -> None:
        found = re.search(rb'<(?:[\w.-]+:)?dimension\b[^>]*\bref="\$?([A-Z]{1,3})\$?([0-9]{1,9})'
                          rb'(?::\$?([A-Z]{1,3})\$?([0-9]{1,9}))?"', data)
        if found:
            first_col, first_row = _column_number(found.group(1)), int(found.group(2))
            last_col = _column_number(found.group(3)) if found.group(3) else first_col
            last_row = int(found.group(4)) if found.group(4) else first_row
            extent.declared_rows = abs(last_row - first_row) + 1
            extent.declared_columns = abs(last_col - first_col) + 1

    def _chunk(self, chunk: bytes, state: _ScanState, extent: _Extent, strings: _SharedStrings) -> None:
        import numpy as np

        prefix = state.prefix or b""
        tags = _tags(chunk, {"c": prefix + b"c", "row": prefix + b"row", "t": prefix + b"t",
                             "/t": b"/" + prefix + b"t", "/v": b"/" + prefix + b"v"})
        cells, rows, gts, data = tags["c"], tags["row"], tags[">"], tags["data"]
        extent.cells += len(cells)
        # Cells per row: a row is at least as wide as the number of its cells.
        if len(rows):
            per_row = np.bincount(np.searchsorted(rows, cells, side="right"), minlength=len(rows) + 1)
            state.widest_row = max(state.widest_row, state.row_cells + int(per_row[0]), int(per_row[1:].max()))
            state.row_cells = int(per_row[-1])
            state.rows_seen += len(rows)
        else:
            state.row_cells += len(cells)
        for positions, is_cell in ((cells, True), (rows, False)):
            if len(positions):
                row, column, unreferenced = self._references(chunk, data, positions, gts, len(prefix), is_cell)
                state.max_row, state.max_column = max(state.max_row, row), max(state.max_column, column)
                if is_cell:
                    state.unreferenced_cells += unreferenced
                else:
                    state.unreferenced_rows += unreferenced
        # Texts calamine copies: inline strings (<t>) and the values of text formulas and errors.
        base = state.offset
        starts, ends, state.text_open = _pair(_after(gts, tags["t"]) + base, tags["/t"] + base, state.text_open)
        extent.text_heap += int(_heap(np.maximum(ends - starts, 0)).sum())
        texts: list[int] = []
        if b't="str"' in chunk or b't="e"' in chunk or b't="d"' in chunk:
            texts = [m.end() for m in re.finditer(rb'\bt="(?:str|e|d)"[^>]*>\s*<(?:[\w.-]+:)?v>', chunk)]
        if texts:
            closes = tags["/v"]
            after = np.array(texts, np.int64)
            ends = closes[np.minimum(np.searchsorted(closes, after), max(0, len(closes) - 1))] if len(closes) else after
            extent.text_heap += int(_heap(np.maximum(ends - after, 0)).sum())
        shared = chunk.count(b't="s"')
        extent.shared_cells += shared
        if shared and (strings.worst > 64 or extent.shared_heap is not None):
            # Long shared strings: calamine copies the string into every cell that refers to it, so
            # count what these cells really refer to.
            indices = re.findall(rb'\bt="s"[^>]*>\s*<(?:[\w.-]+:)?v>\s*([0-9]{1,10})\s*<', chunk)
            numbers = np.array([int(i) for i in indices], np.int64)
            costs = strings.costs if strings.costs is not None else np.zeros(0, np.int64)
            inside = numbers[numbers < len(costs)]
            heap = int(costs[inside].sum()) + 32 * (shared - len(inside))
            if extent.shared_heap is None:  # the cells of earlier blocks at the longest string each
                extent.shared_heap = (extent.shared_cells - shared) * strings.worst
            extent.shared_heap += heap

    @staticmethod
    def _references(chunk: bytes, data: Any, positions: Any, gts: Any, prefix: int,
                    is_cell: bool) -> tuple[int, int, int]:
        """(largest row, largest column, tags without a reference) of the start tags at `positions`."""
        import numpy as np

        count = len(positions)
        # The common case, read with NumPy: ` r="` right after the tag name (Excel, LibreOffice, openpyxl).
        at = positions + 1 + prefix + (1 if is_cell else 3)
        fast = (data[at] == ord(" ")) & (data[at + 1] == ord("r")) & (data[at + 2] == ord("=")) & (
            data[at + 3] == ord('"'))
        window = data[(at + 4)[:, None] + np.arange(16)]
        k = np.arange(16)
        letters = np.zeros(count, np.int64)
        column = np.zeros(count, np.int64)
        if is_cell:
            is_letter = (window >= 65) & (window <= 90)
            letters = np.argmin(is_letter, axis=1)  # the first byte that is no letter
            fast &= (letters >= 1) & (letters <= 3)
            for i in range(3):
                column = np.where(letters > i, column * 26 + window[:, i].astype(np.int64) - 64, column)
        digits_from = k >= letters[:, None]
        quote = (window == ord('"')) & digits_from
        q = np.argmax(quote, axis=1)  # the closing quote
        inside = digits_from & (k < q[:, None])
        is_digit = (window >= 48) & (window <= 57)
        fast &= quote[np.arange(count), q] & (q > letters) & (q - letters <= 10) & (is_digit | ~inside).all(axis=1)
        powers = np.where(inside, 10 ** np.maximum(q[:, None] - 1 - k, 0), 0)
        row = ((window.astype(np.int64) - 48) * powers).sum(axis=1)
        max_row = int(row[fast].max()) if fast.any() else 0
        max_column = int(column[fast].max()) if fast.any() and is_cell else 0
        unreferenced = 0
        pattern = rb'\sr="\$?([A-Z]{1,3})\$?([0-9]{1,9})"' if is_cell else rb'\sr="([0-9]{1,9})"'
        for index in np.flatnonzero(~fast).tolist():  # other writers: read the tag's attributes
            start = int(positions[index])
            end = int(_after(gts, positions[index:index + 1])[0])
            found = re.search(pattern, chunk[start:max(end, start + 1)])
            if found is None:
                unreferenced += 1
            elif is_cell:
                max_column = max(max_column, _column_number(found.group(1)))
                max_row = max(max_row, int(found.group(2)))
            else:
                max_row = max(max_row, int(found.group(1)))
        return max_row, max_column, unreferenced


def open_xlsx_sheet(path: Path, limits: XlsxLimits = XLSX_LIMITS) -> Any:
    """The first sheet of an xlsx file as a calamine sheet, after `check_xlsx`; `InputError` (Dutch,
    naming the file) for a file that fails the check or that calamine cannot read."""
    check_xlsx(path, limits)
    from python_calamine import CalamineWorkbook

    try:
        return CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    except Exception as exc:  # calamine raises its own error types for corrupt files
        raise _xlsx_error(path, f"geen leesbaar xlsx-bestand ({exc})") from None


__all__ = ["DELIMITERS", "MAX_FIELD_CHARS", "XLSX_LIMITS", "CsvDialect", "XlsxCheck", "XlsxLimits", "check_xlsx",
           "csv_fields", "longest_field", "open_xlsx_sheet", "sniff_csv"]
