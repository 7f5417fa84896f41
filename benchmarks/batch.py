"""Benchmark of the columnar batch engine, with ratios measured in the same run.

Run as ``python benchmarks/batch.py`` (``--quick`` for a tenth of the sizes). Prints:

- next due dates for 10,000,000 services: throughput, the ratio to the object API on a
  100,000-service sample (``calendar.next_due_date`` one by one, and the renewal engine's
  list form ``next_due_dates``) and to a numpy int64 lower bound
  (the one-line formula of a fixed-length cycle, ``after + 1 + (anchor − after − 1) mod L``,
  on the same rows in the same chunks: no exact calendar computation can do less);
- proration of 10,000,000 prices by 12/31, ROUND_HALF_UP, in integers, and the ratio to
  ``price × 12 // 31`` (a floor, not a correct rounding) as a plain numpy baseline;
- a 12-month forecast for 1,000,000 services;
- building a frame from 100,000 ``Service`` models and turning it back into models;
- peak traced memory of a streamed forecast at two sizes (flat in N): from generated chunks,
  and from a store through the ports.

numpy's integer kernels do not use BLAS, so OPENBLAS_CORETYPE does not affect these figures.
"""

from __future__ import annotations

import sys
import time
import tracemalloc
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import Any

import numpy as np

from hostbill_core.adapters.memory import MemoryStore
from hostbill_core.batch import (
    ServiceFrame,
    day_number,
    forecast,
    next_due,
    prorate,
    stream_frames,
    synthetic_frame,
)
from hostbill_core.batch.days import month_table
from hostbill_core.batch.due import CHUNK
from hostbill_core.batch.frame import UNITS
from hostbill_core.calendar import BillingCycle, next_due_date
from hostbill_core.model import Service
from hostbill_core.money import RoundingPolicy, from_minor
from hostbill_core.renewal.schedule import next_due_dates

QUICK = "--quick" in sys.argv
SCALE = 10 if QUICK else 1
AFTER = date(2026, 3, 15)


