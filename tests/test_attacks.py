"""The attack corpus (tests/attacks.py): every hostile file ends cleanly — the expected exit code, one
Dutch line, no traceback, no hang, under 1 GB — and `check` names every tampering of a workbook."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from attacks import (
    CLAIM_COLUMNS,
    HOSTILE_VALUES,
    LIBREOFFICE_LAST_ROW,
    SEEN,
    TAMPERED,
    alias_bomb_overlay,
    big_inputs,
    claims_parquet,
    far_cell,
    filled,
    full_disk_command,
    inputs_bomb,
    many_sheets,
    overlay,
    quoted_far_cell,
    slow_writer,
    spanning,
    whitespace_bomb,
    with_rows_at_the_end,
    with_xml,
)
from openpyxl import Workbook
from peak import wait_with_peak

ROOT = Path(__file__).resolve().parents[1]
GIGABYTE = 1 << 30


def run(*args: str, cwd: Path) -> tuple[int, str, str, float, int]:
    """(exit code, stdout, stderr, seconds, peak RSS in bytes) of one `zorginkoop` run, killed after 60 s."""
    out, err = cwd / ".stdout", cwd / ".stderr"
    start = time.monotonic()
    with open(out, "w") as stdout, open(err, "w") as stderr:
        process = subprocess.Popen([sys.executable, "-m", "toolkit.cli", *args], stdout=stdout, stderr=stderr,
                                   cwd=cwd, env={**os.environ, "PYTHONPATH": str(ROOT)})
        try:
            code, peak = wait_with_peak(process, timeout=60)
        except TimeoutError:
            pytest.fail(f"zorginkoop {' '.join(args)} hung for more than 60 s")
    return (code, out.read_text(encoding="utf-8"), err.read_text(encoding="utf-8"), time.monotonic() - start, peak)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("aanvallen")
    filled(directory)
    return directory


def test_an_untouched_copy_is_in_order(corpus: Path) -> None:
    code, stdout, stderr, _, _ = run("check", str(filled(corpus)), cwd=corpus)
    assert code == 0 and "in orde" in stdout, stdout + stderr


@pytest.mark.parametrize("attack", sorted(TAMPERED))
def test_check_names_every_tampering(corpus: Path, attack: str) -> None:
    maker, kind = TAMPERED[attack]
    path = maker(corpus)
    code, stdout, stderr, _, _ = run("check", str(path), cwd=corpus)
    assert code == 1, (attack, stdout, stderr)
    assert any(line.startswith(f"{kind}: ") for line in stdout.splitlines()), (attack, stdout)
    assert "Traceback" not in stdout + stderr
    assert not ENGLISH.search(stdout), (attack, stdout)


@pytest.mark.parametrize("attack", sorted(SEEN))
def test_check_names_what_a_reader_would_see_differently(corpus: Path, attack: str) -> None:
    """Every formula untouched, the workbook shows a reader something else: check names the sheet (or
    name) and the kind of difference, in one Dutch line per difference."""
    maker, kind, where = SEEN[attack]
    path = maker(corpus)
    code, stdout, stderr, _, _ = run("check", str(path), cwd=corpus)
    assert code == 1, (attack, stdout, stderr)
    lines = [line for line in stdout.splitlines() if line.startswith(f"{kind}: ")]
    assert any(where in line for line in lines), (attack, stdout)
    assert "Traceback" not in stdout + stderr
    assert not ENGLISH.search(stdout), (attack, stdout)


# Words of the file format that must not reach a Dutch reader's line (a sheet state, a Python value).
ENGLISH = re.compile(r"\b(visible|hidden|veryHidden|True|False|None|chart|series)\b")


@pytest.mark.parametrize(("attack", "said"), [
    ("chart_series_repointed", "de reeksen of categorieën van de grafiek wijken af"),
    ("chart_axis_maximum", "de assen van de grafiek (schaal, titel of notatie) wijken af"),
    ("chart_title_changed", "de assen van de grafiek (schaal, titel of notatie) wijken af"),
    ("chart_hidden", "de grafiek is verborgen"),
    ("sheet_protection_loosened", "de bladbeveiliging staat iets anders toe dan in het sjabloon (cellen opmaken: "
                                  "toegestaan)"),
    ("template_sheet_hidden", "de zichtbaarheid van het tabblad is gewijzigd (verwacht zichtbaar, gevonden verborgen)"),
    ("very_hidden_sheet_added", "gevonden sterk verborgen"),
])
def test_check_says_what_changed(corpus: Path, attack: str, said: str) -> None:
    """The line says which aspect changed, in a reader's words: a chart's axis is not its series, a
    loosened protection names what it now allows (a filled cz_ratio's chart is fitted to its rows, and
    that is compared as fill fits it)."""
    from toolkit.workbook.check import check_workbook

    maker = SEEN[attack][0] if attack in SEEN else TAMPERED[attack][0]
    lines = [finding.line() for finding in check_workbook(maker(corpus)).findings]
    assert any(said in line for line in lines), lines


def test_a_copy_saved_by_openpyxl_is_in_order(corpus: Path) -> None:
    """The attacks above are made with openpyxl: its own rewriting of a workbook is no difference."""
    from openpyxl import load_workbook

    for template in ("staffel", "cz_ratio"):
        target = corpus / f"openpyxl_{template}.xlsx"
        load_workbook(filled(corpus, template)).save(target)
        code, stdout, stderr, _, _ = run("check", str(target), cwd=corpus)
        assert code == 0 and "in orde" in stdout, stdout + stderr


def _one_dutch_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("fout: ") and "Traceback" not in stderr, stderr[-500:]
    return lines[0]


@pytest.mark.parametrize("surface", ["check", "fill", "ratio"])
def test_a_sheet_that_inflates_to_gigabytes_is_refused_before_it_is_read(corpus: Path, surface: str) -> None:
    bomb = whitespace_bomb(corpus) if surface == "check" else inputs_bomb(corpus)
    assert bomb.stat().st_size < 16 << 20
    args = {"check": ["check", str(bomb)], "fill": ["fill", "staffel", str(bomb), "--out", str(corpus / "uit")],
            "ratio": ["ratio", str(bomb), "--year", "2027"]}[surface]
    code, _, stderr, seconds, peak = run(*args, cwd=corpus)
    line = _one_dutch_line(stderr)
    assert code == 1 and str(bomb.name) in line and peak < GIGABYTE, (line, seconds, peak)


@pytest.mark.parametrize("surface", ["check", "fill", "ratio"])
def test_one_cell_at_the_end_of_the_sheet_is_refused(corpus: Path, surface: str) -> None:
    path = far_cell(corpus, f"ver_{surface}.xlsx")
    args = {"check": ["check", str(path)], "fill": ["fill", "staffel", str(path), "--out", str(corpus / "uit2")],
            "ratio": ["ratio", str(path), "--year", "2027"]}[surface]
    code, _, stderr, seconds, peak = run(*args, cwd=corpus)
    line = _one_dutch_line(stderr)
    assert code == 1 and path.name in line and peak < GIGABYTE, (line, seconds, peak)


@pytest.mark.parametrize("quoting", ["'", " ", "&"])
@pytest.mark.parametrize("surface", ["check", "describe", "fill-sjabloon", "fill-invoer", "ratio"])
def test_a_far_cell_is_refused_however_its_reference_is_written(corpus: Path, surface: str, quoting: str) -> None:
    """r='XFD1048576', r = "XFD1048576", r="&#88;FD1048576": the bound reads them as every XML parser does."""
    name = f"ver_{surface}_{ord(quoting)}.xlsx"
    if surface in {"fill-invoer", "ratio"}:
        header = ("naam", "score_vorig_jaar", "aanvullend_budget") if surface == "fill-invoer" else (
            "zorgaanbieder", "clientnummer", "postcode", "verzekeraar", "prestatiedatum")
        path = quoted_far_cell(corpus, name, quoting, source=far_cell(corpus, f"bron_{name}", header))
    else:
        path = quoted_far_cell(corpus, name, quoting)
    inputs = corpus / "staffel.csv"
    inputs.write_text("naam;score_vorig_jaar;aanvullend_budget\na;A;1000\n", encoding="utf-8")
    args = {"check": ["check", str(path)], "describe": ["describe", str(path)],
            "fill-sjabloon": ["fill", str(path), str(inputs), "--out", str(corpus / f"uit_{name}")],
            "fill-invoer": ["fill", "staffel", str(path), "--out", str(corpus / f"uit_{name}")],
            "ratio": ["ratio", str(path), "--year", "2027"]}[surface]
    code, _, stderr, _, peak = run(*args, cwd=corpus)
    line = _one_dutch_line(stderr)
    assert code == 1 and path.name in line and peak < GIGABYTE, (line, peak)


def _small_workbook(path: Path, surface: str) -> Path:
    """Claim lines (`ratio`) or staffel inputs (`fill-invoer`) as a workbook of two rows."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    if surface == "ratio":
        ws.append(["zorgaanbieder", "clientnummer", "postcode", "verzekeraar", "prestatiedatum"])
        ws.append(["01234567", "000123", "5611 AB", "CZ", "2025-03-14"])
    else:
        ws.append(["naam", "score_vorig_jaar", "aanvullend_budget"])
        ws.append(["a", "A", 1000])
    wb.save(path)
    return path


