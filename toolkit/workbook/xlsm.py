"""Build `workbooks/zorginkoop.xlsm`: the Excel functions of `toolkit.udfs` on worked examples.

Made from xlwings' own `quickstart.xlsm` (BSD 3-clause, Zoomer Analytics GmbH; the notice is on the
`Lees mij` sheet and in `workbooks/LICENSE-xlwings.txt`), which carries the VBA project with the
reference to the xlwings add-in that the classic UDF wrappers call (`Py.CallUDF`). The quickstart's
sample macro (`Module1.SampleCall`) is taken out of that project (`toolkit.workbook.vba`), and its
settings sheet becomes the hidden `xlwings.conf` with `UDF Modules = toolkit.udfs` and nothing else, so
the interpreter comes from the user's xlwings settings (`xlwings addin install` records the venv's).

    python3 -m toolkit.workbook.xlsm [--out workbooks/zorginkoop.xlsm]

Needs olefile (the `build` extra) for the VBA project. The cells hold real formulas in the file's own
syntax (commas); column "Formule" shows each as a Dutch user types it (`dutch_formula`: semicolons,
decimal commas). The expected values are the policy's own worked examples where the policy gives one,
otherwise a hand-checked case, each with its source as the policy's title and section, taken from the
parameter data where a parameter decides the answer. They are the examples of the EXAMPLE_YEAR policy, and
every formula passes that year (`_pinned`): they keep their answers when the data's current year moves on;
a later policy year gets its own. `tests/test_workbooks.py` checks that the functions give them and that
the committed file matches this builder.
"""

from __future__ import annotations

import argparse
import datetime as dt
import inspect
import io
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.formatting.rule import CellIsRule
from openpyxl.formula.tokenizer import Token, Tokenizer
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from .. import udfs
from ..dates import MONTHS as MONTHS_OF_YEAR
from ..parameters import ParameterSet
from ..version import __version__
from . import vba
from .files import write_atomically
from .formats import OUTPUT_FORMATS, fit_row, print_setup

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_OUT = ROOT / "workbooks" / "zorginkoop.xlsm"
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
WRONG_FILL = PatternFill("solid", fgColor="F8CBAD")
EXAMPLE_YEAR = 2027
SAMPLE_MODULES = frozenset({"Module1"})  # the quickstart's `Sub SampleCall()` (RunPython), of no use here
CONF_SHEET = "xlwings.conf"
CONF = {"UDF Modules": "toolkit.udfs"}
HEADERS = ("Voorbeeld", "Formule (zo typt u hem)", "Uitkomst", "Verwacht", "Klopt", "Bron")
WIDTHS = (30, 52, 16, 22, 14, 58)
_ALIGN = {3: "right", 4: "right", 5: "center"}  # Uitkomst, Verwacht, Klopt
YES_SHOWN, NO_SHOWN = "WAAR (ja)", "ONWAAR (nee)"  # how Dutch Excel shows a returned TRUE / FALSE

# How a result of each kind is shown: as in the templates and reports (formats.OUTPUT_FORMATS).
FORMATS = OUTPUT_FORMATS

# The bundled parameter data, never a user's overlay: the workbook cites the policy as published.
_DATA = ParameterSet()


def _policy(section: str) -> str:
    """A citation of the policy itself, for a worked example no single parameter decides: the title as
    the parameter data spells it for the example year, and the section."""
    document = _DATA.topic("cz", "client_area_ratio")["threshold_existing"].at(EXAMPLE_YEAR).source.document
    return f"{document}, {section}"


def _parameter(insurer: str, topic: str, name: str, year: int = EXAMPLE_YEAR, note: str = "") -> str:
    """The policy title and section that the parameter data gives for this value."""
    source = str(_DATA.topic(insurer, topic)[name].at(year).source)
    return f"{source}; {note}" if note else source


@dataclass(frozen=True)
class Example:
    label: str
    formula: str  # in the file's own formula syntax (commas, decimal points), as stored in the cell
    expected: Any  # what the Python function returns
    kind: str  # a key of FORMATS
    source: str


def _ratio(name: str, year: int, note: str = "") -> str:
    return _parameter("cz", "client_area_ratio", name, year, note)


def _staffel(note: str = "") -> str:
    return _parameter("cz", "staffel", "table", note=note)


