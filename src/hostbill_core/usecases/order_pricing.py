"""An order's lines priced: the plan's price in the client's currency, discounts, setup fees.

Each line becomes an :class:`~hostbill_core.model.OrderItem` (the price after discounts and
the setup fee, as quoted) and the billable items of the first invoice: for a recurring plan
the first period ``[start, start + cycle)`` as the renewal line of its pending service (so
paying it activates and renews the service through the one renewal path); for a one-time or
free plan its one ``one_time/<service>`` line (see :mod:`~hostbill_core.usecases.one_time`);
then a line per discount, and the setup fee.
"""

from __future__ import annotations

from datetime import date

import attrs
from moneyed import Money

from hostbill_core.calendar import BillingCycle, Period, due_date
from hostbill_core.errors import ValidationError
from hostbill_core.invoicing.items import BillableItem, natural_key
from hostbill_core.model import (
    Client,
    LineKind,
    OrderItem,
    PaymentType,
    PlanId,
    PricePlan,
    ProductId,
    ServiceGroupId,
    ServiceId,
)
from hostbill_core.ports import ExchangeRates
from hostbill_core.pricing import (
    DiscountedPrice,
    DiscountRequest,
    Promotion,
    ResolvedPrice,
    apply_discounts,
    price_for,
)
from hostbill_core.usecases.billing_settings import BillingSettings
from hostbill_core.usecases.catalogue import Catalogue
from hostbill_core.usecases.one_time import NOMINAL_CYCLE, one_time_key

__all__ = ["OrderLine", "PricedLine", "price_line", "promotion_misfit"]


@attrs.frozen
class OrderLine:
    """One thing ordered: a plan of a product, for a cycle when the plan recurs.

    Attributes:
        product_id: the product.
        plan_id: its plan (recurring, one-time or free).
        cycle: the billing cycle of a recurring plan; None for a one-time plan (a free plan
            takes either: it never renews).
        name: the label of the service (a domain, a hostname).
        group_id: the client service group the service joins, if any.
    """

    product_id: ProductId
    plan_id: PlanId
    cycle: BillingCycle | None
    name: str = ""
    group_id: ServiceGroupId | None = None


@attrs.frozen
class PricedLine:
    """An order line priced: the order item and the first invoice's items."""

    item: OrderItem
    billables: tuple[BillableItem, ...]


_ONCE = {PaymentType.ONE_TIME: "one-time", PaymentType.FREE: "free"}


def _checked_plan(line: OrderLine, catalogue: Catalogue, index: int) -> PricePlan:
    plan = catalogue.plan(line.plan_id)
    if plan.product_id != line.product_id:
        raise ValidationError(
            f"lines[{index}].plan_id", line.plan_id, f"not a plan of product {line.product_id}"
        )
    if plan.payment_type is PaymentType.RECURRING and line.cycle is None:
        raise ValidationError(
            f"lines[{index}].cycle", None, f"plan {plan.id} recurs: order it for a billing cycle"
        )
    if plan.payment_type is PaymentType.ONE_TIME and line.cycle is not None:
        raise ValidationError(
            f"lines[{index}].cycle", str(line.cycle), f"plan {plan.id} is paid once: no cycle"
        )
    return plan


