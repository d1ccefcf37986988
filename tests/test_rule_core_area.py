"""Rule 11: the share of care inside the kernwerkgebied, from claims (SPEC 11).

The list as people write it (PC4s, ranges, a column among others; refused with the line named), the share
against a plain Python model of the claim lines (euros when every line has an amount, else lines; only the
lines rule 1 counts), and what it does to the ratio: the exemption where most care is outside, the ratio over
the listed areas only on request, on every surface (Python, the command line, JSON).
"""

from __future__ import annotations

import csv
import json
import os
import random
import subprocess
import sys
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from toolkit import (
    InputError,
    PolicyYearError,
    assess_core_area_share,
    core_area_share_from_claims,
    parse_core_areas,
    ratio_from_claims,
)
from toolkit.claims import read_core_areas
from toolkit.numbers import parse_number

CZ_LABELS = ["CZ", "OHRA", "Nationale-Nederlanden", "cz groep"]
OTHER_LABELS = ["Zilveren Kruis", "VGZ", "Menzis"]


def numbered(*values: object) -> list[tuple[int, object]]:
    return list(enumerate(values, start=1))


# --- the list ----------------------------------------------------------------------------------------------

def test_pc4s_ranges_and_postcodes_make_the_list() -> None:
    areas = parse_core_areas(numbered("4800-4899", " 5611 ", "5612 AB", "5613ab", 6000, "", None, "7000 – 7002"))
    assert len(areas) == 100 + 3 + 1 + 3
    assert {4800, 4899, 5611, 5612, 5613, 6000, 7001} <= areas.pc4 and 4900 not in areas and 7003 not in areas


@pytest.mark.parametrize(("lines", "message"), [
    (["5611", "4899-4800"], "regel 2: '4899-4800' is een omgekeerd bereik"),
    (["abc"], "regel 1: 'abc' is geen PC4 of bereik"),
    (["0123"], "regel 1: '0123' is geen PC4"),
    (["5611-"], "regel 1: '5611-' is geen PC4"),
    (["1000-2000-3000"], "regel 1: '1000-2000-3000' is geen PC4"),
    (["", "  "], "geen enkel postcodegebied"),
    (["=1+1"], "regel 1: '=1\\+1' is geen PC4"),
])
def test_a_bad_list_names_the_line_and_value(lines: list[str], message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_core_areas(numbered(*lines))


def test_a_list_file_in_every_shape_people_keep_it(tmp_path: Path) -> None:
    plain = tmp_path / "kwg.txt"
    plain.write_text("4800-4899\n\n5611\n", encoding="utf-8")
    with_header = tmp_path / "kwg.csv"
    with_header.write_text("\ufeffGebied;PC4\nBreda;4811\nTilburg;5011-5013\n", encoding="utf-8")
    book = tmp_path / "kwg.xlsx"
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["Regio", "Postcode"])
    ws.append(["Eindhoven", 5611])
    ws.append(["Eindhoven", "5612-5614"])
    wb.save(book)
    assert read_core_areas(plain).pc4 == frozenset(range(4800, 4900)) | {5611}
    assert read_core_areas(with_header).pc4 == frozenset({4811, 5011, 5012, 5013})
    assert read_core_areas(book).pc4 == frozenset({5611, 5612, 5613, 5614})


def test_a_list_file_that_is_no_list_is_refused_in_one_dutch_line(tmp_path: Path) -> None:
    two_columns = tmp_path / "twee.csv"
    two_columns.write_text("naam;gemeente\nA;Breda\n", encoding="utf-8")
    empty = tmp_path / "leeg.txt"
    empty.write_text("\n\n", encoding="utf-8")
    latin = tmp_path / "latin.txt"
    latin.write_bytes("5611\nBréda\n".encode("latin-1"))
    bad_line = tmp_path / "fout.txt"
    bad_line.write_text("5611\n5612\nEindhoven\n", encoding="utf-8")
    huge = tmp_path / "groot.txt"
    huge.write_bytes(b"5611\n" * (1 << 20))
    cases = [(two_columns, "geen kolom postcode of pc4"), (empty, "het bestand is leeg"),
             (latin, r"regel 2 is geen UTF-8 \(byte 0xE9 \(in Windows-1252: 'é'\)\)"),
             (bad_line, "regel 3: 'Eindhoven' is geen PC4"), (huge, "te groot"),
             (tmp_path / "nergens.txt", "bestaat niet")]
    for path, message in cases:
        with pytest.raises(InputError, match=message) as caught:
            read_core_areas(path)
        assert str(path) in str(caught.value)


