"""The SQLite adapter: the embedded default store, one file (or ``:memory:``) per business.

Each aggregate is one row of JSON written through the cattrs converter, beside indexed
columns (kind, id, client, due date, version); natural keys sit in their own table under a
primary key, so the database itself refuses a second invoice line for the same billable item.

Durability and concurrency
    The database runs in WAL mode with ``synchronous=NORMAL`` and a busy timeout. NORMAL may
    lose the last committed transaction on a power cut (never corrupt the file); that is
    acceptable here because every billing step is idempotent: rerunning the day repairs a lost
    commit. A unit of work is one ``BEGIN IMMEDIATE`` transaction, so writers from several
    processes queue rather than fail, and a unit of work that raises rolls back whole;
    :meth:`SqliteUnitOfWork.savepoint` is an SQLite ``SAVEPOINT`` inside it. A write of a kind
    without natural keys is one statement; one with keys runs in a savepoint of its own.
    Temporary files, among them the journal of open savepoints (the first change of a page
    inside a savepoint copies the page there), are kept in memory (``temp_store = MEMORY``):
    the billing run opens a savepoint per client.

The schema is versioned and created or migrated on open; opening twice changes nothing
(:mod:`~hostbill_core.adapters.sqlite_schema`).

>>> from datetime import date
>>> from hostbill_core.model import Client, ContactDetails
>>> store = SqliteStore(":memory:")
>>> with store.unit_of_work() as uow:
...     _ = uow.clients.add(Client("c1", ContactDetails("Ann", "a@example.com"), "EUR",
...                                date(2026, 1, 1)))
...     uow.commit()
>>> with store.unit_of_work() as uow:
...     uow.clients.get("c1").details.name
'Ann'
"""

from __future__ import annotations

import contextlib
import itertools
import json
import sqlite3
import threading
from collections.abc import Collection, Iterator, Mapping
from datetime import date
from pathlib import Path
from types import TracebackType
from typing import Any, Generic, Self, TypeVar

import attrs

from hostbill_core.adapters.aggregates import KINDS, AggregateKind, Copier, id_version
from hostbill_core.adapters.sqlite_schema import SCHEMA_VERSION, migrate
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
from hostbill_core.serialization import HostbillConverter, make_converter

__all__ = ["SCHEMA_VERSION", "SqliteStore", "SqliteUnitOfWork"]

T = TypeVar("T")

_IN_CHUNK = 500  # ids per ``IN (…)``: far below SQLite's smallest limit on parameters
_NO_KEYS = attrs.fields(AggregateKind).keys.default  # a kind that never has natural keys
_RETURNING = sqlite3.sqlite_version_info >= (3, 35)  # INSERT … RETURNING
# ``json.dumps(value)``, with the encoder built once rather than per call. Keys keep the
# converter's order (an attrs class's field order), so one aggregate always gives one text;
# sorting them cost 10-20 % of the encoding (callgrind: a lone encode, a billing run).
_ENCODE = json.JSONEncoder().encode
_COPIERS: dict[type[Any], Copier | None] = {}  # _copier's answers, by class


def _copier(cls: type[Any]) -> Copier | None:
    """``Copier.of(cls)``, worked out once per class.

    Every unit of work builds a repository of each kind.
    """
    if cls not in _COPIERS:
        _COPIERS[cls] = Copier.of(cls)
    return _COPIERS[cls]


class SqliteStore:
    """An SQLite database holding every aggregate; opens (and migrates) it on construction.

    Args:
        path: a file path, or ``":memory:"`` for a private in-memory database.
        busy_timeout: seconds a writer waits for another process's transaction.

    Raises:
        ConfigurationError: the file's schema is newer than this code knows.
    """

    def __init__(self, path: str | Path, *, busy_timeout: float = 30.0) -> None:
        self.path = str(path)
        self._connection = sqlite3.connect(
            self.path, isolation_level=None, check_same_thread=False, timeout=busy_timeout
        )
        self._lock = threading.RLock()
        self._converter = make_converter()
        self._connection.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
        if self.path != ":memory:":
            self._connection.execute("PRAGMA journal_mode = WAL")
        self._connection.execute("PRAGMA synchronous = NORMAL")
        self._connection.execute("PRAGMA temp_store = MEMORY")
        with self._lock:
            migrate(self._connection)

    def schema_version(self) -> int:
        """The schema version stored in the file."""
        row = self._connection.execute("SELECT MAX(version) FROM schema_version").fetchone()
        return int(row[0] or 0)

    def unit_of_work(self) -> SqliteUnitOfWork:
        """Open a new unit of work (use it as a context manager)."""
        return SqliteUnitOfWork(self._connection, self._lock, self._converter)

    def close(self) -> None:
        """Close the connection."""
        self._connection.close()


