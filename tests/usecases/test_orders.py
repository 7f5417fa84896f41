"""Placing and reviewing orders: prices, discounts, tax, fraud, approval, the first invoice."""

from datetime import date

import pytest

from hostbill_core.calendar import ANNUALLY, MONTHLY
from hostbill_core.errors import InvalidTransitionError, ValidationError
from hostbill_core.fraud import StaffAction
from hostbill_core.model import InvoiceStatus, OrderStatus, Payment, ServiceStatus
from hostbill_core.money import to_money
from hostbill_core.pricing import PercentOff, Promotion
from hostbill_core.usecases.billing_settings import BillingSettings
from hostbill_core.usecases.orders import (
    OrderLine,
    ReviewDecision,
    ReviewOrder,
    place_order,
    review_order,
)
from hostbill_core.usecases.pay_invoice import pay_invoice
from hostbill_core.usecases.payments import PayInvoices

from .billing_shop import snapshot
from .order_shop import AT, HOSTING, VAT_AND_DISCOUNT, order, ports, seed_carla


def test_an_accepted_order_gets_pending_services_and_a_taxed_first_invoice(uow):
    seed_carla(uow)
    outcome = place_order(uow, order(HOSTING), VAT_AND_DISCOUNT, ports())
    assert outcome.order.status is OrderStatus.ACTIVE
    (service,) = outcome.services
    assert (service.status, service.next_due_date) == (ServiceStatus.PENDING, date(2026, 3, 10))
    (invoice,) = outcome.invoices
    with uow() as work:
        lines = work.invoices.get(invoice.invoice_id).lines
    # 9.00 EUR monthly − 10 % = −0.90; setup fee 5.00; VAT 19 % per line:
    # 9.00 × 0.19 = 1.71; −0.90 × 0.19 = −0.171 → −0.17; 5.00 × 0.19 = 0.95.
    # Total = 9.00 − 0.90 + 5.00 + 1.71 − 0.17 + 0.95 = 15.59
    # Lines in natural-key order: discount/…, renewal/…, setup/…
    assert [str(line.amount.amount) for line in lines] == ["-0.90", "9.00", "5.00"]
    assert invoice.total == to_money("15.59", "EUR")


def test_paying_the_first_invoice_activates_and_renews_from_the_order_day(uow):
    seed_carla(uow)
    placed = place_order(uow, order(HOSTING), BillingSettings(), ports())
    (invoice,) = placed.invoices  # 9.00 + 5.00 setup = 14.00 EUR
    paid = pay_invoice(uow, PayInvoices(Payment("p1", "c1", AT, invoice.total), date(2026, 3, 11)))
    (service,) = paid.services
    # Period [10 Mar, 10 Apr) paid: pending → active, next due 10 Apr.
    assert (service.status, service.next_due_date) == (ServiceStatus.ACTIVE, date(2026, 4, 10))


def test_a_promotion_discounts_the_first_invoice_and_counts_a_use(uow):
    seed_carla(uow)
    promo = Promotion("SPRING", PercentOff("50"), max_uses=10, uses=3)
    outcome = place_order(uow, order(HOSTING, promotion=promo), BillingSettings(), ports())
    # 9.00 − 50 % = 4.50, + 5.00 setup = 9.50
    assert outcome.invoices[0].total == to_money("9.50", "EUR")
    assert outcome.promotion.uses == 4


def test_a_used_up_promotion_is_refused_and_nothing_is_stored(uow):
    seed_carla(uow)
    before = snapshot(uow)
    promo = Promotion("GONE", PercentOff("50"), max_uses=1, uses=1)
    with pytest.raises(ValidationError):
        place_order(uow, order(HOSTING, promotion=promo), BillingSettings(), ports())
    assert snapshot(uow) == before


def test_a_plan_of_another_product_or_a_missing_price_is_refused(uow):
    seed_carla(uow)
    before = snapshot(uow)
    with pytest.raises(ValidationError):
        place_order(uow, order(OrderLine("domain", "basic", MONTHLY)), BillingSettings(), ports())
    with pytest.raises(Exception, match="no EUR price"):
        place_order(uow, order(OrderLine("domain", "com", ANNUALLY)), BillingSettings(), ports())
    assert snapshot(uow) == before


def test_an_order_awaiting_approval_gets_services_on_approval(uow):
    from hostbill_core.fraud import ApprovalPolicy

    seed_carla(uow)
    policy = ApprovalPolicy(default_required=True)
    placed = place_order(uow, order(HOSTING), BillingSettings(), ports(), approval=policy)
    assert placed.order.status is OrderStatus.AWAITING_APPROVAL
    assert placed.services == ()
    assert len(placed.invoices) == 1
    staff = StaffAction("eve", AT)
    approved = review_order(
        uow, ReviewOrder("o1", ReviewDecision.APPROVE, staff), BillingSettings(), approval=policy
    )
    assert approved.order.status is OrderStatus.ACTIVE
    assert [s.status for s in approved.services] == [ServiceStatus.PENDING]
    with pytest.raises(InvalidTransitionError):
        review_order(uow, ReviewOrder("o1", ReviewDecision.CANCEL, staff), BillingSettings())


def test_a_cancelled_order_loses_its_unpaid_first_invoice(uow):
    from hostbill_core.fraud import ApprovalPolicy

    seed_carla(uow)
    policy = ApprovalPolicy(default_required=True)
    placed = place_order(uow, order(HOSTING), BillingSettings(), ports(), approval=policy)
    staff = StaffAction("eve", AT, "customer changed their mind")
    review_order(uow, ReviewOrder("o1", ReviewDecision.CANCEL, staff), BillingSettings())
    with uow() as work:
        invoice = work.invoices.get(placed.invoices[0].invoice_id)
        assert invoice.status is InvoiceStatus.CANCELLED
        assert work.services.list() == ()


