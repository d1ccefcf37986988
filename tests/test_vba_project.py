"""toolkit.workbook.cfb and toolkit.workbook.vba: the compound file and the VBA project they write, read
back by independent readers (olefile in its strictest mode, oletools' olevba)."""

from __future__ import annotations

import io
import random
import struct
import warnings
import zipfile
from collections.abc import Iterator
from typing import Any

import olefile
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

with warnings.catch_warnings():  # oletools 0.60 still uses pyparsing's old names
    warnings.simplefilter("ignore", DeprecationWarning)
    from oletools.olevba import VBA_Parser, decompress_stream

from toolkit.workbook import cfb, vba, xlsm


def _read_back(data: bytes) -> tuple[olefile.OleFileIO, dict[tuple[str, ...], bytes]]:
    ole = olefile.OleFileIO(io.BytesIO(data), raise_defects=olefile.DEFECT_INCORRECT)
    return ole, {tuple(p): ole.openstream(p).read() for p in ole.listdir(streams=True, storages=False)}


def _siblings(ole: olefile.OleFileIO, sid: int) -> Iterator[Any]:
    if sid == cfb.NOSTREAM:
        return
    entry = ole.direntries[sid]
    yield from _siblings(ole, entry.sid_left)
    yield entry
    yield from _siblings(ole, entry.sid_right)


def _black_height(ole: olefile.OleFileIO, sid: int, parent_red: bool = False) -> int:
    """The red-black rules of MS-CFB 2.6.4 for one tree of siblings: no red child of a red node, and
    the same number of black nodes on every path to an empty link."""
    if sid == cfb.NOSTREAM:
        return 0
    entry = ole.direntries[sid]
    red = entry.color == cfb.RED
    assert not (red and parent_red), f"{entry.name}: rood onder rood"
    left, right = _black_height(ole, entry.sid_left, red), _black_height(ole, entry.sid_right, red)
    assert left == right, f"{entry.name}: ongelijke zwarte hoogte {left} en {right}"
    return left + (0 if red else 1)


def _check_directory(ole: olefile.OleFileIO) -> None:
    for entry in ole.direntries:
        if entry is None or entry.sid_child == cfb.NOSTREAM:
            continue
        names = [child.name for child in _siblings(ole, entry.sid_child)]
        assert names == sorted(names, key=cfb.sort_key), names  # an in-order walk is sorted
        assert ole.direntries[entry.sid_child].color == cfb.BLACK
        _black_height(ole, entry.sid_child)


@pytest.mark.parametrize("size", [0, 1, 63, 64, 65, 4095, 4096, 4097, 70_000])
def test_a_stream_of_any_size_reads_back(size: int) -> None:
    streams = {("a",): bytes(i % 251 for i in range(size)), ("VBA", "dir"): b"x" * 700}
    ole, read = _read_back(cfb.write(streams))
    assert read == streams
    _check_directory(ole)


@pytest.mark.parametrize("count", [1, 2, 3, 4, 5, 7, 8, 15, 16, 40])
def test_siblings_form_a_red_black_tree(count: int) -> None:
    streams = {("VBA", f"Module{i}"): bytes([i]) * (i * 37 % 5000) for i in range(count)}
    streams["PROJECT",] = b"ID=1"
    ole, read = _read_back(cfb.write(streams))
    assert read == streams
    _check_directory(ole)


@settings(max_examples=40, deadline=None)
@given(st.dictionaries(
    st.tuples(st.sampled_from(["VBA", "a", "Ü"]), st.text("abcXYZé_ 0", min_size=1, max_size=31)),
    st.binary(max_size=9000), max_size=12,
))
def test_any_tree_of_streams_reads_back(streams: dict[tuple[str, ...], bytes]) -> None:
    assume(len({(top, name.upper()) for top, name in streams}) == len(streams))  # case-blind names
    ole, read = _read_back(cfb.write(streams))
    assert read == streams
    _check_directory(ole)


