"""Failures inside a billing run: the failing client unchanged, the others billed.

The run bills several clients per transaction, each inside a savepoint. A counting fuse first
learns how many calls the run makes on its units of work (batch reads, repository calls,
invoice numbers, savepoints entered and released, commits). Then, on a fresh store for every
k, the fuse blows once, at the k-th call: wherever that is, the clients reported failed are
exactly those left unchanged, and storage equals a run over the other clients alone (invoice
numbers included: a failed client's are given back). A failure of the batch itself (its read
or its commit) bills every client again on its own, so no client is lost. A rerun picks the
failed clients up. Both adapters; batches of two clients, so some calls fall in a second
batch.

A process killed in the middle of a run (``os._exit`` from inside a unit of work, no cleanup)
leaves the SQLite file as some number of whole batches left it: no client half-written.
"""

import contextlib
import multiprocessing
import os
from datetime import UTC, date, datetime

import attrs
import pytest

from hostbill_core.adapters.memory import MemoryStore
from hostbill_core.adapters.sqlite import SqliteStore
from hostbill_core.money import to_money
from hostbill_core.renewal import ExpiryAction, ExpiryStep, RenewalSequence
from hostbill_core.usecases import billing_run
from hostbill_core.usecases.add_credit import AddCredit, add_credit
from hostbill_core.usecases.billing_run import run_billing
from hostbill_core.usecases.billing_settings import BillingSettings

from .billing_shop import client, seed, service, snapshot

STORES = {"memory": MemoryStore, "sqlite": lambda: SqliteStore(":memory:")}
DAY = date(2026, 3, 10)
CLIENTS = ("c1", "c2", "c3")
SETTINGS = BillingSettings(
    sequence=RenewalSequence(
        steps=(
            ExpiryStep(0, (ExpiryAction.SEND_TEMPLATE,), ("overdue",)),
            ExpiryStep(7, (ExpiryAction.DISABLE, ExpiryAction.LOCKOUT)),
        )
    )
)


@pytest.fixture(autouse=True)
def two_clients_per_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(billing_run, "BATCH_SIZE", 2)


class BlownError(Exception):
    pass


class Fuse:
    """Counts calls; blows (raises ``error``) at the calls whose index is in ``at``."""

    def __init__(self, *at: int, error: type[BaseException] = BlownError) -> None:
        self.at, self.error, self.count = set(at), error, 0

    def burn(self) -> None:
        self.count += 1
        if self.count - 1 in self.at:
            raise self.error("injected")


class Watched:
    """Every method call of ``inner`` burns the fuse first."""

    def __init__(self, inner, fuse: Fuse) -> None:
        self._inner, self._fuse = inner, fuse

    def __getattr__(self, name):
        attribute = getattr(self._inner, name)
        if not callable(attribute):
            return attribute

        def call(*args, **kwargs):
            self._fuse.burn()
            return attribute(*args, **kwargs)

        return call


class FusedUnitOfWork:
    """A unit of work whose repositories, numbers, savepoints and commit burn the fuse."""

    def __init__(self, inner, fuse: Fuse) -> None:
        self._inner, self._fuse = inner, fuse

    def __getattr__(self, name):
        attribute = getattr(self._inner, name)
        if name == "commit":
            return Watched(self._inner, self._fuse).__getattr__(name)
        if hasattr(attribute, "list") or name == "invoice_numbers":
            return Watched(attribute, self._fuse)
        return attribute

    @contextlib.contextmanager
    def savepoint(self):
        self._fuse.burn()
        with self._inner.savepoint():
            yield
            self._fuse.burn()  # a failure just before the savepoint is released

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


class References:
    """Storage and client runs of a clean run over a subset of the clients, by subset."""

    def __init__(self, kind: str) -> None:
        self.kind, self.found = kind, {}

    def of(self, clients: tuple[str, ...]):
        if clients not in self.found:
            factory = shop(self.kind)
            report = run_billing(factory, DAY, SETTINGS, clients=list(clients))
            self.found[clients] = (snapshot(factory), report.clients)
        return self.found[clients]


