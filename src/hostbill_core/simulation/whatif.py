"""What-if variants of a scenario: a price rise, clients moved to another currency.

Each function returns a changed copy; run it beside the original and compare the results.

Examples:
    >>> from decimal import Decimal
    >>> from hostbill_core.calendar import MONTHLY
    >>> from hostbill_core.simulation import bundled_example
    >>> shop = bundled_example()
    >>> dearer = raise_prices(shop, Decimal(10))
    >>> [p.entry(MONTHLY, "USD").price for p in (shop.plans[0], dearer.plans[0])]
    [Money('4.99', 'USD'), Money('5.49', 'USD')]

    (4.99 × 1.10 = 5.489 → 5.49, ROUND_HALF_UP to the cent.)
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import attrs
from moneyed import Money

from hostbill_core.errors import ValidationError
from hostbill_core.model import ClientId, PricePlan
from hostbill_core.money import RoundingPolicy, to_decimal
from hostbill_core.pricing import CurrencyChangeMode
from hostbill_core.simulation.scenario import ChangeCurrency, ClientSpec, Scenario, ServiceSpec
from hostbill_core.simulation.seed import all_clients

__all__ = ["move_clients", "raise_prices"]


def _scaled(money: Money, factor: Decimal, policy: RoundingPolicy) -> Money:
    return policy.round(Money(money.amount * factor, money.currency))


def raise_prices(
    scenario: Scenario, percent: Decimal | int | str, *, policy: RoundingPolicy | None = None
) -> Scenario:
    """Every recurring price (plans and service overrides) raised by ``percent``.

    Each new price is old × (1 + percent / 100), rounded once to the currency's minor unit
    by ``policy`` (ROUND_HALF_UP unless told). Setup fees are left as they are. A negative
    percent lowers prices.

    Raises:
        ValidationError: ``percent`` is not an exact number (a float is refused), or is
            -100 or less (a price would not stay above zero).
    """
    rise = to_decimal(percent, "percent")
    if rise <= -100:
        raise ValidationError("percent", percent, "a price change above -100 %")
    factor = 1 + rise / 100
    rounding = policy or RoundingPolicy()

    def plan(p: PricePlan) -> PricePlan:
        entries = tuple(
            attrs.evolve(e, price=_scaled(e.price, factor, rounding)) if e.cycle else e
            for e in p.prices
        )
        return attrs.evolve(p, prices=entries)

    def service(s: ServiceSpec) -> ServiceSpec:
        return s if s.price is None else attrs.evolve(s, price=_scaled(s.price, factor, rounding))

    def client(c: ClientSpec) -> ClientSpec:
        return attrs.evolve(c, services=tuple(service(s) for s in c.services))

    return attrs.evolve(
        scenario,
        plans=tuple(plan(p) for p in scenario.plans),
        clients=tuple(client(c) for c in scenario.clients),
    )


def _currencies_on(scenario: Scenario, day: date) -> dict[str, str]:
    currency: dict[str, str] = {c.id: c.currency for c in all_clients(scenario)}
    for event in scenario.events:
        if isinstance(event, ChangeCurrency) and event.on <= day:
            currency[event.client] = event.currency
    return currency


def move_clients(
    scenario: Scenario,
    from_currency: str,
    to_currency: str,
    on: date,
    *,
    mode: CurrencyChangeMode = CurrencyChangeMode.RECALCULATE,
) -> Scenario:
    """Every client billed in ``from_currency`` on ``on`` moves to ``to_currency`` that day.

    One currency-change event per client is added (ids ``move-<client>``), after the
    scenario's own events of that day.

    Raises:
        ValidationError: ``on`` is outside the scenario, or no exchange rate of the pair is
            dated on or before it (not needed for ``CODE_ONLY``).
    """
    if not scenario.start <= on <= scenario.until:
        raise ValidationError("on", on, f"a day from {scenario.start} to {scenario.until}")
    pair = {from_currency, to_currency}
    dated = any({r.base, r.quote} == pair and r.as_of <= on for r in scenario.rates)
    if mode is not CurrencyChangeMode.CODE_ONLY and not dated:
        raise ValidationError("on", on, f"no {from_currency}/{to_currency} rate on or before it")
    moves = tuple(
        ChangeCurrency(on, f"move-{client}", ClientId(client), to_currency, mode)
        for client, currency in _currencies_on(scenario, on).items()
        if currency == from_currency
    )
    events = sorted((*scenario.events, *moves), key=lambda event: event.on)
    return attrs.evolve(scenario, events=tuple(events))
