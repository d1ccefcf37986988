"""Seeded INPUTS rows for the recalculation tests: random cases plus the boundaries that matter, one module
per template (`<template>.py` with `cases(count, seed)`), found by name: a new template adds its module here.

Boundaries: a ratio exactly at the threshold and one client short; 55 × fte exactly equal to the
clients; amounts whose exact product ends in half a cent; hours exactly at the ATW cap; empty
optional inputs; case and spacing variants of scores, postcodes and choices.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable

from .common import Row

GENERATORS: dict[str, Callable[..., list[Row]]] = {
    module.name: importlib.import_module(f"{__name__}.{module.name}").cases
    for module in pkgutil.iter_modules(__path__) if module.name != "common"
}

__all__ = ["GENERATORS", "Row"]
