"""Placing and reviewing orders: price, discounts, tax, fraud screening, approval, first invoice.

:func:`place_order` prices each line in the client's currency (client discount, then a
promotion code), screens the order with the fraud engine (its ports passed in) and the
approval policy, and in one unit of work stores the order, the pending services of an accepted
order, and the first invoice (taxed, numbered, credit applied). A rejected order gets no
service and no invoice. An order held for review or approval is invoiced (the client may pay
meanwhile) but gets its services only when :func:`review_order` accepts it; a rejected,
dropped or cancelled order's unpaid first invoice is cancelled. A line may name one of the
client's service groups: the order item keeps it, and the services join it when they are
created (:mod:`~hostbill_core.usecases.order_groups`).

The first invoice bills each service's first period as its renewal line, so paying it
activates and renews the service through the one renewal path
(:mod:`~hostbill_core.usecases.renewals`).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import datetime

import attrs

from hostbill_core.fraud import (
    NO_APPROVAL,
    ApprovalPolicy,
    ApprovalRequirement,
    Assessment,
    FraudConfig,
    FraudEvent,
    FraudPorts,
    FraudRequest,
    StaffAction,
    Transition,
    approval_requirement,
    approve,
    assess,
    cancel,
    gather_context,
    item_types,
    screen,
)
from hostbill_core.fraud.review import complete, drop, reject
from hostbill_core.invoicing.grouping import group_items
from hostbill_core.invoicing.lifecycle import cancel as cancel_invoice
from hostbill_core.model import (
    Client,
    ClientId,
    InvoiceStatus,
    Order,
    OrderId,
    OrderStatus,
    Service,
    ServiceId,
    ServiceStatus,
)
from hostbill_core.model.checks import aware_instant
from hostbill_core.ports import EventSink, ExchangeRates, UnitOfWork, UnitOfWorkFactory
from hostbill_core.pricing import Promotion
from hostbill_core.usecases.billing_context import RunContext
from hostbill_core.usecases.billing_invoices import issue_draft
from hostbill_core.usecases.billing_report import BillingEvent, IssuedInvoice
from hostbill_core.usecases.billing_settings import BillingSettings
from hostbill_core.usecases.billing_work import ClientWork
from hostbill_core.usecases.catalogue import Catalogue
from hostbill_core.usecases.one_time import NOMINAL_CYCLE, activate_paid, one_time_key
from hostbill_core.usecases.order_groups import check_groups, join_groups, layout_groups
from hostbill_core.usecases.order_pricing import (
    OrderLine,
    PricedLine,
    price_line,
)
from hostbill_core.usecases.promotions import Redeemed, redeem_on_order
from hostbill_core.usecases.renewal_items import renewal_key

__all__ = [
    "OrderLine",
    "OrderOutcome",
    "PlaceOrder",
    "ReviewDecision",
    "ReviewOrder",
    "place_order",
    "review_order",
]


@attrs.frozen
class PlaceOrder:
    """An order as the client placed it.

    Attributes:
        order_id: the new order's id; its services are ``<order_id>-1``, ``-2`` …
        client_id: the client.
        placed_at: when, an aware instant (its date starts the services).
        ip: the address it was placed from.
        lines: what was ordered.
        promotion: a promotion code entered, if any (checked and redeemed).
        promotion_once_per_client: the code may be used once per client, even when the
            promotion's own ``once_per_client`` is False (either flag limits it; prefer the
            promotion's, a property of the code).
        card_fingerprint: the paying card's fingerprint, for the fraud checks.
        placed_by_admin: staff placed it for the client.
    """

    order_id: OrderId
    client_id: ClientId
    placed_at: datetime = attrs.field(validator=aware_instant)
    ip: str
    lines: tuple[OrderLine, ...]
    promotion: Promotion | None = None
    card_fingerprint: str = ""
    placed_by_admin: bool = False
    promotion_once_per_client: bool = False


@attrs.frozen
class OrderOutcome:
    """What an order step did.

    Attributes:
        order: the order as stored.
        services: the services created or changed, as stored.
        invoices: the invoices issued.
        events: fraud events, then billing events, in order.
        assessment: the fraud assessment (placing only).
        promotion: the promotion with this use counted (``uses``), or None: no code, or a
            rejected order (it uses none). Its use is stored too.
        notes: what else was done, in words (services joining their service groups).
    """

    order: Order
    services: tuple[Service, ...] = ()
    invoices: tuple[IssuedInvoice, ...] = ()
    events: tuple[FraudEvent | BillingEvent, ...] = ()
    assessment: Assessment | None = None
    promotion: Promotion | None = None
    notes: tuple[str, ...] = ()


def _services(order: Order) -> list[Service]:
    # Pending, anchored on the order's day: the first invoice bills [that day, + one cycle),
    # or once for a one-time or free plan (whose service never renews: see one_time).
    start = order.placed_at.date()
    return [
        Service(
            ServiceId(item.service_id or ""), order.client_id, item.product_id, item.plan_id,
            item.cycle or NOMINAL_CYCLE, start, start, ServiceStatus.PENDING, item.description,
            group_id=item.group_id,
        )
        for item in order.items
    ]  # fmt: skip


def _start_services(uow: UnitOfWork, order: Order, work: ClientWork | None = None) -> list[str]:
    # The services join the groups their order asked for; a held order's join on acceptance.
    services, told = join_groups(uow, _services(order))
    for service in services:
        stored = uow.services.add(service)
        if work is not None:
            work.loaded[stored.id] = work.services[stored.id] = stored
    if work is not None:
        started = [ServiceId(item.service_id or "") for item in order.items]
        work.renew(started)
        _activate(work, started)
    return told


def _activate(work: ClientWork, service_ids: Iterable[ServiceId]) -> None:
    # Services on a one-time or free plan whose one charge is paid start active.
    for service_id in sorted(service_ids):
        service, event = activate_paid(work.uow, work.services[service_id], work.run.as_of)
        if event is not None:
            work.services[service_id] = service
            work.emit(event)


def _cancel_first_invoice(uow: UnitOfWork, order: Order) -> None:
    seen = set()
    for service in _services(order):
        keys = (renewal_key(service, service.next_due_date), one_time_key(service.id))
        owner = next(filter(None, map(uow.invoices.owner_of_key, keys)), None)
        if owner is None or owner in seen:
            continue
        seen.add(owner)
        invoice = uow.invoices.get(owner)
        held = invoice.amount_paid + invoice.credit_applied
        if invoice.status is InvoiceStatus.UNPAID and held.amount == 0:
            uow.invoices.save(cancel_invoice(invoice).invoice)


def _priced(uow: UnitOfWork, request: PlaceOrder, run: RunContext) -> list[PricedLine]:
    client = uow.clients.get(request.client_id)
    start = request.placed_at.date()
    return [
        price_line(
            line, index=i, service_id=ServiceId(f"{request.order_id}-{i + 1}"), client=client,
            start=start, catalogue=run.catalogue, settings=run.settings,
            promotion=request.promotion, rates=run.rates,
        )
        for i, line in enumerate(request.lines)
    ]  # fmt: skip


def _invoice(
    uow: UnitOfWork, run: RunContext, order: Order, priced: list[PricedLine]
) -> ClientWork:
    work = ClientWork.load(uow, uow.clients.get(order.client_id), run)
    billables = [b for line in priced for b in line.billables]
    groups = layout_groups(uow, order.client_id, billables)
    paid: set[ServiceId] = set()
    for draft in group_items(billables, run.settings.grouping, groups).drafts:
        if issue_draft(work, draft):
            paid.update(ServiceId(b.service_id or "") for b in draft.items)
    work.renew(paid & set(work.services))
    _activate(work, paid & set(work.services))
    work.store()
    return work


def _redeemed(uow: UnitOfWork, request: PlaceOrder) -> Redeemed | None:
    if request.promotion is None:
        return None
    return redeem_on_order(
        uow, request.promotion, order_id=request.order_id, client_id=request.client_id,
        on=request.placed_at.date(), lines=request.lines,
        once_per_client=request.promotion_once_per_client,
    )  # fmt: skip


@attrs.frozen
class _Screening:
    fraud: FraudPorts
    config: FraudConfig | None
    approval: ApprovalPolicy | None


def _screened(
    request: PlaceOrder, order: Order, client: Client, run: RunContext, screening: _Screening
) -> tuple[Transition, Assessment]:
    products = tuple(run.catalogue.products.values())
    context = gather_context(
        FraudRequest(order, client, item_types(order, products), request.card_fingerprint),
        screening.fraud,
    )
    assessment = assess(context, screening.config)
    approval = screening.approval
    needs = approval_requirement(client, approval) if approval else NO_APPROVAL
    return screen(context, assessment, request.placed_at, needs), assessment


def place_order(
    new_uow: UnitOfWorkFactory,
    request: PlaceOrder,
    settings: BillingSettings,
    fraud: FraudPorts,
    *,
    fraud_config: FraudConfig | None = None,
    approval: ApprovalPolicy | None = None,
    rates: ExchangeRates | None = None,
    events: EventSink | None = None,
) -> OrderOutcome:
    """Price, screen and store an order with its pending services and first invoice.

    A promotion code is checked and its use stored with the order (a rejected order uses
    none): see :mod:`~hostbill_core.usecases.promotions`.

    Raises:
        NotFoundError: no such client.
        ValidationError: no lines, a plan of another product, a recurring plan without a
            cycle or a one-time plan with one, a promotion code that fits no line, expired,
            is used up or was used by the client already (once per client), a bad IP, a
            service group that is not the client's.
        ConfigurationError: no price and no rate for the client's currency.
        ConflictError: the order id is taken, or another order took the code's use meanwhile.
    """
    with new_uow() as uow:
        run = RunContext(request.placed_at.date(), settings, Catalogue.load(uow), rates)
        client = uow.clients.get(request.client_id)
        check_groups(uow, client.id, request.lines)
        redeemed = _redeemed(uow, request)
        priced = _priced(uow, request, run)
        order = Order(
            request.order_id, client.id, request.placed_at, request.ip, client.currency,
            tuple(p.item for p in priced), promo_code=request.promotion.code
            if request.promotion else "", placed_by_admin=request.placed_by_admin,
        )  # fmt: skip
        screening = _Screening(fraud, fraud_config, approval)
        moved, assessment = _screened(request, order, client, run, screening)
        stored = uow.orders.add(moved.order)
        told = _start_services(uow, stored) if stored.status is OrderStatus.ACTIVE else []
        work, promotion = None, None
        if stored.status is not OrderStatus.REJECTED:
            work = _invoice(uow, run, stored, priced)
            if redeemed is not None:
                uow.promotion_redemptions.add(redeemed.record)
                promotion = redeemed.promotion
        uow.commit()
    return _outcome(
        stored, moved.events, work, assessment=assessment, promotion=promotion, sink=events,
        notes=told,
    )  # fmt: skip


def _outcome(
    order: Order,
    fraud_events: tuple[FraudEvent, ...],
    work: ClientWork | None,
    *,
    assessment: Assessment | None = None,
    promotion: Promotion | None = None,
    sink: EventSink | None = None,
    notes: list[str] | None = None,
) -> OrderOutcome:
    raised: tuple[FraudEvent | BillingEvent, ...] = fraud_events
    services: tuple[Service, ...] = ()
    invoices: tuple[IssuedInvoice, ...] = ()
    if work is not None:
        raised = (*raised, *work.events)
        invoices = tuple(work.invoices)
        services = tuple(s for s in work.services.values() if s.client_id == order.client_id)
        services = tuple(s for s in services if s.id.startswith(f"{order.id}-"))
    if sink is not None:
        for event in raised:
            sink.emit(event)
    return OrderOutcome(
        order, services, invoices, raised, assessment, promotion, tuple(notes or ())
    )


class ReviewDecision(enum.Enum):
    """What staff decide about a held order."""

    COMPLETE = "complete"
    DROP = "drop"
    REJECT = "reject"
    APPROVE = "approve"
    CANCEL = "cancel"


@attrs.frozen
class ReviewOrder:
    """A staff decision on an order in review or awaiting approval."""

    order_id: OrderId
    decision: ReviewDecision
    action: StaffAction


def review_order(
    new_uow: UnitOfWorkFactory,
    request: ReviewOrder,
    settings: BillingSettings,
    *,
    approval: ApprovalPolicy | None = None,
    events: EventSink | None = None,
) -> OrderOutcome:
    """Move a held order; an accepted one gets its services, a refused one loses its invoice.

    Raises:
        NotFoundError: no such order.
        InvalidTransitionError: the decision does not fit the order's status.
    """
    with new_uow() as uow:
        order = uow.orders.get(request.order_id)
        client = uow.clients.get(order.client_id)
        needs = approval_requirement(client, approval) if approval else NO_APPROVAL
        moved = _decide(order, request, needs)
        stored = uow.orders.save(moved.order)
        run = RunContext(request.action.at.date(), settings, Catalogue.load(uow))
        work = ClientWork.load(uow, client, run)
        told: list[str] = []
        if stored.status is OrderStatus.ACTIVE:
            told = _start_services(uow, stored, work)
        elif stored.status in (OrderStatus.DROPPED, OrderStatus.REJECTED, OrderStatus.CANCELLED):
            _cancel_first_invoice(uow, stored)
        work.store()
        uow.commit()
    return _outcome(stored, moved.events, work, sink=events, notes=told)


def _decide(order: Order, request: ReviewOrder, needs: ApprovalRequirement) -> Transition:
    decision, action = request.decision, request.action
    if decision is ReviewDecision.COMPLETE:
        return complete(order, action, needs)
    steps = {
        ReviewDecision.DROP: drop, ReviewDecision.REJECT: reject,
        ReviewDecision.APPROVE: approve, ReviewDecision.CANCEL: cancel,
    }  # fmt: skip
    return steps[decision](order, action)
