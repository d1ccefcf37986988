"""Claims read from several files at once, empty files, and each provider's own invalid-line and
unknown-insurer counts (issues 10 and 13)."""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import HEADER, write_lines
from test_bad_input import run_cli

from toolkit import InputError, ratio_from_claims
from toolkit.claims.report import CLAIM_SET_FIELDS

MONTHS = {
    "2025-01.csv": [HEADER, "A;c1;5611;CZ;2025-01-10;Verpleging", "A;c2;5611 AB;OHRA;2025-01-11;Verpleging",
                    "B;b1;6000;CZ;2025-01-12;Verpleging"],
    "2025-02.csv": [HEADER, "A;c1;5612;CZ;2025-02-10;Verpleging", "B;b2;6001;C Z;2025-02-11;Verpleging",
                    "B;b3;6001;CZ;2025-02-12;Verpleging"],
    "2025-03.csv": [HEADER, "A;c3;5613;9664;2025-03-10;Verpleging", "K;k1;7000;CZ;2025-03-11;Medische kindzorg"],
}


def write_months(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return [write_lines(folder / name, lines) for name, lines in MONTHS.items()]


def without_source(report: object) -> dict[str, object]:
    """Each provider's results, without the claim set's file names (which differ between the sources)."""
    return {k: {f: v for f, v in r.to_dict().items() if f not in CLAIM_SET_FIELDS}
            for k, r in report.providers.items()}  # type: ignore[attr-defined]


def test_several_files_are_one_claim_set(tmp_path: Path) -> None:
    paths = write_months(tmp_path / "exports")
    whole = write_lines(tmp_path / "whole.csv", [HEADER] + [line for lines in MONTHS.values() for line in lines[1:]])
    expected = ratio_from_claims(whole, year=2027)
    for source in (tmp_path / "exports", paths, [str(p) for p in reversed(paths)]):
        got = ratio_from_claims(source, year=2027)
        assert without_source(got) == without_source(expected)
        assert got.lines_read == expected.lines_read == 8
        assert len(got.sources) == 3
    a = expected.providers["A"]
    assert (a.clients, a.areas, a.movers) == (3, 3, 1)  # c1 moved from 5611 to 5612 between months


def test_a_directory_mixes_csv_parquet_and_xlsx(tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    paths = write_months(folder)
    rows = [line.split(";") for line in MONTHS["2025-02.csv"]]
    paths[1].unlink()
    pq.write_table(pa.table({name: [r[i] for r in rows[1:]] for i, name in enumerate(rows[0])}),
                   folder / "2025-02.parquet")
    workbook = openpyxl.Workbook()
    for row in (line.split(";") for line in MONTHS["2025-03.csv"]):
        workbook.active.append(row)
    paths[2].unlink()
    workbook.save(folder / "2025-03.xlsx")
    (folder / "notes.txt.bak").write_text("not a claims file")  # other files in the folder are left alone
    (folder / ".~lock.x.csv#").write_text("")
    got = ratio_from_claims(folder, year=2027)
    assert without_source(got) == without_source(ratio_from_claims(write_months(tmp_path / "csv")[0].parent,
                                                                     year=2027))


def test_messages_name_the_file_and_its_own_line(tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    write_months(folder)
    write_lines(folder / "2025-04.csv", [HEADER, "A;c1;5611;CZ;2025-04-10;V", "", "A;c2;12AB;CZ;2025-04-11;V"])
    with pytest.raises(InputError) as info:
        ratio_from_claims(folder, year=2027)
    assert info.value.row == 4 and info.value.file == str(folder / "2025-04.csv")
    assert str(info.value).startswith(f"{folder / '2025-04.csv'}: regel 4, kolom 'postcode': postcode '12AB'")
    report = ratio_from_claims(folder, year=2027, skip_invalid=True)
    assert report.invalid_examples == (
        f"{folder / '2025-04.csv'}: regel 4, kolom 'postcode': postcode '12AB' is geen geldige PC4 (verwacht 4 "
        "cijfers, niet beginnend met 0, eventueel gevolgd door 2 letters)",)


@pytest.mark.parametrize("case", ["missing", "twice", "empty_dir", "suffix", "provider_column"])
def test_bad_sets_of_files(tmp_path: Path, case: str) -> None:
    paths = write_months(tmp_path / "exports")
    if case == "missing":
        source, text = [paths[0], tmp_path / "exports" / "2025-13.csv"], "bestaat niet"
    elif case == "twice":
        source, text = [paths[0], paths[1], tmp_path / "exports" / ".." / "exports" / "2025-01.csv"], "twee keer"
    elif case == "empty_dir":
        (tmp_path / "leeg").mkdir()
        source, text = tmp_path / "leeg", "geen csv-, xlsx- of parquet-bestanden"
    elif case == "suffix":
        source, text = [paths[0], write_lines(tmp_path / "x.json", ["{}"])], "'.json' wordt niet ondersteund"
    else:
        source = [paths[0], write_lines(tmp_path / "one.csv", ["clientnummer;postcode;verzekeraar;datum",
                                                              "c1;5611;CZ;2025-01-01"])]
        text = "geen kolom zorgaanbieder"
    with pytest.raises(InputError, match=text):
        ratio_from_claims(source, year=2027)


@pytest.mark.parametrize("kind", ["csv", "csv_blank_lines", "parquet", "xlsx", "dataframe"])
def test_a_file_with_a_header_and_no_lines_is_bad_input(tmp_path: Path, kind: str) -> None:
    if kind == "csv":
        source: object = write_lines(tmp_path / "kop.csv", [HEADER])
    elif kind == "csv_blank_lines":
        source = write_lines(tmp_path / "kop.csv", [HEADER, "", "", "\r"])
    elif kind == "parquet":
        source = tmp_path / "kop.parquet"
        pq.write_table(pa.table({name: pa.array([], pa.string()) for name in HEADER.split(";")}), source)
    elif kind == "xlsx":
        workbook = openpyxl.Workbook()
        workbook.active.append(HEADER.split(";"))
        source = tmp_path / "kop.xlsx"
        workbook.save(source)
    else:
        import pandas as pd

        source = pd.DataFrame({name: pd.Series([], dtype=str) for name in HEADER.split(";")})
    where = "DataFrame" if kind == "dataframe" else str(source)
    with pytest.raises(InputError, match=f"^geen declaratieregels in {where}$"):
        ratio_from_claims(source, year=2027)
    if kind == "csv":
        result = run_cli("ratio", str(source), "--year", "2027", "--json", cwd=tmp_path)
        assert result.returncode == 1 and result.stdout == ""
        assert result.stderr.strip() == f"fout: geen declaratieregels in {source}"


def test_one_empty_month_among_others_is_named(tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    write_months(folder)
    write_lines(folder / "2025-04.csv", [HEADER])
    with pytest.raises(InputError, match=r"geen declaratieregels in .*2025-04\.csv"):
        ratio_from_claims(folder, year=2027)


def test_each_provider_carries_its_own_invalid_and_unknown_counts(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "c.csv", [
        HEADER,
        "A;c1;5611;CZ;2025-01-10;V",
        "A;c2;12AB;CZ;2025-01-10;V",  # A: invalid postcode
        "A;c3;5611;C Z;2025-01-10;V",  # A: unknown label
        "B;b1;6000;CZ;31-02-2025;V",  # B: invalid date
        "B;b2;6000;Zorgverzekeraar X;2025-01-10;V",  # B: unknown label
        "B;b3;6000;Zorgverzekeraar X;2025-01-10;V",
        ";x1;6000;CZ;2025-01-10;V",  # no provider: counted in the totals only
        "C;;7000;CZ;2025-01-10;V",  # C: only an invalid line, still a provider of its own
    ])
    report = ratio_from_claims(path, year=2027, skip_invalid=True)
    a, b, c = (report.providers[p] for p in "ABC")
    assert (a.invalid_lines, a.invalid_reasons, a.unknown_insurers) == (1, {"ongeldige postcode": 1}, {"C Z": 1})
    assert (b.invalid_lines, b.invalid_reasons, b.unknown_insurers) == (
        1, {"ongeldige datum": 1}, {"Zorgverzekeraar X": 2})
    assert (c.invalid_lines, c.invalid_reasons, c.lines_read, c.clients) == (1, {"ongeldige cliënt": 1}, 1, 0)
    assert report.invalid_lines == 4 and report.invalid_reasons == {
        "ongeldige postcode": 1, "ongeldige datum": 1, "ongeldige zorgaanbieder": 1, "ongeldige cliënt": 1}
    assert report.unknown_insurers == {"Zorgverzekeraar X": 2, "C Z": 1}
    assert sorted(report.providers) == ["A", "B", "C"]
    result = run_cli("ratio", str(path), "--year", "2027", "--json", "--skip-invalid", cwd=tmp_path)
    by_provider = {r["provider"]: r for r in json.loads(result.stdout)}
    assert (by_provider["B"]["invalid_lines"], by_provider["B"]["unknown_insurers"]) == (1, {"Zorgverzekeraar X": 2})
    alone = ratio_from_claims(path, year=2027, skip_invalid=True, only_provider="B")
    assert (alone.invalid_lines, alone.unknown_insurers) == (1, {"Zorgverzekeraar X": 2})


def test_dates_as_dates_in_parquet_and_xlsx_agree_with_text(tmp_path: Path) -> None:
    rows = [("A", "c1", "5611", "CZ", dt.date(2025, 1, 5)), ("A", "c2", "5612", "CZ", dt.date(2025, 12, 31)),
            ("A", "c3", "5612", "CZ", dt.date(2024, 12, 31))]
    table = pa.table({"agb": [r[0] for r in rows], "client": [r[1] for r in rows], "postcode": [r[2] for r in rows],
                      "label": [r[3] for r in rows], "datum": pa.array([r[4] for r in rows], pa.date32())})
    pq.write_table(table, tmp_path / "d.parquet")
    text = write_lines(tmp_path / "d.csv", ["agb;client;postcode;label;datum"] + [
        f"{r[0]};{r[1]};{r[2]};{r[3]};{r[4]:%d-%m-%Y}" for r in rows])
    assert without_source(ratio_from_claims(tmp_path / "d.parquet", year=2027)) == without_source(
        ratio_from_claims(text, year=2027))


def test_repeat_finder_counts_each_line_of_a_later_file_once_against_its_first_file() -> None:
    """`RepeatFinder` against a plain count, on random keys (repeats within a file are claims of their own)."""
    import random

    import numpy as np

    from toolkit.claims.claimset import RepeatFinder

    rng = random.Random(20)
    for files in (2, 3, 9):
        universe = [rng.getrandbits(64) for _ in range(40)]
        contents = [[rng.choice(universe) for _ in range(rng.randrange(0, 30))] for _ in range(files)]
        finder = RepeatFinder(files)
        for index, keys in enumerate(contents):
            half = len(keys) // 2  # keys arrive batch by batch
            finder.add(np.array(keys[:half], np.uint64))
            finder.add(np.array(keys[half:], np.uint64))
            finder.end_of_file(index)
        expected = Counter()
        for index, keys in enumerate(contents):
            for key in keys:
                # With `files` files, the finder keeps the top 64 - bits of a key: equal tops are one line.
                bits = max(1, (files - 1).bit_length())
                first = next((i for i in range(index) if any(k >> bits == key >> bits for k in contents[i])), None)
                if first is not None:
                    expected[index, first] += 1
        assert Counter({(f, e): n for f, e, n in finder.found}) == expected


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a POSIX thing")
def test_a_pipe_or_a_folder_given_as_a_file_is_not_said_to_be_missing(tmp_path: Path) -> None:
    """A FIFO (or /dev/null) was 'bestand bestaat niet': it exists, it is no regular file."""
    pipe = tmp_path / "declaraties.csv"
    os.mkfifo(pipe)
    folder = tmp_path / "map.xlsx"
    folder.mkdir()
    staffel = Path(__file__).resolve().parents[1] / "examples" / "invoer" / "staffel.csv"
    for args, said in ((["ratio", str(pipe), "--year", "2027"], "is geen gewoon bestand (maar een pipe of apparaat)"),
                       (["fill", "staffel", str(pipe), "--out", str(tmp_path / "a")], "is geen gewoon bestand"),
                       (["check", str(pipe)], "is geen gewoon bestand"),
                       (["check", str(folder)], "is een map, geen bestand"),
                       (["fill", str(folder), str(staffel), "--out", str(tmp_path / "b")], "is een map, geen bestand"),
                       (["ratio", str(tmp_path / "nergens.csv"), "--year", "2027"], "bestand bestaat niet")):
        result = run_cli(*args, cwd=tmp_path)
        assert result.returncode == 1 and said in result.stderr and "Traceback" not in result.stderr, (args, result)


def _refusing(real: Callable[..., Any], locked: Path) -> Callable[..., Any]:
    """`real` (`Path.open`, `Path.iterdir`, `ParquetFile`), refusing `locked` as the system refuses a file or
    folder without rights."""
    def refuse(first: Any, *args: Any, **kwargs: Any) -> Any:
        if Path(first) == locked:
            raise PermissionError(errno.EACCES, "Permission denied", str(first))
        return real(first, *args, **kwargs)
    return refuse


@pytest.mark.parametrize("case", ["same_size", "csv", "parquet", "subfolder"])
def test_a_file_or_folder_without_rights_is_named_as_an_xlsx_is(tmp_path: Path, case: str,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """No rights to a file of a claims folder (found while comparing files of one size, or by the CSV or Parquet
    reader) or to a subfolder read with `recursive`: the words an unreadable xlsx gets, not an interne fout. The
    refusal is imitated: root, who runs the tests in a container, may read a file of mode 000."""
    folder = tmp_path / "exports"
    write_months(folder)
    if case == "same_size":  # as long as 2025-01.csv, another content
        locked = write_lines(folder / "kopie.csv", [line.replace("c1", "c9") for line in MONTHS["2025-01.csv"]])
        monkeypatch.setattr(Path, "open", _refusing(Path.open, locked))
    elif case == "csv":
        locked = folder / "2025-02.csv"
        monkeypatch.setattr(Path, "open", _refusing(Path.open, locked))
    elif case == "parquet":
        locked = folder / "2025-04.parquet"
        pq.write_table(pa.table({"zorgaanbieder": ["A"], "clientnummer": ["c4"], "postcode": ["5611"],
                                 "verzekeraar": ["CZ"], "prestatiedatum": ["2025-04-01"]}), locked)
        monkeypatch.setattr(pq, "ParquetFile", _refusing(pq.ParquetFile, locked))
    else:
        locked = folder / "oud"
        locked.mkdir()
        write_lines(locked / "2024.csv", MONTHS["2025-01.csv"])
        monkeypatch.setattr(Path, "iterdir", _refusing(Path.iterdir, locked))
    with pytest.raises(InputError) as info:
        ratio_from_claims(folder, year=2027, recursive=True)
    assert str(info.value) == f"{locked}: kan niet worden gelezen (geen toegang (rechten))"
    assert info.value.file == str(locked)
