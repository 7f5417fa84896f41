"""Set-up shared by the order tests: client c1 (Carla, in Germany, paying in EUR) in the
billing shop, fraud ports that place the order's address in Germany, and order requests."""

from datetime import UTC, datetime

from hostbill_core.calendar import MONTHLY
from hostbill_core.fraud import FraudPorts, GeoIPInfo
from hostbill_core.fraud.fakes import InMemoryGeoIP, InMemoryOrderHistory
from hostbill_core.model import Address, ContactDetails
from hostbill_core.money import to_money
from hostbill_core.pricing import ClientDiscount, PercentOff, TaxRule, TaxSettings
from hostbill_core.usecases.billing_settings import BillingSettings
from hostbill_core.usecases.orders import OrderLine, PlaceOrder

from .billing_shop import client, seed

AT = datetime(2026, 3, 10, 9, tzinfo=UTC)
IP = "81.2.69.160"
HOSTING = OrderLine("hosting", "basic", MONTHLY, "example.org")  # 9.00 EUR, setup 5.00
CARLA = ContactDetails("Carla", "carla@example.com", address=Address(country="DE"))
#: German VAT at 19 % on every line, and a 10 % discount for c1.
VAT_AND_DISCOUNT = BillingSettings(
    tax=TaxSettings((TaxRule("VAT", "0.19", "DE"),)),
    client_discounts={"c1": ClientDiscount(PercentOff("10"))},
)


def eur(amount: str):
    return to_money(amount, "EUR")


def ports() -> FraudPorts:
    return FraudPorts(InMemoryGeoIP({IP: GeoIPInfo("DE")}), InMemoryOrderHistory())


def seed_carla(uow, *client_ids: str):
    """The billing shop with a EUR client in Germany under each id (c1 if none is given)."""
    return seed(uow, [client(cid, "EUR", details=CARLA) for cid in client_ids or ("c1",)])


def order(*lines, promotion=None, oid="o1", admin=True) -> PlaceOrder:
    """Order ``oid`` of client c1 at AT from IP."""
    return PlaceOrder(oid, "c1", AT, IP, tuple(lines), promotion, placed_by_admin=admin)
