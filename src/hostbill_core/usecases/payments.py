"""Applying one payment to several invoices, all or nothing, in one unit of work.

The use case loads the selected invoices (or every due invoice of the client), lets the
invoicing engine allocate the payment, and stores the allocated payment, every changed invoice
and the overpayment's credit entry in one unit of work. An exception anywhere before the
commit (a stale invoice, a taken transaction id, a failing disk) leaves storage as it was,
invoice numbers included.

>>> from datetime import UTC, date, datetime
>>> from hostbill_core.adapters.memory import MemoryStore
>>> from hostbill_core.model import Invoice, InvoiceLine, InvoiceStatus, Payment
>>> from hostbill_core.money import to_money
>>> store = MemoryStore()
>>> with store.unit_of_work() as uow:
...     _ = uow.invoices.add(Invoice("i1", "c1", "USD", date(2026, 3, 1), number="INV-1",
...         status=InvoiceStatus.UNPAID, lines=(InvoiceLine("VPS", to_money("20.00", "USD")),)))
...     uow.commit()
>>> paid = Payment("p1", "c1", datetime(2026, 3, 2, tzinfo=UTC), to_money("25.00", "USD"))
>>> result = pay_invoices(store.unit_of_work, PayInvoices(paid, date(2026, 3, 2),
...                                                       credit_entry_id="e1"))
>>> [i.status.value for i in result.invoices], result.credit_entry.amount
(['paid'], Money('5.00', 'USD'))
"""

from __future__ import annotations

from datetime import date

import attrs

from hostbill_core.invoicing.credit import CreditLedger, post
from hostbill_core.invoicing.lifecycle import Numbering, NumberingMode
from hostbill_core.invoicing.payments import (
    AllocationOrder,
    PaymentApplication,
    PaymentRequest,
    apply_payment,
)
from hostbill_core.model.ids import CreditEntryId, InvoiceId
from hostbill_core.model.invoices import Invoice, InvoiceStatus
from hostbill_core.model.ledger import Payment
from hostbill_core.ports import UnitOfWork, UnitOfWorkFactory

__all__ = ["PayInvoices", "apply_in", "pay_invoices"]


@attrs.frozen
class PayInvoices:
    """A payment to apply to a client's invoices.

    Attributes:
        payment: the payment as received (its client, amount, fees), not yet allocated.
        on: the date the invoices are paid on.
        invoice_ids: the invoices selected, in order; empty means every due invoice.
        order: how the payment is spread over them.
        credit_entry_id: the id of the credit entry an overpayment becomes.
        actor: who applies the payment, for the credit log.
        numbering: the numbering mode (proforma invoices take their final number when paid).
        series: the series of final invoice numbers.
        template: how a number is written.
    """

    payment: Payment
    on: date
    invoice_ids: tuple[InvoiceId, ...] = ()
    order: AllocationOrder = AllocationOrder.OLDEST_DUE_FIRST
    credit_entry_id: CreditEntryId | None = None
    actor: str = "system"
    numbering: NumberingMode = NumberingMode.ON_ISSUE
    series: str = "INV"
    template: str = "{series}-{number}"


def _invoices(uow: UnitOfWork, request: PayInvoices) -> tuple[Invoice, ...]:
    if request.invoice_ids:
        return tuple(uow.invoices.get(i) for i in request.invoice_ids)
    due = (InvoiceStatus.UNPAID, InvoiceStatus.COLLECTIONS)
    client = request.payment.client_id
    return tuple(i for i in uow.invoices.list(client_id=client) if i.status in due)


def pay_invoices(new_uow: UnitOfWorkFactory, request: PayInvoices) -> PaymentApplication:
    """Apply ``request.payment`` to the client's invoices in one unit of work.

    Raises:
        NotFoundError: a selected invoice does not exist.
        ConflictError: an invoice changed meanwhile, or the gateway transaction is recorded.
        ValidationError, CurrencyMismatchError: from the engine (see
            :func:`~hostbill_core.invoicing.payments.apply_payment`).
    """
    with new_uow() as uow:
        result = apply_in(uow, request)
        uow.commit()
    return result


def apply_in(uow: UnitOfWork, request: PayInvoices) -> PaymentApplication:
    """Allocate and store the payment through an open unit of work (the caller commits).

    Raises:
        As :func:`pay_invoices`.
    """
    numbering = Numbering(
        uow.invoice_numbers.next, request.numbering, request.series, template=request.template
    )
    engine_request = PaymentRequest(
        request.payment,
        _invoices(uow, request),
        request.on,
        request.order,
        request.actor,
        request.credit_entry_id,
    )
    result = apply_payment(engine_request, numbering)
    uow.payments.add(result.payment)
    for invoice in result.invoices:
        uow.invoices.save(invoice)
    if result.credit_entry is not None:
        client = request.payment.client_id
        currency = request.payment.amount.currency.code
        entries = tuple(
            e for e in uow.credit.list(client_id=client) if e.amount.currency.code == currency
        )
        post(CreditLedger(client, currency, entries), result.credit_entry)
        uow.credit.add(result.credit_entry)
    return result