@pytest.mark.parametrize("surface", ["check", "fill-invoer", "ratio"])
def test_the_empty_last_row_libreoffice_writes_is_read(corpus: Path, surface: str) -> None:
    """A row deleted in LibreOffice leaves `<row r="1048576" ht="12.8"/>`: one row's format, no cells. It
    was taken for a sheet of a million rows ("geen sjabloon van de toolkit", "Splits het bestand")."""
    name = f"libreoffice_{surface}.xlsx"
    source = filled(corpus) if surface == "check" else _small_workbook(corpus / f"bron_{name}", surface)
    path = with_rows_at_the_end(source, corpus / name, LIBREOFFICE_LAST_ROW)
    args = {"check": ["check", str(path)],
            "fill-invoer": ["fill", "staffel", str(path), "--out", str(corpus / f"uit_{name}")],
            "ratio": ["ratio", str(path), "--year", "2027"]}[surface]
    code, stdout, stderr, _, _ = run(*args, cwd=corpus)
    assert code == 0 and "fout:" not in stderr, stderr[-500:]
    if surface == "check":
        assert "in orde" in stdout
    elif surface == "fill-invoer":
        assert len(list((corpus / f"uit_{name}").glob("a*.xlsx"))) == 1
    else:
        assert "01234567" in stdout


