"""A failure at any write of an order with a promotion and a group, a one-time order or a
cancellation leaves storage exactly as it was (the fuse of ``faults``)."""

from datetime import UTC, date, datetime

import pytest

from hostbill_core.calendar import MONTHLY
from hostbill_core.fraud import FraudPorts
from hostbill_core.fraud.fakes import InMemoryGeoIP, InMemoryOrderHistory
from hostbill_core.model import PaymentType, PricePlan, ServiceGroup
from hostbill_core.pricing import PercentOff, Promotion, PromotionTerm
from hostbill_core.usecases import BillingSettings, cancel_service, run_billing
from hostbill_core.usecases.orders import OrderLine, PlaceOrder, place_order

from .billing_shop import client, seed, service, snapshot
from .faults import STORES, assert_every_write_is_atomic

AT = datetime(2026, 3, 12, 9, tzinfo=UTC)
SETTINGS = BillingSettings()


def shop(kind: str):
    factory = STORES[kind]().unit_of_work
    seed(
        factory,
        [client("c1")],
        [service("s1", "c1", date(2026, 1, 20), date(2026, 3, 20))],
        [ServiceGroup("g1", "c1", "Shop")],
    )
    with factory() as uow:
        uow.plans.add(PricePlan("free", "hosting", "Free", PaymentType.FREE))
        uow.commit()
    run_billing(factory, date(2026, 3, 10), SETTINGS)  # s1's 20 March renewal invoiced
    return factory


def _order(factory, *lines, promotion=None):
    request = PlaceOrder("o1", "c1", AT, "192.0.2.1", lines, promotion, placed_by_admin=True)
    ports = FraudPorts(InMemoryGeoIP(), InMemoryOrderHistory())
    return place_order(factory, request, SETTINGS, ports)


PROMOTED = Promotion("P", PercentOff("10"), PromotionTerm.FOREVER)
CASES = {
    "order with a promotion, in a group": lambda f: _order(
        f, OrderLine("hosting", "basic", MONTHLY, group_id="g1"), promotion=PROMOTED
    ),
    "order of a free plan": lambda f: _order(f, OrderLine("hosting", "free", None)),
    "cancel a service": lambda f: cancel_service(f, "s1", on=date(2026, 3, 12)),
}


@pytest.mark.parametrize("kind", sorted(STORES))
@pytest.mark.parametrize("case", sorted(CASES))
def test_a_failure_at_any_write_leaves_storage_unchanged(kind, case):
    assert_every_write_is_atomic(lambda: shop(kind), CASES[case], snapshot)
