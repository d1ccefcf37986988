"""Write a compound file (MS-CFB, version 3): the container of an xlsm's `xl/vbaProject.bin`.

olefile reads compound files well but can only overwrite a stream with one of the same length; the
VBA project of `workbooks/zorginkoop.xlsm` loses a module and its caches, so its container is written
anew here. Only what that needs: 512-byte sectors, the mini stream for streams under 4096 bytes, no
DIFAT (up to 109 FAT sectors, about 6.8 MB, far beyond a VBA project), zero CLSIDs and timestamps.
`tests/test_vba_project.py` reads every result back with olefile in its strictest mode.

Layout, in sector order after the 512-byte header: FAT, directory, mini FAT, mini stream, large streams.
"""

from __future__ import annotations

import struct
from collections.abc import Mapping
from dataclasses import dataclass, field

SECTOR = 512
MINI_SECTOR = 64
MINI_CUTOFF = 4096
ENTRY = 128
FREESECT, ENDOFCHAIN, FATSECT = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
NOSTREAM = 0xFFFFFFFF
HEADER_FAT_SLOTS = 109
SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
STORAGE, STREAM, ROOT = 1, 2, 5
RED, BLACK = 0, 1
_FORBIDDEN = set("/\\:!")


@dataclass
class _Node:
    name: str
    kind: int
    data: bytes = b""
    children: dict[str, _Node] = field(default_factory=dict)
    sid: int = 0
    left: int = NOSTREAM
    right: int = NOSTREAM
    child: int = NOSTREAM
    colour: int = BLACK
    start: int = ENDOFCHAIN


def sort_key(name: str) -> tuple[int, str]:
    """MS-CFB 2.6.4: shorter names first, then code unit by code unit in simple upper case."""
    return len(name.encode("utf-16-le")) // 2, "".join(c.upper() if len(c.upper()) == 1 else c for c in name)


def _tree(streams: Mapping[tuple[str, ...], bytes]) -> _Node:
    root = _Node("Root Entry", ROOT)
    for path, data in streams.items():
        if not path:
            raise ValueError("een stroom zonder naam")
        for name in path:
            if not 0 < len(name) <= 31 or _FORBIDDEN & set(name):
                raise ValueError(f"ongeldige naam in een compound file: {name!r}")
        node = root
        for name in path[:-1]:
            node = node.children.setdefault(name.upper(), _Node(name, STORAGE, start=0))
            if node.kind != STORAGE:
                raise ValueError(f"{'/'.join(path)}: {name} is een stroom, geen map")
        if path[-1].upper() in node.children:
            raise ValueError(f"{'/'.join(path)} komt twee keer voor")
        node.children[path[-1].upper()] = _Node(path[-1], STREAM, bytes(data))
    return root


def _red_black(siblings: list[_Node]) -> int:
    """Link sorted siblings as a balanced binary tree and colour it red-black; return the root's SID.

    Splitting at the middle puts every empty link at depth h or h + 1 (h the deepest node's depth), so
    with the nodes at depth h red (when the tree is not perfect) and all others black, every path to an
    empty link crosses h black nodes and no red node has a red child (MS-CFB 2.6.4)."""
    depth: dict[int, int] = {}

    def link(lo: int, hi: int, level: int) -> int:
        if lo > hi:
            return NOSTREAM
        mid = (lo + hi) // 2
        node = siblings[mid]
        depth[mid] = level
        node.left, node.right = link(lo, mid - 1, level + 1), link(mid + 1, hi, level + 1)
        node.colour = BLACK
        return node.sid

    top = link(0, len(siblings) - 1, 0)
    deepest = max(depth.values(), default=0)
    if len(siblings) != 2 ** (deepest + 1) - 1:
        for index, level in depth.items():
            if level == deepest:
                siblings[index].colour = RED
    return top


def _entry(node: _Node, size: int) -> bytes:
    name = node.name.encode("utf-16-le") + b"\0\0"
    return struct.pack("<64sHBBIII16sIQQIQ", name, len(name), node.kind, node.colour, node.left, node.right,
                       node.child, b"", 0, 0, 0, node.start, size)


