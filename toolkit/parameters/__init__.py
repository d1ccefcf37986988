"""Dated parameter data with sources, its strict loader, the user's overlay, and the plausible ranges of typed
inputs."""

from ..numbers import Quantity
from .loader import (
    OVERLAY_VARIABLE,
    InsurerGroup,
    InsurerList,
    ParameterSet,
    active,
    all_parameters,
    current_year,
    load_insurers,
    load_topic,
    overlay_in_force,
    policy_year,
)
from .plausible import date_bounds, plausible_date, quantities, quantity
from .schema import Column, DatedValue, Parameter, Source, Topic, parse_topic

__all__ = [
    "OVERLAY_VARIABLE",
    "Column",
    "DatedValue",
    "InsurerGroup",
    "InsurerList",
    "Parameter",
    "ParameterSet",
    "Quantity",
    "Source",
    "Topic",
    "active",
    "all_parameters",
    "current_year",
    "date_bounds",
    "load_insurers",
    "load_topic",
    "overlay_in_force",
    "parse_topic",
    "plausible_date",
    "policy_year",
    "quantities",
    "quantity",
]
