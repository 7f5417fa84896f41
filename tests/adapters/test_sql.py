"""The server-database adapter: the contract suite on SQLite through SQLAlchemy always, on a
real PostgreSQL server when ``HOSTBILL_TEST_POSTGRES_URL`` is set (``.ci/run`` starts one), and
on MySQL/MariaDB when ``HOSTBILL_TEST_MYSQL_URL`` is set."""

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
MYSQL_URL = os.environ.get("HOSTBILL_TEST_MYSQL_URL")
needs_postgres = pytest.mark.skipif(
    POSTGRES_URL is None, reason="set HOSTBILL_TEST_POSTGRES_URL (bash .ci/run starts a server)"
)
SERVERS = [
    pytest.param(POSTGRES_URL, id="postgres", marks=needs_postgres),
    pytest.param(
        MYSQL_URL,
        id="mysql",
        marks=pytest.mark.skipif(MYSQL_URL is None, reason="set HOSTBILL_TEST_MYSQL_URL"),
    ),
]


def empty_database(url: str) -> None:
    """Drop every table, so the next SqlStore starts from an empty schema."""
    engine = sa.create_engine(url)
    metadata = sa.MetaData()
    metadata.reflect(engine)
    metadata.drop_all(engine)
    engine.dispose()


@pytest.fixture(params=SERVERS)
def server(request: pytest.FixtureRequest) -> str:
    url: str = request.param
    empty_database(url)
    return url


class TestSqlOnSqlite(UnitOfWorkContract):
    @pytest.fixture
    def new_uow(self, tmp_path: Path) -> UnitOfWorkFactory:
        return SqlStore(f"sqlite:///{tmp_path / 'shop.sqlite'}").unit_of_work


class TestSqlOnServers(UnitOfWorkContract):
    @pytest.fixture
    def new_uow(self, server: str) -> Iterator[UnitOfWorkFactory]:
        store = SqlStore(server)
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


def test_two_processes_number_invoices_without_gap_or_repeat(server: str) -> None:
    SqlStore(server).close()
    results = _run(_take_numbers, [(server, 40), (server, 40)])
    numbers = sorted(n for taken in results for n in taken)  # type: ignore[attr-defined]
    # each process commits 32 of its 40 units of work
    assert numbers == list(range(1, 65))


def test_two_processes_cannot_invoice_the_same_item_twice(server: str) -> None:
    SqlStore(server).close()
    results = _run(_add_invoice, [(server, "invoice-a"), (server, "invoice-b")])
    assert sorted(results) == ["added", "conflict"]  # type: ignore[type-var]
    with SqlStore(server).unit_of_work() as uow:
        assert len(uow.invoices.list()) == 1


def test_money_is_stored_as_numeric(server: str) -> None:
    store = SqlStore(server)
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
    assert kind in ("numeric", "decimal")  # PostgreSQL, MySQL
    assert str(total) == "10.000000000000"


def test_a_process_killed_mid_unit_of_work_leaves_nothing(server: str) -> None:
    SqlStore(server).close()
    assert _run(_die_mid_unit_of_work, [(server,)]) == ["dying"]
    with SqlStore(server).unit_of_work() as uow:
        assert uow.invoices.list() == ()
        assert uow.invoice_numbers.peek("INV") == 1


def _run_billing_day(url: str, queue: "multiprocessing.Queue[tuple[int, int]]") -> None:
    from datetime import date

    from hostbill_core.usecases import BillingSettings, run_billing

    store = SqlStore(url)
    report = run_billing(store.unit_of_work, date(2026, 3, 20), BillingSettings())
    failed = sum(1 for run in report.clients if run.failure is not None)
    store.close()
    queue.put((len(report.invoices), failed))


def test_two_processes_billing_the_same_day_create_each_invoice_once(server: str) -> None:
    from hostbill_core.simulation.example_shop import seed

    store = SqlStore(server)
    seed(store.unit_of_work)
    results = _run(_run_billing_day, [(server,), (server,)])
    with store.unit_of_work() as uow:
        invoices = uow.invoices.list()
    store.close()
    issued = sum(n for n, _ in results)  # type: ignore[misc]
    # every invoice was issued by exactly one of the two processes; the other found its keys
    # taken (a conflict reported for that client) or found nothing left to do
    assert issued == len(invoices) > 0
    numbers = sorted(int(i.number.rsplit("-", 1)[-1]) for i in invoices if i.number)
    assert numbers == list(range(1, len(numbers) + 1))  # no gap, no repeat
