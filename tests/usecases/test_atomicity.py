"""A failure at any write of a lifecycle use case leaves storage exactly as it was.

Each use case goes through :func:`~tests.usecases.faults.assert_every_write_is_atomic`: run
once to count its writes, then, on a fresh store for every k, with a fuse that blows at the
k-th write, and the store is compared with its state before.
"""

from datetime import date
from decimal import Decimal

import pytest

from hostbill_core.money import ExchangeRate
from hostbill_core.usecases.client_anonymise import AnonymiseRequest, anonymise_client
from hostbill_core.usecases.client_merge import MergeRequest, merge_clients
from hostbill_core.usecases.client_status import StatusRequest, close_client, soft_delete_client

from .faults import STORES, assert_every_write_is_atomic
from .shop import AT, STAFF, seed, snapshot

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


def seeded(store_kind: str):
    factory = STORES[store_kind]().unit_of_work
    seed(factory, ("c1", "EUR"), ("c2", "EUR"), ("c3", "USD"))
    return factory


@pytest.mark.parametrize("store_kind", sorted(STORES))
@pytest.mark.parametrize("case", sorted(CASES))
def test_a_failure_at_any_write_leaves_storage_unchanged(store_kind, case):
    assert_every_write_is_atomic(lambda: seeded(store_kind), CASES[case], snapshot)
