"""The `zorginkoop` command: a thin edge that converts arguments, calls the library and shows results.

Exit codes (INTERFACES.md): 0 ok, 1 bad input (one Dutch line naming file, row and value; no
traceback), 2 usage. Messages go to stderr, results to stdout, so `--json` output can be piped.
"""

from __future__ import annotations

import json
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

# No command does linear algebra; OpenBLAS's idle threads would otherwise spin for a while after
# NumPy is imported, on the cores that read the claims (measured: 0.1 CPU-second per run).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import typer

from .errors import ToolkitError

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Zorginkoop-toolkit: toets uw declaraties en afspraken aan het inkoopbeleid wijkverpleging (CZ groep 2027).",
    pretty_exceptions_enable=False,
)


@app.callback()
def _root() -> None:
    """Zorginkoop-toolkit: toets uw declaraties en afspraken aan het inkoopbeleid wijkverpleging (CZ groep 2027)."""
    # A callback keeps `ratio` a subcommand; later commands (fill, describe, demo) sit beside it.


class ProviderKind(StrEnum):
    existing = "existing"
    new = "new"


class Method(StrEnum):
    distinct = "distinct"
    per_area = "per_area"


class Exemption(StrEnum):
    kindzorg = "kindzorg"
    buiten_kernwerkgebied = "buiten_kernwerkgebied"


def _fail(exc: ToolkitError) -> typer.Exit:
    typer.echo(f"fout: {exc}", err=True)
    return typer.Exit(code=1)


def _yes_no(value: bool) -> str:
    return "ja" if value else "nee"


@app.command()
def ratio(
    claims: Annotated[Path, typer.Argument(help="Declaratiebestand (csv, xlsx of parquet).", show_default=False)],
    year: Annotated[int, typer.Option("--year", help="Beleidsjaar T; de declaraties van T-2 tellen.")],
    provider: Annotated[ProviderKind, typer.Option(help="Bestaande of nieuwe zorgaanbieder.")] = ProviderKind.existing,
    method: Annotated[Method, typer.Option(help="distinct: elke cliënt één keer; per_area: per gebied.")] = (
        Method.distinct
    ),
    exemption: Annotated[Exemption | None, typer.Option(help="Uitzondering: de eis geldt dan niet (n.v.t.).")] = None,
    agb: Annotated[str | None, typer.Option("--agb", help="Alleen deze zorgaanbieder (kolom zorgaanbieder).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Uitvoer als JSON voor andere programma's.")] = False,
    skip_invalid: Annotated[bool, typer.Option(
        "--skip-invalid", help="Ongeldige regels overslaan en tellen in plaats van stoppen.")] = False,
    strict: Annotated[bool, typer.Option("--strict", help="Onbekende verzekeraars zijn een fout.")] = False,
) -> None:
    """Klant-werkgebiedratio van CZ groep: cliënten per 4-cijferig postcodegebied, per zorgaanbieder."""
    from .claims import PROGRESS_MIN_BYTES, ratio_from_claims

    try:
        size = claims.stat().st_size if claims.is_file() else 0
        with _progress(enabled=size >= PROGRESS_MIN_BYTES and not as_json) as advance:
            report = ratio_from_claims(
                claims, year=year, provider=provider.value, method=method.value,
                exemption=exemption.value if exemption else None, skip_invalid=skip_invalid,
                strict=strict, only_provider=agb, progress=advance,
            )
    except ToolkitError as exc:
        raise _fail(exc) from None

    reports = list(report.providers.values()) if report.providers else [report]
    if as_json:
        # One provider per line: readable in a pager, and json.dumps without indent is its fast C encoder.
        if report.providers:
            lines = ",\n".join(json.dumps(r.to_dict(), ensure_ascii=False) for r in reports)
            sys.stdout.write(f"[\n{lines}\n]\n")
        else:
            sys.stdout.write(json.dumps(report.to_dict(), ensure_ascii=False) + "\n")
    else:
        _print_ratio_table(report, reports)
    if report.unknown_insurers:
        listed = ", ".join(f"'{v}' ({n} regels)" for v, n in list(report.unknown_insurers.items())[:10])
        typer.echo(f"let op: onbekende verzekeraar(s), niet meegeteld: {listed}. Gebruik --strict om te stoppen.",
                   err=True)
    if report.invalid_lines:
        typer.echo(f"let op: {report.invalid_lines} ongeldige regel(s) overgeslagen: "
                   + ", ".join(f"{reason}: {n}" for reason, n in report.invalid_reasons.items()), err=True)
        for example in report.invalid_examples:
            typer.echo(f"  {example}", err=True)


