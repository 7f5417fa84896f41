"""Refunding a payment and cancelling an invoice, each in one unit of work.

:func:`refund_payment` loads the payment, the invoice its money was on and the refunds
already recorded on it, lets the refund engine (:mod:`hostbill_core.invoicing.refunds`)
decide, and stores the refund record, the payment, the invoice and the credit entry
together or not at all. The refund's id is its idempotency key: a retry with the same id
is refused (``ConflictError``) instead of refunding twice.

>>> from datetime import UTC, date, datetime
>>> from hostbill_core.adapters.memory import MemoryStore
>>> from hostbill_core.model import (Allocation, Client, ContactDetails, Invoice,
...     InvoiceLine, InvoiceStatus, Payment)
>>> from hostbill_core.money import to_money
>>> store, at = MemoryStore(), datetime(2026, 3, 10, tzinfo=UTC)
>>> usd = lambda amount: to_money(amount, "USD")
>>> with store.unit_of_work() as uow:
...     _ = uow.clients.add(Client("c1", ContactDetails("Ann", "ann@example.com"), "USD",
...                                date(2026, 1, 1)))
...     _ = uow.invoices.add(Invoice("i1", "c1", "USD", date(2026, 3, 1), number="INV-1",
...         lines=(InvoiceLine("VPS", usd("20.00")),), status=InvoiceStatus.PAID,
...         amount_paid=usd("20.00")))
...     _ = uow.payments.add(Payment("p1", "c1", at, usd("20.00"),
...                                  allocations=(Allocation("i1", usd("20.00")),)))
...     uow.commit()
>>> done = refund_payment(store.unit_of_work, RefundPayment(
...     "r1", "p1", usd("20.00"), at, RefundDestination.CREDIT, "i1", credit_entry_id="e1"))
>>> with store.unit_of_work() as uow:
...     uow.invoices.get("i1").status.value, uow.credit.get("e1").reason.value
('refunded', 'refund')
"""

from __future__ import annotations

from datetime import date, datetime

import attrs
from moneyed import Money

from hostbill_core.invoicing.credit import CreditLedger, CreditSettings
from hostbill_core.invoicing.lifecycle import InvoiceChange, cancel
from hostbill_core.invoicing.refunds import RefundRequest, RefundResult
from hostbill_core.invoicing.refunds import refund_payment as refund_engine
from hostbill_core.model import CreditEntryId, InvoiceId, PaymentId
from hostbill_core.model.refunds import RefundDestination, RefundId
from hostbill_core.ports import UnitOfWork, UnitOfWorkFactory

__all__ = [
    "CancelInvoice",
    "RefundDestination",
    "RefundPayment",
    "cancel_invoice",
    "refund_payment",
]


@attrs.frozen
class RefundPayment:
    """A refund to make.

    Attributes:
        refund_id: the refund record's id (also the retry key).
        payment_id: the payment refunded.
        amount: how much, above zero, in the payment's currency.
        at: when, an aware instant.
        destination: back to the gateway, or to the client's credit.
        invoice_id: the invoice the money was paid on; None pays out the part of the
            payment that became credit.
        reason: why, for the record and the credit log.
        actor: who.
        credit_entry_id: the id of the credit entry written (to credit, or credit paid out).
    """

    refund_id: RefundId
    payment_id: PaymentId
    amount: Money
    at: datetime
    destination: RefundDestination = RefundDestination.GATEWAY
    invoice_id: InvoiceId | None = None
    reason: str = ""
    actor: str = "staff"
    credit_entry_id: CreditEntryId | None = None


def refund_payment(
    new_uow: UnitOfWorkFactory, request: RefundPayment, settings: CreditSettings | None = None
) -> RefundResult:
    """Refund (part of) a payment and store everything it changes, all or nothing.

    Args:
        new_uow: opens the unit of work.
        request: the refund.
        settings: the business's credit settings (may credit paid out go below zero; the
            client's overrides apply).

    Raises:
        NotFoundError: no such payment, invoice or client.
        ConflictError: the refund id or the credit entry id is taken, or the payment or the
            invoice changed meanwhile.
        ValidationError, InvalidTransitionError, CurrencyMismatchError: refused by the
            engine (more than was paid, a cancelled or refunded invoice …; see
            :func:`~hostbill_core.invoicing.refunds.refund_payment`).
    """
    with new_uow() as uow:
        result = refund_engine(_engine_request(uow, request, settings))
        uow.refunds.add(result.refund)
        uow.payments.save(result.payment)
        if result.invoice is not None:
            uow.invoices.save(result.invoice)
        if result.credit_entry is not None:
            uow.credit.add(result.credit_entry)
        uow.commit()
    return result


def _engine_request(
    uow: UnitOfWork, request: RefundPayment, settings: CreditSettings | None
) -> RefundRequest:
    payment = uow.payments.get(request.payment_id)
    client = uow.clients.get(payment.client_id)
    invoice = uow.invoices.get(request.invoice_id) if request.invoice_id is not None else None
    previous = tuple(r for r in uow.refunds.list(client_id=client.id) if r.payment_id == payment.id)
    currency = payment.amount.currency.code
    entries = tuple(
        e for e in uow.credit.list(client_id=client.id) if e.amount.currency.code == currency
    )
    allow = (settings or CreditSettings()).for_client(client.settings).allow_negative
    return RefundRequest(
        request.refund_id, payment, request.amount, request.at, request.destination, invoice,
        previous, request.reason, request.actor, request.credit_entry_id,
        CreditLedger(client.id, currency, entries), allow,
    )  # fmt: skip


@attrs.frozen
class CancelInvoice:
    """An invoice to cancel, and the day it is cancelled on."""

    invoice_id: InvoiceId
    on: date


def cancel_invoice(new_uow: UnitOfWorkFactory, request: CancelInvoice) -> InvoiceChange:
    """Cancel a draft or unpaid invoice holding no payment or credit, dated, in one unit of work.

    Its line keys stay taken: what it billed is not invoiced again by the next run.

    Raises:
        NotFoundError: no such invoice.
        InvalidTransitionError: it is paid, refunded or cancelled already.
        ValidationError: payments or credit sit on it (refund them first).
        ConflictError: it changed meanwhile.
    """
    with new_uow() as uow:
        change = cancel(uow.invoices.get(request.invoice_id), request.on)
        saved = uow.invoices.save(change.invoice)
        uow.commit()
    return InvoiceChange(saved, change.explanation)
