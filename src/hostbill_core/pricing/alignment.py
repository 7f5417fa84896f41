"""The first charge of a service aligned to a fixed billing day ("prorata day"), with a cut-off.

A business that bills every service on the same day of the month (WHMCS's "prorata day",
Blesta's "pro rata day") charges a new service for the leading partial period up to that day;
ordered after the cut-off day (WHMCS's "charge next month", Blesta's "pro rata cutoff"), the
first invoice covers the next full period too, so the client is not invoiced twice within a
few days. The periods and their exact fractions come from
:func:`~hostbill_core.renewal.billing_periods` (a partial period's days over the days of the
aligned period that holds it); :func:`~hostbill_core.pricing.charge` prices them.

>>> from datetime import date
>>> from hostbill_core.calendar import MONTHLY
>>> from hostbill_core.money import to_money
>>> first = align_to_billing_day(to_money("10.00", "USD"), date(2026, 3, 25), MONTHLY, 1,
...                              cutoff_day=20)
>>> [str(line.period) for line in first.charge.lines], first.charge.total
(['[2026-03-25, 2026-04-01)', '[2026-04-01, 2026-05-01)'], Money('12.26', 'USD'))
>>> first.next_due_date
datetime.date(2026, 5, 1)
"""

from __future__ import annotations

from datetime import date

import attrs
from moneyed import Money

from hostbill_core.calendar import BillingCycle
from hostbill_core.errors import ValidationError
from hostbill_core.money import RoundingPolicy
from hostbill_core.pricing.charges import Charge, charge
from hostbill_core.renewal import billing_periods

__all__ = ["AlignedStart", "align_to_billing_day"]


@attrs.frozen
class AlignedStart:
    """The first charge of a service aligned to a billing day.

    Attributes:
        charge: the lines billed now (the leading partial period, and the next full period
            when the start is after the cut-off) and their exact total.
        next_due_date: the first date not covered: the service's next due date.
        billing_day: the day of month renewals fall on from now on.
        explanation: why these periods were billed, then each line's arithmetic.
    """

    charge: Charge
    next_due_date: date
    billing_day: int
    explanation: str


def _day(field: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 31:
        raise ValidationError(field, value, "a day of the month is 1 to 31")


def align_to_billing_day(
    price: Money,
    start: date,
    cycle: BillingCycle,
    billing_day: int,
    *,
    cutoff_day: int | None = None,
    policy: RoundingPolicy | None = None,
) -> AlignedStart:
    """Charge a service starting on ``start`` up to the billing day, and past it after the cut-off.

    Args:
        price: the price of one full ``cycle``.
        start: the service's first day.
        cycle: a month or year cycle.
        billing_day: the day of month (1–31, clamped to short months) renewals fall on.
        cutoff_day: a start on a later day of the month also pays the next full period;
            None never does.
        policy: the rounding of each line (ROUND_HALF_UP unless told).

    Raises:
        ValidationError: a day outside 1–31, a day or week cycle, or a bad price or date.
    """
    _day("billing_day", billing_day)
    if cutoff_day is not None:
        _day("cutoff_day", cutoff_day)
    if not isinstance(cycle, BillingCycle) or not cycle.is_calendar:
        raise ValidationError("cycle", cycle, "align to a billing day with a month or year cycle")
    leading = billing_periods(start, start, cycle, billing_day=billing_day)
    after_cutoff = cutoff_day is not None and start.day > cutoff_day and leading[0].is_partial
    if after_cutoff:
        periods = billing_periods(start, leading[0].period.end, cycle, billing_day=billing_day)
        why = f"started on day {start.day}, after the cut-off day {cutoff_day}: next period too"
    else:
        periods = leading
        why = _why_not_extended(start, cutoff_day, leading[0].is_partial)
    priced = charge(price, periods, policy)
    return AlignedStart(
        priced,
        periods[-1].period.end,
        billing_day,
        f"aligned to billing day {billing_day}, {why}; {priced.explanation}",
    )


def _why_not_extended(start: date, cutoff_day: int | None, partial: bool) -> str:
    if not partial:
        return "started on the billing day: one full period"
    if cutoff_day is None:
        return "no cut-off day: the leading partial period only"
    return f"started on day {start.day}, on or before the cut-off day {cutoff_day}"
