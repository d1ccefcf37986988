"""`zorginkoop fill`, `describe`, `demo` and `check`: behaviour a finance team relies on."""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import signal
import subprocess
import sys
import time
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import pytest
from openpyxl import load_workbook

from toolkit import InputError
from toolkit.errors import InputErrors
from toolkit.workbook.check import check_workbook
from toolkit.workbook.equivalence import same_formula
from toolkit.workbook.fill import fill, safe_file_name
from toolkit.workbook.formats import header_code
from toolkit.workbook.specs import SPECS
from toolkit.workbook.summary import csv_safe
from toolkit.workbook.template_file import TemplateFile, copy_header

INJECTIONS = ['=HYPERLINK("http://example.invalid","klik")', "+cmd|' /C calc'!A0", "@SUM(1+1)", "-2+3",
              "=1+1"]
STAFFEL_HEADER = ["naam", "score_vorig_jaar", "score_contractjaar", "kostenpunten", "plafondvrij", "productieafspraak",
                  "aanvullend_budget"]


def write_csv(path: Path, header: list[str], rows: list[list[Any]], delimiter: str = ";") -> Path:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def staffel_inputs(path: Path, keys: list[str]) -> Path:
    return write_csv(path, STAFFEL_HEADER, [[k, "A", "", "", "nee", "", 1000] for k in keys])


def zorginkoop(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "toolkit.cli", *args], capture_output=True, text=True, cwd=cwd,
                          env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])})


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- what is written -------------------------------------------------------------------------------------

def test_one_workbook_per_key_with_inputs_in_the_named_cells(tmp_path: Path) -> None:
    inputs = write_csv(tmp_path / "in.csv", ["aanbieder", "jaar", "soort", "postcodes", "clienten"], [
        ["X", 2027, "nieuw", "5611 ab", 4], ["X", "", "", "5612", 1], ["X", "", "", 5613, 2],
        ["Y", 2026, "existing", "1234", 3],
    ])
    result = fill("cz_ratio", inputs, tmp_path / "out")
    assert [c.file for c in result.cases] == ["X.xlsx", "Y.xlsx"]
    wb = load_workbook(tmp_path / "out" / "X.xlsx")
    assert wb.calculation.fullCalcOnLoad
    invoer = wb["Invoer"]
    assert invoer["B3"].value == "X" and invoer["B4"].value == 2027 and invoer["B5"].value == "nieuw"
    assert [invoer[f"B{r}"].value for r in range(15, 19)] == ["5611 ab", "5612", "5613", None]
    assert [invoer[f"C{r}"].value for r in range(15, 19)] == [4, 1, 2, None]
    assert all(invoer[f"B{r}"].data_type == "s" for r in range(15, 18))
    assert load_workbook(tmp_path / "out" / "Y.xlsx")["Invoer"]["B5"].value == "bestaand"
    with open(tmp_path / "out" / "summary.csv", encoding="utf-8") as handle:
        summary = list(csv.reader(handle))
    assert summary[0][:5] == ["sleutel", "status", "reden", "bestand", "rijen"]
    row = dict(zip(summary[0], summary[1], strict=True))
    assert row["out_clienten"] == "7" and row["out_voldoet"] == "FALSE" and row["out_extra_clienten"] == "2"
    assert float(row["out_ratio"]) == pytest.approx(7 / 3) and row["out_drempel"] == "3"
    assert row["rijen"] == "2,3,4"
    summary_xlsx = load_workbook(tmp_path / "out" / "summary.xlsx").active
    xlsx = list(summary_xlsx.iter_rows(values_only=True))
    assert xlsx[0][:2] == ("aanbieder", "Status")  # the key first, Dutch headers (the labels describe shows)
    assert xlsx[1][0] == "X" and xlsx[1][xlsx[0].index("Cliënten per postcodegebied")] == pytest.approx(7 / 3)
    assert summary_xlsx.freeze_panes == "B2" and summary_xlsx.auto_filter.ref


@pytest.mark.parametrize(("name", "sheet"), [("cz_ratio", "Te schrappen postcodegebieden"),
                                             ("eigen_levering", "Aandeel eigen levering per…")])
def test_a_range_output_sheet_is_named_in_words_not_cut_mid_word(tmp_path: Path, name: str, sheet: str) -> None:
    # Excel allows 31 characters: cut there, the names read "… postcodegebieden (" and "… per kwar".
    fill(name, Path(f"examples/invoer/{name}.csv"), tmp_path / "out")
    assert load_workbook(tmp_path / "out" / "summary.xlsx", read_only=True).sheetnames == ["Samenvatting", sheet]


def test_summary_formats_money_and_percentages(tmp_path: Path) -> None:
    inputs = write_csv(tmp_path / "in.csv", STAFFEL_HEADER, [["a", "B", "", "6", "nee", "450.000", "50.000"]])
    fill("staffel", inputs, tmp_path / "out")
    sheet = load_workbook(tmp_path / "out" / "summary.xlsx").active
    header = [c.value for c in sheet[1]]
    money = sheet.cell(row=2, column=header.index("Vergoeding (€)") + 1)
    share = sheet.cell(row=2, column=header.index("Vergoedingspercentage") + 1)
    assert money.value == 42500 and "€" in money.number_format  # 450.000 and 50.000 are thousands
    assert share.value == 0.85 and share.number_format.endswith("%")
    with open(tmp_path / "out" / "summary.csv", encoding="utf-8") as handle:
        row = dict(zip(*list(csv.reader(handle)), strict=True))
    assert row["out_vergoeding"] == "42500.00" and row["out_percentage"] == "0.85"


def test_filled_copy_differs_from_the_template_only_in_the_input_sheet(tmp_path: Path) -> None:
    inputs = staffel_inputs(tmp_path / "in.csv", ["a"])
    fill("staffel", inputs, tmp_path / "out")
    template = TemplateFile.open("staffel")
    with zipfile.ZipFile(tmp_path / "out" / "a.xlsx") as filled, zipfile.ZipFile(template.path) as original:
        assert filled.testzip() is None
        assert filled.namelist() == original.namelist()
        changed = [n for n in filled.namelist() if filled.read(n) != original.read(n)]
    # The inputs, and the cached results of the outputs (for previews that do not calculate).
    assert changed == sorted([template.input_part, template.output_part], key=filled.namelist().index)
    uitkomst = load_workbook(tmp_path / "out" / "a.xlsx", data_only=True)["Uitkomst"]
    assert uitkomst["B5"].value == 0.9 and uitkomst["B7"].value == "ja"  # out_percentage, out_in_aanmerking


def test_summary_xlsx_reads_as_a_controller_expects(tmp_path: Path) -> None:
    """ja/nee, values that do not apply left empty with the reason beside them, the months as columns on a
    sheet of their own, the INPUTS rows as 2–13; summary.csv keeps TRUE/FALSE and plain numbers."""
    fill("plafond", Path("examples/invoer/plafond.csv"), tmp_path / "out")
    wb = load_workbook(tmp_path / "out" / "summary.xlsx")
    assert wb.sheetnames == ["Samenvatting", "Cumulatieve productie (€)"]
    sheet = wb["Samenvatting"]
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, r, strict=True)) for r in sheet.iter_rows(min_row=2, values_only=True)]
    request = "Verzoek om aanvullend budget mogelijk"
    assert {r[request] for r in rows} <= {"ja", "nee"} and {r[request] for r in rows} == {"ja", "nee"}
    assert {r["Status"] for r in rows} == {"ingevuld"}  # a word for the reader; summary.csv keeps "ok"
    for row in rows:
        if row[request] == "nee":  # no expected reimbursement where no request can be sent, and why not
            assert row["Verwachte vergoeding op het tekort (€)"] is None and row["Toelichting"]
        else:
            assert row["Verwachte vergoeding op het tekort (€)"] > 0
    assert rows[0]["Rijen in invoer"] == "2–13"
    assert not [v for r in rows for v in r.values() if isinstance(v, bool) or v in ("WAAR", "ONWAAR")]
    months = wb["Cumulatieve productie (€)"]
    assert [c.value for c in months[1]][1:] == ["januari", "februari", "maart", "april", "mei", "juni", "juli",
                                                "augustus", "september", "oktober", "november", "december"]
    assert "€" in months["B2"].number_format and isinstance(months["M2"].value, float | int)
    for ws in wb.worksheets:
        assert ws.page_setup.orientation == "landscape" and ws.print_title_rows and ws.print_area
    with open(tmp_path / "out" / "summary.csv", encoding="utf-8") as handle:
        table = list(csv.DictReader(handle))
    assert {r["out_mag_aanvragen"] for r in table} == {"TRUE", "FALSE"}


def test_summary_csv_writes_a_negative_share_as_a_number(tmp_path: Path) -> None:
    """The correction of the night-care index is negative when the definitive index is below the
    preliminary one: a number, never the text '-0.00259 that the formula guard would make of it."""
    header = ["aanbieder", "begroting", "pers_voorlopig_t", "mat_voorlopig_t", "pers_voorlopig_t1",
              "mat_voorlopig_t1", "pers_definitief_t1", "mat_definitief_t1"]
    inputs = write_csv(tmp_path / "in.csv", header, [["a", "346000", "0,0472", "0,0449", "0,0309", "0,0375", "0,028",
                                                       "0,0184"]])
    fill("nachtzorg", inputs, tmp_path / "out")
    text = (tmp_path / "out" / "summary.csv").read_text(encoding="utf-8")
    row = next(csv.DictReader(text.splitlines()))
    assert row["out_correctie"].startswith("-0.00") and Decimal(row["out_correctie"]) < 0
    assert "'-" not in text


