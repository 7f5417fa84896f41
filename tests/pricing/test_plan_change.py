from datetime import UTC, date, datetime
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hostbill_core.calendar import Period
from hostbill_core.errors import CurrencyMismatchError, ValidationError
from hostbill_core.money import RoundingPolicy, minor_units, to_money
from hostbill_core.pricing import BY_SECOND, NO_PRORATION, ProrationConvention
from hostbill_core.pricing.plan_change import change_plan

APRIL = Period(date(2026, 4, 1), date(2026, 5, 1))  # 30 days


def test_upgrade_halfway_through_a_thirty_day_period():
    # 15 of 30 days remain: credit −(10.00 × 1/2) = −5.00, charge 20.00 × 1/2 = 10.00, net 5.00
    change = change_plan(
        to_money("10.00", "USD"), to_money("20.00", "USD"), APRIL, date(2026, 4, 16)
    )
    assert change.remaining == Fraction(1, 2)
    assert change.credit == to_money("-5.00", "USD")
    assert change.charge == to_money("10.00", "USD")
    assert change.net == to_money("5.00", "USD")
    assert change.period.end == date(2026, 5, 1)  # the due date does not move
    assert "credit −(10.00 × 1/2 = 5.00)" in change.explanation


def test_downgrade_nets_a_credit():
    # credit −(20.00 × 1/2) = −10.00, charge 10.00 × 1/2 = 5.00, net −5.00
    change = change_plan(
        to_money("20.00", "USD"), to_money("10.00", "USD"), APRIL, date(2026, 4, 16)
    )
    assert change.net == to_money("-5.00", "USD")


def test_jpy_upgrade_rounds_each_amount_to_whole_yen():
    # 21 April: 10 of 30 days remain (1/3). credit −(3000 × 1/3 = 1000), charge 5000 × 1/3 =
    # 1666.66… → 1667, net 667 JPY
    change = change_plan(to_money("3000", "JPY"), to_money("5000", "JPY"), APRIL, date(2026, 4, 21))
    assert (change.credit, change.charge, change.net) == (
        to_money("-1000", "JPY"),
        to_money("1667", "JPY"),
        to_money("667", "JPY"),
    )
    assert "5000 × 1/3 = 1666.66… → 1667" in change.explanation


def test_kwd_upgrade_keeps_three_decimals():
    # September 2011, change on the 20th: 11 of 30 days remain.
    # credit −(10.000 × 11/30 = 3.66666…) = −3.667; charge 12.500 × 11/30 = 4.58333… → 4.583
    # net 4.583 − 3.667 = 0.916 KWD
    september = Period(date(2011, 9, 1), date(2011, 10, 1))
    change = change_plan(
        to_money("10.000", "KWD"), to_money("12.500", "KWD"), september, date(2011, 9, 20)
    )
    assert (change.credit, change.charge, change.net) == (
        to_money("-3.667", "KWD"),
        to_money("4.583", "KWD"),
        to_money("0.916", "KWD"),
    )


def test_fixed_thirty_day_months_make_january_halves_even():
    # [2026-01-16, 2026-02-01) counts 15 of 30 (the 31st counts nothing); actual days: 16/31.
    january = Period(date(2026, 1, 1), date(2026, 2, 1))
    change = change_plan(
        to_money("10.00", "USD"),
        to_money("20.00", "USD"),
        january,
        date(2026, 1, 16),
        convention=ProrationConvention.fixed_days(30),
    )
    assert change.net == to_money("5.00", "USD")


def test_by_second_change_at_noon():
    # 16 April 12:00 UTC: 14.5 of 30 days = 29/60 remain. credit −(10.00 × 29/60 = 4.8333…) =
    # −4.83, charge 20.00 × 29/60 = 9.6666… → 9.67, net 4.84
    change = change_plan(
        to_money("10.00", "USD"),
        to_money("20.00", "USD"),
        APRIL,
        datetime(2026, 4, 16, 12, tzinfo=UTC),
        convention=BY_SECOND,
    )
    assert change.remaining == Fraction(29, 60)
    assert (change.credit, change.charge, change.net) == (
        to_money("-4.83", "USD"),
        to_money("9.67", "USD"),
        to_money("4.84", "USD"),
    )


