"""Ordering one-time and free plans: billed once, activated when paid, never renewed."""

from datetime import UTC, date, datetime

import pytest

from hostbill_core.calendar import MONTHLY
from hostbill_core.errors import ValidationError
from hostbill_core.fraud import ApprovalPolicy, StaffAction
from hostbill_core.model import (
    InvoiceStatus,
    LineKind,
    Payment,
    PaymentType,
    PriceEntry,
    PricePlan,
    Product,
    ProductType,
    ServiceStatus,
)
from hostbill_core.pricing import PercentOff, Promotion
from hostbill_core.usecases.billing_run import run_billing
from hostbill_core.usecases.billing_settings import BillingSettings
from hostbill_core.usecases.one_time import NOMINAL_CYCLE
from hostbill_core.usecases.orders import (
    OrderLine,
    ReviewDecision,
    ReviewOrder,
    place_order,
    review_order,
)
from hostbill_core.usecases.pay_invoice import pay_invoice
from hostbill_core.usecases.payments import PayInvoices
from hostbill_core.usecases.plan_change import ChangePlan, change_plan

from .billing_shop import snapshot
from .order_shop import AT, HOSTING, VAT_AND_DISCOUNT, eur, order, ports, seed_carla

MIGRATION = OrderLine("migration", "move", None, "site move")
STARTER = OrderLine("hosting", "starter", None, "free.example.org")


def shop(uow):
    seed_carla(uow)
    with uow() as work:
        work.products.add(Product("migration", "Site migration", ProductType.OTHER))
        once = PriceEntry(None, "EUR", eur("40.00"), eur("10.00"))
        work.plans.add(PricePlan("move", "migration", "Move", PaymentType.ONE_TIME, (once,)))
        work.plans.add(PricePlan("starter", "hosting", "Starter", PaymentType.FREE))
        work.commit()


def pay(uow, invoice, day=date(2026, 3, 11), pid="p1"):
    paid_at = datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
    request = PayInvoices(Payment(pid, "c1", paid_at, invoice.total), day)
    return pay_invoice(uow, request)


def lines_of(uow, invoice):
    with uow() as work:
        return work.invoices.get(invoice.invoice_id).lines


def test_a_one_time_plan_is_one_taxed_discounted_line_plus_its_setup_fee(uow):
    shop(uow)
    outcome = place_order(uow, order(MIGRATION), VAT_AND_DISCOUNT, ports())
    (invoice,) = outcome.invoices
    lines = lines_of(uow, invoice)
    # 40.00 once − 10 % client discount = −4.00; setup fee 10.00; VAT 19 % per line:
    # 40.00 × 0.19 = 7.60; −4.00 × 0.19 = −0.76; 10.00 × 0.19 = 1.90.
    # Total = 40.00 − 4.00 + 10.00 + 7.60 − 0.76 + 1.90 = 54.74
    assert [(line.kind, str(line.amount.amount), line.key) for line in lines] == [
        (LineKind.DISCOUNT, "-4.00", "discount/o1-1"),
        (LineKind.ONE_TIME, "40.00", "one_time/o1-1"),
        (LineKind.SETUP, "10.00", "setup/o1-1"),
    ]
    assert lines[1].description == "site move (one-time)"
    assert lines[1].period is None
    assert invoice.total == eur("54.74")
    (item,) = outcome.order.items
    assert (item.cycle, item.price, item.setup_fee) == (None, eur("36.00"), eur("10.00"))
    (service,) = outcome.services
    assert (service.status, service.next_due_date, service.cycle) == (
        ServiceStatus.PENDING,
        date(2026, 3, 10),
        NOMINAL_CYCLE,
    )


def test_paying_a_one_time_charge_activates_the_service_which_never_renews(uow):
    shop(uow)
    (invoice,) = place_order(uow, order(MIGRATION), BillingSettings(), ports()).invoices
    paid = pay(uow, invoice)
    (service,) = paid.services
    assert (service.status, service.next_due_date) == (ServiceStatus.ACTIVE, date(2026, 3, 10))
    assert [e.name for e in paid.events] == ["service.activated"]
    # A year of billing runs later: nothing invoiced, reminded, suspended or cancelled.
    for day in (date(2026, 4, 10), date(2026, 9, 1), date(2027, 3, 10)):
        report = run_billing(uow, day, BillingSettings())
        assert (report.invoices, report.actions, report.events) == ((), (), ())
    with uow() as work:
        assert work.services.get("o1-1").status is ServiceStatus.ACTIVE


def test_an_unpaid_one_time_charge_is_never_suspended_for_non_renewal(uow):
    shop(uow)
    place_order(uow, order(MIGRATION), BillingSettings(), ports())
    before = snapshot(uow)
    # 30 days past the order day: a recurring service would be suspended and cancelled.
    report = run_billing(uow, date(2026, 5, 1), BillingSettings())
    assert (report.actions, report.events) == ((), ())
    assert snapshot(uow) == before


def test_a_free_plan_is_a_zero_invoice_paid_at_once_and_starts_active(uow):
    shop(uow)
    outcome = place_order(uow, order(STARTER), BillingSettings(), ports())
    (invoice,) = outcome.invoices
    assert (invoice.total, invoice.status) == (eur("0.00"), InvoiceStatus.PAID)
    (line,) = lines_of(uow, invoice)
    assert (line.kind, line.description) == (LineKind.ONE_TIME, "free.example.org (free)")
    (service,) = outcome.services
    assert service.status is ServiceStatus.ACTIVE
    assert "service.activated" in [e.name for e in outcome.events]


