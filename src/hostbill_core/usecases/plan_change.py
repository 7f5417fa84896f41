"""Changing a service's plan (upgrade, downgrade, another cycle) in one unit of work.

The change falls in the service's paid period ``[previous due date, next due date)``; the
pricing engine's :func:`~hostbill_core.pricing.settle_plan_change` says what it costs under
the business's :class:`~hostbill_core.pricing.ChangeSettings`:

- ``END_OF_TERM``: nothing is billed now; the change is scheduled for the next due date and
  the billing run switches the plan before it invoices that renewal.
- ``IMMEDIATE`` on the same cycle: the unused rest of the period is credited at the old price
  and charged at the new one. A net charge is invoiced at once (taxed, numbered, credit
  applied); a net credit goes to the credit balance (or is refunded or dropped, as set). The
  due date does not move.
- ``IMMEDIATE`` to another cycle: the unused rest is credited to the balance and the service
  starts a new series on the change day, due that day: the next billing run invoices the new
  cycle (and applies the credit), and paying it renews the service as any renewal.

A price override of the service is for its old plan: the new plan's price applies.
"""

from __future__ import annotations

from datetime import date

import attrs
from moneyed import Money

from hostbill_core.calendar import BillingCycle, Period
from hostbill_core.errors import InvalidTransitionError, ValidationError
from hostbill_core.invoicing.credit import CreditLedger, post
from hostbill_core.invoicing.grouping import group_items
from hostbill_core.invoicing.items import BillableItem, natural_key
from hostbill_core.model import (
    BillingState,
    CreditEntry,
    CreditEntryId,
    CreditReason,
    LineKind,
    PaymentType,
    PlanId,
    ScheduledChange,
    Service,
    ServiceId,
    ServiceStatus,
)
from hostbill_core.money import sum_money, zero
from hostbill_core.ports import ExchangeRates, UnitOfWork, UnitOfWorkFactory
from hostbill_core.pricing import (
    ChangeSettings,
    ChangeTiming,
    PlanChangeLineKind,
    PlanChangeOutcome,
    PlanChangeRequest,
    Settlement,
    settle_plan_change,
)
from hostbill_core.renewal import due_index, service_due_date
from hostbill_core.usecases.billing_context import RunContext
from hostbill_core.usecases.billing_invoices import issue_draft
from hostbill_core.usecases.billing_report import IssuedInvoice
from hostbill_core.usecases.billing_settings import BillingSettings
from hostbill_core.usecases.billing_work import ClientWork
from hostbill_core.usecases.catalogue import Catalogue
from hostbill_core.usecases.renewal_items import renewal_price

__all__ = ["ChangePlan", "PlanChangeResult", "change_plan"]

_LIVE = (ServiceStatus.ACTIVE, ServiceStatus.SUSPENDED)


@attrs.frozen
class ChangePlan:
    """A request to move a service to another plan (and perhaps cycle) on a day.

    Attributes:
        service_id: the service.
        plan_id: the new plan (of the same product).
        cycle: the new billing cycle.
        on: the change day, within the service's paid period.
        settings: timing, where a downgrade's credit goes, setup differences, rounding.
        actor: who changes it, for the credit log.
    """

    service_id: ServiceId
    plan_id: PlanId
    cycle: BillingCycle
    on: date
    settings: ChangeSettings = ChangeSettings()
    actor: str = "staff"


@attrs.frozen
class PlanChangeResult:
    """What the change did: the service as stored, the pricing outcome, the invoice, credit."""

    service: Service
    outcome: PlanChangeOutcome
    invoice: IssuedInvoice | None
    credit: CreditEntry | None
    scheduled: ScheduledChange | None


def _change_id(service: Service) -> str:
    # The stored version numbers the changes of a service: two changes never share an id.
    return f"{service.id}-change-v{service.version}"


def _paid_period(service: Service, on: date) -> Period:
    n = due_index(service, service.next_due_date)
    period = Period(service_due_date(service, n - 1), service.next_due_date)
    if not period.start <= on < period.end:
        raise ValidationError(
            "on", on, f"a plan change falls in the paid period {period} of {service.id}"
        )
    return period


@attrs.frozen
class _Priced:
    """A change priced: the service before and after, the request and its outcome."""

    service: Service
    moved: Service
    change: ChangePlan
    request: PlanChangeRequest
    outcome: PlanChangeOutcome


def _request(
    uow: UnitOfWork, run: RunContext, service: Service, change: ChangePlan
) -> tuple[PlanChangeRequest, Service]:
    client = uow.clients.get(service.client_id)
    plan = run.catalogue.plan(change.plan_id)
    if plan.product_id != service.product_id:
        raise ValidationError("plan_id", change.plan_id, f"not a plan of {service.product_id}")
    if not run.catalogue.renews(service.plan_id):
        raise ValidationError(
            "service_id", service.id,
            f"plan {service.plan_id} is one-time or free: no paid period to change within; "
            "order the new plan instead",
        )  # fmt: skip
    if plan.payment_type is PaymentType.ONE_TIME:
        raise ValidationError("plan_id", plan.id, "a one-time plan is ordered, not changed to")
    moved = attrs.evolve(service, plan_id=plan.id, cycle=change.cycle, price_override=None)
    old, _ = renewal_price(
        service, client, run.catalogue, run.settings, rates=run.rates, on=change.on
    )
    new, _ = renewal_price(
        moved, client, run.catalogue, run.settings, rates=run.rates, on=change.on
    )
    period = _paid_period(service, change.on)
    request = PlanChangeRequest(period, change.on, old, service.cycle, new, change.cycle,
                                settings=change.settings)  # fmt: skip
    return request, moved


