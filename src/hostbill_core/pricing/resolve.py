"""Price resolution: what a plan costs for a cycle in a currency, and where that number came from.

A plan's own price in the asked currency always wins. Without one, the price in another
currency the plan has is converted at a rate the caller passes, rounded once to the target
currency's minor unit, and marked ``converted``. No own price and no usable rate is a
:class:`~hostbill_core.errors.ConfigurationError`: the catalogue lacks something.

>>> from hostbill_core.calendar import MONTHLY
>>> from hostbill_core.model import PaymentType, PriceEntry, PricePlan
>>> from hostbill_core.money import ExchangeRate, to_money
>>> from datetime import date
>>> plan = PricePlan("basic", "hosting", "Basic", PaymentType.RECURRING, (
...     PriceEntry(MONTHLY, "USD", to_money("10.00", "USD"), to_money("5.00", "USD")),))
>>> price_for(plan, MONTHLY, "USD").price
Money('10.00', 'USD')
>>> usd_jpy = ExchangeRate("USD", "JPY", "151.237", date(2026, 1, 5))
>>> quoted = price_for(plan, MONTHLY, "JPY", rates=[usd_jpy])
>>> quoted.price, quoted.converted
(Money('1512', 'JPY'), True)
>>> print(quoted.explanation)
plan basic, P1M: no JPY price; 10.00 USD × 151.237 (USD→JPY, 2026-01-05) = 1512.37 → 1512 JPY;
setup fee 5.00 USD × 151.237 = 756.185 → 756 JPY (ROUND_HALF_UP)
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs
from moneyed import Money

from hostbill_core.calendar import BillingCycle
from hostbill_core.errors import ConfigurationError, ValidationError
from hostbill_core.model import PaymentType, PlanId, PriceEntry, PricePlan
from hostbill_core.money import ExchangeRate, RoundingPolicy, convert, currency_code, zero
from hostbill_core.pricing._exact import times

__all__ = ["ResolvedPrice", "price_for"]


@attrs.frozen
class ResolvedPrice:
    """A plan's price and setup fee for one cycle in one currency, with their origin.

    Attributes:
        plan_id: the plan priced.
        cycle: the cycle priced (None for a one-time plan).
        currency: the currency asked for.
        payment_type: free, one-time or recurring.
        price: the price of one cycle (or the one-time price); zero for a free plan.
        setup_fee: the one-off fee charged with the first invoice.
        converted: True when the amounts were converted from another currency.
        rate: the rate used when converted, else None.
        explanation: where the amounts came from, with the rate and rounding.
    """

    plan_id: PlanId
    cycle: BillingCycle | None
    currency: str
    payment_type: PaymentType
    price: Money
    setup_fee: Money
    converted: bool
    rate: ExchangeRate | None
    explanation: str


def price_for(
    plan: PricePlan,
    cycle: BillingCycle | None,
    currency: str,
    *,
    rates: Iterable[ExchangeRate] = (),
    policy: RoundingPolicy | None = None,
) -> ResolvedPrice:
    """Resolve ``plan``'s price for ``cycle`` in ``currency``.

    Args:
        plan: the price plan.
        cycle: the billing cycle; None for a one-time plan (any cycle for a free one).
        currency: the ISO 4217 code to price in.
        rates: rates the caller accepts for a conversion; the first whose quote is
            ``currency`` and whose base the plan prices for ``cycle`` is used.
        policy: the rounding of a converted amount (ROUND_HALF_UP unless told).

    Raises:
        ValidationError: a cycle for a one-time plan, none for a recurring one, or an
            unknown currency code.
        ConfigurationError: no price in ``currency`` and no usable rate.
    """
    code = currency_code(currency)
    _check_cycle(plan, cycle)
    head = f"plan {plan.id}, {cycle or 'one-time'}"
    if plan.payment_type is PaymentType.FREE:
        nothing = zero(code)
        return ResolvedPrice(
            plan.id, cycle, code, plan.payment_type, nothing, nothing, False, None,
            f"{head}: free plan, nothing to pay",
        )  # fmt: skip
    own = plan.entry(cycle, code)
    if own is not None:
        return ResolvedPrice(
            plan.id, cycle, code, plan.payment_type, own.price, own.setup_fee, False, None,
            f"{head}: own {code} price {own.price.amount}, setup fee {own.setup_fee.amount}",
        )  # fmt: skip
    for rate in rates:
        source = plan.entry(cycle, rate.base) if rate.quote == code else None
        if source is not None:
            return _converted(plan, source, rate, policy or RoundingPolicy(), head)
    raise ConfigurationError(
        f"plans[{plan.id}].prices",
        f"{cycle or 'one-time'} {code}",
        f"no {code} price and no rate into {code} from a currency the plan prices "
        f"({', '.join(_currencies(plan, cycle)) or 'none'}): add a price or pass a rate",
    )


def _check_cycle(plan: PricePlan, cycle: BillingCycle | None) -> None:
    if plan.payment_type is PaymentType.ONE_TIME and cycle is not None:
        raise ValidationError("cycle", str(cycle), f"plan {plan.id} is paid once: cycle=None")
    if plan.payment_type is PaymentType.RECURRING and cycle is None:
        raise ValidationError("cycle", None, f"plan {plan.id} is recurring: name its cycle")


def _currencies(plan: PricePlan, cycle: BillingCycle | None) -> list[str]:
    return sorted(entry.currency for entry in plan.prices if entry.cycle == cycle)


def _converted(
    plan: PricePlan, source: PriceEntry, rate: ExchangeRate, policy: RoundingPolicy, head: str
) -> ResolvedPrice:
    price = convert(source.price, rate, policy)
    setup = convert(source.setup_fee, rate, policy)
    base, quote = rate.base, rate.quote
    explanation = (
        f"{head}: no {quote} price; {source.price.amount} {base} × {rate.rate} "
        f"({base}→{quote}, {rate.as_of.isoformat()}) = {times(source.price.amount, rate.rate)} → "
        f"{price.amount} {quote}; setup fee {source.setup_fee.amount} {base} × {rate.rate} = "
        f"{times(source.setup_fee.amount, rate.rate)} → {setup.amount} {quote} ({policy.mode})"
    )
    return ResolvedPrice(
        plan.id, source.cycle, quote, plan.payment_type, price, setup, True, rate, explanation
    )