# Input ranges on the CZ ratio sheet (the policy's example: 4, 1 and 2 clients in three areas).
RATIO_INPUT = [("5611", 4), ("5612", 1), ("5613", 2)]
RATIO_RANGES = "A5:A7,B5:B7"
# Eight months of € 110.000 (column B) and of € 100.000 (column C) against a ceiling of € 1.200.000.
MONTHS = [110_000] * 8 + [None] * 4
MONTHS_LOW = [100_000] * 8 + [None] * 4
COOP_HOURS = [3000, 2000, None]  # one member above the ATW cap, one below, one empty row

SHEETS: dict[str, list[Example]] = {
    "CZ ratio": [
        Example("Ratio van het voorbeeld", f"=CZ_RATIO({RATIO_RANGES})", 7 / 3, "ratio",
                _policy("§ 2.3.2 Toegankelijkheid van zorg, 'Versnippering', rekenvoorbeeld: 7 ÷ 3 = 2,33")),
        Example("Drempel 2027, bestaand", '=CZ_RATIO_DREMPEL(2027,"bestaand")', 3, "count",
                _ratio("threshold_existing", 2027)),
        Example("Drempel 2026, bestaand", '=CZ_RATIO_DREMPEL(2026,"bestaand")', 2, "count",
                _ratio("threshold_existing", 2026)),
        Example("Drempel 2025, nieuw", '=CZ_RATIO_DREMPEL(2025,"nieuw")', 3, "count", _ratio("threshold_new", 2025)),
        Example("Voldoet 2027?", f'=CZ_RATIO_VOLDOET({RATIO_RANGES},2027,"bestaand")', False, "bool",
                _ratio("threshold_existing", 2027, "2,33 < 3")),
        Example("Voldoet 2026?", f'=CZ_RATIO_VOLDOET({RATIO_RANGES},2026,"bestaand")', True, "bool",
                _ratio("threshold_existing", 2026, "2,33 ≥ 2")),
        Example("Extra cliënten voor 2027", f'=CZ_EXTRA_CLIENTEN({RATIO_RANGES},2027,"bestaand")', 2, "count",
                _ratio("threshold_existing", 2027, "3 × 3 gebieden = 9 cliënten nodig, 7 in zorg")),
    ],
    "Staffel": [
        Example("Plafondvrije afspraak", '=CZ_STAFFEL_PCT("C","",,"ja")', 1.0, "fraction", _staffel()),
        Example(f"Score A in {EXAMPLE_YEAR - 1} en {EXAMPLE_YEAR}", '=CZ_STAFFEL_PCT("A","A")', 1.0, "fraction",
                _staffel()),
        Example(f"Score A in {EXAMPLE_YEAR - 1}", '=CZ_STAFFEL_PCT("A","B")', 0.9, "fraction", _staffel()),
        Example("Score B, 5 kostenpunten", '=CZ_STAFFEL_PCT("B","",5)', 0.85, "fraction",
                _parameter("cz", "staffel", "min_cost_points_b")),
        Example("Score B, 4 kostenpunten", '=CZ_STAFFEL_PCT("B","",4)',
                f"komt niet in aanmerking: score B in {EXAMPLE_YEAR - 1} met minder dan 5 punten op het "
                "kostenonderdeel", "text",
                _parameter("cz", "staffel", "min_cost_points_b")),
        Example("Score C", '=CZ_STAFFEL_PCT("C")', f"komt niet in aanmerking: score C in {EXAMPLE_YEAR - 1}", "text",
                _staffel()),
        Example("Geen score", '=CZ_STAFFEL_PCT("")', 0.9, "fraction", _staffel()),
        Example(f"Vergoeding op € 100.000 bij score A in {EXAMPLE_YEAR - 1}", '=CZ_STAFFEL_VERGOEDING(100000,"A")',
                90000.0, "money", _staffel("90% × € 100.000")),
        Example("Vergoeding op € 12.345,67 bij score B", '=CZ_STAFFEL_VERGOEDING(12345.67,"B","",6)', 10493.82,
                "money", _staffel("85% × € 12.345,67 = € 10.493,8195, afgerond op centen € 10.493,82")),
    ],
    "Coöperatie": [
        Example("FTE nodig bij 110 cliënten", "=COOP_FTE_NODIG(110)", 2.0, "fte",
                _parameter("cz", "cooperative", "clients_per_level6_fte", note="110 ÷ 55")),
        Example("FTE nodig bij 55 cliënten", "=COOP_FTE_NODIG(55)", 1.0, "fte",
                _parameter("cz", "cooperative", "clients_per_level6_fte", note="55 ÷ 55")),
        Example("Max. cliënten bij 1,5 FTE", "=COOP_MAX_CLIENTEN(1.5)", 82, "count",
                _parameter("cz", "cooperative", "clients_per_level6_fte", note="1,5 × 55 = 82,5 → 82")),
        Example("Max. omzet, dag", '=COOP_MAX_OMZET(B5:B7,50,"nee")', 224800.0, "money",
                _parameter("cz", "cooperative", "atw_avg_week_hours",
                           note="48 × 52 = 2.496 uur; (2.496 + 2.000) × € 50")),
        Example("Max. omzet, nacht", '=COOP_MAX_OMZET(B5:B7,50,"ja")', 204000.0, "money",
                _parameter("cz", "cooperative", "atw_avg_week_hours_night",
                           note="40 × 52 = 2.080 uur; (2.080 + 2.000) × € 50")),
    ],
    "Nachtzorg": [
        Example("Gewogen index", "=NZ_GEWOGEN_INDEX(0.031,0.02)", 0.0299, "index",
                _parameter("nza", "nachtzorg", "weight_personnel", note="90% × 3,1% + 10% × 2,0% = 2,99%")),
        Example("Indexfactor, vermenigvuldigd", "=NZ_INDEXFACTOR(0.03,0.025,0.032)", 1.0370341463414634, "factor",
                _policy("bijlage 1, § 1.6.3 Onplanbare nachtzorg; rekenvoorbeeld: 1,030 × 1,032 ÷ 1,025")),
        Example("Indexfactor, opgeteld", '=NZ_INDEXFACTOR(0.03,0.025,0.032,"additief")', 1.037, "factor",
                _policy("bijlage 1, § 1.6.3 Onplanbare nachtzorg; rekenvoorbeeld: 1 + 3,0% + (3,2% − 2,5%)")),
        Example("Vergoed budget, vermenigvuldigd", "=NZ_BUDGET(1000000,0.03,0.025,0.032,0.85)", 881479.02, "money",
                _policy("bijlage 1, § 1.6.3 Onplanbare nachtzorg; rekenvoorbeeld: "
                        "€ 1.000.000 × 1,0370341 × 85%")),
        Example("Vergoed budget, opgeteld", '=NZ_BUDGET(1000000,0.03,0.025,0.032,0.85,"additief")', 881450.0,
                "money", _policy("bijlage 1, § 1.6.3 Onplanbare nachtzorg; rekenvoorbeeld: € 1.000.000 × 1,037 × 85%")),
    ],
    "Plafond": [
        Example("Prognose bij 8 × € 110.000", "=CZ_PLAFOND_PROGNOSE(B5:B16)", 1320000.0, "money",
                _policy("§ 3.2.4 Aanvullende zorginkoop; rekenvoorbeeld: € 880.000 ÷ 8 maanden × 12")),
        Example("Tekort op € 1.200.000", "=CZ_PLAFOND_TEKORT(1200000,B5:B16)", 120000.0, "money",
                _policy("§ 3.2.4 Aanvullende zorginkoop; rekenvoorbeeld: € 1.320.000 − € 1.200.000")),
        Example("Aanvullend budget, score B en 6 punten", '=CZ_BIJCONTRACTERING(1200000,B5:B16,"B","",6)', "ja",
                "text", _parameter("cz", "ceiling", "request_min_ceiling_share",
                                   note="vóór 1 oktober € 990.000 = 82,5% van € 1.200.000, tekort € 120.000")),
        Example("Prognose bij 8 × € 100.000", "=CZ_PLAFOND_PROGNOSE(C5:C16)", 1200000.0, "money",
                _policy("§ 3.2.4 Aanvullende zorginkoop; rekenvoorbeeld: € 800.000 ÷ 8 maanden × 12")),
        Example("Tekort bij 8 × € 100.000", "=CZ_PLAFOND_TEKORT(1200000,C5:C16)", 0.0, "money",
                _policy("§ 3.2.4 Aanvullende zorginkoop; rekenvoorbeeld: de prognose haalt het plafond net")),
    ],
    "Eigen levering": [
        Example("Eigen levering, voorbeeld", "=CZ_EIGEN_LEVERING(5200,300,2500,3000)", 0.5, "fraction",
                _parameter("cz", "own_delivery", "min_own_share", note="(5.200 + 300) ÷ 11.000 = 50%")),
        Example("Met 2.600 uur zzp", "=CZ_EIGEN_LEVERING(5200,300,2600,3000)", 5500 / 11100, "fraction",
                _parameter("cz", "own_delivery", "min_own_share", note="5.500 ÷ 11.100 = 49,55%: te weinig")),
    ],
    "Kalender": [
        Example("Kwaliteitsinformatie (een zondag)", '=CZ_TERMIJN("kwaliteit")', dt.date(2026, 5, 31), "date",
                _parameter("cz", "staffel", "quality_data_deadline", note="blijft staan, ook op een zondag")),
        Example("Uiterste tekendatum (een zondag)", '=CZ_TERMIJN("tekenen",2027)', dt.date(2026, 11, 1), "date",
                _parameter("cz", "contract_calendar", "signing_last_day")),
        Example("Nachtzorg: volgverzoek, 'vóór 1 juli'", '=CZ_TERMIJN("volgverzoek")', dt.date(2027, 6, 30), "date",
                _parameter("nza", "nachtzorg", "follow_request_before", note="de laatste dag is 30 juni")),
        Example("10 werkdagen na 30-09-2027", '=WERKDAGEN_NA("30-09-2027",10)', dt.date(2027, 10, 14), "date",
                _parameter("cz", "contract_calendar", "request_answer_working_days",
                           note="vrijdag 1 oktober is dag 1, donderdag 14 oktober dag 10")),
        Example("6 werkdagen na 23-12-2026", '=WERKDAGEN_NA("23-12-2026",6)', dt.date(2027, 1, 4), "date",
                _policy("§ 3.2.4 Aanvullende zorginkoop, 'binnen 10 werkdagen'; werkdagen volgens de Algemene "
                        "termijnenwet: de Kerstdagen, het weekend en Nieuwjaarsdag tellen niet")),
        Example("10 werkdagen na 26-04-2027", '=WERKDAGEN_NA("26-04-2027",10)', dt.date(2027, 5, 13), "date",
                _policy("§ 3.2.4 Aanvullende zorginkoop, 'binnen 10 werkdagen'; werkdagen volgens de Algemene "
                        "termijnenwet: Koningsdag, 5 mei en Hemelvaartsdag tellen niet")),
    ],
}


