"""Claim files to record batches: which files a claim set holds, each opened by the reader of its format.

Sources: CSV (`;`, `,` or tab; UTF-8 with or without BOM; the dialect from `toolkit.tabular.sniff_csv`),
xlsx (first sheet, after `toolkit.xlsx.check_xlsx`), Parquet, a pandas DataFrame or an Arrow table;
several files at once (a list, or a directory of csv/parquet/xlsx files) are one claim set, each file
with its own line numbers in messages.

Batches leave this module with the canonical field names (`client_id`, `postcode`, …) and with text,
date or (for amounts) number columns only; every other column type is refused here, naming the file
and column. A CSV is cut into pieces of about `CHUNK_BYTES` at line ends, and each piece is parsed
inside a worker thread (`Chunk.load`), so memory stays bounded by the piece size whatever the length
of the file.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa

from ..errors import InputError, cannot_read, not_a_file, show_value
from .claimset import identical_files
from .csv_source import read_csv
from .source import (
    COLUMN_ALIASES,
    DUTCH_FIELD,
    PROGRESS_MIN_BYTES,
    REQUIRED,
    SUFFIXES,
    WORKERS,
    Chunk,
    Layout,
    LongFieldError,
    Source,
    resolve_columns,
)
from .typed_source import frame_table, read_parquet, read_table, read_xlsx

# --------------------------------------------------------------------------- which files


@dataclass(frozen=True)
class ClaimSet:
    """The items of a claim set (paths, a DataFrame or an Arrow table) and the files of its folders that
    were not read, each with the reason (file, reason): nothing is left out without a word."""

    items: list[Any]
    skipped: tuple[tuple[str, str], ...] = ()


def claim_files(source: Any, *, recursive: bool = False) -> ClaimSet:
    """The items of a claim set: a path, a list of paths, a folder (its .csv, .xlsx and .parquet files, by
    name; with `recursive` also those of its subfolders), a DataFrame or an Arrow table. Checks that files
    exist and are of a type read here; lists what a folder holds besides (`ClaimSet.skipped`)."""
    if isinstance(source, pa.Table) or type(source).__name__ == "DataFrame":
        return ClaimSet([source])
    if isinstance(source, str | os.PathLike):
        items: list[Any] = [source]
    elif isinstance(source, Sequence) and not isinstance(source, bytes) and source:
        items = list(source)
    else:
        raise InputError(
            f"bron {show_value(type(source).__name__)} wordt niet ondersteund (verwacht een pad naar csv, xlsx of "
            "parquet, een lijst of map van zulke bestanden, of een DataFrame)", field="source",
            value=type(source).__name__)
    paths: list[Path] = []
    skipped: list[tuple[str, str]] = []
    for item in items:
        if not isinstance(item, str | os.PathLike):
            raise InputError(f"bron {show_value(item)} is geen pad naar een bestand", field="source", value=item)
        path = Path(item)
        if path.is_dir():
            found = _folder_files(path, recursive, skipped)
            if not found:
                listed = "; ".join(f"{Path(f).name}: {why}" for f, why in skipped[:5])
                raise InputError(f"{path}: de map bevat geen csv-, xlsx- of parquet-bestanden"
                                 + (f" (overgeslagen: {listed})" if listed else ""), file=str(path), value=str(path))
            paths.extend(found)
        elif not path.is_file():
            raise InputError(f"{path}: {not_a_file(path)}", file=str(path), value=str(path))
        else:
            unreadable = _not_a_claims_file(path)
            if unreadable is not None or path.suffix.lower() not in SUFFIXES:
                why = unreadable or (f"bestandstype '{path.suffix.lower()}' wordt niet ondersteund (csv, xlsx of "
                                     "parquet)")
                raise InputError(f"{path}: {why}", file=str(path), value=path.suffix.lower())
            paths.append(path)
    seen: dict[Path, Path] = {}
    for path in paths:
        key = path.resolve()
        if key in seen:
            raise InputError(f"{path}: dit bestand staat twee keer in de bronnen (ook als {seen[key]})",
                             file=str(path), value=str(path))
        seen[key] = path
    twins = identical_files(paths) if len(paths) > 1 else None
    if twins is not None:
        first, second = twins
        raise InputError(f"{second}: hetzelfde bestand als {first} (de inhoud is gelijk): een export die twee keer "
                         "is opgeslagen telt anders dubbel; laat er één weg", file=str(second), value=str(second))
    return ClaimSet(list(paths), tuple(skipped))


# What a folder's files are read as: the three formats of claim exports. A file named on the command
# line may also be .txt, .tsv, .xlsm or .pq (SUFFIXES); in a folder those are most often something else
# (a LEESMIJ.txt), and are listed as skipped.
FOLDER_SUFFIXES = (".csv", ".xlsx", ".parquet")
LOCK_FILE = "dit is een tijdelijk Excel-bestand (~$), kies het bestand zelf"
# Spreadsheets that may well hold claims but cannot be read here: refused, never skipped.
SAVE_AS_XLSX = {".xls": "oud Excel-formaat (.xls)", ".xlsb": "binair Excel-formaat (.xlsb)",
                ".ods": "OpenDocument-rekenblad (.ods)"}


def _not_a_claims_file(path: Path) -> str | None:
    """Why a file named on its own cannot be read as claims, with what to do instead; None when it can."""
    if path.name.startswith("~$"):
        return LOCK_FILE
    what = SAVE_AS_XLSX.get(path.suffix.lower())
    if what is not None:
        return f"{what} kan niet worden gelezen; sla het bestand op als .xlsx (Excel-werkmap) of als CSV UTF-8"
    return None


def _folder_files(folder: Path, recursive: bool, skipped: list[tuple[str, str]]) -> list[Path]:
    """The claim files of a folder in name order (with `recursive`, a subfolder's files where its name
    comes); what is not read goes to `skipped` with the reason."""
    found: list[Path] = []
    try:
        entries = sorted(folder.iterdir(), key=lambda p: p.name)
    except OSError as err:  # a folder that may hold claims is never passed over in silence
        raise cannot_read(folder, err) from None
    for entry in entries:
        name = entry.name
        if entry.is_dir():
            if entry.is_symlink():
                skipped.append((str(entry), "koppeling naar een map (niet gevolgd)"))
            elif name.startswith("."):
                skipped.append((str(entry), "verborgen map"))
            elif recursive:
                found.extend(_folder_files(entry, recursive, skipped))
            else:
                skipped.append((str(entry), "submap (niet gelezen; --recursief leest ook submappen)"))
        elif name.startswith("~$"):
            skipped.append((str(entry), "tijdelijk Excel-bestand (~$) van een geopend bestand"))
        elif name.startswith("."):
            skipped.append((str(entry), "verborgen bestand"))
        elif entry.suffix.lower() in SAVE_AS_XLSX:
            raise InputError(f"{entry}: {_not_a_claims_file(entry)} (of haal het uit de map {folder})",
                             file=str(entry), value=entry.suffix.lower())
        elif entry.suffix.lower() in FOLDER_SUFFIXES and entry.is_file():
            found.append(entry)
        elif entry.is_symlink() and not entry.exists():
            skipped.append((str(entry), "koppeling naar een bestand dat er niet (meer) is"))
        else:
            skipped.append((str(entry), "geen declaratiebestand (in een map worden .csv, .xlsx en .parquet "
                                        "gelezen)"))
    return found


def open_source(item: Any, *, wanted: Sequence[str], required: Sequence[str]) -> Source:
    """One item of `claim_files` opened: its layout checked, its chunks still to be read."""
    if isinstance(item, pa.Table):
        return read_table(item, "tabel", wanted, required)
    if type(item).__name__ == "DataFrame":
        return read_table(frame_table(item, wanted, required), "DataFrame", wanted, required)
    path = Path(item)
    kind = SUFFIXES[path.suffix.lower()]
    if kind == "csv":
        return read_csv(path, wanted, required)
    if kind == "xlsx":
        return read_xlsx(path, wanted, required)
    return read_parquet(path, wanted, required)


__all__ = ["COLUMN_ALIASES", "DUTCH_FIELD", "PROGRESS_MIN_BYTES", "REQUIRED", "SUFFIXES", "WORKERS", "Chunk",
           "ClaimSet", "Layout", "LongFieldError", "Source", "claim_files", "open_source", "resolve_columns"]
