"""The rules as Excel functions, for classic xlwings (Windows) and xlwings Lite (Excel on the web, Mac).

Classic: `UDF Modules = toolkit.udfs` in the workbook's xlwings.conf sheet, then "Import Functions".
Lite: `workbooks/lite/main.py` imports this module. Each function only converts what Excel sends
(ranges as lists, empty cells as None, every number as a float) and calls a rule in `toolkit.rules`.

Why the shape is unusual:
- No type annotations on the functions themselves: xlwings reads them as converters.
- Positional arguments with Python defaults, which both runtimes turn into optional Excel arguments.
- Errors never escape as a traceback: a `ToolkitError` becomes a short Dutch text in the cell that
  starts with the Dutch Excel error name (`#WAARDE! …`), the same on both runtimes (classic xlwings
  turns a returned NaN into an empty cell, so a real error value cannot be relied on there).
- `err_to_str=True` on every argument (`_args`): otherwise classic xlwings hands an error cell (#N/B) over as
  None, and it would be skipped like an empty cell instead of being reported.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any, TypeVar

import numpy as np
from xlwings import arg, func

from . import rules
from .choices import yes_no
from .errors import InputError, ToolkitError, relabel, show_value
from .money import parse_number, whole_count
from .postcode import to_pc4
from .rules.ratio import client_area_ratio

VALUE_ERROR = "#WAARDE!"
NUMBER_ERROR = "#GETAL!"
DIV0_ERROR = "#DEEL/0!"

# Excel error values as xlwings hands them over with err_to_str (English) or as typed by a Dutch user.
_EXCEL_ERRORS = frozenset({
    "#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA", "#SPILL!",
    "#CALC!", "#LEEG!", "#DEEL/0!", "#WAARDE!", "#VERW!", "#NAAM?", "#GETAL!", "#N/B",
})
_F = TypeVar("_F", bound=Callable[..., Any])

# The rules name their fields in English; the cell message uses the Excel argument's Dutch name.
_DUTCH_FIELDS = {
    "granted_budget": "budget", "score_2026": "score_2026", "score_2027": "score_2027",
    "cost_points": "kostenpunten", "ceiling_free": "plafondvrij", "clients": "clienten",
    "level6_fte": "fte", "hourly_tariff": "uurtarief", "night": "nacht", "member_hours": "uren",
    "personnel": "personeel", "material": "materieel", "prelim_t": "voorlopig_t",
    "prelim_prev": "voorlopig_t1", "final_prev": "definitief_t1",
    "zvw_share": "zvw_aandeel", "method": "methode", "provider": "soort", "areas": "postcodes",
}


# --- conversion helpers (typed; the public functions below stay unannotated for xlwings) -------------

def _cell_message(err: ToolkitError, fields: Mapping[str, str]) -> str:
    field = getattr(err, "field", None)
    message = relabel(err, fields[field]) if isinstance(field, str) and field in fields else str(err)
    return f"{VALUE_ERROR} {message}"


def _in_cell(compute: Callable[[], Any], fields: Mapping[str, str] = _DUTCH_FIELDS) -> Any:
    """Run one Excel function: a ToolkitError becomes its Dutch message, never a traceback."""
    try:
        return compute()
    except ToolkitError as err:
        return _cell_message(err, fields)
    except Exception as err:  # a bug in the toolkit: still no traceback in the spreadsheet
        return f"{VALUE_ERROR} interne fout in de toolkit ({type(err).__name__}: {err})"


def _is_empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def _check_not_error(value: object, name: str, row: int | None = None) -> None:
    if isinstance(value, str) and value.strip().upper() in _EXCEL_ERRORS:
        where = f" in rij {row}" if row is not None else ""
        raise InputError(f"{name}{where} bevat de Excel-fout {value.strip()}", field=name, value=value, row=row)


def _cells(value: object, name: str) -> list[Any]:
    """A range as one flat list, row by row: a cell, a row, a column or a 2-D block all work."""
    if isinstance(value, list | tuple):
        if value and isinstance(value[0], list | tuple):
            return [cell for line in value for cell in line]
        return list(value)
    if isinstance(value, np.ndarray):
        return list(value.ravel())
    return [value]


def _number(value: object, name: str, *, default: Decimal | None = None) -> Decimal:
    """A number from a cell: floats as Excel shows them, text such as '3,1' or '85%' accepted."""
    if _is_empty(value):
        if default is not None:
            return default
        raise InputError(f"{name}: waarde ontbreekt", field=name, value=value)
    _check_not_error(value, name)
    return parse_number(value, name)


def _whole(value: object, name: str) -> int:
    if _is_empty(value):
        raise InputError(f"{name}: waarde ontbreekt", field=name, value=value)
    _check_not_error(value, name)
    return whole_count(_number(value, name) if isinstance(value, str) else value, name)


def _flag(value: object, name: str) -> bool:
    """ja/nee, WAAR/ONWAAR, TRUE/FALSE, 1/0; an empty cell is nee."""
    if _is_empty(value):
        return False
    _check_not_error(value, name)
    flag = yes_no(value)
    if flag is None:
        raise InputError(f"{name}: {show_value(value)} is geen ja/nee", field=name, value=value)
    return flag


def _text(value: object, name: str, default: str | None) -> str | None:
    if _is_empty(value):
        return default
    _check_not_error(value, name)
    if not isinstance(value, str):
        raise InputError(f"{name}: {show_value(value)} is geen tekst", field=name, value=value)
    return value


def _score(value: object, name: str) -> str | None:
    _check_not_error(value, name)
    if value is None or isinstance(value, str):
        return value
    raise InputError(f"{name}: score {show_value(value)} is onbekend (verwacht A, B, C of leeg)",
                     field=name, value=value)


def _excel_number(value: Decimal | float | int) -> float | str:
    """A result as an Excel number; a non-finite one (an overflowing amount) as #GETAL!."""
    number = float(value)
    if not math.isfinite(number):
        return f"{NUMBER_ERROR} uitkomst is geen eindig getal"
    return number


