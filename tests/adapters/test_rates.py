"""The rate table adapter: exchange rates over time, as a scenario file declares them."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hostbill_core.adapters.rates import RateTable
from hostbill_core.errors import NotFoundError
from hostbill_core.money import ExchangeRate
from hostbill_core.ports import ExchangeRates
from hostbill_core.testing.fakes import StaticRates

MARCH = ExchangeRate("USD", "EUR", "0.92", date(2026, 3, 1))
APRIL = ExchangeRate("USD", "EUR", "0.90", date(2026, 4, 1))
POUND = ExchangeRate("GBP", "USD", "1.25", date(2026, 3, 15))


def test_the_latest_rate_on_or_before_the_day_applies() -> None:
    table = RateTable([APRIL, POUND, MARCH])  # any order
    assert table.rate("USD", "EUR", date(2026, 3, 1)) == MARCH
    assert table.rate("USD", "EUR", date(2026, 3, 31)) == MARCH
    assert table.rate("USD", "EUR", date(2026, 4, 1)) == APRIL
    assert table.rate("GBP", "USD", date(2027, 1, 1)) == POUND


def test_the_other_direction_is_the_inverse() -> None:
    table = RateTable([MARCH, APRIL])
    found = table.rate("EUR", "USD", date(2026, 4, 2))
    # 1 / 0.90 = 1.111… to 28 significant digits, dated as the rate it inverts
    assert found == ExchangeRate(
        "EUR", "USD", Decimal("1.111111111111111111111111111"), APRIL.as_of
    )


def test_of_two_rates_of_a_pair_on_one_day_the_last_listed_applies() -> None:
    again = ExchangeRate("EUR", "USD", "1.10", MARCH.as_of)
    assert RateTable([MARCH, again]).rate("EUR", "USD", date(2026, 3, 2)) == again
    assert RateTable([again, MARCH]).rate("EUR", "USD", date(2026, 3, 2)) == MARCH.inverse()


def test_no_rate_for_the_pair_on_or_before_the_day_is_not_found() -> None:
    table = RateTable([MARCH, POUND])
    with pytest.raises(NotFoundError, match="USD/EUR on 2026-02-28"):
        table.rate("USD", "EUR", date(2026, 2, 28))
    with pytest.raises(NotFoundError, match="GBP/EUR on 2026-04-01"):
        table.rate("GBP", "EUR", date(2026, 4, 1))  # no cross rates through USD


def test_the_table_is_a_rates_port_and_the_testing_fake_is_the_same_table() -> None:
    port: ExchangeRates = RateTable([MARCH])
    assert port.rate("USD", "EUR", MARCH.as_of) == MARCH
    assert StaticRates is RateTable


_DAYS = st.dates(date(2026, 1, 1), date(2026, 12, 31))


@given(st.lists(st.tuples(_DAYS, st.booleans()), max_size=8), _DAYS)
def test_the_rate_found_is_the_last_listed_of_the_latest_day_on_or_before(
    listed: list[tuple[date, bool]], on: date
) -> None:
    # Rate n is 1 + n/100, listed USD→EUR or (flipped) EUR→USD: a plain scan says which applies.
    rates = [
        ExchangeRate(*(("EUR", "USD") if flip else ("USD", "EUR")), Decimal(100 + n) / 100, day)
        for n, (day, flip) in enumerate(listed)
    ]
    ordered = sorted(rates, key=lambda r: r.as_of)  # stable: the listed order within a day
    due = [r for r in ordered if r.as_of <= on]
    if not due:
        with pytest.raises(NotFoundError):
            RateTable(rates).rate("USD", "EUR", on)
        return
    last = due[-1]
    expected = last if last.base == "USD" else last.inverse()
    assert RateTable(rates).rate("USD", "EUR", on) == expected