def test_no_proration_changes_nothing_mid_period():
    change = change_plan(
        to_money("10.00", "USD"),
        to_money("20.00", "USD"),
        APRIL,
        date(2026, 4, 16),
        convention=NO_PRORATION,
    )
    assert change.net == to_money("0.00", "USD")
    assert "not prorated" in change.explanation


def test_change_on_the_first_day_swaps_whole_prices():
    change = change_plan(
        to_money("10.00", "USD"), to_money("20.00", "USD"), APRIL, date(2026, 4, 1)
    )
    assert (change.credit, change.charge) == (to_money("-10.00", "USD"), to_money("20.00", "USD"))


def test_currency_mismatch_is_refused():
    with pytest.raises(CurrencyMismatchError) as caught:
        change_plan(to_money("10.00", "USD"), to_money("20.00", "EUR"), APRIL, date(2026, 4, 16))
    assert (caught.value.expected, caught.value.actual) == ("USD", "EUR")


def test_negative_price_is_refused():
    with pytest.raises(ValidationError, match="zero or more") as caught:
        change_plan(to_money("-1.00", "USD"), to_money("20.00", "USD"), APRIL, date(2026, 4, 16))
    assert caught.value.field == "old_price"


def test_price_must_be_money():
    with pytest.raises(ValidationError) as caught:
        change_plan(to_money("1.00", "USD"), Decimal("2"), APRIL, date(2026, 4, 16))  # type: ignore[arg-type]
    assert caught.value.field == "new_price"


def test_change_date_outside_the_period_is_refused():
    with pytest.raises(ValidationError, match="within"):
        change_plan(to_money("10.00", "USD"), to_money("20.00", "USD"), APRIL, date(2026, 5, 2))


MODES = st.sampled_from(
    [
        "ROUND_HALF_UP",
        "ROUND_HALF_EVEN",
        "ROUND_UP",
        "ROUND_DOWN",
        "ROUND_CEILING",
        "ROUND_FLOOR",
        "ROUND_05UP",
    ]
)


@st.composite
def changes(draw: st.DrawFn) -> tuple[Period, date]:
    start = draw(st.dates(date(2000, 1, 1), date(2040, 1, 1)))
    length = draw(st.integers(1, 1100))
    offset = draw(st.integers(0, length))
    return (
        Period(start, date.fromordinal(start.toordinal() + length)),
        date.fromordinal(start.toordinal() + offset),
    )


@given(changes(), st.integers(0, 10**9), st.sampled_from(["USD", "JPY", "KWD"]), MODES)
def test_a_change_to_the_same_price_nets_zero(
    split: tuple[Period, date], units: int, code: str, mode: str
):
    period, on = split
    price = to_money(Decimal(units).scaleb(-minor_units(code)), code)
    change = change_plan(price, price, period, on, policy=RoundingPolicy(mode))
    assert change.net.amount == 0
    assert change.credit == -change.charge


@given(
    changes(), st.integers(0, 10**9), st.integers(0, 10**9), st.sampled_from(["USD", "JPY", "KWD"])
)
def test_net_is_charge_plus_credit_and_parts_stay_within_the_prices(
    split: tuple[Period, date], old_units: int, new_units: int, code: str
):
    period, on = split
    old = to_money(Decimal(old_units).scaleb(-minor_units(code)), code)
    new = to_money(Decimal(new_units).scaleb(-minor_units(code)), code)
    change = change_plan(old, new, period, on)
    assert change.net == change.charge + change.credit
    assert -old.amount <= change.credit.amount <= 0
    assert 0 <= change.charge.amount <= new.amount
    # rounding is monotone: an upgrade never nets a credit, a downgrade never nets a charge
    if new_units >= old_units:
        assert change.net.amount >= 0
    if new_units <= old_units:
        assert change.net.amount <= 0
