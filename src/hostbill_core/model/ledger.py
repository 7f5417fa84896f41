"""Payments and the credit ledger: money received, and every change of a client's credit."""

from __future__ import annotations

import enum
from datetime import datetime

import attrs
from moneyed import Money

from hostbill_core.errors import ValidationError
from hostbill_core.model.checks import (
    aware_instant,
    check_currency,
    identifier,
    non_negative_money,
    version_number,
)
from hostbill_core.model.ids import ClientId, CreditEntryId, InvoiceId, PaymentId
from hostbill_core.money import sum_money, zero

__all__ = ["Allocation", "CreditEntry", "CreditReason", "Payment"]


@attrs.frozen
class Allocation:
    """The part of a payment applied to one invoice."""

    invoice_id: InvoiceId = attrs.field(validator=identifier)
    amount: Money = attrs.field(validator=non_negative_money)


@attrs.frozen
class Payment:
    """A payment received from a client, as a gateway reports it.

    Attributes:
        amount: the amount received (HostBill's "amount in").
        fees: the gateway's fees on it, shown apart from income.
        refunded: the amount paid back so far ("amount out").
        allocations: how it was applied to invoices; the rest went to credit.

    Raises:
        CurrencyMismatchError: fees, refunds or allocations in another currency.
        ValidationError: allocations or refunds above the amount received.
    """

    id: PaymentId = attrs.field(validator=identifier)
    client_id: ClientId = attrs.field(validator=identifier)
    received_at: datetime = attrs.field(validator=aware_instant)
    amount: Money = attrs.field(validator=non_negative_money)
    fees: Money = attrs.field(
        default=attrs.Factory(lambda self: zero(self.amount.currency), takes_self=True),
        validator=non_negative_money,
    )
    refunded: Money = attrs.field(
        default=attrs.Factory(lambda self: zero(self.amount.currency), takes_self=True),
        validator=non_negative_money,
    )
    gateway: str = ""
    transaction_id: str = ""
    allocations: tuple[Allocation, ...] = ()
    version: int = attrs.field(default=0, validator=version_number)

    def __attrs_post_init__(self) -> None:
        currency = self.amount.currency.code
        check_currency("fees", self.fees, currency)
        check_currency("refunded", self.refunded, currency)
        for i, allocation in enumerate(self.allocations):
            check_currency(f"allocations[{i}]", allocation.amount, currency)
        if self.allocated > self.amount:
            raise ValidationError("allocations", self.allocated, "more than the amount received")
        if self.refunded > self.amount:
            raise ValidationError("refunded", self.refunded, "more than the amount received")

    @property
    def allocated(self) -> Money:
        """The exact sum of the allocations."""
        return sum_money((a.amount for a in self.allocations), self.amount.currency.code)


class CreditReason(enum.Enum):
    """Why a client's credit changed; every change is a ledger entry."""

    ADD_CREDIT = "add_credit"
    MANUAL_ADJUST = "manual_adjust"
    AFFILIATE_COMMISSION = "affiliate_commission"
    APPLIED_TO_INVOICE = "applied_to_invoice"
    OVERPAYMENT = "overpayment"
    REFUND = "refund"
    CURRENCY_CHANGE = "currency_change"


@attrs.frozen
class CreditEntry:
    """One line of a client's credit ledger: a signed amount, its reason and who made it.

    The balance is the exact sum of a client's entries. Entries are never edited: a mistake
    is corrected by another entry (anonymising the client only clears ``note``).
    """

    id: CreditEntryId = attrs.field(validator=identifier)
    client_id: ClientId = attrs.field(validator=identifier)
    at: datetime = attrs.field(validator=aware_instant)
    amount: Money
    reason: CreditReason
    actor: str
    note: str = ""
    invoice_id: InvoiceId | None = None
    payment_id: PaymentId | None = None
    version: int = attrs.field(default=0, validator=version_number)
