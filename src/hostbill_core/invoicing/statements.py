"""Account statements: opening balance, every movement in a date range, running balance.

The balance is what the client owes net of what is held for them, in one currency: above zero
the client owes, below zero the client is in credit. Each movement changes it by:

==========================================  =========================================
movement                                    effect on the balance
==========================================  =========================================
invoice issued (not a draft)                + its total, on its issue date
invoice cancelled                           listed on its issue date, effect 0
payment received                            − amount received (fees are the business's)
refund to the client's card or gateway      + amount (money went back)
refund that reverses a paid invoice         − amount (the invoice is reversed by it)
credit: manual adjust, affiliate            − amount (credit given without money)
commission, currency change
credit: added with a payment, overpayment,  listed, effect 0: it mirrors a payment,
applied to an invoice, refund               an invoice or a refund already counted
==========================================  =========================================

Refunds are the :class:`~hostbill_core.model.Refund` records the refund engine writes
(:mod:`.refunds`): a refund to the gateway of a paid invoice nets to 0 (money back, invoice
reversed), to credit it is − amount (the client now holds it as credit); a part payment
refunded off an unpaid invoice is + amount to the gateway (the debt is back), 0 to credit.

Within a day movements are listed invoices first, then payments, refunds and credit, each
by reference. The range is half-open ``[start, end)``; everything before it is summed into the
opening balance.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from datetime import date

import attrs
from moneyed import Money

from hostbill_core.calendar import Period
from hostbill_core.model.ids import ClientId
from hostbill_core.model.invoices import Invoice, InvoiceStatus
from hostbill_core.model.ledger import CreditEntry, CreditReason, Payment
from hostbill_core.model.refunds import Refund
from hostbill_core.money import zero

__all__ = [
    "EntryKind",
    "Refund",
    "Statement",
    "StatementLine",
    "StatementRequest",
    "account_statement",
]


class EntryKind(enum.Enum):
    """The kinds of movement on a statement, in their order within a day."""

    INVOICE = "invoice"
    PAYMENT = "payment"
    REFUND = "refund"
    CREDIT = "credit"


_RANK = {kind: i for i, kind in enumerate(EntryKind)}
_GIVEN = frozenset(
    {CreditReason.MANUAL_ADJUST, CreditReason.AFFILIATE_COMMISSION, CreditReason.CURRENCY_CHANGE}
)


@attrs.frozen
class StatementLine:
    """One movement: its date, kind, reference, words, effect and the balance after it."""

    on: date
    kind: EntryKind
    reference: str
    description: str
    amount: Money
    balance: Money


@attrs.frozen
class StatementRequest:
    """A client's movements in one currency and the half-open range to state.

    Movements in another currency are left out (a statement has one currency).
    ``refunds`` are the client's refund records (``uow.refunds.list(client_id=…)``).
    """

    client_id: ClientId
    currency: str
    period: Period
    invoices: tuple[Invoice, ...] = ()
    payments: tuple[Payment, ...] = ()
    credit_entries: tuple[CreditEntry, ...] = ()
    refunds: tuple[Refund, ...] = ()


@attrs.frozen
class Statement:
    """Opening balance, the movements of the range with a running balance, closing balance."""

    client_id: ClientId
    currency: str
    period: Period
    opening: Money
    lines: tuple[StatementLine, ...]
    closing: Money
    explanation: str


_Movement = tuple[date, int, str, EntryKind, str, Money]


def _movements(request: StatementRequest) -> Iterator[_Movement]:
    code = request.currency
    for inv in request.invoices:
        if inv.currency != code or inv.status is InvoiceStatus.DRAFT or inv.issued_on is None:
            continue
        ref = inv.number or inv.proforma_number or inv.id
        cancelled = inv.status is InvoiceStatus.CANCELLED
        effect = zero(code) if cancelled else inv.total
        text = f"invoice {ref}, total {inv.total.amount}" + (" (cancelled)" if cancelled else "")
        yield (inv.issued_on, 0, ref, EntryKind.INVOICE, text, effect)
    for pay in request.payments:
        if pay.amount.currency.code == code:
            text = f"payment {pay.gateway or 'manual'} {pay.transaction_id}".rstrip()
            yield (pay.received_at.date(), 1, pay.id, EntryKind.PAYMENT, text, -pay.amount)
    for refund in request.refunds:
        if refund.amount.currency.code == code:
            yield _refund(refund, code)
    for entry in request.credit_entries:
        if entry.amount.currency.code == code:
            effect = -entry.amount if entry.reason in _GIVEN else zero(code)
            text = f"credit {entry.reason.value} {entry.amount.amount} by {entry.actor}"
            yield (entry.at.date(), 3, entry.id, EntryKind.CREDIT, text, effect)


def _refund(refund: Refund, code: str) -> _Movement:
    effect = zero(code)
    if not refund.to_credit:
        effect += refund.amount
    if refund.reverses_invoice:
        effect -= refund.amount
    where = "to credit" if refund.to_credit else "to the client"
    what = f" of invoice {refund.invoice_id}" if refund.invoice_id else ""
    why = f" ({refund.reason})" if refund.reason else ""
    text = f"refund{what} {refund.amount.amount} {where}{why}"
    return (refund.at.date(), 2, refund.id, EntryKind.REFUND, text, effect)


def account_statement(request: StatementRequest) -> Statement:
    """State a client's account over ``request.period`` with a running balance."""
    code, period = request.currency, request.period
    ordered = sorted(
        (m for m in _movements(request) if m[0] < period.end), key=lambda m: (m[0], m[1], m[2])
    )
    opening = zero(code)
    for movement in ordered:
        if movement[0] < period.start:
            opening += movement[5]
    balance, lines = opening, []
    for on, _rank, ref, kind, text, effect in ordered:
        if on >= period.start:
            balance += effect
            lines.append(StatementLine(on, kind, ref, text, effect, balance))
    explanation = (
        f"opening {opening.amount} + {len(lines)} movement(s) {(balance - opening).amount} = "
        f"closing {balance.amount} {code} for {period}"
    )
    return Statement(request.client_id, code, period, opening, tuple(lines), balance, explanation)
