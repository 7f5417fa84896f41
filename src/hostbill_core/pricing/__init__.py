"""The pricing engine: price resolution, proration, plan changes, discounts, tax, currency change.

Every function here is pure: the date, the rates and the settings come in as arguments, and
every amount comes back with its derivation (an ``explanation``). Amounts are computed exactly
and rounded once, where the docstring says, with a named
:class:`~hostbill_core.money.RoundingPolicy`.
"""

from hostbill_core.pricing.proration import (
    ACTUAL_DAYS,
    BY_SECOND,
    NO_PRORATION,
    ProrationConvention,
    ProrationMethod,
    prorate,
)

__all__ = [
    "ACTUAL_DAYS",
    "BY_SECOND",
    "NO_PRORATION",
    "ProrationConvention",
    "ProrationMethod",
    "prorate",
]
