"""The rules as Excel functions, for classic xlwings (Windows) and xlwings Lite (Excel on the web, Mac).

Classic: `UDF Modules = toolkit.udfs` in the workbook's xlwings.conf sheet, then "Import Functions".
Lite: `workbooks/lite/main.py` carries this module and the rules in one generated file. Each function
only converts what Excel sends (ranges as lists, empty cells as None, every number as a float, error
cells as text) and calls a rule in `toolkit.rules`; text numbers ('450.000', '12,5', '85%') are read by
the rules themselves through `toolkit.numbers`, so a cell gives the same value as the Python API.

Why the shape is unusual:
- No type annotations on the functions themselves: xlwings reads them as converters.
- Positional arguments with Python defaults, which both runtimes turn into optional Excel arguments.
- Every function whose answer depends on the policy year takes an optional last argument `jaar`
  (empty: the current policy year of the parameter data); a year the data does not cover gives the
  Dutch year error in the cell, never another year's answer.
- Help texts name policy numbers through placeholders filled from the parameter data when the module
  is imported (`toolkit.parameters.phrases`), never as typed literals.
- Errors never escape as a traceback: a `ToolkitError` becomes a short Dutch text in the cell that
  starts with the Dutch Excel error name (`#WAARDE! …`), the same on both runtimes (classic xlwings
  turns a returned NaN into an empty cell, so a real error value cannot be relied on there).
- `err_to_str=True` on every argument (`_args`): otherwise classic xlwings hands an error cell (#N/B) over as
  None, and it would be skipped like an empty cell instead of being reported.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any, TypeVar

from xlwings import arg, func

from . import rules
from .choices import yes_no
from .errors import InputError, ToolkitError, relabel, show_value
from .parameters import policy_year
from .parameters.phrases import render
from .rules.ceiling import project_production
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
    "prelim_prev": "voorlopig_t1", "final_prev": "definitief_t1", "postcodes": "postcode",
    "zvw_share": "zvw_aandeel", "method": "methode", "provider": "soort", "areas": "postcodes", "year": "jaar",
    "ceiling": "plafond", "monthly_production": "productie", "last_year_monthly": "vorig_jaar",
    "own": "eigen", "full_subsidiary": "volle_dochter", "self_employed": "zzp", "subcontractors": "onderaannemers",
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
        return f"{VALUE_ERROR} interne fout in de toolkit ({type(err).__name__}: {str(err)[:120]})"


def _is_empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def _check_not_error(value: object, name: str, row: int | None = None) -> None:
    if isinstance(value, str) and value.strip().upper() in _EXCEL_ERRORS:
        where = f" in rij {row}" if row is not None else ""
        raise InputError(f"{name}{where} bevat de Excel-fout {value.strip()}", field=name, value=value, row=row)


def _cells(value: object, name: str) -> list[Any]:
    """A range as one flat list, row by row: a cell, a row, a column or a 2-D block all work. Error
    cells are reported with their position; the rules see the rest, empty cells as None."""
    if isinstance(value, list | tuple):
        cells = [cell for line in value for cell in line] if value and isinstance(value[0], list | tuple) \
            else list(value)
    elif type(value).__module__ == "numpy" and hasattr(value, "ravel"):  # a NumPy array (xlwings' converter)
        cells = list(value.ravel())
    else:
        cells = [value]
    if str in set(map(type, cells)):
        for row, cell in enumerate(cells, start=1):
            _check_not_error(cell, name, row)
    return [None if _is_empty(cell) else cell for cell in cells]


def _value(value: object, name: str) -> Any:
    """One cell as the rule takes it: None when empty, an error cell reported, anything else as it is."""
    if _is_empty(value):
        return None
    _check_not_error(value, name)
    return value


def _required(value: object, name: str) -> Any:
    result = _value(value, name)
    if result is None:
        raise InputError(f"{name}: waarde ontbreekt", field=name, value=value)
    return result


def _flag(value: object, name: str) -> bool:
    """ja/nee, WAAR/ONWAAR, TRUE/FALSE, 1/0; an empty cell is nee."""
    if _is_empty(value):
        return False
    _check_not_error(value, name)
    flag = yes_no(value)
    if flag is None:
        raise InputError(f"{name}: {show_value(value)} is geen ja/nee", field=name, value=value)
    return flag


def _text(value: object, name: str, default: str) -> str:
    result = _value(value, name)
    if result is None:
        return default
    if not isinstance(result, str):
        raise InputError(f"{name}: {show_value(value)} is geen tekst", field=name, value=value)
    return result


def _score(value: object, name: str) -> Any:
    result = _value(value, name)
    if result is None or isinstance(result, str):
        return result
    raise InputError(f"{name}: score {show_value(value)} is onbekend (verwacht A, B, C of leeg)",
                     field=name, value=value)


def _months(value: object, name: str) -> list[Any] | None:
    """A range of monthly amounts; None when every cell is empty (an optional range left out)."""
    cells = _cells(value, name)
    return None if all(cell is None for cell in cells) else cells


def _period(value: object, name: str) -> Any:
    """One cell (the year) or a range of up to four quarters."""
    cells = _cells(value, name)
    return cells[0] if len(cells) == 1 else cells


def _excel_number(value: Decimal | float | int) -> float | str:
    """A result as an Excel number; a non-finite one (an overflowing amount) as #GETAL!."""
    number = float(value)
    if not math.isfinite(number):
        return f"{NUMBER_ERROR} uitkomst is geen eindig getal"
    return number