def test_a_filled_ratio_workbook_prints_and_charts_the_rows_it_holds(tmp_path: Path) -> None:
    rows = [["X", f"{5000 + i}", i % 3 + 1] for i in range(57)] + [["Y", "5611", 4]]
    inputs = write_csv(tmp_path / "in.csv", ["aanbieder", "postcodes", "clienten"], rows)
    fill("cz_ratio", inputs, tmp_path / "out")
    for key, used in (("X", 57), ("Y", 1)):
        with zipfile.ZipFile(tmp_path / "out" / f"{key}.xlsx") as archive:
            workbook = archive.read("xl/workbook.xml").decode()
            chart = archive.read("xl/charts/chart1.xml").decode()
        last = 14 + used
        assert f"'Invoer'!$A$1:$D${last}<" in workbook, re.findall(r"Print_Area[^<]*<", workbook)
        assert f"'Invoer'!$B$15:$B${last}<" in chart and f"'Invoer'!$C$15:$C${last}<" in chart
        assert "$54<" not in chart


def test_check_says_rows_added_after_the_fill_miss_the_chart_and_the_printout(tmp_path: Path) -> None:
    """Found by a helper: two postcodes typed below the three that fill wrote (the guide allows changing inputs)
    got "de reeksen of categorieën van de grafiek wijken af van het sjabloon", which reads as tampering."""
    from toolkit.workbook.check import check_workbook

    rows = [["X", f"{5000 + i}", 4] for i in range(3)] + [["Y", f"{5000 + i}", 4] for i in range(5)]
    fill("cz_ratio", write_csv(tmp_path / "in.csv", ["aanbieder", "postcodes", "clienten"], rows), tmp_path / "out")
    # Y's workbook with the chart as fill fitted it to X's three rows: five rows of inputs, three charted.
    with zipfile.ZipFile(tmp_path / "out" / "X.xlsx") as fewer:
        chart = fewer.read("xl/charts/chart1.xml")
    with zipfile.ZipFile(tmp_path / "out" / "Y.xlsx") as five, \
            zipfile.ZipFile(tmp_path / "added.xlsx", "w", zipfile.ZIP_DEFLATED) as added:
        for item in five.infolist():
            added.writestr(item, chart if item.filename == "xl/charts/chart1.xml" else five.read(item))
    lines = [f.line() for f in check_workbook(tmp_path / "added.xlsx").findings if f.kind == "grafiek"]
    assert lines == ["grafiek: Uitkomst!C17: de grafiek toont de invoer tot rij 17, de invoer loopt nu tot rij 19: "
                     "rijen die na het vullen zijn toegevoegd, staan niet in de grafiek en niet op de afdruk; vul de "
                     "werkmap opnieuw met zorginkoop fill"], lines
    assert check_workbook(tmp_path / "out" / "Y.xlsx").ok