def _object_array(cells: list[Any]) -> np.ndarray:
    array = np.empty(len(cells), dtype=object)
    array[:] = cells
    return array


def _empty_mask(cells: np.ndarray) -> np.ndarray:
    # Elementwise comparisons on an object array run in C; whitespace-only text is caught later.
    return np.asarray((cells == None) | (cells == ""), dtype=bool)  # noqa: E711


def _numbers(cells: list[Any], name: str) -> tuple[np.ndarray, np.ndarray]:
    """Vectorised: the cells as float64 plus a mask of the empty ones; text numbers accepted.

    A 100,000-row range of numbers is converted in one numpy call; only a range with text in it
    (such as '12,5' or an error cell) takes a per-cell pass, which also finds the row to name.
    """
    empty = _empty_mask(_object_array(cells))
    if set(map(type, cells)) <= {float, int, type(None)}:
        values = np.array(cells, dtype=np.float64)  # None becomes NaN; those rows are in `empty`
    else:
        values = _cell_by_cell(cells, empty, name)
    bad = ~empty & ~np.isfinite(values)
    if bad.any():
        i = _first_row(bad)
        raise InputError(f"{name}: {show_value(cells[i])} in rij {i + 1} is geen eindig getal", field=name,
                         value=cells[i], row=i + 1)
    return values, empty


def _cell_by_cell(cells: list[Any], empty: np.ndarray, name: str) -> np.ndarray:
    values = np.full(len(cells), np.nan)
    for i, cell in enumerate(cells):
        if empty[i] or _is_empty(cell):
            empty[i] = True
            continue
        _check_not_error(cell, name, i + 1)
        try:
            if isinstance(cell, bool):
                raise InputError(name)  # TRUE is not a count, though Python would call it 1
            values[i] = float(_number(cell, name))
        except InputError:
            raise InputError(f"{name}: {show_value(cell)} in rij {i + 1} is geen getal", field=name,
                             value=cell, row=i + 1) from None
    return values


