"""Custom work quotes: draft → sent → accepted (it becomes an invoice) or expired.

A quote may be accepted up to and including its expiry date; after it, it can only expire.
Accepting turns each line into a billable item (kind ``QUOTE``, key ``quote/<id>-<n>``), so
the same quote is never invoiced twice, and returns the draft invoice those items make.

>>> from datetime import date
>>> from hostbill_core.model import QuoteLine
>>> from hostbill_core.money import to_money
>>> quote = Quote("q1", "c1", "USD", date(2026, 3, 1), date(2026, 3, 31),
...               lines=(QuoteLine("Theme setup", to_money("250.00", "USD")),))
>>> sent = send(quote, date(2026, 3, 2)).quote
>>> done = accept(sent, QuoteAcceptance(date(2026, 3, 5), "i7"))
>>> done.quote.status.value, done.invoice.total, done.invoice.lines[0].key
('accepted', Money('250.00', 'USD'), 'quote/q1-1')
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import attrs

from hostbill_core.errors import InvalidTransitionError, ValidationError
from hostbill_core.invoicing.grouping import group_items
from hostbill_core.invoicing.items import BillableItem, natural_key
from hostbill_core.model.ids import InvoiceId
from hostbill_core.model.invoices import Invoice, LineKind
from hostbill_core.model.quotes import Quote, QuoteStatus

__all__ = [
    "TRANSITIONS",
    "Quote",
    "QuoteAcceptance",
    "QuoteAccepted",
    "QuoteChange",
    "accept",
    "expire",
    "send",
]

_Q = QuoteStatus

#: The moves each quote state allows.
TRANSITIONS: Mapping[QuoteStatus, tuple[QuoteStatus, ...]] = {
    _Q.DRAFT: (_Q.SENT, _Q.EXPIRED),
    _Q.SENT: (_Q.ACCEPTED, _Q.EXPIRED),
    _Q.ACCEPTED: (),
    _Q.EXPIRED: (),
}


def _move(quote: Quote, target: QuoteStatus) -> None:
    allowed = TRANSITIONS[quote.status]
    if target not in allowed:
        raise InvalidTransitionError(
            "quote", quote.status.value, target.value, tuple(s.value for s in allowed)
        )


@attrs.frozen
class QuoteChange:
    """A quote after a step, and the step in words."""

    quote: Quote
    explanation: str


def send(quote: Quote, on: date) -> QuoteChange:
    """Send a draft quote to the client.

    Raises:
        InvalidTransitionError: the quote is not a draft.
        ValidationError: it has no lines, or its expiry date has passed on ``on``.
    """
    _move(quote, _Q.SENT)
    if not quote.lines:
        raise ValidationError("lines", (), "a quote is sent with at least one line")
    if on > quote.expires_on:
        raise ValidationError("on", on, f"the quote expired on {quote.expires_on.isoformat()}")
    text = f"sent on {on.isoformat()}, valid until {quote.expires_on.isoformat()}"
    return QuoteChange(attrs.evolve(quote, status=_Q.SENT), text)


def expire(quote: Quote, on: date) -> QuoteChange:
    """Expire a draft or sent quote whose expiry date is before ``on``.

    Raises:
        InvalidTransitionError: the quote is accepted or already expired.
        ValidationError: it is still valid on ``on``.
    """
    _move(quote, _Q.EXPIRED)
    if on <= quote.expires_on:
        raise ValidationError("on", on, f"valid until {quote.expires_on.isoformat()}")
    text = f"expired: valid until {quote.expires_on.isoformat()}, now {on.isoformat()}"
    return QuoteChange(attrs.evolve(quote, status=_Q.EXPIRED), text)


@attrs.frozen
class QuoteAcceptance:
    """When the client accepts, the id of the invoice to create, and its due date (default: on)."""

    on: date
    invoice_id: InvoiceId
    due_date: date | None = None


@attrs.frozen
class QuoteAccepted:
    """The accepted quote, its billable items and the draft invoice they make."""

    quote: Quote
    items: tuple[BillableItem, ...]
    invoice: Invoice
    explanation: str


def accept(quote: Quote, request: QuoteAcceptance) -> QuoteAccepted:
    """Accept a sent quote on or before its expiry date; it becomes a draft invoice.

    Raises:
        InvalidTransitionError: the quote is not sent, or its expiry date has passed
            (reported as a move from ``expired``).
        ValidationError: a line amount finer than the currency's minor unit.
    """
    if quote.status is _Q.SENT and request.on > quote.expires_on:
        raise InvalidTransitionError("quote", _Q.EXPIRED.value, _Q.ACCEPTED.value, ())
    _move(quote, _Q.ACCEPTED)
    due = request.due_date or request.on
    items = tuple(
        BillableItem(
            client_id=quote.client_id,
            currency=quote.currency,
            due_date=due,
            description=line.description,
            amount=line.amount,
            kind=LineKind.QUOTE,
            key=natural_key(LineKind.QUOTE, f"{quote.id}-{n}"),
            explanation=f"line {n} of quote {quote.id}",
        )
        for n, line in enumerate(quote.lines, start=1)
    )
    (draft,) = group_items(items).drafts
    invoice = draft.to_invoice(request.invoice_id)
    accepted = attrs.evolve(quote, status=_Q.ACCEPTED, invoice_id=request.invoice_id)
    text = (
        f"accepted on {request.on.isoformat()}: {len(items)} line(s), total "
        f"{invoice.total.amount} {quote.currency}, invoice {request.invoice_id} due "
        f"{due.isoformat()}"
    )
    return QuoteAccepted(accepted, items, invoice, text)