def test_workers_are_bounded_by_the_work_and_the_pool(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Found by a helper: --workers 3000 forked 3,000 processes for 50 chunks of work (11 GB)."""
    from toolkit.workbook import fill as filling

    started: list[int] = []
    real = filling.ProcessPoolExecutor

    def pool(max_workers: int, **kwargs: Any) -> Any:
        started.append(max_workers)
        return real(max_workers=max_workers, **kwargs)

    monkeypatch.setattr(filling, "ProcessPoolExecutor", pool)
    inputs = staffel_inputs(tmp_path / "in.csv", [f"k{i:03d}" for i in range(80)])
    fill("staffel", inputs, tmp_path / "out", workers=filling.MAX_WORKERS)
    assert started and started[0] <= 10, started  # 80 keys are 10 chunks of 8
    result = zorginkoop("fill", "staffel", str(inputs), "--out", str(tmp_path / "te_veel"), "--workers", "3000")
    assert result.returncode == 1 and result.stderr.strip() == "fout: --workers: 3000 processen; kies 1 t/m 61"
    assert not (tmp_path / "te_veel").exists()


@pytest.mark.parametrize("command", [["fill", "staffel", "IN"], ["demo"], ["sjablonen"]])
def test_an_empty_out_folder_is_refused_not_read_as_the_current_one(tmp_path: Path, command: list[str]) -> None:
    """Found by a helper: `--out ''` wrote into the current folder ("5 werkmappen geschreven in .")."""
    inputs = staffel_inputs(tmp_path / "in.csv", ["a"])
    args = [str(inputs) if a == "IN" else a for a in command]
    result = zorginkoop(*args, "--out", " ", cwd=tmp_path)
    assert result.returncode == 2 and "'--out': een lege naam; geef de naam van een map" in result.stderr, result
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]


def test_parallel_and_serial_write_the_same_workbooks(tmp_path: Path) -> None:
    keys = [f"k{i:03d}" for i in range(80)]
    inputs = staffel_inputs(tmp_path / "in.csv", keys)
    fill("staffel", inputs, tmp_path / "serial", workers=1)
    fill("staffel", inputs, tmp_path / "parallel", workers=2)
    for key in keys:
        with zipfile.ZipFile(tmp_path / "serial" / f"{key}.xlsx") as a, \
                zipfile.ZipFile(tmp_path / "parallel" / f"{key}.xlsx") as b:
            assert {n: a.read(n) for n in a.namelist()} == {n: b.read(n) for n in b.namelist()}


# --- injection ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", INJECTIONS)
def test_text_never_becomes_a_formula(tmp_path: Path, text: str) -> None:
    inputs = write_csv(tmp_path / "in.csv", STAFFEL_HEADER, [
        [text, "A", "", "", "nee", "", 1000],  # as a key: into the workbook, the summary and a file name
        ["ok", text, "", "", "nee", "", 1000],  # as a score: rejected, and quoted in the reason
    ])
    result = fill("staffel", inputs, tmp_path / "out", skip_invalid=True)
    written = next(c for c in result.cases if c.file)
    cell = load_workbook(tmp_path / "out" / written.file)["Invoer"]["B3"]
    assert cell.value == text and cell.data_type == "s"
    sheet = load_workbook(tmp_path / "out" / "summary.xlsx").active
    cells = [c for row in sheet.iter_rows() for c in row if c.value is not None]
    assert not [c for c in cells if c.data_type == "f"]
    assert any(c.value == text for c in cells)
    with open(tmp_path / "out" / "summary.csv", encoding="utf-8") as handle:
        for row in csv.reader(handle):
            assert not any(v.startswith(("=", "+", "-", "@")) for v in row), row
    rejected = next(c for c in result.cases if c.error)
    assert "score_vorig_jaar" in rejected.error


def test_a_key_with_many_bad_rows_fits_a_cell(tmp_path: Path) -> None:
    """A key of 2,000 rows with a bad count in each: its reason names the first 20 and how many more (it
    was 178,000 characters, in a row 39,993 points high: Excel holds 32,767 characters in a cell and rows of
    409 points, and 'repairs' a file with more)."""
    rows = [["A", 2027, "bestaand", 1000 + i, f"{i},5"] for i in range(2000)] + [["B", 2027, "bestaand", 5611, 40]]
    inputs = write_csv(tmp_path / "in.csv", ["aanbieder", "jaar", "soort", "postcodes", "clienten"], rows)
    result = fill("cz_ratio", inputs, tmp_path / "out", skip_invalid=True)
    refused = next(c for c in result.cases if c.error)
    assert refused.error.count("is geen geheel getal") == 20 and refused.error.endswith("en nog 1980 fouten")
    assert "rij 2, kolom 'clienten': '0,5'" in refused.error and "rij 22," not in refused.error
    with zipfile.ZipFile(tmp_path / "out" / "summary.xlsx") as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    assert max(len(t) for t in re.findall(r"<t[^>]*>(.*?)</t>", sheet, re.S)) < 32_767
    heights = [float(h) for h in re.findall(r'<row [^>]*?\bht="([^"]+)"', sheet)]
    assert heights and max(heights) == 409
    reread = load_workbook(tmp_path / "out" / "summary.xlsx").active
    assert reread is not None and reread["B2"].value == "afgewezen"


def test_summary_cells_hold_what_excel_holds() -> None:
    """Any text longer than an Excel cell holds (a path of megabytes in a message) is cut, and says so."""
    from toolkit.workbook.summary import _within_a_cell

    assert _within_a_cell("a" * 32_767) == "a" * 32_767
    for text in ("a" * 40_000, "😀" * 20_000, "a" + "😀" * 17_000):
        cut = _within_a_cell(text)
        assert len(cut.encode("utf-16-le")) // 2 <= 32_767 and cut.endswith("summary.csv heeft de hele tekst)")
        assert text.startswith(cut[:cut.index(" … (ingekort")])


def test_csv_safe_and_file_names() -> None:
    assert csv_safe("=1+1") == "'=1+1" and csv_safe("-2") == "'-2" and csv_safe("gewoon") == "gewoon"
    assert csv_safe(-2) == -2 and csv_safe("-") == "-"
    assert safe_file_name('a/b\\c:d*e?"f<g>h|i') == "a_b_c_d_e__f_g_h_i"
    assert safe_file_name("CON") == "_CON" and safe_file_name("..") == "_"
    # Not hidden (.), not taken for Excel's lock file (~$), no Windows device (also with a superscript digit).
    for key, name in ((".verborgen", "_.verborgen"), ("../boven", "_.._boven"), ("~$slot", "_~$slot"),
                      ("COM¹", "_COM¹"), ("lpt³.txt", "_lpt³.txt"), ("CONIN$", "_CONIN$"), ("Zorg ~$", "Zorg ~$")):
        assert safe_file_name(key) == name, key


# --- never lose or overwrite anything ----------------------------------------------------------------------

def test_no_overwrite_without_force_and_inputs_untouched(tmp_path: Path) -> None:
    inputs = staffel_inputs(tmp_path / "in.csv", ["a", "b"])
    before = digest(inputs)
    fill("staffel", inputs, tmp_path / "out")
    stamp = (tmp_path / "out" / "a.xlsx").stat().st_mtime_ns
    result = zorginkoop("fill", "staffel", str(inputs), "--out", str(tmp_path / "out"))
    assert result.returncode == 1 and "--force" in result.stderr and "Traceback" not in result.stderr
    assert "a.xlsx en nog 3 bestaan al" in result.stderr, result.stderr
    assert (tmp_path / "out" / "a.xlsx").stat().st_mtime_ns == stamp
    assert zorginkoop("fill", "staffel", str(inputs), "--out", str(tmp_path / "out"), "--force").returncode == 0
    assert (tmp_path / "out" / "a.xlsx").stat().st_mtime_ns != stamp
    assert digest(inputs) == before
    assert not list((tmp_path / "out").glob(".~*"))


def test_workbooks_a_run_did_not_write_are_named_never_removed(tmp_path: Path) -> None:
    """A second run with fewer keys into the same folder leaves the earlier keys' workbooks: they stand
    beside a summary that does not list them, so the run says so (and leaves them: they may be someone's
    work). Excel's lock file, the summary and the INPUTS file itself are not such workbooks."""
    out = tmp_path / "out"
    fill("staffel", staffel_inputs(tmp_path / "in.csv", ["a", "b", "c", "d", "e"]), out)
    assert fill("staffel", staffel_inputs(tmp_path / "in.csv", ["a", "b", "c", "d", "e"]), out, force=True).notes == ()
    (out / "~$a.xlsx").write_bytes(b"lock")
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(STAFFEL_HEADER)
    book.active.append(["a", "A", None, None, "nee", None, 1000])
    fewer = out / "invoer.xlsx"
    book.save(fewer)
    result = fill("staffel", fewer, out, force=True)
    assert result.notes == (f"{out} bevat ook 4 werkmappen die deze run niet schreef (b.xlsx, c.xlsx, d.xlsx en "
                            "nog 1); die staan niet in de samenvatting",)
    assert sorted(p.name for p in out.glob("*.xlsx")) == ["a.xlsx", "b.xlsx", "c.xlsx", "d.xlsx", "e.xlsx",
                                                          "invoer.xlsx", "summary.xlsx", "~$a.xlsx"]
    for name in ("c", "d", "e"):
        (out / f"{name}.xlsx").unlink()
    # Found by an attack: a folder or a broken link named .xlsx, and a link to a workbook this run wrote,
    # are no workbooks it did not write; KOPIE.XLSX is one.
    (out / "map.xlsx").mkdir()
    (out / "weg.xlsx").symlink_to(out / "nergens.xlsx")
    (out / "zelfde.xlsx").symlink_to(out / "a.xlsx")
    (out / "KOPIE.XLSX").write_bytes((out / "a.xlsx").read_bytes())
    assert fill("staffel", fewer, out, force=True).notes == (
        f"{out} bevat ook 2 werkmappen die deze run niet schreef (KOPIE.XLSX, b.xlsx); die staan niet in de "
        "samenvatting",)
    (out / "KOPIE.XLSX").unlink()
    cli = zorginkoop("fill", "staffel", str(fewer), "--out", str(out), "--force")
    assert cli.returncode == 0 and cli.stderr == (f"let op: {out} bevat ook een werkmap die deze run niet schreef "
                                                  "(b.xlsx); die staat niet in de samenvatting\n"), cli.stderr


def test_a_forced_run_that_stops_halfway_leaves_no_summary_of_the_earlier_run(tmp_path: Path,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """The earlier summary would say the old values beside workbooks this run already replaced."""
    import toolkit.workbook.fill as filling

    out = tmp_path / "out"
    fill("staffel", staffel_inputs(tmp_path / "in.csv", ["a", "b", "c"]), out)
    assert (out / "summary.csv").exists()
    written: list[Path] = []
    real = filling.write_atomically

    def stops_after_one(path: Path, content: Any, **options: Any) -> Path:
        if written:
            raise filling.Interrupted()
        written.append(real(path, content, **options))
        return written[-1]

    monkeypatch.setattr(filling, "write_atomically", stops_after_one)
    with pytest.raises(filling.Interrupted) as stop:
        fill("staffel", staffel_inputs(tmp_path / "nieuw.csv", ["a", "b", "c"]), out, force=True, workers=1)
    assert written == [out / "a.xlsx"]
    assert not (out / "summary.csv").exists() and not (out / "summary.xlsx").exists()
    assert not list(out.glob(".~*"))
    assert stop.value.summary_removed  # the CLI says the earlier summary was removed ...
    written.clear()
    with pytest.raises(filling.Interrupted) as again:
        fill("staffel", staffel_inputs(tmp_path / "nieuw.csv", ["a", "b", "c"]), out, force=True, workers=1)
    assert not again.value.summary_removed  # ... only when there was one (found by review)
    # Stopped after the summary was written (found by review: it said none was).
    monkeypatch.setattr(filling, "write_atomically", real)

    def stop_at_the_end(*_args: Any) -> list[str]:
        raise filling.Interrupted()

    monkeypatch.setattr(filling, "_workbooks_not_written", stop_at_the_end)
    with pytest.raises(filling.Interrupted) as late:
        fill("staffel", staffel_inputs(tmp_path / "nieuw.csv", ["a", "b", "c"]), out, force=True, workers=1)
    assert late.value.summary_written and (out / "summary.csv").exists()


def test_an_existing_summary_also_blocks(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "summary.csv").write_text("eigen werk", encoding="utf-8")
    with pytest.raises(InputError, match=r"summary\.csv"):
        fill("staffel", staffel_inputs(tmp_path / "in.csv", ["a"]), tmp_path / "out")
    assert (tmp_path / "out" / "summary.csv").read_text(encoding="utf-8") == "eigen werk"
    assert not (tmp_path / "out" / "a.xlsx").exists()


def test_killed_mid_batch_leaves_no_half_written_workbook(tmp_path: Path) -> None:
    header = ["aanbieder", "jaar", "soort", "postcodes", "clienten"]
    rows = [[f"p{k:04d}", 2027, "bestaand", str(1000 + i), 1] for k in range(3000) for i in range(3)]
    inputs = write_csv(tmp_path / "in.csv", header, rows)
    out = tmp_path / "out"
    process = subprocess.Popen([sys.executable, "-m", "toolkit.cli", "fill", "cz_ratio", str(inputs), "--out", str(out),
                                "--workers", "1"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])})
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(list(out.glob("*.xlsx"))) < 20:
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    written = list(out.glob("*.xlsx"))
    assert 20 <= len(written) < 3000, "the kill must land mid-batch"
    for path in written:
        with zipfile.ZipFile(path) as archive:
            assert archive.testzip() is None, path
    assert not (out / "summary.csv").exists()
    assert all((p.name.startswith(".~") and p.suffix == ".tmp") or p.name == ".zorginkoop.lock"
               for p in out.iterdir() if p.suffix != ".xlsx")


# --- bad rows --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("row", "column", "value"), [
    (["a", "D", "", "", "nee", "", 1000], "score_vorig_jaar", "'D'"),
    (["a", "A", "", "", "nee", "", "duizend"], "aanvullend_budget", "'duizend'"),
    (["a", "A", "", "", "misschien", "", 1000], "plafondvrij", "'misschien'"),
    (["a", "B", "", "", "nee", "", 1000], "kostenpunten", "score B"),
    (["", "A", "", "", "nee", "", 1000], "naam", "sleutel ontbreekt"),
    (["a", "A", "", "", "nee", "", -5], "aanvullend_budget", "'-5'"),
])
def test_bad_row_names_file_row_column_and_value(tmp_path: Path, row: list[Any], column: str, value: str) -> None:
    inputs = write_csv(tmp_path / "in.csv", STAFFEL_HEADER, [["ok", "A", "", "", "nee", "", 10], row])
    result = zorginkoop("fill", "staffel", str(inputs), "--out", str(tmp_path / "out"))
    assert result.returncode == 1, result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("fout: ") and str(inputs) in line and "rij 3" in line
    assert column in line and value in line
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())
    skipped = fill("staffel", inputs, tmp_path / "skip", skip_invalid=True)
    assert [c.key for c in skipped.cases if c.file] == ["ok"]
    summary = (tmp_path / "skip" / "summary.csv").read_text(encoding="utf-8")
    assert "afgewezen" in summary and value.strip("'") in summary


@pytest.mark.parametrize(("rows", "said"), [
    ([["A", 2027, "bestaand", "5611", 3], ["A", "", "", "5612", 2], ["A", "", "", "0612", 1]],
     "rij 4: postcode '0612' is geen geldige PC4"),
    ([["A", 2027, "bestaand", "5611", 3], ["A", "", "", "5612", ""]],
     "rij 3, kolom 'clienten': postcode '5612' heeft geen aantal cliënten"),
    ([["A", 2027, "bestaand", "5611", 3], ["A", "", "", "", 4]], "rij 3, kolom 'clienten': '4' heeft geen postcode"),
])
def test_a_bad_row_of_a_range_is_named_by_its_row_in_the_file_alone(tmp_path: Path, rows: list[list[Any]],
                                                                   said: str) -> None:
    """Found by a helper: "rij 4: postcode '0612' in rij 3": the file's row, then the row within the key's range."""
    inputs = write_csv(tmp_path / "in.csv", ["aanbieder", "jaar", "soort", "postcodes", "clienten"], rows)
    result = zorginkoop("fill", "cz_ratio", str(inputs), "--out", str(tmp_path / "out"))
    assert result.returncode == 1 and result.stderr.startswith(f"fout: {inputs}, {said}"), result.stderr
    assert result.stderr.count("rij ") == 1


