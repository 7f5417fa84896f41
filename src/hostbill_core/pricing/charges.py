"""Charges over billed periods: one line per period, each rounded once; the total is their sum.

The renewal engine cuts the days to bill into :class:`~hostbill_core.renewal.BilledPeriod`
values with exact fractions; :func:`charge` prices them. Each line is ``price × fraction``
rounded once (ROUND_HALF_UP unless told), and the total is the exact sum of the rounded lines,
so an invoice built from the lines adds up to the charge.

>>> from datetime import date
>>> from hostbill_core.calendar import MONTHLY
>>> from hostbill_core.money import to_money
>>> from hostbill_core.renewal import billing_periods
>>> periods = billing_periods(date(2011, 9, 1), date(2011, 10, 3), MONTHLY, billing_day=15)
>>> result = charge(to_money("10.00", "USD"), periods)
>>> [str(line.amount.amount) for line in result.lines], result.total
(['4.52', '10.00'], Money('14.52', 'USD'))
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

import attrs
from moneyed import Money

from hostbill_core.calendar import Period
from hostbill_core.errors import ValidationError
from hostbill_core.money import RoundingPolicy
from hostbill_core.pricing._exact import arithmetic, exponent_of, money_of, round_ratio
from hostbill_core.renewal import BilledPeriod

__all__ = ["Charge", "ChargeLine", "charge"]


@attrs.frozen
class ChargeLine:
    """One billed period priced: ``amount = price × fraction``, rounded once.

    Attributes:
        period: the days billed.
        fraction: the share of a full cycle they are (1 for a full period).
        price: the price of one full cycle.
        amount: the rounded amount of this line.
        explanation: the period's derivation and the arithmetic, with the rounding mode.
    """

    period: Period
    fraction: Fraction
    price: Money
    amount: Money
    explanation: str


@attrs.frozen
class Charge:
    """The lines of a charge and their exact sum.

    Attributes:
        lines: one line per billed period, in date order.
        total: the exact sum of the lines' amounts (no further rounding).
    """

    lines: tuple[ChargeLine, ...]
    total: Money

    @property
    def explanation(self) -> str:
        """Every line's derivation, then the total."""
        parts = [line.explanation for line in self.lines]
        amounts = " + ".join(str(line.amount.amount) for line in self.lines) or "nothing"
        code = self.total.currency.code
        return "; ".join([*parts, f"total {amounts} = {self.total.amount} {code}"])


def charge(
    price: Money, periods: Sequence[BilledPeriod], policy: RoundingPolicy | None = None
) -> Charge:
    """Price every billed period: one line each, rounded once; the total is their exact sum.

    Args:
        price: the price of one full cycle.
        periods: the periods to bill (from :func:`~hostbill_core.renewal.billing_periods`).
        policy: the rounding of each line (ROUND_HALF_UP unless told).

    Raises:
        ValidationError: ``price`` is not Money, or a fraction is negative.

    >>> from datetime import date
    >>> from hostbill_core.calendar import MONTHLY
    >>> from hostbill_core.money import to_money
    >>> from hostbill_core.renewal import billing_periods
    >>> periods = billing_periods(date(2024, 2, 10), date(2024, 2, 10), MONTHLY, billing_day=1)
    >>> print(charge(to_money("3000", "JPY"), periods).lines[0].explanation)
    leading partial period [2024-02-10, 2024-03-01): 20 of the 29 days of the aligned period
    [2024-02-01, 2024-03-01) → 20/29; 3000 × 20/29 = 2068.96… → 2069 JPY (ROUND_HALF_UP)
    """
    if not isinstance(price, Money):
        raise ValidationError("price", price, "a price is a moneyed.Money")
    mode = (policy or RoundingPolicy()).mode
    currency = price.currency
    exponent = exponent_of(currency)
    n, d = price.amount.as_integer_ratio()
    scale = 10**exponent
    lines = []
    total = 0
    for i, billed in enumerate(periods):
        num, den = billed.fraction.as_integer_ratio()
        if num < 0:
            raise ValidationError(f"periods[{i}].fraction", billed.fraction, "must not be negative")
        units = round_ratio(n * num * scale, d * den, mode)
        total += units
        amount = money_of(units, exponent, currency)
        lines.append(
            ChargeLine(
                billed.period, billed.fraction, price, amount, _explain(billed, price, amount, mode)
            )
        )
    return Charge(tuple(lines), money_of(total, exponent, currency))


def _explain(billed: BilledPeriod, price: Money, amount: Money, mode: str) -> str:
    code = price.currency.code
    steps = arithmetic(price.amount, billed.fraction, amount.amount, exponent_of(price.currency))
    rounding = "" if billed.fraction == 1 else f" ({mode})"
    return f"{billed.explanation}; {steps} {code}{rounding}"
