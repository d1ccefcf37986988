"""`zorginkoop parameters`: the policy parameters in force, with their values by policy year and sources."""

from __future__ import annotations

# Imports inside functions: the claims (pyarrow, NumPy), the workbooks (openpyxl) and rich are imported by the
# command that uses them, so that `zorginkoop -h` and the other commands start without them (bench_startup.py).
import json
import sys
from typing import Any

from .app import (
    JsonOption,
    ParametersOption,
    app,
    examples,
    terminal,
    use_parameters,
)


@app.command(name="parameters", options_metavar="[OPTIES]",
             epilog=examples("zorginkoop parameters", "zorginkoop parameters --parameters parameters-2028 --json"))
def parameters_command(
    as_json: JsonOption = False,
    parameters: ParametersOption = None,
) -> None:
    """Toon elk onderwerp en elke parameter: de waarde per beleidsjaar en de bron."""
    from ..parameters import active

    use_parameters(parameters)
    data = active()
    if as_json:
        sys.stdout.write(json.dumps(_parameters_json(data), ensure_ascii=False, indent=1) + "\n")
        return
    console = terminal()
    import textwrap

    from rich.text import Text

    def indented(text: str, indent: int) -> None:
        # Wrapped lines keep the indent of their parameter, in any width (rich would wrap them to the margin).
        for line in text.splitlines():
            console.print(textwrap.fill(line, width=console.width, initial_indent=" " * indent,
                                        subsequent_indent=" " * indent, break_on_hyphens=False),
                          markup=False, highlight=False)

    overlay = f" (met eigen gegevens uit {data.overlay})" if data.overlay else ""
    console.print(f"Huidig beleidsjaar: {data.current_year}{overlay}", markup=False)
    for topic in data.topics():
        heading = Text(textwrap.fill(f"{topic.topic} — {topic.description} (jaren: "
                                     f"{', '.join(map(str, topic.years))})", width=console.width))
        heading.stylize("bold", 0, len(topic.topic))
        console.print(Text("\n").append_text(heading))
        for parameter in topic.parameters.values():
            indented(f"{parameter.name}: {_values_text(parameter)}", 2)
            indented(f"{parameter.label}\n{_sources_text(parameter)}", 4)


def _sources_text(parameter: Any) -> str:
    """The source of each year's value: one line when every year has the same one, else a line per run of
    years (an overlay's 2028 value cites its own document, not the 2027 policy, and the other way round)."""
    groups: list[tuple[str, list[int]]] = []
    for year in parameter.years:
        text = str(parameter.values[year].source)
        if groups and groups[-1][0] == text:
            groups[-1][1].append(year)
        else:
            groups.append((text, [year]))
    if len(groups) == 1:
        return f"bron: {groups[0][0]}"
    return "\n".join(f"bron {years[0]}: {text}" if len(years) == 1 else f"bron {years[0]}–{years[-1]}: {text}"
                     for text, years in groups)


def _values_text(parameter: Any) -> str:
    """The values by policy year as a Dutch reader writes them ('80 % (beleidsjaar 2027)', '3 cliënten per PC4
    (beleidsjaren 2025–2027)'), equal values of consecutive years together; a table by its size (--json
    gives its rows)."""
    groups: list[tuple[str, list[int]]] = []
    for year in parameter.years:
        text = _value_text(parameter.values[year].value, parameter.unit)
        if groups and groups[-1][0] == text and groups[-1][1][-1] == year - 1:
            groups[-1][1].append(year)
        else:
            groups.append((text, [year]))
    return "; ".join(f"{text} (beleidsjaar {years[0]})" if len(years) == 1 else
                     f"{text} (beleidsjaren {years[0]}–{years[-1]})" for text, years in groups)


def _value_text(value: Any, unit: str) -> str:
    import datetime as dt
    from decimal import Decimal

    from ..dates import dutch_date, month_name
    from ..numbers import format_money, format_number, percent_text

    if value is None:  # no requirement that year (the ratio's threshold for existing providers in 2025)
        return "geen"
    if isinstance(value, tuple):
        return f"tabel van {len(value)} {'rij' if len(value) == 1 else 'rijen'} (--json toont ze)"
    if isinstance(value, dt.date):
        return dutch_date(value)
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        if unit == "fractie":
            return percent_text(Decimal(value))
        if unit == "maand" and 1 <= value <= 12:
            return month_name(int(value))
        if unit == "euro":
            return format_money(value, cents=Decimal(value) != Decimal(value).to_integral_value())
        first, _, rest = unit.partition(" ")  # after a number Dutch writes hours and years singular: uur, jaar
        unit = " ".join(part for part in ({"uren": "uur", "jaren": "jaar"}.get(first, first), rest) if part)
        return f"{format_number(value)} {unit}" if unit else format_number(value)
    return f"'{value}'" if isinstance(value, str) else str(value)


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