def _args(**docs: str) -> Callable[[_F], _F]:
    """xlwings' @arg for each argument: its Dutch help text, and error cells as text (`err_to_str`).

    Docstring and help texts are rendered with the parameter data's values for the current policy year
    (`{clienten_per_fte}` and the like). The texts are also kept on the function (`__arg_docs__`) for
    docs/functies.md, because on Linux xlwings' decorators are no-ops and keep nothing.
    """
    def decorate(function: _F) -> _F:
        rendered = {name: render(doc) for name, doc in docs.items()}
        function.__doc__ = render(function.__doc__ or "")
        for name, doc in rendered.items():
            function = arg(name, doc=doc, err_to_str=True)(function)
        function.__arg_docs__ = rendered  # type: ignore[attr-defined]
        return function
    return decorate


# --- the Excel functions -------------------------------------------------------------------------

_ARG_POSTCODES = "Bereik met postcodes (PC4 zoals 5611 of volledig zoals 5611 AB); lege cellen tellen niet mee."
_ARG_CLIENTEN = "Bereik met het aantal CZ-cliënten per postcode, rij voor rij naast de postcodes."
_ARG_JAAR = "Beleidsjaar; leeg = {jaar} (gedekt: {jaren_gedekt})."
_ARG_RATIO_JAAR = "Beleidsjaar ({ratio_jaren}); leeg = {jaar}. De declaraties van {declaratiejaar} tellen."
_ARG_SOORT = "bestaand (standaard) of nieuw."
_RATIO_ARGS = {"postcodes": _ARG_POSTCODES, "clienten": _ARG_CLIENTEN, "jaar": _ARG_RATIO_JAAR, "soort": _ARG_SOORT}
_ARG_SCORE_2026 = "Waardemodelscore van het jaar vóór het beleidsjaar ({jaar_vorig} bij {jaar}): A, B, C of leeg."
_ARG_SCORE_2027 = "Waardemodelscore van het beleidsjaar ({jaar}): A, B, C of leeg."
_ARG_KOSTENPUNTEN = ("Punten op het kostenonderdeel (nodig bij score B; {min_punten} of meer geeft {pct_b} in "
                     "{jaar}).")
