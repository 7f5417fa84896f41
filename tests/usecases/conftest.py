from collections.abc import Iterator
from pathlib import Path

import pytest

from hostbill_core.adapters.memory import MemoryStore
from hostbill_core.adapters.sqlite import SqliteStore
from hostbill_core.ports import UnitOfWorkFactory

pytest.register_assert_rewrite("tests.usecases.faults")


@pytest.fixture(params=["memory", "sqlite"])
def uow(request: pytest.FixtureRequest) -> UnitOfWorkFactory:
    """A unit-of-work factory over one empty store of each adapter."""
    if request.param == "memory":
        return MemoryStore().unit_of_work
    return SqliteStore(":memory:").unit_of_work


@pytest.fixture(params=["memory", "sqlite"])
def new_uow(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[UnitOfWorkFactory]:
    """Like ``uow``, but the SQLite store is a file, closed when the test ends."""
    if request.param == "memory":
        yield MemoryStore().unit_of_work
        return
    store = SqliteStore(tmp_path / "shop.sqlite")
    yield store.unit_of_work
    store.close()
