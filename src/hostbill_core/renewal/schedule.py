"""A service's due-date series: the n-th due date, counted from its anchor, never by addition.

The series of a service is ``anchor + n × cycle`` (:func:`hostbill_core.calendar.due_date`):
the day sticks to the anchor's day, clamped to each month's end. A service with a
``billing_day`` on a month or year cycle sticks to that day instead (clamped the same way),
in the months ``anchor + n × cycle``. Day and week cycles ignore the billing day.

>>> from datetime import date
>>> from hostbill_core.calendar import MONTHLY
>>> from hostbill_core.model import Service, ServiceId, ClientId, ProductId, PlanId
>>> s = Service(ServiceId("s1"), ClientId("c1"), ProductId("p1"), PlanId("m"), MONTHLY,
...             anchor=date(2011, 1, 31), next_due_date=date(2011, 2, 28))
>>> due_index(s, s.next_due_date), service_due_date(s, 2)
(1, datetime.date(2011, 3, 31))
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from hostbill_core.calendar import CycleUnit, add_months, due_date
from hostbill_core.errors import ValidationError
from hostbill_core.model.services import Service

__all__ = [
    "due_index",
    "first_index_on_or_after",
    "next_due_after",
    "next_due_dates",
    "service_due_date",
]


def service_due_date(service: Service, n: int) -> date:
    """The n-th date of ``service``'s due-date series (n = 0 is the anchor's own date).

    With a ``billing_day`` on a month or year cycle the day is the billing day clamped to the
    month's end (so n = 0 may differ from the anchor when the anchor is on another day).
    """
    cycle = service.cycle
    if service.billing_day is not None and cycle.is_calendar:
        return add_months(service.anchor, n * cycle.in_months, sticky_day=service.billing_day)
    return due_date(service.anchor, cycle, n)


def due_index(service: Service, day: date) -> int:
    """The n for which ``service_due_date(service, n) == day``.

    Raises:
        ValidationError: ``day`` is not on the service's series (field ``"due_date"``); a
            service whose next due date is off its anchor needs a new contract (which
            re-anchors it) or a corrected anchor.
    """
    cycle = service.cycle
    anchor = service.anchor
    if cycle.unit in (CycleUnit.MONTH, CycleUnit.YEAR):
        span = (day.year - anchor.year) * 12 + day.month - anchor.month
        n, rest = divmod(span, cycle.in_months)
    else:
        n, rest = divmod((day - anchor).days, cycle.in_days)
    if rest or service_due_date(service, n) != day:
        raise ValidationError(
            "due_date",
            day,
            f"not on the series {anchor.isoformat()} + n × {cycle} of service {service.id}",
        )
    return n


def first_index_on_or_after(service: Service, day: date) -> int:
    """The smallest n with ``service_due_date(service, n) >= day``.

    Estimated from the months (or days) between the anchor and ``day``, then corrected by at
    most a step either way; each candidate is computed from the anchor.
    """
    cycle = service.cycle
    anchor = service.anchor
    if cycle.is_calendar:
        span = (day.year - anchor.year) * 12 + day.month - anchor.month
        n = span // cycle.in_months
    else:
        n = (day - anchor).days // cycle.in_days
    while service_due_date(service, n) < day:
        n += 1
    while service_due_date(service, n - 1) >= day:
        n -= 1
    return n


_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
# Enum class lookups are slow on a hot path: bind the members once.
_DAY, _MONTH, _YEAR = CycleUnit.DAY, CycleUnit.MONTH, CycleUnit.YEAR


def _clamp(year: int, month0: int, day: int) -> int:
    # ``day`` clamped to the length of month ``month0`` (0-based) of ``year``.
    if day <= 28:
        return day
    last = _MONTH_DAYS[month0]
    if month0 == 1 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        last = 29
    return day if day <= last else last


def next_due_after(service: Service, after: date) -> date:
    """The first date of ``service``'s series strictly after ``after``.

    The same date as :func:`hostbill_core.calendar.next_due_date` (for a service without a
    billing day), computed with integer month arithmetic and one clamp: the month index
    ``anchor + n × cycle`` at or before ``after``'s month, or one cycle later when that date is
    not after ``after``. Nothing is added to a previous due date. The billing run's hot path.

    >>> from hostbill_core.calendar import MONTHLY
    >>> from hostbill_core.model import Service, ServiceId, ClientId, ProductId, PlanId
    >>> s = Service(ServiceId("s1"), ClientId("c1"), ProductId("p1"), PlanId("m"), MONTHLY,
    ...             anchor=date(2011, 1, 31), next_due_date=date(2011, 1, 31))
    >>> next_due_after(s, date(2011, 2, 28)), next_due_after(s, date(2011, 2, 27))
    (datetime.date(2011, 3, 31), datetime.date(2011, 2, 28))
    """
    cycle = service.cycle
    anchor = service.anchor
    unit = cycle.unit
    if unit is _MONTH or unit is _YEAR:
        step = cycle.count if unit is _MONTH else 12 * cycle.count
        day = service.billing_day or anchor.day
        start = anchor.year * 12 + anchor.month - 1
        target = after.year * 12 + after.month - 1
        index = start + (target - start) // step * step
        # index is at or before after's month; move one cycle on unless it is after ``after``.
        if index < target or _clamp(after.year, after.month - 1, day) <= after.day:
            index += step
        year, month0 = divmod(index, 12)
        return date(year, month0 + 1, _clamp(year, month0, day))
    length = cycle.count if unit is _DAY else 7 * cycle.count
    return anchor + timedelta(days=((after - anchor).days // length + 1) * length)


def next_due_dates(services: Iterable[Service], after: date) -> list[date]:
    """:func:`next_due_after` for many services at once: the billing run's batch form.

    The same dates, one per service in order; what depends only on ``after`` is computed once.
    """
    target = after.year * 12 + after.month - 1
    after_day = after.day
    after_last = _clamp(after.year, after.month - 1, 31)
    out: list[date] = []
    append = out.append
    for service in services:
        cycle = service.cycle
        unit = cycle.unit
        if unit is not _MONTH and unit is not _YEAR:
            append(next_due_after(service, after))
            continue
        anchor = service.anchor
        step = cycle.count if unit is _MONTH else 12 * cycle.count
        day = service.billing_day or anchor.day
        start = anchor.year * 12 + anchor.month - 1
        index = start + (target - start) // step * step
        if index < target or (day if day < after_last else after_last) <= after_day:
            index += step
        year, month0 = divmod(index, 12)
        append(date(year, month0 + 1, day if day <= 28 else _clamp(year, month0, day)))
    return out
