"""Hypothesis strategies for hostbill_core's primitives and models, for your tests and ours.

Every strategy draws valid values (they pass the models' validators); amounts are exact and,
unless asked otherwise, already at their currency's minor unit.

>>> from hypothesis import given
>>> @given(money(currency="JPY"))
... def test_whole_yen(m):
...     assert m.amount == m.amount.to_integral_value()
>>> test_whole_yen()
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st
from moneyed import Money

from hostbill_core.calendar import BillingCycle, Period
from hostbill_core.model import (
    AccountType,
    Address,
    Allocation,
    BillingState,
    Client,
    ClientSettings,
    ClientSnapshot,
    ClientStatus,
    Contact,
    ContactDetails,
    CreditEntry,
    CreditReason,
    Grant,
    Invitation,
    InvitationStatus,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    LineKind,
    Order,
    OrderItem,
    OrderStatus,
    Payment,
    PaymentMethod,
    PaymentType,
    PriceEntry,
    PricePlan,
    Product,
    ProductType,
    ProfileChange,
    Quote,
    QuoteLine,
    QuoteStatus,
    ScheduledChange,
    Service,
    ServiceGroup,
    ServiceStatus,
    StorefrontUser,
    StorefrontUserStatus,
    TaxAmount,
)
from hostbill_core.model.queue import QueuedItem
from hostbill_core.model.refunds import Refund, RefundDestination
from hostbill_core.money import from_minor, to_minor

__all__ = [
    "CURRENCIES",
    "aware_datetimes",
    "billing_cycles",
    "billing_states",
    "calendar_dates",
    "clients",
    "contacts",
    "credit_entries",
    "currencies",
    "identifiers",
    "invitations",
    "invoices",
    "money",
    "orders",
    "payments",
    "periods",
    "price_plans",
    "products",
    "queued_items",
    "quotes",
    "refunds",
    "service_groups",
    "services",
    "storefront_users",
]

#: Currencies drawn by default: every ISO 4217 exponent from 0 (JPY) to 4 (CLF).
CURRENCIES: tuple[str, ...] = ("USD", "EUR", "GBP", "JPY", "KWD", "BHD", "CLF", "CHF")


def currencies() -> st.SearchStrategy[str]:
    """A currency code from :data:`CURRENCIES`."""
    return st.sampled_from(CURRENCIES)


@st.composite
def money(
    draw: st.DrawFn,
    currency: str | None = None,
    min_units: int = 0,
    max_units: int = 10**9,
) -> Money:
    """An amount of ``min_units`` to ``max_units`` minor units (default 0 to 10^9)."""
    code = currency if currency is not None else draw(currencies())
    return from_minor(draw(st.integers(min_units, max_units)), code)


def calendar_dates(
    min_value: date = date(1990, 1, 1), max_value: date = date(2100, 12, 31)
) -> st.SearchStrategy[date]:
    """A calendar date, month ends and leap days included."""
    return st.dates(min_value, max_value)


def aware_datetimes() -> st.SearchStrategy[datetime]:
    """An aware instant in UTC, whole microseconds."""
    return st.datetimes(datetime(1990, 1, 1), datetime(2100, 1, 1)).map(
        lambda d: d.replace(tzinfo=UTC)
    )


def billing_cycles() -> st.SearchStrategy[BillingCycle]:
    """A cycle of 1–36 months, 1–3 years, 1–4 weeks or 1–90 days."""
    return st.one_of(
        st.integers(1, 36).map(BillingCycle.months),
        st.integers(1, 3).map(BillingCycle.years),
        st.integers(1, 4).map(BillingCycle.weeks),
        st.integers(1, 90).map(BillingCycle.days),
    )


@st.composite
def periods(draw: st.DrawFn, max_days: int = 800) -> Period:
    """A half-open period of 1 to ``max_days`` days."""
    start = draw(calendar_dates(max_value=date(2098, 1, 1)))
    return Period(start, start + timedelta(days=draw(st.integers(1, max_days))))


def identifiers(prefix: str = "id") -> st.SearchStrategy[Any]:
    """An identifier such as ``id-42`` (typed ``Any`` so it fits every id ``NewType``)."""
    return st.integers(0, 10**6).map(lambda n: f"{prefix}-{n}")


_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=20)
_EMAILS = st.from_regex(r"[a-z]{1,8}@[a-z]{1,8}\.(com|org|de)", fullmatch=True)


def _details() -> st.SearchStrategy[ContactDetails]:
    address = st.builds(Address, city=_TEXT, country=st.sampled_from(["", "DE", "US", "GB", "JP"]))
    return st.builds(ContactDetails, name=_TEXT, email=_EMAILS, company=_TEXT, address=address)


def _changes() -> st.SearchStrategy[ProfileChange]:
    return st.builds(
        ProfileChange,
        field=st.sampled_from(["details.name", "details.address.city", "language"]),
        old=_TEXT,
        new=_TEXT,
        actor=st.just("staff:ann"),
        at=aware_datetimes(),
    )


@st.composite
def clients(draw: st.DrawFn) -> Client:
    """A client with random details, settings and currency."""
    active_from = draw(calendar_dates())
    until = draw(st.none() | st.integers(0, 4000).map(lambda d: active_from + timedelta(days=d)))
    return Client(
        id=draw(identifiers("client")),
        details=draw(_details()),
        currency=draw(currencies()),
        active_from=active_from,
        active_until=until,
        account_type=draw(st.sampled_from(AccountType)),
        status=draw(st.sampled_from(ClientStatus)),
        payment_method=draw(st.sampled_from(PaymentMethod)),
        tax_exempt=draw(st.booleans()),
        invoice_recipients=tuple(draw(st.lists(_EMAILS, max_size=2))),
        invoice_note=draw(_TEXT),
        settings=ClientSettings(
            invoice_lead_days=draw(st.none() | st.integers(0, 60)),
            auto_apply_credit=draw(st.none() | st.booleans()),
        ),
        changes=tuple(draw(st.lists(_changes(), max_size=2))),
        version=draw(st.integers(0, 5)),
    )


_RIGHTS = st.sampled_from(["view_invoices", "pay_invoices", "view_services", "manage_services"])


def grants() -> st.SearchStrategy[Grant]:
    """A grant of one right, maybe limited to services, maybe expiring."""
    return st.builds(
        Grant,
        right=_RIGHTS,
        service_ids=st.lists(identifiers("service"), max_size=2),
        expires_at=st.none() | aware_datetimes(),
        granted_by=st.just("owner:client-1"),
    )


def contacts() -> st.SearchStrategy[Contact]:
    """A contact with some rights, grants and email categories."""
    return st.builds(
        Contact,
        id=identifiers("contact"),
        client_id=identifiers("client"),
        details=_details(),
        rights=st.lists(_RIGHTS),
        grants=st.lists(grants(), max_size=2).map(tuple),
        email_preferences=st.lists(st.sampled_from(["invoices", "support", "general"])),
        active=st.booleans(),
    )


def invitations() -> st.SearchStrategy[Invitation]:
    """An invitation in any state."""
    return st.builds(
        Invitation,
        id=identifiers("invitation"),
        client_id=identifiers("client"),
        email=_EMAILS,
        invited_by=st.just("owner:client-1"),
        created_at=aware_datetimes(),
        rights=st.lists(_RIGHTS),
        grants=st.lists(grants(), max_size=2).map(tuple),
        status=st.sampled_from(InvitationStatus),
        sent_at=st.none() | aware_datetimes(),
    )


def storefront_users() -> st.SearchStrategy[StorefrontUser]:
    """A reseller storefront login in any state."""
    words = st.text("abcdefghij", min_size=1, max_size=8)
    return st.builds(
        StorefrontUser,
        id=identifiers("user"),
        client_id=identifiers("client"),
        first_name=words,
        last_name=words,
        email=_EMAILS,
        language=st.sampled_from(["en", "de", "ja"]),
        date_format=st.sampled_from(["DD/MM/YYYY", "YYYY-MM-DD"]),
        created_at=aware_datetimes(),
        status=st.sampled_from(StorefrontUserStatus),
    )


@st.composite
def billing_states(draw: st.DrawFn) -> BillingState:
    """A client's billing-run memory: event keys done, a lockout, scheduled plan changes."""
    client_id = draw(identifiers("client"))
    key = st.builds(
        lambda s, d, step: f"{s}/{d.isoformat()}/{step}",
        identifiers("service"),
        calendar_dates(),
        st.sampled_from(["invoice", "reminder-7", "expiry-0"]),
    )
    change = st.builds(
        ScheduledChange,
        service_id=identifiers("service"),
        plan_id=identifiers("plan"),
        cycle=billing_cycles(),
        on=calendar_dates(),
    )
    return BillingState(
        client_id,
        client_id,
        done=draw(st.lists(key, max_size=4)),
        locked_out=draw(st.booleans()),
        scheduled=tuple(draw(st.lists(change, max_size=2))),
    )


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
