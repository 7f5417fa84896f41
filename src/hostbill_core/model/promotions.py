"""Promotion redemptions: each use of a promotion code, stored so its limits hold in storage.

A :class:`PromotionRedemption` records one code used on one order: by which client, on which
day, as which use of the code (1, 2, 3 …), on which of the order's services, and the terms it
locked in (the amount or percentage off, how many billed cycles it discounts, the products
and cycles it fits), so later renewals are discounted as promised even if the promotion is
changed afterwards. The pricing engine's ``Promotion`` is not stored: the model layer does
not import engines; the use cases convert between the two.

Storage makes the limits hold: no two redemptions of a code share a use number, and a code
limited to one use per client holds the key of the client who redeemed it (see
:meth:`PromotionRedemption.keys`), so even two orders racing cannot exceed either limit.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import attrs
from moneyed import Money

from hostbill_core.calendar import BillingCycle
from hostbill_core.errors import ValidationError
from hostbill_core.model.checks import calendar_date, identifier, version_number
from hostbill_core.model.ids import ClientId, OrderId, ProductId, ServiceId

__all__ = ["PromotionRedemption"]


def _positive(_instance: object, attribute: attrs.Attribute[int], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValidationError(attribute.name, value, "a whole number, 1 or more")


def _cycles(_instance: object, _attribute: object, value: int | None) -> None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
        raise ValidationError("cycles", value, "a number of cycles, 1 or more, or None (every)")


@attrs.frozen
class PromotionRedemption:
    """One use of a promotion code on an order, and the terms it locked in.

    Attributes:
        id: the order's id (an order takes one code).
        code: the promotion code.
        client_id: the client holding the redemption (it moves with a merge).
        order_id: the order it was redeemed on.
        redeemed_on: the order's day; cycles are counted from it.
        use: its number among the code's uses (1 for the first).
        service_ids: the order's services the code discounts (the lines it fits).
        percent_off: the percentage off, or None for a fixed amount.
        amount_off: the fixed amount off (in the order's currency), or None.
        cycles: how many billed cycles it discounts, the first invoice's being cycle 1 (1:
            the first only; None: every cycle).
        product_ids: the products it fits (empty: all).
        billing_cycles: the billing cycles it fits (empty: all); checked again at each
            renewal, since a plan change may change a service's cycle.
        once_per_client: the code may be used once per client.
        redeemed_by: the client who redeemed it (kept through merges, for the key).

    Raises:
        ValidationError: neither or both of ``percent_off`` and ``amount_off``, a use or a
            number of cycles below 1, a percentage outside (0, 100].
    """

    id: OrderId = attrs.field(validator=identifier)
    code: str = attrs.field(validator=identifier)
    client_id: ClientId = attrs.field(validator=identifier)
    order_id: OrderId = attrs.field(validator=identifier)
    redeemed_on: date = attrs.field(validator=calendar_date)
    use: int = attrs.field(validator=_positive)
    service_ids: tuple[ServiceId, ...] = ()
    percent_off: Decimal | None = None
    amount_off: Money | None = None
    cycles: int | None = attrs.field(default=1, validator=_cycles)
    product_ids: tuple[ProductId, ...] = ()
    billing_cycles: tuple[BillingCycle, ...] = ()
    once_per_client: bool = False
    redeemed_by: ClientId = attrs.field(validator=identifier)
    version: int = attrs.field(default=0, validator=version_number)

    @redeemed_by.default
    def _redeemer(self) -> ClientId:
        return self.client_id

    def __attrs_post_init__(self) -> None:
        if (self.percent_off is None) == (self.amount_off is None):
            raise ValidationError(
                "percent_off", self.percent_off, "give a percentage or an amount off, not both"
            )
        if self.percent_off is not None and not 0 < self.percent_off <= 100:
            raise ValidationError("percent_off", self.percent_off, "above 0 and at most 100")
        if self.amount_off is not None and self.amount_off.amount <= 0:
            raise ValidationError("amount_off", self.amount_off, "an amount above zero")

    def keys(self) -> tuple[str, ...]:
        """The natural keys storage keeps unique: the use number, and the client when limited.

        >>> from decimal import Decimal
        >>> PromotionRedemption("o1", "SPRING", "c1", "o1", date(2026, 3, 1), 4,
        ...     percent_off=Decimal("10"), once_per_client=True).keys()
        ('promotion/SPRING/use/4', 'promotion/SPRING/client/c1')
        """
        use = self.use_key(self.code, self.use)
        if not self.once_per_client:
            return (use,)
        return (use, self.client_key(self.code, self.redeemed_by))

    @staticmethod
    def use_key(code: str, use: int) -> str:
        """The key of use number ``use`` of ``code``."""
        return f"promotion/{code}/use/{use}"

    @staticmethod
    def client_key(code: str, client_id: str) -> str:
        """The key a once-per-client code holds for ``client_id``."""
        return f"promotion/{code}/client/{client_id}"
