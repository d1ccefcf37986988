from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from pathlib import Path

import openpyxl
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import HEADER, write_lines
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit import InputError, PolicyYearError, ratio_from_claims
from toolkit.claims.report import CLAIM_SET_FIELDS, ClaimsRatioReport


def test_known_answers(claims_csv: Path) -> None:
    report = ratio_from_claims(claims_csv, year=2027)
    a, b, k = (report.providers[name] for name in ("A", "B", "K"))
    assert (a.clients, a.areas, a.ratio_display, a.meets) == (7, 3, "2,33", False)
    assert a.areas_to_drop == ("5612",) and a.clients_needed == 2 and a.max_areas == 2
    assert a.clients_by_area == {"5611": 4, "5612": 1, "5613": 2}
    assert (a.lines_read, a.lines_used, a.lines_other_insurers, a.lines_other_years) == (11, 8, 1, 1)
    assert (b.clients, b.areas, b.movers, b.meets) == (6, 2, 1, True)
    assert k.applies is False and k.exemption == "kindzorg" and k.lines_kindzorg == 2
    assert report.unknown_insurers == {"C Z": 1}
    assert report.lines_read == 20 and report.claims_year == 2025


def test_per_area_counts_movers_in_each_area(claims_csv: Path) -> None:
    b = ratio_from_claims(claims_csv, year=2027, method="per_area").providers["B"]
    assert (b.clients, b.areas) == (7, 2)


def test_year_selects_claims_of_t_minus_2(claims_csv: Path) -> None:
    report = ratio_from_claims(claims_csv, year=2026)
    assert report.claims_year == 2024
    assert report.providers["A"].clients == 1  # only the 2024 claim
    with pytest.raises(PolicyYearError):
        ratio_from_claims(claims_csv, year=2031)


def test_only_provider_and_strict(claims_csv: Path) -> None:
    assert ratio_from_claims(claims_csv, year=2027, only_provider="B").clients == 6
    with pytest.raises(InputError, match="'C Z' \\(1 regel\\)"):
        ratio_from_claims(claims_csv, year=2027, strict=True)
    with pytest.raises(InputError, match="komt niet voor"):
        ratio_from_claims(claims_csv, year=2027, only_provider="Z")


def test_separators_bom_and_aliases(tmp_path: Path, claims_csv: Path) -> None:
    lines = claims_csv.read_text(encoding="utf-8").splitlines()
    comma = [line.replace(";", ",") for line in lines]
    comma[0] = "AGB,Pseudoniem,Postcode,UZOVI,Datum,Zorgsoort"
    expected = ratio_from_claims(claims_csv, year=2027).to_dict()
    for path in (write_lines(tmp_path / "comma.csv", comma, bom=True),
                 write_lines(tmp_path / "crlf.csv", [line + "\r" for line in lines])):
        got = ratio_from_claims(path, year=2027).to_dict()
        assert got["clients"] == expected["clients"] and got["clients_by_area"] == expected["clients_by_area"]


def test_dutch_decimal_comma_in_other_columns(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "bedrag.csv", [
        "clientnummer;postcode;verzekeraar;datum;bedrag",
        "c1;1234;CZ;14-03-2025;1.234,56",
        '"c2";"1234 AB";"OHRA";"2025-03-14";"12,50"',
        "c3;1234;CZ;14/03/2025;7,5",
    ])
    report = ratio_from_claims(path, year=2027)
    assert (report.clients, report.areas, report.meets) == (3, 1, True)
    assert report.providers == {}


def frame(claims_csv: Path) -> pd.DataFrame:
    return pd.read_csv(claims_csv, sep=";", dtype=str)


def results(report: ClaimsRatioReport) -> dict[str, dict[str, object]]:
    """Each provider's results, without what the claim set's files were (their names differ by source)."""
    return {k: {f: v for f, v in r.to_dict().items() if f not in CLAIM_SET_FIELDS} for k, r in report.providers.items()}


def test_dataframe_xlsx_and_parquet_agree_with_csv(tmp_path: Path, claims_csv: Path) -> None:
    expected = results(ratio_from_claims(claims_csv, year=2027))
    df = frame(claims_csv)
    pq.write_table(pa.Table.from_pandas(df, preserve_index=False), tmp_path / "c.parquet")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(list(df.columns))
    for row in df.itertuples(index=False):
        values = list(row)
        values[2] = int(values[2]) if values[2].isdigit() else values[2]  # Excel turns 5611 into a number
        sheet.append(values)
    workbook.save(tmp_path / "c.xlsx")
    for source in (df, tmp_path / "c.parquet", tmp_path / "c.xlsx"):
        assert results(ratio_from_claims(source, year=2027)) == expected, source


