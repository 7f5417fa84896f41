from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hostbill_core.calendar import ANNUALLY, MONTHLY, QUARTERLY, BillingCycle, Period
from hostbill_core.errors import ValidationError
from hostbill_core.money import RoundingPolicy, minor_units, sum_money, to_money
from hostbill_core.pricing.charges import charge
from hostbill_core.renewal import BilledPeriod, billing_periods


def test_issue_example_leading_partial_then_a_full_month():
    # USD 10.00 monthly from 2011-09-01, billing day 15, billed through 2011-10-03:
    # [09-01, 09-15) is 14 of the 31 days of [08-15, 09-15) → 10.00 × 14/31 = 4.516… → 4.52
    # [09-15, 10-15) is a full period → 10.00;  total 4.52 + 10.00 = 14.52
    periods = billing_periods(date(2011, 9, 1), date(2011, 10, 3), MONTHLY, billing_day=15)
    result = charge(to_money("10.00", "USD"), periods)
    assert [line.amount for line in result.lines] == [
        to_money("4.52", "USD"),
        to_money("10.00", "USD"),
    ]
    assert [line.fraction for line in result.lines] == [Fraction(14, 31), 1]
    assert result.total == to_money("14.52", "USD")
    assert "10.00 × 14/31 = 4.5161… → 4.52 USD (ROUND_HALF_UP)" in result.lines[0].explanation
    assert result.explanation.endswith("total 4.52 + 10.00 = 14.52 USD")


def test_jpy_partial_february():
    # 3000 JPY × 20/29 (10 Feb to 1 Mar 2024, a leap February) = 2068.96… → 2069
    periods = billing_periods(date(2024, 2, 10), date(2024, 2, 10), MONTHLY, billing_day=1)
    assert charge(to_money("3000", "JPY"), periods).total == to_money("2069", "JPY")


def test_kwd_partial_february():
    # 5.000 KWD × 20/29 = 3.44827… → 3.448
    periods = billing_periods(date(2024, 2, 10), date(2024, 2, 10), MONTHLY, billing_day=1)
    assert charge(to_money("5.000", "KWD"), periods).total == to_money("3.448", "KWD")


def test_each_line_is_rounded_once_with_the_policy():
    # 0.10 × 15/30 = 0.05 exactly; 0.15 × 15/30 = 0.075 → DOWN 0.07, per line
    periods = (
        BilledPeriod(
            Period(date(2024, 4, 1), date(2024, 4, 16)), Fraction(15, 30), "half of April"
        ),
        BilledPeriod(Period(date(2024, 4, 16), date(2024, 5, 1)), Fraction(15, 30), "other half"),
    )
    result = charge(to_money("0.15", "USD"), periods, RoundingPolicy("ROUND_DOWN"))
    assert [line.amount for line in result.lines] == [to_money("0.07", "USD")] * 2
    assert result.total == to_money("0.14", "USD")  # the exact sum of the lines, not 0.15
    assert "(ROUND_DOWN)" in result.lines[0].explanation


def test_no_periods_charge_nothing():
    result = charge(to_money("10.00", "EUR"), ())
    assert result.lines == ()
    assert result.total == to_money("0", "EUR")


def test_negative_fraction_is_refused():
    bad = BilledPeriod(Period(date(2024, 4, 1), date(2024, 4, 2)), Fraction(-1, 30), "bad")
    with pytest.raises(ValidationError, match="must not be negative") as caught:
        charge(to_money("10.00", "USD"), (bad,))
    assert caught.value.field == "periods[0].fraction"


def test_price_must_be_money():
    with pytest.raises(ValidationError, match="price"):
        charge("10.00", ())  # type: ignore[arg-type]


CYCLES = st.sampled_from([MONTHLY, QUARTERLY, ANNUALLY, BillingCycle.weeks(2)])


@given(
    st.dates(date(2000, 1, 1), date(2040, 1, 1)),
    st.integers(0, 800),
    CYCLES,
    st.none() | st.integers(1, 31),
    st.tuples(st.integers(0, 10**8), st.sampled_from(["USD", "JPY", "KWD"])),
)
def test_total_is_the_exact_sum_of_lines_each_within_half_a_unit(
    start: date, days: int, cycle: BillingCycle, day: int | None, units_code: tuple[int, str]
):
    units, code = units_code
    target = date.fromordinal(start.toordinal() + days)
    periods = billing_periods(start, target, cycle, billing_day=day)
    price = to_money(Decimal(units).scaleb(-minor_units(code)), code)
    result = charge(price, periods)
    assert result.total == sum_money((line.amount for line in result.lines), code)
    for line in result.lines:
        exact = Fraction(price.amount) * line.fraction
        assert abs(Fraction(line.amount.amount) - exact) <= Fraction(1, 2 * 10 ** minor_units(code))
