"""Benchmark: structuring and unstructuring the aggregates a billing run reads and writes.

Run: python benchmarks/codec.py [--rows N]   (default 10,000 of each kind)

For clients, services, invoices (one renewal line with a tax and a period, a client snapshot),
billing states and credit entries, N rows as the storage adapters store them (JSON text,
decoded before timing), then in one process, measured five times in turn with the best
kept (CPU time of this process, so other processes on a shared machine weigh less; the
garbage collector paused while timing, as both sides make the same garbage):

- structure: the converter (its quick path) against cattrs' own generated functions on the
  same converter's hooks (what the converter did before the quick path);
- unstructure: the same pair.

Both sides share the converter's hooks, so the amount cache and the email check count for
both; the ratio is the quick path's alone. Prints microseconds per row and the load average.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import cattrs

from hostbill_core.calendar import ANNUALLY, MONTHLY, QUARTERLY, Period
from hostbill_core.model import (
    BillingState,
    Client,
    ClientId,
    ClientSnapshot,
    ContactDetails,
    CreditEntry,
    CreditEntryId,
    CreditReason,
    Invoice,
    InvoiceId,
    InvoiceLine,
    InvoiceStatus,
    LineKind,
    PlanId,
    ProductId,
    Service,
    ServiceId,
    TaxAmount,
)
from hostbill_core.money import to_money
from hostbill_core.serialization import make_converter

CYCLES = (MONTHLY, ANNUALLY, QUARTERLY)


def _invoice(c: int) -> Invoice:
    period = Period(date(2026, 6, 15), date(2026, 7, 15))
    tax = TaxAmount("VAT", "0.19", to_money("1.90", "USD"))
    line = InvoiceLine(
        "Hosting", to_money("10.00", "USD"), LineKind.RENEWAL, key=f"renewal/s{c}-0/{period}",
        service_id=ServiceId(f"s{c}-0"), period=period, taxes=(tax,),
    )  # fmt: skip
    snapshot = ClientSnapshot(f"Client {c}", f"c{c}@example.com")
    return Invoice(
        InvoiceId(f"i{c}"), ClientId(f"c{c}"), "USD", date(2026, 6, 15), (line,),
        InvoiceStatus.UNPAID, number=f"INV-{c}", issued_on=date(2026, 6, 15), client=snapshot,
    )  # fmt: skip


def _rows(n: int) -> dict[str, tuple[type[Any], list[Any]]]:
    at = datetime(2026, 6, 15, 12, tzinfo=UTC)
    return {
        "client": (Client, [
            Client(ClientId(f"c{c}"), ContactDetails(f"Client {c}", f"c{c}@example.com"), "USD",
                   date(2024, 1, 1)) for c in range(n)]),
        "service": (Service, [
            Service(ServiceId(f"s{c}-0"), ClientId(f"c{c}"), ProductId("hosting"),
                    PlanId("hosting"), CYCLES[c % 3], date(2025, 1, 1), date(2026, 6, 15))
            for c in range(n)]),
        "invoice": (Invoice, [_invoice(c) for c in range(n)]),
        "state": (BillingState, [
            BillingState(ClientId(f"c{c}"), ClientId(f"c{c}"),
                         (f"s{c}-0/2026-06-15/invoice", f"s{c}-0/2026-06-15/reminder-7"))
            for c in range(n)]),
        "credit": (CreditEntry, [
            CreditEntry(CreditEntryId(f"e{c}"), ClientId(f"c{c}"), at, to_money("-1.90", "USD"),
                        CreditReason.APPLIED_TO_INVOICE, "system", invoice_id=InvoiceId(f"i{c}"))
            for c in range(n)]),
    }  # fmt: skip


def _best(works: dict[str, Callable[[], object]], rounds: int = 5) -> dict[str, float]:
    """The least CPU seconds of each work over ``rounds`` rounds, the works taken in turn."""
    best = dict.fromkeys(works, float("inf"))
    for _ in range(rounds):
        for name, work in works.items():
            gc.collect()
            gc.disable()  # the same garbage on both sides: its collection would blur the ratio
            start = time.process_time()
            work()
            best[name] = min(best[name], time.process_time() - start)
            gc.enable()
    return best


def main() -> None:
    """Time both paths on every kind, print microseconds per row and the ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    n = parser.parse_args().rows
    converter = make_converter()
    plain = converter._fast.structure  # cattrs' generated functions on the same hooks
    for kind, (cls, items) in _rows(n).items():
        data = [json.loads(json.dumps(converter.unstructure(item))) for item in items]
        assert [converter.structure(dict(d), cls) for d in data] == items
        t = _best({
            "quick in": lambda: [converter.structure(dict(d), cls) for d in data],  # noqa: B023
            "plain in": lambda: [plain(dict(d), cls) for d in data],  # noqa: B023
            "quick out": lambda: [converter.unstructure(i) for i in items],  # noqa: B023
            "plain out": lambda: [cattrs.Converter.unstructure(converter, i) for i in items],  # noqa: B023
        })  # fmt: skip
        us = {name: seconds / n * 1e6 for name, seconds in t.items()}
        ratio_in, ratio_out = t["plain in"] / t["quick in"], t["plain out"] / t["quick out"]
        print(f"{kind:8s} structure {us['plain in']:6.1f} -> {us['quick in']:6.1f} us/row "
              f"({ratio_in:.2f}x)   unstructure {us['plain out']:5.1f} -> "
              f"{us['quick out']:5.1f} us/row ({ratio_out:.2f}x)")  # fmt: skip
    print("load average (1, 5, 15 min): {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))


if __name__ == "__main__":
    main()
