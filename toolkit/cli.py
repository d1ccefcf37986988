"""The `zorginkoop` command: a thin edge that converts arguments, calls the library and shows results.

Exit codes (INTERFACES.md): 0 ok, 1 bad input (one Dutch line naming file, row and value — one per bad
row for `fill` — and no traceback), 2 usage. Messages go to stderr, results to stdout, so `--json`
output can be piped. The help frame, usage errors and prompts are Dutch (`_click_nl`), as are the
choice words (`uniek|per_gebied`, taken from the rules' vocabularies; the English words are still
accepted). Every command takes `--parameters DIR`, a parameter overlay (toolkit.parameters), and `-h`.

The library names a mistake by its field (`ceiling`, `year`); this edge names it as the user typed it
(`--plafond`, `--jaar`): `_OPTIONS` per command, `_fail` the one place that rewrites.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any

# No command does linear algebra; OpenBLAS's idle threads would otherwise spin for a while after
# NumPy is imported, on the cores that read the claims (measured: 0.1 CPU-second per run).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import typer

from . import __version__
from ._click_nl import Range, Words
from ._click_nl import install as _dutch
from .choices import REPEATED_LINES
from .errors import InputError, InputErrors, PolicyYearError, ToolkitError, relabel
from .rules.ceiling import METHODS as CEILING_METHODS
from .rules.ratio import COUNTING_METHODS, EXEMPTIONS, PROVIDER_KINDS

_dutch()

app = typer.Typer(
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


def _examples(*lines: str) -> str:
    """A command's examples for its help, kept as written (click's `\\b`: not rewrapped)."""
    return "Voorbeelden:\n\n\b\n" + "\n".join(f"  {line}" for line in lines)


def _render(text: str) -> str:
    """A help text with the policy numbers of the parameter data in force (never typed into the text)."""
    from .parameters.phrases import render

    try:
        return render(text)
    except ToolkitError:  # broken parameter data: the command itself will say so; the help still shows
        return text


def _version(value: bool) -> None:
    if value:
        typer.echo(f"zorginkoop-toolkit {__version__}")
        raise typer.Exit()


@app.callback(epilog=_examples(
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


_REPEATED = ("Regels die ook in een ander bestand van de declaraties staan: negeren telt ze mee en meldt ze, "
             "weigeren stopt.")


_YEAR = ("--year", "--jaar")


def _typed(names: tuple[str, ...]) -> str:
    """The spelling of an option that the user typed (`--jaar` or `--year`); the first when none."""
    for name in names:
        if any(arg == name or arg.startswith(f"{name}=") for arg in sys.argv[1:]):
            return name
    return names[0]


def _use_parameters(directory: Path | None) -> None:
    """Put the overlay in force for this process and its workers, checked before any work."""
    from .parameters import OVERLAY_VARIABLE, active

    if directory is not None:
        os.environ[OVERLAY_VARIABLE] = str(directory.resolve())
    try:
        active()
    except ToolkitError as exc:
        raise _fail(exc) from None


def _fail(exc: ToolkitError, options: Mapping[str, tuple[str, ...]] | None = None) -> typer.Exit:
    """Exit 1 with the error's Dutch line(s), a field of the library named by the option the user typed."""
    from .claims.claimset import ClaimsYearError, RepeatedLinesError

    options = options or {}
    if isinstance(exc, InputErrors):
        lines = list(exc.lines)
    elif isinstance(exc, ClaimsYearError):
        lines = [exc.finding.message_for(_typed(options.get("year", _YEAR)))]
    elif isinstance(exc, RepeatedLinesError):
        lines = [exc.message_for("--dubbel negeren")]
    else:
        field = getattr(exc, "field", None)
        option = _typed(options[field]) if isinstance(field, str) and field in options else None
        if option is not None and isinstance(exc, PolicyYearError):
            covered = ", ".join(map(str, exc.covered)) or "geen"
            lines = [f"{option} {exc.year}: de parametergegevens dekken dit beleidsjaar niet (wel: {covered}); een "
                     "nieuw beleidsjaar voegt u toe met --parameters (docs/handleiding.md, 'Een nieuw beleidsjaar')"]
        else:
            lines = [relabel(exc, option) if option is not None else str(exc)]
    for line in lines:
        typer.echo(f"fout: {line}", err=True)
    return typer.Exit(code=1)


def _console() -> Any:
    from rich.console import Console

    console = Console(highlight=False)
    # A pipe or file has no width: do not squeeze the tables to 80 columns, unless COLUMNS says so.
    return console if console.is_terminal or os.environ.get("COLUMNS") else Console(width=140, highlight=False)


def _table(title: str) -> Any:
    """A table for an 80-column terminal: no vertical lines and two spaces between columns (the room goes
    to the values, which are never cut)."""
    from rich import box
    from rich.table import Table

    return Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True)


class _progress:
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


def _claims_source(claims: list[Path]) -> Any:
    return claims[0] if len(claims) == 1 else claims


def _claims_size(claims: list[Path]) -> int:
    return sum(p.stat().st_size for p in claims if p.is_file())


