"""Invoices and their lines; amounts are exact and every total is an exact sum of lines."""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping
from datetime import date
from decimal import Decimal
from operator import attrgetter
from typing import Any

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
from hostbill_core.money import exact_sum, sum_money, to_decimal, zero

__all__ = [
    "ClientSnapshot",
    "Invoice",
    "InvoiceLine",
    "InvoiceStatus",
    "LineKind",
    "TaxAmount",
    "evolve_invoice",
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
    on payment" (``number`` is then given on payment). ``amount_refunded`` is how much of the
    payments on a paid invoice was refunded (the invoice reversed by that much; the payments
    stay in ``amount_paid``); ``cancelled_on`` and ``refunded_on`` date those steps.

    Raises:
        CurrencyMismatchError: a line, a tax, the credit, the payments or the refunds in
            another currency.
        ValidationError: two lines with the same key, a negative credit, payment or refund,
            or more refunded than paid.
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
    cancelled_on: date | None = attrs.field(default=None, validator=optional_calendar_date)
    refunded_on: date | None = attrs.field(default=None, validator=optional_calendar_date)
    amount_refunded: Money = attrs.field(
        default=attrs.Factory(lambda self: zero(self.currency), takes_self=True),
        validator=non_negative_money,
    )

    def __attrs_post_init__(self) -> None:
        keys: set[str] = set()
        currency = self.currency
        for i, line in enumerate(self.lines):
            if line.amount.currency.code != currency:  # the field is named only on a refusal
                check_currency(f"lines[{i}].amount", line.amount, currency)
            for j, tax in enumerate(line.taxes):
                check_currency(f"lines[{i}].taxes[{j}]", tax.amount, currency)
            if line.key is not None:
                if line.key in keys:
                    raise ValidationError(f"lines[{i}].key", line.key, "a line key appears once")
                keys.add(line.key)
        check_currency("credit_applied", self.credit_applied, self.currency)
        check_currency("amount_paid", self.amount_paid, self.currency)
        refunded = self.amount_refunded
        if refunded.amount == 0 and refunded.currency.code != self.currency:
            # Nothing refunded is nothing in any currency: an ``attrs.evolve`` that changes
            # the currency of an invoice with no refunds need not restate this field.
            object.__setattr__(self, "amount_refunded", zero(self.currency))
        check_currency("amount_refunded", self.amount_refunded, self.currency)
        if self.amount_refunded.amount > self.amount_paid.amount:  # one currency, checked
            raise ValidationError(
                "amount_refunded", self.amount_refunded, f"more than paid ({self.amount_paid})"
            )

    # The lines and amounts are checked to be in the invoice's currency when it is built, so
    # the totals add bare amounts (exactly) without checking each currency again.

    @property
    def subtotal(self) -> Money:
        """The exact sum of the lines' net amounts."""
        return Money(exact_sum(line.amount.amount for line in self.lines), self.currency)

    @property
    def tax_total(self) -> Money:
        """The exact sum of every tax of every line."""
        taxes = (t.amount.amount for line in self.lines for t in line.taxes)
        return Money(exact_sum(taxes), self.currency)

    @property
    def total(self) -> Money:
        """Subtotal plus taxes: the exact sum of every line's net amount and taxes."""
        return Money(exact_sum(_line_amounts(self.lines)), self.currency)

    @property
    def balance_due(self) -> Money:
        """Total less credit applied and payments received (exact)."""
        return Money(self.due_amount, self.currency)

    @property
    def due_amount(self) -> Decimal:
        """:attr:`balance_due` as a bare amount, without building a Money on the way."""
        due = exact_sum(_line_amounts(self.lines))
        return exact_sum((due, -self.credit_applied.amount, -self.amount_paid.amount))


def _line_amounts(lines: tuple[InvoiceLine, ...]) -> Iterator[Decimal]:
    for line in lines:
        yield line.amount.amount
        for tax in line.taxes:
            yield tax.amount.amount


# Fields no check across fields reads (``__attrs_post_init__`` reads the currency, the lines
# and the amounts): a change of these alone needs only the changed fields' own validators.
_LIGHT = frozenset(
    {
        "status",
        "number",
        "proforma_number",
        "issued_on",
        "paid_on",
        "cancelled_on",
        "refunded_on",
        "client",
        "notes",
        "version",
    }
)
_FIELDS: tuple[attrs.Attribute[Any], ...] = tuple(attrs.fields(Invoice))
_NAMES = tuple(field.name for field in _FIELDS)
_INDEX = {name: i for i, name in enumerate(_NAMES)}
_VALUES = attrgetter(*_NAMES)  # every field's value, in field order, in one call
_SETTERS = tuple(Invoice.__dict__[name].__set__ for name in _NAMES)  # each field's slot


def evolve_invoice(invoice: Invoice, **changes: Any) -> Invoice:
    """``attrs.evolve(invoice, **changes)``, without checking again what did not change.

    When every change is to the status, a number, a date, the client snapshot, the notes or
    the version, the other fields (validated when ``invoice`` was built, and read by no check
    of the changed ones) are copied as they are and only the changed fields' validators run,
    in field order; the result equals what ``attrs.evolve`` builds. Any other change, or a
    subclass, goes through ``attrs.evolve`` and is checked whole.

    Raises:
        ValidationError: a changed field's value is refused (as ``attrs.evolve`` would).

    Examples:
        >>> from hostbill_core.money import to_money
        >>> draft = Invoice("i1", "c1", "USD", date(2026, 3, 1),
        ...                 lines=(InvoiceLine("Hosting", to_money("10.00", "USD")),))
        >>> issued = evolve_invoice(draft, status=InvoiceStatus.UNPAID, number="INV-1")
        >>> issued == attrs.evolve(draft, status=InvoiceStatus.UNPAID, number="INV-1")
        True
    """
    if type(invoice) is not Invoice or not _LIGHT.issuperset(changes):
        return attrs.evolve(invoice, **changes)
    values = list(_VALUES(invoice))
    for name, value in changes.items():
        values[_INDEX[name]] = value
    copy: Invoice = object.__new__(Invoice)
    for set_slot, value in zip(_SETTERS, values, strict=True):
        set_slot(copy, value)
    _check_light(copy, changes)
    return copy


def fill_new_invoice(invoice: Invoice, changes: Mapping[str, Any]) -> Invoice:
    """``evolve_invoice(invoice, **changes)`` made in ``invoice`` itself, which is returned.

    Only for an invoice just built that no one else holds yet (the caller's own): an issued
    invoice is its draft with the issue's fields filled in, without a copy of every field.
    The changed fields' validators run, in field order; changes :func:`evolve_invoice` would
    check whole (or a subclass) go through ``attrs.evolve``, as there.

    Raises:
        ValidationError: a changed field's value is refused (``invoice`` is then unusable).
    """
    if type(invoice) is not Invoice or not _LIGHT.issuperset(changes):
        return attrs.evolve(invoice, **changes)
    for name, value in changes.items():
        _SETTERS[_INDEX[name]](invoice, value)
    _check_light(invoice, changes)
    return invoice


def _check_light(invoice: Invoice, changes: Mapping[str, Any]) -> None:
    for name in sorted(changes, key=_INDEX.__getitem__):  # in field order
        field = _FIELDS[_INDEX[name]]
        if field.validator is not None:
            field.validator(invoice, field, changes[name])
