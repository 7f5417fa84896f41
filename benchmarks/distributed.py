"""Partitioned forecast on Dask: 10,000,000 generated services, one process vs two workers.

Run: python benchmarks/distributed.py [--services N] [--partitions K]

Each task gets only (seed, size), builds its own columns and returns a months × currencies
forecast; the results are checked equal before the speed-up is printed. Target: two worker
processes at least 1.5× faster than one process on the same partitions.
"""

import argparse
import sys
import time
from datetime import date
from pathlib import Path

# This script shares its name with the `distributed` package: keep its folder off the path.
_here = Path(__file__).resolve().parent
sys.path = [p for p in sys.path if Path(p or ".").resolve() != _here]

import numpy as np  # noqa: E402
from distributed import Client, LocalCluster  # noqa: E402

from hostbill_core.batch.dask import forecast_partitions, generated_partitions  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--services", type=int, default=10_000_000)
    parser.add_argument("--partitions", type=int, default=20)
    args = parser.parse_args()
    parts = generated_partitions(args.services, -(-args.services // args.partitions), seed=1)
    start = date(2026, 1, 1)

    began = time.perf_counter()
    alone = forecast_partitions(None, parts, start, months=12)
    one = time.perf_counter() - began

    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        forecast_partitions(client, parts[:2], start, months=12)  # warm the workers up
        began = time.perf_counter()
        spread = forecast_partitions(client, parts, start, months=12)
        two = time.perf_counter() - began

    assert np.array_equal(alone.totals, spread.totals), "results differ"
    n = args.services
    print(f"12-month forecast of {n:,} services in {len(parts)} partitions")
    print(f"  one process : {one:7.2f} s  {n / one / 1e6:6.2f} M services/s")
    print(f"  two workers : {two:7.2f} s  {n / two / 1e6:6.2f} M services/s")
    print(f"  speed-up    : {one / two:.2f}x (target >= 1.5x); results identical")


if __name__ == "__main__":
    main()
