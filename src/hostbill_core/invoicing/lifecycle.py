"""The invoice lifecycle: draft → unpaid → paid, cancelled, refunded or collections.

Issuing numbers an invoice from the ``InvoiceNumbers`` port, passed in as a callable
(``uow.invoice_numbers.next``), so the engine stays pure. Two numbering modes:

- ``ON_ISSUE``: the invoice takes its final number when issued;
- ``PROFORMA``: it takes a proforma number when issued and its final number when paid, so
  the final series has no gaps left by invoices that are never paid.

Payments and credit may be partial: an invoice stays unpaid until its balance due is zero,
then it becomes paid on that date. Nothing here moves money between ledgers: the payment and
credit engines call :func:`settle` with what they allocated.

>>> from datetime import date
>>> from hostbill_core.model import InvoiceLine
>>> from hostbill_core.money import to_money
>>> draft = Invoice("i1", "c1", "USD", date(2026, 3, 1),
...                 lines=(InvoiceLine("Hosting", to_money("10.00", "USD")),))
>>> counter = iter(range(7, 100))
>>> numbering = Numbering(lambda series: next(counter))
>>> issued = issue(draft, date(2026, 2, 20), numbering).invoice
>>> issued.status.value, issued.number
('unpaid', 'INV-7')
>>> paid = settle(issued, Settlement(to_money("10.00", "USD"), date(2026, 2, 25)), numbering)
>>> paid.invoice.status.value, paid.explanation
('paid', 'payment of 10.00 USD on 2026-02-25: balance due 0.00 USD, invoice paid')
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from datetime import date

import attrs
from moneyed import Money

from hostbill_core.calendar import require_date
from hostbill_core.errors import ConfigurationError, InvalidTransitionError, ValidationError
from hostbill_core.model.checks import check_currency
from hostbill_core.model.clients import Client
from hostbill_core.model.invoices import (
    ClientSnapshot,
    Invoice,
    InvoiceStatus,
    evolve_invoice,
    fill_new_invoice,
)
from hostbill_core.money import exact_sum

__all__ = [
    "TRANSITIONS",
    "InvoiceChange",
    "Numbering",
    "NumberingMode",
    "Settlement",
    "Source",
    "cancel",
    "issue",
    "issue_new",
    "refund",
    "send_to_collections",
    "settle",
    "snapshot",
]

_S = InvoiceStatus

#: The moves each invoice state allows.
TRANSITIONS: Mapping[InvoiceStatus, tuple[InvoiceStatus, ...]] = {
    _S.DRAFT: (_S.UNPAID, _S.CANCELLED),
    _S.UNPAID: (_S.PAID, _S.CANCELLED, _S.COLLECTIONS),
    _S.COLLECTIONS: (_S.PAID, _S.CANCELLED),
    _S.PAID: (_S.REFUNDED,),
    _S.CANCELLED: (),
    _S.REFUNDED: (),
}


def _move(invoice: Invoice, target: InvoiceStatus) -> None:
    allowed = TRANSITIONS[invoice.status]
    if target not in allowed:
        raise InvalidTransitionError(
            "invoice", invoice.status.value, target.value, tuple(s.value for s in allowed)
        )


class NumberingMode(enum.Enum):
    """When an invoice takes its final number."""

    ON_ISSUE = "on_issue"
    PROFORMA = "proforma"


def _template(_instance: object, _attribute: object, value: object) -> None:
    try:
        str(value).format(series="INV", number=1)
    except (KeyError, IndexError, ValueError) as error:
        raise ConfigurationError(
            "numbering.template", value, f"use {{series}} and {{number}} only ({error})"
        ) from None


@attrs.frozen
class Numbering:
    """How invoices are numbered.

    Attributes:
        next_number: takes the next number of a series (the ``InvoiceNumbers.next`` port).
        mode: final number on issue, or a proforma number first and the final on payment.
        series: the series of final numbers.
        proforma_series: the series of proforma numbers.
        template: how a number is written, with ``{series}`` and ``{number}``.

    Raises:
        ConfigurationError: a template with other fields.
    """

    next_number: Callable[[str], int]
    mode: NumberingMode = NumberingMode.ON_ISSUE
    series: str = "INV"
    proforma_series: str = "PRO"
    template: str = attrs.field(default="{series}-{number}", validator=_template)

    def take(self, series: str) -> str:
        """Take the next number of ``series`` from the port and write it."""
        return self.template.format(series=series, number=self.next_number(series))


@attrs.frozen
class InvoiceChange:
    """An invoice after a lifecycle step, and the step in words."""

    invoice: Invoice
    explanation: str


def snapshot(client: Client) -> ClientSnapshot:
    """The client's details to print on an invoice, as they are now."""
    details = client.details
    return ClientSnapshot(
        name=details.name,
        email=details.email,
        company=details.company,
        address=details.address,
        vat_number=client.vat_number,
        note=client.invoice_note,
    )


