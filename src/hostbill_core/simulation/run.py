"""The simulation: a scenario run day by day through the billing run, on a store.

:func:`simulate` seeds the scenario's shop, then for every day from the start to ``until``:

1. end-of-period cancellations due that day, then the scenario's events of the day, in order;
2. payments whose day has come, as each client's payer profile drew them;
3. the billing run for the day (:func:`~hostbill_core.usecases.run_billing`): renewal
   invoices, credit, reminders, suspensions, cancellations, emails;
4. payments of invoices issued that day and paid the same day.

Everything is deterministic: generated clients and payment days come from the scenario's
seed, and ids from the scenario (``pay-<invoice>`` for payments).

Idempotent, and resumable
    The store remembers how many days of the scenario were simulated (a counter in the
    ``InvoiceNumbers`` port, series ``simulation/<name>/<start>``, taken once per finished
    day). A rerun of the same scenario on the same store starts after the last finished day:
    run again with the same ``until``, it does nothing and adds nothing; with a later
    ``until`` it goes on. A day cut short (a crash) is run again whole; each of its steps
    checks what is stored first, so nothing is created twice.

>>> from datetime import date
>>> from hostbill_core.simulation import bundled_example
>>> result = simulate(bundled_example(), date(2026, 1, 31))
>>> result.added > 0, result.summary.clients
(True, 25)
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Protocol

from hostbill_core.adapters.memory import MemoryStore
from hostbill_core.errors import ValidationError
from hostbill_core.ports import UnitOfWork, UnitOfWorkFactory
from hostbill_core.simulation.handlers import apply, cancel_due
from hostbill_core.simulation.result import ClientError, SimulationResult, summarise
from hostbill_core.simulation.scenario import Scenario
from hostbill_core.simulation.seed import all_clients, seed
from hostbill_core.simulation.shop import Shop
from hostbill_core.usecases import iter_billing_run

__all__ = ["Progress", "Store", "simulate"]

#: Called after each simulated day with (days done, days to do in this run).
Progress = Callable[[int, int], None]


class Store(Protocol):
    """Anything that opens units of work: a MemoryStore, an SqliteStore, a SqlStore."""

    def unit_of_work(self) -> UnitOfWork:
        """Open a new unit of work."""
        ...


def simulate(
    scenario: Scenario,
    until: date | None = None,
    *,
    store: Store | None = None,
    progress: Progress | None = None,
) -> SimulationResult:
    """Run ``scenario`` day by day up to ``until`` (inclusive) on ``store``.

    Args:
        scenario: what to run.
        until: the last day (default: the scenario's ``until``).
        store: where the shop lives (default: a new in-memory store).
        progress: called after each day with (days done, days to do).

    Returns:
        The timeline of what this run did and the summary of the stored shop.

    Raises:
        ValidationError: ``until`` is before the scenario's start.
    """
    last = scenario.until if until is None else until
    if last < scenario.start:
        raise ValidationError("until", last, f"on or after the scenario's start ({scenario.start})")
    new_uow = (store or MemoryStore()).unit_of_work
    before = _records(new_uow)
    seed(new_uow, scenario)
    shop = Shop(scenario, new_uow, {c.id: scenario.payers[c.payer] for c in all_clients(scenario)})
    series = f"simulation/{scenario.name}/{scenario.start.isoformat()}"
    first = scenario.start + timedelta(days=_days_done(new_uow, series))
    total = max((last - first).days + 1, 0)
    if total:
        shop.start()
    for n in range(total):
        _run_day(shop, first + timedelta(days=n))
        _finish_day(new_uow, series)
        if progress is not None:
            progress(n + 1, total)
    with new_uow() as uow:
        summary = summarise(uow)
    return SimulationResult(
        scenario.name,
        scenario.start,
        last,
        tuple(shop.timeline),
        summary,
        _records(new_uow) - before,
        tuple(shop.errors),
    )


def _run_day(shop: Shop, day: date) -> None:
    shop.begin(day)
    cancel_due(shop, day)
    for event in shop.scenario.events:
        if event.on == day:
            apply(shop, day, event)
    shop.pay_due(day)
    settings = shop.scenario.settings.billing
    for run in iter_billing_run(shop.new_uow, day, settings, rates=shop.rates):
        if run.failure is not None:
            error = f"{run.failure.error_type}: {run.failure.message}"
            shop.errors.append(ClientError(day, run.client_id, error))
            continue
        shop.issued(day, run.client_id, run.invoices)
        shop.billing_events(day, run.events)
    shop.pay_due(day)


def _days_done(new_uow: UnitOfWorkFactory, series: str) -> int:
    with new_uow() as uow:
        return uow.invoice_numbers.peek(series) - 1


def _finish_day(new_uow: UnitOfWorkFactory, series: str) -> None:
    with new_uow() as uow:
        uow.invoice_numbers.next(series)
        uow.commit()


def _records(new_uow: UnitOfWorkFactory) -> int:
    with new_uow() as uow:
        repositories = (
            uow.products,
            uow.plans,
            uow.clients,
            uow.services,
            uow.orders,
            uow.invoices,
            uow.payments,
            uow.credit,
        )
        return sum(len(repository.list()) for repository in repositories)