@pytest.mark.parametrize("kind", sorted(STORES))
def test_a_failure_at_any_call_leaves_the_failed_client_unchanged_and_bills_the_others(kind):
    counter = Fuse()
    full = run_billing(fused(shop(kind), counter), DAY, SETTINGS)
    assert not full.failures
    assert [r.client_id for r in full.clients] == list(CLIENTS)
    assert counter.count >= 30  # reads, writes, numbers, savepoints and commits to interrupt
    references = References(kind)
    failed_somewhere = set()
    outside = 0
    for k in range(counter.count):
        factory = shop(kind)
        try:
            report = run_billing(fused(factory, Fuse(k)), DAY, SETTINGS)
        except BlownError:  # the run's own reads (catalogue, candidates): the caller sees it
            assert snapshot(factory) == references.of(())[0]
            outside += 1
            continue
        failed = {run.client_id for run in report.failures}
        assert all(run.failure.error_type == "BlownError" for run in report.failures)
        assert len(failed) <= 1, f"call {k} failed {failed}"
        failed_somewhere |= failed
        kept = tuple(c for c in CLIENTS if c not in failed)
        expected, runs = references.of(kept)
        assert snapshot(factory) == expected, f"storage differs after a failure at call {k}"
        assert [r for r in report.clients if r.client_id not in failed] == list(runs)
        rerun = run_billing(factory, DAY, SETTINGS)
        assert [r.client_id for r in rerun.clients] == sorted(failed)
        assert not rerun.failures
    assert failed_somewhere == set(CLIENTS)  # a call of every client's work was interrupted
    assert outside == 3  # products, plans, candidate ids


@pytest.mark.parametrize("kind", sorted(STORES))
def test_a_batch_whose_commit_fails_bills_each_client_again_on_its_own(kind):
    pair = ["c1", "c2"]
    counter = Fuse()
    run_billing(fused(shop(kind), counter), DAY, SETTINGS, clients=pair)
    commit = counter.count - 1  # the batch's commit is its last call
    references = References(kind)
    retried = Fuse(commit)
    report = run_billing(fused(shop(kind), retried), DAY, SETTINGS, clients=pair)
    assert not report.failures
    assert list(report.clients) == list(references.of(("c1", "c2"))[1])
    # Then a second failure, at every call of the clients billed on their own.
    for j in range(1, retried.count - commit):
        factory = shop(kind)
        report = run_billing(fused(factory, Fuse(commit, commit + j)), DAY, SETTINGS, clients=pair)
        failed = {run.client_id for run in report.failures}
        assert len(failed) == 1, f"call {commit + j} failed {failed}"
        kept = tuple(c for c in pair if c not in failed)
        expected, runs = references.of(kept)
        assert snapshot(factory) == expected
        assert [r for r in report.clients if r.client_id not in failed] == list(runs)


@pytest.mark.parametrize("kind", sorted(STORES))
def test_a_dry_run_whose_batch_read_fails_still_reports_the_real_run(kind):
    factory = shop(kind)
    fuse = Fuse(3)  # after products, plans and candidates: the first batch's read
    dry = run_billing(fused(factory, fuse), DAY, SETTINGS, dry_run=True)
    assert fuse.count > 3
    assert not dry.failures
    real = run_billing(factory, DAY, SETTINGS)
    assert dry == attrs.evolve(real, dry_run=True)


def _killed_run(path: str, at: int) -> None:
    store = SqliteStore(path)
    fuse = Fuse(at, error=SystemExit)
    original = fuse.burn

    def burn() -> None:
        try:
            original()
        except SystemExit:
            os._exit(0)  # killed: no rollback, no cleanup, no close

    fuse.burn = burn
    run_billing(fused(store.unit_of_work, fuse), DAY, SETTINGS)


def test_a_process_killed_mid_run_leaves_only_whole_batches(tmp_path):
    reference = References("sqlite")
    # Batches of two: (c1, c2) then (c3). Storage after 0, 1 or 2 committed batches:
    whole = [reference.of(())[0], reference.of(("c1", "c2"))[0], reference.of(CLIENTS)[0]]
    counter = Fuse()
    run_billing(fused(shop("sqlite"), counter), DAY, SETTINGS)
    context = multiprocessing.get_context("fork")
    seen = set()
    for k in range(0, counter.count, 3):
        path = str(tmp_path / f"shop-{k}.sqlite")
        seed_file(path)
        child = context.Process(target=_killed_run, args=(path, k))
        child.start()
        child.join(60)
        assert child.exitcode == 0
        state = snapshot(SqliteStore(path).unit_of_work)
        assert state in whole, f"a kill at call {k} left a batch half-written"
        seen.add(whole.index(state))
    assert seen == {0, 1}  # kills fell in the first batch and in the second


def seed_file(path: str) -> None:
    store = SqliteStore(path)
    anchor, due = date(2026, 1, 31), date(2026, 2, 28)
    seed(
        store.unit_of_work,
        [client("c1"), client("c2"), client("c3", "JPY")],
        [
            service("s1", "c1", anchor, due),
            service("s2", "c2", anchor, due),
            service("s3", "c2", date(2026, 1, 20), date(2026, 3, 20)),
            service("s4", "c3", date(2026, 1, 15), date(2026, 2, 15)),
        ],
    )
    at = datetime(2026, 1, 1, tzinfo=UTC)
    add_credit(store.unit_of_work, AddCredit("c2", to_money("4.00", "USD"), "e-c2", at))
    store.close()
