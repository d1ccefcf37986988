"""`zorginkoop fill`: one filled copy of a template per key in an INPUTS file, plus a summary.

The template is read once. Each copy changes two parts: the input cells of its Invoer sheet (the empty,
styled cells the builder left there are replaced in the sheet's XML) and the cached results of the
`out_*` cells on Uitkomst (the Python engine's values, so a preview that does not calculate — mail, a
phone, a viewer — shows the results). Every other part of the file is copied byte for byte, still
compressed (zipcopy.py), and `fullCalcOnLoad` (set in the template) makes Excel and LibreOffice
recalculate on open. Text is always written as an inline string, so input such as `=HYPERLINK(...)`
can never become a formula.

Rows are validated first, all of them, through the same conversion and the Python rules that fill the
summary: bad rows stop the run before anything is written (exit 1, every bad row named, up to 20) or,
with `--skip-invalid`, are listed in the summary as rejected with their reason.

Safety of the output directory (a finance team's shared drive): a lock refuses a second run into the
same directory; the INPUTS file can never be an output; nothing is overwritten without `force`;
every file is written to a temporary name and renamed; temporary files are removed on every exit path,
and worker processes die with their parent; a run that fails writes no summary.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import hashlib
import os
import re
import signal
import threading
import unicodedata
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from ..columns import header_key
from ..errors import (
    TITLE_FIELDS,
    InputError,
    InputErrors,
    PolicyYearError,
    ToolkitError,
    dutch_list,
    header_below_title,
    relabel,
    show_value,
)
from ..table_file import read_table, refuse_error_cells, table_error
from .files import (
    OutputLock,
    disk_error,
    join_run,
    remove_own_temporaries,
    remove_stale_temporaries,
    run_id,
    same_file,
    write_atomically,
)
from .formats import header_code
from .specs import XML_INVALID, Input, Template, convert
from .summary import NAMES, summary_files, summary_rows, write_summary
from .template_file import TemplateFile, is_reference

_UNSAFE_NAME = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
# Names Windows keeps for devices, whatever follows the dot (superscript digits count as digits there).
_RESERVED = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
             *(f"{d}{i}" for d in ("COM", "LPT") for i in [*range(1, 10), "¹", "²", "³"])}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PARALLEL_FROM = 64  # below this, starting worker processes costs more than it saves
DEFAULT_WORKERS = 8  # at most, by default: the cores beyond wait on the disk
MAX_WORKERS = 61  # what Python's process pool allows on Windows; each worker is a process of its own
_T = TypeVar("_T")
MAX_KEY_CHARS = 100  # a key in a copy's printed header (Excel keeps 255 characters of a header, the template ~100)
MAX_NAME_BYTES = 120  # a file name's key part; the rest of the 255 bytes a file system allows is spare
MAX_INPUTS_BYTES = 64 << 20  # an INPUTS file of a few thousand providers is a few megabytes
# Rows of an INPUTS file: every row is kept (and every key becomes a workbook), so the file is bounded
# by rows, not only bytes: 100 providers × 2,000 postcode areas. Reading this many stays far below 1 GB.
MAX_INPUTS_ROWS = 200_000
SHOWN_ERRORS = 20


# --- reading INPUTS --------------------------------------------------------------------------------

@dataclass
class Row:
    number: int  # as the user sees it: the header is row 1
    values: dict[str, Any]


def read_inputs(path: Path, notes: list[str] | None = None,
                known: Collection[str] = ()) -> tuple[list[str], list[Row]]:
    """Columns and rows of a csv (`,` `;` or tab, UTF-8 with or without BOM) or xlsx (first sheet; other
    sheets with data are said in `notes`, or refused without it). `known`: the column names a template
    reads (as `column_key` gives them), to tell a title above them from a row of data."""
    table = read_table(path, max_bytes=MAX_INPUTS_BYTES, max_rows=MAX_INPUTS_ROWS, what="invoerbestand",
                       notes=notes)
    refuse_error_cells(path, table)  # every column of INPUTS is read (one that is not is refused)
    if not table or not any(str(c).strip() for c in table[0] if c is not None):
        first = next((n for n, row in enumerate(table, start=1) if any(str(c).strip() for c in row if c is not None)),
                     None)
        if first is not None:  # a title or empty rows above the header
            raise table_error(path, f"rij 1 is leeg; de kopregel (de namen van de kolommen) moet op rij 1 staan, de "
                                    f"eerste gevulde rij is rij {first}", row=1)
        raise table_error(path, "het bestand is leeg (geen kopregel)")
    header = ["" if c is None else str(c).strip() for c in table[0]]
    while header and header[-1] == "":
        header.pop()
    seen: dict[str, str] = {}
    for column in header:
        canonical = column_key(column)
        if column == "" or canonical in seen:
            twin = f" (zelfde als {show_value(seen[canonical])})" if canonical in seen else ""
            raise table_error(path, f"rij 1: kolomnaam {show_value(column)} is leeg of dubbel{twin}", field="kolom",
                                value=column, row=1)
        seen[canonical] = column
    rows = []
    width, missing = len(header), dict.fromkeys(header)
    for number, cells in enumerate(table[1:], start=2):
        if len(cells) > width:
            extra = [v for v in cells[width:] if v not in (None, "")]
            if extra and _title_above(header, table[1:number - 1], cells, known):
                raise table_error(path, header_below_title(number, rows=("rij", "rijen")), field="kolom", row=number)
            if extra:
                raise table_error(path, f"rij {number}: meer waarden dan kolommen ({show_value(extra[0])})",
                                  field="kolom", value=extra[0], row=number)
        # A cell of only spaces is empty; a row shorter than the header has its last cells empty.
        values = {c: (None if v.__class__ is str and not v.strip() else v)
                  for c, v in zip(header, cells, strict=False)}
        if len(cells) < width:
            values = {**missing, **values}
        if any(v is not None for v in values.values()):
            rows.append(Row(number, values))
    return header, rows


def _title_above(header: Sequence[str], between: Sequence[Sequence[object]], cells: Sequence[object],
                 known: Collection[str]) -> bool:
    """Whether row 1 is a title over the real header `cells`: title lines (row 1 and the rows `between`, each
    of a cell or two, or empty), then a row that names more columns, at least two of them the template's
    (`known`). Anything else is data: row 1 is the header, and `cells` a row too wide. (Said only where that
    row is refused anyway, for having more values than row 1 has columns.)"""
    def filled(row: Sequence[object]) -> int:
        return sum(1 for c in row if c is not None and str(c).strip())

    names = [c for c in cells if c is not None and str(c).strip()]
    return (filled(header) <= TITLE_FIELDS < len(names) and all(filled(row) <= TITLE_FIELDS for row in between)
            and sum(1 for c in names if isinstance(c, str) and column_key(c) in known) >= 2)


def column_key(name: str) -> str:
    """A column name as it is matched (`toolkit.columns.header_key`, as for claim files): case, diacritics,
    spaces, '-', '_' and '.' ignored (`Score vorig jaar` = `score_vorig_jaar`, `cliënten` = `clienten`)."""
    return header_key(name)


# --- cases ----------------------------------------------------------------------------------------------

@dataclass
class Case:
    key: str
    rows: list[int]
    values: dict[str, Any] = field(default_factory=dict)  # converted inputs, by in_* name
    outputs: dict[str, Any] = field(default_factory=dict)  # the Python engine's results
    error: str | None = None
    file: str | None = None  # DIR/<key>.xlsx once written


def _columns(spec: Template, header: Sequence[str], key: str, path: Path) -> dict[str, str]:
    """input name -> column in the file; unknown columns are an error (with the nearest name), not ignored."""
    by_key = {column_key(c): c for c in header}
    known = {column_key(i.column): i for i in spec.inputs}
    for column in header:
        canonical = column_key(column)
        if canonical in known or canonical == column_key(key):
            continue
        nearest = difflib.get_close_matches(canonical, list(known), n=1, cutoff=0.6)
        hint = f"; bedoelt u {show_value(known[nearest[0]].column)}?" if nearest else ""
        raise table_error(path, f"rij 1: kolom {show_value(column)} hoort niet bij sjabloon {spec.name}{hint} "
                                  f"(invoer: {', '.join(sorted(i.column for i in spec.inputs))})", field="kolom",
                            value=column, row=1)
    missing = [i.column for i in spec.inputs if i.required and i.kind != "flag" and column_key(i.column) not in by_key]
    if missing:
        raise table_error(path, f"rij 1: kolom {show_value(missing[0])} ontbreekt (nodig voor sjabloon {spec.name})",
                            field="kolom", value=missing[0], row=1)
    return {i.name: by_key[column_key(i.column)] for i in spec.inputs if column_key(i.column) in by_key}


def build_cases(spec: Template, path: Path, header: list[str], rows: list[Row], key: str | None,
                *, skip_invalid: bool) -> list[Case]:
    """One case per key, converted and computed; with `skip_invalid` False, InputErrors for every bad key."""
    key_column = key or header[0]
    matches = [c for c in header if column_key(c) == column_key(key_column)]
    if not matches:
        raise table_error(path, f"sleutelkolom {show_value(key_column)} bestaat niet (kolommen: {', '.join(header)})",
                            field="key", value=key_column)
    key_column = matches[0]
    columns = _columns(spec, header, key_column, path)
    # A rule's field -> its column as the file writes it, for the rule's messages.
    headers = {field: columns.get(f"in_{column}", column) for field, column in spec.rule_fields.items()}
    groups: dict[str, list[Row]] = {}
    cases: list[Case] = []
    errors: list[InputError] = []
    known: _Converted = {}
    problems: dict[str, str | None] = {}  # by key: the rows of one key (20 areas, say) are looked at once
    for row in rows:
        raw = row.values[key_column]
        key_value = _key_text(raw)
        if key_value not in problems:
            problems[key_value] = _key_problem(key_value)
        problem = problems[key_value]
        if problem:
            error = table_error(path, f"rij {row.number}, kolom '{key_column}': {problem}", field=key_column,
                                  value=raw, row=row.number)
            errors.append(error)
            cases.append(Case(f"(rij {row.number})", [row.number], error=str(error)))
            continue
        groups.setdefault(key_value, []).append(row)
    for key_value, group in groups.items():
        case = Case(key_value, [r.number for r in group])
        try:
            case.values = _convert_group(spec, columns, group, path, known)
            case.outputs = spec.compute(case.values)
        except ToolkitError as err:
            messages = []
            for each in err.errors if isinstance(err, InputErrors) else (err,):
                message = _located(each, path, group, headers)
                errors.append(InputError(message, field=getattr(each, "field", None),
                                         value=getattr(each, "value", None), row=getattr(each, "row", None),
                                         file=str(path)))
                messages.append(message)
            case.error = _reason(messages)
        cases.append(case)
    if errors and not skip_invalid:
        raise InputErrors(errors, shown=SHOWN_ERRORS)
    return cases


def _reason(messages: list[str]) -> str:
    """Why a key is refused, as summary.xlsx, summary.csv and the terminal show it: its first SHOWN_ERRORS
    messages and how many more there are (a key of 2,000 rows with a bad count in each had a reason of
    178,000 characters, five times what an Excel cell holds, printed as one line)."""
    more = len(messages) - SHOWN_ERRORS
    return "; ".join(messages[:SHOWN_ERRORS] + ([f"en nog {more} {'fout' if more == 1 else 'fouten'}"]
                                                if more > 0 else []))


def _key_problem(key: str) -> str | None:
    """Why a key cannot name a workbook, or None."""
    if key == "":
        return "sleutel ontbreekt"
    if XML_INVALID.search(key):
        return f"sleutel {show_value(key)} bevat een teken dat niet in een werkmap kan"
    return _long_key(key)


def _long_key(key: str) -> str | None:
    """Why a key is too long for its copy, or None: it stands in the printed header, which Excel cuts off
    at 255 characters (a literal & there is written twice); a name of a hundred characters still fits."""
    length = len(header_code(key))
    if length <= MAX_KEY_CHARS:
        return None
    doubled = " (een & telt daar dubbel)" if "&" in key else ""
    return (f"sleutel {show_value(key)} is {length} tekens lang; hoogstens {MAX_KEY_CHARS}, want de sleutel staat in "
            f"de kop van elke afgedrukte pagina{doubled}")


def _key_text(raw: object) -> str:
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    # Not normalised: two spellings of one name are two keys, and refused when their files would collide.
    return "" if raw is None else str(raw).strip()


# Values already converted in this run, by input and the cell exactly as read (1, 1.0, True and -0.0 differ):
# years, kinds and small counts repeat on every row. Only what converted without error: a refusal names its row.
_Converted = dict[tuple[str, type, object], Any]
_CELL_TYPES = (str, int, dt.date, type(None))  # what a cell is read as besides a float (all hashable)


def _memo(spec_input: Input, raw: object) -> tuple[str, type, object] | None:
    if isinstance(raw, float):  # by its exact bits: -0.0 equals 0.0 but reads as Decimal('-0')
        return spec_input.name, float, raw.hex()
    return (spec_input.name, type(raw), raw) if isinstance(raw, _CELL_TYPES) else None


def _convert_group(spec: Template, columns: Mapping[str, str], group: list[Row], path: Path,
                   known: _Converted) -> dict[str, Any]:
    """The converted inputs of one key; InputErrors naming every bad value of its rows, not only the first."""
    values: dict[str, Any] = {}
    errors: list[InputError] = []

    def converted(spec_input: Input, raw: object, row: Row) -> Any:
        memo = _memo(spec_input, raw)
        if memo is not None and memo in known:
            return known[memo]
        try:
            value = _convert_cell(spec_input, raw, path, row, columns.get(spec_input.name))
            if memo is not None:
                known[memo] = value
            return value
        except InputError as err:
            if err.row is None:
                err.row = row.number  # its message names the row already; so does its attribute now
            errors.append(err)
            return None

    # A key with more rows than a range of the template holds: one message per range size, naming its columns.
    too_many: dict[int, list[str]] = {}
    for spec_input in spec.inputs:
        if spec_input.rows and len(group) > spec_input.rows:
            too_many.setdefault(spec_input.rows, []).append(spec_input.column)
    for limit, names in too_many.items():
        errors.append(InputError(f"{path}, rij {group[limit].number}: meer dan {limit} rijen voor één sleutel in "
                                 f"{'kolom' if len(names) == 1 else 'kolommen'} {dutch_list(names)}; het sjabloon "
                                 f"heeft er {limit}", field=names[0], value=len(group), row=group[limit].number))
    for spec_input in spec.inputs:
        column = columns.get(spec_input.name)
        if spec_input.rows:
            if len(group) > spec_input.rows:
                continue
            values[spec_input.name] = [converted(spec_input, row.values.get(column) if column else None, row)
                                       for row in group]
            continue
        # A scalar input is read from the first of the key's rows that fills it (the first row, when none
        # does: an empty input is converted as such); the other rows may repeat it or leave it empty, but
        # another value is an error, never silently dropped.
        filling = group if len(group) == 1 or column is None else (
            [row for row in group if row.values.get(column) is not None] or group[:1])
        source = filling[0]
        typed = source.values.get(column) if column else None
        before = len(errors)
        first = converted(spec_input, typed, source)
        if len(errors) > before:
            continue
        for row in filling[1:]:
            raw = row.values.get(column) if column else None
            if raw.__class__ is typed.__class__ and raw == typed:  # (as typed on the first row)
                continue
            other = converted(spec_input, raw, row)
            if other is not None and other != first:
                errors.append(InputError(f"{path}, rij {row.number}, kolom '{column}': {show_value(raw)} wijkt af van "
                                         f"rij {source.number} van dezelfde sleutel ({show_value(typed)}); een "
                                         "enkelvoudige invoer heeft één waarde per sleutel", field=spec_input.column,
                                         value=raw, row=row.number))
        values[spec_input.name] = first
    if errors:
        raise InputErrors(errors, shown=len(errors))
    return values


def _convert_cell(spec_input: Input, value: object, path: Path, row: Row, column: str | None) -> Any:
    """One cell converted; a refusal names the column as the INPUTS file writes it ('Score vorig jaar')."""
    return convert(spec_input, value, label=f"{path}, rij {row.number}, kolom '{column or spec_input.column}'")


def _located(err: ToolkitError, path: Path, group: list[Row], fields: Mapping[str, str]) -> str:
    """A rule's message with the file and the INPUTS row it came from (rules count rows within a range)."""
    if str(err).startswith(str(path)):
        return str(err)
    field_name = getattr(err, "field", None)
    message = relabel(err, f"kolom '{fields.get(field_name, field_name)}'") if isinstance(field_name, str) else str(err)
    if isinstance(err, PolicyYearError) and "year" in fields:  # the year typed in that column (none: covered)
        message = f"kolom '{fields['year']}': {err}"
    relabelled = message != str(err)
    row = getattr(err, "row", None)
    number = group[0].number
    if isinstance(row, int) and 0 < row <= len(group):
        number = group[row - 1].number
        # The rule counted the row within the key's range ("postcode '0612' in rij 3 is geen …"): the file's row
        # is named in front, and a second, different row number would only confuse.
        before, phrase, after = message.rpartition(f" in rij {row} ")  # the last: a quoted value may hold it too
        message = f"{before} {after}" if phrase else message
    # "rij 3, kolom 'Kostenpunten': …", as a conversion's message names a cell; other messages after a colon.
    return f"{path}, rij {number}{', ' if relabelled else ': '}{message}"