@pytest.mark.parametrize("surface", ["check", "fill-invoer"])
def test_a_far_row_is_still_counted_where_a_cell_in_it_names_no_place(corpus: Path, surface: str) -> None:
    """A cell without a reference takes its place from the rows before it: after an empty row at 1048576,
    the bound counts the whole rectangle again (the exception above is only for cells that all name their
    place), and a million empty row elements are a million rows whatever their cells."""
    name = f"ver_rij_{surface}.xlsx"
    source = filled(corpus) if surface == "check" else _small_workbook(corpus / f"bron_{name}", surface)
    last = b'<row r="1048575"/><row><c t="inlineStr"><is><t>x</t></is></c><c/><c/><c/><c/><c/></row>'
    for rows, suffix in ((LIBREOFFICE_LAST_ROW.replace(b"1048576", b"1048574") + last, ""),
                         (b"".join(b'<row r="%d"/>' % r for r in range(20, 1_000_020)), "_veel")):
        path = with_rows_at_the_end(source, corpus / name.replace(".xlsx", f"{suffix}.xlsx"), rows)
        args = {"check": ["check", str(path)],
                "fill-invoer": ["fill", "staffel", str(path), "--out", str(corpus / f"uit_{name}{suffix}")]}[surface]
        code, _, stderr, _, peak = run(*args, cwd=corpus)
        line = _one_dutch_line(stderr)
        assert code == 1 and path.name in line and peak < GIGABYTE, (line, peak)
        assert "xl/worksheets" not in line, line  # the sheet as its tab names it


