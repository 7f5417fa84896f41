"""Discounts: a client's own discount, then a promotion code, each its own negative line.

The order is fixed: the client discount (HostBill's per-client discount, for some products or
all) applies to the price first; a promotion applies to what is left. A percentage is taken of
the amount it applies to and rounded once (ROUND_HALF_UP unless told); a fixed amount is taken
as is. Neither takes a price below zero: a discount larger than what is left is capped, and
the explanation says so.

>>> from hostbill_core.calendar import MONTHLY
>>> from hostbill_core.money import to_money
>>> result = apply_discounts(DiscountRequest(
...     to_money("20.00", "USD"), "hosting", MONTHLY, 1,
...     client_discount=ClientDiscount(PercentOff("10")),
...     promotion=Promotion("SPRING", AmountOff(to_money("5.00", "USD")))))
>>> [(line.source, str(line.amount.amount)) for line in result.lines]
[('client discount', '-2.00'), ('promotion SPRING', '-5.00')]
>>> result.net
Money('13.00', 'USD')
"""

from __future__ import annotations

import enum
from datetime import date
from decimal import Decimal
from fractions import Fraction

import attrs
from moneyed import Money

from hostbill_core.calendar import BillingCycle
from hostbill_core.errors import CurrencyMismatchError, ValidationError
from hostbill_core.model import ProductId
from hostbill_core.money import RoundingPolicy, sum_money, to_decimal
from hostbill_core.pricing._exact import exponent_of, money_of, prorated_units

__all__ = [
    "AmountOff",
    "ClientDiscount",
    "DiscountLine",
    "DiscountRequest",
    "DiscountedPrice",
    "PercentOff",
    "Promotion",
    "PromotionTerm",
    "apply_discounts",
    "redeem",
]


def _percent(value: object) -> Decimal:
    percent = to_decimal(value, "percent")
    if not 0 < percent <= 100:
        raise ValidationError("percent", value, "a percentage off is above 0 and at most 100")
    return percent


def _positive_money(_instance: object, attribute: attrs.Attribute[Money], value: object) -> None:
    if not isinstance(value, Money) or value.amount <= 0:
        raise ValidationError(attribute.name, value, "an amount off is a Money above zero")


@attrs.frozen
class PercentOff:
    """A percentage off: ``PercentOff("10")`` takes 10 % (rounded once)."""

    percent: Decimal = attrs.field(converter=_percent)


@attrs.frozen
class AmountOff:
    """A fixed amount off, in the currency of the prices it applies to."""

    amount: Money = attrs.field(validator=_positive_money)


@attrs.frozen
class ClientDiscount:
    """A client's own discount, for the listed products or (empty) for all."""

    off: PercentOff | AmountOff
    product_ids: tuple[ProductId, ...] = ()


class PromotionTerm(enum.Enum):
    """How long a redeemed promotion keeps applying: the first cycle, N cycles, or forever."""

    ONCE = "once"
    CYCLES = "cycles"
    FOREVER = "forever"


def _cycles(instance: Promotion, _attribute: object, value: int | None) -> None:
    counted = instance.term is PromotionTerm.CYCLES
    if counted and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
        raise ValidationError("cycles", value, "a promotion for N cycles needs N of 1 or more")
    if not counted and value is not None:
        raise ValidationError("cycles", value, "only a CYCLES promotion counts cycles")


