"""One builder for the services of the batch tests: product p, plan m, monthly from 1 Jan 2026."""

from datetime import date
from typing import Any

from moneyed import Money

from hostbill_core.calendar import MONTHLY, BillingCycle
from hostbill_core.model import Service


def service(
    price: Money | None = None,
    *,
    sid: str = "s",
    client: str = "c",
    cycle: BillingCycle = MONTHLY,
    anchor: date = date(2026, 1, 1),
    due: date | None = None,
    **fields: Any,
) -> Service:
    """Service `sid` of `client`, first due on `due` (default: `anchor`), priced `price`.

    `price` is the price override (None: the plan's price); `fields` are passed to
    :class:`~hostbill_core.model.Service` (``status``, ``billing_day``, ``expires_on``).
    """
    next_due = anchor if due is None else due
    return Service(sid, client, "p", "m", cycle, anchor, next_due, price_override=price, **fields)
