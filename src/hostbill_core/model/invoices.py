"""Invoices and their lines; amounts are exact and every total is an exact sum of lines."""

from __future__ import annotations

import enum
from datetime import date
from decimal import Decimal

import attrs
from moneyed import Money

from hostbill_core.calendar import Period
from hostbill_core.errors import ValidationError
from hostbill_core.model.checks import (
    calendar_date,
    check_currency,
    code,
    identifier,
    non_negative_money,
    optional_calendar_date,
    version_number,
)
from hostbill_core.model.clients import Address
from hostbill_core.model.ids import ClientId, InvoiceId, ServiceGroupId, ServiceId
from hostbill_core.money import sum_money, to_decimal, zero

__all__ = [
    "ClientSnapshot",
    "Invoice",
    "InvoiceLine",
    "InvoiceStatus",
    "LineKind",
    "TaxAmount",
]


class InvoiceStatus(enum.Enum):
    """An invoice's state; the invoicing engine owns the transitions."""

    DRAFT = "draft"
    UNPAID = "unpaid"
    PAID = "paid"
    CANCELLED = "cancelled"
    REFUNDED = "refunded"
    COLLECTIONS = "collections"


class LineKind(enum.Enum):
    """What produced an invoice line.

    ``ONE_TIME`` is the only charge of a service on a one-time or free plan (it never renews).
    """

    RENEWAL = "renewal"
    SETUP = "setup"
    PRORATION = "proration"
    PLAN_CHANGE = "plan_change"
    DISCOUNT = "discount"
    QUOTE = "quote"
    MANUAL = "manual"
    ONE_TIME = "one_time"


def _rate(value: object) -> Decimal:
    return to_decimal(value, "rate")


@attrs.frozen
class TaxAmount:
    """One tax on a line: its name, its rate as a fraction (0.19 for 19 %), its rounded amount."""

    name: str
    rate: Decimal = attrs.field(converter=_rate)
    amount: Money = attrs.field()


@attrs.frozen
class InvoiceLine:
    """One line of an invoice: a net amount (already rounded) and its taxes.

    Attributes:
        amount: the net amount, rounded once to the minor unit; negative for a discount or
            a credit.
        key: the natural key of the billable item (service / period / kind) that makes the
            line unique across every invoice; None for free-form lines.
        explanation: the derivation of the amount in words.
    """

    description: str
    amount: Money
    kind: LineKind = LineKind.MANUAL
    key: str | None = None
    service_id: ServiceId | None = None
    group_id: ServiceGroupId | None = None
    period: Period | None = None
    taxes: tuple[TaxAmount, ...] = ()
    explanation: str = ""

    @property
    def total(self) -> Money:
        """Net amount plus every tax on the line."""
        code = self.amount.currency.code
        return sum_money((self.amount, *(t.amount for t in self.taxes)), code)


@attrs.frozen
class ClientSnapshot:
    """The client's details as they were when the invoice was issued."""

    name: str
    email: str
    company: str = ""
    address: Address = Address()
    vat_number: str = ""
    note: str = ""


@attrs.frozen
class Invoice:
    """An invoice of one client in one currency.

    ``credit_applied`` and ``amount_paid`` are not negative; the balance due is the total less
    both. Totals are exact sums of the lines, which are each rounded once. ``proforma_number``
    is the number an invoice carried while unpaid when numbering is "proforma, final number
    on payment" (``number`` is then given on payment).

    Raises:
        CurrencyMismatchError: a line, a tax, the credit or the payments in another currency.
        ValidationError: two lines with the same key, a negative credit or payment.
    """

    id: InvoiceId = attrs.field(validator=identifier)
    client_id: ClientId = attrs.field(validator=identifier)
    currency: str = attrs.field(converter=code)
    due_date: date = attrs.field(validator=calendar_date)
    lines: tuple[InvoiceLine, ...] = ()
    status: InvoiceStatus = InvoiceStatus.DRAFT
    number: str | None = None
    issued_on: date | None = attrs.field(default=None, validator=optional_calendar_date)
    paid_on: date | None = attrs.field(default=None, validator=optional_calendar_date)
    credit_applied: Money = attrs.field(
        default=attrs.Factory(lambda self: zero(self.currency), takes_self=True),
        validator=non_negative_money,
    )
    amount_paid: Money = attrs.field(
        default=attrs.Factory(lambda self: zero(self.currency), takes_self=True),
        validator=non_negative_money,
    )
    client: ClientSnapshot | None = None
    notes: str = ""
    version: int = attrs.field(default=0, validator=version_number)
    proforma_number: str | None = None

    def __attrs_post_init__(self) -> None:
        keys: set[str] = set()
        for i, line in enumerate(self.lines):
            check_currency(f"lines[{i}].amount", line.amount, self.currency)
            for j, tax in enumerate(line.taxes):
                check_currency(f"lines[{i}].taxes[{j}]", tax.amount, self.currency)
            if line.key is not None:
                if line.key in keys:
                    raise ValidationError(f"lines[{i}].key", line.key, "a line key appears once")
                keys.add(line.key)
        check_currency("credit_applied", self.credit_applied, self.currency)
        check_currency("amount_paid", self.amount_paid, self.currency)

    @property
    def subtotal(self) -> Money:
        """The exact sum of the lines' net amounts."""
        return sum_money((line.amount for line in self.lines), self.currency)

    @property
    def tax_total(self) -> Money:
        """The exact sum of every tax of every line."""
        return sum_money((t.amount for line in self.lines for t in line.taxes), self.currency)

    @property
    def total(self) -> Money:
        """Subtotal plus taxes."""
        return self.subtotal + self.tax_total

    @property
    def balance_due(self) -> Money:
        """Total less credit applied and payments received."""
        return self.total - self.credit_applied - self.amount_paid
