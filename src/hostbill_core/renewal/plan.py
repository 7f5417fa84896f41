"""A renewal sequence compiled into day offsets from a due date, once per kind of service.

The lifecycle calendar and the daily run both read these plans: a plan lists, for one product
type, lead time and invoicing switch, every event relative to a due date (negative offsets
before it, positive after), so finding a service's events for a window is integer arithmetic.
"""

from __future__ import annotations

import enum
import functools
from datetime import date

import attrs

from hostbill_core.model.catalogue import ProductType
from hostbill_core.model.ids import ProductId
from hostbill_core.model.services import Service
from hostbill_core.renewal.sequence import ExpiryAction, ExpiryStep, RenewalSequence
from hostbill_core.renewal.settings import RenewalContext

__all__ = ["Entry", "EventKind", "Plan", "Planner"]


class EventKind(enum.Enum):
    """The kinds of lifecycle events, in the order they run on one day."""

    INVOICE = "invoice"
    REMINDER = "reminder"
    DUE = "due"
    EXPIRY = "expiry"

    @property
    def rank(self) -> int:
        """The position of the kind within a day: invoice, reminder, due date, expiry step."""
        return _RANKS[self]


_RANKS = {kind: i for i, kind in enumerate(EventKind)}


@attrs.frozen
class Entry:
    """One event of a plan, ``offset`` days from the due date it belongs to."""

    offset: int
    kind: EventKind
    step: str
    text: str
    actions: tuple[ExpiryAction, ...] = ()
    templates: tuple[str, ...] = ()

    def explain(self, due: date) -> str:
        """The event's explanation for a concrete due date."""
        return self.text.format(due=due.isoformat())


@attrs.frozen
class Plan:
    """The events of one due date (``current``) and of later ones (``later``), by offset.

    Attributes:
        current: every event of the next unpaid due date, sorted by offset then kind.
        later: the events of a later due date (invoice, reminders, due date) when invoicing
            continues while unpaid; empty otherwise.
        cutoff: the offset of the first step that cancels the service; nothing after it.
        first: the smallest offset of ``current``; ``last`` the largest.
        later_first: the smallest offset of ``later`` (0 when it is empty).
    """

    current: tuple[Entry, ...]
    later: tuple[Entry, ...]
    cutoff: int | None
    first: int = attrs.field(init=False)
    last: int = attrs.field(init=False)
    later_first: int = attrs.field(init=False)

    @first.default
    def _first(self) -> int:
        return self.current[0].offset

    @last.default
    def _last(self) -> int:
        return self.current[-1].offset

    @later_first.default
    def _later_first(self) -> int:
        return self.later[0].offset if self.later else 0


def _before_due(sequence: RenewalSequence, lead: int) -> list[Entry]:
    reminders = sequence.reminder_days
    if sequence.invoice_with_reminder and reminders and reminders[0] > lead:
        invoice = Entry(
            -reminders[0],
            EventKind.INVOICE,
            "invoice",
            f"invoice for the renewal due {{due}}, issued with the first reminder, "
            f"{reminders[0]} days before it (earlier than the {lead} days lead time)",
        )
    else:
        invoice = Entry(
            -lead,
            EventKind.INVOICE,
            "invoice",
            f"invoice for the renewal due {{due}}, issued {lead} days before it (lead time)",
        )
    entries = [invoice]
    for days in reminders:
        text = f"reminder {days} days before the due date {{due}}"
        entries.append(Entry(-days, EventKind.REMINDER, f"reminder-{days}", text))
    entries.append(Entry(0, EventKind.DUE, "due", "the renewal is due {due}"))
    return entries


def _expiry(step: ExpiryStep) -> Entry:
    actions = ", ".join(a.value for a in step.actions)
    sends = f" ({', '.join(step.templates)})" if step.templates else ""
    text = f"day {step.day} after the due date {{due}}, still unpaid: {actions}{sends}"
    return Entry(step.day, EventKind.EXPIRY, step.step, text, step.actions, step.templates)


def _sort(entries: list[Entry]) -> tuple[Entry, ...]:
    return tuple(sorted(entries, key=lambda e: (e.offset, e.kind.rank, e.step)))


@functools.lru_cache(maxsize=256)
def compile_plan(
    sequence: RenewalSequence, product_type: ProductType | None, lead: int, continues: bool
) -> Plan:
    """The plan for services of ``product_type`` with ``lead`` days and the invoicing switch.

    A pure function of immutable values, memoised: every call of the engine with the same
    sequence (a billing run calls it once per client) shares one compiled plan.
    """
    steps = sequence.steps_for(product_type)
    before = _before_due(sequence, lead)
    cancels = [s.day for s in steps if ExpiryAction.CANCEL in s.actions]
    return Plan(
        current=_sort(before + [_expiry(s) for s in steps]),
        later=_sort(before) if continues else (),
        cutoff=min(cancels) if cancels else None,
    )


class Planner:
    """Plans for one run, compiled on first use and shared by every service that fits them."""

    def __init__(self, sequence: RenewalSequence, context: RenewalContext) -> None:
        self._sequence = sequence
        self._context = context
        self._plans: dict[tuple[ProductType | None, int, bool], Plan] = {}
        self._by_product: dict[ProductId, Plan] = {}

    def plan(self, service: Service) -> Plan:
        """The plan for ``service``'s product type, lead time and invoicing switch."""
        clients = self._context.clients
        if not clients or service.client_id not in clients:
            # No client override: the plan depends on the product alone (the common case).
            plan = self._by_product.get(service.product_id)
            if plan is None:
                plan = self._by_product[service.product_id] = self._resolve(service)
            return plan
        return self._resolve(service)

    def _resolve(self, service: Service) -> Plan:
        context = self._context
        product_type = context.product_types.get(service.product_id)
        client = context.clients.get(service.client_id)
        lead = context.settings.lead_days(product_type, client)
        continues = context.settings.continues_invoicing(client)
        key = (product_type, lead, continues)
        plan = self._plans.get(key)
        if plan is None:
            plan = self._plans[key] = compile_plan(self._sequence, product_type, lead, continues)
        return plan