# --- the share ---------------------------------------------------------------------------------------------

def test_the_share_at_the_boundary() -> None:
    at = assess_core_area_share(50, 100, year=2027)
    below = assess_core_area_share(Decimal("4999.99"), Decimal("10000.00"), measure="bedrag", year=2027)
    assert at.share_inside == Decimal("0.5") and not at.majority_outside
    assert below.majority_outside and "49,9 %" in below.reason and "in euro" in below.reason  # never 50 %
    nothing = assess_core_area_share(0, 0)
    assert nothing.share_inside is None and not nothing.majority_outside
    # Found by a helper: a provider of kindzorg alone has CZ lines, none of which count; the reason says
    # which care counts instead of "no care of CZ groep".
    assert "zonder kindzorg" in nothing.reason and "geen zorg die meetelt" in nothing.reason


@pytest.mark.parametrize(("args", "kwargs", "field"), [
    ((5, 3), {}, "inside"), ((-1, 3), {}, "inside"), ((Decimal("1.5"), 3), {}, "inside"), (("1", 3), {}, "inside"),
    ((1, 3), {"measure": "uren"}, "measure"), ((True, 3), {}, "inside"),
])
def test_bad_figures_are_refused_naming_the_field(args: tuple[object, object], kwargs: dict[str, object],
                                                  field: str) -> None:
    with pytest.raises(InputError) as caught:
        assess_core_area_share(*args, **kwargs)  # type: ignore[arg-type]
    assert caught.value.field == field


# --- from claims, against a plain model -----------------------------------------------------------------------

def write_claims(path: Path, rng: random.Random, *, amounts: bool, lines: int = 400) -> list[dict[str, str]]:
    rows = []
    for _ in range(lines):
        provider = rng.choice(["A1", "B2", "C3"])
        pc4 = rng.choice([4811, 4812, 5011, 5611, 5612, 7311, 9711])
        row = {"zorgaanbieder": provider, "clientnummer": f"K{rng.randrange(60):03d}",
               "postcode": rng.choice([str(pc4), f"{pc4} AB", f"{pc4}xy"]),
               "verzekeraar": rng.choice(CZ_LABELS * 3 + OTHER_LABELS),
               "datum": rng.choice(["2025-03-01", "14-06-2025", "2025-11-30", "2024-12-31", "2026-01-02"]),
               "prestatie": rng.choice(["Verpleging", "Persoonlijke verzorging", "Medische kindzorg"])}
        if amounts:
            cents = rng.randrange(-5_000, 90_000)
            row["bedrag"] = rng.choice([f"{cents / 100:.2f}".replace(".", ","), f"€ {cents / 100:,.2f}".replace(
                ",", "X").replace(".", ",").replace("X", "."), f"{cents / 100:.2f}"])
        rows.append(row)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), delimiter=";")
        writer.writeheader()
        writer.writerows(rows)
    return rows


