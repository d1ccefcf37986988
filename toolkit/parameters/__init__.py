"""Dated parameter data with sources, and its strict loader."""

from .loader import (
    DatedValue,
    InsurerGroup,
    InsurerList,
    Parameter,
    Source,
    Topic,
    all_parameters,
    load_insurers,
    load_topic,
    parse_topic,
)

__all__ = [
    "DatedValue",
    "InsurerGroup",
    "InsurerList",
    "Parameter",
    "Source",
    "Topic",
    "all_parameters",
    "load_insurers",
    "load_topic",
    "parse_topic",
]
