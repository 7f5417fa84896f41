"""The daily billing run: every client all or nothing, failures isolated, dry run exact.

:func:`run_billing` is what a panel's cron calls once a day (or once a minute: a second run
for the same day creates nothing). Clients are streamed in pages of ids, so memory does not
grow with the number of clients, and only clients holding a service due within the run's
look-ahead are visited: a service due later has no event yet.

For each client, :func:`~hostbill_core.usecases.billing_client.bill_client` proposes what
the client's history implies and reconciles it with what exists. Clients are billed in
batches, one transaction per batch and a savepoint per client
(:mod:`~hostbill_core.usecases.billing_batch`); the transaction is committed, or rolled back
in a dry run: the dry run and the real run are the same code, so they report the same thing.
Events go to the sink only after a commit: a client that failed or a dry run sends nothing.
A client whose savepoint raises is reported with its error and left as it was; the run goes
on, and the next run picks the client up again.

>>> from datetime import date
>>> from hostbill_core.adapters.memory import MemoryStore
>>> report = run_billing(MemoryStore().unit_of_work, date(2026, 3, 1), BillingSettings())
>>> print(report.explanation)
run of 2026-03-01: 0 client(s), 0 service(s) examined; 0 invoice(s) (nothing),
0 action(s), 0 event(s), 0 client(s) failed
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta

from hostbill_core.errors import ValidationError
from hostbill_core.model import ClientId
from hostbill_core.ports import EventSink, ExchangeRates, UnitOfWorkFactory
from hostbill_core.usecases.billing_batch import DryRunNumbers, bill_batch
from hostbill_core.usecases.billing_context import RunContext
from hostbill_core.usecases.billing_marks import run_fingerprint
from hostbill_core.usecases.billing_report import BillingRunReport, ClientRun
from hostbill_core.usecases.billing_settings import BillingSettings
from hostbill_core.usecases.catalogue import Catalogue

__all__ = ["BATCH_SIZE", "PAGE_SIZE", "iter_billing_run", "run_billing"]

PAGE_SIZE = 500
"""Client ids read per page while streaming clients."""

BATCH_SIZE = 100
"""Clients billed per transaction, each in its own savepoint."""


def _check_day(as_of: object) -> date:
    if not isinstance(as_of, date) or isinstance(as_of, datetime):
        raise ValidationError("as_of", as_of, "the run's day is a datetime.date")
    return as_of


def run_billing(
    uow_factory: UnitOfWorkFactory,
    as_of: date,
    settings: BillingSettings,
    *,
    dry_run: bool = False,
    events: EventSink | None = None,
    rates: ExchangeRates | None = None,
    clients: Iterable[ClientId] | None = None,
) -> BillingRunReport:
    """Run billing for ``as_of`` over every client (or ``clients``), one unit of work each.

    Args:
        uow_factory: opens a fresh unit of work (one per client, one for the catalogue).
        as_of: the day run; everything due on it or on an earlier day and not yet done is
            carried out (missed days are caught up).
        settings: the business's billing settings.
        dry_run: compute and report everything, store nothing, send no event.
        events: receives every event of a committed client (emails to send …).
        rates: the exchange rates port, for plans without a price in a client's currency.
        clients: the clients to run (default: every client with a service due within the
            look-ahead).

    Returns:
        The report: the clients that changed or failed, and totals.

    Raises:
        ValidationError: ``as_of`` is not a date. A client's failure is not raised: it is
            reported in :attr:`BillingRunReport.failures`.
    """
    runs = iter_billing_run(
        uow_factory, as_of, settings, dry_run=dry_run, events=events, rates=rates, clients=clients
    )
    return BillingRunReport.of(as_of, dry_run, runs)


def iter_billing_run(
    uow_factory: UnitOfWorkFactory,
    as_of: date,
    settings: BillingSettings,
    *,
    dry_run: bool = False,
    events: EventSink | None = None,
    rates: ExchangeRates | None = None,
    clients: Iterable[ClientId] | None = None,
) -> Iterator[ClientRun]:
    """The billing run as a stream of client runs, one per client examined, in id order.

    Clients are billed :data:`BATCH_SIZE` to a transaction (or the unit of work's
    ``clients_per_transaction`` where it declares one: the server adapter says 1), each in its
    own savepoint
    (:mod:`~hostbill_core.usecases.billing_batch`); a client's run is yielded once its batch
    is committed (or rolled back). Use it to report progress or to keep memory flat on a large
    shop; :func:`run_billing` is this stream summarised. Arguments as for :func:`run_billing`.
    """
    day = _check_day(as_of)
    with uow_factory() as uow:
        catalogue = Catalogue.load(uow)
        per_transaction = getattr(uow, "clients_per_transaction", BATCH_SIZE)
    fingerprint = run_fingerprint(settings, catalogue.products, catalogue.plans)
    run = RunContext(day, settings, catalogue, rates, fingerprint)
    ids = clients if clients is not None else _candidates(uow_factory, run)
    dry = DryRunNumbers() if dry_run else None
    for batch in _batches(ids, per_transaction):
        yield from bill_batch(uow_factory, batch, run, dry, events)


def _batches(ids: Iterable[ClientId], size: int) -> Iterator[list[ClientId]]:
    batch: list[ClientId] = []
    for client_id in ids:
        batch.append(client_id)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _candidates(uow_factory: UnitOfWorkFactory, run: RunContext) -> Iterator[ClientId]:
    horizon = run.as_of + timedelta(days=run.look_ahead)
    after: str | None = None
    while True:
        with uow_factory() as uow:
            page = uow.services.client_ids(due_by=horizon, after=after, limit=PAGE_SIZE)
        yield from page
        if len(page) < PAGE_SIZE:
            return
        after = page[-1]
