"""Exact arithmetic inside the pricing engine: ``amount × n / d``, rounded once.

Every amount the engine produces is ``price × fraction`` (or a sum of such) rounded once to the
currency's minor unit with a named mode. Two ways compute it, with the same results:

* :func:`round_ratio` / :func:`prorated_units`: the product as an exact ratio of Python
  integers, rounded by the mode's rule. Slow but obviously exact: the reference.
* :func:`share`, the fast path: ``product = amount × n`` in a 40-digit context that traps any
  rounding, and any product of 10^50 or more (its ``Emax``), so the product is exact and
  bounded; then ``product / d`` in a 60-digit context, then one ``quantize`` with the mode.
  The division rounds at the 60th digit, which could only change the final result if the
  exact quotient lay within that error of a rounding boundary (a multiple of half a minor
  unit) without lying on it. In minor units the quotient is ``A × n × 10^(e - s) / d`` for an
  amount with coefficient ``A`` and ``s`` decimals in a currency of exponent ``e``, so its
  distance from a boundary it is not on is at least ``1 / (2d × 10^max(0, s - e))``, while
  the division's error is below ``|quotient| × 10^-59``. With ``|A × n| < 10^40``, the
  product's magnitude below ``10^50`` and ``e <= 4``, the error is always the smaller, and a
  quotient exactly on a boundary has few enough digits to be represented exactly. Outside
  those bounds (the product's context traps) :func:`share` falls back to the integer path.

Money is built once, at the edge. :func:`prorated` and :func:`exchange` (the engine's hot
paths) build it by setting the two attributes ``Money.__init__`` sets, without re-checking
what they already know is a Decimal and a Currency; the result is equal to ``Money(amount,
currency)`` in type, attributes, equality, hash and repr (the tests compare them).
"""

from __future__ import annotations

import decimal
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction

from moneyed import Currency, Money

from hostbill_core.errors import ValidationError
from hostbill_core.money import minor_units
from hostbill_core.pricing._reciprocal import QUANTA, RATIOS, ROUNDING, SCALE, UPWARD, remember

__all__ = [
    "SUBTRACT",
    "arithmetic",
    "as_fraction",
    "exchange",
    "exponent_of",
    "fraction_text",
    "money_of",
    "product_text",
    "prorated",
    "prorated_units",
    "quantum_of",
    "round_ratio",
    "share",
    "times",
]

# A context wide enough that scaling an integer count of minor units never rounds.
_EXACT = decimal.Context(prec=80)
_EXPONENTS: dict[Currency, int] = {}
# The fast path's contexts: an exact product below 10^50 (any rounding, or an adjusted
# exponent above Emax, raises), and a 60-digit quotient.
_PRODUCT_LIMIT = 50
_PRODUCT = decimal.Context(
    prec=40,
    Emax=_PRODUCT_LIMIT - 1,
    traps=[decimal.Inexact, decimal.Rounded, decimal.Overflow],
)
_QUOTIENT = decimal.Context(prec=60)
# Bound once: looking a method up on a Context costs about as much as the arithmetic.
_MULTIPLY = _PRODUCT.multiply
_DIVIDE = _QUOTIENT.divide
#: ``SUBTRACT(a, b)``: the exact difference, whatever the caller's context.
SUBTRACT = _EXACT.subtract
_QUANTA: dict[str, Decimal] = {}
_new = object.__new__

# Decimal(n) for the counts of a share of a period (days: every one): a context method given
# an int converts it to a new Decimal on every call.
_COUNTS = tuple(Decimal(n) for n in range(1024))
_COUNTED = len(_COUNTS)


def quantum_of(currency: Currency) -> Decimal:
    """The minor unit of ``currency`` as a Decimal: 0.01 for USD, 1 for JPY, 0.001 for KWD."""
    found = _QUANTA.get(currency.code)
    if found is None:
        found = _QUANTA[currency.code] = Decimal(1).scaleb(-exponent_of(currency), _EXACT)
    return found


