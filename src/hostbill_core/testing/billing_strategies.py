"""Hypothesis strategies for what clients buy and owe: catalogue, services, orders, ledgers.

Products and price plans, services and service groups, orders, invoices, payments, credit
entries, queued items, refunds and quotes. Re-exported by
:mod:`hostbill_core.testing.strategies`.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from hypothesis import strategies as st

from hostbill_core.calendar import BillingCycle
from hostbill_core.model import (
    Allocation,
    ClientSnapshot,
    CreditEntry,
    CreditReason,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    LineKind,
    Order,
    OrderItem,
    OrderStatus,
    Payment,
    PaymentType,
    PriceEntry,
    PricePlan,
    Product,
    ProductType,
    Quote,
    QuoteLine,
    QuoteStatus,
    Service,
    ServiceGroup,
    ServiceStatus,
    TaxAmount,
)
from hostbill_core.model.queue import QueuedItem
from hostbill_core.model.refunds import Refund, RefundDestination
from hostbill_core.money import from_minor, to_minor
from hostbill_core.testing.value_strategies import (
    aware_datetimes,
    billing_cycles,
    calendar_dates,
    currencies,
    emails,
    identifiers,
    money,
    periods,
    short_texts,
)

__all__ = [
    "credit_entries",
    "invoices",
    "orders",
    "payments",
    "price_plans",
    "products",
    "queued_items",
    "quotes",
    "refunds",
    "service_groups",
    "services",
]

_TEXT = short_texts()
_EMAILS = emails()


def products() -> st.SearchStrategy[Product]:
    """A product of any type."""
    return st.builds(
        Product, id=identifiers("product"), name=_TEXT, type=st.sampled_from(ProductType)
    )


@st.composite
def price_plans(draw: st.DrawFn) -> PricePlan:
    """A free, one-time or recurring plan with prices in a few currencies."""
    payment_type = draw(st.sampled_from(PaymentType))
    entries: list[PriceEntry] = []
    if payment_type is not PaymentType.FREE:
        codes = draw(st.lists(currencies(), min_size=1, max_size=3, unique=True))
        cycles: list[BillingCycle | None] = (
            [None]
            if payment_type is PaymentType.ONE_TIME
            else draw(st.lists(billing_cycles(), min_size=1, max_size=3, unique=True))
        )
        for code in codes:
            for cycle in cycles:
                fee = draw(money(code))
                entries.append(PriceEntry(cycle, code, draw(money(code)), fee))
    return PricePlan(
        id=draw(identifiers("plan")),
        product_id=draw(identifiers("product")),
        name=draw(_TEXT),
        payment_type=payment_type,
        prices=tuple(entries),
    )


@st.composite
def services(draw: st.DrawFn) -> Service:
    """A service with a random anchor (days 29–31 included), cycle and billing day."""
    anchor = draw(calendar_dates())
    return Service(
        id=draw(identifiers("service")),
        client_id=draw(identifiers("client")),
        product_id=draw(identifiers("product")),
        plan_id=draw(identifiers("plan")),
        cycle=draw(billing_cycles()),
        anchor=anchor,
        next_due_date=anchor + timedelta(days=draw(st.integers(0, 3000))),
        status=draw(st.sampled_from(ServiceStatus)),
        name=draw(_TEXT),
        billing_day=draw(st.none() | st.integers(1, 31)),
        price_override=draw(st.none() | money()),
    )


def service_groups() -> st.SearchStrategy[ServiceGroup]:
    """A group of distinct services."""
    return st.builds(
        ServiceGroup,
        id=identifiers("group"),
        client_id=identifiers("client"),
        name=_TEXT,
        service_ids=st.lists(identifiers("service"), unique=True, max_size=4).map(tuple),
        show_on_invoice=st.booleans(),
    )


@st.composite
def orders(draw: st.DrawFn) -> Order:
    """An order of one to three items in one currency."""
    code = draw(currencies())
    item = st.builds(
        OrderItem,
        product_id=identifiers("product"),
        plan_id=identifiers("plan"),
        cycle=st.none() | billing_cycles(),
        price=money(code),
        setup_fee=money(code),
        quantity=st.integers(1, 5),
    )
    return Order(
        id=draw(identifiers("order")),
        client_id=draw(identifiers("client")),
        placed_at=draw(aware_datetimes()),
        ip=draw(st.ip_addresses().map(str)),
        currency=code,
        items=tuple(draw(st.lists(item, min_size=1, max_size=3))),
        status=draw(st.sampled_from(OrderStatus)),
    )


@st.composite
def invoices(draw: st.DrawFn) -> Invoice:
    """An invoice of up to four lines (keys unique), taxes and a partial payment."""
    code = draw(currencies())
    lines = []
    for i in range(draw(st.integers(0, 4))):
        tax = TaxAmount("VAT", Decimal("0.19"), draw(money(code, max_units=10**6)))
        lines.append(
            InvoiceLine(
                description=draw(_TEXT),
                amount=draw(money(code, min_units=-(10**6), max_units=10**6)),
                kind=draw(st.sampled_from(LineKind)),
                key=draw(st.none() | st.just(f"line-{i}")),
                period=draw(st.none() | periods()),
                taxes=tuple(draw(st.lists(st.just(tax), max_size=1))),
            )
        )
    paid = draw(money(code, max_units=10**6))
    return Invoice(
        id=draw(identifiers("invoice")),
        client_id=draw(identifiers("client")),
        currency=code,
        due_date=draw(calendar_dates()),
        lines=tuple(lines),
        status=draw(st.sampled_from(InvoiceStatus)),
        number=draw(st.none() | st.integers(1, 999).map(str)),
        amount_paid=paid,
        client=draw(st.none() | st.builds(ClientSnapshot, name=_TEXT, email=_EMAILS)),
        cancelled_on=draw(st.none() | calendar_dates()),
        refunded_on=draw(st.none() | calendar_dates()),
        amount_refunded=draw(money(code, max_units=to_minor(paid))),
    )


@st.composite
def payments(draw: st.DrawFn) -> Payment:
    """A payment with fees, a partial refund and allocations within its amount."""
    code = draw(currencies())
    units = draw(st.integers(0, 10**8))
    allocated = draw(st.integers(0, units))
    return Payment(
        id=draw(identifiers("payment")),
        client_id=draw(identifiers("client")),
        received_at=draw(aware_datetimes()),
        amount=from_minor(units, code),
        fees=draw(money(code, max_units=units)),
        refunded=draw(money(code, max_units=units)),
        gateway="card",
        transaction_id=draw(st.text("abc123", max_size=8)),
        allocations=(Allocation(draw(identifiers("invoice")), from_minor(allocated, code)),),
    )


def credit_entries() -> st.SearchStrategy[CreditEntry]:
    """A signed credit ledger entry."""
    return st.builds(
        CreditEntry,
        id=identifiers("credit"),
        client_id=identifiers("client"),
        at=aware_datetimes(),
        amount=money(min_units=-(10**6)),
        reason=st.sampled_from(CreditReason),
        actor=_TEXT,
    )


@st.composite
def queued_items(draw: st.DrawFn) -> QueuedItem:
    """An item queued for a client's next invoice, with an optional tax and service."""
    code = draw(currencies())
    tax = TaxAmount("VAT", Decimal("0.2"), draw(money(code, max_units=10**6)))
    key = draw(identifiers("manual"))
    return QueuedItem(
        id=key,
        client_id=draw(identifiers("client")),
        currency=code,
        due_date=draw(calendar_dates()),
        description=draw(_TEXT),
        amount=draw(money(code, min_units=-(10**6), max_units=10**6)),
        key=key,
        kind=draw(st.sampled_from(LineKind)),
        service_id=draw(st.none() | identifiers("service")),
        period=draw(st.none() | periods()),
        taxes=tuple(draw(st.lists(st.just(tax), max_size=1))),
        queued_at=draw(st.none() | aware_datetimes()),
        actor=draw(_TEXT),
    )


