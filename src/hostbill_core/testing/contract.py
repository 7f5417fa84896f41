"""The contract every storage adapter must pass: subclass it in your own tests.

>>> # tests/test_my_adapter.py
>>> import pytest
>>> from hostbill_core.testing.contract import UnitOfWorkContract
>>> class TestMyAdapter(UnitOfWorkContract):
...     @pytest.fixture
...     def new_uow(self):
...         from hostbill_core.adapters.memory import MemoryStore
...         return MemoryStore().unit_of_work  # a factory of units of work on one empty store

The same tests run unchanged on the memory and SQLite adapters shipped here. They check
versions (a stale save is refused), natural keys (a billable item is invoiced once, a service
sits in one group), atomicity (an exception or a missing commit leaves storage as it was),
gap-free invoice numbers, batch reads by client (aggregates, versions and the billing
states' marks), and savepoints.
They are written by subject in ``contract_records`` (storing, listing, batch reads),
``contract_keys`` (natural keys) and ``contract_transactions`` (atomicity, numbers,
savepoints), over the fixture and samples of ``contract_base``; this module joins them.
"""

from __future__ import annotations

from hostbill_core.testing.contract_base import sample_client, sample_invoice, sample_service
from hostbill_core.testing.contract_keys import NaturalKeysContract
from hostbill_core.testing.contract_records import RecordsContract
from hostbill_core.testing.contract_transactions import TransactionsContract

__all__ = ["UnitOfWorkContract", "sample_client", "sample_invoice", "sample_service"]


class UnitOfWorkContract(RecordsContract, NaturalKeysContract, TransactionsContract):
    """Tests any :class:`~hostbill_core.ports.UnitOfWork` must pass.

    Subclass it as ``TestSomething`` and provide a ``new_uow`` fixture returning a
    :data:`~hostbill_core.ports.UnitOfWorkFactory` over one fresh, empty store (the
    inherited one raises until it is overridden).
    """
