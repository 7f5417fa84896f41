"""In-memory implementations of the fraud ports, for tests, examples and benchmarks.

They hold plain dictionaries and answer deterministically; nothing is read from a network or
a clock.

>>> from datetime import UTC, datetime
>>> from hostbill_core.model import ClientId, OrderId, OrderStatus
>>> history = InMemoryOrderHistory()
>>> history.record(PastOrder(OrderId("o1"), ClientId("c1"), "ann@example.com", "192.0.2.1",
...     datetime(2024, 5, 1, tzinfo=UTC), OrderStatus.REJECTED))
>>> [p.order_id for p in history.earlier_orders(
...     HistoryKey.IP, "192.0.2.1", datetime(2024, 5, 2, tzinfo=UTC))]
['o1']
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping
from datetime import datetime

import attrs

from hostbill_core.errors import NotFoundError
from hostbill_core.fraud.ports import ExternalScore, GeoIPInfo, HistoryKey, PastOrder
from hostbill_core.model import Client, Order, OrderId, OrderStatus

__all__ = [
    "FixedRiskScore",
    "InMemoryGeoIP",
    "InMemoryOrderHistory",
]


class InMemoryGeoIP:
    """A GeoIP database held in a dict from IP address text to :class:`GeoIPInfo`."""

    def __init__(self, entries: Mapping[str, GeoIPInfo] | None = None) -> None:
        self._entries: dict[str, GeoIPInfo] = dict(entries or {})

    def add(self, ip: str, info: GeoIPInfo) -> None:
        """Add or replace the entry for ``ip``."""
        self._entries[ip] = info

    def lookup(self, ip: str) -> GeoIPInfo | None:
        """The entry for ``ip``, or None."""
        return self._entries.get(ip)


class InMemoryOrderHistory:
    """An order history indexed by client, email, IP and card, each index sorted by instant.

    Attributes:
        records: every recorded entry by order id (read it to see what a test wrote).
    """

    def __init__(self, entries: Iterable[PastOrder] = ()) -> None:
        self.records: dict[OrderId, PastOrder] = {}
        # keyed by (key.value, value): str keys hash faster than enum members
        self._index: dict[tuple[str, str], list[tuple[datetime, OrderId]]] = {}
        for entry in entries:
            self.record(entry)

    def earlier_orders(
        self, key: HistoryKey, value: str, before: datetime
    ) -> tuple[PastOrder, ...]:
        """Orders with ``key == value`` placed strictly before ``before``, oldest first."""
        if not value:
            return ()
        rows = self._index.get((key.value, value))
        if not rows:
            return ()
        end = bisect.bisect_left(rows, (before,))
        return tuple(self.records[order_id] for _, order_id in rows[:end])

    def record(self, entry: PastOrder) -> None:
        """Add ``entry``, or replace the entry with its order id (keys and instant included)."""
        old = self.records.get(entry.order_id)
        if old is not None:
            self._unindex(old)
        self.records[entry.order_id] = entry
        for kind in HistoryKey:
            value = entry.key(kind)
            if value:
                bisect.insort(self._index.setdefault((kind.value, value), []), _row(entry))

    def set_status(self, order_id: OrderId, status: OrderStatus) -> None:
        """Change a recorded order's status.

        Raises:
            NotFoundError: no order ``order_id`` was recorded.
        """
        entry = self.records.get(order_id)
        if entry is None:
            raise NotFoundError("past order", order_id)
        self.records[order_id] = attrs.evolve(entry, status=status)

    def _unindex(self, entry: PastOrder) -> None:
        for kind in HistoryKey:
            value = entry.key(kind)
            if value:
                self._index[(kind.value, value)].remove(_row(entry))


def _row(entry: PastOrder) -> tuple[datetime, OrderId]:
    return (entry.placed_at, entry.order_id)


class FixedRiskScore:
    """An external risk service that answers from a dict by order id (None when absent).

    Attributes:
        asked: the order ids it was asked about, in order.
    """

    def __init__(self, scores: Mapping[OrderId, ExternalScore] | None = None) -> None:
        self._scores = dict(scores or {})
        self.asked: list[OrderId] = []

    def score(self, order: Order, client: Client) -> ExternalScore | None:
        """The stored score of ``order`` (``client`` is not used)."""
        self.asked.append(order.id)
        return self._scores.get(order.id)
