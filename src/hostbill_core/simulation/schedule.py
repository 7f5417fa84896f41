"""The due-date schedule of a service: its next due dates and the price due on each.

The price is the service's override when it has one, else its plan's price for the service's
cycle in the client's currency, unprorated (a renewal bills a whole cycle).
"""

from __future__ import annotations

from datetime import date, timedelta

import attrs
from moneyed import Money

from hostbill_core.calendar import next_due_date
from hostbill_core.errors import NotFoundError
from hostbill_core.model import PricePlan, Service

__all__ = ["DueItem", "due_schedule", "renewal_price"]


@attrs.frozen
class DueItem:
    """One future due date of a service and the amount due on it."""

    service_id: str
    due_on: date
    amount: Money
    explanation: str


def renewal_price(service: Service, plan: PricePlan, currency: str) -> tuple[Money, str]:
    """The price of one renewal of ``service`` and where it came from.

    Raises:
        NotFoundError: the plan has no price for the service's cycle in ``currency``.
    """
    if service.price_override is not None:
        return service.price_override, "price override of the service"
    entry = plan.entry(service.cycle, currency)
    if entry is None:
        raise NotFoundError("price", f"{plan.id} {service.cycle} {currency}")
    return entry.price, f"plan {plan.id}, {service.cycle} price in {currency}"


def due_schedule(
    service: Service, plan: PricePlan, currency: str, on_or_after: date, count: int
) -> tuple[DueItem, ...]:
    """The first ``count`` due dates of ``service`` on or after ``on_or_after``, with prices.

    Each due date is found from the anchor (``anchor + n × cycle``, month ends clamp, the
    anchor's day sticks), never by adding a cycle to the previous date.
    """
    amount, source = renewal_price(service, plan, currency)
    items: list[DueItem] = []
    day = on_or_after - timedelta(days=1)
    for _ in range(count):
        day = next_due_date(service.anchor, service.cycle, day)
        items.append(DueItem(str(service.id), day, amount, f"{day.isoformat()}: {source}"))
    return tuple(items)
