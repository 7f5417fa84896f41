"""A tiny hosting shop for the billing-run tests: one product, plans in USD, EUR and JPY."""

from datetime import date

import attrs

from hostbill_core.calendar import ANNUALLY, MONTHLY, BillingCycle
from hostbill_core.model import (
    Client,
    ClientId,
    ContactDetails,
    PaymentType,
    PlanId,
    PriceEntry,
    PricePlan,
    Product,
    ProductId,
    ProductType,
    Service,
    ServiceId,
    ServiceStatus,
)
from hostbill_core.money import to_money
from hostbill_core.ports import UnitOfWorkFactory


def entry(cycle: BillingCycle, amount: str, currency: str, setup: str = "0") -> PriceEntry:
    return PriceEntry(cycle, currency, to_money(amount, currency), to_money(setup, currency))


PRODUCTS = (
    Product(ProductId("hosting"), "Hosting", ProductType.HOSTING),
    Product(ProductId("domain"), "Domain", ProductType.DOMAIN),
)
PLANS = (
    PricePlan(
        PlanId("basic"),
        ProductId("hosting"),
        "Basic",
        PaymentType.RECURRING,
        (
            entry(MONTHLY, "10.00", "USD", "5.00"),
            entry(MONTHLY, "9.00", "EUR", "5.00"),
            entry(MONTHLY, "1500", "JPY"),
            entry(ANNUALLY, "100.00", "USD"),
        ),
    ),
    PricePlan(
        PlanId("pro"),
        ProductId("hosting"),
        "Pro",
        PaymentType.RECURRING,
        (entry(MONTHLY, "20.00", "USD"), entry(MONTHLY, "3000", "JPY")),
    ),
    PricePlan(
        PlanId("com"),
        ProductId("domain"),
        ".com",
        PaymentType.RECURRING,
        (entry(ANNUALLY, "12.00", "USD"),),
    ),
)


def client(cid: str, currency: str = "USD", **changes: object) -> Client:
    base = Client(
        ClientId(cid), ContactDetails(f"Client {cid}", f"{cid}@example.com"), currency,
        date(2025, 1, 1),
    )  # fmt: skip
    return attrs.evolve(base, **changes)


def service(
    sid: str,
    cid: str,
    anchor: date,
    next_due: date | None = None,
    *,
    plan: str = "basic",
    product: str = "hosting",
    cycle: BillingCycle = MONTHLY,
    status: ServiceStatus = ServiceStatus.ACTIVE,
    **changes: object,
) -> Service:
    base = Service(
        ServiceId(sid), ClientId(cid), ProductId(product), PlanId(plan), cycle, anchor,
        next_due or anchor, status,
    )  # fmt: skip
    return attrs.evolve(base, **changes)


def seed(factory: UnitOfWorkFactory, clients=(), services=(), groups=()) -> UnitOfWorkFactory:
    with factory() as uow:
        for product in PRODUCTS:
            uow.products.add(product)
        for plan in PLANS:
            uow.plans.add(plan)
        for item in clients:
            uow.clients.add(item)
        for item in services:
            uow.services.add(item)
        for item in groups:
            uow.service_groups.add(item)
        uow.commit()
    return factory


def snapshot(factory: UnitOfWorkFactory) -> dict[str, tuple[object, ...]]:
    names = (
        "clients", "services", "service_groups", "invoices", "payments", "credit",
        "billing_states", "orders", "promotion_redemptions", "cancellation_requests",
    )  # fmt: skip
    with factory() as uow:
        state: dict[str, tuple[object, ...]] = {n: getattr(uow, n).list() for n in names}
        state["numbers"] = (uow.invoice_numbers.peek("INV"), uow.invoice_numbers.peek("PRO"))
    return state
