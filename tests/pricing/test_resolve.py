from datetime import date

import pytest

from hostbill_core.calendar import ANNUALLY, MONTHLY
from hostbill_core.errors import ConfigurationError, ValidationError
from hostbill_core.model import PaymentType, PriceEntry, PricePlan
from hostbill_core.money import ExchangeRate, RoundingPolicy, to_money
from hostbill_core.pricing.resolve import price_for


def entry(cycle, code: str, price: str, setup: str = "0") -> PriceEntry:
    return PriceEntry(cycle, code, to_money(price, code), to_money(setup, code))


PLAN = PricePlan(
    "basic",
    "hosting",
    "Basic",
    PaymentType.RECURRING,
    (
        entry(MONTHLY, "USD", "10.00", "5.00"),
        entry(ANNUALLY, "USD", "100.00"),
        entry(MONTHLY, "EUR", "9.50", "4.00"),
    ),
)
USD_JPY = ExchangeRate("USD", "JPY", "151.237", date(2026, 1, 5))
USD_KWD = ExchangeRate("USD", "KWD", "0.30745", date(2026, 1, 5))


def test_own_price_wins_over_a_rate():
    resolved = price_for(
        PLAN, MONTHLY, "EUR", rates=[ExchangeRate("USD", "EUR", "0.5", date(2026, 1, 5))]
    )
    assert (resolved.price, resolved.setup_fee) == (
        to_money("9.50", "EUR"),
        to_money("4.00", "EUR"),
    )
    assert resolved.converted is False
    assert resolved.rate is None
    assert resolved.explanation == "plan basic, P1M: own EUR price 9.50, setup fee 4.00"


def test_jpy_converted_from_usd_rounded_once_to_whole_yen():
    # 10.00 × 151.237 = 1512.37 → 1512 JPY; setup 5.00 × 151.237 = 756.185 → 756 JPY
    resolved = price_for(PLAN, MONTHLY, "JPY", rates=[USD_JPY])
    assert (resolved.price, resolved.setup_fee) == (to_money("1512", "JPY"), to_money("756", "JPY"))
    assert resolved.converted is True
    assert resolved.rate == USD_JPY
    assert "10.00 USD × 151.237 (USD→JPY, 2026-01-05) = 1512.37 → 1512 JPY" in resolved.explanation


def test_kwd_converted_to_three_decimals():
    # 100.00 × 0.30745 = 30.745 → 30.745 KWD (exact at three decimals)
    # 10.00 × 0.30745 = 3.0745 → 3.075 (HALF_UP) or 3.074 (HALF_EVEN)
    assert price_for(PLAN, ANNUALLY, "KWD", rates=[USD_KWD]).price == to_money("30.745", "KWD")
    assert price_for(PLAN, MONTHLY, "KWD", rates=[USD_KWD]).price == to_money("3.075", "KWD")
    even = price_for(
        PLAN, MONTHLY, "KWD", rates=[USD_KWD], policy=RoundingPolicy("ROUND_HALF_EVEN")
    )
    assert even.price == to_money("3.074", "KWD")


def test_rates_into_other_currencies_or_from_unpriced_ones_are_skipped():
    # GBP→JPY is useless (no GBP price); USD→KWD goes elsewhere; USD→JPY is used.
    rates = [ExchangeRate("GBP", "JPY", "190", date(2026, 1, 5)), USD_KWD, USD_JPY]
    assert price_for(PLAN, MONTHLY, "JPY", rates=rates).rate == USD_JPY


def test_free_plan_costs_nothing():
    free = PricePlan("free", "hosting", "Free", PaymentType.FREE)
    resolved = price_for(free, MONTHLY, "JPY")
    assert (resolved.price, resolved.setup_fee) == (to_money("0", "JPY"), to_money("0", "JPY"))
    assert "free plan" in resolved.explanation


def test_one_time_plan_has_no_cycle():
    once = PricePlan("ssl", "ssl", "SSL", PaymentType.ONE_TIME, (entry(None, "USD", "49.00"),))
    resolved = price_for(once, None, "USD")
    assert resolved.price == to_money("49.00", "USD")
    assert resolved.cycle is None
    assert "one-time" in resolved.explanation


def test_no_price_and_no_rate_is_a_configuration_error():
    with pytest.raises(ConfigurationError, match="add a price or pass a rate") as caught:
        price_for(PLAN, MONTHLY, "JPY")
    assert caught.value.setting == "plans[basic].prices"
    assert "(EUR, USD)" in caught.value.reason


def test_a_cycle_for_a_one_time_plan_is_refused():
    once = PricePlan("ssl", "ssl", "SSL", PaymentType.ONE_TIME, (entry(None, "USD", "49.00"),))
    with pytest.raises(ValidationError, match="paid once"):
        price_for(once, MONTHLY, "USD")


def test_a_recurring_plan_needs_a_cycle():
    with pytest.raises(ValidationError, match="name its cycle"):
        price_for(PLAN, None, "USD")


def test_unknown_currency_is_refused():
    with pytest.raises(ValidationError, match="ISO 4217"):
        price_for(PLAN, MONTHLY, "XXY")
