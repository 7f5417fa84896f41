"""Partitioned forecasts on a real LocalCluster with two worker processes."""

import os
from collections.abc import Iterator
from datetime import date
from fractions import Fraction
from pathlib import Path

import attrs
import numpy as np
import pytest

distributed = pytest.importorskip("distributed")

from hostbill_core.adapters.sql import SqlStore  # noqa: E402
from hostbill_core.batch import forecast, prorate, synthetic_frame  # noqa: E402
from hostbill_core.batch.dask import (  # noqa: E402
    ClientRange,
    GeneratedPartition,
    StorePartition,
    forecast_partitions,
    generated_partitions,
    run_billing_partitioned,
    what_if_price_change,
)
from hostbill_core.errors import ValidationError  # noqa: E402
from hostbill_core.simulation.example_shop import seed  # noqa: E402
from hostbill_core.usecases import BillingSettings  # noqa: E402

START = date(2026, 1, 1)


@pytest.fixture(scope="module")
def client() -> Iterator[object]:
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as connected,
    ):
        yield connected


def test_partitions_cover_the_total() -> None:
    parts = generated_partitions(total=2_500, size=1_000, seed=3)
    assert [(p.seed, p.size) for p in parts] == [(3, 1000), (4, 1000), (5, 500)]
    with pytest.raises(ValidationError):
        generated_partitions(10, 0)


def test_cluster_equals_one_process_equals_one_frame(client: object) -> None:
    parts = generated_partitions(total=30_000, size=10_000, seed=11)
    on_cluster = forecast_partitions(client, parts, START, months=12)
    here = forecast_partitions(None, parts, START, months=12)
    assert on_cluster.currencies == here.currencies
    assert np.array_equal(on_cluster.totals, here.totals)
    assert np.array_equal(on_cluster.renewals, here.renewals)
    # the same services in frames forecast one by one and summed by hand
    by_hand = sum(
        forecast(synthetic_frame(p.size, seed=p.seed, start=START), START, 12).totals for p in parts
    )
    assert np.array_equal(here.totals, by_hand)


def test_what_if_price_rise(client: object) -> None:
    parts = (GeneratedPartition(1, 5_000), GeneratedPartition(2, 5_000))
    result = what_if_price_change(client, parts, START, 6, Fraction(11, 10))
    baseline = changed = None
    for p in parts:
        frame = synthetic_frame(p.size, seed=p.seed, start=START)
        # every price rounded half-up once: p × 11 / 10, e.g. 499 → 548.9 → 549
        risen = attrs.evolve(frame, price=prorate(frame.price, 11, 10))
        base, new = forecast(frame, START, 6), forecast(risen, START, 6)
        baseline = base if baseline is None else baseline.merge(base)
        changed = new if changed is None else changed.merge(new)
    assert baseline is not None
    assert changed is not None
    assert np.array_equal(result.baseline.totals, baseline.totals)
    assert np.array_equal(result.changed.totals, changed.totals)
    assert (result.difference >= 0).all()
    assert (result.difference > 0).any()
    with pytest.raises(ValidationError):
        what_if_price_change(None, parts, START, 6, Fraction(-1))


def test_store_partitions_read_their_clients(tmp_path: Path, client: object) -> None:
    url = f"sqlite:///{tmp_path / 'shop.sqlite'}"
    store = SqlStore(url)
    seed(store.unit_of_work)
    store.close()
    whole = forecast_partitions(None, [StorePartition(url, "", "~")], START, 24)
    halves = [StorePartition(url, "", "b"), StorePartition(url, "b", "~")]
    assert np.array_equal(forecast_partitions(client, halves, START, 24).totals, whole.totals)
    # acme (USD) is in the first half: its monthly hosting is 4.99 every month
    first = forecast_partitions(None, halves[:1], START, 24)
    assert first.amount(date(2026, 3, 1), "USD").amount >= 4


def _shop(tmp_path: Path, name: str) -> str:
    url = f"sqlite:///{tmp_path / name}"
    store = SqlStore(url)
    seed(store.unit_of_work)
    store.close()
    return url


RUN_DAY = date(2026, 3, 20)
HALVES = (("", "b"), ("b", "~"))


def _ranges(url: str) -> list[ClientRange]:
    return [ClientRange(url, first, last) for first, last in HALVES]


def test_partitioned_billing_run_equals_one_process(tmp_path: Path, client: object) -> None:
    alone = run_billing_partitioned(
        None, [ClientRange(_shop(tmp_path, "a.db"), "", "~")], RUN_DAY, BillingSettings()
    )
    url = _shop(tmp_path, "b.db")
    spread = run_billing_partitioned(client, _ranges(url), RUN_DAY, BillingSettings())
    assert spread == alone
    assert spread.invoices > 0
    assert spread.failures == ()
    again = run_billing_partitioned(client, _ranges(url), RUN_DAY, BillingSettings())
    assert (again.invoices, again.actions) == (0, 0)  # a rerun creates nothing


def _bill_one_client_then_die(url: str) -> None:
    from hostbill_core.usecases import run_billing

    store = SqlStore(url)
    run_billing(store.unit_of_work, RUN_DAY, BillingSettings(), clients=["acme"])
    os._exit(1)  # the worker dies mid-task, after committing one client


def test_a_killed_worker_then_a_rerun_duplicates_nothing(tmp_path: Path, client: object) -> None:
    expected = run_billing_partitioned(
        None, [ClientRange(_shop(tmp_path, "a.db"), "", "~")], RUN_DAY, BillingSettings()
    )
    url = _shop(tmp_path, "b.db")
    doomed = client.submit(_bill_one_client_then_die, url, pure=False)  # type: ignore[attr-defined]
    with pytest.raises(Exception):  # noqa: B017, PT011 - KilledWorker or CommClosedError
        doomed.result(timeout=120)
    rerun = run_billing_partitioned(client, _ranges(url), RUN_DAY, BillingSettings())
    assert rerun.invoices < expected.invoices  # acme was billed before the worker died
    store = SqlStore(url)
    with store.unit_of_work() as uow:
        invoices = uow.invoices.list()
    assert len(invoices) == expected.invoices  # every invoice exactly once