def plain_shares(rows: list[dict[str, str]], areas: set[int], *, amounts: bool) -> dict[str, tuple[Decimal, Decimal]]:
    """(inside, total) per provider: the lines rule 1 counts (CZ group, claims year 2025, no kindzorg)."""
    result: dict[str, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    for row in rows:
        cz = row["verzekeraar"].casefold() in {label.casefold() for label in CZ_LABELS}
        if not cz or "2025" not in row["datum"] or "kindzorg" in row["prestatie"].lower():
            continue
        care = Decimal(parse_number(row["bedrag"], kind="money")) if amounts else Decimal(1)
        result[row["zorgaanbieder"]][1] += care
        if int(row["postcode"][:4]) in areas:
            result[row["zorgaanbieder"]][0] += care
    if amounts:  # euros inside or outside below nothing (credit lines): that provider is counted in lines
        lines = plain_shares(rows, areas, amounts=False)
        return {name: (inside, total) if inside >= 0 and total - inside >= 0 and total > 0 else lines[name]
                for name, (inside, total) in result.items()}
    return {name: (inside, total) for name, (inside, total) in result.items()}


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("amounts", [True, False])
def test_every_providers_share_matches_a_plain_model(tmp_path: Path, seed: int, amounts: bool) -> None:
    rng = random.Random(seed)
    rows = write_claims(tmp_path / "d.csv", rng, amounts=amounts)
    areas = set(rng.sample([4811, 4812, 5011, 5611, 5612, 7311, 9711], rng.randrange(1, 7)))
    report = core_area_share_from_claims(tmp_path / "d.csv", parse_core_areas(numbered(*areas)), year=2027)
    expected = plain_shares(rows, areas, amounts=amounts)
    assert set(report.providers) == set(expected)
    for name, (inside, total) in expected.items():
        found = report.providers[name]
        assert found.measure == ("bedrag" if amounts and not found.note else "regels")
        assert (found.inside, found.total) == (inside, total)
        assert found.majority_outside == (total > 0 and inside / total < Decimal("0.5"))
    pooled_inside = sum(i for i, _ in expected.values())
    assert report.inside == pooled_inside


def test_the_ratio_is_exempt_where_most_care_is_outside_and_narrowed_on_request(tmp_path: Path) -> None:
    rng = random.Random(7)
    write_claims(tmp_path / "d.csv", rng, amounts=True, lines=600)
    areas = parse_core_areas(numbered("4800-5099"))
    plain = ratio_from_claims(tmp_path / "d.csv", year=2027)
    with_list = ratio_from_claims(tmp_path / "d.csv", year=2027, core_areas=areas)
    shares = core_area_share_from_claims(tmp_path / "d.csv", areas, year=2027)
    for name, report in with_list.providers.items():
        share = shares.providers[name]
        assert report.core_area is not None and report.core_area.share_inside == share.share_inside
        if share.majority_outside:
            assert not report.applies and report.exemption == "buiten_kernwerkgebied"
        else:
            assert report.assessment == plain.providers[name].assessment
    # Only the listed areas: the same as the ratio of a file that holds only those areas' lines.
    narrowed = ratio_from_claims(tmp_path / "d.csv", year=2027, core_areas=areas, only_core_areas=True)
    with open(tmp_path / "d.csv", encoding="utf-8") as handle:
        kept = [row for row in csv.DictReader(handle, delimiter=";") if 4800 <= int(row["postcode"][:4]) <= 5099]
    with open(tmp_path / "alleen.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(kept[0]), delimiter=";")
        writer.writeheader()
        writer.writerows(kept)
    only = ratio_from_claims(tmp_path / "alleen.csv", year=2027)
    for name, report in narrowed.providers.items():
        assert (report.clients, report.areas) == (only.providers[name].clients, only.providers[name].areas)


def test_the_list_refuses_what_would_silently_drop_an_area(tmp_path: Path) -> None:
    # openpyxl saves a formula without its result: read as empty, the area would be dropped without a word.
    formulas = Workbook()
    formulas.active.append(["postcode"])
    formulas.active.append(['=HYPERLINK("http://example.invalid","4811")'])
    formulas.active.append([4812])
    formulas.save(tmp_path / "formule.xlsx")
    two = Workbook()
    two.active.append(["PC4", "Postcode"])
    two.active.append(["4811", "4812"])
    two.save(tmp_path / "twee.xlsx")
    (tmp_path / "unicode.txt").write_bytes("4811\r\n4812\r\n".encode("utf-16"))
    rows = Workbook(write_only=True)
    sheet = rows.create_sheet()
    for _ in range(100_001):
        sheet.append([4811])
    rows.save(tmp_path / "lang.xlsx")
    # An error value (#N/A, from a lookup) reads as an empty cell: the area would be left out (found by a helper).
    errors = Workbook()
    errors.active.append(["postcode"])
    errors.active.append([4811])
    errors.active.append(["#N/A"])
    errors.active["A3"].data_type = "e"
    errors.save(tmp_path / "fout.xlsx")
    bare = Workbook()  # a list without a header: row 1 is a PC4, no column name
    for value in (4800, 4801, "#N/A"):
        bare.active.append([value])
    bare.active["A3"].data_type = "e"
    bare.save(tmp_path / "zonder_kop.xlsx")
    cases = [("formule.xlsx", "cel A2 heeft een formule zonder opgeslagen uitkomst"),
             ("fout.xlsx", "rij 3, kolom 'postcode': de cel geeft de foutwaarde #N/B; typ een waarde"),
             ("zonder_kop.xlsx", ": cel A3: de cel geeft de foutwaarde #N/B"),
             ("twee.xlsx", "twee kolommen voor het kernwerkgebied \\('PC4' en 'Postcode'\\)"),
             ("unicode.txt", "UTF-16"), ("lang.xlsx", "100.001 rijen; hoogstens 100.000")]
    for name, message in cases:
        with pytest.raises(InputError, match=message):
            read_core_areas(tmp_path / name)


def test_an_error_value_beside_the_list_is_none_of_its_business(tmp_path: Path) -> None:
    """Found by a review: a lookup that found nothing (#N/A) in a column the list does not read refused the
    whole file; only the column read counts."""
    book = Workbook()
    book.active.append(["postcode", "plaats"])
    book.active.append([4800, "Breda"])
    book.active.append([4801, "#N/A"])
    book.active["B3"].data_type = "e"
    book.save(tmp_path / "plaats.xlsx")
    assert read_core_areas(tmp_path / "plaats.xlsx").pc4 == frozenset({4800, 4801})


def test_comment_lines_and_a_plain_python_list(tmp_path: Path) -> None:
    (tmp_path / "kwg.txt").write_text("# kernwerkgebied Breda\n4811\n  # en Tilburg\n5011-5012\n", encoding="utf-8")
    assert read_core_areas(tmp_path / "kwg.txt").pc4 == frozenset({4811, 5011, 5012})
    write_claims(tmp_path / "d.csv", random.Random(5), amounts=True)
    from_list = core_area_share_from_claims(tmp_path / "d.csv", ["4811", 5011, "5012"], year=2027)
    from_file = core_area_share_from_claims(tmp_path / "d.csv", tmp_path / "kwg.txt", year=2027)
    assert from_list == from_file
    with pytest.raises(InputError, match="regel 2: 'Breda' is geen PC4"):
        core_area_share_from_claims(tmp_path / "d.csv", ["4811", "Breda"], year=2027)
    with pytest.raises(InputError, match="geen kernwerkgebied"):
        core_area_share_from_claims(tmp_path / "d.csv", 4811, year=2027)


def _claims(path: Path, lines: list[tuple[str, str, str, str]]) -> None:
    """(provider, client, postcode, amount) lines of CZ group in 2025."""
    text = "Zorgaanbieder;Cliëntnummer;Postcode cliënt;UZOVI-code;Begindatum prestatie;Declaratiebedrag\r\n"
    path.write_text(text + "".join(f"{p};{c};{pc};9664;03-02-2025;{a}\r\n" for p, c, pc, a in lines),
                    encoding="utf-8")


def test_a_line_without_an_amount_counts_for_the_ratio_and_its_own_providers_share_in_lines(tmp_path: Path) -> None:
    # Provider 1 has a line with an empty amount: its share is counted in lines, and it alone says so;
    # provider 2's amounts are all there: its share stays in euros (the share is a provider's own).
    _claims(tmp_path / "d.csv", [("1", "K1", "4811", "100,00"), ("1", "K2", "4812", ""),
                                 ("1", "K3", "9711", "50,00"), ("1", "K4", "9712", " "),
                                 ("2", "K5", "4811", "100,00"), ("2", "K6", "9711", "300,00")])
    plain = ratio_from_claims(tmp_path / "d.csv", year=2027)
    with_list = ratio_from_claims(tmp_path / "d.csv", year=2027, core_areas=["4811", "4812"])
    assert (with_list.clients, with_list.areas) == (plain.clients, plain.areas) == (6, 4)
    first, second = with_list.providers["1"].core_area, with_list.providers["2"].core_area
    assert first is not None and first.measure == "regels" and first.share_inside == Decimal("0.5")
    assert "2 regels zonder leesbaar bedrag" in first.note and first.note in first.reason
    assert second is not None and second.measure == "bedrag" and second.share_inside == Decimal("0.25")
    assert not second.note
    pooled = with_list.core_area
    assert pooled is not None and pooled.measure == "regels" and "2 regels zonder leesbaar bedrag" in pooled.note
    (tmp_path / "kwg.txt").write_text("4811\n4812\n", encoding="utf-8")
    shown = zorginkoop("ratio", "d.csv", "--jaar", "2027", "--kernwerkgebied", "kwg.txt", cwd=tmp_path)
    assert shown.returncode == 0 and "1: geteld in declaratieregels: 2 regels zonder leesbaar bedrag." in shown.stdout
    assert "2: geteld" not in shown.stdout


def test_an_unreadable_amount_is_refused_as_plafond_refuses_it(tmp_path: Path) -> None:
    _claims(tmp_path / "d.csv", [("1", "K1", "4811", "100,00"), ("1", "K2", "9711", "12.34.5"),
                                 ("2", "K5", "4811", "100,00"), ("2", "K6", "9711", "300,00")])
    with pytest.raises(InputError, match=r"regel 3, kolom 'Declaratiebedrag': bedrag '12\.34\.5' is geen getal"):
        ratio_from_claims(tmp_path / "d.csv", year=2027, core_areas=["4811"])
    with pytest.raises(InputError, match=r"regel 3, kolom 'Declaratiebedrag': bedrag '12\.34\.5'"):
        core_area_share_from_claims(tmp_path / "d.csv", ["4811"], year=2027)
    # With --skip-invalid the line stays a line of rule 1 (a kernwerkgebied must not change who counts);
    # its amount counts as missing, so provider 1's share is one of lines.
    skipped = ratio_from_claims(tmp_path / "d.csv", year=2027, core_areas=["4811"], skip_invalid=True)
    plain = ratio_from_claims(tmp_path / "d.csv", year=2027, skip_invalid=True)
    assert skipped.invalid_lines == plain.invalid_lines == 0
    assert (skipped.providers["1"].clients, skipped.providers["1"].areas) == (plain.providers["1"].clients, 2)
    first = skipped.providers["1"].core_area
    assert first is not None and first.measure == "regels" and first.share_inside == Decimal("0.5")
    assert "1 regel zonder leesbaar bedrag" in first.note
    second = skipped.providers["2"].core_area
    assert second is not None and second.measure == "bedrag" and second.share_inside == Decimal("0.25")
    # Without a kernwerkgebied the ratio never reads the amount: the same file is read whole.
    assert ratio_from_claims(tmp_path / "d.csv", year=2027).clients == 4


def test_a_year_the_core_area_data_does_not_cover_is_a_policy_year_error(tmp_path: Path) -> None:
    _claims(tmp_path / "d.csv", [("1", "K1", "4811", "100,00")])
    (tmp_path / "kwg.txt").write_text("4811\n", encoding="utf-8")
    for call in (lambda: ratio_from_claims(tmp_path / "d.csv", year=2026, core_areas=["4811"]),
                 lambda: core_area_share_from_claims(tmp_path / "d.csv", ["4811"], year=2026)):
        with pytest.raises(PolicyYearError, match="2026") as info:
            call()
        assert 2027 in info.value.covered
    result = zorginkoop("ratio", "d.csv", "--jaar", "2026", "--kernwerkgebied", "kwg.txt", cwd=tmp_path)
    assert result.returncode == 1 and result.stderr.startswith(
        "fout: --jaar 2026: de parametergegevens dekken dit beleidsjaar niet (wel: 2027 voor 'Zorg binnen het "
        "kernwerkgebied')")


def test_credit_lines_larger_than_the_care_make_the_share_one_of_lines(tmp_path: Path) -> None:
    _claims(tmp_path / "d.csv", [("1", "K1", "4811", "100,00"), ("1", "K2", "9711", "-100,00"),
                                 ("1", "K3", "9712", "40,00"), ("2", "K5", "4811", "300,00"),
                                 ("2", "K6", "9711", "-100,00"), ("2", "K7", "9711", "300,00")])
    report = core_area_share_from_claims(tmp_path / "d.csv", ["4811"], year=2027)
    first, second = report.providers["1"], report.providers["2"]
    assert first.measure == "regels" and first.share_inside == Decimal(1) / Decimal(3) and "creditregels" in first.note
    assert second.measure == "bedrag" and second.share_inside == Decimal("0.6") and not second.note


def test_a_year_without_core_area_data_is_refused_before_reading(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"beleidsjaar 2026 .*kernwerkgebied"):
        ratio_from_claims(tmp_path / "bestaat-niet.csv", year=2026, core_areas=parse_core_areas(numbered("5611")))
    with pytest.raises(InputError, match="only_core_areas"):
        ratio_from_claims(tmp_path / "bestaat-niet.csv", year=2027, only_core_areas=True)


# --- the command line ------------------------------------------------------------------------------------------

def zorginkoop(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "toolkit.cli", *args], capture_output=True, text=True, cwd=cwd,
                          env={**os.environ, "COLUMNS": "80"}, timeout=120)


def test_the_command_shows_the_share_at_80_columns_and_in_json(tmp_path: Path) -> None:
    rng = random.Random(3)
    write_claims(tmp_path / "d.csv", rng, amounts=True)
    (tmp_path / "kwg.txt").write_text("4800-5099\n", encoding="utf-8")
    shown = zorginkoop("ratio", "d.csv", "--year", "2027", "--kernwerkgebied", "kwg.txt", cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    assert "Zorg binnen het kernwerkgebied (in euro's)" in shown.stdout
    assert max(len(line) for line in shown.stdout.splitlines()) <= 80
    data = json.loads(zorginkoop("ratio", "d.csv", "--year", "2027", "--kernwerkgebied", "kwg.txt", "--json",
                                 cwd=tmp_path).stdout)
    assert all(set(p["core_area"]) >= {"share_inside", "measure", "majority_outside"} for p in data)
    assert all(p["exemption"] == "buiten_kernwerkgebied" for p in data if p["core_area"]["majority_outside"])
    assert not any(p["only_core_areas"] for p in data)
    narrowed = zorginkoop("ratio", "d.csv", "--year", "2027", "--kernwerkgebied", "kwg.txt", "--alleen-kernwerkgebied",
                          cwd=tmp_path)
    assert "alleen kernwerkgebied" in " ".join(narrowed.stdout.split("Zorgaanbieder")[0].split())
    assert all(p["only_core_areas"] for p in json.loads(zorginkoop(
        "ratio", "d.csv", "--year", "2027", "--kernwerkgebied", "kwg.txt", "--alleen-kernwerkgebied", "--json",
        cwd=tmp_path).stdout))
    written = zorginkoop("ratio", "d.csv", "--year", "2027", "--kernwerkgebied", "kwg.txt", "--rapport", "r.xlsx",
                         cwd=tmp_path)
    assert written.returncode == 0, written.stderr
    overview = load_workbook(tmp_path / "r.xlsx")["Overzicht"]
    reasons = [row[-1] for row in overview.iter_rows(min_row=5, max_row=4 + len(data), values_only=True)]
    assert all("van de zorg (in euro) binnen het kernwerkgebied" in reason for reason in reasons), reasons
    (tmp_path / "fout.txt").write_text("5611\n5699-5600\n", encoding="utf-8")
    refused = zorginkoop("ratio", "d.csv", "--year", "2027", "--kernwerkgebied", "fout.txt", cwd=tmp_path)
    assert refused.returncode == 1 and refused.stdout == ""
    assert refused.stderr.strip() == ("fout: fout.txt, regel 2: '5699-5600' is een omgekeerd bereik (van hoog naar "
                                      "laag); schrijf het laagste nummer eerst")
