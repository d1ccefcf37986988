"""An xlsx file read with bounds: the one reading of a workbook's zip and cell references, before any parser
that could blow up sees it.

- `check_xlsx(path)`: before calamine parses a workbook, refuse one whose parts inflate beyond a bound
  or whose first sheet would need more memory than `XlsxLimits.memory_bytes` once loaded. calamine loads
  a whole sheet into one dense range (32 bytes per cell of the used area, 40 more per cell while it
  is built, and every text cell its own copy of the text, shared strings included), and aborts the
  process when an allocation fails: a 2 KB file with one cell at `XFD1048576` asked for 17 billion
  cells. Estimates are calibrated on python-calamine 0.9 (tests/test_claims_hardening.py measures).
- `sheet_extents(path)`: every worksheet's cells and rectangle from a streaming scan that reads cell
  references however they are quoted, spaced or escaped (`r='XFD1048576'`, `r = "…"`, `&#88;`), with
  merged ranges and hyperlinks counted by the cells they cover; the workbook bounds of `check`, `fill`
  and `describe` (`toolkit.workbook.package`) are made from it.
- `open_xlsx_sheet(path)`: the first sheet as a calamine sheet, after `check_xlsx`.

Claim files (`toolkit.claims`), INPUTS files and lists (`toolkit.table_file`) and templates all go through
here. It imports only the standard library (and NumPy inside the scan).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from .errors import show_value, system_reason
from .xlsx_scan import (
    SharedStrings,
    SheetScanner,
    UnreadableReference,
    inflate_part,
    megabytes,
    part_twice,
    part_unreadable,
    read_shared_strings,
    xlsx_error,
)

if TYPE_CHECKING:
    import zipfile


@dataclass(frozen=True)
class XlsxLimits:
    """Bounds for an xlsx file before it is parsed (inflated sizes are checked, not trusted)."""

    entries: int = 10_000  # members of the zip: its directory is read into memory
    part_bytes: int = 1 << 30  # one part (a sheet), inflated
    total_bytes: int = 2 << 30  # all parts together, inflated
    memory_bytes: int = 768 << 20  # calamine's estimated allocation for the first sheet
    # With 768 MiB for calamine, a 1,000,000-line sheet of 7 short text columns (≈ 740 MiB) still
    # opens, and the whole process stays below 1 GB.
    rows: int | None = None  # the first sheet's rows, when the reader keeps every row (fill's INPUTS)
    # One text or tag of a sheet, whole: a cell holds at most 32,767 characters (Excel's limit), so
    # anything near this is no spreadsheet, and the XML reader would buffer it whole.
    event_bytes: int = 16 << 20


XLSX_LIMITS = XlsxLimits()
_SPREADSHEET_ML = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_ATTRIBUTE = re.compile(rb'([\w:.-]+)\s*=\s*(?:"([^"]*)"|\'([^\']*)\')')


_OLE = bytes.fromhex("D0CF11E0A1B11AE1")  # the container of .xls files and of password-protected workbooks


def unreadable(path: Path, exc: BaseException) -> str:
    """Why `path` could not be opened as a workbook, in Dutch, with what to do: the zip library's own
    reason ("File is not a zip file") tells a finance clerk nothing. Told apart by the file's first bytes:
    empty, text (a CSV given the name .xlsx), an old .xls or an encrypted workbook, or a cut-off zip."""
    if isinstance(exc, OSError):
        return system_reason(exc)
    if isinstance(exc, KeyError):  # zipfile: "There is no item named '[Content_Types].xml' in the archive"
        missing = re.search(r"named '([^']*)'", str(exc))
        part = show_value(missing.group(1)) if missing else "een vereist onderdeel"
        return f"geen werkmap: het onderdeel {part} ontbreekt in het zip-bestand"
    try:
        with open(path, "rb") as handle:
            head = handle.read(4096)
    except OSError as err:
        return system_reason(err)
    if not head:
        return "het bestand is leeg"
    if head.startswith(_OLE):
        return ("een oud Excel-bestand (.xls) of een werkmap met een wachtwoord; sla het in Excel op als "
                "Excel-werkmap (.xlsx), zonder wachtwoord")
    if head.startswith(b"PK"):
        # Start-up: these only for a file that fails.
        import struct
        import zipfile
        import zlib

        if isinstance(exc, zipfile.BadZipFile | EOFError | zlib.error | struct.error):
            return "het zip-bestand is beschadigd of onvolledig (half gekopieerd of afgebroken?)"
        cell = _not_a_number(path)
        if cell is not None:
            return (f"{cell}, wat Excel zo niet schrijft; open het bestand in Excel of LibreOffice, typ de waarde "
                    "opnieuw en sla het op")
        # A whole zip whose content a reader refuses (a broken styles.xml): the reader's English explanation
        # helps nobody who reads this line; its kind says enough to a developer.
        return (f"een onderdeel van de werkmap is beschadigd of bevat iets wat Excel zo niet schrijft "
                f"({type(exc).__name__}); open het bestand in Excel of LibreOffice en sla het opnieuw op")
    if b"\x00" not in head:
        try:
            head.decode("utf-8")
            text = True
        except UnicodeDecodeError as err:  # cut in the middle of a character at the 4,096th byte
            text = err.start > len(head) - 4
        if text and path.suffix.lower() in (".xlsx", ".xlsm"):
            return f"het is een tekstbestand (een csv?) met de naam {path.suffix}; geef het de naam .csv"
        if text:
            return "het is een tekstbestand (een csv?), geen Excel-werkmap"
    return "geen werkmap (een xlsx-bestand is een zip-bestand, dit niet)"


_NAMING_BYTES = 64 << 20  # of sheet XML looked through for the cell to name, at most (about 5 s)


def _not_a_number(path: Path) -> str | None:
    """The first cell stored as a number (or as true/false) whose value reads as none (`<v>abc</v>`) or as
    no finite one (`<v>NaN</v>`, `<v>inf</v>`), said with its sheet, or None: where a reader stopped, for the
    line that refuses the workbook. Only after a reader refused it; one streaming pass over the sheets, to
    the first such cell."""
    import zipfile  # Start-up: only for a workbook that failed.
    import zlib
    from xml.etree import ElementTree

    def local(tag: str) -> str:
        return tag.rpartition("}")[2]

    left = [_NAMING_BYTES]

    def bounded(handle: Any) -> Any:
        def read(size: int = -1) -> bytes:  # (the end of the budget reads as the end of the part: no name)
            data: bytes = handle.read(min(size if size >= 0 else left[0], left[0]))
            left[0] -= len(data)
            return data
        return SimpleNamespace(read=read)

    try:
        with zipfile.ZipFile(path) as archive:
            for sheet in _sheet_parts(archive, set(archive.namelist()), 1 << 20):
                with archive.open(sheet.part) as handle:
                    for _, element in ElementTree.iterparse(bounded(handle)):
                        if local(element.tag) == "row":
                            element.clear()  # (its cells were looked at: memory stays one row)
                        if local(element.tag) != "c" or element.get("t", "n") not in ("n", "b"):
                            continue
                        value = next((child.text for child in element if local(child.tag) == "v"), None)
                        if value is None:
                            continue
                        try:
                            if element.get("t", "n") == "b":
                                int(value)
                            # `NaN`, `inf`, `-Infinity`: float() reads these words, but a number cell holds a
                            # finite number (Excel writes no other), and openpyxl refuses them.
                            elif not math.isfinite(float(value)):
                                raise ValueError(value)
                        except ValueError:
                            where = f"{sheet.name}!" if sheet.name else f"{sheet.part}: "
                            return f"cel {where}{element.get('r', '?')} bevat als getal {show_value(value)}"
    except (OSError, zipfile.BadZipFile, ElementTree.ParseError, ValueError, KeyError, EOFError, RuntimeError,
            zlib.error):
        return None
    return None


@dataclass(frozen=True)
class XlsxCheck:
    """What `check_xlsx` found: the first sheet's part, its size in cells and the estimated memory."""

    sheet: str
    rows: int
    columns: int
    cells: int
    memory_bytes: int
    name: str | None = None  # the first sheet's tab, as the workbook names it
    other_sheets: tuple[str, ...] = ()  # the tabs of the other worksheets that hold data: not read

    def not_read(self) -> str | None:
        """What a reader of the first sheet leaves out, for a note or a refusal; None when nothing."""
        if not self.other_sheets:
            return None
        names = [show_value(n) for n in self.other_sheets]
        if len(names) == 1:
            others = f"werkblad {names[0]} bevat"
        elif len(names) <= 5:
            others = f"werkbladen {', '.join(names[:-1])} en {names[-1]} bevatten"
        else:
            others = f"werkbladen {', '.join(names[:5])} en nog {len(names) - 5} bevatten"
        first = f" ({show_value(self.name)})" if self.name else ""
        return f"alleen het eerste werkblad{first} wordt gelezen; ook {others} gegevens, die niet worden meegeteld"


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


