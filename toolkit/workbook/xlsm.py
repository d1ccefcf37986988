"""Build `workbooks/zorginkoop.xlsm`: the Excel functions of `toolkit.udfs` on worked examples.

Made from xlwings' own `quickstart.xlsm` (BSD 3-clause, Zoomer Analytics GmbH; the notice is on the
`Lees mij` sheet and in `workbooks/LICENSE-xlwings.txt`), which carries the VBA reference to the
xlwings add-in. Its settings sheet becomes the active `xlwings.conf` with `UDF Modules = toolkit.udfs`.

    python3 -m toolkit.workbook.xlsm [--out workbooks/zorginkoop.xlsm]

The expected values are the policy's own worked examples (SPEC.md; CZ groep, Zorginkoopbeleid
wijkverpleging 2027) where the policy gives one, otherwise a hand-checked case; `tests/test_workbooks.py`
checks that the functions give them and that the committed file matches this builder. They are the
2027 examples: a later policy year gets its own examples.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

import toolkit

from .files import write_atomically

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_OUT = ROOT / "workbooks" / "zorginkoop.xlsm"
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
POLICY = "CZ groep, Zorginkoopbeleid wijkverpleging 2027"


@dataclass(frozen=True)
class Example:
    label: str
    formula: str  # in the file's own (English, comma-separated) formula syntax
    expected: Any
    source: str


# Input ranges on the CZ ratio sheet (the policy's example: 4, 1 and 2 clients in three areas).
RATIO_INPUT = [("5611", 4), ("5612", 1), ("5613", 2)]
RATIO_RANGES = "A5:A7,B5:B7"
# SPEC 5's example: eight months of € 110.000 (column A) and of € 100.000 (column B) against € 1.200.000.
MONTHS = [110_000] * 8 + [None] * 4
MONTHS_LOW = [100_000] * 8 + [None] * 4

SHEETS: dict[str, list[Example]] = {
    "CZ ratio": [
        Example("Ratio van het voorbeeld", f"=CZ_RATIO({RATIO_RANGES})", 7 / 3, f"{POLICY}, § 2.3.2 'Versnippering'"),
        Example("Drempel 2027, bestaand", '=CZ_RATIO_DREMPEL(2027,"bestaand")', 3, f"{POLICY}, bijlage 1, § 1.1"),
        Example("Drempel 2026, bestaand", '=CZ_RATIO_DREMPEL(2026,"bestaand")', 2, f"{POLICY}, bijlage 1, § 1.1"),
        Example("Drempel 2025, nieuw", '=CZ_RATIO_DREMPEL(2025,"nieuw")', 3, f"{POLICY}, bijlage 1, § 1.1"),
        Example("Voldoet 2027?", f'=CZ_RATIO_VOLDOET({RATIO_RANGES},2027,"bestaand")', False,
                f"{POLICY}, § 2.3.2 (2,33 < 3)"),
        Example("Voldoet 2026?", f'=CZ_RATIO_VOLDOET({RATIO_RANGES},2026,"bestaand")', True,
                f"{POLICY}, bijlage 1, § 1.1 (2,33 ≥ 2)"),
        Example("Extra cliënten voor 2027", f'=CZ_EXTRA_CLIENTEN({RATIO_RANGES},2027,"bestaand")', 2,
                "SPEC.md 1: 9 cliënten nodig voor 3 gebieden"),
    ],
    "Staffel": [
        Example("Plafondvrije afspraak", '=CZ_STAFFEL_PCT("C","",,"ja")', 1.0, f"{POLICY}, § 3.2.4"),
        Example("Score A in 2026 en 2027", '=CZ_STAFFEL_PCT("A","A")', 1.0, f"{POLICY}, § 3.2.4"),
        Example("Score A in 2026", '=CZ_STAFFEL_PCT("A","B")', 0.9, f"{POLICY}, § 3.2.4"),
        Example("Score B, 5 kostenpunten", '=CZ_STAFFEL_PCT("B","",5)', 0.85, f"{POLICY}, § 3.2.4"),
        Example("Score B, 4 kostenpunten", '=CZ_STAFFEL_PCT("B","",4)',
                "komt niet in aanmerking: score B in 2026 met minder dan 5 punten op het kostenonderdeel",
                f"{POLICY}, § 3.2.4"),
        Example("Score C", '=CZ_STAFFEL_PCT("C")', "komt niet in aanmerking: score C in 2026", f"{POLICY}, § 3.2.4"),
        Example("Geen score", '=CZ_STAFFEL_PCT("")', 0.9, f"{POLICY}, § 3.2.4"),
        Example("Vergoeding op € 100.000 bij score A", '=CZ_STAFFEL_VERGOEDING(100000,"A")', 90000.0,
                f"{POLICY}, § 3.2.4"),
        Example("Vergoeding op € 12.345,67 bij score B", '=CZ_STAFFEL_VERGOEDING(12345.67,"B","",6)', 10493.82,
                "85% × 12.345,67 = 10.493,8195 → 10.493,82"),
    ],
    "Coöperatie": [
        Example("FTE nodig bij 110 cliënten", "=COOP_FTE_NODIG(110)", 2.0, f"{POLICY}, bijlage 1, § 1.4"),
        Example("FTE nodig bij 55 cliënten", "=COOP_FTE_NODIG(55)", 1.0, f"{POLICY}, bijlage 1, § 1.4"),
        Example("Max. cliënten bij 1,5 FTE", "=COOP_MAX_CLIENTEN(1.5)", 82, "1,5 × 55 = 82,5 → 82"),
        Example("Max. omzet, dag", '=COOP_MAX_OMZET(A5:A7,50,"nee")', 224800.0,
                f"{POLICY}, § 3.2.2: (2.496 + 2.000) × € 50"),
        Example("Max. omzet, nacht", '=COOP_MAX_OMZET(A5:A7,50,"ja")', 204000.0,
                f"{POLICY}, § 3.2.2: (2.080 + 2.000) × € 50"),
    ],
    "Nachtzorg": [
        Example("Gewogen index", "=NZ_GEWOGEN_INDEX(0.031,0.02)", 0.0299, f"{POLICY}, bijlage 1, § 1.6.3: 90/10"),
        Example("Indexfactor, multiplicatief", "=NZ_INDEXFACTOR(0.03,0.025,0.032)", 1.0370341463414634,
                "SPEC.md 4, voorbeeld"),
        Example("Indexfactor, additief", '=NZ_INDEXFACTOR(0.03,0.025,0.032,"additief")', 1.037,
                "SPEC.md 4, voorbeeld"),
        Example("Vergoed budget, multiplicatief", "=NZ_BUDGET(1000000,0.03,0.025,0.032,0.85)", 881479.02,
                "SPEC.md 4, voorbeeld"),
        Example("Vergoed budget, additief", '=NZ_BUDGET(1000000,0.03,0.025,0.032,0.85,"additief")', 881450.0,
                "SPEC.md 4, voorbeeld"),
    ],
    "Plafond": [
        Example("Prognose bij 8 × € 110.000", "=CZ_PLAFOND_PROGNOSE(A5:A16)", 1320000.0, "SPEC.md 5, voorbeeld"),
        Example("Tekort op € 1.200.000", "=CZ_PLAFOND_TEKORT(1200000,A5:A16)", 120000.0, "SPEC.md 5, voorbeeld"),
        Example("Aanvullend budget, score B en 6 punten", '=CZ_BIJCONTRACTERING(1200000,A5:A16,"B","",6)', "ja",
                f"{POLICY}, § 3.2.4; SPEC.md 5"),
        Example("Prognose bij 8 × € 100.000", "=CZ_PLAFOND_PROGNOSE(B5:B16)", 1200000.0, "SPEC.md 5, voorbeeld"),
        Example("Tekort bij 8 × € 100.000", "=CZ_PLAFOND_TEKORT(1200000,B5:B16)", 0.0, "SPEC.md 5, voorbeeld"),
    ],
    "Eigen levering": [
        Example("Eigen levering, voorbeeld", "=CZ_EIGEN_LEVERING(5200,300,2500,3000)", 0.5,
                f"{POLICY}, bijlage 1, § 1.1 en § 1.2; SPEC.md 6"),
        Example("Met 2.600 uur zzp", "=CZ_EIGEN_LEVERING(5200,300,2600,3000)", 5500 / 11100, "SPEC.md 6, voorbeeld"),
    ],
}
COOP_HOURS = [3000, 2000, None]  # one member above the ATW cap, one below, one empty row

README_LINES = [
    ("Zorginkoop toolkit: Excel-functies", True),
    ("Deze werkmap toont de Excel-functies van de zorginkoop-toolkit op rekenvoorbeelden uit het "
     "CZ-inkoopbeleid wijkverpleging 2027. Elk tabblad zet de uitkomst van de functie naast de verwachte "
     "waarde en de bron.", False),
    ("", False),
    ("Eenmalig instellen op Windows", True),
    ("1. Installeer Python 3.11 of nieuwer (python.org), met 'Add python.exe to PATH' aangevinkt.", False),
    ("2. De toolkit staat niet op PyPI. Pak de map van de toolkit uit (het zip-bestand dat uw team verspreidt, "
     "of een git clone) en open er een opdrachtprompt in. Installeer hem met: python -m pip install . "
     "(of, met een wheel-bestand: python -m pip install zorginkoop_toolkit-<versie>-py3-none-any.whl).", False),
    ("3. Installeer de xlwings-invoegtoepassing: xlwings addin install", False),
    ("4. Excel: Bestand > Opties > Vertrouwenscentrum > Instellingen voor het vertrouwenscentrum > "
     "Instellingen voor macro's: vink 'Toegang tot het objectmodel van het VBA-project vertrouwen' aan.", False),
    ("5. Open deze werkmap en klik op 'Inhoud inschakelen' (macro's).", False),
    ("6. Tabblad xlwings > Import Functions. De functies (CZ_RATIO, NZ_BUDGET, ...) staan daarna in de "
     "categorie xlwings van de functiewizard, met uitleg per argument.", False),
    ("7. Druk op Ctrl+Alt+F9 om alles opnieuw te berekenen; kolom 'Klopt' moet overal 'ja' tonen.", False),
    ("", False),
    ("Het tabblad xlwings.conf bevat de instelling UDF Modules = toolkit.udfs.", False),
    ("", False),
    ("Excel op het web en op de Mac (xlwings Lite)", True),
    ("1. Installeer de invoegtoepassing xlwings Lite uit de Office-invoegtoepassingenwinkel.", False),
    ("2. Open in xlwings Lite het tabblad requirements.txt en plak de inhoud van workbooks/lite/requirements.txt "
     "(alleen xlwings en numpy: de toolkit zelf zit in main.py).", False),
    ("3. Plak de inhoud van workbooks/lite/main.py (één bestand met de regels, de parameters en de functies) in het "
     "tabblad main.py en start xlwings Lite opnieuw. Er is geen server of wheel nodig.", False),
    ("Een fout in de invoer geeft een tekst die begint met #WAARDE!, met de rij en de waarde erin.", False),
    ("", False),
    ("Licentie", True),
    ("Gemaakt van het quickstart-werkboek van xlwings: Copyright (C) 2014 - present, Zoomer Analytics GmbH. "
     "BSD 3-clause; de volledige tekst staat in workbooks/LICENSE-xlwings.txt.", False),
]


def quickstart_path() -> Path:
    import xlwings

    return Path(xlwings.__file__).parent / "quickstart.xlsm"


def _conf_sheet(ws: Worksheet) -> None:
    ws.title = "xlwings.conf"  # renamed from _xlwings.conf: this activates it (xlwings docs)
    for row in ws.iter_rows(min_col=1, max_col=2):
        if row[0].value == "UDF Modules":
            row[1].value = "toolkit.udfs"
            return
    raise RuntimeError("quickstart.xlsm heeft geen regel 'UDF Modules' meer")


def _readme(ws: Worksheet) -> None:
    ws.title = "Lees mij"
    ws.column_dimensions["A"].width = 120
    for row, (text, heading) in enumerate(README_LINES, start=1):
        cell = ws.cell(row=row, column=1, value=text or None)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if heading:
            cell.font = Font(bold=True, size=14 if row == 1 else 12)
    ws.cell(row=len(README_LINES) + 2, column=1, value=f"Gebouwd met zorginkoop-toolkit {toolkit.__version__}.")


def _example_sheet(ws: Worksheet, examples: list[Example]) -> None:
    ws["A1"] = ws.title
    ws["A1"].font = Font(bold=True, size=14)
    if ws.title == "CZ ratio":
        ws["A3"], ws["B3"] = "Invoer: postcodes en cliënten (voorbeeld uit het beleid)", None
        ws["A4"], ws["B4"] = "Postcode", "Cliënten"
        for i, (postcode, clients) in enumerate(RATIO_INPUT, start=5):
            ws.cell(row=i, column=1, value=postcode).fill = INPUT_FILL
            ws.cell(row=i, column=2, value=clients).fill = INPUT_FILL
    elif ws.title == "Coöperatie":
        ws["A3"] = "Invoer: uren per jaar per lid"
        ws["A4"] = "Uren"
        for i, hours in enumerate(COOP_HOURS, start=5):
            ws.cell(row=i, column=1, value=hours).fill = INPUT_FILL
    elif ws.title == "Plafond":
        ws["A3"] = "Invoer: productie per maand (januari eerst), leeg na de laatst bekende maand"
        ws["A4"], ws["B4"] = "Productie (€)", "Productie, lager (€)"
        for i, (high, low) in enumerate(zip(MONTHS, MONTHS_LOW, strict=True), start=5):
            ws.cell(row=i, column=1, value=high).fill = INPUT_FILL
            ws.cell(row=i, column=2, value=low).fill = INPUT_FILL
    top = 20 if ws.title == "Plafond" else 10
    for col, title in enumerate(["Voorbeeld", "Formule", "Uitkomst", "Verwacht", "Klopt", "Bron"], start=1):
        cell = ws.cell(row=top, column=col, value=title)
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
    for row, example in enumerate(examples, start=top + 1):
        ws.cell(row=row, column=1, value=example.label)
        shown = ws.cell(row=row, column=2, value=example.formula)
        shown.data_type = "s"  # the formula as text, so readers see what is typed in column C
        ws.cell(row=row, column=3, value=example.formula)
        ws.cell(row=row, column=4, value=example.expected)
        check = (f'=IF(ISNUMBER(D{row}),IF(ABS(C{row}-D{row})<0.000000001,"ja","NEE"),IF(C{row}=D{row},"ja","NEE"))')
        ws.cell(row=row, column=5, value=check)
        ws.cell(row=row, column=6, value=example.source)
    for letter, width in zip("ABCDEF", (34, 58, 18, 18, 8, 48), strict=True):
        ws.column_dimensions[letter].width = width


def build(out: Path = DEFAULT_OUT) -> Path:
    wb = load_workbook(quickstart_path(), keep_vba=True)
    sheet1, conf = wb.worksheets
    _readme(sheet1)
    for title, examples in SHEETS.items():
        _example_sheet(wb.create_sheet(title), examples)
    _conf_sheet(conf)
    wb.move_sheet(conf, offset=len(wb.worksheets) - 1 - wb.worksheets.index(conf))
    wb.active = 0
    wb.calculation.fullCalcOnLoad = True
    write_atomically(out, lambda tmp: wb.save(tmp))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description="Bouw workbooks/zorginkoop.xlsm")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    print(build(parser.parse_args().out))


if __name__ == "__main__":
    main()
