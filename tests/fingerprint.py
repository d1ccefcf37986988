"""What a workbook says, independent of zip timestamps and library versions: for drift tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import load_workbook


def fingerprint(path: Path) -> dict[str, Any]:
    wb = load_workbook(path, keep_vba=path.suffix == ".xlsm")
    sheets = {}
    for ws in wb.worksheets:
        cells = {
            cell.coordinate: (cell.value, cell.data_type, cell.number_format, cell.protection.locked,
                              cell.fill.fgColor.rgb if cell.fill.fill_type else None, cell.font.b)
            for row in ws.iter_rows() for cell in row if cell.value is not None or cell.fill.fill_type
        }
        validations = sorted(
            (str(v.sqref), v.type, v.formula1, v.formula2, v.operator, v.prompt, v.error, v.allow_blank)
            for v in ws.data_validations.dataValidation
        )
        conditional = sorted(
            (str(rng.sqref), rule.type, tuple(rule.formula or ()))
            for rng in ws.conditional_formatting for rule in rng.rules
        )
        sheets[ws.title] = {
            "state": ws.sheet_state,
            "protected": bool(ws.protection.sheet),
            "cells": cells,
            "validations": validations,
            "conditional": conditional,
            "merged": sorted(str(m) for m in ws.merged_cells.ranges),
            "charts": len(ws._charts),
        }
    names = {name: dn.attr_text for name, dn in wb.defined_names.items()}
    return {"sheets": sheets, "names": names, "order": wb.sheetnames}
