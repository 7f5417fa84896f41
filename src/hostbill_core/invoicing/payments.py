"""Payments: the mass-payment summary, allocation of one payment to invoices, overpayment.

:func:`plan_mass_payment` is what a client confirms before paying several invoices at once:
each invoice's lines, tax, credit applied and partial payments, and the total due.
:func:`apply_payment` then spreads one payment over the invoices in a declared order
(:class:`AllocationOrder`): oldest due first (the default), as selected, or pro rata to the
balances due (largest remainder, so the parts add up to the cent). What is left over becomes
credit. Allocated + credit = amount received, exactly. Gateway fees ride on the payment and are
shown apart: they do not reduce what the client paid.

>>> from datetime import UTC, date, datetime
>>> from hostbill_core.model import Invoice, InvoiceLine, InvoiceStatus
>>> from hostbill_core.money import to_money
>>> def bill(i):
...     return Invoice(f"i{i}", "c1", "USD", date(2026, 3, i), status=InvoiceStatus.UNPAID,
...                    number=f"INV-{i}", lines=(InvoiceLine("Hosting", to_money("50.00", "USD")),))
>>> shares = allocate_payment(to_money("100.00", "USD"), [bill(1), bill(2), bill(3)],
...                           AllocationOrder.PRO_RATA)
>>> [a.amount.amount for a in shares.allocations], shares.to_credit.amount
([Decimal('33.34'), Decimal('33.33'), Decimal('33.33')], Decimal('0.00'))
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from datetime import date

import attrs
from moneyed import Money

from hostbill_core.errors import CurrencyMismatchError, NotFoundError, ValidationError
from hostbill_core.invoicing.lifecycle import Numbering, Settlement, settle
from hostbill_core.model.checks import check_currency
from hostbill_core.model.ids import CreditEntryId, InvoiceId
from hostbill_core.model.invoices import Invoice, InvoiceLine, InvoiceStatus
from hostbill_core.model.ledger import Allocation, CreditEntry, CreditReason, Payment
from hostbill_core.money import allocate, sum_money, to_minor

__all__ = [
    "AllocationOrder",
    "InvoiceSummary",
    "MassPaymentPlan",
    "PaymentAllocation",
    "PaymentApplication",
    "PaymentRequest",
    "allocate_payment",
    "apply_payment",
    "plan_mass_payment",
]

_DUE = (InvoiceStatus.UNPAID, InvoiceStatus.COLLECTIONS)


def _is_due(invoice: Invoice) -> bool:
    return invoice.status in _DUE and invoice.balance_due.amount > 0


@attrs.frozen
class InvoiceSummary:
    """One invoice as the client sees it before paying."""

    invoice_id: InvoiceId
    number: str | None
    due_date: date
    lines: tuple[InvoiceLine, ...]
    subtotal: Money
    tax_total: Money
    credit_applied: Money
    amount_paid: Money
    balance_due: Money


@attrs.frozen
class MassPaymentPlan:
    """The summary of the invoices to pay at once, and their total due."""

    currency: str
    invoices: tuple[InvoiceSummary, ...]
    total_due: Money
    explanation: str


def _select(invoices: Sequence[Invoice], selected: Sequence[InvoiceId] | None) -> list[Invoice]:
    if selected is None:
        return sorted((i for i in invoices if _is_due(i)), key=lambda i: (i.due_date, i.id))
    by_id = {i.id: i for i in invoices}
    if len(set(selected)) != len(selected):
        raise ValidationError("selected", tuple(selected), "select each invoice once")
    chosen = []
    for invoice_id in selected:
        if invoice_id not in by_id:
            raise NotFoundError("invoice", invoice_id)
        invoice = by_id[invoice_id]
        if not _is_due(invoice):
            raise ValidationError(
                "selected", invoice_id, f"invoice is {invoice.status.value}, nothing due on it"
            )
        chosen.append(invoice)
    return chosen


def _one_currency(invoices: Sequence[Invoice]) -> str:
    if not invoices:
        raise ValidationError("invoices", (), "no due invoice to pay")
    currency = invoices[0].currency
    for invoice in invoices[1:]:
        if invoice.currency != currency:
            raise CurrencyMismatchError(currency, invoice.currency, f"invoice {invoice.id}")
    return currency


def plan_mass_payment(
    invoices: Sequence[Invoice], selected: Sequence[InvoiceId] | None = None
) -> MassPaymentPlan:
    """Summarise the selected due invoices (default: every due one, oldest first).

    Raises:
        NotFoundError: a selected id is not among ``invoices``.
        ValidationError: nothing due, an invoice selected twice, or one with nothing due.
        CurrencyMismatchError: the invoices are in more than one currency.
    """
    chosen = _select(invoices, selected)
    currency = _one_currency(chosen)
    summaries = tuple(
        InvoiceSummary(
            i.id,
            i.number or i.proforma_number,
            i.due_date,
            i.lines,
            i.subtotal,
            i.tax_total,
            i.credit_applied,
            i.amount_paid,
            i.balance_due,
        )
        for i in chosen
    )
    total = sum_money((s.balance_due for s in summaries), currency)
    parts = " + ".join(f"{s.number or s.invoice_id} {s.balance_due.amount}" for s in summaries)
    return MassPaymentPlan(currency, summaries, total, f"{parts} = {total.amount} {currency}")


class AllocationOrder(enum.Enum):
    """How one payment is spread over several invoices."""

    OLDEST_DUE_FIRST = "oldest_due_first"
    AS_SELECTED = "as_selected"
    PRO_RATA = "pro_rata"


@attrs.frozen
class PaymentAllocation:
    """The parts of a payment per invoice and the rest that becomes credit."""

    allocations: tuple[Allocation, ...]
    to_credit: Money
    explanation: str


def allocate_payment(
    amount: Money, invoices: Sequence[Invoice], order: AllocationOrder
) -> PaymentAllocation:
    """Spread ``amount`` over the balances due of ``invoices`` (given in selection order).

    Oldest due first and as selected fill each invoice in turn; pro rata shares
    min(amount, total due) by the balances due with :func:`~hostbill_core.money.allocate`
    (largest remainder, ties to the earlier invoice). Invoices that get nothing are left out.

    Raises:
        ValidationError: a negative amount or one finer than the minor unit.
        CurrencyMismatchError: the amount or an invoice in another currency.
    """
    currency = _one_currency(invoices)
    check_currency("amount", amount, currency)
    if to_minor(amount) < 0:
        raise ValidationError("amount", amount, "a payment is zero or more")
    ordered = list(invoices)
    if order is AllocationOrder.OLDEST_DUE_FIRST:
        ordered.sort(key=lambda i: (i.due_date, i.id))
    dues = [i.balance_due for i in ordered]
    total_due = sum_money(dues, currency)
    usable = min(amount, total_due)
    if order is AllocationOrder.PRO_RATA and usable.amount > 0:
        parts = list(allocate(usable, [to_minor(d) for d in dues]))
    else:
        parts, left = [], usable
        for due in dues:
            parts.append(min(due, left))
            left -= parts[-1]
    allocations = tuple(
        Allocation(i.id, part) for i, part in zip(ordered, parts, strict=True) if part.amount > 0
    )
    to_credit = amount - usable
    shown = ", ".join(f"{a.invoice_id} {a.amount.amount}" for a in allocations) or "nothing"
    text = (
        f"{amount.amount} {currency} {order.value.replace('_', ' ')}: {shown}; "
        f"{to_credit.amount} to credit"
    )
    return PaymentAllocation(allocations, to_credit, text)


@attrs.frozen
class PaymentRequest:
    """One payment to apply to several invoices.

    Attributes:
        payment: the payment as received (amount, fees), not yet allocated.
        invoices: the invoices it pays, in the order the client selected them.
        on: the date the invoices are paid on.
        order: how the payment is spread.
        actor: who applies it, for the credit log.
        credit_entry_id: the id of the credit entry an overpayment becomes.
    """

    payment: Payment
    invoices: tuple[Invoice, ...]
    on: date
    order: AllocationOrder = AllocationOrder.OLDEST_DUE_FIRST
    actor: str = "system"
    credit_entry_id: CreditEntryId | None = None


@attrs.frozen
class PaymentApplication:
    """The allocated payment, the invoices it changed, and the overpayment's credit entry."""

    payment: Payment
    invoices: tuple[Invoice, ...]
    credit_entry: CreditEntry | None
    explanation: str


