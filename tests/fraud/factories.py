"""Small builders for fraud tests: a clean context scores 0 under the default configuration."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hostbill_core.calendar import MONTHLY
from hostbill_core.fraud import (
    EarlierOrders,
    ExternalScore,
    FraudContext,
    FraudRequest,
    GeoIPInfo,
    PastOrder,
)
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

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
IP = "192.0.2.10"


def make_client(
    *,
    client_id: str = "c1",
    name: str = "Ann Smith",
    email: str = "ann@shop.example",
    phone: str = "+44 20 7946 0000",
    country: str = "GB",
    postcode: str = "SW1A 1AA",
    active_from: date = date(2023, 1, 1),
) -> Client:
    address = Address(line1="1 High Street", city="London", postcode=postcode, country=country)
    details = ContactDetails(name, email, phone=phone, address=address)
    return Client(ClientId(client_id), details, "GBP", active_from)


def make_order(
    *,
    order_id: str = "o1",
    client_id: str = "c1",
    at: datetime = T0,
    ip: str = IP,
    types: tuple[ProductType, ...] = (ProductType.HOSTING,),
    price: str = "10.00",
    setup_fee: str = "0.00",
    quantity: int = 1,
    placed_by_admin: bool = False,
) -> Order:
    items = tuple(
        OrderItem(
            ProductId(kind.value),
            PlanId(f"{kind.value}-m"),
            MONTHLY,
            to_money(price, "GBP"),
            to_money(setup_fee, "GBP"),
            quantity,
        )
        for kind in types
    )
    return Order(
        OrderId(order_id),
        ClientId(client_id),
        at,
        ip,
        "GBP",
        items,
        placed_by_admin=placed_by_admin,
    )


def make_context(
    *,
    client: Client | None = None,
    order: Order | None = None,
    card: str = "",
    geo: GeoIPInfo | None = None,
    earlier: EarlierOrders | None = None,
    external: ExternalScore | None = None,
) -> FraudContext:
    client = client or make_client()
    order = order or make_order(client_id=client.id)
    types = tuple(ProductType(item.product_id) for item in order.items)
    request = FraudRequest(order, client, types, card)
    return FraudContext(
        request,
        GeoIPInfo("GB") if geo is None else geo,
        earlier or EarlierOrders(),
        external,
    )


def make_past(
    order_id: str,
    *,
    status: OrderStatus = OrderStatus.ACTIVE,
    before: timedelta = timedelta(days=30),
    client_id: str = "c-other",
    email: str = "other@elsewhere.example",
    ip: str = "198.51.100.1",
    card: str = "",
) -> PastOrder:
    return PastOrder(OrderId(order_id), ClientId(client_id), email, ip, T0 - before, status, card)
