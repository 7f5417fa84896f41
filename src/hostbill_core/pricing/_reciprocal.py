"""The reciprocal path: ``amount × n / d`` in one exact product and one ``quantize``.

The engine's usual rounding modes, ``ROUND_HALF_UP`` (the default) and ``ROUND_DOWN``, get
the same results as the exact quotient path (:func:`~hostbill_core.pricing._exact.share`)
with one decimal operation fewer: ``n / d`` is computed once per share and kept, rounded
*up* to 40 digits (``R >= n / d``); a proration is then ``x = amount × R``, exact in a
60-digit context that traps any rounding (:data:`SCALE`), and ``x.quantize(minor unit,
mode)``. This module holds the kept ratios and minor units and the contexts; the hot paths
(:func:`~hostbill_core.pricing.prorate`, ``exchange`` and ``prorated`` in ``_exact``) read
them directly, and :func:`remember` fills them on a first use.

Why the results are the same. Write the amount as ``A × 10^-s`` (``A`` an integer) in a
currency of exponent ``e``, and ``Q = amount × n / d`` the exact share. Since ``R >= n / d``
and the product is exact, ``|x| >= |Q|``: the error only ever moves ``x`` away from zero,
by less than ``|amount| × ulp(R) <= |x| × 10^-39``. The rounding boundaries of every mode
are multiples of half a minor unit, and a ``Q`` that is not on one is at least
``1 / (2d × 10^max(0, s - e))`` minor units away from it (because ``2 × Q × d ×
10^(s - e)`` is an integer). Within the bounds below the error is smaller than that, so
``x`` lies in the same gap between boundaries as ``Q``, or, when ``Q`` is on a boundary
(a tie, or a whole number of minor units), just beyond it away from zero. ``ROUND_DOWN``
and ``ROUND_HALF_UP`` round both the same way: a whole number plus a little goes down to
the whole number, a tie plus a little goes away from zero as the tie itself does. (The
other modes treat a tie or a whole number differently from a value just beyond it, so
they keep the quotient path.) The bounds: ``R`` has 40 digits when it is inexact, so an
exact 60-digit product means ``|A| < 10^21``; ``n <= d < 1024``; the product traps above
``10^21`` (``Emax`` 20); the currency's exponent is at most 14. Then for ``s >= e`` the
error is below ``2 × |A| × n × 10^-39 < 1`` gap, and for ``s < e`` it is below ``2d ×
|x| × 10^(e - 39) < 1`` gap (both in units of the gap above). Anything outside the bounds
is a missing ratio or minor unit (a ``KeyError``) or a trapped product (a
``DecimalException``), and the caller takes the quotient path.

The kept ratios are bounded: denominators below 1024 (a billing period's days), at most
:data:`RATIO_ENTRIES` in all; a billing run uses a few thousand (every day of months,
quarters and years).
"""

from __future__ import annotations

import decimal
from decimal import Decimal

from moneyed import Currency

from hostbill_core.money import minor_units

__all__ = [
    "QUANTA",
    "RATIOS",
    "RATIO_ENTRIES",
    "ROUNDING",
    "SCALE",
    "UPWARD",
    "remember",
]

#: The modes that may take the reciprocal path (see the module docstring).
UPWARD: frozenset[str] = frozenset({decimal.ROUND_HALF_UP, decimal.ROUND_DOWN})
#: ``RATIOS[d][n]`` is ``n / d`` rounded up to 40 digits, for ``0 <= n <= d < 1024``.
RATIOS: dict[int, dict[int, Decimal]] = {}
#: The minor unit by currency code, for currencies of exponent 14 or less.
QUANTA: dict[str, Decimal] = {}
#: At most this many kept ratios (about 150 bytes each).
RATIO_ENTRIES = 1 << 15

_DENOMINATORS = 1024
_MAX_EXPONENT = 14
_RATIO = decimal.Context(prec=40, rounding=decimal.ROUND_UP)
_SCALED = decimal.Context(
    prec=60, Emax=20, traps=[decimal.Inexact, decimal.Rounded, decimal.Overflow]
)
#: ``SCALE(amount, ratio)``: the exact product, or a DecimalException outside the bounds.
SCALE = _SCALED.multiply
#: The context of the one ``quantize`` (wide enough for any result within the bounds).
ROUNDING = decimal.Context(prec=60)

_kept = [0]  # how many ratios RATIOS holds


def remember(numerator: int, denominator: int, currency: Currency) -> None:
    """Keep ``numerator / denominator`` and the minor unit of ``currency``, within the bounds.

    Called where the reciprocal path found no ratio or minor unit; ignores a share that is
    not one of a period (``0 <= numerator <= denominator``), a denominator of 1024 or more,
    a currency of exponent above 14, and any ratio beyond :data:`RATIO_ENTRIES`.
    """
    code = currency.code
    if code not in QUANTA:
        exponent = minor_units(currency)
        if exponent <= _MAX_EXPONENT:
            QUANTA[code] = Decimal(1).scaleb(-exponent, _RATIO)
    if not 0 <= numerator <= denominator < _DENOMINATORS or not denominator:
        return
    row = RATIOS.setdefault(denominator, {})
    if numerator not in row and _kept[0] < RATIO_ENTRIES:
        row[numerator] = _RATIO.divide(numerator, denominator)
        _kept[0] += 1