# --- writing ------------------------------------------------------------------------------------------------

def safe_file_name(key: str) -> str:
    """A key as a file name on Windows, macOS and Linux: unsafe characters become `_`, the text is NFC (as
    macOS stores it), and a long key is cut with a stable hash of the whole key, so it stays unique."""
    name = _UNSAFE_NAME.sub("_", unicodedata.normalize("NFC", key)).strip().rstrip(". ")
    # A name starting with "." is hidden on macOS and Linux, one with "~$" is taken for Excel's lock file.
    if not name or name.upper().split(".")[0].rstrip(" ") in _RESERVED or name.startswith((".", "~$")):
        name = f"_{name}"
    if len(name.encode("utf-8")) > MAX_NAME_BYTES:
        digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]
        cut = name.encode("utf-8")[:MAX_NAME_BYTES - 13].decode("utf-8", errors="ignore").rstrip(". ")
        name = f"{cut}~{digest}"
    return name


@dataclass
class FillResult:
    cases: list[Case]
    summary_xlsx: Path
    summary_csv: Path
    # What the run did not do, said: what the INPUTS file holds that was not read (a workbook's other
    # sheets), workbooks in the folder that this run did not write.
    notes: tuple[str, ...] = ()

    @property
    def written(self) -> int:
        return sum(1 for c in self.cases if c.file)

    @property
    def rejected(self) -> int:
        return sum(1 for c in self.cases if c.error)


