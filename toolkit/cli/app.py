"""The `zorginkoop` command's frame: the app, the options several commands share, and how a mistake and a
claim set's notes are shown. The commands are in `ratio.py`, `plafond.py`, `kalender.py`, `templates.py` and
`parameters.py`, listed in `COMMANDS`: a command is made, and its module imported, only when it runs or
shows its own help, and a help text's policy numbers are filled in only when it is shown (start-up:
benchmarks/bench_startup.py).

The command is a thin edge that converts arguments, calls the library and shows results.

Exit codes (INTERFACES.md): 0 ok, 1 bad input (one Dutch line naming file, row and value — one per bad
row for `fill` — and no traceback), 2 usage. Messages go to stderr, results to stdout, so `--json`
output can be piped. The help frame, usage errors and prompts are Dutch (`_click_nl`), as are the
choice words (`uniek|per_gebied`, taken from the rules' vocabularies; the English words are still
accepted). Every command takes `--parameters DIR`, a parameter overlay (toolkit.parameters), and `-h`.

The library names a mistake by its field (`ceiling`, `year`); this edge names it as the user typed it
(`--plafond`, `--jaar`): `_OPTIONS` per command, `fail` the one place that rewrites.
"""
# Imports inside functions: the claims (pyarrow, NumPy), the workbooks (openpyxl) and rich are imported by the
# command that uses them, so that `zorginkoop -h` and the other commands start without them (bench_startup.py).

from __future__ import annotations

import contextlib
import difflib
import importlib
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Annotated, Any

# No command does linear algebra; OpenBLAS's idle threads would otherwise spin for a while after
# NumPy is imported, on the cores that read the claims (measured: 0.1 CPU-second per run).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import click
import typer
from typer.core import TyperArgument, TyperCommand, TyperGroup
from typer.main import get_command_from_info, get_command_name

from .._click_nl import gettext
from .._click_nl import install as _dutch
from ..errors import InputError, InputErrors, PolicyYearError, ToolkitError, relabel
from ..version import __version__

_dutch()

# The commands in the order the help lists them: name -> (the module of this package that makes it, the line
# the help lists it with). Only the command that runs (or shows its help) is made and its module imported:
# `zorginkoop ratio` neither imports what `fill` needs nor builds the options of the others.
COMMANDS: dict[str, tuple[str, str]] = {
    "ratio": ("ratio", "Klant-werkgebiedratio per zorgaanbieder uit declaraties."),
    "plafond": ("plafond", "Omzetplafond: prognose per zorgaanbieder, en of een verzoek kan."),
    "kalender": ("kalender", "Tijdpad van het contractjaar: termijnen, wie, status."),
    "fill": ("templates", "Vul een sjabloon in per sleutel van een invoerbestand."),
    "describe": ("templates", "Toon de invoer en uitkomsten van een sjabloon."),
    "demo": ("templates", "Vul elk sjabloon met voorbeeldinvoer."),
    "check": ("templates", "Controleer een werkmap tegen zijn sjabloon."),
    "sjablonen": ("templates", "Maak de sjablonen uit de parametergegevens."),
    "parameters": ("parameters", "Toon de parameters van het beleid en hun bron."),
}


class _Command(TyperCommand):
    """A command whose help texts may quote the parameter data ({placeholders}, `help_text`): filled in
    when the help is shown, so that a command that runs does not load every rule's numbers first."""

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        for param in self.params:
            if isinstance(param, click.Option | TyperArgument) and param.help and "{" in param.help:
                param.help = help_text(param.help)
        super().format_help(ctx, formatter)


class _Commands(TyperGroup):
    """The group of `COMMANDS`, each made from its typer declaration when it is first asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        # (a command made some other way, e.g. its module imported beforehand, is listed after them)
        return [*COMMANDS, *(name for name in self.commands if name not in COMMANDS)]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            importlib.import_module(f"{__package__}.{COMMANDS[cmd_name][0]}")  # registers it on `app`
            info = next(i for i in app.registered_commands
                        if (i.name or get_command_name(getattr(i.callback, "__name__", ""))) == cmd_name)
            if info.cls in (None, TyperCommand):  # (typer's default)
                info.cls = _Command
            command = get_command_from_info(info, pretty_exceptions_short=app.pretty_exceptions_short,
                                            rich_markup_mode=app.rich_markup_mode)
            command.short_help = COMMANDS[cmd_name][1]
            self.add_command(command, cmd_name)
        return self.commands.get(cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The list of commands without making them: their lines from `COMMANDS`."""
        rows = [(name, COMMANDS[name][1] if name in COMMANDS else self.commands[name].get_short_help_str())
                for name in self.list_commands(ctx)]
        with formatter.section(gettext("Commands")):
            formatter.write_dl(rows)

    def resolve_command(self, ctx: click.Context, args: list[str]) -> tuple[str | None, click.Command | None,
                                                                             list[str]]:
        name = click.utils.make_str(args[0])
        known = self.list_commands(ctx)
        if name in known or name.startswith("-") or ctx.resilient_parsing:
            return click.Group.resolve_command(self, ctx, args)  # (an option: click names it as such)
        # Unknown: click's message in Dutch, with the commands it may be a typo of (among all of them, not
        # only those made so far; typer would add its own English suggestion).
        close = difflib.get_close_matches(name, known)
        hint = "" if not close else " " + (
            gettext("Did you mean {possibility}?").format(possibility=repr(close[0])) if len(close) == 1 else
            gettext("(Did you mean one of: {possibilities}?)").format(possibilities=", ".join(map(repr, close))))
        ctx.fail(gettext("No such command {name!r}.").format(name=name) + hint)


