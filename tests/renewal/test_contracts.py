"""Contracts re-anchor a service; the report lists services nothing would bill."""

from datetime import date

import pytest
from moneyed import Money

from hostbill_core.calendar import ANNUALLY, MONTHLY
from hostbill_core.errors import InvalidTransitionError, ValidationError
from hostbill_core.model import (
    PaymentType,
    PlanId,
    PriceEntry,
    PricePlan,
    ProductId,
    ServiceStatus,
)
from hostbill_core.renewal import (
    Contract,
    RenewalPayment,
    assign_contract,
    renew_on_payment,
    services_without_contract,
)

from .helpers import service


def test_expiry_today_bills_today() -> None:
    s = service(date(2023, 5, 3), date(2024, 5, 3))
    result = assign_contract(s, Contract(PlanId("gold"), date(2024, 3, 10)), date(2024, 3, 10))
    assert result.invoice_on == date(2024, 3, 10)
    assert (result.service.anchor, result.service.next_due_date) == (
        date(2024, 3, 10),
        date(2024, 3, 10),
    )
    assert result.service.plan_id == "gold"


def test_contract_sets_the_anchor_for_later_renewals() -> None:
    # Expiry 31 Jan: renewals run 29 Feb (2024 leap), then back to 31 Mar.
    s = service(date(2023, 5, 3), billing_day=3)
    result = assign_contract(
        s, Contract(PlanId("gold"), date(2024, 1, 31), MONTHLY), date(2024, 1, 2)
    )
    assert result.service.billing_day is None
    # Lead 14 days: 31 Jan - 14 = 17 Jan, after today.
    assert result.invoice_on == date(2024, 1, 17)
    assert "expiry − 14 days lead" in result.explanation
    renewed = renew_on_payment(RenewalPayment(result.service, date(2024, 1, 31), date(2024, 1, 20)))
    again = renew_on_payment(RenewalPayment(renewed.service, date(2024, 2, 29), date(2024, 2, 29)))
    assert (renewed.next_due_date, again.next_due_date) == (date(2024, 2, 29), date(2024, 3, 31))


def test_expiry_inside_the_lead_time_invoices_today() -> None:
    s = service(date(2023, 5, 3))
    result = assign_contract(
        s, Contract(PlanId("y"), date(2024, 1, 10), ANNUALLY), date(2024, 1, 2)
    )
    assert result.invoice_on == date(2024, 1, 2)
    assert result.service.cycle == ANNUALLY


def test_expiry_in_the_past_is_refused() -> None:
    with pytest.raises(ValidationError) as info:
        assign_contract(service(), Contract(PlanId("g"), date(2024, 1, 1)), date(2024, 1, 2))
    assert info.value.field == "expires_on"


def test_today_must_be_a_date() -> None:
    with pytest.raises(ValidationError) as info:
        assign_contract(service(), Contract(PlanId("g"), date(2024, 1, 1)), "2024-01-01")  # type: ignore[arg-type]
    assert info.value.field == "today"


def test_terminated_service_cannot_get_a_contract() -> None:
    with pytest.raises(InvalidTransitionError):
        assign_contract(
            service(status=ServiceStatus.TERMINATED),
            Contract(PlanId("g"), date(2024, 1, 2)),
            date(2024, 1, 2),
        )


def _plan(pid: str, payment: PaymentType, *cycles: object) -> PricePlan:
    prices = tuple(
        PriceEntry(c, "USD", Money("5", "USD"), Money("0", "USD"))  # type: ignore[arg-type]
        for c in cycles
    )
    return PricePlan(PlanId(pid), ProductId("p1"), pid, payment, prices)


def test_report_lists_services_without_a_usable_plan() -> None:
    from attrs import evolve

    plans = {
        PlanId("monthly"): _plan("monthly", PaymentType.RECURRING, MONTHLY),
        PlanId("yearly"): _plan("yearly", PaymentType.RECURRING, ANNUALLY),
        PlanId("free"): _plan("free", PaymentType.FREE),
    }
    services = [
        evolve(service(sid="ok"), plan_id=PlanId("monthly")),
        evolve(service(sid="free"), plan_id=PlanId("free")),
        evolve(service(sid="wrong-cycle"), plan_id=PlanId("yearly")),
        evolve(service(sid="unknown"), plan_id=PlanId("gone")),
        evolve(service(sid="dead", status=ServiceStatus.TERMINATED), plan_id=PlanId("gone")),
    ]
    rows = services_without_contract(services, plans)
    assert [(r.service_id, r.reason) for r in rows] == [
        ("wrong-cycle", "plan yearly has no price for the cycle P1M"),
        ("unknown", "plan gone is not in the catalogue"),
    ]
