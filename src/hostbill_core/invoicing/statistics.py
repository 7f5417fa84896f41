"""Client statistics: income, invoice counts and totals, credit, monthly run rate; resellers.

The monthly run rate normalises every active recurring price to one month exactly, with
:class:`~fractions.Fraction` arithmetic, sums the exact values and rounds once, with a named
:class:`~hostbill_core.money.RoundingPolicy` (default ROUND_HALF_UP), to the minor unit:

- a cycle of n months: price / n (a year is 12 months);
- a cycle of d days (a week is 7): price × 146097 / 4800 / d, the mean Gregorian month of
  30.436875 days (146,097 days in 400 years of 4,800 months).

>>> from hostbill_core.calendar import BillingCycle
>>> from hostbill_core.money import to_money
>>> charges = [RecurringCharge("s1", to_money("120.00", "USD"), BillingCycle.years(1)),
...            RecurringCharge("s2", to_money("10.00", "USD"), BillingCycle.months(3))]
>>> monthly_run_rate(charges, "USD")
Money('13.33', 'USD')

(10 + 10/3 = 13.333… → 13.33; rounding 10.00 and 3.33 apart would give the same here, but
three quarterly 10.00 prices give 10.00 exactly, not 9.99.)
"""

from __future__ import annotations

import decimal
from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs
from moneyed import Money

from hostbill_core.calendar import BillingCycle
from hostbill_core.errors import CurrencyMismatchError
from hostbill_core.model.ids import ClientId, ServiceId
from hostbill_core.model.invoices import Invoice, InvoiceStatus
from hostbill_core.model.ledger import CreditEntry, Payment
from hostbill_core.model.refunds import Refund
from hostbill_core.money import RoundingPolicy, from_minor, minor_units, zero

__all__ = [
    "MEAN_MONTH_DAYS",
    "ClientActivity",
    "ClientStatistics",
    "RecurringCharge",
    "ResellerStatistics",
    "client_statistics",
    "monthly_amount",
    "monthly_run_rate",
    "reseller_statistics",
]

#: The mean Gregorian month in days: 146,097 days / 4,800 months = 30.436875.
MEAN_MONTH_DAYS = Fraction(146097, 4800)


@attrs.frozen
class RecurringCharge:
    """A service's recurring price per cycle; only active ones count in the run rate."""

    service_id: ServiceId
    price: Money
    cycle: BillingCycle
    active: bool = True


def monthly_amount(price: Money, cycle: BillingCycle) -> Fraction:
    """The exact monthly value of ``price`` per ``cycle``, in units of its currency."""
    value = Fraction(price.amount)
    if cycle.is_calendar:
        return value / cycle.in_months
    return value * MEAN_MONTH_DAYS / cycle.in_days


def _round(value: Fraction, currency: str, policy: RoundingPolicy) -> Money:
    # Round the exact fraction in one step: a stand-in n + 0.25 / 0.5 / 0.75 has the same
    # integer part, parity, sign and side of one half, so every decimal mode rounds it alike.
    scaled = value * 10 ** minor_units(currency)
    sign, magnitude = (-1, -scaled) if scaled < 0 else (1, scaled)
    whole, rest = divmod(magnitude, 1)
    stand_in = Decimal(int(whole))
    if rest:
        half = Fraction(1, 2)
        stand_in += Decimal("0.5") if rest == half else Decimal("0.25" if rest < half else "0.75")
    with decimal.localcontext() as ctx:
        ctx.prec = 60
        units = (sign * stand_in).quantize(Decimal(1), rounding=policy.mode)
    return from_minor(int(units), currency)


def monthly_run_rate(
    charges: Iterable[RecurringCharge], currency: str, policy: RoundingPolicy | None = None
) -> Money:
    """The exact sum of the active charges' monthly values, rounded once by ``policy``.

    Raises:
        CurrencyMismatchError: a charge in another currency.
    """
    # Sum the exact prices per denominator (months, or days × 4800 / 146097), then divide:
    # the same exact value as adding each monthly_amount, with one Fraction per cycle length.
    by_months: dict[int, Decimal] = {}
    by_days: dict[int, Decimal] = {}
    with decimal.localcontext() as ctx:
        ctx.prec = 60
        for charge in charges:
            price = charge.price
            if price.currency.code != currency:
                raise CurrencyMismatchError(currency, price.currency.code, charge.service_id)
            if charge.active:
                cycle = charge.cycle
                sums, length = (
                    (by_months, cycle.in_months) if cycle.is_calendar else (by_days, cycle.in_days)
                )
                sums[length] = sums.get(length, Decimal(0)) + price.amount
    total = sum((Fraction(v) / n for n, v in by_months.items()), Fraction(0))
    total += sum((Fraction(v) * MEAN_MONTH_DAYS / n for n, v in by_days.items()), Fraction(0))
    return _round(total, currency, policy or RoundingPolicy())


@attrs.frozen
class ClientActivity:
    """Everything statistics read about one client, in the client's currency.

    Attributes:
        refunds: the client's refund records (:mod:`.refunds` writes them). Given, they are
            what income deducts; empty, income deducts each payment's ``refunded`` amount
            (for payments refunded before refunds were recorded). The refund engine keeps
            both in step.
    """

    client_id: ClientId
    currency: str
    invoices: tuple[Invoice, ...] = ()
    payments: tuple[Payment, ...] = ()
    credit_entries: tuple[CreditEntry, ...] = ()
    charges: tuple[RecurringCharge, ...] = ()
    refunds: tuple[Refund, ...] = ()