app = typer.Typer(
    cls=_Commands,
    add_completion=False,
    no_args_is_help=True,
    help="Zorginkoop-toolkit: toets uw declaraties en afspraken aan het inkoopbeleid wijkverpleging (CZ groep).",
    pretty_exceptions_enable=False,
    # click's own help layout: at 80 columns it wraps between words, and a choice list or a long option
    # gets a line of its own (rich's help panels broke them inside a word).
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    options_metavar="[OPTIES]",
    subcommand_metavar="OPDRACHT [ARGUMENTEN]...",
)


def examples(*lines: str) -> str:
    """A command's examples for its help, kept as written (click's `\\b`: not rewrapped)."""
    return "Voorbeelden:\n\n\b\n" + "\n".join(f"  {line}" for line in lines)


def help_text(text: str) -> str:
    """A help text with the policy numbers of the parameter data in force (never typed into the text)."""
    from ..rules.phrases import render  # every rule's phrases: only when a help is shown

    try:
        return render(text)
    except ToolkitError:  # broken parameter data: the command itself will say so; the help still shows
        return text


def _version(value: bool) -> None:
    if value:
        typer.echo(f"zorginkoop-toolkit {__version__}")
        raise typer.Exit()


@app.callback(epilog=examples(
    "zorginkoop demo",
    "zorginkoop ratio declaraties_2025.csv --year 2027",
    "zorginkoop plafond declaraties_2027.csv --plafond 1.200.000 --year 2027",
    "zorginkoop ratio -h          (de hulp bij één opdracht)"))
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Toon de versie en stop.")] = False,
) -> None:
    """Zorginkoop-toolkit: toets uw declaraties en afspraken aan het inkoopbeleid wijkverpleging (CZ groep)."""


# --- options that several commands share -----------------------------------------------------------------

ParametersOption = Annotated[Path | None, typer.Option(
    "--parameters", metavar="MAP", help="Map met eigen parametergegevens (bijv. een nieuw beleidsjaar), zoals "
                                        "toolkit/parameters/data; ook via ZORGINKOOP_PARAMETERS.",
    show_default=False)]
AgbOption = Annotated[str | None, typer.Option(
    "--agb", metavar="ZORGAANBIEDER", help="Alleen deze zorgaanbieder (de waarde in de kolom zorgaanbieder of "
                                           "AGB-code).", show_default=False)]
JsonOption = Annotated[bool, typer.Option("--json", help="Uitvoer als JSON voor andere programma's.")]
SkipInvalidOption = Annotated[bool, typer.Option(
    "--skip-invalid", help="Ongeldige regels overslaan en tellen in plaats van stoppen.")]
StrictOption = Annotated[bool, typer.Option("--strict", help="Onbekende verzekeraars zijn een fout.")]
RecursiveOption = Annotated[bool, typer.Option(
    "--recursief", help="Van een map ook de submappen lezen.")]
ClaimsArgument = Annotated[list[Path], typer.Argument(
    metavar="DECLARATIES...",
    help="Declaratiebestanden: csv, xlsx of parquet, of een map met zulke bestanden; samen gelezen als één "
         "verzameling declaraties.", show_default=False)]


REPEATED = ("Regels die ook in een ander bestand van de declaraties staan: negeren telt ze mee en meldt ze, "
             "weigeren stopt.")


YEAR = ("--year", "--jaar")


def typed(names: tuple[str, ...]) -> str:
    """The spelling of an option that the user typed (`--jaar` or `--year`); the first when none."""
    for name in names:
        if any(arg == name or arg.startswith(f"{name}=") for arg in sys.argv[1:]):
            return name
    return names[0]


