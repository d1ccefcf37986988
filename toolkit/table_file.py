"""A small table file read whole: the INPUTS file of `fill`, the list of a kernwerkgebied. CSV (`,` `;` or tab,
UTF-8 with or without BOM) or the first sheet of an xlsx, read with the same sniffer and xlsx bounds as claim
files (`toolkit.tabular`), so a file is split the same way and refused for the same reasons everywhere.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from .errors import InputError


def table_error(path: Path, message: str, **details: Any) -> InputError:
    """The one shape of a message about such a file: the file, then what is wrong."""
    return InputError(f"{path}: {message}", field=details.pop("field", "inputs"), value=details.pop("value", str(path)),
                      file=str(path), **details)


def read_table(path: Path, *, max_bytes: int, what: str) -> list[list[Any]]:
    """Every row of the file as a list of cells (text for CSV, typed values for xlsx). `what` names the kind
    of file in messages ("invoerbestand"); a file larger than `max_bytes` is refused before it is read."""
    from .tabular import MAX_FIELD_CHARS, open_xlsx_sheet, sniff_csv  # start-up: only when such a file is read

    if not path.is_file():
        raise table_error(path, f"{what} bestaat niet")
    try:
        size = path.stat().st_size
    except OSError as err:
        raise table_error(path, f"niet te lezen ({err.strerror})") from None
    if size > max_bytes:
        raise table_error(path, f"te groot voor een {what} ({size // (1 << 20)} MB; hoogstens {max_bytes >> 20} MB)")
    suffix = path.suffix.lower()
    if suffix in {".xlsx", ".xlsm"}:
        sheet = open_xlsx_sheet(path)
        return [list(r) for r in sheet.to_python(skip_empty_area=False)]
    if suffix not in {".csv", ".txt"}:
        raise table_error(path, f"onbekend soort {what} (verwacht .csv, .txt of .xlsx)")
    delimiter = sniff_csv(path).delimiter
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as err:
        raise table_error(path, f"geen UTF-8 (byte {err.start}); sla het bestand op als 'CSV UTF-8'") from None
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    table = []
    limit = csv.field_size_limit()
    try:
        csv.field_size_limit(MAX_FIELD_CHARS)
        for line in reader:
            table.append(line)
    except csv.Error as err:
        longest = f"{MAX_FIELD_CHARS:,}".replace(",", ".")
        why = f"heeft een veld langer dan {longest} tekens" if "field larger" in str(err) else \
            f"is geen leesbare CSV-regel ({err})"
        raise table_error(path, f"rij {reader.line_num} {why}", row=reader.line_num, value=str(err)) from None
    finally:
        csv.field_size_limit(limit)
    return table


__all__ = ["read_table", "table_error"]
