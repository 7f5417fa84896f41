"""A client's billing day in progress: what was loaded, what changed, what to report.

:class:`ClientWork` is the one mutable thing of a run, and it lives inside one unit of work:
the steps change its services, done keys and lists; :meth:`ClientWork.store` writes what
changed (nothing when nothing did, so a second run writes nothing) and
:meth:`ClientWork.result` reports it.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from datetime import date

import attrs

from hostbill_core.calendar import BillingCycle
from hostbill_core.invoicing.credit import CreditLedger, CreditSettings
from hostbill_core.invoicing.lifecycle import Numbering, snapshot
from hostbill_core.model import (
    BillingState,
    CancellationRequest,
    Client,
    ClientId,
    ClientSnapshot,
    CreditEntry,
    PlanId,
    PromotionRedemption,
    QueuedItem,
    ScheduledChange,
    Service,
    ServiceId,
    ServiceStatus,
)
from hostbill_core.ports import UnitOfWork
from hostbill_core.renewal import EventKind, next_event_on
from hostbill_core.usecases.billing_context import RunContext
from hostbill_core.usecases.billing_marks import NEVER, Versions, holds, mark
from hostbill_core.usecases.billing_report import (
    ActionKind,
    ActionTaken,
    BillingEvent,
    ClientRun,
    IssuedInvoice,
)
from hostbill_core.usecases.lockout import has_overdue, unlocked
from hostbill_core.usecases.renewals import renew_paid, renewal_records

__all__ = ["ClientRecords", "ClientWork", "PageRecords"]

_LIVE = (ServiceStatus.ACTIVE, ServiceStatus.SUSPENDED)
_ACTING = (EventKind.INVOICE, EventKind.REMINDER, EventKind.EXPIRY)  # DUE events do nothing


@attrs.frozen
class ClientRecords:
    """What the run reads of a client before anything else: its record, state and services.

    Attributes:
        client: the client.
        state: its billing state (None: the run has not seen it yet).
        services: its services, ordered by id.
        cancellations: its end-of-term cancellation requests still waiting, by service id.
        credit: its credit entries, ordered by id (None: not read yet, read when needed).
        promotions: its promotion redemptions (None: likewise).
        queued: its queued items, ordered by id (None: likewise).
    """

    client: Client
    state: BillingState | None
    services: tuple[Service, ...]
    cancellations: tuple[CancellationRequest, ...]
    credit: tuple[CreditEntry, ...] | None = None
    promotions: tuple[PromotionRedemption, ...] | None = None
    queued: tuple[QueuedItem, ...] | None = None


class PageRecords:
    """The records of a page of clients, read with one query per kind (``for_clients``).

    The billing states are read by the caller, once their marks have told which clients of
    the page are skipped (:mod:`~hostbill_core.usecases.billing_marks`).
    Besides each client's record and services, its waiting cancellation requests, credit
    entries, promotion redemptions and queued items are read with the page: most clients have
    none, and one query per kind and page replaces four per client.

    Each client's records are handed out once (:meth:`take`): a client billed twice in one
    transaction reads its records again the second time, through the unit of work.
    """

    def __init__(
        self,
        uow: UnitOfWork,
        client_ids: Collection[ClientId],
        states: Mapping[ClientId, tuple[BillingState, ...]],
    ) -> None:
        self._clients: Mapping[ClientId, tuple[Client, ...]] = {}
        self._services: Mapping[ClientId, tuple[Service, ...]] = {}
        self._credit: Mapping[ClientId, tuple[CreditEntry, ...]] = {}
        self._promotions: Mapping[ClientId, tuple[PromotionRedemption, ...]] = {}
        self._queued: Mapping[ClientId, tuple[QueuedItem, ...]] = {}
        self._requests: Mapping[ClientId, tuple[CancellationRequest, ...]] = {}
        if client_ids:
            self._clients = uow.clients.for_clients(client_ids)
            self._services = uow.services.for_clients(client_ids)
            self._requests = uow.cancellation_requests.for_clients(client_ids)
            self._credit = uow.credit.for_clients(client_ids)
            self._promotions = uow.promotion_redemptions.for_clients(client_ids)
            self._queued = uow.queued_items.for_clients(client_ids)
        self._states = states
        self._taken: set[ClientId] = set()

    def take(self, client_id: ClientId) -> ClientRecords | None:
        """The client's records, or None when it has none or they were taken already."""
        found = self._clients.get(client_id)
        if not found or client_id in self._taken:
            return None
        self._taken.add(client_id)
        states = self._states.get(client_id, ())
        return ClientRecords(
            found[0],
            states[0] if states else None,
            self._services.get(client_id, ()),
            _waiting(self._requests.get(client_id, ())),
            self._credit.get(client_id, ()),
            self._promotions.get(client_id, ()),
            self._queued.get(client_id, ()),
        )


