"""Claim files (declaratiedata) read once into the computations that need them: the CZ client-per-area
ratio (rule 1, `ratio.py`), the CZ-group production per month (rule 5, the omzetplafond:
`production.py`, `ceiling.py`) and the share of care inside the kernwerkgebied (rule 11, `core_area.py`).

Source of the rules: CZ groep, Zorginkoopbeleid wijkverpleging 2027, § 2.3.2 "Versnippering" (ratio
from the claims of T−2) and bijlage 1, § 1.1; § 2.3.3 and § 3.2.4 (production per month of the policy
year). Which labels belong to CZ groep: `parameters/data/market/insurers.yaml`.

One pipeline, one job per module: a claim set (`read.claim_files`: files expanded, each opened and its
columns checked once; `read` reads csv/xlsx/parquet files, DataFrames and tables as record batches) →
lines (`lines`: every line validated and put in one state; `scan`: the set read through worker threads
in file order into `Tallies`, one account of lines read, used, invalid and unknown, and one `where`
text) → what a computation keeps (`triples`: distinct provider-PC4-client triples for the ratio;
`production`/`amounts`: amounts per month) → per-provider results (`report` for the ratio).
`claimset` holds what concerns several files (repeated lines, the year of the claims), `hashing` and
`memory` the machinery.

Every line is validated. Invalid lines raise `InputError` naming file, line, column and value, or with
`skip_invalid=True` are counted per reason and reported (per provider and in total), never silently
dropped.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .ceiling import CeilingClaims, CeilingReport, CeilingRequest, ceiling_from_claims
    from .claimset import ClaimsYearError, RepeatedLinesError
    from .core_area import CoreAreaReport, core_area_share_from_claims, read_core_areas
    from .production import ProductionReport, production_from_claims
    from .ratio import METHODS, ratio_from_claims
    from .read import PROGRESS_MIN_BYTES
    from .report import ClaimsRatioReport

# What this package offers -> the module that holds it, imported on first use: the ratio does not import the
# production's modules, nor the production the ratio's (start-up: benchmarks/bench_startup.py).
_MODULES = {
    "CeilingClaims": "ceiling", "CeilingReport": "ceiling", "CeilingRequest": "ceiling",
    "ceiling_from_claims": "ceiling",
    "ClaimsYearError": "claimset", "RepeatedLinesError": "claimset",
    "CoreAreaReport": "core_area", "core_area_share_from_claims": "core_area", "read_core_areas": "core_area",
    "ProductionReport": "production", "production_from_claims": "production",
    "METHODS": "ratio", "ratio_from_claims": "ratio",
    "PROGRESS_MIN_BYTES": "read",
    "ClaimsRatioReport": "report",
}


def __getattr__(name: str) -> Any:
    if name not in _MODULES:  # (also a submodule not imported yet: `from . import read` then imports it)
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_MODULES[name]}"), name)


__all__ = ["METHODS", "PROGRESS_MIN_BYTES", "CeilingClaims", "CeilingReport", "CeilingRequest", "ClaimsRatioReport",
           "ClaimsYearError", "CoreAreaReport", "ProductionReport", "RepeatedLinesError", "ceiling_from_claims",
           "core_area_share_from_claims", "production_from_claims", "ratio_from_claims", "read_core_areas"]
