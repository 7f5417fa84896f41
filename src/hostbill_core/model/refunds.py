"""Refunds: money given back on a payment, each kept as a dated record.

A refund pays back part or all of one payment, to the client's card or gateway or to the
client's credit balance. It may name the invoice the money was paid on: refunding a paid
invoice reverses that much of it (``reverses_invoice``); refunding a part payment of an
unpaid invoice only takes the payment off it (the balance due rises again). A refund that
names no invoice pays out the unallocated part of a payment, which went to credit.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import NewType

import attrs
from moneyed import Money

from hostbill_core.errors import ValidationError
from hostbill_core.model.checks import aware_instant, identifier, version_number
from hostbill_core.model.ids import ClientId, CreditEntryId, InvoiceId, PaymentId

__all__ = ["Refund", "RefundDestination", "RefundId"]

RefundId = NewType("RefundId", str)


class RefundDestination(enum.Enum):
    """Where refunded money goes."""

    GATEWAY = "gateway"
    CREDIT = "credit"


def _positive(_instance: object, attribute: attrs.Attribute[Money], value: Money) -> None:
    if not isinstance(value, Money) or value.amount <= 0:
        raise ValidationError(attribute.name, value, "a refund is an amount above zero")


@attrs.frozen
class Refund:
    """One refund of (part of) a payment, as recorded.

    Attributes:
        id: the refund's id.
        client_id: the client paid back.
        payment_id: the payment refunded.
        amount: the amount given back, above zero, in the payment's currency.
        at: the instant of the refund (aware, UTC).
        destination: back to the card or gateway, or to the client's credit.
        invoice_id: the invoice the refunded money was paid on, if any.
        reverses_invoice: True when the invoice was paid and this much of it is reversed
            (False: a part payment taken off an unpaid invoice, or credit paid out).
        reason: why, in words (shown to staff).
        actor: who refunded.
        credit_entry_id: the credit ledger entry the refund wrote, if any ("refund to
            credit", or credit paid out).

    Raises:
        ValidationError: an amount not above zero, a naive instant, or an invoice reversed
            without naming the invoice.
    """

    id: RefundId = attrs.field(validator=identifier)
    client_id: ClientId = attrs.field(validator=identifier)
    payment_id: PaymentId = attrs.field(validator=identifier)
    amount: Money = attrs.field(validator=_positive)
    at: datetime = attrs.field(validator=aware_instant)
    destination: RefundDestination = RefundDestination.GATEWAY
    invoice_id: InvoiceId | None = None
    reverses_invoice: bool = False
    reason: str = ""
    actor: str = ""
    credit_entry_id: CreditEntryId | None = None
    version: int = attrs.field(default=0, validator=version_number)

    def __attrs_post_init__(self) -> None:
        if self.reverses_invoice and self.invoice_id is None:
            raise ValidationError("invoice_id", None, "a refund that reverses an invoice names it")

    @property
    def to_credit(self) -> bool:
        """True when the money went to the client's credit balance."""
        return self.destination is RefundDestination.CREDIT