def resolve_target(base: str, target: str) -> str:
    """The part a relationship of part `base` points to (`../sharedStrings.xml` from `xl/workbook.xml`)."""
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


def rels_name(part: str) -> str:
    """The relationships part of `part`: `xl/_rels/workbook.xml.rels`."""
    folder, _, name = part.rpartition("/")
    return f"{folder}/_rels/{name}.rels" if folder else f"_rels/{name}.rels"


def _first_sheet(archive: zipfile.ZipFile, small: int, path: Path) -> tuple[str | None, str | None]:
    """(first worksheet part, shared strings part) as calamine finds them, or None where the workbook's
    own references do not lead to a part; InputError naming the part when one of them does not inflate."""
    import zipfile
    import zlib

    def read(name: str) -> bytes | None:
        try:
            info = archive.getinfo(name)
        except KeyError:
            return None
        if info.file_size > small:
            return None
        try:
            return archive.read(name)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError, zlib.error) as exc:
            raise xlsx_error(path, part_unreadable(name, exc)) from None

    rels = read("_rels/.rels") or b""
    workbook = next((resolve_target("", r.get("Target", "")) for r in _elements(rels, b"Relationship")
                     if r.get("Type", "").endswith("/officeDocument")), "xl/workbook.xml")
    content = read(workbook)
    links = {r.get("Id", ""): r for r in _elements(read(rels_name(workbook)) or b"", b"Relationship")}
    shared = next((resolve_target(workbook, r.get("Target", "")) for r in links.values()
                   if r.get("Type", "").endswith("/sharedStrings")), None)
    if content is None:
        return None, shared
    for sheet in _elements(content, b"sheet"):
        link = links.get(sheet.get("id", ""))
        return (None if link is None else resolve_target(workbook, link.get("Target", ""))), shared
    return None, shared


