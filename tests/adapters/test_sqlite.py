import sqlite3
from datetime import date
from pathlib import Path

import attrs
import pytest

from hostbill_core.adapters import sqlite as sqlite_adapter
from hostbill_core.adapters import sqlite_schema
from hostbill_core.adapters.sqlite import SCHEMA_VERSION, SqliteStore
from hostbill_core.errors import ConfigurationError, ConflictError
from hostbill_core.testing.contract import sample_client


def test_opening_twice_migrates_once(tmp_path: Path) -> None:
    path = tmp_path / "shop.sqlite"
    SqliteStore(path).close()
    store = SqliteStore(path)
    rows = store._connection.execute("SELECT COUNT(*) FROM schema_version").fetchone()[0]
    assert (store.schema_version(), rows) == (SCHEMA_VERSION, SCHEMA_VERSION)


def test_data_survives_reopening(tmp_path: Path) -> None:
    path = tmp_path / "shop.sqlite"
    store = SqliteStore(path)
    with store.unit_of_work() as uow:
        uow.clients.add(sample_client())
        uow.commit()
    store.close()
    with SqliteStore(path).unit_of_work() as uow:
        assert uow.clients.get("client-1").version == 1


def test_wal_journal_for_files(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "shop.sqlite")
    mode = store._connection.execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "shop.sqlite"
    SqliteStore(path).close()
    with sqlite3.connect(path) as db:
        db.execute("INSERT INTO schema_version (version) VALUES (?)", (SCHEMA_VERSION + 1,))
    with pytest.raises(ConfigurationError) as caught:
        SqliteStore(path)
    assert caught.value.setting == "schema_version"


def _version_1_file(path: Path) -> None:
    """A file of schema version 1 holding a few aggregates (and a billing state's mark).

    The rows are written by today's code into a store in memory and copied, column for
    column, into a file made by the version 1 DDL: version 1 had no ``mark`` column.
    """
    from hostbill_core.model import BillingState
    from hostbill_core.testing.contract import sample_invoice, sample_service

    source = SqliteStore(":memory:")
    with source.unit_of_work() as uow:
        uow.clients.add(sample_client())
        uow.services.save(uow.services.add(sample_service()))
        uow.invoices.add(sample_invoice())
        uow.billing_states.add(BillingState("client-1", "client-1", checked="fp/a/b/c"))
        uow.invoice_numbers.next("INV")
        uow.commit()
    columns = "kind, id, client_id, due, amount, currency, version, data"
    tables = {
        "aggregates": source._connection.execute(f"SELECT {columns} FROM aggregates").fetchall(),
        "natural_keys": source._connection.execute("SELECT * FROM natural_keys").fetchall(),
        "counters": source._connection.execute("SELECT * FROM counters").fetchall(),
    }
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sqlite_schema, "MIGRATIONS", sqlite_schema.MIGRATIONS[:1])
        SqliteStore(path).close()
    with sqlite3.connect(path) as db:
        db.executemany(f"INSERT INTO aggregates ({columns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                       tables["aggregates"])  # fmt: skip
        db.executemany("INSERT INTO natural_keys VALUES (?, ?, ?)", tables["natural_keys"])
        db.executemany("INSERT INTO counters VALUES (?, ?)", tables["counters"])
        assert db.execute("SELECT MAX(version) FROM schema_version").fetchone()[0] == 1


def test_a_version_1_file_migrates_with_its_data(tmp_path: Path) -> None:
    from hostbill_core.testing.contract import sample_invoice

    path = tmp_path / "shop.sqlite"
    _version_1_file(path)
    store = SqliteStore(path)
    assert store.schema_version() == SCHEMA_VERSION
    ddl = store._connection.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'aggregates'"
    ).fetchone()[0]
    assert "WITHOUT ROWID" not in ddl
    with store.unit_of_work() as uow:
        assert uow.clients.get("client-1").version == 1
        assert [s.version for s in uow.services.list(due_by=date(2026, 2, 28))] == [2]
        assert uow.services.client_ids(due_by=date(2026, 2, 28)) == ("client-1",)
        assert uow.invoices.owner_of_key("service-1/2026-02-28/renewal") == "invoice-1"
        assert uow.invoice_numbers.next("INV") == 2
        with pytest.raises(ConflictError, match="exists"):
            uow.invoices.add(sample_invoice())
        assert uow.services.versions(["client-1"]) == {"client-1": (("service-1", 2),)}
        assert uow.billing_states.marks(["client-1"]) == {"client-1": ("fp/a/b/c", 1)}


