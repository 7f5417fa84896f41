"""What every adapter needs to know of each aggregate kind: its class and its index columns.

One table of :class:`AggregateKind` drives the memory and SQLite adapters alike, so a new
aggregate is stored by adding one row here and one repository attribute to the unit of work.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from operator import attrgetter
from typing import Any, TypeVar

import attrs
from moneyed import Money

from hostbill_core.model import (
    BillingState,
    CancellationRequest,
    Client,
    Contact,
    CreditEntry,
    Invitation,
    Invoice,
    Order,
    Payment,
    PricePlan,
    Product,
    PromotionRedemption,
    Quote,
    Service,
    ServiceGroup,
    StorefrontUser,
)
from hostbill_core.model.queue import QueuedItem
from hostbill_core.model.refunds import Refund

T = TypeVar("T")

__all__ = ["KINDS", "AggregateKind", "Copier", "id_version"]


def _no_keys(_item: Any) -> tuple[str, ...]:
    return ()


def _no_client(_item: Any) -> str | None:
    return None


def _no_due(_item: Any) -> date | None:
    return None


def _client(item: Any) -> str | None:
    return str(item.client_id)


def _no_amount(_item: Any) -> Money | None:
    return None


def _no_mark(_item: Any) -> str | None:
    return None


def _state_mark(state: BillingState) -> str | None:
    return state.checked or None


def id_version(kind: AggregateKind, item: Any) -> tuple[str, int]:
    """The id and version of ``item``, checked to be of the kind's class.

    Raises:
        TypeError: ``item`` is not an instance of ``kind.cls``.
    """
    if not isinstance(item, kind.cls):
        raise TypeError(f"{kind.name} repository stores {kind.cls.__name__}")
    return str(item.id), int(item.version)


@attrs.frozen
class AggregateKind:
    """How one kind of aggregate is stored.

    Attributes:
        name: the kind's name in storage and in errors (``"invoice"``).
        cls: the attrs model class.
        client_id: the owning client's id, indexed for ``list(client_id=…)``.
        due: the date indexed for ``list(due_by=…)``.
        keys: the natural keys no other aggregate of the kind may hold.
        amount: the amount stored in its own exact-decimal column for reports in SQL (an
            invoice's total, a payment's amount, a credit entry's signed amount).
        mark: a short text an adapter may index with the owning client, to read it without
            decoding the row (a billing state's mark of a complete day).
    """

    name: str
    cls: type[Any]
    client_id: Callable[[Any], str | None] = _no_client
    due: Callable[[Any], date | None] = _no_due
    keys: Callable[[Any], tuple[str, ...]] = _no_keys
    amount: Callable[[Any], Money | None] = _no_amount
    mark: Callable[[Any], str | None] = _no_mark


def _invoice_keys(invoice: Invoice) -> tuple[str, ...]:
    return tuple(line.key for line in invoice.lines if line.key is not None)


def _group_keys(group: ServiceGroup) -> tuple[str, ...]:
    # A service sits in one group at most: the store refuses a second group claiming it.
    return tuple(f"service:{service_id}" for service_id in group.service_ids)


def _payment_keys(payment: Payment) -> tuple[str, ...]:
    # A gateway transaction is recorded once.
    if not payment.transaction_id:
        return ()
    return (f"{payment.gateway}:{payment.transaction_id}",)


#: The aggregate kinds by the unit of work's repository attribute name.
KINDS: dict[str, AggregateKind] = {
    "clients": AggregateKind("client", Client, client_id=lambda c: str(c.id)),
    "contacts": AggregateKind("contact", Contact, client_id=_client),
    "products": AggregateKind("product", Product),
    "plans": AggregateKind("plan", PricePlan),
    "services": AggregateKind("service", Service, client_id=_client, due=lambda s: s.next_due_date),
    "service_groups": AggregateKind(
        "service_group", ServiceGroup, client_id=_client, keys=_group_keys
    ),
    "orders": AggregateKind("order", Order, client_id=_client),
    "invoices": AggregateKind(
        "invoice",
        Invoice,
        client_id=_client,
        due=lambda i: i.due_date,
        keys=_invoice_keys,
        amount=lambda i: i.total,
    ),
    "payments": AggregateKind(
        "payment", Payment, client_id=_client, keys=_payment_keys, amount=lambda p: p.amount
    ),
    "credit": AggregateKind(
        "credit_entry", CreditEntry, client_id=_client, amount=lambda c: c.amount
    ),
    "quotes": AggregateKind("quote", Quote, client_id=_client, amount=lambda q: q.total),
    "invitations": AggregateKind("invitation", Invitation, client_id=_client),
    "storefront_users": AggregateKind("storefront_user", StorefrontUser, client_id=_client),
    "billing_states": AggregateKind(
        "billing_state", BillingState, client_id=_client, mark=_state_mark
    ),
    "refunds": AggregateKind("refund", Refund, client_id=_client, amount=lambda r: r.amount),
    "queued_items": AggregateKind(
        "queued_item",
        QueuedItem,
        client_id=_client,
        due=lambda q: q.due_date,
        keys=lambda q: (q.key,),
        amount=lambda q: q.amount,
    ),
    "promotion_redemptions": AggregateKind(
        "promotion_redemption",
        PromotionRedemption,
        client_id=_client,
        keys=PromotionRedemption.keys,
    ),
    "cancellation_requests": AggregateKind(
        "cancellation_request",
        CancellationRequest,
        client_id=_client,
        due=lambda r: r.effective_on if r.pending else None,
    ),
}


@attrs.frozen
class Copier:
    """Copies an aggregate of one slotted attrs class at a new version, field by field.

    An aggregate's fields were validated when it was built: a copy that changes only the
    version copies them as they are, where ``attrs.evolve`` builds (and validates) it again.

    Attributes:
        values: every field's value, in field order, in one call.
        setters: each field's slot setter, in the same order.
        set_version: the ``version`` slot's setter.
    """

    values: Callable[[Any], tuple[Any, ...]]
    setters: tuple[Callable[[Any, Any], None], ...]
    set_version: Callable[[Any, int], None]

    @classmethod
    def of(cls, kind: type[Any]) -> Copier | None:
        """The copier of a slotted attrs class whose slots are its fields, else None."""
        names = tuple(field.name for field in attrs.fields(kind))
        slots = set(getattr(kind, "__slots__", ())) - {"__weakref__"}
        if slots != set(names) or "version" not in names:
            return None
        setters = tuple(kind.__dict__[name].__set__ for name in names)
        return cls(attrgetter(*names), setters, kind.__dict__["version"].__set__)

    def copy(self, item: T, version: int) -> T:
        """``item`` (an instance of exactly the copier's class) at ``version``."""
        copy: T = object.__new__(type(item))
        for set_slot, value in zip(self.setters, self.values(item), strict=True):
            set_slot(copy, value)
        self.set_version(copy, version)
        return copy