SUMMARY_NAMES = NAMES


def _renamed(cases: list[Case]) -> list[str]:
    """Keys whose workbook has another name than the key (a `/`, a reserved name such as CON, a key cut
    short): said once, so nobody looks for 'Zorg/Noord.xlsx' (summary.csv lists every file too). A key only
    stored otherwise (NFD, as macOS may type it) looks the same and is not listed."""
    renamed = [(c.key, c.file) for c in cases
               if c.file and c.file != f"{unicodedata.normalize('NFC', c.key)}.xlsx"]
    if not renamed:
        return []
    listed = ", ".join(f"{show_value(key)} → {name}" for key, name in renamed[:5])
    more = f" en nog {len(renamed) - 5} (summary.csv, kolom bestand)" if len(renamed) > 5 else ""
    return [f"{len(renamed)} {'sleutel kreeg' if len(renamed) == 1 else 'sleutels kregen'} een andere "
            f"bestandsnaam (tekens of namen die niet in een bestandsnaam kunnen, of een sleutel die te lang is): "
            f"{listed}{more}"]


def _file_names(cases: list[Case], inputs: Path) -> dict[str, str]:
    """The workbook's file name of every key that gets one; every key whose name cannot be used is refused at
    once, naming its row, before anything is written (the --out folder included)."""
    names: dict[str, str] = {}
    by_name: dict[str, Case] = {}
    errors: list[InputError] = []
    for case in cases:
        if case.error:
            continue
        name = f"{safe_file_name(case.key)}.xlsx"
        # Two keys that a case-insensitive or normalising file system (Windows, macOS) would store as
        # one file are refused, not silently overwritten.
        folded = unicodedata.normalize("NFC", name).casefold()
        if (twin := by_name.get(folded)) is not None:
            errors.append(InputError(
                f"{inputs}, rij {case.rows[0]}: sleutel {show_value(case.key)} geeft dezelfde bestandsnaam {name} "
                f"als sleutel {show_value(twin.key)} op rij {twin.rows[0]} (tekens die niet in een bestandsnaam mogen, "
                "worden een _; hoofdletters en schrijfwijze tellen in een bestandsnaam niet mee)", field="key",
                value=case.key, row=case.rows[0]))
        elif name.lower() in SUMMARY_NAMES:
            errors.append(InputError(f"{inputs}, rij {case.rows[0]}: sleutel {show_value(case.key)} geeft de "
                                     f"bestandsnaam {name}, die voor de samenvatting is", field="key",
                                     value=case.key, row=case.rows[0]))
        by_name.setdefault(folded, case)
        names[case.key] = name
    if errors:
        raise InputErrors(errors, shown=SHOWN_ERRORS)
    return names


