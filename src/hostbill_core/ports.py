"""The ports: what engines and use cases need from the world, as :class:`typing.Protocol`.

Adapters implement them (:mod:`hostbill_core.adapters.memory`,
:mod:`hostbill_core.adapters.sqlite`); users may plug in their own and check it with the
contract suite in :mod:`hostbill_core.testing.contract`.

Versions and conflicts
    A model that was never stored has ``version == 0``. :meth:`Repository.add` stores it and
    returns it with ``version == 1``; :meth:`Repository.save` stores a changed model whose
    ``version`` equals the stored one and returns it with the version increased by one. A save
    that carries any other version is stale and raises :class:`~hostbill_core.errors.ConflictError`.

Natural keys
    Every aggregate may declare natural keys (an invoice: the keys of its lines, one per
    billable item). No two stored aggregates of a kind share one; a write that would raises
    ``ConflictError``. This is what makes a second billing run for the same date create nothing.

Units of work
    A unit of work is a context manager. Everything written inside it becomes visible to
    others only on :meth:`UnitOfWork.commit`; leaving the block without committing, or with an
    exception, rolls back, so a failure halfway leaves storage as it was. Invoice numbers taken
    in a unit of work that rolls back are given out again: the series has no gaps.
    :meth:`UnitOfWork.savepoint` nests a smaller all-or-nothing inside the transaction: the
    billing run bills many clients in one transaction, each inside its own savepoint.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from contextlib import AbstractContextManager
from datetime import date, datetime
from types import TracebackType
from typing import Protocol, Self, TypeVar

from hostbill_core.model import (
    BillingState,
    CancellationRequest,
    Client,
    ClientId,
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
from hostbill_core.money import ExchangeRate

__all__ = [
    "BillingStates",
    "Clock",
    "Event",
    "EventSink",
    "ExchangeRates",
    "InvoiceNumbers",
    "Repository",
    "UnitOfWork",
    "UnitOfWorkFactory",
]

T = TypeVar("T")


class Repository(Protocol[T]):
    """Loads and saves one kind of aggregate by id (a string), with optimistic versions."""

    def get(self, id: str) -> T:
        """Return the stored aggregate.

        Raises:
            NotFoundError: nothing is stored under ``id``.
        """
        ...

    def find(self, id: str) -> T | None:
        """Return the stored aggregate, or None."""
        ...

    def add(self, item: T) -> T:
        """Store a new aggregate (its ``version`` must be 0) and return it at version 1.

        Raises:
            ConflictError: the id or one of its natural keys is taken, or version is not 0.
        """
        ...

    def save(self, item: T) -> T:
        """Store a changed aggregate and return it with its version increased by one.

        Raises:
            NotFoundError: nothing is stored under its id.
            ConflictError: its version is not the stored one (stale), or a natural key is taken.
        """
        ...

    def remove(self, id: str) -> None:
        """Delete the aggregate and free its natural keys.

        Raises:
            NotFoundError: nothing is stored under ``id``.
        """
        ...

    def list(
        self, *, client_id: ClientId | None = None, due_by: date | None = None
    ) -> tuple[T, ...]:
        """Return stored aggregates ordered by id.

        Args:
            client_id: only this client's aggregates.
            due_by: only those whose due date (a service's ``next_due_date``, an invoice's
                ``due_date``) is on or before this date.
        """
        ...

    def for_clients(self, client_ids: Collection[ClientId]) -> Mapping[ClientId, tuple[T, ...]]:
        """Return the aggregates of each client in ``client_ids``, each client's ordered by id.

        The batch form of ``list(client_id=…)``: one round trip for a page of clients instead
        of one per client (the billing run reads its clients, services and billing states this
        way). It sees this unit of work's own writes, as ``list`` does. A client owning none
        is absent from the mapping. For clients themselves, a client owns its own record.
        """
        ...

    def versions(
        self, client_ids: Collection[ClientId]
    ) -> Mapping[ClientId, tuple[tuple[str, int], ...]]:
        """Return ``(id, version)`` of each client's aggregates, ordered by id, loading none.

        What :meth:`for_clients` would return, reduced to ids and versions: enough to tell
        that nothing changed since a version was seen (the billing run's same-day rerun skips
        such clients without reading them). A client owning none is absent.
        """
        ...

    def owner_of_key(self, key: str) -> str | None:
        """Return the id of the aggregate holding natural key ``key``, or None."""
        ...

    def client_ids(
        self, *, due_by: date | None = None, after: str | None = None, limit: int | None = None
    ) -> tuple[ClientId, ...]:
        """Return the distinct ids of clients owning aggregates of this kind, ascending.

        Pages through a large store: pass the last id of a page as ``after`` for the next.

        Args:
            due_by: only clients owning one whose due date is on or before this date.
            after: only ids greater than this one.
            limit: at most this many ids (None: all).
        """
        ...


class BillingStates(Repository[BillingState], Protocol):
    """The billing states, with a cheap read of the marks of complete days.

    Examples:
        >>> from hostbill_core.adapters.memory import MemoryStore
        >>> from hostbill_core.model import BillingState
        >>> with MemoryStore().unit_of_work() as uow:
        ...     _ = uow.billing_states.add(BillingState("c1", "c1", checked="marked"))
        ...     uow.billing_states.marks(["c1", "c2"])
        {'c1': ('marked', 1)}
    """

    def marks(self, client_ids: Collection[ClientId]) -> Mapping[ClientId, tuple[str, int]]:
        """Return ``(checked, version)`` of each client's billing state, building no state.

        What :meth:`Repository.for_clients` would return, reduced to each state's
        :attr:`~hostbill_core.model.BillingState.checked` text and version: the billing
        run decides from them which clients it may skip (their mark holds for the day)
        before reading any state in full. It sees this unit of work's own writes, as
        ``for_clients`` does. A client without a state is absent.
        """
        ...


class InvoiceNumbers(Protocol):
    """Hands out invoice numbers per series: 1, 2, 3 … with no gap and no repeat.

    Numbers are taken inside a unit of work; one that rolls back gives its numbers back.
    """

    def next(self, series: str) -> int:
        """Take the next number of ``series`` (a free-form name such as ``"INV-2026"``)."""
        ...

    def peek(self, series: str) -> int:
        """Return the number :meth:`next` would give, without taking it."""
        ...


class UnitOfWork(Protocol):
    """One all-or-nothing transaction over every repository.

    >>> from hostbill_core.adapters.memory import MemoryStore
    >>> store = MemoryStore()
    >>> with store.unit_of_work() as uow:
    ...     n = uow.invoice_numbers.next("INV")
    ...     uow.commit()
    >>> n
    1
    """

    @property
    def clients(self) -> Repository[Client]:
        """The clients repository."""
        ...

    @property
    def contacts(self) -> Repository[Contact]:
        """The contacts repository."""
        ...

    @property
    def products(self) -> Repository[Product]:
        """The products repository."""
        ...

    @property
    def plans(self) -> Repository[PricePlan]:
        """The plans repository."""
        ...

    @property
    def services(self) -> Repository[Service]:
        """The services repository."""
        ...

    @property
    def service_groups(self) -> Repository[ServiceGroup]:
        """The service groups repository."""
        ...

    @property
    def orders(self) -> Repository[Order]:
        """The orders repository."""
        ...

    @property
    def invoices(self) -> Repository[Invoice]:
        """The invoices repository."""
        ...

    @property
    def payments(self) -> Repository[Payment]:
        """The payments repository."""
        ...

    @property
    def credit(self) -> Repository[CreditEntry]:
        """The credit repository."""
        ...

    @property
    def quotes(self) -> Repository[Quote]:
        """The quotes repository."""
        ...

    @property
    def invitations(self) -> Repository[Invitation]:
        """The invitations repository."""
        ...

    @property
    def storefront_users(self) -> Repository[StorefrontUser]:
        """The reseller storefront users repository."""
        ...

    @property
    def billing_states(self) -> BillingStates:
        """What the billing run remembers per client (events done, lockout, scheduled changes)."""
        ...

    @property
    def refunds(self) -> Repository[Refund]:
        """The refund records (one per refund of a payment, dated)."""
        ...

    @property
    def queued_items(self) -> Repository[QueuedItem]:
        """The items queued for clients' next invoices (natural key: the item's key)."""
        ...

    @property
    def promotion_redemptions(self) -> Repository[PromotionRedemption]:
        """Each use of a promotion code (its use number and client are natural keys)."""
        ...

    @property
    def cancellation_requests(self) -> Repository[CancellationRequest]:
        """End-of-term cancellations, by service id; a pending one is due on its day."""
        ...

    @property
    def invoice_numbers(self) -> InvoiceNumbers:
        """The invoice-number series of this unit of work."""
        ...

    def __enter__(self) -> Self:
        """Begin the transaction."""
        ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Roll back whatever was not committed; never swallows the exception."""
        ...

    def commit(self) -> None:
        """Make every write of this unit of work durable and visible, at once.

        Raises:
            ConflictError: another unit of work changed what this one read and saved.
        """
        ...

    def rollback(self) -> None:
        """Discard every write since the last commit."""
        ...

    def savepoint(self) -> AbstractContextManager[None]:
        """A savepoint inside the transaction, used as a context manager.

        Leaving the block with an exception discards every write made inside it (invoice
        numbers taken inside are given out again) and re-raises; the writes made before it
        stay, and the unit of work stays usable. Leaving the block normally keeps its writes,
        to be committed or rolled back with the rest. Savepoints nest.

        >>> from hostbill_core.adapters.memory import MemoryStore
        >>> store = MemoryStore()
        >>> with store.unit_of_work() as uow:
        ...     first = uow.invoice_numbers.next("INV")
        ...     try:
        ...         with uow.savepoint():
        ...             _ = uow.invoice_numbers.next("INV")
        ...             raise RuntimeError("one client failed")
        ...     except RuntimeError:
        ...         pass
        ...     uow.invoice_numbers.next("INV")
        2
        """
        ...


#: Something that opens a fresh unit of work; use cases take one so each client gets its own.
UnitOfWorkFactory = Callable[[], UnitOfWork]


class Clock(Protocol):
    """Tells the time. Engines never read a clock: use cases ask one and pass the date in."""

    def now(self) -> datetime:
        """The current instant, an aware datetime in UTC."""
        ...

    def today(self) -> date:
        """The current calendar date in the business's timezone."""
        ...


class ExchangeRates(Protocol):
    """Exchange rates by date."""

    def rate(self, base: str, quote: str, on: date) -> ExchangeRate:
        """The rate from ``base`` to ``quote`` in force on ``on``.

        Raises:
            NotFoundError: no rate is known for that pair on that date.
        """
        ...


class Event(Protocol):
    """Something that happened, for the host application (an email to send, a flag to show)."""

    @property
    def name(self) -> str:
        """A stable dotted name such as ``"invoice.issued"``."""
        ...


class EventSink(Protocol):
    """Receives events; the host application emails, logs or queues them."""

    def emit(self, event: Event) -> None:
        """Take one event."""
        ...
