from datetime import timedelta
from decimal import Decimal

import pytest

from hostbill_core.errors import NotFoundError, ValidationError
from hostbill_core.fraud import (
    EarlierOrders,
    ExternalScore,
    FraudPorts,
    FraudRequest,
    GeoIPInfo,
    gather_context,
    item_types,
)
from hostbill_core.fraud.fakes import FixedRiskScore, InMemoryGeoIP, InMemoryOrderHistory
from hostbill_core.model import OrderId, OrderStatus, Product, ProductId, ProductType

from .factories import IP, make_client, make_order, make_past


def test_item_types_follow_the_items():
    order = make_order(types=(ProductType.VPS, ProductType.DOMAIN))
    products = [
        Product(ProductId("domain"), "Domain", ProductType.DOMAIN),
        Product(ProductId("vps"), "VPS", ProductType.VPS),
    ]
    assert item_types(order, products) == (ProductType.VPS, ProductType.DOMAIN)


def test_item_types_of_an_unknown_product_is_not_found():
    with pytest.raises(NotFoundError) as error:
        item_types(make_order(), [])
    assert error.value.key == "hosting"


def test_a_request_needs_one_type_per_item():
    with pytest.raises(ValidationError) as error:
        FraudRequest(make_order(), make_client(), ())
    assert error.value.field == "item_types"


def test_a_request_needs_the_orders_client():
    with pytest.raises(ValidationError) as error:
        FraudRequest(make_order(), make_client(client_id="c2"), (ProductType.HOSTING,))
    assert error.value.field == "client"


def test_gather_asks_each_port_once_and_freezes_the_answers():
    client = make_client(email="Ann@Shop.example")
    order = make_order()
    history = InMemoryOrderHistory(
        [
            make_past("by-client", client_id="c1"),
            make_past("by-email", email="ann@shop.example"),
            make_past("by-ip", ip=IP),
            make_past("by-card", card="fp"),
            make_past("later", client_id="c1", before=timedelta(hours=-1)),
        ]
    )
    external = FixedRiskScore({OrderId("o1"): ExternalScore(Decimal(5))})
    ports = FraudPorts(InMemoryGeoIP({IP: GeoIPInfo("GB")}), history, external)
    context = gather_context(FraudRequest(order, client, (ProductType.HOSTING,), "fp"), ports)
    assert context.geo == GeoIPInfo("GB")
    assert [p.order_id for p in context.earlier.by_client] == ["by-client"]
    assert [p.order_id for p in context.earlier.by_email] == ["by-email"]
    assert [p.order_id for p in context.earlier.by_ip] == ["by-ip"]
    assert [p.order_id for p in context.earlier.by_card] == ["by-card"]
    assert context.external == ExternalScore(Decimal(5))
    assert external.asked == ["o1"]
    assert context.email == "ann@shop.example"
    assert context.billing_country == "GB"


def test_without_an_external_service_there_is_no_external_answer():
    ports = FraudPorts(InMemoryGeoIP(), InMemoryOrderHistory())
    request = FraudRequest(make_order(), make_client(), (ProductType.HOSTING,))
    context = gather_context(request, ports)
    assert context.external is None
    assert context.geo is None
    assert context.earlier == EarlierOrders()


def test_distinct_lists_each_earlier_order_once_in_key_order():
    a, b, c = make_past("a"), make_past("b"), make_past("c", status=OrderStatus.REJECTED)
    earlier = EarlierOrders(by_client=(a,), by_email=(b, a), by_ip=(c,), by_card=(b,))
    assert [p.order_id for p in earlier.distinct()] == ["a", "b", "c"]