@pytest.mark.parametrize(("streams", "message"), [
    ({("a" * 32,): b""}, "ongeldige naam"),
    ({("a/b",): b""}, "ongeldige naam"),
    ({("A",): b"", ("a",): b""}, "twee keer"),
    ({("a",): b"", ("a", "b"): b""}, "is een stroom"),
])
def test_what_a_compound_file_cannot_hold_is_refused(streams: dict[tuple[str, ...], bytes], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        cfb.write(streams)


# --- MS-OVBA compression ---------------------------------------------------------------------------------

@settings(max_examples=60, deadline=None)
@given(st.one_of(st.binary(max_size=5000), st.text("Sub Dim As ()\r\n\"=.", max_size=9000).map(str.encode)))
def test_compression_round_trips_and_oletools_reads_it(data: bytes) -> None:
    packed = vba.compress(data)
    assert vba.decompress(packed) == data
    assert bytes(decompress_stream(bytearray(packed))) == data


def test_a_full_incompressible_chunk_is_stored_raw() -> None:
    data = random.Random(18).randbytes(4096)
    packed = vba.compress(data)
    assert struct.unpack_from("<H", packed, 1)[0] == 0x3FFF
    assert vba.decompress(packed) == data


@pytest.mark.parametrize(("container", "message"), [
    (b"", "beginnen niet met 0x01"),
    (b"\x02\x00\x30", "beginnen niet met 0x01"),
    (b"\x01\xff\x0f", "ongeldige chunk-kop"),
    (b"\x01\x05\xb0\x02\x41\x00", "afgebroken CopyToken"),
    (b"\x01\xff\x3f" + b"x" * 100, "afgebroken ongecomprimeerde chunk"),  # a raw chunk is 4096 bytes
    (b"\x01\x0e\xb0\xfe" + b"A" + b"\xff\x0f" * 5, "meer dan 4096 bytes"),  # copies of 4098 bytes each
    (b"\x01\x04\xb0\x02\x41\x00\x10", "vóór het begin"),  # offset 2 from the chunk's first byte
])
def test_broken_compressed_data_is_refused(container: bytes, message: str) -> None:
    with pytest.raises(vba.VbaProjectError, match=message):
        vba.decompress(container)


# --- the quickstart's project ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def quickstart_project() -> bytes:
    with zipfile.ZipFile(xlsm.quickstart_path()) as archive:
        return archive.read("xl/vbaProject.bin")


@pytest.fixture(scope="module")
def cleaned(quickstart_project: bytes) -> bytes:
    return vba.without_modules(quickstart_project, {"Module1"})


def test_office_streams_decompress_as_oletools_reads_them(quickstart_project: bytes) -> None:
    streams = vba.read_streams(quickstart_project)
    directory = vba.Directory.read(vba.decompress(streams["VBA", "dir"]))
    for module in directory.modules:
        source = streams["VBA", module.stream][module.offset:]
        assert vba.decompress(source) == bytes(decompress_stream(bytearray(source)))


def test_the_sample_macro_is_gone_and_the_rest_kept_exactly(quickstart_project: bytes, cleaned: bytes) -> None:
    before, after = vba.module_sources(quickstart_project), vba.module_sources(cleaned)
    assert "Sub SampleCall()" in before["Module1"]
    assert after == {name: source for name, source in before.items() if name != "Module1"}
    assert set(after) == {"ThisWorkbook", "Sheet1", "Sheet2"}


def test_every_stream_is_written_as_ms_ovba_asks(quickstart_project: bytes, cleaned: bytes) -> None:
    _, original = _read_back(quickstart_project)
    ole, streams = _read_back(cleaned)
    _check_directory(ole)
    assert set(streams) == set(original) - {("VBA", "Module1")}
    assert streams["VBA", "_VBA_PROJECT"] == bytes.fromhex("CC61FFFF000000")
    before = vba.Directory.read(vba.decompress(original["VBA", "dir"]))
    after = vba.Directory.read(vba.decompress(streams["VBA", "dir"]))
    assert after.head == before.head  # project information and references, the xlwings add-in's included
    assert any(r.id == 0x000E and b"xlwings.xlam" in r.data for r in after.head)
    assert [m.name for m in after.modules] == ["ThisWorkbook", "Sheet1", "Sheet2"]
    for module in after.modules:
        records = {r.id: r.data for r in module.records}
        assert records[vba.MODULEOFFSET] == b"\0\0\0\0" and records[vba.MODULECOOKIE] == b"\xff\xff"
        assert vba.decompress(streams["VBA", module.stream])  # the stream is the source and nothing else
    project = streams["PROJECT",].decode("cp1252").split("\r\n")
    assert project == [line for line in original["PROJECT",].decode("cp1252").split("\r\n")
                       if not line.startswith(("Module=Module1", "Module1="))]
    assert b"Module1" not in streams["PROJECTwm",] and b"Sheet2\0S\0h\0e\0e\0t\x002\0\0\0" in streams["PROJECTwm",]


def test_olevba_sees_no_macro_and_no_stomping(cleaned: bytes) -> None:
    parser = VBA_Parser("vbaProject.bin", data=cleaned)
    try:
        code = "\n".join(source for _, _, _, source in parser.extract_macros())
        assert parser.detect_vba_macros()
        assert "SampleCall" not in code and "RunPython" not in code and "Sub " not in code
        assert not parser.detect_vba_stomping()
        # The only remark: the GUIDs in the document modules' `Attribute VB_Base` lines read as hex strings,
        # as in every Excel workbook with sheets.
        assert {(kind, keyword) for kind, keyword, _ in parser.analyze_macros()} <= {("Suspicious", "Hex Strings")}
    finally:
        parser.close()


def test_asking_for_a_module_that_is_not_there_names_the_ones_that_are(quickstart_project: bytes) -> None:
    with pytest.raises(vba.VbaProjectError, match=r"geen module Module9 .*wel: Module1, Sheet1, Sheet2, ThisWorkbook"):
        vba.without_modules(quickstart_project, {"Module9"})


def test_an_unknown_stream_in_the_vba_storage_is_not_dropped_silently(quickstart_project: bytes) -> None:
    _, streams = _read_back(quickstart_project)
    streams["VBA", "Onbekend"] = b"?"
    with pytest.raises(vba.VbaProjectError, match=r"onbekende stromen.*VBA/Onbekend"):
        vba.without_modules(cfb.write(streams), {"Module1"})


def test_a_dir_stream_without_terminator_is_refused(quickstart_project: bytes) -> None:
    _, streams = _read_back(quickstart_project)
    streams["VBA", "dir"] = vba.compress(vba.decompress(streams["VBA", "dir"])[:-6])
    with pytest.raises(vba.VbaProjectError, match="afsluiter"):
        vba.without_modules(cfb.write(streams), {"Module1"})


@pytest.mark.parametrize("cut", [1, 5, 20])
def test_a_cut_name_map_is_refused(quickstart_project: bytes, cut: int) -> None:
    _, streams = _read_back(quickstart_project)
    streams["PROJECTwm",] = streams["PROJECTwm",][:cut]
    with pytest.raises(vba.VbaProjectError, match="PROJECTwm"):
        vba.without_modules(cfb.write(streams), {"Module1"})
