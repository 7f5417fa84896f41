"""Order approval: a reseller (or the business) approves each order before it is executed.

A reseller whose own payment method requires it (card payments, by default) must approve
every order its end customers place; otherwise each customer's "order approval required"
switch (``client.settings.order_approval_required``) decides, falling back on the policy's
default. Approving executes the order (ACTIVE); cancelling cancels it (CANCELLED).

>>> from hostbill_core.fraud.synthetic import example_context
>>> from hostbill_core.model import PaymentMethod
>>> client = example_context().client
>>> card_reseller = ApprovalPolicy(reseller_payment_method=PaymentMethod.CARD)
>>> approval_requirement(client, card_reseller).reason
"the reseller's payment method (card) requires approval of every order"
>>> approval_requirement(client, ApprovalPolicy()).required
False
"""

from __future__ import annotations

import attrs

from hostbill_core.fraud.events import OrderApproved, OrderCancelled
from hostbill_core.fraud.lifecycle import StaffAction, Transition, staff_transition
from hostbill_core.model import Client, Order, OrderStatus, PaymentMethod

__all__ = [
    "NO_APPROVAL",
    "ApprovalPolicy",
    "ApprovalRequirement",
    "approval_requirement",
    "approve",
    "cancel",
]


@attrs.frozen
class ApprovalPolicy:
    """Who must approve orders.

    Attributes:
        reseller_payment_method: the payment method of the reseller the client buys
            through, or None when the business sells directly.
        methods_requiring_approval: reseller payment methods under which every order
            needs approval (card by default, as the reseller storefront does).
        default_required: what a client whose switch is unset (None) gets.
    """

    reseller_payment_method: PaymentMethod | None = None
    methods_requiring_approval: frozenset[PaymentMethod] = frozenset({PaymentMethod.CARD})
    default_required: bool = False


@attrs.frozen
class ApprovalRequirement:
    """Whether an order must wait for approval, and why."""

    required: bool
    reason: str


#: No approval needed: the default for :func:`~hostbill_core.fraud.screen` and ``complete``.
NO_APPROVAL = ApprovalRequirement(False, "no approval required")


def approval_requirement(client: Client, policy: ApprovalPolicy) -> ApprovalRequirement:
    """Whether ``client``'s orders wait for approval under ``policy``."""
    method = policy.reseller_payment_method
    if method is not None and method in policy.methods_requiring_approval:
        return ApprovalRequirement(
            True, f"the reseller's payment method ({method.value}) requires approval of every order"
        )
    switch = client.settings.order_approval_required
    if switch is None:
        word = "required" if policy.default_required else "not required"
        return ApprovalRequirement(policy.default_required, f"order approval {word} by default")
    word = "required" if switch else "not required"
    return ApprovalRequirement(switch, f"order approval {word} for this client")


def approve(order: Order, action: StaffAction) -> Transition:
    """AWAITING_APPROVAL → ACTIVE (executed), emitting :class:`OrderApproved`.

    Raises:
        InvalidTransitionError: the order is not awaiting approval.
    """
    return staff_transition(order, OrderStatus.AWAITING_APPROVAL, OrderApproved, action)


def cancel(order: Order, action: StaffAction) -> Transition:
    """AWAITING_APPROVAL → CANCELLED, emitting :class:`OrderCancelled`.

    Raises:
        InvalidTransitionError: the order is not awaiting approval.
    """
    return staff_transition(order, OrderStatus.AWAITING_APPROVAL, OrderCancelled, action)
