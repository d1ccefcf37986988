"""The Bronnen sheet of a template: every parameter with its value, policy year and source, for the
reader; below it the table of parameters per policy year that the formulas read (`par_jaren`, `tab_*`).
Also the policy texts and the footer that the other sheets name."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..dates import dutch_date
from ..parameters import current_year
from ..parameters.schema import Parameter, Source
from ..rules.declaration import NOT_APPLICABLE, Template
from ..version import __version__
from .formats import DATE_FORMAT, OUTPUT_FORMATS, fit_row, font, print_setup
from .formula import UNIT_KINDS, define_name, excel_value, template_parameters
from .styles import HEADER_FILL, WRAP, heading, text_cell

TOOLKIT = f"zorginkoop-toolkit {__version__}"


def policy_sources(spec: Template) -> list[str]:
    """The policy texts the template's parameters come from, by title and section, each once."""
    seen: list[str] = []
    for parameter in template_parameters(spec):
        for dated in parameter.values.values():
            entry = _source_heading(dated.source)
            if entry not in seen:
                seen.append(entry)
    return seen


def _source_heading(source: Source) -> str:
    """"CZ groep, Zorginkoopbeleid wijkverpleging 2027, § 3.2.4 Aanvullende zorginkoop": the section up to
    its quotation."""
    section = source.section.split(":")[0].split(" (")[0].strip()
    return f"{source.document}, {section}"


def footer(spec: Template) -> str:
    return f"{TOOLKIT} · sjabloon {spec.name} {spec.version}"


def sources_sheet(wb: Workbook, spec: Template) -> None:
    """The parameter listing (every value, year and source) and the per-year table the formulas read."""
    ws = wb.create_sheet("Bronnen")
    text_cell(ws, 1, 1, "Bronnen en parameters")
    ws["A1"].font = font(bold=True, size=14)
    ws["A2"], ws["B2"] = "Sjabloon", spec.name
    ws["A3"], ws["B3"] = "Versie sjabloon", spec.version
    ws["A4"], ws["B4"] = "Gemaakt met zorginkoop-toolkit", __version__
    ws["A5"], ws["B5"] = "Beleidsjaar bij lege invoer", current_year()
    define_name(wb, "zk_sjabloon", "Bronnen", "B2")
    define_name(wb, "zk_versie", "Bronnen", "B3")
    define_name(wb, "par_huidig_jaar", "Bronnen", "B5")
    # For readers: what, when, how much and where the policy says so. The name the formulas use comes last,
    # not printed; the seed file is not listed (a reader has the policy, not the toolkit's copy of it).
    headers = ["Omschrijving", "Beleidsjaar", "Waarde", "Eenheid", "Bron (beleidstekst)", "Sectie", "Opmerking",
               "Naam in de formules"]
    top = 7
    for column, title in enumerate(headers, start=1):
        heading(ws, top, column, title)
    row = top + 1
    parameters = template_parameters(spec)
    for parameter in parameters:
        for year in parameter.years:
            dated = parameter.values[year]
            for column, content in enumerate([parameter.label, year, _listed(spec, parameter, year), parameter.unit,
                                              dated.source.document, dated.source.section, dated.note,
                                              f"par_{parameter.name}"], start=1):
                cell = (text_cell(ws, row, column, content) if isinstance(content, str)
                        else ws.cell(row, column, content))
                cell.alignment = WRAP
                if column == 3 and isinstance(content, int | float):
                    cell.number_format = OUTPUT_FORMATS[UNIT_KINDS.get(parameter.unit, "number")]
            row += 1
    _year_table(wb, ws, spec, parameters, row + 2)
    for letter, width in zip("ABCDEFGH", (40, 12, 24, 10, 30, 60, 30, 30), strict=True):
        ws.column_dimensions[letter].width = width
    for r in range(top, row):
        fit_row(ws, r)
    # The listing is for people; the year table below it is what the formulas read, not printed.
    print_setup(ws, f"A1:G{row - 1}", title=spec.title, footer=footer(spec), titles_rows=f"{top}:{top}")


def _listed(spec: Template, parameter: Parameter, year: int) -> object:
    """A parameter value as the listing shows it: a date as 1 januari 2027, the staffel as its rows."""
    value = parameter.values[year].value
    if value is None:
        return NOT_APPLICABLE
    if isinstance(value, dt.date):
        return dutch_date(value)
    if isinstance(value, tuple):
        return spec.table_text(year) if spec.table_text else "; ".join(
            ", ".join(f"{key}: {cell}" for key, cell in row.items()) for row in value)
    return excel_value(value)


def _year_table(wb: Workbook, ws: Worksheet, spec: Template, parameters: list[Parameter], top: int) -> None:
    """Parameters per policy year: one row per covered year, one column per value (a staffel table's rows
    as pairs of columns). `par_jaren` names the years; `tab_<parameter>` each column."""
    text_cell(ws, top, 1, "Parameters per beleidsjaar (de formules lezen deze tabel)").font = font(bold=True)
    years = spec.years
    first, last = top + 2, top + 1 + len(years)
    columns: list[tuple[str, Callable[[int], object]]] = [("jaren", lambda y: y)]
    for parameter in parameters:
        if parameter.type == "table":
            width = max(len(parameter.values[y].value) for y in years)  # type: ignore[arg-type]
            for k in range(width):
                columns.append((f"{parameter.name}_{parameter.columns[0].name}_{k + 1}",
                                _table_cell(parameter, k, 0)))
                columns.append((f"{parameter.name}_{parameter.columns[1].name}_{k + 1}",
                                _table_cell(parameter, k, 1)))
        elif parameter.type in {"decimal", "integer", "date"}:
            columns.append((parameter.name, _scalar_cell(parameter)))
    for column, (name, value_of) in enumerate(columns, start=1):
        header = ws.cell(row=top + 1, column=column, value="Beleidsjaar" if name == "jaren" else name)
        header.fill = HEADER_FILL
        for i, year in enumerate(years):
            cell = ws.cell(row=first + i, column=column, value=value_of(year))
            if isinstance(cell.value, str):
                cell.data_type = "s"
            if isinstance(cell.value, dt.date):
                cell.number_format = DATE_FORMAT
        letter = get_column_letter(column)
        define_name(wb, "par_jaren" if name == "jaren" else f"tab_{name}", "Bronnen", f"{letter}{first}:{letter}{last}")


def _cell_value(value: object) -> object:
    return NOT_APPLICABLE if value is None else excel_value(value)


def _scalar_cell(parameter: Parameter) -> Callable[[int], object]:
    return lambda year: _cell_value(parameter.values[year].value)


def _table_cell(parameter: Parameter, k: int, column: int) -> Callable[[int], object]:
    name = parameter.columns[column].name

    def value(year: int) -> object:
        rows = parameter.values[year].value
        assert isinstance(rows, tuple)
        return _cell_value(rows[k][name]) if k < len(rows) else ""
    return value


__all__ = ["TOOLKIT", "footer", "policy_sources", "sources_sheet"]
