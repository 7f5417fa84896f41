"""Exact arithmetic inside the pricing engine: amounts as integer ratios, one rounding at the end.

Every amount the engine produces is ``price × fraction`` (or a sum of such) rounded once to the
currency's minor unit. Here that product is an exact ratio of Python integers, and
:func:`round_ratio` rounds it with the named :mod:`decimal` mode, so no intermediate Decimal
context (with its precision) ever rounds. Money is built once, at the edge, by :func:`money_of`.
"""

from __future__ import annotations

import decimal
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction

from moneyed import Currency, Money

from hostbill_core.errors import ValidationError
from hostbill_core.money import minor_units

__all__ = [
    "arithmetic",
    "as_fraction",
    "exponent_of",
    "fraction_text",
    "money_of",
    "product_text",
    "prorated_units",
    "round_ratio",
    "times",
]

# A context wide enough that scaling an integer count of minor units never rounds.
_EXACT = decimal.Context(prec=80)
_EXPONENTS: dict[Currency, int] = {}


def exponent_of(currency: Currency) -> int:
    """The minor-unit exponent of ``currency`` (JPY 0, USD 2, KWD 3), cached per currency."""
    found = _EXPONENTS.get(currency)
    if found is None:
        found = _EXPONENTS[currency] = minor_units(currency)
    return found


def _down(q: int, r: int, d: int, negative: bool) -> int:
    return q


def _up(q: int, r: int, d: int, negative: bool) -> int:
    return q + (r > 0)


def _ceiling(q: int, r: int, d: int, negative: bool) -> int:
    return q if negative else q + (r > 0)


def _floor(q: int, r: int, d: int, negative: bool) -> int:
    return q + (r > 0) if negative else q


def _half_up(q: int, r: int, d: int, negative: bool) -> int:
    return q + (2 * r >= d)


def _half_down(q: int, r: int, d: int, negative: bool) -> int:
    return q + (2 * r > d)


def _half_even(q: int, r: int, d: int, negative: bool) -> int:
    twice = 2 * r
    return q + (twice > d or (twice == d and q % 2 == 1))


def _zero_five_up(q: int, r: int, d: int, negative: bool) -> int:
    return q + (r > 0 and q % 5 == 0)


# Each rule gets the magnitude |n| / d as quotient q and remainder r, and returns the
# rounded magnitude; the sign is put back afterwards.
_RULES: dict[str, Callable[[int, int, int, bool], int]] = {
    decimal.ROUND_DOWN: _down,
    decimal.ROUND_UP: _up,
    decimal.ROUND_CEILING: _ceiling,
    decimal.ROUND_FLOOR: _floor,
    decimal.ROUND_HALF_UP: _half_up,
    decimal.ROUND_HALF_DOWN: _half_down,
    decimal.ROUND_HALF_EVEN: _half_even,
    decimal.ROUND_05UP: _zero_five_up,
}


def round_ratio(numerator: int, denominator: int, mode: str) -> int:
    """Round the exact ratio ``numerator / denominator`` to an integer with a decimal mode.

    The result equals ``Decimal(numerator / denominator).quantize(Decimal(1), mode)``
    computed without any loss of precision. ``denominator`` must be above zero.
    """
    negative = numerator < 0
    q, r = divmod(-numerator if negative else numerator, denominator)
    rounded = _RULES[mode](q, r, denominator, negative)
    return -rounded if negative else rounded


def prorated_units(
    amount: Decimal, numerator: int, denominator: int, exponent: int, mode: str
) -> int:
    """``amount × numerator / denominator`` in minor units (10^-exponent), rounded once."""
    n, d = amount.as_integer_ratio()
    return round_ratio(n * numerator * 10**exponent, d * denominator, mode)


def money_of(units: int, exponent: int, currency: Currency) -> Money:
    """The Money worth ``units`` minor units (10^-exponent each) of ``currency``."""
    return Money(Decimal(units).scaleb(-exponent, _EXACT), currency)


def as_fraction(value: object, field: str = "fraction") -> Fraction:
    """Return ``value`` as an exact Fraction between 0 and 1 inclusive.

    Raises:
        ValidationError: a float, a bool, a non-finite Decimal, another type, or a value
            outside [0, 1].
    """
    if isinstance(value, bool) or not isinstance(value, Fraction | int | Decimal):
        raise ValidationError(field, value, "a fraction is a Fraction, an int or a Decimal")
    if isinstance(value, Decimal) and not value.is_finite():
        raise ValidationError(field, value, "a fraction must be finite")
    fraction = Fraction(value)
    if not 0 <= fraction <= 1:
        raise ValidationError(field, value, "a fraction of one period lies between 0 and 1")
    return fraction


def product_text(amount: Decimal, fraction: Fraction, digits: int) -> str:
    """``amount × fraction`` written with ``digits`` decimals, cut with "…" when inexact.

    For explanations only: ``product_text(Decimal("10"), Fraction(14, 31), 4)`` is
    ``"4.5161…"``.
    """
    return fraction_text(Fraction(amount) * fraction, digits)


def fraction_text(value: Fraction, digits: int) -> str:
    """``value`` written with ``digits`` decimals, cut with "…" when inexact (integers only)."""
    negative = value < 0
    whole, rest = divmod(abs(value.numerator) * 10**digits, value.denominator)
    text = f"{whole:0{digits + 1}d}"
    sign = "-" if negative else ""
    point = f"{text[:-digits]}.{text[-digits:]}" if digits else text
    return f"{sign}{point}{'…' if rest else ''}"


def times(a: Decimal, b: Decimal) -> str:
    """The exact product ``a × b`` as plain text without trailing zeros, for explanations.

    Computed in an 80-digit context, whatever the caller's context is:
    ``times(Decimal("10.00"), Decimal("151.237"))`` is ``"1512.37"``.
    """
    return format(_EXACT.multiply(a, b).normalize(_EXACT), "f")


def arithmetic(amount: Decimal, fraction: Fraction, rounded: Decimal, exponent: int) -> str:
    """``"10.00 × 14/31 = 4.5161… → 4.52"``, or ``"10.00 × 1/2 = 5.00"`` when exact."""
    head = f"{amount} × {fraction.numerator}/{fraction.denominator}"
    if Fraction(amount) * fraction == Fraction(rounded):
        return f"{head} = {rounded}"
    return f"{head} = {product_text(amount, fraction, exponent + 2)} → {rounded}"
