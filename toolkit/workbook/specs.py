"""What each template workbook takes and gives: its `in_*` and `out_*` names, and the Python engine.

One spec per template. `build.py` lays the names out and writes the Excel formulas (the second,
independent implementation); `fill.py` converts rows of an INPUTS file with `convert()` and writes
them into the input cells; `compute()` gives the outputs the Python rules compute, for `summary`,
for `zorginkoop check` and for the LibreOffice recalculation tests.

Values that the rules give as None (no threshold, not eligible) have a fixed text in both engines.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .. import rules
from ..choices import yes_no
from ..errors import InputError, show_value
from ..money import parse_number, whole_count
from ..postcode import to_pc4
from ..rules.nachtzorg import METHODS as NACHTZORG_METHODS
from ..rules.ratio import PROVIDER_KINDS

NOT_APPLICABLE = "n.v.t."
NO_RATIO = "-"
# Characters XML 1.0 cannot hold: text with them cannot be written into a workbook at all.
XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class Input:
    name: str  # the defined name, in_*
    label: str  # Dutch, on the Invoer sheet
    kind: str  # see convert()
    help: str  # Dutch input message (data validation prompt), at most 255 characters
    choices: tuple[str, ...] = ()
    required: bool = True
    rows: int = 0  # > 0: a range input of that many rows

    @property
    def column(self) -> str:
        """The column name in an INPUTS file: the input name without `in_`."""
        return self.name.removeprefix("in_")


@dataclass(frozen=True)
class Output:
    name: str  # out_*
    label: str
    kind: str  # count, number, ratio, fraction, money, bool, text


@dataclass(frozen=True)
class TemplateSpec:
    name: str  # file stem in templates/
    title: str
    version: str
    inputs: tuple[Input, ...]
    outputs: tuple[Output, ...]
    compute: Callable[[Mapping[str, Any]], dict[str, Any]] = field(repr=False)
    policy_year: int | None = None  # fixed policy year when the template has no jaar input
    # The rules name their fields in English; messages for spreadsheet users use the input's column.
    rule_fields: Mapping[str, str] = field(default_factory=dict)

    def input(self, name: str) -> Input:
        return next(i for i in self.inputs if i.name == name)


# The rules' own alias tables (English or Dutch -> the rule's English name), and the Dutch word the
# template's formulas and dropdowns use for each of those names.
_CHOICES = {"soort": (PROVIDER_KINDS, {"existing": "bestaand", "new": "nieuw"}),
            "methode": (NACHTZORG_METHODS, {"multiplicative": "multiplicatief", "additive": "additief"})}


def _empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def convert(spec: Input, value: object, *, where: str = "") -> Any:
    """One cell of input as the template and the rules take it; InputError names `where` and the value.

    Kinds: year, count (whole ≥ 0), number (≥ 0), money (≥ 0), fraction (0..1, '85%' allowed),
    index (> -1, a fraction), choice (canonical Dutch word), flag ('ja'/'nee'), score (A/B/C/None),
    postcode (text, checked by the ratio rule).
    """
    label = f"{where}{spec.column}"
    if isinstance(value, str) and XML_INVALID.search(value):
        raise InputError(f"{label}: {show_value(value)} bevat een teken dat niet in een werkmap kan",
                         field=spec.column, value=value)
    if _empty(value):
        if spec.kind == "flag":
            return "nee"
        if spec.required and not spec.rows:
            raise InputError(f"{label}: waarde ontbreekt", field=spec.column, value=value)
        return None
    kind = spec.kind
    if kind in {"year", "count"}:
        number = parse_number(value, label) if isinstance(value, str) else value
        return whole_count(number, label)
    if kind in {"number", "money", "fraction", "index"}:
        if isinstance(value, bool):
            raise InputError(f"{label}: {show_value(value)} is geen getal", field=spec.column, value=value)
        number = parse_number(value, label)
        if kind == "index" and number <= -1:
            raise InputError(f"{label}: {show_value(value)} ligt op of onder -100%", field=spec.column, value=value)
        if kind != "index" and number < 0:
            raise InputError(f"{label}: {show_value(value)} mag niet negatief zijn", field=spec.column, value=value)
        if kind == "fraction" and number > 1:
            raise InputError(f"{label}: {show_value(value)} ligt buiten 0..1 (85% = 0,85)", field=spec.column,
                             value=value)
        return number
    text = value.strip() if isinstance(value, str) else None
    if kind == "choice":
        aliases, dutch = _CHOICES[spec.column]
        canonical = dutch.get(aliases.get((text or "").lower(), ""))
        if canonical is None:
            raise InputError(f"{label}: {show_value(value)} is onbekend (verwacht {' of '.join(spec.choices)})",
                             field=spec.column, value=value)
        return canonical
    if kind == "flag":
        flag = yes_no(value)
        if flag is None:
            raise InputError(f"{label}: {show_value(value)} is geen ja/nee", field=spec.column, value=value)
        return "ja" if flag else "nee"
    if kind == "score":
        if text is None or text.upper() not in {"A", "B", "C"}:
            raise InputError(f"{label}: score {show_value(value)} is onbekend (verwacht A, B, C of leeg)",
                             field=spec.column, value=value)
        return text.upper()
    if kind == "postcode":
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        if text is None:
            raise InputError(f"{label}: {show_value(value)} is geen postcode", field=spec.column, value=value)
        return text
    raise ValueError(f"onbekende soort invoer {kind!r}")  # a spec mistake, not user input


def _or_not_applicable(value: Decimal | None) -> Decimal | str:
    return NOT_APPLICABLE if value is None else value


# --- the Python engines ------------------------------------------------------------------------------

def _cz_ratio(v: Mapping[str, Any]) -> dict[str, Any]:
    counts: dict[str, int] = {}
    postcodes, clients = v["in_postcodes"] or [], v["in_clienten"] or []
    for row, (postcode, count) in enumerate(zip(postcodes, clients, strict=True), start=1):
        if postcode is None and count is None:
            continue
        # `row` is the row within the range; fill and check turn it into a file row or a cell.
        if postcode is None:
            raise InputError(f"clienten: {count} cliënten zonder postcode", field="clienten", value=count, row=row)
        if count is None:
            raise InputError(f"clienten: postcode {show_value(postcode)} zonder aantal cliënten", field="clienten",
                             value=None, row=row)
        try:
            area = to_pc4(postcode, field="postcodes")
        except InputError as err:
            raise InputError(err.message, field="postcodes", value=postcode, row=row) from None
        counts[area] = counts.get(area, 0) + count
    a = rules.assess_client_area_ratio(counts, year=v["in_jaar"], provider=v["in_soort"])
    return {
        "out_clienten": a.clients,
        "out_gebieden": a.areas,
        "out_ratio": NO_RATIO if a.ratio is None else a.ratio,
        "out_drempel": NOT_APPLICABLE if a.threshold is None else a.threshold,
        "out_voldoet": a.meets,
        "out_extra_clienten": a.clients_needed,
        "out_max_gebieden": NOT_APPLICABLE if a.max_areas is None else a.max_areas,
    }


def _staffel(v: Mapping[str, Any]) -> dict[str, Any]:
    outcome = rules.staffel_reimbursement(
        v["in_aanvullend_budget"], v["in_score_2026"], v["in_score_2027"],
        cost_points=v["in_kostenpunten"], ceiling_free=v["in_plafondvrij"] == "ja",
        production_agreement=v["in_productieafspraak"],
        palliative_terminal=v["in_palliatief_terminaal"] == "ja",
        merger_or_bankruptcy=v["in_fusie_faillissement"] == "ja",
    )
    return {
        "out_percentage": _or_not_applicable(outcome.percentage),
        "out_vergoeding": _or_not_applicable(outcome.amount),
        "out_in_aanmerking": outcome.eligible,
        "out_reden": outcome.reason,
    }


def _cooperatie(v: Mapping[str, Any]) -> dict[str, Any]:
    assessment = rules.assess_cooperative(v["in_clienten"], v["in_fte_niveau6"])
    hours = [h for h in (v["in_uren_leden"] or []) if h is not None]
    turnover = rules.cooperative_max_turnover(hours, v["in_uurtarief"], night=v["in_nachtdienst"] == "ja")
    return {
        "out_fte_nodig": assessment.required_fte,
        "out_fte_tekort": assessment.shortfall_fte,
        "out_max_clienten": assessment.max_clients,
        "out_voldoet": assessment.meets,
        "out_max_uren_per_lid": turnover.max_hours_per_member,
        "out_max_omzet": turnover.max_turnover,
    }


def _nachtzorg(v: Mapping[str, Any]) -> dict[str, Any]:
    w_t = rules.weighted_index(v["in_pers_voorlopig_t"], v["in_mat_voorlopig_t"])
    w_prev = rules.weighted_index(v["in_pers_voorlopig_t1"], v["in_mat_voorlopig_t1"])
    w_final = rules.weighted_index(v["in_pers_definitief_t1"], v["in_mat_definitief_t1"])
    result = rules.index_nachtzorg_budget(
        v["in_begroting"], prelim_t=w_t, prelim_prev=w_prev, final_prev=w_final,
        zvw_share=Decimal(1) if v["in_zvw_aandeel"] is None else v["in_zvw_aandeel"], method=v["in_methode"],
    )
    return {
        "out_index_t": w_t,
        "out_index_t1_voorlopig": w_prev,
        "out_index_t1_definitief": w_final,
        "out_correctie": result.correction,
        "out_factor": result.factor,
        "out_begroting_geindexeerd": result.indexed_budget,
        "out_vergoeding_zvw": result.reimbursed,
    }


RATIO_ROWS = 2000
MEMBER_ROWS = 500
COVERED_RATIO_YEARS = (2025, 2026, 2027)

SPECS: dict[str, TemplateSpec] = {
    "cz_ratio": TemplateSpec(
        "cz_ratio", "CZ klant-werkgebiedratio", "1.0",
        inputs=(
            Input("in_jaar", "Beleidsjaar", "year", "Beleidsjaar T; de declaraties van T-2 tellen (2027: 2025).",
                  choices=tuple(str(y) for y in COVERED_RATIO_YEARS)),
            Input("in_soort", "Soort zorgaanbieder", "choice", "bestaand of nieuw (nieuw: eerste contract met CZ).",
                  choices=("bestaand", "nieuw")),
            Input("in_postcodes", "Postcode (PC4 of volledig)", "postcode",
                  "4 cijfers, niet beginnend met 0, eventueel gevolgd door 2 letters (5611 of 5611 AB).",
                  rows=RATIO_ROWS),
            Input("in_clienten", "CZ-cliënten", "count", "Aantal verschillende CZ-cliënten in dit postcodegebied.",
                  rows=RATIO_ROWS),
        ),
        outputs=(
            Output("out_clienten", "CZ-cliënten", "count"),
            Output("out_gebieden", "Postcodegebieden (PC4)", "count"),
            Output("out_ratio", "Cliënten per postcodegebied", "ratio"),
            Output("out_drempel", "Minimaal vereist", "number"),
            Output("out_voldoet", "Voldoet", "bool"),
            Output("out_extra_clienten", "Extra cliënten nodig in dezelfde gebieden", "count"),
            Output("out_max_gebieden", "Maximaal aantal gebieden bij deze cliënten", "count"),
        ),
        compute=_cz_ratio,
        rule_fields={"provider": "soort", "jaar": "jaar"},
    ),
    "staffel": TemplateSpec(
        "staffel", "CZ staffel aanvullende zorginkoop", "1.0", policy_year=2027,
        inputs=(
            Input("in_score_2026", "Waardemodelscore 2026", "score", "A, B, C of leeg (geen score).",
                  choices=("A", "B", "C"), required=False),
            Input("in_score_2027", "Waardemodelscore 2027", "score", "A, B, C of leeg.", choices=("A", "B", "C"),
                  required=False),
            Input("in_kostenpunten", "Punten op het kostenonderdeel", "number",
                  "Nodig bij score B: 5 of meer geeft 85%, minder komt niet in aanmerking.", required=False),
            Input("in_plafondvrij", "Plafondvrije afspraak", "flag", "ja of nee.", choices=("ja", "nee")),
            Input("in_productieafspraak", "Productieafspraak 2027 (€)", "money",
                  "Tot en met € 100.000 geen waardemodel (geen score: 90%). Leeg: niet opgegeven.", required=False),
            Input("in_aanvullend_budget", "Toegekend aanvullend budget (€)", "money",
                  "Het door CZ gehonoreerde aanvullende budget."),
            Input("in_palliatief_terminaal", "Palliatieve terminale zorg", "flag",
                  "ja: CZ past coulance toe (afwijkende afspraak).", choices=("ja", "nee")),
            Input("in_fusie_faillissement", "Fusie, overname of faillissement", "flag",
                  "ja: plafondaanpassing wordt apart besproken (afwijkende afspraak).", choices=("ja", "nee")),
        ),
        outputs=(
            Output("out_percentage", "Vergoedingspercentage", "fraction"),
            Output("out_vergoeding", "Vergoeding (€)", "money"),
            Output("out_in_aanmerking", "Komt in aanmerking", "bool"),
            Output("out_reden", "Toelichting", "text"),
        ),
        compute=_staffel,
        rule_fields={"cost_points": "kostenpunten", "granted_budget": "aanvullend_budget",
                     "production_agreement": "productieafspraak"},
    ),
    "cooperatie": TemplateSpec(
        "cooperatie", "Zorgcoöperatie: verpleegkundige niveau 6 en maximale omzet", "1.0", policy_year=2027,
        inputs=(
            Input("in_clienten", "Aantal cliënten", "count", "Cliënten van de zorgcoöperatie."),
            Input("in_fte_niveau6", "FTE hbo-verpleegkundige (niveau 6)", "number", "FTE (36 uur per week = 1)."),
            Input("in_uurtarief", "Uurtarief (€, eigen schatting)", "money", "Geschat uurtarief per uur zorg."),
            Input("in_nachtdienst", "Nachtdienst", "flag", "ja: maximaal 40 in plaats van 48 uur per week.",
                  choices=("ja", "nee")),
            Input("in_uren_leden", "Uren per jaar per lid", "number", "Gewerkte of geplande uren per jaar.",
                  rows=MEMBER_ROWS),
        ),
        outputs=(
            Output("out_fte_nodig", "FTE niveau 6 nodig", "number"),
            Output("out_fte_tekort", "FTE tekort", "number"),
            Output("out_max_clienten", "Maximaal aantal cliënten", "count"),
            Output("out_voldoet", "Voldoet", "bool"),
            Output("out_max_uren_per_lid", "Maximaal uren per lid per jaar", "number"),
            Output("out_max_omzet", "Maximale omzet (€)", "money"),
        ),
        compute=_cooperatie,
        rule_fields={"clients": "clienten", "level6_fte": "fte_niveau6", "hourly_tariff": "uurtarief",
                     "member_hours": "uren_leden"},
    ),
    "nachtzorg": TemplateSpec(
        "nachtzorg", "Indexatie budget onplanbare nachtzorg", "1.0", policy_year=2027,
        inputs=(
            Input("in_begroting", "Goedgekeurde begroting (€)", "money",
                  "Het goedgekeurde budget onplanbare nachtzorg."),
            Input("in_pers_voorlopig_t", "Personeel, voorlopig T", "index", "NZa OVA als fractie: 3,1% = 0,031."),
            Input("in_mat_voorlopig_t", "Materieel, voorlopig T", "index", "CPB-prijsindex als fractie."),
            Input("in_pers_voorlopig_t1", "Personeel, voorlopig T-1", "index", "Als fractie."),
            Input("in_mat_voorlopig_t1", "Materieel, voorlopig T-1", "index", "Als fractie."),
            Input("in_pers_definitief_t1", "Personeel, definitief T-1", "index", "Als fractie."),
            Input("in_mat_definitief_t1", "Materieel, definitief T-1", "index", "Als fractie."),
            Input("in_zvw_aandeel", "Zvw-aandeel", "fraction", "Deel voor Zvw-cliënten (85% = 0,85); leeg = 100%.",
                  required=False),
            Input("in_methode", "Methode", "choice",
                  "multiplicatief (zoals de NZa een correctie doorrekent) of additief (de letterlijke tekst).",
                  choices=("multiplicatief", "additief")),
        ),
        outputs=(
            Output("out_index_t", "Gewogen index voorlopig T", "fraction"),
            Output("out_index_t1_voorlopig", "Gewogen index voorlopig T-1", "fraction"),
            Output("out_index_t1_definitief", "Gewogen index definitief T-1", "fraction"),
            Output("out_correctie", "Correctie T-1 (definitief - voorlopig)", "fraction"),
            Output("out_factor", "Indexfactor", "number"),
            Output("out_begroting_geindexeerd", "Geïndexeerde begroting (€)", "money"),
            Output("out_vergoeding_zvw", "Vergoeding Zvw-deel (€)", "money"),
        ),
        compute=_nachtzorg,
        rule_fields={"budget": "begroting", "zvw_share": "zvw_aandeel", "method": "methode",
                     "personnel": "pers_*", "material": "mat_*"},
    ),
}