def _claim_set_notes(report: Any, claims: list[Path], *, repeats_count: bool) -> None:
    """What the claim set held besides the answer, on stderr: the files read and skipped, a year that
    looks wrong, lines repeated across files, unknown insurers, invalid lines."""
    from .claims.claimset import lines_text, repeats_text

    if len(report.sources) > 1 or any(p.is_dir() for p in claims):
        shown = ", ".join(Path(s).name for s in report.sources[:8])
        more = f" en nog {len(report.sources) - 8}" if len(report.sources) > 8 else ""
        files = "1 bestand" if len(report.sources) == 1 else f"{len(report.sources)} bestanden"
        typer.echo(f"gelezen: {files}: {shown}{more}", err=True)
    for file, why in report.files_skipped:
        typer.echo(f"overgeslagen: {file}: {why}", err=True)
    if report.year_warning is not None:
        typer.echo(f"let op: {report.year_warning.message_for(_typed(_YEAR))}", err=True)
    if report.repeated:
        total = sum(r.lines for r in report.repeated)
        effect = "ze tellen allemaal mee (--dubbel negeren)" if repeats_count else \
            "de telling van unieke cliënten verandert er niet door"
        typer.echo(f"let op: {lines_text(total)} {'komt' if total == 1 else 'komen'} in meer dan één bestand voor: "
                   f"{repeats_text(report.repeated)}; {effect}", err=True)
    if report.unknown_insurers:
        listed = ", ".join(f"'{v}' ({lines_text(n)})" for v, n in list(report.unknown_insurers.items())[:10])
        typer.echo(f"let op: onbekende verzekeraar(s), niet meegeteld: {listed}. Gebruik --strict om te stoppen.",
                   err=True)
    if report.invalid_lines:
        n = report.invalid_lines
        typer.echo(f"let op: {n} ongeldige {'regel' if n == 1 else 'regels'} overgeslagen: "
                   + ", ".join(f"{reason}: {count}" for reason, count in report.invalid_reasons.items()), err=True)
        for example in report.invalid_examples:
            typer.echo(f"  {example}", err=True)


def _outside_year(console: Any, reports: list[Any], year: int) -> None:
    """One line on the CZ-group lines each provider has outside the year that counts (not counted)."""
    from .claims.claimset import lines_text

    outside = [(r.provider or "(alle regels)", r.lines_other_years) for r in reports if r.lines_other_years]
    if not outside:
        return
    listed = ", ".join(f"{name}: {lines_text(n)}" for name, n in outside[:10])
    more = f" en nog {len(outside) - 10} zorgaanbieders (--json)" if len(outside) > 10 else ""
    console.print(f"Regels van CZ groep buiten {year}, niet meegeteld: {listed}{more}.")


# --- ratio ----------------------------------------------------------------------------------------------

_RATIO_OPTIONS = {"year": _YEAR, "jaar": _YEAR}


@app.command(options_metavar="[OPTIES]", short_help="Klant-werkgebiedratio per zorgaanbieder uit declaraties.",
             epilog=_examples(
                 "zorginkoop ratio declaraties_2025.csv --year 2027",
                 "zorginkoop ratio exports/ --year 2027 --recursief --rapport ratio.xlsx",
                 "zorginkoop ratio declaraties.xlsx --jaar 2027 --soort nieuw \\",
                 "    --methode per_gebied --json"))
def ratio(
    claims: ClaimsArgument,
    year: Annotated[int, typer.Option(*_YEAR, metavar="JAAR", help=_render(
        "Beleidsjaar; de declaraties van {declaratiejaar} tellen (bij {jaar}: {declaratiejaar_voorbeeld})."),
        show_default=False)],
    kind: Annotated[str, typer.Option(
        "--soort", click_type=Words(PROVIDER_KINDS), help="Bestaande of nieuwe zorgaanbieder.")] = "bestaand",
    method: Annotated[str | None, typer.Option(
        "--methode", click_type=Words(COUNTING_METHODS), help="uniek: een cliënt die verhuisde telt één keer; "
        "per_gebied: in elk gebied waar hij zorg kreeg.  [standaard: uniek]", show_default=False)] = None,
    exemption: Annotated[str | None, typer.Option(
        "--uitzondering", click_type=Words(EXEMPTIONS), help="De eis geldt dan niet (n.v.t.).",
        show_default=False)] = None,
    agb: AgbOption = None,
    as_json: JsonOption = False,
    wide: Annotated[bool, typer.Option("--breed", help="Ook de te schrappen gebieden, verhuisde cliënten en de "
                                                       "regels per zorgaanbieder.")] = False,
    report_file: Annotated[Path | None, typer.Option(
        "--rapport", metavar="BESTAND", help="Schrijf ook een rapport (xlsx) met een overzicht, een blad per "
                                             "zorgaanbieder en een grafiek.", show_default=False)] = None,
    force: Annotated[bool, typer.Option("--force", help="Een bestaand rapport overschrijven.")] = False,
    repeated: Annotated[str, typer.Option(
        "--dubbel", click_type=Words(REPEATED_LINES), help=f"{_REPEATED} Hier: zelfde zorgaanbieder, cliënt, "
                                                            "datum en prestatie; ze veranderen een telling van unieke "
                                                            "cliënten niet.")] = "negeren",
    recursive: RecursiveOption = False,
    skip_invalid: SkipInvalidOption = False,
    strict: StrictOption = False,
    parameters: ParametersOption = None,
    # The English spellings of INTERFACES.md, still accepted, no longer shown.
    provider_en: Annotated[str | None, typer.Option("--provider", click_type=Words(PROVIDER_KINDS),
                                                    hidden=True)] = None,
    method_en: Annotated[str | None, typer.Option("--method", click_type=Words(COUNTING_METHODS),
                                                  hidden=True)] = None,
    exemption_en: Annotated[str | None, typer.Option("--exemption", click_type=Words(EXEMPTIONS),
                                                     hidden=True)] = None,
    wide_en: Annotated[bool, typer.Option("--all", hidden=True)] = False,
) -> None:
    """Klant-werkgebiedratio van CZ groep: cliënten per 4-cijferig postcodegebied, per zorgaanbieder, uit de
    declaraties van het declaratiejaar."""
    from .claims import PROGRESS_MIN_BYTES, ratio_from_claims

    _use_parameters(parameters)
    wide = wide or wide_en
    try:
        if report_file is not None and report_file.exists() and not force:
            raise InputError(f"{report_file} bestaat al; gebruik --force om te overschrijven", field="rapport",
                             value=str(report_file))
        with _progress(enabled=_claims_size(claims) >= PROGRESS_MIN_BYTES and not as_json) as advance:
            report = ratio_from_claims(
                _claims_source(claims), year=year, provider=provider_en or kind,
                method=method or method_en or "distinct", exemption=exemption or exemption_en,
                skip_invalid=skip_invalid, strict=strict, only_provider=agb, recursive=recursive,
                repeated=repeated, progress=advance)
        reports = list(report.providers.values()) if report.providers else [report]
        if report_file is not None:
            from .workbook.ratio_report import write_ratio_report

            write_ratio_report(report, reports, report_file, force=force)
    except ToolkitError as exc:
        raise _fail(exc, _RATIO_OPTIONS) from None

    if as_json:
        # One provider per line, written as it is made (5,000 providers all over the country make
        # hundreds of MB of JSON): readable in a pager, and json.dumps without indent is its C encoder.
        if report.providers:
            for n, one in enumerate(reports):
                sys.stdout.write(("[\n" if n == 0 else ",\n") + one.to_json())
            sys.stdout.write("\n]\n")
        else:
            sys.stdout.write(report.to_json() + "\n")
    else:
        _print_ratio_table(reports, wide=wide)
    if report_file is not None:
        typer.echo(f"rapport geschreven: {report_file}", err=True)
    _claim_set_notes(report, claims, repeats_count=False)