def _first_row(mask: np.ndarray) -> int:
    return int(np.argmax(mask))


def _areas(codes: list[Any]) -> tuple[np.ndarray, np.ndarray]:
    """The PC4 of every row as an integer (0 where empty), and the empty mask.

    Each distinct value is validated once (pandas.factorize): a 100,000-row range holds at most a
    few thousand distinct postcodes. An invalid one is reported at the first row it appears in.
    """
    import pandas as pd  # only the ratio functions need it; keeps `import toolkit.udfs` light

    array = _object_array(codes)
    empty = _empty_mask(array)
    index, distinct = pd.factorize(array, use_na_sentinel=True)
    pc4 = np.zeros(len(distinct) + 1, dtype=np.int64)  # the extra last slot serves index -1 (None)
    for k, code in enumerate(distinct):
        if _is_empty(code):
            continue  # whitespace-only text is an empty cell: its PC4 stays 0, which marks it empty
        try:
            _check_not_error(code, "postcode")
            pc4[k] = int(to_pc4(code))
        except InputError:
            row = _first_row(index == k) + 1
            _check_not_error(code, "postcode", row)
            to_pc4(code, field="postcode", row=row)  # raises again, now naming the row
            raise
    area = pc4[index]
    return area, empty | (area == 0)


def _clients_by_area(postcodes: object, clienten: object) -> dict[str, int]:
    """Pair two ranges row by row into clients per PC4; rows empty in both are skipped."""
    codes, counts = _cells(postcodes, "postcodes"), _cells(clienten, "clienten")
    # Ranges of unequal length are fine as long as the extra rows are empty (A2:A500 next to B2:B499).
    size = max(len(codes), len(counts))
    codes += [None] * (size - len(codes))
    counts += [None] * (size - len(counts))
    values, no_count = _numbers(counts, "clienten")
    area, no_code = _areas(codes)

    orphan = no_code & ~no_count & (values != 0)
    if orphan.any():
        i = _first_row(orphan)
        raise InputError(f"clienten: {show_value(counts[i])} in rij {i + 1} heeft geen postcode",
                         field="clienten", value=counts[i], row=i + 1)
    missing = ~no_code & no_count
    if missing.any():
        i = _first_row(missing)
        raise InputError(f"clienten: rij {i + 1} (postcode {show_value(codes[i])}) heeft geen aantal cliënten",
                         field="clienten", value=None, row=i + 1)
    negative = values < 0
    fractional = ~no_count & (values != np.floor(values))
    for mask, problem in ((negative, "mag niet negatief zijn"), (fractional, "is geen geheel getal")):
        if mask.any():
            i = _first_row(mask)
            raise InputError(f"clienten: {show_value(counts[i])} in rij {i + 1} {problem}", field="clienten",
                             value=counts[i], row=i + 1)
    used = ~no_code
    totals = np.bincount(area[used], weights=values[used], minlength=10_000)
    return {str(pc4): int(totals[pc4]) for pc4 in np.flatnonzero(totals)}


def _assess(postcodes: object, clienten: object, jaar: object, soort: object) -> rules.RatioAssessment:
    return rules.assess_client_area_ratio(
        _clients_by_area(postcodes, clienten),
        year=_whole(jaar, "jaar"),
        provider=_text(soort, "soort", "bestaand") or "bestaand",
    )


def _staffel(budget: object, score_2026: object, score_2027: object, kostenpunten: object,
             plafondvrij: object) -> rules.StaffelOutcome:
    points = None if _is_empty(kostenpunten) else _number(kostenpunten, "kostenpunten")
    return rules.staffel_reimbursement(
        _number(budget, "budget", default=Decimal(0)),
        _score(score_2026, "score_2026"),
        _score(score_2027, "score_2027"),
        cost_points=points,
        ceiling_free=_flag(plafondvrij, "plafondvrij"),
    )


