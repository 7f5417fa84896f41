"""A scenario: a shop's catalogue, clients, dated events and payment behaviour, as values.

:func:`~hostbill_core.simulation.parse.load_scenario` builds one from a TOML file (see
``docs/scenarios.md``); :func:`~hostbill_core.simulation.run.simulate` runs it. Every value
here is frozen; a what-if is a changed copy (``attrs.evolve``, or the helpers of
:mod:`~hostbill_core.simulation.whatif`).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from types import MappingProxyType

import attrs
from moneyed import Money

from hostbill_core.calendar import BillingCycle
from hostbill_core.fraud import FraudConfig, default_config
from hostbill_core.model import (
    AccountType,
    ClientId,
    PricePlan,
    Product,
    ServiceId,
    ServiceStatus,
)
from hostbill_core.money import ExchangeRate
from hostbill_core.pricing import CurrencyChangeMode
from hostbill_core.usecases import BillingSettings

__all__ = [
    "CancelService",
    "ChangeCurrency",
    "ChangePlan",
    "ClientSpec",
    "Event",
    "GeneratedService",
    "Generator",
    "ManualCredit",
    "ManualPayment",
    "OrderItemSpec",
    "PayerProfile",
    "PlaceOrder",
    "ReviewDecision",
    "ReviewOrder",
    "Scenario",
    "ScenarioSettings",
    "ServiceSpec",
]


def _frozen(value: Mapping[str, object]) -> Mapping[str, object]:
    return MappingProxyType(dict(value))


@attrs.frozen
class PayerProfile:
    """How a client pays its invoices.

    Attributes:
        name: the profile's name in the scenario (``on-time``, ``late``, ``never``...).
        days_late: the whole days after the due date a payment arrives, drawn uniformly
            from ``[low, high]`` per invoice (``(0, 0)``: on the due date).
        never: the client never pays.
        miss: the share of invoices (0 to 1) the client never pays, drawn per invoice.
    """

    name: str
    days_late: tuple[int, int] = (0, 0)
    never: bool = False
    miss: Decimal = Decimal(0)


@attrs.frozen
class ServiceSpec:
    """A service a client holds when the scenario starts.

    Attributes:
        next_due: its next due date; None means the first due date on or after the start
            (renewals before the start count as paid).
        price: a price override in the client's currency, or None for the plan's price.
    """

    id: ServiceId
    plan_id: str
    cycle: BillingCycle
    anchor: date
    name: str = ""
    next_due: date | None = None
    price: Money | None = None
    status: ServiceStatus = ServiceStatus.ACTIVE


@attrs.frozen
class ClientSpec:
    """A client of the shop, with the services it holds at the start and how it pays."""

    id: ClientId
    name: str
    email: str
    currency: str
    since: date
    payer: str
    country: str = ""
    account_type: AccountType = AccountType.PRIVATE
    services: tuple[ServiceSpec, ...] = ()


@attrs.frozen
class OrderItemSpec:
    """One item of an order: a plan (for a cycle when it recurs), and the new service's label."""

    plan_id: str
    cycle: BillingCycle | None
    name: str = ""


@attrs.frozen
class PlaceOrder:
    """A client orders new services (priced, screened for fraud, first invoice issued).

    The services the order creates are ``<id>-1``, ``<id>-2`` … in item order.
    """

    on: date
    id: str
    client: ClientId
    items: tuple[OrderItemSpec, ...]
    ip: str = "192.0.2.1"

    def service_id(self, n: int) -> ServiceId:
        """The id of the service item ``n`` (0-based) creates."""
        return ServiceId(f"{self.id}-{n + 1}")


class ReviewDecision(enum.Enum):
    """What staff decide about an order held for review or approval."""

    APPROVE = "approve"
    REJECT = "reject"
    DROP = "drop"
    CANCEL = "cancel"


@attrs.frozen
class ReviewOrder:
    """Staff decide about an order held for review (``order`` is the order event's id)."""

    on: date
    id: str
    order: str
    decision: ReviewDecision