def test_a_dataframe_of_mixed_types_is_read_as_its_spreadsheet(tmp_path: Path, claims_csv: Path) -> None:
    """pandas.read_excel of an export where Excel made some postcodes numbers gives a column of ints and
    texts, which Arrow refuses as a whole: it is read cell by cell, as the xlsx itself is."""
    expected = results(ratio_from_claims(claims_csv, year=2027))
    df = frame(claims_csv)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(list(df.columns))
    for row in df.itertuples(index=False):
        values = list(row)
        values[2] = int(values[2]) if values[2].isdigit() else values[2]
        values[3] = 9664 if values[3] == "9664" else values[3]
        values[4] = dt.datetime.fromisoformat(values[4]) if values[1] in ("c1", "m1") else values[4]
        sheet.append(values)
    workbook.save(tmp_path / "c.xlsx")
    read_back = pd.read_excel(tmp_path / "c.xlsx", engine="openpyxl")
    assert read_back["postcode"].dtype == object and {type(v) for v in read_back["postcode"]} == {int, str}
    assert results(ratio_from_claims(read_back, year=2027)) == expected
    # Empty cells of such a column (NaN, None, NaT) are empty, not the text "nan".
    gaps = pd.DataFrame({"client": ["c1", "c2"], "postcode": [5611, float("nan")], "verzekeraar": ["CZ", 9664],
                         "datum": [pd.Timestamp("2025-01-10"), pd.NaT]})
    with pytest.raises(InputError, match=r"DataFrame: regel 2, kolom 'postcode': postcode ontbreekt"):
        ratio_from_claims(gaps, year=2027)
    flags = pd.DataFrame({"client": ["c1", True], "postcode": ["5611", "5612"], "verzekeraar": ["CZ", "CZ"],
                          "datum": ["2025-01-10", "2025-01-10"]})
    with pytest.raises(InputError, match=r"regel 2, kolom 'client': bevat een ja/nee-waarde \(WAAR\)"):
        ratio_from_claims(flags, year=2027)


def test_one_provider_asked_of_claims_without_a_provider_column_is_refused(tmp_path: Path) -> None:
    """Every line would have been reported as that provider's (the CLI's --agb on an export of one system)."""
    from toolkit import production_from_claims
    from toolkit.claims.core_area import core_area_share_from_claims

    claims = write_lines(tmp_path / "c.csv", ["client;postcode;verzekeraar;datum;bedrag", "c1;5611;CZ;2025-01-10;10"])
    for compute in (lambda: ratio_from_claims(claims, year=2027, only_provider="01234567"),
                    lambda: production_from_claims(claims, year=2025, only_provider="01234567"),
                    lambda: core_area_share_from_claims(claims, ["5611"], year=2027, only_provider="01234567")):
        with pytest.raises(InputError, match=r"zorgaanbieder '01234567' gevraagd, maar de declaraties hebben geen "
                                             r"kolom met de zorgaanbieder") as info:
            compute()
        assert info.value.field == "provider" and info.value.value == "01234567"
    assert ratio_from_claims(claims, year=2027).clients == 1


def test_input_file_is_not_modified(claims_csv: Path) -> None:
    before = claims_csv.read_bytes()
    ratio_from_claims(claims_csv, year=2027)
    assert claims_csv.read_bytes() == before