def _pinned(formula: str) -> str:
    """The formula with `jaar` = EXAMPLE_YEAR where the function takes one and the example leaves it out: the
    worked examples are those of the EXAMPLE_YEAR policy, whatever the current policy year of the data."""
    name, _, rest = formula.removeprefix("=").partition("(")
    parameters = list(inspect.signature(getattr(udfs, name)).parameters)
    if "jaar" not in parameters:
        return formula
    given = _arguments(rest.removesuffix(")"))
    if len(given) > parameters.index("jaar"):
        return formula
    padded = given + [""] * (parameters.index("jaar") - len(given)) + [str(EXAMPLE_YEAR)]
    return f"={name}({','.join(padded)})"


def _arguments(text: str) -> list[str]:
    """Top-level arguments of a formula's argument list (commas inside quotes kept)."""
    parts, current, quoted = [], "", False
    for char in text:
        if char == '"':
            quoted = not quoted
        if char == "," and not quoted:
            parts.append(current)
            current = ""
        else:
            current += char
    return [*parts, current] if text else []


SHEETS = {sheet: [replace(e, formula=_pinned(e.formula)) for e in examples] for sheet, examples in SHEETS.items()}
TITLES = {
    "CZ ratio": "CZ klant-werkgebiedratio: cliënten per postcodegebied (PC4)",
    "Staffel": "Staffel aanvullende zorginkoop: welk deel van het aanvullende budget CZ vergoedt",
    "Coöperatie": "Zorgcoöperaties: verpleegkundigen niveau 6 en maximale omzet",
    "Nachtzorg": "Onplanbare nachtzorg: indexering van het budget",
    "Plafond": "Omzetplafond: prognose, tekort en verzoek om aanvullend budget",
    "Eigen levering": "Eigen levering: ten minste 50% van de zorg zelf",
    "Kalender": "Tijdpad: de laatste dag van een termijn, en werkdagen volgens de Algemene termijnenwet",
}


