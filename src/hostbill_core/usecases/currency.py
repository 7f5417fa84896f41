"""Changing a client's currency in one unit of work: preview it, then apply it, all or nothing.

The use case loads the client, its services and their plans, its invoices, its queued invoice
items and its credit ledger, asks the rates port for the current rate (or takes the rate of the
preview the client saw), lets :func:`~hostbill_core.pricing.plan_currency_change` plan the
change, and stores the client, every repriced service, every converted open invoice and queued
item and the two credit entries in one unit of work. A refusal or a failure anywhere before the
commit leaves storage as it was.

>>> from datetime import UTC, date, datetime
>>> from hostbill_core.adapters.memory import MemoryStore
>>> from hostbill_core.model import Client, ContactDetails
>>> from hostbill_core.money import ExchangeRate
>>> from hostbill_core.pricing import CurrencyChangeMode
>>> from hostbill_core.testing.fakes import FixedClock, StaticRates
>>> store = MemoryStore()
>>> with store.unit_of_work() as uow:
...     _ = uow.clients.add(Client("c1", ContactDetails("Ann", "ann@example.com"), "USD",
...                                date(2025, 1, 1)))
...     uow.commit()
>>> rates = StaticRates([ExchangeRate("USD", "EUR", "0.92", date(2026, 1, 5))])
>>> clock = FixedClock(datetime(2026, 1, 5, 10, tzinfo=UTC))
>>> command = ChangeClientCurrency("c1", "EUR", CurrencyChangeMode.RECALCULATE)
>>> plan = change_client_currency(store.unit_of_work, command, rates, clock)
>>> with store.unit_of_work() as uow:
...     uow.clients.get("c1").currency
'EUR'
"""

from __future__ import annotations

import attrs
from moneyed import Money

from hostbill_core.model import ClientId, CreditEntry
from hostbill_core.model.checks import code
from hostbill_core.money import ExchangeRate, RoundingPolicy, sum_money
from hostbill_core.ports import Clock, ExchangeRates, UnitOfWork, UnitOfWorkFactory
from hostbill_core.pricing.currency_change import (
    CurrencyChangeMode,
    CurrencyChangePlan,
    CurrencyChangeRequest,
    plan_currency_change,
)

__all__ = ["ChangeClientCurrency", "change_client_currency", "preview_client_currency_change"]


@attrs.frozen
class ChangeClientCurrency:
    """A request to move a client to another currency.

    Attributes:
        client_id: the client.
        new_currency: the ISO 4217 code to move to.
        mode: recalculate, code only, or reprice.
        rate: the rate of the preview the client agreed to; None asks the rates port for
            today's rate (not asked at all for ``CODE_ONLY``).
        max_rate_age_days: the oldest rate accepted, in days.
        policy: the rounding of every converted amount (ROUND_HALF_UP unless told).
        actor: who makes the change, for the credit log.
    """

    client_id: ClientId
    new_currency: str = attrs.field(converter=code)
    mode: CurrencyChangeMode = CurrencyChangeMode.RECALCULATE
    rate: ExchangeRate | None = None
    max_rate_age_days: int = 1
    policy: RoundingPolicy = RoundingPolicy()
    actor: str = "system"


def preview_client_currency_change(
    new_uow: UnitOfWorkFactory, command: ChangeClientCurrency, rates: ExchangeRates, clock: Clock
) -> CurrencyChangePlan:
    """Plan the change as it would be applied now, and store nothing.

    Raises:
        NotFoundError: no such client, or no rate for the pair today.
        ValidationError, CurrencyMismatchError: the change is refused (see
            :func:`~hostbill_core.pricing.plan_currency_change`).
    """
    with new_uow() as uow:
        return _plan(uow, command, rates, clock)


def change_client_currency(
    new_uow: UnitOfWorkFactory, command: ChangeClientCurrency, rates: ExchangeRates, clock: Clock
) -> CurrencyChangePlan:
    """Plan the change and store it in one unit of work; return the plan applied.

    The models in the returned plan carry the versions they were loaded with.

    Raises:
        NotFoundError: no such client, or no rate for the pair today.
        ValidationError, CurrencyMismatchError: the change is refused.
        ConflictError: something changed in storage meanwhile; nothing was written.
    """
    with new_uow() as uow:
        plan = _plan(uow, command, rates, clock)
        uow.clients.save(plan.client)
        for service in plan.services:
            uow.services.save(service)
        for invoice in plan.invoices:
            uow.invoices.save(invoice)
        for item in plan.queued_items:
            uow.queued_items.save(item)
        for entry in plan.credit_entries:
            uow.credit.add(entry)
        uow.commit()
    return plan


def _plan(
    uow: UnitOfWork, command: ChangeClientCurrency, rates: ExchangeRates, clock: Clock
) -> CurrencyChangePlan:
    client = uow.clients.get(command.client_id)
    services = uow.services.list(client_id=client.id)
    plans = tuple(uow.plans.get(plan_id) for plan_id in sorted({s.plan_id for s in services}))
    rate = command.rate
    if rate is None and command.mode is not CurrencyChangeMode.CODE_ONLY:
        rate = rates.rate(client.currency, command.new_currency, clock.today())
    request = CurrencyChangeRequest(
        client,
        command.new_currency,
        command.mode,
        clock.now(),
        rate,
        services,
        plans,
        uow.invoices.list(client_id=client.id),
        _balance(uow.credit.list(client_id=client.id), client.currency),
        command.max_rate_age_days,
        command.policy,
        command.actor,
        uow.queued_items.list(client_id=client.id),
    )
    return plan_currency_change(request)


def _balance(entries: tuple[CreditEntry, ...], currency: str) -> Money:
    # Entries in an earlier currency were closed by an earlier change: they sum to zero there.
    return sum_money((e.amount for e in entries if e.amount.currency.code == currency), currency)
