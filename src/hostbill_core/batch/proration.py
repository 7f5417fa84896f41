"""Proration of minor-unit prices by integer fractions, rounded in integers only.

``prorate(prices, numerator, denominator, policy)`` is ``price × numerator / denominator``
rounded to a whole minor unit by the policy's mode, row by row equal to
:meth:`hostbill_core.money.RoundingPolicy.round` applied to the exact decimal amount. No float
is involved: with ``q = p // d`` and ``r = p − q × d`` for ``p = price × numerator`` and
``d = denominator`` (floor division, so ``0 ≤ r < d``) the exact value is ``q + r / d``, and
each mode decides from ``r``, ``2r`` against ``d``, the sign and ``q`` whether to add one:

================  ===========================================================
ROUND_FLOOR       never
ROUND_CEILING     ``r > 0``
ROUND_DOWN        ``r > 0`` and the value is negative (towards zero)
ROUND_UP          ``r > 0`` and the value is positive (away from zero)
ROUND_HALF_UP     ``2r > d``, or ``2r = d`` and the value is positive
ROUND_HALF_DOWN   ``2r > d``, or ``2r = d`` and the value is negative
ROUND_HALF_EVEN   ``2r > d``, or ``2r = d`` and ``q`` is odd
ROUND_05UP        away from zero when inexact and the digit towards zero is 0 or 5
================  ===========================================================

Division by one denominator for every row uses numpy's multiply-and-shift division by a
constant, which is why a scalar fraction is the fastest case.

>>> import numpy as np
>>> from hostbill_core.money import RoundingPolicy
>>> prices = np.array([999, -999, 1000, 250])     # minor units
>>> prorate(prices, 1, 2, RoundingPolicy("ROUND_HALF_UP")).tolist()   # 499.5, -499.5, 500, 125
[500, -500, 500, 125]
>>> prorate(prices, 1, 2, RoundingPolicy("ROUND_HALF_EVEN")).tolist()
[500, -500, 500, 125]
>>> prorate(np.array([1000]), 12, 31, RoundingPolicy("ROUND_DOWN")).tolist()  # 387.09…
[387]
"""

from __future__ import annotations

import decimal
from collections.abc import Callable
from typing import Any

import numpy as np

from hostbill_core.batch.days import Int64Array
from hostbill_core.errors import ValidationError
from hostbill_core.money import RoundingPolicy

__all__ = ["prorate"]

_CHUNK = 1 << 16
_INT64_MAX = int(np.iinfo(np.int64).max)
Bools = np.ndarray[Any, np.dtype[np.bool_]]
# Each rule: (product p, floor quotient q, remainder r, denominator d) → add one to q?
_Rule = Callable[[Int64Array, Int64Array, Int64Array, Any], Bools]


def _half(r: Int64Array, d: Any, tie: Bools) -> Bools:
    twice = r + r
    up: Bools = (twice > d) | ((twice == d) & tie)
    return up


def _05up(p: Int64Array, q: Int64Array, r: Int64Array, _d: Any) -> Bools:
    inexact = r > 0
    toward_zero = q + (inexact & (p < 0))
    away: Bools = inexact & (toward_zero % 5 == 0)
    # Away from zero is q + 1 for a positive value, q for a negative one (q is the floor).
    up: Bools = ((p < 0) & inexact & ~away) | ((p > 0) & away)
    return up


_RULES: dict[str, _Rule] = {
    decimal.ROUND_FLOOR: lambda p, q, r, d: np.zeros(p.shape, dtype=np.bool_),
    decimal.ROUND_CEILING: lambda p, q, r, d: r > 0,
    decimal.ROUND_DOWN: lambda p, q, r, d: (r > 0) & (p < 0),
    decimal.ROUND_UP: lambda p, q, r, d: (r > 0) & (p > 0),
    decimal.ROUND_HALF_UP: lambda p, q, r, d: _half(r, d, p > 0),
    decimal.ROUND_HALF_DOWN: lambda p, q, r, d: _half(r, d, p < 0),
    decimal.ROUND_HALF_EVEN: lambda p, q, r, d: _half(r, d, (q & 1) == 1),
    decimal.ROUND_05UP: _05up,
}


def _integers(name: str, value: object) -> Int64Array:
    if isinstance(value, bool) or not isinstance(value, int | np.ndarray | np.integer):
        raise ValidationError(name, value, "an int or an int64 array (floats are inexact)")
    if isinstance(value, int) and not -_INT64_MAX <= value <= _INT64_MAX:
        raise ValidationError(name, value, "beyond the int64 range")
    array = np.asarray(value)
    if array.dtype != np.int64:
        raise ValidationError(name, array.dtype, "an int or an int64 array (floats are inexact)")
    return array


def _largest(array: Int64Array) -> int:
    """The largest magnitude, from two reductions (no temporary column)."""
    return max(-int(array.min()), int(array.max())) if array.size else 0


def _check(prices: Int64Array, numerator: Int64Array, denominator: Int64Array) -> None:
    if denominator.size and int(denominator.min()) <= 0:
        raise ValidationError("denominator", int(denominator.min()), "a denominator is above 0")
    if _largest(prices) * _largest(numerator) > _INT64_MAX:
        raise ValidationError(
            "numerator",
            _largest(numerator),
            f"price × numerator would overflow int64 (largest price {_largest(prices)})",
        )
    if 2 * _largest(denominator) > _INT64_MAX:
        raise ValidationError("denominator", _largest(denominator), "at most 2^62")


def prorate(
    prices: Int64Array,
    numerator: int | Int64Array,
    denominator: int | Int64Array,
    policy: RoundingPolicy | None = None,
) -> Int64Array:
    """``prices × numerator / denominator`` rounded to whole minor units by ``policy``.

    Args:
        prices: an int64 column of minor units (any sign).
        numerator: an int, or an int64 column as long as ``prices`` (the days used …).
        denominator: an int above 0, or an int64 column as long as ``prices``.
        policy: the rounding mode (default ROUND_HALF_UP); each row is rounded once.

    Returns:
        A new int64 column of minor units.

    Raises:
        ValidationError: a float or bool argument, columns of other lengths, a denominator
            of 0 or less, or a product ``price × numerator`` that could overflow int64.
    """
    prices = _integers("prices", prices)
    num, den = _integers("numerator", numerator), _integers("denominator", denominator)
    if prices.ndim != 1:
        raise ValidationError("prices", prices.shape, "prices are a one-dimensional column")
    for name, array in (("numerator", num), ("denominator", den)):
        if array.ndim != 0 and array.shape != prices.shape:
            raise ValidationError(name, array.shape, f"an int or a column of {len(prices)}")
    _check(prices, num, den)
    rule = _RULES[(policy or RoundingPolicy()).mode]
    out = np.empty(len(prices), dtype=np.int64)
    for lo in range(0, len(prices), _CHUNK):
        part = slice(lo, lo + _CHUNK)
        n = int(num) if num.ndim == 0 else num[part]
        d = int(den) if den.ndim == 0 else den[part]
        product = np.multiply(prices[part], n)
        q = np.floor_divide(product, d, out=out[part])  # by a scalar: multiply and shift
        r: Int64Array = np.multiply(q, d)
        np.subtract(product, r, out=r)
        q += rule(product, q, r, d)
    return out