# --- formulas as a Dutch user types them -------------------------------------------------------------------

_OUR_FUNCTIONS = frozenset(f.__name__ for f in udfs.FUNCTIONS)
_LOGICAL = {"TRUE": "WAAR", "FALSE": "ONWAAR"}


def dutch_formula(formula: str) -> str:
    """`formula` (as stored: commas between arguments, a decimal point) spelled as it is typed in Dutch
    Excel: `;` between arguments, a decimal comma, WAAR/ONWAAR. Text in quotes stays as it is, commas
    included. Built-in functions have Dutch names (IF is ALS) that this does not translate, so a formula
    with one, or with an array constant, is refused rather than shown wrong."""
    out = ["="]
    for token in Tokenizer(formula).items:
        value = token.value
        if token.type == Token.FUNC and token.subtype == Token.OPEN and value[:-1].upper() not in _OUR_FUNCTIONS:
            raise ValueError(f"geen Nederlandse naam bekend voor de functie {value[:-1]} in {formula}")
        if token.type == Token.ARRAY:
            raise ValueError(f"matrixconstante in {formula}: niet omgezet")
        if token.type == Token.SEP and token.subtype == Token.ARG:
            value = ";"
        elif token.type == Token.OPERAND and token.subtype == Token.NUMBER:
            value = value.replace(".", ",")
        elif token.type == Token.OPERAND and token.subtype == Token.LOGICAL:
            value = _LOGICAL[value.upper()]
        out.append(value)
    return "".join(out)


