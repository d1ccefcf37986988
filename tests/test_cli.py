"""`zorginkoop ratio` output: the JSON objects equal the library's reports; people get a table."""

from __future__ import annotations

import json
from pathlib import Path

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
    assert "'C Z' (1 regels)" in result.stderr  # the warning goes to stderr, never into the JSON


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