class _SqliteRepository(Generic[T]):
    """One aggregate kind, read and written inside the unit of work's transaction."""

    def __init__(
        self, kind: AggregateKind, db: sqlite3.Connection, converter: HostbillConverter
    ) -> None:
        self._kind = kind
        self._db = db
        self._converter = converter
        self._keyed = kind.keys is not _NO_KEYS
        self._copier = _copier(kind.cls)

    def _versioned(self, item: T, version: int) -> T:
        """``item`` at ``version``.

        Its other fields were validated when it was built: they are copied as they are, where
        ``attrs.evolve`` would build (and validate) the whole aggregate again.
        """
        copier = self._copier
        if copier is None or type(item) is not self._kind.cls:
            return attrs.evolve(item, version=version)  # type: ignore[misc]
        return copier.copy(item, version)

    @contextlib.contextmanager
    def _savepoint(self) -> Iterator[None]:
        """One write of several statements: all of it, or none of it, inside the transaction."""
        self._db.execute("SAVEPOINT write")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK TO write")
            raise
        finally:
            self._db.execute("RELEASE write")

    def _load(self, data: str, version: int) -> T:
        raw = json.loads(data)
        if isinstance(raw, dict):
            raw["version"] = version  # the column is the truth (the text holds the same)
        item: T = self._converter.structure(raw, self._kind.cls)
        return item

    def _dump(self, item: T) -> str:
        return _ENCODE(self._converter.unstructure(item))

    def find(self, id: str) -> T | None:
        """Return the aggregate or None."""
        row = self._db.execute(
            "SELECT data, version FROM aggregates WHERE kind = ? AND id = ?", (self._kind.name, id)
        ).fetchone()
        return None if row is None else self._load(row[0], row[1])

    def get(self, id: str) -> T:
        """Return the aggregate or raise NotFoundError."""
        item = self.find(id)
        if item is None:
            raise NotFoundError(self._kind.name, id)
        return item

    def owner_of_key(self, key: str) -> str | None:
        """Return the id holding natural key ``key``, or None."""
        row = self._db.execute(
            "SELECT id FROM natural_keys WHERE kind = ? AND key = ?", (self._kind.name, key)
        ).fetchone()
        return None if row is None else str(row[0])

    def _write_keys(self, id: str, item: T) -> None:
        self._db.execute(
            "DELETE FROM natural_keys WHERE kind = ? AND id = ?", (self._kind.name, id)
        )
        self._insert_keys(id, self._kind.keys(item))

    def _insert_keys(self, id: str, keys: tuple[str, ...]) -> None:
        kind = self._kind.name
        for key in keys:
            try:
                self._db.execute(
                    "INSERT INTO natural_keys (kind, key, id) VALUES (?, ?, ?)", (kind, key, id)
                )
            except sqlite3.IntegrityError:
                owner = self.owner_of_key(key)
                raise ConflictError(kind, key, f"natural key already held by {owner}") from None

    def _columns(self, item: T) -> tuple[str | None, ...]:
        """client_id, due, amount, currency, mark: the indexed and reporting columns, as text.

        SQLite has no exact decimal type: amounts are stored as their exact decimal text.
        """
        due, amount = self._kind.due(item), self._kind.amount(item)
        return (
            self._kind.client_id(item),
            None if due is None else due.isoformat(),
            None if amount is None else str(amount.amount),
            None if amount is None else amount.currency.code,
            self._kind.mark(item),
        )

    def add(self, item: T) -> T:
        """Store a new aggregate at version 1.

        One INSERT for the row and one per natural key; if a key is taken, the row and the
        keys inserted before it are deleted again (cheaper than a savepoint per write).
        """
        id, version = id_version(self._kind, item)
        if version != 0:
            raise ConflictError(
                self._kind.name, id, f"a new aggregate has version 0, not {version}"
            )
        stored = self._versioned(item, 1)
        try:
            self._db.execute(
                "INSERT INTO aggregates "
                "(kind, id, client_id, due, amount, currency, mark, version, data) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?)",
                (self._kind.name, id, *self._columns(stored), self._dump(stored)),
            )
        except sqlite3.IntegrityError:
            raise ConflictError(self._kind.name, id, "an aggregate with this id exists") from None
        keys = self._kind.keys(stored)
        if keys:
            try:
                self._insert_keys(id, keys)
            except BaseException:
                self._delete(id)
                raise
        return stored

    def save(self, item: T) -> T:
        """Store a changed aggregate whose version is the stored one.

        A kind without natural keys is one UPDATE; otherwise a savepoint around the row and
        its keys.
        """
        id, version = id_version(self._kind, item)
        stored = self._versioned(item, version + 1)
        with self._savepoint() if self._keyed else contextlib.nullcontext():
            cursor = self._db.execute(
                "UPDATE aggregates SET client_id = ?, due = ?, amount = ?, currency = ?, "
                "mark = ?, version = ?, data = ? WHERE kind = ? AND id = ? AND version = ?",
                (
                    *self._columns(stored),
                    version + 1,
                    self._dump(stored),
                    self._kind.name,
                    id,
                    version,
                ),
            )
            if cursor.rowcount != 1:
                current = self.get(id)
                raise ConflictError(
                    self._kind.name,
                    id,
                    f"stale save: stored version is {id_version(self._kind, current)[1]}, "
                    f"the save carried {version}; reload and retry",
                )
            if self._keyed:
                self._write_keys(id, stored)
        return stored

    def remove(self, id: str) -> None:
        """Delete the aggregate and free its natural keys."""
        self.get(id)
        self._delete(id)

    def _delete(self, id: str) -> None:
        self._db.execute("DELETE FROM aggregates WHERE kind = ? AND id = ?", (self._kind.name, id))
        self._db.execute(
            "DELETE FROM natural_keys WHERE kind = ? AND id = ?", (self._kind.name, id)
        )

    def list(
        self, *, client_id: ClientId | None = None, due_by: date | None = None
    ) -> tuple[T, ...]:
        """Stored aggregates ordered by id, filtered by client and due date."""
        sql = "SELECT data, version FROM aggregates WHERE kind = ?"
        params: list[str] = [self._kind.name]
        if client_id is not None:
            # Without statistics SQLite would walk the whole kind in id order to skip a sort;
            # one client's rows are few: read them through the client index and sort them.
            sql = "SELECT data, version FROM aggregates INDEXED BY aggregates_by_client"
            sql += " WHERE kind = ? AND client_id = ?"
            params.append(client_id)
        if due_by is not None:
            sql += " AND due IS NOT NULL AND due <= ?"
            params.append(due_by.isoformat())
        rows = self._db.execute(sql + " ORDER BY id", params).fetchall()
        return tuple(self._load(data, version) for data, version in rows)

    def _by_client(self, columns: str, client_ids: Collection[ClientId]) -> Iterator[Any]:
        """Rows of ``columns`` of the clients' aggregates, by client then id, in chunks."""
        ids = list(client_ids)
        chunks = (ids[start : start + _IN_CHUNK] for start in range(0, len(ids), _IN_CHUNK))
        return itertools.chain.from_iterable(
            self._db.execute(
                f"SELECT {columns} FROM aggregates INDEXED BY aggregates_by_client"
                f" WHERE kind = ? AND client_id IN ({', '.join('?' * len(chunk))})"
                " ORDER BY client_id, id",
                (self._kind.name, *chunk),
            ).fetchall()
            for chunk in chunks
        )

    def for_clients(self, client_ids: Collection[ClientId]) -> Mapping[ClientId, tuple[T, ...]]:
        """Each client's aggregates ordered by id, read ``_IN_CHUNK`` clients per query."""
        found: dict[str, list[T]] = {}
        for client_id, data, version in self._by_client("client_id, data, version", client_ids):
            found.setdefault(client_id, []).append(self._load(data, version))
        return {ClientId(client_id): tuple(items) for client_id, items in found.items()}

    def versions(
        self, client_ids: Collection[ClientId]
    ) -> Mapping[ClientId, tuple[tuple[str, int], ...]]:
        """(id, version) of each client's aggregates, ordered by id; no row is decoded."""
        found: dict[str, list[tuple[str, int]]] = {}
        for client_id, id, version in self._by_client("client_id, id, version", client_ids):
            found.setdefault(client_id, []).append((id, version))
        return {ClientId(client_id): tuple(pairs) for client_id, pairs in found.items()}

    def client_ids(
        self, *, due_by: date | None = None, after: str | None = None, limit: int | None = None
    ) -> tuple[ClientId, ...]:
        """Distinct owning client ids, ascending, paged by ``after`` and ``limit``."""
        sql = "SELECT DISTINCT client_id FROM aggregates WHERE kind = ? AND client_id IS NOT NULL"
        params: list[str | int] = [self._kind.name]
        if after is not None:
            sql += " AND client_id > ?"
            params.append(after)
        if due_by is not None:
            sql += " AND due IS NOT NULL AND due <= ?"
            params.append(due_by.isoformat())
        sql += " ORDER BY client_id"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        return tuple(ClientId(row[0]) for row in self._db.execute(sql, params))


