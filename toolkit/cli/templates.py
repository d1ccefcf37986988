"""The commands on template workbooks: `fill`, `describe`, `demo`, `check` and `sjablonen`."""

from __future__ import annotations

# Imports inside functions: the claims (pyarrow, NumPy), the workbooks (openpyxl) and rich are imported by the
# command that uses them, so that `zorginkoop -h` and the other commands start without them (bench_startup.py).
from pathlib import Path
from typing import Annotated

import typer

from .._click_nl import Folder, Range
from ..errors import ToolkitError
from ..rules import RULES
from .app import (
    ParametersOption,
    app,
    examples,
    fail,
    progress,
    rich_table,
    say,
    terminal,
    use_parameters,
)

_BUNDLED = ", ".join(rule.template.name for rule in RULES.values() if rule.template)
TemplateArg = Annotated[str, typer.Argument(
    metavar="SJABLOON", help=f"Sjabloon: de naam van een meegeleverd sjabloon ({_BUNDLED}) of een eigen sjabloon "
                             "(xlsx).", show_default=False)]


@app.command(options_metavar="[OPTIES]", epilog=examples(
                 "zorginkoop fill cz_ratio aanbieders.csv --out gevuld",
                 "zorginkoop fill staffel scenario.xlsx --out s --key scenario --skip-invalid",
                 "zorginkoop describe cz_ratio     (de kolommen van het invoerbestand)"))
def fill(
    template: TemplateArg,
    inputs: Annotated[Path, typer.Argument(
        metavar="INVOER", help="Invoerbestand (csv of xlsx): een kolom per invoer, genoemd naar de invoer zonder in_ "
                               "(zorginkoop describe SJABLOON toont ze); een rij per sleutel.", show_default=False)],
    out: Annotated[Path, typer.Option("--out", metavar="MAP", click_type=Folder(), help="Map voor de ingevulde "
                                      "werkmappen en de samenvatting.", show_default=False)],
    key: Annotated[str | None, typer.Option("--key", metavar="KOLOM", help="Kolom met de sleutel (standaard de "
                                            "eerste kolom).", show_default=False)] = None,
    force: Annotated[bool, typer.Option("--force", help="Bestaande bestanden overschrijven.")] = False,
    skip_invalid: Annotated[bool, typer.Option(
        "--skip-invalid", help="Foute sleutels overslaan en als afgewezen in de samenvatting zetten.")] = False,
    workers: Annotated[int | None, typer.Option("--workers", metavar="AANTAL", click_type=Range(1),
                                                help="Aantal processen (standaard: het aantal cores, hoogstens 8).",
                                                show_default=False)] = None,
    parameters: ParametersOption = None,
) -> None:
    """Vul een sjabloon in, één werkmap per sleutel, met summary.xlsx en summary.csv van de uitkomsten."""
    from ..workbook.fill import Interrupted
    from ..workbook.fill import fill as fill_template

    use_parameters(parameters)
    try:
        with progress(enabled=True, label="werkmappen schrijven", in_bytes=False) as advance:
            result = fill_template(template, inputs, out, key=key, force=force, skip_invalid=skip_invalid,
                                   workers=workers, progress=advance)
    except ToolkitError as exc:
        raise fail(exc, {"workers": ("--workers",)}) from None
    except Interrupted as stop:
        if stop.summary_written:  # stopped at the very end: everything is there
            say("afgebroken na het schrijven: de werkmappen en de samenvatting staan er")
        else:
            earlier = " (de samenvatting van de vorige keer is weggehaald)" if stop.summary_removed else ""
            say(f"afgebroken: de werkmappen die al klaar waren staan er, een samenvatting is niet geschreven"
                f"{earlier}")
        raise typer.Exit(code=130) from None
    typer.echo(f"{_workbooks(result.written)} geschreven in {out}; samenvatting: {result.summary_xlsx.name}, "
               f"{result.summary_csv.name}")
    for case in (c for c in result.cases if c.error):
        say(f"afgewezen: {case.key}: {case.error}")
    for note in result.notes:
        say(f"let op: {note}")


def _workbooks(count: int) -> str:
    return "1 werkmap" if count == 1 else f"{count} werkmappen"


@app.command(options_metavar="[OPTIES]",
             epilog=examples("zorginkoop describe cz_ratio", "zorginkoop describe eigen_sjabloon.xlsx"))