@attrs.frozen
class ClientStatistics:
    """One client's figures.

    Attributes:
        income: payments received less the amounts refunded on them (to the gateway or to
            credit: money turned into credit is no longer income).
        fees: the gateways' fees on those payments, shown apart (not deducted from income).
        unpaid_total: the balance due of unpaid invoices (and those in collections).
        paid_total / cancelled_total: the totals of paid / cancelled invoices.
        transacting: an active recurring service, or a monthly run rate above zero.
    """

    client_id: ClientId
    currency: str
    income: Money
    fees: Money
    paid_count: int
    paid_total: Money
    unpaid_count: int
    unpaid_total: Money
    cancelled_count: int
    cancelled_total: Money
    credit_balance: Money
    monthly_run_rate: Money
    transacting: bool
    explanation: str


_UNPAID = (InvoiceStatus.UNPAID, InvoiceStatus.COLLECTIONS)


def _sum(amounts: Iterable[Money], code: str, context: str) -> Decimal:
    total = Decimal(0)
    for money in amounts:
        if money.currency.code != code:
            raise CurrencyMismatchError(code, money.currency.code, context)
        total += money.amount
    return total


def _invoice_figures(invoices: Iterable[Invoice], code: str) -> dict[InvoiceStatus, list[Any]]:
    # status → [count, exact sum]: totals, except balance due for unpaid invoices.
    figures: dict[InvoiceStatus, list[Any]] = {}
    for invoice in invoices:
        if invoice.currency != code:
            raise CurrencyMismatchError(code, invoice.currency, f"invoice {invoice.id}")
        amount = Decimal(0)
        for line in invoice.lines:
            amount += line.amount.amount
            for tax in line.taxes:
                amount += tax.amount.amount
        status = invoice.status
        if status in _UNPAID:
            amount -= invoice.credit_applied.amount + invoice.amount_paid.amount
            status = InvoiceStatus.UNPAID
        entry = figures.setdefault(status, [0, Decimal(0)])
        entry[0] += 1
        entry[1] += amount
    return figures


def _refunded(activity: ClientActivity, code: str) -> Decimal:
    if activity.refunds:
        return _sum((r.amount for r in activity.refunds), code, "refunds")
    return _sum((p.refunded for p in activity.payments), code, "refunds")


def client_statistics(
    activity: ClientActivity, policy: RoundingPolicy | None = None
) -> ClientStatistics:
    """Compute one client's statistics; only the run rate rounds (once, by ``policy``).

    Raises:
        CurrencyMismatchError: an invoice, payment, entry or charge in another currency.
    """
    code = activity.currency
    with decimal.localcontext() as ctx:
        ctx.prec = 60
        figures = _invoice_figures(activity.invoices, code)
        received = _sum((p.amount for p in activity.payments), code, "payments")
        refunded = _refunded(activity, code)
        fees = _sum((p.fees for p in activity.payments), code, "fees")
        credit = _sum((e.amount for e in activity.credit_entries), code, "credit")
    rate = monthly_run_rate(activity.charges, code, policy)
    active = any(c.active for c in activity.charges)
    income = received - refunded
    none = [0, Decimal(0)]
    paid, unpaid, cancelled = (
        figures.get(s, none)
        for s in (InvoiceStatus.PAID, InvoiceStatus.UNPAID, InvoiceStatus.CANCELLED)
    )
    return ClientStatistics(
        client_id=activity.client_id,
        currency=code,
        income=Money(income, code),
        fees=Money(fees, code),
        paid_count=paid[0],
        paid_total=Money(paid[1], code),
        unpaid_count=unpaid[0],
        unpaid_total=Money(unpaid[1], code),
        cancelled_count=cancelled[0],
        cancelled_total=Money(cancelled[1], code),
        credit_balance=Money(credit, code),
        monthly_run_rate=rate,
        transacting=active or rate.amount > 0,
        explanation=(
            f"income {received} − refunds {refunded} = {income} {code} "
            f"(fees {fees} apart); run rate {rate.amount}/month"
        ),
    )


@attrs.frozen
class ResellerStatistics:
    """A reseller's customers, how many transact, and the run rate per currency."""

    customers: int
    transacting_customers: int
    monthly_run_rate: tuple[Money, ...]
    explanation: str


def reseller_statistics(clients: Iterable[ClientStatistics]) -> ResellerStatistics:
    """Count all and transacting customers; sum the run rates per currency (ordered by code)."""
    count = transacting = 0
    rates: dict[str, Money] = {}
    for stats in clients:
        count += 1
        transacting += stats.transacting
        code = stats.currency
        rates[code] = rates.get(code, zero(code)) + stats.monthly_run_rate
    ordered = tuple(rates[c] for c in sorted(rates))
    shown = ", ".join(f"{m.amount} {m.currency.code}" for m in ordered) or "none"
    text = f"{count} customer(s), {transacting} transacting; run rate {shown} per month"
    return ResellerStatistics(count, transacting, ordered, text)
