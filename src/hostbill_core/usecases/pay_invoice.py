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
from hostbill_core.usecases.renewals import renew_paid, renewal_records

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
    """

    application: PaymentApplication
    services: tuple[Service, ...]
    actions: tuple[ActionTaken, ...]
    events: tuple[BillingEvent, ...]


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


def _unlock(uow: UnitOfWork, client_id: ClientId, on: date) -> BillingEvent | None:
    state = uow.billing_states.find(client_id)
    if state is None or not state.locked_out or has_overdue(uow, client_id, on):
        return None
    uow.billing_states.save(attrs.evolve(state, locked_out=False))
    return unlocked(client_id, on)


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
    actions: list[ActionTaken] = []
    raised: list[BillingEvent] = []
    services: list[Service] = []
    with new_uow() as uow:
        application = apply_in(uow, request)
        for service_id in _renewed_services(application.invoices):
            service = uow.services.find(service_id)
            if service is None:  # an order still held: its services come on acceptance
                continue
            renewed = renew_paid(uow, service, request.on)
            if renewed.changed:
                services.append(uow.services.save(renewed.service))
                done, said = renewal_records(client_id, renewed, request.on)
                actions.extend(done)
                raised.extend(said)
                continue
            activated, event = activate_paid(uow, service, request.on)
            if event is not None:
                services.append(uow.services.save(activated))
                raised.append(event)
        unlocked = _unlock(uow, client_id, request.on)
        if unlocked is not None:
            actions.append(
                ActionTaken(ActionKind.UNLOCK, client_id, unlocked.key, unlocked.explanation)
            )
            raised.append(unlocked)
        uow.commit()
    if events is not None:
        for event in raised:
            events.emit(event)
    return PaymentOutcome(application, tuple(services), tuple(actions), tuple(raised))
