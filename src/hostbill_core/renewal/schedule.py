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

from datetime import date

from hostbill_core.calendar import CycleUnit, add_months, due_date
from hostbill_core.errors import ValidationError
from hostbill_core.model.services import Service

__all__ = ["due_index", "first_index_on_or_after", "service_due_date"]


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
