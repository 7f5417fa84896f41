"""Paying invoices: allocation, renewals from the due date, unsuspension, unlock; one unit of work.

:func:`pay_invoice` allocates a payment over the client's invoices (the same code as
:func:`~hostbill_core.usecases.payments.pay_invoices`), then renews every service whose
renewal line sits on an invoice the payment paid, through
:func:`~hostbill_core.usecases.renewals.renew_paid`: the next due date moves one cycle from
the due date paid for (never from the payment date), a suspended service paid up is
unsuspended, and a client locked out with nothing overdue left is let back in. All of it is one
unit of work: a refusal or a failure stores nothing, and the events go out after the commit.
A pending service on a one-time or free plan whose one charge the payment paid is activated
(:mod:`~hostbill_core.usecases.one_time`); it is never renewed.

A payment cannot extend a service twice, nor can a payment and the billing run: both renew
only through paid renewal lines whose key names the due date renewed (see
:mod:`~hostbill_core.usecases.renewals`).

A payment never extends a service past the day a waiting end-of-term cancellation request
ends it: the invoice of the term that would start then is paid (the payment is kept), the
service is not renewed, and :attr:`PaymentOutcome.not_renewed` says so; on the request's day
the service is cancelled and the paid invoice listed in
:attr:`~hostbill_core.usecases.cancellation.CancellationOutcome.kept_invoices`, for staff to
refund or credit (``usecases.cancellation``).
"""

from __future__ import annotations

from datetime import date

import attrs

from hostbill_core.invoicing.payments import PaymentApplication
from hostbill_core.model import ClientId, Invoice, InvoiceStatus, LineKind, Service, ServiceId
from hostbill_core.ports import EventSink, UnitOfWork, UnitOfWorkFactory
from hostbill_core.usecases.billing_report import ActionKind, ActionTaken, BillingEvent
from hostbill_core.usecases.lockout import has_overdue, unlocked
from hostbill_core.usecases.one_time import activate_paid
from hostbill_core.usecases.payments import PayInvoices, apply_in
from hostbill_core.usecases.renewals import Renewed, renew_paid, renewal_records

__all__ = ["PaymentOutcome", "pay_invoice"]


@attrs.frozen
class PaymentOutcome:
    """What a payment did.

    Attributes:
        application: the allocated payment, the invoices it changed, the overpayment's credit.
        services: the services it renewed or activated, as stored.
        actions: renewals and the unlock, in order.
        events: ``service.renewed``, ``service.unsuspended``, ``service.activated`` (a
            one-time or free service), ``client.unlocked``.
        not_renewed: services whose term the payment paid but a waiting end-of-term
            cancellation request does not let start, each with the reason.
    """

    application: PaymentApplication
    services: tuple[Service, ...]
    actions: tuple[ActionTaken, ...]
    events: tuple[BillingEvent, ...]
    not_renewed: tuple[tuple[ServiceId, str], ...] = ()


_STARTING = (LineKind.RENEWAL, LineKind.ONE_TIME)


def _renewed_services(invoices: tuple[Invoice, ...]) -> list[ServiceId]:
    paid = (i for i in invoices if i.status is InvoiceStatus.PAID)
    return sorted(
        {
            line.service_id
            for invoice in paid
            for line in invoice.lines
            if line.kind in _STARTING and line.service_id is not None
        }
    )


def _renew(uow: UnitOfWork, service: Service, on: date) -> tuple[Renewed, str | None]:
    """The service renewed up to the day a waiting end-of-term request ends it; why held."""
    request = uow.cancellation_requests.find(service.id)
    until = request.effective_on if request is not None and request.pending else None
    renewed = renew_paid(uow, service, on, until)
    if renewed.held is None or until is None:
        return renewed, None
    return renewed, (
        f"its cancellation takes effect on {until.isoformat()}: the term from "
        f"{renewed.held.isoformat()} paid for does not start"
    )


def _unlock(uow: UnitOfWork, client_id: ClientId, on: date) -> BillingEvent | None:
    state = uow.billing_states.find(client_id)
    if state is None or not state.locked_out or has_overdue(uow, client_id, on):
        return None
    uow.billing_states.save(attrs.evolve(state, locked_out=False))
    return unlocked(client_id, on)


@attrs.define
class _Started:
    """What a payment started: services renewed or activated, actions, events, held terms."""

    services: list[Service] = attrs.Factory(list)
    actions: list[ActionTaken] = attrs.Factory(list)
    events: list[BillingEvent] = attrs.Factory(list)
    held: list[tuple[ServiceId, str]] = attrs.Factory(list)


def _start_paid(
    uow: UnitOfWork, invoices: tuple[Invoice, ...], on: date, client_id: ClientId
) -> _Started:
    """Renew (or activate) every service whose starting line is on a paid invoice."""
    started = _Started()
    for service_id in _renewed_services(invoices):
        service = uow.services.find(service_id)
        if service is None:  # an order still held: its services come on acceptance
            continue
        renewed, why_held = _renew(uow, service, on)
        if renewed.changed:
            started.services.append(uow.services.save(renewed.service))
            done, said = renewal_records(client_id, renewed, on)
            started.actions.extend(done)
            started.events.extend(said)
        if why_held is not None:
            started.held.append((service_id, why_held))
        if renewed.changed or why_held is not None:
            continue
        activated, event = activate_paid(uow, service, on)
        if event is not None:
            started.services.append(uow.services.save(activated))
            started.events.append(event)
    return started


def pay_invoice(
    new_uow: UnitOfWorkFactory, request: PayInvoices, *, events: EventSink | None = None
) -> PaymentOutcome:
    """Apply a payment, renew what it paid for, unsuspend and unlock; all or nothing.

    Raises:
        NotFoundError: a selected invoice does not exist.
        ConflictError: an invoice changed meanwhile, or the gateway transaction is recorded.
        ValidationError, CurrencyMismatchError: the payment is refused (see
            :func:`~hostbill_core.invoicing.payments.apply_payment`).
    """
    client_id = request.payment.client_id
    with new_uow() as uow:
        application = apply_in(uow, request)
        started = _start_paid(uow, application.invoices, request.on, client_id)
        unlocked = _unlock(uow, client_id, request.on)
        if unlocked is not None:
            started.actions.append(
                ActionTaken(ActionKind.UNLOCK, client_id, unlocked.key, unlocked.explanation)
            )
            started.events.append(unlocked)
        uow.commit()
    if events is not None:
        for event in started.events:
            events.emit(event)
    return PaymentOutcome(
        application,
        tuple(started.services),
        tuple(started.actions),
        tuple(started.events),
        tuple(started.held),
    )
