"""What a person sees: every template (empty and filled), every summary.xlsx and both reports printed to PDF
by LibreOffice set to nl-NL, and the pages read back.

A4 landscape on every page, few pages (the results on one), and no text a Dutch reader would stumble on:
no WAAR/ONWAAR/TRUE/FALSE where ja/nee belongs, no error codes (#DEEL/0!, #N/B, Err:502 …).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from libreoffice import convert, only_sheet, pdf_page_sizes, pdf_pages
from openpyxl import load_workbook

from toolkit.claims import ratio_from_claims
from toolkit.claims.ceiling import CeilingRequest, ceiling_from_claims
from toolkit.workbook import examples_dir, template_path
from toolkit.workbook.ceiling_report import write_ceiling_report
from toolkit.workbook.fill import fill
from toolkit.workbook.ratio_report import write_ratio_report
from toolkit.workbook.specs import SPECS

pytestmark = pytest.mark.libreoffice

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
# Words and codes a Dutch reader must not meet: logical values where ja/nee belongs, and error values in the
# Dutch and English spellings LibreOffice and Excel show.
STUMBLES = re.compile(r"\b(WAAR|ONWAAR|TRUE|FALSE)\b|#DEEL/0!|#DIV/0!|#N/[AB]\b|#WAARDE!|#VALUE!|#NAAM\?|#NAME\?|"
                      r"#VERW!|#REF!|#GETAL!|#NUM!|Err:\d{3}")


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every workbook people read, printed in one LibreOffice run: name -> PDF."""
    work = tmp_path_factory.mktemp("afdrukken")
    files: dict[str, Path] = {}
    for name in SPECS:
        files[f"leeg_{name}"] = shutil.copy(template_path(name), work / f"leeg_{name}.xlsx")
        result = fill(name, examples_dir() / f"{name}.csv", work / name)
        first = next(c for c in result.cases if c.file)
        files[f"gevuld_{name}"] = shutil.copy(work / name / str(first.file), work / f"gevuld_{name}.xlsx")
        files[f"uitkomst_{name}"] = only_sheet(files[f"gevuld_{name}"], "Uitkomst", work / f"uitkomst_{name}.xlsx")
        files[f"summary_{name}"] = shutil.copy(result.summary_xlsx, work / f"summary_{name}.xlsx")
    claims = ratio_from_claims(EXAMPLES / "declaraties_2025.csv", year=2027)
    files["rapport_ratio"] = write_ratio_report(claims, list(claims.providers.values()), work / "rapport_ratio.xlsx",
                                                force=False)
    forecasts = ceiling_from_claims(EXAMPLES / "declaraties_2027.csv", ceiling=300_000, year=2027,
                                    request=CeilingRequest(score_previous="B", cost_points=6))
    files["rapport_plafond"] = write_ceiling_report(forecasts.reports, work / "rapport_plafond.xlsx", force=False,
                                                     claims=forecasts.production)
    pdfs = convert(list(files.values()), work / "pdf", "pdf")
    return {name: pdfs[path] for name, path in files.items()}


def pages(pdf: Path) -> list[tuple[float, float]]:
    return pdf_page_sizes(pdf)


def page_text(pdf: Path) -> str:
    return "\f".join(pdf_pages(pdf))


def _landscape(sizes: list[tuple[float, float]]) -> bool:
    return bool(sizes) and all(width > height and round(width) == 842 for width, height in sizes)


@pytest.mark.parametrize("name", list(SPECS))
def test_a_template_prints_on_a_few_landscape_pages_and_its_results_on_one(printed: dict[str, Path],
                                                                           name: str) -> None:
    for kind in ("leeg", "gevuld"):
        sizes = pages(printed[f"{kind}_{name}"])
        assert _landscape(sizes), (kind, sizes[:3])
        assert len(sizes) <= 10, (kind, len(sizes))
    assert len(pages(printed[f"uitkomst_{name}"])) == 1


@pytest.mark.parametrize("name", list(SPECS))
def test_a_template_reads_dutch_and_without_error_codes(printed: dict[str, Path], name: str) -> None:
    empty, filled = page_text(printed[f"leeg_{name}"]), page_text(printed[f"gevuld_{name}"])
    for kind, text in (("leeg", empty), ("gevuld", filled)):
        assert not STUMBLES.findall(text), (kind, STUMBLES.findall(text)[:5])
    # Neutral before input: the instruction explains "fout in de invoer: …", no output says it.
    assert "vul eerst de invoer in" in empty and not re.search(r"fout in de invoer: \w", empty)
    assert "Instructie" not in empty or "gele cellen" in empty  # the instruction sheet is printed first
    assert empty.lstrip().splitlines()[0].strip()  # a header line (title and file name) on every page
    assert re.search(r"pagina 1 van \d+", empty)
    assert re.search(r"\b(ja|nee)\b", filled) or name == "nachtzorg"  # nachtzorg has no yes/no result
    if any(o.kind == "money" for o in SPECS[name].outputs):  # amounts as a Dutch reader writes them
        assert re.search(r"€ \d{1,3}(\.\d{3})*,\d\d\b", filled), name


@pytest.mark.parametrize("name", list(SPECS))
def test_a_summary_prints_landscape_and_reads_ja_nee(printed: dict[str, Path], name: str) -> None:
    sizes = pages(printed[f"summary_{name}"])
    text = page_text(printed[f"summary_{name}"])
    assert _landscape(sizes) and len(sizes) <= 3, sizes
    assert not STUMBLES.findall(text), STUMBLES.findall(text)[:5]
    kinds = {o.kind for o in SPECS[name].outputs}
    assert ("bool" not in kinds or re.search(r"\b(ja|nee)\b", text)) and ("money" not in kinds or "€ " in text)
    assert "fraction" not in kinds or re.search(r"\d,\d\d%", text)


@pytest.mark.parametrize("report", ["rapport_ratio", "rapport_plafond"])
def test_the_reports_print_landscape_without_error_codes(printed: dict[str, Path], report: str) -> None:
    sizes = pages(printed[report])
    text = page_text(printed[report])
    sheets = len(load_workbook(printed[report].parent.parent / f"{printed[report].stem}.xlsx",
                               read_only=True).sheetnames)
    assert _landscape(sizes), sizes[:3]
    assert len(sizes) <= sheets, (len(sizes), sheets)  # the overview and each provider on a page
    assert not STUMBLES.findall(text), STUMBLES.findall(text)[:5]


def test_the_plafond_report_shows_the_months_the_ceiling_and_the_request(printed: dict[str, Path]) -> None:
    text = page_text(printed["rapport_plafond"])
    assert "Omzetplafond" in text and "september" in text and "prognose" in text and "gerealiseerd" in text
    assert "€ 300.000,00" in text and "Verzoek om aanvullend budget mogelijk" in text
    assert "Onbekende verzekeraars, niet meegeteld: 'C Z' (3 regels)" in text


