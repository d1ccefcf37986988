"""Write `docs/functies.md`, the Dutch reference of the Excel functions, from the functions themselves
(`toolkit.udfs`, made from each rule's declaration in `toolkit/rules/<rule>/excel.py`).

    python3 -m toolkit.workbook.reference [--out docs/functies.md]

A test regenerates it and fails when the committed file differs, so the page never drifts from the
docstrings and argument help that Excel's function wizard shows.
"""

from __future__ import annotations

import argparse
import inspect
from pathlib import Path

from .. import udfs

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_OUT = ROOT / "docs" / "functies.md"

INTRO = """\
# Excel-functies van de zorginkoop-toolkit

Deze pagina is gemaakt uit de Excel-functies die elke regel declareert (`toolkit/rules/<regel>/excel.py`,
`python3 -m toolkit.workbook.reference`); pas de teksten daar aan, niet deze pagina.

In Excel met Nederlandse instellingen scheidt u argumenten met een puntkomma, zoals hieronder.
Een optioneel argument mag u leeglaten. Bereiken mogen lege cellen bevatten: die tellen niet mee.
Percentages zijn fracties (75% = 0,75). Ja/nee-argumenten nemen `ja`, `nee`, WAAR of ONWAAR.
Getallen als tekst worden Nederlands gelezen: `450.000` is vierhonderdvijftigduizend, `12,5` twaalf en
een half (zie de handleiding, "Getallen zoals u ze typt"). Functies die van het beleidsjaar afhangen
hebben een optioneel laatste argument `jaar`; leeg is het huidige beleidsjaar.

Foute invoer geeft geen Python-foutmelding maar een tekst in de cel die begint met `#WAARDE!` en
de rij en de waarde noemt, bijvoorbeeld `#WAARDE! postcode '12AB' in rij 3 is geen geldige PC4 …`.
Zonder postcodegebieden geeft `CZ_RATIO` `#DEEL/0! …`; een uitkomst die geen eindig getal is `#GETAL! …`.

Installatie: zie [de handleiding](handleiding.md) en het tabblad *Lees mij* van
`workbooks/zorginkoop.xlsm` (Windows, en xlwings Lite voor Excel op het web en de Mac).
"""


def _signature(function: object) -> str:
    parts = []
    for parameter in inspect.signature(function).parameters.values():  # type: ignore[arg-type]
        parts.append(f"[{parameter.name}]" if parameter.default is not inspect.Parameter.empty else parameter.name)
    return f"{function.__name__}({'; '.join(parts)})"  # type: ignore[attr-defined]


def _default(value: object) -> str:
    if value is None:
        return "leeg"
    if value is False:
        return "nee"
    return f"`{value}`"


def render() -> str:
    lines = [INTRO]
    for function in udfs.FUNCTIONS:
        docs: dict[str, str] = getattr(function, "__arg_docs__")  # noqa: B009 - set by udfs.excel_function
        lines += [f"## {function.__name__}", "", f"`={_signature(function)}`", "",
                  inspect.getdoc(function) or "", "", "| argument | uitleg | standaard |", "|---|---|---|"]
        for parameter in inspect.signature(function).parameters.values():
            default = "" if parameter.default is inspect.Parameter.empty else _default(parameter.default)
            lines.append(f"| `{parameter.name}` | {docs[parameter.name]} | {default} |")
        lines.append("")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description="Schrijf docs/functies.md")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    out = parser.parse_args().out
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render(), encoding="utf-8")
    print(out)


if __name__ == "__main__":
    main()