def test_a_held_order_paid_before_approval_starts_active_on_approval(uow):
    from hostbill_core.fraud import ApprovalPolicy

    seed_carla(uow)
    policy = ApprovalPolicy(default_required=True)
    placed = place_order(uow, order(HOSTING), BillingSettings(), ports(), approval=policy)
    (invoice,) = placed.invoices
    paid = pay_invoice(uow, PayInvoices(Payment("p1", "c1", AT, invoice.total), date(2026, 3, 10)))
    assert paid.services == ()  # no service yet: the order waits for approval
    staff = StaffAction("eve", AT)
    approved = review_order(
        uow, ReviewOrder("o1", ReviewDecision.APPROVE, staff), BillingSettings()
    )
    (service,) = approved.services
    # The first period [10 Mar, 10 Apr) was paid: active, next due 10 Apr.
    assert (service.status, service.next_due_date) == (ServiceStatus.ACTIVE, date(2026, 4, 10))


def _group(uow, gid="g1", client_id="c1"):
    from hostbill_core.model import ServiceGroup

    with uow() as work:
        work.service_groups.add(ServiceGroup(gid, client_id, "Shop"))
        work.commit()


IN_GROUP = OrderLine("hosting", "basic", MONTHLY, "example.org", group_id="g1")


def test_an_accepted_order_puts_its_service_in_the_group_asked_for(uow):
    seed_carla(uow)
    _group(uow)
    outcome = place_order(uow, order(IN_GROUP), BillingSettings(), ports())
    (service,) = outcome.services
    assert service.group_id == "g1"
    assert outcome.notes == ("service o1-1 added to group 'Shop' at position 1",)
    with uow() as work:
        assert work.service_groups.get("g1").service_ids == ("o1-1",)
        lines = work.invoices.get(outcome.invoices[0].invoice_id).lines
    # The first invoice (9.00 + 5.00 setup) is laid out under the group.
    assert [(str(line.amount.amount), line.group_id) for line in lines] == [
        ("9.00", "g1"),
        ("5.00", "g1"),
    ]


def test_services_held_for_fraud_review_join_their_group_when_the_review_completes(uow):
    from hostbill_core.fraud import FraudConfig, Thresholds

    seed_carla(uow)
    _group(uow)
    always_review = FraudConfig(thresholds=Thresholds(review=0, reject=100))
    placed = place_order(
        uow, order(IN_GROUP, admin=False), BillingSettings(), ports(), fraud_config=always_review
    )
    assert placed.order.status is OrderStatus.IN_REVIEW
    assert placed.order.items[0].group_id == "g1"  # kept on the order while it waits
    with uow() as work:
        assert work.service_groups.get("g1").service_ids == ()
        (line, _setup) = work.invoices.get(placed.invoices[0].invoice_id).lines
        assert line.group_id == "g1"  # the first invoice shows the group asked for
    staff = StaffAction("eve", AT)
    done = review_order(uow, ReviewOrder("o1", ReviewDecision.COMPLETE, staff), BillingSettings())
    (service,) = done.services
    assert (service.status, service.group_id) == (ServiceStatus.PENDING, "g1")
    with uow() as work:
        assert work.service_groups.get("g1").service_ids == ("o1-1",)


def test_a_group_deleted_during_review_leaves_the_service_ungrouped(uow):
    from hostbill_core.fraud import ApprovalPolicy

    seed_carla(uow)
    _group(uow)
    policy = ApprovalPolicy(default_required=True)
    place_order(uow, order(IN_GROUP), BillingSettings(), ports(), approval=policy)
    with uow() as work:
        work.service_groups.remove("g1")
        work.commit()
    staff = StaffAction("eve", AT)
    approved = review_order(
        uow, ReviewOrder("o1", ReviewDecision.APPROVE, staff), BillingSettings(), approval=policy
    )
    (service,) = approved.services
    assert service.group_id is None
    assert approved.notes == ("service o1-1 starts ungrouped: group g1 no longer exists",)


def test_the_renewal_of_a_grouped_order_is_invoiced_under_the_group(uow):
    from hostbill_core.usecases.billing_run import run_billing

    seed_carla(uow)
    _group(uow)
    placed = place_order(uow, order(IN_GROUP), BillingSettings(), ports())
    (invoice,) = placed.invoices
    pay_invoice(uow, PayInvoices(Payment("p1", "c1", AT, invoice.total), date(2026, 3, 10)))
    # Next due 10 April; invoiced 14 days before, on 27 March.
    report = run_billing(uow, date(2026, 3, 27), BillingSettings())
    assert report.failures == ()
    (renewal,) = report.invoices
    with uow() as work:
        assert [line.group_id for line in work.invoices.get(renewal.invoice_id).lines] == ["g1"]


def test_a_group_that_is_not_the_clients_is_refused_and_nothing_is_stored(uow):
    seed_carla(uow)
    _group(uow, "g1", client_id="c2")  # another client's group
    before = snapshot(uow)
    with pytest.raises(ValidationError) as caught:
        place_order(uow, order(HOSTING, IN_GROUP), BillingSettings(), ports())
    assert (caught.value.field, caught.value.value) == ("lines[1].group_id", "g1")
    assert snapshot(uow) == before