def describe(template: TemplateArg, parameters: ParametersOption = None) -> None:
    """Toon de invoer (de kolommen van een invoerbestand voor fill) en de uitkomsten van een sjabloon, met
    hun namen en cellen."""
    from ..workbook.check import verified_template
    from ..workbook.formats import years_text
    from ..workbook.specs import kind_name

    use_parameters(parameters)
    try:
        tpl = verified_template(template)
    except ToolkitError as exc:
        raise fail(exc) from None
    spec = tpl.spec
    console = terminal()
    # Names are never cut: they are what an INPUTS file and a formula need. Each gets its own column
    # without wrapping (the longest is 26 characters); the description wraps beside them.
    inputs = rich_table(f"{spec.title} ({tpl.path.name}, versie {spec.version}, {years_text(spec.years)})\n"
                        "Invoer: een kolom per invoer in het invoerbestand van fill")
    for heading, wrap in (("Kolom", False), ("Naam en cel", False), ("Omschrijving", True)):
        inputs.add_column(heading, no_wrap=not wrap, overflow="fold" if wrap else "ellipsis")
    for item in spec.inputs:
        cells = tpl.cells[item.name]
        where = f"Invoer!{cells[0]}" + (f":{cells[-1]}" if len(cells) > 1 else "")
        choices = "/".join(item.choices)
        kind = kind_name(item) + (f": {choices}" if choices and choices != kind_name(item) else "") + (
            f", {item.rows} rijen" if item.rows else "") + ("" if item.required or item.rows else ", optioneel")
        inputs.add_row(item.column, f"{item.name}\n{where}", f"{item.label}; {kind}")
    console.print(inputs)
    outputs = rich_table("Uitkomsten")
    for heading, wrap in (("Naam en cel", False), ("Omschrijving", True)):
        outputs.add_column(heading, no_wrap=not wrap)
    for output in spec.outputs:
        cells = tpl.output_cells[output.name]
        where = f"Uitkomst!{cells[0]}" + (f":{cells[-1]}" if len(cells) > 1 else "")
        outputs.add_row(f"{output.name}\n{where}", f"{output.label}; {_OUTPUT_KINDS.get(output.kind, output.kind)}")
    console.print(outputs)


_OUTPUT_KINDS = {"count": "aantal", "number": "getal", "ratio": "getal", "fraction": "fractie (%)", "money": "bedrag",
                 "bool": "ja/nee", "text": "tekst", "month": "maand", "date": "datum"}


@app.command(options_metavar="[OPTIES]", epilog=examples("zorginkoop demo", "zorginkoop demo --out proef --force"))
def demo(
    out: Annotated[Path, typer.Option("--out", metavar="MAP", click_type=Folder(), help="Map voor het resultaat.")] = (
        Path("zorginkoop-demo")),
    force: Annotated[bool, typer.Option("--force", help="Bestaande bestanden overschrijven.")] = False,
    parameters: ParametersOption = None,
) -> None:
    """Vul elk meegeleverd sjabloon met de meegeleverde voorbeeldinvoer (in ./zorginkoop-demo/)."""
    from ..workbook import examples_dir
    from ..workbook.fill import fill as fill_template
    from ..workbook.specs import SPECS

    use_parameters(parameters)
    try:
        for name in SPECS:
            result = fill_template(name, examples_dir() / f"{name}.csv", out / name, force=force)
            typer.echo(f"{name}: {_workbooks(result.written)} in {out / name}")
    except ToolkitError as exc:
        raise fail(exc) from None


@app.command(options_metavar="[OPTIES]", epilog=examples('zorginkoop check "gevuld/Zorg Noord.xlsx"'))
def check(
    workbook: Annotated[Path, typer.Argument(metavar="WERKMAP", help="Een ingevuld of bewerkt sjabloon (xlsx).",
                                             show_default=False)],
    parameters: ParametersOption = None,
) -> None:
    """Controleer een werkmap tegen het sjabloon dat hij zegt te zijn: onderdelen, formules, namen, parameters,
    en uitkomsten die afwijken van de regels."""
    from ..workbook.check import check_workbook

    use_parameters(parameters)
    try:
        report = check_workbook(workbook)
    except ToolkitError as exc:
        raise fail(exc) from None
    shown = 20  # a formula dragged over 2,000 rows is one mistake, not 2,000 lines to read
    for finding in report.findings[:shown]:
        say(finding.line(), err=False)  # (a finding of 300 characters, folded between words in a terminal)
    if len(report.findings) > shown:
        kinds: dict[str, int] = {}
        for finding in report.findings[shown:]:
            kinds[finding.kind] = kinds.get(finding.kind, 0) + 1
        typer.echo("… en nog " + ", ".join(f"{n} × {kind}" for kind, n in kinds.items()))
    if not report.recalculated:
        say("let op: de werkmap bevat nog geen berekende waarden (open en bewaar hem in Excel); "
            "alleen onderdelen, formules, parameters en invoer zijn gecontroleerd.", err=False)
    if report.findings:
        n = len(report.findings)
        say(f"{workbook}: {n} {'bevinding' if n == 1 else 'bevindingen'} bij de controle tegen sjabloon "
            f"{report.template}.")
        raise typer.Exit(code=1)
    typer.echo(f"{workbook}: in orde (sjabloon {report.template}, versie {report.version}).")


@app.command(options_metavar="[OPTIES]", epilog=examples("zorginkoop sjablonen --out sjablonen",
                              "zorginkoop sjablonen --out sjablonen-2028 --parameters parameters-2028"))
def sjablonen(
    out: Annotated[Path, typer.Option("--out", metavar="MAP", click_type=Folder(), help="Map voor de sjablonen.",
                                      show_default=False)],
    force: Annotated[bool, typer.Option("--force", help="Bestaande sjablonen overschrijven.")] = False,
    parameters: ParametersOption = None,
) -> None:
    """Maak de sjablonen uit de parametergegevens die nu gelden (met --parameters: ook uw eigen jaren)."""
    from ..workbook.build import build_all
    from ..workbook.files import OutputLock

    use_parameters(parameters)
    try:
        with OutputLock(out):
            paths = build_all(out, overwrite=force)
    except ToolkitError as exc:
        raise fail(exc) from None
    from ..workbook.formats import years_text
    from ..workbook.specs import SPECS

    for path in paths:
        typer.echo(f"{path} ({years_text(SPECS[path.stem].years)})")
