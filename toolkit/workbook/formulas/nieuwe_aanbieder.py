"""Rule 9, the entry test for a new provider, in formulas (`templates/nieuwe_aanbieder.xlsx`; the Python engine:
`toolkit/rules/new_provider/template.py`). The postcodes and clients are rule 1's rows (`postcode_rows`, D-I of
Berekening from row 15), read as the ratio template reads them.

Dates are serial numbers; the answer date is the same day `par_answer_months` months later, or that month's last
day, with DATE, YEAR, MONTH, DAY and MIN only (EDATE needs the Analysis ToolPak in Excel 2010): DATE(y, m + 1, 0)
is the last day of month m, in Excel and LibreOffice alike.
"""

from __future__ import annotations

from ...rules.declaration import NOT_APPLICABLE, Template
from ...rules.new_provider import ALL_MET, NO_CLIENTS, NOT_CONSIDERED, NOT_DEVELOPED, TO_SHOW
from ...rules.ratio.template import NO_RATIO
from ..formats import OUTPUT_FORMATS
from ..formula import (
    Formulas,
    Steps,
    blank_test,
    checks,
    date_text,
    is_yes,
    mark_wrong_postcode_rows,
    number_text,
    postcode_rows,
    status_steps,
    string,
    whole_euros_text,
    year_steps,
    yes_no_result,
)
from . import Sheets

# Outputs whose text runs over more lines than a reason's usual three (every condition failing).
TALL_OUTPUTS = {"out_redenen": 6}


