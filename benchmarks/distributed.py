"""Partitioned forecast on Dask: 10,000,000 generated services, one process vs two workers.

Run: python benchmarks/distributed.py [--services N] [--partitions K] [--repeats R]

Each task gets only (seed, size), builds its own columns and returns a months × currencies
forecast; the results are checked equal before the speed-up is printed. Target: two worker
processes at least 1.5× faster than one process on the same partitions.

Dask's workers start with ``MALLOC_TRIM_THRESHOLD_=65536`` by default, which pins glibc's mmap
threshold at 128 KiB: every larger numpy array is then a fresh ``mmap`` with its page faults.
A generated partition is therefore built and forecast in blocks of 8,192 rows (64 KiB per
int64 column, see ``synthetic_frames``), so no array of the task passes that threshold. The
cluster is measured twice, with Dask's defaults and with that variable unset, to show that
the setting no longer changes what a task costs.

The two ways are measured in turns, best of ``--repeats`` each, and the load average is
printed beside them: on a machine of two cores, anything else running takes its share from
the two workers first. The CPU seconds and page faults of the tasks (summed over tasks, each
measured in the thread that ran it) are printed too: when they are about equal in both ways,
the workers do the same work as the single process and the wall-clock speed-up is limited
only by the cores the machine leaves free. Page faults do not depend on the load, so they
compare runs on a busy machine.
"""

import argparse
import contextlib
import os
import resource
import sys
import time
from collections.abc import Callable, Iterator
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


def _task_cost(part: GeneratedPartition) -> tuple[float, int]:
    """CPU seconds and page faults of one task, measured in the thread that runs it."""
    from hostbill_core.batch.dask import _forecast_task

    faults, began = resource.getrusage(resource.RUSAGE_THREAD).ru_minflt, time.thread_time()
    _forecast_task(part, START, 12, Fraction(1))
    cpu = time.thread_time() - began
    return cpu, resource.getrusage(resource.RUSAGE_THREAD).ru_minflt - faults


def _summed(costs: list[tuple[float, int]]) -> tuple[float, int]:
    return sum(c for c, _ in costs), sum(f for _, f in costs)


def _timed(run: Callable[[], Forecast]) -> tuple[float, Forecast]:
    began = time.perf_counter()
    result = run()
    return time.perf_counter() - began, result


_VARIABLE = "MALLOC_TRIM_THRESHOLD_"
_TRIM = f"distributed.nanny.pre-spawn-environ.{_VARIABLE}"


@contextlib.contextmanager
def _workers_trim(trim: int | None) -> Iterator[None]:
    """Workers started inside get ``MALLOC_TRIM_THRESHOLD_=trim``, or no such variable.

    The nanny copies its pre-spawn variables into this process's ``os.environ`` and leaves
    them there, so a later cluster's workers would inherit the variable even with the setting
    None: it is removed again on the way out.
    """
    before = os.environ.pop(_VARIABLE, None)
    try:
        with dask.config.set({_TRIM: trim}):
            yield
    finally:
        os.environ.pop(_VARIABLE, None)
        if before is not None:
            os.environ[_VARIABLE] = before


def _worker_variable() -> str:
    return os.environ.get(_VARIABLE, "unset")


def _measure(
    parts: tuple[GeneratedPartition, ...], repeats: int
) -> tuple[float, float, tuple[float, int], str]:
    """Best seconds alone and on two workers, the workers' tasks' cost, their variable."""
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
        cost = _summed(client.gather(client.map(_task_cost, parts, pure=False)))
        seen = ", ".join(sorted(set(client.run(_worker_variable).values())))
    return min(ones), min(twos), cost, seen


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--services", type=int, default=10_000_000)
    parser.add_argument("--partitions", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    parts = generated_partitions(args.services, -(-args.services // args.partitions), seed=1)
    n = args.services
    cost_here = _summed([_task_cost(p) for p in parts])
    print(f"12-month forecast of {n:,} services in {len(parts)} partitions, best of {args.repeats}")
    for label, trim in (("Dask's default malloc", 65536), ("MALLOC_TRIM unset", None)):
        with _workers_trim(trim):
            one, two, cost_there, seen = _measure(parts, args.repeats)
        load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
        print(f"  workers with {label}, {_VARIABLE} {seen}")
        print(f"    (load average {load} on {os.cpu_count()} cores)")
        for way, wall, (cpu, faults) in (
            ("one process", one, cost_here),
            ("two workers", two, cost_there),
        ):
            print(
                f"    {way} : {wall:6.2f} s {n / wall / 1e6:6.2f} M services/s  "
                f"tasks' CPU {cpu:.2f} s, {faults:,} page faults"
            )
        print(f"    speed-up    : {one / two:.2f}x (target >= 1.5x); results identical")


if __name__ == "__main__":
    main()
