"""The VBA project of an xlsm (`xl/vbaProject.bin`, MS-OVBA): take modules out and write it the way the
specification asks an interoperable writer to.

`workbooks/zorginkoop.xlsm` is made from xlwings' quickstart workbook, whose project carries the
reference to the xlwings add-in that the classic UDF wrappers need ("xlwings > Import Functions" adds
them, calling `Py.CallUDF`) and also a sample macro, `Module1.SampleCall`, that the toolkit has no use
for. `without_modules` removes such a module from every place that names it: its MODULE record in the
`dir` stream (and the module count), its line in the PROJECT stream and in PROJECTwm, and its stream.

Every remaining module keeps its source exactly (the compressed bytes are carried over, not recompressed)
and loses its performance cache (compiled p-code): MODULEOFFSET becomes 0, the cookies 0xFFFF, and
`_VBA_PROJECT` is the seven bytes with version 0xFFFF that MS-OVBA 2.3.4.1 prescribes on write ("the
performance cache MUST NOT be present on write"), so Office compiles the project from its source. That
is how LibreOffice writes VBA into an xlsm, and it leaves no p-code that could differ from the source
(what scanners call "VBA stomping").
"""

from __future__ import annotations

import io
import struct
from collections.abc import Collection
from dataclasses import dataclass

from . import cfb

_VBA_PROJECT = struct.pack("<HHBH", 0x61CC, 0xFFFF, 0x00, 0x0000)  # MS-OVBA 2.3.4.1, as LibreOffice writes it
_NO_COOKIE = struct.pack("<H", 0xFFFF)
# dir stream record ids (MS-OVBA 2.3.4.2)
PROJECTCODEPAGE, PROJECTVERSION, PROJECTMODULES, PROJECTCOOKIE = 0x0003, 0x0009, 0x000F, 0x0013
MODULENAME, MODULENAMEUNICODE, MODULESTREAMNAME, MODULESTREAMNAMEUNICODE = 0x0019, 0x0047, 0x001A, 0x0032
MODULEOFFSET, MODULECOOKIE = 0x0031, 0x002C
MODULE_TERMINATOR, DIR_TERMINATOR = 0x002B, 0x0010


class VbaProjectError(ValueError):
    """A VBA project this module does not take apart safely."""


# --- MS-OVBA 2.4.1: compression --------------------------------------------------------------------------

_CHUNK = 4096


def _copy_token_bits(position_in_chunk: int) -> int:
    """Bits of a CopyToken's offset at this position of the decompressed chunk (2.4.1.3.19.1)."""
    return max((position_in_chunk - 1).bit_length(), 4)


def decompress(container: bytes) -> bytes:
    """A CompressedContainer's contents (2.4.1.3.1)."""
    if not container or container[0] != 0x01:
        raise VbaProjectError("gecomprimeerde VBA-gegevens beginnen niet met 0x01")
    out = bytearray()
    pos = 1
    while pos < len(container):
        if pos + 2 > len(container):
            raise VbaProjectError("afgebroken chunk in gecomprimeerde VBA-gegevens")
        (header,) = struct.unpack_from("<H", container, pos)
        if header & 0x7000 != 0x3000:
            raise VbaProjectError(f"ongeldige chunk-kop 0x{header:04X} op positie {pos}")
        end = min(pos + (header & 0x0FFF) + 3, len(container))
        pos += 2
        start = len(out)
        if not header & 0x8000:
            if pos + _CHUNK > len(container):
                raise VbaProjectError("afgebroken ongecomprimeerde chunk in VBA-gegevens")
            out += container[pos:pos + _CHUNK]
            pos += _CHUNK
            continue
        while pos < end:
            flags = container[pos]
            pos += 1
            for bit in range(8):
                if pos >= end:
                    break
                if not flags >> bit & 1:
                    out.append(container[pos])
                    pos += 1
                    continue
                if pos + 2 > end:
                    raise VbaProjectError("afgebroken CopyToken in gecomprimeerde VBA-gegevens")
                (token,) = struct.unpack_from("<H", container, pos)
                pos += 2
                bits = _copy_token_bits(len(out) - start)
                offset, length = (token >> (16 - bits)) + 1, (token & (0xFFFF >> bits)) + 3
                if offset > len(out) - start:
                    raise VbaProjectError("CopyToken wijst vóór het begin van de chunk")
                for _ in range(length):  # byte by byte: a copy may overlap what it writes
                    out.append(out[-offset])
                if len(out) - start > _CHUNK:
                    raise VbaProjectError("een chunk pakt uit tot meer dan 4096 bytes")
    return bytes(out)


