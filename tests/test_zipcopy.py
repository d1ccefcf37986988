"""A zip member made of segments compressed on their own (`zipcopy.joined`) is one valid deflate stream:
any split of any content reads back whole, with its CRC and size, through zipfile (zlib) as Excel and
LibreOffice read it."""

from __future__ import annotations

import io
import zipfile
import zlib

from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.workbook.zipcopy import RawMember, joined, segment, zip_pieces


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