def shown_expected(example: Example) -> Any:
    """The expected value as the sheet holds it: a bool as the Dutch Excel words with ja/nee, a date as a date
    cell (which openpyxl reads back as a datetime)."""
    if example.kind == "bool":
        return YES_SHOWN if example.expected else NO_SHOWN
    if example.kind == "date":
        return dt.datetime.combine(example.expected, dt.time())
    return example.expected


def _check_formula(kind: str, row: int) -> str:
    """Column Klopt: ja/nee by kind; "geen uitkomst" while the functions are not there yet (#NAME?)."""
    c, d = f"C{row}", f"D{row}"
    if kind == "bool":
        test = f'IF(ISLOGICAL({c}),IF(IF({c},"{YES_SHOWN}","{NO_SHOWN}")={d},"ja","nee"),"nee")'
    elif kind == "text":
        test = f'IF(EXACT({c},{d}),"ja","nee")'
    else:
        test = f'IF(ISNUMBER({c}),IF(ABS({c}-{d})<0.000000001,"ja","nee"),"nee")'
    return f'=IF(ISERROR({c}),"geen uitkomst",{test})'


# --- the sheets --------------------------------------------------------------------------------------------

READ_ME: list[tuple[str, str]] = [  # (style, text): title, heading, step or text
    ("title", "Zorginkoop-toolkit: de Excel-functies"),
    ("text", "Deze werkmap laat de Excel-functies van de zorginkoop-toolkit zien op rekenvoorbeelden uit het "
             "inkoopbeleid van CZ groep (Zorginkoopbeleid wijkverpleging 2027). Elk tabblad zet de uitkomst van "
             "een functie naast de verwachte waarde en de bron: het beleidsdocument en de paragraaf."),
    ("text", "Kolom Formule toont de formule zoals u hem in Nederlandse Excel typt: een puntkomma tussen de "
             "argumenten en een komma in getallen, bijvoorbeeld =CZ_RATIO(A5:A7;B5:B7) en "
             "=NZ_GEWOGEN_INDEX(0,031;0,02). Een argument overslaan: twee puntkomma's achter elkaar, zoals "
             "=CZ_STAFFEL_PCT(\"C\";\"\";;\"ja\")."),
    ("text", "Zolang de functies niet zijn ingesteld, toont kolom Uitkomst #NAAM? en kolom Klopt 'geen uitkomst'. "
             "Na de stappen hieronder staat in kolom Klopt overal 'ja'."),
    ("heading", "Eenmalig instellen op Windows (klassieke xlwings)"),
    ("step", "1. Installeer Python 3.11 of nieuwer van python.org. Vink in het (Engelstalige) installatieprogramma "
             "'Add python.exe to PATH' aan."),
    ("step", "2. Maak een eigen Python-omgeving (venv) voor de toolkit. Open een opdrachtprompt (Windows-toets, typ "
             "cmd) en typ: py -m venv %USERPROFILE%\\zorginkoop-venv en daarna "
             "%USERPROFILE%\\zorginkoop-venv\\Scripts\\activate. De regel begint nu met (zorginkoop-venv); "
             "doe de volgende twee stappen in deze opdrachtprompt."),
    ("step", "3. Installeer de toolkit. Hij staat niet op PyPI: uw team geeft u een wheel-bestand of de map van "
             "de toolkit. Met het wheel-bestand: python -m pip install zorginkoop_toolkit-<versie>-py3-none-any.whl; "
             "in de uitgepakte map van de toolkit: python -m pip install ."),
    ("step", "4. Sluit Excel en installeer de xlwings-invoegtoepassing: xlwings addin install. Dit legt ook vast "
             "dat Excel de Python van deze omgeving gebruikt (in %USERPROFILE%\\.xlwings\\xlwings.conf). "
             "Had u xlwings al eerder ingesteld, typ dan ook: xlwings config create --force."),
    ("step", "5. In Excel: Bestand > Opties > Vertrouwenscentrum > Instellingen voor het Vertrouwenscentrum > "
             "Macro-instellingen: vink 'Toegang tot het objectmodel van het VBA-project vertrouwen' aan en klik "
             "op OK. Daarmee mag xlwings in stap 7 de functies in deze werkmap zetten; daarna kunt u het vinkje "
             "weer weghalen."),
    ("step", "6. Open deze werkmap. De functies die xlwings in stap 7 toevoegt zijn macro's (VBA), en Windows "
             "markeert een gedownload bestand of een e-mailbijlage als 'afkomstig van internet'. Excel toont dan:"),
    ("step", "   - een rode balk 'BEVEILIGINGSRISICO: Microsoft heeft de uitvoering van macro's geblokkeerd omdat "
             "de bron van dit bestand niet wordt vertrouwd'. Sluit de werkmap, klik in Verkenner met de "
             "rechtermuisknop op het bestand > Eigenschappen, vink op het tabblad Algemeen onderaan "
             "'Blokkering opheffen' aan, klik op OK en open de werkmap opnieuw;"),
    ("step", "   - een gele balk 'BEVEILIGDE WEERGAVE': klik op 'Bewerken inschakelen';"),
    ("step", "   - een gele balk 'BEVEILIGINGSWAARSCHUWING: Macro's zijn uitgeschakeld': klik op 'Inhoud "
             "inschakelen'."),
    ("step", "   Doe dit alleen bij een bestand dat u van uw eigen team hebt gekregen. Blijft de rode balk staan, "
             "dan blokkeert uw organisatie macro's uit internetbestanden: vraag uw IT-afdeling om een vertrouwde "
             "locatie."),
    ("step", "7. Klik op het tabblad xlwings op 'Import Functions'. De functies (CZ_RATIO, NZ_BUDGET, ...) staan "
             "daarna in deze werkmap en in de functiewizard (fx) onder de categorie xlwings, met uitleg per "
             "argument. Druk op Ctrl+Alt+F9 om alles opnieuw te berekenen; kolom Klopt toont dan overal 'ja'."),
    ("step", "8. Sla de werkmap op als Excel-werkmap met macro's (.xlsm)."),
    ("heading", "Excel op het web en op de Mac (xlwings Lite)"),
    ("step", "1. Installeer de invoegtoepassing xlwings Lite uit de Office-invoegtoepassingenwinkel."),
    ("step", "2. Open in xlwings Lite het tabblad requirements.txt en plak de inhoud van "
             "workbooks/lite/requirements.txt uit de map van de toolkit."),
    ("step", "3. Plak de inhoud van workbooks/lite/main.py (één bestand met de regels, de parameters en de "
             "functies) in het tabblad main.py en start xlwings Lite opnieuw. Er is geen server of wheel nodig."),
    ("heading", "Uitkomsten lezen"),
    ("text", "Bedragen staan in euro's, delen als percentage. CZ_RATIO_VOLDOET geeft WAAR (voldoet) of ONWAAR "
             "(voldoet niet); de kolom Verwacht schrijft dat als WAAR (ja) of ONWAAR (nee). Een fout in de invoer "
             "geeft een tekst die begint met #WAARDE!, met het argument, de rij en de waarde erin."),
    ("heading", "Licentie"),
    ("text", "Gemaakt van het quickstart-werkboek van xlwings: Copyright (C) 2014 - present, Zoomer Analytics "
             "GmbH. BSD 3-clause; de volledige tekst staat in workbooks/LICENSE-xlwings.txt."),
]


