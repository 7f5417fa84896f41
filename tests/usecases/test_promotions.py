"""Promotion codes through storage: uses counted across orders, once per client, N cycles."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from hostbill_core.calendar import MONTHLY
from hostbill_core.errors import ValidationError
from hostbill_core.fraud import FraudConfig, Thresholds
from hostbill_core.model import (
    OrderStatus,
    Payment,
    PromotionRedemption,
    Service,
)
from hostbill_core.pricing import (
    AmountOff,
    ClientDiscount,
    PercentOff,
    Promotion,
    PromotionTerm,
)
from hostbill_core.usecases.billing_run import run_billing
from hostbill_core.usecases.billing_settings import BillingSettings
from hostbill_core.usecases.orders import PlaceOrder, place_order
from hostbill_core.usecases.pay_invoice import pay_invoice
from hostbill_core.usecases.payments import PayInvoices
from hostbill_core.usecases.promotions import renewal_promotion

from .billing_shop import snapshot
from .order_shop import AT, HOSTING, IP, eur, ports, seed_carla


def shop(uow):
    seed_carla(uow, "c1", "c2")


def order(promotion, oid="o1", cid="c1", once_per_client=False, admin=True) -> PlaceOrder:
    return PlaceOrder(
        oid, cid, AT, IP, (HOSTING,), promotion, placed_by_admin=admin,
        promotion_once_per_client=once_per_client,
    )  # fmt: skip


def redemptions(uow):
    with uow() as work:
        return work.promotion_redemptions.list()


def test_a_redemption_is_stored_with_its_use_number_and_terms(uow):
    shop(uow)
    promo = Promotion("SPRING", PercentOff("50"), max_uses=10, uses=3)
    outcome = place_order(uow, order(promo), BillingSettings(), ports())
    assert outcome.promotion.uses == 4
    (stored,) = redemptions(uow)
    # uses 1-3 were counted before storage knew the code: this one is use 4
    assert (stored.id, stored.code, stored.client_id, stored.order_id, stored.redeemed_on) == (
        "o1",
        "SPRING",
        "c1",
        "o1",
        date(2026, 3, 10),
    )
    assert (stored.use, stored.service_ids, stored.percent_off, stored.cycles) == (
        4,
        ("o1-1",),
        Decimal("50"),
        1,
    )


def test_maximum_uses_hold_across_orders_through_storage(uow):
    shop(uow)
    promo = Promotion("TWO", PercentOff("10"), max_uses=2)  # the host passes it unchanged
    first = place_order(uow, order(promo, "o1"), BillingSettings(), ports())
    second = place_order(uow, order(promo, "o2", "c2"), BillingSettings(), ports())
    assert (first.promotion.uses, second.promotion.uses) == (1, 2)
    before = snapshot(uow)
    with pytest.raises(ValidationError, match="used up: 2 of 2 uses"):
        place_order(uow, order(promo, "o3"), BillingSettings(), ports())
    assert snapshot(uow) == before


def test_the_next_use_is_found_past_many_stored_ones(uow):
    shop(uow)
    with uow() as work:
        for n in range(1, 38):
            work.promotion_redemptions.add(
                PromotionRedemption(f"x{n}", "MANY", "c2", f"x{n}", date(2026, 1, 1), n,
                                    percent_off=Decimal("5"))
            )  # fmt: skip
        work.commit()
    outcome = place_order(
        uow, order(Promotion("MANY", PercentOff("5"))), BillingSettings(), ports()
    )
    assert outcome.promotion.uses == 38


def test_a_code_once_per_client_is_refused_to_the_same_client_only(uow):
    shop(uow)
    promo = Promotion("HELLO", AmountOff(eur("2.00")))
    place_order(uow, order(promo, "o1", once_per_client=True), BillingSettings(), ports())
    before = snapshot(uow)
    with pytest.raises(ValidationError, match="once per client: client c1 used it on order o1"):
        place_order(uow, order(promo, "o2", once_per_client=True), BillingSettings(), ports())
    assert snapshot(uow) == before
    other = place_order(uow, order(promo, "o3", "c2", True), BillingSettings(), ports())
    assert other.promotion.uses == 2


@pytest.mark.parametrize(
    ("on_the_code", "on_the_request"), [(True, False), (False, True), (True, True)]
)
def test_once_per_client_set_on_the_code_or_on_the_request_limits_the_code(
    uow, on_the_code, on_the_request
):
    shop(uow)
    promo = Promotion("HELLO", AmountOff(eur("2.00")), once_per_client=on_the_code)
    first = place_order(
        uow, order(promo, "o1", once_per_client=on_the_request), BillingSettings(), ports()
    )
    assert first.promotion == Promotion(
        "HELLO", AmountOff(eur("2.00")), uses=1, once_per_client=on_the_code
    )
    with uow() as work:
        assert work.promotion_redemptions.get("o1").once_per_client is True
    before = snapshot(uow)
    with pytest.raises(ValidationError, match="once per client: client c1 used it on order o1"):
        place_order(
            uow, order(promo, "o2", once_per_client=on_the_request), BillingSettings(), ports()
        )
    assert snapshot(uow) == before
    # another client uses it once too: its use number 2 (1 before + 1)
    assert (
        place_order(uow, order(promo, "o3", "c2"), BillingSettings(), ports()).promotion.uses == 2
    )


def test_a_code_without_the_limit_is_used_twice_by_one_client(uow):
    shop(uow)
    promo = Promotion("HELLO", AmountOff(eur("2.00")))
    assert promo.once_per_client is False
    place_order(uow, order(promo, "o1"), BillingSettings(), ports())
    assert place_order(uow, order(promo, "o2"), BillingSettings(), ports()).promotion.uses == 2
    with uow() as work:
        assert work.promotion_redemptions.get("o2").once_per_client is False


def test_a_renewal_promotion_carries_the_codes_limit(uow):
    shop(uow)
    promo = Promotion("LOYAL", PercentOff("10"), PromotionTerm.FOREVER, once_per_client=True)
    place_order(uow, order(promo, "o1"), BillingSettings(), ports())
    with uow() as work:
        records = work.promotion_redemptions.list(client_id="c1")
        service = work.services.get("o1-1")
    found, _cycle = renewal_promotion(records, service, service.next_due_date, "EUR")
    assert (found.once_per_client, found.uses) == (True, 1)


def test_a_rejected_order_uses_no_promotion(uow):
    shop(uow)
    reject_all = FraudConfig(thresholds=Thresholds(review=0, reject=0))
    promo = Promotion("SPRING", PercentOff("50"), max_uses=1)
    outcome = place_order(
        uow, order(promo, admin=False), BillingSettings(), ports(), fraud_config=reject_all
    )
    assert (outcome.order.status, outcome.promotion) == (OrderStatus.REJECTED, None)
    assert redemptions(uow) == ()


def _pay_all(uow, day):
    with uow() as work:
        unpaid = [i for i in work.invoices.list(client_id="c1") if i.balance_due.amount > 0]
    for n, invoice in enumerate(unpaid):
        at = datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
        payment = Payment(f"p-{day}-{n}", "c1", at, invoice.balance_due)
        pay_invoice(uow, PayInvoices(payment, day, (invoice.id,)))


def _renewal_lines(uow, settings, days):
    """Run billing on each day (14 days before each due date), pay, and list the lines."""
    found = []
    for day in days:
        report = run_billing(uow, day, settings)
        (issued,) = report.invoices
        with uow() as work:
            lines = work.invoices.get(issued.invoice_id).lines
        found.append([str(line.amount.amount) for line in lines])
        _pay_all(uow, day)
    return found


RUN_DAYS = (date(2026, 3, 27), date(2026, 4, 26), date(2026, 5, 27))  # due 10 Apr, May, Jun


def test_a_promotion_for_three_cycles_discounts_the_first_invoice_and_two_renewals(uow):
    shop(uow)
    promo = Promotion("THREE", PercentOff("50"), PromotionTerm.CYCLES, 3)
    placed = place_order(uow, order(promo), BillingSettings(), ports())
    # cycle 1, the first invoice: 9.00 − 50 % = 4.50, + 5.00 setup = 9.50
    assert placed.invoices[0].total == eur("9.50")
    _pay_all(uow, date(2026, 3, 10))
    # cycles 2 and 3 (due 10 April and 10 May): −4.50 each; cycle 4 (10 June): full 9.00.
    # Lines in natural-key order: discount/…, renewal/…
    assert _renewal_lines(uow, BillingSettings(), RUN_DAYS) == [
        ["-4.50", "9.00"],
        ["-4.50", "9.00"],
        ["9.00"],
    ]


def test_a_promotion_applies_after_the_client_discount_on_renewals_too(uow):
    shop(uow)
    settings = BillingSettings(client_discounts={"c1": ClientDiscount(PercentOff("10"))})
    promo = Promotion("EVER", PercentOff("50"), PromotionTerm.FOREVER)
    place_order(uow, order(promo), settings, ports())
    _pay_all(uow, date(2026, 3, 10))
    # 9.00 − 10 % = −0.90; 50 % of the 8.10 left = −4.05; net 4.05, every renewal.
    # Lines in key order: discount/o1-1-1/… (the promotion, the second discount: "-" sorts
    # before "/"), discount/o1-1/… (the client discount), renewal/…
    assert _renewal_lines(uow, settings, RUN_DAYS) == [["-4.05", "-0.90", "9.00"]] * 3


def test_a_promotion_once_or_a_fixed_amount_forever_on_renewals(uow):
    shop(uow)
    place_order(uow, order(Promotion("ONCE", PercentOff("50"))), BillingSettings(), ports())
    forever = Promotion("TWO-OFF", AmountOff(eur("2.00")), PromotionTerm.FOREVER)
    place_order(uow, order(forever, "o2"), BillingSettings(), ports())
    _pay_all(uow, date(2026, 3, 10))
    report = run_billing(uow, date(2026, 3, 27), BillingSettings())
    (issued,) = report.invoices  # both services due 10 April: one invoice
    with uow() as work:
        lines = work.invoices.get(issued.invoice_id).lines
    # o1-1 (once): 9.00, no discount; o2-1 (for ever): 9.00 − 2.00 fixed
    assert [(line.service_id, str(line.amount.amount)) for line in lines] == [
        ("o2-1", "-2.00"),
        ("o1-1", "9.00"),
        ("o2-1", "9.00"),
    ]
    assert issued.total == eur("16.00")


def _record(cycles, amount_off=None):
    percent = None if amount_off is not None else Decimal("50")
    return PromotionRedemption(
        "o1", "X", "c1", "o1", date(2026, 3, 10), 1, service_ids=("o1-1",),
        percent_off=percent, amount_off=amount_off, cycles=cycles,
    )  # fmt: skip


def test_cycles_are_counted_from_the_order_day_even_after_a_change_of_cycle():
    # Re-anchored on 10 April by a change of cycle; cycles counted monthly from 10 March:
    # 10 May is cycle 3 (10 Mar, 10 Apr, 10 May), 10 June cycle 4.
    moved = Service("o1-1", "c1", "hosting", "basic", MONTHLY, date(2026, 4, 10), date(2026, 5, 10))
    assert renewal_promotion([_record(3)], moved, date(2026, 5, 10), "EUR")[1] == 3
    assert renewal_promotion([_record(3)], moved, date(2026, 6, 10), "EUR")[1] == 4


def test_a_fixed_amount_in_another_currency_no_longer_applies():
    service = Service(
        "o1-1", "c1", "hosting", "basic", MONTHLY, date(2026, 3, 10), date(2026, 4, 10)
    )
    record = _record(None, eur("2.00"))
    assert renewal_promotion([record], service, date(2026, 4, 10), "EUR") is not None
    assert renewal_promotion([record], service, date(2026, 4, 10), "USD") is None
    assert renewal_promotion([record], service.__class__(
        "s9", "c1", "hosting", "basic", MONTHLY, date(2026, 3, 10), date(2026, 4, 10)
    ), date(2026, 4, 10), "EUR") is None  # fmt: skip


def test_the_dry_run_of_a_promoted_renewal_equals_the_real_run(uow):
    shop(uow)
    promo = Promotion("THREE", PercentOff("50"), PromotionTerm.CYCLES, 3)
    place_order(uow, order(promo), BillingSettings(), ports())
    _pay_all(uow, date(2026, 3, 10))
    before = snapshot(uow)
    dry = run_billing(uow, date(2026, 3, 27), BillingSettings(), dry_run=True)
    assert snapshot(uow) == before
    real = run_billing(uow, date(2026, 3, 27), BillingSettings())
    assert (dry.invoices, dry.events) == (real.invoices, real.events)
    assert real.invoices[0].total == eur("4.50")  # 9.00 − 50 % (cycle 2 of 3)