_ARG_PLAFONDVRIJ = "ja/nee: plafondvrije afspraak (geeft {pct_plafondvrij} in {jaar})."
_ARG_PRODUCTIE = "Bereik met de productie per maand in euro, januari eerst; leeg na de laatst bekende maand."
_ARG_VORIG_JAAR = "Optioneel bereik met de twaalf maanden van vorig jaar (voor de seizoensmethode)."
_ARG_PLAF_METHODE = "lineair (standaard) of seizoen (volgens het profiel van vorig jaar)."
_ARG_PLAFOND = "Omzetplafond voor het beleidsjaar in euro."


def _assess_ratio(postcodes: object, clienten: object, jaar: object, soort: object) -> rules.RatioAssessment:
    counts = rules.clients_by_area(_cells(postcodes, "postcodes"), _cells(clienten, "clienten"))
    return rules.assess_client_area_ratio(counts, year=_value(jaar, "jaar"),
                                          provider=_text(soort, "soort", "bestaand"))


@func
@_args(
    postcodes=_ARG_POSTCODES,
    clienten=_ARG_CLIENTEN,
)
def CZ_RATIO(postcodes, clienten):
    """CZ klant-werkgebiedratio: cliënten gedeeld door het aantal postcodegebieden (PC4) met cliënten."""
    def compute() -> float | str:
        counts = rules.clients_by_area(_cells(postcodes, "postcodes"), _cells(clienten, "clienten"))
        ratio = client_area_ratio(sum(counts.values()), len(counts))
        return f"{DIV0_ERROR} geen postcodegebieden met cliënten" if ratio is None else _excel_number(ratio)
    return _in_cell(compute)


@func
@_args(
    jaar=_ARG_RATIO_JAAR,
    soort=_ARG_SOORT,
)
def CZ_RATIO_DREMPEL(jaar=None, soort="bestaand"):
    """Minimaal gemiddeld aantal cliënten per postcodegebied dat CZ eist in het beleidsjaar (n.v.t.: geen eis)."""
    def compute() -> float | str:
        chosen = policy_year(_value(jaar, "jaar"))  # read here too: the n.v.t. text names it
        threshold = rules.ratio_threshold(chosen, _text(soort, "soort", "bestaand"))
        return f"n.v.t.: geen eis in {chosen}" if threshold is None else _excel_number(threshold)
    return _in_cell(compute)


@func
@_args(**_RATIO_ARGS)
def CZ_RATIO_VOLDOET(postcodes, clienten, jaar=None, soort="bestaand"):
    """WAAR als de klant-werkgebiedratio de CZ-drempel haalt (ook WAAR als er dat jaar geen eis geldt)."""
    return _in_cell(lambda: _assess_ratio(postcodes, clienten, jaar, soort).meets)


@func
@_args(**_RATIO_ARGS)
def CZ_EXTRA_CLIENTEN(postcodes, clienten, jaar=None, soort="bestaand"):
    """Aantal cliënten dat er in dezelfde postcodegebieden bij moet om de CZ-drempel te halen (0: gehaald)."""
    return _in_cell(lambda: _assess_ratio(postcodes, clienten, jaar, soort).clients_needed)


def _staffel(budget: object, score_2026: object, score_2027: object, kostenpunten: object,
             plafondvrij: object, jaar: object) -> rules.StaffelOutcome:
    return rules.staffel_reimbursement(
        _required(budget, "budget"), _score(score_2026, "score_2026"), _score(score_2027, "score_2027"),
        cost_points=_value(kostenpunten, "kostenpunten"), ceiling_free=_flag(plafondvrij, "plafondvrij"),
        year=_value(jaar, "jaar"),
    )


