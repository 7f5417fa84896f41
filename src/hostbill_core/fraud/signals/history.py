"""History: what became of the earlier orders by the same client, email, IP or card."""

from __future__ import annotations

from typing import ClassVar

import attrs

from hostbill_core.fraud.context import FraudContext
from hostbill_core.fraud.contribution import Contribution
from hostbill_core.fraud.ports import PastOrder
from hostbill_core.fraud.signals.points import points, positive
from hostbill_core.model import OrderStatus

__all__ = ["ACCEPTED_STATUSES", "HistorySignal"]

#: Statuses of an earlier order that count in a client's favour.
ACCEPTED_STATUSES = frozenset({OrderStatus.ACTIVE, OrderStatus.COMPLETED})

_REJECTED = OrderStatus.REJECTED
_ACTIVE = OrderStatus.ACTIVE
_COMPLETED = OrderStatus.COMPLETED


class _Tally:
    """Earlier orders of one kind (rejected or accepted), once each, and their keys."""

    __slots__ = ("keys", "orders")

    def __init__(self) -> None:
        self.orders: dict[str, PastOrder] = {}
        self.keys: list[str] = []

    def add(self, past: PastOrder, key: str) -> None:
        self.orders.setdefault(past.order_id, past)
        if key not in self.keys:
            self.keys.append(key)


@attrs.frozen
class HistorySignal:
    """Points per earlier rejected order; (usually negative) points per accepted one.

    Earlier orders are matched by client, email, IP and card; one found by several keys
    counts once. Each kind counts at most ``max_counted`` orders. Orders still pending or in
    review, dropped (the customer changed their mind) or cancelled count for nothing.

    Attributes:
        rejected_points: points per earlier order rejected as fraud.
        accepted_points: points per earlier order accepted (ACTIVE or COMPLETED); negative
            lowers the score.
        max_counted: the most orders of each kind that count.
    """

    name: ClassVar[str] = "history"
    rejected_points: int = attrs.field(default=40, validator=points)
    accepted_points: int = attrs.field(default=-5, validator=points)
    max_counted: int = attrs.field(default=3, validator=positive)

    def evaluate(self, context: FraudContext) -> tuple[Contribution, ...]:
        """``history.rejected`` and ``history.accepted``, each when such orders exist."""
        earlier = context.earlier
        if not (earlier.by_client or earlier.by_email or earlier.by_ip or earlier.by_card):
            return ()
        rejected, accepted = _Tally(), _Tally()
        for key, orders in (
            ("client", earlier.by_client),
            ("email", earlier.by_email),
            ("IP", earlier.by_ip),
            ("card", earlier.by_card),
        ):
            for past in orders:
                status = past.status
                if status is _REJECTED:
                    rejected.add(past, key)
                elif status is _ACTIVE or status is _COMPLETED:  # ACCEPTED_STATUSES, unhashed
                    accepted.add(past, key)
        found: list[Contribution] = []
        if rejected.orders:
            found.append(self._found("rejected", self.rejected_points, rejected))
        if accepted.orders:
            found.append(self._found("accepted", self.accepted_points, accepted))
        return tuple(found)

    def _found(self, kind: str, pts: int, tally: _Tally) -> Contribution:
        total = len(tally.orders)
        counted = min(total, self.max_counted)
        cap = f", {counted} counted" if counted < total else ""
        what = "rejected as fraud" if kind == "rejected" else "accepted"
        return Contribution(
            f"history.{kind}",
            pts * counted,
            f"{total} earlier order(s) {what}{cap}, matched by {', '.join(tally.keys)}: "
            f"{counted} × {pts}",
            (("orders", ",".join(sorted(tally.orders))), ("counted", counted)),
        )