def _print_ratio_table(reports: list[Any], *, wide: bool) -> None:
    """The default columns fit an 80-column terminal; `--breed` adds two more tables that fit it too."""
    first = reports[0]
    kind = "bestaande" if first.assessment.provider == "existing" else "nieuwe"
    console = _console()
    table = _table(f"Klant-werkgebiedratio CZ groep, beleidsjaar {first.year}\n(declaraties {first.claims_year}, "
                   f"{kind} zorgaanbieder, {'uniek' if first.method == 'distinct' else 'per gebied'} geteld)")
    for heading in ("Zorgaanbieder", "Cliënten", "Gebieden", "Ratio", "Drempel", "Voldoet", "Extra nodig"):
        table.add_column(heading, justify="left" if heading in {"Zorgaanbieder", "Voldoet"} else "right",
                         no_wrap=heading == "Zorgaanbieder")
    for r in reports:
        a = r.assessment
        verdict = "n.v.t." if not a.applies else ("[green]ja[/green]" if a.meets else "[red]nee[/red]")
        table.add_row(r.provider or "(alle regels)", str(a.clients), str(a.areas), a.ratio_display,
                      "-" if a.threshold is None else str(a.threshold).replace(".", ","), verdict,
                      str(a.clients_needed) if a.applies else "-")
    console.print(table)
    if wide:
        drops = _table("Per zorgaanbieder: gebieden en verhuisde cliënten")
        for heading in ("Zorgaanbieder", "Max. gebieden", "Te schrappen", "Verhuisd"):
            drops.add_column(heading, justify="left" if heading == "Zorgaanbieder" else "right", no_wrap=True)
        lines = _table(f"Per zorgaanbieder: declaratieregels (gebruikt: CZ groep in {first.claims_year})")
        lines.caption, lines.caption_justify = ("Niet CZ: andere verzekeraars. Onbekend: een verzekeraar op geen "
                                                "lijst. Ongeldig: overgeslagen (--skip-invalid)."), "left"
        for heading in ("Zorgaanbieder", "Gebruikt", f"Buiten\n{first.claims_year}", "Kindzorg", "Niet CZ",
                        "Onbekend", "Ongeldig"):
            lines.add_column(heading, justify="left" if heading == "Zorgaanbieder" else "right", no_wrap=True)
        for r in reports:
            a = r.assessment
            drop = "-" if not a.areas_to_drop else (
                f"{len(a.areas_to_drop)}" + ("" if a.drop_achievable else " (onhaalbaar)"))
            name = r.provider or "(alle regels)"
            drops.add_row(name, "-" if a.max_areas is None else str(a.max_areas), drop, str(r.movers))
            lines.add_row(name, str(r.lines_used), str(r.lines_other_years), str(r.lines_kindzorg),
                          str(r.lines_other_insurers), str(sum(r.unknown_insurers.values())), str(r.invalid_lines))
        console.print(drops)
        console.print(lines)
    else:
        console.print("Meer kolommen (te schrappen gebieden, verhuisde cliënten, regels): --breed.", style="dim")
    from .rules.ratio import MOVERS_NOTE

    movers = [r for r in reports if r.movers]
    if movers and first.method == "distinct":
        listed = ", ".join(f"{r.provider or 'totaal'}: {r.movers}" for r in movers[:10])
        more = " …" if len(movers) > 10 else ""
        console.print(f"Verhuisde cliënten ({listed}{more}): {MOVERS_NOTE}; de cliënten per gebied tellen daardoor "
                      "op tot meer dan het totaal.")
    _outside_year(console, reports, first.claims_year)
    for r in reports:
        if not r.assessment.applies:
            console.print(f"{r.provider or 'Totaal'}: {r.assessment.reason}")


# --- plafond ---------------------------------------------------------------------------------------------

_PLAFOND_OPTIONS = {"year": _YEAR, "jaar": _YEAR, "ceiling": ("--plafond",), "cost_points": ("--kostenpunten",),
                    "production_agreement": ("--productieafspraak",), "score_2026": ("--score-2026",),
                    "score_2027": ("--score-2027",), "method": ("--methode",), "last_year_monthly": ("--vorig-jaar",)}


