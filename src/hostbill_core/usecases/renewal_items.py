"""A renewal priced into billable items: the plan's price in the client's currency, discounted.

The period billed is one whole cycle from the due date, ``[due, next due)``, both dates from
the service's anchored series. The price is the service's override, else the plan's own price
for the service's cycle in the client's currency, else a converted one at a rate the
:class:`~hostbill_core.ports.ExchangeRates` port gives for the run's day. A client's standing
discount, then a promotion redeemed on the service's order (for the cycles it covers: see
:mod:`~hostbill_core.usecases.promotions`), each becomes its own (negative) line. Taxes are
added later, per invoice, because rounding per invoice total needs the whole invoice.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import attrs
from moneyed import Money

from hostbill_core.calendar import Period
from hostbill_core.errors import CurrencyMismatchError, NotFoundError
from hostbill_core.invoicing.items import BillableItem, natural_key
from hostbill_core.model import Client, LineKind, PricePlan, PromotionRedemption, Service
from hostbill_core.money import ExchangeRate
from hostbill_core.ports import ExchangeRates
from hostbill_core.pricing import (
    ClientDiscount,
    DiscountRequest,
    Promotion,
    apply_discounts,
    price_for,
)
from hostbill_core.renewal import due_index, service_due_date
from hostbill_core.usecases.billing_settings import BillingSettings
from hostbill_core.usecases.catalogue import Catalogue
from hostbill_core.usecases.promotions import renewal_promotion

__all__ = ["renewal_items", "renewal_key", "renewal_period", "renewal_price"]


def renewal_period(service: Service, due: date) -> Period:
    """The period a renewal due on ``due`` bills: ``[due, the next date of the series)``.

    Raises:
        ValidationError: ``due`` is not on the service's series.
    """
    return Period(due, service_due_date(service, due_index(service, due) + 1))


def renewal_key(service: Service, due: date) -> str:
    """The natural key of the renewal line for the due date ``due``."""
    return natural_key(LineKind.RENEWAL, service.id, renewal_period(service, due))


def _rates(
    plan: PricePlan, service: Service, currency: str, on: date, rates: ExchangeRates | None
) -> list[ExchangeRate]:
    if rates is None or plan.entry(service.cycle, currency) is not None:
        return []
    found = []
    for entry in plan.prices:
        if entry.cycle == service.cycle:
            try:
                found.append(rates.rate(entry.currency, currency, on))
            except NotFoundError:
                continue
    return found


def renewal_price(
    service: Service,
    client: Client,
    catalogue: Catalogue,
    settings: BillingSettings,
    *,
    rates: ExchangeRates | None,
    on: date,
) -> tuple[Money, str]:
    """The price of one cycle of ``service`` for ``client``, and where it came from.

    The service's override, else the plan's own price in the client's currency, else a
    converted one at the rates port's rate on ``on``.

    Raises:
        ConfigurationError: no plan, or no price and no rate for the client's currency.
        CurrencyMismatchError: an override in another currency than the client's.
    """
    override = service.price_override
    if override is not None:
        if override.currency.code != client.currency:
            raise CurrencyMismatchError(
                client.currency,
                override.currency.code,
                f"price override of service {service.id} for client {client.id}",
            )
        return override, f"price override {override.amount} {client.currency}"
    plan = catalogue.plan(service.plan_id)
    found = _rates(plan, service, client.currency, on, rates)
    resolved = price_for(
        plan, service.cycle, client.currency, rates=found, policy=settings.rounding
    )
    return resolved.price, resolved.explanation


def renewal_items(
    service: Service,
    due: date,
    client: Client,
    catalogue: Catalogue,
    settings: BillingSettings,
    *,
    on: date,
    rates: ExchangeRates | None = None,
    promotions: Sequence[PromotionRedemption] = (),
    period: Period | None = None,
    price: tuple[Money, str] | None = None,
) -> tuple[BillableItem, ...]:
    """The untaxed items of the renewal of ``service`` due on ``due``: the renewal, discounts.

    Args:
        service: the service as stored now.
        due: the due date renewed (on the service's series).
        client: its client (currency, standing discount).
        catalogue: the plans.
        settings: rounding and client discounts.
        on: the run's day (the day a conversion rate is asked for).
        rates: the rates port, for a plan without a price in the client's currency.
        promotions: the client's promotion redemptions (one may cover the service).
        period: :func:`renewal_period` of ``service`` and ``due``, when the caller has it.
        price: :func:`renewal_price` of ``service`` for ``client``, when the caller has it
            (the billing run prices each plan, cycle and currency once).

    Raises:
        ConfigurationError: no plan, or no price and no rate for the client's currency.
        CurrencyMismatchError: a price override in another currency than the client's.
        ValidationError: ``due`` is not on the service's series.
    """
    if period is None:
        period = renewal_period(service, due)
    if price is None:
        price = renewal_price(service, client, catalogue, settings, rates=rates, on=on)
    amount, derivation = price
    name = catalogue.product_name(service.product_id)
    label = f"{name} {service.name}".strip() if service.name else name
    renewal = BillableItem(
        client_id=client.id,
        currency=client.currency,
        due_date=due,
        description=f"{label} ({period.start.isoformat()} – {period.end.isoformat()})",
        amount=amount,
        kind=LineKind.RENEWAL,
        key=natural_key(LineKind.RENEWAL, service.id, period),
        service_id=service.id,
        group_id=service.group_id,
        period=period,
        explanation=f"renewal of {service.cycle} from {due.isoformat()}: {derivation}",
    )
    discount = settings.client_discounts.get(client.id)
    promoted = renewal_promotion(promotions, service, due, amount.currency.code)
    if (discount is None and promoted is None) or amount.amount == 0:
        return (renewal,)
    return (renewal, *_discounted(renewal, service, label, (discount, promoted), settings))


def _discounted(
    renewal: BillableItem,
    service: Service,
    label: str,
    offs: tuple[ClientDiscount | None, tuple[Promotion, int] | None],
    settings: BillingSettings,
) -> list[BillableItem]:
    # The client's standing discount, then a promotion, each its own negative line; keys as
    # on an order's first invoice: the first discount's subject is the service, the next one's
    # ``<service>-1``.
    discount, promoted = offs
    promotion, cycle_number = promoted or (None, due_index(service, renewal.due_date) + 1)
    discounted = apply_discounts(
        DiscountRequest(
            renewal.amount, service.product_id, service.cycle, cycle_number, discount,
            promotion, settings.rounding,
        )
    )  # fmt: skip
    lines = []
    for n, line in enumerate(discounted.lines):
        subject = f"{service.id}-{n}" if n else service.id
        if line.amount.amount != 0:
            lines.append(
                attrs.evolve(
                    renewal,
                    description=f"{label}: {line.source}",
                    amount=line.amount,
                    kind=LineKind.DISCOUNT,
                    key=natural_key(LineKind.DISCOUNT, subject, renewal.period),
                    explanation=line.explanation,
                )
            )
    return lines
