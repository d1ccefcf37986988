"""Parameter values as a Dutch reader sees them, for help texts, labels and messages.

Help texts of the Excel functions, the templates' labels and input messages, the CLI's help and
`docs/functies.md` mention policy numbers ("1 FTE per 55 cliënten", "5 of meer geeft 85 %"). They
are never typed into those texts: each text is a template with `{placeholders}` filled from here, so a
parameter overlay that changes a value changes every text that shows it (tests/test_years_as_data.py).
"""

from __future__ import annotations

from decimal import Decimal

from ..numbers import format_money, format_number
from ..rules.staffel import month_name
from .loader import active, current_year, load_topic


def _percent(value: object) -> str:
    return f"{format_number(value * 100)} %" if isinstance(value, Decimal) else "-"


def _day(date: object) -> str:
    return f"{date.day} {month_name(date.month)}"  # type: ignore[attr-defined]


def _date(date: object) -> str:
    return f"{_day(date)} {date.year}"  # type: ignore[attr-defined]


def _years(years: tuple[int, ...]) -> str:
    if not years:
        return "geen"
    if list(years) == list(range(years[0], years[-1] + 1)) and len(years) > 1:
        return f"{years[0]}-{years[-1]}"
    return ", ".join(map(str, years))


def phrases(year: int | None = None) -> dict[str, str]:
    """Placeholders for the policy year `year` (default: the current one): name -> Dutch text."""
    year = current_year() if year is None else year
    ratio = load_topic("cz", "client_area_ratio")
    staffel = load_topic("cz", "staffel")
    coop = load_topic("cz", "cooperative")
    nacht = load_topic("nza", "nachtzorg")
    ceiling = load_topic("cz", "ceiling")
    own = load_topic("cz", "own_delivery")
    table = {str(row["condition"]): row["percentage"] for row in staffel.table("table", year)}
    per_fte = coop.require_decimal("clients_per_level6_fte", year)
    weeks = coop.require_decimal("weeks_per_year", year)
    day_hours = coop.require_decimal("atw_avg_week_hours", year)
    night_hours = coop.require_decimal("atw_avg_week_hours_night", year)
    offset = ratio.integer("claims_year_offset", year) if year in ratio["claims_year_offset"].values else -2
    return {
        "jaar": str(year),
        "jaar_vorig": str(year - 1),
        # The years every topic covers: a function's `jaar` works in each of them (the ratio has its own list).
        "jaren_gedekt": _years(tuple(sorted(set.intersection(*(set(t.years) for t in active().topics()))))),
        "ratio_jaren": _years(ratio.years),
        "declaratiejaar": f"T{offset:+d}",
        "declaratiejaar_voorbeeld": str(year + offset),
        "min_punten": format_number(staffel.require_decimal("min_cost_points_b", year)),
        "pct_b": _percent(table.get("b_enough_cost_points")),
        "pct_plafondvrij": _percent(table.get("ceiling_free")),
        "pct_geen_score": _percent(table.get("no_score")),
        "min_productie": format_money(staffel.require_decimal("waardemodel_min_production", year), cents=False),
        "clienten_per_fte": format_number(per_fte),
        "voltijd_uren": format_number(coop.require_decimal("fulltime_week_hours", year)),
        "uren_week": format_number(day_hours),
        "uren_week_nacht": format_number(night_hours),
        "uren_jaar": format_number(day_hours * weeks),
        "uren_jaar_nacht": format_number(night_hours * weeks),
        "gewicht_pers": _percent(nacht.require_decimal("weight_personnel", year)),
        "gewicht_mat": _percent(nacht.require_decimal("weight_material", year)),
        "min_plafond": _percent(ceiling.require_decimal("request_min_ceiling_share", year)),
        "peildatum": _day(ceiling.date("request_reference_date", year)),
        "verzoekmaand": month_name(ceiling.integer("request_month", year)),
        "verzenddatum": _date(ceiling.date("request_last_send_date", year)),
        "min_eigen": _percent(own.require_decimal("min_own_share", year)),
    }


def render(text: str, year: int | None = None) -> str:
    """`text` with its `{placeholders}` filled in for the policy year."""
    return text.format(**phrases(year))
