"""Refunding a payment, in whole or in part, to the gateway or to credit, as a dated record.

One refund gives back part or all of one payment. Where the money was:

- on a **paid** invoice: the refund reverses that much of the invoice
  (``amount_refunded`` grows; what was paid stays in ``amount_paid``). When every payment on
  it is refunded the invoice becomes ``refunded``, dated ``refunded_on``. Credit applied to
  the invoice stays applied: only payments are refunded;
- on an **unpaid** invoice (a part payment, or one in collections): the payment comes off it
  (``amount_paid`` falls, the balance due rises again), so the invoice can be cancelled;
- **not on an invoice** (the part of a payment that became credit): the refund pays that
  credit out, through a ``refund`` credit entry of minus the amount.

To the gateway the money leaves; to credit it stays with the client as a ``refund`` credit
entry ("refund to credit"). Either way the payment's ``refunded`` grows, so income (payments
less refunds) falls.

>>> from datetime import UTC, date, datetime
>>> from hostbill_core.model import Allocation, Invoice, InvoiceLine, InvoiceStatus, Payment
>>> from hostbill_core.money import to_money
>>> at = datetime(2026, 3, 10, 9, tzinfo=UTC)
>>> invoice = Invoice("i1", "c1", "USD", date(2026, 3, 1), status=InvoiceStatus.PAID,
...                   lines=(InvoiceLine("VPS", to_money("30.00", "USD")),), number="INV-1",
...                   amount_paid=to_money("30.00", "USD"), paid_on=date(2026, 3, 1))
>>> payment = Payment("p1", "c1", at, to_money("30.00", "USD"),
...                   allocations=(Allocation("i1", to_money("30.00", "USD")),))
>>> done = refund_payment(RefundRequest("r1", payment, to_money("30.00", "USD"), at,
...                                     invoice=invoice, reason="cancelled order"))
>>> done.invoice.status.value, str(done.invoice.refunded_on), str(done.payment.refunded.amount)
('refunded', '2026-03-10', '30.00')
>>> done.explanation
'30.00 USD of payment p1 refunded to the gateway; invoice INV-1 reversed by 30.00: fully refunded'
"""

from __future__ import annotations

from datetime import datetime

import attrs
from moneyed import Money

from hostbill_core.errors import InvalidTransitionError, ValidationError
from hostbill_core.invoicing.credit import CreditLedger, post
from hostbill_core.invoicing.lifecycle import TRANSITIONS
from hostbill_core.invoicing.lifecycle import refund as mark_refunded
from hostbill_core.model.checks import check_currency
from hostbill_core.model.ids import CreditEntryId
from hostbill_core.model.invoices import Invoice, InvoiceStatus
from hostbill_core.model.ledger import CreditEntry, CreditReason, Payment
from hostbill_core.model.refunds import Refund, RefundDestination, RefundId
from hostbill_core.money import sum_money

__all__ = ["RefundRequest", "RefundResult", "refund_payment"]

_S = InvoiceStatus
_DUE = (_S.UNPAID, _S.COLLECTIONS)


@attrs.frozen
class RefundRequest:
    """What to refund, from which payment, where to, and the refunds made on it before.

    Attributes:
        refund_id: the id of the refund record.
        payment: the payment refunded, as stored.
        amount: the amount to give back, above zero, in the payment's currency.
        at: the instant of the refund (aware, UTC); its date dates the invoice's refund.
        destination: back to the gateway, or to the client's credit.
        invoice: the invoice the money was paid on (one of the payment's allocations);
            None refunds the part of the payment that was not allocated (it became credit).
        previous: the refunds already recorded on this payment.
        reason: why, in words.
        actor: who refunds, for the refund and the credit log.
        credit_entry_id: the id of the credit entry the refund writes (to credit, or credit
            paid out); required then.
        ledger: the client's credit ledger in the payment's currency, to check that credit
            paid out does not take the balance below zero; required then.
        allow_negative: the client's balance may go below zero.
    """

    refund_id: RefundId
    payment: Payment
    amount: Money
    at: datetime
    destination: RefundDestination = RefundDestination.GATEWAY
    invoice: Invoice | None = None
    previous: tuple[Refund, ...] = ()
    reason: str = ""
    actor: str = "system"
    credit_entry_id: CreditEntryId | None = None
    ledger: CreditLedger | None = None
    allow_negative: bool = False


@attrs.frozen
class RefundResult:
    """The refund record and everything it changed, to store together."""

    refund: Refund
    payment: Payment
    invoice: Invoice | None
    credit_entry: CreditEntry | None
    explanation: str