def test_many_sheets_each_under_a_sheet_cap_are_refused_together(corpus: Path) -> None:
    """Twelve sheets of 499,900 cells: every sheet passed a per-sheet cap; the whole workbook is capped."""
    path = many_sheets(corpus)
    assert path.stat().st_size < 4 << 20
    code, _, stderr, _, peak = run("check", str(path), cwd=corpus)
    line = _one_dutch_line(stderr)
    assert code == 1 and path.name in line and peak < GIGABYTE, (line, peak)


@pytest.mark.parametrize("kind", ["samenvoegen", "koppeling"])
def test_a_merged_range_or_hyperlink_over_a_whole_sheet_is_refused(corpus: Path, kind: str) -> None:
    path = spanning(corpus, kind)
    code, _, stderr, _, peak = run("check", str(path), cwd=corpus)
    line = _one_dutch_line(stderr)
    assert code == 1 and path.name in line and peak < GIGABYTE, (line, peak)


@pytest.mark.parametrize("surface", ["fill", "ratio"])
def test_a_one_megabyte_xlsx_of_a_thousand_mib_sheet_is_refused(corpus: Path, surface: str) -> None:
    """1,000 MiB of spaces between two tags (under the 1 GiB part bound): calamine buffers it whole and
    aborted the process (exit 134) where memory was short."""
    bomb = inputs_bomb(corpus, 1000 / 1024, f"duizend_mib_{surface}.xlsx")
    assert bomb.stat().st_size < 2 << 20
    args = {"fill": ["fill", "staffel", str(bomb), "--out", str(corpus / "uit_mib")],
            "ratio": ["ratio", str(bomb), "--year", "2027"]}[surface]
    code, _, stderr, _, peak = run(*args, cwd=corpus)
    line = _one_dutch_line(stderr)
    assert code == 1 and bomb.name in line and peak < GIGABYTE, (line, peak)


def test_an_inputs_workbook_of_a_million_rows_is_refused_with_the_limit(corpus: Path) -> None:
    path = big_inputs(corpus, 1_000_000)
    code, _, stderr, _, peak = run("fill", "staffel", str(path), "--out", str(corpus / "uit_groot"), cwd=corpus)
    line = _one_dutch_line(stderr)
    assert code == 1 and path.name in line and "200.000" in line and peak < GIGABYTE, (line, peak)


@pytest.mark.parametrize("content", [b"", b"hallo", b"PK\x03\x04" + b"\x00" * 40])
def test_a_file_that_is_no_workbook(corpus: Path, content: bytes) -> None:
    path = corpus / "geen.xlsx"
    path.write_bytes(content)
    for args in (["check", str(path)], ["fill", "staffel", str(path), "--out", str(corpus / "uit3")],
                 ["fill", str(path), str(ROOT / "examples" / "invoer" / "staffel.csv"), "--out", str(corpus / "uit4")]):
        code, _, stderr, _, _ = run(*args, cwd=corpus)
        assert code == 1, (args, stderr)
        _one_dutch_line(stderr)


def _restyled(ref: str, format_id: int) -> Callable[[bytes], bytes]:
    """A sheet edit giving cell `ref` a copy of its style with number format `format_id` (its value kept): the
    style is appended to styles.xml's cellXfs by `_with_format`."""
    def edit(data: bytes) -> bytes:
        return re.sub(rb'(<c r="' + ref.encode() + rb'"[^>]*? s=")\d+"', rb'\g<1>' + str(NEW_XF).encode() + b'"', data,
                      count=1)
    return edit


NEW_XF = 500  # past the styles a filled template has; `_with_format` pads cellXfs up to it


