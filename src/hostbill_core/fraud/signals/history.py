"""History: what became of the earlier orders by the same client, email, IP or card."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

import attrs

from hostbill_core.fraud.context import FraudContext
from hostbill_core.fraud.contribution import Contribution
from hostbill_core.fraud.ports import HistoryKey, PastOrder
from hostbill_core.fraud.signals.points import points, positive
from hostbill_core.model import OrderStatus

__all__ = ["ACCEPTED_STATUSES", "HistorySignal"]

#: Statuses of an earlier order that count in a client's favour.
ACCEPTED_STATUSES = frozenset({OrderStatus.ACTIVE, OrderStatus.COMPLETED})


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
        past = earlier.distinct()
        rejected = [p for p in past if p.status is OrderStatus.REJECTED]
        accepted = [p for p in past if p.status in ACCEPTED_STATUSES]
        found: list[Contribution] = []
        if rejected:
            found.append(self._found("rejected", self.rejected_points, rejected, context))
        if accepted:
            found.append(self._found("accepted", self.accepted_points, accepted, context))
        return tuple(found)

    def _found(
        self, kind: str, pts: int, orders: Sequence[PastOrder], context: FraudContext
    ) -> Contribution:
        counted = min(len(orders), self.max_counted)
        cap = f", {counted} counted" if counted < len(orders) else ""
        what = "rejected as fraud" if kind == "rejected" else "accepted"
        return Contribution(
            f"history.{kind}",
            pts * counted,
            f"{len(orders)} earlier order(s) {what}{cap}, "
            f"matched by {_matched_by(orders, context)}: {counted} × {pts}",
            (("orders", ",".join(p.order_id for p in orders)), ("counted", counted)),
        )


def _matched_by(orders: Sequence[PastOrder], context: FraudContext) -> str:
    ids = {p.order_id for p in orders}
    keys = [
        key.value
        for key in HistoryKey
        if any(p.order_id in ids for p in context.earlier.matching(key))
    ]
    return ", ".join(keys)