def _member_hours(uren: object) -> Iterable[float]:
    values, empty = _numbers(_cells(uren, "uren"), "uren")
    negative = ~empty & (values < 0)
    if negative.any():
        i = _first_row(negative)
        raise InputError(f"uren: {values[i]:g} in rij {i + 1} mag niet negatief zijn", field="uren",
                         value=float(values[i]), row=i + 1)
    # The checks above ran vectorised; the rule still gets every member, as it is the one place that
    # knows the cap. Plain floats: the rule reads them as Excel shows them (15 significant digits).
    hours: list[float] = values[~empty].tolist()
    return hours


def _method(methode: object) -> str:
    return _text(methode, "methode", "multiplicatief") or "multiplicatief"


def _indices(**named: object) -> Mapping[str, Decimal]:
    return {name: _number(value, name) for name, value in named.items()}


def _args(**docs: str) -> Callable[[_F], _F]:
    """xlwings' @arg for each argument: its Dutch help text, and error cells as text (`err_to_str`).

    The help texts are also kept on the function (`__arg_docs__`) for docs/functies.md, because on
    Linux xlwings' decorators are no-ops and keep nothing.
    """
    def decorate(function: _F) -> _F:
        for name, doc in docs.items():
            function = arg(name, doc=doc, err_to_str=True)(function)
        function.__arg_docs__ = docs  # type: ignore[attr-defined]
        return function
    return decorate


# --- the Excel functions -------------------------------------------------------------------------

_ARG_POSTCODES = "Bereik met postcodes (PC4 zoals 5611 of volledig zoals 5611 AB); lege cellen tellen niet mee."
_ARG_CLIENTEN = "Bereik met het aantal CZ-cliënten per postcode, rij voor rij naast de postcodes."
_ARG_JAAR = "Beleidsjaar (2025-2027); de declaraties van jaar T-2 tellen."
_ARG_SOORT = "bestaand (standaard) of nieuw."
_RATIO_ARGS = {"postcodes": _ARG_POSTCODES, "clienten": _ARG_CLIENTEN, "jaar": _ARG_JAAR, "soort": _ARG_SOORT}
_ARG_SCORE_2026 = "Waardemodelscore 2026: A, B, C of leeg (geen score)."
_ARG_SCORE_2027 = "Waardemodelscore 2027: A, B, C of leeg."
_ARG_KOSTENPUNTEN = "Punten op het kostenonderdeel (nodig bij score B; 5 of meer geeft 85%)."
_ARG_PLAFONDVRIJ = "ja/nee: plafondvrije afspraak (geeft 100%)."


@func
@_args(
    postcodes=_ARG_POSTCODES,
    clienten=_ARG_CLIENTEN,
)
def CZ_RATIO(postcodes, clienten):
    """CZ klant-werkgebiedratio: cliënten gedeeld door het aantal postcodegebieden (PC4) met cliënten."""
    def compute() -> float | str:
        counts = _clients_by_area(postcodes, clienten)
        ratio = client_area_ratio(sum(counts.values()), len(counts))
        return f"{DIV0_ERROR} geen postcodegebieden met cliënten" if ratio is None else _excel_number(ratio)
    return _in_cell(compute)


@func
@_args(
    jaar=_ARG_JAAR,
    soort=_ARG_SOORT,
)
def CZ_RATIO_DREMPEL(jaar, soort="bestaand"):
    """Minimaal gemiddeld aantal cliënten per postcodegebied dat CZ eist in het beleidsjaar (n.v.t.: geen eis)."""
    def compute() -> float | str:
        year = _whole(jaar, "jaar")
        threshold = rules.ratio_threshold(year, _text(soort, "soort", "bestaand") or "bestaand")
        return f"n.v.t.: geen eis in {year}" if threshold is None else _excel_number(threshold)
    return _in_cell(compute)


