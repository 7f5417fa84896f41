"""A failure at any write of a billing use case leaves storage exactly as it was.

Each use case is first run with a counting fuse to learn how many writes it makes; then, on a
fresh shop for every k, it runs with a fuse that blows at the k-th write, and storage is
compared with its state before (``faults.assert_every_write_is_atomic``).
"""

from datetime import UTC, date, datetime

import pytest

from hostbill_core.calendar import MONTHLY
from hostbill_core.fraud import ApprovalPolicy, FraudPorts, GeoIPInfo, StaffAction
from hostbill_core.fraud.fakes import InMemoryGeoIP, InMemoryOrderHistory
from hostbill_core.model import Payment
from hostbill_core.money import to_money
from hostbill_core.pricing import ChangeSettings
from hostbill_core.usecases.add_credit import AddCredit, add_credit
from hostbill_core.usecases.billing_run import run_billing
from hostbill_core.usecases.billing_settings import BillingSettings
from hostbill_core.usecases.orders import (
    OrderLine,
    PlaceOrder,
    ReviewDecision,
    ReviewOrder,
    place_order,
    review_order,
)
from hostbill_core.usecases.pay_invoice import pay_invoice
from hostbill_core.usecases.payments import PayInvoices
from hostbill_core.usecases.plan_change import ChangePlan, change_plan

from .billing_shop import client, seed, service, snapshot
from .faults import STORES, assert_every_write_is_atomic

AT = datetime(2026, 3, 12, 9, tzinfo=UTC)
SETTINGS = BillingSettings()
APPROVAL = ApprovalPolicy(default_required=True)


def ports() -> FraudPorts:
    return FraudPorts(InMemoryGeoIP({"81.2.69.160": GeoIPInfo("US")}), InMemoryOrderHistory())


def shop(kind: str):
    factory = STORES[kind]().unit_of_work
    seed(factory, [client("c1")], [service("s1", "c1", date(2026, 1, 31), date(2026, 2, 28))])
    add_credit(factory, AddCredit("c1", to_money("3.00", "USD"), "e0", AT))
    run_billing(factory, date(2026, 3, 10), SETTINGS)  # invoiced, credit applied, suspended
    held = PlaceOrder("o1", "c1", AT, "81.2.69.160", (OrderLine("hosting", "basic", MONTHLY),))
    place_order(factory, held, SETTINGS, ports(), approval=APPROVAL)
    return factory


PAYMENT = Payment("p1", "c1", AT, to_money("40.00", "USD"))
ORDER = PlaceOrder("o2", "c1", AT, "81.2.69.160", (OrderLine("hosting", "pro", MONTHLY),))
CASES = {
    "pay invoice": lambda f: pay_invoice(f, PayInvoices(PAYMENT, AT.date(), credit_entry_id="x")),
    "place order": lambda f: place_order(f, ORDER, SETTINGS, ports()),
    "approve order": lambda f: review_order(
        f, ReviewOrder("o1", ReviewDecision.APPROVE, StaffAction("eve", AT)), SETTINGS
    ),
    "cancel order": lambda f: review_order(
        f, ReviewOrder("o1", ReviewDecision.CANCEL, StaffAction("eve", AT)), SETTINGS
    ),
    "change plan": lambda f: change_plan(
        f, ChangePlan("s1", "pro", MONTHLY, date(2026, 2, 10), ChangeSettings()), SETTINGS
    ),
}


@pytest.mark.parametrize("kind", sorted(STORES))
@pytest.mark.parametrize("case", sorted(CASES))
def test_a_failure_at_any_write_leaves_storage_unchanged(kind, case):
    assert_every_write_is_atomic(lambda: shop(kind), CASES[case], snapshot)
