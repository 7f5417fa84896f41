"""The fraud engine's ports: what it asks the outside world, as ``typing.Protocol`` s.

The engine never calls them itself while scoring: :func:`~hostbill_core.fraud.gather_context`
asks each port once and freezes the answers into a :class:`~hostbill_core.fraud.FraudContext`,
so an assessment depends only on that value. In-memory fakes live in
:mod:`hostbill_core.fraud.fakes`.
"""

from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal
from typing import Protocol

import attrs

from hostbill_core.errors import ValidationError
from hostbill_core.model import Client, ClientId, Order, OrderId, OrderStatus
from hostbill_core.model.checks import aware_instant
from hostbill_core.money import to_decimal

__all__ = [
    "ExternalRiskScore",
    "ExternalScore",
    "GeoIP",
    "GeoIPInfo",
    "HistoryKey",
    "OrderHistory",
    "PastOrder",
]

_MIN_EXTERNAL = Decimal("0.01")
_MAX_EXTERNAL = Decimal("99")


def _country(value: object) -> str:
    if not isinstance(value, str) or (value and (len(value) != 2 or not value.isupper())):
        raise ValidationError("country", value, "an ISO 3166 alpha-2 code such as 'DE', or ''")
    return value


@attrs.frozen
class GeoIPInfo:
    """What a GeoIP database knows about an IP address.

    Attributes:
        country: ISO 3166 alpha-2 code of the address, or ``""`` when unknown.
        is_proxy: the address is a known proxy, VPN or Tor exit (an anonymiser).
        is_hosting: the address belongs to a hosting provider or data centre network.
    """

    country: str = attrs.field(default="", converter=_country)
    is_proxy: bool = False
    is_hosting: bool = False


class GeoIP(Protocol):
    """Looks up an IP address (IPv4 or IPv6, as text)."""

    def lookup(self, ip: str) -> GeoIPInfo | None:
        """What is known about ``ip``, or None when the address is not in the database."""
        ...


class HistoryKey(enum.Enum):
    """What earlier orders are matched on."""

    CLIENT = "client"
    EMAIL = "email"
    IP = "ip"
    CARD = "card"


@attrs.frozen
class PastOrder:
    """An earlier order as the history keeps it: its keys, instant and current status.

    Attributes:
        email: the client's email address at the time, lower-cased.
        card_fingerprint: the payment card's fingerprint (gateway token), ``""`` when none.
        placed_at: when it was placed, an aware datetime in UTC.
        status: its :class:`~hostbill_core.model.OrderStatus` now: REJECTED counts
            against later orders, ACTIVE and COMPLETED count for them, the others are neutral.
    """

    order_id: OrderId
    client_id: ClientId
    email: str
    ip: str
    placed_at: datetime = attrs.field(validator=aware_instant)
    status: OrderStatus
    card_fingerprint: str = ""

    def key(self, kind: HistoryKey) -> str:
        """The value of this order's ``kind`` key (``""`` for a missing card)."""
        if kind is HistoryKey.CLIENT:
            return self.client_id
        if kind is HistoryKey.EMAIL:
            return self.email
        if kind is HistoryKey.IP:
            return self.ip
        return self.card_fingerprint


class OrderHistory(Protocol):
    """Earlier orders by client, email, IP or card, with their outcomes.

    Reads (:meth:`earlier_orders`) serve scoring; writes (:meth:`record`,
    :meth:`set_status`) are made by the host application from the review events, see
    :func:`~hostbill_core.fraud.feed_history`.
    """

    def earlier_orders(
        self, key: HistoryKey, value: str, before: datetime
    ) -> tuple[PastOrder, ...]:
        """Orders whose ``key`` equals ``value``, placed strictly before ``before``, oldest first.

        An empty ``value`` (no card) matches nothing.
        """
        ...

    def record(self, entry: PastOrder) -> None:
        """Add an order, or replace the entry with the same ``order_id``."""
        ...

    def set_status(self, order_id: OrderId, status: OrderStatus) -> None:
        """Change the status of a recorded order (raises NotFoundError when it is unknown)."""
        ...


def _external_score(value: object) -> Decimal:
    score = to_decimal(value, "score")
    if not _MIN_EXTERNAL <= score <= _MAX_EXTERNAL:
        raise ValidationError("score", value, "an external risk score is from 0.01 to 99")
    return score


@attrs.frozen
class ExternalScore:
    """A minFraud-like answer: a risk score from 0.01 to 99 and the service's reasons.

    The score is a Decimal (a float is refused); it reads as "chance in percent that the
    order is fraudulent", as MaxMind's ``risk_score`` does.
    """

    score: Decimal = attrs.field(converter=_external_score)
    reasons: tuple[str, ...] = ()


class ExternalRiskScore(Protocol):
    """An optional outside scoring service (MaxMind minFraud, FraudLabs Pro…)."""

    def score(self, order: Order, client: Client) -> ExternalScore | None:
        """The service's score for the order, or None when it has no answer."""
        ...