def use_parameters(directory: Path | None) -> None:
    """Put the overlay in force for this process and its workers, checked before any work."""
    from ..parameters import OVERLAY_VARIABLE, active

    if directory is not None:
        os.environ[OVERLAY_VARIABLE] = str(directory.resolve())
    try:
        active()
    except ToolkitError as exc:
        raise fail(exc) from None


def say(text: str, *, err: bool = True) -> None:
    """A message on stderr (`err=False`: a line of output on stdout): in a terminal folded at its width between
    words (a continued line indented two spaces more), so that an 80-column window does not cut a word or a
    file name in two; to a pipe or a file one line per message, as scripts and logs read them."""
    if (sys.stderr if err else sys.stdout).isatty():
        import shutil
        import textwrap

        width = shutil.get_terminal_size().columns  # (COLUMNS first, as rich reads it)
        folded = []
        for line in text.split("\n"):
            indent = " " * (len(line) - len(line.lstrip(" ")))
            folded.append(textwrap.fill(line, width=max(width - 1, 40), subsequent_indent=indent + "  ",
                                        break_long_words=False, break_on_hyphens=False) or line)
        text = "\n".join(folded)
    typer.echo(text, err=err)


def fail(exc: ToolkitError, options: Mapping[str, tuple[str, ...]] | None = None) -> typer.Exit:
    """Exit 1 with the error's Dutch line(s), a field of the library named by the option the user typed."""
    from ..claims.claimset import ClaimsYearError, RepeatedLinesError

    options = options or {}
    if isinstance(exc, InputErrors):
        lines = list(exc.lines)
    elif isinstance(exc, ClaimsYearError):
        lines = [exc.finding.message_for(typed(options.get("year", YEAR)))]
    elif isinstance(exc, RepeatedLinesError):
        lines = [exc.message_for("--dubbel negeren")]
    else:
        field = getattr(exc, "field", None)
        option = typed(options[field]) if isinstance(field, str) and field in options else None
        if option is not None and isinstance(exc, PolicyYearError):
            covered = ", ".join(map(str, exc.covered)) or "geen"
            lines = [f"{option} {exc.year}: de parametergegevens dekken dit beleidsjaar niet (wel: {covered} voor "
                     f"'{exc.shown}'); een "
                     "nieuw beleidsjaar voegt u toe met --parameters (docs/handleiding.md, 'Een nieuw beleidsjaar')"]
        else:
            lines = [relabel(exc, option) if option is not None else str(exc)]
            if field == "year" and option is not None:  # a mistyped year (2207): which ones the data has
                lines[0] += f" (de parametergegevens dekken {', '.join(map(str, _covered_years()))})"
    for line in lines:
        say(f"fout: {line}")
    return typer.Exit(code=1)


def _covered_years() -> list[int]:
    from ..parameters import active  # start-up: the parameter data, only for this message

    return sorted(set().union(*(topic.years for topic in active().topics())))


BROKEN_PIPE = 128 + 13  # the exit code when the output's reader went away: what a shell reports for SIGPIPE


def terminal() -> Any:
    from rich.console import Console

    class _Console(Console):
        def on_broken_pipe(self) -> None:
            # rich's own quiets the output and ends with exit code 1, this command's code for bad input.
            with contextlib.suppress(SystemExit):
                super().on_broken_pipe()
            raise SystemExit(BROKEN_PIPE)

    console = _Console(highlight=False)
    # A pipe or file has no width: do not squeeze the tables to 80 columns, unless COLUMNS says so.
    return console if console.is_terminal or os.environ.get("COLUMNS") else _Console(width=140, highlight=False)


def rich_table(title: str) -> Any:
    """A table for an 80-column terminal: no vertical lines and two spaces between columns (the room goes
    to the values, which are never cut)."""
    from rich import box
    from rich.table import Table

    return Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True)


class progress:
    """A rich progress bar on stderr for long work; silent when not on a terminal (CI, pipes)."""

    def __init__(self, enabled: bool, label: str = "declaraties lezen", *, in_bytes: bool = True) -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self.label = label
        self.in_bytes = in_bytes
        self._progress: Any = None
        self._task: Any = None

    def __enter__(self) -> Any:
        if not self.enabled:
            return None
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            DownloadColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
        )

        amount = DownloadColumn() if self.in_bytes else MofNCompleteColumn()
        self._progress = Progress(TextColumn(self.label), BarColumn(), amount, TimeRemainingColumn(),
                                  console=Console(stderr=True), transient=True)
        self._progress.__enter__()
        self._task = self._progress.add_task(self.label, total=None)

        def advance(done: int, total: int) -> None:
            self._progress.update(self._task, completed=done, total=total)

        return advance

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.__exit__(*exc)


