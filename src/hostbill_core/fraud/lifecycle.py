"""The order state machine the fraud and approval engines share.

::

    PENDING ──screen──▶ ACTIVE | AWAITING_APPROVAL | IN_REVIEW | REJECTED
    IN_REVIEW ──complete──▶ ACTIVE | AWAITING_APPROVAL
    IN_REVIEW ──drop──▶ DROPPED          IN_REVIEW ──reject──▶ REJECTED
    AWAITING_APPROVAL ──approve──▶ ACTIVE    AWAITING_APPROVAL ──cancel──▶ CANCELLED

ACTIVE goes on to provisioning (ACTIVE → COMPLETED belongs to the use case that provisions);
DROPPED, REJECTED and CANCELLED are final.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TypeVar

import attrs

from hostbill_core.errors import InvalidTransitionError
from hostbill_core.fraud.events import FraudEvent, StatusEvent
from hostbill_core.model import Order, OrderStatus
from hostbill_core.model.checks import aware_instant

__all__ = [
    "TRANSITIONS",
    "StaffAction",
    "Transition",
    "move",
    "staff_transition",
    "status_event",
]

E = TypeVar("E", bound=StatusEvent)

_S = OrderStatus

#: The moves the fraud and approval engines make, by current status.
TRANSITIONS: Mapping[OrderStatus, tuple[OrderStatus, ...]] = {
    _S.PENDING: (_S.ACTIVE, _S.AWAITING_APPROVAL, _S.IN_REVIEW, _S.REJECTED),
    _S.IN_REVIEW: (_S.ACTIVE, _S.AWAITING_APPROVAL, _S.DROPPED, _S.REJECTED),
    _S.AWAITING_APPROVAL: (_S.ACTIVE, _S.CANCELLED),
}


@attrs.frozen
class Transition:
    """The result of a transition: the changed order and the events to emit, in order."""

    order: Order
    events: tuple[FraudEvent, ...]


def move(order: Order, source: OrderStatus, target: OrderStatus) -> Order:
    """``order`` with status ``target``; the step making the move starts from ``source``.

    Raises:
        InvalidTransitionError: the order is not in ``source`` (the error lists the moves
            its current status allows).
    """
    if order.status is not source or target not in TRANSITIONS[source]:
        possible = TRANSITIONS.get(order.status, ())
        raise InvalidTransitionError(
            "order", order.status.name, target.name, tuple(s.name for s in possible)
        )
    return attrs.evolve(order, status=target)


@attrs.frozen
class StaffAction:
    """Who acts on an order, when, and why.

    Attributes:
        by: the staff or reseller user (an id or a name, for the audit trail).
        at: the instant of the action, an aware datetime in UTC.
        reason: the reason given, carried by the event.
    """

    by: str
    at: datetime = attrs.field(validator=aware_instant)
    reason: str = ""


def status_event(kind: type[E], order: Order, action: StaffAction) -> E:
    """The ``kind`` event for ``order``, from ``action``'s user, instant and reason."""
    return kind(order.id, order.client_id, action.at, action.by, action.reason)


def staff_transition(
    order: Order, source: OrderStatus, kind: type[StatusEvent], action: StaffAction
) -> Transition:
    """``source`` → ``kind.status`` by ``action``, emitting the ``kind`` event.

    Raises:
        InvalidTransitionError: the order is not in ``source``.
    """
    moved = move(order, source, kind.status)
    return Transition(moved, (status_event(kind, order, action),))
