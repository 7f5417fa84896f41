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
