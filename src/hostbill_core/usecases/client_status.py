"""Close, archive and soft-delete a client.

The client's status moves along::

    active ↔ inactive ──→ closed ──→ archived ──→ deleted
        └────────────────────────────┴─────────────↗ (deleted from any but deleted)

Closing either ends everything the client has running — services terminated, waiting
end-of-term cancellation requests closed, unpaid invoices and open orders cancelled — or only
changes the status, as the request says (then the services run on, and their requests wait
for their day). Archiving and
soft-deleting change the status and keep every record; a soft delete also disables the
client's contacts so no one logs in.
"""

from __future__ import annotations

from datetime import date, datetime

import attrs

from hostbill_core.errors import InvalidTransitionError
from hostbill_core.model import (
    Client,
    ClientId,
    ClientStatus,
    InvoiceStatus,
    OrderStatus,
    ServiceStatus,
)
from hostbill_core.permissions import Action, Actor
from hostbill_core.ports import EventSink, UnitOfWork, UnitOfWorkFactory
from hostbill_core.usecases.client_records import (
    ClientRecords,
    authorise,
    emit,
    load_records,
)

__all__ = [
    "StatusRequest",
    "StatusResult",
    "archive_client",
    "close_client",
    "end_everything",
    "soft_delete_client",
]

_C = ClientStatus
_MOVES: dict[ClientStatus, tuple[ClientStatus, ...]] = {
    _C.ACTIVE: (_C.INACTIVE, _C.CLOSED, _C.ARCHIVED, _C.DELETED),
    _C.INACTIVE: (_C.ACTIVE, _C.CLOSED, _C.ARCHIVED, _C.DELETED),
    _C.CLOSED: (_C.ARCHIVED, _C.DELETED),
    _C.ARCHIVED: (_C.DELETED,),
    _C.DELETED: (),
}
_RUNNING = frozenset({ServiceStatus.PENDING, ServiceStatus.ACTIVE, ServiceStatus.SUSPENDED})
_UNPAID = frozenset({InvoiceStatus.DRAFT, InvoiceStatus.UNPAID})
_OPEN = frozenset({OrderStatus.PENDING, OrderStatus.IN_REVIEW, OrderStatus.AWAITING_APPROVAL})


@attrs.frozen
class StatusRequest:
    """Change a client's status.

    Attributes:
        terminate: for :func:`close_client`, also terminate services, close their waiting
            cancellation requests and cancel unpaid invoices and open orders; False changes
            only the status.
    """

    actor: Actor
    client_id: ClientId
    at: datetime
    terminate: bool = True


@attrs.frozen
class StatusResult:
    """The client after the change, and what was done, in words."""

    client: Client
    explanation: str


def _move(client: Client, target: ClientStatus) -> Client:
    if target not in _MOVES[client.status]:
        allowed = tuple(s.value for s in _MOVES[client.status])
        raise InvalidTransitionError("client", client.status.value, target.value, allowed)
    return attrs.evolve(client, status=target)


def end_everything(uow: UnitOfWork, records: ClientRecords, on: date) -> str:
    """End all the client has running on day ``on``; say how many of each.

    Running services are terminated; waiting end-of-term cancellation requests are closed
    (carried out on ``on``: their services are ended already, as ``cancel_due_services``
    closes the request of a service that ended before its day); unpaid invoices and open
    orders are cancelled.
    """
    services = [s for s in records.services if s.status in _RUNNING]
    requests = [r for r in records.cancellation_requests if r.pending]
    invoices = [i for i in records.invoices if i.status in _UNPAID]
    orders = [o for o in records.orders if o.status in _OPEN]
    for service in services:
        uow.services.save(attrs.evolve(service, status=ServiceStatus.TERMINATED))
    for request in requests:
        uow.cancellation_requests.save(attrs.evolve(request, carried_out_on=on))
    for invoice in invoices:
        uow.invoices.save(attrs.evolve(invoice, status=InvoiceStatus.CANCELLED))
    for order in orders:
        uow.orders.save(attrs.evolve(order, status=OrderStatus.CANCELLED))
    return (
        f"{len(services)} service(s) terminated, {len(requests)} waiting cancellation "
        f"request(s) closed, {len(invoices)} unpaid invoice(s) and {len(orders)} open order(s) "
        "cancelled"
    )


def _change(
    request: StatusRequest,
    uow: UnitOfWorkFactory,
    events: EventSink | None,
    action: Action,
    target: ClientStatus,
) -> StatusResult:
    authorise(request.actor, action, request.client_id, request.at)
    with uow() as work:
        records = load_records(work, request.client_id)
        client = work.clients.save(_move(records.client, target))
        done = [f"client {client.id} {target.value} by {request.actor.ref}"]
        if target is _C.CLOSED and request.terminate:
            done.append(end_everything(work, records, request.at.date()))
        if target is _C.DELETED:
            for contact in records.contacts:
                work.contacts.save(attrs.evolve(contact, active=False))
            done.append(f"{len(records.contacts)} contact(s) disabled; every record kept")
        work.commit()
    explanation = "; ".join(done)
    emit(events, f"client.{target.value}", client.id, explanation)
    return StatusResult(client, explanation)


def close_client(
    request: StatusRequest, uow: UnitOfWorkFactory, events: EventSink | None = None
) -> StatusResult:
    """Close the client; with ``request.terminate`` also end what it has running.

    Raises:
        PermissionDeniedError: the actor is not staff with ``clients.lifecycle``.
        InvalidTransitionError: the client is already closed, archived or deleted.
        NotFoundError: no such client.
    """
    return _change(request, uow, events, Action.CLIENT_CLOSE, _C.CLOSED)


def archive_client(
    request: StatusRequest, uow: UnitOfWorkFactory, events: EventSink | None = None
) -> StatusResult:
    """Archive the client (status only; records kept).

    Raises:
        PermissionDeniedError: the actor is not staff with ``clients.lifecycle``.
        InvalidTransitionError: the client is already archived or deleted.
        NotFoundError: no such client.
    """
    return _change(request, uow, events, Action.CLIENT_ARCHIVE, _C.ARCHIVED)


def soft_delete_client(
    request: StatusRequest, uow: UnitOfWorkFactory, events: EventSink | None = None
) -> StatusResult:
    """Mark the client deleted, keeping every record, and disable its contacts.

    Raises:
        PermissionDeniedError: the actor is not staff with ``clients.lifecycle``.
        InvalidTransitionError: the client is already deleted.
        NotFoundError: no such client.
    """
    return _change(request, uow, events, Action.CLIENT_DELETE, _C.DELETED)
