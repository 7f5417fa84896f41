from datetime import timedelta

import attrs
import pytest

from hostbill_core.errors import InvalidTransitionError
from hostbill_core.fraud import (
    ApprovalPolicy,
    OrderApproved,
    OrderCancelled,
    StaffAction,
    approval_requirement,
    approve,
    cancel,
)
from hostbill_core.model import ClientSettings, OrderStatus, PaymentMethod

from .factories import T0, make_client, make_order

RESELLER = StaffAction("reseller:acme", T0 + timedelta(hours=2))


def client_with(switch):
    return attrs.evolve(make_client(), settings=ClientSettings(order_approval_required=switch))


@pytest.mark.parametrize("switch", [None, False, True])
def test_a_reseller_paying_by_card_approves_every_order(switch):
    policy = ApprovalPolicy(reseller_payment_method=PaymentMethod.CARD)
    requirement = approval_requirement(client_with(switch), policy)
    assert requirement.required
    assert requirement.reason == (
        "the reseller's payment method (card) requires approval of every order"
    )


@pytest.mark.parametrize(
    ("switch", "required", "reason"),
    [
        (True, True, "order approval required for this client"),
        (False, False, "order approval not required for this client"),
        (None, False, "order approval not required by default"),
    ],
)
def test_otherwise_the_clients_switch_decides(switch, required, reason):
    policy = ApprovalPolicy(reseller_payment_method=PaymentMethod.INVOICE)
    requirement = approval_requirement(client_with(switch), policy)
    assert (requirement.required, requirement.reason) == (required, reason)


def test_an_unset_switch_takes_the_policy_default():
    requirement = approval_requirement(client_with(None), ApprovalPolicy(default_required=True))
    assert (requirement.required, requirement.reason) == (
        True,
        "order approval required by default",
    )


def test_the_methods_requiring_approval_are_configurable():
    policy = ApprovalPolicy(
        reseller_payment_method=PaymentMethod.CARD, methods_requiring_approval=frozenset()
    )
    assert not approval_requirement(client_with(False), policy).required


def waiting():
    return attrs.evolve(make_order(), status=OrderStatus.AWAITING_APPROVAL)


def test_approve_executes_the_order():
    result = approve(waiting(), RESELLER)
    assert result.order.status is OrderStatus.ACTIVE
    assert result.events == (
        OrderApproved(waiting().id, waiting().client_id, RESELLER.at, "reseller:acme"),
    )


def test_cancel_cancels_the_order():
    result = cancel(waiting(), attrs.evolve(RESELLER, reason="customer asked"))
    assert result.order.status is OrderStatus.CANCELLED
    (event,) = result.events
    assert isinstance(event, OrderCancelled)
    assert event.reason == "customer asked"


@pytest.mark.parametrize("step", [approve, cancel])
@pytest.mark.parametrize(
    "status", [s for s in OrderStatus if s is not OrderStatus.AWAITING_APPROVAL]
)
def test_only_a_waiting_order_is_approved_or_cancelled(step, status):
    with pytest.raises(InvalidTransitionError) as error:
        step(attrs.evolve(make_order(), status=status), RESELLER)
    assert (error.value.kind, error.value.current) == ("order", status.name)
