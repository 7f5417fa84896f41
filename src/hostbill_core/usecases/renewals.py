"""The one place a service's due date moves: over its paid renewal lines, from the due date.

A service is renewed when the invoice line billing its next due date, ``renewal/<service>/
<next due>..<the date after>``, sits on a paid invoice; then its next due date moves one cycle
(:func:`~hostbill_core.renewal.renew_on_payment`, from the anchor) and the next line is
looked for. Nothing else extends a service: not the billing run, not a payment by itself.

A waiting end-of-term cancellation request stops it at the request's day: a term that would
start on or after that day is not renewed even when its line is paid (the service ends
first; the paid invoice is listed for staff on the day, see ``usecases.cancellation``).

So a renewal cannot happen twice, by construction. A line's key names the due date it renews;
once the service is past that date the line no longer matches, whoever asks — a payment, the
billing run after credit paid an invoice, a gateway's duplicate callback. And the order in
which invoices are paid does not matter: a later renewal paid first waits until the earlier
one is paid, then both apply.
"""

from __future__ import annotations

from datetime import date

import attrs

from hostbill_core.model import ClientId, InvoiceStatus, Service, ServiceStatus
from hostbill_core.ports import UnitOfWork
from hostbill_core.renewal import RENEWABLE, RenewalPayment, RenewalResult, renew_on_payment
from hostbill_core.usecases.billing_report import ActionKind, ActionTaken, BillingEvent
from hostbill_core.usecases.renewal_items import renewal_key

__all__ = ["Renewed", "renew_paid", "renewal_records"]

_MAX_CYCLES = 1200  # a guard: no series advances 100 years in one payment


@attrs.frozen
class Renewed:
    """A service after its paid renewals were applied.

    Attributes:
        original: the service before.
        service: the service, renewed or unchanged.
        results: one result per cycle renewed, in order (empty: nothing was paid for).
        held: the due date of a paid term left unrenewed because it starts on or after
            ``until`` (see :func:`renew_paid`), else None.
    """

    original: Service
    service: Service
    results: tuple[RenewalResult, ...]
    held: date | None = None

    @property
    def changed(self) -> bool:
        """True when the due date (or the status) moved."""
        return bool(self.results)


def _paid(uow: UnitOfWork, key: str) -> bool:
    owner = uow.invoices.owner_of_key(key)
    return owner is not None and uow.invoices.get(owner).status is InvoiceStatus.PAID


def renew_paid(uow: UnitOfWork, service: Service, on: date, until: date | None = None) -> Renewed:
    """Move ``service`` over every paid renewal line from its next due date on.

    Reads invoices through ``uow`` (its own writes included) and writes nothing: the caller
    saves the service.

    Args:
        uow: the open unit of work.
        service: the service as loaded.
        on: the day of the payment (explains lateness; a suspended service paid up by this
            day is unsuspended).
        until: no term starting on or after this day is renewed, paid or not: the day a
            waiting end-of-term cancellation request ends the service (its
            ``effective_on``). A paid term held back is named in :attr:`Renewed.held`.

    Raises:
        ValidationError: the service's next due date is off its anchored series.
    """
    original, held = service, None
    results: list[RenewalResult] = []
    for _ in range(_MAX_CYCLES):
        if service.status not in RENEWABLE:
            break
        if not _paid(uow, renewal_key(service, service.next_due_date)):
            break
        if until is not None and service.next_due_date >= until:
            held = service.next_due_date
            break
        result = renew_on_payment(
            RenewalPayment(service, due_date=service.next_due_date, paid_on=on)
        )
        results.append(result)
        service = result.service
    return Renewed(original, service, tuple(results), held)


def renewal_records(
    client_id: ClientId, renewed: Renewed, on: date
) -> tuple[list[ActionTaken], list[BillingEvent]]:
    """The actions and events of a renewal, keyed by the due date renewed.

    One ``service.renewed`` per cycle, and ``service.unsuspended`` when a suspended service
    is paid up.
    """
    actions: list[ActionTaken] = []
    events: list[BillingEvent] = []
    service_id = renewed.service.id
    status = renewed.original.status
    for result in renewed.results:
        key = f"{service_id}/{result.previous_due_date.isoformat()}/renew"
        actions.append(ActionTaken(ActionKind.RENEW, service_id, key, result.explanation))
        events.append(
            BillingEvent("service.renewed", client_id, service_id, key, on, "", result.explanation)
        )
        if status is ServiceStatus.SUSPENDED and result.service.status is ServiceStatus.ACTIVE:
            events.append(
                BillingEvent(
                    "service.unsuspended", client_id, service_id, key + ":unsuspended", on, "",
                    result.explanation,
                )
            )  # fmt: skip
        status = result.service.status
    return actions, events