def share(
    amount: Decimal, numerator: int, denominator: int, currency: Currency, mode: str
) -> Decimal:
    """``amount × numerator / denominator`` rounded once to the minor unit of ``currency``.

    ``denominator`` is above zero. See the module docstring for why the fast path is exact.
    """
    n: int | Decimal = numerator
    d: int | Decimal = denominator
    if 0 <= numerator <= denominator < _COUNTED:  # a share of a period: no int conversion
        n, d = _COUNTS[numerator], _COUNTS[denominator]
    try:
        quantum = _QUANTA[currency.code]
    except KeyError:
        quantum = quantum_of(currency)
    try:
        product = _MULTIPLY(amount, n)
    except decimal.DecimalException:
        return _integer_share(amount, numerator, denominator, currency, mode)
    return _DIVIDE(product, d).quantize(quantum, mode, _QUOTIENT)


def prorated(price: Money, numerator: int, denominator: int, mode: str) -> Money:
    """``price × numerator / denominator`` as Money, rounded once: :func:`share` in Money.

    The general path of :func:`~hostbill_core.pricing.prorate`, which has checked that
    ``price`` is Money: the reciprocal path (:mod:`~hostbill_core.pricing._reciprocal`)
    where it applies, else :func:`share`; the Money set up directly (see the module
    docstring).
    """
    currency = price.currency
    if mode in UPWARD:
        try:
            amount = SCALE(price.amount, RATIOS[denominator][numerator]).quantize(
                QUANTA[currency.code], mode, ROUNDING
            )
        except (KeyError, decimal.DecimalException):  # a first use, or beyond the bounds
            remember(numerator, denominator, currency)
            amount = share(price.amount, numerator, denominator, currency, mode)
    else:
        amount = share(price.amount, numerator, denominator, currency, mode)
    money: Money = _new(Money)
    money.amount = amount  # type: ignore[misc]  # Final: set once, as Money.__init__ does
    money.currency = currency  # type: ignore[misc]
    return money


def exchange(
    old_price: Money, new_price: Money, left: int, whole: int, mode: str
) -> tuple[Money, Money, Money]:
    """The money of swapping prices for ``left / whole`` of a period: (credit, charge, net).

    ``credit`` is ``−share(old_price)``, ``charge`` is ``share(new_price)`` and ``net`` their
    exact sum, each in the old price's currency; the caller has checked both prices are Money
    in one currency. One call per plan change, as :func:`prorated` is one per proration.
    """
    currency = old_price.currency
    if mode in UPWARD:
        try:
            ratio = RATIOS[whole][left]
            quantum = QUANTA[currency.code]
            unused = SCALE(old_price.amount, ratio).quantize(quantum, mode, ROUNDING)
            charged = SCALE(new_price.amount, ratio).quantize(quantum, mode, ROUNDING)
        except (KeyError, decimal.DecimalException):  # a first use, or beyond the bounds
            remember(left, whole, currency)
            unused, charged = _shares(old_price, new_price, left, whole, mode)
    else:
        unused, charged = _shares(old_price, new_price, left, whole, mode)
    credit: Money = _new(Money)
    credit.amount = unused.copy_negate()  # type: ignore[misc]  # exact: a sign flip never rounds
    credit.currency = currency  # type: ignore[misc]
    charge: Money = _new(Money)
    charge.amount = charged  # type: ignore[misc]
    charge.currency = currency  # type: ignore[misc]
    net: Money = _new(Money)
    net.amount = SUBTRACT(charged, unused)  # type: ignore[misc]
    net.currency = currency  # type: ignore[misc]
    return credit, charge, net


def _shares(
    old_price: Money, new_price: Money, left: int, whole: int, mode: str
) -> tuple[Decimal, Decimal]:
    currency = old_price.currency
    return (
        share(old_price.amount, left, whole, currency, mode),
        share(new_price.amount, left, whole, currency, mode),
    )


def _integer_share(
    amount: Decimal, numerator: int, denominator: int, currency: Currency, mode: str
) -> Decimal:
    exponent = exponent_of(currency)
    units = prorated_units(amount, numerator, denominator, exponent, mode)
    return Decimal(units).scaleb(-exponent, _EXACT)


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
