"""The `zorginkoop` command: a thin edge that converts arguments, calls the library and shows results.

Exit codes (INTERFACES.md): 0 ok, 1 bad input (one Dutch line naming file, row and value — one per bad
row for `fill` — and no traceback), 2 usage. Messages go to stderr, results to stdout, so `--json`
output can be piped. The help frame, usage errors and prompts are Dutch (`_click_nl`). Every command
takes `--parameters DIR`, a parameter overlay (toolkit.parameters), and `-h`.
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

from . import __version__
from ._click_nl import install as _dutch
from .errors import InputErrors, ToolkitError

_dutch()

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Zorginkoop-toolkit: toets uw declaraties en afspraken aan het inkoopbeleid wijkverpleging (CZ groep).",
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    options_metavar="[OPTIES]",
    subcommand_metavar="OPDRACHT [ARGUMENTEN]...",
)


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


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Toon de versie en stop.")] = False,
) -> None:
    """Zorginkoop-toolkit: toets uw declaraties en afspraken aan het inkoopbeleid wijkverpleging (CZ groep)."""


ParametersOption = Annotated[Path | None, typer.Option(
    "--parameters", help="Map met eigen parametergegevens (bijv. een nieuw beleidsjaar), zoals toolkit/parameters/"
                         "data; ook via ZORGINKOOP_PARAMETERS.", show_default=False)]

# Options that the commands reading claims (and `parameters`) share.
AgbOption = Annotated[str | None, typer.Option("--agb", help="Alleen deze zorgaanbieder (kolom zorgaanbieder).")]
JsonOption = Annotated[bool, typer.Option("--json", help="Uitvoer als JSON voor andere programma's.")]
SkipInvalidOption = Annotated[bool, typer.Option(
    "--skip-invalid", help="Ongeldige regels overslaan en tellen in plaats van stoppen.")]
StrictOption = Annotated[bool, typer.Option("--strict", help="Onbekende verzekeraars zijn een fout.")]


def _use_parameters(directory: Path | None) -> None:
    """Put the overlay in force for this process and its workers, checked before any work."""
    from .parameters import OVERLAY_VARIABLE, active

    if directory is not None:
        os.environ[OVERLAY_VARIABLE] = str(directory.resolve())
    try:
        active()
    except ToolkitError as exc:
        raise _fail(exc) from None


class ProviderKind(StrEnum):
    existing = "existing"
    new = "new"
    bestaand = "bestaand"
    nieuw = "nieuw"


class Method(StrEnum):
    distinct = "distinct"
    per_area = "per_area"
    uniek = "uniek"
    per_gebied = "per_gebied"


class Exemption(StrEnum):
    kindzorg = "kindzorg"
    buiten_kernwerkgebied = "buiten_kernwerkgebied"


class CeilingMethod(StrEnum):
    lineair = "lineair"
    seizoen = "seizoen"
    linear = "linear"
    seasonal = "seasonal"


def _fail(exc: ToolkitError) -> typer.Exit:
    lines = exc.lines if isinstance(exc, InputErrors) else (str(exc),)
    for line in lines:
        typer.echo(f"fout: {line}", err=True)
    return typer.Exit(code=1)


def _console() -> Any:
    from rich.console import Console

    console = Console()
    # A pipe or file has no width: do not squeeze the tables to 80 columns, unless COLUMNS says so.
    return console if console.is_terminal or os.environ.get("COLUMNS") else Console(width=140)


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


# --- ratio ----------------------------------------------------------------------------------------------

ClaimsArgument = Annotated[list[Path], typer.Argument(
    metavar="DECLARATIES...",
    help="Declaratiebestand(en): csv, xlsx of parquet, of een map met csv- of parquetbestanden; samen gelezen als "
         "één verzameling declaraties.", show_default=False)]


def _claims_source(claims: list[Path]) -> Any:
    return claims[0] if len(claims) == 1 else claims


def _claims_size(claims: list[Path]) -> int:
    return sum(p.stat().st_size for p in claims if p.is_file())


@app.command(options_metavar="[OPTIES]")
def ratio(
    claims: ClaimsArgument,
    year: Annotated[int, typer.Option("--year", "--jaar", help=_render(
        "Beleidsjaar T; de declaraties van {declaratiejaar} tellen (bij {jaar}: {declaratiejaar_voorbeeld})."))],
    provider: Annotated[ProviderKind, typer.Option(help="Bestaande of nieuwe zorgaanbieder.")] = ProviderKind.existing,
    method: Annotated[Method, typer.Option(
        help="distinct/uniek: elke cliënt één keer; per_area/per_gebied: een verhuisde cliënt telt per gebied.")] = (
        Method.distinct),
    exemption: Annotated[Exemption | None, typer.Option(help="Uitzondering: de eis geldt dan niet (n.v.t.).")] = None,
    agb: AgbOption = None,
    as_json: JsonOption = False,
    wide: Annotated[bool, typer.Option("--breed", "--all", help="Alle kolommen tonen (breder dan 80 tekens).")] = (
        False),
    report_file: Annotated[Path | None, typer.Option(
        "--rapport", help="Schrijf ook een rapport (xlsx) met een overzicht, een blad per zorgaanbieder en een "
                          "grafiek.", show_default=False)] = None,
    force: Annotated[bool, typer.Option("--force", help="Een bestaand rapport overschrijven.")] = False,
    skip_invalid: SkipInvalidOption = False,
    strict: StrictOption = False,
    parameters: ParametersOption = None,
) -> None:
    """Klant-werkgebiedratio van CZ groep: cliënten per 4-cijferig postcodegebied, per zorgaanbieder."""
    from .claims import PROGRESS_MIN_BYTES, ratio_from_claims
    from .rules.ratio import COUNTING_METHODS, provider_kind

    _use_parameters(parameters)
    try:
        if report_file is not None and report_file.exists() and not force:
            from .errors import InputError

            raise InputError(f"{report_file} bestaat al; gebruik --force om te overschrijven", field="rapport",
                             value=str(report_file))
        with _progress(enabled=_claims_size(claims) >= PROGRESS_MIN_BYTES and not as_json) as advance:
            report = ratio_from_claims(
                _claims_source(claims), year=year, provider=provider_kind(provider.value),
                method=COUNTING_METHODS[method.value], exemption=exemption.value if exemption else None,
                skip_invalid=skip_invalid, strict=strict, only_provider=agb, progress=advance,
            )
        reports = list(report.providers.values()) if report.providers else [report]
        if report_file is not None:
            from .workbook.ratio_report import write_ratio_report

            write_ratio_report(report, reports, report_file, force=force)
    except ToolkitError as exc:
        raise _fail(exc) from None

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
    if report.unknown_insurers:
        listed = ", ".join(f"'{v}' ({n} regels)" for v, n in list(report.unknown_insurers.items())[:10])
        typer.echo(f"let op: onbekende verzekeraar(s), niet meegeteld: {listed}. Gebruik --strict om te stoppen.",
                   err=True)
    if report.invalid_lines:
        typer.echo(f"let op: {report.invalid_lines} ongeldige regel(s) overgeslagen: "
                   + ", ".join(f"{reason}: {n}" for reason, n in report.invalid_reasons.items()), err=True)
        for example in report.invalid_examples:
            typer.echo(f"  {example}", err=True)


def _print_ratio_table(reports: list[Any], *, wide: bool) -> None:
    """The default columns fit an 80-column terminal; `--breed` adds the rest."""
    from rich.table import Table

    first = reports[0]
    kind = "bestaande" if first.assessment.provider == "existing" else "nieuwe"
    table = Table(title=f"Klant-werkgebiedratio CZ groep, beleidsjaar {first.year}\n(declaraties {first.claims_year}, "
                        f"{kind} zorgaanbieder)", title_justify="left")
    headings = ["Zorgaanbieder", "Cliënten", "Gebieden", "Ratio", "Drempel", "Voldoet", "Extra nodig"]
    if wide:
        headings += ["Max. gebieden", "Te schrappen", "Verhuisd", "Regels gebruikt", "Ongeldig", "Onbekend"]
    for heading in headings:
        table.add_column(heading, justify="left" if heading in {"Zorgaanbieder", "Voldoet"} else "right",
                         no_wrap=heading == "Zorgaanbieder")
    for r in reports:
        a = r.assessment
        verdict = "n.v.t." if not a.applies else ("[green]ja[/green]" if a.meets else "[red]nee[/red]")
        row = [r.provider or "(alle regels)", str(a.clients), str(a.areas), a.ratio_display,
               "-" if a.threshold is None else str(a.threshold).replace(".", ","), verdict,
               str(a.clients_needed) if a.applies else "-"]
        if wide:
            drop = "" if not a.areas_to_drop else (
                f"{len(a.areas_to_drop)}" + ("" if a.drop_achievable else " (onhaalbaar)"))
            unknown = sum(getattr(r, "unknown_insurers", {}).values())
            row += ["-" if a.max_areas is None else str(a.max_areas), drop, str(r.movers), str(r.lines_used),
                    str(getattr(r, "invalid_lines", 0)), str(unknown)]
        table.add_row(*row)
    console = _console()
    console.print(table)
    if not wide:
        console.print("Meer kolommen (te schrappen gebieden, verhuisde cliënten, regels): --breed.", style="dim")
    for r in reports:
        if not r.assessment.applies:
            console.print(f"{r.provider or 'Totaal'}: {r.assessment.reason}")


# --- plafond ---------------------------------------------------------------------------------------------

@app.command(options_metavar="[OPTIES]")
def plafond(
    claims: ClaimsArgument,
    ceiling: Annotated[str, typer.Option("--plafond", help="Omzetplafond voor het beleidsjaar in euro (1.200.000 of "
                                                           "1200000); bij meerdere zorgaanbieders voor elk (kies er "
                                                           "één met --agb).", show_default=False)],
    year: Annotated[int, typer.Option("--year", "--jaar", help="Beleidsjaar; de declaraties van dat jaar tellen.")],
    previous: Annotated[list[Path] | None, typer.Option(
        "--vorig-jaar", help="Declaraties van vorig jaar: het seizoenspatroon voor de prognose.",
        show_default=False)] = None,
    method: Annotated[CeilingMethod | None, typer.Option(
        "--methode", help="lineair: elke volgende maand het gemiddelde; seizoen: volgens vorig jaar (standaard als "
                          "--vorig-jaar is gegeven).", show_default=False)] = None,
    months: Annotated[int | None, typer.Option(
        "--maanden", min=1, max=12, help="Aantal bekende maanden (standaard: t/m de laatste maand met declaraties).",
        show_default=False)] = None,
    score_2026: Annotated[str | None, typer.Option(
        "--score-2026", help="Waardemodelscore van het jaar vóór het beleidsjaar: A, B, C (of leeg: geen score). "
                             "Met een score beoordeelt de opdracht ook het verzoek om aanvullend budget.",
        show_default=False)] = None,
    score_2027: Annotated[str | None, typer.Option("--score-2027", help="Waardemodelscore van het beleidsjaar.",
                                                   show_default=False)] = None,
    cost_points: Annotated[str | None, typer.Option("--kostenpunten", help="Punten op het kostenonderdeel.",
                                                    show_default=False)] = None,
    ceiling_free: Annotated[bool, typer.Option("--plafondvrij", help="Plafondvrije afspraak.")] = False,
    agreement: Annotated[str | None, typer.Option("--productieafspraak", help="Productieafspraak in euro.",
                                                  show_default=False)] = None,
    agb: AgbOption = None,
    as_json: JsonOption = False,
    skip_invalid: SkipInvalidOption = False,
    strict: StrictOption = False,
    parameters: ParametersOption = None,
) -> None:
    """Omzetplafond: prognose per zorgaanbieder uit de CZ-declaraties per maand, en of een verzoek om aanvullend
    budget kan."""
    from .claims import PROGRESS_MIN_BYTES, production_from_claims
    from .rules.ceiling import METHODS, SELF_DEMONSTRATE

    _use_parameters(parameters)
    assess = score_2026 is not None or ceiling_free
    kind = METHODS[method.value] if method else ("seasonal" if previous else "linear")
    try:
        with _progress(enabled=_claims_size(claims) >= PROGRESS_MIN_BYTES and not as_json) as advance:
            report = production_from_claims(_claims_source(claims), year=year, skip_invalid=skip_invalid,
                                            strict=strict, only_provider=agb, progress=advance)
            last_year = None if not previous else production_from_claims(
                _claims_source(previous), year=year - 1, skip_invalid=skip_invalid, strict=strict)
        reports = list(report.providers.values()) if report.providers else [report]
        results = [_ceiling_result(r, last_year, ceiling, kind, months, assess, score_2026, score_2027,
                                   cost_points, ceiling_free, agreement) for r in reports]
    except ToolkitError as exc:
        raise _fail(exc) from None
    if as_json:
        lines = ",\n".join(json.dumps(r, ensure_ascii=False) for r in results)
        sys.stdout.write(f"[\n{lines}\n]\n" if report.providers else json.dumps(results[0], ensure_ascii=False)
                         + "\n")
        return
    _print_ceiling(results, year, detailed=len(results) == 1, self_demonstrate=SELF_DEMONSTRATE if assess else ())
    if report.unknown_insurers:
        listed = ", ".join(f"'{v}' ({n} regels)" for v, n in list(report.unknown_insurers.items())[:10])
        typer.echo(f"let op: onbekende verzekeraar(s), niet meegeteld: {listed}. Gebruik --strict om te stoppen.",
                   err=True)
    if report.invalid_lines:
        typer.echo(f"let op: {report.invalid_lines} ongeldige regel(s) overgeslagen", err=True)


def _ceiling_result(report: Any, last_year: Any, ceiling: str, method: str, months: int | None, assess: bool,
                    score_2026: str | None, score_2027: str | None, cost_points: str | None, ceiling_free: bool,
                    agreement: str | None) -> dict[str, Any]:
    """One provider's forecast (and request assessment) as plain values for the table and --json."""
    from .errors import InputError
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
            raise InputError(f"{who}: komt niet voor in de declaraties van vorig jaar", field="vorig_jaar",
                             value=report.provider)
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