class _SqliteBillingStates(_SqliteRepository[BillingState]):
    """The billing states, with their marks read by SQLite itself."""

    def marks(self, client_ids: Collection[ClientId]) -> Mapping[ClientId, tuple[str, int]]:
        """``(checked, version)`` of each client's state, from the by-client index alone.

        A state's mark is kept in the ``mark`` column, which the by-client index carries
        (schema 3): no row is visited and no state decoded.
        """
        return {
            ClientId(client_id): (mark or "", version)
            for client_id, version, mark in self._by_client("client_id, version, mark", client_ids)
        }


class _SqliteNumbers:
    """Invoice-number counters in the ``counters`` table, inside the transaction."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def peek(self, series: str) -> int:
        """The number next() would give."""
        row = self._db.execute("SELECT value FROM counters WHERE series = ?", (series,)).fetchone()
        return (0 if row is None else int(row[0])) + 1

    def next(self, series: str) -> int:
        """Take the next number of the series (given back if the transaction rolls back)."""
        if _RETURNING:
            rows = self._db.execute(
                "INSERT INTO counters (series, value) VALUES (?, 1) "
                "ON CONFLICT (series) DO UPDATE SET value = value + 1 RETURNING value",
                (series,),
            ).fetchall()
            return int(rows[0][0])
        number = self.peek(series)
        self._db.execute(
            "INSERT INTO counters (series, value) VALUES (?, ?) "
            "ON CONFLICT (series) DO UPDATE SET value = excluded.value",
            (series, number),
        )
        return number


class SqliteUnitOfWork:
    """One ``BEGIN IMMEDIATE`` transaction over every repository."""

    clients: _SqliteRepository[Client]
    contacts: _SqliteRepository[Contact]
    products: _SqliteRepository[Product]
    plans: _SqliteRepository[PricePlan]
    services: _SqliteRepository[Service]
    service_groups: _SqliteRepository[ServiceGroup]
    orders: _SqliteRepository[Order]
    invoices: _SqliteRepository[Invoice]
    payments: _SqliteRepository[Payment]
    credit: _SqliteRepository[CreditEntry]
    quotes: _SqliteRepository[Quote]
    invitations: _SqliteRepository[Invitation]
    storefront_users: _SqliteRepository[StorefrontUser]
    billing_states: _SqliteBillingStates
    refunds: _SqliteRepository[Refund]
    queued_items: _SqliteRepository[QueuedItem]
    promotion_redemptions: _SqliteRepository[PromotionRedemption]
    cancellation_requests: _SqliteRepository[CancellationRequest]

    def __init__(
        self, db: sqlite3.Connection, lock: threading.RLock, converter: HostbillConverter
    ) -> None:
        self._db = db
        self._lock = lock
        self._open = False
        for name, kind in KINDS.items():
            repository = _SqliteBillingStates if name == "billing_states" else _SqliteRepository
            setattr(self, name, repository(kind, db, converter))
        self.invoice_numbers = _SqliteNumbers(db)

    def repositories(self) -> Iterator[_SqliteRepository[Any]]:
        """Every repository of this unit of work."""
        for name in KINDS:
            yield getattr(self, name)

    def __enter__(self) -> Self:
        self._lock.acquire()
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except BaseException:
            self._lock.release()
            raise
        self._open = True
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if self._open:
                self._db.execute("ROLLBACK")
                self._open = False
        finally:
            self._lock.release()

    def commit(self) -> None:
        """Commit the transaction and begin the next one (left by ``__exit__``)."""
        self._db.execute("COMMIT")
        self._db.execute("BEGIN IMMEDIATE")

    def rollback(self) -> None:
        """Roll back everything since the last commit."""
        self._db.execute("ROLLBACK")
        self._db.execute("BEGIN IMMEDIATE")

    @contextlib.contextmanager
    def savepoint(self) -> Iterator[None]:
        """An SQLite ``SAVEPOINT``: rolled back to (and released) if the block raises.

        Raises:
            sqlite3.OperationalError: SQLite ended the transaction itself after an error (a
                full disk): a savepoint now would begin a transaction of its own.
        """
        if not self._db.in_transaction:
            raise sqlite3.OperationalError("the unit of work's transaction has ended")
        self._db.execute("SAVEPOINT unit")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK TO unit")
            self._db.execute("RELEASE unit")
            raise
        self._db.execute("RELEASE unit")
