"""Benchmark: billing-run throughput on the server adapter, PostgreSQL next to SQLite.

Run: python benchmarks/sql_adapter.py [--clients N] [--postgres URL]

Generates the billing-run benchmark's shop (benchmarks/billing_run.py: N clients × 3
services) once per store through ``SqlStore``, then runs one billing day with one worker
process and, on a fresh copy, with two worker processes splitting the clients in halves
(each with its own units of work). Prints services per second for each. PostgreSQL is
measured when a URL is given (``--postgres`` or HOSTBILL_TEST_POSTGRES_URL; every table of
that database is dropped first); SQLite always. Two workers on SQLite queue on its single
writer lock, so they are not expected to be faster there.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import tempfile
import time
from datetime import date
from pathlib import Path

import sqlalchemy as sa
from billing_run import DAY, _catalogue, _services

from hostbill_core.adapters.sql import SqlStore
from hostbill_core.model import Client, ClientId, ContactDetails
from hostbill_core.usecases import BillingSettings, run_billing


def generate(url: str, clients: int) -> None:
    """The shop in a fresh schema at ``url``."""
    engine = sa.create_engine(url)
    metadata = sa.MetaData()
    metadata.reflect(engine)
    metadata.drop_all(engine)
    engine.dispose()
    store = SqlStore(url)
    _catalogue(store)  # type: ignore[arg-type]
    for start in range(0, clients, 2_000):
        with store.unit_of_work() as uow:
            for c in range(start, min(clients, start + 2_000)):
                details = ContactDetails(f"Client {c}", f"c{c}@example.com")
                uow.clients.add(Client(ClientId(f"c{c:07d}"), details, "USD", date(2024, 1, 1)))
                for service in _services(c, 3):
                    uow.services.add(service)
            uow.commit()
    store.close()


def _worker(url: str, ids: list[str], day: date, queue: multiprocessing.Queue[int]) -> None:
    store = SqlStore(url)
    report = run_billing(store.unit_of_work, day, BillingSettings(), clients=map(ClientId, ids))
    store.close()
    queue.put(report.services_examined)


def timed(url: str, clients: int, workers: int) -> tuple[float, int]:
    """Seconds for one billing day over the shop split among ``workers`` processes."""
    ids = [f"c{c:07d}" for c in range(clients)]
    parts = [ids[i::workers] for i in range(workers)]
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    procs = [context.Process(target=_worker, args=(url, p, DAY, queue)) for p in parts]
    start = time.perf_counter()
    for proc in procs:
        proc.start()
    services = sum(queue.get() for _ in procs)
    for proc in procs:
        proc.join()
    return time.perf_counter() - start, services


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=20_000)
    parser.add_argument("--postgres", default=os.environ.get("HOSTBILL_TEST_POSTGRES_URL"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        stores = {"SQLite": f"sqlite:///{Path(tmp) / 'shop.sqlite'}"}
        if args.postgres:
            stores["PostgreSQL"] = args.postgres
        print(f"one billing day over {args.clients:,} clients × 3 services ({DAY})")
        for name, url in stores.items():
            for workers in (1, 2):
                generate(url, args.clients)
                seconds, services = timed(url, args.clients, workers)
                print(
                    f"  {name:<10} {workers} worker(s): {seconds:6.1f} s  "
                    f"{services / seconds:8,.0f} services/s"
                )


if __name__ == "__main__":
    main()
