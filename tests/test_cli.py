"""`zorginkoop ratio` output: the JSON objects equal the library's reports; people get a table."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import write_lines
from test_bad_input import run_cli

from toolkit import ratio_from_claims


def test_json_lists_one_object_per_provider_per_line(claims_csv: Path, tmp_path: Path) -> None:
    result = run_cli("ratio", str(claims_csv), "--year", "2027", "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    report = ratio_from_claims(claims_csv, year=2027)
    assert json.loads(result.stdout) == [json.loads(json.dumps(r.to_dict())) for r in report.providers.values()]
    lines = result.stdout.splitlines()
    assert lines[0] == "[" and lines[-1] == "]" and len(lines) == len(report.providers) + 2
    assert "'C Z' (1 regel)" in result.stderr  # the warning goes to stderr, never into the JSON


def test_json_is_one_object_for_one_provider_or_a_file_without_providers(claims_csv: Path, tmp_path: Path) -> None:
    result = run_cli("ratio", str(claims_csv), "--year", "2027", "--agb", "B", "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    got = json.loads(result.stdout)
    assert got["provider"] == "B" and (got["clients"], got["areas"], got["movers"]) == (6, 2, 1)
    single = write_lines(tmp_path / "one.csv", ["clientnummer;postcode;verzekeraar;datum",
                                                "c1;5611;CZ;2025-01-01", "c2;5612 AB;CZ;2025-02-01"])
    got = json.loads(run_cli("ratio", str(single), "--year", "2027", "--json", cwd=tmp_path).stdout)
    assert (got["provider"], got["clients"], got["areas"], got["clients_by_area"]) == (
        None, 2, 2, {"5611": 1, "5612": 1})


def test_table_for_people(claims_csv: Path, tmp_path: Path) -> None:
    result = run_cli("ratio", str(claims_csv), "--year", "2027", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Klant-werkgebiedratio CZ groep, beleidsjaar 2027" in result.stdout
    assert "2,33" in result.stdout and "n.v.t." in result.stdout


# --- the frame a Dutch reader sees --------------------------------------------------------------------------

def test_help_usage_errors_and_version_are_dutch(tmp_path: Path) -> None:
    import toolkit

    for args in (["-h"], ["--help"], ["ratio", "-h"], ["fill", "-h"], ["parameters", "-h"]):
        result = run_cli(*args, cwd=tmp_path)
        assert result.returncode == 0, (args, result.stderr)
        assert "Gebruik:" in result.stdout and "Opties" in result.stdout, args
        for english in ("Usage:", "Options", "Show this message", "[required]", "Arguments"):
            assert english not in result.stdout, (args, english)
    version = run_cli("--version", cwd=tmp_path)
    assert version.returncode == 0 and version.stdout.strip() == f"zorginkoop-toolkit {toolkit.__version__}"
    for args, dutch in ((["ratio"], "Argument ontbreekt"), (["ratio", "x.csv", "--year", "abc"], "Ongeldige waarde"),
                        (["ratio", "x.csv", "--yaer", "2027"], "Onbekende optie"), (["bestaatniet"], "opdracht"),
                        (["ratio", "x.csv", "--year", "2027", "--provider", "oud"], "is geen geldige keuze; kies uit"),
                        (["fill", "staffel", "x.csv", "--workers", "0"],
                         "0 valt buiten het toegestane bereik (1 of meer)")):
        result = run_cli(*args, cwd=tmp_path)
        assert result.returncode == 2, (args, result.stderr)
        assert dutch in result.stderr and "Traceback" not in result.stderr, (args, result.stderr)
        assert "Usage" not in result.stderr and "Error" not in result.stderr, result.stderr


@pytest.mark.parametrize(("typed", "named"), [(["--jaar", "abc"], "'--jaar'"), (["--year=abc"], "'--year'"),
                                              (["--jaar=2027", "--provider", "oud"], "'--provider'")])
def test_a_refused_option_is_named_as_typed(tmp_path: Path, typed: list[str], named: str) -> None:
    """The guide says so: found by a helper, `--jaar abc` was named "'--year' / '--jaar'"."""
    result = run_cli("ratio", "x.csv", *typed, cwd=tmp_path)
    assert result.returncode == 2 and f"Ongeldige waarde voor {named}:" in result.stderr, result.stderr


def test_dutch_words_for_the_choices(claims_csv: Path, tmp_path: Path) -> None:
    english = run_cli("ratio", str(claims_csv), "--year", "2027", "--provider", "new", "--method", "per_area",
                      "--json", cwd=tmp_path)
    dutch = run_cli("ratio", str(claims_csv), "--jaar", "2027", "--provider", "nieuw", "--method", "per_gebied",
                    "--json", cwd=tmp_path)
    assert english.returncode == dutch.returncode == 0, dutch.stderr
    assert english.stdout == dutch.stdout and '"provider_kind": "new"' in dutch.stdout


def test_ratio_fits_80_columns_and_breed_shows_every_column(claims_csv: Path, tmp_path: Path) -> None:
    narrow = run_cli("ratio", str(claims_csv), "--year", "2027", cwd=tmp_path, env={"COLUMNS": "80"})
    assert narrow.returncode == 0, narrow.stderr
    assert max(len(line) for line in narrow.stdout.splitlines()) <= 80
    for heading in ("Cliënten", "Gebieden", "Ratio", "Drempel", "Voldoet", "Extra"):
        assert heading in narrow.stdout, heading
    assert "…" not in narrow.stdout  # nothing cut off
    wide = run_cli("ratio", str(claims_csv), "--year", "2027", "--breed", cwd=tmp_path, env={"COLUMNS": "200"})
    for heading in ("Te schrappen", "Verhuisd", "Ongeldig"):
        assert heading in wide.stdout, heading


def _charts_print_whole(ws: Any) -> bool:
    """Every chart spans whole cells inside the print area: a chart sized in centimetres ended where
    LibreOffice's column widths put it, past the area (the December bar of the plafond report cut off)."""
    from openpyxl.drawing.spreadsheet_drawing import TwoCellAnchor
    from openpyxl.utils.cell import range_boundaries

    _, _, last_column, last_row = range_boundaries(ws.print_area.split("!")[-1].replace("$", ""))
    # `to` is 0-based: a chart ending at the right edge of column H (8) stops at column index 8, offset 0.
    return all(isinstance(c.anchor, TwoCellAnchor) and c.anchor.to.col <= last_column and c.anchor.to.colOff == 0
               and c.anchor.to.row <= last_row for c in ws._charts)


