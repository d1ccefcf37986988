"""Recalculate workbooks in real LibreOffice (../shared/NOTES.md, "LibreOffice as the independent
recalculation engine"): a private profile that forces recalculation on load, one `soffice` call for
many files, and a check that every output file exists (soffice exits 0 even when one failed).
`convert` also renders them as a Dutch reader sees them (the profile set to nl-NL): to PDF, or to ODS to
see what LibreOffice made of a VBA project."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

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
ENGLISH = DUTCH.replace("nl-NL", "en-US")  # a CSV's dates as MM/DD/YYYY whatever the machine's LANG


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


def recalculated_sheet(files: list[Path], out_dir: Path, sheet: str) -> dict[Path, Path]:
    """Open and recalculate each file and save one of its sheets as CSV in `out_dir` (`<stem>-<sheet>.csv`), in
    one soffice run: saving a whole workbook costs LibreOffice more than loading and recalculating it (a filled
    cz_ratio copy: 1.0 s against 0.45 s). Each cell is written as it would be typed in an en-US LibreOffice
    (not as shown): a number unformatted to 15 significant digits (a percentage as `12.5%`), a date as
    MM/DD/YYYY, both bare; a text or an error value in quotes. Read it with `read_csv`."""
    number = CalamineWorkbook.from_path(str(files[0])).sheet_names.index(sheet) + 1
    # Field separator, text delimiter, UTF-8, first line, cell formats, language, quote all texts (yes), detect
    # numbers, save as shown (no), formulas (no), strip spaces (no), the sheet (1-based).
    target = f"csv:Text - txt - csv (StarCalc):44,34,76,1,,0,true,true,false,false,false,{number}"
    return _soffice(files, out_dir, target, f"-{sheet}.csv", locale=ENGLISH)


class Bare(str):
    """A CSV field written without quotes: a number, a percentage, a date or an empty cell (LibreOffice
    quotes every text and error value), so a text that looks like a number is never taken for one."""


_FIELD = re.compile(r'"((?:[^"]|"")*)"|([^,\r\n"]*)')


def read_csv(path: Path) -> list[list[str]]:
    """The rows of a CSV written by `recalculated_sheet`: a quoted field as `str`, a bare one as `Bare`."""
    text = path.read_text(encoding="utf-8")
    rows: list[list[str]] = []
    row: list[str] = []
    at = 0
    while at < len(text):
        field = _FIELD.match(text, at)
        assert field is not None  # the second alternative matches the empty string
        row.append(field.group(1).replace('""', '"') if field.group(1) is not None else Bare(field.group(2)))
        at = field.end()
        if text.startswith(",", at):
            at += 1
            continue
        rows.append(row)
        row = []
        if text.startswith("\r\n", at):
            at += 2
        elif text.startswith(("\n", "\r"), at):
            at += 1
        else:
            assert at == len(text), f"{path}: {text[at:at + 20]!r} after a field at {at}"
    if row:
        rows.append(row)
    return rows


def convert(files: list[Path], out_dir: Path, extension: str, *, dutch: bool = True) -> dict[Path, Path]:
    """Open, recalculate and save each file as `extension` (xlsx, pdf, ods) in `out_dir`, in one soffice
    run; with `dutch`, LibreOffice runs in nl-NL (decimal commas, WAAR/ONWAAR; its error values stay #NAME? etc.)."""
    return _soffice(files, out_dir, extension, f".{extension}", locale=DUTCH if dutch else "")


def _soffice(files: list[Path], out_dir: Path, target: str, suffix: str, *, locale: str) -> dict[Path, Path]:
    binary = soffice()
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as profile:
        user = Path(profile) / "user"
        user.mkdir()
        (user / "registrymodifications.xcu").write_text(PROFILE.format(locale=locale), encoding="utf-8")
        # Names must be unique across the batch: soffice writes <stem><suffix> into out_dir.
        assert len({f.stem for f in files}) == len(files)
        subprocess.run(
            [binary, f"-env:UserInstallation=file://{profile}", "--headless", "--calc", "--convert-to", target,
             "--outdir", str(out_dir), *map(str, files)],
            check=True, capture_output=True, timeout=1800,
        )
    result = {f: out_dir / f"{f.stem}{suffix}" for f in files}
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
