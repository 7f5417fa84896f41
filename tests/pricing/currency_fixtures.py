"""A small client book shared by the currency-change tests."""

from datetime import UTC, date, datetime
from decimal import Decimal

from hostbill_core.calendar import MONTHLY
from hostbill_core.model import (
    Client,
    ContactDetails,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    PaymentType,
    PriceEntry,
    PricePlan,
    QueuedItem,
    Service,
    TaxAmount,
)
from hostbill_core.money import ExchangeRate, to_money

AT = datetime(2026, 1, 5, 10, tzinfo=UTC)
USD_EUR = ExchangeRate("USD", "EUR", "0.92", date(2026, 1, 5))


def money(amount: str, code: str = "USD"):
    return to_money(amount, code)


def entry(code: str, price: str) -> PriceEntry:
    return PriceEntry(MONTHLY, code, money(price, code), money("0", code))


BASIC = PricePlan(
    "basic",
    "hosting",
    "Basic",
    PaymentType.RECURRING,
    (entry("USD", "10.00"), entry("EUR", "9.50")),
)
USD_ONLY = PricePlan("pro", "hosting", "Pro", PaymentType.RECURRING, (entry("USD", "20.00"),))
EUR_ONLY = PricePlan("euro", "hosting", "Euro", PaymentType.RECURRING, (entry("EUR", "5.00"),))
SSL = PricePlan(
    "ssl",
    "ssl",
    "SSL",
    PaymentType.ONE_TIME,
    (PriceEntry(None, "USD", money("49.00"), money("0")),),
)
PLANS = (BASIC, USD_ONLY, EUR_ONLY, SSL)


def client(code: str = "USD", id: str = "c1") -> Client:
    return Client(id, ContactDetails("Ann", "ann@example.com"), code, date(2025, 1, 1))


def service(id: str, plan: PricePlan, override=None, client_id: str = "c1") -> Service:
    return Service(
        id,
        client_id,
        plan.product_id,
        plan.id,
        MONTHLY,
        date(2025, 1, 1),
        date(2026, 2, 1),
        price_override=override,
    )


SERVICES = (
    service("s1", BASIC),  # plan price 10.00 USD, 9.50 EUR
    service("s2", BASIC, money("7.77")),  # a custom price
    service("s3", EUR_ONLY),  # no USD price: follows the plan's table
    service("s4", SSL),  # one-time: nothing recurring
    service("s5", USD_ONLY),  # no EUR price
)


def invoice(id: str, status: InvoiceStatus, code: str = "USD", **kw) -> Invoice:
    lines = (
        InvoiceLine(
            "Basic",
            money("10.00", code),
            taxes=(TaxAmount("VAT", Decimal("0.19"), money("1.90", code)),),
        ),
        InvoiceLine(
            "Discount",
            money("-1.00", code),
            taxes=(TaxAmount("VAT", Decimal("0.19"), money("-0.19", code)),),
        ),
    )
    return Invoice(id, "c1", code, date(2026, 2, 1), lines, status, **kw)


INVOICES = (
    invoice("i1", InvoiceStatus.UNPAID, credit_applied=money("2.00")),
    invoice("i2", InvoiceStatus.PAID, amount_paid=money("10.71")),
    invoice("i3", InvoiceStatus.DRAFT, "EUR"),
)


def queued(
    id: str, amount: str, tax: str | None = None, code: str = "USD", client_id: str = "c1"
) -> QueuedItem:
    """A manual item queued for the client's next invoice, with a 10% tax when ``tax`` is given."""
    taxes = () if tax is None else (TaxAmount("VAT", Decimal("0.10"), money(tax, code)),)
    return QueuedItem(
        id, client_id, code, date(2026, 2, 1), f"work {id}", money(amount, code), f"manual/{id}",
        taxes=taxes,
    )  # fmt: skip
