"""The catalogue: products and their price plans (a price and setup fee per cycle and currency)."""

from __future__ import annotations

import enum

import attrs
from moneyed import Money

from hostbill_core.calendar import BillingCycle
from hostbill_core.errors import ValidationError
from hostbill_core.model.checks import (
    check_currency,
    code,
    identifier,
    non_negative_money,
    version_number,
)
from hostbill_core.model.ids import PlanId, ProductId

__all__ = ["PaymentType", "PriceEntry", "PricePlan", "Product", "ProductType"]


class ProductType(enum.Enum):
    """What a service is: lead times, fraud rules and renewal steps differ by type."""

    HOSTING = "hosting"
    DOMAIN = "domain"
    VPS = "vps"
    SSL = "ssl"
    ADDON = "addon"
    OTHER = "other"


class PaymentType(enum.Enum):
    """How a plan is paid: never, once, or every cycle."""

    FREE = "free"
    ONE_TIME = "one_time"
    RECURRING = "recurring"


@attrs.frozen
class Product:
    """Something a hosting business sells."""

    id: ProductId = attrs.field(validator=identifier)
    name: str
    type: ProductType
    description: str = ""
    version: int = attrs.field(default=0, validator=version_number)


@attrs.frozen
class PriceEntry:
    """The price and setup fee of a plan for one cycle in one currency.

    ``cycle`` is None for a one-time price. Both amounts are in ``currency`` and not negative.
    """

    cycle: BillingCycle | None
    currency: str = attrs.field(converter=code)
    price: Money = attrs.field(validator=non_negative_money)
    setup_fee: Money = attrs.field(validator=non_negative_money)

    def __attrs_post_init__(self) -> None:
        check_currency("price", self.price, self.currency)
        check_currency("setup_fee", self.setup_fee, self.currency)


@attrs.frozen
class PricePlan:
    """A product's price table: one :class:`PriceEntry` per (cycle, currency).

    A free plan has no entries; a one-time plan's entries have no cycle; a recurring plan's
    entries all have one.

    Raises:
        ValidationError: two entries for the same cycle and currency, or entries that do not
            fit the payment type.
    """

    id: PlanId = attrs.field(validator=identifier)
    product_id: ProductId = attrs.field(validator=identifier)
    name: str
    payment_type: PaymentType
    prices: tuple[PriceEntry, ...] = ()
    version: int = attrs.field(default=0, validator=version_number)

    def __attrs_post_init__(self) -> None:
        seen: set[tuple[str, str]] = set()
        for i, entry in enumerate(self.prices):
            key = (str(entry.cycle), entry.currency)
            if key in seen:
                raise ValidationError(
                    f"prices[{i}]", key, "one price per cycle and currency: remove the duplicate"
                )
            seen.add(key)
            self._check_entry(i, entry)

    def _check_entry(self, i: int, entry: PriceEntry) -> None:
        if self.payment_type is PaymentType.FREE:
            raise ValidationError(f"prices[{i}]", entry, "a free plan has no prices")
        if self.payment_type is PaymentType.ONE_TIME and entry.cycle is not None:
            raise ValidationError(f"prices[{i}].cycle", str(entry.cycle), "one-time: no cycle")
        if self.payment_type is PaymentType.RECURRING and entry.cycle is None:
            raise ValidationError(f"prices[{i}].cycle", None, "a recurring price needs a cycle")

    def entry(self, cycle: BillingCycle | None, currency: str) -> PriceEntry | None:
        """The entry for ``cycle`` and ``currency``, or None when the plan has none."""
        for entry in self.prices:
            if entry.cycle == cycle and entry.currency == currency:
                return entry
        return None
