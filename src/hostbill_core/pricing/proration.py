"""Proration: which share of a period a part of it is, and that share of a price, rounded once.

A :class:`ProrationConvention` turns "the period [start, end), split on a day" into exact
:class:`~fractions.Fraction` shares; :func:`prorate` multiplies a price by a share and rounds
once with a :class:`~hostbill_core.money.RoundingPolicy` (ROUND_HALF_UP unless told).

>>> from datetime import date
>>> from hostbill_core.money import to_money
>>> september = Period(date(2011, 9, 1), date(2011, 10, 1))
>>> ACTUAL_DAYS.used(september, date(2011, 9, 15))
Fraction(7, 15)
>>> prorate(to_money("10.00", "USD"), Fraction(14, 30))
Money('4.67', 'USD')
"""

from __future__ import annotations

import decimal
import enum
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from fractions import Fraction
from typing import ClassVar

import attrs
from moneyed import Money

from hostbill_core.calendar import Period
from hostbill_core.errors import ValidationError
from hostbill_core.money import RoundingPolicy
from hostbill_core.pricing._exact import as_fraction, prorated
from hostbill_core.pricing._reciprocal import QUANTA, RATIOS, ROUNDING, SCALE, UPWARD

__all__ = [
    "ACTUAL_DAYS",
    "BY_SECOND",
    "NO_PRORATION",
    "ProrationConvention",
    "ProrationMethod",
    "prorate",
]

_HALF_UP = RoundingPolicy()
_SECOND = timedelta(seconds=1)
_new = object.__new__


class ProrationMethod(enum.Enum):
    """How a part of a period is measured against the whole."""

    ACTUAL_DAYS = "actual_days"
    FIXED_DAYS = "fixed_days"
    BY_SECOND = "by_second"
    NONE = "none"


# Members as module constants: reading one off the Enum class costs more than a whole day
# count (Python 3.11), and the engine reads them on every proration.
_ACTUAL = ProrationMethod.ACTUAL_DAYS
_FIXED = ProrationMethod.FIXED_DAYS
_SECONDS = ProrationMethod.BY_SECOND
_NONE = ProrationMethod.NONE


def _days_per_month(instance: ProrationConvention, _attribute: object, value: int | None) -> None:
    fixed = instance.method is _FIXED
    if fixed and (isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 31):
        raise ValidationError("days_per_month", value, "fixed-day months count 1 to 31 days")
    if not fixed and value is not None:
        raise ValidationError("days_per_month", value, "only FIXED_DAYS counts days per month")


@attrs.frozen
class ProrationConvention:
    """How the share of a period is measured; ``ACTUAL_DAYS`` unless told.

    * ``ACTUAL_DAYS``: calendar days of the part / calendar days of the period (the day of
      the split belongs to the later part). 14 days of a 31-day month are 14/31.
    * ``fixed_days(n)``: every month counts as ``n`` days (Kill Bill's fixed-days option):
      day ``d`` of a month sits at position ``min(d - 1, n)``, so with ``n = 30`` the 31st
      counts nothing and the last day of February counts the days February lacks. A
      period that counts no day this way (one day, the 31st) falls back to actual days.
    * ``BY_SECOND``: seconds of the part / seconds of the period; the period's dates are
      midnights in ``timezone`` (UTC unless told), and a split is an aware datetime.
    * ``NONE``: no proration (Stripe's ``proration_behavior=none``): a whole period counts 1,
      any partial part counts 0.
    """

    method: ProrationMethod = ProrationMethod.ACTUAL_DAYS
    days_per_month: int | None = attrs.field(default=None, validator=_days_per_month)
    timezone: tzinfo = UTC

    ACTUAL_DAYS: ClassVar[ProrationConvention]
    BY_SECOND: ClassVar[ProrationConvention]
    NONE: ClassVar[ProrationConvention]

    @classmethod
    def fixed_days(cls, n: int) -> ProrationConvention:
        """Every month counts as ``n`` days (1 to 31; Kill Bill's usual setting is 30)."""
        return cls(ProrationMethod.FIXED_DAYS, n)

    @classmethod
    def by_second(cls, timezone: tzinfo) -> ProrationConvention:
        """Seconds, with the period's dates read as midnights in ``timezone``."""
        return cls(ProrationMethod.BY_SECOND, timezone=timezone)

    def used(self, period: Period, on: date) -> Fraction:
        """The share of ``period`` before ``on``: the part ``[period.start, on)``.

        Args:
            period: the whole period.
            on: where it is split: a date, or for ``BY_SECOND`` an aware datetime (a
                date means its midnight in the convention's timezone).

        Raises:
            ValidationError: ``on`` is outside ``[period.start, period.end]``, a datetime
                for a day convention, or a naive datetime.
        """
        before, whole = self._measure(period, on)
        if self.method is _NONE:
            return Fraction(int(before == whole))
        return Fraction(before, whole)

    def remaining(self, period: Period, on: date) -> Fraction:
        """The share of ``period`` from ``on`` to its end: the part ``[on, period.end)``.

        Arguments and errors as for :meth:`used`.
        """
        before, whole = self._measure(period, on)
        if self.method is _NONE:
            return Fraction(int(before == 0))
        return Fraction(whole - before, whole)

    def remaining_parts(self, period: Period, on: date) -> tuple[int, int]:
        """The remaining share as (numerator, denominator), not reduced: (16, 30) days.

        :meth:`remaining` as two integers, without building a Fraction (the engine's hot
        path). Arguments and errors as for :meth:`used`.
        """
        if self.method is _ACTUAL and type(on) is date:  # the usual case, in one call
            start, end = period.start, period.end
            if start <= on <= end:
                return (end - on).days, (end - start).days
        before, whole = self._measure(period, on)  # every other case, and every refusal
        if self.method is _NONE:
            return int(before == 0), 1
        return whole - before, whole

    def describe(self, period: Period, on: date) -> str:
        """The share of ``period`` from ``on`` on, in words: ``"15 of 30 days"``."""
        before, whole = self._measure(period, on)
        unit = "seconds" if self.method is _SECONDS else "days"
        text = f"{whole - before} of {whole} {unit} of {period}"
        if self.method is _FIXED:
            return f"{text} counting {self.days_per_month}-day months"
        if self.method is _NONE:
            return f"{text}, not prorated (a partial period counts nothing)"
        return text

    def _measure(self, period: Period, on: date) -> tuple[int, int]:
        """(units before ``on``, units in the whole period) in this convention's unit."""
        method = self.method
        if method is _SECONDS:
            return self._seconds(period, on)
        start, end = period.start, period.end
        if type(on) is not date and (not isinstance(on, date) or isinstance(on, datetime)):
            raise ValidationError("on", on, "a day convention splits on a datetime.date")
        if not start <= on <= end:
            raise ValidationError("on", on, f"the split must lie within {period}")
        if method is _FIXED:
            first = self._position(start)
            whole = self._position(end) - first
            if whole > 0:
                return self._position(on) - first, whole
        return (on - start).days, (end - start).days

    def _position(self, day: date) -> int:
        n = self.days_per_month or 30
        return (day.year * 12 + day.month) * n + min(day.day - 1, n)

    def _seconds(self, period: Period, on: date) -> tuple[int, int]:
        # Aware datetimes sharing a tzinfo subtract as wall times: compare them in UTC.
        start = self._midnight(period.start)
        end = self._midnight(period.end)
        if not isinstance(on, datetime):
            on = self._midnight(on)
        elif on.tzinfo is None or on.utcoffset() is None:
            raise ValidationError("on", on, "naive datetime: give an aware one, e.g. tzinfo=UTC")
        on = on.astimezone(UTC)
        if not start <= on <= end:
            raise ValidationError("on", on, f"the split must lie within {period}")
        return (on - start) // _SECOND, (end - start) // _SECOND

    def _midnight(self, day: date) -> datetime:
        return datetime.combine(day, time(), self.timezone).astimezone(UTC)