@pytest.mark.parametrize(
    ("sql", "params"),
    [
        (
            "SELECT client_id, id, version FROM aggregates INDEXED BY aggregates_by_client "
            "WHERE kind = ? AND client_id IN (?, ?) ORDER BY client_id, id",
            ("service", "c1", "c2"),
        ),
        (
            "SELECT client_id, version, mark FROM aggregates INDEXED BY aggregates_by_client "
            "WHERE kind = ? AND client_id IN (?, ?) ORDER BY client_id, id",
            ("billing_state", "c1", "c2"),
        ),
        (
            "SELECT DISTINCT client_id FROM aggregates WHERE kind = ? AND client_id IS NOT NULL"
            " AND client_id > ? AND due IS NOT NULL AND due <= ? ORDER BY client_id LIMIT ?",
            ("service", "c1", "2026-03-01", 500),
        ),
    ],
    ids=["versions", "marks", "client_ids"],
)
def test_versions_marks_and_client_pages_are_read_from_the_by_client_index_alone(
    sql: str, params: tuple[object, ...]
) -> None:
    # Schema 3: the index holds (kind, client_id, id, version, due, mark): no row is visited.
    store = SqliteStore(":memory:")
    plan = store._connection.execute(f"EXPLAIN QUERY PLAN {sql}", params).fetchall()
    assert any("COVERING INDEX aggregates_by_client" in row[-1] for row in plan), plan


def test_duplicate_natural_key_leaves_the_transaction_usable() -> None:
    from hostbill_core.testing.contract import sample_invoice

    store = SqliteStore(":memory:")
    with store.unit_of_work() as uow:
        uow.invoices.add(sample_invoice())
        with pytest.raises(Exception, match="natural key"):
            uow.invoices.add(sample_invoice("invoice-2"))
        uow.clients.add(sample_client())
        uow.commit()
    with store.unit_of_work() as uow:
        assert [i.id for i in uow.invoices.list()] == ["invoice-1"]
        assert uow.clients.find("client-1") is not None


def test_amount_column_is_exact_text() -> None:
    from hostbill_core.testing.contract import sample_invoice

    store = SqliteStore(":memory:")
    with store.unit_of_work() as uow:
        uow.invoices.add(sample_invoice())
        uow.commit()
    row = store._connection.execute("SELECT amount, currency, due FROM aggregates").fetchone()
    assert row == ("10.00", "EUR", "2026-02-28")


@pytest.mark.parametrize("returning", [True, False])
def test_invoice_numbers_with_and_without_insert_returning(
    monkeypatch: pytest.MonkeyPatch, returning: bool
) -> None:
    # SQLite before 3.35 has no INSERT … RETURNING: numbers are read, then written.
    monkeypatch.setattr(sqlite_adapter, "_RETURNING", returning)
    store = SqliteStore(":memory:")
    with store.unit_of_work() as uow:
        assert [uow.invoice_numbers.next("INV") for _ in range(3)] == [1, 2, 3]
        assert uow.invoice_numbers.next("PRO") == 1
        uow.commit()
    with store.unit_of_work() as uow:
        assert uow.invoice_numbers.next("INV") == 4
        assert uow.invoice_numbers.peek("PRO") == 2


def test_a_write_copies_the_aggregate_at_its_new_version() -> None:
    # The adapter copies the fields instead of attrs.evolve: the copy equals the evolved one.
    store = SqliteStore(":memory:")
    client = sample_client()
    with store.unit_of_work() as uow:
        added = uow.clients.add(client)
        saved = uow.clients.save(attrs.evolve(added, language="de"))
    assert added == attrs.evolve(client, version=1)
    assert saved == attrs.evolve(client, language="de", version=2)
