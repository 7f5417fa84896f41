"""The server-database adapter: every port on PostgreSQL or MySQL/MariaDB via SQLAlchemy Core.

Install an extra for the driver: ``pip install "hostbill-core[postgres]"`` (psycopg 3) or
``"hostbill-core[mysql]"`` (PyMySQL). A ``sqlite:///`` URL works too, for tests.

Rows are aggregates as JSON through the cattrs converter (no ORM mapping), beside indexed
columns: kind, id, client, due date, version, and an exact ``NUMERIC(38, 12)`` amount with its
currency for reports in SQL. Natural keys have their own table under a primary key, so a
second worker cannot invoice the same billable item twice: the database refuses it and the
adapter raises :class:`~hostbill_core.errors.ConflictError`, never a driver exception.

Transactions
    One database transaction per unit of work. Each write runs in a savepoint, so a refused
    write (stale version, taken key) leaves the transaction usable. Invoice numbers come from a
    counter row locked ``FOR UPDATE`` inside the unit of work: concurrent workers queue on it,
    numbers never repeat, and a unit of work that rolls back gives its numbers back, so a series
    has no gaps.

Schema
    Created and migrated on open by versioned, idempotent DDL (table ``schema_version``);
    opening twice changes nothing.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Collection, Iterator, Mapping
from datetime import date
from decimal import Decimal
from types import TracebackType
from typing import Any, Generic, Self, TypeVar

import attrs
import sqlalchemy as sa
from sqlalchemy.dialects import mysql
from sqlalchemy.exc import IntegrityError

from hostbill_core.adapters.aggregates import KINDS, AggregateKind, id_version
from hostbill_core.errors import ConfigurationError, ConflictError, NotFoundError
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

__all__ = ["SCHEMA_VERSION", "SqlStore", "SqlUnitOfWork"]

T = TypeVar("T")

_metadata = sa.MetaData()
_LONG_TEXT = sa.Text().with_variant(mysql.LONGTEXT(), "mysql", "mariadb")

_aggregates = sa.Table(
    "hostbill_aggregates",
    _metadata,
    sa.Column("kind", sa.String(40), primary_key=True),
    sa.Column("id", sa.String(190), primary_key=True),
    sa.Column("client_id", sa.String(190), nullable=True),
    sa.Column("due", sa.Date, nullable=True),
    sa.Column("amount", sa.Numeric(38, 12, asdecimal=True), nullable=True),
    sa.Column("currency", sa.String(3), nullable=True),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("data", _LONG_TEXT, nullable=False),
    sa.Index("hostbill_aggregates_by_client", "kind", "client_id", "id"),
    sa.Index("hostbill_aggregates_by_due", "kind", "due"),
)
_keys = sa.Table(
    "hostbill_natural_keys",
    _metadata,
    sa.Column("kind", sa.String(40), primary_key=True),
    sa.Column("key", sa.String(500), primary_key=True),
    sa.Column("id", sa.String(190), nullable=False),
    sa.Index("hostbill_natural_keys_by_owner", "kind", "id"),
)
_counters = sa.Table(
    "hostbill_counters",
    _metadata,
    sa.Column("series", sa.String(190), primary_key=True),
    sa.Column("value", sa.Integer, nullable=False),
)
_schema_version = sa.Table(
    "hostbill_schema_version",
    _metadata,
    sa.Column("version", sa.Integer, primary_key=True),
)

#: Each migration creates or alters tables; run in order, each once, recorded in the table.
_MIGRATIONS: tuple[tuple[sa.Table, ...], ...] = ((_aggregates, _keys, _counters),)

#: The schema version this code writes; a newer database is refused.
SCHEMA_VERSION = len(_MIGRATIONS)

_IN_CHUNK = 500  # ids per ``IN (…)`` of a batch read


class SqlStore:
    """A database reached through a SQLAlchemy URL; creates or migrates the schema on open.

    Args:
        url: e.g. ``postgresql+psycopg://user@host/db``, ``mysql+pymysql://user@host/db``,
            ``sqlite:///path``.
        engine_options: passed to :func:`sqlalchemy.create_engine` (pool size, echo …).

    Raises:
        ConfigurationError: the database's schema is newer than this code knows.
    """

    def __init__(self, url: str, *, engine_options: Mapping[str, Any] | None = None) -> None:
        options = dict(engine_options or {})
        if url.startswith("sqlite"):
            options.setdefault("connect_args", {"timeout": 30})
        self.engine = sa.create_engine(url, **options)
        if self.engine.dialect.name == "sqlite":
            _let_sqlalchemy_manage_sqlite_transactions(self.engine)
        self._converter = make_converter()
        self._migrate()

    def _migrate(self) -> None:
        with self.engine.begin() as conn:
            _schema_version.create(conn, checkfirst=True)
            current = conn.execute(sa.select(sa.func.max(_schema_version.c.version))).scalar()
            current = current or 0
            if current > SCHEMA_VERSION:
                raise ConfigurationError(
                    "schema_version", current, f"this code knows up to {SCHEMA_VERSION}"
                )
            for version in range(current + 1, SCHEMA_VERSION + 1):
                for table in _MIGRATIONS[version - 1]:
                    table.create(conn, checkfirst=True)
                conn.execute(sa.insert(_schema_version).values(version=version))

    def schema_version(self) -> int:
        """The schema version recorded in the database."""
        with self.engine.connect() as conn:
            found = conn.execute(sa.select(sa.func.max(_schema_version.c.version))).scalar()
        return int(found or 0)

    def unit_of_work(self) -> SqlUnitOfWork:
        """Open a new unit of work (use it as a context manager)."""
        return SqlUnitOfWork(self.engine, self._converter)

    def close(self) -> None:
        """Dispose of the connection pool."""
        self.engine.dispose()


def _let_sqlalchemy_manage_sqlite_transactions(engine: sa.Engine) -> None:
    """Make pysqlite emit BEGIN where SQLAlchemy begins, so savepoints work.

    This is SQLAlchemy's documented recipe for the pysqlite driver.
    """

    @sa.event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        # As the SQLite adapter: WAL, and NORMAL durability (a billing step is idempotent).
        dbapi_connection.execute("PRAGMA journal_mode = WAL")
        dbapi_connection.execute("PRAGMA synchronous = NORMAL")

    @sa.event.listens_for(engine, "begin")
    def _begin(conn: sa.Connection) -> None:
        # IMMEDIATE: writers from several processes queue on the busy timeout instead of
        # failing when a read transaction would have to upgrade to a write.
        conn.exec_driver_sql("BEGIN IMMEDIATE")


class _Session:
    """The connection and transaction of one unit of work, shared by its repositories."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        self.connection: sa.Connection | None = None
        self.transaction: sa.RootTransaction | None = None

    @property
    def conn(self) -> sa.Connection:
        if self.connection is None:
            raise RuntimeError("use the unit of work inside a 'with' block")
        return self.connection

    @contextlib.contextmanager
    def savepoint(self) -> Iterator[sa.Connection]:
        """Run one write in a savepoint: a refused write leaves the transaction usable."""
        conn = self.conn
        with conn.begin_nested():
            yield conn