def test_an_error_value_in_a_cell_of_inputs_is_refused_not_read_as_empty(tmp_path: Path) -> None:
    """Found by a helper: #N/A in an optional column (productieafspraak) was read as empty, and the staffel
    answered as if no production agreement had been given."""
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append(STAFFEL_HEADER)
    wb.active.append(["a", "B", "", 6, "nee", "#N/A", 1000])
    wb.active["F2"].data_type = "e"
    wb.save(tmp_path / "invoer.xlsx")
    result = zorginkoop("fill", "staffel", str(tmp_path / "invoer.xlsx"), "--out", str(tmp_path / "out"))
    assert result.returncode == 1 and result.stderr.strip() == (
        f"fout: {tmp_path / 'invoer.xlsx'}: rij 2, kolom 'productieafspraak': de cel geeft de foutwaarde #N/B; typ "
        "een waarde of maak de cel leeg"), result.stderr
    assert not (tmp_path / "out").exists()


def test_hidden_columns_and_rows_of_no_height_in_inputs_are_read_and_said(tmp_path: Path) -> None:
    """Found by a helper: a hidden row got a note, a hidden column (or a row of height 0) none; their values
    count all the same, so a reader of the sheet who does not see them is told."""
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append(STAFFEL_HEADER)
    wb.active.append(["Z2", "A", "", "", "nee", 50_000, 1000])
    wb.active.append(["Z3", "B", "", 6, "nee", "", 1000])
    wb.active.column_dimensions["F"].hidden = True
    wb.save(tmp_path / "verborgen.xlsx")
    with zipfile.ZipFile(tmp_path / "verborgen.xlsx") as source, \
            zipfile.ZipFile(tmp_path / "laag.xlsx", "w") as low:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":  # row 3 given a height of 0 (openpyxl leaves it out)
                data = data.replace(b'<row r="3"', b'<row r="3" ht="0" customHeight="1"', 1)
            low.writestr(item, data)
    result = zorginkoop("fill", "staffel", str(tmp_path / "laag.xlsx"), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert f"let op: {tmp_path / 'laag.xlsx'}: kolom 'productieafspraak' (F) is verborgen en wordt toch gelezen" \
        in result.stderr, result.stderr
    assert "rij 3 is verborgen" in result.stderr, result.stderr


def test_merged_cells_in_inputs_are_refused_not_read_as_empty(tmp_path: Path) -> None:
    """Found by a helper: a score merged over two keys' rows showed 'A' beside both in Excel, but the file
    holds it in the first cell only; the second key got no score without a word."""
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append(STAFFEL_HEADER)
    wb.active.append(["Z2", "A", "", "", "nee", "", 1000])
    wb.active.append(["Z3", "B", "", 6, "nee", "", 1000])
    wb.active.merge_cells("B2:B3")
    wb.save(tmp_path / "invoer.xlsx")
    result = zorginkoop("fill", "staffel", str(tmp_path / "invoer.xlsx"), "--out", str(tmp_path / "out"))
    assert result.returncode == 1 and result.stderr.strip() == (
        f"fout: {tmp_path / 'invoer.xlsx'}: de cellen B2:B3 zijn samengevoegd: het bestand heeft alleen in B2 een "
        "waarde, de andere cellen zijn leeg; maak de cellen los en vul elke cel"), result.stderr


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_title_above_the_column_names_is_said_as_such(tmp_path: Path, suffix: str) -> None:
    """Found by a helper: a title row above the header gave "rij 3: meer waarden dan kolommen ('Score vorig
    jaar')"; claim files already said where the column names are and what to remove."""
    import openpyxl

    rows = [["Overzicht scenario's 2027", None], [None], ["Scenario", "Score vorig jaar", "Plafondvrij",
                                                          "Aanvullend budget"], ["Basis", "A", "nee", "10.000"]]
    inputs = tmp_path / f"titel{suffix}"
    if suffix == ".csv":
        inputs.write_text("\n".join(";".join("" if c is None else c for c in row) for row in rows), encoding="utf-8")
    else:
        wb = openpyxl.Workbook()
        for row in rows:
            wb.active.append(row)
        wb.save(inputs)
    result = zorginkoop("fill", "staffel", str(inputs), "--out", str(tmp_path / "out"))
    assert result.returncode == 1 and result.stderr.strip() == (
        f"fout: {inputs}: de kolomnamen staan op rij 3, niet op rij 1: verwijder rijen 1 t/m 2 (een titel?), zodat "
        "de kolomnamen bovenaan staan"), result.stderr
    # A data row with more values than the header has columns is still that, not a title; also one of texts
    # only below rows of data (found by a review: "verwijder rijen 1 t/m 3" would have removed the header).
    plain = write_csv(tmp_path / "breed.csv", ["naam", "score_vorig_jaar"], [["a", "A", "nee", "1000"]])
    wide = zorginkoop("fill", "staffel", str(plain), "--out", str(tmp_path / "out"))
    assert wide.returncode == 1 and "rij 2: meer waarden dan kolommen ('nee')" in wide.stderr, wide.stderr
    texts = write_csv(tmp_path / "teksten.csv", ["naam", "score_vorig_jaar"], [["a", "A"], ["b", "B"],
                                                                              ["c", "A", "nee", "ja"]])
    below = zorginkoop("fill", "staffel", str(texts), "--out", str(tmp_path / "out"))
    assert below.returncode == 1 and "rij 4: meer waarden dan kolommen ('nee')" in below.stderr, below.stderr


@pytest.mark.parametrize(("header", "rows", "message"), [
    (["naam", "score_vorig_jaar", "onbekend"], [["a", "A", 1]], "onbekend"),
    (["naam", "score_vorig_jaar"], [["a", "A"]], "aanvullend_budget"),
    (["naam"], [], "geen rijen"),
])
def test_bad_columns(tmp_path: Path, header: list[str], rows: list[list[Any]], message: str) -> None:
    inputs = write_csv(tmp_path / "in.csv", header, rows)
    with pytest.raises(InputError, match=message):
        fill("staffel", inputs, tmp_path / "out")


def test_range_input_longer_than_the_template(tmp_path: Path) -> None:
    rows = [["a", 2027 if i == 0 else "", "bestaand" if i == 0 else "", str(1000 + i), 1] for i in range(2001)]
    inputs = write_csv(tmp_path / "in.csv", ["aanbieder", "jaar", "soort", "postcodes", "clienten"], rows)
    with pytest.raises(InputError, match="meer dan 2000 rijen"):
        fill("cz_ratio", inputs, tmp_path / "out")


def test_xlsx_inputs_and_key_option(tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["begroting", "scenario", "pers_voorlopig_t", "mat_voorlopig_t", "pers_voorlopig_t1",
               "mat_voorlopig_t1", "pers_definitief_t1", "mat_definitief_t1", "zvw_aandeel", "methode"])
    ws.append([1_000_000, "basis", 0.03, 0.03, 0.025, 0.025, 0.032, 0.032, 0.85, "multiplicatief"])
    wb.save(tmp_path / "in.xlsx")
    result = fill("nachtzorg", tmp_path / "in.xlsx", tmp_path / "out", key="scenario")
    assert result.cases[0].file == "basis.xlsx"
    assert result.cases[0].outputs["out_vergoeding_zvw"] == Decimal("881479.02")


# --- describe, demo --------------------------------------------------------------------------------------------

def test_describe_lists_every_name_with_its_cell() -> None:
    result = zorginkoop("describe", "cz_ratio")
    assert result.returncode == 0, result.stderr
    for name in ("in_jaar", "in_postcodes", "out_ratio", "out_max_gebieden", "Invoer!B15:B2014", "Uitkomst!B"):
        assert name in result.stdout
    assert zorginkoop("describe", "bestaat_niet").returncode == 1


def test_demo_fills_every_template(tmp_path: Path) -> None:
    result = zorginkoop("demo", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    for name in SPECS:
        assert (tmp_path / "zorginkoop-demo" / name / "summary.xlsx").is_file()
        assert len(list((tmp_path / "zorginkoop-demo" / name).glob("Voorbeeldzorg *.xlsx"))) >= 4
    again = zorginkoop("demo", cwd=tmp_path)
    assert again.returncode == 1 and "--force" in again.stderr


# --- check ---------------------------------------------------------------------------------------------------

@pytest.fixture()
def filled_ratio(tmp_path: Path) -> Path:
    inputs = write_csv(tmp_path / "in.csv", ["aanbieder", "jaar", "soort", "postcodes", "clienten"],
                       [["X", 2027, "bestaand", "5611", 4], ["X", "", "", "5612", 1], ["X", "", "", "5613", 2]])
    fill("cz_ratio", inputs, tmp_path / "out")
    return tmp_path / "out" / "X.xlsx"


def _edit(path: Path, sheet: str, ref: str, value: Any) -> None:
    wb = load_workbook(path)
    wb[sheet][ref] = value
    wb.save(path)


def test_check_passes_an_untouched_copy(filled_ratio: Path) -> None:
    report = check_workbook(filled_ratio)
    assert report.ok, [f.line() for f in report.findings]
    assert report.recalculated  # fill wrote the Python engine's results as the cached values
    assert report.outputs["out_extra_clienten"] == 2


@pytest.mark.parametrize(("sheet", "ref", "value", "kind"), [
    ("Uitkomst", "B9", '="ja"', "formule"),  # out_voldoet forced to ja
    ("Uitkomst", "B7", 3, "formule"),  # the ratio typed over
    ("Berekening", "H20", "=0", "formule"),  # a helper row changed
    ("Bronnen", "B25", 2, "parameter"),  # the 2027 threshold lowered
])
def test_check_catches_edits(filled_ratio: Path, sheet: str, ref: str, value: Any, kind: str) -> None:
    if kind == "parameter":
        wb = load_workbook(filled_ratio)
        ((sheet, ref),) = [(s, r.replace("$", "")) for s, r in wb.defined_names["tab_threshold_existing"].destinations]
        ref = ref.split(":")[1]  # the last year in the table: 2027
    _edit(filled_ratio, sheet, ref, value)
    report = check_workbook(filled_ratio)
    assert not report.ok
    assert any(f.kind == kind and f"{sheet}!{ref}" in f.cell for f in report.findings), report.findings
    result = zorginkoop("check", str(filled_ratio))
    assert result.returncode == 1 and f"{sheet}!{ref}" in result.stdout


def test_a_long_formula_changed_far_in_is_shown_where_it_changed(filled_ratio: Path) -> None:
    """The first 60 characters of both would be alike; the line shows both from just before the change."""
    wb = load_workbook(filled_ratio)
    ((sheet, ref),) = wb.defined_names["calc_fout"].destinations
    formula = wb[sheet][ref.replace("$", "")].value
    assert isinstance(formula, str) and len(formula) > 200
    changed = formula[:150] + "X" + formula[151:]
    wb[sheet][ref.replace("$", "")] = changed
    wb.save(filled_ratio)
    (line,) = [f.line() for f in check_workbook(filled_ratio).findings if f.kind == "formule"]
    assert f"verwacht '…{formula[130:150]}{formula[150]}" in line and f"gevonden '…{changed[130:151]}" in line, line
    assert line.count("…") == 4  # cut before and after in both


def test_a_copy_of_another_template_version_is_said_first(filled_ratio: Path) -> None:
    """What changed in the template since is then no edit by anyone: the version says so before the rest."""
    from toolkit.workbook.specs import SPECS

    wb = load_workbook(filled_ratio)
    ((sheet, ref),) = wb.defined_names["zk_versie"].destinations
    ref = ref.replace("$", "")
    wb[sheet][ref] = "0.9"
    wb.save(filled_ratio)
    lines = [f.line() for f in check_workbook(filled_ratio).findings]
    assert len(lines) == 1, lines  # the version cell is not said a second time
    assert lines[0].startswith(f"versie: {sheet}!{ref}: de werkmap is gemaakt met een andere versie van het sjabloon "
                               "dan deze toolkit kent; de bevindingen hierna volgen daar grotendeels uit"), lines
    assert lines[0].endswith(f"(verwacht '{SPECS['cz_ratio'].version}', gevonden '0.9')"), lines[0]


def test_a_short_changed_formula_is_shown_whole() -> None:
    from toolkit.workbook.findings import shown_texts_apart

    assert shown_texts_apart("=A1+1", "=A1+2") == ("'=A1+1'", "'=A1+2'")
    assert shown_texts_apart("=A1\n" + "x" * 70, "=A1\n" + "x" * 69 + "y")[1].endswith("xxy'")


@pytest.mark.parametrize(("change", "said"), [
    (lambda ws: ws.delete_rows(2), "rij: Invoer!2:2: rij 2 van het sjabloon is verwijderd: wat eronder stond, "
                                   "staat een rij hoger;"),
    (lambda ws: ws.delete_rows(2, 2), "rij: Invoer!2:3: rijen 2–3 van het sjabloon zijn verwijderd: wat eronder "
                                      "stond, staat 2 rijen hoger;"),
    (lambda ws: (ws.insert_rows(5), ws.cell(5, 1, "mijn opmerking")), "rij: Invoer!5:5: rij 5 is ingevoegd: wat "
                                                                      "eronder staat, staat een rij lager"),
    # Within the range of postcodes: the rows are told by their numbers (1, 2, 3 in column A), not by text.
    (lambda ws: ws.delete_rows(20), "rij: Invoer!20:20: rij 20 van het sjabloon is verwijderd: wat eronder stond, "
                                    "staat een rij hoger;"),
    (lambda ws: ws.insert_rows(20, 2), "rij: Invoer!20:21: rijen 20–21 zijn ingevoegd: wat eronder staat, staat 2 "
                                       "rijen lager"),
])
def test_check_says_a_row_was_deleted_or_inserted_before_the_cells_it_moved(filled_ratio: Path, change: Any,
                                                                            said: str) -> None:
    """Every cell below a deleted or inserted row differs from the template; the row is said first, once."""
    wb = load_workbook(filled_ratio)
    change(wb["Invoer"])
    wb.save(filled_ratio)
    lines = [f.line() for f in check_workbook(filled_ratio).findings]
    assert lines[0].startswith(said), lines[:3]
    assert sum(1 for line in lines if line.startswith("rij:")) == 1 and len(lines) > 5


def test_check_sees_no_moved_rows_in_a_changed_or_moved_label(filled_ratio: Path) -> None:
    _edit(filled_ratio, "Invoer", "A4", "Andere tekst")
    lines = [f.line() for f in check_workbook(filled_ratio).findings]
    assert lines and not [line for line in lines if line.startswith("rij:")], lines
    wb = load_workbook(filled_ratio)  # a label moved down by hand, into the empty rows below it
    ws = wb["Invoer"]
    ws["A8"], ws["C8"], ws["A5"], ws["C5"] = ws["A5"].value, ws["C5"].value, None, None
    wb.save(filled_ratio)
    lines = [f.line() for f in check_workbook(filled_ratio).findings]
    assert lines and not [line for line in lines if line.startswith("rij:")], lines
    wb = load_workbook(filled_ratio)  # Instructie's rows sorted the other way round, its last label moved down
    ws = wb["Instructie"]
    texts = [(ws.cell(r, 1).value, ws.cell(r, 2).value) for r in range(4, 13)]
    for r, (a, b) in zip(range(4, 13), reversed(texts), strict=True):
        ws.cell(r, 1, a), ws.cell(r, 2, b)
    wb.save(filled_ratio)
    lines = [f.line() for f in check_workbook(filled_ratio).findings]
    assert not [line for line in lines if line.startswith("rij:")], lines


def test_check_says_a_renamed_sheet_and_compares_it_with_the_template_sheet(filled_ratio: Path,
                                                                           tmp_path: Path) -> None:
    """A renamed sheet is said as such, first among the workbook's findings, and its cells are compared with
    the template's sheet: not each of them 'on a sheet the template does not have' (2,000 findings)."""
    wb = load_workbook(filled_ratio)
    wb["Invoer"].title = "Gegevens"
    wb.save(filled_ratio)
    lines = [f.line() for f in check_workbook(filled_ratio).findings]
    assert lines[0] == ("werkmap: tabblad Gegevens: het tabblad heeft een andere naam dan in het sjabloon; formules en "
                        "namen die ernaar verwijzen, wijken daardoor ook af (verwacht 'Invoer', gevonden 'Gegevens')")
    assert not [line for line in lines if "tabblad dat het sjabloon niet heeft" in line] and len(lines) < 20, lines
    wb = load_workbook(filled_ratio)  # a sheet renamed and moved, or one added: the sheets differ, as before
    wb.move_sheet("Gegevens", offset=2)
    wb.save(tmp_path / "verplaatst.xlsx")
    lines = [f.line() for f in check_workbook(tmp_path / "verplaatst.xlsx").findings]
    assert lines[0].startswith("werkmap: tabbladen: de tabbladen wijken af van het sjabloon")
    assert [line for line in lines if "tabblad dat het sjabloon niet heeft" in line]
    wb = load_workbook(filled_ratio)  # a sheet deleted and another made in its place: no rename
    index = wb.sheetnames.index("Instructie")
    wb.remove(wb["Instructie"])
    wb.create_sheet("Notities", index)["A1"] = "eigen aantekeningen"
    wb.save(tmp_path / "vervangen.xlsx")
    lines = [f.line() for f in check_workbook(tmp_path / "vervangen.xlsx").findings]
    assert not [line for line in lines if "andere naam" in line], lines[:3]


def test_check_names_a_printed_year_that_the_year_cell_no_longer_says(filled_ratio: Path) -> None:
    """fill prints the key and policy year in the page header; a header cannot follow a cell, so a copy
    whose year was changed afterwards prints the old year. check says that, not only that the header
    differs; a header changed otherwise is still 'wijkt af'."""
    wb = load_workbook(filled_ratio)
    ((sheet, ref),) = [(s, r.replace("$", "")) for s, r in wb.defined_names["in_jaar"].destinations]
    assert wb["Invoer"].oddHeader.center.text == "X · beleidsjaar 2027"
    for year, printed in ((2026, 2027), (None, None)):  # empty: the year of the parameter data, 2027
        _edit(filled_ratio, sheet, ref, year)
        lines = [f.line() for f in check_workbook(filled_ratio).findings]
        stale = [line for line in lines if "kop" in line]
        if printed is None:
            assert stale == [], lines
        else:
            assert stale == [f"opmaak: {name}: de kop van de afgedrukte pagina's noemt beleidsjaar {printed}, niet het "
                             "jaar van de invoer (een kop volgt een gewijzigde cel niet); vul de werkmap opnieuw met "
                             "zorginkoop fill" for name in ("Invoer", "Uitkomst")], lines
    wb = load_workbook(filled_ratio)
    wb["Uitkomst"].oddHeader.center.text = "Y · beleidsjaar 2027"
    wb.save(filled_ratio)
    lines = [f.line() for f in check_workbook(filled_ratio).findings]
    assert [line for line in lines if "kop" in line] == ["opmaak: Uitkomst: kop- of voettekst wijkt af van het "
                                                         "sjabloon"], lines


def test_check_compares_saved_values(filled_ratio: Path, tmp_path: Path) -> None:
    """Saved values that differ from the rules (written into the file here by hand) are reported."""
    tampered = tmp_path / "tampered.xlsx"
    # out_clienten .. out_max_gebieden on Uitkomst!B5:B11; the rules give 7, 3, 7/3, 3, nee, 2, 2.
    saved = {"B5": "7", "B6": "3", "B7": "3.5", "B8": "3", "B9": "ja", "B10": "5", "B11": "2"}

    def with_value(match: re.Match[str]) -> str:
        ref, attributes, body = match.group(1), re.sub(r' t="[^"]*"', "", match.group(2)), match.group(3)
        formula = re.search(r"<f>.*?</f>", body)
        kind = ' t="str"' if ref == "B9" else ""
        return f'<c r="{ref}"{attributes}{kind}>{formula.group(0) if formula else ""}<v>{saved[ref]}</v></c>'

    with zipfile.ZipFile(filled_ratio) as source, zipfile.ZipFile(tampered, "w", zipfile.ZIP_DEFLATED) as target:
        uitkomst = _part_of(source, "Uitkomst")
        for info in source.infolist():
            data = source.read(info)
            if info.filename == uitkomst:
                refs = "|".join(saved)
                data = re.sub(rf'<c r="({refs})"((?: [a-z]+="[^"]*")*)>(.*?)</c>', with_value, data.decode()).encode()
            target.writestr(info, data)
    report = check_workbook(tampered)
    assert report.recalculated
    mismatched = {f.where for f in report.findings if f.kind == "uitkomst"}
    # out_ratio, out_voldoet, out_extra_clienten
    assert mismatched == {"Uitkomst!B7", "Uitkomst!B9", "Uitkomst!B10"}, report.findings
    assert {f.expected for f in report.findings} == {"2,33", "nee", "2"}  # as a Dutch reader writes them
    # A ratio with the decimals that tell the two apart (a new user saw 'verwacht 2,33333333333333').
    assert ("uitkomst: Uitkomst!B7: Cliënten per postcodegebied wijkt af van wat de toolkit berekent (verwacht "
            "2,33, gevonden 3,50)") in [f.line() for f in report.findings]
    assert not [f for f in report.findings if f.kind != "uitkomst"]


def _part_of(archive: zipfile.ZipFile, sheet: str) -> str:
    workbook = archive.read("xl/workbook.xml").decode()
    rid = re.search(rf'<sheet name="{sheet}"[^>]*r:id="(rId\d+)"', workbook).group(1)  # type: ignore[union-attr]
    rels = archive.read("xl/_rels/workbook.xml.rels").decode()
    target = re.search(rf'Target="([^"]+)" Id="{rid}"', rels).group(1)  # type: ignore[union-attr]
    return target.lstrip("/")


def test_formula_comparison_ignores_only_how_programs_save() -> None:
    assert same_formula('=IF(a=TRUE, "x y", $B$4)', '=if(A=TRUE(),"x y",$B$4)')
    assert same_formula("='Invoer'!$B$4*1E-9", "=Invoer!$B$4*0.000000001")
    assert not same_formula('=IF(A,"x y")', '=IF(A,"xy")')
    assert not same_formula("=$B$4", "=B4")
    assert same_formula("=STDEV.S(A1)", "=_xlfn.STDEV.S(A1)")
    assert not same_formula("=calc_fout", "=_xlfn.calc_fout")  # a reader sees #NAAM?
    assert not same_formula("=in_plafond", "=ın_plafond")  # a dotless ı is no i


def test_atomic_write_without_hard_links(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from toolkit.workbook import files

    def no_links(*_args: object, **_kwargs: object) -> None:
        raise PermissionError("hard links not supported")

    monkeypatch.setattr(files.os, "link", no_links)
    target = files.write_atomically(tmp_path / "a.txt", lambda p: p.write_text("x"), overwrite=False)
    assert target.read_text() == "x"
    with pytest.raises(InputError, match="bestaat al"):
        files.write_atomically(tmp_path / "a.txt", lambda p: p.write_text("y"), overwrite=False)
    assert target.read_text() == "x" and [p.name for p in tmp_path.iterdir()] == ["a.txt"]


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_workers_die_with_their_parent_and_leave_nothing_half_written(tmp_path: Path, sig: signal.Signals) -> None:
    inputs = staffel_inputs(tmp_path / "in.csv", [f"k{i:05d}" for i in range(3000)])
    out = tmp_path / "out"
    marker = str(out)  # the workers are forks of the parent: the same command line
    process = subprocess.Popen([sys.executable, "-m", "toolkit.cli", "fill", "staffel", str(inputs), "--out", marker,
                                "--workers", "2"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])})
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(list(out.glob("*.xlsx"))) < 100:
        time.sleep(0.05)
    process.send_signal(sig)
    _, stderr = process.communicate(timeout=30)  # the pipes close only when every worker is gone
    assert "Traceback" not in stderr
    if sig == signal.SIGTERM:
        assert process.returncode == 130 and "afgebroken" in stderr
    processes = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout.splitlines()
    survivors = [line for line in processes if marker in line]
    assert not survivors
    written = list(out.glob("*.xlsx"))
    assert 100 <= len(written) < 3000, "the signal must land mid-batch"
    for path in written:
        with zipfile.ZipFile(path) as archive:
            assert archive.testzip() is None, path
    assert not (out / "summary.csv").exists() and not (out / "summary.xlsx").exists()
    assert not list(out.glob(".~*"))


def test_ctrl_c_stops_the_workers_at_the_workbook_they_write(tmp_path: Path) -> None:
    """A worker that gets SIGTERM leaves at once: before, the pool took its SystemExit for the chunk's result
    and handed it the next queued chunk, which it wrote whole (a 40,000-key run went on for 7 s after Ctrl+C).
    Counted in workbooks written after the signal, not in seconds: a chunk here is 8,000 / 16 = 500."""
    inputs = staffel_inputs(tmp_path / "in.csv", [f"k{i:05d}" for i in range(8000)])
    out = tmp_path / "out"
    process = subprocess.Popen([sys.executable, "-m", "toolkit.cli", "fill", "staffel", str(inputs), "--out", str(out),
                                "--workers", "2"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])})
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(list(out.glob("*.xlsx"))) < 200:
        time.sleep(0.02)
    before = len(list(out.glob("*.xlsx")))
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    after = len(list(out.glob("*.xlsx")))
    assert process.returncode == 130 and "afgebroken" in stderr and "Traceback" not in stderr, stderr
    assert 200 <= before <= after < before + 250, (before, after)
    assert not list(out.glob(".~*")) and not (out / "summary.csv").exists()