_UNUSED_ENTRY = struct.pack("<64sHBBIII16sIQQIQ", b"", 0, 0, 0, NOSTREAM, NOSTREAM, NOSTREAM, b"", 0, 0, 0, 0, 0)


def _sectors(size: int, unit: int = SECTOR) -> int:
    return -(-size // unit)


def write(streams: Mapping[tuple[str, ...], bytes]) -> bytes:
    """A compound file holding `streams`, each named by its path (`("VBA", "dir")`); the storages on the
    way are made as needed."""
    root = _tree(streams)
    order: list[_Node] = [root]  # SID order: the root, then depth first, siblings in sort order

    def number(node: _Node) -> None:
        for child in sorted(node.children.values(), key=lambda n: sort_key(n.name)):
            child.sid = len(order)
            order.append(child)
            number(child)

    number(root)
    for node in order:
        if node.children:
            node.child = _red_black(sorted(node.children.values(), key=lambda n: sort_key(n.name)))
    root.colour = BLACK

    small = [n for n in order if n.kind == STREAM and 0 < len(n.data) < MINI_CUTOFF]
    large = [n for n in order if n.kind == STREAM and len(n.data) >= MINI_CUTOFF]
    mini_fat: list[int] = []
    mini_stream = bytearray()
    for node in small:
        node.start = len(mini_fat)
        count = _sectors(len(node.data), MINI_SECTOR)
        mini_fat += [*range(node.start + 1, node.start + count), ENDOFCHAIN]
        mini_stream += node.data.ljust(count * MINI_SECTOR, b"\0")

    dir_count = _sectors(len(order) * ENTRY)
    mini_fat_count = _sectors(len(mini_fat) * 4)
    mini_stream_count = _sectors(len(mini_stream))
    data_count = sum(_sectors(len(n.data)) for n in large)
    fat_count = 1
    while fat_count * SECTOR // 4 < fat_count + dir_count + mini_fat_count + mini_stream_count + data_count:
        fat_count += 1
    if fat_count > HEADER_FAT_SLOTS:
        raise ValueError("compound file te groot voor een FAT zonder DIFAT (meer dan 6,8 MB)")

    fat: list[int] = [FATSECT] * fat_count

    def chain(count: int) -> int:
        """Reserve `count` consecutive sectors as one chain; its first sector (ENDOFCHAIN for none)."""
        if count == 0:
            return ENDOFCHAIN
        first = len(fat)
        fat.extend([*range(first + 1, first + count), ENDOFCHAIN])
        return first

    dir_start = chain(dir_count)
    mini_fat_start = chain(mini_fat_count)
    root.start = chain(mini_stream_count)
    for node in large:
        node.start = chain(_sectors(len(node.data)))
    fat += [FREESECT] * (fat_count * SECTOR // 4 - len(fat))

    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII", SIGNATURE, b"", 0x003E, 3, 0xFFFE, 9, 6, b"", 0, fat_count, dir_start, 0,
        MINI_CUTOFF, mini_fat_start, mini_fat_count, ENDOFCHAIN, 0,
    ) + struct.pack("<109I", *range(fat_count), *[FREESECT] * (HEADER_FAT_SLOTS - fat_count))

    directory = b"".join(_entry(n, len(mini_stream) if n is root else len(n.data)) for n in order)
    parts = [
        header,
        struct.pack(f"<{len(fat)}I", *fat),
        directory + _UNUSED_ENTRY * (dir_count * SECTOR // ENTRY - len(order)),
        struct.pack(f"<{len(mini_fat)}I", *mini_fat).ljust(mini_fat_count * SECTOR, b"\xff"),
        bytes(mini_stream).ljust(mini_stream_count * SECTOR, b"\0"),
        *(n.data.ljust(_sectors(len(n.data)) * SECTOR, b"\0") for n in large),
    ]
    return b"".join(parts)
