"""The customer: how new the account is, and how large a first order is."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import ClassVar

import attrs

from hostbill_core.errors import ValidationError
from hostbill_core.fraud.context import FraudContext
from hostbill_core.fraud.contribution import Contribution
from hostbill_core.fraud.signals.points import points, positive
from hostbill_core.model import Order
from hostbill_core.money import currency_code, to_decimal

__all__ = ["AccountAgeSignal", "FirstOrderValueSignal", "order_total"]


@attrs.frozen
class AccountAgeSignal:
    """Points when the client account is younger than ``min_days`` on the order's date.

    Age in days is the UTC date of ``order.placed_at`` minus ``client.active_from`` (0 when
    the account starts later).
    """

    name: ClassVar[str] = "account_age"
    points: int = attrs.field(default=5, validator=points)
    min_days: int = attrs.field(default=7, validator=positive)

    def evaluate(self, context: FraudContext) -> tuple[Contribution, ...]:
        """One contribution for a young account."""
        start = context.client.active_from
        age = max(0, (context.order.placed_at.date() - start).days)
        if age >= self.min_days:
            return ()
        return (
            Contribution(
                self.name,
                self.points,
                f"the account is {age} day(s) old (active from {start.isoformat()}), "
                f"younger than {self.min_days} days",
                (("age_days", age),),
            ),
        )


def order_total(order: Order) -> Decimal:
    """The order's value: the sum of (price + setup fee) × quantity, exact, in its currency."""
    return sum(
        ((item.price.amount + item.setup_fee.amount) * item.quantity for item in order.items),
        Decimal(0),
    )


def _limits(
    value: Mapping[str, object] | Iterable[tuple[str, object]],
) -> tuple[tuple[str, Decimal], ...]:
    pairs = tuple(value.items() if isinstance(value, Mapping) else value)
    checked = {}
    for code, amount in pairs:
        currency = currency_code(code, "limits")
        limit = to_decimal(amount, f"limits.{currency}")
        if limit < 0:
            raise ValidationError(f"limits.{currency}", amount, "a limit is 0 or more")
        checked[currency] = limit
    return tuple(sorted(checked.items()))


@attrs.frozen
class FirstOrderValueSignal:
    """Points when a client's first order is worth more than the limit for its currency.

    "First" means the history knows no earlier order of the client. Orders in a currency
    without a limit are not checked. Amounts compare exactly (Decimal, no rounding).

    Attributes:
        limits: ``{currency: amount}``, e.g. ``{"USD": "500.00"}``; the order total must be
            strictly above the amount.
    """

    name: ClassVar[str] = "first_order_value"
    points: int = attrs.field(default=10, validator=points)
    limits: tuple[tuple[str, Decimal], ...] = attrs.field(
        default=(("EUR", Decimal(500)), ("GBP", Decimal(400)), ("USD", Decimal(500))),
        converter=_limits,
    )

    def evaluate(self, context: FraudContext) -> tuple[Contribution, ...]:
        """One contribution for a large first order."""
        if context.earlier.by_client:
            return ()
        order = context.order
        limit = next((amount for code, amount in self.limits if code == order.currency), None)
        if limit is None:
            return ()
        total = order_total(order)
        if total <= limit:
            return ()
        return (
            Contribution(
                self.name,
                self.points,
                f"first order of this client is worth {total} {order.currency}, "
                f"above {limit} {order.currency}",
                (("total", str(total)), ("limit", str(limit)), ("currency", order.currency)),
            ),
        )
