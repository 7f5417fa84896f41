"""Renewal on payment: move the next due date forward by whole cycles, from the due date.

The new due date is the service's series at ``k`` cycles past the due date that was paid for,
computed from the anchor (:func:`~hostbill_core.renewal.schedule.service_due_date`): never
from the payment date and never by adding a cycle to the previous due date. Paying early, on
time or late therefore gives the same next due date, and 31 January stays the anchor's day.

A payment names the due date it renews (the invoice line's period start), so a second payment
for the same renewal — a gateway retry, a duplicate callback — finds the service already past
that due date and changes nothing: a payment cannot extend a service twice.

>>> from datetime import date
>>> from hostbill_core.calendar import MONTHLY
>>> from hostbill_core.model import Service, ServiceId, ClientId, ProductId, PlanId
>>> s = Service(ServiceId("s1"), ClientId("c1"), ProductId("p1"), PlanId("m"), MONTHLY,
...             anchor=date(2011, 1, 31), next_due_date=date(2011, 2, 28))
>>> result = renew_on_payment(RenewalPayment(s, due_date=date(2011, 2, 28),
...                                          paid_on=date(2011, 3, 5)))
>>> result.next_due_date
datetime.date(2011, 3, 31)
>>> print(result.explanation)
paid on 2011-03-05 (5 days late) for the renewal due 2011-02-28 (due date 1 of the series
2011-01-31 + n × P1M) for 1 cycle: next due date = anchor + 2 × P1M = 2011-03-31
>>> renew_on_payment(RenewalPayment(result.service, due_date=date(2011, 2, 28),
...                                 paid_on=date(2011, 3, 6))).applied
False
"""

from __future__ import annotations

from datetime import date

import attrs

from hostbill_core.errors import ConflictError, InvalidTransitionError, ValidationError
from hostbill_core.model.checks import calendar_date
from hostbill_core.model.services import Service, ServiceStatus
from hostbill_core.renewal.schedule import due_index, service_due_date

__all__ = ["RENEWABLE", "RenewalPayment", "RenewalResult", "renew_on_payment"]

RENEWABLE = frozenset({ServiceStatus.PENDING, ServiceStatus.ACTIVE, ServiceStatus.SUSPENDED})
"""Statuses a payment may renew; terminated, cancelled and fraud services are never renewed."""

_MAX_CYCLES = 120


def _cycles(_instance: object, attribute: attrs.Attribute[int], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= _MAX_CYCLES:
        raise ValidationError(attribute.name, value, f"pay for 1 to {_MAX_CYCLES} whole cycles")


@attrs.frozen
class RenewalPayment:
    """A payment for ``cycles`` renewals of ``service``, starting at ``due_date``.

    Attributes:
        service: the service as stored now.
        due_date: the due date the payment renews (its invoice line's period start).
        paid_on: the day the payment was received; it explains, it never moves a date.
        cycles: how many whole cycles were paid for (1–120).
    """

    service: Service
    due_date: date = attrs.field(validator=calendar_date)
    paid_on: date = attrs.field(validator=calendar_date)
    cycles: int = attrs.field(default=1, validator=_cycles)


@attrs.frozen
class RenewalResult:
    """The service after a renewal payment, and why.

    Attributes:
        service: the renewed service (or the unchanged one when ``applied`` is False).
        applied: False when the service was already renewed past the paid due date.
        previous_due_date: the service's next due date before the payment.
        next_due_date: its next due date after it.
        explanation: the derivation of the new due date and of any status change.
    """

    service: Service
    applied: bool
    previous_due_date: date
    next_due_date: date
    explanation: str


def renew_on_payment(payment: RenewalPayment) -> RenewalResult:
    """Apply a renewal payment: ``k`` cycles forward from the paid due date, via the anchor.

    A pending service is activated; a suspended one is unsuspended once paid up (its new due
    date is after the payment date), else it stays suspended.

    Raises:
        InvalidTransitionError: the service is terminated, cancelled or fraud.
        ConflictError: the payment is for a due date after the service's next due date (an
            earlier renewal is unpaid: apply payments in due-date order).
        ValidationError: the service's next due date is not on its anchored series.
    """
    service = payment.service
    if service.status not in RENEWABLE:
        allowed = tuple(s.value for s in ServiceStatus if s in RENEWABLE)
        raise InvalidTransitionError("service renewal", service.status.value, "renewed", allowed)
    current = service.next_due_date
    if payment.due_date < current:
        return RenewalResult(
            service,
            False,
            current,
            current,
            f"already renewed: the renewal due {payment.due_date.isoformat()} was applied "
            f"before (next due date {current.isoformat()}); nothing changes",
        )
    if payment.due_date > current:
        raise ConflictError(
            "service",
            service.id,
            f"the renewal due {current.isoformat()} is unpaid: apply it before the one due "
            f"{payment.due_date.isoformat()}",
        )
    n = due_index(service, current)
    new_due = service_due_date(service, n + payment.cycles)
    status, status_text = _status_after(service.status, new_due, payment.paid_on)
    renewed = attrs.evolve(service, next_due_date=new_due, status=status)
    return RenewalResult(
        renewed, True, current, new_due, _explain(payment, n, new_due) + status_text
    )


def _status_after(status: ServiceStatus, new_due: date, paid_on: date) -> tuple[ServiceStatus, str]:
    if status is ServiceStatus.PENDING:
        return ServiceStatus.ACTIVE, "; pending → active"
    if status is ServiceStatus.SUSPENDED:
        if new_due > paid_on:
            return ServiceStatus.ACTIVE, "; paid up: suspended → active"
        return status, f"; still overdue on {paid_on.isoformat()}: stays suspended"
    return status, ""


def _explain(payment: RenewalPayment, n: int, new_due: date) -> str:
    service = payment.service
    lateness = (payment.paid_on - payment.due_date).days
    if lateness == 0:
        timing = "on the due date"
    else:
        days = f"{abs(lateness)} day" + ("" if abs(lateness) == 1 else "s")
        timing = f"{days} late" if lateness > 0 else f"{days} early"
    plural = "cycle" if payment.cycles == 1 else "cycles"
    return (
        f"paid on {payment.paid_on.isoformat()} ({timing}) for the renewal due "
        f"{payment.due_date.isoformat()} (due date {n} of the series "
        f"{service.anchor.isoformat()} + n × {service.cycle}) for {payment.cycles} {plural}: "
        f"next due date = anchor + {n + payment.cycles} × {service.cycle} = {new_due.isoformat()}"
    )
