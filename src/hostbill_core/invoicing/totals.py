"""Invoice totals: subtotal, discounts, taxes by name and rate, credit, payments, balance due.

Every figure is an exact sum of amounts that were each rounded once, on their line, by the
engine that produced them: nothing here rounds. The money flows in the order the design
fixes: lines → discounts → tax → credit applied → payments.

>>> from datetime import date
>>> from decimal import Decimal
>>> from hostbill_core.model import Invoice, InvoiceLine, LineKind, TaxAmount
>>> from hostbill_core.money import to_money
>>> def usd(text):
...     return to_money(text, "USD")
>>> vat = lambda amount: (TaxAmount("VAT", Decimal("0.20"), usd(amount)),)
>>> invoice = Invoice("i1", "c1", "USD", date(2026, 3, 1), lines=(
...     InvoiceLine("Hosting", usd("20.00"), taxes=vat("4.00")),
...     InvoiceLine("Loyalty", usd("-2.00"), kind=LineKind.DISCOUNT, taxes=vat("-0.40")),
... ), credit_applied=usd("5.00"), amount_paid=usd("1.00"))
>>> t = invoice_totals(invoice)
>>> t.subtotal.amount, t.discounts.amount, t.net.amount, t.tax_total.amount, t.total.amount
(Decimal('20.00'), Decimal('-2.00'), Decimal('18.00'), Decimal('3.60'), Decimal('21.60'))
>>> t.balance_due.amount
Decimal('15.60')
"""

from __future__ import annotations

from decimal import Decimal

import attrs
from moneyed import Money

from hostbill_core.model.invoices import Invoice, LineKind
from hostbill_core.money import sum_money, zero

__all__ = ["InvoiceTotals", "TaxLine", "invoice_totals"]


@attrs.frozen
class TaxLine:
    """One tax summed over an invoice: its name, rate (0.20 for 20 %) and amount."""

    name: str
    rate: Decimal
    amount: Money


@attrs.frozen
class InvoiceTotals:
    """An invoice's figures, each an exact sum.

    Attributes:
        subtotal: the net amounts of every line that is not a discount.
        discounts: the net amounts of the discount lines (zero or negative).
        net: subtotal + discounts.
        taxes: one :class:`TaxLine` per (name, rate), ordered by name then rate.
        tax_total: the sum of the taxes.
        total: net + tax_total (equals ``Invoice.total``).
        credit_applied: the client's credit put on the invoice.
        amount_paid: payments put on the invoice (partial payments included).
        balance_due: total − credit_applied − amount_paid.
    """

    subtotal: Money
    discounts: Money
    net: Money
    taxes: tuple[TaxLine, ...]
    tax_total: Money
    total: Money
    credit_applied: Money
    amount_paid: Money
    balance_due: Money
    explanation: str


def invoice_totals(invoice: Invoice) -> InvoiceTotals:
    """Return the totals of ``invoice``, exactly."""
    code = invoice.currency
    discount = LineKind.DISCOUNT
    subtotal = sum_money((x.amount for x in invoice.lines if x.kind is not discount), code)
    discounts = sum_money((x.amount for x in invoice.lines if x.kind is discount), code)
    by_tax: dict[tuple[str, Decimal], Money] = {}
    for line in invoice.lines:
        for tax in line.taxes:
            key = (tax.name, tax.rate)
            by_tax[key] = by_tax.get(key, zero(code)) + tax.amount
    taxes = tuple(TaxLine(n, r, by_tax[(n, r)]) for n, r in sorted(by_tax))
    tax_total = sum_money((t.amount for t in taxes), code)
    net = subtotal + discounts
    total = net + tax_total
    due = total - invoice.credit_applied - invoice.amount_paid
    explanation = (
        f"subtotal {subtotal.amount} + discounts {discounts.amount} = net {net.amount}; "
        f"+ tax {tax_total.amount} = total {total.amount}; − credit "
        f"{invoice.credit_applied.amount} − paid {invoice.amount_paid.amount} = due "
        f"{due.amount} {code}"
    )
    return InvoiceTotals(
        subtotal,
        discounts,
        net,
        taxes,
        tax_total,
        total,
        invoice.credit_applied,
        invoice.amount_paid,
        due,
        explanation,
    )