@func
@_args(**_RATIO_ARGS)
def CZ_RATIO_VOLDOET(postcodes, clienten, jaar, soort="bestaand"):
    """WAAR als de klant-werkgebiedratio de CZ-drempel haalt (ook WAAR als er dat jaar geen eis geldt)."""
    return _in_cell(lambda: _assess(postcodes, clienten, jaar, soort).meets)


@func
@_args(**_RATIO_ARGS)
def CZ_EXTRA_CLIENTEN(postcodes, clienten, jaar, soort="bestaand"):
    """Aantal cliënten dat er in dezelfde postcodegebieden bij moet om de CZ-drempel te halen (0: gehaald)."""
    return _in_cell(lambda: _assess(postcodes, clienten, jaar, soort).clients_needed)


@func
@_args(
    score_2026=_ARG_SCORE_2026,
    score_2027=_ARG_SCORE_2027,
    kostenpunten=_ARG_KOSTENPUNTEN,
    plafondvrij=_ARG_PLAFONDVRIJ,
)
def CZ_STAFFEL_PCT(score_2026, score_2027=None, kostenpunten=None, plafondvrij=False):
    """Deel van het toegekende aanvullende budget dat CZ vergoedt (staffel 3.2.4), als fractie; anders de reden."""
    def compute() -> float | str:
        outcome = _staffel(0, score_2026, score_2027, kostenpunten, plafondvrij)
        return outcome.reason if outcome.percentage is None else _excel_number(outcome.percentage)
    return _in_cell(compute)


@func
@_args(
    budget="Toegekend aanvullend budget in euro.",
    score_2026=_ARG_SCORE_2026,
    score_2027=_ARG_SCORE_2027,
    kostenpunten=_ARG_KOSTENPUNTEN,
    plafondvrij=_ARG_PLAFONDVRIJ,
)
def CZ_STAFFEL_VERGOEDING(budget, score_2026, score_2027=None, kostenpunten=None, plafondvrij=False):
    """Vergoeding op het toegekende aanvullende budget volgens de staffel, afgerond op centen; anders de reden."""
    def compute() -> float | str:
        outcome = _staffel(budget, score_2026, score_2027, kostenpunten, plafondvrij)
        return outcome.reason if outcome.amount is None else _excel_number(outcome.amount)
    return _in_cell(compute)


@func
@_args(
    clienten="Aantal cliënten van de zorgcoöperatie.",
)
def COOP_FTE_NODIG(clienten):
    """FTE hbo-verpleegkundige (niveau 6) die nodig is: 1 FTE per 55 cliënten."""
    return _in_cell(lambda: _excel_number(rules.assess_cooperative(_whole(clienten, "clienten"), 0).required_fte))


@func
@_args(
    fte="FTE hbo-verpleegkundige (niveau 6) in dienst.",
)
def COOP_MAX_CLIENTEN(fte):
    """Maximaal aantal cliënten bij deze FTE niveau 6: afgerond naar beneden van FTE x 55."""
    return _in_cell(lambda: rules.assess_cooperative(0, _number(fte, "fte")).max_clients)


@func
@_args(
    uren="Bereik met de uren per jaar per lid; lege cellen tellen niet mee.",
    uurtarief="Geschat uurtarief in euro (eigen schatting).",
    nacht="ja/nee: nachtdienst (maximaal 40 in plaats van 48 uur per week).",
)
def COOP_MAX_OMZET(uren, uurtarief, nacht=False):
    """Maximale omzet: uren per lid afgetopt op de Arbeidstijdenwet (2.496 uur, nacht 2.080) maal het uurtarief."""
    return _in_cell(lambda: _excel_number(rules.cooperative_max_turnover(
        _member_hours(uren), _number(uurtarief, "uurtarief"), night=_flag(nacht, "nacht")).max_turnover))