ACTUAL_DAYS = ProrationConvention.ACTUAL_DAYS = ProrationConvention()
BY_SECOND = ProrationConvention.BY_SECOND = ProrationConvention(ProrationMethod.BY_SECOND)
NO_PRORATION = ProrationConvention.NONE = ProrationConvention(ProrationMethod.NONE)


def prorate(price: Money, fraction: Fraction, policy: RoundingPolicy = _HALF_UP) -> Money:
    """``price × fraction``, rounded once to the currency's minor unit by ``policy``.

    The product is exact (integers inside); the only rounding is the policy's.

    Args:
        price: any Money (negative for a credit); it may be finer than the minor unit.
        fraction: the share, 0 to 1: a Fraction, an int or a Decimal (never a float).
        policy: the rounding (ROUND_HALF_UP unless told).

    Raises:
        ValidationError: ``price`` is not Money, or ``fraction`` is not a share from 0 to 1.

    >>> from hostbill_core.money import to_money
    >>> prorate(to_money("1000", "JPY"), Fraction(14, 31))
    Money('452', 'JPY')
    >>> prorate(to_money("10.000", "KWD"), Fraction(14, 31))
    Money('4.516', 'KWD')
    """
    if type(fraction) is Fraction and isinstance(price, Money):
        # The reciprocal path of _exact.prorated, inline (a call costs a tenth of a
        # proration); the terms straight from the slots of fractions.Fraction (the type is
        # exactly that class). A share that is not one of a period has no kept ratio.
        mode = policy.mode
        if mode in UPWARD:
            currency = price.currency
            try:
                amount = SCALE(
                    price.amount,
                    RATIOS[fraction._denominator][fraction._numerator],  # type: ignore[attr-defined]
                ).quantize(QUANTA[currency.code], mode, ROUNDING)
            except (KeyError, decimal.DecimalException):  # a first use, or beyond the bounds
                pass
            else:
                money: Money = _new(Money)
                money.amount = amount  # type: ignore[misc]  # Final: as Money.__init__ sets it
                money.currency = currency  # type: ignore[misc]
                return money
    return _prorate_checked(price, fraction, policy.mode)


def _prorate_checked(price: Money, fraction: Fraction, mode: str) -> Money:
    if type(fraction) is not Fraction:
        fraction = as_fraction(fraction)
    numerator = fraction._numerator  # type: ignore[attr-defined]
    denominator = fraction._denominator  # type: ignore[attr-defined]
    if numerator < 0 or numerator > denominator:
        as_fraction(fraction)
    if not isinstance(price, Money):
        raise ValidationError("price", price, "a price is a moneyed.Money")
    return prorated(price, numerator, denominator, mode)
