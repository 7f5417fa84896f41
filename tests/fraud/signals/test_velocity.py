from datetime import timedelta

import pytest

from hostbill_core.errors import ValidationError
from hostbill_core.fraud import EarlierOrders
from hostbill_core.fraud.signals import VelocitySignal
from hostbill_core.model import OrderStatus

from ..factories import IP, make_context, make_past


def by_ip(*hours_ago):
    return tuple(
        make_past(f"p{h}", before=timedelta(hours=h), ip=IP)
        for h in sorted(hours_ago, reverse=True)
    )


def test_three_orders_from_one_ip_within_24_hours_exceed_the_default_two():
    # earlier orders 23 h and 1 h ago, plus this one: 3 > 2 allowed
    context = make_context(earlier=EarlierOrders(by_ip=by_ip(23, 1)))
    (found,) = VelocitySignal().evaluate(context)
    assert (found.name, found.points) == ("velocity.ip", 15)
    assert found.reason == f"3 orders from IP {IP} within 24 h (at most 2 allowed)"
    assert found.data == (("ip", IP), ("orders", 3))


def test_orders_outside_the_window_do_not_count():
    # 25 h ago is outside 24 h: 1 h ago + this one = 2, allowed
    context = make_context(earlier=EarlierOrders(by_ip=by_ip(25, 1)))
    assert VelocitySignal().evaluate(context) == ()


def test_an_order_exactly_window_ago_counts():
    # placed_at - window <= earlier: 24 h ago is inside
    context = make_context(earlier=EarlierOrders(by_ip=by_ip(24, 1)))
    assert len(VelocitySignal().evaluate(context)) == 1


def test_outcome_does_not_matter_for_velocity():
    dropped = tuple(
        make_past(f"d{h}", before=timedelta(hours=h), ip=IP, status=OrderStatus.DROPPED)
        for h in (3, 2)
    )
    assert len(VelocitySignal().evaluate(make_context(earlier=EarlierOrders(by_ip=dropped)))) == 1


def test_email_and_card_keys_have_their_own_points():
    email = tuple(make_past(f"e{h}", before=timedelta(hours=h)) for h in (5, 4))
    card = tuple(make_past(f"k{h}", before=timedelta(hours=h), card="fp1") for h in (5, 4, 3))
    context = make_context(card="fp1", earlier=EarlierOrders(by_email=email, by_card=card))
    found = VelocitySignal(email_points=7, card_points=9).evaluate(context)
    assert [(c.name, c.points) for c in found] == [("velocity.email", 7), ("velocity.card", 9)]
    assert found[1].reason == "4 orders from card fp1 within 24 h (at most 2 allowed)"


def test_a_shorter_window_in_minutes_is_written_as_a_duration():
    context = make_context(earlier=EarlierOrders(by_ip=by_ip(1)))
    signal = VelocitySignal(window=timedelta(minutes=90), max_orders=1)
    (found,) = signal.evaluate(context)
    assert found.reason == f"2 orders from IP {IP} within 1:30:00 (at most 1 allowed)"


@pytest.mark.parametrize("window", [timedelta(0), timedelta(hours=-1), 24])
def test_the_window_is_a_positive_timedelta(window):
    with pytest.raises(ValidationError) as error:
        VelocitySignal(window=window)
    assert error.value.field == "window"


def test_max_orders_is_at_least_one():
    with pytest.raises(ValidationError) as error:
        VelocitySignal(max_orders=0)
    assert error.value.field == "max_orders"