_RELATIONSHIP_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


@dataclass(frozen=True)
class _Sheet:
    part: str
    name: str | None  # its tab; None for a part under worksheets/ that no <sheet> names
    hidden: bool


def _sheet_parts(archive: zipfile.ZipFile, names: set[str], small: int) -> list[_Sheet]:
    """Every part that a reader could take for a worksheet, the workbook's sheets first in their order:
    the targets of its `<sheet>` elements as an XML parser reads them (comments skipped, only the
    relationships namespace's `id`), resolved both as the relationship says and as calamine does (below
    `xl/`), then every other part under `worksheets/`. The bounds are checked on all of them: a pattern that
    finds another "first sheet" than calamine (a `<sheet>` in a comment, an `id` attribute of another
    namespace) must not let an unchecked sheet through."""
    import zipfile  # here, not at the top: `fill` and the CSV path never need it
    import zlib
    from xml.etree import ElementTree

    def parsed(name: str) -> ElementTree.Element | None:
        # (A part that does not inflate is not looked into here: reading the package says what is wrong.)
        try:
            info = archive.getinfo(name)
            if info.file_size > small:
                return None
            return ElementTree.fromstring(archive.read(name))
        except (KeyError, ElementTree.ParseError, ValueError, OSError, zipfile.BadZipFile, zlib.error, EOFError,
                RuntimeError):
            return None

    found: list[_Sheet] = []
    rels = parsed("_rels/.rels")
    documents = ["xl/workbook.xml", *(resolve_target("", r.get("Target", "")) for r in
                                      (rels.iter() if rels is not None else ()) if r.get("Type", "").endswith(
                                          "/officeDocument"))]
    for workbook in dict.fromkeys(documents):
        root, links = parsed(workbook), parsed(rels_name(workbook))
        if root is None or links is None:
            continue
        targets = {r.get("Id", ""): r.get("Target", "") for r in links.iter() if r.get("Id")}
        for element in (e for e in root.iter() if e.tag.rpartition("}")[2] == "sheet"):
            target = targets.get(element.get(_RELATIONSHIP_ID, ""), "")
            hidden = element.get("state", "visible") in ("hidden", "veryHidden")
            found += [_Sheet(part, element.get("name"), hidden) for part in (
                resolve_target(workbook, target), "xl/" + target.lstrip("/").removeprefix("xl/")) if target]
        found += [_Sheet(resolve_target(workbook, r.get("Target", "")), None, False) for r in links.iter()
                  if r.get("Type", "").endswith("/worksheet")]
    found += [_Sheet(n, None, False) for n in sorted(names) if "worksheets/" in n and n.endswith(".xml")]
    unique: dict[str, _Sheet] = {}
    for each in found:
        if each.part in names:
            unique.setdefault(each.part, each)
    return list(unique.values())