def _targets(names: Mapping[str, str], out_dir: Path, inputs: Path, force: bool, template: Path) -> dict[str, Path]:
    targets = {key: out_dir / name for key, name in names.items()}
    every = [*targets.values(), *(out_dir / n for n in SUMMARY_NAMES)]
    for target in every:
        for source, what in ((inputs, "het invoerbestand"), (template, "het sjabloon")):
            if same_file(target, source):
                raise InputError(f"{target} is {what} zelf; kies een andere map voor --out ({what} wordt nooit "
                                 "overschreven)", field="out", value=str(target))
        if target.is_dir():
            raise InputError(f"{target} is een map; een werkmap kan daar niet komen", field="out", value=str(target))
    if not force:
        existing = [p for p in every if p.exists()]
        if existing:
            more = f" en nog {len(existing) - 1}" if len(existing) > 1 else ""
            verb = "bestaan" if len(existing) > 1 else "bestaat"
            raise InputError(f"{existing[0]}{more} {verb} al; gebruik --force om te overschrijven",
                             field="out", value=str(existing[0]))
    return targets


class Interrupted(BaseException):
    """A SIGTERM or SIGINT during a run: unwinds like KeyboardInterrupt, so every `finally` runs."""

    summary_removed = False  # an earlier run's summary was removed before the run stopped (--force)
    summary_written = False  # this run's summary was written: it stopped only after that