def best_of(runs: int, fn: Callable[[], Any]) -> float:
    """The fastest of ``runs`` timings of ``fn()``, in seconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def lower_bound(anchor: np.ndarray, length: np.ndarray, after: int) -> np.ndarray:
    """The least exact next-due work: one modular step per row, chunked like the engine."""
    out = np.empty(len(anchor), dtype=np.int64)
    for lo in range(0, len(anchor), CHUNK):
        part = slice(lo, lo + CHUNK)
        found = anchor[part] - (after + 1)
        np.remainder(found, length[part], out=found)
        found += after + 1
        out[part] = found
    return out


def object_api_rates(frame: ServiceFrame, sample: int) -> tuple[float, float]:
    """Services per second of the object API on the first ``sample`` rows.

    ``calendar.next_due_date`` one service at a time, and the renewal engine's list form
    ``renewal.schedule.next_due_dates`` (the billing run's fastest object path).
    """
    anchors = [date.fromordinal(int(d) + 719163) for d in frame.anchor[:sample]]
    cycles = []
    for unit, length in zip(frame.cycle_unit[:sample], frame.cycle_length[:sample], strict=True):
        base = (1, 7, 1, 12)[int(unit)]
        cycles.append(BillingCycle(UNITS[int(unit)], int(length) // base))
    services = [
        Service(f"s{i}", "c", "p", "m", cycle, anchor, anchor, price_override=from_minor(1, "USD"))
        for i, (anchor, cycle) in enumerate(zip(anchors, cycles, strict=True))
    ]
    start = time.perf_counter()
    for anchor, cycle in zip(anchors, cycles, strict=True):
        next_due_date(anchor, cycle, AFTER)
    one_by_one = sample / (time.perf_counter() - start)
    listed = sample / best_of(3, lambda: next_due_dates(services, AFTER))
    return one_by_one, listed


def bench_next_due() -> None:
    n = 10_000_000 // SCALE
    start = time.perf_counter()
    frame = synthetic_frame(n, seed=1)
    print(f"generated {n:,} services in {time.perf_counter() - start:.2f} s")
    seconds = best_of(3, lambda: next_due(frame, AFTER))
    anchor = frame.anchor
    bound = best_of(3, lambda: lower_bound(anchor, frame.cycle_length, day_number(AFTER)))
    objects, listed = object_api_rates(frame, 100_000 // SCALE)
    rate = n / seconds
    print(
        f"next_due         {n:>12,} services  {seconds:6.3f} s  {rate / 1e6:7.1f} M/s  "
        f"×{rate / objects:,.0f} calendar.next_due_date ({objects / 1e6:.2f} M/s), "
        f"×{rate / listed:,.0f} renewal next_due_dates ({listed / 1e6:.2f} M/s)  "
        f"{seconds / bound:.2f}× the int64 lower bound ({n / bound / 1e6:.1f} M/s)"
    )


def bench_prorate() -> None:
    n = 10_000_000 // SCALE
    prices = np.random.default_rng(2).integers(-(10**9), 10**9, size=n, dtype=np.int64)
    days = np.random.default_rng(3).integers(0, 32, size=n, dtype=np.int64)
    policy = RoundingPolicy("ROUND_HALF_UP")
    scalar = best_of(3, lambda: prorate(prices, 12, 31, policy))
    column = best_of(3, lambda: prorate(prices, days, 31, policy))
    floor = best_of(3, lambda: prices * 12 // 31)
    print(
        f"prorate 12/31    {n:>12,} prices    {scalar:6.3f} s  {n / scalar / 1e6:7.1f} M/s  "
        f"{scalar / floor:.2f}× numpy's price × 12 // 31 (a floor)"
    )
    print(
        f"prorate days/31  {n:>12,} prices    {column:6.3f} s  {n / column / 1e6:7.1f} M/s  "
        "(one numerator per row)"
    )


def bench_forecast() -> None:
    n = 1_000_000 // SCALE
    frame = synthetic_frame(n, seed=4)
    seconds = best_of(3, lambda: forecast(frame, date(2026, 1, 1), 12))
    print(f"forecast 12 mo   {n:>12,} services  {seconds:6.3f} s  {n / seconds / 1e6:7.1f} M/s")


def chunks(n: int, size: int) -> Iterator[ServiceFrame]:
    """``n`` generated services, ``size`` at a time (never all alive at once)."""
    for k, lo in enumerate(range(0, n, size)):
        yield synthetic_frame(min(size, n - lo), seed=100 + k)


def traced_peak(fn: Callable[[], Any]) -> int:
    """Peak bytes traced while ``fn()`` runs (numpy reports its buffers to tracemalloc)."""
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def seeded_store(n: int) -> MemoryStore:
    store = MemoryStore()
    with store.unit_of_work() as uow:
        for i in range(n):
            anchor = date(2024, 1, 1) + timedelta(days=i % 700)
            uow.services.add(
                Service(
                    f"s{i:07}",
                    f"c{i // 3:07}",
                    "p",
                    "m",
                    BillingCycle.months(1 + i % 12),
                    anchor,
                    anchor,
                    price_override=from_minor(499 + i % 1000, "USD"),
                )
            )
        uow.commit()
    return store


def bench_conversion() -> None:
    n = 100_000 // SCALE
    services = [
        Service(
            f"s{i}",
            f"c{i // 3}",
            "p",
            "m",
            BillingCycle.months(1 + i % 12),
            date(2024, 1, 1) + timedelta(days=i % 700),
            date(2026, 1, 1),
            price_override=from_minor(499 + i % 1000, "USD"),
        )
        for i in range(n)
    ]
    build = best_of(3, lambda: ServiceFrame.from_services(services))
    frame = ServiceFrame.from_services(services)
    back = best_of(3, frame.to_services)
    print(
        f"from_services    {n:>12,} models    {build:6.3f} s  {n / build / 1e6:7.2f} M/s  "
        f"to_services {n / back / 1e6:.2f} M/s (the cost of crossing between the APIs)"
    )


def bench_memory() -> None:
    size = 100_000 // SCALE
    for n in (1_000_000 // SCALE, 4_000_000 // SCALE):
        peak = traced_peak(lambda n=n: forecast(chunks(n, size), date(2026, 1, 1), 12))
        print(
            f"streamed forecast {n:>11,} services, chunks of {size:,}: peak {peak / 2**20:6.1f} MiB"
        )
    chunk = 2_000 // SCALE
    for n in (10_000 // SCALE, 40_000 // SCALE):
        store = seeded_store(n)
        ids = [f"c{k:07}" for k in range((n + 2) // 3)]
        with store.unit_of_work() as uow:
            peak = traced_peak(
                lambda uow=uow, ids=ids: forecast(
                    stream_frames(uow, chunk_size=chunk, client_ids=iter(ids)),
                    date(2026, 1, 1),
                    12,
                )
            )
        print(
            f"ports stream     {n:>12,} services, chunks of {chunk:,}: peak {peak / 2**20:6.1f} MiB"
        )


def main() -> None:
    month_table()  # built once, outside the timings
    bench_next_due()
    bench_prorate()
    bench_forecast()
    bench_conversion()
    bench_memory()


if __name__ == "__main__":
    main()
