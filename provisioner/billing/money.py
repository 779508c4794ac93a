"""Money: exact until the one rounding.

Quantities (resource x seconds / seconds per price period) are exact rationals
(fractions.Fraction), prices are Decimal, and products and sums stay exact. The one
rounding is `fee()`: a system's final yearly fee, ROUND_HALF_UP to 0.01 yuan. Department and
region totals are sums of rounded fees, so every total in the CSV adds up to the cent.
Intermediate amounts are shown (`shown()`) with more places, for reading only.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

CENT = Decimal("0.01")


def exact(value: Decimal | Fraction | int) -> Fraction:
    return value if isinstance(value, Fraction) else Fraction(value)


def fee(amount: Fraction) -> Decimal:
    """THE rounding: an exact amount to yuan with two places, ROUND_HALF_UP (0.005 -> 0.01).

    Done on the exact rational, so a tie is a true tie (converting to Decimal first could
    round twice)."""
    cents, remainder = divmod(abs(amount.numerator) * 100, amount.denominator)     # integers: exact and fast
    if 2 * remainder >= amount.denominator:
        cents += 1
    result = Decimal(cents) * CENT
    return -result if amount < 0 else result


def yuan(amount: Fraction | Decimal | int) -> str:
    """THE display of an amount of money, in the report and the CSV alike: 1,587.53.

    Two places, half up, thousands separated. Spreadsheets read "1,587.53" as the number
    1587.53 and show it the same way; a fee (already rounded by `fee`) shows unchanged."""
    if not isinstance(amount, Decimal):
        ratio = exact(amount)
        amount = Decimal(ratio.numerator) / Decimal(ratio.denominator)
    return f"{amount.quantize(CENT, rounding=ROUND_HALF_UP):,}"


def factor(value: Decimal) -> str:
    """A settlement factor (evaluation, utilisation) with its two places: 1.00, 0.97."""
    return f"{value.quantize(CENT, rounding=ROUND_HALF_UP)}"


def shown(amount: Fraction, places: int = 4) -> str:
    """For display of intermediate values only (never fed back into a computation)."""
    return str((Decimal(amount.numerator) / Decimal(amount.denominator)).quantize(
        Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def ratio_shown(value: Fraction | None, places: int = 4) -> str:
    return "" if value is None else shown(value, places)

