"""Reading ``[[events]]``: orders, reviews, plan changes, cancellations, currency and credit.

Each event is checked in date order against what exists on its day.

Events run in date order; events of one day run in file order. An event may name only a
client, service or order that exists on its day (a service ordered on 3 March can be
upgraded on 4 March, not on 2 March), and a currency change needs an exchange rate dated on
or before it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import attrs

from hostbill_core.calendar import BillingCycle
from hostbill_core.model import ClientId, PaymentType, ServiceId
from hostbill_core.pricing import CurrencyChangeMode
from hostbill_core.simulation.catalogue import Catalogue
from hostbill_core.simulation.reader import Table, read_each
from hostbill_core.simulation.scenario import (
    CancelService,
    ChangeCurrency,
    ChangePlan,
    ClientSpec,
    Event,
    ManualCredit,
    ManualPayment,
    OrderItemSpec,
    PlaceOrder,
    ReviewDecision,
    ReviewOrder,
)

__all__ = ["EVENT_TYPES", "read_events"]

_DECISIONS = {d.value: d for d in ReviewDecision}
_MODES = {m.value: m for m in CurrencyChangeMode}
_WHEN = {"end_of_period": False, "immediately": True}
_CHANGE_WHEN = {"end_of_term": False, "immediately": True}


@attrs.define
class _Held:
    client: ClientId
    plan: str
    cycle: BillingCycle | None
    cancelled: bool = False


@attrs.define
class _State:
    """What exists on the day of the event being read."""

    catalogue: Catalogue
    currency: dict[str, str]
    services: dict[str, _Held]
    orders: set[str] = attrs.Factory(set)

    def client(self, table: Table, key: str = "client") -> ClientId:
        id = table.text(key)
        if id not in self.currency:
            raise table.fail(key, id, "no client of that id (clients and generated clients)")
        return ClientId(id)

    def service(self, table: Table) -> tuple[ServiceId, _Held]:
        id = table.text("service")
        held = self.services.get(id)
        if held is None:
            raise table.fail("service", id, "no service of that id on this day")
        if held.cancelled:
            raise table.fail("service", id, "the service was cancelled by an earlier event")
        return ServiceId(id), held

    def priced(self, table: Table, plan: str, cycle: BillingCycle | None, currency: str) -> None:
        if self.catalogue.price(plan, cycle, currency) is None:
            cycles = self.catalogue.cycles(plan, currency)
            raise table.fail(
                "cycle", str(cycle), f"plan {plan} has no price for it in {currency} ({cycles})"
            )

    def payment(self, plan: str) -> PaymentType | None:
        found = self.catalogue.plan(plan)
        return None if found is None else found.payment_type

    def plan(self, table: Table) -> str:
        id = table.text("plan")
        if self.catalogue.plan(id) is None:
            raise table.fail("plan", id, f"no plan of that id ({self.catalogue.plan_ids})")
        return id


def _order(table: Table, on: date, id: str, state: _State) -> PlaceOrder:
    client = state.client(table)
    items = read_each(table.tables("items"), lambda item: _item(item, state, client))
    if not items:
        raise table.fail("items", [], "an order has at least one item")
    if id in state.orders:
        raise table.fail("id", id, "an order id appears once")
    state.orders.add(id)
    order = PlaceOrder(on, id, client, items, table.text("ip", "192.0.2.1"))
    for n, item in enumerate(items):
        service = order.service_id(n)
        if service in state.services:
            raise table.fail("id", id, f"its service {service} would clash with a service id")
        state.services[service] = _Held(client, item.plan_id, item.cycle)
    return order


def _item(table: Table, state: _State, client: ClientId) -> OrderItemSpec:
    plan = state.plan(table)
    paid = state.payment(plan)
    if paid is PaymentType.RECURRING:
        cycle: BillingCycle | None = table.cycle("cycle")
    elif paid is PaymentType.ONE_TIME and "cycle" in table:
        raise table.fail("cycle", table.text("cycle"), f"plan {plan} is paid once: no cycle")
    else:  # one-time: none; free: optional, and it never renews
        cycle = table.cycle("cycle") if "cycle" in table else None
    if paid is not PaymentType.FREE:
        state.priced(table, plan, cycle, state.currency[client])
    return OrderItemSpec(plan, cycle, table.text("name", ""))


def _review(table: Table, on: date, id: str, state: _State) -> ReviewOrder:
    order = table.text("order")
    if order not in state.orders:
        raise table.fail("order", order, "no order event of that id on or before this day")
    return ReviewOrder(on, id, order, table.choice("decision", _DECISIONS))


def _plan_change(upgrade: bool) -> Callable[[Table, date, str, _State], ChangePlan]:
    def read(table: Table, on: date, id: str, state: _State) -> ChangePlan:
        service, held = state.service(table)
        if state.payment(held.plan) is not PaymentType.RECURRING:
            raise table.fail("service", service, f"plan {held.plan} is one-time or free: no change")
        plan = state.plan(table)
        cycle = table.cycle("cycle") if "cycle" in table else None
        state.priced(table, plan, cycle or held.cycle, state.currency[held.client])
        held.plan, held.cycle = plan, cycle or held.cycle
        now = table.choice("when", _CHANGE_WHEN, upgrade)
        return ChangePlan(on, id, service, plan, cycle, upgrade, now)

    return read


def _cancel(table: Table, on: date, id: str, state: _State) -> CancelService:
    service, held = state.service(table)
    held.cancelled = True
    return CancelService(on, id, service, table.choice("when", _WHEN, False))


def _currency(table: Table, on: date, id: str, state: _State) -> ChangeCurrency:
    client = state.client(table)
    new = table.currency("currency")
    old = state.currency[client]
    if new == old:
        raise table.fail("currency", new, f"the client is already billed in {old} on this day")
    mode = table.choice("mode", _MODES, CurrencyChangeMode.RECALCULATE)
    if mode is not CurrencyChangeMode.CODE_ONLY and not state.catalogue.has_rate(old, new, on):
        raise table.fail("currency", new, f"no {old}/{new} rate in [[rates]] on or before {on}")
    state.currency[client] = new
    return ChangeCurrency(on, id, client, new, mode)


def _credit(table: Table, on: date, id: str, state: _State) -> ManualCredit:
    client = state.client(table)
    amount = table.money("amount", state.currency[client])
    if amount.amount == 0:
        raise table.fail("amount", str(amount.amount), "a credit of zero changes nothing")
    return ManualCredit(on, id, client, amount, table.text("note", ""))


def _payment(table: Table, on: date, id: str, state: _State) -> ManualPayment:
    client = state.client(table)
    amount = table.money("amount", state.currency[client])
    if amount.amount <= 0:
        raise table.fail("amount", str(amount.amount), "a payment is above zero")
    return ManualPayment(on, id, client, amount)


#: The event types by their ``type`` name, each with its reader.
EVENT_TYPES: dict[str, Callable[[Table, date, str, _State], Event]] = {
    "order": _order,
    "review": _review,
    "upgrade": _plan_change(upgrade=True),
    "downgrade": _plan_change(upgrade=False),
    "cancel": _cancel,
    "currency": _currency,
    "credit": _credit,
    "payment": _payment,
}


def read_events(
    tables: list[Table], catalogue: Catalogue, clients: tuple[ClientSpec, ...], start: date
) -> tuple[Event, ...]:
    """Every ``[[events]]`` table, in date order, checked against what exists on its day.

    ``clients`` are all the scenario's clients, generated ones included.
    """
    heads = []
    ids: set[str] = set()
    for n, table in enumerate(tables, start=1):
        on = table.day("on")
        if on < start:
            raise table.fail("on", on, f"events happen on or after the start ({start})")
        id = table.text("id", f"event-{n}")
        if id in ids:
            raise table.fail("id", id, "an event id appears once")
        ids.add(id)
        heads.append((on, n, id, table, table.choice("type", EVENT_TYPES)))
    state = _State(
        catalogue,
        {c.id: c.currency for c in clients},
        {s.id: _Held(c.id, s.plan_id, s.cycle) for c in clients for s in c.services},
    )
    events = []
    for on, _, id, table, read in sorted(heads, key=lambda head: head[:2]):
        events.append(read(table, on, id, state))
        table.close()
    return tuple(events)
