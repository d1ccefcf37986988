"""Rule 4, the indexation of the onplanbare nachtzorg budget, in formulas (`templates/nachtzorg.xlsx`; the
Python engine: `toolkit/rules/nachtzorg/template.py`)."""

from __future__ import annotations

from ...rules.declaration import Template
from ..formula import Formulas, Steps, checks, is_choice, status_steps, year_steps


def calculate(steps: Steps, spec: Template) -> Formulas:
    year_steps(steps, spec)
    status_steps(steps, spec, checks(spec))
    steps.add("calc_zvw", "Zvw-aandeel (leeg = 100%)", "=IF(ISNUMBER(in_zvw_aandeel),in_zvw_aandeel,1)",
              kind="fraction")
    steps.add("calc_index_t", "Gewogen index voorlopig T",
              "=par_weight_personnel*in_pers_voorlopig_t+par_weight_material*in_mat_voorlopig_t", kind="index")
    steps.add("calc_index_t1", "Gewogen index voorlopig T-1",
              "=par_weight_personnel*in_pers_voorlopig_t1+par_weight_material*in_mat_voorlopig_t1", kind="index")
    steps.add("calc_index_def", "Gewogen index definitief T-1",
              "=par_weight_personnel*in_pers_definitief_t1+par_weight_material*in_mat_definitief_t1", kind="index")
    additive = is_choice(spec.input("in_methode"), "additive")
    steps.add("calc_factor", "Indexfactor", f"=IF({additive},1+calc_index_t+calc_index_def-calc_index_t1,"
              "(1+calc_index_t)*(1+calc_index_def)/(1+calc_index_t1))", kind="factor")
    return {
        "out_index_t": ("calc_index_t"),
        "out_index_t1_voorlopig": ("calc_index_t1"),
        "out_index_t1_definitief": ("calc_index_def"),
        "out_correctie": ("calc_index_def-calc_index_t1"),
        "out_factor": ("calc_factor"),
        "out_begroting_geindexeerd": ("ROUND(ROUND(in_begroting*calc_factor,9),2)"),
        "out_vergoeding_zvw": ("ROUND(ROUND(in_begroting*calc_factor*calc_zvw,9),2)"),
    }
