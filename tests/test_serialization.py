import json
from datetime import UTC, datetime
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from hostbill_core.errors import ValidationError
from hostbill_core.model import (
    Client,
    ClientId,
    Invoice,
    Order,
    OrderId,
    OrderItem,
    PlanId,
    ProductId,
    Service,
)
from hostbill_core.money import to_money
from hostbill_core.serialization import make_converter
from hostbill_core.testing import strategies
from hostbill_core.testing.contract import sample_client, sample_invoice, sample_service

MODELS = st.one_of(
    strategies.clients(),
    strategies.contacts(),
    strategies.products(),
    strategies.price_plans(),
    strategies.services(),
    strategies.service_groups(),
    strategies.orders(),
    strategies.invoices(),
    strategies.payments(),
    strategies.credit_entries(),
    strategies.quotes(),
    strategies.invitations(),
    strategies.storefront_users(),
    strategies.billing_states(),
    strategies.refunds(),
    strategies.queued_items(),
)


@given(MODELS)
def test_every_model_round_trips_through_json(model: Any) -> None:
    converter = make_converter()
    text = json.dumps(converter.unstructure(model))
    assert converter.structure(json.loads(text), type(model)) == model


def test_money_and_dates_are_strings() -> None:
    data = make_converter().unstructure(sample_invoice())
    assert data["due_date"] == "2026-02-28"
    assert data["lines"][0]["amount"] == "EUR 10.00"
    assert data["credit_applied"] == "EUR 0"
    assert make_converter().unstructure(sample_service())["cycle"] == "P1M"


def _bad(data: dict[str, Any], cls: type[Any]) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        make_converter().structure(data, cls)
    return caught.value


def test_missing_key_names_the_path() -> None:
    data = make_converter().unstructure(sample_client())
    del data["currency"]
    assert _bad(data, Client).field == "$.currency"


def test_bad_nested_value_names_the_path() -> None:
    data = make_converter().unstructure(sample_invoice())
    data["lines"][0]["amount"] = "EUR 1,00"
    error = _bad(data, Invoice)
    assert error.field == "$.lines[0].amount"
    assert error.value == "1,00"


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("anchor", "31/01/2026"),
        ("cycle", "monthly"),
        ("version", "3"),
        ("version", 1.0),
        ("status", "sleeping"),
        ("price_override", 10.5),
    ],
)
def test_bad_values_are_validation_errors(key: str, value: object) -> None:
    data = make_converter().unstructure(sample_service())
    data[key] = value
    assert _bad(data, Service).field == f"$.{key}"


def test_extra_keys_are_refused() -> None:
    data = make_converter().unstructure(sample_service())
    data["colour"] = "red"
    _bad(data, Service)


def test_naive_datetime_is_refused() -> None:
    item = OrderItem(ProductId("p"), PlanId("pl"), None, to_money(5, "EUR"), to_money(0, "EUR"))
    at = datetime(2026, 1, 1, tzinfo=UTC)
    order = Order(OrderId("o-1"), ClientId("c-1"), at, "203.0.113.9", "EUR", (item,))
    data = make_converter().unstructure(order)
    data["placed_at"] = "2026-01-01T10:00:00"
    assert _bad(data, Order).field == "$.placed_at"


def test_model_validation_inside_structure_is_a_validation_error() -> None:
    data = make_converter().unstructure(sample_invoice())
    data["lines"][0]["amount"] = "USD 10.00"  # invoice is in EUR
    assert "does not match EUR" in _bad(data, Invoice).reason


def test_hooks_registered_on_the_converter_apply_to_its_fast_path() -> None:
    # The converter structures through a faster twin first: a hook must reach it too, or the
    # twin would structure this dict its own way (x=1) without ever failing.
    @attrs.frozen
    class Point:
        x: int

    converter = make_converter()
    converter.register_structure_hook(Point, lambda value, _type: Point(value["x"] * 2))
    assert converter.structure({"x": 1}, Point) == Point(2)
    by_predicate = make_converter()
    by_predicate.register_structure_hook_func(
        lambda cls: cls is Point, lambda value, _type: Point(value["x"] * 3)
    )
    assert by_predicate.structure({"x": 1}, Point) == Point(3)
