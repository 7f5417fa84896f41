"""A failure at any write of a lifecycle use case leaves storage exactly as it was.

Each use case is first run to count its writes; then, on a fresh store for every k, it runs
with a fuse that blows at the k-th write, and the store is compared with its state before.
"""

from datetime import date
from decimal import Decimal

import pytest

from hostbill_core.adapters.memory import MemoryStore
from hostbill_core.adapters.sqlite import SqliteStore
from hostbill_core.money import ExchangeRate
from hostbill_core.usecases.client_anonymise import AnonymiseRequest, anonymise_client
from hostbill_core.usecases.client_merge import MergeRequest, merge_clients
from hostbill_core.usecases.client_status import StatusRequest, close_client, soft_delete_client

from .shop import AT, REPOSITORIES, STAFF, seed, snapshot

STORES = {"memory": MemoryStore, "sqlite": lambda: SqliteStore(":memory:")}
USD_EUR = ExchangeRate("USD", "EUR", Decimal("0.9"), date(2026, 3, 10))
CASES = {
    "merge": lambda uow: merge_clients(MergeRequest(STAFF, "c1", "c2", AT), uow),
    "merge converting": lambda uow: merge_clients(
        MergeRequest(STAFF, "c3", "c1", AT, USD_EUR), uow
    ),
    "anonymise": lambda uow: anonymise_client(AnonymiseRequest(STAFF, "c1", AT), uow),
    "close": lambda uow: close_client(StatusRequest(STAFF, "c1", AT), uow),
    "soft delete": lambda uow: soft_delete_client(StatusRequest(STAFF, "c1", AT), uow),
}


class BlownError(Exception):
    pass


class Fuse:
    """Lets ``writes`` writes through, then raises on the next; counts what went through."""

    def __init__(self, writes: float) -> None:
        self.left = writes
        self.count = 0

    def burn(self) -> None:
        if self.left <= 0:
            raise BlownError
        self.left -= 1
        self.count += 1


class FusedRepository:
    def __init__(self, inner, fuse: Fuse) -> None:
        self._inner, self._fuse = inner, fuse

    def __getattr__(self, name):
        attribute = getattr(self._inner, name)
        if name not in ("add", "save", "remove"):
            return attribute

        def write(*args):
            self._fuse.burn()
            return attribute(*args)

        return write


class FusedUnitOfWork:
    def __init__(self, inner, fuse: Fuse) -> None:
        self._inner, self._fuse = inner, fuse

    def __getattr__(self, name):
        attribute = getattr(self._inner, name)
        return FusedRepository(attribute, self._fuse) if name in REPOSITORIES else attribute

    def __enter__(self):
        self._inner.__enter__()
        return self

    def __exit__(self, *exc_info):
        return self._inner.__exit__(*exc_info)


def seeded(store_kind: str):
    factory = STORES[store_kind]().unit_of_work
    seed(factory, ("c1", "EUR"), ("c2", "EUR"), ("c3", "USD"))
    return factory


def fused(factory, fuse: Fuse):
    return lambda: FusedUnitOfWork(factory(), fuse)


@pytest.mark.parametrize("store_kind", sorted(STORES))
@pytest.mark.parametrize("case", sorted(CASES))
def test_a_failure_at_any_write_leaves_storage_unchanged(store_kind, case):
    counter = Fuse(float("inf"))
    CASES[case](fused(seeded(store_kind), counter))
    assert counter.count >= 2  # the use case does real work to interrupt
    for k in range(counter.count):
        factory = seeded(store_kind)
        before = snapshot(factory)
        with pytest.raises(BlownError):
            CASES[case](fused(factory, Fuse(k)))
        assert snapshot(factory) == before, f"storage changed after a failure at write {k}"
