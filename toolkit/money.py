"""Money rounded as Excel rounds it.

SPEC "General conventions": money is `Decimal`, rounded to cents with ROUND_HALF_UP only at the end
of a calculation, exactly as Excel's ROUND(x, 2). Python's round() is banker's rounding and would
disagree on half-cent cases. A float is first read as the decimal Excel would display
(15 significant digits), so 0.125 stays 0.125 and 2.675 becomes 2.675, not 2.67499999….
Reading typed amounts is `toolkit.numbers`' job.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from .errors import InputError, show_value
from .numbers import parse_number

CENT = Decimal("0.01")


def round_money(value: Decimal | int | float, places: int = 2) -> Decimal:
    """Round half away from zero to `places` decimals, as Excel's ROUND(x, places)."""
    # A Decimal is a computed amount (exact, any size the arithmetic gave); other numbers are inputs.
    amount: Decimal = value if isinstance(value, Decimal) else parse_number(value, kind="number", field="bedrag")
    if not amount.is_finite():
        raise InputError(f"bedrag {show_value(amount)} is geen eindig getal", field="bedrag", value=value)
    try:
        return amount.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    except InvalidOperation:
        # More digits than Decimal's 28-digit context holds: far beyond any real budget.
        raise InputError(f"bedrag {show_value(amount)} is te groot om op centen af te ronden", field="bedrag",
                         value=value) from None