def _print_ceiling(results: list[dict[str, Any]], year: int, *, detailed: bool,
                   self_demonstrate: tuple[str, ...]) -> None:
    import datetime as dt
    from decimal import Decimal

    from rich.table import Table

    from .numbers import format_money, format_number, format_percent
    from .rules.staffel import month_name

    console = _console()
    # Whole euros in the overview, so that every column fits an 80-column terminal; cents per month below.
    table = Table(title=f"Omzetplafond CZ groep {year}: prognose (bedragen in hele euro's)", title_justify="left")
    for heading in ("Aanbieder", "Tot nu", "Prognose", "Vóór 1/10", "Bereikt", "Tekort", "Verzoek"):
        table.add_column(heading, justify="left" if heading in {"Aanbieder", "Bereikt", "Verzoek"} else "right",
                         no_wrap=True)
    for r in results:
        request = "-" if "may_request" not in r else ("[green]ja[/green]" if r["may_request"] else "[red]nee[/red]")
        share = format_percent(Decimal(str(r["share_before_october"])), 1)
        reached = month_name(r["month_reached"])[:3] if r["month_reached"] else "niet"
        shown = share if r["meets_80_percent"] else f"[red]{share}[/red]"
        table.add_row(r["provider"] or "(alle regels)", format_number(Decimal(r["realised"]), 0),
                      format_number(Decimal(r["projected_year"]), 0), shown, reached,
                      format_number(Decimal(r["shortfall"]), 0), request)
    console.print(table)
    if not detailed:
        console.print("Per maand en de redenen: --agb <zorgaanbieder>.", style="dim")
        return
    r = results[0]
    way = "volgens het seizoen van vorig jaar" if r["method"] == "seasonal" else "lineair"
    months = Table(title=f"Per maand ({r['months_known']} bekend, daarna {way} doorgetrokken)", title_justify="left")
    for heading in ("Maand", "Productie", "Cumulatief", ""):
        months.add_column(heading, justify="right" if heading in {"Productie", "Cumulatief"} else "left")
    for i, (value, running) in enumerate(zip(r["monthly"], r["cumulative"], strict=True), start=1):
        mark = "prognose" if i > r["months_known"] else ""
        if r["month_reached"] == i:
            mark = (mark + ", " if mark else "") + "plafond bereikt"
        months.add_row(month_name(i), format_money(Decimal(value)), format_money(Decimal(running)), mark)
    console.print(months)
    console.print(f"Omzetplafond {format_money(Decimal(r['ceiling']))}; verwacht tekort "
                  f"{format_money(Decimal(r['shortfall']))}.", highlight=False)
    if "may_request" in r:
        if r["may_request"]:
            reimbursed = r["expected_reimbursement"]
            send = dt.date.fromisoformat(r["last_send_date"])
            asked = format_money(Decimal(r["requested_budget"]))
            console.print(f"Verzoek om aanvullend budget: mogelijk, in {month_name(r['request_month'])}, verzonden "
                          f"vóór {send.day} {month_name(send.month)} {send.year}; gevraagd {asked}, "
                          f"verwachte vergoeding {format_money(Decimal(reimbursed)) if reimbursed else '-'}.",
                          highlight=False)
        else:
            console.print("Verzoek om aanvullend budget: niet mogelijk:", highlight=False)
            for reason in r["reasons"]:
                console.print(f"  - {reason}", highlight=False)
        console.print("Zelf aantonen in de aanvraag (geen getal in het beleid):", highlight=False)
        for item in self_demonstrate:
            console.print(f"  - {item}", highlight=False)