class _SqlRepository(Generic[T]):
    """One aggregate kind, read and written in the unit of work's transaction."""

    def __init__(
        self, kind: AggregateKind, session: _Session, converter: HostbillConverter
    ) -> None:
        self._kind = kind
        self._session = session
        self._converter = converter

    def _load(self, data: str, version: int) -> T:
        raw = json.loads(data)
        if isinstance(raw, dict):
            raw["version"] = version  # the column is the truth (the text holds the same)
        item: T = self._converter.structure(raw, self._kind.cls)
        return item

    def _values(self, item: T, version: int) -> dict[str, Any]:
        amount = self._kind.amount(item)
        return {
            "client_id": self._kind.client_id(item),
            "due": self._kind.due(item),
            "amount": None if amount is None else Decimal(amount.amount),
            "currency": None if amount is None else amount.currency.code,
            "version": version,
            "data": json.dumps(self._converter.unstructure(item), sort_keys=True),
        }

    def _where(self, id: str) -> sa.ColumnElement[bool]:
        return sa.and_(_aggregates.c.kind == self._kind.name, _aggregates.c.id == id)

    def find(self, id: str) -> T | None:
        """Return the aggregate or None."""
        query = sa.select(_aggregates.c.data, _aggregates.c.version).where(self._where(id))
        row = self._session.conn.execute(query).first()
        return None if row is None else self._load(row.data, row.version)

    def get(self, id: str) -> T:
        """Return the aggregate or raise NotFoundError."""
        item = self.find(id)
        if item is None:
            raise NotFoundError(self._kind.name, id)
        return item

    def owner_of_key(self, key: str) -> str | None:
        """Return the id holding natural key ``key``, or None."""
        query = sa.select(_keys.c.id).where(_keys.c.kind == self._kind.name, _keys.c.key == key)
        found = self._session.conn.execute(query).scalar()
        return None if found is None else str(found)

    def _write_keys(self, conn: sa.Connection, id: str, item: T) -> None:
        kind = self._kind.name
        conn.execute(sa.delete(_keys).where(_keys.c.kind == kind, _keys.c.id == id))
        for key in self._kind.keys(item):
            try:
                with conn.begin_nested():
                    conn.execute(sa.insert(_keys).values(kind=kind, key=key, id=id))
            except IntegrityError:
                owner = self.owner_of_key(key)
                raise ConflictError(kind, key, f"natural key already held by {owner}") from None

    def add(self, item: T) -> T:
        """Store a new aggregate at version 1."""
        id, version = id_version(self._kind, item)
        if version != 0:
            raise ConflictError(
                self._kind.name, id, f"a new aggregate has version 0, not {version}"
            )
        stored: T = attrs.evolve(item, version=1)  # type: ignore[misc]
        with self._session.savepoint() as conn:
            try:
                with conn.begin_nested():
                    conn.execute(
                        sa.insert(_aggregates).values(
                            kind=self._kind.name, id=id, **self._values(stored, 1)
                        )
                    )
            except IntegrityError:
                raise ConflictError(
                    self._kind.name, id, "an aggregate with this id exists"
                ) from None
            self._write_keys(conn, id, stored)
        return stored

    def save(self, item: T) -> T:
        """Store a changed aggregate whose version is the stored one."""
        id, version = id_version(self._kind, item)
        stored: T = attrs.evolve(item, version=version + 1)  # type: ignore[misc]
        with self._session.savepoint() as conn:
            result = conn.execute(
                sa.update(_aggregates)
                .where(self._where(id), _aggregates.c.version == version)
                .values(**self._values(stored, version + 1))
            )
            if result.rowcount != 1:
                current = self.get(id)
                raise ConflictError(
                    self._kind.name,
                    id,
                    f"stale save: stored version is {id_version(self._kind, current)[1]}, "
                    f"the save carried {version}; reload and retry",
                )
            self._write_keys(conn, id, stored)
        return stored

    def remove(self, id: str) -> None:
        """Delete the aggregate and free its natural keys."""
        self.get(id)
        with self._session.savepoint() as conn:
            conn.execute(sa.delete(_aggregates).where(self._where(id)))
            conn.execute(sa.delete(_keys).where(_keys.c.kind == self._kind.name, _keys.c.id == id))

    def list(
        self, *, client_id: ClientId | None = None, due_by: date | None = None
    ) -> tuple[T, ...]:
        """Stored aggregates ordered by id, filtered by client and due date."""
        query = sa.select(_aggregates.c.data, _aggregates.c.version).where(
            _aggregates.c.kind == self._kind.name
        )
        if client_id is not None:
            query = query.where(_aggregates.c.client_id == client_id)
        if due_by is not None:
            query = query.where(_aggregates.c.due.is_not(None), _aggregates.c.due <= due_by)
        rows = self._session.conn.execute(query.order_by(_aggregates.c.id)).all()
        return tuple(self._load(row.data, row.version) for row in rows)

    def for_clients(self, client_ids: Collection[ClientId]) -> Mapping[ClientId, tuple[T, ...]]:
        """Each client's aggregates ordered by id, read ``_IN_CHUNK`` clients per query."""
        ids = list(client_ids)
        found: dict[ClientId, list[T]] = {}
        columns = _aggregates.c
        for start in range(0, len(ids), _IN_CHUNK):
            query = (
                sa.select(columns.client_id, columns.data, columns.version)
                .where(columns.kind == self._kind.name)
                .where(columns.client_id.in_(ids[start : start + _IN_CHUNK]))
                .order_by(columns.client_id, columns.id)
            )
            for row in self._session.conn.execute(query):
                found.setdefault(ClientId(row.client_id), []).append(
                    self._load(row.data, row.version)
                )
        return {client_id: tuple(items) for client_id, items in found.items()}

    def versions(
        self, client_ids: Collection[ClientId]
    ) -> Mapping[ClientId, tuple[tuple[str, int], ...]]:
        """(id, version) of each client's aggregates, ordered by id; no row is decoded."""
        ids = list(client_ids)
        found: dict[ClientId, list[tuple[str, int]]] = {}
        columns = _aggregates.c
        for start in range(0, len(ids), _IN_CHUNK):
            query = (
                sa.select(columns.client_id, columns.id, columns.version)
                .where(columns.kind == self._kind.name)
                .where(columns.client_id.in_(ids[start : start + _IN_CHUNK]))
                .order_by(columns.client_id, columns.id)
            )
            for row in self._session.conn.execute(query):
                found.setdefault(ClientId(row.client_id), []).append((row.id, row.version))
        return {client_id: tuple(pairs) for client_id, pairs in found.items()}

    def client_ids(
        self, *, due_by: date | None = None, after: str | None = None, limit: int | None = None
    ) -> tuple[ClientId, ...]:
        """Distinct owning client ids, ascending, paged by ``after`` and ``limit``."""
        column = _aggregates.c.client_id
        query = (
            sa.select(column)
            .distinct()
            .where(_aggregates.c.kind == self._kind.name, column.is_not(None))
        )
        if after is not None:
            query = query.where(column > after)
        if due_by is not None:
            query = query.where(_aggregates.c.due.is_not(None), _aggregates.c.due <= due_by)
        query = query.order_by(column)
        if limit is not None:
            query = query.limit(limit)
        return tuple(ClientId(row[0]) for row in self._session.conn.execute(query))


