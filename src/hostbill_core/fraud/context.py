"""The immutable input of an assessment, and how it is gathered from the ports.

A :class:`FraudRequest` names the order, its client and the product type of each item. The
engine asks the ports once (:func:`gather_context`) and freezes their answers into a
:class:`FraudContext`; signals read only that value, so the same context always gives the same
assessment.
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from hostbill_core.errors import NotFoundError, ValidationError
from hostbill_core.fraud.ports import (
    ExternalRiskScore,
    ExternalScore,
    GeoIP,
    GeoIPInfo,
    HistoryKey,
    OrderHistory,
    PastOrder,
)
from hostbill_core.model import Client, Order, Product, ProductType

__all__ = [
    "EarlierOrders",
    "FraudContext",
    "FraudPorts",
    "FraudRequest",
    "gather_context",
    "item_types",
]


@attrs.frozen
class EarlierOrders:
    """What the order history answered: earlier orders sharing each key with this order."""

    by_client: tuple[PastOrder, ...] = ()
    by_email: tuple[PastOrder, ...] = ()
    by_ip: tuple[PastOrder, ...] = ()
    by_card: tuple[PastOrder, ...] = ()

    def matching(self, key: HistoryKey) -> tuple[PastOrder, ...]:
        """The earlier orders that share ``key`` with this order."""
        if key is HistoryKey.CLIENT:
            return self.by_client
        if key is HistoryKey.EMAIL:
            return self.by_email
        if key is HistoryKey.IP:
            return self.by_ip
        return self.by_card

    def distinct(self) -> tuple[PastOrder, ...]:
        """Every earlier order once (found by two keys, it counts once).

        In key order (client, email, IP, card), each key's orders oldest first, as the
        history answered: the same answers give the same order.
        """
        seen = {p.order_id: p for p in self.by_client}
        for found in (self.by_email, self.by_ip, self.by_card):
            for past in found:
                seen.setdefault(past.order_id, past)
        return tuple(seen.values())


def _check_types(instance: FraudRequest, _attribute: object, value: tuple[object, ...]) -> None:
    if len(value) != len(instance.order.items):
        raise ValidationError(
            "item_types", value, f"one product type per order item ({len(instance.order.items)})"
        )


def _check_client(instance: FraudRequest, _attribute: object, value: Client) -> None:
    if value.id != instance.order.client_id:
        raise ValidationError(
            "client", value.id, f"the order belongs to client {instance.order.client_id!r}"
        )


@attrs.frozen
class FraudRequest:
    """An order to assess: the order, its client and each item's product type.

    Attributes:
        item_types: the :class:`~hostbill_core.model.ProductType` of ``order.items[i]``, in
            the same order (see :func:`item_types`).
        card_fingerprint: the gateway's fingerprint of the card paying for the order, or
            ``""`` when it is not paid by card; velocity and history match on it.

    Raises:
        ValidationError: ``client`` is not the order's client, or the item types do not
            match the items one for one.
    """

    order: Order
    client: Client = attrs.field(validator=_check_client)
    item_types: tuple[ProductType, ...] = attrs.field(validator=_check_types)
    card_fingerprint: str = ""


def item_types(order: Order, products: Iterable[Product]) -> tuple[ProductType, ...]:
    """The product type of each of ``order``'s items, looked up in ``products``.

    Raises:
        NotFoundError: an item names a product that is not among ``products``.
    """
    types = {p.id: p.type for p in products}
    try:
        return tuple(types[item.product_id] for item in order.items)
    except KeyError as missing:
        raise NotFoundError("product", missing.args[0]) from None


@attrs.frozen
class FraudContext:
    """Everything a signal may read: the request and what the ports answered.

    Attributes:
        geo: the GeoIP answer for ``order.ip`` (None: not in the database).
        earlier: earlier orders by the same client, email, IP and card.
        external: the external risk service's answer (None: no service, or no answer).
    """

    request: FraudRequest
    geo: GeoIPInfo | None = None
    earlier: EarlierOrders = EarlierOrders()
    external: ExternalScore | None = None

    @property
    def order(self) -> Order:
        """The order being assessed."""
        return self.request.order

    @property
    def client(self) -> Client:
        """The client who placed it."""
        return self.request.client

    @property
    def email(self) -> str:
        """The client's email address, lower-cased (the history's email key)."""
        return self.request.client.details.email.lower()

    @property
    def billing_country(self) -> str:
        """The client's address country (ISO 3166 alpha-2), or ``""`` when unknown."""
        return self.request.client.details.address.country


@attrs.frozen
class FraudPorts:
    """The ports an assessment asks; ``external`` is optional."""

    geoip: GeoIP
    history: OrderHistory
    external: ExternalRiskScore | None = None


def gather_context(request: FraudRequest, ports: FraudPorts) -> FraudContext:
    """Ask each port once and freeze the answers with the request.

    History is read strictly before the order's ``placed_at``, so re-assessing an order
    that is already recorded does not count it against itself.
    """
    order = request.order
    history = ports.history
    before = order.placed_at
    earlier = EarlierOrders(
        by_client=history.earlier_orders(HistoryKey.CLIENT, order.client_id, before),
        by_email=history.earlier_orders(HistoryKey.EMAIL, _email(request), before),
        by_ip=history.earlier_orders(HistoryKey.IP, order.ip, before),
        by_card=history.earlier_orders(HistoryKey.CARD, request.card_fingerprint, before),
    )
    external = ports.external.score(order, request.client) if ports.external else None
    return FraudContext(request, ports.geoip.lookup(order.ip), earlier, external)


def _email(request: FraudRequest) -> str:
    return request.client.details.email.lower()