def test_a_free_plan_ordered_for_a_cycle_keeps_it_and_never_renews_either(uow):
    shop(uow)
    monthly = OrderLine("hosting", "starter", MONTHLY, "free.example.org")
    (service,) = place_order(uow, order(monthly), BillingSettings(), ports()).services
    assert (service.status, service.cycle) == (ServiceStatus.ACTIVE, MONTHLY)
    report = run_billing(uow, date(2026, 6, 1), BillingSettings())
    assert (report.invoices, report.actions) == ((), ())


def test_a_promotion_discounts_a_one_time_line_once(uow):
    shop(uow)
    promo = Promotion("WELCOME", PercentOff("25"))
    outcome = place_order(uow, order(MIGRATION, promotion=promo), BillingSettings(), ports())
    # 40.00 × 25 % = 10.00 off; + 10.00 setup: 40.00 − 10.00 + 10.00 = 40.00
    assert outcome.invoices[0].total == eur("40.00")
    assert outcome.promotion.uses == 1


def test_a_promotion_for_billing_cycles_does_not_fit_a_one_time_line(uow):
    shop(uow)
    monthly_only = Promotion("MONTHLY", PercentOff("25"), billing_cycles=(MONTHLY,))
    before = snapshot(uow)
    with pytest.raises(ValidationError, match="has none"):
        place_order(uow, order(MIGRATION, promotion=monthly_only), BillingSettings(), ports())
    assert snapshot(uow) == before
    # With a monthly line beside it, the code is redeemed and skips the one-time line:
    # hosting 9.00 − 25 % = 6.75 + 5.00 setup; migration 40.00 + 10.00 setup = 61.75
    mixed = order(HOSTING, MIGRATION, promotion=monthly_only)
    assert place_order(uow, mixed, BillingSettings(), ports()).invoices[0].total == eur("61.75")


def test_one_payment_renews_the_recurring_line_and_activates_the_one_time_one(uow):
    shop(uow)
    (invoice,) = place_order(uow, order(HOSTING, MIGRATION), BillingSettings(), ports()).invoices
    # 9.00 + 5.00 setup + 40.00 + 10.00 setup = 64.00 on one invoice
    assert invoice.total == eur("64.00")
    services = {s.id: s for s in pay(uow, invoice).services}
    assert (services["o1-1"].status, services["o1-1"].next_due_date) == (
        ServiceStatus.ACTIVE,
        date(2026, 4, 10),
    )
    assert (services["o1-2"].status, services["o1-2"].next_due_date) == (
        ServiceStatus.ACTIVE,
        date(2026, 3, 10),
    )


def test_a_held_one_time_order_paid_before_approval_starts_active(uow):
    shop(uow)
    policy = ApprovalPolicy(default_required=True)
    placed = place_order(uow, order(MIGRATION), BillingSettings(), ports(), approval=policy)
    pay(uow, placed.invoices[0])
    approved = review_order(
        uow,
        ReviewOrder("o1", ReviewDecision.APPROVE, StaffAction("eve", AT)),
        BillingSettings(),
        approval=policy,
    )
    (service,) = approved.services
    assert service.status is ServiceStatus.ACTIVE
    assert [e.name for e in approved.events][-1] == "service.activated"


def test_a_cancelled_one_time_order_loses_its_first_invoice(uow):
    shop(uow)
    policy = ApprovalPolicy(default_required=True)
    placed = place_order(uow, order(MIGRATION), BillingSettings(), ports(), approval=policy)
    staff = StaffAction("eve", AT, "changed their mind")
    review_order(uow, ReviewOrder("o1", ReviewDecision.CANCEL, staff), BillingSettings())
    with uow() as work:
        assert work.invoices.get(placed.invoices[0].invoice_id).status is InvoiceStatus.CANCELLED


def test_a_one_time_plan_ordered_for_a_cycle_is_refused(uow):
    shop(uow)
    with pytest.raises(ValidationError) as caught:
        place_order(uow, order(OrderLine("migration", "move", MONTHLY)), BillingSettings(), ports())
    assert (caught.value.field, caught.value.value) == ("lines[0].cycle", "P1M")


def test_a_recurring_plan_ordered_without_a_cycle_is_refused(uow):
    shop(uow)
    with pytest.raises(ValidationError) as caught:
        place_order(uow, order(OrderLine("hosting", "basic", None)), BillingSettings(), ports())
    assert (caught.value.field, caught.value.value) == ("lines[0].cycle", None)


def test_a_one_time_service_does_not_change_plan_and_no_plan_changes_to_one_time(uow):
    shop(uow)
    (invoice,) = place_order(uow, order(MIGRATION, HOSTING), BillingSettings(), ports()).invoices
    pay(uow, invoice)
    with pytest.raises(ValidationError) as caught:
        change_plan(uow, ChangePlan("o1-1", "move", MONTHLY, date(2026, 3, 12)), BillingSettings())
    assert caught.value.field == "service_id"
    with uow() as work:
        work.plans.add(PricePlan("move-2", "hosting", "Once", PaymentType.ONE_TIME))
        work.commit()
    with pytest.raises(ValidationError) as caught:
        change_plan(
            uow, ChangePlan("o1-2", "move-2", MONTHLY, date(2026, 3, 12)), BillingSettings()
        )
    assert caught.value.field == "plan_id"