def test_rapport_is_a_workbook_with_an_overview_a_sheet_per_provider_and_charts(claims_csv: Path,
                                                                                tmp_path: Path) -> None:
    from openpyxl import load_workbook

    report = tmp_path / "rapport.xlsx"
    result = run_cli("ratio", str(claims_csv), "--year", "2027", "--rapport", str(report), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    wb = load_workbook(report)
    assert wb.sheetnames == ["Overzicht", "A", "B", "K"]
    overview = list(wb["Overzicht"].iter_rows(min_row=5, max_row=7, values_only=True))
    assert [r[:3] for r in overview] == [("A", 7, 3), ("B", 6, 2), ("K", 0, 0)]
    assert [r[5] for r in overview] == ["nee", "ja", "n.v.t."]  # voldoet: ja/nee, never WAAR/ONWAAR
    sheet_a = list(wb["A"].iter_rows(min_row=22, values_only=True))
    assert [r[:3] for r in sheet_a] == [("5612", 1, 1), ("5613", 2, None), ("5611", 4, None)]  # 5612 to drop
    assert wb["A"]["A21"].value == "PC4" and wb["A"].print_title_rows == "$21:$21"
    assert len(wb["A"]._charts) == 1 and _charts_print_whole(wb["A"])
    again = run_cli("ratio", str(claims_csv), "--year", "2027", "--rapport", str(report), cwd=tmp_path)
    assert again.returncode == 1 and "--force" in again.stderr
    forced = run_cli("ratio", str(claims_csv), "--year", "2027", "--rapport", str(report), "--force", cwd=tmp_path)
    assert forced.returncode == 0


def test_a_report_is_never_written_over_a_claims_file_and_is_always_a_workbook(claims_csv: Path,
                                                                               tmp_path: Path) -> None:
    """Not even with --force: `--rapport declaraties.csv` would have replaced the claims by a workbook."""
    import openpyxl

    book = tmp_path / "declaraties.xlsx"
    workbook = openpyxl.Workbook()
    for line in claims_csv.read_text(encoding="utf-8").splitlines():
        workbook.active.append(line.split(";"))
    workbook.save(book)
    (tmp_path / "kopie.xlsx").symlink_to(book)
    before = {p: p.read_bytes() for p in (claims_csv, book)}
    for claims, report in ((book, book), (book, tmp_path / "kopie.xlsx"), (claims_csv, claims_csv)):
        for command in (["ratio", str(claims), "--year", "2027"],
                        ["plafond", str(claims), "--plafond", "1000", "--year", "2025"],
                        ["plafond", str(claims_csv), "--plafond", "1000", "--year", "2025",
                         "--vorig-jaar", str(claims)]):
            result = run_cli(*command, "--rapport", str(report), "--force", cwd=tmp_path)
            said = "een van de bestanden die worden gelezen" if report.suffix == ".xlsx" else \
                "geef het een naam op .xlsx"
            assert result.returncode == 1 and said in result.stderr, (command, report, result.stderr)
    assert {p: p.read_bytes() for p in before} == before
    other = run_cli("ratio", str(claims_csv), "--year", "2027", "--rapport", str(tmp_path / "r.csv"), cwd=tmp_path)
    assert other.returncode == 1 and "(bijvoorbeeld r.xlsx)" in other.stderr and not (tmp_path / "r.csv").exists()


def test_a_report_is_never_written_inside_a_folder_of_claims(claims_csv: Path, tmp_path: Path) -> None:
    """Found by review: written into the folder it read, the report was read as a claim file by the next
    run on that folder (and refused it for missing columns)."""
    import openpyxl

    folder = tmp_path / "declaraties"
    folder.mkdir()
    (folder / "a.csv").write_bytes(claims_csv.read_bytes())
    for report, recursive in ((folder / "rapport.xlsx", []), (folder / "sub" / "rapport.xlsx", ["--recursief"])):
        for command in (["ratio", str(folder), "--year", "2027", *recursive],
                        ["plafond", str(claims_csv), "--plafond", "1000", "--year", "2025", "--vorig-jaar",
                         str(folder), *recursive]):
            result = run_cli(*command, "--rapport", str(report), "--force", cwd=tmp_path)
            assert result.returncode == 1 and f"ligt in de map met declaraties {folder}" in result.stderr, result
    assert sorted(p.name for p in folder.rglob("*") if p.is_file()) == ["a.csv"]
    beside = run_cli("ratio", str(folder), "--year", "2027", "--rapport", str(tmp_path / "rapport.xlsx"), cwd=tmp_path)
    assert beside.returncode == 0, beside.stderr
    # Below the folder is read only with --recursief (found by an attack: refused for a reason that did not hold).
    (folder / "sub").mkdir()
    below = run_cli("ratio", str(folder), "--year", "2027", "--rapport", str(folder / "sub" / "r.xlsx"), cwd=tmp_path)
    assert below.returncode == 0 and (folder / "sub" / "r.xlsx").exists(), below.stderr
    # The kernwerkgebied's list is read too: never overwritten by the report (found by an attack).
    areas = tmp_path / "kwg.xlsx"
    book = openpyxl.Workbook()
    for value in ("pc4", "5611"):
        book.active.append([value])
    book.save(areas)
    before = areas.read_bytes()
    result = run_cli("ratio", str(claims_csv), "--year", "2027", "--kernwerkgebied", str(areas), "--rapport",
                     str(areas), "--force", cwd=tmp_path)
    assert result.returncode == 1 and "een van de bestanden die worden gelezen" in result.stderr, result.stderr
    assert areas.read_bytes() == before


def test_plafond_rapport_has_an_overview_and_a_sheet_per_provider_and_refuses_to_overwrite(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from toolkit import ceiling_from_claims
    from toolkit.claims import CeilingRequest

    claims = EXAMPLES / "declaraties_2027.csv"
    report = tmp_path / "plafond.xlsx"
    args = ["plafond", str(claims), "--plafond", "300000", "--year", "2027", "--score-vorig-jaar", "B",
            "--kostenpunten", "6", "--rapport", str(report)]
    result = run_cli(*args, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    expected = ceiling_from_claims(claims, ceiling=300000, year=2027,
                                   request=CeilingRequest(score_previous="B", cost_points=6))
    wb = load_workbook(report)
    providers = [r.provider for r in expected.reports]
    assert wb.sheetnames == ["Overzicht", *providers]
    rows = list(wb["Overzicht"].iter_rows(min_row=5, max_row=4 + len(providers), values_only=True))
    assert [r[0] for r in rows] == providers
    # The projected year as the library computes it, to the cent; the request's answer as ja/nee.
    assert [round(r[4], 2) for r in rows] == [float(r.forecast.projected_year) for r in expected.reports]
    assert [r[9] for r in rows] == ["ja" if r.purchase and r.purchase.may_request else "nee"
                                    for r in expected.reports]
    assert all(len(wb[p]._charts) == 1 and _charts_print_whole(wb[p]) for p in providers)
    # A row the explanation makes two lines high reads across: every value at the top, beside its first line.
    assert {c.alignment.vertical for row in wb["Overzicht"].iter_rows(min_row=5, max_row=4 + len(providers))
            for c in row} == {"top"}
    # What was not counted travels with the report, as in the ratio report: the example's misspelt 'C Z'.
    notes = [v for (v,) in wb["Overzicht"].iter_rows(min_row=5 + len(providers), max_col=1, values_only=True) if v]
    assert notes == ["Onbekende verzekeraars, niet meegeteld: 'C Z' (3 regels)"]
    stamp = report.stat().st_mtime_ns
    again = run_cli(*args, cwd=tmp_path)
    assert again.returncode == 1 and "--force" in again.stderr and report.stat().st_mtime_ns == stamp
    assert run_cli(*args, "--force", cwd=tmp_path).returncode == 0


def test_parameters_lists_every_topic_with_years_and_sources(tmp_path: Path) -> None:
    import json

    from toolkit.parameters import all_parameters

    result = run_cli("parameters", "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    listed = json.loads(result.stdout)
    names = {(t["topic"], p["name"]) for t in listed["topics"] for p in t["parameters"]}
    assert names == {(p.topic, p.name) for p in all_parameters()}
    assert listed["current_year"] == 2027
    staffel = next(t for t in listed["topics"] if t["topic"] == "staffel")
    table = next(p for p in staffel["parameters"] if p["name"] == "table")
    assert table["values"]["2027"]["source"]["document"].startswith("CZ groep, Zorginkoopbeleid wijkverpleging 2027")
    text = run_cli("parameters", cwd=tmp_path)
    assert "client_area_ratio" in text.stdout and "§ 3.2.4" in text.stdout
    # The values themselves, as a Dutch reader writes them (the handleiding says the command shows them).
    for shown in ("request_min_ceiling_share: 80 % (beleidsjaar 2027)", "request_month: september (beleidsjaar 2027)",
                  "request_reference_date: 1 oktober 2027 (beleidsjaar 2027)",
                  "threshold_existing: geen (beleidsjaar 2025); 2 cliënten per PC4 (beleidsjaar 2026); 3",
                  "threshold_new: 3 cliënten per PC4 (beleidsjaren 2025–2027)",
                  "min_expected_turnover: € 50.000 (beleidsjaar 2027)", "table: tabel van 7 rijen (--json toont ze)",
                  "fulltime_week_hours: 36 uur per week", "claims_year_offset: -2 jaar (beleidsjaren 2025–2027)"):
        assert shown in " ".join(text.stdout.split()), shown
    narrow = run_cli("parameters", cwd=tmp_path, env={"COLUMNS": "80"}).stdout.splitlines()
    assert max(map(len, narrow)) <= 80 and not [line for line in narrow if line.endswith(" ")]
    assert all(line.startswith("    ") for line in narrow if line.lstrip().startswith("bron:"))


def test_sjablonen_writes_every_template_and_overwrites_only_with_force(tmp_path: Path) -> None:
    result = run_cli("sjablonen", "--out", str(tmp_path / "s"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    bundled = sorted(p.name for p in (Path(__file__).resolve().parents[1] / "templates").glob("*.xlsx"))
    assert len(bundled) >= 6 and sorted(p.name for p in (tmp_path / "s").glob("*.xlsx")) == bundled
    again = run_cli("sjablonen", "--out", str(tmp_path / "s"), cwd=tmp_path)
    assert again.returncode == 1 and "--force" in again.stderr
    assert run_cli("sjablonen", "--out", str(tmp_path / "s"), "--force", cwd=tmp_path).returncode == 0


def test_describe_shows_dutch_kinds(tmp_path: Path) -> None:
    result = run_cli("describe", "staffel", cwd=tmp_path, env={"COLUMNS": "200"})
    assert result.returncode == 0, result.stderr
    for kind in ("bedrag", "keuze", "ja/nee", "getal", "fractie"):
        assert kind in result.stdout, kind
    for english in ("money", "flag", "score", "fraction"):
        assert f" {english} " not in result.stdout


# --- zorginkoop plafond -------------------------------------------------------------------------------------

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def test_plafond_on_the_bundled_examples_prints_a_readable_forecast(tmp_path: Path) -> None:
    result = run_cli("plafond", str(EXAMPLES / "declaraties_2027.csv"), "--plafond", "400.000", "--year", "2027",
                     "--score-vorig-jaar", "A", cwd=tmp_path, env={"COLUMNS": "80"})
    assert result.returncode == 0, result.stderr
    assert max(len(line) for line in result.stdout.splitlines()) <= 80
    assert "Omzetplafond CZ groep 2027" in result.stdout and "…" not in result.stdout
    detail = run_cli("plafond", str(EXAMPLES / "declaraties_2027.csv"), "--plafond", "400.000", "--year", "2027",
                     "--agb", "99000001", "--vorig-jaar", str(EXAMPLES / "declaraties_2026.csv"),
                     "--score-vorig-jaar", "B",
                     "--kostenpunten", "6", cwd=tmp_path, env={"COLUMNS": "80"})
    assert detail.returncode == 0, detail.stderr
    words = " ".join(detail.stdout.split())  # at 80 columns "vóór 31 december 2027" wraps before 2027
    for text in ("september", "prognose", "Verzoek om aanvullend budget", "Zelf aantonen", "31 december 2027"):
        assert text in words, text


@pytest.mark.parametrize("typed", [["--kostenpunten", "abc"], ["--kostenpunten", "6"], ["--score-contractjaar", "A"],
                                   ["--productieafspraak", "50.000"]])
def test_plafond_refuses_request_options_it_would_not_use(tmp_path: Path, typed: list[str]) -> None:
    """Without a score of last year no request is assessed: cost points typed anyway are said, not dropped
    (the overview would look as if the staffel had been applied)."""
    result = run_cli("plafond", str(EXAMPLES / "declaraties_2027.csv"), "--plafond", "400.000", "--year", "2027",
                     *typed, cwd=tmp_path)
    assert result.returncode == 1 and result.stdout == "", result
    assert result.stderr.startswith(f"fout: {typed[0]}: ") and "score van vorig jaar" in result.stderr


def test_plafond_json_equals_the_rule_on_the_summed_claims(tmp_path: Path) -> None:
    import json
    from decimal import Decimal

    from toolkit import assess_additional_purchase, production_from_claims

    claims = EXAMPLES / "declaraties_2027.csv"
    result = run_cli("plafond", str(claims), "--plafond", "400000", "--year", "2027", "--agb", "99000004",
                     "--score-vorig-jaar", "B", "--kostenpunten", "6", "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    got = json.loads(result.stdout)[0] if result.stdout.lstrip().startswith("[") else json.loads(result.stdout)
    production = production_from_claims(claims, year=2027, only_provider="99000004")
    known = production.last_month
    assert known == 9
    rule = assess_additional_purchase(400_000, list(production.monthly[:known]), score_previous="B", cost_points=6)
    assert Decimal(got["projected_year"]) == rule.forecast.projected_year
    assert Decimal(got["shortfall"]) == rule.forecast.shortfall and got["may_request"] == rule.may_request
    assert got["month_reached"] == rule.forecast.month_reached


def test_plafond_with_last_years_claims_is_linear_unless_asked_seasonal(tmp_path: Path) -> None:
    """SPEC rule 5: the projection is linear by default, as forecast_ceiling, the UDFs and the template have it;
    found by a helper: `--vorig-jaar` alone made the command seasonal, so it answered otherwise than they."""
    from decimal import Decimal

    from toolkit import forecast_ceiling, production_from_claims

    args = ("plafond", str(EXAMPLES / "declaraties_2027.csv"), "--plafond", "400000", "--year", "2027", "--agb",
            "99000004", "--vorig-jaar", str(EXAMPLES / "declaraties_2026.csv"), "--json")
    plain, seasonal = run_cli(*args, cwd=tmp_path), run_cli(*args, "--methode", "seizoen", cwd=tmp_path)
    assert plain.returncode == 0 and seasonal.returncode == 0, (plain.stderr, seasonal.stderr)
    assert "let op: de prognose is lineair (de standaard)" in plain.stderr
    assert "let op: de prognose is lineair" not in seasonal.stderr

    def projected(result: Any) -> Decimal:
        found = json.loads(result.stdout)
        return Decimal((found[0] if isinstance(found, list) else found)["projected_year"])

    now = production_from_claims(EXAMPLES / "declaraties_2027.csv", year=2027, only_provider="99000004")
    before = production_from_claims(EXAMPLES / "declaraties_2026.csv", year=2026, only_provider="99000004")
    known = list(now.monthly[:now.last_month])
    assert projected(plain) == forecast_ceiling(400_000, known, last_year_monthly=list(before.monthly)).projected_year
    assert projected(seasonal) == forecast_ceiling(400_000, known, last_year_monthly=list(before.monthly),
                                                   method="seasonal").projected_year
    assert projected(plain) != projected(seasonal)


def test_plafond_bad_input_is_one_dutch_line(tmp_path: Path) -> None:
    claims = str(EXAMPLES / "declaraties_2027.csv")
    for args, text in ((["--plafond", "0"], "groter dan 0"), (["--plafond", "1.2.3"], "geen getal"),
                       (["--plafond", "400000", "--methode", "seizoen"], "--vorig-jaar"),
                       (["--plafond", "400000", "--score-vorig-jaar", "D"], "'D'")):
        result = run_cli("plafond", claims, "--year", "2027", *args, cwd=tmp_path)
        assert result.returncode == 1, (args, result.stderr)
        lines = result.stderr.strip().splitlines()
        assert lines[0].startswith("fout: ") and text in lines[0], (args, lines)
    empty = run_cli("plafond", str(EXAMPLES / "declaraties_2025.csv"), "--plafond", "1", "--year", "2030",
                    cwd=tmp_path)
    assert empty.returncode == 1 and "Traceback" not in empty.stderr


def test_a_fault_of_the_toolkit_is_one_dutch_line_not_a_traceback(tmp_path: Path) -> None:
    """Not bad input but a bug (here: the engine made to raise): still one line and exit 1; the full
    traceback only with ZORGINKOOP_DEBUG=1."""
    import os
    import subprocess
    import sys

    script = ("import sys, toolkit.claims\n"
              "def boom(*a, **k): raise RuntimeError('boom')\n"
              "toolkit.claims.ratio_from_claims = boom\n"
              "sys.argv = ['zorginkoop', 'ratio', sys.argv[1], '--year', '2027']\n"
              "from toolkit.cli import main\nmain()\n")
    claims = Path(__file__).resolve().parents[1] / "examples" / "declaraties_2025.csv"
    env = {k: v for k, v in os.environ.items() if k != "ZORGINKOOP_DEBUG"}
    result = subprocess.run([sys.executable, "-c", script, str(claims)], capture_output=True, text=True, env=env,
                            cwd=tmp_path, timeout=120)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.strip().splitlines() == [
        "interne fout (RuntimeError: boom); meld dit aan wie de toolkit beheert, met de opdracht die u gaf "
        "(ZORGINKOOP_DEBUG=1 toont de volledige melding)"]
    debug = subprocess.run([sys.executable, "-c", script, str(claims)], capture_output=True, text=True,
                           env={**env, "ZORGINKOOP_DEBUG": "1"}, cwd=tmp_path, timeout=120)
    assert debug.returncode == 1 and "Traceback" in debug.stderr


def test_every_command_is_listed_with_the_module_that_makes_it() -> None:
    """The help lists `app.COMMANDS` without importing the commands' modules: a command registered on `app`
    but missing there (or listed under another module) would be made only by accident."""
    import importlib

    from toolkit.cli.app import COMMANDS, app

    for module in sorted({m for m, _ in COMMANDS.values()}):
        before = len(app.registered_commands)
        importlib.import_module(f"toolkit.cli.{module}")
        made = [i.name or i.callback.__name__ for i in app.registered_commands[before:] if i.callback]
        assert sorted(made) == sorted(n for n, (m, _) in COMMANDS.items() if m == module) or not made, (module, made)
    registered = {i.name or i.callback.__name__ for i in app.registered_commands if i.callback}
    assert registered == set(COMMANDS)


def _imported_by(tmp_path: Path, *args: str) -> set[str]:
    """The modules a `zorginkoop` run has imported when it exits."""
    import subprocess
    import sys

    script = ("import atexit, sys\n"
              "atexit.register(lambda out=sys.argv[1]: open(out, 'w').write('\\n'.join(sys.modules)))\n"
              "sys.argv = ['zorginkoop', *sys.argv[2:]]\n"
              "from toolkit.cli import main\nmain()\n")
    listed = tmp_path / "modules.txt"
    done = subprocess.run([sys.executable, "-c", script, str(listed), *args], capture_output=True, text=True,
                          cwd=tmp_path, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return set(listed.read_text().splitlines())


def test_a_command_imports_only_what_it_uses(claims_csv: Path, tmp_path: Path) -> None:
    """Start-up (benchmarks/bench_startup.py): the help imports no claims, workbooks, rules or parameter
    data; the ratio neither the workbooks nor the production, nor the other rules, nor rich for `--json`."""
    heavy = {"numpy", "pyarrow", "pandas", "yaml", "rich", "openpyxl", "python_calamine", "pydantic"}
    help_imports = _imported_by(tmp_path, "-h")
    assert not {m.split(".")[0] for m in help_imports} & heavy
    assert not {m for m in help_imports if m.startswith(("toolkit.rules", "toolkit.parameters", "toolkit.claims",
                                                           "toolkit.cli.ratio", "toolkit.cli.templates"))}
    ratio = _imported_by(tmp_path, "ratio", str(claims_csv), "--year", "2027", "--json")
    assert {"numpy", "pyarrow", "toolkit.claims.ratio", "toolkit.rules.ratio"} <= ratio
    assert not {m.split(".")[0] for m in ratio} & {"pandas", "rich", "openpyxl", "python_calamine", "pydantic"}
    assert not {m for m in ratio if m.startswith(("toolkit.workbook", "toolkit.claims.production",
                                                  "toolkit.claims.ceiling", "toolkit.rules.staffel",
                                                  "toolkit.rules.cooperative", "toolkit.rules.nachtzorg",
                                                  "toolkit.cli.templates", "toolkit.cli.plafond"))}


def test_typer_panels_are_dutch_whoever_imports_them_first() -> None:
    """typer.rich_utils is translated when first imported (a command that prints no help never loads it)."""
    import subprocess
    import sys

    script = ("import sys, toolkit.cli\n"
              "assert 'typer.rich_utils' not in sys.modules\n"
              "import typer.rich_utils as r\n"
              "print(r.OPTIONS_PANEL_TITLE, r.ARGUMENTS_PANEL_TITLE, r._('Missing argument'))\n")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.stdout.split() == ["Opties", "Argumenten", "Argument", "ontbreekt"], result.stderr


# --- the command line for Dutch users (issue 18, item 8) ---------------------------------------------------

COMMANDS = ("ratio", "plafond", "kalender", "fill", "describe", "demo", "check", "sjablonen", "parameters")


def test_every_help_fits_80_columns_in_dutch_words_with_an_example(tmp_path: Path) -> None:
    import re

    for command in ("", *COMMANDS):
        result = run_cli(*([command] if command else []), "-h", cwd=tmp_path, env={"COLUMNS": "80"})
        assert result.returncode == 0, result.stderr
        text = result.stdout
        for line in text.splitlines():
            assert len(line) <= 80, (command, line)
            # A line that ends in a letter and a hyphen is a word broken inside (xlsx- / bestand).
            assert not re.search(r"\w-$", line), (command, line)
        assert "Voorbeelden:" in text and f"zorginkoop {command}".strip() in text, command
        for english in ("distinct", "per_area", "existing", "linear", "seasonal", "TEXT", "TEKST", "PATH",
                        "INTEGER", "GEHEEL GETAL", "<=x<=", "--method ", "--provider", "--exemption", "--all "):
            assert english not in text, (command, english)
    ratio = run_cli("ratio", "-h", cwd=tmp_path, env={"COLUMNS": "80"}).stdout
    for dutch in ("DECLARATIES...", "--methode [uniek|per_gebied]", "--soort [bestaand|nieuw]", "--year, --jaar JAAR",
                  "--dubbel [negeren|weigeren]", "--recursief"):
        assert dutch in ratio, dutch
    plafond = run_cli("plafond", "-h", cwd=tmp_path, env={"COLUMNS": "80"}).stdout
    for dutch in ("--plafond BEDRAG", "--productieafspraak BEDRAG", "--methode [lineair|seizoen]", "[1 t/m 12]"):
        assert dutch in plafond, dutch
    fill = run_cli("fill", "-h", cwd=tmp_path, env={"COLUMNS": "80"}).stdout
    assert "SJABLOON INVOER" in fill and "INVOER    Invoerbestand" in fill
    assert "WERKMAP  Een ingevuld" in run_cli("check", "-h", cwd=tmp_path).stdout


def test_english_spellings_stay_accepted_out_of_sight(claims_csv: Path, tmp_path: Path) -> None:
    dutch = run_cli("ratio", str(claims_csv), "--jaar", "2027", "--soort", "nieuw", "--methode", "per_gebied",
                    "--json", cwd=tmp_path)
    for spelling in (["--provider", "new", "--method", "per_area"], ["--soort", "NEW", "--methode", "Per_Area"],
                     ["--provider", "nieuw", "--method", "per_gebied"]):
        english = run_cli("ratio", str(claims_csv), "--year", "2027", *spelling, "--json", cwd=tmp_path)
        assert english.returncode == 0 and english.stdout == dutch.stdout, (spelling, english.stderr)
    wide = run_cli("ratio", str(claims_csv), "--year", "2027", "--all", cwd=tmp_path, env={"COLUMNS": "80"})
    assert wide.returncode == 0 and "Te schrappen" in wide.stdout
    method = run_cli("plafond", str(EXAMPLES / "declaraties_2027.csv"), "--plafond", "400000", "--year", "2027",
                     "--agb", "99000001", "--methode", "linear", "--json", cwd=tmp_path)
    assert method.returncode == 0 and '"method": "linear"' in method.stdout


def test_errors_name_the_option_as_typed_and_years_without_a_dot(tmp_path: Path) -> None:
    claims = str(EXAMPLES / "declaraties_2027.csv")
    cases = ((["ratio", claims, "--jaar", "27"], "fout: --jaar: '27' ligt buiten het bereik 1900 t/m 2100"),
             (["ratio", claims, "--year", "27"], "fout: --year: '27' ligt buiten het bereik 1900 t/m 2100"),
             (["plafond", claims, "--jaar", "27", "--plafond", "1"], "fout: --jaar: '27' ligt buiten het bereik"),
             (["plafond", claims, "--year", "2027", "--plafond", "-5"], "fout: --plafond: '-5' moet groter dan 0"),
             (["plafond", claims, "--year", "2027", "--plafond", "1", "--score-vorig-jaar", "B",
               "--kostenpunten", "500"],
              "fout: --kostenpunten: '500' ligt buiten het bereik 0 t/m 100"),
             (["plafond", claims, "--year", "2027", "--plafond", "1", "--score-vorig-jaar", "A", "--productieafspraak",
               "veel"], "fout: --productieafspraak: 'veel' is geen getal"),
             (["ratio", claims, "--jaar", "2031"], "fout: --jaar 2031: de parametergegevens dekken dit beleidsjaar "
                                                   "niet (wel: 2025, 2026, 2027 voor 'Klant-werkgebiedratio')"),
             (["ratio", claims, "--year", "2207"], "fout: --year: '2207' ligt buiten het bereik 1900 t/m 2100 (de "
                                                   "parametergegevens dekken 2025, 2026, 2027)"))
    for args, expected in cases:
        result = run_cli(*args, cwd=tmp_path)
        assert result.returncode == 1, (args, result.stderr)
        line = result.stderr.strip()
        assert line.startswith(expected) and "\n" not in line, (args, line)
        for internal in ("ceiling", "cost_points", "production_agreement", " year:", "client_area_ratio", "1.900"):
            assert internal not in line, (args, line)


def test_ratio_and_plafond_word_a_wrong_year_the_same_way(tmp_path: Path) -> None:
    """Issue 20, 2: claims of 2025 with the wrong year stop with exit 1 and propose the right one."""
    claims = write_lines(tmp_path / "d.csv", ["Zorgaanbieder;Cliëntnummer;Postcode;Verzekeraar;Datum;Bedrag",
                                              "A;c1;5611;CZ;14-03-2025;10,00", "A;c2;5612;CZ;15-03-2025;10,00"])
    ratio = run_cli("ratio", str(claims), "--jaar", "2026", cwd=tmp_path)
    plafond = run_cli("plafond", str(claims), "--year", "2027", "--plafond", "100000", cwd=tmp_path)
    assert ratio.returncode == plafond.returncode == 1 and ratio.stdout == plafond.stdout == ""
    assert ratio.stderr == ("fout: geen declaratieregels uit 2024 (het declaratiejaar bij beleidsjaar 2026); het "
                            "bestand bevat 2025 — bedoelt u --jaar 2027?\n")
    assert plafond.stderr == ("fout: geen declaratieregels uit 2027 (de productie van 2027); het bestand bevat 2025 "
                              "— bedoelt u --year 2025?\n")


def test_describe_shows_every_full_name_at_80_columns(tmp_path: Path) -> None:
    from toolkit.workbook.specs import SPECS

    for name, spec in SPECS.items():
        result = run_cli("describe", name, cwd=tmp_path, env={"COLUMNS": "80"})
        assert result.returncode == 0, result.stderr
        assert max(len(line) for line in result.stdout.splitlines()) <= 80
        words = set(result.stdout.split())
        for item in spec.inputs:
            assert item.name in words and item.column in words, (name, item.name)
        for output in spec.outputs:
            assert output.name in words, (name, output.name)
        assert "…" not in result.stdout


def test_the_plafond_overview_shows_euros_the_ceiling_and_the_months(tmp_path: Path) -> None:
    result = run_cli("plafond", str(EXAMPLES / "declaraties_2027.csv"), "--plafond", "400.000", "--year", "2027",
                     "--score-vorig-jaar", "A", cwd=tmp_path, env={"COLUMNS": "80"})
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert "Plafond € 400.000; bekend: januari t/m september (9 maanden), daarna lineair" in text
    for heading in ("Gerealiseerd", "Prognose", "Vóór", "1 okt.", "Plafond", "bereikt", "Tekort", "Verzoek",
                    "mogelijk"):
        assert heading in text, heading
    assert "Tot nu" not in text and "1/10" not in text
    rows = [line for line in text.splitlines() if line.startswith("990000") and "€" in line]
    assert len(rows) == 6 and all(line.count("€ ") == 3 for line in rows), rows
    assert "Zorgaanbieder" in text.split()  # seven columns, and the heading still whole


def test_the_plafond_overview_of_a_file_without_providers_keeps_its_words_whole(tmp_path: Path) -> None:
    lines = ["client;postcode;verzekeraar;datum;bedrag"]
    for month in range(1, 9):
        lines += [f"c{month};5611;CZ;2027-{month:02d}-10;55.000,00",
                  f"d{month};5612;OHRA;2027-{month:02d}-11;55.000,00"]
    claims = write_lines(tmp_path / "p.csv", lines)
    result = run_cli("plafond", str(claims), "--plafond", "1200000", "--year", "2027", "--score-vorig-jaar", "B",
                     "--kostenpunten", "6", cwd=tmp_path, env={"COLUMNS": "80"})
    assert result.returncode == 0, result.stderr
    assert max(len(line) for line in result.stdout.splitlines()) <= 80
    words = result.stdout.split()
    for whole in ("Zorgaanbieder", "(alle", "regels)", "Gerealiseerd", "november", "mogelijk"):
        assert whole in words, (whole, result.stdout)
    row = next(line for line in result.stdout.splitlines() if line.startswith("(alle regels)"))
    assert row.split("  ")[0] == "(alle regels)" and row.rstrip().endswith("ja"), row


def test_the_movers_and_the_lines_outside_the_year_are_explained(claims_csv: Path, tmp_path: Path) -> None:
    result = run_cli("ratio", str(claims_csv), "--year", "2027", cwd=tmp_path, env={"COLUMNS": "80"})
    text = " ".join(result.stdout.split())
    assert "Verhuisde cliënten (B: 1): een cliënt die verhuisde telt in elk gebied mee, in het totaal één " \
           "keer" in text
    assert "Regels van CZ groep buiten 2025, niet meegeteld: A: 1 regel." in text


def test_the_report_overview_explains_the_movers_in_one_line(claims_csv: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    report = tmp_path / "rapport.xlsx"
    assert run_cli("ratio", str(claims_csv), "--year", "2027", "--rapport", str(report), cwd=tmp_path).returncode == 0
    texts = [c.value for row in load_workbook(report)["Overzicht"].iter_rows() for c in row if isinstance(c.value, str)]
    assert "Verhuisde cliënten: een cliënt die verhuisde telt in elk gebied mee, in het totaal één keer." in texts


def test_a_folder_says_what_was_read_and_what_was_skipped(tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    header = "AGB-code zorgaanbieder;Cliëntnummer;Postcode cliënt;Verzekeraar;Begindatum prestatie;Declaratiebedrag"
    write_lines(folder / "januari.csv", [header, "01234567;c1;5611;CZ;03-01-2027;100,00"])
    write_lines(folder / "februari.csv", [header, "01234567;c1;5611;CZ;03-01-2027;100,00",
                                          "01234567;c2;5611;CZ;03-02-2027;50,00"])
    (folder / "LEESMIJ.txt").write_text("exports\n", encoding="utf-8")
    refused = run_cli("plafond", str(folder), "--plafond", "1000", "--year", "2027", cwd=tmp_path)
    assert refused.returncode == 1 and refused.stdout == ""
    assert refused.stderr.startswith(f"fout: 1 regel komt in meer dan één bestand voor (zelfde zorgaanbieder, cliënt, "
                                     f"datum, prestatie en bedrag): {folder / 'januari.csv'}: 1 regel staat ook in "
                                     f"{folder / 'februari.csv'}. De productie zou dan dubbel tellen.")
    assert refused.stderr.rstrip().endswith("met --dubbel negeren")
    counted = run_cli("plafond", str(folder), "--plafond", "1000", "--year", "2027", "--dubbel", "negeren",
                      "--json", cwd=tmp_path)
    assert counted.returncode == 0, counted.stderr
    [got] = json.loads(counted.stdout)  # a provider column: a list, of one provider here
    assert got["realised"] == "250.00" and got["lines_repeated"] == 1
    assert got["files_skipped"] == [{"file": str(folder / "LEESMIJ.txt"),
                                     "reason": "geen declaratiebestand (in een map worden .csv, .xlsx en .parquet "
                                               "gelezen)"}]
    notes = counted.stderr.splitlines()
    assert notes[0] == "gelezen: 2 bestanden: februari.csv, januari.csv"
    assert notes[1] == (f"overgeslagen: {folder / 'LEESMIJ.txt'}: geen declaratiebestand (in een map worden .csv, "
                        ".xlsx en .parquet gelezen)")
    assert notes[2].startswith("let op: 1 regel komt in meer dan één bestand voor")
    assert "tellen allemaal mee" in notes[2]


def test_a_ceiling_typed_in_millions_is_warned_about(tmp_path: Path) -> None:
    """Found by a new user: `--plafond 1,2` (meant: 1,2 million) ran without a word and forecast a shortfall of
    31 million percent. Still allowed (a positive amount), but said to be unusual; a whole amount is not."""
    claims = str(EXAMPLES / "declaraties_2027.csv")
    low = run_cli("plafond", claims, "--plafond", "1,2", "--year", "2027", "--agb", "99000004", cwd=tmp_path)
    assert low.returncode == 0, low.stderr
    assert ("let op: --plafond 1,2: € 1,20 is ongewoon laag voor een omzetplafond (onder € 1.000); typ het hele "
            "bedrag, dus 1.200.000 voor 1,2 miljoen") in low.stderr
    whole = run_cli("plafond", claims, "--plafond", "1.200.000", "--year", "2027", "--agb", "99000004", cwd=tmp_path)
    assert whole.returncode == 0 and "ongewoon laag" not in whole.stderr, whole.stderr


def test_check_says_what_it_audits_when_given_something_else(tmp_path: Path) -> None:
    """Found by a new user: `check aanbieders.csv` said to rename the file to .csv; a `ratio --rapport` workbook
    was 'geen ingevuld sjabloon (naam zk_sjabloon ontbreekt …)', an internal name; a blank template ended in
    '1 afwijking ten opzichte van sjabloon staffel', as if it differed from itself."""
    inputs = write_lines(tmp_path / "aanbieders.csv", ["naam;score_vorig_jaar", "Zorg;A"])
    text = run_cli("check", str(inputs), cwd=tmp_path)
    assert text.returncode == 1
    assert text.stderr.strip().endswith("geen leesbare xlsx: het is een tekstbestand (een csv?), geen Excel-werkmap")
    report = tmp_path / "ratio.xlsx"
    made = run_cli("ratio", str(EXAMPLES / "declaraties_2025.csv"), "--year", "2027", "--rapport", str(report),
                   cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    audited = run_cli("check", str(report), cwd=tmp_path)
    assert audited.returncode == 1 and "zk_sjabloon" not in audited.stderr
    assert audited.stderr.strip() == (f"fout: {report}: het is niet uit een sjabloon van de toolkit gemaakt; check "
                                      "controleert werkmappen die met zorginkoop fill of uit een sjabloon "
                                      "(zorginkoop sjablonen) zijn gemaakt")
    blank = run_cli("check", str(Path(__file__).resolve().parents[1] / "templates" / "staffel.xlsx"), cwd=tmp_path)
    assert blank.returncode == 1
    assert blank.stdout.startswith("invoer: Invoer!B9: Toegekend aanvullend budget (€): waarde ontbreekt")
    assert blank.stderr.strip().endswith("staffel.xlsx: 1 bevinding bij de controle tegen sjabloon staffel.")


@pytest.mark.parametrize("args", [["parameters"], ["describe", "staffel"],
                                  ["ratio", str(EXAMPLES / "declaraties_2025.csv"), "--year", "2027", "--json"]])
def test_a_reader_that_stops_early_is_not_bad_input(tmp_path: Path, args: list[str]) -> None:
    """Found by a new user: `zorginkoop parameters | head -1` ended with exit code 1, which means bad input.
    Now 141, as a shell reports a command stopped by SIGPIPE, and quietly (through rich and through a plain
    write alike)."""
    import os
    import subprocess
    import sys

    process = subprocess.Popen([sys.executable, "-m", "toolkit.cli", *args], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, cwd=tmp_path, env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # the reader goes away before the first line
    error = process.stderr.read().decode()
    assert process.wait(timeout=120) == 141, error
    assert "Traceback" not in error and "fout" not in error and "Exception ignored" not in error, error


def test_a_parameter_folder_without_parameter_files_is_refused(tmp_path: Path) -> None:
    """Found by a new user: `--parameters exports` (a folder of claim files) ran on the bundled data without a
    word, 'met eigen gegevens uit exports' in its header."""
    exports = tmp_path / "exports"
    exports.mkdir()
    (exports / "declaraties_2025.csv").write_bytes((EXAMPLES / "declaraties_2025.csv").read_bytes())
    for args in (["parameters"], ["ratio", str(EXAMPLES / "declaraties_2025.csv"), "--year", "2027"]):
        result = run_cli(*args, "--parameters", str(exports), cwd=tmp_path)
        assert result.returncode == 1, result.stderr
        assert result.stderr.strip() == (f"fout: parametermap {exports} bevat geen parameterbestanden (.yaml), "
                                         "zoals cz/ratio.yaml of policy.yaml (docs/handleiding.md, 'Een nieuw "
                                         "beleidsjaar')")


def _in_a_terminal(*args: str, cwd: Path, columns: int) -> str:
    """What `zorginkoop ARGS` shows in a terminal window `columns` wide (a pseudo-terminal on stdout and
    stderr), its colours and cursor codes taken out."""
    import fcntl
    import os
    import pty
    import re
    import struct
    import subprocess
    import sys
    import termios

    main, window = pty.openpty()
    fcntl.ioctl(window, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    env = {key: value for key, value in os.environ.items() if key not in ("COLUMNS", "LINES")}
    process = subprocess.Popen([sys.executable, "-m", "toolkit.cli", *args], stdin=window, stdout=window,
                               stderr=window, cwd=cwd, env={**env, "TERM": "xterm", "PYTHONIOENCODING": "utf-8"})
    os.close(window)
    shown = b""
    while True:
        try:
            block = os.read(main, 1 << 16)
        except OSError:  # the window closed: the command ended
            break
        if not block:
            break
        shown += block
    os.close(main)
    process.wait(timeout=120)
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", shown.decode("utf-8")).replace("\r\n", "\n")


def test_messages_fold_between_words_in_a_narrow_terminal_and_stay_one_line_in_a_pipe(tmp_path: Path) -> None:
    """An 80-column window (here 60) does not cut a message's words in two: it is folded between words,
    continued lines indented; to a pipe or file every message stays one line, as scripts read them."""
    inputs = tmp_path / "in.csv"
    inputs.write_text("naam;score_vorig_jaar;aanvullend_budget;jaar\nb;B;5000;2027\nb;;;2028\n", encoding="utf-8")
    piped = run_cli("fill", "staffel", str(inputs.name), "--out", "uit", cwd=tmp_path)
    lines = piped.stderr.strip().splitlines()
    assert piped.returncode == 1 and len(lines) == 1 and len(lines[0]) > 100, lines
    shown = [line for line in _in_a_terminal("fill", "staffel", inputs.name, "--out", "uit2", cwd=tmp_path,
                                             columns=60).splitlines() if line.strip()]
    message = shown[shown.index(next(line for line in shown if line.startswith("fout: "))):]
    assert len(message) > 1 and all(len(line) < 60 for line in message), message
    assert all(line.startswith("  ") for line in message[1:]), message
    assert " ".join(line.strip() for line in message) == lines[0]


def test_check_findings_fold_in_a_narrow_terminal_and_stay_one_line_in_a_pipe(tmp_path: Path) -> None:
    """A finding names a cell and two values (a formula each): 200 characters and more. In a terminal it is
    folded between words like the messages; to a pipe each finding stays one line."""
    from openpyxl import load_workbook

    inputs = tmp_path / "in.csv"
    inputs.write_text("naam;score_vorig_jaar;aanvullend_budget;jaar\nb;A;5000;2027\n", encoding="utf-8")
    filled = run_cli("fill", "staffel", inputs.name, "--out", "uit", cwd=tmp_path)
    assert filled.returncode == 0, filled.stderr
    copy = tmp_path / "uit" / "b.xlsx"
    wb = load_workbook(copy)
    ((sheet, ref),) = wb.defined_names["calc_fout"].destinations
    cell = wb[sheet][ref.replace("$", "")]
    cell.value = cell.value[:100] + " " + cell.value[100:]  # a space typed into a long formula
    wb.save(copy)
    piped = run_cli("check", str(copy), cwd=tmp_path)
    findings = [line for line in piped.stdout.splitlines() if line.startswith("formule: ")]
    assert piped.returncode == 1 and len(findings) == 1 and len(findings[0]) > 120, piped.stdout
    shown = [line for line in _in_a_terminal("check", str(copy), cwd=tmp_path, columns=60).splitlines()
             if line.strip()]
    first = shown.index(next(line for line in shown if line.startswith("formule: ")))
    folded = [shown[first]]
    while first + len(folded) < len(shown) and shown[first + len(folded)].startswith("  "):
        folded.append(shown[first + len(folded)])
    # Every line fits, but for a word longer than the window (a formula without spaces), which is not cut.
    assert len(folded) > 2 and all(len(line) < 60 or " " not in line.strip() for line in folded), shown
    assert " ".join(line.strip() for line in folded) == findings[0]
