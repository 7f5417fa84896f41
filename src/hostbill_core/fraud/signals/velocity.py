"""Velocity: many orders from the same IP, email or card in a short window."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, ClassVar

import attrs

from hostbill_core.errors import ValidationError
from hostbill_core.fraud.context import FraudContext
from hostbill_core.fraud.contribution import Contribution
from hostbill_core.fraud.ports import HistoryKey
from hostbill_core.fraud.signals.points import points, positive

__all__ = ["VelocitySignal"]

_LABELS = {HistoryKey.IP: "IP", HistoryKey.EMAIL: "email", HistoryKey.CARD: "card"}


def _window(_instance: Any, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, timedelta) or value <= timedelta(0):
        raise ValidationError(attribute.name, value, "a window is a positive timedelta")


def _window_text(window: timedelta) -> str:
    """A window as text: whole hours as ``"24 h"``, anything else as ``"1:30:00"``."""
    whole, rest = divmod(window, timedelta(hours=1))
    return f"{whole} h" if not rest else str(window)


@attrs.frozen
class VelocitySignal:
    """Points per key (IP, email, card) with more than ``max_orders`` orders in the window.

    The count includes the order being assessed and every earlier order placed within
    ``window`` before it (``placed_at - window <= earlier < placed_at``), whatever their
    outcome. Without a card fingerprint the card key is silent.

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

    def evaluate(self, context: FraudContext) -> tuple[Contribution, ...]:
        """``velocity.ip``, ``velocity.email`` and ``velocity.card``, each when exceeded."""
        since = context.order.placed_at - self.window
        found: list[Contribution] = []
        for key, pts in (
            (HistoryKey.IP, self.ip_points),
            (HistoryKey.EMAIL, self.email_points),
            (HistoryKey.CARD, self.card_points),
        ):
            earlier = context.earlier.matching(key)
            if len(earlier) < self.max_orders:
                continue
            count = 1 + sum(1 for past in earlier if past.placed_at >= since)
            if count > self.max_orders:
                found.append(self._found(key, pts, count, context))
        return tuple(found)

    def _found(self, key: HistoryKey, pts: int, count: int, context: FraudContext) -> Contribution:
        value = _value(key, context)
        label = _LABELS[key]
        return Contribution(
            f"velocity.{key.value}",
            pts,
            f"{count} orders from {label} {value} within {_window_text(self.window)} "
            f"(at most {self.max_orders} allowed)",
            ((key.value, value), ("orders", count), ("window_seconds", _seconds(self.window))),
        )


def _value(key: HistoryKey, context: FraudContext) -> str:
    if key is HistoryKey.IP:
        return context.order.ip
    if key is HistoryKey.EMAIL:
        return context.email
    return context.request.card_fingerprint


def _seconds(window: timedelta) -> int:
    return window // timedelta(seconds=1)
