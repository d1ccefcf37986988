"""`zorginkoop plafond`: rule 5, the omzetplafond forecast of every provider from claim files, and whether
an extra budget may be asked."""

from __future__ import annotations

# Imports inside functions: the claims (pyarrow, NumPy), the workbooks (openpyxl) and rich are imported by the
# command that uses them, so that `zorginkoop -h` and the other commands start without them (bench_startup.py).
import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from .._click_nl import Range, Words
from ..choices import REPEATED_LINES
from ..dates import month_name
from ..errors import ToolkitError
from ..numbers import format_money, format_percent
from ..parameters import quantity
from ..rules.ceiling import METHODS as CEILING_METHODS
from ..rules.ceiling import SELF_DEMONSTRATE
from .app import (
    REPEATED,
    YEAR,
    AgbOption,
    ClaimsArgument,
    JsonOption,
    ParametersOption,
    RecursiveOption,
    SkipInvalidOption,
    StrictOption,
    app,
    claim_set_notes,
    claims_size,
    claims_source,
    examples,
    fail,
    outside_year,
    progress,
    refuse_overwrite,
    rich_table,
    say,
    terminal,
    use_parameters,
)

_PLAFOND_OPTIONS = {"year": YEAR, "jaar": YEAR, "ceiling": ("--plafond",), "cost_points": ("--kostenpunten",),
                    "production_agreement": ("--productieafspraak",), "score_previous": ("--score-vorig-jaar",),
                    "score_current": ("--score-contractjaar",), "method": ("--methode",),
                    "last_year": ("--vorig-jaar",), "last_year_monthly": ("--vorig-jaar",)}


@app.command(options_metavar="[OPTIES]", epilog=examples(
                 "zorginkoop plafond declaraties_2027.csv --plafond 1.200.000 --year 2027",
                 "zorginkoop plafond exports/ --plafond 400000 --year 2027 --agb 01234567 \\",
                 "    --vorig-jaar declaraties_2026.csv --methode seizoen \\",
                 "    --score-vorig-jaar B --kostenpunten 6"))
