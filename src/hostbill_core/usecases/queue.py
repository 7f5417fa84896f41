"""Queuing one-off items for a client's next invoice, removing them, and the billing run's pick-up.

:func:`queue_item` stores an item in the client's queue (each in one unit of work): an item
in another currency than the client's is refused, so is one whose natural key is already
invoiced; the same item queued again is a no-op, and a different item under a queued key is
refused. :func:`remove_queued_item` takes an item out
before it is invoiced. The billing run calls :func:`with_queued` when it groups a client's
renewal invoices: the queued items due by then join them and leave the queue in the same unit
of work, so a run that fails or a dry run leaves them queued.

>>> from datetime import UTC, date, datetime
>>> from hostbill_core.adapters.memory import MemoryStore
>>> from hostbill_core.invoicing.items import BillableItem
>>> from hostbill_core.model import Client, ContactDetails, LineKind
>>> from hostbill_core.money import to_money
>>> store = MemoryStore()
>>> with store.unit_of_work() as uow:
...     _ = uow.clients.add(Client("c1", ContactDetails("Ann", "ann@example.com"), "USD",
...                                date(2026, 1, 1)))
...     uow.commit()
>>> ssl = BillableItem("c1", "USD", date(2026, 3, 1), "SSL install", to_money("20.00", "USD"),
...                    LineKind.MANUAL, "manual/ssl-1")
>>> queued = queue_item(store.unit_of_work, QueueItem(ssl, datetime(2026, 2, 20, tzinfo=UTC)))
>>> queued.item.version, queued.explanation
(1, 'manual/ssl-1 queued for the next USD invoice due on or after 2026-03-01')
"""

from __future__ import annotations

from datetime import date, datetime

import attrs

from hostbill_core.errors import ConflictError, ValidationError
from hostbill_core.invoicing.items import BillableItem, BillableQueue, enqueue
from hostbill_core.invoicing.queue import billable, joining, queue_entry
from hostbill_core.model import QueuedItem, QueuedItemId, ServiceGroupId, ServiceId
from hostbill_core.ports import UnitOfWorkFactory
from hostbill_core.usecases.billing_work import ClientWork

__all__ = [
    "QueueItem",
    "Queued",
    "RemoveQueuedItem",
    "queue_item",
    "remove_queued_item",
    "with_queued",
]


@attrs.frozen
class QueueItem:
    """An item to queue for the client's next invoice.

    Attributes:
        item: the priced item (its client, currency, due date, amount, taxes, natural key).
        at: when it is queued (aware, UTC).
        actor: who queues it.
        item_id: the queued item's id (default: its natural key).
    """

    item: BillableItem
    at: datetime
    actor: str = "staff"
    item_id: QueuedItemId | None = None


@attrs.frozen
class Queued:
    """The stored queued item and what happened."""

    item: QueuedItem
    explanation: str


def queue_item(new_uow: UnitOfWorkFactory, request: QueueItem) -> Queued:
    """Queue ``request.item`` for its client's next invoice, in one unit of work.

    Raises:
        NotFoundError: no such client, or no such service.
        ValidationError: an item in another currency than the client's (it could join none
            of the client's invoices: the billing run puts a queued item only on an invoice
            in its currency), or a service of another client.
        ConflictError: the key is on an invoice already, or another item holds it in the queue.
    """
    item = request.item
    with new_uow() as uow:
        client = uow.clients.get(item.client_id)
        if item.currency != client.currency:
            raise ValidationError(
                "item.currency",
                item.currency,
                f"client {client.id} is billed in {client.currency}: queue the item in "
                f"{client.currency}, or change the client's currency first",
            )
        if item.service_id is not None:
            owner = uow.services.get(item.service_id).client_id
            if owner != client.id:
                raise ValidationError("service_id", item.service_id, f"a service of {owner}")
        invoice = uow.invoices.owner_of_key(item.key)
        if invoice is not None:
            raise ConflictError("billable item", item.key, f"already invoiced on {invoice}")
        stored = {q.key: q for q in uow.queued_items.list(client_id=client.id)}
        queue = BillableQueue(client.id, tuple(billable(q) for q in stored.values()))
        update = enqueue(queue, (_unqueued(item),))
        if update.skipped:
            return Queued(stored[item.key], f"{item.key} is queued already: nothing to do")
        entry = uow.queued_items.add(queue_entry(item, request.at, request.actor, request.item_id))
        uow.commit()
    text = (
        f"{item.key} queued for the next {item.currency} invoice due on or after "
        f"{item.due_date.isoformat()}"
    )
    return Queued(entry, text)


def _unqueued(item: BillableItem) -> BillableItem:
    # What the queue keeps of an item: no group, no billing contact (see queue_entry).
    return attrs.evolve(item, group_id=None, billing_contact_id=None)


@attrs.frozen
class RemoveQueuedItem:
    """A queued item to take out of the queue before it is invoiced."""

    item_id: QueuedItemId


def remove_queued_item(new_uow: UnitOfWorkFactory, request: RemoveQueuedItem) -> QueuedItem:
    """Take a queued item out of the queue, in one unit of work; return what was removed.

    Raises:
        NotFoundError: nothing is queued under that id (never queued, removed, or invoiced:
            an invoiced item has left the queue).
    """
    with new_uow() as uow:
        entry = uow.queued_items.get(request.item_id)
        uow.queued_items.remove(entry.id)
        uow.commit()
    return entry


def with_queued(work: ClientWork, items: list[BillableItem]) -> list[BillableItem]:
    """``items`` and the client's queued items that join their invoices (see :func:`joining`).

    The joining items leave the queue through the client's unit of work (not committed).
    With nothing queued (most clients, most days) nothing joins: ``items`` are returned.
    """
    queued = work.queued()
    if not queued:
        return items
    due_dates: dict[str, date] = {}
    for item in items:
        known = due_dates.get(item.currency)
        due_dates[item.currency] = item.due_date if known is None else min(known, item.due_date)
    taken = joining(queued, due_dates, _groups(work))
    work.unqueue(taken.entries)
    return [*items, *taken.items]


def _groups(work: ClientWork) -> dict[ServiceId, ServiceGroupId | None]:
    return {service_id: s.group_id for service_id, s in work.services.items()}