# --- templates ------------------------------------------------------------------------------------------

TemplateArg = Annotated[str, typer.Argument(
    metavar="SJABLOON",
    help="Sjabloon: een xlsx-bestand of de naam van een meegeleverd sjabloon (cz_ratio, staffel, cooperatie, "
         "nachtzorg, plafond, eigen_levering).", show_default=False)]


@app.command(options_metavar="[OPTIES]")
def fill(
    template: TemplateArg,
    inputs: Annotated[Path, typer.Argument(metavar="INVOER", help="Invoer (csv of xlsx): kolommen = invoernamen "
                                                                  "zonder in_.",
                                           show_default=False)],
    out: Annotated[Path, typer.Option("--out", help="Map voor de ingevulde werkmappen en summary.")],
    key: Annotated[str | None, typer.Option("--key", help="Kolom met de sleutel (standaard de eerste kolom).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Bestaande bestanden overschrijven.")] = False,
    skip_invalid: Annotated[bool, typer.Option(
        "--skip-invalid", help="Foute sleutels overslaan en als afgewezen in summary zetten.")] = False,
    workers: Annotated[int | None, typer.Option("--workers", min=1, help="Aantal processen (standaard: cores).")] = (
        None),
    parameters: ParametersOption = None,
) -> None:
    """Vul een sjabloon per sleutel in; met summary.xlsx en summary.csv van de Python-uitkomsten."""
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
    typer.echo(f"{result.written} werkmap(pen) geschreven in {out}; samenvatting: {result.summary_xlsx.name}, "
               f"{result.summary_csv.name}")
    for case in (c for c in result.cases if c.error):
        typer.echo(f"afgewezen: {case.key}: {case.error}", err=True)