def _raise_interrupted(_signum: int, _frame: object) -> None:
    raise Interrupted()


def _leave_worker(_signum: int, _frame: object) -> None:
    # SystemExit unwinds like any exception (each `finally` removes its temporary file), and a worker
    # process ends on it quietly, without a traceback.
    remove_own_temporaries()
    raise SystemExit(1)


def _worker_start(parent: int, run: str) -> None:
    """In each worker: name temporary files as the parent's run, leave cleanly on SIGTERM, and die with
    the parent (a watchdog sees it go)."""
    join_run(run)
    signal.signal(signal.SIGTERM, _leave_worker)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides on Ctrl+C and terminates us

    def watch() -> None:
        while os.getppid() == parent:
            threading.Event().wait(0.2)
        # To the main thread itself: a signal to the process may land on this thread, and the main
        # thread, blocked reading its next task from the dead parent, would never run the handler. The
        # handler unwinds a write in progress (its temporary file removed); the pool then catches the
        # SystemExit as a task's result and waits for the next task, so the worker is ended here.
        if hasattr(signal, "pthread_kill"):
            signal.pthread_kill(threading.main_thread().ident or 0, signal.SIGTERM)
            threading.Event().wait(2)
        remove_own_temporaries()
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def _write_chunk(template: Path, jobs: list[tuple[str, dict[str, Any], dict[str, Any], str]], force: bool) -> list[str]:
    """Worker: write the workbooks of one chunk (runs in a separate process for large batches)."""
    try:
        tpl = _worker_template(template)
        for key, values, outputs, target in jobs:
            write_atomically(Path(target), tpl.filled(values, key, outputs), overwrite=force)
    except SystemExit:
        # SIGTERM (`_leave_worker`): the write in progress has removed its temporary file. Leave now: the
        # pool would take SystemExit for this chunk's result and hand out the next chunk already queued
        # (2,500 workbooks of a 40,000-key run: seconds before a Ctrl+C took effect).
        os._exit(1)
    return [key for key, *_rest in jobs]


