"""`zorginkoop ratio`: rule 1, the client-per-area ratio of every provider, from claim files."""

from __future__ import annotations

# Imports inside functions: the claims (pyarrow, NumPy), the workbooks (openpyxl) and rich are imported by the
# command that uses them, so that `zorginkoop -h` and the other commands start without them (bench_startup.py).
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from .._click_nl import Words
from ..choices import REPEATED_LINES
from ..errors import ToolkitError
from ..numbers import format_percent
from ..rules.ratio import COUNTING_METHODS, EXEMPTIONS, MOVERS_NOTE, PROVIDER_KINDS
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

_RATIO_OPTIONS = {"year": YEAR, "jaar": YEAR, "core_areas": ("--kernwerkgebied",),
                  "only_core_areas": ("--alleen-kernwerkgebied",)}


@app.command(options_metavar="[OPTIES]", epilog=examples(
                 "zorginkoop ratio declaraties_2025.csv --year 2027",
                 "zorginkoop ratio exports/ --year 2027 --recursief --rapport ratio.xlsx",
                 "zorginkoop ratio declaraties.xlsx --jaar 2027 --soort nieuw \\",
                 "    --methode per_gebied --json",
                 "zorginkoop ratio declaraties_2025.csv --year 2027 --kernwerkgebied pc4.txt"))
