"""Synthetic orders for examples, calibration notebooks and the benchmark.

Everything is drawn from a seeded :class:`random.Random`, so the same ``(n, seed)`` gives the
same orders on every machine. The data is invented: genuine clients with settled accounts,
fraud rings that reuse IPs and cards, use throw-away emails, proxies and new accounts, and
careful fraudsters whose details look genuine. Fraud that staff caught is recorded in the
history as REJECTED; everything else as ACTIVE.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import attrs

from hostbill_core.calendar import MONTHLY
from hostbill_core.fraud.calibration import LabelledOrder
from hostbill_core.fraud.context import FraudContext, FraudPorts, FraudRequest, gather_context
from hostbill_core.fraud.fakes import FixedRiskScore, InMemoryGeoIP, InMemoryOrderHistory
from hostbill_core.fraud.ports import ExternalScore, GeoIPInfo, PastOrder
from hostbill_core.model import (
    Address,
    Client,
    ClientId,
    ContactDetails,
    Order,
    OrderId,
    OrderItem,
    OrderStatus,
    PlanId,
    ProductId,
    ProductType,
)
from hostbill_core.money import to_money

__all__ = [
    "SyntheticCase",
    "example_context",
    "labelled_orders",
    "replay_ports",
    "synthetic_cases",
    "synthetic_labelled_orders",
]

_START = datetime(2024, 1, 1, tzinfo=UTC)
_COUNTRIES = {  # country: (currency, a postcode that fits its format)
    "US": ("USD", "94105"),
    "CA": ("USD", "M5V 2T6"),
    "GB": ("GBP", "SW1A 1AA"),
    "DE": ("EUR", "10115"),
    "FR": ("EUR", "75001"),
    "NL": ("EUR", "1012 AB"),
    "PL": ("EUR", "00-950"),
}
_FREE = ("gmail.com", "outlook.com", "yahoo.com", "gmx.de")
_DISPOSABLE = ("mailinator.com", "yopmail.com", "guerrillamail.com")
_PRICES = {ProductType.HOSTING: 9, ProductType.DOMAIN: 12, ProductType.VPS: 40}


@attrs.frozen
class SyntheticCase:
    """One invented order: the request, what GeoIP and the risk service say, and the truth.

    ``caught`` tells whether staff rejected a fraudulent order (it is REJECTED in the
    history); fraud not caught was accepted (ACTIVE), as genuine orders are.
    """

    request: FraudRequest
    geo: GeoIPInfo
    external: ExternalScore
    is_fraud: bool
    caught: bool = False


def example_context() -> FraudContext:
    """A small fixed context for examples: a first VPS order from a throw-away email."""
    client = _client("c-1", "Ann Example", "ann@mailinator.com", "+44 20 7946 0000", "GB")
    at = _START + timedelta(days=120)
    order = _order("o-1", client, at, "192.0.2.10", kind=ProductType.VPS, quantity=1)
    request = FraudRequest(order, client, (ProductType.VPS,))
    return FraudContext(request, GeoIPInfo("GB"))


def synthetic_cases(n: int, seed: int = 0, fraud_percent: int = 5) -> tuple[SyntheticCase, ...]:
    """``n`` invented orders in time order, about ``fraud_percent`` % of them fraud."""
    rng = random.Random(seed)
    rings = max(2, n * fraud_percent // 1000)
    cases = []
    at = _START
    for i in range(n):
        at += timedelta(seconds=rng.randrange(1, 1800))
        if rng.randrange(100) < fraud_percent:
            cases.append(_fraud(rng, i, at, rng.randrange(rings)))
        else:
            cases.append(_genuine(rng, i, at, n))
    return tuple(cases)


def _genuine(rng: random.Random, i: int, at: datetime, clients: int) -> SyntheticCase:
    k = rng.randrange(clients)
    country = list(_COUNTRIES)[k % len(_COUNTRIES)]
    domain = _FREE[k % len(_FREE)] if k % 3 == 0 else f"shop{k}.example"
    phone = "" if k % 20 == 0 else "+1 555 0100"
    client = _client(f"g{k}", f"Client {k}", f"owner{k}@{domain}", phone, country)
    client = attrs.evolve(client, active_from=(_START - timedelta(days=k % 900)).date())
    kind = rng.choice((ProductType.HOSTING,) * 6 + (ProductType.DOMAIN,) * 3 + (ProductType.VPS,))
    order = _order(f"o{i}", client, at, f"198.51.{k // 250 % 256}.{k % 250}", kind=kind, quantity=1)
    geo = GeoIPInfo(country if rng.randrange(20) else "ES", is_hosting=rng.randrange(50) == 0)
    card = f"card-g{k}" if k % 2 else ""
    external = ExternalScore(Decimal(rng.randrange(1, 2000)) / 100)
    return SyntheticCase(FraudRequest(order, client, (kind,), card), geo, external, False)


def _fraud(rng: random.Random, i: int, at: datetime, ring: int) -> SyntheticCase:
    """A careless fraud ring member or, one time in three, a careful fraudster.

    Ring members share an IP and a card per ring and use throw-away details; careful ones
    look genuine.
    """
    if rng.randrange(3) == 0:
        return _careful_fraud(rng, i, at)
    country = rng.choice(list(_COUNTRIES))
    domain = rng.choice(_DISPOSABLE if rng.randrange(2) else _FREE)
    local = f"x{i}"
    name = f"{local}@{domain}" if rng.randrange(3) == 0 else f"Buyer {i}"
    client = _client(
        f"f{i}", name, f"{local}@{domain}", "" if rng.randrange(2) else "+1 555 0199", country
    )
    client = attrs.evolve(client, active_from=at.date())
    if rng.randrange(3) == 0:
        client = _with_postcode(client, "ABC")
    kind = rng.choice((ProductType.VPS, ProductType.HOSTING))
    quantity = rng.randrange(1, 20)
    order = _order(f"o{i}", client, at, f"203.0.113.{ring % 250}", kind=kind, quantity=quantity)
    others = [c for c in _COUNTRIES if c != country]
    geo = GeoIPInfo(
        rng.choice(others) if rng.randrange(10) < 7 else country,
        is_proxy=rng.randrange(2) == 0,
        is_hosting=rng.randrange(10) < 3,
    )
    external = ExternalScore(Decimal(rng.randrange(1000, 9900)) / 100)
    request = FraudRequest(order, client, (kind,), f"card-ring{ring}")
    return SyntheticCase(request, geo, external, True, caught=rng.randrange(10) < 7)


def _careful_fraud(rng: random.Random, i: int, at: datetime) -> SyntheticCase:
    country = rng.choice(list(_COUNTRIES))
    client = _client(f"f{i}", f"Buyer {i}", f"sales@firm{i}.example", "+1 555 0142", country)
    client = attrs.evolve(client, active_from=(at - timedelta(days=rng.randrange(400))).date())
    kind = rng.choice((ProductType.VPS, ProductType.HOSTING, ProductType.DOMAIN))
    order = _order(f"o{i}", client, at, f"100.64.{i // 250 % 256}.{i % 250}", kind=kind, quantity=1)
    geo = GeoIPInfo(country, is_proxy=rng.randrange(10) == 0)
    external = ExternalScore(Decimal(rng.randrange(100, 4000)) / 100)
    request = FraudRequest(order, client, (kind,), f"card-f{i}")
    return SyntheticCase(request, geo, external, True, caught=rng.randrange(10) < 3)


def replay_ports(cases: Iterable[SyntheticCase]) -> FraudPorts:
    """In-memory ports that know every case.

    GeoIP and the risk service answer from the cases; the history holds every case (caught
    fraud as REJECTED, the rest as ACTIVE) and is read strictly before each order, so each
    case sees only the cases before it.
    """
    geoip, history, scores = InMemoryGeoIP(), InMemoryOrderHistory(), {}
    for case in cases:
        order = case.request.order
        geoip.add(order.ip, case.geo)
        scores[order.id] = case.external
        status = OrderStatus.REJECTED if case.caught else OrderStatus.ACTIVE
        history.record(_entry(case.request, status))
    return FraudPorts(geoip, history, FixedRiskScore(scores))


def labelled_orders(cases: Iterable[SyntheticCase]) -> tuple[LabelledOrder, ...]:
    """The cases as labelled contexts, each gathered from :func:`replay_ports`."""
    cases = tuple(cases)
    ports = replay_ports(cases)
    return tuple(LabelledOrder(gather_context(c.request, ports), c.is_fraud) for c in cases)


def synthetic_labelled_orders(
    n: int, seed: int = 0, fraud_percent: int = 5
) -> tuple[LabelledOrder, ...]:
    """``labelled_orders(synthetic_cases(n, seed, fraud_percent))``."""
    return labelled_orders(synthetic_cases(n, seed, fraud_percent))


def _entry(request: FraudRequest, status: OrderStatus) -> PastOrder:
    order = request.order
    email = request.client.details.email.lower()
    return PastOrder(
        order.id,
        order.client_id,
        email,
        order.ip,
        order.placed_at,
        status,
        request.card_fingerprint,
    )


def _client(client_id: str, name: str, email: str, phone: str, country: str) -> Client:
    currency, postcode = _COUNTRIES[country]
    address = Address(line1="1 Example Street", city="Example", postcode=postcode, country=country)
    details = ContactDetails(name, email, phone=phone, address=address)
    return Client(ClientId(client_id), details, currency, date(2023, 6, 1))


def _with_postcode(client: Client, postcode: str) -> Client:
    address = attrs.evolve(client.details.address, postcode=postcode)
    return attrs.evolve(client, details=attrs.evolve(client.details, address=address))


def _order(
    order_id: str, client: Client, at: datetime, ip: str, *, kind: ProductType, quantity: int
) -> Order:
    price = to_money(_PRICES.get(kind, 10), client.currency)
    item = OrderItem(
        ProductId(kind.value),
        PlanId(f"{kind.value}-monthly"),
        MONTHLY,
        price,
        to_money(0, client.currency),
        quantity,
    )
    return Order(OrderId(order_id), client.id, at, ip, client.currency, (item,))
