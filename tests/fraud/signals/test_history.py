import pytest

from hostbill_core.errors import ValidationError
from hostbill_core.fraud import EarlierOrders
from hostbill_core.fraud.signals import HistorySignal
from hostbill_core.model import OrderStatus

from ..factories import make_context, make_past

R = OrderStatus.REJECTED


def test_each_earlier_rejected_order_adds_40():
    earlier = EarlierOrders(
        by_client=(make_past("p1", status=R),),
        by_ip=(make_past("p2", status=R),),
    )
    (found,) = HistorySignal().evaluate(make_context(earlier=earlier))
    # 2 rejected orders × 40 = 80
    assert (found.name, found.points) == ("history.rejected", 80)
    assert found.reason == "2 earlier order(s) rejected as fraud, matched by client, IP: 2 × 40"
    assert found.data == (("orders", "p1,p2"), ("counted", 2))


def test_an_order_found_by_several_keys_counts_once():
    past = make_past("p1", status=R)
    earlier = EarlierOrders(by_client=(past,), by_email=(past,), by_ip=(past,), by_card=(past,))
    (found,) = HistorySignal().evaluate(make_context(earlier=earlier))
    assert found.points == 40
    assert "matched by client, email, IP, card" in found.reason


def test_counts_are_capped_at_max_counted():
    earlier = EarlierOrders(by_client=tuple(make_past(f"p{i}", status=R) for i in range(5)))
    (found,) = HistorySignal().evaluate(make_context(earlier=earlier))
    # 5 rejected, 3 counted: 3 × 40 = 120 (the score clamps later, not the signal)
    assert found.points == 120
    assert found.reason.startswith("5 earlier order(s) rejected as fraud, 3 counted")


def test_accepted_orders_lower_the_score():
    earlier = EarlierOrders(
        by_client=(
            make_past("p1", status=OrderStatus.ACTIVE),
            make_past("p2", status=OrderStatus.COMPLETED),
        )
    )
    (found,) = HistorySignal().evaluate(make_context(earlier=earlier))
    # 2 accepted × -5 = -10
    assert (found.name, found.points) == ("history.accepted", -10)


@pytest.mark.parametrize(
    "status",
    [
        OrderStatus.PENDING,
        OrderStatus.IN_REVIEW,
        OrderStatus.AWAITING_APPROVAL,
        OrderStatus.DROPPED,
        OrderStatus.CANCELLED,
    ],
)
def test_neutral_outcomes_count_for_nothing(status):
    earlier = EarlierOrders(by_client=(make_past("p1", status=status),))
    assert HistorySignal().evaluate(make_context(earlier=earlier)) == ()


def test_rejected_and_accepted_both_reported():
    earlier = EarlierOrders(
        by_client=(make_past("p1", status=OrderStatus.ACTIVE),),
        by_card=(make_past("p2", status=R, card="fp"),),
    )
    found = HistorySignal(rejected_points=30, accepted_points=-10).evaluate(
        make_context(earlier=earlier)
    )
    assert [(c.name, c.points) for c in found] == [
        ("history.rejected", 30),
        ("history.accepted", -10),
    ]


def test_settings_are_checked():
    with pytest.raises(ValidationError):
        HistorySignal(rejected_points=200)
    with pytest.raises(ValidationError):
        HistorySignal(max_counted=0)