@app.command(options_metavar="[OPTIES]", short_help="Omzetplafond: prognose per zorgaanbieder, en of een "
                                                      "verzoek kan.",
             epilog=_examples(
                 "zorginkoop plafond declaraties_2027.csv --plafond 1.200.000 --year 2027",
                 "zorginkoop plafond exports/ --plafond 400000 --year 2027 --agb 01234567 \\",
                 "    --vorig-jaar declaraties_2026.csv --methode seizoen \\",
                 "    --score-2026 B --kostenpunten 6"))
def plafond(
    claims: ClaimsArgument,
    ceiling: Annotated[str, typer.Option("--plafond", metavar="BEDRAG", help="Omzetplafond voor het beleidsjaar in "
                                         "euro (1.200.000 of 1200000); bij meerdere zorgaanbieders voor elk (kies "
                                         "er één met --agb).", show_default=False)],
    year: Annotated[int, typer.Option(*_YEAR, metavar="JAAR", help="Beleidsjaar; de declaraties van dat jaar "
                                                                    "tellen.", show_default=False)],
    previous: Annotated[list[Path] | None, typer.Option(
        "--vorig-jaar", metavar="DECLARATIES", help="Declaraties van vorig jaar: het seizoenspatroon voor de "
                                                    "prognose.", show_default=False)] = None,
    method: Annotated[str | None, typer.Option(
        "--methode", click_type=Words(CEILING_METHODS), help="lineair: elke volgende maand het gemiddelde; "
        "seizoen: volgens vorig jaar.  [standaard: seizoen met --vorig-jaar, anders lineair]",
        show_default=False)] = None,
    months: Annotated[int | None, typer.Option(
        "--maanden", metavar="AANTAL", click_type=Range(1, 12), help="Aantal bekende maanden (standaard: t/m de "
                                                                      "laatste maand met declaraties).",
        show_default=False)] = None,
    score_2026: Annotated[str | None, typer.Option(
        "--score-2026", metavar="SCORE", help="Waardemodelscore van het jaar vóór het beleidsjaar: A, B of C "
        "(leeg: geen score). Met een score beoordeelt de opdracht ook het verzoek om aanvullend budget.",
        show_default=False)] = None,
    score_2027: Annotated[str | None, typer.Option("--score-2027", metavar="SCORE", help="Waardemodelscore van "
                                                   "het beleidsjaar: A, B of C.", show_default=False)] = None,
    cost_points: Annotated[str | None, typer.Option("--kostenpunten", metavar="PUNTEN", help="Punten op het "
                                                    "kostenonderdeel van het waardemodel.", show_default=False)] = None,
    ceiling_free: Annotated[bool, typer.Option("--plafondvrij", help="Plafondvrije afspraak.")] = False,
    agreement: Annotated[str | None, typer.Option("--productieafspraak", metavar="BEDRAG",
                                                  help="Productieafspraak in euro.", show_default=False)] = None,
    agb: AgbOption = None,
    as_json: JsonOption = False,
    repeated: Annotated[str, typer.Option(
        "--dubbel", click_type=Words(REPEATED_LINES), help=f"{_REPEATED} Hier: zelfde zorgaanbieder, cliënt, "
                                                            "datum, prestatie en bedrag; meegeteld telt hun productie "
                                                            "dubbel.")] = (
        "weigeren"),
    recursive: RecursiveOption = False,
    skip_invalid: SkipInvalidOption = False,
    strict: StrictOption = False,
    parameters: ParametersOption = None,
) -> None:
    """Omzetplafond: prognose per zorgaanbieder uit de CZ-declaraties per maand, en of een verzoek om aanvullend
    budget kan."""
    from .claims import PROGRESS_MIN_BYTES, production_from_claims
    from .claims.claimset import ClaimsYearError
    from .rules.ceiling import SELF_DEMONSTRATE

    _use_parameters(parameters)
    assess = score_2026 is not None or ceiling_free
    kind = method or ("seasonal" if previous else "linear")
    try:
        _check_plafond_arguments(ceiling, year, assess, score_2026, score_2027, cost_points, ceiling_free, agreement)
        with _progress(enabled=_claims_size(claims) >= PROGRESS_MIN_BYTES and not as_json) as advance:
            report = production_from_claims(_claims_source(claims), year=year, skip_invalid=skip_invalid,
                                            strict=strict, only_provider=agb, recursive=recursive, repeated=repeated,
                                            progress=advance)
            try:
                last_year = None if not previous else production_from_claims(
                    _claims_source(previous), year=year - 1, skip_invalid=skip_invalid, strict=strict,
                    recursive=recursive, repeated=repeated)
            except ClaimsYearError as exc:
                raise InputError(f"--vorig-jaar: {exc.finding.found()} — geef bij --vorig-jaar de declaraties van "
                                 f"{year - 1}", field="last_year_monthly", value=year - 1) from None
        if last_year is not None and last_year.year_warning is not None:
            typer.echo(f"let op: --vorig-jaar: {last_year.year_warning.found()} — geef bij --vorig-jaar de "
                       f"declaraties van {year - 1}", err=True)
        reports = list(report.providers.values()) if report.providers else [report]
        results = [_ceiling_result(r, last_year, ceiling, kind, months, assess, score_2026, score_2027,
                                   cost_points, ceiling_free, agreement) for r in reports]
    except ToolkitError as exc:
        raise _fail(exc, _PLAFOND_OPTIONS) from None
    if as_json:
        from .claims.report import files_dict

        claim_set = files_dict(report.sources, report.files_skipped, report.repeated)
        objects = [{**result, "lines_other_years": r.lines_other_years, **claim_set}
                   for result, r in zip(results, reports, strict=True)]
        lines = ",\n".join(json.dumps(r, ensure_ascii=False) for r in objects)
        sys.stdout.write(f"[\n{lines}\n]\n" if report.providers else json.dumps(objects[0], ensure_ascii=False)
                         + "\n")
    else:
        _print_ceiling(results, year, detailed=len(results) == 1, self_demonstrate=SELF_DEMONSTRATE if assess else ())
        _outside_year(_console(), reports, year)
    _claim_set_notes(report, claims, repeats_count=True)
    for file, why in last_year.files_skipped if last_year is not None else ():
        typer.echo(f"overgeslagen (--vorig-jaar): {file}: {why}", err=True)


