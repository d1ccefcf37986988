"""Rule 4 as a template workbook (`templates/nachtzorg.xlsx`): inputs, outputs and the Python engine (the
formulas: `toolkit/workbook/formulas/nachtzorg.py`)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from ..declaration import PERCENT_HELP, Input, Output, Template, template_year, year_input
from .rule import METHODS, index_nachtzorg_budget, weighted_index


def _engine(v: Mapping[str, Any]) -> dict[str, Any]:
    year = template_year(v)
    w_t = weighted_index(v["in_pers_voorlopig_t"], v["in_mat_voorlopig_t"], year=year)
    w_prev = weighted_index(v["in_pers_voorlopig_t1"], v["in_mat_voorlopig_t1"], year=year)
    w_final = weighted_index(v["in_pers_definitief_t1"], v["in_mat_definitief_t1"], year=year)
    result = index_nachtzorg_budget(
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


TEMPLATE = Template(
    "nachtzorg", "Indexatie budget onplanbare nachtzorg", "3.2",
    inputs=(
        Input("in_begroting", "Goedgekeurde begroting (€)", "number", "Het goedgekeurde budget onplanbare nachtzorg.",
              quantity="money"),
        Input("in_pers_voorlopig_t", "Personeel, voorlopig T", "number",
              "NZa-personeelsindex (OVA): typ 3,1% of 0,031.", quantity="index"),
        Input("in_mat_voorlopig_t", "Materieel, voorlopig T", "number",
              "CPB-prijsindex (particuliere consumptie): typ 2,4% of 0,024.", quantity="index"),
        Input("in_pers_voorlopig_t1", "Personeel, voorlopig T-1", "number", PERCENT_HELP, quantity="index"),
        Input("in_mat_voorlopig_t1", "Materieel, voorlopig T-1", "number", PERCENT_HELP, quantity="index"),
        Input("in_pers_definitief_t1", "Personeel, definitief T-1", "number", PERCENT_HELP, quantity="index"),
        Input("in_mat_definitief_t1", "Materieel, definitief T-1", "number", PERCENT_HELP, quantity="index"),
        Input("in_zvw_aandeel", "Zvw-aandeel", "number", "Deel voor Zvw-cliënten: typ 75% of 0,75; leeg = 100%.",
              quantity="share", required=False),
        Input("in_methode", "Methode", "choice",
              "multiplicatief (zoals de NZa een correctie doorrekent) of additief (de letterlijke tekst).",
              choices=("multiplicatief", "additief"), required=False, vocabulary=METHODS),
        year_input(),
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
        Output("out_vergoeding_zvw", "Vergoeding Zvw-deel (€)", "money", help="Geïndexeerde begroting × Zvw-aandeel."),
    ),
    engine=_engine, topics=(("nza", "nachtzorg"),),
    rule_fields={"budget": "begroting", "zvw_share": "zvw_aandeel", "method": "methode", "personnel": "pers_*",
                 "material": "mat_*", "year": "jaar"},
    purpose=("Indexeert het budget onplanbare nachtzorg met de gewogen NZa-index ({gewicht_pers} personeelsindex, "
             "{gewicht_mat} materiële index): de voorlopige index van jaar T, gecorrigeerd voor het verschil tussen "
             "de definitieve en de voorlopige index van T-1. Alleen het deel voor Zvw-cliënten wordt vergoed."),
    reading=("De indexfactor vermenigvuldigt de goedgekeurde begroting. Multiplicatief rekent de correctie door "
             "zoals de NZa dat doet; additief volgt de letterlijke tekst (het verschil is klein). Typ de indexen als "
             "percentage (4,72%) of als fractie (0,0472)."),
)

__all__ = ["TEMPLATE"]