@func
@_args(
    score_2026=_ARG_SCORE_2026,
    score_2027=_ARG_SCORE_2027,
    kostenpunten=_ARG_KOSTENPUNTEN,
    plafondvrij=_ARG_PLAFONDVRIJ,
    jaar=_ARG_JAAR,
)
def CZ_STAFFEL_PCT(score_2026, score_2027=None, kostenpunten=None, plafondvrij=False, jaar=None):
    """Deel van het toegekende aanvullende budget dat CZ vergoedt (staffel § 3.2.4), als fractie; anders de reden."""
    def compute() -> float | str:
        outcome = _staffel(0, score_2026, score_2027, kostenpunten, plafondvrij, jaar)
        return outcome.reason if outcome.percentage is None else _excel_number(outcome.percentage)
    return _in_cell(compute)


@func
@_args(
    budget="Toegekend aanvullend budget in euro.",
    score_2026=_ARG_SCORE_2026,
    score_2027=_ARG_SCORE_2027,
    kostenpunten=_ARG_KOSTENPUNTEN,
    plafondvrij=_ARG_PLAFONDVRIJ,
    jaar=_ARG_JAAR,
)
def CZ_STAFFEL_VERGOEDING(budget, score_2026, score_2027=None, kostenpunten=None, plafondvrij=False, jaar=None):
    """Vergoeding op het toegekende aanvullende budget volgens de staffel, afgerond op centen; anders de reden."""
    def compute() -> float | str:
        outcome = _staffel(budget, score_2026, score_2027, kostenpunten, plafondvrij, jaar)
        return outcome.reason if outcome.amount is None else _excel_number(outcome.amount)
    return _in_cell(compute)


@func
@_args(
    clienten="Aantal cliënten van de zorgcoöperatie.",
    jaar=_ARG_JAAR,
)
def COOP_FTE_NODIG(clienten, jaar=None):
    """FTE hbo-verpleegkundige (niveau 6) die nodig is: 1 FTE per {clienten_per_fte} cliënten (in {jaar})."""
    return _in_cell(lambda: _excel_number(rules.assess_cooperative(
        _required(clienten, "clienten"), 0, year=_value(jaar, "jaar")).required_fte))


@func
@_args(
    fte="FTE hbo-verpleegkundige (niveau 6) in dienst.",
    jaar=_ARG_JAAR,
)
def COOP_MAX_CLIENTEN(fte, jaar=None):
    """Maximaal aantal cliënten bij deze FTE niveau 6: FTE maal {clienten_per_fte}, naar beneden afgerond."""
    return _in_cell(lambda: rules.assess_cooperative(0, _required(fte, "fte"), year=_value(jaar, "jaar")).max_clients)


@func
@_args(
    uren="Bereik met de uren per jaar per lid; lege cellen tellen niet mee.",
    uurtarief="Geschat uurtarief in euro (eigen schatting).",
    nacht="ja/nee: nachtdienst (gemiddeld {uren_week_nacht} in plaats van {uren_week} uur per week).",
    jaar=_ARG_JAAR,
)
def COOP_MAX_OMZET(uren, uurtarief, nacht=False, jaar=None):
    """Maximale omzet: uren per lid afgetopt ({uren_jaar} uur, nacht {uren_jaar_nacht} in {jaar}) maal het uurtarief."""
    return _in_cell(lambda: _excel_number(rules.cooperative_max_turnover(
        _cells(uren, "uren"), _required(uurtarief, "uurtarief"), night=_flag(nacht, "nacht"),
        year=_value(jaar, "jaar")).max_turnover))


@func
@_args(
    personeel="NZa-personeelsindex (OVA) als fractie: 3,1% = 0,031.",
    materieel="Materiële index (CPB, particuliere consumptie) als fractie.",
    jaar=_ARG_JAAR,
)
def NZ_GEWOGEN_INDEX(personeel, materieel, jaar=None):
    """Gewogen index nachtzorg: {gewicht_pers} personeelsindex + {gewicht_mat} materiële index (in {jaar})."""
    return _in_cell(lambda: _excel_number(rules.weighted_index(
        _required(personeel, "personeel"), _required(materieel, "materieel"), year=_value(jaar, "jaar"))))