def claims_source(claims: list[Path]) -> Any:
    return claims[0] if len(claims) == 1 else claims


def claims_size(claims: list[Path]) -> int:
    return sum(p.stat().st_size for p in claims if p.is_file())


def claim_set_notes(report: Any, claims: list[Path], *, repeats_count: bool) -> None:
    """What the claim set held besides the answer, on stderr: the files read and skipped, a year that
    looks wrong, lines repeated across files, unknown insurers, invalid lines."""
    from ..claims.claimset import lines_text, repeats_text

    if len(report.sources) > 1 or any(p.is_dir() for p in claims):
        shown = ", ".join(Path(s).name for s in report.sources[:8])
        more = f" en nog {len(report.sources) - 8}" if len(report.sources) > 8 else ""
        files = "1 bestand" if len(report.sources) == 1 else f"{len(report.sources)} bestanden"
        say(f"gelezen: {files}: {shown}{more}")
    for file, why in report.files_skipped:
        say(f"overgeslagen: {file}: {why}")
    for file, note in report.file_notes:
        say(f"let op: {file}: {note}")
    if report.year_warning is not None:
        say(f"let op: {report.year_warning.message_for(typed(YEAR))}")
    if report.repeated:
        total = sum(r.lines for r in report.repeated)
        effect = "ze tellen allemaal mee (--dubbel negeren)" if repeats_count else \
            "de telling van unieke cliënten verandert er niet door"
        say(f"let op: {lines_text(total)} {'komt' if total == 1 else 'komen'} in meer dan één bestand voor: "
            f"{repeats_text(report.repeated)}; {effect}")
    if report.unknown_insurers:
        listed = ", ".join(f"'{v}' ({lines_text(n)})" for v, n in list(report.unknown_insurers.items())[:10])
        say(f"let op: onbekende verzekeraar(s), niet meegeteld: {listed}. Gebruik --strict om te stoppen.")
    if report.invalid_lines:
        n = report.invalid_lines
        say(f"let op: {n} ongeldige {'regel' if n == 1 else 'regels'} overgeslagen: "
            + ", ".join(f"{reason}: {count}" for reason, count in report.invalid_reasons.items()))
        for example in report.invalid_examples:
            say(f"  {example}")


def outside_year(console: Any, reports: list[Any], year: int) -> None:
    """One line on the CZ-group lines each provider has outside the year that counts (not counted)."""
    from ..claims.claimset import lines_text

    outside = [(r.provider or "(alle regels)", r.lines_other_years) for r in reports if r.lines_other_years]
    if not outside:
        return
    listed = ", ".join(f"{name}: {lines_text(n)}" for name, n in outside[:10])
    more = f" en nog {len(outside) - 10} zorgaanbieders (--json)" if len(outside) > 10 else ""
    console.print(f"Regels van CZ groep buiten {year}, niet meegeteld: {listed}{more}.")


def refuse_overwrite(report_file: Path | None, force: bool, inputs: Sequence[Path] = (), *,
                     recursive: bool = False) -> None:
    """A report file is checked before any claim is read: it is a workbook (.xlsx), never one of the files
    read (not even with `--force`: an input is never modified) nor where a folder read would find it (in
    the folder, or with `recursive` below it), and one that exists is refused unless `--force` overwrites
    it."""
    if report_file is None:
        return
    if report_file.suffix.lower() != ".xlsx":
        raise InputError(f"--rapport {report_file}: een rapport is een Excel-werkmap; geef het een naam op .xlsx "
                         f"(bijvoorbeeld {report_file.stem or 'rapport'}.xlsx)", field="rapport",
                         value=str(report_file))
    from ..workbook.files import same_file

    for source in inputs:
        if same_file(report_file, source):
            raise InputError(f"--rapport {report_file} is een van de bestanden die worden gelezen; kies een andere "
                             "naam (een invoerbestand wordt nooit overschreven)", field="rapport",
                             value=str(report_file))
        inside = report_file.resolve().parent
        if source.is_dir() and (inside == source.resolve() or (recursive and inside.is_relative_to(source.resolve()))):
            # Written there, the report would be read as a claim file by the next run on that folder.
            raise InputError(f"--rapport {report_file} ligt in de map met declaraties {source}; de volgende keer zou "
                             "het rapport als declaratiebestand worden gelezen. Kies een andere map",
                             field="rapport", value=str(report_file))
    if report_file.exists() and not force:
        raise InputError(f"{report_file} bestaat al; gebruik --force om te overschrijven", field="rapport",
                         value=str(report_file))
