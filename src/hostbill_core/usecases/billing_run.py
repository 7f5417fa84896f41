"""The daily billing run: every client in its own unit of work, failures isolated, dry run exact.

:func:`run_billing` is what a panel's cron calls once a day (or once a minute: a second run
for the same day creates nothing). Clients are streamed in pages of ids, so memory does not
grow with the number of clients, and only clients holding a service due within the run's
look-ahead are visited: a service due later has no event yet.

For each client, :func:`~hostbill_core.usecases.billing_client.bill_client` proposes what
the client's history implies and reconciles it with what exists. Then the unit of work is
committed, or rolled back in a dry run: the dry run and the real run are the same code, so
they report the same thing. Events go to the sink only after a commit: a client that failed
or a dry run sends nothing. A client whose unit of work raises is reported with its error and
left as it was; the run goes on, and the next run picks the client up again.

>>> from datetime import date
>>> from hostbill_core.adapters.memory import MemoryStore
>>> report = run_billing(MemoryStore().unit_of_work, date(2026, 3, 1), BillingSettings())
>>> print(report.explanation)
run of 2026-03-01: 0 client(s), 0 service(s) examined; 0 invoice(s) (nothing),
0 action(s), 0 event(s), 0 client(s) failed
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime, timedelta

from hostbill_core.errors import ValidationError
from hostbill_core.model import ClientId
from hostbill_core.ports import EventSink, ExchangeRates, UnitOfWork, UnitOfWorkFactory
from hostbill_core.usecases.billing_client import bill_client
from hostbill_core.usecases.billing_context import RunContext
from hostbill_core.usecases.billing_report import BillingRunReport, ClientFailure, ClientRun
from hostbill_core.usecases.billing_settings import BillingSettings
from hostbill_core.usecases.catalogue import Catalogue

__all__ = ["PAGE_SIZE", "iter_billing_run", "run_billing"]

PAGE_SIZE = 500
"""Client ids read per page while streaming clients."""


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

    Each client's unit of work is committed (or rolled back) before its run is yielded. Use it
    to report progress or to keep memory flat on a large shop; :func:`run_billing` is this
    stream summarised. Arguments as for :func:`run_billing`.
    """
    day = _check_day(as_of)
    with uow_factory() as uow:
        catalogue = Catalogue.load(uow)
    run = RunContext(day, settings, catalogue, rates)
    ids = clients if clients is not None else _candidates(uow_factory, run)
    dry = _DryRunNumbers() if dry_run else None
    for client_id in ids:
        yield _bill(uow_factory, client_id, run, dry, events)


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


class _DryRunNumbers:
    """Invoice numbers in a dry run: the series as the real run would find it.

    Each client's unit of work is rolled back, which gives its numbers back; the next client
    would take them again. So the numbers a succeeding client took are counted and added to
    what the port gives the clients after it: the dry run reports the real run's numbers.
    """

    def __init__(self) -> None:
        self._offsets: dict[str, int] = {}
        self._taken: dict[str, int] = {}

    def bind(self, uow: UnitOfWork) -> Callable[[str], int]:
        """A ``next_number`` for one client's unit of work."""
        self._taken = {}

        def next_number(series: str) -> int:
            self._taken[series] = self._taken.get(series, 0) + 1
            return uow.invoice_numbers.next(series) + self._offsets.get(series, 0)

        return next_number

    def rolled_back(self) -> None:
        """The client succeeded: the real run would keep its numbers."""
        for series, count in self._taken.items():
            self._offsets[series] = self._offsets.get(series, 0) + count
        self._taken = {}


def _bill(
    uow_factory: UnitOfWorkFactory,
    client_id: ClientId,
    run: RunContext,
    dry: _DryRunNumbers | None,
    events: EventSink | None,
) -> ClientRun:
    try:
        with uow_factory() as uow:
            result = bill_client(uow, client_id, run, dry.bind(uow) if dry else None)
            if dry is None:
                uow.commit()
            else:
                uow.rollback()
                dry.rolled_back()
    except Exception as error:  # one client's failure never stops the others
        return ClientRun(client_id, failure=ClientFailure.of(error))
    if events is not None and dry is None:
        for event in result.events:
            events.emit(event)
    return result