def _longest_match(data: bytes, chunk_start: int, current: int, end: int) -> tuple[int, int]:
    """(offset, length) of the longest earlier match within the chunk, the nearest one on a tie (2.4.1.3.19.4)."""
    best_length, best_candidate = 0, 0
    for candidate in range(current - 1, chunk_start - 1, -1):
        if data[candidate] != data[current]:
            continue
        length = 1
        while current + length < end and data[candidate + length] == data[current + length]:
            length += 1
        if length > best_length:
            best_length, best_candidate = length, candidate
    if best_length < 3:
        return 0, 0
    maximum = (0xFFFF >> _copy_token_bits(current - chunk_start)) + 3
    return current - best_candidate, min(best_length, maximum)


def compress(data: bytes) -> bytes:
    """A CompressedContainer holding `data`, by the algorithm of 2.4.1.3.6: the longest match, the nearest
    on a tie. (Office's own compressor picks other matches, so its bytes differ; any reader of the format
    reads both, and the tests decompress ours with oletools as well.)"""
    out = bytearray(b"\x01")
    for chunk_start in range(0, len(data), _CHUNK):
        end = min(chunk_start + _CHUNK, len(data))
        body = bytearray()
        current = chunk_start
        while current < end and len(body) < _CHUNK:
            flag_index, flags = len(body), 0
            body.append(0)
            for bit in range(8):
                if current >= end:
                    break
                offset, length = _longest_match(data, chunk_start, current, end)
                if length:
                    bits = _copy_token_bits(current - chunk_start)
                    body += struct.pack("<H", (offset - 1) << (16 - bits) | (length - 3))
                    flags |= 1 << bit
                    current += length
                else:
                    body.append(data[current])
                    current += 1
            body[flag_index] = flags
        if current < end or len(body) > _CHUNK:  # incompressible: a raw chunk holds exactly 4096 bytes
            if end - chunk_start < _CHUNK:
                raise VbaProjectError("een korte laatste chunk laat zich niet ongecomprimeerd opslaan")
            out += struct.pack("<H", 0x3FFF) + data[chunk_start:end]
        else:
            out += struct.pack("<H", 0xB000 | (len(body) + 2 - 3)) + body
    return bytes(out)


# --- MS-OVBA 2.3.4.2: the dir stream ---------------------------------------------------------------------

@dataclass(frozen=True)
class Record:
    id: int
    data: bytes

    def encode(self) -> bytes:
        if self.id == PROJECTVERSION:  # its size field is fixed at 4 though 6 bytes follow
            return struct.pack("<HI", self.id, 4) + self.data
        return struct.pack("<HI", self.id, len(self.data)) + self.data


def parse_dir(stream: bytes) -> list[Record]:
    """The records of a decompressed dir stream, in order, up to and including its terminator."""
    records, pos = [], 0
    while True:
        if pos + 6 > len(stream):
            raise VbaProjectError("dir-stroom eindigt zonder afsluiter")
        record_id, size = struct.unpack_from("<HI", stream, pos)
        if record_id == PROJECTVERSION:
            size = 6
        data = stream[pos + 6:pos + 6 + size]
        if len(data) != size:
            raise VbaProjectError(f"dir-record 0x{record_id:04X} is afgebroken")
        records.append(Record(record_id, data))
        pos += 6 + size
        if record_id == DIR_TERMINATOR:
            return records