def apply_payment(request: PaymentRequest, numbering: Numbering) -> PaymentApplication:
    """Allocate a payment to due invoices; the rest becomes an overpayment credit entry.

    Raises:
        ValidationError: the payment is already allocated, an invoice is another client's
            or not due, or an overpayment has no ``credit_entry_id``.
        CurrencyMismatchError: the invoices and the payment differ in currency.
    """
    payment = request.payment
    if payment.allocations:
        raise ValidationError("payment.allocations", payment.allocations, "already allocated")
    for invoice in request.invoices:
        if invoice.client_id != payment.client_id:
            raise ValidationError("invoices", invoice.id, "another client's invoice")
    chosen = _select(request.invoices, [i.id for i in request.invoices])
    split = allocate_payment(payment.amount, chosen, request.order)
    by_id = {i.id: i for i in chosen}
    changed = []
    for allocation in split.allocations:
        settled = settle(
            by_id[allocation.invoice_id], Settlement(allocation.amount, request.on), numbering
        )
        changed.append(settled.invoice)
    entry = _overpayment(request, split.to_credit)
    allocated = attrs.evolve(payment, allocations=split.allocations)
    net = payment.amount - payment.fees
    text = (
        f"received {payment.amount.amount}, gateway fees {payment.fees.amount}, net "
        f"{net.amount} {payment.amount.currency.code}; {split.explanation}"
    )
    return PaymentApplication(allocated, tuple(changed), entry, text)


def _overpayment(request: PaymentRequest, rest: Money) -> CreditEntry | None:
    if rest.amount == 0:
        return None
    if request.credit_entry_id is None:
        raise ValidationError(
            "credit_entry_id", None, f"{rest.amount} goes to credit: give the entry an id"
        )
    payment = request.payment
    return CreditEntry(
        request.credit_entry_id,
        payment.client_id,
        payment.received_at,
        rest,
        CreditReason.OVERPAYMENT,
        request.actor,
        note=f"overpayment of payment {payment.id}",
        payment_id=payment.id,
    )
