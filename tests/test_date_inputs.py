"""A date as a template input or output (the "date" kind): read once (`toolkit.dates.read_date`) inside the
plausible years, shown d-m-yyyy, written as a date cell, ISO 8601 in summary.csv."""

from __future__ import annotations

import csv
import datetime as dt
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from toolkit.dates import excel_serial
from toolkit.errors import InputError, InputErrors
from toolkit.parameters import date_bounds, plausible_date
from toolkit.rules.declaration import Input
from toolkit.workbook import templates_dir
from toolkit.workbook.check import check_workbook, shown
from toolkit.workbook.fill import fill
from toolkit.workbook.formats import input_format
from toolkit.workbook.specs import convert, kind_name

DATE = Input("in_datum", "Datum", "date", "Dag-maand-jaar.")
OPTIONAL = Input("in_datum", "Datum", "date", "Dag-maand-jaar.", required=False)
FIRST, LAST = date_bounds()
ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("typed", ["15-01-2027", "15-1-2027", "15/01/2027", "2027-01-15", " 15 januari 2027 ",
                                   46402, 46402.0, dt.date(2027, 1, 15), dt.datetime(2027, 1, 15, 9, 30)])
def test_every_spelling_of_a_date_is_one_date(typed: object) -> None:
    assert convert(DATE, typed, label="kolom 'datum'") == dt.date(2027, 1, 15)


@given(st.dates(min_value=dt.date(1900, 3, 1), max_value=LAST))
def test_a_date_typed_day_first_or_as_its_serial_reads_back(day: dt.date) -> None:
    assert convert(DATE, f"{day.day}-{day.month}-{day.year}") == day
    if not 1900 <= excel_serial(day) <= 2100:  # a year where a date belongs (test_dates.py)
        assert convert(DATE, excel_serial(day)) == day


@pytest.mark.parametrize("typed", ["31-02-2027", "15-01-27", "morgen", True, 1.5, "01-01-1850", "1-1-2101",
                                   dt.date(2101, 1, 1), -3])
def test_what_is_no_plausible_date_is_refused_naming_the_column_and_value(typed: object) -> None:
    with pytest.raises(InputError, match=r"^invoer\.csv, rij 2, kolom 'inschrijfdatum': ") as caught:
        convert(DATE, typed, label="invoer.csv, rij 2, kolom 'inschrijfdatum'")
    assert caught.value.field == "datum" and caught.value.value == typed


def test_an_empty_date_is_missing_when_required_and_none_otherwise() -> None:
    with pytest.raises(InputError, match=r"kolom 'datum': waarde ontbreekt"):
        convert(DATE, "  ", label="kolom 'datum'")
    assert convert(OPTIONAL, None) is None and convert(OPTIONAL, "") is None


def test_the_plausible_dates_are_the_plausible_years() -> None:
    assert date_bounds() == (dt.date(1900, 1, 1), dt.date(2100, 12, 31))
    assert plausible_date("31-12-2100", "datum") == LAST
    with pytest.raises(InputError, match=r"^peildatum: '2101-01-01' valt buiten 1 januari 1900 t/m 31 december 2100$"):
        plausible_date("2101-01-01", "peildatum")


def test_a_date_is_shown_as_a_dutch_reader_writes_it() -> None:
    assert input_format("date", None) == "d-m-yyyy"
    assert kind_name(DATE) == "datum"
    assert shown(dt.date(2027, 3, 5)) == "5-3-2027" and shown(dt.datetime(2027, 3, 5)) == "5-3-2027"


# --- the date kind on every surface, with the template that has one (nieuwe_aanbieder) ----------------------

HEADER = ["aanbieder", "inschrijfdatum", "verwachte_omzet", "kernwerkgebied", "postcodes", "clienten"]