def _check_plafond_arguments(ceiling: str, year: int, assess: bool, score_2026: str | None, score_2027: str | None,
                             cost_points: str | None, ceiling_free: bool, agreement: str | None) -> None:
    """The typed amounts, scores and year checked by the rules themselves before any claim is read: a typo
    should not wait for a minute of reading."""
    from .rules import forecast_ceiling, staffel_reimbursement

    forecast_ceiling(ceiling, [0], year=year)
    if assess:
        staffel_reimbursement(0, score_2026 or None, score_2027 or None, cost_points=cost_points,
                              ceiling_free=ceiling_free, production_agreement=agreement, year=year)


def _ceiling_result(report: Any, last_year: Any, ceiling: str, method: str, months: int | None, assess: bool,
                    score_2026: str | None, score_2027: str | None, cost_points: str | None, ceiling_free: bool,
                    agreement: str | None) -> dict[str, Any]:
    """One provider's forecast (and request assessment) as plain values for the table and --json."""
    from .rules import assess_additional_purchase, forecast_ceiling

    who = report.provider or "de declaraties"
    known = months if months is not None else report.last_month
    if not known:
        raise InputError(f"{who}: geen CZ-declaraties in {report.year}; er is nog geen productie om door te trekken",
                         field="productie", value=None)
    monthly = [str(m) for m in report.monthly[:known]]
    profile = None
    if method == "seasonal":
        if last_year is None:
            raise InputError("de seizoensmethode heeft --vorig-jaar nodig (de declaraties van vorig jaar)",
                             field="vorig_jaar", value=None)
        source = last_year.providers.get(report.provider, None) if last_year.providers else last_year
        if source is None:
            raise InputError(f"{who}: komt niet voor in de declaraties van vorig jaar (--vorig-jaar)",
                             field="vorig_jaar", value=report.provider)
        profile = [str(m) for m in source.monthly]
    if assess:
        outcome = assess_additional_purchase(
            ceiling, monthly, last_year_monthly=profile, method=method, score_2026=score_2026 or None,
            score_2027=score_2027 or None, cost_points=cost_points, ceiling_free=ceiling_free,
            production_agreement=agreement, year=report.year)
        forecast = outcome.forecast
    else:
        outcome, forecast = None, forecast_ceiling(ceiling, monthly, last_year_monthly=profile, method=method,
                                                   year=report.year)
    result: dict[str, Any] = {
        "provider": report.provider, "year": forecast.year, "method": forecast.method,
        "ceiling": str(forecast.ceiling), "months_known": forecast.months_known, "realised": str(forecast.realised),
        "projected_year": str(forecast.projected_year), "monthly": [str(m) for m in forecast.monthly],
        "cumulative": [str(k) for k in forecast.cumulative],
        "share_before_october": float(forecast.share_before_october), "meets_80_percent": forecast.meets_80_percent,
        "reference_date": forecast.reference_date.isoformat(),
        "month_reached": forecast.month_reached, "insufficient": forecast.insufficient,
        "shortfall": str(forecast.shortfall), "lines_used": report.lines_used,
    }
    if outcome is not None:
        result.update({
            "may_request": outcome.may_request, "requested_budget": str(outcome.requested_budget),
            "staffel_percentage": None if outcome.staffel.percentage is None else float(outcome.staffel.percentage),
            "expected_reimbursement": None if outcome.expected_reimbursement is None
            else str(outcome.expected_reimbursement),
            "reasons": list(outcome.reasons), "request_month": outcome.request_month,
            "last_send_date": outcome.last_send_date.isoformat(), "self_demonstrate": list(outcome.self_demonstrate),
        })
    return result


def _known_months(months: int) -> str:
    from .rules.staffel import month_name

    return "januari (1 maand)" if months == 1 else f"januari t/m {month_name(months)} ({months} maanden)"


def _bullets(console: Any, items: Any) -> None:
    """A list whose lines wrap under their own text, not under the dash."""
    from rich.table import Table

    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column()
    for item in items:
        grid.add_row("  -", item)
    console.print(grid)


