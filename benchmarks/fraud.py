"""Fraud engine throughput: gather a context from in-memory ports and assess it.

Run: ``python benchmarks/fraud.py [N]`` (N defaults to 100,000 orders).

Every built-in signal is on (default configuration), the history holds every order of the set
(each order sees only those placed before it), GeoIP and the external risk service answer for
each order. The baseline is a plain loop over the same requests that adds two numbers per
order (a trivial score), so the ratio says what the engine costs over touching the data.

Each loop runs three times and the best run counts. Rates are given per second of this
process's CPU time (``time.process_time``: what one core delivers, even when other processes
share the machine) and per second of wall-clock time.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TypeVar

from hostbill_core.fraud import Decision, assess, default_config, gather_context
from hostbill_core.fraud.synthetic import replay_ports, synthetic_cases

TARGET = 20_000  # assessments per second, one core
T = TypeVar("T")


def main(n: int) -> None:
    started = time.perf_counter()
    cases = synthetic_cases(n, seed=1)
    ports = replay_ports(cases)
    requests = [case.request for case in cases]
    config = default_config()
    print(f"set-up: {n:,} orders in {time.perf_counter() - started:.1f} s")

    def baseline_loop() -> int:
        trivial = 0
        for request in requests:
            trivial += len(request.order.items) + (1 if request.card_fingerprint else 0)
        return trivial

    def engine_loop() -> dict[Decision, int]:
        decisions = dict.fromkeys(Decision, 0)
        for request in requests:
            decisions[assess(gather_context(request, ports), config).decision] += 1
        return decisions

    base_cpu, _, checksum = best_of_three(baseline_loop)
    cpu, wall, decisions = best_of_three(engine_loop)
    rate = n / cpu
    print(f"baseline: {n / base_cpu:,.0f} orders per CPU second (trivial score, sum {checksum})")
    print(f"engine:   {rate:,.0f} assessments per CPU second ({cpu:.2f} s CPU for {n:,})")
    print(f"          {n / wall:,.0f} assessments per wall-clock second ({wall:.2f} s)")
    print(f"ratio:    {cpu / base_cpu:,.0f}× the baseline's time per order")
    print("decisions: " + ", ".join(f"{d.name} {c:,}" for d, c in decisions.items()))
    print(f"target:   {TARGET:,}/s — {'met' if rate >= TARGET else 'NOT met'}")


def best_of_three(loop: Callable[[], T]) -> tuple[float, float, T]:
    """The smallest CPU time and wall time of three runs of ``loop``, and its result."""
    cpu_times, wall_times = [], []
    for _ in range(3):
        cpu, wall = time.process_time(), time.perf_counter()
        result = loop()
        cpu_times.append(time.process_time() - cpu)
        wall_times.append(time.perf_counter() - wall)
    return min(cpu_times), min(wall_times), result


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
