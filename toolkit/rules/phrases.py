"""Parameter values as a Dutch reader sees them, for help texts, labels and messages.

Help texts of the Excel functions, the templates' labels and input messages, the CLI's help and
`docs/functies.md` mention policy numbers ("1 FTE per 55 cliënten", "5 of meer geeft 85 %"). They are never
typed into those texts: each text is a template with `{placeholders}`, filled here from the parameter data,
so a parameter overlay that changes a value changes every text that shows it (tests/test_years_as_data.py).
Each rule declares the placeholders of its own numbers (`Rule.phrases`); the year ones are here.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from types import MappingProxyType

from ..dates import years_listed
from ..parameters import ParameterSet, active


def phrases(year: int | None = None) -> dict[str, str]:
    """Placeholders for the policy year `year` (default: the current one): name -> Dutch text."""
    return dict(_in_force(year))


def render(text: str, year: int | None = None) -> str:
    """`text` with its `{placeholders}` filled in for the policy year."""
    return text.format_map(_in_force(year))


def _in_force(year: int | None) -> Mapping[str, str]:
    data = active()
    return _phrases(data, data.current_year if year is None else year)


# Made once per parameter set and year: a template's texts are a few hundred renderings, and every one
# asked each rule for its phrases again (a quarter of `fill`'s start-up). The parameter set is the key
# itself, not its id: one that is loaded anew is never taken for the old one. Only for the set in force
# (`_in_force`): the rules read their numbers from that one.
@cache
def _phrases(data: ParameterSet, year: int) -> Mapping[str, str]:
    assert data is active(), "placeholders are made for the parameter data in force only"
    result = {
        "jaar": str(year),
        "jaar_vorig": str(year - 1),
        # The years every topic covers: a function's `jaar` works in each of them (the ratio has its own list).
        "jaren_gedekt": years_listed(tuple(sorted(set.intersection(*(set(t.years) for t in data.topics()))))),
    }
    from . import RULES  # every rule's phrases: found here, not when a help text is only defined

    for rule in RULES.values():
        if rule.phrases is not None:
            result.update(rule.phrases(year))
    return MappingProxyType(result)


__all__ = ["phrases", "render"]