@dataclass(frozen=True)
class Module:
    name: str
    stream: str
    records: tuple[Record, ...]

    @property
    def offset(self) -> int:
        (value,) = struct.unpack("<I", self._one(MODULEOFFSET).data)
        return int(value)

    def _one(self, record_id: int) -> Record:
        found = [r for r in self.records if r.id == record_id]
        if len(found) != 1:
            raise VbaProjectError(f"module {self.name}: record 0x{record_id:04X} {len(found)} keer")
        return found[0]

    def without_cache(self) -> Module:
        """The same module with its source at offset 0 of its stream and no cookie (2.3.4.2.3.2.5, .7)."""
        replaced = {MODULEOFFSET: struct.pack("<I", 0), MODULECOOKIE: _NO_COOKIE}
        return Module(self.name, self.stream, tuple(Record(r.id, replaced.get(r.id, r.data)) for r in self.records))


@dataclass(frozen=True)
class Directory:
    head: tuple[Record, ...]  # PROJECTINFORMATION and PROJECTREFERENCES
    modules: tuple[Module, ...]
    codepage: str

    @classmethod
    def read(cls, stream: bytes) -> Directory:
        records = parse_dir(stream)
        ids = [r.id for r in records]
        if PROJECTMODULES not in ids or ids.count(PROJECTMODULES) != 1:
            raise VbaProjectError("dir-stroom zonder PROJECTMODULES")
        at = ids.index(PROJECTMODULES)
        head, rest = tuple(records[:at]), records[at:]
        codepages = [r for r in head if r.id == PROJECTCODEPAGE]
        if len(codepages) != 1:
            raise VbaProjectError("dir-stroom zonder PROJECTCODEPAGE")
        codepage = f"cp{struct.unpack('<H', codepages[0].data)[0]}"
        (count,) = struct.unpack("<H", rest[0].data)
        if rest[1].id != PROJECTCOOKIE or rest[-1].id != DIR_TERMINATOR:
            raise VbaProjectError("dir-stroom: PROJECTMODULES niet zoals MS-OVBA 2.3.4.2.3 beschrijft")
        modules: list[Module] = []
        current: list[Record] = []
        for record in rest[2:-1]:
            current.append(record)
            if record.id == MODULE_TERMINATOR:
                modules.append(cls._module(current, codepage))
                current = []
        if current or len(modules) != count:
            raise VbaProjectError(f"dir-stroom noemt {count} modules, er staan er {len(modules)} in")
        return cls(head, tuple(modules), codepage)

    @staticmethod
    def _module(records: list[Record], codepage: str) -> Module:
        def text(record_id: int, encoding: str) -> str | None:
            found = [r.data for r in records if r.id == record_id]
            return found[0].decode(encoding) if found else None

        name = text(MODULENAMEUNICODE, "utf-16-le") or text(MODULENAME, codepage)
        stream = text(MODULESTREAMNAMEUNICODE, "utf-16-le") or text(MODULESTREAMNAME, codepage)
        if not name or not stream or records[0].id != MODULENAME:
            raise VbaProjectError("MODULE-record zonder naam of stroomnaam")
        return Module(name, stream, tuple(records))

    def encode(self) -> bytes:
        body = [*self.head, Record(PROJECTMODULES, struct.pack("<H", len(self.modules))),
                Record(PROJECTCOOKIE, _NO_COOKIE), *(r for m in self.modules for r in m.records),
                Record(DIR_TERMINATOR, b"")]
        # The terminator's 4 bytes are "Reserved, MUST be 0": the same bytes as a size of 0.
        return b"".join(r.encode() for r in body)


# --- PROJECT and PROJECTwm (2.3.1, 2.3.3) -----------------------------------------------------------------

def _project_text(stream: bytes, codepage: str, drop: Collection[str]) -> bytes:
    """The PROJECT stream without the lines that name a dropped module (its kind and its window)."""
    kept = []
    for line in stream.decode(codepage).split("\r\n"):
        key, _, value = line.partition("=")
        if (key in {"Module", "Class", "BaseClass", "Document"} and value.split("/")[0] in drop) or key in drop:
            continue
        kept.append(line)
    return "\r\n".join(kept).encode(codepage)


