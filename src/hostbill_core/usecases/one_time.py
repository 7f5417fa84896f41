"""Services on one-time and free plans: billed once, activated when paid, never renewed.

Such a service is ordered like any other and starts pending. Its first invoice bills it once:
one ``one_time/<service>`` line for the plan's one-time price (zero for a free plan), its
discount lines and its setup fee, taxed like every line. Paying that invoice activates the
service (a zero invoice is paid when it is issued, so a free service starts active); nothing
renews it: the billing run proposes events only for services on recurring plans, so it
never invoices, reminds, suspends or cancels it for non-renewal.

The service model has a billing cycle and a due-date series, which such a service does not
use: it keeps the cycle it was ordered with (a free plan may be ordered for one), or
:data:`NOMINAL_CYCLE`, and its order day as anchor and next due date, for ever.
"""

from __future__ import annotations

from datetime import date

from hostbill_core.calendar import MONTHLY, BillingCycle
from hostbill_core.invoicing.items import natural_key
from hostbill_core.model import InvoiceStatus, LineKind, Service, ServiceStatus
from hostbill_core.ports import UnitOfWork
from hostbill_core.renewal import activate
from hostbill_core.usecases.billing_report import BillingEvent

__all__ = ["NOMINAL_CYCLE", "activate_paid", "one_time_key"]

NOMINAL_CYCLE: BillingCycle = MONTHLY
"""The cycle stored on a one-time service ordered without one; nothing reads it."""


def one_time_key(service_id: str) -> str:
    """The natural key of the one-time line of ``service_id``.

    >>> one_time_key("o1-1")
    'one_time/o1-1'
    """
    return natural_key(LineKind.ONE_TIME, service_id)


def activate_paid(
    uow: UnitOfWork, service: Service, on: date
) -> tuple[Service, BillingEvent | None]:
    """Activate a pending service whose one-time line sits on a paid invoice.

    Reads through ``uow`` and writes nothing: the caller saves the service.

    Returns:
        The service (active, or as it was) and the ``service.activated`` event, or the
        service unchanged and no event when there is nothing to activate.
    """
    if service.status is not ServiceStatus.PENDING:
        return service, None
    key = one_time_key(service.id)
    owner = uow.invoices.owner_of_key(key)
    if owner is None or uow.invoices.get(owner).status is not InvoiceStatus.PAID:
        return service, None
    text = f"one-time charge {key} paid on invoice {owner}: pending → active, never renewed"
    event = BillingEvent(
        "service.activated", service.client_id, service.id, f"{key}/activated", on, "", text
    )
    return activate(service), event