def _print_ceiling(results: list[dict[str, Any]], year: int, *, detailed: bool,
                   self_demonstrate: tuple[str, ...]) -> None:
    import datetime as dt
    from decimal import Decimal

    from .numbers import format_money, format_percent
    from .rules.staffel import month_name

    console = _console()
    first = results[0]
    way = "volgens het seizoen van vorig jaar" if first["method"] == "seasonal" else "lineair"
    reference = dt.date.fromisoformat(first["reference_date"])
    # The months known: most providers share them (the export's last month); the others are named below.
    counts: dict[int, int] = {}
    for r in results:
        counts[r["months_known"]] = counts.get(r["months_known"], 0) + 1
    usual = max(counts, key=lambda n: (counts[n], n))
    # Whole euros in the overview, so that every column fits an 80-column terminal; cents per month below.
    known = ("meestal " if len(counts) > 1 else "") + _known_months(usual)
    table = _table(f"Omzetplafond CZ groep {year}: prognose per zorgaanbieder\nPlafond "
                   f"{format_money(Decimal(first['ceiling']), cents=False)}; bekend: {known}, daarna {way} "
                   "doorgetrokken; bedragen in hele euro's")
    before = f"Vóór\n{reference.day} {month_name(reference.month)[:3]}."  # the reference date of the 80 % test
    headings = ["Zorgaanbieder", "Gerealiseerd", "Prognose\njaar", before, "Plafond\nbereikt", "Tekort"]
    if "may_request" in first:
        headings.append("Verzoek\nmogelijk")
    for heading in headings:
        if heading == "Zorgaanbieder":  # a long name wraps between its words; the amounts are never cut
            table.add_column(heading, min_width=8, overflow="fold")
        else:
            table.add_column(heading, no_wrap=True, justify="right" if heading in {
                "Gerealiseerd", "Prognose\njaar", "Tekort", before} else "left")
    for r in results:
        share = format_percent(Decimal(str(r["share_before_october"])), 1)
        row = [r["provider"] or "(alle regels)", format_money(Decimal(r["realised"]), cents=False),
               format_money(Decimal(r["projected_year"]), cents=False),
               share if r["meets_80_percent"] else f"[red]{share}[/red]",
               month_name(r["month_reached"]) if r["month_reached"] else "niet",
               format_money(Decimal(r["shortfall"]), cents=False)]
        if "may_request" in r:
            row.append("[green]ja[/green]" if r["may_request"] else "[red]nee[/red]")
        table.add_row(*row)
    console.print(table)
    others = [r for r in results if r["months_known"] != usual]
    if others:
        listed = ", ".join(f"{r['provider'] or '(alle regels)'} t/m {month_name(r['months_known'])}"
                           for r in others[:10])
        more = f" en nog {len(others) - 10}" if len(others) > 10 else ""
        console.print(f"Andere bekende maanden: {listed}{more}.")
    if not detailed:
        console.print("Per maand en de redenen: --agb <zorgaanbieder>.", style="dim")
        return
    r = results[0]
    per_month = _table(f"Per maand: bekend {_known_months(r['months_known'])}, daarna {way} doorgetrokken")
    for heading in ("Maand", "Productie", "Cumulatief", ""):
        per_month.add_column(heading, justify="right" if heading in {"Productie", "Cumulatief"} else "left")
    for i, (value, running) in enumerate(zip(r["monthly"], r["cumulative"], strict=True), start=1):
        mark = "prognose" if i > r["months_known"] else ""
        if r["month_reached"] == i:
            mark = (mark + ", " if mark else "") + "plafond bereikt"
        per_month.add_row(month_name(i), format_money(Decimal(value)), format_money(Decimal(running)), mark)
    console.print(per_month)
    console.print(f"Omzetplafond {format_money(Decimal(r['ceiling']))}; verwacht tekort "
                  f"{format_money(Decimal(r['shortfall']))}.")
    if "may_request" in r:
        if r["may_request"]:
            reimbursed = r["expected_reimbursement"]
            send = dt.date.fromisoformat(r["last_send_date"])
            asked = format_money(Decimal(r["requested_budget"]))
            console.print(f"Verzoek om aanvullend budget: mogelijk, in {month_name(r['request_month'])}, verzonden "
                          f"vóór {send.day} {month_name(send.month)} {send.year}; gevraagd {asked}, "
                          f"verwachte vergoeding {format_money(Decimal(reimbursed)) if reimbursed else '-'}.")
        else:
            console.print("Verzoek om aanvullend budget: niet mogelijk:")
            _bullets(console, r["reasons"])
        console.print("Zelf aantonen in de aanvraag (geen getal in het beleid):")
        _bullets(console, self_demonstrate)


# --- templates ------------------------------------------------------------------------------------------

TemplateArg = Annotated[str, typer.Argument(
    metavar="SJABLOON",
    help="Sjabloon: de naam van een meegeleverd sjabloon (cz_ratio, staffel, cooperatie, nachtzorg, plafond, "
         "eigen_levering) of een eigen sjabloon (xlsx).", show_default=False)]


@app.command(options_metavar="[OPTIES]", short_help="Vul een sjabloon in per sleutel van een invoerbestand.",
             epilog=_examples(
                 "zorginkoop fill cz_ratio aanbieders.csv --out gevuld",
                 "zorginkoop fill staffel scenario.xlsx --out s --key scenario --skip-invalid",
                 "zorginkoop describe cz_ratio     (de kolommen van het invoerbestand)"))