def test_a_second_run_into_the_same_directory_is_refused(tmp_path: Path) -> None:
    from toolkit.workbook.files import OutputLock

    inputs = staffel_inputs(tmp_path / "in.csv", ["a"])
    with OutputLock(tmp_path / "out"):
        result = zorginkoop("fill", "staffel", str(inputs), "--out", str(tmp_path / "out"), "--force")
    assert result.returncode == 1 and "er loopt al een andere" in result.stderr
    assert zorginkoop("fill", "staffel", str(inputs), "--out", str(tmp_path / "out")).returncode == 0


def test_the_inputs_file_is_never_an_output(tmp_path: Path) -> None:
    from openpyxl import Workbook

    out = tmp_path / "out"
    out.mkdir()
    for name in ("a.xlsx", "summary.csv"):
        target = out / name
        if name.endswith(".csv"):
            staffel_inputs(target, ["a"])
        else:  # an xlsx INPUTS file named after one of its own keys
            wb = Workbook()
            wb.active.append(STAFFEL_HEADER)
            wb.active.append(["a", "A", "", "", "nee", "", 1000])
            wb.save(target)
        before = digest(target)
        result = zorginkoop("fill", "staffel", str(target), "--out", str(out), "--force")
        assert result.returncode == 1 and "invoerbestand" in result.stderr, result.stderr
        assert digest(target) == before
        target.unlink()


