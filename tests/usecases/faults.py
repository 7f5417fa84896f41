"""A fuse that fails a use case at its k-th write, and the check built on it.

:func:`assert_every_write_is_atomic` first runs a use case with a counting fuse to learn how
many writes it makes; then, on a fresh shop for every k, it runs it with a fuse that blows at
the k-th write, and compares storage with its state before.
"""

from collections.abc import Callable
from typing import Any

import pytest

from hostbill_core.adapters.memory import MemoryStore
from hostbill_core.adapters.sqlite import SqliteStore

from .shop import REPOSITORIES

STORES = {"memory": MemoryStore, "sqlite": lambda: SqliteStore(":memory:")}


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


def fused(factory, fuse: Fuse):
    return lambda: FusedUnitOfWork(factory(), fuse)


def assert_every_write_is_atomic(
    new_shop: Callable[[], Any],
    use_case: Callable[[Any], object],
    snapshot: Callable[[Any], object],
) -> None:
    """Fail `use_case` at each of its writes in turn, on a fresh `new_shop()` each time."""
    counter = Fuse(float("inf"))
    use_case(fused(new_shop(), counter))
    assert counter.count >= 2  # the use case does real work to interrupt
    for k in range(counter.count):
        factory = new_shop()
        before = snapshot(factory)
        with pytest.raises(BlownError):
            use_case(fused(factory, Fuse(k)))
        assert snapshot(factory) == before, f"storage changed after a failure at write {k}"