def _print_ratio_table(report: Any, reports: list[Any]) -> None:
    from rich.table import Table

    first = reports[0]
    kind = "bestaande" if first.assessment.provider == "existing" else "nieuwe"
    table = Table(title=f"Klant-werkgebiedratio CZ groep, beleidsjaar {first.year} "
                        f"(declaraties {first.claims_year}, {kind} zorgaanbieder)")
    for heading in ("Zorgaanbieder", "Cliënten", "Gebieden", "Ratio", "Drempel", "Voldoet",
                    "Extra cliënten", "Max. gebieden", "Te schrappen", "Verhuisd", "Regels"):
        table.add_column(heading, justify="left" if heading in {"Zorgaanbieder", "Voldoet"} else "right",
                         no_wrap=heading == "Zorgaanbieder")
    for r in reports:
        a = r.assessment
        verdict = "n.v.t." if not a.applies else ("[green]ja[/green]" if a.meets else "[red]nee[/red]")
        drop = "" if not a.areas_to_drop else (
            f"{len(a.areas_to_drop)}" + ("" if a.drop_achievable else " (onhaalbaar)"))
        table.add_row(
            r.provider or "(alle regels)", str(a.clients), str(a.areas), a.ratio_display,
            "-" if a.threshold is None else str(a.threshold), verdict,
            str(a.clients_needed) if a.applies else "-",
            "-" if a.max_areas is None else str(a.max_areas), drop, str(r.movers), str(r.lines_used),
        )
    console = _console()
    console.print(table)
    for r in reports:
        if not r.assessment.applies:
            console.print(f"{r.provider or 'Totaal'}: {r.assessment.reason}")


def _console() -> Any:
    from rich.console import Console

    console = Console()
    # A pipe or file has no width: do not squeeze the tables to 80 columns.
    return console if console.is_terminal else Console(width=140)


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


# --- templates ------------------------------------------------------------------------------------------

TemplateArg = Annotated[str, typer.Argument(
    help="Sjabloon: een xlsx-bestand of de naam van een meegeleverd sjabloon (cz_ratio, staffel, cooperatie, "
         "nachtzorg).", show_default=False)]


@app.command()
def fill(
    template: TemplateArg,
    inputs: Annotated[Path, typer.Argument(help="Invoer (csv of xlsx): kolommen = invoernamen zonder in_.",
                                           show_default=False)],
    out: Annotated[Path, typer.Option("--out", help="Map voor de ingevulde werkmappen en summary.")],
    key: Annotated[str | None, typer.Option("--key", help="Kolom met de sleutel (standaard de eerste kolom).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Bestaande bestanden overschrijven.")] = False,
    skip_invalid: Annotated[bool, typer.Option(
        "--skip-invalid", help="Foute sleutels overslaan en als afgewezen in summary zetten.")] = False,
    workers: Annotated[int | None, typer.Option("--workers", min=1, help="Aantal processen (standaard: cores).")] = (
        None),
) -> None:
    """Vul een sjabloon per sleutel in; met summary.xlsx en summary.csv van de Python-uitkomsten."""
    from .workbook.fill import fill as fill_template

    try:
        with _progress(enabled=True, label="werkmappen schrijven", in_bytes=False) as advance:
            result = fill_template(template, inputs, out, key=key, force=force, skip_invalid=skip_invalid,
                                   workers=workers, progress=advance)
    except ToolkitError as exc:
        raise _fail(exc) from None
    typer.echo(f"{result.written} werkmap(pen) geschreven in {out}; samenvatting: {result.summary_xlsx.name}, "
               f"{result.summary_csv.name}")
    for case in (c for c in result.cases if c.error):
        typer.echo(f"afgewezen: {case.key}: {case.error}", err=True)


