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

import attrs
from moneyed import Money

from hostbill_core.calendar import BillingCycle
from hostbill_core.errors import CurrencyMismatchError
from hostbill_core.model.ids import ClientId, ServiceId
from hostbill_core.model.invoices import Invoice, InvoiceStatus
from hostbill_core.model.ledger import CreditEntry, Payment
from hostbill_core.money import RoundingPolicy, from_minor, minor_units, sum_money, zero

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
    total = Fraction(0)
    for charge in charges:
        if charge.price.currency.code != currency:
            raise CurrencyMismatchError(currency, charge.price.currency.code, charge.service_id)
        if charge.active:
            total += monthly_amount(charge.price, charge.cycle)
    return _round(total, currency, policy or RoundingPolicy())


@attrs.frozen
class ClientActivity:
    """Everything statistics read about one client, in the client's currency."""

    client_id: ClientId
    currency: str
    invoices: tuple[Invoice, ...] = ()
    payments: tuple[Payment, ...] = ()
    credit_entries: tuple[CreditEntry, ...] = ()
    charges: tuple[RecurringCharge, ...] = ()


@attrs.frozen
class ClientStatistics:
    """One client's figures.

    Attributes:
        income: payments received less the amounts refunded on them.
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


def client_statistics(
    activity: ClientActivity, policy: RoundingPolicy | None = None
) -> ClientStatistics:
    """Compute one client's statistics; only the run rate rounds (once, by ``policy``).

    Raises:
        CurrencyMismatchError: an invoice, payment, entry or charge in another currency.
    """
    code = activity.currency
    for invoice in activity.invoices:
        if invoice.currency != code:
            raise CurrencyMismatchError(code, invoice.currency, f"invoice {invoice.id}")
    paid = [i for i in activity.invoices if i.status is InvoiceStatus.PAID]
    unpaid = [i for i in activity.invoices if i.status in _UNPAID]
    cancelled = [i for i in activity.invoices if i.status is InvoiceStatus.CANCELLED]
    received = sum_money((p.amount for p in activity.payments), code)
    refunded = sum_money((p.refunded for p in activity.payments), code)
    fees = sum_money((p.fees for p in activity.payments), code)
    rate = monthly_run_rate(activity.charges, code, policy)
    active = any(c.active for c in activity.charges)
    income = received - refunded
    return ClientStatistics(
        client_id=activity.client_id,
        currency=code,
        income=income,
        fees=fees,
        paid_count=len(paid),
        paid_total=sum_money((i.total for i in paid), code),
        unpaid_count=len(unpaid),
        unpaid_total=sum_money((i.balance_due for i in unpaid), code),
        cancelled_count=len(cancelled),
        cancelled_total=sum_money((i.total for i in cancelled), code),
        credit_balance=sum_money((e.amount for e in activity.credit_entries), code),
        monthly_run_rate=rate,
        transacting=active or rate.amount > 0,
        explanation=(
            f"income {received.amount} − refunds {refunded.amount} = {income.amount} {code} "
            f"(fees {fees.amount} apart); run rate {rate.amount}/month"
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