@pytest.mark.parametrize("seed", range(8))
def test_matches_a_plain_python_count(tmp_path: Path, seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    import toolkit.claims as claims

    if seed % 2:
        monkeypatch.setattr(claims.csv_source, "CHUNK_BYTES", 257)  # buffer reuse across many small chunks
    rng = random.Random(seed)
    insurers = ["CZ", "OHRA", "9664", "VGZ", "Menzis", "Nationale-Nederlanden"]
    rows = []
    for _ in range(rng.randint(1, 400)):
        postcode = str(rng.randint(1000, 1012)) + rng.choice(["", " AB", "cd"])
        date = f"{rng.choice([2024, 2025, 2025, 2026])}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"
        rows.append((rng.choice("PQR"), f"c{rng.randint(0, 60)}", postcode, rng.choice(insurers), date))
    path = write_lines(tmp_path / "r.csv", ["agb;client;postcode;label;datum"] + [";".join(r) for r in rows])
    report = ratio_from_claims(path, year=2027)
    for provider in {r[0] for r in rows}:
        used = {(r[1], r[2][:4]) for r in rows if r[0] == provider and r[3] in
                {"CZ", "OHRA", "9664", "Nationale-Nederlanden"} and r[4].startswith("2025")}
        got = report.providers[provider]
        assert got.clients == len({c for c, _ in used})
        assert got.areas == len({a for _, a in used})
        per_area = ratio_from_claims(path, year=2027, method="per_area", only_provider=provider)
        assert per_area.clients == len(used)
        assert got.movers == sum(1 for c in {c for c, _ in used} if len({a for cc, a in used if cc == c}) > 1)


def test_skip_invalid_counts_and_reports(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "mixed.csv", [
        HEADER,
        "A;c1;5611;CZ;2025-01-10;Verpleging",
        "A;c2;12AB;CZ;2025-01-10;Verpleging",
        "A;c3;5611;CZ;31-02-2025;Verpleging",
        "A;;5611;CZ;2025-01-10;Verpleging",
    ])
    with pytest.raises(InputError) as info:
        ratio_from_claims(path, year=2027)
    assert info.value.row == 3 and info.value.field == "postcode" and info.value.value == "12AB"
    assert "regel 3" in str(info.value) and "'12AB'" in str(info.value) and "mixed.csv" in str(info.value)
    report = ratio_from_claims(path, year=2027, skip_invalid=True)
    assert report.invalid_lines == 3
    assert report.invalid_reasons == {"ongeldige postcode": 1, "ongeldige datum": 1, "ongeldige cliënt": 1}
    assert report.providers["A"].clients == 1 and report.providers["A"].lines_read == 4
    assert report.invalid_examples[0].startswith("regel 3")


def test_large_file_across_chunks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import toolkit.claims as claims

    monkeypatch.setattr(claims.csv_source, "CHUNK_BYTES", 4096)  # many chunks, lines split across chunk ends
    lines = [HEADER] + [f"P{i % 3};c{i % 97};{1000 + i % 13};CZ;2025-05-05;Verpleging" for i in range(3000)]
    lines[2500] = "P0;c1;0999;CZ;2025-05-05;Verpleging"
    path = write_lines(tmp_path / "many.csv", lines)
    with pytest.raises(InputError) as info:
        ratio_from_claims(path, year=2027)
    assert info.value.row == 2501
    report = ratio_from_claims(path, year=2027, skip_invalid=True)
    assert report.lines_read == 3000 and report.invalid_lines == 1


# Near misses of the usual spellings: four characters, mostly digits, then a short tail.
POSTCODE_TEXT = st.builds(
    lambda head, tail: head + tail,
    st.text(alphabet=st.sampled_from("0123456789a ٣"), min_size=3, max_size=5),
    st.sampled_from(["", "AB", " ab", "zZ", " a9", "a9", "9a", " 9a", "  ab", "ab ", "a", " a", "abc", "\tab", " ßa",
                     "-ab"]) | st.text(alphabet=st.sampled_from(" aZb9-ß\t"), max_size=4),
)


def test_bulk_postcode_reading_on_a_grid_of_near_misses() -> None:
    from toolkit.claims.fields import pc4_common as _pc4_common
    from toolkit.postcode import is_valid, to_pc4

    heads = ["1234", "9999", "1000", "0123", "123", "12345", "12a4", "١٢٣٤", " 123", "1 23"]
    tails = ["", "AB", "zz", " ab", " ZZ", "a", " a", "abc", " abc", "a9", "9a", " a9", " 9a", "  ab", "ab ", "\tab",
             " ßa", "-ab", "{a", "a[", "@a", "a`", " {a", "\u00e9a", " \u00e9a"]
    values = [head + tail for head in heads for tail in tails]
    pc4, understood = _pc4_common(pa.array(values, pa.string()))
    for value, number, ok in zip(values, pc4.tolist(), understood.tolist(), strict=True):
        assert not ok or (is_valid(value) and to_pc4(value) == f"{number:04d}"), value
    assert understood.sum() == 3 * 5  # three good heads times the five usual spellings


@settings(deadline=None)
@given(st.lists(st.none() | POSTCODE_TEXT | st.sampled_from(["1234", "1234AB", "1234 ab", "0123", "9999zz"]),
                max_size=30), st.integers(0, 5))
def test_bulk_postcode_reading_agrees_with_to_pc4(values: list[str | None], start: int) -> None:
    from toolkit.claims.fields import pc4_common as _pc4_common
    from toolkit.postcode import to_pc4

    array = pa.array(values, pa.string()).slice(start)  # an offset into the buffers, as in a batch
    pc4, understood = _pc4_common(array)
    for value, number, ok in zip(values[start:], pc4.tolist(), understood.tolist(), strict=True):
        if ok:  # the bulk path may leave values to to_pc4, but never disagrees with it
            assert value is not None and to_pc4(value) == f"{number:04d}", value
        elif value is not None and len(value) == 4 and value.isascii() and value.isdigit() and value[0] != "0":
            raise AssertionError(f"plain PC4 {value!r} left to the slow path")


@settings(deadline=None, max_examples=200)
@given(st.lists(st.lists(st.tuples(st.integers(0, 4), st.integers(0, 9)), max_size=30), max_size=6))
def test_the_last_merge_of_triples_on_two_threads_is_the_sorted_set(parts: list[list[tuple[int, int]]]) -> None:
    """Triples.distinct merges its parts cut at one area key, on a thread each: every part is sorted by
    area (the high 32 bits) but not by client within an area, as a batch's coded triples are."""
    from concurrent.futures import ThreadPoolExecutor

    import numpy as np

    from toolkit.claims.triples import _merged

    arrays = []
    for part in parts:
        keys = [(area << 32) | client for area, client in part]
        keys.sort(key=lambda key: key >> 32)  # by area only: the clients of an area stay in drawn order
        arrays.append(np.array(keys, np.int64))
    expected = sorted({key for part in arrays for key in part.tolist()})
    with ThreadPoolExecutor(max_workers=2) as pool:
        assert _merged(arrays, pool).tolist() == expected


@pytest.mark.parametrize("seed", range(6))
def test_every_count_matches_a_plain_python_model(tmp_path: Path, seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Line counts, clients per area, movers, unknown labels and invalid lines, per provider and for
    the whole file, against a straightforward model; small chunks so batches split anywhere."""
    import toolkit.claims as claims

    # 16: every line is longer than a piece
    monkeypatch.setattr(claims.csv_source, "CHUNK_BYTES", [16, 100, 4096, 1 << 20, 333, 64][seed])
    monkeypatch.setattr(claims.triples, "MERGE_AT", [1, 10**9, 7][seed % 3])  # merged after every batch, never, …
    monkeypatch.setattr(claims.triples, "RECODE_AT", [1, 10**9, 5][seed % 3])  # clients coded per batch, at the end, …
    rng = random.Random(seed)
    labels = {"CZ": "cz", "cz": "cz", "OHRA": "cz", "9664": "cz", "VGZ": "other", "Menzis": "other",
              "C Z": "unknown", "Onbekend": "unknown"}
    care = ["Verpleging", "Medische kindzorg", "Persoonlijke verzorging"]
    rows = []
    for _ in range(rng.randint(50, 600)):
        pc4 = str(rng.randint(1000, 1015))
        postcode = pc4 + rng.choice(["", "", " AB", "cd", "  "])
        if rng.random() < 0.03:
            postcode = rng.choice(["12AB", "0123", "", "123"])
        client = f"c{rng.randint(0, 40)}" if rng.random() > 0.02 else ""
        date = f"{rng.choice([2024, 2025, 2025, 2025])}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"
        if rng.random() < 0.02:
            date = "31-02-2025"
        rows.append((rng.choice(["P1", "P2", "P3", "Q"]), client, postcode, rng.choice(list(labels)), date,
                     rng.choice(care)))
    lines = [HEADER]
    line_of = []  # the file line number of each row: empty lines are no rows, but editors count them
    for r in rows:
        while rng.random() < 0.05:
            lines.append(rng.choice(["", "\r"]))
        lines.append(";".join(r))
        line_of.append(len(lines))
    path = write_lines(tmp_path / "m.csv", lines)

    def valid(r: tuple[str, ...]) -> bool:
        p = r[2].strip()
        return bool(r[1]) and len(p) in (4, 6, 7) and p[:4].isdigit() and p[0] != "0" and r[4] != "31-02-2025"

    report = ratio_from_claims(path, year=2027, skip_invalid=True)
    assert report.invalid_lines == sum(not valid(r) for r in rows)
    assert report.unknown_insurers == dict(Counter(r[3] for r in rows if valid(r) and labels[r[3]] == "unknown"))
    for who in [*sorted({r[0] for r in rows}), None]:
        mine = [r for r in rows if who is None or r[0] == who]
        ok = [r for r in mine if valid(r)]
        cz_year = [r for r in ok if labels[r[3]] == "cz" and r[4].startswith("2025")]
        used = {(r[1], r[2][:4]) for r in cz_year if "kindzorg" not in r[5]}
        got = report if who is None else report.providers[who]
        assert got.lines_read == len(mine) and got.lines_used == sum("kindzorg" not in r[5] for r in cz_year)
        assert got.lines_other_insurers == sum(labels[r[3]] == "other" for r in ok)
        assert got.lines_other_years == sum(labels[r[3]] == "cz" and not r[4].startswith("2025") for r in ok)
        assert got.lines_kindzorg == sum("kindzorg" in r[5] for r in cz_year)
        by_area = {a: len({c for c, aa in used if aa == a}) for a in {a for _, a in used}}
        assert dict(got.clients_by_area) == by_area
        assert got.clients == len({c for c, _ in used}) and got.areas == len(by_area)
        movers = {c for c in {c for c, _ in used} if len({a for cc, a in used if cc == c}) > 1}
        assert got.movers == len(movers)
    with pytest.raises(InputError) as info:
        ratio_from_claims(path, year=2027)
    bad = [i for i, r in enumerate(rows) if not valid(r)]
    assert info.value.row == line_of[bad[0]] and f"regel {line_of[bad[0]]}," in str(info.value)
    assert [int(e.split(",")[0].removeprefix("regel ")) for e in report.invalid_examples] == [
        line_of[i] for i in bad[:10]]


def test_empty_cells_in_parquet_are_invalid_lines(tmp_path: Path) -> None:
    table = pa.table({
        "zorgaanbieder": ["A", "A", None, "B", "B"],
        "clientnummer": ["c1", "c2", "c3", None, "c5"],
        "postcode": ["1234", None, "1234", "1234", "1234 AB"],
        "verzekeraar": ["CZ", None, "CZ", "CZ", "CZ"],
        "prestatiedatum": pa.array([dt.date(2025, 1, 1), dt.date(2025, 1, 1), None, dt.date(2025, 2, 1),
                                    dt.date(2025, 3, 1)]),
        "prestatie": [None, "x", "y", "z", "Verpleging"],
    })
    pq.write_table(table, tmp_path / "n.parquet")
    with pytest.raises(InputError, match="regel 2, kolom 'postcode': postcode ontbreekt"):
        ratio_from_claims(tmp_path / "n.parquet", year=2027)
    report = ratio_from_claims(tmp_path / "n.parquet", year=2027, skip_invalid=True)
    assert report.invalid_reasons == {"ongeldige postcode": 1, "ongeldige datum": 1, "ongeldige cliënt": 1}
    assert report.invalid_examples[1] == "regel 3, kolom 'prestatiedatum': datum ontbreekt"
    assert {k: (v.clients, v.lines_read) for k, v in report.providers.items()} == {"A": (1, 2), "B": (1, 2)}
    assert report.lines_read == 5 and report.clients == 2


def test_iso_dates_read_as_dates_and_other_formats_as_text_agree(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import toolkit.claims as claims

    monkeypatch.setattr(claims.csv_source, "CHUNK_BYTES", 2048)  # the first pieces are all ISO, later ones are not
    rng = random.Random(7)
    rows = [(f"P{rng.randint(1, 3)}", f"c{rng.randint(1, 80)}", str(rng.randint(1000, 1020)),
             rng.choice(["CZ", "VGZ"]), dt.date(rng.choice([2024, 2025]), rng.randint(1, 12), rng.randint(1, 28)))
            for _ in range(600)]

    def write(name: str, iso_until: int) -> Path:
        return write_lines(tmp_path / name, [HEADER] + [
            f"{p};{c};{pc};{i};{d.isoformat() if n < iso_until else d.strftime('%d-%m-%Y')};Verpleging"
            for n, (p, c, pc, i, d) in enumerate(rows)])

    expected = results(ratio_from_claims(write("nl.csv", 0), year=2027))
    for name, iso_until in (("iso.csv", 600), ("mixed.csv", 300)):
        got = results(ratio_from_claims(write(name, iso_until), year=2027))
        assert got == expected, name
    old = write_lines(tmp_path / "old.csv", [HEADER, "A;c1;5611;CZ;2025-01-01;V", "A;c2;5611;CZ;1899-12-31;V"])
    with pytest.raises(InputError, match="regel 3, kolom 'prestatiedatum': datum '1899-12-31' ligt niet tussen 1900"):
        ratio_from_claims(old, year=2027)
