"""Cancelling a service on request: at once, or at the end of the term the client paid for.

:func:`cancel_service` is the client's (or staff's) cancellation request, as hosting panels
offer it (WHMCS, HostBill: "immediate" or "end of billing period"), in one unit of work:

- ``IMMEDIATE``: the service is cancelled on the day (the renewal engine's state machine:
  pending, active, suspended or fraud → cancelled; cancelled and terminated are final).
- ``END_OF_TERM``: a :class:`~hostbill_core.model.CancellationRequest` is stored for the
  service's next due date, the end of the term paid for; :func:`cancel_due_services`, run
  daily beside the billing run, carries it out on that day (or the first run after it).
  A service with no paid term ahead (pending, or overdue) is cancelled at once.

Open invoices of a cancelled service
    An unpaid invoice that bills this service alone, with no payment and no credit on it, is
    cancelled with it: the next term's renewal invoice, the first invoice of a pending
    service, an overdue term's invoice. The client owes nothing more for a service that is
    gone, and is not reminded or locked out for it. An invoice is left as it is, and listed
    in :attr:`CancellationOutcome.kept_invoices`, when it also bills other services (an
    issued invoice is a document of its own: its lines are not edited; staff credit the
    service's lines if they wish), when money is on it (refund or credit it first), or when it
    was handed to collections. A paid invoice renewing a term of the service that would start
    on or after the day of the cancellation is listed there too (the term does not start:
    refunding or crediting it is for staff); a paid term already started is not.

Between an end-of-term request and its day the billing run does not bill the term that
starts on the request's day (``usecases.billing_client``: no invoice, reminder or expiry step
for it). A request made once that term was invoiced (within the lead time) leaves the
invoice to its day: it is cancelled then, unless credit or a payment was put on it
meanwhile; then it is kept and listed. Paid in full meanwhile, it does not renew the service
past the request's day (``usecases.pay_invoice``): the service is cancelled on the day and
the paid invoice listed.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

import attrs

from hostbill_core.errors import HostbillError, InvalidTransitionError, ValidationError
from hostbill_core.invoicing.lifecycle import cancel as cancel_invoice
from hostbill_core.model import (
    CancellationRequest,
    Invoice,
    InvoiceId,
    InvoiceStatus,
    LineKind,
    Service,
    ServiceId,
    ServiceStatus,
)
from hostbill_core.ports import EventSink, UnitOfWork, UnitOfWorkFactory
from hostbill_core.renewal import TRANSITIONS, cancel
from hostbill_core.usecases.billing_report import BillingEvent, ClientFailure

__all__ = [
    "CancellationMode",
    "CancellationOutcome",
    "DueCancellations",
    "cancel_due_services",
    "cancel_service",
]


class CancellationMode(enum.Enum):
    """When a requested cancellation takes effect."""

    IMMEDIATE = "immediate"
    END_OF_TERM = "end_of_term"


@attrs.frozen
class CancellationOutcome:
    """What a cancellation did.

    Attributes:
        service: the service as stored (cancelled, or still running until its request's day).
        request: the end-of-term request as stored (waiting, or carried out), or None.
        cancelled_invoices: the open invoices cancelled with the service.
        kept_invoices: invoices billing the service that were left, and why: open ones,
            and paid ones for a term that would start on or after the cancellation's day.
        events: ``service.cancellation_requested`` or ``service.cancelled``.
        explanation: what was done, in words.
    """

    service: Service
    request: CancellationRequest | None
    cancelled_invoices: tuple[InvoiceId, ...]
    kept_invoices: tuple[tuple[InvoiceId, str], ...]
    events: tuple[BillingEvent, ...]
    explanation: str


@attrs.frozen
class DueCancellations:
    """The end-of-term cancellations carried out on a day, and those that failed."""

    outcomes: tuple[CancellationOutcome, ...] = ()
    failures: tuple[tuple[ServiceId, ClientFailure], ...] = ()


def _day(on: object) -> date:
    if not isinstance(on, date) or isinstance(on, datetime):
        raise ValidationError("on", on, "the day of the cancellation is a datetime.date")
    return on


def _why_kept(invoice: Invoice, service_id: ServiceId) -> str | None:
    if invoice.status is InvoiceStatus.COLLECTIONS:
        return "handed to collections"
    if (invoice.amount_paid + invoice.credit_applied).amount != 0:
        return "payment or credit is on it"
    others = sorted({ln.service_id or "-" for ln in invoice.lines if ln.service_id != service_id})
    if others:
        return f"it also bills {', '.join(others)}"
    return None


def _unstarted_term(invoice: Invoice, service_id: ServiceId, on: date) -> str | None:
    # The start of the earliest term of the service the invoice renews from ``on`` on.
    starts = sorted(
        line.period.start
        for line in invoice.lines
        if line.kind is LineKind.RENEWAL
        and line.service_id == service_id
        and line.period is not None
        and line.period.start >= on
    )
    return starts[0].isoformat() if starts else None


def _settle_invoices(
    uow: UnitOfWork, service: Service, on: date
) -> tuple[list[InvoiceId], list[tuple[InvoiceId, str]], list[str]]:
    # The open invoices billing the service: cancelled, or kept with the reason; the paid
    # ones for a term that would start on or after ``on``: kept with the reason; and what
    # to call the cancelled ones in words (their numbers).
    cancelled: list[InvoiceId] = []
    kept: list[tuple[InvoiceId, str]] = []
    numbers: list[str] = []
    for invoice in uow.invoices.list(client_id=service.client_id):
        if invoice.status is InvoiceStatus.PAID:
            unstarted = _unstarted_term(invoice, service.id, on)
            if unstarted is not None:
                kept.append(
                    (invoice.id, f"paid for the term from {unstarted}, which does not start")
                )
            continue
        if invoice.status not in (InvoiceStatus.UNPAID, InvoiceStatus.COLLECTIONS):
            continue
        if not any(line.service_id == service.id for line in invoice.lines):
            continue
        reason = _why_kept(invoice, service.id)
        if reason is None:
            uow.invoices.save(cancel_invoice(invoice).invoice)
            cancelled.append(invoice.id)
            numbers.append(invoice.number or invoice.proforma_number or invoice.id)
        else:
            kept.append((invoice.id, reason))
    return cancelled, kept, numbers


def _cancel_now(
    uow: UnitOfWork, service: Service, on: date, request: CancellationRequest | None
) -> CancellationOutcome:
    stored = uow.services.save(cancel(service))
    cancelled, kept, numbers = _settle_invoices(uow, service, on)
    if request is not None:
        request = uow.cancellation_requests.save(attrs.evolve(request, carried_out_on=on))
    told = [
        f"service {service.id} cancelled on {on.isoformat()} ({service.status.value} → cancelled)",
        f"open invoices cancelled: {', '.join(numbers) or 'none'}",
    ]
    told += [f"invoice {invoice} kept: {why}" for invoice, why in kept]
    text = "; ".join(told)
    event = BillingEvent(
        "service.cancelled", service.client_id, service.id, f"{service.id}/{on.isoformat()}/cancel",
        on, "", text,
    )  # fmt: skip
    return CancellationOutcome(stored, request, tuple(cancelled), tuple(kept), (event,), text)


def _request(uow: UnitOfWork, service: Service, on: date, reason: str) -> CancellationOutcome:
    request = CancellationRequest(
        service.id, service.client_id, service.id, on, service.next_due_date, reason
    )
    stored = uow.cancellation_requests.add(request)
    text = (
        f"service {service.id}: cancellation requested on {on.isoformat()}, to take effect "
        f"at the end of the term paid for, {service.next_due_date.isoformat()}"
    )
    event = BillingEvent(
        "service.cancellation_requested", service.client_id, service.id,
        f"{service.id}/{on.isoformat()}/cancellation-request", on, "", text,
    )  # fmt: skip
    return CancellationOutcome(service, stored, (), (), (event,), text)


def _emit(events: EventSink | None, outcome: CancellationOutcome) -> CancellationOutcome:
    if events is not None:
        for event in outcome.events:
            events.emit(event)
    return outcome


def cancel_service(
    uow_factory: UnitOfWorkFactory,
    service_id: ServiceId,
    *,
    on: date,
    mode: CancellationMode = CancellationMode.IMMEDIATE,
    reason: str = "",
    events: EventSink | None = None,
) -> CancellationOutcome:
    """Cancel ``service_id`` now, or request its cancellation at the end of its paid term.

    Args:
        uow_factory: opens the unit of work.
        service_id: the service.
        on: the day of the request.
        mode: at once, or at the end of the term paid for (the service's next due date; at
            once when that is not after ``on``).
        reason: the reason given, kept with an end-of-term request.
        events: receives the events after the commit.

    Raises:
        ValidationError: ``on`` is not a date.
        NotFoundError: no such service.
        InvalidTransitionError: the service is already cancelled or terminated, or an
            end-of-term cancellation of it was requested already.
    """
    day = _day(on)
    with uow_factory() as uow:
        service = uow.services.get(service_id)
        request = uow.cancellation_requests.find(service_id)
        if request is not None and request.pending and mode is CancellationMode.END_OF_TERM:
            raise InvalidTransitionError(
                "service cancellation", "requested for the end of the term", "requested again",
                ("cancelled immediately",),
            )  # fmt: skip
        cancel(service)  # refuses a cancelled or terminated service before anything is written
        if mode is CancellationMode.END_OF_TERM and service.next_due_date > day:
            outcome = _request(uow, service, day, reason)
        else:
            outcome = _cancel_now(
                uow, service, day, request if request and request.pending else None
            )
        uow.commit()
    return _emit(events, outcome)


def _carry_out(uow: UnitOfWork, request: CancellationRequest, as_of: date) -> CancellationOutcome:
    service = uow.services.get(request.service_id)
    if ServiceStatus.CANCELLED not in TRANSITIONS[service.status]:
        done = uow.cancellation_requests.save(attrs.evolve(request, carried_out_on=as_of))
        text = f"service {service.id} was {service.status.value} already: nothing to cancel"
        return CancellationOutcome(service, done, (), (), (), text)
    return _cancel_now(uow, service, request.effective_on, request)


def cancel_due_services(
    uow_factory: UnitOfWorkFactory, as_of: date, *, events: EventSink | None = None
) -> DueCancellations:
    """Carry out every end-of-term cancellation due on ``as_of`` or before, each on its own.

    Each request is one unit of work: the service is cancelled as of the request's day (the
    end of its term), its open invoices settled as :func:`cancel_service` does, and the
    request marked carried out, so a second run of the day does nothing. A service that ended
    meanwhile (the renewal sequence cancelled or terminated it) only closes its request. A
    failure is reported and leaves that request waiting for the next run.

    Raises:
        ValidationError: ``as_of`` is not a date.
    """
    day = _day(as_of)
    with uow_factory() as uow:
        due = [r.id for r in uow.cancellation_requests.list(due_by=day)]
    outcomes, failures = [], []
    for request_id in due:
        try:
            with uow_factory() as uow:
                request = uow.cancellation_requests.get(request_id)
                outcome = _carry_out(uow, request, day) if request.pending else None
                uow.commit()
        except HostbillError as error:
            failures.append((ServiceId(request_id), ClientFailure.of(error)))
            continue
        if outcome is not None:
            outcomes.append(_emit(events, outcome))
    return DueCancellations(tuple(outcomes), tuple(failures))