def _font(size: int = 12, **style: bool) -> Font:
    """The quickstart's body font (Calibri 12); a Font without a name falls back to a serif in LibreOffice."""
    return Font(name="Calibri", size=size, **style)


def _conf_sheet(ws: Worksheet) -> None:
    if not any(row[0].value == "UDF Modules" for row in ws.iter_rows(min_col=1, max_col=1)):
        raise RuntimeError("quickstart.xlsm heeft geen regel 'UDF Modules' meer")
    ws.title = CONF_SHEET  # renamed from _xlwings.conf: this activates it (xlwings docs)
    ws.delete_rows(1, ws.max_row)  # the quickstart's defaults and its English instructions
    for row, (key, value) in enumerate(CONF.items(), start=1):  # xlwings reads from A1 down to the first gap
        ws.cell(row=row, column=1, value=key)
        ws.cell(row=row, column=2, value=value)
    ws.sheet_state = "hidden"


def _read_me(ws: Worksheet) -> None:
    ws.title = "Lees mij"
    ws.column_dimensions["A"].width = 125
    fonts = {"title": _font(14, bold=True), "heading": _font(12, bold=True)}
    row = 0
    for style, text in READ_ME:
        row += 2 if style == "heading" else 1
        cell = ws.cell(row=row, column=1, value=text)
        cell.alignment = Alignment(wrap_text=True, vertical="top", indent=1 if style == "step" else 0)
        if style in fonts:
            cell.font = fonts[style]
        fit_row(ws, row)
    row += 2
    ws.cell(row=row, column=1, value=f"Gebouwd met zorginkoop-toolkit {__version__}.")
    print_setup(ws, f"A1:A{row}", title="Zorginkoop-toolkit: de Excel-functies")


