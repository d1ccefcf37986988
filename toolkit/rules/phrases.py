"""Parameter values as a Dutch reader sees them, for help texts, labels and messages.

Help texts of the Excel functions, the templates' labels and input messages, the CLI's help and
`docs/functies.md` mention policy numbers ("1 FTE per 55 cliënten", "5 of meer geeft 85 %"). They are never
typed into those texts: each text is a template with `{placeholders}`, filled here from the parameter data,
so a parameter overlay that changes a value changes every text that shows it (tests/test_years_as_data.py).
Each rule declares the placeholders of its own numbers (`Rule.phrases`); the year ones are here.
"""

from __future__ import annotations

from ..dates import years_listed
from ..parameters import active, current_year


def phrases(year: int | None = None) -> dict[str, str]:
    """Placeholders for the policy year `year` (default: the current one): name -> Dutch text."""
    year = current_year() if year is None else year
    result = {
        "jaar": str(year),
        "jaar_vorig": str(year - 1),
        # The years every topic covers: a function's `jaar` works in each of them (the ratio has its own list).
        "jaren_gedekt": years_listed(tuple(sorted(set.intersection(*(set(t.years) for t in active().topics()))))),
    }
    from . import RULES  # every rule's phrases: found here, not when a help text is only defined

    for rule in RULES.values():
        if rule.phrases is not None:
            result.update(rule.phrases(year))
    return result


def render(text: str, year: int | None = None) -> str:
    """`text` with its `{placeholders}` filled in for the policy year."""
    return text.format(**phrases(year))


__all__ = ["phrases", "render"]