def _code(_instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    if not isinstance(value, str) or not value or value.strip() != value:
        raise ValidationError(attribute.name, value, "a promotion code is a non-empty string")


def _max_uses(_instance: object, attribute: attrs.Attribute[int | None], value: object) -> None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
        raise ValidationError(attribute.name, value, "a maximum of 1 use or more, or None")


def _non_negative(_instance: object, attribute: attrs.Attribute[int], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValidationError(attribute.name, value, "a count of 0 or more")


@attrs.frozen
class Promotion:
    """A promotion code.

    Attributes:
        code: what the client types.
        off: the percentage or amount off.
        term: once (the first cycle), for ``cycles`` cycles, or forever.
        cycles: the number of cycles for ``PromotionTerm.CYCLES``.
        product_ids: the eligible products (empty: all).
        billing_cycles: the eligible billing cycles (empty: all).
        expires_on: the last day the code can be redeemed (None: never expires).
        max_uses: how many times it can be redeemed (None: no limit).
        uses: how many times it has been redeemed.
        once_per_client: each client may redeem it once. The pricing engine has no storage
            and does not check it: the order use case refuses a client who holds a
            redemption of the code (``usecases.promotions``).
    """

    code: str = attrs.field(validator=_code)
    off: PercentOff | AmountOff
    term: PromotionTerm = PromotionTerm.ONCE
    cycles: int | None = attrs.field(default=None, validator=_cycles)
    product_ids: tuple[ProductId, ...] = ()
    billing_cycles: tuple[BillingCycle, ...] = ()
    expires_on: date | None = None
    max_uses: int | None = attrs.field(default=None, validator=_max_uses)
    uses: int = attrs.field(default=0, validator=_non_negative)
    once_per_client: bool = False

    def ineligibility(self, product_id: ProductId, cycle: BillingCycle) -> str | None:
        """Why the code does not fit this product and cycle, or None when it does."""
        if self.product_ids and product_id not in self.product_ids:
            return f"product {product_id} is not among {', '.join(self.product_ids)}"
        if self.billing_cycles and cycle not in self.billing_cycles:
            allowed = ", ".join(str(c) for c in self.billing_cycles)
            return f"cycle {cycle} is not among {allowed}"
        return None


def redeem(promotion: Promotion, product_id: ProductId, cycle: BillingCycle, on: date) -> Promotion:
    """Redeem a code for an order on ``on``: the promotion with one more use.

    Raises:
        ValidationError: the code expired, is used up, or does not fit the product or cycle.
    """
    if promotion.expires_on is not None and on > promotion.expires_on:
        raise ValidationError(
            "promotion", promotion.code, f"expired on {promotion.expires_on.isoformat()}"
        )
    if promotion.max_uses is not None and promotion.uses >= promotion.max_uses:
        raise ValidationError(
            "promotion", promotion.code, f"used up: {promotion.uses} of {promotion.max_uses} uses"
        )
    reason = promotion.ineligibility(product_id, cycle)
    if reason is not None:
        raise ValidationError("promotion", promotion.code, f"not valid here: {reason}")
    return attrs.evolve(promotion, uses=promotion.uses + 1)


def _cycle_number(_instance: object, attribute: attrs.Attribute[int], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValidationError(attribute.name, value, "the first billed cycle is number 1")


@attrs.frozen
class DiscountRequest:
    """One price to discount.

    Attributes:
        price: the amount before discounts (a cycle's price, or a prorated part of it).
        product_id: the product it is the price of.
        cycle: its billing cycle.
        cycle_number: which billed cycle of the service this is (1 for the first).
        client_discount: the client's own discount, if any.
        promotion: a redeemed promotion, if any (see :func:`redeem`).
        policy: the rounding of a percentage (ROUND_HALF_UP unless told).
    """

    price: Money
    product_id: ProductId
    cycle: BillingCycle
    cycle_number: int = attrs.field(validator=_cycle_number)
    client_discount: ClientDiscount | None = None
    promotion: Promotion | None = None
    policy: RoundingPolicy = RoundingPolicy()


@attrs.frozen
class DiscountLine:
    """One discount as its own line: a negative amount and its derivation."""

    source: str
    amount: Money
    explanation: str


@attrs.frozen
class DiscountedPrice:
    """A price, its discount lines and the net (never below zero).

    Attributes:
        price: the amount before discounts.
        lines: the discounts applied, in order (client discount, then promotion).
        net: ``price`` plus the lines, exactly.
        explanation: every discount applied or skipped, and why.
    """

    price: Money
    lines: tuple[DiscountLine, ...]
    net: Money
    explanation: str


def apply_discounts(request: DiscountRequest) -> DiscountedPrice:
    """Apply the client discount, then the promotion, to one price.

    Raises:
        ValidationError: a negative price.
        CurrencyMismatchError: a fixed amount off in another currency than the price.
    """
    price = request.price
    if not isinstance(price, Money) or price.amount < 0:
        raise ValidationError("price", price, "a price to discount is a Money of zero or more")
    lines: list[DiscountLine] = []
    notes: list[str] = []
    left = price
    client = request.client_discount
    if client is not None:
        if client.product_ids and request.product_id not in client.product_ids:
            notes.append(f"client discount: not for product {request.product_id}")
        else:
            line = _take(client.off, left, "client discount", request.policy)
            lines.append(line)
            left = left + line.amount
    if request.promotion is not None:
        skipped = _promotion_skipped(request.promotion, request)
        if skipped is not None:
            notes.append(skipped)
        else:
            lines.append(
                _take(
                    request.promotion.off,
                    left,
                    f"promotion {request.promotion.code}",
                    request.policy,
                )
            )
    net = sum_money((price, *(line.amount for line in lines)), price.currency.code)
    steps = [f"{line.source} {line.amount.amount}: {line.explanation}" for line in lines]
    explanation = "; ".join([f"price {price.amount}", *steps, *notes, f"net {net.amount}"])
    return DiscountedPrice(price, tuple(lines), net, explanation)


def _promotion_skipped(promotion: Promotion, request: DiscountRequest) -> str | None:
    label = f"promotion {promotion.code}"
    reason = promotion.ineligibility(request.product_id, request.cycle)
    if reason is not None:
        return f"{label} skipped: {reason}"
    n = request.cycle_number
    if promotion.term is PromotionTerm.ONCE and n > 1:
        return f"{label} skipped: it applies to the first cycle only, this is cycle {n}"
    if (
        promotion.term is PromotionTerm.CYCLES
        and promotion.cycles is not None
        and n > promotion.cycles
    ):
        return f"{label} skipped: it applies to {promotion.cycles} cycles, this is cycle {n}"
    return None


def _take(
    off: PercentOff | AmountOff, left: Money, source: str, policy: RoundingPolicy
) -> DiscountLine:
    currency = left.currency
    exponent = exponent_of(currency)
    if isinstance(off, PercentOff):
        share = Fraction(off.percent) / 100
        units = prorated_units(
            left.amount, share.numerator, share.denominator, exponent, policy.mode
        )
        wanted = money_of(units, exponent, currency)
        how = f"{off.percent} % of {left.amount} → {wanted.amount} ({policy.mode})"
    else:
        if off.amount.currency != currency:
            raise CurrencyMismatchError(currency.code, off.amount.currency.code, source)
        wanted = off.amount
        how = f"fixed {wanted.amount}"
    taken = min(wanted, left)
    if taken != wanted:
        how = f"{how}, capped at the {left.amount} left so the price stays at or above zero"
    return DiscountLine(source, -taken, how)
