"""Upcoming renewals: every due date in a window with its amount, for revenue forecasts.

The amount of a renewal is the pricing engine's business, so the caller says where it comes
from: a ``price`` mapping (service id → Money) or callable (service → Money) for one cycle,
else the service's ``price_override``. Amounts are taken as given: no proration, no tax, no
rounding here.

>>> from datetime import date
>>> from moneyed import Money
>>> from hostbill_core.calendar import QUARTERLY
>>> from hostbill_core.model import Service, ServiceId, ClientId, ProductId, PlanId
>>> s = Service(ServiceId("s1"), ClientId("c1"), ProductId("p1"), PlanId("q"), QUARTERLY,
...             anchor=date(2023, 11, 30), next_due_date=date(2024, 2, 29),
...             price_override=Money("30.00", "USD"))
>>> for r in upcoming_renewals([s], date(2024, 1, 1), date(2025, 1, 1)):
...     print(r.due_date, r.amount.amount, r.amount.currency)
2024-02-29 30.00 USD
2024-05-30 30.00 USD
2024-08-30 30.00 USD
2024-11-30 30.00 USD
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from decimal import Decimal

import attrs
from moneyed import Money

from hostbill_core.errors import ValidationError
from hostbill_core.model.ids import ClientId, ServiceId
from hostbill_core.model.services import Service, ServiceStatus
from hostbill_core.renewal._checks import require_date, show_money
from hostbill_core.renewal.schedule import due_index, first_index_on_or_after, service_due_date

__all__ = ["PriceSource", "UpcomingRenewal", "upcoming_renewals"]

PriceSource = Mapping[ServiceId, Money] | Callable[[Service], Money]
"""Where a renewal's amount (one cycle) comes from: a mapping by service id or a callable."""

_LIVE = (ServiceStatus.ACTIVE, ServiceStatus.SUSPENDED)


@attrs.frozen
class UpcomingRenewal:
    """One due date of one service in the forecast window, with its amount."""

    service_id: ServiceId
    client_id: ClientId
    due_date: date
    amount: Money
    explanation: str

    def as_row(self) -> dict[str, object]:
        """Plain values for a data frame: ids, due date, amount (Decimal) and currency."""
        return {
            "service_id": self.service_id,
            "client_id": self.client_id,
            "due_date": self.due_date,
            "amount": Decimal(self.amount.amount),
            "currency": self.amount.currency.code,
        }


def upcoming_renewals(
    services: Iterable[Service], start: date, end: date, *, price: PriceSource | None = None
) -> tuple[UpcomingRenewal, ...]:
    """Every due date in ``[start, end)`` of the active and suspended services.

    Due dates run from each service's next due date on (earlier ones are paid), computed from
    the anchor. Sorted by due date, then service id.

    Raises:
        ValidationError: ``end`` not after ``start``; a non-date; a service with no amount
            (neither in ``price`` nor a ``price_override``), naming ``services[i]``.
    """
    require_date("start", start)
    require_date("end", end)
    if end <= start:
        raise ValidationError("end", end, f"the window ends after it starts ({start})")
    rows = []
    for i, service in enumerate(services):
        if service.status in _LIVE:
            rows.extend(_service_rows(i, service, start, end, price))
    return tuple(sorted(rows, key=lambda r: (r.due_date, r.service_id)))


def _service_rows(
    i: int, service: Service, start: date, end: date, price: PriceSource | None
) -> list[UpcomingRenewal]:
    first = due_index(service, service.next_due_date)
    n = max(first, first_index_on_or_after(service, start))
    due = service_due_date(service, n)
    if due >= end:
        return []
    amount, source = _amount(i, service, price)
    rows = []
    while due < end:
        text = (
            f"due date {n} of {service.anchor.isoformat()} + n × {service.cycle}; "
            f"{show_money(amount)} from {source}"
        )
        rows.append(UpcomingRenewal(service.id, service.client_id, due, amount, text))
        n += 1
        due = service_due_date(service, n)
    return rows


def _amount(i: int, service: Service, price: PriceSource | None) -> tuple[Money, str]:
    if isinstance(price, Mapping):
        if service.id in price:
            return price[service.id], "the price table"
    elif price is not None:
        return price(service), "the price function"
    if service.price_override is not None:
        return service.price_override, "the service's price override"
    raise ValidationError(
        f"services[{i}]", service.id, "no amount: pass price= or set the service's price_override"
    )
