"""The review workflow: screen a placed order, then complete, drop or reject it.

Pure transitions: each takes the order (and what decides the move) and returns a
:class:`~hostbill_core.fraud.lifecycle.Transition`, the new order and the events to emit.
Illegal moves raise :class:`~hostbill_core.errors.InvalidTransitionError`.

- :func:`screen`: PENDING → ACTIVE (accepted), AWAITING_APPROVAL (accepted, approval
  required), IN_REVIEW (flagged) or REJECTED (rejected by the thresholds or a hard rule).
- :func:`complete`: IN_REVIEW → ACTIVE or AWAITING_APPROVAL; the order is genuine.
- :func:`drop`: IN_REVIEW → DROPPED; the customer no longer wants it; no penalty.
- :func:`reject`: IN_REVIEW → REJECTED; fraud; later orders from the same client, email, IP
  or card score higher once the events are fed to the history (:func:`feed_history`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from hostbill_core.errors import ValidationError
from hostbill_core.fraud.approval import NO_APPROVAL, ApprovalRequirement
from hostbill_core.fraud.assess import Assessment
from hostbill_core.fraud.context import FraudContext
from hostbill_core.fraud.contribution import Decision
from hostbill_core.fraud.events import (
    ApprovalRequested,
    FraudEvent,
    OrderAccepted,
    OrderDropped,
    OrderFlagged,
    OrderRejected,
    OrderScreened,
    StatusEvent,
)
from hostbill_core.fraud.lifecycle import (
    StaffAction,
    Transition,
    move,
    staff_transition,
    status_event,
)
from hostbill_core.fraud.ports import OrderHistory, PastOrder
from hostbill_core.model import Order, OrderStatus
from hostbill_core.ports import EventSink

__all__ = ["ENGINE", "complete", "drop", "emit_all", "feed_history", "reject", "screen"]

#: The ``by`` of events the engine emits on its own.
ENGINE = "fraud-engine"


def screen(
    context: FraudContext,
    assessment: Assessment,
    at: datetime,
    approval: ApprovalRequirement = NO_APPROVAL,
) -> Transition:
    """Move a PENDING order according to its assessment.

    Emits :class:`OrderScreened` (the history entry), then :class:`OrderFlagged` for REVIEW
    and REJECT, then :class:`OrderRejected`, :class:`OrderAccepted` or
    :class:`ApprovalRequested` as the order moves.

    Args:
        context: the order's context, as assessed (its email and card go to the history).
        assessment: the assessment of ``context``.
        at: the instant of screening, an aware datetime in UTC.
        approval: whether an accepted order must wait for approval.

    Raises:
        ValidationError: the assessment is about another order.
        InvalidTransitionError: the order is not PENDING.
    """
    order = context.order
    if assessment.order_id != order.id:
        raise ValidationError("assessment.order_id", assessment.order_id, f"expected {order.id}")
    action = StaffAction(ENGINE, at, f"score {assessment.score}/100")
    if assessment.decision is Decision.ACCEPT:
        moved, event = _accepted(order, OrderStatus.PENDING, action, approval)
    elif assessment.decision is Decision.REVIEW:
        moved, event = move(order, OrderStatus.PENDING, OrderStatus.IN_REVIEW), None
    else:
        moved = move(order, OrderStatus.PENDING, OrderStatus.REJECTED)
        event = status_event(OrderRejected, order, action)
    events: list[FraudEvent] = [_screened(context, assessment, moved.status, at)]
    if assessment.flagged:
        events.append(
            OrderFlagged(
                order.id,
                order.client_id,
                at,
                assessment.decision,
                assessment.score,
                assessment.explanation,
            )
        )
    if event is not None:
        events.append(event)
    return Transition(moved, tuple(events))


def _screened(
    context: FraudContext, assessment: Assessment, status: OrderStatus, at: datetime
) -> OrderScreened:
    order = context.order
    entry = PastOrder(
        order.id,
        order.client_id,
        context.email,
        order.ip,
        order.placed_at,
        status,
        context.request.card_fingerprint,
    )
    return OrderScreened(
        order.id, order.client_id, at, assessment.decision, assessment.score, entry
    )


def _accepted(
    order: Order, source: OrderStatus, action: StaffAction, approval: ApprovalRequirement
) -> tuple[Order, StatusEvent]:
    if approval.required:
        waiting = StaffAction(action.by, action.at, approval.reason)
        moved = move(order, source, OrderStatus.AWAITING_APPROVAL)
        return moved, status_event(ApprovalRequested, order, waiting)
    return move(order, source, OrderStatus.ACTIVE), status_event(OrderAccepted, order, action)


def complete(
    order: Order, action: StaffAction, approval: ApprovalRequirement = NO_APPROVAL
) -> Transition:
    """IN_REVIEW → ACTIVE (or AWAITING_APPROVAL when approval is required): it is genuine.

    Raises:
        InvalidTransitionError: the order is not in review.
    """
    moved, event = _accepted(order, OrderStatus.IN_REVIEW, action, approval)
    return Transition(moved, (event,))


def drop(order: Order, action: StaffAction) -> Transition:
    """IN_REVIEW → DROPPED: the customer no longer wants the order; no penalty.

    Raises:
        InvalidTransitionError: the order is not in review.
    """
    return staff_transition(order, OrderStatus.IN_REVIEW, OrderDropped, action)


def reject(order: Order, action: StaffAction) -> Transition:
    """IN_REVIEW → REJECTED: the order is fraudulent.

    Raises:
        InvalidTransitionError: the order is not in review.
    """
    return staff_transition(order, OrderStatus.IN_REVIEW, OrderRejected, action)


def emit_all(sink: EventSink, events: Iterable[FraudEvent]) -> None:
    """Send every event to ``sink`` (the shared :class:`~hostbill_core.ports.EventSink`)."""
    for event in events:
        sink.emit(event)


def feed_history(history: OrderHistory, events: Iterable[FraudEvent]) -> None:
    """Write what ``events`` mean for the order history.

    :class:`OrderScreened` records the order; every status event sets the recorded order's
    status. A DROPPED status counts for nothing when later orders are scored, so a drop
    changes no later score; a REJECTED one counts against them. :class:`OrderFlagged`
    changes nothing.
    """
    for event in events:
        if isinstance(event, OrderScreened):
            history.record(event.entry)
        elif isinstance(event, StatusEvent):
            history.set_status(event.order_id, event.status)