@app.command(options_metavar="[OPTIES]")
def describe(template: TemplateArg, parameters: ParametersOption = None) -> None:
    """Toon de invoer- en uitvoernamen van een sjabloon met hun cellen."""
    from rich.table import Table

    from .workbook.fill import TemplateFile

    _use_parameters(parameters)
    try:
        tpl = TemplateFile.open(template)
    except ToolkitError as exc:
        raise _fail(exc) from None
    spec = tpl.spec
    table = Table(title=f"{spec.title} ({tpl.path.name}, versie {spec.version}, beleidsjaren "
                        f"{', '.join(map(str, spec.years))})", title_justify="left")
    for heading in ("Naam", "Kolom in invoer", "Cel", "Omschrijving", "Soort"):
        table.add_column(heading)
    for item in spec.inputs:
        cells = tpl.cells[item.name]
        where = f"Invoer!{cells[0]}" + (f":{cells[-1]}" if len(cells) > 1 else "")
        kind = item.kind_name + (f" ({'/'.join(item.choices)})" if item.choices else "") + (
            f", {item.rows} rijen" if item.rows else "") + ("" if item.required or item.rows else ", optioneel")
        table.add_row(item.name, item.column, where, item.label, kind)
    for output in spec.outputs:
        cells = tpl.output_cells[output.name]
        where = f"Uitkomst!{cells[0]}" + (f":{cells[-1]}" if len(cells) > 1 else "")
        table.add_row(output.name, "", where, output.label, _OUTPUT_KINDS.get(output.kind, output.kind))
    _console().print(table)