def _name_map(stream: bytes, codepage: str, drop: Collection[str]) -> bytes:
    """PROJECTwm without the dropped modules' pairs (an MBCS name and its UTF-16 form, 2.3.3)."""
    out, pos = bytearray(), 0
    while stream[pos:pos + 2] != b"\0\0":
        end = stream.find(b"\0", pos)
        unicode_end = end + 1
        while end >= 0 and unicode_end + 2 <= len(stream) and stream[unicode_end:unicode_end + 2] != b"\0\0":
            unicode_end += 2
        if end < 0 or unicode_end + 2 > len(stream):
            raise VbaProjectError("PROJECTwm-stroom eindigt midden in een naam")
        if stream[pos:end].decode(codepage) not in drop:
            out += stream[pos:unicode_end + 2]
        pos = unicode_end + 2
    return bytes(out + b"\0\0")


# --- the whole project ------------------------------------------------------------------------------------

def read_streams(project: bytes) -> dict[tuple[str, ...], bytes]:
    """Every stream of a compound file, by path."""
    import olefile

    with olefile.OleFileIO(io.BytesIO(project)) as ole:
        entries = ole.listdir(streams=True, storages=True)
        if any(ole.getclsid(entry) for entry in [[], *entries]):
            raise VbaProjectError("VBA-project met een CLSID: dat schrijft toolkit.workbook.cfb niet")
        return {tuple(path): ole.openstream(path).read() for path in ole.listdir(streams=True, storages=False)}


def module_sources(project: bytes) -> dict[str, str]:
    """Each module's source text, by module name."""
    streams = read_streams(project)
    directory = Directory.read(decompress(streams["VBA", "dir"]))
    return {m.name: decompress(streams["VBA", m.stream][m.offset:]).decode(directory.codepage)
            for m in directory.modules}


def without_modules(project: bytes, drop: Collection[str]) -> bytes:
    """`project` (the bytes of a vbaProject.bin) without the modules named in `drop`, and with no
    performance cache left in any module or in `_VBA_PROJECT` (see the module's docstring)."""
    streams = read_streams(project)
    directory = Directory.read(decompress(streams["VBA", "dir"]))
    names = {m.name for m in directory.modules}
    if missing := set(drop) - names:
        raise VbaProjectError(f"geen module {', '.join(sorted(missing))} in het VBA-project "
                              f"(wel: {', '.join(sorted(names))})")
    kept = [m for m in directory.modules if m.name not in drop]
    known = {("VBA", "dir"), ("VBA", "_VBA_PROJECT")} | {("VBA", m.stream) for m in directory.modules}
    if unknown := [p for p in streams if p[0] == "VBA" and p not in known and not p[1].startswith("__SRP_")]:
        raise VbaProjectError(f"onbekende stromen in het VBA-project: {', '.join('/'.join(p) for p in unknown)}")
    result = {path: data for path, data in streams.items()
              if path[:1] != ("VBA",) or path[1:] in {("dir",), ("_VBA_PROJECT",)}}
    # Module streams start over with their compressed source; the __SRP_ caches and dropped modules go.
    for module in kept:
        source = streams["VBA", module.stream][module.offset:]
        decompress(source)  # a source that does not decompress is refused here, not carried into the file
        result["VBA", module.stream] = source
    result["VBA", "dir"] = compress(Directory(directory.head, tuple(m.without_cache() for m in kept),
                                              directory.codepage).encode())
    result["VBA", "_VBA_PROJECT"] = _VBA_PROJECT
    result["PROJECT",] = _project_text(streams["PROJECT",], directory.codepage, drop)
    if ("PROJECTwm",) in streams:
        result["PROJECTwm",] = _name_map(streams["PROJECTwm",], directory.codepage, drop)
    return cfb.write(result)
