"""The in-memory adapter: every port in a Python process, for tests, notebooks and dry runs.

A :class:`MemoryStore` holds committed aggregates. Each unit of work writes into its own
overlay and applies it to the store at :meth:`MemoryUnitOfWork.commit`, under a lock, after
checking that nothing it saved was changed meanwhile (optimistic versions) and that no natural
key was taken; otherwise :class:`~hostbill_core.errors.ConflictError` and nothing is applied.

>>> from datetime import date
>>> from hostbill_core.model import Client, ContactDetails
>>> store = MemoryStore()
>>> ann = Client("c1", ContactDetails("Ann", "ann@example.com"), "EUR", date(2026, 1, 1))
>>> with store.unit_of_work() as uow:
...     stored = uow.clients.add(ann)
...     uow.commit()
>>> stored.version
1
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Collection, Iterator, Mapping
from datetime import date
from types import TracebackType
from typing import Any, Generic, Self, TypeVar

import attrs

from hostbill_core.adapters.aggregates import KINDS, AggregateKind, id_version
from hostbill_core.errors import ConflictError, NotFoundError
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

__all__ = ["MemoryStore", "MemoryUnitOfWork"]

T = TypeVar("T")
_Removed = None
_ABSENT: Any = object()  # in the undo log: the id had no entry


class _Table:
    """Committed rows of one kind: id → item, the client index, natural keys."""

    def __init__(self) -> None:
        self.rows: dict[str, Any] = {}
        self.by_client: dict[str, set[str]] = {}
        self.keys: dict[str, str] = {}


class MemoryStore:
    """Committed state of every aggregate kind and invoice-number series, in memory.

    Attributes:
        commits: how many units of work have committed (tests read it).
    """

    def __init__(self) -> None:
        self._tables = {name: _Table() for name in KINDS}
        self._counters: dict[str, int] = {}
        self._lock = threading.Lock()
        self.commits = 0

    def unit_of_work(self) -> MemoryUnitOfWork:
        """Open a new unit of work on this store (use it as a context manager)."""
        return MemoryUnitOfWork(self)

    def _apply(self, uow: MemoryUnitOfWork) -> None:
        with self._lock:
            for repo in uow.repositories():
                repo.check_against_store()
            for series, (base, _value) in uow.numbers.taken.items():
                if self._counters.get(series, 0) != base:
                    raise ConflictError(
                        "invoice number series", series, "another unit of work took numbers"
                    )
            for repo in uow.repositories():
                repo.apply_to_store()
            for series, (_base, value) in uow.numbers.taken.items():
                self._counters[series] = value
            self.commits += 1


class _MemoryRepository(Generic[T]):
    """One kind's view inside a unit of work: committed rows plus this unit's overlay."""

    def __init__(self, kind: AggregateKind, table: _Table) -> None:
        self._kind = kind
        self._table = table
        self._writes: dict[str, T | None] = {}
        self._bases: dict[str, int] = {}  # id → committed version when first written (0: new)
        self._undo: list[tuple[str, Any, Any]] = []  # (id, write before, base before)
        # natural key → id of the last write staged with it; the only write that can hold the
        # key (a write taking a key another write holds is refused). Entries may be stale
        # (that write changed since): owner_of_key checks the write itself.
        self._staged_keys: dict[str, str] = {}

    def _visible(self, id: str) -> T | None:
        if id in self._writes:
            return self._writes[id]
        item: T | None = self._table.rows.get(id)
        return item

    def get(self, id: str) -> T:
        """Return the aggregate or raise NotFoundError."""
        item = self._visible(id)
        if item is None:
            raise NotFoundError(self._kind.name, id)
        return item

    def find(self, id: str) -> T | None:
        """Return the aggregate or None."""
        return self._visible(id)

    def owner_of_key(self, key: str) -> str | None:
        """Return the id holding natural key ``key``, or None."""
        staged = self._staged_keys.get(key)
        if staged is not None:
            written = self._writes.get(staged)
            if written is not None and key in self._kind.keys(written):
                return staged
        owner = self._table.keys.get(key)
        if owner is not None and owner in self._writes:
            written = self._writes[owner]
            return owner if written is not None and key in self._kind.keys(written) else None
        return owner

    def _check_keys(self, id: str, item: T) -> None:
        for key in self._kind.keys(item):
            owner = self.owner_of_key(key)
            if owner is not None and owner != id:
                raise ConflictError(self._kind.name, key, f"natural key already held by {owner}")

    def _stage(self, id: str, item: T | None) -> None:
        self._undo.append((id, self._writes.get(id, _ABSENT), self._bases.get(id, _ABSENT)))
        if id not in self._bases:
            committed = self._table.rows.get(id)
            self._bases[id] = committed.version if committed is not None else 0
        self._writes[id] = item
        if item is not None:
            self._staged_keys.update(dict.fromkeys(self._kind.keys(item), id))

    def add(self, item: T) -> T:
        """Store a new aggregate at version 1."""
        id, version = id_version(self._kind, item)
        if version != 0:
            raise ConflictError(
                self._kind.name, id, f"a new aggregate has version 0, not {version}"
            )
        if self._visible(id) is not None:
            raise ConflictError(self._kind.name, id, "an aggregate with this id exists")
        stored: T = attrs.evolve(item, version=1)  # type: ignore[misc]
        self._check_keys(id, stored)
        self._stage(id, stored)
        return stored

    def save(self, item: T) -> T:
        """Store a changed aggregate whose version is the stored one."""
        id, version = id_version(self._kind, item)
        current = self.get(id)
        stored_version = id_version(self._kind, current)[1]
        if version != stored_version:
            raise ConflictError(
                self._kind.name,
                id,
                f"stale save: stored version is {stored_version}, the save carried {version}; "
                "reload and retry",
            )
        stored: T = attrs.evolve(item, version=version + 1)  # type: ignore[misc]
        self._check_keys(id, stored)
        self._stage(id, stored)
        return stored

    def remove(self, id: str) -> None:
        """Delete the aggregate."""
        self.get(id)
        self._stage(id, _Removed)

    def list(
        self, *, client_id: ClientId | None = None, due_by: date | None = None
    ) -> tuple[T, ...]:
        """Visible aggregates ordered by id, filtered by client and due date."""
        if client_id is None:
            ids = set(self._table.rows)
        else:
            ids = set(self._table.by_client.get(client_id, ()))
        ids.update(self._writes)
        found = []
        for id in sorted(ids):
            item = self._visible(id)
            if item is None or (client_id is not None and self._kind.client_id(item) != client_id):
                continue
            due = self._kind.due(item)
            if due_by is not None and (due is None or due > due_by):
                continue
            found.append(item)
        return tuple(found)

    def for_clients(self, client_ids: Collection[ClientId]) -> Mapping[ClientId, tuple[T, ...]]:
        """Visible aggregates of each client, ordered by id; clients owning none are absent."""
        found = {}
        for client_id in client_ids:
            items = self.list(client_id=client_id)
            if items:
                found[client_id] = items
        return found

    def versions(
        self, client_ids: Collection[ClientId]
    ) -> Mapping[ClientId, tuple[tuple[str, int], ...]]:
        """(id, version) of each client's visible aggregates, ordered by id."""
        return {
            client_id: tuple(id_version(self._kind, item) for item in items)
            for client_id, items in self.for_clients(client_ids).items()
        }

    def client_ids(
        self, *, due_by: date | None = None, after: str | None = None, limit: int | None = None
    ) -> tuple[ClientId, ...]:
        """Distinct owning client ids, ascending, paged by ``after`` and ``limit``."""
        owners = set(self._table.by_client)
        owners.update(
            owner
            for item in self._writes.values()
            if item is not None and (owner := self._kind.client_id(item)) is not None
        )
        found: list[ClientId] = []
        for owner in sorted(o for o in owners if after is None or o > after):
            if limit is not None and len(found) >= limit:
                break
            if self.list(client_id=ClientId(owner), due_by=due_by):
                found.append(ClientId(owner))
        return tuple(found)

    def check_against_store(self) -> None:
        """Raise ConflictError when the store changed under this unit of work's writes."""
        for id, base in self._bases.items():
            committed = self._table.rows.get(id)
            if (committed.version if committed is not None else 0) != base:
                raise ConflictError(self._kind.name, id, "changed by another unit of work")
        released = set(self._writes)
        for id, item in self._writes.items():
            for key in self._kind.keys(item) if item is not None else ():
                owner = self._table.keys.get(key)
                if owner is not None and owner != id and owner not in released:
                    raise ConflictError(self._kind.name, key, f"natural key taken by {owner}")

    def apply_to_store(self) -> None:
        """Write the overlay into the committed table and clear it."""
        table = self._table
        for id, item in self._writes.items():
            old = table.rows.pop(id, None)
            if old is not None:
                for key in self._kind.keys(old):
                    table.keys.pop(key, None)
                owner = self._kind.client_id(old)
                if owner is not None:
                    table.by_client.get(owner, set()).discard(id)
            if item is None:
                continue
            table.rows[id] = item
            for key in self._kind.keys(item):
                table.keys[key] = id
            owner = self._kind.client_id(item)
            if owner is not None:
                table.by_client.setdefault(owner, set()).add(id)
        self.discard()

    def mark(self) -> int:
        """A mark in the undo log, for :meth:`undo_to`."""
        return len(self._undo)

    def undo_to(self, mark: int) -> None:
        """Undo every write staged since ``mark`` (a savepoint rolled back)."""
        while len(self._undo) > mark:
            id, write, base = self._undo.pop()
            for table, before in ((self._writes, write), (self._bases, base)):
                if before is _ABSENT:
                    table.pop(id, None)
                else:
                    table[id] = before
        self._staged_keys = {
            key: id
            for id, item in self._writes.items()
            if item is not None
            for key in self._kind.keys(item)
        }

    def discard(self) -> None:
        """Forget the overlay."""
        self._writes.clear()
        self._bases.clear()
        self._undo.clear()
        self._staged_keys.clear()


