from datetime import date
from decimal import Decimal

import pytest

from hostbill_core.errors import ValidationError
from hostbill_core.fraud import EarlierOrders
from hostbill_core.fraud.signals import AccountAgeSignal, FirstOrderValueSignal, order_total
from hostbill_core.model import ProductType

from ..factories import make_client, make_context, make_order, make_past


def test_an_account_two_days_old_is_young():
    # order on 2024-05-01, account active from 2024-04-29: 2 days < 7
    context = make_context(client=make_client(active_from=date(2024, 4, 29)))
    (found,) = AccountAgeSignal().evaluate(context)
    assert (found.name, found.points) == ("account_age", 5)
    assert found.reason == (
        "the account is 2 day(s) old (active from 2024-04-29), younger than 7 days"
    )


def test_an_account_exactly_min_days_old_is_not_young():
    context = make_context(client=make_client(active_from=date(2024, 4, 24)))  # 7 days
    assert AccountAgeSignal().evaluate(context) == ()


def test_an_account_starting_after_the_order_is_zero_days_old():
    context = make_context(client=make_client(active_from=date(2024, 6, 1)))
    assert AccountAgeSignal().evaluate(context)[0].data == (("age_days", 0),)


def test_order_total_is_price_plus_setup_times_quantity():
    order = make_order(
        types=(ProductType.VPS, ProductType.HOSTING), price="40.00", setup_fee="5.00", quantity=3
    )
    # (40.00 + 5.00) × 3 per item, two items: 270.00
    assert order_total(order) == Decimal("270.00")


def test_a_first_order_above_the_limit_contributes():
    order = make_order(types=(ProductType.VPS,), price="200.00", quantity=3)  # 600.00 GBP
    (found,) = FirstOrderValueSignal().evaluate(make_context(order=order))
    assert (found.name, found.points) == ("first_order_value", 10)
    assert found.reason == "first order of this client is worth 600.00 GBP, above 400 GBP"


def test_a_total_equal_to_the_limit_is_not_above_it():
    order = make_order(price="400.00")
    assert FirstOrderValueSignal().evaluate(make_context(order=order)) == ()


def test_a_returning_client_is_not_checked():
    order = make_order(price="900.00")
    earlier = EarlierOrders(by_client=(make_past("p1", client_id="c1"),))
    assert FirstOrderValueSignal().evaluate(make_context(order=order, earlier=earlier)) == ()


def test_a_currency_without_a_limit_is_not_checked():
    signal = FirstOrderValueSignal(limits={"USD": "100"})
    order = make_order(price="900.00")  # GBP
    assert signal.evaluate(make_context(order=order)) == ()


def test_limits_refuse_floats_negative_amounts_and_unknown_currencies():
    with pytest.raises(ValidationError) as error:
        FirstOrderValueSignal(limits={"USD": 100.0})
    assert error.value.field == "limits.USD"
    with pytest.raises(ValidationError) as error:
        FirstOrderValueSignal(limits={"USD": "-1"})
    assert error.value.field == "limits.USD"
    with pytest.raises(ValidationError) as error:
        FirstOrderValueSignal(limits={"XXY": "1"})
    assert error.value.field == "limits"


def test_min_days_is_at_least_one():
    with pytest.raises(ValidationError):
        AccountAgeSignal(min_days=0)
