"""zorginkoop-toolkit: Dutch wijkverpleging providers checked against their insurers' purchasing rules.

The rules live in `toolkit.rules` (one package per rule, pure functions, each declaring itself once), their
numbers in `toolkit.parameters` (dated data); typed numbers are read by `toolkit.numbers`; claim files by
`toolkit.claims`. The `zorginkoop` command, the Excel functions and the template workbooks are thin edges
over them. What each rule exports is exported here too. Heavy readers (pyarrow, calamine) are imported only
when claim files are read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import InputError, ParameterDataError, PolicyYearError, ToolkitError
from .numbers import parse_number
from .rules import EXPORTED
from .version import __version__

if TYPE_CHECKING:
    from .claims import (
        CeilingReport,
        ClaimsRatioReport,
        CoreAreaReport,
        ProductionReport,
        ceiling_from_claims,
        core_area_share_from_claims,
        production_from_claims,
        ratio_from_claims,
    )

globals().update(EXPORTED)

# What `toolkit.claims` offers, loaded on first use.
_CLAIMS = frozenset({"ratio_from_claims", "ClaimsRatioReport", "production_from_claims", "ProductionReport",
                     "ceiling_from_claims", "CeilingReport", "core_area_share_from_claims", "CoreAreaReport"})


def __getattr__(name: str) -> Any:
    # Lazy: `import toolkit` must stay cheap for the Excel functions; pyarrow loads on first use.
    if name in _CLAIMS:
        from . import claims  # pyarrow on first use, not on `import toolkit`

        return getattr(claims, name)
    raise AttributeError(f"module 'toolkit' has no attribute {name!r}")


__all__ = ["CeilingReport", "ClaimsRatioReport", "CoreAreaReport", "InputError", "ParameterDataError",
           "PolicyYearError", "ProductionReport", "ToolkitError", "__version__", "ceiling_from_claims",
           "core_area_share_from_claims", "parse_number", "production_from_claims", "ratio_from_claims"]
__all__ += sorted(EXPORTED)
