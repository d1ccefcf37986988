"""Reading a claim set in order: every line of every file through the worker threads, each batch's
result merged in file order into the tallies of the whole set (`Tallies`), so that the error raised is
about the first invalid line. Arrow and NumPy kernels release the GIL; the reading thread only merges
small per-batch results.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from ..columns import CLAIM_FIELDS
from ..errors import InputError, show_value
from ..tabular import MAX_FIELD_CHARS
from . import read
from .claimset import Repeat, RepeatFinder, YearFinding, lines_text
from .lines import EXAMPLES, FIELDS, FIRST_YEAR, STATES, YEARS, BatchResult, Processor, Reduction
from .memory import tune_allocator
from .read import DUTCH_FIELD, Chunk, LongFieldError, Source


@dataclass(frozen=True, kw_only=True)
class LineAccount:
    """What a report says of the lines it read besides its answer, the same for every report from claims:
    lines of other insurers, of other years and of kindzorg, unknown insurer labels, invalid lines (per
    reason, the first few quoted), and the claim set (its files, those skipped, lines repeated across
    files, a year that looks wrong)."""

    lines_other_insurers: int = 0
    lines_other_years: int = 0
    lines_kindzorg: int = 0
    unknown_insurers: Mapping[str, int] = field(default_factory=dict)
    invalid_lines: int = 0
    invalid_reasons: Mapping[str, int] = field(default_factory=dict)
    invalid_examples: tuple[str, ...] = ()
    source: str = ""
    sources: tuple[str, ...] = ()  # the files read, in order
    files_skipped: tuple[tuple[str, str], ...] = ()  # files of the folders not read: (file, reason)
    file_notes: tuple[tuple[str, str], ...] = ()  # read, but said: (file, note), a workbook's hidden rows
    year_warning: YearFinding | None = None  # more lines of another year than of the year that counts
    repeated: tuple[Repeat, ...] = ()  # claim lines of a file that an earlier file of the set holds too


@dataclass
class Tallies:
    """What was counted over the whole claim set, per provider id (rows of the tables)."""

    counts: np.ndarray  # lines by provider and state
    reasons: np.ndarray  # invalid lines by provider and field
    unknown: dict[int, Counter[str]]  # per provider: unknown insurer label -> lines
    examples: list[str]  # the first invalid lines, described
    sources: list[str]
    provider_names: list[str | None]
    provider_valid: list[bool]
    has_provider: bool
    years: dict[int, int] = field(default_factory=dict)  # valid lines per year of their date
    skipped: tuple[tuple[str, str], ...] = ()  # files of the folders not read, with the reason
    repeated: tuple[Repeat, ...] = ()  # claim lines of a file that an earlier file holds too
    notes: tuple[tuple[str, str], ...] = ()  # what was read and is said: (file, note)

    @property
    def where(self) -> str:
        """The claim set as messages and reports name it: its files, or the first and how many more."""
        if len(self.sources) <= 3:
            return ", ".join(self.sources)
        return f"{self.sources[0]} en {len(self.sources) - 1} andere bestanden"

    def providers(self) -> dict[str, int]:
        """Each valid provider id -> its row of the tables."""
        return {name: i for i, name in enumerate(self.provider_names) if name is not None and self.provider_valid[i]}

    def chosen(self, only_provider: str | None) -> int | None:
        """The row of the one provider asked for (`only_provider`, the CLI's --agb), None when none was asked;
        InputError when the claims have no provider column (all their lines would be reported as that
        provider's) or no line of that provider."""
        if only_provider is None:
            return None
        if not self.has_provider:
            raise InputError(f"{self.where}: zorgaanbieder {show_value(only_provider)} gevraagd, maar de declaraties "
                             f"hebben geen kolom met de zorgaanbieder ({', '.join(CLAIM_FIELDS['provider'].names[1:4])}"
                             ", …); laat de keuze weg of gebruik een export met die kolom", field="provider",
                             value=only_provider, file=self.where)
        found = self.providers().get(only_provider)
        if found is None:
            raise InputError(f"{self.where}: zorgaanbieder {show_value(only_provider)} komt niet voor in de "
                             "declaraties", field="provider", value=only_provider, file=self.where)
        return found

    def unknown_total(self) -> Counter[str]:
        total: Counter[str] = Counter()
        for labels in self.unknown.values():
            total.update(labels)
        return total


_T = TypeVar("_T")
_R = TypeVar("_R")


def _bounded_map(fn: Callable[[_T], _R], items: Iterator[_T]) -> Iterator[_R]:
    """Like ThreadPoolExecutor.map, in order, but with only a few items in flight, so memory stays
    bounded however long the file (Executor.map would read the whole input first). A bad input met while
    the items are made (a quote never closed at the end of a file) comes after the results of the items
    before it: a bad line earlier in the file is named first, whatever the pieces."""
    window = 2 * read.WORKERS
    with ThreadPoolExecutor(max_workers=read.WORKERS) as pool:
        pending: deque[Future[_R]] = deque()
        try:
            failure: InputError | None = None
            while True:
                try:
                    item = next(items)
                except StopIteration:
                    break
                except InputError as exc:  # (only the making of an item: a result's own error comes in turn)
                    failure = exc
                    break
                pending.append(pool.submit(fn, item))
                if len(pending) >= window:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
            if failure is not None:
                raise failure
        finally:
            for future in pending:
                future.cancel()


def _grow(table: np.ndarray, rows: int) -> np.ndarray:
    """The table with zero rows added for provider ids seen since."""
    if len(table) >= rows:
        return table
    return np.vstack([table, np.zeros((rows - len(table), table.shape[1]), np.int64)])


@dataclass
class _Done:
    source: int
    end: int  # bytes into the file, for the progress bar
    results: list[BatchResult] | None = None  # None: the end of the file
    error: LongFieldError | None = None


def scan(claim_set: read.ClaimSet, reduction: Reduction, *, wanted: Sequence[str], required: Sequence[str],
         skip_invalid: bool, keep: Callable[[Any], None],
         progress: Callable[[int, int], None] | None = None) -> Tallies:
    """Read every claim line of a claim set (from `read.claim_files`) through the workers, in order:
    raises the first invalid line (unless `skip_invalid`), hands each batch's reduction to `keep`, and
    returns the tallies. Every file must have the same kind of columns (a provider column in all or
    none), and each must have at least one claim line."""
    tune_allocator()
    items = claim_set.items
    opened: list[Source | None] = [None] * len(items)
    reference: list[Source] = []

    def source(index: int) -> Source:
        found = opened[index]
        if found is None:
            found = opened[index] = read.open_source(items[index], wanted=wanted, required=required)
            if reference and found.layout.has_provider != reference[0].layout.has_provider:
                with_column, without = (found, reference[0]) if found.layout.has_provider else (reference[0], found)
                raise InputError(f"{without.where}: heeft geen kolom zorgaanbieder, {with_column.where} wel; lever "
                                 "alle bestanden met dezelfde kolommen aan", field="provider", file=without.where)
            reference[:1] = reference[:1] or [found]
        return found

    # CSV and Parquet headers are checked before any line is read; an xlsx is opened when its turn
    # comes (calamine loads its whole sheet at once).
    for index, item in enumerate(items):
        if not (isinstance(item, Path) and read.SUFFIXES.get(item.suffix.lower()) == "xlsx"):
            source(index)
    sizes = [item.stat().st_size if isinstance(item, Path) else 0 for item in items]
    total = sum(sizes)
    finder = RepeatFinder(len(items)) if len(items) > 1 else None  # a single file has no repeats across files
    processor = Processor(reduction, repeats=finder is not None)

    def chunks() -> Iterator[tuple[int, Chunk | None]]:
        for index in range(len(items)):
            for chunk in source(index).chunks:
                yield index, chunk
            yield index, None

    def work(item: tuple[int, Chunk | None]) -> _Done:
        index, chunk = item
        if chunk is None:
            return _Done(index, -1)
        try:
            return _Done(index, chunk.end, [processor.process(batch) for batch in chunk.load()])
        except LongFieldError as exc:
            return _Done(index, chunk.end, error=exc)

    counts = np.zeros((0, STATES), np.int64)
    reasons = np.zeros((0, len(FIELDS)), np.int64)
    unknown: dict[int, Counter[str]] = {}
    examples: list[tuple[int, int, str, str, object]] = []  # (source, record, field, reason, value)
    years = np.zeros(YEARS, np.int64)
    numeric_clients = zero_led_clients = 0
    rows = [0] * len(items)
    blank_rows = [0] * len(items)  # rows of empty fields, which are no claim lines
    done_before = 0
    for done in _bounded_map(work, chunks()):
        current = source(done.source)
        if done.error is not None:
            raise _long_field_error(current, done.error)
        if done.results is None:  # the end of a file
            if rows[done.source] == blank_rows[done.source]:
                raise InputError(f"geen declaratieregels in {current.where}", file=current.where)
            if finder is not None:
                finder.end_of_file(done.source)
            done_before += sizes[done.source]
            continue
        for result in done.results:
            record = current.first_row + rows[done.source]
            if result.invalid and not skip_invalid:
                position, fieldname, reason, value = result.invalid[0]
                line = current.line_numbers([record + position])[record + position]
                raise InputError(f"{current.where}: regel {line}, kolom '{current.layout.columns[fieldname]}': "
                                 f"{reason}", field=fieldname, row=line, value=value, file=current.where)
            examples.extend((done.source, record + position, fieldname, reason, value)
                            for position, fieldname, reason, value in result.invalid[: EXAMPLES - len(examples)])
            rows[done.source] += result.rows
            blank_rows[done.source] += result.blank
            providers = len(processor.providers.names)  # ids new since: each batch's result added its own
            counts, reasons = _grow(counts, providers), _grow(reasons, providers)
            np.add.at(counts, result.providers, result.counts)
            np.add.at(reasons, result.providers, result.reasons)
            for provider, label, lines in result.unknown:
                unknown.setdefault(provider, Counter())[label] += lines
            if result.years is not None:
                years += result.years
            numeric_clients += result.numeric_clients
            zero_led_clients += result.zero_led_clients
            if finder is not None and result.keys is not None:
                finder.add(result.keys)
            keep(result.kept)
        if progress is not None and total:
            progress(done_before + max(done.end, 0), total)
    every = [source(i) for i in range(len(items))]
    repeated = tuple(Repeat(every[file].where, every[earlier].where, lines)
                     for file, earlier, lines in (finder.found if finder is not None else []))
    tallies = Tallies(counts, reasons, unknown, _describe_examples(examples, every), [s.where for s in every],
                      list(processor.providers.names), list(processor.providers.valid),
                      reference[0].layout.has_provider,
                      {FIRST_YEAR + int(i): int(years[i]) for i in np.flatnonzero(years)},
                      claim_set.skipped + tuple(item for s in every for item in s.skipped),
                      repeated, tuple(item for s in every for item in s.notes))
    said = [note for note in (leading_zeros(tallies.provider_names),
                              zeros_lost(numeric_clients, zero_led_clients)) if note is not None]
    return replace(tallies, notes=(*tallies.notes, *((tallies.where, note) for note in said))) if said else tallies


def zeros_lost(numbers: int, zero_led: int) -> str | None:
    """Client ids held as numbers next to ids that start with a 0, said: a workbook that kept `012345` as a
    number wrote 12345, and the same client from another file (or typed as text) counts a second time. Which
    ids are the same client is not for the toolkit to guess; both counts are the lines'."""
    if not (numbers and zero_led):
        return None
    return (f"{lines_text(numbers)} {'heeft' if numbers == 1 else 'hebben'} een cliëntnummer dat als getal was "
            f"opgeslagen (een voorloopnul is dan weg: 012345 werd 12345) en {lines_text(zero_led)} een cliëntnummer "
            "dat met een 0 begint: dezelfde cliënt kan zo twee keer tellen; sla de cliëntnummers overal als tekst op")


def leading_zeros(names: list[str | None]) -> str | None:
    """The provider codes that differ only in leading zeros, said: '01234567' from a CSV and 1234567 from a
    workbook that kept the AGB code as a number are one provider to a reader and two in the data. They are
    counted apart, as the data has them (which one is right is not for the toolkit to guess)."""
    groups: dict[str, list[str]] = {}
    for name in names:
        if name and name.isascii() and name.isdigit():
            groups.setdefault(name.lstrip("0") or "0", []).append(name)
    twins = [sorted(group) for group in groups.values() if len(group) > 1]
    if not twins:
        return None
    shown = "; ".join(" en ".join(f"'{name}'" for name in group) for group in twins[:5])
    more = f" en nog {len(twins) - 5} zulke groepen" if len(twins) > 5 else ""
    return (f"de zorgaanbieders {shown}{more} verschillen alleen in voorloopnullen en tellen apart; een AGB-code "
            "heeft 8 cijfers (een werkmap die de code als getal bewaarde, verloor de nul): maak ze in de export gelijk")


def _long_field_error(source: Source, error: LongFieldError) -> InputError:
    line = source.offset_line(error.offset) if source.offset_line is not None else 0
    shown = show_value(error.start + "…" if error.start else "")
    fieldname = next((f for f, c in source.layout.columns.items() if c == error.column), None)
    what = f"{DUTCH_FIELD[fieldname]} {shown}" if fieldname else f"het veld {shown}"
    limit = f"{MAX_FIELD_CHARS:,}".replace(",", ".")
    return InputError(f"{source.where}: regel {line}, kolom '{error.column}': {what} is langer dan {limit} tekens "
                      f"({error.length} tekens)", field=fieldname or error.column, row=line, file=source.where,
                      value=f"{error.length} tekens")


def _describe_examples(examples: list[tuple[int, int, str, str, object]], sources: list[Source]) -> list[str]:
    described = []
    several = len(sources) > 1
    for index in sorted({e[0] for e in examples}):
        current = sources[index]
        mine = [e for e in examples if e[0] == index]
        lines = current.line_numbers([e[1] for e in mine])
        for _, record, fieldname, reason, _ in mine:
            prefix = f"{current.where}: " if several else ""
            described.append(f"{prefix}regel {lines[record]}, kolom '{current.layout.columns[fieldname]}': {reason}")
    return described


def refuse_unknown(tallies: Tallies, strict: bool) -> None:
    """With `strict`, insurer labels on no list are an error (SPEC rule 1), listing the most common."""
    unknown = tallies.unknown_total()
    if strict and unknown:
        where = tallies.where
        listed = ", ".join(f"{show_value(v)} ({lines_text(n)})" for v, n in unknown.most_common(10))
        raise InputError(f"{where}: onbekende verzekeraar(s): {listed}. Corrigeer de declaraties, of voeg een label "
                         "dat wel klopt toe aan zijn groep in market/insurers.yaml van een eigen parametermap "
                         "(--parameters; docs/handleiding.md, 'Een verzekeraar of label toevoegen')", field="insurer",
                         value=unknown.most_common(1)[0][0], file=where)


__all__ = ["Tallies", "refuse_unknown", "scan"]