def _with_format(format_id: int) -> Callable[[bytes], bytes]:
    def edit(data: bytes) -> bytes:
        count = int(re.search(rb'<cellXfs count="(\d+)"', data).group(1))  # type: ignore[union-attr]
        padding = b'<xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>' * (NEW_XF - count)
        added = padding + f'<xf numFmtId="{format_id}" fontId="0" fillId="0" borderId="0"/>'.encode()
        data = data.replace(b"</cellXfs>", added + b"</cellXfs>", 1)
        return re.sub(rb'<cellXfs count="\d+"', f'<cellXfs count="{NEW_XF + 1}"'.encode(), data, count=1)
    return edit


@pytest.mark.parametrize(("sheet", "format_id"), [("Uitkomst", 14), ("Uitkomst", 20), ("Uitkomst", 46),
                                                   ("Uitkomst", 999), ("Invoer", 14)])
def test_a_number_in_a_date_time_or_missing_format_is_a_format_finding(corpus: Path, sheet: str,
                                                                        format_id: int) -> None:
    """Found by a helper: an output or input shown as a date, a time or a duration (openpyxl reads the number as
    a datetime) crashed check with "interne fout (TypeError …)", or called 209 '1900-07-27 00:00:00' (no
    number); a format number the file does not define (999) crashed openpyxl. Each is one finding of the
    format; the number stays what the rules compare."""
    from openpyxl import load_workbook as load

    source = filled(corpus)
    wb = load(source)
    name = "out_vergoeding" if sheet == "Uitkomst" else "in_aanvullend_budget"
    ((_, ref),) = wb.defined_names[name].destinations
    ref = ref.replace("$", "")
    path = with_xml(corpus, f"notatie_{sheet}_{format_id}.xlsx",
                    {f"sheet:{sheet}": _restyled(ref, format_id), "xl/styles.xml": _with_format(format_id)})
    code, stdout, stderr, _, _ = run("check", str(path), cwd=corpus)
    assert code == 1 and "interne fout" not in stderr and stderr.strip().endswith("1 bevinding bij de controle tegen "
                                                                                 "sjabloon staffel."), stderr
    assert stdout.startswith(f"opmaak: {sheet}!{ref}: getalnotatie") and stdout.count("\n") == 1, stdout
    if format_id == 999:
        assert stdout.rstrip().endswith("(getalnotatie 999 ontbreekt in het bestand)"), stdout


def test_an_output_whose_saved_value_was_taken_out_is_a_finding(corpus: Path) -> None:
    """Found by a helper: with one output's cached value removed (the others kept), check said "in orde";
    a program that does not calculate again shows that output empty."""
    from openpyxl import load_workbook as load

    ((_, ref),) = load(filled(corpus)).defined_names["out_vergoeding"].destinations
    cell = ref.replace("$", "").encode()
    path = with_xml(corpus, "zonder_waarde.xlsx", {"sheet:Uitkomst": lambda data: re.sub(
        rb'(<c r="' + cell + rb'"[^>]*>(?:<f>.*?</f>)?)<v>[^<]*</v>', rb"\1", data, count=1)})
    code, stdout, _, _, _ = run("check", str(path), cwd=corpus)
    assert code == 1 and stdout.startswith(f"uitkomst: Uitkomst!{cell.decode()}: Vergoeding (€): geen opgeslagen "
                                           "waarde in het bestand; open de werkmap in Excel en sla hem op"), stdout


def test_a_sheet_left_out_of_the_workbook_is_said_in_dutch_only(corpus: Path) -> None:
    """Found by a helper: openpyxl's English UserWarning (defined names of a sheet it cannot locate) reached
    stderr before check's Dutch findings."""
    path = with_xml(corpus, "zonder_uitkomst.xlsx", {
        "xl/workbook.xml": lambda data: re.sub(rb'<sheet name="Uitkomst"[^>]*/>', b"", data)})
    code, stdout, stderr, _, _ = run("check", str(path), cwd=corpus)
    assert code == 1 and "Warning" not in stderr and "openpyxl" not in stderr, stderr
    assert "de tabbladen wijken af van het sjabloon" in stdout, stdout


