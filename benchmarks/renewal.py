"""Renewal engine throughput at 1,000,000 services.

Run: python benchmarks/renewal.py [N]   (default N = 1,000,000)

Services get random anchors from 2015 to 2024 with a quarter of them on days 29-31 (clamped to
the month's end), and every cycle (monthly to triennial, weekly, 30 days). It times, in one run:

- next_due_after (renewal.schedule): the next due date after a day, for every service;
- the baseline: a plain loop computing the same dates with dateutil relativedelta from the
  anchor (the usual way), checked equal to ours; its time over ours is the ratio;
- calendar.next_due_date (the foundation's general function), for reference;
- actions_due over all services for one day with the default renewal sequence.

Targets (issue 3): next_due_after at least 10x the relativedelta loop; actions_due under 5 s.
"""

from __future__ import annotations

import gc
import random
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from hostbill_core.calendar import (
    ANNUALLY,
    BIENNIALLY,
    MONTHLY,
    QUARTERLY,
    SEMIANNUALLY,
    TRIENNIALLY,
    BillingCycle,
    days_in_month,
    next_due_date,
)
from hostbill_core.model import (
    ClientId,
    PlanId,
    ProductId,
    ProductType,
    Service,
    ServiceId,
    ServiceStatus,
)
from hostbill_core.renewal import (
    RenewalContext,
    RenewalSequence,
    RenewalSettings,
    actions_due,
)
from hostbill_core.renewal.schedule import next_due_after, next_due_dates

CYCLES = (
    MONTHLY,
    QUARTERLY,
    SEMIANNUALLY,
    ANNUALLY,
    BIENNIALLY,
    TRIENNIALLY,
    BillingCycle.weeks(1),
    BillingCycle.days(30),
)
ON = date(2025, 3, 15)
PRODUCTS = {
    ProductId("web"): ProductType.HOSTING,
    ProductId("dom"): ProductType.DOMAIN,
    ProductId("vps"): ProductType.VPS,
}


def _anchor(rng: random.Random) -> date:
    year, month = rng.randint(2015, 2024), rng.randint(1, 12)
    day = rng.choice((29, 30, 31)) if rng.random() < 0.25 else rng.randint(1, 28)
    return date(year, month, min(day, days_in_month(year, month)))


def build(n: int, seed: int = 2025) -> list[Service]:
    """N services whose next due date lies between 60 days before ON and a cycle after it."""
    rng = random.Random(seed)
    products = list(PRODUCTS)
    services = []
    for i in range(n):
        anchor, cycle = _anchor(rng), rng.choice(CYCLES)
        probe = Service(
            ServiceId(f"s{i}"),
            ClientId(f"c{i % 50_000}"),
            rng.choice(products),
            PlanId("plan"),
            cycle,
            anchor,
            anchor,
        )
        due = next_due_after(probe, ON - timedelta(days=rng.randint(1, 60)))
        status = ServiceStatus.SUSPENDED if rng.random() < 0.05 else ServiceStatus.ACTIVE
        services.append(Service(
            probe.id, probe.client_id, probe.product_id, probe.plan_id, cycle, anchor, due,
            status=status,
        ))  # fmt: skip
    return services


def relativedelta_loop(services: list[Service], after: date) -> list[date]:
    """The baseline: the next date after ``after``, anchor + relativedelta, n from the span."""
    out = []
    for s in services:
        cycle, anchor = s.cycle, s.anchor
        if cycle.is_calendar:
            step = cycle.in_months
            n = ((after.year - anchor.year) * 12 + after.month - anchor.month) // step
            due = anchor + relativedelta(months=n * step)
            while due <= after:
                n += 1
                due = anchor + relativedelta(months=n * step)
        else:
            step = cycle.in_days
            n = (after - anchor).days // step + 1
            due = anchor + relativedelta(days=n * step)
        out.append(due)
    return out


def timed(label: str, n: int, fn: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - start
    print(f"{label:<44} {seconds:7.3f} s  {n / seconds:>12,.0f} services/s")
    return seconds, result


def main(n: int) -> None:
    print(f"building {n:,} services ...")
    services = build(n)
    gc.collect()
    gc.freeze()  # the services live all run: keep the collector from rescanning them
    print(f"{n:,} services, {len(CYCLES)} cycles, anchors 2015-2024 (25% on days 29-31)\n")

    ours_s, ours = timed("renewal next_due_dates (batch)", n, lambda: next_due_dates(services, ON))
    one_s, one = timed(
        "renewal next_due_after (one call each)",
        n,
        lambda: [next_due_after(s, ON) for s in services],
    )
    base_s, base = timed(
        "baseline: dateutil relativedelta loop", n, lambda: relativedelta_loop(services, ON)
    )
    cal_s, cal = timed(
        "calendar.next_due_date (reference)",
        n,
        lambda: [next_due_date(s.anchor, s.cycle, ON) for s in services],
    )
    assert ours == one == base == cal, "next due dates differ from the baseline"
    print("speed-up over the relativedelta loop (same run):")
    print(f"  next_due_dates         {base_s / ours_s:5.1f}x  (target >= 10x)")
    print(f"  next_due_after         {base_s / one_s:5.1f}x")
    print(f"  calendar.next_due_date {base_s / cal_s:5.1f}x\n")

    context = RenewalContext(
        RenewalSettings(lead_days_by_type={ProductType.DOMAIN: 30}), product_types=PRODUCTS
    )
    sequence = RenewalSequence()
    seconds, events = timed(
        f"actions_due on {ON.isoformat()}",
        n,
        lambda: actions_due(services, ON, sequence, context=context),
    )
    assert isinstance(events, tuple)
    print(f"  {len(events):,} events; target < 5 s: {'met' if seconds < 5 else 'MISSED'}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