def fill(
    template: TemplateArg,
    inputs: Annotated[Path, typer.Argument(
        metavar="INVOER", help="Invoerbestand (csv of xlsx): een kolom per invoer, genoemd naar de invoer zonder in_ "
                               "(zorginkoop describe SJABLOON toont ze); een rij per sleutel.", show_default=False)],
    out: Annotated[Path, typer.Option("--out", metavar="MAP", help="Map voor de ingevulde werkmappen en de "
                                                                   "samenvatting.", show_default=False)],
    key: Annotated[str | None, typer.Option("--key", metavar="KOLOM", help="Kolom met de sleutel (standaard de "
                                            "eerste kolom).", show_default=False)] = None,
    force: Annotated[bool, typer.Option("--force", help="Bestaande bestanden overschrijven.")] = False,
    skip_invalid: Annotated[bool, typer.Option(
        "--skip-invalid", help="Foute sleutels overslaan en als afgewezen in de samenvatting zetten.")] = False,
    workers: Annotated[int | None, typer.Option("--workers", metavar="AANTAL", click_type=Range(1),
                                                help="Aantal processen (standaard: het aantal cores).",
                                                show_default=False)] = None,
    parameters: ParametersOption = None,
) -> None:
    """Vul een sjabloon in, één werkmap per sleutel, met summary.xlsx en summary.csv van de uitkomsten."""
    from .workbook.fill import Interrupted
    from .workbook.fill import fill as fill_template

    _use_parameters(parameters)
    try:
        with _progress(enabled=True, label="werkmappen schrijven", in_bytes=False) as advance:
            result = fill_template(template, inputs, out, key=key, force=force, skip_invalid=skip_invalid,
                                   workers=workers, progress=advance)
    except ToolkitError as exc:
        raise _fail(exc) from None
    except Interrupted:
        typer.echo("afgebroken: de werkmappen die al klaar waren staan er, een samenvatting is niet geschreven",
                   err=True)
        raise typer.Exit(code=130) from None
    typer.echo(f"{_workbooks(result.written)} geschreven in {out}; samenvatting: {result.summary_xlsx.name}, "
               f"{result.summary_csv.name}")
    for case in (c for c in result.cases if c.error):
        typer.echo(f"afgewezen: {case.key}: {case.error}", err=True)


def _workbooks(count: int) -> str:
    return "1 werkmap" if count == 1 else f"{count} werkmappen"


@app.command(options_metavar="[OPTIES]", short_help="Toon de invoer en uitkomsten van een sjabloon.",
             epilog=_examples("zorginkoop describe cz_ratio", "zorginkoop describe eigen_sjabloon.xlsx"))
def describe(template: TemplateArg, parameters: ParametersOption = None) -> None:
    """Toon de invoer (de kolommen van een invoerbestand voor fill) en de uitkomsten van een sjabloon, met
    hun namen en cellen."""
    from .workbook.fill import TemplateFile

    _use_parameters(parameters)
    try:
        tpl = TemplateFile.open(template)
    except ToolkitError as exc:
        raise _fail(exc) from None
    spec = tpl.spec
    console = _console()
    # Names are never cut: they are what an INPUTS file and a formula need. Each gets its own column
    # without wrapping (the longest is 26 characters); the description wraps beside them.
    inputs = _table(f"{spec.title} ({tpl.path.name}, versie {spec.version}, beleidsjaren "
                    f"{', '.join(map(str, spec.years))})\nInvoer: een kolom per invoer in het invoerbestand van fill")
    for heading, wrap in (("Kolom", False), ("Naam en cel", False), ("Omschrijving", True)):
        inputs.add_column(heading, no_wrap=not wrap, overflow="fold" if wrap else "ellipsis")
    for item in spec.inputs:
        cells = tpl.cells[item.name]
        where = f"Invoer!{cells[0]}" + (f":{cells[-1]}" if len(cells) > 1 else "")
        choices = "/".join(item.choices)
        kind = item.kind_name + (f": {choices}" if choices and choices != item.kind_name else "") + (
            f", {item.rows} rijen" if item.rows else "") + ("" if item.required or item.rows else ", optioneel")
        inputs.add_row(item.column, f"{item.name}\n{where}", f"{item.label}; {kind}")
    console.print(inputs)
    outputs = _table("Uitkomsten")
    for heading, wrap in (("Naam en cel", False), ("Omschrijving", True)):
        outputs.add_column(heading, no_wrap=not wrap)
    for output in spec.outputs:
        cells = tpl.output_cells[output.name]
        where = f"Uitkomst!{cells[0]}" + (f":{cells[-1]}" if len(cells) > 1 else "")
        outputs.add_row(f"{output.name}\n{where}", f"{output.label}; {_OUTPUT_KINDS.get(output.kind, output.kind)}")
    console.print(outputs)


_OUTPUT_KINDS = {"count": "aantal", "number": "getal", "ratio": "getal", "fraction": "fractie (%)", "money": "bedrag",
                 "bool": "ja/nee", "text": "tekst", "month": "maand"}


@app.command(options_metavar="[OPTIES]", short_help="Vul elk sjabloon met voorbeeldinvoer.",
             epilog=_examples("zorginkoop demo", "zorginkoop demo --out proef --force"))
def demo(
    out: Annotated[Path, typer.Option("--out", metavar="MAP", help="Map voor het resultaat.")] = (
        Path("zorginkoop-demo")),
    force: Annotated[bool, typer.Option("--force", help="Bestaande bestanden overschrijven.")] = False,
    parameters: ParametersOption = None,
) -> None:
    """Vul elk meegeleverd sjabloon met de meegeleverde voorbeeldinvoer (in ./zorginkoop-demo/)."""
    from .workbook import examples_dir
    from .workbook.fill import fill as fill_template
    from .workbook.specs import SPECS

    _use_parameters(parameters)
    try:
        for name in SPECS:
            result = fill_template(name, examples_dir() / f"{name}.csv", out / name, force=force)
            typer.echo(f"{name}: {_workbooks(result.written)} in {out / name}")
    except ToolkitError as exc:
        raise _fail(exc) from None


@app.command(options_metavar="[OPTIES]", short_help="Controleer een werkmap tegen zijn sjabloon.",
             epilog=_examples('zorginkoop check "gevuld/Zorg Noord.xlsx"'))