class _SqlBillingStates(_SqlRepository[BillingState]):
    """The billing states, with their marks."""

    def marks(self, client_ids: Collection[ClientId]) -> Mapping[ClientId, tuple[str, int]]:
        """``(checked, version)`` of each client's state, taken from :meth:`for_clients`.

        The simplest correct form: the states are read and decoded in full, as ``for_clients``
        reads them. The JSON functions of PostgreSQL and MySQL differ, and no server is at
        hand where this is written to measure a query of their own against.
        """
        return {
            client_id: (states[0].checked, states[0].version)
            for client_id, states in self.for_clients(client_ids).items()
        }


class _SqlNumbers:
    """Invoice-number counters: one row per series, locked for the rest of the transaction.

    A series' row is created (at 0) before it is ever locked: on a server database by a
    short transaction of its own, because locking a row that does not exist takes a gap lock
    in MySQL/InnoDB, and two workers holding one each would deadlock on their inserts. On
    SQLite the unit of work already holds the only write lock, so the row is created inside it.
    """

    def __init__(self, session: _Session) -> None:
        self._session = session

    def _value(self, series: str, *, lock: bool) -> int | None:
        query = sa.select(_counters.c.value).where(_counters.c.series == series)
        found = self._session.conn.execute(query.with_for_update() if lock else query).scalar()
        return None if found is None else int(found)

    def _create(self, series: str) -> None:
        engine = self._session.engine
        try:
            if engine.dialect.name == "sqlite":
                with self._session.conn.begin_nested() as nested:
                    nested.connection.execute(sa.insert(_counters).values(series=series, value=0))
            else:
                with engine.begin() as own:
                    own.execute(sa.insert(_counters).values(series=series, value=0))
        except IntegrityError:
            pass  # another worker created it first

    def peek(self, series: str) -> int:
        """The number next() would give (reads without locking)."""
        return (self._value(series, lock=False) or 0) + 1

    def next(self, series: str) -> int:
        """Take the next number of the series."""
        if self._value(series, lock=False) is None:
            self._create(series)
        current = self._value(series, lock=True) or 0
        self._session.conn.execute(
            sa.update(_counters).where(_counters.c.series == series).values(value=current + 1)
        )
        return current + 1


