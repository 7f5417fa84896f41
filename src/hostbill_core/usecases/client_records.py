"""Everything stored about one client, loaded from a unit of work in one value.

The client lifecycle use cases (export, merge, anonymise, close) all start from it.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import attrs

from hostbill_core.model import (
    BillingState,
    CancellationRequest,
    Client,
    ClientId,
    Contact,
    CreditEntry,
    Invoice,
    Order,
    Payment,
    PromotionRedemption,
    QueuedItem,
    Quote,
    Refund,
    Service,
    ServiceGroup,
)
from hostbill_core.permissions import Action, Actor, Decision, Resource, ResourceKind, decide
from hostbill_core.ports import EventSink, UnitOfWork

__all__ = [
    "CLIENT_OWNED",
    "ClientEvent",
    "ClientRecords",
    "authorise",
    "emit",
    "load_records",
]

CLIENT_OWNED: tuple[str, ...] = (
    "contacts",
    "services",
    "service_groups",
    "orders",
    "invoices",
    "payments",
    "credit",
    "quotes",
    "billing_states",
    "promotion_redemptions",
    "cancellation_requests",
    "refunds",
    "queued_items",
)
"""The unit-of-work repositories holding aggregates that belong to a client.

``billing_states`` holds at most one: what the billing run remembers of the client (events
carried out, the lockout, scheduled plan changes), stored under the client's own id.
``promotion_redemptions`` are the promotion codes the client used (a merge moves them; their
natural keys name the client who redeemed, so they do not change). ``cancellation_requests``
are the end-of-term cancellations asked for its services. ``refunds`` are the dated refunds
of its payments and ``queued_items`` the one-off items waiting for its next invoice."""


@attrs.frozen
class ClientRecords:
    """A client and every aggregate stored under its id, each kind in id order.

    Domains are services (of a domain product), so they are among ``services``.
    """

    client: Client
    contacts: tuple[Contact, ...] = ()
    services: tuple[Service, ...] = ()
    service_groups: tuple[ServiceGroup, ...] = ()
    orders: tuple[Order, ...] = ()
    invoices: tuple[Invoice, ...] = ()
    payments: tuple[Payment, ...] = ()
    credit: tuple[CreditEntry, ...] = ()
    quotes: tuple[Quote, ...] = ()
    billing_states: tuple[BillingState, ...] = ()
    promotion_redemptions: tuple[PromotionRedemption, ...] = ()
    cancellation_requests: tuple[CancellationRequest, ...] = ()
    refunds: tuple[Refund, ...] = ()
    queued_items: tuple[QueuedItem, ...] = ()

    def owned(self) -> Iterator[tuple[str, tuple[Any, ...]]]:
        """Each repository name with the client's aggregates in it."""
        for name in CLIENT_OWNED:
            yield name, getattr(self, name)

    def counts(self) -> str:
        """How many of each kind, in words: ``"2 contacts, 1 services, …"``."""
        return ", ".join(f"{len(items)} {name.replace('_', ' ')}" for name, items in self.owned())


def load_records(uow: UnitOfWork, client_id: ClientId) -> ClientRecords:
    """Load the client and everything stored under its id.

    Raises:
        NotFoundError: no client ``client_id``.
    """
    client = uow.clients.get(client_id)
    owned = {name: getattr(uow, name).list(client_id=client_id) for name in CLIENT_OWNED}
    return ClientRecords(client, **owned)


def authorise(actor: Actor, action: Action, client_id: ClientId, at: datetime) -> Decision:
    """Decide ``action`` on the whole client for ``actor``, raising when denied.

    Raises:
        PermissionDeniedError: with the decision and its reason.
    """
    return decide(actor, action, Resource(ResourceKind.CLIENT, client_id), at).enforce()


@attrs.frozen
class ClientEvent:
    """A client lifecycle event (``"client.merged"``, ``"client.closed"`` …) for the host."""

    name: str
    client_id: ClientId
    explanation: str


def emit(events: EventSink | None, name: str, client_id: ClientId, explanation: str) -> None:
    """Send one :class:`ClientEvent` when an event sink was given."""
    if events is not None:
        events.emit(ClientEvent(name, client_id, explanation))