def plafond(
    claims: ClaimsArgument,
    ceiling: Annotated[str, typer.Option("--plafond", metavar="BEDRAG", help="Omzetplafond voor het beleidsjaar in "
                                         "euro (1.200.000 of 1200000); bij meerdere zorgaanbieders voor elk (kies "
                                         "er één met --agb).", show_default=False)],
    year: Annotated[int, typer.Option(*YEAR, metavar="JAAR", help="Beleidsjaar; de declaraties van dat jaar "
                                                                    "tellen.", show_default=False)],
    previous: Annotated[list[Path] | None, typer.Option(
        "--vorig-jaar", metavar="DECLARATIES", help="Declaraties van vorig jaar: het seizoenspatroon voor de "
                                                    "prognose.", show_default=False)] = None,
    method: Annotated[str | None, typer.Option(
        "--methode", click_type=Words(CEILING_METHODS), help="lineair: elke volgende maand het gemiddelde; "
        "seizoen: volgens vorig jaar (met --vorig-jaar).  [standaard: lineair]",
        show_default=False)] = None,
    months: Annotated[int | None, typer.Option(
        "--maanden", metavar="AANTAL", click_type=Range(1, 12), help="Aantal bekende maanden (standaard: t/m de "
                                                                      "laatste maand met declaraties).",
        show_default=False)] = None,
    score_previous: Annotated[str | None, typer.Option(
        "--score-vorig-jaar", metavar="SCORE", help="Waardemodelscore van het jaar vóór het beleidsjaar: A, B of C "
        "(leeg: geen score). Met een score beoordeelt de opdracht ook het verzoek om aanvullend budget.",
        show_default=False)] = None,
    score_current: Annotated[str | None, typer.Option(
        "--score-contractjaar", metavar="SCORE", help="Waardemodelscore van het beleidsjaar: A, B of C.",
        show_default=False)] = None,
    cost_points: Annotated[str | None, typer.Option("--kostenpunten", metavar="PUNTEN", help="Punten op het "
                                                    "kostenonderdeel van het waardemodel.", show_default=False)] = None,
    ceiling_free: Annotated[bool, typer.Option("--plafondvrij", help="Plafondvrije afspraak.")] = False,
    agreement: Annotated[str | None, typer.Option("--productieafspraak", metavar="BEDRAG",
                                                  help="Productieafspraak in euro.", show_default=False)] = None,
    agb: AgbOption = None,
    as_json: JsonOption = False,
    report_file: Annotated[Path | None, typer.Option(
        "--rapport", metavar="BESTAND", help="Schrijf ook een rapport (xlsx) met een overzicht en een blad met "
                                             "grafiek per zorgaanbieder.", show_default=False)] = None,
    force: Annotated[bool, typer.Option("--force", help="Een bestaand rapport overschrijven.")] = False,
    repeated: Annotated[str, typer.Option(
        "--dubbel", click_type=Words(REPEATED_LINES), help=f"{REPEATED} Hier: zelfde zorgaanbieder, cliënt, "
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
    from ..claims import PROGRESS_MIN_BYTES, CeilingRequest, ceiling_from_claims
    from ..claims.report import files_dict

    use_parameters(parameters)
    request = CeilingRequest(score_previous=score_previous or None, score_current=score_current or None,
                             cost_points=cost_points, ceiling_free=ceiling_free, production_agreement=agreement)
    try:
        refuse_overwrite(report_file, force, [*claims, *(previous or [])], recursive=recursive)
        with progress(enabled=claims_size(claims) >= PROGRESS_MIN_BYTES and not as_json) as advance:
            found = ceiling_from_claims(
                claims_source(claims), ceiling=ceiling, year=year,
                last_year=claims_source(previous) if previous else None, method=method, months=months,
                request=request, only_provider=agb, skip_invalid=skip_invalid, strict=strict, recursive=recursive,
                repeated=repeated, progress=advance)
        if report_file is not None:
            from ..workbook.ceiling_report import write_ceiling_report

            write_ceiling_report(found.reports, report_file, force=force,
                                 claims=found.production,
                                 notes=found.notes())
    except ToolkitError as exc:
        raise fail(exc, _PLAFOND_OPTIONS) from None
    if previous and method is None:
        say("let op: de prognose is lineair (de standaard); het seizoenspatroon van --vorig-jaar telt met "
            "--methode seizoen")
    if found.last_year is not None and found.last_year.year_warning is not None:
        say(f"let op: --vorig-jaar: {found.last_year.year_warning.found()} — geef bij --vorig-jaar de "
            f"declaraties van {year - 1}")
    results = [r.to_dict() for r in found.reports]
    _warn_unusual_ceiling(ceiling)
    gaps, idle = found.gap_notes(), found.without_forecast_note()
    for note in gaps[:10]:
        say(f"let op: {note}")
    if len(gaps) > 10:
        more = len(gaps) - 10
        say(f"let op: en nog {more} {'melding' if more == 1 else 'meldingen'} over maanden (--json: "
            "months_without_claims, months_not_counted)")
    if idle is not None:
        say(f"let op: {idle}")
    for negative in found.net_negative:
        say(f"let op: {negative.note()}")
    if (unseen := found.without_last_year_note()) is not None:
        say(f"let op: {unseen}")
    production = found.production
    if as_json:
        claim_set = {**files_dict(production.sources, production.files_skipped, production.repeated,
                                  production.file_notes),
                     "providers_without_forecast": list(found.without_forecast),
                     "net_negative_months": [n.to_dict() for n in found.net_negative]}
        objects = [{**result, **claim_set} for result in results]
        lines = ",\n".join(json.dumps(r, ensure_ascii=False) for r in objects)
        sys.stdout.write(f"[\n{lines}\n]\n" if production.providers else json.dumps(objects[0], ensure_ascii=False)
                         + "\n")
    else:
        _print_ceiling(results, year, detailed=len(results) == 1,
                       self_demonstrate=SELF_DEMONSTRATE if request.assess else ())
        outside_year(terminal(), [r.production for r in found.reports], year)
    if report_file is not None:
        say(f"rapport geschreven: {report_file}")
    claim_set_notes(production, claims, repeats_count=True)
    for file, why in found.last_year.files_skipped if found.last_year is not None else ():
        say(f"overgeslagen (--vorig-jaar): {file}: {why}")
    for file, note in found.last_year.file_notes if found.last_year is not None else ():
        say(f"let op (--vorig-jaar): {file}: {note}")


def _warn_unusual_ceiling(typed_ceiling: str) -> None:
    """A ceiling typed in millions (`1,2`) is allowed (it is a positive amount) but its forecast is nonsense."""
    kind = quantity("ceiling")
    ceiling = kind.read(typed_ceiling, "ceiling")
    if kind.unusual(ceiling) and kind.usual_minimum is not None:
        say(f"let op: --plafond {typed_ceiling}: {format_money(ceiling)} is ongewoon laag voor een omzetplafond "
            f"(onder {format_money(kind.usual_minimum, cents=False)}); typ het hele bedrag, dus 1.200.000 "
            "voor 1,2 miljoen")


def _projected(way: str, known: int) -> str:
    """How the months after the known ones are projected; nothing when the whole year is known."""
    return f", daarna {way} doorgetrokken" if known < 12 else ""


def _known_months(months: int) -> str:
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


    console = terminal()
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
    table = rich_table(f"Omzetplafond CZ groep {year}: prognose per zorgaanbieder\nPlafond "
                       f"{format_money(Decimal(first['ceiling']), cents=False)}; bekend: {known}"
                       f"{_projected(way, usual)}; bedragen in hele euro's")
    before = f"Vóór\n{reference.day} {month_name(reference.month)[:3]}."  # the reference date of the 80 % test
    headings = ["Zorgaanbieder", "Gerealiseerd", "Prognose\njaar", before, "Plafond\nbereikt", "Tekort"]
    if "may_request" in first:
        headings.append("Verzoek\nmogelijk")
        # Seven columns: the outer edges' two spaces go to the values, so that "Zorgaanbieder" and
        # "(alle regels)" stay whole in 80 columns (a blank line after the table takes the bottom edge's place).
        table.show_edge = False
        table.title = f"{table.title}\n"
    for heading in headings:
        if heading == "Zorgaanbieder":  # a long name wraps between its words; the amounts are never cut
            table.add_column(heading, min_width=8, overflow="fold")
        else:
            table.add_column(heading, no_wrap=True, justify="right" if heading in {
                "Gerealiseerd", "Prognose\njaar", "Tekort", before} else "left")
    for r in results:
        share = format_percent(Decimal(str(r["share_before_reference_date"])), 1)
        row = [r["provider"] or "(alle regels)", format_money(Decimal(r["realised"]), cents=False),
               format_money(Decimal(r["projected_year"]), cents=False),
               share if r["meets_min_share"] else f"[red]{share}[/red]",
               month_name(r["month_reached"]) if r["month_reached"] else "niet",
               format_money(Decimal(r["shortfall"]), cents=False)]
        if "may_request" in r:
            row.append("[green]ja[/green]" if r["may_request"] else "[red]nee[/red]")
        table.add_row(*row)
    console.print(table)
    if not table.show_edge:
        console.print()
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
    per_month = rich_table(f"Per maand: bekend {_known_months(r['months_known'])}"
                           f"{_projected(way, r['months_known'])}")
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
