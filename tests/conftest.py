"""Shared fixtures: synthetic claim files written from the committed generator, never real data."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "examples"))

CORPUS = Path(__file__).parent / "corpus"
CASES = Path(__file__).parent / "cases"
HEADER = "zorgaanbieder;clientnummer;postcode;verzekeraar;prestatiedatum;prestatie"


def write_lines(path: Path, lines: list[str], *, encoding: str = "utf-8", bom: bool = False) -> Path:
    text = "\n".join(lines) + "\n"
    data = text.encode(encoding)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path


@pytest.fixture
def claims_csv(tmp_path: Path) -> Path:
    """A small hand-made claims file with known answers (policy worked example shape)."""
    lines = [
        HEADER,
        # provider A: 4 + 1 + 2 CZ-group clients in three areas -> 7 / 3 = 2.33 (the policy's example)
        "A;c1;5611;CZ;2025-01-10;Verpleging",
        "A;c1;5611 AB;CZ;2025-02-10;Verpleging",  # same client, same area: counted once
        "A;c2;5611ab;OHRA;2025-03-10;Verpleging",
        "A;c3;5611;Nationale-Nederlanden;2025-04-10;Verpleging",
        "A;c4;5611;9664;2025-05-10;Verpleging",
        "A;c5;5612;cz;2025-06-10;Verpleging",
        "A;c6;5613;CZ;2025-07-10;Verpleging",
        "A;c7;5613;CZ;2025-08-10;Verpleging",
        "A;x1;5614;Zilveren Kruis;2025-08-10;Verpleging",  # other insurer: ignored
        "A;x2;5615;CZ;2024-12-31;Verpleging",  # other year: ignored
        "A;x3;5616;C Z;2025-01-01;Verpleging",  # unknown label: reported
        # provider B: 6 clients in 2 areas, one of whom moved -> distinct 6/2 = 3, per_area 7/2
        "B;m1;6000;CZ;2025-01-01;Verpleging",
        "B;m1;6001;CZ;2025-09-01;Verpleging",
        "B;b2;6000;CZ;2025-01-01;Verpleging",
        "B;b3;6000;CZ;2025-01-01;Verpleging",
        "B;b4;6001;CZ;2025-01-01;Verpleging",
        "B;b5;6001;CZ;2025-01-01;Verpleging",
        "B;b6;6001;CZ;2025-01-01;Verpleging",
        # provider K: medische kindzorg only -> n.v.t.
        "K;k1;7000;CZ;2025-01-01;Medische kindzorg",
        "K;k2;7001;CZ;2025-01-01;Medische kindzorg",
    ]
    return write_lines(tmp_path / "claims.csv", lines)