@app.command()
def describe(template: TemplateArg) -> None:
    """Toon de invoer- en uitvoernamen van een sjabloon met hun cellen."""
    from rich.table import Table

    from .workbook.fill import TemplateFile

    try:
        tpl = TemplateFile.open(template)
    except ToolkitError as exc:
        raise _fail(exc) from None
    spec = tpl.spec
    table = Table(title=f"{spec.title} ({tpl.path.name}, versie {spec.version})")
    for heading in ("Naam", "Kolom in invoer", "Cel", "Omschrijving", "Soort"):
        table.add_column(heading)
    for item in spec.inputs:
        cells = tpl.cells[item.name]
        where = f"Invoer!{cells[0]}" + (f":{cells[-1]}" if len(cells) > 1 else "")
        kind = item.kind + (f" ({'/'.join(item.choices)})" if item.choices else "") + (
            f", {item.rows} rijen" if item.rows else "") + ("" if item.required or item.rows else ", optioneel")
        table.add_row(item.name, item.column, where, item.label, kind)
    for output in spec.outputs:
        table.add_row(output.name, "", tpl.outputs[output.name], output.label, output.kind)
    _console().print(table)


@app.command()
def demo(
    out: Annotated[Path, typer.Option("--out", help="Map voor het resultaat.")] = Path("zorginkoop-demo"),
    force: Annotated[bool, typer.Option("--force", help="Bestaande bestanden overschrijven.")] = False,
) -> None:
    """Vul elk meegeleverd sjabloon met de meegeleverde voorbeeldinvoer (in ./zorginkoop-demo/)."""
    from .workbook import examples_dir
    from .workbook.fill import fill as fill_template
    from .workbook.specs import SPECS

    try:
        for name in SPECS:
            result = fill_template(name, examples_dir() / f"{name}.csv", out / name, force=force)
            typer.echo(f"{name}: {result.written} werkmap(pen) in {out / name}")
    except ToolkitError as exc:
        raise _fail(exc) from None


@app.command()
def check(
    workbook: Annotated[Path, typer.Argument(help="Een ingevuld of bewerkt sjabloon.", show_default=False)],
) -> None:
    """Controleer een ingevulde werkmap: gewijzigde formules, parameters en afwijkende uitkomsten."""
    from .workbook.check import check_workbook

    try:
        report = check_workbook(workbook)
    except ToolkitError as exc:
        raise _fail(exc) from None
    shown = 20  # a formula dragged over 2,000 rows is one mistake, not 2,000 lines to read
    for finding in report.findings[:shown]:
        typer.echo(f"{finding.kind}: {finding.cell}: {finding.message} (verwacht {finding.expected!r}, "
                   f"gevonden {finding.found!r})")
    if len(report.findings) > shown:
        kinds: dict[str, int] = {}
        for finding in report.findings[shown:]:
            kinds[finding.kind] = kinds.get(finding.kind, 0) + 1
        typer.echo("… en nog " + ", ".join(f"{n} × {kind}" for kind, n in kinds.items()))
    if not report.recalculated:
        typer.echo("let op: de werkmap bevat nog geen berekende waarden (open en bewaar hem in Excel); "
                   "alleen formules, parameters en invoer zijn gecontroleerd.")
    if report.findings:
        typer.echo(f"{workbook}: {len(report.findings)} afwijking(en) ten opzichte van sjabloon {report.template}.",
                   err=True)
        raise typer.Exit(code=1)
    typer.echo(f"{workbook}: in orde (sjabloon {report.template}, versie {report.version}).")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
