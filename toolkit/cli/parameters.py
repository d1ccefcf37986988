"""`zorginkoop parameters`: the policy parameters in force, with their years and sources."""

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
    """Toon elk onderwerp en elke parameter, de beleidsjaren die de gegevens dekken en de bron."""
    from ..parameters import active

    use_parameters(parameters)
    data = active()
    if as_json:
        sys.stdout.write(json.dumps(_parameters_json(data), ensure_ascii=False, indent=1) + "\n")
        return
    console = terminal()
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
