"""The bundled example shop's records in a store, without running any day of it.

For code that needs a stocked store (a benchmark, a partitioned forecast) rather than a
simulated history: :func:`seed` stores the catalogue, clients and services of
``example_shop.toml`` (what ``hostbill-core simulate`` runs when given no scenario).

>>> from hostbill_core.adapters.memory import MemoryStore
>>> store = MemoryStore()
>>> seed(store.unit_of_work), seed(store.unit_of_work)
(SeedReport(added=66, existing=0), SeedReport(added=0, existing=66))
"""

from __future__ import annotations

from hostbill_core.ports import UnitOfWorkFactory
from hostbill_core.simulation import bundled_example
from hostbill_core.simulation import seed as stock

__all__ = ["SeedReport", "seed"]

SeedReport = stock.SeedReport


def seed(new_uow: UnitOfWorkFactory) -> SeedReport:
    """Store the example shop's records that are not stored yet; a second call adds nothing."""
    return stock.seed(new_uow, bundled_example())