def _csv(path: Path, rows: list[list[object]]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def _named(wb: Any, name: str) -> Any:
    ((sheet, ref),) = wb.defined_names[name].destinations
    return wb[sheet][ref.replace("$", "").split(":")[0]]


def test_fill_writes_a_date_cell_whatever_the_spelling_and_summarises_it(tmp_path: Path) -> None:
    inputs = _csv(tmp_path / "in.csv", [["streep", "15-01-2027", "60.000", "nee", "", ""],
                                        ["iso", "2027-01-15", "60000", "nee", "", ""],
                                        ["woord", "15 januari 2027", "€ 60.000,00", "nee", "", ""]])
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER)
    sheet.append(["serieel", 46402, 60000, "nee"])  # an unformatted date: its Excel serial number
    sheet.append(["datumcel", dt.date(2027, 1, 15), 60000, "nee"])
    book.save(tmp_path / "in.xlsx")
    results = [fill("nieuwe_aanbieder", inputs, tmp_path / "csv"),
               fill("nieuwe_aanbieder", tmp_path / "in.xlsx", tmp_path / "xlsx")]
    cases = [c for result in results for c in result.cases]
    assert [c.error for c in cases] == [None] * 5
    assert {c.values["in_inschrijfdatum"] for c in cases} == {dt.date(2027, 1, 15)}
    assert {c.outputs["out_antwoord_verwacht"] for c in cases} == {dt.date(2027, 3, 15)}
    for result in results:
        for case in result.cases:
            filled = load_workbook(result.summary_xlsx.parent / str(case.file))
            cell = _named(filled, "in_inschrijfdatum")
            assert cell.is_date and cell.value == dt.datetime(2027, 1, 15) and cell.number_format == "d-m-yyyy"
            cached = _named(load_workbook(result.summary_xlsx.parent / str(case.file), data_only=True),
                            "out_antwoord_verwacht")
            assert cached.value == dt.datetime(2027, 3, 15)  # the engine's result, shown before recalculation
        with open(result.summary_csv, encoding="utf-8") as handle:
            assert {row["out_antwoord_verwacht"] for row in csv.DictReader(handle)} == {"2027-03-15"}
        summary = load_workbook(result.summary_xlsx)["Samenvatting"]
        column = next(c.column for c in summary[1] if c.value == "Antwoord van CZ verwacht uiterlijk (streven)")
        dates = [summary.cell(row, column) for row in range(2, summary.max_row + 1)]
        assert all(c.is_date and c.value == dt.datetime(2027, 3, 15) and c.number_format == "d-m-yyyy" for c in dates)


def test_check_reads_a_filled_date_and_finds_a_changed_one(tmp_path: Path) -> None:
    result = fill("nieuwe_aanbieder", _csv(tmp_path / "in.csv", [["x", "31-12-2026", "50.000", "nee", "", ""]]),
                  tmp_path / "uit")
    path = result.summary_xlsx.parent / str(result.cases[0].file)
    report = check_workbook(path)
    assert report.ok and report.outputs["out_antwoord_verwacht"] == dt.date(2027, 2, 28)
    with zipfile.ZipFile(path) as archive:  # another answer date saved as the result: check says so
        parts = {name: archive.read(name) for name in archive.namelist()}
    serial = str(excel_serial(dt.date(2027, 2, 28))).encode()
    uitkomst = next(name for name, data in parts.items() if name.startswith("xl/worksheets/") and serial in data)
    parts[uitkomst] = parts[uitkomst].replace(b"<v>" + serial + b"</v>", b"<v>" + str(int(serial) + 1).encode() +
                                              b"</v>")
    changed = tmp_path / "anders.xlsx"
    with zipfile.ZipFile(changed, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    findings = [f.line() for f in check_workbook(changed).findings]
    assert any("28-2-2027" in line and "1-3-2027" in line for line in findings), findings


def test_a_date_fill_cannot_read_is_refused_naming_row_column_and_value(tmp_path: Path) -> None:
    inputs = _csv(tmp_path / "in.csv", [["x", "15-01-27", "60.000", "nee", "", ""]])
    with pytest.raises(InputErrors, match=r"in\.csv, rij 2, kolom 'inschrijfdatum': '15-01-27' is geen datum"):
        fill("nieuwe_aanbieder", inputs, tmp_path / "uit")
    assert not (tmp_path / "uit" / "x.xlsx").exists()


def test_the_template_validates_and_formats_its_date_cells() -> None:
    wb = load_workbook(templates_dir() / "nieuwe_aanbieder.xlsx")
    ((_sheet, ref),) = wb.defined_names["in_inschrijfdatum"].destinations
    (validation,) = [v for v in wb["Invoer"].data_validations.dataValidation if str(v.sqref) == ref.replace("$", "")]
    assert (validation.type, validation.operator) == ("date", "between")
    assert (int(validation.formula1), int(validation.formula2)) == tuple(excel_serial(d) for d in date_bounds())
    assert "dag-maand-jaar" in validation.error
    assert _named(wb, "in_inschrijfdatum").number_format == "d-m-yyyy"
    assert _named(wb, "out_antwoord_verwacht").number_format == "d-m-yyyy"


def test_describe_names_a_date_input_and_output() -> None:
    result = subprocess.run([sys.executable, "-m", "toolkit.cli", "describe", "nieuwe_aanbieder"], capture_output=True,
                            text=True, env={**os.environ, "COLUMNS": "80", "PYTHONPATH": str(ROOT)}, check=True)
    assert "inschrijving; datum" in result.stdout and "(streven); datum" in result.stdout
    assert max(len(line) for line in result.stdout.splitlines()) <= 80