class _MemoryBillingStates(_MemoryRepository[BillingState]):
    """The billing states, with their marks read from the visible states."""

    def marks(self, client_ids: Collection[ClientId]) -> Mapping[ClientId, tuple[str, int]]:
        """``(checked, version)`` of each client's visible state (its id is the client's)."""
        found = {}
        for client_id in client_ids:
            state = self._visible(client_id)
            if state is not None:
                found[client_id] = (state.checked, state.version)
        return found


class _MemoryNumbers:
    """Invoice numbers taken inside a unit of work: series → (committed base, last taken)."""

    def __init__(self, counters: dict[str, int]) -> None:
        self._counters = counters
        self.taken: dict[str, tuple[int, int]] = {}

    def peek(self, series: str) -> int:
        """The number next() would give."""
        base = self._counters.get(series, 0)
        return self.taken.get(series, (base, base))[1] + 1

    def next(self, series: str) -> int:
        """Take the next number of the series."""
        number = self.peek(series)
        base = self.taken.get(series, (self._counters.get(series, 0), 0))[0]
        self.taken[series] = (base, number)
        return number


class MemoryUnitOfWork:
    """A unit of work over a :class:`MemoryStore`: all or nothing at :meth:`commit`."""

    clients: _MemoryRepository[Client]
    contacts: _MemoryRepository[Contact]
    products: _MemoryRepository[Product]
    plans: _MemoryRepository[PricePlan]
    services: _MemoryRepository[Service]
    service_groups: _MemoryRepository[ServiceGroup]
    orders: _MemoryRepository[Order]
    invoices: _MemoryRepository[Invoice]
    payments: _MemoryRepository[Payment]
    credit: _MemoryRepository[CreditEntry]
    quotes: _MemoryRepository[Quote]
    invitations: _MemoryRepository[Invitation]
    storefront_users: _MemoryRepository[StorefrontUser]
    billing_states: _MemoryBillingStates
    refunds: _MemoryRepository[Refund]
    queued_items: _MemoryRepository[QueuedItem]
    promotion_redemptions: _MemoryRepository[PromotionRedemption]
    cancellation_requests: _MemoryRepository[CancellationRequest]

    def __init__(self, store: MemoryStore) -> None:
        self._store = store
        for name, kind in KINDS.items():
            repository = _MemoryBillingStates if name == "billing_states" else _MemoryRepository
            setattr(self, name, repository(kind, store._tables[name]))
        self.numbers = _MemoryNumbers(store._counters)
        self.invoice_numbers = self.numbers

    def repositories(self) -> Iterator[_MemoryRepository[Any]]:
        """Every repository of this unit of work."""
        for name in KINDS:
            yield getattr(self, name)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.rollback()

    def commit(self) -> None:
        """Apply every write at once, or raise ConflictError and apply none."""
        self._store._apply(self)
        self.numbers.taken.clear()

    def rollback(self) -> None:
        """Discard every write not yet committed."""
        for repo in self.repositories():
            repo.discard()
        self.numbers.taken.clear()

    @contextlib.contextmanager
    def savepoint(self) -> Iterator[None]:
        """Undo the block's writes and numbers if it raises; keep them otherwise."""
        marks = [(repo, repo.mark()) for repo in self.repositories()]
        taken = dict(self.numbers.taken)
        try:
            yield
        except BaseException:
            for repo, mark in marks:
                repo.undo_to(mark)
            self.numbers.taken.clear()
            self.numbers.taken.update(taken)
            raise