_OUTPUT_KINDS = {"count": "aantal", "number": "getal", "ratio": "getal", "fraction": "fractie (%)", "money": "bedrag",
                 "bool": "ja/nee", "text": "tekst", "month": "maand"}


@app.command(options_metavar="[OPTIES]")
def demo(
    out: Annotated[Path, typer.Option("--out", help="Map voor het resultaat.")] = Path("zorginkoop-demo"),
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
            typer.echo(f"{name}: {result.written} werkmap(pen) in {out / name}")
    except ToolkitError as exc:
        raise _fail(exc) from None


@app.command(options_metavar="[OPTIES]")
def check(
    workbook: Annotated[Path, typer.Argument(metavar="WERKMAP", help="Een ingevuld of bewerkt sjabloon.",
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
        typer.echo(f"{workbook}: {len(report.findings)} afwijking(en) ten opzichte van sjabloon {report.template}.",
                   err=True)
        raise typer.Exit(code=1)
    typer.echo(f"{workbook}: in orde (sjabloon {report.template}, versie {report.version}).")


@app.command(options_metavar="[OPTIES]")
def sjablonen(
    out: Annotated[Path, typer.Option("--out", help="Map voor de sjablonen.")],
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

@app.command(name="parameters", options_metavar="[OPTIES]")
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
    console.print(f"Huidig beleidsjaar: {data.current_year}{overlay}", highlight=False)
    for topic in data.topics():
        console.print(f"\n[bold]{topic.topic}[/bold] — {topic.description} (jaren: "
                      f"{', '.join(map(str, topic.years))})", highlight=False)
        for parameter in topic.parameters.values():
            years = ", ".join(map(str, parameter.years))
            latest = parameter.values[parameter.years[-1]]
            console.print(f"  {parameter.name}: {parameter.label} [{years}]\n    bron: {latest.source}"
                          + (f" ({latest.source.file})" if latest.source.file else ""), highlight=False)


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
        app()
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