def test_a_part_named_twice_in_another_case_is_the_same_part() -> None:
    """Found by a review: a package's part names are case-insensitive (OPC), so XL/Worksheets/Sheet1.xml is
    xl/worksheets/sheet1.xml written a second time."""
    import zipfile

    from toolkit.xlsx_scan import part_twice

    said = part_twice([zipfile.ZipInfo("xl/worksheets/sheet1.xml"), zipfile.ZipInfo("XL/Worksheets/Sheet1.xml")])
    assert said is not None and said.startswith("onderdeel 'XL/Worksheets/Sheet1.xml' staat twee keer"), said
    assert part_twice([zipfile.ZipInfo("xl/a.xml"), zipfile.ZipInfo("xl/b.xml")]) is None


def test_a_part_written_twice_is_refused(corpus: Path) -> None:
    """Found by a helper: a second Invoer sheet appended to the zip passed `check` (openpyxl, like LibreOffice,
    reads the last one; what Excel shows is not certain). Refused as `check`, as INPUTS and as claims."""
    import warnings
    import zipfile

    source = filled(corpus)
    with zipfile.ZipFile(source) as archive:
        sheet = next(n for n in archive.namelist() if n.startswith("xl/worksheets/sheet"))
        data = archive.read(sheet)
    claims = Workbook()
    claims.active.append(["Zorgaanbieder", "Cliëntnummer", "Postcode", "Verzekeraar", "Datum"])
    claims.active.append(["A", "C1", "5611", "CZ", "3-2-2025"])
    claims.save(corpus / "declaraties.xlsx")
    for path, part, content in ((source, sheet, data), (corpus / "declaraties.xlsx", "xl/worksheets/sheet1.xml", None)):
        twice = corpus / f"twee_keer_{path.name}"
        twice.write_bytes(path.read_bytes())
        with zipfile.ZipFile(twice, "a") as archive, warnings.catch_warnings():
            warnings.simplefilter("ignore")  # zipfile warns of the duplicate name it is told to write
            archive.writestr(part, content if content is not None else zipfile.ZipFile(path).read(part))
        for args in (["check", str(twice)], ["fill", "staffel", str(twice), "--out", str(corpus / "uit5")],
                     ["ratio", str(twice), "--year", "2027"]):
            if (args[0] == "check") != (path == source):
                continue
            code, _, stderr, _, _ = run(*args, cwd=corpus)
            line = _one_dutch_line(stderr)
            assert code == 1 and f"onderdeel '{part}' staat twee keer in het bestand" in line, (args, line)


@pytest.mark.parametrize("value", ["1e999999", "1e5000", "9" * 400, "1,2,3", "--5", "€€5", "NaN", "inf", "١٢٣",
                                   "1" * 16])
@pytest.mark.parametrize("column", ["kostenpunten", "aanvullend_budget", "jaar"])
def test_numbers_that_would_explode_are_refused_fast(corpus: Path, value: str, column: str) -> None:
    inputs = corpus / f"getal_{column}.csv"
    header = ["naam", "score_vorig_jaar", "kostenpunten", "aanvullend_budget", "jaar"]
    row = {"naam": "a", "score_vorig_jaar": "B", "kostenpunten": "6", "aanvullend_budget": "1000", "jaar": "2027",
           column: value}
    inputs.write_text(";".join(header) + "\n" + ";".join(row[h] for h in header) + "\n", encoding="utf-8")
    code, _, stderr, seconds, _ = run("fill", "staffel", str(inputs), "--out", str(corpus / "uit5"), cwd=corpus)
    line = _one_dutch_line(stderr)
    assert code == 1 and column in line, (line, seconds)


# --- outputs: what a run writes, and where ---------------------------------------------------------------

STAFFEL_INPUTS = "naam;score_vorig_jaar;aanvullend_budget\n{key};A;1000\n"