def _waiting(requests: Iterable[CancellationRequest]) -> tuple[CancellationRequest, ...]:
    return tuple(request for request in requests if request.pending)


@attrs.define
class ClientWork:
    """One client's services, memory and results while its unit of work is open.

    ``ends`` holds the day each service with a waiting end-of-term cancellation request stops
    being billed: the request's ``effective_on``, the start of the first term not paid for.
    """

    uow: UnitOfWork
    client: Client
    run: RunContext
    state: BillingState
    loaded: dict[ServiceId, Service]
    services: dict[ServiceId, Service]
    done: set[str]
    locked_out: bool
    scheduled: list[ScheduledChange]
    next_number: Callable[[str], int]
    records: ClientRecords
    ends: dict[ServiceId, date] = attrs.Factory(dict)
    invoices: list[IssuedInvoice] = attrs.Factory(list)
    actions: list[ActionTaken] = attrs.Factory(list)
    events: list[BillingEvent] = attrs.Factory(list)
    ledgers: dict[str, CreditLedger] = attrs.Factory(dict)
    _issuing: tuple[Numbering, ClientSnapshot, CreditSettings] | None = attrs.field(
        default=None, init=False
    )

    @classmethod
    def load(
        cls,
        uow: UnitOfWork,
        client: Client,
        run: RunContext,
        next_number: Callable[[str], int] | None = None,
        records: ClientRecords | None = None,
    ) -> ClientWork:
        """Load the client's services, state and waiting requests (or take them from ``records``).

        Args:
            uow: the client's unit of work.
            client: the client.
            run: the run's day, settings and catalogue.
            next_number: takes invoice numbers (default: ``uow.invoice_numbers.next``).
            records: the client's state, services and requests, read already with a page of
                clients.
        """
        if records is None:
            records = ClientRecords(
                client,
                uow.billing_states.find(client.id),
                uow.services.list(client_id=client.id),
                _waiting(uow.cancellation_requests.list(client_id=client.id)),
            )
        state = records.state or BillingState.new(client.id)
        loaded = {s.id: s for s in records.services}
        return cls(
            uow, client, run, state, loaded, dict(loaded), set(state.done),
            state.locked_out, list(state.scheduled), next_number or uow.invoice_numbers.next,
            records,
            {r.service_id: r.effective_on for r in records.cancellations},
        )  # fmt: skip

    def ledger(self, currency: str) -> CreditLedger:
        """The client's credit ledger in ``currency`` (loaded once, kept up to date).

        The entries come from the records when they were read with the client's page: the
        run writes a credit entry only after loading the ledger of its currency.
        """
        if currency not in self.ledgers:
            stored = self.records.credit
            if stored is None:
                stored = self.uow.credit.list(client_id=self.client.id)
            entries = tuple(e for e in stored if e.amount.currency.code == currency)
            self.ledgers[currency] = CreditLedger(self.client.id, currency, entries)
        return self.ledgers[currency]

    def issuing(self) -> tuple[Numbering, ClientSnapshot, CreditSettings]:
        """How the client's invoices are issued: numbering, client details, credit settings.

        The same for every invoice of the client's day (built on its first invoice): the
        run's numbering taking numbers from ``next_number``, the client's
        :func:`~hostbill_core.invoicing.lifecycle.snapshot` and the run's credit settings
        with the client's overrides.
        """
        if self._issuing is None:
            settings, client = self.run.settings, self.client
            self._issuing = (
                settings.numbering_with(self.next_number),
                snapshot(client),
                settings.credit.for_client(client.settings),
            )
        return self._issuing

    def promotions(self) -> tuple[PromotionRedemption, ...]:
        """The client's promotion redemptions (the billing run never changes them)."""
        if self.records.promotions is None:
            self.records = attrs.evolve(
                self.records,
                promotions=self.uow.promotion_redemptions.list(client_id=self.client.id),
            )
        return self.records.promotions or ()

    def queued(self) -> tuple[QueuedItem, ...]:
        """The client's queued items as they are now, ordered by id (see :meth:`unqueue`)."""
        if self.records.queued is None:
            found = self.uow.queued_items.list(client_id=self.client.id)
            self.records = attrs.evolve(self.records, queued=found)
        return self.records.queued or ()

    def unqueue(self, entries: Iterable[QueuedItem]) -> None:
        """Take ``entries`` out of the queue (they join an invoice) through the unit of work."""
        removed = set()
        for entry in entries:
            self.uow.queued_items.remove(entry.id)
            removed.add(entry.id)
        if removed:
            kept = tuple(q for q in self.queued() if q.id not in removed)
            self.records = attrs.evolve(self.records, queued=kept)

    def act(self, kind: ActionKind, subject: str, key: str, explanation: str) -> None:
        """Record a state change carried out."""
        self.actions.append(ActionTaken(kind, subject, key, explanation))

    def emit(self, event: BillingEvent) -> None:
        """Record an event for the host (sent after the commit, never in a dry run)."""
        self.events.append(event)

    def renew(self, service_ids: Iterable[ServiceId]) -> bool:
        """Renew those services whose next renewal is on a paid invoice; True when any moved."""
        moved = False
        for service_id in sorted(service_ids):
            renewed = renew_paid(self.uow, self.services[service_id], self.run.as_of)
            if renewed.changed:
                moved = True
                self.services[service_id] = renewed.service
                actions, events = renewal_records(self.client.id, renewed, self.run.as_of)
                self.actions.extend(actions)
                self.events.extend(events)
        return moved

    def _event(self, name: str, subject: str, key: str, text: str) -> BillingEvent:
        return BillingEvent(name, self.client.id, subject, key, self.run.as_of, "", text)

    def apply_scheduled_changes(self) -> None:
        """Move services to their scheduled plan once paid through the old plan's term.

        The switch is made as soon as a service's next due date reaches the change's date,
        so the renewal due then is priced (and invoiced) at the new plan.
        """
        waiting: list[ScheduledChange] = []
        for change in self.scheduled:
            service = self.services.get(change.service_id)
            if service is None or service.status not in _LIVE:
                continue
            if service.next_due_date < change.on:  # the old plan's term is not paid through
                waiting.append(change)
                continue
            self.services[service.id] = _switched(service, change.plan_id, change.cycle)
            key = f"{service.id}/{change.on.isoformat()}/plan-change"
            text = f"scheduled change to plan {change.plan_id} ({change.cycle}) from {change.on}"
            self.act(ActionKind.PLAN_CHANGE, service.id, key, text)
            self.emit(self._event("plan.changed", service.id, key, text))
        self.scheduled = waiting

    def unlock_if_paid_up(self) -> None:
        """Let a client locked out by an earlier run back in when nothing is due unpaid."""
        client_id, day = self.client.id, self.run.as_of
        if self.state.locked_out and self.locked_out and not has_overdue(self.uow, client_id, day):
            self.locked_out = False
            event = unlocked(client_id, day)
            self.act(ActionKind.UNLOCK, client_id, event.key, event.explanation)
            self.emit(event)

    def store(self, *, complete: bool = False) -> None:
        """Save every changed service and the billing state when it changed or its mark did.

        Args:
            complete: the billing run carried out everything of the day for the client: the
                state is marked (unless the client is locked out: whether it is let back in
                depends on its invoices, which the mark does not cover), and a stored state
                is written for its mark alone when the mark it holds does not cover the day
                (:mod:`~hostbill_core.usecases.billing_marks`). A rerun of a marked day finds
                the mark holding and writes nothing; a client the run never had anything to
                do for gets no state (one whose services the run cancelled, leaving no key to
                keep, gets one for the mark).
        """
        versions: dict[ServiceId, int] = {}
        for service_id, service in self.services.items():
            stored = loaded = self.loaded[service_id]
            if service is not loaded and service != loaded:
                stored = self.uow.services.save(service)
            versions[service_id] = stored.version
        done = tuple(sorted(self._kept_keys()))  # sorted, as the state keeps them
        old, locked_out, scheduled = self.state, self.locked_out, tuple(self.scheduled)
        unchanged = (done, locked_out, scheduled) == (old.done, old.locked_out, old.scheduled)
        marking = complete and bool(self.run.fingerprint) and not self.locked_out
        idle = old.version == 0 and not (self.invoices or self.actions or self.events)
        if unchanged and (not marking or idle or self._holds(old, versions)):
            return  # nothing changed: no state for an idle client, no mark that holds again
        checked = old.checked
        if marking:
            wake = self._wake() or NEVER
            marked = self._versions(versions, old.version + 1)  # the version once saved
            checked = mark(self.run.fingerprint, self.run.as_of, wake, marked)
        state = old.remembering(done, locked_out, scheduled, checked)
        if self.state.version == 0:
            self.uow.billing_states.add(state)
        else:
            self.uow.billing_states.save(state)

    def _holds(self, state: BillingState, versions: Mapping[ServiceId, int]) -> bool:
        """Whether ``state``'s mark covers the run's day with the services at ``versions``."""
        run, marked = self.run, self._versions(versions, state.version)
        return holds(state.checked, run.fingerprint, run.as_of, marked)

    def _versions(self, services: Mapping[ServiceId, int], state: int) -> Versions:
        client = self.client
        return Versions(client.id, client.version, tuple(sorted(services.items())), state)

    def _wake(self) -> date | None:
        """The first day after the run's with an event the run would carry out, if any.

        Due-date events do nothing in the run and do not count; a service's due dates from
        the day its waiting end-of-term request takes effect have no events at all.
        """
        run, ends = self.run, self.ends
        billable = [
            s
            for s in self.services.values()
            if run.catalogue.renews(s.plan_id)
            and (s.id not in ends or s.next_due_date < ends[s.id])
        ]
        if not billable:
            return None  # no renewal context asked for: a client override may refuse it
        context = run.renewal_context(self.client)
        planner = run.planner if context is run.renewal else None
        return next_event_on(
            billable, run.as_of, run.settings.sequence, context=context, planner=planner,
            kinds=_ACTING,
        )  # fmt: skip

    def _kept_keys(self) -> set[str]:
        # A key of a due date the service has passed can never be proposed again: prune it.
        next_due = {
            service_id: service.next_due_date.isoformat()
            for service_id, service in self.services.items()
            if service.status in _LIVE
        }
        kept = set()
        for key in self.done:
            service_id, due, _step = key.rsplit("/", 2)
            since = next_due.get(ServiceId(service_id))
            if since is not None and due >= since:
                kept.add(key)
        return kept

    def result(self) -> ClientRun:
        """The client's run as reported."""
        return ClientRun(
            self.client.id,
            len(self.services),
            tuple(self.invoices),
            tuple(self.actions),
            tuple(self.events),
        )


def _switched(service: Service, plan_id: PlanId, cycle: BillingCycle) -> Service:
    # The new plan starts on the due date: re-anchor there when the cycle changes.
    if cycle == service.cycle:
        return attrs.evolve(service, plan_id=plan_id)
    due = service.next_due_date
    return attrs.evolve(service, plan_id=plan_id, cycle=cycle, anchor=due, billing_day=None)
