"""A zip member made of segments compressed on their own (`zipcopy.joined`) is one valid deflate stream:
any split of any content reads back whole, with its CRC and size, through zipfile (zlib) as Excel and
LibreOffice read it."""

from __future__ import annotations

import io
import zipfile
import zlib

from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.workbook.template_file import TemplateFile
from toolkit.workbook.zipcopy import RawMember, crc_joined, joined, segment, zip_pieces


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(st.binary(max_size=3000), st.text(max_size=2000).map(str.encode),
                          st.sampled_from([b"", b"<row/>" * 5000])), max_size=12))
def test_joined_segments_read_back_as_the_whole(parts: list[bytes]) -> None:
    member = RawMember("xl/worksheets/sheet1.xml", 8, 0, 0, 33, 0, b"", 0, 0)
    made = joined(member, [segment(p) for p in parts])
    whole = b"".join(parts)
    assert zlib.decompress(made.compressed, -15) == whole
    buffer = io.BytesIO()
    buffer.write(b"".join(zip_pieces([made, RawMember("[Content_Types].xml", 0, 0, 0, 33, zlib.crc32(b"x"), b"x", 1,
                                                       0)])))
    with zipfile.ZipFile(buffer) as archive:
        assert archive.testzip() is None
        assert archive.read(member.name) == whole


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=5000), st.one_of(st.binary(max_size=5000), st.integers(0, 300_000).map(bytes)))
def test_the_crc_of_two_pieces_joined_is_that_of_the_whole(first: bytes, second: bytes) -> None:
    assert crc_joined(zlib.crc32(first), zlib.crc32(second), len(second)) == zlib.crc32(first + second)


def test_a_copy_checks_out_with_every_segment_changed_or_not() -> None:
    """A copy's sheet CRC made of runs known beforehand and segments read (`_Segments.with_changes`) is the CRC
    of its content, whichever segments a copy changes: every cell of cz_ratio's Invoer on its own, and all."""
    template = TemplateFile.open("cz_ratio")
    sheet, segments = template.input_cells, template.input_segments
    whole = "".join(sheet.pieces).encode("utf-8")
    assert segments.with_changes({})[1] == zlib.crc32(whole)
    cells = list(range(1, len(sheet.pieces), 2))
    for chosen in ([cells[0]], [cells[-1]], cells[::97], [len(sheet.pieces) - 1, 0], cells):
        changed = {i: sheet.pieces[i] + "x" for i in chosen}  # (a CRC only: no XML needed)
        made, crc = segments.with_changes(changed)
        text = "".join(changed.get(i, p) for i, p in enumerate(sheet.pieces)).encode("utf-8")
        assert b"".join(part.data for part in made) == text and crc == zlib.crc32(text)
