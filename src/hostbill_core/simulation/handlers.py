"""The scenario's events carried out on their day, each through its use case.

Every handler first checks whether its event already happened (an order or a credit entry
under the event's id, a payment under it, a client already in the new currency, a service
already on the new plan, already cancelled or with its end-of-term cancellation requested)
and then does nothing: a day run twice changes nothing. A refusal is recorded by
:meth:`~hostbill_core.simulation.shop.Shop.guard` as an error of the day, and the simulation
goes on. A cancellation goes through :func:`~hostbill_core.usecases.cancel_service`; an
end-of-term one is stored as a request and carried out on its day by
:func:`~hostbill_core.usecases.cancel_due_services`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial
from typing import Any

from hostbill_core.fraud import FraudEvent, StaffAction
from hostbill_core.fraud.review import feed_history
from hostbill_core.model import (
    CreditEntryId,
    OrderId,
    OrderStatus,
    Payment,
    PaymentId,
    PlanId,
    ServiceStatus,
)
from hostbill_core.pricing import ChangeSettings, ChangeTiming
from hostbill_core.simulation import scenario as sc
from hostbill_core.simulation.result import ClientError, TimelineEntry
from hostbill_core.simulation.shop import Shop, instant
from hostbill_core.usecases import orders as order_cases
from hostbill_core.usecases.add_credit import AddCredit, add_credit
from hostbill_core.usecases.cancellation import (
    CancellationMode,
    CancellationOutcome,
    cancel_due_services,
    cancel_service,
)
from hostbill_core.usecases.currency import ChangeClientCurrency, change_client_currency
from hostbill_core.usecases.order_pricing import OrderLine
from hostbill_core.usecases.pay_invoice import pay_invoice
from hostbill_core.usecases.payments import PayInvoices
from hostbill_core.usecases.plan_change import ChangePlan, change_plan

__all__ = ["apply", "cancel_due"]

_ENDED = (ServiceStatus.CANCELLED, ServiceStatus.TERMINATED)
_HELD = (OrderStatus.IN_REVIEW, OrderStatus.AWAITING_APPROVAL)
_STAFF = "scenario"


def apply(shop: Shop, day: date, event: sc.Event) -> None:
    """Carry out one scenario event on ``day``; a refusal becomes an error of the day."""
    handler = _HANDLERS[type(event)]
    who = str(getattr(event, "client", None) or getattr(event, "service", None) or event.id)
    shop.guard(day, who, partial(handler, shop, day, event))


def cancel_due(shop: Shop, day: date) -> None:
    """Carry out the end-of-term cancellations that fall due on ``day`` (stored requests)."""
    done = cancel_due_services(shop.new_uow, day)
    for outcome in done.outcomes:
        _note_cancellation(shop, day, outcome)
    for service_id, failure in done.failures:
        shop.errors.append(ClientError(day, service_id, f"{failure.error_type}: {failure.message}"))


def _order(shop: Shop, day: date, event: sc.PlaceOrder) -> None:
    with shop.new_uow() as uow:
        if uow.orders.find(event.id) is not None:
            return
        plans = {p.id: p for p in uow.plans.list()}
    lines = tuple(
        OrderLine(plans[PlanId(i.plan_id)].product_id, PlanId(i.plan_id), i.cycle, i.name)
        for i in event.items
    )
    request = order_cases.PlaceOrder(
        OrderId(event.id), event.client, instant(day, 10), event.ip, lines
    )
    settings = shop.scenario.settings
    outcome = order_cases.place_order(
        shop.new_uow, request, settings.billing, shop.fraud,
        fraud_config=settings.fraud, rates=shop.rates,
    )  # fmt: skip
    feed_history(shop.history, (e for e in outcome.events if isinstance(e, FraudEvent)))
    assessment = outcome.assessment
    scored = f"; fraud score {assessment.score}, {assessment.decision.value}" if assessment else ""
    detail = f"{len(event.items)} item(s), order {outcome.order.status.value}{scored}"
    shop.note(TimelineEntry(day, "order.placed", event.client, event.id, None, detail))
    shop.issued(day, event.client, outcome.invoices)
    shop.billing_events(day, outcome.events)


_DECISIONS = {
    sc.ReviewDecision.REJECT: order_cases.ReviewDecision.REJECT,
    sc.ReviewDecision.DROP: order_cases.ReviewDecision.DROP,
    sc.ReviewDecision.CANCEL: order_cases.ReviewDecision.CANCEL,
}


def _review(shop: Shop, day: date, event: sc.ReviewOrder) -> None:
    with shop.new_uow() as uow:
        order = uow.orders.get(event.order)
    if order.status not in _HELD:  # decided already (or never held): nothing to review
        return
    decision = _DECISIONS.get(event.decision)
    if decision is None:  # approve: a fraud review completes, an approval approves
        genuine = order.status is OrderStatus.IN_REVIEW
        decision = (
            order_cases.ReviewDecision.COMPLETE if genuine else order_cases.ReviewDecision.APPROVE
        )
    action = StaffAction(_STAFF, instant(day, 11), f"scenario event {event.id}")
    request = order_cases.ReviewOrder(order.id, decision, action)
    outcome = order_cases.review_order(shop.new_uow, request, shop.scenario.settings.billing)
    feed_history(shop.history, (e for e in outcome.events if isinstance(e, FraudEvent)))
    detail = f"{event.decision.value}: {order.status.value} → {outcome.order.status.value}"
    shop.note(TimelineEntry(day, "order.reviewed", order.client_id, order.id, None, detail))
    shop.issued(day, order.client_id, outcome.invoices)
    shop.billing_events(day, outcome.events)


def _change_plan(shop: Shop, day: date, event: sc.ChangePlan) -> None:
    with shop.new_uow() as uow:
        service = uow.services.get(event.service)
        state = uow.billing_states.find(service.client_id)
    cycle = event.cycle or service.cycle
    if (service.plan_id, service.cycle) == (event.plan_id, cycle):
        return
    if state is not None and any(
        (s.service_id, s.plan_id, s.cycle) == (service.id, event.plan_id, cycle)
        for s in state.scheduled
    ):
        return
    timing = ChangeTiming.IMMEDIATE if event.immediately else ChangeTiming.END_OF_TERM
    change = ChangePlan(service.id, PlanId(event.plan_id), cycle, day, ChangeSettings(timing))
    result = change_plan(shop.new_uow, change, shop.scenario.settings.billing, rates=shop.rates)
    when = "now" if event.immediately else f"from {result.outcome.effective_on}"
    kind = "upgrade" if event.upgrade else "downgrade"
    detail = f"{kind} {service.plan_id} → {event.plan_id} ({cycle}) {when}: "
    detail += result.outcome.explanation
    kind_of_entry = "plan.changed" if event.immediately else "plan.change_scheduled"
    shop.note(TimelineEntry(day, kind_of_entry, service.client_id, service.id, None, detail))
    if result.invoice is not None:
        shop.issued(day, service.client_id, (result.invoice,))
    if result.credit is not None:
        credit = result.credit
        shop.note(
            TimelineEntry(
                day, "credit.added", credit.client_id, credit.id, credit.amount, "plan change"
            )
        )


def _cancel(shop: Shop, day: date, event: sc.CancelService) -> None:
    with shop.new_uow() as uow:
        service = uow.services.get(event.service)
        request = uow.cancellation_requests.find(event.service)
    if service.status in _ENDED or (request is not None and not event.immediately):
        return  # cancelled, or its end-of-term request made, already
    mode = CancellationMode.IMMEDIATE if event.immediately else CancellationMode.END_OF_TERM
    outcome = cancel_service(
        shop.new_uow, service.id, on=day, mode=mode, reason=f"scenario event {event.id}"
    )
    _note_cancellation(shop, day, outcome)


def _note_cancellation(shop: Shop, day: date, outcome: CancellationOutcome) -> None:
    service = outcome.service
    kind = "service.cancelled"
    if service.status is not ServiceStatus.CANCELLED:
        kind = "service.cancellation_requested"
    shop.note(TimelineEntry(day, kind, service.client_id, service.id, None, outcome.explanation))


def _currency(shop: Shop, day: date, event: sc.ChangeCurrency) -> None:
    with shop.new_uow() as uow:
        client = uow.clients.get(event.client)
    if client.currency == event.currency:
        return
    rate = shop.rates.rate(client.currency, event.currency, day)
    command = ChangeClientCurrency(
        event.client, event.currency, event.mode, rate, max((day - rate.as_of).days, 1)
    )
    plan = change_client_currency(shop.new_uow, command, shop.rates, shop.clock)
    change = f"{client.currency} → {event.currency} ({event.mode.value}) at {rate.rate}"
    detail = f"{change}: {plan.explanation}"
    shop.note(TimelineEntry(day, "client.currency_changed", event.client, event.id, None, detail))


def _credit(shop: Shop, day: date, event: sc.ManualCredit) -> None:
    entry_id = CreditEntryId(event.id)
    with shop.new_uow() as uow:
        if uow.credit.find(entry_id) is not None:
            return
    request = AddCredit(event.client, event.amount, entry_id, instant(day, 9), note=event.note)
    add_credit(shop.new_uow, request)
    shop.note(TimelineEntry(day, "credit.added", event.client, event.id, event.amount, event.note))


def _manual_payment(shop: Shop, day: date, event: sc.ManualPayment) -> None:
    payment_id = PaymentId(event.id)
    with shop.new_uow() as uow:
        if uow.payments.find(payment_id) is not None:
            return
    payment = Payment(payment_id, event.client, instant(day), event.amount, gateway="manual")
    request = PayInvoices(payment, day, credit_entry_id=CreditEntryId(f"{event.id}-credit"))
    shop.paid(day, pay_invoice(shop.new_uow, request), "by hand (oldest due first)")


_HANDLERS: dict[type, Callable[[Shop, date, Any], None]] = {
    sc.PlaceOrder: _order,
    sc.ReviewOrder: _review,
    sc.ChangePlan: _change_plan,
    sc.CancelService: _cancel,
    sc.ChangeCurrency: _currency,
    sc.ManualCredit: _credit,
    sc.ManualPayment: _manual_payment,
}
