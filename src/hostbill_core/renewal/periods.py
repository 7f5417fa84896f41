"""Billing periods, billed in advance, optionally aligned to a billing day.

:func:`billing_periods` cuts the days from a service's start into the periods an invoice bills,
each with the exact fraction of a full cycle it represents.

Semantics:

- **In advance.** Every period whose start is on or before ``target`` is billed; a target
  exactly on a billing date bills the period that starts there. Periods that start on or after
  ``end`` are not billed.
- **Aligned billing dates.** For month and year cycles with a ``billing_day`` (1–31), billing
  dates fall on that day, clamped to each month's end and re-applied every period (day 31 gives
  31 Jan, 28 Feb, 31 Mar: no drift). The first billing date is the billing day in the start's
  month, or one cycle later if that is before the start; a yearly cycle keeps the start's
  month. Without a billing day (and always for day and week cycles) the billing dates are the
  start's own due-date series, ``start + n × cycle``.
- **Partial periods.** A leading partial period ``[start, first billing date)`` and a trailing
  partial period ``[last billing date, end)`` have ``fraction = its days / the days of the
  full aligned period that contains it`` (from the previous aligned billing date to the next:
  28–31 days for a month, 89–92 for a quarter, 365/366 for a year). Full periods have
  fraction 1. Fractions are exact :class:`fractions.Fraction` values; rounding an amount is
  the pricing engine's business.

Over ``[start, end)`` the fractions therefore add up to the number of cycles the interval
spans, counting every day as ``1 / (days of its aligned period)``.

>>> from datetime import date
>>> from hostbill_core.calendar import MONTHLY
>>> for billed in billing_periods(date(2011, 2, 1), date(2011, 2, 13), MONTHLY, billing_day=13):
...     print(billed.period, billed.fraction)
[2011-02-01, 2011-02-13) 12/31
[2011-02-13, 2011-03-13) 1
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, timedelta
from fractions import Fraction

import attrs

from hostbill_core.calendar import BillingCycle, Period, add_months
from hostbill_core.errors import ValidationError
from hostbill_core.renewal._checks import require_date

__all__ = ["BilledPeriod", "billing_periods"]


@attrs.frozen
class BilledPeriod:
    """One period an invoice bills, and the share of a full cycle it represents.

    Attributes:
        period: the half-open days billed, ``[start, end)``.
        fraction: the exact share of a full cycle: 1 for a full period, ``days / days of the
            aligned period containing it`` for a leading or trailing partial period.
        explanation: how the period and its fraction were derived, in words.
    """

    period: Period
    fraction: Fraction
    explanation: str

    @property
    def is_partial(self) -> bool:
        """True for a leading or trailing partial period (fraction below 1)."""
        return self.fraction != 1


def _validate(
    start: date, target: date, cycle: BillingCycle, billing_day: int | None, end: date | None
) -> None:
    require_date("start", start)
    require_date("target", target)
    if not isinstance(cycle, BillingCycle):
        raise ValidationError("cycle", cycle, "a BillingCycle is required (e.g. MONTHLY)")
    if billing_day is not None and (
        isinstance(billing_day, bool)
        or not isinstance(billing_day, int)
        or not 1 <= billing_day <= 31
    ):
        raise ValidationError("billing_day", billing_day, "a billing day is 1 to 31, or None")
    if end is not None:
        require_date("end", end)
    if target < start:
        raise ValidationError("target", target, f"billing runs on or after the start ({start})")
    if end is not None and end <= start:
        raise ValidationError("end", end, f"the end must be after the start ({start})")


def _aligned_series(
    start: date, cycle: BillingCycle, billing_day: int | None
) -> tuple[Callable[[int], date], int]:
    """The aligned billing dates ``k -> a(k)`` and the index of the first one on/after start."""
    if not cycle.is_calendar:
        step = cycle.in_days
        return (lambda k: start + timedelta(days=k * step)), 0
    months = cycle.in_months
    day = start.day if billing_day is None else billing_day
    base = start.replace(day=1)

    def aligned(k: int) -> date:
        return add_months(base, k * months, sticky_day=day)

    return aligned, (0 if aligned(0) >= start else 1)


def _billed(days: Period, whole: Period, label: str) -> BilledPeriod:
    fraction = Fraction(days.days, whole.days)
    if fraction == 1:
        return BilledPeriod(days, fraction, f"full period {days} → 1")
    return BilledPeriod(
        days,
        fraction,
        f"{label} partial period {days}: {days.days} of the {whole.days} days of the aligned "
        f"period {whole} → {fraction}",
    )


def _walk(
    start: date, target: date, cycle: BillingCycle, billing_day: int | None, end: date | None
) -> Iterator[BilledPeriod]:
    aligned, k = _aligned_series(start, cycle, billing_day)
    first = aligned(k)
    if first > start:
        stop = first if end is None else min(first, end)
        yield _billed(Period(start, stop), Period(aligned(k - 1), first), "leading")
    current = first
    while current <= target and (end is None or current < end):
        k += 1
        following = aligned(k)
        whole = Period(current, following)
        if end is not None and end < following:
            yield _billed(Period(current, end), whole, "trailing")
        else:
            yield _billed(whole, whole, "full")
        current = following


def billing_periods(
    start: date,
    target: date,
    cycle: BillingCycle,
    *,
    billing_day: int | None = None,
    end: date | None = None,
) -> tuple[BilledPeriod, ...]:
    """The periods billed in advance from ``start`` up to ``target``, with exact fractions.

    Every period whose start is on or before ``target`` is billed (in advance), none that
    starts on or after ``end``. See the module docstring for billing-day alignment and how a
    partial period's fraction is counted (its days over the days of the aligned period that
    contains it).

    Args:
        start: the first day billed (a service's start or activation date).
        target: the billing run's date: periods starting on or before it are billed.
        cycle: the billing cycle.
        billing_day: day of month (1–31) billing dates are aligned to, clamped to each
            month's end; month and year cycles only (ignored for day and week cycles).
            None aligns to the start's own day.
        end: the first day not billed (cancellation or contract end), or None.

    Returns:
        The billed periods in date order, contiguous from ``start``.

    Raises:
        ValidationError: ``target`` before ``start``; ``end`` not after ``start``; a
            ``billing_day`` outside 1–31; a non-date or a datetime; a cycle that is not a
            :class:`~hostbill_core.calendar.BillingCycle`.

    Examples:
        >>> from hostbill_core.calendar import QUARTERLY
        >>> [(str(b.period), b.fraction) for b in billing_periods(
        ...     date(2024, 1, 1), date(2024, 1, 1), QUARTERLY, end=date(2024, 2, 1))]
        [('[2024-01-01, 2024-02-01)', Fraction(31, 91))]
    """
    _validate(start, target, cycle, billing_day, end)
    return tuple(_walk(start, target, cycle, billing_day, end))