def calculate(steps: Steps, spec: Template) -> Formulas:
    postcodes = spec.input("in_postcodes")
    areas = postcode_rows(steps.ws, postcodes.rows)
    year_steps(steps, spec)
    missing = [(f"AND({is_yes('in_kernwerkgebied')},{blank_test(postcodes)})", string(postcodes.label))]
    status_steps(steps, spec, checks(spec, [areas.check]), missing=missing)
    add = steps.add
    add("calc_datum", "Datum van de inschrijving", "=IF(ISNUMBER(in_inschrijfdatum),INT(in_inschrijfdatum),0)",
        kind="date")
    # No date yet is 0, which a date format would show as 30-12-1899: a zero shows as an empty cell.
    steps.ws.cell(row=steps.row - 1, column=2).number_format = f"{OUTPUT_FORMATS['date']};;"
    add("calc_voor_termijn", "Vóór de termijn", "=calc_datum<par_registration_first_day", flag=True)
    add("calc_na_termijn", "Na de termijn", "=calc_datum>par_registration_last_day", flag=True)
    add("calc_binnen_termijn", "Binnen de termijn", "=AND(NOT(calc_voor_termijn),NOT(calc_na_termijn))", flag=True)
    add("calc_eerste", "Eerste inschrijving dit contractjaar", f"=NOT({is_yes('in_eerder_ingeschreven')})", flag=True)
    add("calc_omzet", "Verwachte omzet ten minste het minimum",
        "=IF(ISNUMBER(in_verwachte_omzet),in_verwachte_omzet>=par_min_expected_turnover,FALSE)", flag=True)
    add("calc_clienten", "CZ-cliënten", areas.clients, kind="count")
    add("calc_gebieden", "Postcodegebieden met cliënten", areas.areas, kind="count")
    add("calc_ratio_geldt", "Ratio geldt (kernwerkgebied, een drempel dit jaar)",
        f"=AND({is_yes('in_kernwerkgebied')},ISNUMBER(par_threshold_new))", flag=True)
    add("calc_ratio_voldoet", "Ratio voldoet (of geldt niet)",
        "=IF(calc_ratio_geldt,AND(calc_gebieden>0,calc_clienten>=par_threshold_new*calc_gebieden),TRUE)", flag=True)
    add("calc_afgewezen", "Vorig jaar afgewezen", f"={is_yes('in_afgewezen_vorig_jaar')}", flag=True)
    add("calc_ontwikkeling", "Ontwikkeling aangetoond (of geen afwijzing)",
        f"=IF(calc_afgewezen,{is_yes('in_ontwikkeling_aangetoond')},TRUE)", flag=True)
    add("calc_in_behandeling", "In behandeling", "=AND(calc_binnen_termijn,calc_eerste,calc_ontwikkeling)", flag=True)
    add("calc_voldoet", "Voldoet aan de berekenbare eisen", "=AND(calc_in_behandeling,calc_omzet,calc_ratio_voldoet)",
        flag=True)
    add("calc_antwoord", "Antwoord verwacht (streven)",
        '=IF(calc_datum=0,"",DATE(YEAR(calc_datum),MONTH(calc_datum)+par_answer_months,MIN(DAY(calc_datum),'
        'DAY(DATE(YEAR(calc_datum),MONTH(calc_datum)+par_answer_months+1,0)))))', kind="date")
    # The reasons of the conditions not met, as the rule words them, each after "; " (cut off in out_redenen).
    window = (f'" de termijn ("&{date_text("par_registration_first_day")}&" t/m "'
              f'&{date_text("par_registration_last_day")}&"): {NOT_CONSIDERED}"')
    add("calc_reden_termijn", "Reden: termijn",
        f'=IF(OR(calc_binnen_termijn,calc_datum=0),"","; ingeschreven op "&{date_text("calc_datum")}'
        f'&IF(calc_voor_termijn,", vóór",", na")&{window})')
    ratio = number_text("ROUND(calc_clienten/calc_gebieden,2)")
    minimum = whole_euros_text("par_min_expected_turnover")
    add("calc_redenen", "Redenen (met een scheidingsteken vooraan)",
        '=calc_reden_termijn'
        f'&IF(calc_eerste,"","; tweede inschrijving voor contractjaar "&calc_jaar&": {NOT_CONSIDERED}")'
        f'&IF(calc_omzet,"","; verwachte omzet bij CZ groep lager dan € "&{minimum})'
        f'&IF(calc_ratio_voldoet,"",IF(calc_gebieden=0,{string("; " + NO_CLIENTS)},"; gemiddeld "&{ratio}'
        f'&" CZ-cliënten per postcodegebied, minder dan "&{number_text("par_threshold_new")}))'
        f'&IF(calc_ontwikkeling,"",{string("; " + NOT_DEVELOPED)})')
    return {
        "out_voldoet": yes_no_result("calc_voldoet"),
        "out_binnen_termijn": yes_no_result("calc_binnen_termijn"),
        "out_eerste_inschrijving": yes_no_result("calc_eerste"),
        "out_omzet_voldoet": yes_no_result("calc_omzet"),
        "out_ratio": f"IF(calc_gebieden=0,{string(NO_RATIO)},calc_clienten/calc_gebieden)",
        "out_ratio_voldoet": yes_no_result("calc_ratio_voldoet", not_applicable="NOT(calc_ratio_geldt)"),
        "out_ontwikkeling_voldoet": yes_no_result("calc_ontwikkeling", not_applicable="NOT(calc_afgewezen)"),
        "out_antwoord_verwacht": f'IF(calc_in_behandeling,calc_antwoord,"{NOT_APPLICABLE}")',
        "out_redenen": f'IF(calc_redenen="",{string(ALL_MET)},MID(calc_redenen,3,LEN(calc_redenen)))',
        "out_zelf_aantonen": string("; ".join(TO_SHOW)),
    }


def decorate(sheets: Sheets, spec: Template) -> None:
    """A wrong row of postcodes and clients turns red; the reasons get the lines they may need."""
    mark_wrong_postcode_rows(sheets.invoer, spec.input("in_postcodes").rows)
    names = sheets.uitkomst.parent.defined_names
    for name, lines in TALL_OUTPUTS.items():
        ((_sheet, ref),) = names[name].destinations
        sheets.uitkomst.row_dimensions[int(ref.rsplit("$", 1)[1])].height = lines * 15 + 3