def refund_payment(request: RefundRequest) -> RefundResult:
    """Refund (part of) a payment; see the module docstring for what moves where.

    Raises:
        ValidationError: an amount not above zero; more than is left to refund on the
            payment, on its allocation to the invoice, or on the invoice; an invoice the
            payment was not applied to, or of another client; credit refunded to credit; a
            credit entry id or ledger missing when one is written; credit paid out below
            zero.
        InvalidTransitionError: the invoice is cancelled, a draft or already refunded.
        CurrencyMismatchError: the amount is not in the payment's currency.
    """
    payment, amount = request.payment, request.amount
    currency = payment.amount.currency.code
    check_currency("amount", amount, currency)
    if amount.amount <= 0:
        raise ValidationError("amount", amount, "refund an amount above zero")
    _within("payment", payment.amount - payment.refunded, amount, payment.id)
    invoice, reverses = None, False
    if request.invoice is None:
        _unallocated(request)
    else:
        invoice, reverses = _on_invoice(request, request.invoice)
    entry = _credit_entry(request)
    refund = Refund(
        request.refund_id, payment.client_id, payment.id, amount, request.at,
        request.destination, request.invoice.id if request.invoice else None, reverses,
        request.reason, request.actor, entry.id if entry else None,
    )  # fmt: skip
    refunded = attrs.evolve(payment, refunded=payment.refunded + amount)
    return RefundResult(refund, refunded, invoice, entry, _explain(request, invoice, reverses))


def _within(what: str, left: Money, amount: Money, reference: str) -> None:
    if amount > left:
        raise ValidationError(
            "amount", amount, f"more than the {left.amount} left to refund on {what} {reference}"
        )


def _refunded(previous: tuple[Refund, ...], payment: Payment, invoice_id: str | None) -> Money:
    code = payment.amount.currency.code
    mine = (r.amount for r in previous if r.payment_id == payment.id and r.invoice_id == invoice_id)
    return sum_money(mine, code)


def _on_invoice(request: RefundRequest, invoice: Invoice) -> tuple[Invoice, bool]:
    """The invoice after the refund, and whether the refund reverses (part of) it."""
    payment, amount = request.payment, request.amount
    if invoice.client_id != payment.client_id:
        raise ValidationError("invoice", invoice.id, f"an invoice of client {invoice.client_id}")
    if invoice.status not in (_S.PAID, *_DUE):
        allowed = tuple(s.value for s in TRANSITIONS[invoice.status])
        raise InvalidTransitionError("invoice", invoice.status.value, "refunded", allowed)
    code = payment.amount.currency.code
    applied = sum_money((a.amount for a in payment.allocations if a.invoice_id == invoice.id), code)
    if applied.amount == 0:
        raise ValidationError("invoice", invoice.id, f"payment {payment.id} was not applied to it")
    left = applied - _refunded(request.previous, payment, invoice.id)
    _within(f"payment {payment.id} for invoice", left, amount, invoice.id)
    if invoice.status in _DUE:
        _within("invoice", invoice.amount_paid, amount, invoice.id)
        return attrs.evolve(invoice, amount_paid=invoice.amount_paid - amount), False
    _within("invoice", invoice.amount_paid - invoice.amount_refunded, amount, invoice.id)
    reversed_ = attrs.evolve(invoice, amount_refunded=invoice.amount_refunded + amount)
    if reversed_.amount_refunded == reversed_.amount_paid:
        reversed_ = mark_refunded(reversed_, request.at.date()).invoice
    return reversed_, True


def _unallocated(request: RefundRequest) -> None:
    payment = request.payment
    if request.destination is RefundDestination.CREDIT:
        raise ValidationError(
            "destination", "credit", "the unallocated part of a payment is credit already"
        )
    left = payment.amount - payment.allocated - _refunded(request.previous, payment, None)
    _within("the unallocated part of payment", left, request.amount, payment.id)


def _credit_entry(request: RefundRequest) -> CreditEntry | None:
    """The ledger entry: + amount refunded to credit, − amount of credit paid out."""
    to_credit = request.destination is RefundDestination.CREDIT
    if not to_credit and request.invoice is not None:
        return None
    if request.credit_entry_id is None:
        raise ValidationError("credit_entry_id", None, "this refund writes a credit entry: name it")
    payment = request.payment
    amount = request.amount if to_credit else -request.amount
    entry = CreditEntry(
        request.credit_entry_id, payment.client_id, request.at, amount, CreditReason.REFUND,
        request.actor, request.reason, request.invoice.id if request.invoice else None, payment.id,
    )  # fmt: skip
    if not to_credit:
        if request.ledger is None:
            raise ValidationError("ledger", None, "credit paid out is checked against the ledger")
        post(request.ledger, entry, request.allow_negative)
    return entry


def _explain(request: RefundRequest, invoice: Invoice | None, reverses: bool) -> str:
    amount, payment = request.amount, request.payment
    where = "to credit" if request.destination is RefundDestination.CREDIT else "to the gateway"
    text = f"{amount.amount} {amount.currency.code} of payment {payment.id} refunded {where}"
    if invoice is None:
        return text + "; unallocated credit paid out"
    ref = invoice.number or invoice.proforma_number or invoice.id
    if not reverses:
        return text + f"; taken off unpaid invoice {ref}: balance due {invoice.balance_due.amount}"
    text += f"; invoice {ref} reversed by {amount.amount}"
    if invoice.status is _S.REFUNDED:
        return text + ": fully refunded"
    left = invoice.amount_paid - invoice.amount_refunded
    return text + f": {left.amount} of its payments not refunded"
