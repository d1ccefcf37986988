"""zorginkoop-toolkit: Dutch wijkverpleging providers checked against their insurers' purchasing rules.

The rules live in `toolkit.rules` (one package per rule, pure functions, each declaring itself once), their
numbers in `toolkit.parameters` (dated data); typed numbers are read by `toolkit.numbers`; claim files by
`toolkit.claims`. The `zorginkoop` command, the Excel functions and the template workbooks are thin edges
over them. What each rule exports is exported here too. Heavy readers (pyarrow, calamine) are imported only
when claim files are read, and the rules when one of them is first asked for (`toolkit.rules`): `import
toolkit` stays cheap for the command line and the Excel functions.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# (`X as X`: exported; `__all__` is made on first use, below, with what the rules export)
from .errors import InputError as InputError
from .errors import ParameterDataError as ParameterDataError
from .errors import PolicyYearError as PolicyYearError
from .errors import ToolkitError as ToolkitError
from .numbers import parse_number as parse_number
from .version import __version__ as __version__

if TYPE_CHECKING:
    from .claims import CeilingReport as CeilingReport
    from .claims import ClaimsRatioReport as ClaimsRatioReport
    from .claims import CoreAreaReport as CoreAreaReport
    from .claims import ProductionReport as ProductionReport
    from .claims import ceiling_from_claims as ceiling_from_claims
    from .claims import core_area_share_from_claims as core_area_share_from_claims
    from .claims import production_from_claims as production_from_claims
    from .claims import ratio_from_claims as ratio_from_claims

# What `toolkit.claims` offers, loaded on first use.
_CLAIMS = frozenset({"ratio_from_claims", "ClaimsRatioReport", "production_from_claims", "ProductionReport",
                     "ceiling_from_claims", "CeilingReport", "core_area_share_from_claims", "CoreAreaReport"})


# What this module exports itself (the rules export theirs: `toolkit.rules.EXPORTED`).
_OWN = ["CeilingReport", "ClaimsRatioReport", "CoreAreaReport", "InputError", "ParameterDataError", "PolicyYearError",
        "ProductionReport", "ToolkitError", "__version__", "ceiling_from_claims", "core_area_share_from_claims",
        "parse_number", "production_from_claims", "ratio_from_claims"]


def __getattr__(name: str) -> Any:
    # Lazy: `import toolkit` must stay cheap for the Excel functions and the command line.
    if name in _CLAIMS:
        # pyarrow on first use, not on `import toolkit` (not `from . import claims`: that asks this
        # function for `claims` first, which would find the rules)
        return getattr(importlib.import_module(f"{__name__}.claims"), name)
    if name.startswith("_") and name != "__all__":
        raise AttributeError(name)  # a private module being imported (`from .. import _arrow`), a probe
    from .rules import EXPORTED  # the rules on first use: their discovery imports every one

    if name == "__all__":
        return [*_OWN, *sorted(EXPORTED)]
    if name in EXPORTED:
        return EXPORTED[name]
    raise AttributeError(f"module 'toolkit' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__getattr__("__all__")})
