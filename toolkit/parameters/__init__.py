"""Dated parameter data with sources, its strict loader, and the user's overlay."""

from .loader import (
    OVERLAY_VARIABLE,
    Column,
    DatedValue,
    InsurerGroup,
    InsurerList,
    Parameter,
    ParameterSet,
    Source,
    Topic,
    active,
    all_parameters,
    current_year,
    load_insurers,
    load_topic,
    parse_topic,
    policy_year,
)

__all__ = [
    "OVERLAY_VARIABLE",
    "Column",
    "DatedValue",
    "InsurerGroup",
    "InsurerList",
    "Parameter",
    "ParameterSet",
    "Source",
    "Topic",
    "active",
    "all_parameters",
    "current_year",
    "load_insurers",
    "load_topic",
    "parse_topic",
    "policy_year",
]