def test_keys_that_collide_on_disk_long_keys_and_disagreeing_rows(tmp_path: Path) -> None:
    import unicodedata

    nfc, nfd = unicodedata.normalize("NFC", "café"), unicodedata.normalize("NFD", "café")
    for keys in ([nfc, nfd], ["Jan", "JAN"]):
        with pytest.raises(InputError, match="dezelfde bestandsnaam"):
            fill("staffel", staffel_inputs(tmp_path / "in.csv", keys), tmp_path / "out")
    # Every collision at once, each with its row; nothing made, not even the --out folder (found by a helper).
    inputs = staffel_inputs(tmp_path / "botsing.csv", ["a/b", "a_b", ".", "..", "Summary", "A_B"])
    with pytest.raises(InputError) as refused:
        fill("staffel", inputs, tmp_path / "botsing")
    assert [line.split(": ", 1)[1].split(" (")[0] for line in str(refused.value).splitlines()] == [
        "sleutel 'a_b' geeft dezelfde bestandsnaam a_b.xlsx als sleutel 'a/b' op rij 2",
        "sleutel '..' geeft dezelfde bestandsnaam _.xlsx als sleutel '.' op rij 4",
        "sleutel 'Summary' geeft de bestandsnaam Summary.xlsx, die voor de samenvatting is",
        "sleutel 'A_B' geeft dezelfde bestandsnaam A_B.xlsx als sleutel 'a/b' op rij 2"]
    assert str(refused.value).startswith(f"{inputs}, rij 3: ") and not (tmp_path / "botsing").exists()
    long_key = "ë" * 99 + "x"  # the longest key allowed, in more bytes than a file name's key part
    result = fill("staffel", staffel_inputs(tmp_path / "in.csv", [long_key, long_key[:-1] + "y"]), tmp_path / "long")
    names = [c.file for c in result.cases]
    assert len(set(names)) == 2 and all(n and len(n.encode()) < 200 for n in names)
    again = fill("staffel", staffel_inputs(tmp_path / "in.csv", [long_key]), tmp_path / "long2")
    assert again.cases[0].file == names[0]  # a stable name: the same key gives the same file
    inputs = write_csv(tmp_path / "twee.csv", STAFFEL_HEADER, [["a", "A", "", "", "nee", "", 1000],
                                                               ["a", "B", "", "", "nee", "", 1000]])
    with pytest.raises(InputError, match=r"rij 3.*wijkt af van rij 2"):
        fill("staffel", inputs, tmp_path / "out2")