_ARG_VOORLOPIG_T = "Voorlopige gewogen index voor jaar T, als fractie."
_ARG_VOORLOPIG_T1 = "Voorlopige gewogen index voor jaar T-1, als fractie."
_ARG_DEFINITIEF_T1 = "Definitieve gewogen index voor jaar T-1, als fractie."
_ARG_METHODE = "multiplicatief (standaard, zoals de NZa) of additief (de letterlijke tekst)."


def _method(methode: object) -> str:
    return _text(methode, "methode", "multiplicatief")


@func
@_args(
    voorlopig_t=_ARG_VOORLOPIG_T,
    voorlopig_t1=_ARG_VOORLOPIG_T1,
    definitief_t1=_ARG_DEFINITIEF_T1,
    methode=_ARG_METHODE,
    jaar=_ARG_JAAR,
)
def NZ_INDEXFACTOR(voorlopig_t, voorlopig_t1, definitief_t1, methode="multiplicatief", jaar=None):
    """Indexfactor op het nachtzorgbudget: voorlopige index T, gecorrigeerd met definitief min voorlopig T-1."""
    return _in_cell(lambda: _excel_number(rules.indexation_factor(
        _required(voorlopig_t, "voorlopig_t"), _required(voorlopig_t1, "voorlopig_t1"),
        _required(definitief_t1, "definitief_t1"), _method(methode), year=_value(jaar, "jaar"))))


@func
@_args(
    begroting="Goedgekeurd budget onplanbare nachtzorg in euro.",
    voorlopig_t=_ARG_VOORLOPIG_T,
    voorlopig_t1=_ARG_VOORLOPIG_T1,
    definitief_t1=_ARG_DEFINITIEF_T1,
    zvw_aandeel="Deel van het budget voor Zvw-cliënten, als fractie (75% = 0,75); leeg = 100%.",
    methode=_ARG_METHODE,
    jaar=_ARG_JAAR,
)
def NZ_BUDGET(begroting, voorlopig_t, voorlopig_t1, definitief_t1, zvw_aandeel=1, methode="multiplicatief",
              jaar=None):
    """Vergoed nachtzorgbudget: begroting x indexfactor x Zvw-aandeel, afgerond op centen."""
    def compute() -> float | str:
        share = _value(zvw_aandeel, "zvw_aandeel")
        result = rules.index_nachtzorg_budget(
            _required(begroting, "begroting"), prelim_t=_required(voorlopig_t, "voorlopig_t"),
            prelim_prev=_required(voorlopig_t1, "voorlopig_t1"), final_prev=_required(definitief_t1, "definitief_t1"),
            zvw_share=1 if share is None else share, method=_method(methode), year=_value(jaar, "jaar"))
        return _excel_number(result.reimbursed)
    # Here the rule's `budget` is the Excel argument `begroting` (in the staffel it is `budget`).
    return _in_cell(compute, {**_DUTCH_FIELDS, "budget": "begroting"})


def _plafond_method(methode: object) -> str:
    return _text(methode, "methode", "lineair")


@func
@_args(
    productie=_ARG_PRODUCTIE,
    vorig_jaar=_ARG_VORIG_JAAR,
    methode=_ARG_PLAF_METHODE,
    jaar=_ARG_JAAR,
)
def CZ_PLAFOND_PROGNOSE(productie, vorig_jaar=None, methode="lineair", jaar=None):
    """Verwachte productie over het hele jaar: de bekende maanden doorgetrokken (lineair of naar seizoen)."""
    return _in_cell(lambda: _excel_number(project_production(
        _cells(productie, "productie"), last_year_monthly=_months(vorig_jaar, "vorig_jaar"),
        method=_plafond_method(methode), year=_value(jaar, "jaar")).projected_year))