@func
@_args(
    personeel="NZa-personeelsindex (OVA) als fractie: 3,1% = 0,031.",
    materieel="Materiële index (CPB, particuliere consumptie) als fractie.",
)
def NZ_GEWOGEN_INDEX(personeel, materieel):
    """Gewogen index nachtzorg: 90% personeelsindex + 10% materiële index."""
    def compute() -> float | str:
        w = _indices(personeel=personeel, materieel=materieel)
        return _excel_number(rules.weighted_index(w["personeel"], w["materieel"]))
    return _in_cell(compute)


_ARG_VOORLOPIG_T = "Voorlopige gewogen index voor jaar T, als fractie."
_ARG_VOORLOPIG_T1 = "Voorlopige gewogen index voor jaar T-1, als fractie."
_ARG_DEFINITIEF_T1 = "Definitieve gewogen index voor jaar T-1, als fractie."
_ARG_METHODE = "multiplicatief (standaard, zoals de NZa) of additief (de letterlijke tekst)."


@func
@_args(
    voorlopig_t=_ARG_VOORLOPIG_T,
    voorlopig_t1=_ARG_VOORLOPIG_T1,
    definitief_t1=_ARG_DEFINITIEF_T1,
    methode=_ARG_METHODE,
)
def NZ_INDEXFACTOR(voorlopig_t, voorlopig_t1, definitief_t1, methode="multiplicatief"):
    """Indexfactor op het nachtzorgbudget: voorlopige index T, gecorrigeerd met definitief min voorlopig T-1."""
    def compute() -> float | str:
        w = _indices(voorlopig_t=voorlopig_t, voorlopig_t1=voorlopig_t1, definitief_t1=definitief_t1)
        return _excel_number(rules.indexation_factor(w["voorlopig_t"], w["voorlopig_t1"], w["definitief_t1"],
                                                     _method(methode)))
    return _in_cell(compute)


@func
@_args(
    begroting="Goedgekeurd budget onplanbare nachtzorg in euro.",
    voorlopig_t=_ARG_VOORLOPIG_T,
    voorlopig_t1=_ARG_VOORLOPIG_T1,
    definitief_t1=_ARG_DEFINITIEF_T1,
    zvw_aandeel="Deel van het budget voor Zvw-cliënten, als fractie (85% = 0,85); leeg = 100%.",
    methode=_ARG_METHODE,
)
def NZ_BUDGET(begroting, voorlopig_t, voorlopig_t1, definitief_t1, zvw_aandeel=1, methode="multiplicatief"):
    """Vergoed nachtzorgbudget: begroting x indexfactor x Zvw-aandeel, afgerond op centen."""
    def compute() -> float | str:
        w = _indices(voorlopig_t=voorlopig_t, voorlopig_t1=voorlopig_t1, definitief_t1=definitief_t1)
        result = rules.index_nachtzorg_budget(
            _number(begroting, "begroting"), prelim_t=w["voorlopig_t"], prelim_prev=w["voorlopig_t1"],
            final_prev=w["definitief_t1"], zvw_share=_number(zvw_aandeel, "zvw_aandeel", default=Decimal(1)),
            method=_method(methode))
        return _excel_number(result.reimbursed)
    # Here the rule's `budget` is the Excel argument `begroting` (in the staffel it is `budget`).
    return _in_cell(compute, {**_DUTCH_FIELDS, "budget": "begroting"})


FUNCTIONS = (
    CZ_RATIO, CZ_RATIO_DREMPEL, CZ_RATIO_VOLDOET, CZ_EXTRA_CLIENTEN, CZ_STAFFEL_PCT, CZ_STAFFEL_VERGOEDING,
    COOP_FTE_NODIG, COOP_MAX_CLIENTEN, COOP_MAX_OMZET, NZ_GEWOGEN_INDEX, NZ_INDEXFACTOR, NZ_BUDGET,
)

__all__ = [f.__name__ for f in FUNCTIONS]
