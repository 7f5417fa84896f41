"""The lifecycle calendar of a service, and the actions due on one day: one function for both.

:func:`lifecycle_calendar` lists every event of a service's renewal — invoice issue,
reminders, the due date, expiry steps — in date order; :func:`actions_due` lists what must
happen on one day across many services. Both call the same event generator, so a preview
always equals what a run does.

The calendar is what happens if nothing changes: no payment arrives. Its events belong to the
service's next (oldest unpaid) due date: the invoice (``lead`` days before, or with the first
reminder), the reminders, the due date and the expiry steps that apply to its product type. No
event comes after a step that cancels the service. Later due dates get their invoice, reminders
and due-date events only when the "continue invoicing while unpaid" setting is on; their expiry
steps wait until the earlier renewal is paid. Services that are not active or suspended have
no events.

Every event has an idempotency key ``service / due date / step`` (steps: ``invoice``,
``reminder-<days>``, ``due``, ``expiry-<day>``). A payment moves the next due date, so the keys
of the paid due date leave the calendar: payment stops the sequence for that due date.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date

import attrs

from hostbill_core.calendar import BillingCycle
from hostbill_core.errors import ValidationError
from hostbill_core.model.ids import ServiceId
from hostbill_core.model.services import Service, ServiceStatus
from hostbill_core.renewal._checks import require_date
from hostbill_core.renewal.plan import Entry, EventKind, Plan, Planner
from hostbill_core.renewal.schedule import due_index, service_due_date
from hostbill_core.renewal.sequence import ExpiryAction, RenewalSequence
from hostbill_core.renewal.settings import RenewalContext
from hostbill_core.renewal.states import cancel, suspend

__all__ = [
    "EventKind",
    "LifecycleEvent",
    "actions_due",
    "apply_expiry_actions",
    "lifecycle_calendar",
    "next_event_on",
]

_LIVE = (ServiceStatus.ACTIVE, ServiceStatus.SUSPENDED)


@attrs.frozen
class LifecycleEvent:
    """One dated event in a service's renewal.

    Attributes:
        on: the day it happens.
        service_id: the service.
        due_date: the due date it belongs to.
        kind: invoice issue, reminder, due date or expiry step.
        step: the step's name in the key (``invoice``, ``reminder-7``, ``due``, ``expiry-30``).
        actions: an expiry step's actions, in order (empty for other kinds).
        templates: the email templates an expiry step sends.
        explanation: how its date was derived.
    """

    on: date
    service_id: ServiceId
    due_date: date
    kind: EventKind
    step: str
    actions: tuple[ExpiryAction, ...]
    templates: tuple[str, ...]
    explanation: str

    @property
    def key(self) -> str:
        """The idempotency key ``service / due date / step``: unique per service."""
        return f"{self.service_id}/{self.due_date.isoformat()}/{self.step}"


def _event(service: Service, due: date, entry: Entry, day: int) -> LifecycleEvent:
    return LifecycleEvent(
        date.fromordinal(day),
        service.id,
        due,
        entry.kind,
        entry.step,
        entry.actions,
        entry.templates,
        entry.explain(due),
    )


def _events(
    service: Service, plan: Plan, lo: int, hi: int, done: Collection[str] = frozenset()
) -> list[LifecycleEvent]:
    """The events of ``service`` dated in [lo, hi] (ordinals): THE generator for both views.

    Events whose key is in ``done`` are left out before they are built (the daily run's
    second pass over a day finds nearly all of them done).
    """
    due = service.next_due_date
    base = due.toordinal()
    if plan.cutoff is not None:
        hi = min(hi, base + plan.cutoff)
    events = []
    if base + plan.first <= hi and base + plan.last >= lo:
        prefix = f"{service.id}/{due.isoformat()}/"
        for entry in plan.current:
            day = base + entry.offset
            if lo <= day <= hi and prefix + entry.step not in done:
                events.append(_event(service, due, entry, day))
    if plan.later and base + _shortest(service.cycle) + plan.later_first <= hi:
        events.extend(_later_events(service, plan, lo, hi, done))
    return events


def _shortest(cycle: BillingCycle) -> int:
    # A lower bound on the days between two due dates: a month has at least 28 days.
    return 28 * cycle.in_months if cycle.is_calendar else cycle.in_days


def _later_events(
    service: Service, plan: Plan, lo: int, hi: int, done: Collection[str]
) -> list[LifecycleEvent]:
    events: list[LifecycleEvent] = []
    n = due_index(service, service.next_due_date) + 1
    while True:
        due = service_due_date(service, n)
        base = due.toordinal()
        if base + plan.later_first > hi:
            return events
        prefix = f"{service.id}/{due.isoformat()}/"
        for entry in plan.later:
            day = base + entry.offset
            if lo <= day <= hi and prefix + entry.step not in done:
                events.append(_event(service, due, entry, day))
        n += 1


def lifecycle_calendar(
    service: Service,
    sequence: RenewalSequence,
    until: date,
    *,
    context: RenewalContext | None = None,
    since: date | None = None,
) -> tuple[LifecycleEvent, ...]:
    """Every event of ``service``'s renewal up to ``until`` (inclusive), in date order.

    Args:
        service: the service as stored now.
        sequence: the reminders and expiry steps.
        until: the last day listed.
        context: settings, product types and client overrides (default: all defaults).
        since: the first day listed (default: the first event of the next due date).

    Raises:
        ValidationError: ``until`` or ``since`` is not a date, or ``since`` is after ``until``.
    """
    lo, hi = _window(since, until)
    planner = Planner(sequence, context or RenewalContext())
    if service.status not in _LIVE:
        return ()
    return tuple(sorted(_events(service, planner.plan(service), lo, hi), key=_order))


def actions_due(
    services: Iterable[Service],
    on: date,
    sequence: RenewalSequence,
    *,
    context: RenewalContext | None = None,
    since: date | None = None,
    done: Collection[str] = frozenset(),
    planner: Planner | None = None,
) -> tuple[LifecycleEvent, ...]:
    """What must happen on ``on``: the lifecycle events of every service dated that day.

    Computed by the same generator as :func:`lifecycle_calendar`, so for any service and day
    the two agree. To catch up after missed runs pass ``since`` (the last day already run):
    events dated after it and up to ``on`` are returned. Keys in ``done`` (already carried
    out) are left out, so nothing fires twice. A caller asking for many clients with the
    same ``sequence`` and ``context`` may pass the ``planner`` of those two, kept from one
    call to the next, so that each plan is compiled once (default: a new planner).

    Returns:
        The events in date order, services in the order given within a day.

    Raises:
        ValidationError: ``on`` or ``since`` is not a date, or ``since`` is not before ``on``.
    """
    require_date("on", on)
    if since is None:
        lo = hi = on.toordinal()
    else:
        require_date("since", since)
        if since >= on:
            raise ValidationError("since", since, f"the last day run is before {on}")
        lo, hi = since.toordinal() + 1, on.toordinal()
    if planner is None:
        planner = Planner(sequence, context or RenewalContext())
    due: list[LifecycleEvent] = []
    for service in services:
        if service.status in _LIVE:
            due.extend(_events(service, planner.plan(service), lo, hi, done))
    if since is not None:
        due.sort(key=lambda event: event.on)
    return tuple(due)


def next_event_on(
    services: Iterable[Service],
    after: date,
    sequence: RenewalSequence,
    *,
    context: RenewalContext | None = None,
    planner: Planner | None = None,
    kinds: Collection[EventKind] = tuple(EventKind),
) -> date | None:
    """The first day after ``after`` with an event of ``kinds`` for any of ``services``.

    What :func:`lifecycle_calendar` would list first after ``after`` (over every service
    and only the given kinds), computed from the plans without building the events: the next
    day a daily run has something to do for these services if nothing changes meanwhile.
    Keys carried out already are not looked at (an event after ``after`` is not done yet in
    a run that goes day by day), so the day is never later than the calendar's.

    Args:
        services: the services as they are now (those not live have no event).
        after: the last day already run; the answer is later than it.
        sequence: the reminders and expiry steps.
        context: settings, product types and client overrides (default: all defaults).
        planner: the plans of ``sequence`` and ``context``, kept across calls (default: new).
        kinds: the kinds of events that count (default: all).

    Returns:
        The day, or None when no event of those kinds will ever come without a change (a
        service past its cancelling step, or none live).

    Raises:
        ValidationError: ``after`` is not a date.
    """
    require_date("after", after)
    lo = after.toordinal() + 1
    if planner is None:
        planner = Planner(sequence, context or RenewalContext())
    wanted = frozenset(kinds)
    first: int | None = None
    for service in services:
        if service.status in _LIVE:
            day = _first_event(service, planner.plan(service), lo, wanted)
            if day is not None and (first is None or day < first):
                first = day
    return None if first is None else date.fromordinal(first)


def _first_event(service: Service, plan: Plan, lo: int, kinds: frozenset[EventKind]) -> int | None:
    """The ordinal of the first event of ``kinds`` on or after ``lo`` that _events lists."""
    base = service.next_due_date.toordinal()
    first = next(
        (base + e.offset for e in plan.current if base + e.offset >= lo and e.kind in kinds), None
    )
    if any(e.kind in kinds for e in plan.later):
        n = due_index(service, service.next_due_date) + 1
        while True:
            later = service_due_date(service, n).toordinal()
            if first is not None and later + plan.later_first > first:
                break  # no event of this due date or a later one comes sooner
            if plan.cutoff is not None and later + plan.later_first > base + plan.cutoff:
                break  # nothing after the cancelling step
            day = next(
                (
                    later + e.offset
                    for e in plan.later
                    if later + e.offset >= lo and e.kind in kinds
                ),
                None,
            )
            if day is not None:
                first = day if first is None else min(first, day)
            n += 1  # a later due date's reminder may come before this one's invoice
    if first is not None and plan.cutoff is not None and first > base + plan.cutoff:
        return None  # _events lists nothing after the cancelling step
    return first


def _window(since: date | None, until: date) -> tuple[int, int]:
    # Ordinals of the calendar's window; without ``since`` it starts at the first date there is.
    require_date("until", until)
    if since is None:
        return 1, until.toordinal()
    require_date("since", since)
    if since > until:
        raise ValidationError("since", since, f"the window starts on or before {until}")
    return since.toordinal(), until.toordinal()


def _order(event: LifecycleEvent) -> tuple[date, date, int]:
    return event.on, event.due_date, event.kind.rank


def apply_expiry_actions(service: Service, event: LifecycleEvent) -> Service:
    """Carry out an expiry step's status actions on ``service``, through the state machine.

    DISABLE suspends an active service; CANCEL cancels it. LOCKOUT and SEND_TEMPLATE are left
    to the caller (they act on the client and on email). A service already renewed past the
    event's due date is returned unchanged: payment stops the sequence. An action whose result
    already holds (disabling a suspended service) is skipped.

    Raises:
        ValidationError: the event belongs to another service.
    """
    if event.service_id != service.id:
        raise ValidationError("event", event.key, f"the event is not for service {service.id}")
    if event.kind is not EventKind.EXPIRY or service.next_due_date != event.due_date:
        return service
    for action in event.actions:
        if action is ExpiryAction.DISABLE and service.status is ServiceStatus.ACTIVE:
            service = suspend(service)
        elif action is ExpiryAction.CANCEL and service.status in _LIVE:
            service = cancel(service)
    return service
