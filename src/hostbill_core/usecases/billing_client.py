"""One client's billing day, inside one unit of work: propose everything, then reconcile.

:func:`bill_client` proposes every lifecycle event the client's services imply up to the run's
day (the renewal engine's :func:`~hostbill_core.renewal.actions_due`, from the first day there
is), leaves out what was done (event keys in the client's
:class:`~hostbill_core.model.BillingState`, invoice lines by natural key), and carries out
the rest in passes:

1. invoice events: price each renewal, group the items into invoices, tax each invoice, issue
   it (numbered), apply the credit balance;
2. renew every service whose renewal invoice is paid now (credit may pay one on issue);
3. every other event in date order, checked against the service as it is now: reminders and
   expiry emails become events, expiry steps suspend or cancel the service or lock the client
   out.

A service with a waiting end-of-term cancellation request (``usecases.cancellation``) gets no
event for a due date on or after the request's ``effective_on``: the term starting there is
not invoiced, reminded or expired, since the service ends with it.

A renewal moves a due date, which may imply new events: then another pass runs. The function
writes through the unit of work and never commits; the caller commits or rolls back.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from hostbill_core.model import (
    Client,
    ClientId,
    ClientStatus,
    Service,
)
from hostbill_core.ports import UnitOfWork
from hostbill_core.renewal import EventKind, LifecycleEvent, actions_due
from hostbill_core.usecases.billing_context import RunContext
from hostbill_core.usecases.billing_invoices import issue_renewals
from hostbill_core.usecases.billing_report import ClientRun
from hostbill_core.usecases.billing_steps import carry_out
from hostbill_core.usecases.billing_work import ClientRecords, ClientWork

__all__ = ["MAX_PASSES", "bill_client"]

MAX_PASSES = 100
"""Passes per client and run: each pass after the first follows a renewal that credit paid in
the pass before. A client still renewing after that many is left for the next run, which goes
on from where this one stopped (nothing is lost: the next run proposes it again)."""

_CLOSED = frozenset({ClientStatus.CLOSED, ClientStatus.ARCHIVED, ClientStatus.DELETED})
_BEGINNING = date.min


def bill_client(
    uow: UnitOfWork,
    client_id: ClientId,
    run: RunContext,
    next_number: Callable[[str], int] | None = None,
    records: ClientRecords | None = None,
) -> ClientRun:
    """Carry out ``client_id``'s billing day through ``uow`` (not committed).

    Args:
        uow: the client's unit of work (or the savepoint of it kept for the client).
        client_id: the client.
        run: the run's day, settings, catalogue and rates.
        next_number: takes invoice numbers (default: the unit of work's series).
        records: the client's record, state and services, read with its page of clients
            (default: read here).

    Raises:
        NotFoundError: no such client.
        HostbillError: a refusal of an engine (no price, a bad series…); the caller rolls
            the unit of work back and reports it.
    """
    client = uow.clients.get(client_id) if records is None else records.client
    if client.status in _CLOSED:
        return ClientRun(client_id)
    work = ClientWork.load(uow, client, run, next_number, records)
    complete = False
    for _ in range(MAX_PASSES):
        work.apply_scheduled_changes()
        events = _pending(work, client)
        if not events:
            complete = True
            break
        renewed = issue_renewals(work, [e for e in events if e.kind is EventKind.INVOICE])
        for event in events:
            if event.kind is not EventKind.INVOICE:
                carry_out(work, event)
        if not renewed:
            complete = True
            break
    work.unlock_if_paid_up()
    work.store(complete=complete)
    return work.result()


def _pending(work: ClientWork, client: Client) -> tuple[LifecycleEvent, ...]:
    run = work.run
    billable: list[Service] = [s for s in work.services.values() if run.catalogue.renews(s.plan_id)]
    if not billable:
        return ()
    context = run.renewal_context(client)
    events = actions_due(
        billable,
        run.as_of,
        run.settings.sequence,
        context=context,
        since=_BEGINNING,
        done=work.done,
        planner=run.planner if context is run.renewal else None,
    )
    ends = work.ends
    if not ends:
        return events
    return tuple(e for e in events if e.service_id not in ends or e.due_date < ends[e.service_id])