def issue(
    invoice: Invoice, on: date, numbering: Numbering, client: ClientSnapshot | None = None
) -> InvoiceChange:
    """Issue a draft: number it, date it, snapshot the client; a zero invoice is paid at once.

    Args:
        invoice: a draft with at least one line.
        on: the issue date.
        numbering: the numbering mode and the number port.
        client: the client's details to keep on the invoice (default: keep what it has).

    Raises:
        InvalidTransitionError: the invoice is not a draft.
        ValidationError: the invoice has no lines, or its total is negative.
    """
    changes, text = _issue_changes(invoice, on, numbering)
    changes["client"] = client or invoice.client
    return InvoiceChange(evolve_invoice(invoice, **changes), text)


def issue_new(invoice: Invoice, on: date, numbering: Numbering) -> InvoiceChange:
    """:func:`issue` for a draft just built, which the caller alone holds: issued in place.

    The result equals ``issue(invoice, on, numbering)``, with the same checks and the same
    refusals; the issue's fields are filled into ``invoice`` itself
    (:func:`~hostbill_core.model.invoices.fill_new_invoice`) instead of a copy of it, so the
    caller must not use ``invoice`` afterwards (nor after a refusal).

    Raises:
        InvalidTransitionError, ValidationError: as :func:`issue`.
    """
    changes, text = _issue_changes(invoice, on, numbering)
    return InvoiceChange(fill_new_invoice(invoice, changes), text)


def _issue_changes(
    invoice: Invoice, on: date, numbering: Numbering
) -> tuple[dict[str, object], str]:
    # The fields issuing changes (a number is taken) and the step in words.
    _move(invoice, _S.UNPAID)
    if not invoice.lines:
        raise ValidationError("lines", (), "an invoice is issued with at least one line")
    total = invoice.total
    if total.amount < 0:
        raise ValidationError("total", total, "a negative total is a credit note")
    require_date("issued_on", on)  # before a number is taken, as building the invoice would
    changes: dict[str, object] = {"status": _S.UNPAID, "issued_on": on}
    if numbering.mode is NumberingMode.PROFORMA:
        changes["proforma_number"] = number = numbering.take(numbering.proforma_series)
        label = f"proforma {number}"
    else:
        changes["number"] = number = numbering.take(numbering.series)
        label = f"number {number}"
    text = f"issued on {on.isoformat()} as {label}, due {invoice.due_date.isoformat()}"
    if total.amount == exact_sum((invoice.credit_applied.amount, invoice.amount_paid.amount)):
        changes.update(_paid_changes(changes.get("number", invoice.number), on, numbering))
        text += ", nothing due: paid at once"
    return changes, text


class Source(enum.Enum):
    """Where money settled on an invoice came from."""

    PAYMENT = "payment"
    CREDIT = "credit"


@attrs.frozen
class Settlement:
    """Money put on an invoice: a payment allocation or credit applied, on a date."""

    amount: Money
    on: date
    source: Source = Source.PAYMENT