@dataclass(frozen=True)
class Inputs:
    """The yellow cells an example sheet's formulas read, under a caption and a header row."""
    caption: str
    header: tuple[str, ...]
    formats: tuple[str | None, ...]  # None: a label column, not read by any formula
    rows: list[tuple[Any, ...]]


INPUTS = {
    "CZ ratio": Inputs("Invoer: postcodes en cliënten (het rekenvoorbeeld uit het beleid)", ("Postcode", "Cliënten"),
                       ("@", FORMATS["count"]), list(RATIO_INPUT)),
    "Coöperatie": Inputs("Invoer: uren per jaar per lid", ("Lid", "Uren per jaar"), (None, "#,##0"),
                         [(f"lid {i}", hours) for i, hours in enumerate(COOP_HOURS, start=1)]),
    "Plafond": Inputs("Invoer: productie per maand, leeg na de laatst bekende maand (plafond € 1.200.000)",
                      ("Maand", "Productie", "Productie, lager"), (None, FORMATS["money"], FORMATS["money"]),
                      list(zip(MONTHS_OF_YEAR, MONTHS, MONTHS_LOW, strict=True))),
}


def _inputs(ws: Worksheet) -> int:
    """The sheet's input cells, or a line saying it has none; the last row used."""
    inputs = INPUTS.get(ws.title)
    ws["A3"] = inputs.caption if inputs else "Geen invoercellen: de argumenten staan in de formules zelf."
    ws["A3"].font = _font(italic=True)
    if inputs is None:
        return 3
    for col, title in enumerate(inputs.header, start=1):
        ws.cell(row=4, column=col, value=title).font = _font(bold=True)
    for row, values in enumerate(inputs.rows, start=5):
        for col, (value, number_format) in enumerate(zip(values, inputs.formats, strict=True), start=1):
            cell = ws.cell(row=row, column=col, value=value)
            if number_format:
                cell.fill, cell.number_format = INPUT_FILL, number_format
    return 4 + len(inputs.rows)


