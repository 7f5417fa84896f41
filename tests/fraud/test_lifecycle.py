import attrs
import pytest

from hostbill_core.errors import InvalidTransitionError
from hostbill_core.fraud import TRANSITIONS
from hostbill_core.fraud.lifecycle import move
from hostbill_core.model import OrderStatus

from .factories import make_order

FINAL = {OrderStatus.DROPPED, OrderStatus.REJECTED, OrderStatus.CANCELLED}


def test_final_states_have_no_moves():
    assert not FINAL & set(TRANSITIONS)


def test_a_move_outside_the_table_names_the_allowed_ones():
    order = attrs.evolve(make_order(), status=OrderStatus.IN_REVIEW)
    with pytest.raises(InvalidTransitionError) as error:
        move(order, OrderStatus.AWAITING_APPROVAL, OrderStatus.ACTIVE)
    assert error.value.allowed == ("ACTIVE", "AWAITING_APPROVAL", "DROPPED", "REJECTED")
    assert str(error.value) == (
        "order cannot go from IN_REVIEW to ACTIVE; "
        "allowed from IN_REVIEW: ACTIVE, AWAITING_APPROVAL, DROPPED, REJECTED"
    )


def test_a_step_may_not_make_a_move_its_source_does_not_allow():
    with pytest.raises(InvalidTransitionError):
        move(make_order(), OrderStatus.PENDING, OrderStatus.DROPPED)


def test_a_move_keeps_everything_but_the_status():
    order = make_order()
    moved = move(order, OrderStatus.PENDING, OrderStatus.IN_REVIEW)
    assert attrs.evolve(moved, status=OrderStatus.PENDING) == order
