"""Partitioned forecast on Dask: 10,000,000 generated services, one process vs two workers.

Run: python benchmarks/distributed.py [--services N] [--partitions K] [--repeats R]

Each task gets only (seed, size), builds its own columns and returns a months × currencies
forecast; the results are checked equal before the speed-up is printed. Target: two worker
processes at least 1.5× faster than one process on the same partitions.

Dask's workers start with ``MALLOC_TRIM_THRESHOLD_=65536`` by default, which pins glibc's mmap
threshold at 128 KiB: every larger numpy array is then a fresh ``mmap`` with its page faults.
The forecast keeps its temporaries below that, but building a partition's columns cannot, so
the cluster is measured twice: with Dask's defaults, and with that variable unset (the
setting docs/scale.md recommends for batch work).

The two ways are measured in turns, best of ``--repeats`` each, and the load average is
printed beside them: on a machine of two cores, anything else running takes its share from
the two workers first. The CPU seconds the tasks spent (summed over tasks) are printed too:
when they are about equal in both ways, the workers do the same work as the single process
and the wall-clock speed-up is limited only by the cores the machine leaves free.
"""

import argparse
import os
import sys
import time
from collections.abc import Callable
from datetime import date
from fractions import Fraction
from pathlib import Path

# This script shares its name with the `distributed` package: keep its folder off the path.
_here = Path(__file__).resolve().parent
sys.path = [p for p in sys.path if Path(p or ".").resolve() != _here]

import dask  # noqa: E402
import numpy as np  # noqa: E402
from distributed import Client, LocalCluster  # noqa: E402

from hostbill_core.batch.dask import (  # noqa: E402
    GeneratedPartition,
    forecast_partitions,
    generated_partitions,
)
from hostbill_core.batch.forecast import Forecast  # noqa: E402

START = date(2026, 1, 1)


def _cpu_seconds(part: GeneratedPartition) -> float:
    """The CPU time one task takes, measured where it runs (same work as the engine's task)."""
    from hostbill_core.batch.dask import _forecast_task

    began = time.thread_time()
    _forecast_task(part, START, 12, Fraction(1))
    return time.thread_time() - began


def _timed(run: Callable[[], Forecast]) -> tuple[float, Forecast]:
    began = time.perf_counter()
    result = run()
    return time.perf_counter() - began, result


_TRIM = "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_"


def _measure(parts: tuple[GeneratedPartition, ...], repeats: int) -> tuple[float, float, float]:
    """Best seconds alone, best seconds on two workers, CPU seconds of the workers' tasks."""
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        forecast_partitions(client, parts[:2], START, months=12)  # warm the workers up
        ones, twos = [], []
        for _ in range(repeats):
            one, alone = _timed(lambda: forecast_partitions(None, parts, START, months=12))
            two, spread = _timed(lambda: forecast_partitions(client, parts, START, months=12))
            assert np.array_equal(alone.totals, spread.totals), "results differ"
            ones.append(one)
            twos.append(two)
        cpu = sum(client.gather(client.map(_cpu_seconds, parts, pure=False)))
    return min(ones), min(twos), cpu


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--services", type=int, default=10_000_000)
    parser.add_argument("--partitions", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    parts = generated_partitions(args.services, -(-args.services // args.partitions), seed=1)
    n = args.services
    cpu_here = sum(_cpu_seconds(p) for p in parts)
    print(f"12-month forecast of {n:,} services in {len(parts)} partitions, best of {args.repeats}")
    for label, trim in (("Dask's default malloc", 65536), ("MALLOC_TRIM unset", None)):
        with dask.config.set({_TRIM: trim}):
            one, two, cpu_there = _measure(parts, args.repeats)
        load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
        print(f"  workers with {label} (load average {load} on {os.cpu_count()} cores)")
        for way, wall, cpu in (("one process", one, cpu_here), ("two workers", two, cpu_there)):
            print(f"    {way} : {wall:6.2f} s {n / wall / 1e6:6.2f} M services/s  CPU {cpu:.2f} s")
        print(f"    speed-up    : {one / two:.2f}x (target >= 1.5x); results identical")


if __name__ == "__main__":
    main()
