"""Copy a zip (an xlsx) with one member replaced, reusing the others' compressed bytes as they are.

`zipfile` can only write a member by compressing it again. A filled template differs from the
template in one part (the Invoer sheet), while the calculation sheet of `cz_ratio` is 1.8 MB of
formulas: recompressing it for every copy made filling 20× slower than copying the file. So the
template's members are read once as raw compressed bytes (with their CRC and sizes) and written
back verbatim around the one new member. The format is the plain PKZIP layout (no ZIP64: templates
are far below 4 GiB); `zipfile.testzip()` in the tests reads every copy back.
"""

from __future__ import annotations

import functools
import struct
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

_LOCAL = struct.Struct("<4s2B4HL2L2H")  # zipfile.structFileHeader
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")  # zipfile.structCentralDir
_END = struct.Struct("<4s4H2LH")  # zipfile.structEndArchive
_DEFLATED = 8
_UTF8_FLAG = 0x800


@dataclass(frozen=True)
class RawMember:
    name: str
    method: int
    flags: int
    dos_time: int
    dos_date: int
    crc: int
    compressed: bytes
    size: int
    external_attr: int


def read_raw(path: Path) -> list[RawMember]:
    """The members of a zip with their compressed bytes, in order."""
    import zipfile

    members = []
    with zipfile.ZipFile(path) as archive, open(path, "rb") as handle:
        for info in archive.infolist():
            handle.seek(info.header_offset)
            header = _LOCAL.unpack(handle.read(_LOCAL.size))
            name_length, extra_length = header[10], header[11]
            handle.seek(name_length + extra_length, 1)
            # Data descriptors (flag bit 3) would put sizes after the data; ZipInfo already has them.
            members.append(RawMember(
                name=info.filename, method=info.compress_type, flags=info.flag_bits & ~0x08,
                dos_time=(info.date_time[3] << 11) | (info.date_time[4] << 5) | (info.date_time[5] // 2),
                dos_date=((info.date_time[0] - 1980) << 9) | (info.date_time[1] << 5) | info.date_time[2],
                crc=info.CRC, compressed=handle.read(info.compress_size), size=info.file_size,
                external_attr=info.external_attr,
            ))
    return members


def inflated(member: RawMember) -> bytes:
    """The content of `member` (stored or deflated, the two methods xlsx writers use)."""
    if member.method == _DEFLATED:
        return zlib.decompress(member.compressed, -15)
    if member.method == 0:
        return member.compressed
    raise ValueError(f"{member.name}: compressiemethode {member.method} wordt niet ondersteund")


def deflated(member: RawMember, data: bytes) -> RawMember:
    """`member` with new content, compressed (raw deflate, as zip stores it)."""
    # Level 1: cz_ratio's Invoer sheet (227 kB of XML) compresses in 2.5 ms instead of 7.2 ms at the
    # default 6, and comes out 33 kB instead of 30 kB, in a copy of 400 kB.
    compressor = zlib.compressobj(1, zlib.DEFLATED, -15)
    compressed = compressor.compress(data) + compressor.flush()
    return RawMember(member.name, _DEFLATED, member.flags, member.dos_time, member.dos_date, zlib.crc32(data),
                     compressed, len(data), member.external_attr)


@dataclass(frozen=True)
class Segment:
    """A piece of a member's content compressed on its own: a fresh raw-deflate stream, flushed to a byte
    boundary without ending it (Z_SYNC_FLUSH). Such streams joined one after the other, with a final empty
    block, are one valid deflate stream (pigz joins its blocks so), so a copy that changes a few cells of a
    400 kB sheet compresses only the segments around them."""

    data: bytes
    compressed: bytes


def segment(data: bytes) -> Segment:
    compressor = zlib.compressobj(1, zlib.DEFLATED, -15)  # level 1: see `deflated`
    return Segment(data, compressor.compress(data) + compressor.flush(zlib.Z_SYNC_FLUSH))


_LAST_BLOCK = zlib.compressobj(1, zlib.DEFLATED, -15).flush()  # an empty final block: ends the stream


def joined(member: RawMember, segments: Sequence[Segment], crc: int | None = None) -> RawMember:
    """`member` with the segments, in order, as its content (`crc`: their CRC-32, where known already)."""
    crc = crc_of(segments) if crc is None else crc
    compressed = b"".join([*(part.compressed for part in segments), _LAST_BLOCK])
    return RawMember(member.name, _DEFLATED, member.flags, member.dos_time, member.dos_date, crc, compressed,
                     sum(len(part.data) for part in segments), member.external_attr)


def crc_of(segments: Sequence[Segment]) -> int:
    """The CRC-32 of the segments' content, read whole."""
    crc = 0
    for part in segments:
        crc = zlib.crc32(part.data, crc)
    return crc


def crc_joined(crc: int, following_crc: int, following_length: int) -> int:
    """The CRC-32 of two pieces joined, from the CRC-32 of each (zlib's crc32_combine, which Python's zlib
    does not offer): a copy's sheet is mostly unchanged runs of segments, whose CRC is known once computed,
    and reading them again for every copy took a fifth of a cz_ratio copy's time."""
    shift = _shift(following_length)
    return (shift[0][crc & 255] ^ shift[1][(crc >> 8) & 255] ^ shift[2][(crc >> 16) & 255] ^ shift[3][crc >> 24]
            ^ following_crc)


@functools.lru_cache(maxsize=64)  # (a table is 36 kB; a fill uses a few)
def _shift(length: int) -> tuple[tuple[int, ...], ...]:
    """What `length` more bytes do to a CRC-32, as four tables by its bytes. Over GF(2) the CRC of A joined
    to B is M·crc(A) XOR crc(B), M linear and fixed by B's length; zlib's own crc32 of `length` zero bytes
    from each single-bit start gives M's columns (the start 0 takes out the constant part)."""
    zeros = bytes(length)
    constant = zlib.crc32(zeros)
    columns = [zlib.crc32(zeros, 1 << bit) ^ constant for bit in range(32)]
    tables = []
    for byte in range(4):
        table = [0] * 256
        for value in range(1, 256):
            low = value & -value  # one bit of `value`: the rest is an entry already made
            table[value] = table[value ^ low] ^ columns[8 * byte + low.bit_length() - 1]
        tables.append(tuple(table))
    return tuple(tables)


def zip_pieces(members: list[RawMember]) -> list[bytes]:
    """The bytes of a zip file holding `members`, in the pieces to be written one after the other (a
    member's compressed content is its own piece, not copied into one whole)."""
    pieces = []
    central = []
    offset = 0
    for m in members:
        name = m.name.encode("utf-8")
        flags = m.flags | (_UTF8_FLAG if not m.name.isascii() else 0)
        pieces.append(_LOCAL.pack(b"PK\x03\x04", 20, 0, flags, m.method, m.dos_time, m.dos_date, m.crc,
                                  len(m.compressed), m.size, len(name), 0) + name)
        pieces.append(m.compressed)
        central.append(_CENTRAL.pack(b"PK\x01\x02", 20, 3, 20, 0, flags, m.method, m.dos_time, m.dos_date, m.crc,
                                     len(m.compressed), m.size, len(name), 0, 0, 0, 0, m.external_attr, offset)
                       + name)
        offset += _LOCAL.size + len(name) + len(m.compressed)
    directory = b"".join(central)
    pieces.append(directory + _END.pack(b"PK\x05\x06", 0, 0, len(members), len(members), len(directory), offset, 0))
    return pieces