def check(
    workbook: Annotated[Path, typer.Argument(metavar="WERKMAP", help="Een ingevuld of bewerkt sjabloon (xlsx).",
                                             show_default=False)],
    parameters: ParametersOption = None,
) -> None:
    """Controleer een werkmap tegen het sjabloon dat hij zegt te zijn: onderdelen, formules, namen, parameters,
    en uitkomsten die afwijken van de regels."""
    from .workbook.check import check_workbook

    _use_parameters(parameters)
    try:
        report = check_workbook(workbook)
    except ToolkitError as exc:
        raise _fail(exc) from None
    shown = 20  # a formula dragged over 2,000 rows is one mistake, not 2,000 lines to read
    for finding in report.findings[:shown]:
        typer.echo(finding.line())
    if len(report.findings) > shown:
        kinds: dict[str, int] = {}
        for finding in report.findings[shown:]:
            kinds[finding.kind] = kinds.get(finding.kind, 0) + 1
        typer.echo("… en nog " + ", ".join(f"{n} × {kind}" for kind, n in kinds.items()))
    if not report.recalculated:
        typer.echo("let op: de werkmap bevat nog geen berekende waarden (open en bewaar hem in Excel); "
                   "alleen onderdelen, formules, parameters en invoer zijn gecontroleerd.")
    if report.findings:
        n = len(report.findings)
        typer.echo(f"{workbook}: {n} {'afwijking' if n == 1 else 'afwijkingen'} ten opzichte van sjabloon "
                   f"{report.template}.", err=True)
        raise typer.Exit(code=1)
    typer.echo(f"{workbook}: in orde (sjabloon {report.template}, versie {report.version}).")


@app.command(options_metavar="[OPTIES]", short_help="Maak de sjablonen uit de parametergegevens.",
             epilog=_examples("zorginkoop sjablonen --out sjablonen",
                              "zorginkoop sjablonen --out sjablonen-2028 --parameters parameters-2028"))
def sjablonen(
    out: Annotated[Path, typer.Option("--out", metavar="MAP", help="Map voor de sjablonen.", show_default=False)],
    force: Annotated[bool, typer.Option("--force", help="Bestaande sjablonen overschrijven.")] = False,
    parameters: ParametersOption = None,
) -> None:
    """Maak de sjablonen uit de parametergegevens die nu gelden (met --parameters: ook uw eigen jaren)."""
    from .workbook.build import build_all
    from .workbook.files import OutputLock

    _use_parameters(parameters)
    try:
        with OutputLock(out):
            paths = build_all(out, overwrite=force)
    except ToolkitError as exc:
        raise _fail(exc) from None
    from .workbook.specs import SPECS

    for path in paths:
        typer.echo(f"{path} (beleidsjaren {', '.join(map(str, SPECS[path.stem].years))})")


# --- parameters ---------------------------------------------------------------------------------------

@app.command(name="parameters", options_metavar="[OPTIES]", short_help="Toon de parameters van het beleid en "
                                                                        "hun bron.",
             epilog=_examples("zorginkoop parameters", "zorginkoop parameters --parameters parameters-2028 --json"))
def parameters_command(
    as_json: JsonOption = False,
    parameters: ParametersOption = None,
) -> None:
    """Toon elk onderwerp en elke parameter, de beleidsjaren die de gegevens dekken en de bron."""
    from .parameters import active

    _use_parameters(parameters)
    data = active()
    if as_json:
        sys.stdout.write(json.dumps(_parameters_json(data), ensure_ascii=False, indent=1) + "\n")
        return
    console = _console()
    overlay = f" (met eigen gegevens uit {data.overlay})" if data.overlay else ""
    console.print(f"Huidig beleidsjaar: {data.current_year}{overlay}")
    for topic in data.topics():
        console.print(f"\n[bold]{topic.topic}[/bold] — {topic.description} (jaren: "
                      f"{', '.join(map(str, topic.years))})")
        for parameter in topic.parameters.values():
            years = ", ".join(map(str, parameter.years))
            latest = parameter.values[parameter.years[-1]]
            console.print(f"  {parameter.name}: {parameter.label} [{years}]\n    bron: {latest.source}"
                          + (f" ({latest.source.file})" if latest.source.file else ""), markup=False)


def _parameters_json(data: Any) -> dict[str, Any]:
    import datetime as dt
    from decimal import Decimal

    def plain(value: Any) -> Any:
        if isinstance(value, Decimal):
            return float(value)
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, tuple):
            return [{k: plain(v) for k, v in row.items()} for row in value]
        return value

    return {
        "current_year": data.current_year,
        "overlay": str(data.overlay) if data.overlay else None,
        "topics": [{
            "topic": topic.topic, "insurer": topic.insurer, "description": topic.description,
            "years": list(topic.years),
            "parameters": [{
                "name": p.name, "label": p.label, "type": p.type, "unit": p.unit, "years": list(p.years),
                "values": {str(year): {"value": plain(v.value), "source": {"document": v.source.document,
                                                                           "section": v.source.section,
                                                                           "file": v.source.file},
                                       "note": v.note} for year, v in p.values.items()},
            } for p in topic.parameters.values()],
        } for topic in data.topics()],
    }


def main() -> None:
    try:
        app(prog_name="zorginkoop")
    except KeyboardInterrupt:
        typer.echo("afgebroken", err=True)
        sys.exit(130)
    except MemoryError:
        typer.echo("onvoldoende geheugen voor deze opdracht", err=True)
        sys.exit(1)
    except Exception as exc:  # a fault of the toolkit, not of the input: one line, not a traceback
        if os.environ.get("ZORGINKOOP_DEBUG"):
            raise
        typer.echo(f"interne fout ({type(exc).__name__}: {exc}); meld dit aan wie de toolkit beheert, met de "
                   "opdracht die u gaf (ZORGINKOOP_DEBUG=1 toont de volledige melding)", err=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