def settle(invoice: Invoice, settlement: Settlement, numbering: Numbering) -> InvoiceChange:
    """Put a payment or credit on an unpaid invoice; at a zero balance due it is paid.

    Raises:
        InvalidTransitionError: the invoice is not unpaid or in collections.
        ValidationError: the amount is not above zero or exceeds the balance due.
        CurrencyMismatchError: the amount is in another currency.
    """
    if invoice.status not in (_S.UNPAID, _S.COLLECTIONS):
        _move(invoice, _S.PAID)
    amount = settlement.amount
    check_currency("amount", amount, invoice.currency)
    if amount.amount <= 0:
        raise ValidationError("amount", amount, "settle an amount above zero")
    due = invoice.due_amount
    if amount.amount > due:
        raise ValidationError("amount", amount, f"more than the balance due {due}")
    if settlement.source is Source.PAYMENT:
        updated = attrs.evolve(invoice, amount_paid=_plus(invoice.amount_paid, amount))
    else:
        updated = attrs.evolve(invoice, credit_applied=_plus(invoice.credit_applied, amount))
    due = updated.due_amount
    text = (
        f"{settlement.source.value} of {amount.amount} {invoice.currency} on "
        f"{settlement.on.isoformat()}: balance due {due} {invoice.currency}"
    )
    if due == 0:
        updated = _paid(updated, settlement.on, numbering)
        text += ", invoice paid" + (f" as {updated.number}" if invoice.number is None else "")
    return InvoiceChange(updated, text)


def _plus(held: Money, amount: Money) -> Money:
    # Exact, and in one currency (checked): cheaper than Money's own addition.
    return Money(exact_sum((held.amount, amount.amount)), held.currency)


def _paid(invoice: Invoice, on: date, numbering: Numbering) -> Invoice:
    _move(invoice, _S.PAID)
    return evolve_invoice(invoice, **_paid_changes(invoice.number, on, numbering))


def _paid_changes(number: object, on: date, numbering: Numbering) -> dict[str, object]:
    # A paid invoice keeps its final number, or takes one now (proforma numbering).
    if number is None:
        number = numbering.take(numbering.series)
    return {"status": _S.PAID, "paid_on": on, "number": number}


def cancel(invoice: Invoice, on: date | None = None) -> InvoiceChange:
    """Cancel a draft or an unpaid invoice that holds no payment and no credit.

    Args:
        invoice: the invoice.
        on: the day it is cancelled, kept as ``cancelled_on`` (None leaves it undated).

    Raises:
        InvalidTransitionError: the invoice is paid, refunded or already cancelled.
        ValidationError: payments or credit sit on it (refund or return them first).
    """
    _move(invoice, _S.CANCELLED)
    held = invoice.amount_paid + invoice.credit_applied
    if held.amount != 0:
        raise ValidationError(
            "invoice", invoice.id, f"{held.amount} {invoice.currency} was paid on it: refund first"
        )
    text = "cancelled" + (f" on {on.isoformat()}" if on else "") + ", nothing paid"
    return InvoiceChange(attrs.evolve(invoice, status=_S.CANCELLED, cancelled_on=on), text)


def send_to_collections(invoice: Invoice, on: date) -> InvoiceChange:
    """Hand an overdue unpaid invoice to collections.

    Raises:
        InvalidTransitionError: the invoice is not unpaid.
        ValidationError: it is not overdue on ``on`` (due date not passed).
    """
    _move(invoice, _S.COLLECTIONS)
    if on <= invoice.due_date:
        raise ValidationError("on", on, f"not overdue: due {invoice.due_date.isoformat()}")
    days = (on - invoice.due_date).days
    text = f"sent to collections {days} day(s) overdue, {invoice.balance_due.amount} due"
    return InvoiceChange(attrs.evolve(invoice, status=_S.COLLECTIONS), text)


def refund(invoice: Invoice, on: date | None = None) -> InvoiceChange:
    """Mark a paid invoice refunded (:mod:`.refunds` does so when its payments are refunded).

    Args:
        invoice: the invoice.
        on: the day of the refund, kept as ``refunded_on`` (None leaves it undated).

    Raises:
        InvalidTransitionError: the invoice is not paid.
    """
    _move(invoice, _S.REFUNDED)
    paid = invoice.amount_paid + invoice.credit_applied
    text = f"refunded: {paid.amount} {invoice.currency} of payments and credit returned"
    return InvoiceChange(attrs.evolve(invoice, status=_S.REFUNDED, refunded_on=on), text)
