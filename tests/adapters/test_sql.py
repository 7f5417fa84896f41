"""The server-database adapter: the contract suite on SQLite through SQLAlchemy always, and on
a real PostgreSQL server when ``HOSTBILL_TEST_POSTGRES_URL`` is set (``.ci/run`` starts one)."""

import multiprocessing
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

sa = pytest.importorskip("sqlalchemy")

from hostbill_core.adapters.sql import SCHEMA_VERSION, SqlStore  # noqa: E402
from hostbill_core.errors import ConfigurationError, ConflictError  # noqa: E402
from hostbill_core.ports import UnitOfWorkFactory  # noqa: E402
from hostbill_core.testing.contract import UnitOfWorkContract, sample_invoice  # noqa: E402

POSTGRES_URL = os.environ.get("HOSTBILL_TEST_POSTGRES_URL")
needs_postgres = pytest.mark.skipif(
    POSTGRES_URL is None, reason="set HOSTBILL_TEST_POSTGRES_URL (bash .ci/run starts a server)"
)


def empty_database(url: str) -> None:
    """Drop every table, so the next SqlStore starts from an empty schema."""
    engine = sa.create_engine(url)
    metadata = sa.MetaData()
    metadata.reflect(engine)
    metadata.drop_all(engine)
    engine.dispose()


@pytest.fixture
def postgres() -> str:
    assert POSTGRES_URL is not None
    empty_database(POSTGRES_URL)
    return POSTGRES_URL


class TestSqlOnSqlite(UnitOfWorkContract):
    @pytest.fixture
    def new_uow(self, tmp_path: Path) -> UnitOfWorkFactory:
        return SqlStore(f"sqlite:///{tmp_path / 'shop.sqlite'}").unit_of_work


@needs_postgres
class TestSqlOnPostgres(UnitOfWorkContract):
    @pytest.fixture
    def new_uow(self, postgres: str) -> Iterator[UnitOfWorkFactory]:
        store = SqlStore(postgres)
        yield store.unit_of_work
        store.close()


def test_migration_is_idempotent(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'shop.sqlite'}"
    SqlStore(url).close()
    store = SqlStore(url)
    assert store.schema_version() == SCHEMA_VERSION
    with store.engine.connect() as conn:
        count = conn.execute(sa.text("SELECT COUNT(*) FROM hostbill_schema_version")).scalar()
    assert count == SCHEMA_VERSION


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'shop.sqlite'}"
    store = SqlStore(url)
    with store.engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO hostbill_schema_version VALUES (:v)"), {"v": 99})
    with pytest.raises(ConfigurationError):
        SqlStore(url)


def _take_numbers(url: str, count: int, queue: "multiprocessing.Queue[list[int]]") -> None:
    store = SqlStore(url)
    taken = []
    for i in range(count):
        with store.unit_of_work() as uow:
            number = uow.invoice_numbers.next("INV")
            if i % 5 == 4:
                continue  # rolled back: the number must be given out again
            uow.commit()
            taken.append(number)
    store.close()
    queue.put(taken)


def _add_invoice(url: str, id: str, queue: "multiprocessing.Queue[str]") -> None:
    store = SqlStore(url)
    try:
        with store.unit_of_work() as uow:
            uow.invoices.add(sample_invoice(id))
            uow.commit()
        queue.put("added")
    except ConflictError:
        queue.put("conflict")
    finally:
        store.close()


def _die_mid_unit_of_work(url: str, queue: "multiprocessing.Queue[str]") -> None:
    store = SqlStore(url)
    uow = store.unit_of_work().__enter__()
    uow.invoices.add(sample_invoice())
    uow.invoice_numbers.next("INV")
    queue.put("dying")
    queue.close()
    queue.join_thread()  # the message is sent before the process dies
    os._exit(0)  # killed before commit: no rollback, no cleanup


def _run(target: object, args_list: list[tuple[object, ...]]) -> list[object]:
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    workers = [context.Process(target=target, args=(*a, queue)) for a in args_list]  # type: ignore[arg-type]
    for worker in workers:
        worker.start()
    results = [queue.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)
        assert worker.exitcode == 0
    return results


@needs_postgres
def test_two_processes_number_invoices_without_gap_or_repeat(postgres: str) -> None:
    SqlStore(postgres).close()
    results = _run(_take_numbers, [(postgres, 40), (postgres, 40)])
    numbers = sorted(n for taken in results for n in taken)  # type: ignore[attr-defined]
    # each process commits 32 of its 40 units of work
    assert numbers == list(range(1, 65))


@needs_postgres
def test_two_processes_cannot_invoice_the_same_item_twice(postgres: str) -> None:
    SqlStore(postgres).close()
    results = _run(_add_invoice, [(postgres, "invoice-a"), (postgres, "invoice-b")])
    assert sorted(results) == ["added", "conflict"]  # type: ignore[type-var]
    with SqlStore(postgres).unit_of_work() as uow:
        assert len(uow.invoices.list()) == 1


@needs_postgres
def test_money_is_stored_as_numeric(postgres: str) -> None:
    store = SqlStore(postgres)
    with store.unit_of_work() as uow:
        uow.invoices.add(sample_invoice())
        uow.commit()
    with store.engine.connect() as conn:
        kind = conn.execute(
            sa.text(
                "SELECT data_type FROM information_schema.columns "
                "WHERE table_name = 'hostbill_aggregates' AND column_name = 'amount'"
            )
        ).scalar()
        total = conn.execute(sa.text("SELECT SUM(amount) FROM hostbill_aggregates")).scalar()
    assert kind == "numeric"
    assert str(total) == "10.000000000000"


@needs_postgres
def test_a_process_killed_mid_unit_of_work_leaves_nothing(postgres: str) -> None:
    SqlStore(postgres).close()
    assert _run(_die_mid_unit_of_work, [(postgres,)]) == ["dying"]
    with SqlStore(postgres).unit_of_work() as uow:
        assert uow.invoices.list() == ()
        assert uow.invoice_numbers.peek("INV") == 1