_WORKER_TEMPLATES: dict[Path, TemplateFile] = {}


def _worker_template(template: Path) -> TemplateFile:
    """The template, read once per worker process rather than once per chunk."""
    if template not in _WORKER_TEMPLATES:
        _WORKER_TEMPLATES[template] = TemplateFile.open(template)
    return _WORKER_TEMPLATES[template]


@contextlib.contextmanager
def _signals_interrupt() -> Iterator[None]:
    """SIGTERM (and SIGINT) raise Interrupted in the main thread while a run writes, so it unwinds."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGINT)}
    for s in previous:
        signal.signal(s, _raise_interrupted)
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


def _beside(work: Callable[[], _T]) -> Future[_T]:
    """`work` on a daemon thread: a run stopped by Ctrl+C exits at once, where Python waits at exit for an
    executor's thread (the summary of 40,000 keys kept a stopped run alive for 7 s). The work writes no
    file, so nothing is left half done."""
    made: Future[_T] = Future()

    def run() -> None:
        try:
            made.set_result(work())
        except BaseException as exc:  # given to the thread that waits for the result
            made.set_exception(exc)

    threading.Thread(target=run, name="zorginkoop-summary", daemon=True).start()
    return made


def _write_all(tpl: TemplateFile, jobs: list[tuple[str, dict[str, Any], dict[str, Any], str]], force: bool,
               workers: int | None, report: Callable[[int, int], None], meanwhile: Callable[[], _T]) -> _T:
    """Write every workbook, on worker processes for a large batch; `meanwhile` runs on a thread of this
    process while they write (the summary: it took as long as the workbooks of a thousand keys, one after the
    other), and its result is returned once every workbook is written. This thread collects the workers'
    results, so a failing worker or an interrupt stops the run at once."""
    done = 0
    count = workers if workers is not None else min(os.cpu_count() or 1, DEFAULT_WORKERS)
    if count > 1 and len(jobs) >= PARALLEL_FROM:
        size = max(8, len(jobs) // (count * 8))
        chunks = [jobs[i:i + size] for i in range(0, len(jobs), size)]
        count = min(count, len(chunks))  # a worker without a chunk would be a process started for nothing
        _WORKER_TEMPLATES[tpl.path] = tpl  # workers made by fork have it already (50 ms each to open again)
        pool = ProcessPoolExecutor(max_workers=count, initializer=_worker_start,
                                   initargs=(os.getpid(), run_id()))
        try:
            # Every chunk is submitted (and, with fork, every worker started) before the thread starts.
            written = pool.map(_write_chunk, [tpl.path] * len(chunks), chunks, [force] * len(chunks))
            made = _beside(meanwhile)
            for keys in written:
                done += len(keys)
                report(done, len(jobs))
            result = made.result()
        except BaseException:
            # Interrupted, or a worker failed: stop the others now; their SIGTERM handler removes their
            # temporary files before they exit. The summary's thread writes no file: it is left to run on,
            # and ends with the process.
            for process in list(getattr(pool, "_processes", {}).values()):
                with contextlib.suppress(Exception):
                    process.terminate()
            pool.shutdown(wait=True, cancel_futures=True)
            raise
        pool.shutdown(wait=True)
        return result
    for case_key, values, outputs, target in jobs:
        write_atomically(Path(target), tpl.filled(values, case_key, outputs), overwrite=force)
        done += 1
        report(done, len(jobs))
    return meanwhile()


def fill(template: str | Path, inputs: Path, out_dir: Path, *, key: str | None = None, force: bool = False,
         skip_invalid: bool = False, workers: int | None = None,
         progress: Callable[[int, int], None] | None = None) -> FillResult:
    """Fill `template` once per key of `inputs` into `out_dir`; see the module docstring."""
    if workers is not None and not 1 <= workers <= MAX_WORKERS:
        raise InputError(f"workers: {workers} processen; kies 1 t/m {MAX_WORKERS}", field="workers", value=workers)
    tpl = TemplateFile.open(template)
    if not is_reference(tpl.path):
        # A template from elsewhere is compared with the one the parameter data builds (openpyxl, which
        # the bundled template does without: the summary imports it while the workers write).
        from .check import verified_template

        tpl = verified_template(tpl.path)
    notes: list[str] = []
    header, rows = read_inputs(inputs, notes, {column_key(i.column) for i in tpl.spec.inputs})
    if not rows:
        raise table_error(inputs, "geen rijen met invoer onder de kopregel")
    cases = build_cases(tpl.spec, inputs, header, rows, key, skip_invalid=skip_invalid)
    names = _file_names(cases, inputs)
    with OutputLock(out_dir), _signals_interrupt():
        remove_stale_temporaries(out_dir)
        targets = _targets(names, out_dir, inputs, force, tpl.path)
        jobs = [(c.key, c.values, c.outputs, str(targets[c.key])) for c in cases if not c.error]
        for case in cases:  # the names the summary lists; no summary is written unless every one is there
            if not case.error:
                case.file = targets[case.key].name
        state = Interrupted()  # what was done, for the message if the run is interrupted
        try:
            if force:
                _remove_earlier_summary(out_dir, state)
            report = progress or (lambda _done, _total: None)
            report(0, len(jobs))
            made = _write_all(tpl, jobs, force, workers, report,
                              lambda: summary_files(tpl.spec, cases, key_label=_key_label(header, key)))
            summary_xlsx, summary_csv = write_summary(out_dir, made, force=force)
            state.summary_written = True
            notes += _workbooks_not_written(out_dir, set(targets.values()), (inputs, tpl.path))
            notes += _renamed(cases)
        except Interrupted as stop:
            stop.summary_removed, stop.summary_written = state.summary_removed, state.summary_written
            raise
        finally:
            remove_stale_temporaries(out_dir)  # a worker stopped mid-write, or an error in between
    return FillResult(cases, summary_xlsx, summary_csv, tuple(notes))


def _workbooks_not_written(out_dir: Path, written: set[Path], sources: tuple[Path, ...]) -> list[str]:
    """A note on the workbooks in `out_dir` that this run did not write (keys of an earlier run that are no
    longer in the INPUTS file, say): they stand beside a summary that does not list them. Never removed:
    they may be someone's work."""
    # By name first: every workbook is written as out_dir / its name (`_targets`); resolving each path took
    # 50 ms of a thousand-key run. What is left is compared as files: a link to a workbook of this run, or
    # the input file or the template standing in out_dir, is none of the others.
    names = {p.name for p in written}
    with os.scandir(out_dir) as entries:
        candidates = [entry for entry in entries if entry.name not in names and entry.name.lower().endswith(".xlsx")
                      and not entry.name.startswith("~$") and entry.name.lower() not in SUMMARY_NAMES
                      and entry.is_file()]
    ours = {_identity(p) for p in (*written, *sources)} if candidates else set()
    others = sorted(entry.name for entry in candidates if _identity(Path(entry.path)) not in ours)
    if not others:
        return []
    shown = ", ".join(others[:3]) + (f" en nog {len(others) - 3}" if len(others) > 3 else "")
    what, verb = ("een werkmap", "staat") if len(others) == 1 else (f"{len(others)} werkmappen", "staan")
    return [f"{out_dir} bevat ook {what} die deze run niet schreef ({shown}); die {verb} niet in de samenvatting"]


def _identity(path: Path) -> tuple[int, int] | None:
    """The file a path leads to (links followed), or None where there is none."""
    try:
        found = path.stat()
    except OSError:
        return None
    return found.st_dev, found.st_ino


def _remove_earlier_summary(out_dir: Path, stop: Interrupted) -> None:
    """With --force, an earlier run's summary goes before the first workbook is replaced: it describes
    workbooks that this run rewrites, and a run stopped halfway must not leave it beside a mix of new and
    old ones (a finished run writes its own). Each file removed is marked on `stop`, as it goes, for the
    message of a run interrupted later (or in between)."""
    for name in SUMMARY_NAMES:
        try:
            (out_dir / name).unlink()
            stop.summary_removed = True
        except FileNotFoundError:
            continue
        except OSError as err:
            raise disk_error(out_dir / name, err) from None


def _key_label(header: list[str], key: str | None) -> str:
    if key is None:
        return header[0]
    return next((c for c in header if column_key(c) == column_key(key)), key)


__all__ = ["Case", "FillResult", "Interrupted", "fill", "read_inputs", "safe_file_name",
           "summary_rows", "write_summary"]
