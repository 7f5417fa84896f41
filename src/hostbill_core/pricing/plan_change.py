"""A plan change within a paid period: credit the unused old price, charge the new one.

:func:`change_plan` splits the current period on the change date with a
:class:`~hostbill_core.pricing.ProrationConvention`; the remaining share of the old price is
credited and the same share of the new price charged, each rounded once. The due date does
not move. An upgrade nets a charge, a downgrade a credit; a change to the same price nets zero
under every rounding mode, because the credit is the rounded share of the old price, negated.

>>> from datetime import date
>>> from hostbill_core.calendar import Period
>>> from hostbill_core.money import to_money
>>> april = Period(date(2026, 4, 1), date(2026, 5, 1))
>>> change = change_plan(to_money("10.00", "USD"), to_money("20.00", "USD"), april,
...                      date(2026, 4, 16))
>>> change.credit, change.charge, change.net
(Money('-5.00', 'USD'), Money('10.00', 'USD'), Money('5.00', 'USD'))
>>> print(change.explanation)
plan change on 2026-04-16: 15 of 30 days of [2026-04-01, 2026-05-01) remain;
credit −(10.00 × 1/2 = 5.00); charge 20.00 × 1/2 = 10.00; net 5.00 USD
(ROUND_HALF_UP, each amount rounded once)
"""

from __future__ import annotations

import decimal
from datetime import date
from fractions import Fraction
from typing import NamedTuple

from moneyed import Money

from hostbill_core.calendar import Period
from hostbill_core.errors import CurrencyMismatchError, ValidationError
from hostbill_core.money import RoundingPolicy
from hostbill_core.pricing._exact import SUBTRACT, arithmetic, exchange, exponent_of
from hostbill_core.pricing._reciprocal import QUANTA, RATIOS, ROUNDING, SCALE, UPWARD
from hostbill_core.pricing.proration import ACTUAL_DAYS, ProrationConvention, ProrationMethod

__all__ = ["PlanChange", "change_plan"]

_HALF_UP = RoundingPolicy()
_new_tuple = tuple.__new__
_new = object.__new__
_ACTUAL = ProrationMethod.ACTUAL_DAYS


class PlanChange(NamedTuple):
    """The money of a plan change inside one paid period (an immutable value).

    A named tuple rather than an attrs class: it is built once per change in a billing run,
    and attrs' frozen ``__init__`` costs more than the arithmetic (see benchmarks/pricing.py).

    Attributes:
        old_price: the price of the period under the old plan.
        new_price: the price of the same period under the new plan.
        period: the paid period the change falls in; the due date stays its end.
        on: the change date (the day itself belongs to the new plan).
        credit: the unused part of the old price, negative (or zero).
        charge: the remaining part of the new price (zero or more).
        net: ``charge + credit``: above zero to invoice, below zero to give back.
        convention: how the remaining share was measured.
        policy: how each amount was rounded.
    """

    old_price: Money
    new_price: Money
    period: Period
    on: date
    credit: Money
    charge: Money
    net: Money
    convention: ProrationConvention
    policy: RoundingPolicy

    @property
    def remaining(self) -> Fraction:
        """The share of the period from ``on`` to its end."""
        return self.convention.remaining(self.period, self.on)

    @property
    def explanation(self) -> str:
        """The derivation of the credit, the charge and the net, with the rounding."""
        exponent = exponent_of(self.net.currency)
        share = self.remaining
        credit = arithmetic(self.old_price.amount, share, -self.credit.amount, exponent)
        charge = arithmetic(self.new_price.amount, share, self.charge.amount, exponent)
        return (
            f"plan change on {self.on.isoformat()}: "
            f"{self.convention.describe(self.period, self.on)} remain; credit −({credit}); "
            f"charge {charge}; net {self.net.amount} {self.net.currency.code} "
            f"({self.policy.mode}, each amount rounded once)"
        )


def change_plan(
    old_price: Money,
    new_price: Money,
    period: Period,
    on: date,
    *,
    convention: ProrationConvention = ACTUAL_DAYS,
    policy: RoundingPolicy = _HALF_UP,
) -> PlanChange:
    """Credit the rest of ``period`` at ``old_price`` and charge it at ``new_price``.

    Args:
        old_price: the old plan's price for the whole ``period`` (zero or more).
        new_price: the new plan's price for a period of the same cycle (zero or more).
        period: the paid period the change falls in.
        on: the change date, within ``period`` (an aware datetime for ``BY_SECOND``).
        convention: how the remaining share is measured (actual days unless told).
        policy: the rounding of the credit and the charge (ROUND_HALF_UP unless told).

    Raises:
        CurrencyMismatchError: the two prices are in different currencies.
        ValidationError: a negative price, or ``on`` outside the period.
    """
    if not (isinstance(old_price, Money) and isinstance(new_price, Money)) or (
        old_price.amount.is_signed() or new_price.amount.is_signed()
    ):
        _check_price("old_price", old_price)  # raises the first error, in argument order
        _check_price("new_price", new_price)
    currency = old_price.currency
    if new_price.currency is not currency and new_price.currency != currency:
        raise CurrencyMismatchError(currency.code, new_price.currency.code, "plan change")
    # The usual case inline (each call costs a tenth of a plan change): remaining_parts for
    # actual days and a date within the period, then _exact.exchange's reciprocal path.
    start, end = period.start, period.end
    if convention.method is _ACTUAL and type(on) is date and start <= on <= end:
        left, whole = (end - on).days, (end - start).days
    else:
        left, whole = convention.remaining_parts(period, on)
    mode = policy.mode
    credit: Money | None = None
    if mode in UPWARD:
        try:
            ratio, quantum = RATIOS[whole][left], QUANTA[currency.code]
            unused = SCALE(old_price.amount, ratio).quantize(quantum, mode, ROUNDING)
            charged = SCALE(new_price.amount, ratio).quantize(quantum, mode, ROUNDING)
        except (KeyError, decimal.DecimalException):  # a first use, or beyond the bounds
            pass
        else:  # the three Money set up as _exact.exchange does
            credit, charge, net = _new(Money), _new(Money), _new(Money)
            credit.amount, credit.currency = unused.copy_negate(), currency  # type: ignore[misc]
            charge.amount, charge.currency = charged, currency  # type: ignore[misc]
            net.amount, net.currency = SUBTRACT(charged, unused), currency  # type: ignore[misc]
    if credit is None:
        credit, charge, net = exchange(old_price, new_price, left, whole, mode)
    # A PlanChange is a tuple: build it as its generated __new__ does, without the extra call.
    return _new_tuple(
        PlanChange, (old_price, new_price, period, on, credit, charge, net, convention, policy)
    )


def _check_price(field: str, price: object) -> None:
    if not isinstance(price, Money):
        raise ValidationError(field, price, "a price is a moneyed.Money")
    if price.amount.is_signed():
        raise ValidationError(field, price, "a plan's price is zero or more")