def _example_sheet(ws: Worksheet, examples: list[Example]) -> None:
    ws["A1"] = TITLES[ws.title]
    ws["A1"].font = _font(14, bold=True)
    for letter, width in zip("ABCDEF", WIDTHS, strict=True):
        ws.column_dimensions[letter].width = width
    top = _inputs(ws) + 3
    for col, title in enumerate(HEADERS, start=1):
        cell = ws.cell(row=top, column=col, value=title)
        cell.font, cell.fill = _font(bold=True), HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal=_ALIGN.get(col, "left"))
    for row, example in enumerate(examples, start=top + 1):
        shown = ws.cell(row=row, column=2, value=dutch_formula(example.formula))
        shown.data_type = "s"  # the formula as text to type, next to the working one in column C
        cells = [ws.cell(row=row, column=1, value=example.label), shown,
                 ws.cell(row=row, column=3, value=example.formula),
                 ws.cell(row=row, column=4, value=shown_expected(example)),
                 ws.cell(row=row, column=5, value=_check_formula(example.kind, row)),
                 ws.cell(row=row, column=6, value=example.source)]
        in_words = example.kind in {"bool", "text"}  # a text result reads from the left, a number from the right
        for col, cell in enumerate(cells, start=1):
            horizontal = "left" if in_words and col in (3, 4) else _ALIGN.get(col, "left")
            cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal=horizontal)
        cells[2].number_format = cells[3].number_format = FORMATS[example.kind]
        fit_row(ws, row)
    last = top + len(examples)
    ws.conditional_formatting.add(f"E{top + 1}:E{last}", CellIsRule(operator="equal", formula=['"nee"'],
                                                                     fill=WRONG_FILL))
    print_setup(ws, f"A1:F{last}", title=f"{TITLES[ws.title]} (voorbeelden {EXAMPLE_YEAR})")


# --- the workbook --------------------------------------------------------------------------------------------

def quickstart_path() -> Path:
    import xlwings

    return Path(xlwings.__file__).parent / "quickstart.xlsm"


def _replace_part(archive: zipfile.ZipFile, name: str, data: bytes) -> zipfile.ZipFile:
    """A copy of openpyxl's kept VBA archive with one part replaced (openpyxl writes the parts from it)."""
    copy = zipfile.ZipFile(io.BytesIO(), "a", zipfile.ZIP_DEFLATED)
    for part in archive.namelist():
        copy.writestr(part, data if part == name else archive.read(part))
    return copy


def _vba_project(archive: zipfile.ZipFile) -> bytes:
    """The quickstart's VBA project without the sample macro; refused when anything but that is code."""
    if any(part.startswith("xl/vbaProjectSignature") for part in archive.namelist()):
        raise RuntimeError("quickstart.xlsm heeft een ondertekend VBA-project: aanpassen zou de handtekening breken")
    project = vba.without_modules(archive.read("xl/vbaProject.bin"), SAMPLE_MODULES)
    for module, source in vba.module_sources(project).items():
        code = [line for line in source.splitlines() if line.strip() and not line.startswith("Attribute ")]
        if code:
            raise RuntimeError(f"quickstart.xlsm: module {module} bevat code ({code[0]!r}); bekijk wat er nu in staat")
    return project


def build(out: Path = DEFAULT_OUT) -> Path:
    wb = load_workbook(quickstart_path(), keep_vba=True)
    wb.vba_archive = _replace_part(wb.vba_archive, "xl/vbaProject.bin", _vba_project(wb.vba_archive))
    sheet1, conf = wb.worksheets
    _read_me(sheet1)
    for title, examples in SHEETS.items():
        _example_sheet(wb.create_sheet(title), examples)
    _conf_sheet(conf)
    wb.move_sheet(conf, offset=len(wb.worksheets) - 1 - wb.worksheets.index(conf))
    wb.active = 0
    wb.calculation.fullCalcOnLoad = True
    write_atomically(out, lambda tmp: wb.save(tmp))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description="Bouw workbooks/zorginkoop.xlsm")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    print(build(parser.parse_args().out))


if __name__ == "__main__":
    main()
