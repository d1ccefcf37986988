"""Recalculate workbooks in real LibreOffice (../shared/NOTES.md, "LibreOffice as the independent
recalculation engine"): a private profile that forces recalculation on load, one `soffice` call for
many files, and a check that every output file exists (soffice exits 0 even when one failed).
`convert` also renders them as a Dutch reader sees them (the profile set to nl-NL): to PDF, or to ODS to
see what LibreOffice made of a VBA project."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse">
<value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse">
<value>0</value></prop></item>
{locale}</oor:items>
"""
DUTCH = """<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse">
<value>nl-NL</value></prop></item>
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooLocale" oor:op="fuse">
<value>nl-NL</value></prop></item>
"""


def soffice() -> str:
    """The soffice binary; missing is a failure under CI=true and a skip (with the reason) elsewhere."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    if os.environ.get("CI") == "true":
        pytest.fail("LibreOffice (soffice) is niet geïnstalleerd; .ci/run installeert libreoffice-calc-nogui")
    pytest.skip("LibreOffice (soffice) is niet geïnstalleerd; deze test rekent de sjablonen na in LibreOffice")


def recalculate(files: list[Path], out_dir: Path) -> dict[Path, Path]:
    """Open, recalculate and save each file as xlsx in `out_dir`, in one soffice run."""
    return convert(files, out_dir, "xlsx", dutch=False)


def convert(files: list[Path], out_dir: Path, extension: str, *, dutch: bool = True) -> dict[Path, Path]:
    """Open, recalculate and save each file as `extension` (xlsx, pdf, ods) in `out_dir`, in one soffice
    run; with `dutch`, LibreOffice runs in nl-NL (decimal commas, WAAR/ONWAAR; its error values stay #NAME? etc.)."""
    binary = soffice()
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as profile:
        user = Path(profile) / "user"
        user.mkdir()
        (user / "registrymodifications.xcu").write_text(PROFILE.format(locale=DUTCH if dutch else ""),
                                                        encoding="utf-8")
        # Names must be unique across the batch: soffice writes <stem>.<extension> into out_dir.
        assert len({f.stem for f in files}) == len(files)
        subprocess.run(
            [binary, f"-env:UserInstallation=file://{profile}", "--headless", "--calc", "--convert-to", extension,
             "--outdir", str(out_dir), *map(str, files)],
            check=True, capture_output=True, timeout=1800,
        )
    result = {f: out_dir / f"{f.stem}.{extension}" for f in files}
    missing = [str(f) for f, converted in result.items() if not converted.is_file()]
    assert not missing, f"LibreOffice converted not all files: {missing[:5]}"
    return result


def typed_into(template: Path, values: dict[str, object], out: Path) -> Path:
    """A copy of `template` at `out` with `values` typed into its named inputs, as a user would: a list
    fills the input's rows from the top."""
    from openpyxl import load_workbook

    wb = load_workbook(template)
    for name, value in values.items():
        ((sheet, ref),) = wb.defined_names[name].destinations
        cells = wb[sheet][ref.replace("$", "")]
        targets = [row[0] for row in cells] if isinstance(cells, tuple) else [cells]
        for cell, item in zip(targets, value if isinstance(value, list) else [value], strict=False):
            cell.value = item
    wb.save(out)
    return out


def _poppler(tool: str) -> str:
    found = shutil.which(tool)
    if found:
        return found
    if os.environ.get("CI") == "true":
        pytest.fail(f"{tool} (poppler-utils) is niet geïnstalleerd; nodig om een PDF na te lezen")
    pytest.skip(f"{tool} (poppler-utils) is niet geïnstalleerd; deze test leest de PDF van een werkmap na")


def pdf_pages(pdf: Path) -> list[str]:
    """The text of each page, laid out as on the page (pdftotext -layout)."""
    result = subprocess.run([_poppler("pdftotext"), "-layout", str(pdf), "-"], check=True, capture_output=True,
                            timeout=120)
    return result.stdout.decode("utf-8").split("\f")[:-1]


def pdf_page_sizes(pdf: Path) -> list[tuple[float, float]]:
    """(width, height) in points of each page."""
    result = subprocess.run([_poppler("pdfinfo"), "-f", "1", "-l", "9999", str(pdf)], check=True,
                            capture_output=True, timeout=120)
    sizes = []
    for line in result.stdout.decode("utf-8").splitlines():
        if line.startswith("Page") and "size:" in line:
            width, _, height = line.split("size:")[1].split()[:3]
            sizes.append((float(width), float(height)))
    return sizes


def only_sheet(workbook: Path, sheet: str, out: Path) -> Path:
    """A copy of `workbook` in which every other sheet is hidden, so that printing it prints `sheet` alone
    (openpyxl would drop the charts: the zip is edited instead)."""
    import re
    import zipfile

    def hide(match: re.Match[str]) -> str:
        attributes = re.sub(r'\sstate="[^"]*"', "", match.group(1))
        return match.group(0) if f'name="{sheet}"' in attributes else f'<sheet{attributes} state="hidden"/>'

    with zipfile.ZipFile(workbook) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/workbook.xml":
                text = re.sub(r"<sheet(\s[^>]*?)/>", hide, data.decode("utf-8"))
                # LibreOffice prints a hidden sheet that has a print area of its own: only `sheet` keeps one.
                text = re.sub(r'<definedName name="_xlnm\.Print_(Area|Titles)"[^>]*>(?!\'?' + re.escape(sheet)
                              + r"\b)[^<]*</definedName>", "", text)
                # The active sheet is shown (and printed) even when hidden: make `sheet` the active one.
                names = re.findall(r'<sheet\s[^>]*name="([^"]*)"', text)
                text = re.sub(r'\sactiveTab="\d+"', "", text)
                data = text.replace("<workbookView", f'<workbookView activeTab="{names.index(sheet)}"', 1).encode()
            target.writestr(info, data)
    return out
