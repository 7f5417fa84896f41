"""Orders: what a client asked to buy, at an instant, from an IP address."""

from __future__ import annotations

import enum
import ipaddress
from datetime import datetime

import attrs
from moneyed import Money

from hostbill_core.calendar import BillingCycle
from hostbill_core.errors import ValidationError
from hostbill_core.model.checks import (
    aware_instant,
    code,
    identifier,
    non_negative_money,
    same_currency,
    version_number,
)
from hostbill_core.model.ids import (
    ClientId,
    OrderId,
    PlanId,
    ProductId,
    ServiceGroupId,
    ServiceId,
)

__all__ = ["Order", "OrderItem", "OrderStatus"]


class OrderStatus(enum.Enum):
    """Where an order stands: the fraud and approval engines own the transitions."""

    PENDING = "pending"
    IN_REVIEW = "in_review"
    AWAITING_APPROVAL = "awaiting_approval"
    ACTIVE = "active"
    COMPLETED = "completed"
    DROPPED = "dropped"
    REJECTED = "rejected"
    CANCELLED = "cancelled"


def _quantity(_instance: object, attribute: attrs.Attribute[int], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValidationError(attribute.name, value, "a quantity is a whole number, 1 or more")


@attrs.frozen
class OrderItem:
    """One line of an order: a plan of a product for a cycle, at the quoted price.

    ``cycle`` is None for a one-time or free plan; ``service_id`` names the service the item
    created (or changes), once there is one; ``group_id`` is the client service group the
    client asked the service to join (kept while the order waits for review or approval).
    """

    product_id: ProductId = attrs.field(validator=identifier)
    plan_id: PlanId = attrs.field(validator=identifier)
    cycle: BillingCycle | None
    price: Money = attrs.field(validator=non_negative_money)
    setup_fee: Money = attrs.field(validator=non_negative_money)
    quantity: int = attrs.field(default=1, validator=_quantity)
    description: str = ""
    service_id: ServiceId | None = None
    group_id: ServiceGroupId | None = None


def _ip(_instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    try:
        ipaddress.ip_address(value)  # type: ignore[arg-type]
    except ValueError:
        raise ValidationError(attribute.name, value, "an IPv4 or IPv6 address") from None


@attrs.frozen
class Order:
    """An order placed by (or for) a client.

    Attributes:
        placed_at: the instant the order was placed, an aware datetime in UTC.
        ip: the IPv4 or IPv6 address it was placed from.
        currency: every item's price and fee is in this currency.
        placed_by_admin: True when staff placed it for the client (fraud checks may skip it).

    Raises:
        ValidationError: no items, a naive instant, a malformed IP.
        CurrencyMismatchError: an item in another currency.
    """

    id: OrderId = attrs.field(validator=identifier)
    client_id: ClientId = attrs.field(validator=identifier)
    placed_at: datetime = attrs.field(validator=aware_instant)
    ip: str = attrs.field(validator=_ip)
    currency: str = attrs.field(converter=code)
    items: tuple[OrderItem, ...]
    status: OrderStatus = OrderStatus.PENDING
    promo_code: str = ""
    placed_by_admin: bool = False
    version: int = attrs.field(default=0, validator=version_number)

    def __attrs_post_init__(self) -> None:
        if not self.items:
            raise ValidationError("items", self.items, "an order has at least one item")
        same_currency("items.price", tuple(i.price for i in self.items), self.currency)
        same_currency("items.setup_fee", tuple(i.setup_fee for i in self.items), self.currency)
