"""Velocity: many orders from the same IP, email or card in a short window."""

from __future__ import annotations

from bisect import bisect_left
from datetime import datetime, timedelta
from typing import Any, ClassVar

import attrs

from hostbill_core.errors import ValidationError
from hostbill_core.fraud.context import FraudContext
from hostbill_core.fraud.contribution import Contribution
from hostbill_core.fraud.ports import HistoryKey, PastOrder
from hostbill_core.fraud.signals.points import points, positive

__all__ = ["VelocitySignal"]

# (key, contribution name, label in the reason)
_KEYS = (
    (HistoryKey.IP, "velocity.ip", "IP"),
    (HistoryKey.EMAIL, "velocity.email", "email"),
    (HistoryKey.CARD, "velocity.card", "card"),
)


def _window(_instance: Any, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, timedelta) or value <= timedelta(0):
        raise ValidationError(attribute.name, value, "a window is a positive timedelta")


def _window_text(window: timedelta) -> str:
    """A window as text: whole hours as ``"24 h"``, anything else as ``"1:30:00"``."""
    whole, rest = divmod(window, timedelta(hours=1))
    return f"{whole} h" if not rest else str(window)


def _placed_at(past: PastOrder) -> datetime:
    return past.placed_at


@attrs.frozen
class VelocitySignal:
    """Points per key (IP, email, card) with more than ``max_orders`` orders in the window.

    The count includes the order being assessed and every earlier order placed within
    ``window`` before it (``placed_at - window <= earlier < placed_at``), whatever their
    outcome. Without a card fingerprint the card key is silent. The earlier orders are
    found by bisection, relying on the history answering oldest first (the port's contract).

    Attributes:
        window: how far back to count, a positive ``timedelta``.
        max_orders: how many orders per key the window allows (1 or more).
    """

    name: ClassVar[str] = "velocity"
    window: timedelta = attrs.field(default=timedelta(hours=24), validator=_window)
    max_orders: int = attrs.field(default=2, validator=positive)
    ip_points: int = attrs.field(default=15, validator=points)
    email_points: int = attrs.field(default=15, validator=points)
    card_points: int = attrs.field(default=20, validator=points)
    _text: str = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_text", _window_text(self.window))

    def evaluate(self, context: FraudContext) -> tuple[Contribution, ...]:
        """``velocity.ip``, ``velocity.email`` and ``velocity.card``, each when exceeded."""
        since = context.order.placed_at - self.window
        earlier = context.earlier
        found: list[Contribution] = []
        for key, name, label in _KEYS:
            orders = earlier.matching(key)
            if len(orders) < self.max_orders:
                continue
            count = 1 + len(orders) - bisect_left(orders, since, key=_placed_at)
            if count > self.max_orders:
                value = _value(key, context)
                found.append(
                    Contribution(
                        name,
                        self._points(key),
                        f"{count} orders from {label} {value} within {self._text} "
                        f"(at most {self.max_orders} allowed)",
                        ((label.lower(), value), ("orders", count)),
                    )
                )
        return tuple(found)

    def _points(self, key: HistoryKey) -> int:
        if key is HistoryKey.IP:
            return self.ip_points
        if key is HistoryKey.EMAIL:
            return self.email_points
        return self.card_points


def _value(key: HistoryKey, context: FraudContext) -> str:
    if key is HistoryKey.IP:
        return context.order.ip
    if key is HistoryKey.EMAIL:
        return context.email
    return context.request.card_fingerprint
