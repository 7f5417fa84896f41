"""A small shop stored through any adapter, for the client lifecycle use cases."""

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import attrs

from hostbill_core.calendar import ANNUALLY, MONTHLY
from hostbill_core.model import (
    Address,
    BillingState,
    CancellationRequest,
    Client,
    ClientSnapshot,
    Contact,
    ContactDetails,
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
    PromotionRedemption,
    QueuedItem,
    Quote,
    QuoteLine,
    Refund,
    ScheduledChange,
    Service,
    ServiceGroup,
)
from hostbill_core.money import to_money
from hostbill_core.permissions import OwnerActor, StaffActor, StaffPrivilege
from hostbill_core.ports import UnitOfWorkFactory
from hostbill_core.usecases.client_records import CLIENT_OWNED

AT = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
STAFF = StaffActor("eve", frozenset(StaffPrivilege))
OWNER = OwnerActor("c1")
REPOSITORIES = ("clients", *CLIENT_OWNED, "products", "plans")


def eur(amount: str):
    return to_money(amount, "EUR")


def client(cid: str, currency: str = "EUR", name: str = "Carla Client") -> Client:
    details = ContactDetails(
        name,
        f"{cid}@example.com",
        company="Carla GmbH",
        phone="+49 30 123",
        address=Address("Hauptstr. 1", city="Berlin", postcode="10115", country="DE"),
    )
    return Client(
        cid,
        details,
        currency,
        date(2025, 1, 1),
        vat_number="DE123",
        invoice_recipients=("books@example.com",),
    )


def records_of(cid: str, currency: str = "EUR") -> list[tuple[str, Any]]:
    """One client's aggregates: contacts, services (one a domain), a group, orders,
    invoices, a payment, credit entries, a quote, the billing run's state (c1 locked out) and
    a promotion redemption (use number N for client cN), an end-of-term cancellation, a refund
    of part of the payment to the card and a queued one-off item."""
    money = lambda a: to_money(a, currency)  # noqa: E731
    line = InvoiceLine("Hosting March", money("10.00"), LineKind.RENEWAL, key=f"{cid}-s1/2026-03")
    snapshot = ClientSnapshot("Carla Client", f"{cid}@example.com")
    item = OrderItem("hosting", "basic", MONTHLY, money("10.00"), money("0.00"))
    return [
        ("clients", client(cid, currency)),
        (
            "contacts",
            Contact(
                f"{cid}-k1", cid, ContactDetails("Kim", "kim@example.com"), rights=("tickets",)
            ),
        ),
        (
            "services",
            Service(
                f"{cid}-s1",
                cid,
                "hosting",
                "basic",
                MONTHLY,
                date(2026, 1, 31),
                date(2026, 3, 31),
                price_override=money("9.99"),
            ),
        ),
        (
            "services",
            Service(
                f"{cid}-d1",
                cid,
                "domain",
                "com",
                ANNUALLY,
                date(2025, 6, 1),
                date(2026, 6, 1),
                name="carla.example",
            ),
        ),
        (
            "service_groups",
            ServiceGroup(
                f"{cid}-g1", cid, "Carla's shop", "her two sites", service_ids=(f"{cid}-s1",)
            ),
        ),
        ("orders", Order(f"{cid}-o1", cid, AT, "203.0.113.7", currency, (item,))),
        (
            "orders",
            Order(
                f"{cid}-o2",
                cid,
                AT,
                "203.0.113.7",
                currency,
                (item,),
                status=OrderStatus.COMPLETED,
            ),
        ),
        (
            "invoices",
            Invoice(
                f"{cid}-i1",
                cid,
                currency,
                date(2026, 3, 31),
                (line,),
                InvoiceStatus.UNPAID,
                client=snapshot,
            ),
        ),
        (
            "invoices",
            Invoice(
                f"{cid}-i2",
                cid,
                currency,
                date(2026, 2, 28),
                (attrs.evolve(line, key=f"{cid}-s1/2026-02"),),
                InvoiceStatus.PAID,
                client=snapshot,
                amount_paid=money("10.00"),
            ),
        ),
        (
            "payments",
            Payment(
                f"{cid}-p1",
                cid,
                AT,
                money("10.00"),
                gateway="card",
                transaction_id=f"tx-{cid}",
            ),
        ),
        (
            "credit",
            CreditEntry(
                f"{cid}-e1",
                cid,
                AT,
                money("20.00"),
                CreditReason.ADD_CREDIT,
                "owner:" + cid,
                note="Carla prepaid by bank transfer",
            ),
        ),
        (
            "credit",
            CreditEntry(
                f"{cid}-e2",
                cid,
                AT,
                money("-5.50"),
                CreditReason.APPLIED_TO_INVOICE,
                "system",
                invoice_id=f"{cid}-i2",
            ),
        ),
        (
            "quotes",
            Quote(
                f"{cid}-q1",
                cid,
                currency,
                date(2026, 3, 1),
                date(2026, 4, 1),
                (QuoteLine("Migration", money("50.00")),),
            ),
        ),
        (
            "billing_states",
            BillingState(
                cid,
                cid,
                done=(f"{cid}-s1/2026-03-31/reminder-7",),
                locked_out=cid == "c1",
                scheduled=(ScheduledChange(f"{cid}-s1", "pro", MONTHLY, date(2026, 3, 31)),),
            ),
        ),
        (
            "promotion_redemptions",
            PromotionRedemption(
                f"{cid}-o1",
                "SPRING",
                cid,
                f"{cid}-o1",
                date(2026, 3, 10),
                int(cid[1:]),
                service_ids=(f"{cid}-s1",),
                percent_off=Decimal("10"),
                once_per_client=True,
            ),
        ),
        (
            "cancellation_requests",
            CancellationRequest(
                f"{cid}-s1", cid, f"{cid}-s1", date(2026, 3, 10), date(2026, 3, 31), "moving"
            ),
        ),
        ("refunds", Refund(f"{cid}-r1", cid, f"{cid}-p1", money("2.00"), AT, reason="goodwill")),
        (
            "queued_items",
            QueuedItem(
                f"{cid}-k1",
                cid,
                currency,
                date(2026, 4, 1),
                "Extra backup restore",
                money("15.00"),
                f"{cid}-restore-1",
            ),
        ),
    ]


def seed(uow: UnitOfWorkFactory, *clients: tuple[str, str]) -> None:
    with uow() as work:
        for cid, currency in clients:
            for repo, item in records_of(cid, currency):
                getattr(work, repo).add(item)
        work.commit()


def snapshot(uow: UnitOfWorkFactory) -> dict[str, tuple[Any, ...]]:
    """Everything stored, by repository: equal snapshots mean storage did not change."""
    with uow() as work:
        return {name: getattr(work, name).list() for name in REPOSITORIES}
