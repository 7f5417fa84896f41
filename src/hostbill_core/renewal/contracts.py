"""Contracts: putting an existing service on a price plan with an expiry date, as in HostShop.

Assigning a contract re-anchors the service: its anchor and next due date become the contract's
expiry date (the date the service next requires renewal), so every later due date counts from
it. An expiry of today bills today. The first invoice is issued ``lead`` days before the
expiry, or today when that day has already passed.

A service "without a contract" is one nothing would bill: its plan is not in the catalogue
the caller passes, or is a recurring plan with no price for the service's cycle.
:func:`services_without_contract` lists them, with the reason, so they can be fixed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta

import attrs

from hostbill_core.calendar import BillingCycle
from hostbill_core.errors import InvalidTransitionError, ValidationError
from hostbill_core.model.catalogue import PaymentType, PricePlan
from hostbill_core.model.checks import calendar_date
from hostbill_core.model.ids import PlanId, ServiceId
from hostbill_core.model.services import Service, ServiceStatus
from hostbill_core.renewal._checks import require_date
from hostbill_core.renewal.settings import RenewalContext

__all__ = [
    "Contract",
    "ContractAssignment",
    "UncontractedService",
    "assign_contract",
    "services_without_contract",
]

_CONTRACTABLE = (ServiceStatus.PENDING, ServiceStatus.ACTIVE, ServiceStatus.SUSPENDED)


@attrs.frozen
class Contract:
    """A price plan and the date the service next expires and requires renewal.

    Attributes:
        plan_id: the plan the service is billed on from now on.
        expires_on: its next renewal date; becomes the anchor of the due-date series.
        cycle: the billing cycle, or None to keep the service's.
    """

    plan_id: PlanId
    expires_on: date = attrs.field(validator=calendar_date)
    cycle: BillingCycle | None = None


@attrs.frozen
class ContractAssignment:
    """A service after a contract was assigned.

    Attributes:
        service: the re-anchored service.
        invoice_on: the day its first renewal invoice is issued (today when the lead time
            has already begun, the expiry date itself when it is today).
        explanation: the derivation of the anchor and the invoice date.
    """

    service: Service
    invoice_on: date
    explanation: str


def assign_contract(
    service: Service, contract: Contract, today: date, *, context: RenewalContext | None = None
) -> ContractAssignment:
    """Put ``service`` on ``contract``: plan, cycle, anchor and next due date change.

    The billing day is cleared: due dates stick to the expiry's day of month from now on.

    Raises:
        ValidationError: the expiry is before ``today``.
        InvalidTransitionError: the service is terminated, cancelled or fraud.
    """
    require_date("today", today)
    if service.status not in _CONTRACTABLE:
        allowed = tuple(s.value for s in _CONTRACTABLE)
        raise InvalidTransitionError("service contract", service.status.value, "contract", allowed)
    expiry = contract.expires_on
    if expiry < today:
        raise ValidationError(
            "expires_on", expiry, f"a contract expires today ({today.isoformat()}) or later"
        )
    context = context or RenewalContext()
    cycle = contract.cycle or service.cycle
    changed = attrs.evolve(
        service,
        plan_id=contract.plan_id,
        cycle=cycle,
        anchor=expiry,
        next_due_date=expiry,
        billing_day=None,
    )
    lead = context.lead_days(changed)
    invoice_on = max(today, expiry - timedelta(days=lead))
    explanation = (
        f"contract on plan {contract.plan_id}, {cycle}: anchor and next due date = expiry "
        f"{expiry.isoformat()}; invoice on max(today {today.isoformat()}, expiry − {lead} "
        f"days lead) = {invoice_on.isoformat()}"
    )
    return ContractAssignment(changed, invoice_on, explanation)


@attrs.frozen
class UncontractedService:
    """A service nothing would bill, and why."""

    service_id: ServiceId
    plan_id: PlanId
    reason: str


def services_without_contract(
    services: Iterable[Service], plans: Mapping[PlanId, PricePlan]
) -> tuple[UncontractedService, ...]:
    """The live (pending, active, suspended) services that have no usable contract.

    Args:
        services: the services to check.
        plans: the catalogue's price plans by id.

    Returns:
        One row per service whose plan is missing from ``plans``, or is a recurring plan
        without a price for the service's cycle; in the order given. Free and one-time plans
        are contracts too (deliberately not billed again).
    """
    rows = []
    for service in services:
        if service.status not in _CONTRACTABLE:
            continue
        reason = _missing(service, plans.get(service.plan_id))
        if reason:
            rows.append(UncontractedService(service.id, service.plan_id, reason))
    return tuple(rows)


def _missing(service: Service, plan: PricePlan | None) -> str:
    if plan is None:
        return f"plan {service.plan_id} is not in the catalogue"
    if plan.payment_type is PaymentType.RECURRING and not any(
        entry.cycle == service.cycle for entry in plan.prices
    ):
        return f"plan {plan.id} has no price for the cycle {service.cycle}"
    return ""