def price_line(
    line: OrderLine,
    *,
    index: int,
    service_id: ServiceId,
    client: Client,
    start: date,
    catalogue: Catalogue,
    settings: BillingSettings,
    promotion: Promotion | None = None,
    rates: ExchangeRates | None = None,
) -> PricedLine:
    """Price order line ``index`` for ``client``, its service starting on ``start``.

    Raises:
        ValidationError: a plan of another product, a recurring plan without a cycle or a
            one-time plan with one.
        ConfigurationError: no price and no rate for the client's currency.
    """
    plan = _checked_plan(line, catalogue, index)
    resolved = _resolved(line, client.currency, catalogue, settings, rates=rates, on=start)
    discounted = apply_discounts(
        DiscountRequest(
            resolved.price, line.product_id, line.cycle or NOMINAL_CYCLE, 1,
            settings.client_discounts.get(client.id), _applicable(promotion, line),
            settings.rounding,
        )
    )  # fmt: skip
    label = line.name or catalogue.product_name(line.product_id)
    first = BillableItem(
        client_id=client.id, currency=client.currency, due_date=start, description=label,
        amount=resolved.price, kind=LineKind.ONE_TIME, key=one_time_key(service_id),
        service_id=service_id, group_id=line.group_id, explanation=resolved.explanation,
    )  # fmt: skip
    if plan.payment_type is PaymentType.RECURRING and line.cycle is not None:
        first = _first_period(first, line.cycle, label)
    else:
        first = attrs.evolve(first, description=f"{label} ({_ONCE[plan.payment_type]})")
    item = OrderItem(
        line.product_id, line.plan_id, line.cycle, discounted.net, resolved.setup_fee,
        description=label, service_id=service_id, group_id=line.group_id,
    )  # fmt: skip
    return PricedLine(item, _first_invoice(first, discounted, resolved.setup_fee, label))


def _first_period(first: BillableItem, cycle: BillingCycle, label: str) -> BillableItem:
    # A recurring plan's first invoice bills its first period as the service's renewal line.
    period = Period(first.due_date, due_date(first.due_date, cycle, 1))
    return attrs.evolve(
        first, kind=LineKind.RENEWAL, period=period,
        description=f"{label} ({period.start.isoformat()} – {period.end.isoformat()})",
        key=natural_key(LineKind.RENEWAL, first.service_id or "", period),
    )  # fmt: skip


def promotion_misfit(promotion: Promotion, line: OrderLine) -> str | None:
    """Why ``promotion`` does not discount ``line``, or None when it does.

    A code limited to some billing cycles does not fit a line without one (a one-time plan).
    """
    if line.cycle is None and promotion.billing_cycles:
        cycles = ", ".join(str(c) for c in promotion.billing_cycles)
        return f"it is for the billing cycles {cycles} and plan {line.plan_id} has none"
    return promotion.ineligibility(line.product_id, line.cycle or NOMINAL_CYCLE)


def _applicable(promotion: Promotion | None, line: OrderLine) -> Promotion | None:
    # Left to apply_discounts (which explains a skip) unless the line has no cycle to test.
    if promotion is not None and line.cycle is None and promotion.billing_cycles:
        return None
    return promotion


def _resolved(
    line: OrderLine,
    currency: str,
    catalogue: Catalogue,
    settings: BillingSettings,
    *,
    rates: ExchangeRates | None,
    on: date,
) -> ResolvedPrice:
    plan = catalogue.plan(line.plan_id)
    found = []
    if rates is not None and plan.entry(line.cycle, currency) is None:
        sources = [e for e in plan.prices if e.cycle == line.cycle][:1]
        found = [rates.rate(e.currency, currency, on) for e in sources]
    return price_for(plan, line.cycle, currency, rates=found, policy=settings.rounding)


def _first_invoice(
    first: BillableItem, discounted: DiscountedPrice, setup_fee: Money, label: str
) -> tuple[BillableItem, ...]:
    # The first period, a line per discount (client discount, promotion), the setup fee.
    service_id = first.service_id or ""
    items = [first]
    for n, discount in enumerate(discounted.lines):
        subject = service_id if n == 0 else f"{service_id}-{n}"
        items.append(
            attrs.evolve(
                first, description=f"{label}: {discount.source}", amount=discount.amount,
                kind=LineKind.DISCOUNT,
                key=natural_key(LineKind.DISCOUNT, subject, first.period),
                explanation=discount.explanation,
            )
        )  # fmt: skip
    if setup_fee.amount > 0:
        items.append(
            attrs.evolve(
                first, description=f"{label}: setup fee", amount=setup_fee,
                kind=LineKind.SETUP, key=natural_key(LineKind.SETUP, service_id),
            )
        )  # fmt: skip
    return tuple(items)