@attrs.frozen
class ChangePlan:
    """A service moves to another plan (an upgrade or a downgrade), optionally another cycle.

    Attributes:
        cycle: the new cycle, or None to keep the service's.
        upgrade: an upgrade (True) or a downgrade (False), as the scenario calls it.
        immediately: prorate now (True), or switch at the end of the paid term (False).
    """

    on: date
    id: str
    service: ServiceId
    plan_id: str
    cycle: BillingCycle | None = None
    upgrade: bool = True
    immediately: bool = True


@attrs.frozen
class CancelService:
    """A service is cancelled, at once or at the end of its paid period."""

    on: date
    id: str
    service: ServiceId
    immediately: bool = False


@attrs.frozen
class ChangeCurrency:
    """A client moves to another currency."""

    on: date
    id: str
    client: ClientId
    currency: str
    mode: CurrencyChangeMode = CurrencyChangeMode.RECALCULATE


@attrs.frozen
class ManualCredit:
    """Staff add credit to (or, with a negative amount, take it from) a client's balance."""

    on: date
    id: str
    client: ClientId
    amount: Money
    note: str = ""


@attrs.frozen
class ManualPayment:
    """A payment outside the client's payer profile (a late payer settling up)."""

    on: date
    id: str
    client: ClientId
    amount: Money


#: The dated events a scenario may list.
Event = (
    PlaceOrder
    | ReviewOrder
    | ChangePlan
    | CancelService
    | ChangeCurrency
    | ManualCredit
    | ManualPayment
)


@attrs.frozen
class GeneratedService:
    """A service generated clients may hold.

    Attributes:
        plan_id: the plan.
        share: the chance (0 to 1) that a generated client holds one.
        cycles: the cycles to draw from, with whole-number weights.
    """

    plan_id: str
    share: Decimal
    cycles: tuple[tuple[BillingCycle, int], ...]


@attrs.frozen
class Generator:
    """Clients generated from the scenario's seed, so a large shop need not be written out.

    Attributes:
        clients: how many.
        since: client start dates are drawn uniformly from ``[first, last]``.
        currencies: currency codes with whole-number weights.
        payers: payer profile names with whole-number weights.
        services: what each generated client may hold.
        prefix: generated ids are ``<prefix>-0001`` (clients) and ``<prefix>-0001-2``
            (the client's second service).
    """

    clients: int
    since: tuple[date, date]
    currencies: tuple[tuple[str, int], ...]
    payers: tuple[tuple[str, int], ...]
    services: tuple[GeneratedService, ...]
    prefix: str = "gen"


@attrs.frozen(unsafe_hash=False)
class ScenarioSettings:
    """The business settings the simulation runs with.

    Attributes:
        billing: the billing run's settings: lead times, reminders and expiry steps,
            invoice numbering, credit, tax.
        fraud: the fraud configuration orders are screened with.
    """

    billing: BillingSettings = BillingSettings()
    fraud: FraudConfig = attrs.field(factory=default_config)


@attrs.frozen(unsafe_hash=False)
class Scenario:
    """Everything a simulation runs: the shop, its clients, what happens, and when.

    Attributes:
        name: a title for reports.
        start: the first day simulated.
        until: the last day simulated (inclusive), unless the caller gives another.
        seed: the seed of every random draw (generated clients, late payments).
        products, plans: the catalogue.
        rates: exchange rates; on a date the latest one on or before it applies.
        payers: payer profiles by name.
        clients: the clients written out in the file.
        events: dated events, in date order (file order within a day).
        generator: more clients to generate, or None.
        source: where the scenario was read from (for messages).
    """

    name: str
    start: date
    until: date
    seed: int = 0
    settings: ScenarioSettings = ScenarioSettings()
    products: tuple[Product, ...] = ()
    plans: tuple[PricePlan, ...] = ()
    rates: tuple[ExchangeRate, ...] = ()
    payers: Mapping[str, PayerProfile] = attrs.field(factory=dict, converter=_frozen)
    clients: tuple[ClientSpec, ...] = ()
    events: tuple[Event, ...] = ()
    generator: Generator | None = None
    source: str = "<scenario>"