def test_fill_never_overwrites_its_template(tmp_path: Path) -> None:
    """The template inside --out and a key equal to its name: refused like the INPUTS file, even with --force."""
    template = tmp_path / "team.xlsx"
    template.write_bytes((ROOT / "templates" / "staffel.xlsx").read_bytes())
    before = template.read_bytes()
    inputs = tmp_path / "in.csv"
    inputs.write_text(STAFFEL_INPUTS.format(key="team"), encoding="utf-8")
    code, _, stderr, _, _ = run("fill", str(template), str(inputs), "--out", str(tmp_path), "--force", cwd=tmp_path)
    line = _one_dutch_line(stderr)
    assert code == 1 and "het sjabloon" in line and template.read_bytes() == before, line
    assert not (tmp_path / "summary.csv").exists()


def test_fill_leaves_another_commands_temporary_file_alone(tmp_path: Path) -> None:
    """`ratio --rapport D/rapport.xlsx` still writing while `fill --out D` runs: the report arrives."""
    out = tmp_path / "uit"
    out.mkdir()
    go = tmp_path / "verder"
    writer = slow_writer(out / "rapport.xlsx", go)
    try:
        inputs = tmp_path / "in.csv"
        inputs.write_text(STAFFEL_INPUTS.format(key="a"), encoding="utf-8")
        code, _, stderr, _, _ = run("fill", "staffel", str(inputs), "--out", str(out), cwd=tmp_path)
        assert code == 0, stderr
        assert list(out.glob(".~rapport*")), "fill removed the other command's temporary file"
    finally:
        go.touch()
        stdout, stderr = writer.communicate(timeout=30)
    assert writer.returncode == 0 and "klaar" in stdout, stderr
    assert (out / "rapport.xlsx").read_bytes() == b"rapport" and not list(out.glob(".~*"))


def test_a_planted_lock_symlink_is_not_followed(tmp_path: Path) -> None:
    out = tmp_path / "uit"
    out.mkdir()
    outside = tmp_path / "elders.txt"
    (out / ".zorginkoop.lock").symlink_to(outside)
    inputs = tmp_path / "in.csv"
    inputs.write_text(STAFFEL_INPUTS.format(key="a"), encoding="utf-8")
    code, _, stderr, _, _ = run("fill", "staffel", str(inputs), "--out", str(out), cwd=tmp_path)
    line = _one_dutch_line(stderr)
    assert code == 1 and ".zorginkoop.lock" in line and not outside.exists(), line
    assert not (out / "a.xlsx").exists()


@pytest.mark.parametrize("command", ["sjablonen", "ratio", "fill", "demo"])
def test_a_full_disk_is_one_dutch_line(tmp_path: Path, command: str) -> None:
    disk = tmp_path / "schijf"
    disk.mkdir()
    inputs = tmp_path / "in.csv"
    inputs.write_text(STAFFEL_INPUTS.format(key="a"), encoding="utf-8")
    args = {"sjablonen": ["sjablonen", "--out", str(disk / "sjablonen")],
            "ratio": ["ratio", str(ROOT / "examples" / "declaraties_2025.csv"), "--year", "2027", "--rapport",
                      str(disk / "rapport.xlsx")],
            "fill": ["fill", "staffel", str(inputs), "--out", str(disk / "gevuld")],
            "demo": ["demo", "--out", str(disk / "demo")]}[command]
    for budget in (0, 3000, 9000):  # full at once, in the middle of a zip, or near its end
        result = subprocess.run(full_disk_command(disk, budget, *args), capture_output=True, text=True, cwd=tmp_path,
                                env={**os.environ, "PYTHONPATH": str(ROOT)})
        errors = [line for line in result.stderr.splitlines() if not line.startswith("let op:")]
        assert result.returncode == 1 and len(errors) == 1, (budget, result.stderr[-2000:])
        assert errors[0].startswith("fout: ") and "de schijf is vol" in errors[0], errors
        assert "Traceback" not in result.stderr and "Exception ignored" not in result.stderr
        assert not list(disk.rglob(".~*")), list(disk.rglob("*"))


