"""Benchmark: the nightly billing run on a generated shop stored in SQLite, then the same day again.

Run: python benchmarks/billing_run.py [--clients N] [--per-client N] [--memory-clients N]

Generates a shop of N clients (default 100,000) with --per-client services each (default 3,
so 300,000 services: monthly hosting, annual domains, quarterly VPS) in a fresh SQLite file.
Anchors are spread over the year; about one client in eight has let the renewal due on the
run's day slip by 0-40 days (invoiced, reminded, suspended or cancelled by the run). Then:

- the shop's first run ever, on the day before the run day: a catch-up that issues at once
  every renewal invoice within the lead time (14 days of a live shop's invoices) and carries
  out every overdue step; what a shop does once, when it moves its billing here;
- the run day itself, the next night: one billing-run day of a live shop (the issue's
  measure: services of the shop per second), and what it did;
- the immediate second run of the same day (nothing to do): the same measure, and the ratio
  to the first (target: at least 5x faster);
- a plain baseline in the same run: reading every service row of the shop and decoding its
  JSON (no billing at all), in services per second, with the runs' ratios to it;
- peak memory (tracemalloc) of a dry run of the catch-up day (before the real runs, so it has
  the most work), streamed over the first --memory-clients clients (default 10,000) and over
  all of them: flat when the run streams clients;
- the CPU time of this process for each run (less sensitive than the wall clock to other
  processes on a shared machine), and the load average.

Targets (issue 8): at least 20,000 services/s for the first run of a day, the second at least
5x faster, peak memory that does not grow with the number of clients. The catch-up is printed
against the same 20,000/s for comparison.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import json
import os
import sqlite3
import tempfile
import time
import tracemalloc
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

from hostbill_core.adapters.sqlite import SqliteStore
from hostbill_core.calendar import ANNUALLY, MONTHLY, QUARTERLY, BillingCycle, due_date
from hostbill_core.model import (
    Client,
    ClientId,
    ContactDetails,
    PaymentType,
    PlanId,
    PriceEntry,
    PricePlan,
    Product,
    ProductId,
    ProductType,
    Service,
    ServiceId,
)
from hostbill_core.money import to_money
from hostbill_core.usecases import BillingSettings, iter_billing_run

DAY = date(2026, 6, 15)
CATCH_UP = DAY - timedelta(days=1)  # the shop's first run: the night before DAY
CATALOGUE: tuple[tuple[str, ProductType, BillingCycle, str], ...] = (
    ("hosting", ProductType.HOSTING, MONTHLY, "10.00"),
    ("domain", ProductType.DOMAIN, ANNUALLY, "12.00"),
    ("vps", ProductType.VPS, QUARTERLY, "45.00"),
)


def _catalogue(store: SqliteStore) -> None:
    with store.unit_of_work() as uow:
        for name, kind, cycle, price in CATALOGUE:
            uow.products.add(Product(ProductId(name), name.title(), kind))
            entry = PriceEntry(cycle, "USD", to_money(price, "USD"), to_money("0", "USD"))
            plan = PricePlan(PlanId(name), ProductId(name), name, PaymentType.RECURRING, (entry,))
            uow.plans.add(plan)
        uow.commit()


def _services(c: int, per_client: int) -> Iterator[Service]:
    for k in range(per_client):
        name, _kind, cycle, _price = CATALOGUE[k % len(CATALOGUE)]
        anchor = date(2025, 1, 1) + timedelta(days=(c * 7919 + k * 104729) % 365)
        n = 0
        while due_date(anchor, cycle, n) < DAY:
            n += 1
        if c % 8 == 0 and n > 0:  # a late payer: the previous renewal is still unpaid
            n -= 1
        due = due_date(anchor, cycle, n)
        yield Service(
            ServiceId(f"s{c:07d}-{k}"), ClientId(f"c{c:07d}"), ProductId(name), PlanId(name),
            cycle, anchor, due,
        )  # fmt: skip


def generate(path: Path, clients: int, per_client: int) -> SqliteStore:
    """A shop of ``clients`` × ``per_client`` services in a fresh SQLite file."""
    store = SqliteStore(path)
    _catalogue(store)
    batch = 5_000
    for start in range(0, clients, batch):
        with store.unit_of_work() as uow:
            for c in range(start, min(clients, start + batch)):
                details = ContactDetails(f"Client {c}", f"c{c}@example.com")
                uow.clients.add(Client(ClientId(f"c{c:07d}"), details, "USD", date(2024, 1, 1)))
                for service in _services(c, per_client):
                    uow.services.add(service)
            uow.commit()
    return store


def timed_run(store: SqliteStore, day: date = DAY) -> tuple[float, float, dict[str, int]]:
    """Seconds (wall clock, then this process's CPU) of one run of ``day``, and what it did."""
    counts = {"clients": 0, "services": 0, "invoices": 0, "actions": 0, "failed": 0}
    gc.collect()
    start, cpu = time.perf_counter(), time.process_time()
    for run in iter_billing_run(store.unit_of_work, day, BillingSettings()):
        counts["clients"] += 1
        counts["services"] += run.services
        counts["invoices"] += len(run.invoices)
        counts["actions"] += len(run.actions)
        counts["failed"] += run.failure is not None
    return time.perf_counter() - start, time.process_time() - cpu, counts


def baseline(path: Path) -> float:
    """Seconds to read and decode every service row: the floor of any run over the shop."""
    db = sqlite3.connect(path)
    start = time.perf_counter()
    rows = db.execute("SELECT data FROM aggregates WHERE kind = 'service' ORDER BY client_id")
    for (data,) in rows:
        json.loads(data)
    db.close()
    return time.perf_counter() - start


def peak_memory(store: SqliteStore, clients: int | None) -> int:
    """Peak bytes traced during a dry run of the catch-up day over the first ``clients``."""
    gc.collect()
    tracemalloc.start()
    runs = iter_billing_run(store.unit_of_work, CATCH_UP, BillingSettings(), dry_run=True)
    for _run in itertools.islice(runs, clients):
        pass
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def main() -> None:
    """Generate the shop, time both runs and the baseline, measure memory, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=100_000)
    parser.add_argument("--per-client", type=int, default=3)
    parser.add_argument("--memory-clients", type=int, default=10_000)
    args = parser.parse_args()
    total = args.clients * args.per_client
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "shop.sqlite"
        start = time.perf_counter()
        store = generate(path, args.clients, args.per_client)
        print(f"shop: {args.clients:,} clients, {total:,} services in SQLite "
              f"(generated in {time.perf_counter() - start:.1f} s); run day {DAY}")  # fmt: skip
        floor = baseline(path)
        small = peak_memory(store, args.memory_clients)
        large = peak_memory(store, None)
        catch_up, cpu0, caught = timed_run(store, CATCH_UP)
        first, cpu1, did = timed_run(store)
        second, cpu2, again = timed_run(store)
        rate0, rate1, rate2, plain = total / catch_up, total / first, total / second, total / floor
        print(f"catch-up ({CATCH_UP}): {catch_up:7.2f} s  {rate0:10,.0f} services/s  ({caught})")
        print(f"first run ({DAY}):  {first:7.2f} s  {rate1:10,.0f} services/s  ({did})")
        print(f"second run ({DAY}): {second:7.2f} s  {rate2:10,.0f} services/s  ({again})")
        print(f"second run {first / second:.1f}x faster than the first (target >= 5x)")
        print(f"CPU time of this process: catch-up {cpu0:.2f} s ({total / cpu0:,.0f} services/s), "
              f"first {cpu1:.2f} s ({total / cpu1:,.0f} services/s), "
              f"second {cpu2:.2f} s ({total / cpu2:,.0f} services/s)")  # fmt: skip
        print(f"baseline (read + decode every service row): {plain:10,.0f} services/s")
        print(f"runs at {rate0 / plain:.2f}x (catch-up), {rate1 / plain:.2f}x (first), "
              f"{rate2 / plain:.2f}x (second) of the baseline")  # fmt: skip
        print(f"peak memory of a dry run: {small / 2**20:.1f} MiB over {args.memory_clients:,} "
              f"clients, {large / 2**20:.1f} MiB over {args.clients:,}")  # fmt: skip
        for label, rate in (("first run of the day", rate1), ("catch-up", rate0)):
            verdict = "met" if rate >= 20_000 else "MISSED"
            print(f"target 20,000 services/s, {label}: {verdict}")
        verdict = "met" if first >= 5 * second else "MISSED"
        print(f"target second run 5x faster than the first: {verdict}")
        print("load average (1, 5, 15 min): {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
        store.close()


if __name__ == "__main__":
    main()
