"""The contract suite on every adapter we ship."""

from pathlib import Path

import pytest

from hostbill_core.adapters.memory import MemoryStore
from hostbill_core.adapters.sqlite import SqliteStore
from hostbill_core.ports import UnitOfWork, UnitOfWorkFactory
from hostbill_core.testing.contract import UnitOfWorkContract


class TestMemoryAdapter(UnitOfWorkContract):
    @pytest.fixture
    def new_uow(self) -> UnitOfWorkFactory:
        return MemoryStore().unit_of_work


class TestSqliteInMemory(UnitOfWorkContract):
    @pytest.fixture
    def new_uow(self) -> UnitOfWorkFactory:
        return SqliteStore(":memory:").unit_of_work


class TestSqliteFile(UnitOfWorkContract):
    @pytest.fixture
    def new_uow(self, tmp_path: Path) -> UnitOfWorkFactory:
        return SqliteStore(tmp_path / "shop.sqlite").unit_of_work


def test_adapters_satisfy_the_protocol() -> None:
    # mypy checks these assignments against the UnitOfWork protocol.
    memory: UnitOfWork = MemoryStore().unit_of_work()
    sqlite: UnitOfWork = SqliteStore(":memory:").unit_of_work()
    assert memory.invoice_numbers.peek("X") == sqlite.invoice_numbers.peek("X") == 1