def test_system_errors_are_dutch_words(tmp_path: Path) -> None:
    """A dangling symlink as --out gave "kan niet schrijven: File exists"; every errno reads Dutch."""
    import errno

    from toolkit.errors import system_reason

    for code in errno.errorcode:
        assert os.strerror(code) not in system_reason(OSError(code, os.strerror(code)))
    (tmp_path / "weg").symlink_to(tmp_path / "bestaat-niet" / "x")
    for args in (["sjablonen", "--out", str(tmp_path / "weg")],
                 ["ratio", str(ROOT / "examples" / "declaraties_2025.csv"), "--year", "2027", "--rapport",
                  str(tmp_path / "weg" / "r.xlsx")]):
        code, _, stderr, _, _ = run(*args, cwd=tmp_path)
        line = _one_dutch_line(stderr.replace("let op:", "\nlet op:").split("\nlet op:")[0])
        assert code == 1 and "File exists" not in line and "No such file" not in line, line


# --- parameter overlays ----------------------------------------------------------------------------------

def test_a_yaml_alias_bomb_in_an_overlay_is_refused_at_once(tmp_path: Path) -> None:
    directory = alias_bomb_overlay(tmp_path / "bom")
    code, _, stderr, _, peak = run("parameters", "--parameters", str(directory), cwd=tmp_path)
    line = _one_dutch_line(stderr)
    assert code == 1 and "staffel.yaml" in line and "YAML-verwijzing" in line, line
    assert len(line) < 400 and peak < 300 << 20, peak


@pytest.mark.parametrize("attack", sorted(HOSTILE_VALUES))
def test_an_overlay_value_outside_its_plausible_range_is_refused(tmp_path: Path, attack: str) -> None:
    relative, parameter, value, named = HOSTILE_VALUES[attack]
    directory = overlay(tmp_path / "eigen", relative, parameter, value)
    code, _, stderr, _, _ = run("ratio", str(ROOT / "examples" / "declaraties_2025.csv"), "--year", "2027",
                                "--parameters", str(directory), cwd=tmp_path)
    line = _one_dutch_line(stderr)
    assert code == 1 and relative.split("/")[1] in line and named in line and "interne fout" not in line, line
    assert len(line) < 400, len(line)


# --- inputs ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("column", CLAIM_COLUMNS)
def test_a_dictionary_encoded_parquet_column_reads_as_its_values(tmp_path: Path, column: str) -> None:
    """A pandas `category` column (dictionary-encoded, the smallest index type; with and without empty
    cells) gives the same report as the same column written as plain text."""
    for empty in (False, True):
        results = []
        for index in (None, "pandas", "int32"):
            path = claims_parquet(tmp_path, column, index=index, empty=empty)
            code, stdout, stderr, _, _ = run("ratio", str(path), "--year", "2027", "--json", "--skip-invalid",
                                             cwd=tmp_path)
            assert code == 0 and "interne fout" not in stderr, stderr
            results.append(stdout.replace(path.name, "BESTAND"))
        assert results[0] == results[1] == results[2], (column, empty)


def test_a_huge_number_in_an_excel_function_is_the_dutch_input_error() -> None:
    """Python ints of 10^400 (Excel cannot pass them, a Python caller can): the input error, not "interne fout"."""
    import inspect

    from toolkit import udfs

    ranges = {"postcodes": [["5611"], ["5612"]], "clienten": [[3], [4]], "productie": [[1000]] * 3}
    for function in udfs.FUNCTIONS:
        names = list(inspect.signature(function).parameters)
        for name in names:
            for big in (10**400, -(10**400)):
                args = {n: ranges.get(n, 1) for n in names if n in ranges or inspect.signature(
                    function).parameters[n].default is inspect.Parameter.empty}
                args[name] = [[big], [1]] if name in ranges else big
                result = str(function(**args))
                assert "interne fout" not in result, (function.__name__, name, result)