def check_xlsx(path: Path, limits: XlsxLimits = XLSX_LIMITS) -> XlsxCheck:
    """Check an xlsx file before calamine parses it; `InputError` (Dutch, naming the file) when it is no
    zip, when a part inflates beyond `limits` (sizes and checksums are verified while inflating, not
    taken from the zip's directory), when the first sheet's declared or real extent is too large, or
    when loading it would take more than `limits.memory_bytes`."""
    import zipfile  # here, not at the top: `fill` and the CSV path never need it

    try:
        entries = _zip_entries(path)
    except OSError as exc:
        raise xlsx_error(path, f"kan niet worden gelezen ({system_reason(exc)})") from None
    if entries is not None and entries > limits.entries:
        raise xlsx_error(path, f"geen bruikbaar xlsx-bestand: {entries} onderdelen (maximaal {limits.entries})")
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise xlsx_error(path, f"geen leesbaar xlsx-bestand: {unreadable(path, exc)}") from None
    with archive:
        infos = archive.infolist()
        if len(infos) > limits.entries:
            raise xlsx_error(path, f"geen bruikbaar xlsx-bestand: {len(infos)} onderdelen (maximaal {limits.entries})")
        if (twice := part_twice(infos)) is not None:
            raise xlsx_error(path, twice)
        declared = 0
        for info in infos:
            declared += info.file_size
            if info.file_size > limits.part_bytes or declared > limits.total_bytes:
                raise xlsx_error(path, f"onderdeel {show_value(info.filename)} pakt uit tot "
                                       f"{megabytes(info.file_size)} (maximaal {megabytes(limits.part_bytes)} per "
                                       f"onderdeel, {megabytes(limits.total_bytes)} samen): te groot om veilig "
                                       "te lezen")
        sheet, shared = _first_sheet(archive, 64 << 20, path)
        names = {info.filename for info in infos}
        # The first sheet as calamine takes it (its extent is the result), then every other part that could
        # be read as one.
        parts = _sheet_parts(archive, names, 64 << 20)
        named = [p for p in parts if p.name is not None]
        first = named[0] if named else next((p for p in parts if p.part == sheet), None)
        if first is not None and first.hidden:
            raise xlsx_error(path, f"het eerste werkblad {show_value(first.name)} is verborgen, en alleen het eerste "
                                   "werkblad wordt gelezen; maak het zichtbaar, of zet het werkblad met de gegevens "
                                   "vooraan")
        ordered = ([first] if first is not None else []) + [p for p in parts if p is not first]
        sheets = [p.part for p in ordered]
        scanner = SheetScanner()
        strings = read_shared_strings(archive, shared, path) if shared in names else SharedStrings()
        result: XlsxCheck | None = None
        others: list[str] = []
        for each, name in zip(ordered, sheets, strict=True):
            extent = scanner.scan(archive, name, path, strings, longest_event=limits.event_bytes,
                                  max_cells=limits.memory_bytes // 40)  # 40 bytes a cell at the least
            memory = extent.memory(strings)
            shown = each.name if each.name is not None else name  # the tab's name, as the reader knows the sheet
            if extent.declared_cells > limits.memory_bytes // 32:
                raise xlsx_error(path, f"werkblad {show_value(shown)} is volgens zijn afmetingen "
                                        f"{extent.declared_rows:,} rijen bij {extent.declared_columns:,} kolommen: "
                                        "te groot om te lezen".replace(",", "."))
            if memory > limits.memory_bytes:
                raise xlsx_error(path, f"werkblad {show_value(shown)} beslaat {extent.rows:,} rijen bij "
                                        f"{extent.columns:,} kolommen ({extent.cells:,} cellen); inlezen zou ongeveer "
                                        f"{megabytes(memory)} geheugen vragen (maximaal "
                                        f"{megabytes(limits.memory_bytes)}). "
                                        "Lever zo'n groot bestand aan als CSV of Parquet".replace(",", "."))
            if limits.rows is not None and extent.rows > limits.rows and result is None:
                raise xlsx_error(path, f"werkblad {show_value(shown)} heeft {extent.rows:,} rijen; hoogstens "
                                        f"{limits.rows:,} rijen worden gelezen. Splits het bestand".replace(",", "."))
            if result is None:
                result = XlsxCheck(name, extent.rows, extent.columns, extent.cells, memory,
                                   None if first is None else first.name)
            elif extent.filled and each.name is not None:
                others.append(each.name)
        # The other parts are inflated once too: their checksums and real sizes must match the directory.
        for info in infos:
            if info.filename not in sheets and info.filename != shared:
                inflate_part(archive, info.filename, path, lambda _: None)
    if result is None:
        raise xlsx_error(path, "geen werkblad gevonden in het xlsx-bestand")
    return replace(result, other_sheets=tuple(others))


@dataclass(frozen=True)
class SheetExtent:
    """Where a worksheet's cells lie, read from its XML before any spreadsheet reader parses it."""

    part: str
    rows: int
    columns: int
    cells: int
    spanned: int = 0  # cells covered by merged ranges and hyperlinks
    name: str | None = None  # its tab, where the workbook names the part

    @property
    def area(self) -> int:
        return self.rows * self.columns + self.spanned


def worksheet_parts(archive: zipfile.ZipFile) -> list[tuple[str, str | None]]:
    """Every worksheet part a reader may load (`_sheet_parts`): those the workbook names (wherever they are
    in the package) and any under `worksheets/`, in part order, each with the tab that names it (None:
    none does)."""
    sheets = _sheet_parts(archive, {i.filename for i in archive.infolist()}, 64 << 20)
    tabs: dict[str, str] = {}
    for sheet in sheets:
        if sheet.name is not None:
            tabs.setdefault(sheet.part, sheet.name)
    return sorted(((sheet.part, tabs.get(sheet.part)) for sheet in sheets), key=lambda found: found[0])


def sheet_extents(path: Path, limits: XlsxLimits = XLSX_LIMITS, max_cells: int | None = None) -> list[SheetExtent]:
    """The extent of every worksheet of an xlsx file (references read however they are quoted or
    spaced); InputError for a reference that is none, an event longer than `limits.event_bytes`, or
    more than `max_cells` cells in all sheets together. The zip's own bounds are the caller's to check
    first."""
    import zipfile

    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise xlsx_error(path, f"geen leesbaar xlsx-bestand: {unreadable(path, exc)}") from None
    with archive:
        scanner = SheetScanner()
        extents = []
        left = max_cells
        for name, tab in worksheet_parts(archive):
            extent = scanner.scan(archive, name, path, SharedStrings(), longest_event=limits.event_bytes,
                                  max_cells=left)
            extents.append(SheetExtent(name, extent.rows, extent.columns, extent.cells, extent.spanned, tab))
            left = None if left is None else left - extent.cells
    return extents


def open_xlsx_sheet(path: Path, limits: XlsxLimits = XLSX_LIMITS, checked: XlsxCheck | None = None) -> Any:
    """The first sheet of an xlsx file as a calamine sheet, after `check_xlsx` (`checked`: its result when
    the caller made it already); `InputError` (Dutch, naming the file) for a file that fails the check or
    that calamine cannot read."""
    if checked is None:
        check_xlsx(path, limits)
    from python_calamine import CalamineWorkbook

    try:
        return CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    except Exception as exc:  # calamine raises its own error types for corrupt files
        raise xlsx_error(path, f"geen leesbaar xlsx-bestand: {unreadable(path, exc)}") from None


__all__ = [
    "XLSX_LIMITS",
    "SheetExtent",
    "UnreadableReference",
    "XlsxCheck",
    "XlsxLimits",
    "check_xlsx",
    "open_xlsx_sheet",
    "rels_name",
    "resolve_target",
    "sheet_extents",
    "unreadable",
    "worksheet_parts",
    "xlsx_error",
]