def change_plan(
    new_uow: UnitOfWorkFactory,
    change: ChangePlan,
    settings: BillingSettings,
    *,
    rates: ExchangeRates | None = None,
) -> PlanChangeResult:
    """Price and apply (or schedule) a plan change; all or nothing.

    Raises:
        NotFoundError: no such service or client.
        InvalidTransitionError: the service is not active or suspended.
        ValidationError: a plan of another product, a day outside the paid period, a service
            on a one-time or free plan, a one-time target plan.
        ConfigurationError: no price for the client's currency.
    """
    with new_uow() as uow:
        service = uow.services.get(change.service_id)
        if service.status not in _LIVE:
            raise InvalidTransitionError(
                "plan change", service.status.value, "changed", tuple(s.value for s in _LIVE)
            )
        run = RunContext(change.on, settings, Catalogue.load(uow), rates)
        request, moved = _request(uow, run, service, change)
        priced = _Priced(service, moved, change, request, settle_plan_change(request))
        if change.settings.timing is ChangeTiming.END_OF_TERM:
            result = _schedule(uow, priced)
        else:
            result = _apply_now(uow, run, priced)
        uow.commit()
    return result


def _schedule(uow: UnitOfWork, priced: _Priced) -> PlanChangeResult:
    service, change, on = priced.service, priced.change, priced.request.period.end
    state = uow.billing_states.find(service.client_id) or BillingState.new(service.client_id)
    scheduled = ScheduledChange(service.id, change.plan_id, change.cycle, on)
    kept = tuple(s for s in state.scheduled if s.service_id != service.id)
    updated = attrs.evolve(state, scheduled=(*kept, scheduled))
    if state.version == 0:
        uow.billing_states.add(updated)
    else:
        uow.billing_states.save(updated)
    return PlanChangeResult(service, priced.outcome, None, None, scheduled)


def _apply_now(uow: UnitOfWork, run: RunContext, priced: _Priced) -> PlanChangeResult:
    service, moved, change, outcome = priced.service, priced.moved, priced.change, priced.outcome
    new_cycle = change.cycle != service.cycle
    if new_cycle:  # a new series from the change day, due at once: the run invoices it
        moved = attrs.evolve(moved, anchor=change.on, next_due_date=change.on, billing_day=None)
        code = priced.request.old_price.currency.code
        credits = (line.amount for line in outcome.lines if line.kind is PlanChangeLineKind.CREDIT)
        credit_back = -sum_money(credits, code)
        invoice = None
    else:
        credit_back = outcome.settled_amount
        if outcome.settlement is not Settlement.CREDIT_BALANCE:
            credit_back = zero(credit_back.currency.code)
        invoice = _invoice(uow, run, priced)
    stored = uow.services.save(moved)
    entry = _credit(uow, service, change, credit_back)
    return PlanChangeResult(stored, outcome, invoice, entry, None)


def _invoice(uow: UnitOfWork, run: RunContext, priced: _Priced) -> IssuedInvoice | None:
    service, change, outcome = priced.service, priced.change, priced.outcome
    if outcome.settlement is not Settlement.INVOICE:
        return None
    rest = Period(change.on, priced.request.period.end)
    code = outcome.net.currency.code
    items = [
        BillableItem(
            service.client_id, code, change.on,
            f"Plan change to {change.plan_id}: {line.kind.value.replace('_', ' ')}",
            line.amount, LineKind.PLAN_CHANGE,
            natural_key(LineKind.PLAN_CHANGE, f"{_change_id(service)}-{line.kind.value}", rest),
            service.id, service.group_id, rest, explanation=line.explanation,
        )
        for line in outcome.lines
    ]  # fmt: skip
    work = ClientWork.load(uow, uow.clients.get(service.client_id), run)
    (draft,) = group_items(items).drafts
    issue_draft(work, draft)
    return work.invoices[0]


def _credit(
    uow: UnitOfWork, service: Service, change: ChangePlan, amount: Money
) -> CreditEntry | None:
    if amount.amount <= 0:
        return None
    code = amount.currency.code
    entry = CreditEntry(
        CreditEntryId(f"{_change_id(service)}-credit"), service.client_id,
        RunContext.instant(change.on), amount, CreditReason.MANUAL_ADJUST, change.actor,
        f"unused part of plan {service.plan_id} on changing to {change.plan_id}",
    )  # fmt: skip
    entries = tuple(
        e for e in uow.credit.list(client_id=service.client_id) if e.amount.currency.code == code
    )
    post(CreditLedger(service.client_id, code, entries), entry)
    uow.credit.add(entry)
    return entry
