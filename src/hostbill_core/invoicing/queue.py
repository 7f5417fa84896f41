"""Queued invoice items in storage: to and from billable items, and which join an invoice.

A staff member queues a one-off item for a client (HostBill's "queued invoice items"); it is
stored as a :class:`~hostbill_core.model.QueuedItem` under its natural key. When the billing
run issues the client's next invoice in the item's currency due on or after the item's due
date, the item joins it: :func:`joining` picks those items and dates them to that invoice's
due date, so the grouping policy puts them on it.

>>> from datetime import date
>>> from hostbill_core.money import to_money
>>> from hostbill_core.model import LineKind
>>> ssl = BillableItem("c1", "USD", date(2026, 3, 1), "SSL install", to_money("20.00", "USD"),
...                    LineKind.MANUAL, "manual/ssl-1")
>>> entry = queue_entry(ssl)
>>> entry.id, entry.key
('manual/ssl-1', 'manual/ssl-1')
>>> later = queue_entry(attrs.evolve(ssl, key="manual/ssl-2", due_date=date(2026, 5, 1)))
>>> picked = joining([entry, later], {"USD": date(2026, 4, 1)})
>>> [(i.key, str(i.due_date)) for i in picked.items]
[('manual/ssl-1', '2026-04-01')]
>>> picked.explanation
'1 queued item(s) join the invoices due 2026-04-01 USD'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime

import attrs

from hostbill_core.invoicing.items import BillableItem
from hostbill_core.model.ids import ServiceGroupId, ServiceId
from hostbill_core.model.queue import QueuedItem, QueuedItemId

__all__ = ["Joining", "billable", "joining", "queue_entry"]


def queue_entry(
    item: BillableItem,
    at: datetime | None = None,
    actor: str = "",
    item_id: QueuedItemId | None = None,
) -> QueuedItem:
    """The queued item that stores ``item`` (its id is its natural key unless given).

    The item's service group and billing contact are not kept: the group is the service's
    when the item is invoiced, and the invoice goes to the client.

    Raises:
        ValidationError: from :class:`~hostbill_core.model.QueuedItem` (a naive instant).
    """
    return QueuedItem(
        id=item_id or QueuedItemId(item.key),
        client_id=item.client_id,
        currency=item.currency,
        due_date=item.due_date,
        description=item.description,
        amount=item.amount,
        key=item.key,
        kind=item.kind,
        service_id=item.service_id,
        period=item.period,
        taxes=item.taxes,
        explanation=item.explanation,
        queued_at=at,
        actor=actor,
    )


def billable(
    entry: QueuedItem, due_date: date | None = None, group_id: ServiceGroupId | None = None
) -> BillableItem:
    """The billable item of a queued item, due on ``due_date`` (default: its own)."""
    return BillableItem(
        client_id=entry.client_id,
        currency=entry.currency,
        due_date=due_date or entry.due_date,
        description=entry.description,
        amount=entry.amount,
        kind=entry.kind,
        key=entry.key,
        service_id=entry.service_id,
        group_id=group_id,
        period=entry.period,
        taxes=entry.taxes,
        explanation=entry.explanation,
    )


@attrs.frozen
class Joining:
    """The queued items that join invoices, and the billable items they become."""

    entries: tuple[QueuedItem, ...]
    items: tuple[BillableItem, ...]
    explanation: str


def joining(
    entries: Iterable[QueuedItem],
    due_dates: Mapping[str, date],
    groups: Mapping[ServiceId, ServiceGroupId | None] | None = None,
) -> Joining:
    """The queued items that join the invoices being issued, dated to them.

    Args:
        entries: the client's queued items.
        due_dates: per currency, the due date of the client's earliest invoice being issued.
        groups: each service's group, for items about a service (none by default).

    An item joins when an invoice in its currency is being issued and that invoice is due
    on or after the item's due date; it takes the invoice's due date. Items join in natural-key
    order.
    """
    taken = sorted(
        (e for e in entries if e.currency in due_dates and e.due_date <= due_dates[e.currency]),
        key=lambda e: e.key,
    )
    known = groups or {}
    items = tuple(
        billable(e, due_dates[e.currency], known.get(e.service_id) if e.service_id else None)
        for e in taken
    )
    dates = ", ".join(f"{due_dates[c].isoformat()} {c}" for c in sorted(due_dates))
    explanation = f"{len(items)} queued item(s) join the invoices due {dates}"
    return Joining(tuple(taken), items, explanation)