def ratio(
    claims: ClaimsArgument,
    year: Annotated[int, typer.Option(*YEAR, metavar="JAAR", help=(  # {placeholders}: see app.help_text
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
    core_areas: Annotated[Path | None, typer.Option(
        "--kernwerkgebied", metavar="BESTAND", help="Lijst van het kernwerkgebied (PC4's en bereiken als 4800-4899, "
        "één per regel, of een kolom postcode): per zorgaanbieder het deel van de zorg daarbinnen; ligt het "
        "merendeel erbuiten, dan geldt de eis niet.", show_default=False)] = None,
    only_core_areas: Annotated[bool, typer.Option(
        "--alleen-kernwerkgebied", help="De ratio over de gebieden van het kernwerkgebied alleen (standaard: over "
        "alle gebieden).")] = False,
    repeated: Annotated[str, typer.Option(
        "--dubbel", click_type=Words(REPEATED_LINES), help=f"{REPEATED} Hier: zelfde zorgaanbieder, cliënt, "
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
    from ..claims import PROGRESS_MIN_BYTES, ratio_from_claims

    use_parameters(parameters)
    wide = wide or wide_en
    try:
        refuse_overwrite(report_file, force, [*claims, *([core_areas] if core_areas else [])], recursive=recursive)
        with progress(enabled=claims_size(claims) >= PROGRESS_MIN_BYTES and not as_json) as advance:
            report = ratio_from_claims(
                claims_source(claims), year=year, provider=provider_en or kind,
                method=method or method_en or "distinct", exemption=exemption or exemption_en,
                skip_invalid=skip_invalid, strict=strict, only_provider=agb, recursive=recursive,
                repeated=repeated, progress=advance, core_areas=core_areas, only_core_areas=only_core_areas)
        reports = list(report.providers.values()) if report.providers else [report]
        if report_file is not None:
            from ..workbook.ratio_report import write_ratio_report

            write_ratio_report(report, reports, report_file, force=force)
    except ToolkitError as exc:
        raise fail(exc, _RATIO_OPTIONS) from None

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
        if core_areas is not None:
            _print_core_areas(reports, only=only_core_areas)
    if report_file is not None:
        say(f"rapport geschreven: {report_file}")
    claim_set_notes(report, claims, repeats_count=False)


def _print_ratio_table(reports: list[Any], *, wide: bool) -> None:
    """The default columns fit an 80-column terminal; `--breed` adds two more tables that fit it too."""
    first = reports[0]
    kind = "bestaande" if first.assessment.provider == "existing" else "nieuwe"
    console = terminal()
    table = rich_table(f"Klant-werkgebiedratio CZ groep, beleidsjaar {first.year}\n(declaraties {first.claims_year}, "
                   f"{kind} zorgaanbieder, {'uniek' if first.method == 'distinct' else 'per gebied'} geteld"
                   f"{', alleen kernwerkgebied' if first.only_core_areas else ''})")
    for heading in ("Zorgaanbieder", "Cliënten", "Gebieden", "Ratio", "Drempel", "Voldoet", "Extra nodig"):
        table.add_column(heading, justify="left" if heading in {"Zorgaanbieder", "Voldoet"} else "right",
                         no_wrap=heading == "Zorgaanbieder")
    for r in reports:
        a = r.assessment
        verdict = "n.v.t." if not a.applies else ("[green]ja[/green]" if a.meets else "[red]nee[/red]")
        table.add_row(r.provider or "(alle regels)", str(a.clients), str(a.areas), a.ratio_display,
                      "-" if a.threshold is None else str(a.threshold).replace(".", ","), verdict,
                      str(a.clients_needed) if a.applies and a.areas else "-")
    console.print(table)
    # No CZ client in the claims year: no ratio to reach, so no number of clients that would reach it.
    empty = [r.provider or "(alle regels)" for r in reports if r.assessment.applies and not r.assessment.areas]
    if empty:
        more = f" en nog {len(empty) - 10} (--json)" if len(empty) > 10 else ""
        console.print(f"Geen CZ-cliënten in {first.claims_year}, dus geen ratio: {', '.join(empty[:10])}{more}.")
    if wide:
        drops = rich_table("Per zorgaanbieder: gebieden en verhuisde cliënten")
        for heading in ("Zorgaanbieder", "Max. gebieden", "Te schrappen", "Verhuisd"):
            drops.add_column(heading, justify="left" if heading == "Zorgaanbieder" else "right", no_wrap=True)
        lines = rich_table(f"Per zorgaanbieder: declaratieregels (gebruikt: CZ groep in {first.claims_year})")
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
    movers = [r for r in reports if r.movers]
    if movers and first.method == "distinct":
        listed = ", ".join(f"{r.provider or 'totaal'}: {r.movers}" for r in movers[:10])
        more = " …" if len(movers) > 10 else ""
        console.print(f"Verhuisde cliënten ({listed}{more}): {MOVERS_NOTE}; de cliënten per gebied tellen daardoor "
                      "op tot meer dan het totaal.")
    outside_year(console, reports, first.claims_year)
    for r in reports:
        if not r.assessment.applies:
            console.print(f"{r.provider or 'Totaal'}: {r.assessment.reason}")


def _print_core_areas(reports: list[Any], *, only: bool) -> None:
    """Rule 11: each provider's share of care inside the kernwerkgebied, and what it means for the ratio."""
    from ..rules.core_area import shown_share

    shares = [r.core_area for r in reports if r.core_area is not None]
    if not shares:
        return
    measures = {share.measure for share in shares}
    unit = {"bedrag": " (in euro's)", "regels": " (in declaratieregels)"}[measures.pop()] if len(measures) == 1 else ""
    table = rich_table(f"Zorg binnen het kernwerkgebied{unit}")
    headings = ("Zorgaanbieder", "Binnen", "Merendeel", "Ratio-eis") + (("Gemeten in",) if not unit else ())
    for heading in headings:
        table.add_column(heading, justify="right" if heading == "Binnen" else "left",
                         no_wrap=heading != "Zorgaanbieder", overflow="fold")
    for r in reports:
        share = r.core_area
        if share is None:
            continue
        inside = "-" if share.share_inside is None else format_percent(shown_share(share.share_inside), 1)
        where = "-" if share.share_inside is None else ("buiten" if share.majority_outside else "binnen")
        row = [r.provider or "(alle regels)", inside, where,
               "n.v.t." if r.assessment.exemption == "buiten_kernwerkgebied" else
               ("geldt" if r.assessment.applies else "n.v.t.")]
        table.add_row(*row, *(() if unit else ("euro's" if share.measure == "bedrag" else "regels",)))
    console = terminal()
    console.print(table)
    noted: dict[str, list[str]] = {}  # a note, and the providers it is about (it is per provider)
    for r in reports:
        if r.core_area is not None and r.core_area.note:
            noted.setdefault(r.core_area.note, []).append(r.provider or "(alle regels)")
    for note, providers in sorted(noted.items()):
        more = f" en nog {len(providers) - 10} (--json)" if len(providers) > 10 else ""
        console.print(f"{', '.join(providers[:10])}{more}: {note}.")
    console.print(f"Merendeel buiten: minder dan {format_percent(shares[0].min_share, 0)} van de zorg binnen het "
                  "kernwerkgebied; dan geldt de ratio-eis niet." + (" De ratio hierboven telt alleen de gebieden "
                                                                    "van het kernwerkgebied." if only else ""))