def test_a_scalar_repeated_on_later_rows_is_compared_as_read(tmp_path: Path) -> None:
    """A key's later rows may repeat its year as typed, or as another type that reads the same (text 2027
    and the number 2027 in a workbook); another year, or a value that reads as none, is named."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["aanbieder", "jaar", "soort", "postcodes", "clienten"])
    for row in (["A", "2027", "nieuw", 5611, 4], ["A", 2027, "nieuw", 5612, 5], ["A", 2027.0, None, 5613, 6],
                ["B", 2027, "bestaand", 5611, 4], ["B", 2026, "bestaand", 5612, 5],
                ["C", True, "bestaand", 5611, 4], ["C", True, "bestaand", 5612, 5]):
        ws.append(row)
    wb.save(tmp_path / "in.xlsx")
    result = fill("cz_ratio", tmp_path / "in.xlsx", tmp_path / "out", skip_invalid=True)
    by_key = {c.key: c for c in result.cases}
    assert by_key["A"].error is None and by_key["A"].values["in_jaar"] == 2027
    assert by_key["A"].outputs["out_clienten"] == 15
    assert by_key["B"].error is not None and "rij 6, kolom 'jaar': '2026' wijkt af van rij 5" in by_key["B"].error
    assert by_key["C"].error is not None and by_key["C"].error.count("jaar") >= 1


def test_a_scalar_left_empty_on_a_keys_first_row_is_read_from_the_row_that_fills_it(tmp_path: Path) -> None:
    """Any row of a key may leave a scalar empty, the first too: its value comes from the row that fills
    it. Another value on a third row is named against that row, as typed ('A', not 'None')."""
    inputs = write_csv(tmp_path / "in.csv", STAFFEL_HEADER, [["a", "", "", "", "nee", "", 1000],
                                                             ["a", "A", "", "", "", "", ""],
                                                             ["b", "", "", "", "nee", "", 1000],
                                                             ["b", "A", "", "", "", "", ""],
                                                             ["b", "B", "", "", "", "", ""]])
    result = fill("staffel", inputs, tmp_path / "out", skip_invalid=True)
    by_key = {c.key: c for c in result.cases}
    assert by_key["a"].error is None and by_key["a"].values["in_score_vorig_jaar"] == "A", by_key["a"].error
    assert by_key["b"].error is not None and "rij 6, kolom 'score_vorig_jaar': 'B' wijkt af van rij 5 van dezelfde " \
        "sleutel ('A')" in by_key["b"].error and "None" not in by_key["b"].error, by_key["b"].error


def test_every_bad_row_is_reported_at_once_and_headers_match_loosely(tmp_path: Path) -> None:
    rows = [[f"k{i}", "D", "", "", "nee", "", 1000] for i in range(25)]
    inputs = write_csv(tmp_path / "in.csv", ["Naam", "Score vorig jaar", "SCORE_CONTRACTJAAR", "kosten punten",
                                             "plafondvrij",
                                             "productieafspraak", "aanvullend budget"], rows)
    result = zorginkoop("fill", "staffel", str(inputs), "--out", str(tmp_path / "out"))
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 1 and len(lines) == 21 and lines[-1] == "fout: en nog 5 fouten", lines[-3:]
    assert all("score" in line for line in lines[:20])
    typo = write_csv(tmp_path / "typo.csv", ["naam", "scroe_vorig_jaar", "aanvullend_budget"], [["a", "A", 1]])
    with pytest.raises(InputError, match="bedoelt u 'score_vorig_jaar'"):
        fill("staffel", typo, tmp_path / "out3")


def test_every_bad_value_of_a_row_is_reported(tmp_path: Path) -> None:
    """Issue 20, 7: a row with three mistakes names all three, not only the first."""
    inputs = write_csv(tmp_path / "in.csv", STAFFEL_HEADER, [["ok", "A", "", "", "nee", "", 10],
                                                             ["a", "D", "", "", "misschien", "", "duizend"]])
    result = zorginkoop("fill", "staffel", str(inputs), "--out", str(tmp_path / "out"))
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 1 and len(lines) == 3, lines
    for line, column, value in zip(lines, ("score_vorig_jaar", "plafondvrij", "aanvullend_budget"),
                                   ("'D'", "'misschien'", "'duizend'"), strict=True):
        assert line.startswith(f"fout: {inputs}, rij 3") and column in line and value in line, line
    skipped = fill("staffel", inputs, tmp_path / "skip", skip_invalid=True)
    (rejected,) = [c for c in skipped.cases if c.error]
    assert all(value in rejected.error for value in ("'D'", "'misschien'", "'duizend'")), rejected.error
    # A range input too: every bad month of a key, each with its own row.
    plafond = write_csv(tmp_path / "plafond.csv", ["naam", "plafond", "productie", "vorig_jaar"],
                        [["p", 1000, "x", ""], ["p", "", 10, ""], ["p", "", "-3", ""]])
    with pytest.raises(InputErrors) as info:
        fill("plafond", plafond, tmp_path / "out2")
    assert [e.row for e in info.value.errors] == [2, 4], info.value.lines


def test_messages_name_the_column_as_the_file_writes_it(tmp_path: Path) -> None:
    inputs = write_csv(tmp_path / "in.csv", ["Naam", "Score vorig jaar", "Kosten-punten", "Aanvullend budget"],
                       [["a", "D", "", 1000], ["b", "B", "", 1000]])
    with pytest.raises(InputErrors) as info:
        fill("staffel", inputs, tmp_path / "out")
    first, second = info.value.lines
    assert first == f"{inputs}, rij 2, kolom 'Score vorig jaar': score 'D' is onbekend (verwacht A, B, C of leeg)"
    assert second.startswith(f"{inputs}, rij 3, kolom 'Kosten-punten': bij score B in 2026 zijn de punten"), second


def test_disk_errors_are_one_dutch_line_and_leave_no_summary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    from toolkit.workbook import files

    real = files._put
    calls = {"n": 0}

    def full_after_three(tmp: Path, path: Path, overwrite: bool) -> None:
        calls["n"] += 1
        if calls["n"] > 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        real(tmp, path, overwrite)

    monkeypatch.setattr(files, "_put", full_after_three)
    with pytest.raises(InputError, match="de schijf is vol"):
        fill("staffel", staffel_inputs(tmp_path / "in.csv", ["a", "b", "c", "d", "e"]), tmp_path / "out", workers=1)
    assert not (tmp_path / "out" / "summary.csv").exists() and not (tmp_path / "out" / "summary.xlsx").exists()
    assert not list((tmp_path / "out").glob(".~*"))
    (tmp_path / "bestand").write_text("x")
    for out, text in ((tmp_path / "bestand", "is een bestand"), (tmp_path / "bestand" / "sub", "is een bestand")):
        with pytest.raises(InputError, match=text):
            fill("staffel", staffel_inputs(tmp_path / "in.csv", ["a"]), out)


def test_a_key_that_spells_the_page_header_stays_the_key(tmp_path: Path) -> None:
    """The page header of a copy names its key; a key typed as the template's own header code
    ("&C&9 beleidsjaar 2027&R") must stay the key in its cell, and the header must still be rewritten
    (a replace on the whole sheet once changed the key cell instead). `check` finds such copies, and one
    of "T&R zorg" (whose `&&R` openpyxl reads as the start of the right part), in order."""
    keys = ["&C&9 beleidsjaar 2027&R", "T&R zorg", "V&L", "gewoon"]
    result = fill("staffel", staffel_inputs(tmp_path / "in.csv", keys), tmp_path / "out")
    tpl = TemplateFile.open("staffel")
    for case in result.cases:
        assert load_workbook(tmp_path / "out" / str(case.file))["Invoer"]["B3"].value == case.key
        with zipfile.ZipFile(tmp_path / "out" / str(case.file)) as archive:
            header = re.search(r"<oddHeader>(.*?)</oddHeader>", archive.read(tpl.input_part).decode()).group(1)
        assert f"&amp;C&amp;9 {escape(header_code(copy_header(case.key, case.values)))}&amp;R" in header, header
        report = check_workbook(tmp_path / "out" / str(case.file))
        assert report.ok, [f.line() for f in report.findings]


def test_a_new_file_appears_whole_or_not_at_all(tmp_path: Path) -> None:
    """A file written without --force (unnamed until it is whole, where the system has such files): one that
    appears meanwhile under its name is not replaced, a failed write leaves nothing, not even a temporary name."""
    import errno

    from toolkit.workbook import files

    target = tmp_path / "a.txt"

    def racing(path: Path) -> None:
        target.write_text("van een ander")  # appears after the check, before the file is put in place
        path.write_text("van ons")

    with pytest.raises(InputError, match="bestaat al"):
        files.write_atomically(target, racing, overwrite=False)
    assert target.read_text() == "van een ander" and [p.name for p in tmp_path.iterdir()] == ["a.txt"]

    def full(path: Path) -> None:
        path.write_text("half")
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(InputError, match="de schijf is vol"):
        files.write_atomically(tmp_path / "b.txt", full, overwrite=False)
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]
    written = files.write_atomically(tmp_path / "c.txt", lambda p: p.write_text("heel"), overwrite=False)
    assert written.read_text() == "heel" and oct(written.stat().st_mode & 0o777) == oct(files._FILE_MODE)


@pytest.mark.parametrize("unnamed", [True, False], ids=["unnamed", "temporary-name"])
def test_files_written_together_appear_together_when_a_later_name_is_taken_meanwhile(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, unnamed: bool) -> None:
    """summary.xlsx and summary.csv: when summary.csv appears from elsewhere after the first is in place, the
    first goes again (it was this run's own, new file), and the other program's file is left as it was."""
    from toolkit.workbook import files

    if not unnamed:
        monkeypatch.setattr(files, "_unnamed", lambda _folder: None)
    first, second = tmp_path / "summary.xlsx", tmp_path / "summary.csv"
    put = files._put

    def racing(tmp: object, path: Path, overwrite: bool) -> None:
        if path == second:
            second.write_text("van een ander")
        put(tmp, path, overwrite)  # type: ignore[arg-type]

    monkeypatch.setattr(files, "_put", racing)
    with pytest.raises(InputError, match=r"summary\.csv bestaat al"):
        files.write_together([(first, b"xlsx"), (second, [b"c", b"sv"])], overwrite=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["summary.csv"]
    assert second.read_text() == "van een ander"
    monkeypatch.setattr(files, "_put", put)
    second.unlink()
    assert files.write_together([(first, b"xlsx"), (second, [b"c", b"", b"sv"])], overwrite=False) == [first, second]
    assert first.read_bytes() == b"xlsx" and second.read_bytes() == b"csv"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["summary.csv", "summary.xlsx"]


def test_a_key_too_long_for_the_printed_header_is_refused_naming_its_row(tmp_path: Path) -> None:
    """Excel keeps 255 characters of a page header, where the key stands; the longest key allowed fits in
    the header of every template, even when each of its characters is an & (written twice there)."""
    from toolkit.workbook.fill import MAX_KEY_CHARS

    longest = "&" * (MAX_KEY_CHARS // 2)
    for name in SPECS:
        pieces = TemplateFile.open(name).filled({}, longest)
        with zipfile.ZipFile(io.BytesIO(b"".join(pieces))) as archive:
            headers = [re.sub("&amp;", "&", h) for part in archive.namelist() if "worksheets/" in part
                       for h in re.findall(r"<oddHeader>(.*?)</oddHeader>", archive.read(part).decode())]
        assert headers and max(len(h) for h in headers) <= 255, (name, max(len(h) for h in headers))
    keys = ["a" * MAX_KEY_CHARS, "b" * (MAX_KEY_CHARS + 1), "&" * (MAX_KEY_CHARS // 2 + 1)]
    inputs = staffel_inputs(tmp_path / "in.csv", keys)
    with pytest.raises(InputErrors) as info:
        fill("staffel", inputs, tmp_path / "uit")
    assert [e.row for e in info.value.errors] == [3, 4]
    assert f"is {MAX_KEY_CHARS + 1} tekens lang; hoogstens {MAX_KEY_CHARS}" in str(info.value)
    assert "(een & telt daar dubbel)" in str(info.value.errors[1])
    result = fill("staffel", inputs, tmp_path / "uit", skip_invalid=True)
    assert (result.written, result.rejected) == (1, 2)


def test_keys_whose_workbook_has_another_name_are_said(tmp_path: Path) -> None:
    """Found by a new user: 'Zorg/Noord' was written as Zorg_Noord.xlsx without a word (only summary.csv
    showed it). One note lists the keys renamed; keys that are their own file name are not in it."""
    # (A key typed in NFD, as macOS may, is written in NFC: it looks the same, and is not said.)
    inputs = staffel_inputs(tmp_path / "in.csv", ["Zorg/Noord", "Zorg Zuid", "CON", "Zorg Cafe\u0301"])
    result = fill("staffel", inputs, tmp_path / "out")
    assert sorted(p.name for p in (tmp_path / "out").glob("*.xlsx") if not p.name.startswith("summary")) == [
        "Zorg Café.xlsx", "Zorg Zuid.xlsx", "Zorg_Noord.xlsx", "_CON.xlsx"]
    assert [n for n in result.notes if "bestandsnaam" in n] == [
        "2 sleutels kregen een andere bestandsnaam (tekens of namen die niet in een bestandsnaam kunnen, of een "
        "sleutel die te lang is): 'Zorg/Noord' → Zorg_Noord.xlsx, 'CON' → _CON.xlsx"]
    plain = fill("staffel", staffel_inputs(tmp_path / "gewoon.csv", ["Zorg Zuid"]), tmp_path / "gewoon")
    assert not [n for n in plain.notes if "bestandsnaam" in n]


@pytest.mark.parametrize(("expected", "found", "kind", "shown"), [
    (7 / 3, 3.5, "ratio", ("2,33", "3,50")),
    # The last decimal shown is one the values differ by, not a rounding that looks like a gap of 0,01.
    (2.345, 2.3449999, "ratio", ("2,3450000", "2,3449999")),
    (0.03374, 0.03371, "fraction", ("3,374 %", "3,371 %")),
    (7, 8, "count", ("7", "8")),
    (100.0, 100.01, "money", ("€ 100,00", "€ 100,01")),
    # Found by review: a cached 1e27 in a hostile workbook made check end in an internal error.
    (2.5, 1e27, "ratio", ("2,50", "1.000.000.000.000.000.000.000.000.000,00")),
    (0.5, 1e300, "fraction", ("50,00 %", "100" + ".000" * 100 + ",00 %")),
    # A logical cell where the template writes ja: as Excel shows it (found by a helper: "verwacht ja, gevonden ja").
    (True, True, "bool", ("ja", "WAAR")),
    (False, True, "bool", ("nee", "WAAR")),
])
def test_check_shows_two_differing_values_with_the_decimals_they_differ_by(
        expected: float, found: float, kind: str, shown: tuple[str, str]) -> None:
    from toolkit.workbook.findings import shown_apart

    assert shown_apart(expected, found, kind) == shown


def test_a_key_with_more_rows_than_its_ranges_is_named_once_with_the_columns(tmp_path: Path) -> None:
    # nieuwe_aanbieder has two ranges of 500 rows (postcodes, clienten): 501 rows of one key is one mistake.
    header = ["sleutel", "inschrijfdatum", "verwachte_omzet", "eerder_ingeschreven", "kernwerkgebied",
              "afgewezen_vorig_jaar", "ontwikkeling_aangetoond", "postcodes", "clienten"]
    rows = [["K1", "15-01-2027", "60.000", "nee", "ja", "nee", "nee", str(4000 + i), "3"] for i in range(501)]
    inputs = write_csv(tmp_path / "in.csv", header, rows)
    with pytest.raises(InputErrors) as info:
        fill("nieuwe_aanbieder", inputs, tmp_path / "uit")
    assert info.value.lines == (f"{inputs}, rij 502: meer dan 500 rijen voor één sleutel in kolommen postcodes en "
                                "clienten; het sjabloon heeft er 500",)
    assert not (tmp_path / "uit").exists() or not any((tmp_path / "uit").iterdir())


def test_a_year_the_data_does_not_cover_names_its_column(tmp_path: Path) -> None:
    """Found by a helper: the refusal of a year no parameter data covers named the row, not the column."""
    inputs = write_csv(tmp_path / "in.csv", ["aanbieder", "jaar", "soort", "postcodes", "clienten"],
                       [["x", 2031, "bestaand", "5611", 30]])
    with pytest.raises(InputErrors) as caught:
        fill("cz_ratio", inputs, tmp_path / "out")
    assert f"{inputs}, rij 2, kolom 'jaar': beleidsjaar 2031 valt buiten de parametergegevens" in str(caught.value)


def test_an_input_file_whose_name_is_no_utf8_still_gets_its_summary(tmp_path: Path) -> None:
    """Found by a review: its name in a refused row's message (a surrogate in Python) stopped the summary."""
    name = tmp_path / os.fsdecode(b"in\xff.csv")
    write_csv(name, STAFFEL_HEADER, [["", "A", "", "", "nee", "", 1000], ["b", "A", "", "", "nee", "", 1000]])
    result = fill("staffel", name, tmp_path / "out", skip_invalid=True)
    row = next(load_workbook(result.summary_xlsx).active.iter_rows(min_row=2, max_row=2, values_only=True))
    assert row[1] == "afgewezen" and "in\ufffd.csv" in row[5]
    assert "in?.csv" in result.summary_csv.read_text(encoding="utf-8")
