"""An exception at any point of one client's unit of work: that client unchanged, others billed.

The run is first made with a counting fuse to learn how many repository calls client c2's unit
of work makes (reads, writes, invoice numbers, the commit). Then, on a fresh store for every k,
the fuse blows at c2's k-th call: c2 is reported failed with the error, and storage equals that
of a run over c1 and c3 alone (invoice numbers included: c2's are given back). A rerun picks c2
up.
"""

from datetime import UTC, date, datetime

import pytest

from hostbill_core.adapters.memory import MemoryStore
from hostbill_core.adapters.sqlite import SqliteStore
from hostbill_core.money import to_money
from hostbill_core.renewal import ExpiryAction, ExpiryStep, RenewalSequence
from hostbill_core.usecases.add_credit import AddCredit, add_credit
from hostbill_core.usecases.billing_run import run_billing
from hostbill_core.usecases.billing_settings import BillingSettings

from .billing_shop import client, seed, service, snapshot

STORES = {"memory": MemoryStore, "sqlite": lambda: SqliteStore(":memory:")}
DAY = date(2026, 3, 10)
SETTINGS = BillingSettings(
    sequence=RenewalSequence(
        steps=(
            ExpiryStep(0, (ExpiryAction.SEND_TEMPLATE,), ("overdue",)),
            ExpiryStep(7, (ExpiryAction.DISABLE, ExpiryAction.LOCKOUT)),
        )
    )
)


class BlownError(Exception):
    pass


class Fuse:
    def __init__(self, calls: float) -> None:
        self.left, self.count = calls, 0

    def burn(self) -> None:
        if self.left <= 0:
            raise BlownError("injected")
        self.left -= 1
        self.count += 1


class Watched:
    """Any attribute call of ``inner`` burns the fuse once the unit of work is armed."""

    def __init__(self, inner, uow) -> None:
        self._inner, self._uow = inner, uow

    def __getattr__(self, name):
        attribute = getattr(self._inner, name)
        if not callable(attribute):
            return attribute

        def call(*args, **kwargs):
            if name == "get" and args[:1] == ("c2",) and self is self._uow.clients:
                self._uow.armed = True
            if self._uow.armed:
                self._uow.fuse.burn()
            return attribute(*args, **kwargs)

        return call


class FusedUnitOfWork:
    def __init__(self, inner, fuse: Fuse) -> None:
        self._inner, self.fuse, self.armed = inner, fuse, False
        self._wrapped = {}

    def __getattr__(self, name):
        attribute = getattr(self._inner, name)
        if name in ("commit",):
            return Watched(self._inner, self).__getattr__(name)
        if hasattr(attribute, "list") or name == "invoice_numbers":
            return self._wrapped.setdefault(name, Watched(attribute, self))
        return attribute

    def __enter__(self):
        self._inner.__enter__()
        return self

    def __exit__(self, *exc_info):
        return self._inner.__exit__(*exc_info)


def shop(kind: str):
    factory = STORES[kind]().unit_of_work
    anchor, due = date(2026, 1, 31), date(2026, 2, 28)
    seed(
        factory,
        [client("c1"), client("c2"), client("c3", "JPY")],
        [
            service("s1", "c1", anchor, due),
            service("s2", "c2", anchor, due),
            service("s3", "c2", date(2026, 1, 20), date(2026, 3, 20)),
            service("s4", "c3", date(2026, 1, 15), date(2026, 2, 15)),
        ],
    )
    at = datetime(2026, 1, 1, tzinfo=UTC)
    add_credit(factory, AddCredit("c2", to_money("4.00", "USD"), "e-c2", at))
    return factory


def fused(factory, fuse: Fuse):
    return lambda: FusedUnitOfWork(factory(), fuse)


@pytest.mark.parametrize("kind", sorted(STORES))
def test_a_failure_anywhere_in_one_client_leaves_it_unchanged_and_bills_the_others(kind):
    counter = Fuse(float("inf"))
    full = run_billing(fused(shop(kind), counter), DAY, SETTINGS)
    assert not full.failures
    assert counter.count >= 10  # c2's unit of work does real work to interrupt
    reference = shop(kind)
    without_c2 = run_billing(reference, DAY, SETTINGS, clients=["c1", "c3"])
    expected = snapshot(reference)
    for k in range(counter.count):
        factory = shop(kind)
        report = run_billing(fused(factory, Fuse(k)), DAY, SETTINGS)
        (failed,) = report.failures
        assert (failed.client_id, failed.failure.error_type) == ("c2", "BlownError")
        assert snapshot(factory) == expected, f"storage differs after a failure at call {k}"
        assert [r for r in report.clients if r.client_id != "c2"] == list(without_c2.clients)
    rerun = run_billing(factory, DAY, SETTINGS)
    assert [r.client_id for r in rerun.clients] == ["c2"]
    assert rerun.clients[0].invoices
    assert not rerun.failures