@st.composite
def refunds(draw: st.DrawFn) -> Refund:
    """A refund record: to the gateway or to credit, of an invoice or of unallocated credit."""
    invoice_id = draw(st.none() | identifiers("invoice"))
    return Refund(
        id=draw(identifiers("refund")),
        client_id=draw(identifiers("client")),
        payment_id=draw(identifiers("payment")),
        amount=draw(money(min_units=1)),
        at=draw(aware_datetimes()),
        destination=draw(st.sampled_from(RefundDestination)),
        invoice_id=invoice_id,
        reverses_invoice=invoice_id is not None and draw(st.booleans()),
        reason=draw(_TEXT),
        actor=draw(_TEXT),
        credit_entry_id=draw(st.none() | identifiers("credit")),
    )


@st.composite
def quotes(draw: st.DrawFn) -> Quote:
    """A quote of up to three lines."""
    code = draw(currencies())
    created = draw(calendar_dates())
    line = st.builds(QuoteLine, description=_TEXT, amount=money(code))
    return Quote(
        id=draw(identifiers("quote")),
        client_id=draw(identifiers("client")),
        currency=code,
        created_on=created,
        expires_on=created + timedelta(days=draw(st.integers(0, 90))),
        lines=tuple(draw(st.lists(line, max_size=3))),
        status=draw(st.sampled_from(QuoteStatus)),
    )
