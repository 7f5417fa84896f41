"""The built-in example shop: a few clients in two currencies and the usual hosting services.

It is what ``hostbill-core simulate`` runs when no scenario is given. Every record has a fixed
id, so seeding a store twice adds nothing the second time.
"""

from __future__ import annotations

from datetime import date

import attrs

from hostbill_core.calendar import ANNUALLY, BIENNIALLY, MONTHLY, BillingCycle
from hostbill_core.model import (
    AccountType,
    Address,
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
)
from hostbill_core.money import to_money
from hostbill_core.ports import UnitOfWorkFactory

__all__ = ["SeedReport", "example_shop", "seed"]


@attrs.frozen
class ExampleShop:
    """The records of the example shop, in the order they are stored."""

    products: tuple[Product, ...]
    plans: tuple[PricePlan, ...]
    clients: tuple[Client, ...]
    services: tuple[Service, ...]


def _prices(cycle: BillingCycle | None, usd: str, eur: str, setup: str = "0") -> list[PriceEntry]:
    return [
        PriceEntry(cycle, "USD", to_money(usd, "USD"), to_money(setup, "USD")),
        PriceEntry(cycle, "EUR", to_money(eur, "EUR"), to_money(setup, "EUR")),
    ]


def _catalogue() -> tuple[tuple[Product, ...], tuple[PricePlan, ...]]:
    hosting, domain, vps = ProductId("shared-hosting"), ProductId("domain-com"), ProductId("vps")
    products = (
        Product(hosting, "Shared Hosting", ProductType.HOSTING),
        Product(domain, "Domain .com", ProductType.DOMAIN),
        Product(vps, "VPS 2 GB", ProductType.VPS),
    )
    plans = (
        PricePlan(
            PlanId("hosting-starter"),
            hosting,
            "Starter",
            PaymentType.RECURRING,
            tuple(
                _prices(MONTHLY, "4.99", "4.49")
                + _prices(ANNUALLY, "49.90", "44.90")
                + _prices(BIENNIALLY, "89.00", "79.00")
            ),
        ),
        PricePlan(
            PlanId("domain-com"),
            domain,
            ".com",
            PaymentType.RECURRING,
            tuple(_prices(ANNUALLY, "12.99", "11.99")),
        ),
        PricePlan(
            PlanId("vps-2gb"),
            vps,
            "2 GB",
            PaymentType.RECURRING,
            tuple(_prices(MONTHLY, "19.00", "17.00", setup="10.00")),
        ),
    )
    return products, plans


# id, name, email, currency, client since, country
_CLIENTS = (
    ("acme", "Acme Web Ltd", "billing@acme.example", "USD", date(2025, 1, 10), "GB"),
    ("beate", "Beate Krüger", "beate@example.de", "EUR", date(2025, 5, 20), "DE"),
    ("chen", "Chen Wei", "chen@example.com", "USD", date(2025, 11, 2), "US"),
)

# id, client, product, plan, cycle, anchor, name
_SERVICES = (
    (
        "acme-web",
        "acme",
        "shared-hosting",
        "hosting-starter",
        MONTHLY,
        date(2026, 1, 31),
        "acme.example",
    ),
    (
        "acme-domain",
        "acme",
        "domain-com",
        "domain-com",
        ANNUALLY,
        date(2025, 3, 15),
        "acme.example",
    ),
    (
        "beate-web",
        "beate",
        "shared-hosting",
        "hosting-starter",
        ANNUALLY,
        date(2025, 6, 1),
        "krueger.example",
    ),
    ("beate-vps", "beate", "vps", "vps-2gb", MONTHLY, date(2026, 2, 10), "vps1.krueger.example"),
    (
        "chen-web",
        "chen",
        "shared-hosting",
        "hosting-starter",
        BIENNIALLY,
        date(2025, 11, 20),
        "chen.example",
    ),
)


def example_shop() -> ExampleShop:
    """The example shop's records (pure: builds values, stores nothing).

    Three clients (USD and EUR); monthly, annual and biennial hosting, a domain and a VPS;
    one hosting service anchored on 31 January, to show month-end due dates. Each service's
    next due date is its anchor.
    """
    products, plans = _catalogue()
    clients = tuple(
        Client(
            ClientId(id),
            ContactDetails(name, email, address=Address(country=country)),
            currency,
            since,
            account_type=AccountType.ORGANISATION if "Ltd" in name else AccountType.PRIVATE,
        )
        for id, name, email, currency, since, country in _CLIENTS
    )
    services = tuple(
        Service(
            ServiceId(id),
            ClientId(client),
            ProductId(product),
            PlanId(plan),
            cycle,
            anchor,
            anchor,
            name=name,
        )
        for id, client, product, plan, cycle, anchor, name in _SERVICES
    )
    return ExampleShop(products, plans, clients, services)


@attrs.frozen
class SeedReport:
    """How many records seeding added, and how many were already there."""

    added: int
    existing: int


def seed(new_uow: UnitOfWorkFactory, shop: ExampleShop | None = None) -> SeedReport:
    """Store the example shop's records that are not stored yet, in one unit of work.

    Idempotent: records are matched by id, so a second call adds nothing.
    """
    shop = shop or example_shop()
    added = existing = 0
    with new_uow() as uow:
        batches = (
            (uow.products, shop.products),
            (uow.plans, shop.plans),
            (uow.clients, shop.clients),
            (uow.services, shop.services),
        )
        for repository, records in batches:
            for record in records:
                if repository.find(record.id) is None:
                    repository.add(record)  # type: ignore[arg-type]
                    added += 1
                else:
                    existing += 1
        uow.commit()
    return SeedReport(added, existing)
