"""What the review and approval transitions emit, for the host application to act on.

Each event is a small frozen value with a stable dotted ``name`` (``"order.flagged"``), so it
fits the :class:`~hostbill_core.ports.EventSink` port. The host application sends them on (an
email to the business for :class:`OrderFlagged`, to the client for :class:`OrderRejected`...)
and feeds them to the order history with :func:`~hostbill_core.fraud.feed_history`.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

import attrs

from hostbill_core.fraud.contribution import Decision
from hostbill_core.fraud.ports import PastOrder
from hostbill_core.model import ClientId, OrderId, OrderStatus
from hostbill_core.model.checks import aware_instant

__all__ = [
    "ApprovalRequested",
    "FraudEvent",
    "OrderAccepted",
    "OrderApproved",
    "OrderCancelled",
    "OrderDropped",
    "OrderFlagged",
    "OrderRejected",
    "OrderScreened",
    "StatusEvent",
]


@attrs.frozen
class OrderScreened:
    """An order was assessed; ``entry`` is what the order history should record for it."""

    name: ClassVar[str] = "order.screened"
    order_id: OrderId
    client_id: ClientId
    at: datetime = attrs.field(validator=aware_instant)
    decision: Decision
    score: int
    entry: PastOrder


@attrs.frozen
class OrderFlagged:
    """An order was flagged (REVIEW or REJECT): tell the business, with the explanation."""

    name: ClassVar[str] = "order.flagged"
    order_id: OrderId
    client_id: ClientId
    at: datetime = attrs.field(validator=aware_instant)
    decision: Decision
    score: int
    explanation: str


@attrs.frozen
class StatusEvent:
    """An order moved to ``status``; each subclass names both in its class line.

    ``class OrderRejected(StatusEvent, name="order.rejected", status=OrderStatus.REJECTED)``
    sets the class attributes ``name`` and ``status``.

    Attributes:
        by: who moved it: a staff or reseller user, or ``"fraud-engine"``.
        reason: the reason given (may be empty).
    """

    name: ClassVar[str]
    status: ClassVar[OrderStatus]
    order_id: OrderId
    client_id: ClientId
    at: datetime = attrs.field(validator=aware_instant)
    by: str
    reason: str = ""

    def __init_subclass__(cls, name: str = "", status: OrderStatus | None = None) -> None:
        # attrs builds each slotted subclass a second time, without these keywords: the
        # second call finds name and status already set and leaves them alone.
        super().__init_subclass__()
        if name:
            cls.name = name
        if status is not None:
            cls.status = status


@attrs.frozen
class OrderAccepted(StatusEvent, name="order.accepted", status=OrderStatus.ACTIVE):
    """The order goes on (automatically, or completed by staff from review)."""


@attrs.frozen
class OrderRejected(StatusEvent, name="order.rejected", status=OrderStatus.REJECTED):
    """The order was rejected as fraud.

    Once fed to the history, later orders from its client, email, IP or card score higher.
    """


@attrs.frozen
class OrderDropped(StatusEvent, name="order.dropped", status=OrderStatus.DROPPED):
    """The customer no longer wants the order: no penalty, later scores do not change."""


@attrs.frozen
class ApprovalRequested(
    StatusEvent, name="order.approval_requested", status=OrderStatus.AWAITING_APPROVAL
):
    """The order waits for the reseller's (or the business's) approval."""


@attrs.frozen
class OrderApproved(StatusEvent, name="order.approved", status=OrderStatus.ACTIVE):
    """The reseller approved the order: it is executed."""


@attrs.frozen
class OrderCancelled(StatusEvent, name="order.cancelled", status=OrderStatus.CANCELLED):
    """The reseller cancelled the order instead of approving it."""


FraudEvent = OrderScreened | OrderFlagged | StatusEvent
