"""Many clients in one transaction, each in its own savepoint: the billing run's unit of work.

A batch of clients is billed in one unit of work: the marks of their billing states are read
first (:meth:`~hostbill_core.ports.BillingStates.marks`, no state decoded), and clients whose
day is marked complete and unchanged are skipped
(:mod:`~hostbill_core.usecases.billing_marks`); the others' states and records are read with
one query per kind (:class:`~hostbill_core.usecases.billing_work.PageRecords`), each client
is billed inside a savepoint of its own (:meth:`~hostbill_core.ports.UnitOfWork.savepoint`),
and the batch is committed once. A client whose savepoint raises is rolled back whole (its invoice
numbers are given out again) and reported; the others go on. If the batch itself fails (its
reads, or its commit), nothing of it was stored: each of its clients is billed again in a
unit of work of its own, so a failure stays one client's. A process killed in the middle of a
batch leaves none of it written.

In a dry run the batch is rolled back instead of committed; :class:`DryRunNumbers` keeps the
invoice numbers the real run would take.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from hostbill_core.model import ClientId
from hostbill_core.ports import EventSink, UnitOfWork, UnitOfWorkFactory
from hostbill_core.usecases.billing_client import bill_client
from hostbill_core.usecases.billing_context import RunContext
from hostbill_core.usecases.billing_marks import quiet_clients
from hostbill_core.usecases.billing_report import ClientFailure, ClientRun
from hostbill_core.usecases.billing_work import PageRecords

__all__ = ["DryRunNumbers", "bill_batch"]


class DryRunNumbers:
    """Invoice numbers in a dry run: the series as the real run would find it.

    A dry run's transactions are rolled back, which gives their numbers back: the clients of
    the next batch would take them again. So the numbers each succeeding client took are
    counted, and once its batch is rolled back they are added to what the port gives later
    clients: the dry run reports the real run's numbers. Within a batch the port counts on
    by itself (a succeeding client's savepoint is kept until the batch rolls back).
    """

    def __init__(self) -> None:
        self._offsets: dict[str, int] = {}
        self._batch: dict[str, int] = {}
        self._taken: dict[str, int] = {}

    def bind(self, uow: UnitOfWork) -> Callable[[str], int]:
        """A ``next_number`` for one client billed through ``uow``."""
        self._taken = {}

        def next_number(series: str) -> int:
            self._taken[series] = self._taken.get(series, 0) + 1
            return uow.invoice_numbers.next(series) + self._offsets.get(series, 0)

        return next_number

    def kept(self) -> None:
        """The client succeeded: the real run would keep its numbers."""
        for series, count in self._taken.items():
            self._batch[series] = self._batch.get(series, 0) + count
        self._taken = {}

    def rolled_back(self) -> None:
        """The batch's transaction was rolled back: count its kept numbers forward."""
        for series, count in self._batch.items():
            self._offsets[series] = self._offsets.get(series, 0) + count
        self._batch = {}

    def lost(self) -> None:
        """The batch failed as a whole: its clients are billed again, one by one."""
        self._batch = {}
        self._taken = {}


def bill_batch(
    uow_factory: UnitOfWorkFactory,
    client_ids: Collection[ClientId],
    run: RunContext,
    dry: DryRunNumbers | None,
    events: EventSink | None,
) -> list[ClientRun]:
    """Bill ``client_ids`` in one transaction, each in a savepoint; their runs in order.

    Events go to ``events`` once the batch is committed (never in a dry run).
    """
    try:
        runs = _in_one_transaction(uow_factory, client_ids, run, dry)
    except Exception:  # the batch's reads or commit: nothing of it was stored
        if dry is not None:
            dry.lost()
        runs = [_alone(uow_factory, client_id, run, dry) for client_id in client_ids]
    if events is not None and dry is None:
        for client_run in runs:
            for event in client_run.events:
                events.emit(event)
    return runs


def _in_one_transaction(
    uow_factory: UnitOfWorkFactory,
    client_ids: Collection[ClientId],
    run: RunContext,
    dry: DryRunNumbers | None,
) -> list[ClientRun]:
    with uow_factory() as uow:
        marks = uow.billing_states.marks(client_ids)
        quiet = quiet_clients(uow, run.fingerprint, run.as_of, client_ids, marks)
        busy = [c for c in client_ids if c not in quiet]
        stated = [c for c in busy if c in marks]  # the others have no state
        states = uow.billing_states.for_clients(stated) if stated else {}
        records = PageRecords(uow, busy, states)
        runs = [
            ClientRun(client_id, quiet[client_id])
            if client_id in quiet
            else _in_savepoint(uow, client_id, run, records, dry)
            for client_id in client_ids
        ]
        _finish(uow, dry)
    return runs


def _in_savepoint(
    uow: UnitOfWork,
    client_id: ClientId,
    run: RunContext,
    records: PageRecords,
    dry: DryRunNumbers | None,
) -> ClientRun:
    try:
        with uow.savepoint():
            numbers = dry.bind(uow) if dry is not None else None
            result = bill_client(uow, client_id, run, numbers, records.take(client_id))
    except Exception as error:  # one client's failure never stops the others
        return ClientRun(client_id, failure=ClientFailure.of(error))
    if dry is not None:
        dry.kept()
    return result


def _alone(
    uow_factory: UnitOfWorkFactory,
    client_id: ClientId,
    run: RunContext,
    dry: DryRunNumbers | None,
) -> ClientRun:
    try:
        with uow_factory() as uow:
            result = bill_client(uow, client_id, run, dry.bind(uow) if dry else None)
            if dry is not None:
                dry.kept()
            _finish(uow, dry)
    except Exception as error:
        return ClientRun(client_id, failure=ClientFailure.of(error))
    return result


def _finish(uow: UnitOfWork, dry: DryRunNumbers | None) -> None:
    if dry is None:
        uow.commit()
    else:
        uow.rollback()
        dry.rolled_back()
