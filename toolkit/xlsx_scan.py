"""The streaming scan of an xlsx file's parts (`SheetScanner`): where a worksheet's cells lie, read from its
XML in blocks before any spreadsheet reader parses it. Cell references are read however they are quoted,
spaced or escaped (`r='XFD1048576'`, `r = "…"`, `&#88;`) and one that is none is refused; merged ranges and
hyperlinks count with the cells they cover; a text or tag longer than a bound is refused before it is
buffered; the count stops as soon as a budget of cells is spent. `toolkit.xlsx` makes its bounds from it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import InputError, show_value, system_reason

if TYPE_CHECKING:
    import zipfile
    from collections.abc import Iterable


def xlsx_error(path: Path, why: str) -> InputError:
    return InputError(f"{path}: {why}", file=str(path), value=str(path))


def megabytes(count: int) -> str:
    return f"{count / (1 << 20):,.0f} MiB".replace(",", ".")


def inflate_part(archive: zipfile.ZipFile, name: str, path: Path, consume: Any, block: int = 4 << 20) -> None:
    """Inflate one part in blocks, handing each to `consume`. zipfile stops at the size the directory
    declares and checks the CRC, so a part that inflates to more than it declares is refused here."""
    import zipfile
    import zlib

    try:
        with archive.open(name) as handle:
            while True:
                data = handle.read(block)
                if not data:
                    return
                consume(data)
    except InputError:
        raise  # what `consume` found, already said in Dutch
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError, zlib.error) as exc:
        raise xlsx_error(path, part_unreadable(name, exc)) from None


def part_twice(infos: Iterable[zipfile.ZipInfo]) -> str | None:
    """What to say of a package that holds a part twice, or None. A zip holds each part once; of two, Python
    and LibreOffice read the last, and what another program shows is not certain: what is read or checked
    could differ from what a reader sees."""
    seen: set[str] = set()
    for info in infos:
        name = info.filename.casefold()  # a package's part names are case-insensitive (OPC)
        if name in seen:
            return (f"onderdeel {show_value(info.filename)} staat twee keer in het bestand (elk onderdeel hoort er "
                    "één keer in); welk van de twee een programma toont, is niet zeker. Sla het bestand opnieuw op "
                    "in Excel")
        seen.add(name)
    return None


def part_unreadable(name: str, exc: BaseException) -> str:
    """Why one part of an xlsx's zip could not be inflated, in Dutch, naming the part. zipfile's and zlib's
    own English ("Bad CRC-32 for file …", "Error -3 while decompressing data: …") tells a finance clerk
    nothing, so it is never shown: the kind of error says which Dutch words apply, and zipfile's fixed
    wording within its one kind (BadZipFile) where that says more."""
    import zipfile
    import zlib

    part = f"onderdeel {show_value(name)}"
    if isinstance(exc, KeyError):
        return f"{part} ontbreekt in het zip-bestand"
    if isinstance(exc, OSError):
        return f"{part} is niet te lezen ({system_reason(exc)})"
    text = str(exc)
    if isinstance(exc, NotImplementedError):  # an unknown compression method, or strong encryption
        why = "het is ingepakt op een manier die Excel niet gebruikt"
    elif isinstance(exc, RuntimeError):  # (after its subclass above) "File … is encrypted, password required …"
        why = "het is met een wachtwoord versleuteld (zip-versleuteling, die Excel niet gebruikt)"
    elif isinstance(exc, zlib.error):
        why = "de ingepakte gegevens zijn niet uit te pakken"
    elif isinstance(exc, EOFError):
        why = "het houdt te vroeg op (het bestand is onvolledig: half gekopieerd of afgebroken?)"
    elif isinstance(exc, zipfile.BadZipFile) and text.startswith("Bad CRC-32"):
        why = "de controlesom (CRC-32) klopt niet; de inhoud is anders dan bij het inpakken"
    elif isinstance(exc, zipfile.BadZipFile) and ("header" in text or "File name in directory" in text):
        why = "de kop van het onderdeel in het zip-bestand ontbreekt of klopt niet met de inhoudsopgave"
    else:
        why = "het zip-bestand is op die plaats beschadigd"
    return f"{part} is beschadigd: {why}"


@dataclass
class SharedStrings:
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
    found["markup"] = np.flatnonzero((array == ord("<")) | (array == ord(">")))
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


def read_shared_strings(archive: zipfile.ZipFile, name: str | None, path: Path) -> SharedStrings:
    import numpy as np

    if name is None:
        return SharedStrings()
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

    inflate_part(archive, name, path, consume)
    consume(b"")
    found = np.concatenate(lengths) if lengths else np.zeros(0, np.int64)
    costs = _heap(found)
    return SharedStrings(costs, int(costs.sum()) + 24 * len(found))


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
    longest_event: int = 0  # bytes between two markup characters: a text, or a tag with its attributes
    spanned: int = 0  # cells covered by merged ranges and hyperlinks (openpyxl makes an object for each)
    # Cells with something in them (a value, an inline text or a formula); a cell may be there for its
    # format alone, and a sheet of those holds no data.
    filled: int = 0

    @property
    def declared_cells(self) -> int:
        return self.declared_rows * self.declared_columns

    def memory(self, strings: SharedStrings) -> int:
        shared = self.shared_heap
        if shared is None:
            shared = self.shared_cells * strings.worst
        # 32 bytes per cell of the used area (the dense range), 40 per cell read (the list the range is
        # built from), the texts, the shared string table, and 4 MiB that any sheet takes; and the XML
        # reader's buffer, which holds one event (a text, a tag) whole and grows by doubling: 1,000 MiB
        # of spaces between two tags is a 1 GiB buffer on the way to 2.
        return (32 * self.rows * self.columns + 40 * self.cells + self.text_heap + shared + strings.memory
                + 2 * self.longest_event + (4 << 20))


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
    max_cell_row: int = 0  # largest row referenced by a cell
    max_column: int = 0
    unreferenced_rows: int = 0
    unreferenced_cells: int = 0
    last_boundary: int = 0  # offset of the last `<` or `>` seen
    max_cells: int | None = None  # stop counting (an InputError) beyond this many cells


# The `r` attribute of a cell or row however a writer quotes and spaces it (`r="A1"`, `r='A1'`, `r = "A1"`);
# its value may hold character references (`&#88;FD1` is XFD1), as every XML parser reads them.
_R_ATTRIBUTE = re.compile(rb"""\sr\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_CELL_REFERENCE = re.compile(r"\$?([A-Za-z]{1,3})\$?([0-9]{1,9})")
_ROW_REFERENCE = re.compile(r"([0-9]{1,9})")


