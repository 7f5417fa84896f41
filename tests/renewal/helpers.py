"""Builders shared by the renewal tests."""

from datetime import date

from moneyed import Money

from hostbill_core.calendar import MONTHLY, BillingCycle
from hostbill_core.model import (
    ClientId,
    PlanId,
    ProductId,
    Service,
    ServiceId,
    ServiceStatus,
)


def service(
    anchor: date = date(2024, 1, 31),
    next_due: date | None = None,
    cycle: BillingCycle = MONTHLY,
    *,
    sid: str = "s1",
    status: ServiceStatus = ServiceStatus.ACTIVE,
    product: str = "p1",
    client: str = "c1",
    billing_day: int | None = None,
    price: Money | None = None,
    expires_on: date | None = None,
    name: str = "",
) -> Service:
    return Service(
        ServiceId(sid),
        ClientId(client),
        ProductId(product),
        PlanId("plan"),
        cycle,
        anchor,
        anchor if next_due is None else next_due,
        status=status,
        billing_day=billing_day,
        price_override=price,
        expires_on=expires_on,
        name=name,
    )