@func
@_args(
    plafond=_ARG_PLAFOND,
    productie=_ARG_PRODUCTIE,
    vorig_jaar=_ARG_VORIG_JAAR,
    methode=_ARG_PLAF_METHODE,
    jaar=_ARG_JAAR,
)
def CZ_PLAFOND_TEKORT(plafond, productie, vorig_jaar=None, methode="lineair", jaar=None):
    """Verwacht tekort op het omzetplafond: prognose min plafond, afgerond op centen (0 als het plafond volstaat)."""
    return _in_cell(lambda: _excel_number(rules.forecast_ceiling(
        _required(plafond, "plafond"), _cells(productie, "productie"),
        last_year_monthly=_months(vorig_jaar, "vorig_jaar"), method=_plafond_method(methode),
        year=_value(jaar, "jaar")).shortfall))


@func
@_args(
    plafond=_ARG_PLAFOND,
    productie=_ARG_PRODUCTIE,
    score_2026=_ARG_SCORE_2026,
    score_2027=_ARG_SCORE_2027,
    kostenpunten=_ARG_KOSTENPUNTEN,
    plafondvrij=_ARG_PLAFONDVRIJ,
    vorig_jaar=_ARG_VORIG_JAAR,
    methode=_ARG_PLAF_METHODE,
    jaar=_ARG_JAAR,
)
def CZ_BIJCONTRACTERING(plafond, productie, score_2026=None, score_2027=None, kostenpunten=None, plafondvrij=False,
                        vorig_jaar=None, methode="lineair", jaar=None):
    """Verzoek om aanvullend budget mogelijk? "ja", of "nee:" en waarom ({min_plafond} vóór {peildatum})."""
    def compute() -> str:
        outcome = rules.assess_additional_purchase(
            _required(plafond, "plafond"), _cells(productie, "productie"),
            last_year_monthly=_months(vorig_jaar, "vorig_jaar"), method=_plafond_method(methode),
            score_2026=_score(score_2026, "score_2026"), score_2027=_score(score_2027, "score_2027"),
            cost_points=_value(kostenpunten, "kostenpunten"), ceiling_free=_flag(plafondvrij, "plafondvrij"),
            year=_value(jaar, "jaar"))
        return "ja" if outcome.may_request else "nee: " + "; ".join(outcome.reasons)
    return _in_cell(compute)


@func
@_args(
    eigen="Zorg door eigen personeel (uren of euro): één cel voor het jaar of een bereik van vier kwartalen.",
    volle_dochter="Zorg door volle dochters (telt als eigen levering), in dezelfde eenheid.",
    zzp="Zorg door ingehuurde zzp'ers (telt als onderaanneming), in dezelfde eenheid.",
    onderaannemers="Zorg door andere onderaannemers, in dezelfde eenheid.",
)
def CZ_EIGEN_LEVERING(eigen, volle_dochter, zzp, onderaannemers):
    """Deel van de zorg dat de zorgaanbieder zelf levert (met volle dochters), als fractie; minimaal {min_eigen}."""
    def compute() -> float | str:
        outcome = rules.assess_own_delivery(
            _period(eigen, "eigen"), _period(volle_dochter, "volle_dochter"), _period(zzp, "zzp"),
            _period(onderaannemers, "onderaannemers"))
        assert outcome.own_share is not None  # not exempt: the rule refuses a total of 0
        return _excel_number(outcome.own_share)
    return _in_cell(compute)


FUNCTIONS = (
    CZ_RATIO, CZ_RATIO_DREMPEL, CZ_RATIO_VOLDOET, CZ_EXTRA_CLIENTEN, CZ_STAFFEL_PCT, CZ_STAFFEL_VERGOEDING,
    COOP_FTE_NODIG, COOP_MAX_CLIENTEN, COOP_MAX_OMZET, NZ_GEWOGEN_INDEX, NZ_INDEXFACTOR, NZ_BUDGET,
    CZ_PLAFOND_PROGNOSE, CZ_PLAFOND_TEKORT, CZ_BIJCONTRACTERING, CZ_EIGEN_LEVERING,
)

__all__ = [f.__name__ for f in FUNCTIONS]