# Ranges a reader turns into one object per cell: merged cells (openpyxl's MergedCell) and hyperlinks.
_SPANNING = re.compile(rb"""<(?:[\w.-]+:)?(?:mergeCell|hyperlink)\b[^>]*?\sref\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def _area(reference: bytes) -> int:
    """The cells a range such as `A1:C3` covers (1 for a cell; a reference that is none covers the sheet)."""
    import html

    corners = html.unescape(reference.decode("utf-8", "replace")).strip().split(":")
    points = [_CELL_REFERENCE.fullmatch(c.strip()) for c in corners]
    if not 1 <= len(points) <= 2 or not all(points):
        return 1 << 34  # a whole-column, whole-row or unreadable range: as big as a sheet
    rows = [int(p.group(2)) for p in points if p]
    columns = [_column_number(p.group(1).upper().encode()) for p in points if p]
    return (max(rows) - min(rows) + 1) * (max(columns) - min(columns) + 1)


class _TooManyCells(Exception):
    pass


class UnreadableReference(ValueError):
    """A cell or row whose `r` attribute is no reference: a reader would fail or guess where it is."""

    def __init__(self, value: str) -> None:
        super().__init__(value)
        self.value = value


def _reference(tag: bytes, is_cell: bool) -> tuple[int, int] | None:
    """(row, column) a `<c>` or `<row>` start tag refers to (column 0 for a row); None without `r`."""
    import html

    found = _R_ATTRIBUTE.search(tag)
    if found is None:
        return None
    raw = found.group(1) if found.group(1) is not None else found.group(2)
    value = html.unescape(raw.decode("utf-8", "replace")).strip()
    matched = (_CELL_REFERENCE if is_cell else _ROW_REFERENCE).fullmatch(value)
    if matched is None:
        raise UnreadableReference(value)
    if not is_cell:
        return int(matched.group(1)), 0
    return int(matched.group(2)), _column_number(matched.group(1).upper().encode())


class SheetScanner:
    """One pass over a worksheet part: its declared dimension, the extent of its cells (by reference,
    and by position for cells and rows without one), and the texts calamine would copy."""

    def scan(self, archive: zipfile.ZipFile, name: str, path: Path, strings: SharedStrings,
             longest_event: int | None = None, max_cells: int | None = None) -> _Extent:
        """The extent of worksheet `name`; `longest_event` and `max_cells` stop the scan (an InputError)
        at the first event longer than that, or once the sheet has more cells, without reading on."""
        extent = _Extent()
        state = _ScanState(max_cells=max_cells)

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
            try:
                self._chunk(chunk, state, extent, strings)
            except UnreadableReference as exc:
                raise xlsx_error(path, f"werkblad {show_value(name)} heeft een cel of rij met verwijzing "
                                        f"{show_value(exc.value)}: geen celverwijzing") from None
            except _TooManyCells:
                raise xlsx_error(path, f"werkblad {show_value(name)} heeft meer dan {max_cells:,} cellen: te veel "
                                        "om veilig te lezen".replace(",", ".")) from None
            state.offset += len(chunk)
            # A stretch still open counts already (1 GiB of spaces is refused after the first bytes of it).
            extent.longest_event = max(extent.longest_event, state.offset - state.last_boundary)
            if longest_event is not None and extent.longest_event > longest_event:
                raise xlsx_error(path, f"werkblad {show_value(name)} heeft een tekst of element van "
                                        f"{megabytes(extent.longest_event)} aan één stuk: te groot om veilig te lezen")

        inflate_part(archive, name, path, consume)
        consume(b"")
        extent.longest_event = max(extent.longest_event, state.offset - state.last_boundary)
        widest = max(state.widest_row, state.row_cells)
        # Cells and rows without a reference take the next position: count them on top, to be safe. Where
        # every cell names its place, the cells span the sheet and an empty row element adds one row's
        # format, not a rectangle to it: LibreOffice writes `<row r="1048576" ht="12.8"/>` when a row was
        # deleted, and no reader makes a cell of it.
        if state.unreferenced_cells:
            extent.rows = max(state.max_row + state.unreferenced_rows, state.rows_seen)
        else:
            extent.rows = max(state.max_cell_row, state.rows_seen)
        extent.columns = state.max_column + widest if state.unreferenced_cells else max(state.max_column, widest)
        return extent

    @staticmethod
    def _dimension(data: bytes, extent: _Extent) -> None:
        found = re.search(rb'<(?:[\w.-]+:)?dimension\b[^>]*?\sref\s*=\s*["\']\s*\$?([A-Za-z]{1,3})\$?([0-9]{1,9})'
                          rb'(?::\$?([A-Za-z]{1,3})\$?([0-9]{1,9}))?\s*["\']', data)
        if found:
            first_col, first_row = _column_number(found.group(1).upper()), int(found.group(2))
            last_col = _column_number(found.group(3).upper()) if found.group(3) else first_col
            last_row = int(found.group(4)) if found.group(4) else first_row
            extent.declared_rows = abs(last_row - first_row) + 1
            extent.declared_columns = abs(last_col - first_col) + 1

    def _chunk(self, chunk: bytes, state: _ScanState, extent: _Extent, strings: SharedStrings) -> None:
        import numpy as np

        prefix = state.prefix or b""
        tags = _tags(chunk, {"c": prefix + b"c", "row": prefix + b"row", "t": prefix + b"t",
                             "/t": b"/" + prefix + b"t", "/v": b"/" + prefix + b"v", "f": prefix + b"f"})
        cells, rows, gts, data = tags["c"], tags["row"], tags[">"], tags["data"]
        extent.cells += len(cells)
        extent.filled += len(tags["/v"]) + len(tags["/t"]) + len(tags["f"])
        if state.max_cells is not None and extent.cells > state.max_cells:
            raise _TooManyCells()
        # The longest stretch between two markup characters, across chunks.
        boundaries = tags["markup"] + state.offset
        if len(boundaries):
            gaps = np.diff(boundaries, prepend=state.last_boundary)
            extent.longest_event = max(extent.longest_event, int(gaps.max()))
            state.last_boundary = int(boundaries[-1])
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
                    state.max_cell_row = max(state.max_cell_row, row)
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
        if b"mergeCell" in chunk or b"hyperlink" in chunk:
            for found in _SPANNING.finditer(chunk):
                extent.spanned += _area(found.group(1) if found.group(1) is not None else found.group(2))
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
        # A tag without attributes (`<c>`, `<row/>`) has no reference: counted here, not read one by one.
        bare = (data[at] == ord(">")) | (data[at] == ord("/"))
        unreferenced = int((bare & ~fast).sum())
        for index in np.flatnonzero(~fast & ~bare).tolist():  # other writers: read the tag's attributes
            start = int(positions[index])
            end = int(_after(gts, positions[index:index + 1])[0])
            reference = _reference(chunk[start:max(end, start + 1)], is_cell)
            if reference is None:
                unreferenced += 1
            else:
                max_row, max_column = max(max_row, reference[0]), max(max_column, reference[1])
        return max_row, max_column, unreferenced


__all__ = ["SharedStrings", "SheetScanner", "UnreadableReference", "inflate_part", "megabytes", "part_twice",
           "part_unreadable",
           "read_shared_strings", "xlsx_error"]
