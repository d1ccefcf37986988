"""What each template workbook takes and gives: its `in_*` and `out_*` names, and the Python engine.

One spec per template. `build.py` lays the names out and writes the Excel formulas (the second,
independent implementation); `fill.py` converts rows of an INPUTS file with `convert()` and writes
them into the input cells; `compute()` gives the outputs the Python rules compute, for `summary`,
for the cached values of a filled workbook, for `zorginkoop check` and the recalculation tests.

Labels and help texts name policy numbers through `{placeholders}` (`toolkit.parameters.phrases`), and
number inputs carry the plausible range of their quantity (`toolkit.numbers`): every text follows the
parameter data in force, overlay included. `SPECS` is built for the data in force when it is read.
Values that the rules give as None (no threshold, not eligible) have a fixed text in both engines.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cache
from typing import Any

from .. import rules
from ..choices import yes_no
from ..errors import InputError, relabel, show_value
from ..numbers import Quantity, quantity
from ..parameters import OVERLAY_VARIABLE, active, current_year, load_topic
from ..parameters.phrases import render
from ..rules.ceiling import METHODS as CEILING_METHODS
from ..rules.nachtzorg import METHODS as NACHTZORG_METHODS
from ..rules.ratio import PROVIDER_KINDS
from .formats import INPUT_FORMATS, OUTPUT_FORMATS, TEXT_FORMAT

NOT_APPLICABLE = "n.v.t."
NO_RATIO = "-"
NOT_REACHED = "niet bereikt"
# What every output of a template shows before anything is typed: neutral, never "fout" or #DEEL/0!.
NOTHING_TYPED = "vul eerst de invoer in"
ALL_CONDITIONS_MET = "alle voorwaarden die de toolkit kan berekenen gelden"
# Characters XML 1.0 cannot hold: text with them cannot be written into a workbook at all.
XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Dutch names of the kinds of input, as `describe` shows them.
KIND_NAMES = {"money": "bedrag", "count": "aantal", "fraction": "fractie", "number": "getal", "flag": "ja/nee",
              "choice": "keuze", "score": "keuze", "postcode": "tekst", "year": "jaar"}


@dataclass(frozen=True)
class Input:
    name: str  # the defined name, in_*
    label: str  # Dutch, on the Invoer sheet
    kind: str  # number, year, choice, flag, score, postcode
    help: str  # Dutch input message (data validation prompt), at most 255 characters with the range
    quantity: str | None = None  # for numbers: the plausible range (numbers.quantities)
    choices: tuple[str, ...] = ()
    required: bool = True
    rows: int = 0  # > 0: a range input of that many rows
    row_labels: tuple[str, ...] = ()  # shown beside a range's rows (months, quarters); default 1, 2, …

    @property
    def column(self) -> str:
        """The column name in an INPUTS file: the input name without `in_`."""
        return self.name.removeprefix("in_")

    @property
    def measure(self) -> Quantity | None:
        return quantity(self.quantity) if self.quantity else None

    @property
    def kind_name(self) -> str:
        """bedrag, aantal, fractie, ja/nee, keuze, tekst: for `describe`."""
        measure = self.measure
        return KIND_NAMES[measure.reading if measure and self.kind == "number" else self.kind]

    @property
    def number_format(self) -> str:
        """How the cell shows what is typed (formats.INPUT_FORMATS): € for money, % for shares."""
        if self.kind in {"number", "year"} and self.quantity:
            return INPUT_FORMATS[self.quantity]
        return TEXT_FORMAT if self.kind in {"postcode", "score", "choice", "flag"} else "General"

    @property
    def prompt(self) -> str:
        """The input message: the help text and, for numbers, the plausible range."""
        measure = self.measure
        if measure is None or self.kind == "year":
            return self.help[:255]
        return f"{self.help} Bereik: {measure.range_text(percent=self.as_percent)}."[:255]

    @property
    def as_percent(self) -> bool:
        """A share or an index: typed and shown as a percentage (4,72% or 0,0472 both read)."""
        measure = self.measure
        return measure is not None and measure.reading == "fraction"


@dataclass(frozen=True)
class Output:
    name: str  # out_*
    label: str
    kind: str  # count, number, ratio, fraction, money, bool (ja/nee), text, month, fte, hours, factor
    rows: int = 0  # > 0: a range output of that many rows
    help: str = ""  # Dutch, beside the result on Uitkomst: how it is computed or what it means
    verdict: bool = False  # a yes/no result that is good when "ja" (coloured green/red)

    @property
    def number_format(self) -> str:
        return OUTPUT_FORMATS[self.kind]


@dataclass(frozen=True)
class TemplateSpec:
    name: str  # file stem in templates/
    title: str
    version: str
    inputs: tuple[Input, ...]
    outputs: tuple[Output, ...]
    rules: Callable[[Mapping[str, Any]], dict[str, Any]] = field(repr=False)  # the Python rules, inputs filled in
    topics: tuple[tuple[str, str], ...] = ()  # the parameter topics the formulas read
    # The rules name their fields in English; messages for spreadsheet users use the input's column.
    rule_fields: Mapping[str, str] = field(default_factory=dict)
    purpose: str = ""  # Dutch, for the Instructie sheet: what the workbook computes
    reading: str = ""  # Dutch, for the Instructie sheet: what the results mean

    def compute(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """The outputs the Python rules give for converted inputs; before anything is typed, every output
        is NOTHING_TYPED, as in the template."""
        if all(_blank(values.get(i.name)) for i in self.inputs):
            return {o.name: [NOTHING_TYPED] + [""] * (o.rows - 1) if o.rows else NOTHING_TYPED for o in self.outputs}
        for spec_input in self.inputs:  # a required range with no row typed (the template: "vul nog in: …")
            if spec_input.rows and spec_input.required and _blank(values.get(spec_input.name)):
                raise InputError(f"{spec_input.column}: geen enkele waarde; vul ten minste één rij in",
                                 field=spec_input.column, value=None)
        return self.rules(values)

    def input(self, name: str) -> Input:
        return next(i for i in self.inputs if i.name == name)

    @property
    def years(self) -> tuple[int, ...]:
        """The policy years every topic of the template covers (the template's year table)."""
        sets = [set(load_topic(insurer, topic).years) for insurer, topic in self.topics]
        return tuple(sorted(set.intersection(*sets))) if sets else ()


# The rules' own alias tables (English or Dutch -> the rule's English name), and the Dutch word the
# template's formulas and dropdowns use for each of those names.
_CHOICES = {"soort": (PROVIDER_KINDS, {"existing": "bestaand", "new": "nieuw"}),
            "methode": (NACHTZORG_METHODS, {"multiplicative": "multiplicatief", "additive": "additief"}),
            "plafond_methode": (CEILING_METHODS, {"linear": "lineair", "seasonal": "seizoen"})}


def _empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def _blank(value: object) -> bool:
    """An input with nothing typed: empty, or a range of empty cells."""
    return all(_empty(v) for v in value) if isinstance(value, list) else _empty(value)


def convert(spec: Input, value: object, *, where: str = "", label: str | None = None) -> Any:
    """One cell of input as the template and the rules take it; InputError names `where` and the value
    (or `label`, for the cell as its user named it: a column header as written in an INPUTS file).

    Numbers are read by `toolkit.numbers` (the one reading of typed numbers) and checked against the
    plausible range of their quantity; choices become the Dutch word of the template's dropdown; flags
    'ja'/'nee' (an empty flag stays None: nee, and nothing typed); scores A/B/C or None; postcodes stay
    text (the ratio rule reads them).
    """
    label = label or f"{where}{spec.column}"
    if isinstance(value, str) and XML_INVALID.search(value):
        raise InputError(f"{label}: {show_value(value)} bevat een teken dat niet in een werkmap kan",
                         field=spec.column, value=value)
    if _empty(value):
        if spec.required and not spec.rows and spec.kind != "flag":
            raise InputError(f"{label}: waarde ontbreekt", field=spec.column, value=value)
        return None
    kind = spec.kind
    if kind in {"number", "year"}:
        if isinstance(value, bool):
            raise InputError(f"{label}: {show_value(value)} is geen getal", field=spec.column, value=value)
        measure = spec.measure
        assert measure is not None, spec.name  # a spec mistake, not user input
        try:
            return measure.read(value, label)
        except InputError as err:
            raise InputError(str(err), field=spec.column, value=value) from None
    text = value.strip() if isinstance(value, str) else None
    if kind == "choice":
        aliases, dutch = _CHOICES[_choice_table(spec)]
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


def _choice_table(spec: Input) -> str:
    return "plafond_methode" if spec.column == "methode" and "lineair" in spec.choices else spec.column


def _or_not_applicable(value: Decimal | None) -> Decimal | str:
    return NOT_APPLICABLE if value is None else value


def _year(v: Mapping[str, Any]) -> int:
    year: int | None = v.get("in_jaar")
    return current_year() if year is None else year


# --- the Python engines ------------------------------------------------------------------------------

def _cz_ratio(v: Mapping[str, Any]) -> dict[str, Any]:
    counts = rules.clients_by_area(v["in_postcodes"] or [], v["in_clienten"] or [])
    a = rules.assess_client_area_ratio(counts, year=_year(v), provider=v["in_soort"] or "bestaand")
    return {
        "out_clienten": a.clients,
        "out_gebieden": a.areas,
        "out_ratio": NO_RATIO if a.ratio is None else a.ratio,
        "out_drempel": NOT_APPLICABLE if a.threshold is None else a.threshold,
        "out_voldoet": a.meets if a.applies else NOT_APPLICABLE,
        "out_extra_clienten": a.clients_needed,
        "out_max_gebieden": NOT_APPLICABLE if a.max_areas is None else a.max_areas,
        "out_te_schrappen": list(a.areas_to_drop),
    }


def _staffel(v: Mapping[str, Any]) -> dict[str, Any]:
    outcome = rules.staffel_reimbursement(
        v["in_aanvullend_budget"], v["in_score_2026"], v["in_score_2027"],
        cost_points=v["in_kostenpunten"], ceiling_free=v["in_plafondvrij"] == "ja",
        production_agreement=v["in_productieafspraak"],
        palliative_terminal=v["in_palliatief_terminaal"] == "ja",
        merger_or_bankruptcy=v["in_fusie_faillissement"] == "ja", year=_year(v),
    )
    return {
        "out_percentage": _or_not_applicable(outcome.percentage),
        "out_vergoeding": _or_not_applicable(outcome.amount),
        "out_in_aanmerking": outcome.eligible,
        "out_reden": outcome.reason,
    }


def _cooperatie(v: Mapping[str, Any]) -> dict[str, Any]:
    year = _year(v)
    assessment = rules.assess_cooperative(v["in_clienten"], v["in_fte_niveau6"], year=year)
    turnover = rules.cooperative_max_turnover(v["in_uren_leden"] or [], v["in_uurtarief"],
                                              night=v["in_nachtdienst"] == "ja", year=year)
    return {
        "out_fte_nodig": assessment.required_fte,
        "out_fte_tekort": assessment.shortfall_fte,
        "out_max_clienten": assessment.max_clients,
        "out_voldoet": assessment.meets,
        "out_max_uren_per_lid": turnover.max_hours_per_member,
        "out_max_omzet": turnover.max_turnover,
    }


def _nachtzorg(v: Mapping[str, Any]) -> dict[str, Any]:
    year = _year(v)
    w_t = rules.weighted_index(v["in_pers_voorlopig_t"], v["in_mat_voorlopig_t"], year=year)
    w_prev = rules.weighted_index(v["in_pers_voorlopig_t1"], v["in_mat_voorlopig_t1"], year=year)
    w_final = rules.weighted_index(v["in_pers_definitief_t1"], v["in_mat_definitief_t1"], year=year)
    result = rules.index_nachtzorg_budget(
        v["in_begroting"], prelim_t=w_t, prelim_prev=w_prev, final_prev=w_final,
        zvw_share=Decimal(1) if v["in_zvw_aandeel"] is None else v["in_zvw_aandeel"],
        method=v["in_methode"] or "multiplicatief", year=year,
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


def _plafond(v: Mapping[str, Any]) -> dict[str, Any]:
    profile = v["in_vorig_jaar"]
    outcome = rules.assess_additional_purchase(
        v["in_plafond"], v["in_productie"] or [],
        last_year_monthly=None if not profile or all(m is None for m in profile) else profile,
        method=v["in_methode"] or "lineair", score_2026=v["in_score_2026"], score_2027=v["in_score_2027"],
        cost_points=v["in_kostenpunten"], ceiling_free=v["in_plafondvrij"] == "ja",
        production_agreement=v["in_productieafspraak"], year=_year(v))
    f = outcome.forecast
    return {
        "out_gerealiseerd": f.realised,
        "out_prognose": f.projected_year,
        "out_aandeel_voor_oktober": f.share_before_october,
        "out_voldoet_80pct": f.meets_80_percent,
        "out_maand_bereikt": NOT_REACHED if f.month_reached is None else f.month_reached,
        "out_tekort": f.shortfall,
        "out_mag_aanvragen": outcome.may_request,
        # Only where a request can be sent: an amount beside "verzoek mogelijk: nee" would read as money to come.
        "out_vergoeding_verwacht": _or_not_applicable(outcome.expected_reimbursement if outcome.may_request else None),
        "out_redenen": ALL_CONDITIONS_MET if outcome.may_request else "; ".join(outcome.reasons),
        "out_cumulatief": list(f.cumulative),
    }


def _eigen_levering(v: Mapping[str, Any]) -> dict[str, Any]:
    outcome = rules.assess_own_delivery(v["in_eigen"], v["in_volle_dochter"], v["in_zzp"], v["in_onderaannemers"],
                                        cooperative=v["in_cooperatie"] == "ja", year=_year(v))
    quarters = list(outcome.quarter_shares) or [None] * 4
    return {
        "out_aandeel_eigen": NOT_APPLICABLE if outcome.own_share is None else outcome.own_share,
        "out_voldoet": outcome.meets if outcome.applies else NOT_APPLICABLE,
        "out_van_toepassing": outcome.applies,
        "out_aandeel_kwartaal": [NOT_APPLICABLE if q is None else q for q in quarters],
        "out_reden": outcome.reason,
    }


RATIO_ROWS = 2000
MEMBER_ROWS = 500
MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
          "november", "december")
QUARTERS = ("kwartaal 1", "kwartaal 2", "kwartaal 3", "kwartaal 4")
_PERCENT_HELP = "Typ als percentage (3,1%) of als fractie (0,031)."
_JAAR_HELP = "Beleidsjaar; leeg = {jaar}. Dit sjabloon rekent met de jaren op het tabblad Bronnen."


def _jaar(label: str = "Beleidsjaar (leeg = {jaar})") -> Input:
    return Input("in_jaar", label, "year", _JAAR_HELP, quantity="year", required=False)


def _waardemodel_inputs() -> tuple[Input, ...]:
    """What the staffel reads (scores, cost points, ceiling-free, production agreement): the staffel and
    the plafond template ask for it alike."""
    return (
        Input("in_score_2026", "Waardemodelscore {jaar_vorig} (jaar vóór het beleidsjaar)", "score",
              "A, B, C of leeg (geen score).", choices=("A", "B", "C"), required=False),
        Input("in_score_2027", "Waardemodelscore {jaar} (beleidsjaar)", "score", "A, B, C of leeg.",
              choices=("A", "B", "C"), required=False),
        Input("in_kostenpunten", "Punten op het kostenonderdeel", "number",
              "Nodig bij score B: {min_punten} of meer geeft {pct_b}, minder komt niet in aanmerking.",
              quantity="cost_points", required=False),
        Input("in_plafondvrij", "Plafondvrije afspraak", "flag", "ja of nee.", choices=("ja", "nee")),
        Input("in_productieafspraak", "Productieafspraak (€)", "number",
              "Tot en met {min_productie} geen waardemodel (geen score: {pct_geen_score}). Leeg: niet "
              "opgegeven.", quantity="money", required=False),
    )


def _specs() -> dict[str, TemplateSpec]:
    """Every template, its texts rendered for the parameter data in force."""
    specs = [
        TemplateSpec(
            "cz_ratio", "CZ klant-werkgebiedratio", "3.0",
            inputs=(
                Input("in_jaar", "Beleidsjaar (leeg = {jaar})", "year",
                      "Beleidsjaar T ({ratio_jaren}); de declaraties van {declaratiejaar} tellen (bij {jaar}: "
                      "{declaratiejaar_voorbeeld}). Leeg = {jaar}.", quantity="year", required=False),
                Input("in_soort", "Soort zorgaanbieder", "choice", "bestaand of nieuw (nieuw: eerste contract met CZ).",
                      choices=("bestaand", "nieuw"), required=False),
                Input("in_postcodes", "Postcode (PC4 of volledig)", "postcode",
                      "4 cijfers, niet beginnend met 0, eventueel gevolgd door 2 letters (5611 of 5611 AB).",
                      rows=RATIO_ROWS),
                Input("in_clienten", "CZ-cliënten", "number", "Aantal verschillende CZ-cliënten in dit postcodegebied.",
                      quantity="count", rows=RATIO_ROWS),
            ),
            outputs=(
                Output("out_clienten", "CZ-cliënten", "count", help="De cliënten van alle rijen samen."),
                Output("out_gebieden", "Postcodegebieden (PC4)", "count",
                       help="Verschillende PC4-gebieden met ten minste één cliënt."),
                Output("out_ratio", "Cliënten per postcodegebied", "ratio", help="Cliënten ÷ postcodegebieden."),
                Output("out_drempel", "Minimaal vereist", "number",
                       help="De drempel van CZ voor dit beleidsjaar en deze soort zorgaanbieder."),
                Output("out_voldoet", "Voldoet", "bool",
                       help="Ja als de ratio ten minste de drempel is; n.v.t. zonder eis.", verdict=True),
                Output("out_extra_clienten", "Extra cliënten nodig in dezelfde gebieden", "count",
                       help="Zoveel cliënten erbij in dezelfde gebieden haalt de drempel."),
                Output("out_max_gebieden", "Maximaal aantal gebieden bij deze cliënten", "count",
                       help="Zoveel gebieden passen bij dit aantal cliënten."),
                Output("out_te_schrappen", "Te schrappen postcodegebieden (in volgorde)", "text", rows=RATIO_ROWS,
                       help="Of: deze gebieden (minste cliënten eerst) loslaten haalt de drempel."),
            ),
            rules=_cz_ratio, topics=(("cz", "client_area_ratio"),),
            rule_fields={"provider": "soort", "year": "jaar", "postcodes": "postcodes", "clients": "clienten"},
            purpose=("Berekent de klant-werkgebiedratio van CZ groep: het aantal CZ-cliënten gedeeld door het aantal "
                     "4-cijferige postcodegebieden (PC4) waarin u zorg levert. CZ telt de declaraties van "
                     "{declaratiejaar}: bij beleidsjaar {jaar} die van {declaratiejaar_voorbeeld}. De werkmap "
                     "laat ook zien hoeveel cliënten er in dezelfde gebieden bij moeten om de drempel te halen, "
                     "of welke gebieden u zou moeten loslaten. De eis geldt in de kernwerkgebieden van CZ; niet "
                     "voor (medische) kindzorg, en niet als u (het merendeel van) uw zorg buiten het "
                     "kernwerkgebied levert."),
            reading=("Voldoet = ja als de ratio ten minste de drempel is (geen eis in een jaar: n.v.t., dan ook ja). "
                     "Extra cliënten en te schrappen gebieden zijn twee wegen naar de drempel; één is genoeg. Een "
                     "gebied met 0 cliënten telt niet mee. Tel een cliënt die verhuisde één keer, in één van de "
                     "gebieden: zo telt ook de opdracht 'zorginkoop ratio' uit declaraties. De grafiek toont de "
                     "eerste 40 rijen; 'zorginkoop fill' zet hem op precies de rijen die het invult."),
        ),
        TemplateSpec(
            "staffel", "CZ staffel aanvullende zorginkoop", "3.0",
            inputs=(
                *_waardemodel_inputs(),
                Input("in_aanvullend_budget", "Toegekend aanvullend budget (€)", "number",
                      "Het door CZ gehonoreerde aanvullende budget.", quantity="money"),
                Input("in_palliatief_terminaal", "Palliatieve terminale zorg", "flag",
                      "ja: CZ past coulance toe (afwijkende afspraak).", choices=("ja", "nee")),
                Input("in_fusie_faillissement", "Fusie, overname of faillissement", "flag",
                      "ja: plafondaanpassing wordt apart besproken (afwijkende afspraak).", choices=("ja", "nee")),
                _jaar(),
            ),
            outputs=(
                Output("out_percentage", "Vergoedingspercentage", "fraction",
                       help="Het deel van het toegekende budget dat CZ vergoedt."),
                Output("out_vergoeding", "Vergoeding (€)", "money",
                       help="Toegekend budget × percentage, afgerond op centen."),
                Output("out_in_aanmerking", "Komt in aanmerking", "bool",
                       help="Nee als de staffel niets vergoedt (de toelichting zegt waarom).",
                       verdict=True),
                Output("out_reden", "Toelichting", "text", help="Welke regel van de staffel beslist."),
            ),
            rules=_staffel, topics=(("cz", "staffel"),),
            rule_fields={"cost_points": "kostenpunten", "granted_budget": "aanvullend_budget",
                         "production_agreement": "productieafspraak", "year": "jaar"},
            purpose=("Berekent welk deel van een toegekend aanvullend budget CZ groep vergoedt (de staffel), op "
                     "grond van uw waardemodelscores van {jaar_vorig} en {jaar}, de punten op het kostenonderdeel, "
                     "een plafondvrije afspraak en uw productieafspraak (tot en met {min_productie} geldt geen "
                     "waardemodel)."),
            reading=("Het percentage is het maximum dat CZ vergoedt; de vergoeding is het toegekende budget maal dat "
                     "percentage. Komt in aanmerking = nee: de staffel geeft niets, de toelichting zegt waarom. "
                     "Bij palliatieve zorg aan terminale verzekerden past CZ waar mogelijk coulance toe; een "
                     "plafondaanpassing door fusie, overname of faillissement bespreekt CZ afzonderlijk. In beide "
                     "gevallen staat er 'afwijkende afspraak'."),
        ),
        TemplateSpec(
            "cooperatie", "Zorgcoöperatie: verpleegkundige niveau 6 en maximale omzet", "3.0",
            inputs=(
                Input("in_clienten", "Aantal cliënten", "number", "Cliënten van de zorgcoöperatie.", quantity="count"),
                Input("in_fte_niveau6", "FTE hbo-verpleegkundige (niveau 6)", "number",
                      "FTE ({voltijd_uren} uur per week = 1). Eis: 1 FTE per {clienten_per_fte} cliënten.",
                      quantity="fte"),
                Input("in_uurtarief", "Uurtarief (€, eigen schatting)", "number", "Geschat uurtarief per uur zorg.",
                      quantity="money"),
                Input("in_nachtdienst", "Nachtdienst", "flag",
                      "ja: gemiddeld maximaal {uren_week_nacht} in plaats van {uren_week} uur per week.",
                      choices=("ja", "nee")),
                _jaar(),
                Input("in_uren_leden", "Uren per jaar per lid", "number", "Gewerkte of geplande uren per jaar.",
                      quantity="hours_per_year", rows=MEMBER_ROWS, required=False),
            ),
            outputs=(
                Output("out_fte_nodig", "FTE niveau 6 nodig", "fte",
                       help="Cliënten ÷ {clienten_per_fte}."),
                Output("out_fte_tekort", "FTE tekort", "fte", help="Zoveel FTE niveau 6 moet erbij (0: genoeg)."),
                Output("out_max_clienten", "Maximaal aantal cliënten", "count",
                       help="FTE × {clienten_per_fte}, naar beneden afgerond."),
                Output("out_voldoet", "Voldoet", "bool",
                       help="Ja als de FTE niveau 6 genoeg is voor het aantal cliënten.", verdict=True),
                Output("out_max_uren_per_lid", "Maximaal uren per lid per jaar", "hours",
                       help="Arbeidstijdenwet: gemiddeld {uren_week} uur per week ({uren_week_nacht} bij "
                            "nachtdienst)."),
                Output("out_max_omzet", "Maximale omzet (€)", "money",
                       help="Uren per lid afgetopt op het maximum, samen × uurtarief."),
            ),
            rules=_cooperatie, topics=(("cz", "cooperative"),),
            purpose=("Toetst een zorgcoöperatie aan de eis van 1 FTE hbo-verpleegkundige (niveau 6) per "
                     "{clienten_per_fte} cliënten, en berekent de maximale omzet: de uren van elk lid afgetopt op "
                     "de Arbeidstijdenwet ({uren_jaar} uur per jaar, bij nachtdienst {uren_jaar_nacht}) maal het "
                     "uurtarief."),
            reading=("Voldoet = ja als de FTE niveau 6 genoeg is voor het aantal cliënten; FTE tekort is wat erbij "
                     "moet. De maximale omzet is een schatting met uw eigen uurtarief."),
            rule_fields={"clients": "clienten", "level6_fte": "fte_niveau6", "hourly_tariff": "uurtarief",
                         "member_hours": "uren_leden", "year": "jaar"},
        ),
        TemplateSpec(
            "nachtzorg", "Indexatie budget onplanbare nachtzorg", "3.0",
            inputs=(
                Input("in_begroting", "Goedgekeurde begroting (€)", "number",
                      "Het goedgekeurde budget onplanbare nachtzorg.", quantity="money"),
                Input("in_pers_voorlopig_t", "Personeel, voorlopig T", "number",
                      "NZa-personeelsindex (OVA): typ 3,1% of 0,031.", quantity="index"),
                Input("in_mat_voorlopig_t", "Materieel, voorlopig T", "number",
                      "CPB-prijsindex (particuliere consumptie): typ 2,4% of 0,024.", quantity="index"),
                Input("in_pers_voorlopig_t1", "Personeel, voorlopig T-1", "number", _PERCENT_HELP, quantity="index"),
                Input("in_mat_voorlopig_t1", "Materieel, voorlopig T-1", "number", _PERCENT_HELP, quantity="index"),
                Input("in_pers_definitief_t1", "Personeel, definitief T-1", "number", _PERCENT_HELP,
                      quantity="index"),
                Input("in_mat_definitief_t1", "Materieel, definitief T-1", "number", _PERCENT_HELP,
                      quantity="index"),
                Input("in_zvw_aandeel", "Zvw-aandeel", "number",
                      "Deel voor Zvw-cliënten: typ 75% of 0,75; leeg = 100%.", quantity="share", required=False),
                Input("in_methode", "Methode", "choice",
                      "multiplicatief (zoals de NZa een correctie doorrekent) of additief (de letterlijke tekst).",
                      choices=("multiplicatief", "additief"), required=False),
                _jaar(),
            ),
            outputs=(
                Output("out_index_t", "Gewogen index voorlopig T", "index",
                       help="{gewicht_pers} personeel + {gewicht_mat} materieel."),
                Output("out_index_t1_voorlopig", "Gewogen index voorlopig T-1", "index"),
                Output("out_index_t1_definitief", "Gewogen index definitief T-1", "index"),
                Output("out_correctie", "Correctie T-1 (definitief - voorlopig)", "index",
                       help="Het verschil waarmee de index van T wordt gecorrigeerd."),
                Output("out_factor", "Indexfactor", "factor", help="Waarmee de begroting wordt vermenigvuldigd."),
                Output("out_begroting_geindexeerd", "Geïndexeerde begroting (€)", "money",
                       help="Begroting × indexfactor, afgerond op centen."),
                Output("out_vergoeding_zvw", "Vergoeding Zvw-deel (€)", "money",
                       help="Geïndexeerde begroting × Zvw-aandeel."),
            ),
            rules=_nachtzorg, topics=(("nza", "nachtzorg"),),
            purpose=("Indexeert het budget onplanbare nachtzorg met de gewogen NZa-index ({gewicht_pers} "
                     "personeelsindex, {gewicht_mat} materiële index): de voorlopige index van jaar T, gecorrigeerd "
                     "voor het verschil tussen de definitieve en de voorlopige index van T-1. Alleen het deel voor "
                     "Zvw-cliënten wordt vergoed."),
            reading=("De indexfactor vermenigvuldigt de goedgekeurde begroting. Multiplicatief rekent de correctie "
                     "door zoals de NZa dat doet; additief volgt de letterlijke tekst (het verschil is klein). "
                     "Typ de indexen als percentage (4,72%) of als fractie (0,0472)."),
            rule_fields={"budget": "begroting", "zvw_share": "zvw_aandeel", "method": "methode",
                         "personnel": "pers_*", "material": "mat_*", "year": "jaar"},
        ),
        TemplateSpec(
            "plafond", "Omzetplafond: prognose en verzoek om aanvullend budget", "2.0",
            inputs=(
                _jaar(),
                Input("in_plafond", "Omzetplafond (€)", "number", "Het omzetplafond voor het beleidsjaar.",
                      quantity="ceiling"),
                Input("in_methode", "Prognosemethode", "choice",
                      "lineair (elke volgende maand het gemiddelde) of seizoen (volgens het profiel van vorig jaar).",
                      choices=("lineair", "seizoen"), required=False),
                *_waardemodel_inputs(),
                Input("in_productie", "Productie (€)", "number",
                      "Productie per maand; leeg na de laatst bekende maand.", quantity="money", rows=12,
                      row_labels=MONTHS),
                Input("in_vorig_jaar", "Productie vorig jaar (€)", "number",
                      "Vorig jaar per maand, voor de seizoensmethode (optioneel).", quantity="money", rows=12,
                      required=False, row_labels=MONTHS),
            ),
            outputs=(
                Output("out_gerealiseerd", "Gerealiseerde productie (€)", "money",
                       help="De bekende maanden samen."),
                Output("out_prognose", "Verwachte productie over het jaar (€)", "money",
                       help="De bekende maanden, doorgetrokken tot december."),
                Output("out_aandeel_voor_oktober", "Deel van het plafond bereikt vóór {peildatum}", "fraction",
                       help="Productie t/m de maand vóór {peildatum} ÷ omzetplafond."),
                Output("out_voldoet_80pct", "Ten minste {min_plafond} vóór {peildatum}", "bool",
                       help="Voorwaarde voor een verzoek om aanvullend budget.", verdict=True),
                Output("out_maand_bereikt", "Maand waarin het plafond wordt bereikt", "month"),
                Output("out_tekort", "Verwacht tekort (€)", "money", help="Prognose min omzetplafond (0: genoeg)."),
                Output("out_mag_aanvragen", "Verzoek om aanvullend budget mogelijk", "bool",
                       help="In {verzoekmaand}, verzonden vóór {verzenddatum}.", verdict=True),
                Output("out_vergoeding_verwacht", "Verwachte vergoeding op het tekort (€)", "money",
                       help="De staffel op het tekort; alleen als een verzoek mogelijk is."),
                Output("out_redenen", "Toelichting", "text", help="Elke voorwaarde die niet geldt."),
                Output("out_cumulatief", "Cumulatieve productie (€)", "money", rows=12),
            ),
            rules=_plafond, topics=(("cz", "ceiling"), ("cz", "staffel")),
            purpose=("Voorspelt uw productie over het jaar uit de maanden die bekend zijn (lineair, of volgens het "
                     "seizoen van vorig jaar), vergelijkt die met het omzetplafond en toetst of u in {verzoekmaand} "
                     "een verzoek om aanvullend budget kunt indienen: ten minste {min_plafond} van het plafond "
                     "bereikt vóór {peildatum}, een verwacht tekort, en een staffel die vergoedt."),
            reading=("Verzoek mogelijk = ja als alle berekenbare voorwaarden gelden; anders noemt de toelichting elke "
                     "voorwaarde die niet geldt. De grafiek toont de productie tot en met elke maand (gerealiseerd "
                     "en prognose) tegen het omzetplafond. Niet berekend, zelf aantonen in de aanvraag: de "
                     "zorgplicht, de spreiding van nieuwe cliënten over het jaar en de doelmatigheid."),
            rule_fields={"ceiling": "plafond", "monthly_production": "productie", "last_year_monthly": "vorig_jaar",
                         "method": "methode", "cost_points": "kostenpunten",
                         "production_agreement": "productieafspraak", "year": "jaar"},
        ),
        TemplateSpec(
            "eigen_levering", "Eigen levering: ten minste {min_eigen} van de zorg zelf", "2.0",
            inputs=(
                Input("in_cooperatie", "Zorgcoöperatie (bijlage 1, § 1.4)", "flag",
                      "ja: een zorgcoöperatie die aan de eisen voldoet is uitgezonderd (n.v.t.).",
                      choices=("ja", "nee")),
                _jaar(),
                Input("in_eigen", "Eigen personeel (uren of €)", "number",
                      "Zorg door eigen personeel, uren of euro per kwartaal.",
                      quantity="care", rows=4, row_labels=QUARTERS, required=False),
                Input("in_volle_dochter", "Volle dochters (uren of €)", "number",
                      "Zorg door volle dochters (telt als eigen levering).", quantity="care", rows=4,
                      row_labels=QUARTERS, required=False),
                Input("in_zzp", "Zzp'ers (uren of €)", "number",
                      "Zorg door ingehuurde zzp'ers (telt als onderaanneming).",
                      quantity="care", rows=4, row_labels=QUARTERS, required=False),
                Input("in_onderaannemers", "Onderaannemers (uren of €)", "number", "Zorg door andere onderaannemers.",
                      quantity="care", rows=4, row_labels=QUARTERS, required=False),
            ),
            outputs=(
                Output("out_aandeel_eigen", "Aandeel eigen levering over het jaar", "fraction",
                       help="(Eigen + volle dochters) ÷ alle zorg."),
                Output("out_voldoet", "Voldoet", "bool",
                       help="Ja als ten minste {min_eigen} zelf geleverd is; n.v.t. bij uitzondering.", verdict=True),
                Output("out_van_toepassing", "Eis van toepassing", "bool",
                       help="Nee voor een zorgcoöperatie die aan § 1.4 voldoet (uitgezonderd)."),
                Output("out_reden", "Toelichting", "text"),
                Output("out_aandeel_kwartaal", "Aandeel eigen levering per kwartaal", "fraction", rows=4),
            ),
            rules=_eigen_levering, topics=(("cz", "own_delivery"),),
            purpose=("Toetst of u ten minste {min_eigen} van de zorg zelf levert: eigen personeel en volle dochters "
                     "tegenover zzp'ers en andere onderaannemers (zzp'ers tellen als onderaanneming), per kwartaal "
                     "en over het jaar."),
            reading=("Voldoet = ja als het aandeel eigen levering over het jaar ten minste {min_eigen} is. Een "
                     "zorgcoöperatie die aan bijlage 1 § 1.4 voldoet is uitgezonderd: eis van toepassing = nee. "
                     "Vul uren of euro's in, maar overal dezelfde eenheid; een leeg kwartaal telt niet mee."),
            rule_fields={"own": "eigen", "full_subsidiary": "volle_dochter", "self_employed": "zzp",
                         "subcontractors": "onderaannemers", "year": "jaar"},
        ),
    ]
    return {spec.name: _rendered(spec) for spec in specs}


def _rendered(spec: TemplateSpec) -> TemplateSpec:
    return replace(
        spec, title=render(spec.title), purpose=render(spec.purpose), reading=render(spec.reading),
        inputs=tuple(replace(i, label=render(i.label), help=render(i.help)) for i in spec.inputs),
        outputs=tuple(replace(o, label=render(o.label), help=render(o.help)) for o in spec.outputs),
    )


@cache
def _specs_for(_overlay: str, _identity: int) -> dict[str, TemplateSpec]:
    return _specs()


class _Specs(Mapping[str, TemplateSpec]):
    """The templates' specs for the parameter data in force (rebuilt when the overlay changes)."""

    def _current(self) -> dict[str, TemplateSpec]:
        import os

        return _specs_for(os.environ.get(OVERLAY_VARIABLE, "").strip(), id(active()))

    def __getitem__(self, name: str) -> TemplateSpec:
        return self._current()[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._current())

    def __len__(self) -> int:
        return len(self._current())


SPECS: Mapping[str, TemplateSpec] = _Specs()


def located(err: InputError, spec: TemplateSpec) -> str:
    """A rule's message with the input's column name instead of the rule's English field."""
    field_name = getattr(err, "field", None)
    if isinstance(field_name, str) and field_name in spec.rule_fields:
        return relabel(err, f"kolom '{spec.rule_fields[field_name]}'")
    return str(err)