class SqlUnitOfWork:
    """One database transaction over every repository.

    ``clients_per_transaction`` tells the billing run to bill one client per transaction on a
    server: with several writers at once, a batch's locks held until its commit made two
    processes on MariaDB wait on each other past their lock timeouts.
    """

    clients_per_transaction = 1

    clients: _SqlRepository[Client]
    contacts: _SqlRepository[Contact]
    products: _SqlRepository[Product]
    plans: _SqlRepository[PricePlan]
    services: _SqlRepository[Service]
    service_groups: _SqlRepository[ServiceGroup]
    orders: _SqlRepository[Order]
    invoices: _SqlRepository[Invoice]
    payments: _SqlRepository[Payment]
    credit: _SqlRepository[CreditEntry]
    quotes: _SqlRepository[Quote]
    invitations: _SqlRepository[Invitation]
    storefront_users: _SqlRepository[StorefrontUser]
    billing_states: _SqlBillingStates
    refunds: _SqlRepository[Refund]
    queued_items: _SqlRepository[QueuedItem]
    promotion_redemptions: _SqlRepository[PromotionRedemption]
    cancellation_requests: _SqlRepository[CancellationRequest]

    def __init__(self, engine: sa.Engine, converter: HostbillConverter) -> None:
        self._session = _Session(engine)
        for name, kind in KINDS.items():
            repository = _SqlBillingStates if name == "billing_states" else _SqlRepository
            setattr(self, name, repository(kind, self._session, converter))
        self.invoice_numbers = _SqlNumbers(self._session)

    def __enter__(self) -> Self:
        session = self._session
        session.connection = session.engine.connect()
        session.transaction = session.connection.begin()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        session = self._session
        try:
            if session.transaction is not None and session.transaction.is_active:
                session.transaction.rollback()
        finally:
            if session.connection is not None:
                session.connection.close()
            session.connection = session.transaction = None

    def commit(self) -> None:
        """Commit the transaction and begin the next one (left by ``__exit__``).

        Raises:
            ConflictError: the database refused the commit for a uniqueness conflict.
        """
        session = self._session
        if session.transaction is None:
            raise RuntimeError("use the unit of work inside a 'with' block")
        try:
            session.transaction.commit()
        except IntegrityError as error:
            raise ConflictError("unit of work", "commit", str(error.orig)) from None
        session.transaction = session.conn.begin()

    def rollback(self) -> None:
        """Roll back everything since the last commit."""
        session = self._session
        if session.transaction is not None:
            session.transaction.rollback()
            session.transaction = session.conn.begin()

    @contextlib.contextmanager
    def savepoint(self) -> Iterator[None]:
        """A database ``SAVEPOINT`` (a nested transaction): rolled back if the block raises."""
        with self._session.conn.begin_nested():
            yield
