"""Rule 7 as Excel functions: CZ_TERMIJN and WERKDAGEN_NA (declarations; `toolkit.udfs` makes them).

Both give a date: `toolkit.udfs` hands it to xlwings as a `datetime.date`, which classic xlwings passes to
Excel as a date value and xlwings Lite as a number formatted as a date, so the cell shows a date in both.
"""

from __future__ import annotations

from ..declaration import YEAR, Argument, ExcelFunction
from .rule import EVENT_NAMES, event_last_day
from .working_days import add_working_days

NAME = Argument("naam", f"Termijn: {', '.join(EVENT_NAMES)}.", "required", field="name")

FUNCTIONS = (
    ExcelFunction("CZ_TERMIJN", "Laatste dag van een termijn uit het tijdpad van het zorginkoopbeleid {jaar} (CZ "
                                "groep), als datum. 'uiterlijk X' en 't/m X' geven X, 'vóór X' de dag ervoor; een "
                                "laatste dag in het weekend blijft staan. Alle termijnen: zorginkoop kalender.",
                  (NAME, YEAR), lambda naam, jaar: event_last_day(naam, jaar)),
    ExcelFunction("WERKDAGEN_NA", "De datum n werkdagen na datum, volgens de Algemene termijnenwet: geen zaterdag, "
                                  "zondag, Nieuwjaarsdag, tweede Paas- of Pinksterdag, Koningsdag, 5 mei, "
                                  "Hemelvaartsdag of Kerstdag. Dag 1 is de eerste werkdag na datum.",
                  (Argument("datum", "De datum waarna u telt: een datumcel, of tekst als dd-mm-jjjj.", "required",
                            field="date"),
                   Argument("n", "Aantal werkdagen: een geheel getal, 0 of meer.", "required", field="n")),
                  lambda datum, n: add_working_days(datum, n)),
)

__all__ = ["FUNCTIONS"]
